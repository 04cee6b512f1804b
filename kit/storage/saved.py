"""Submissions: participants' answers, saved as versioned records (:mod:`kit.answers`).

A stored row that cannot be read as a record (written by an older kit, or damaged) is never
shown half-read and never dropped: the dashboard counts it (:meth:`Saved.unreadable`) and the
export carries it as it is (:meth:`Saved.unreadable_rows`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from kit import answers
from kit.answers import Record, RecordError
from kit.sessions import InputError, Problem
from kit.storage.base import _aware, upsert
from kit.storage.lifecycle import Sessions
from kit.storage.records import Submission, UnreadableRow
from kit.storage.schema import submissions

log = logging.getLogger("kit")


class Saved(Sessions):
    def save(self, code: str, participant: str, alias: str, record: Record) -> None:
        """Insert or update one submission (upsert on session, participant, module, item)."""
        payload = answers.dump(record)
        if len(payload) > answers.MAX_CHARS or len(record.item) > 120:
            raise InputError(Problem.TOO_LARGE)
        now = self.clock()
        values = {
            "session_code": code,
            "participant": participant,
            "alias": alias,
            "module": record.module.value,
            "item": record.item,
            "answers": payload,
            "created_at": now,
            "updated_at": now,
        }
        stmt = upsert(
            self.engine,
            submissions,
            values,
            ["session_code", "participant", "module", "item"],
            {"answers": None, "alias": None, "updated_at": now},
        )
        with self._tx(write=True) as conn:
            self._require_open(conn, code)
            conn.execute(stmt)

    def own_submissions(self, code: str, participant: str) -> list[Submission]:
        """One participant's own submissions: all a participant's kernel ever reads back."""
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(submissions)
                .where(submissions.c.session_code == code)
                .where(submissions.c.participant == participant)
                .order_by(submissions.c.id)
            ).all()
        return readable(rows)[0]

    def _session_rows(self, code: str, key: str) -> list[Any]:
        code = self._require_key(code, key)
        with self._tx() as conn:
            return list(
                conn.execute(
                    sa.select(submissions)
                    .where(submissions.c.session_code == code)
                    .order_by(submissions.c.id)
                ).all()
            )

    def all_submissions(self, code: str, key: str) -> list[Submission]:
        """Every readable submission of a session, for the facilitator only."""
        return readable(self._session_rows(code, key))[0]

    def unreadable(self, code: str, key: str) -> int:
        """How many stored answers of a session cannot be read as records (facilitator only)."""
        return len(readable(self._session_rows(code, key), quiet=True)[1])

    def unreadable_rows(self, code: str, key: str) -> list[UnreadableRow]:
        """Those answers as they are stored, for the export (facilitator only)."""
        return readable(self._session_rows(code, key), quiet=True)[1]

    def count(self, code: str | None = None) -> int:
        with self._tx() as conn:
            query = sa.select(sa.func.count()).select_from(submissions)
            if code is not None:
                query = query.where(submissions.c.session_code == code)
            return int(conn.execute(query).scalar_one())


def readable(
    rows: Iterable[Any], quiet: bool = False
) -> tuple[list[Submission], list[UnreadableRow]]:
    """The rows that hold a record, and those that do not (reported in the log, kept)."""
    good, bad = [], []
    for row in rows:
        try:
            record = answers.load(row.module, row.item, row.answers)
        except RecordError as exc:
            if not quiet:
                log.warning("submission %s cannot be read: %s", row.id, exc)
            bad.append(
                UnreadableRow(
                    int(row.id),
                    row.participant,
                    row.alias,
                    row.module,
                    row.item,
                    row.answers,
                    _aware(row.updated_at),
                )
            )
            continue
        good.append(Submission(row.participant, row.alias, record, _aware(row.updated_at)))
    return good, bad
