"""Retention: a session and everything in it is deleted ``retention_days`` after it closed or
expired. Every store purges what is due when it first opens the database (a failure is kept for
the dashboard: :attr:`StoreHealth.purge_failed`), and ``python -m kit purge`` does it on demand.
"""

from __future__ import annotations

import datetime as dt
import logging

import sqlalchemy as sa

from kit.storage.base import StorageError, StoreBase
from kit.storage.guesses import ATTEMPT_WINDOW
from kit.storage.records import Purged, SessionInfo
from kit.storage.schema import attempts, participants, sessions, submissions

log = logging.getLogger("kit")


class Retention(StoreBase):
    def purge(self, now: dt.datetime | None = None, dry_run: bool = False) -> list[Purged]:
        """Delete every session whose retention period is over, with its participants and
        answers; returns what went (or, with ``dry_run``, what would go)."""
        now = now or self.clock()
        with self._tx(write=not dry_run) as conn:
            due = [
                info
                for info in map(SessionInfo.from_row, conn.execute(sa.select(sessions)).all())
                if info.delete_after <= now
            ]
            out = []
            for info in due:
                n_people = conn.execute(
                    sa.select(sa.func.count())
                    .select_from(participants)
                    .where(participants.c.session_code == info.code)
                ).scalar_one()
                n_subs = conn.execute(
                    sa.select(sa.func.count())
                    .select_from(submissions)
                    .where(submissions.c.session_code == info.code)
                ).scalar_one()
                if not dry_run:
                    conn.execute(
                        submissions.delete().where(submissions.c.session_code == info.code)
                    )
                    conn.execute(
                        participants.delete().where(participants.c.session_code == info.code)
                    )
                    conn.execute(sessions.delete().where(sessions.c.code == info.code))
                out.append(Purged(info.code, info.title, info.ended_at, int(n_people), int(n_subs)))
            if not dry_run:
                conn.execute(attempts.delete().where(attempts.c.at <= now - ATTEMPT_WINDOW))
        return out

    def _purge_on_open(self) -> None:
        """Delete what is due whenever a store first opens the database: the retention period
        holds without anyone running ``python -m kit purge``. A failure is logged and kept for
        :meth:`health` (retention must not stop holding without a word)."""
        try:
            gone = self.purge()
        except StorageError as exc:
            self._purge_failed = str(exc)
            log.error("retention: could not delete expired sessions: %s", exc)
            return
        self._purge_failed = None
        for p in gone:
            log.info(
                "deleted session %s (ended %s; %d participants, %d answers): retention over",
                p.code,
                p.ended_at.date(),
                p.participants,
                p.submissions,
            )
