"""Led sessions: the room's state and the votes on its polls (schema version 6).

The store keeps the state as the JSON of :class:`kit.agenda.Room` without reading it (the rules
live in :mod:`kit.agenda`, above the store) and guards what only the trainer may do with the
facilitator key. Every participant's page reads :meth:`Rooms.room_version` often, so that read is
one primary-key lookup; a change is written only if nobody changed the room in between
(optimistic: the caller reads, applies the trainer's action and writes with the version it read).

What leaves the store for the projector is votes without participants
(:meth:`Rooms.poll_values`) and answers without aliases (:meth:`Rooms.room_submissions`); who
voted or answered is for the trainer's count only.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from kit.sessions import InputError, Problem, normalise_code
from kit.storage.base import StorageError, _now, upsert
from kit.storage.lifecycle import Sessions
from kit.storage.records import Submission
from kit.storage.saved import readable
from kit.storage.schema import rooms, submissions, votes

#: Characters a stored vote may hold (an open answer is at most 80; a few more for safety).
VOTE_MAX = 400


class Rooms(Sessions):
    def room_state(self, code: str) -> tuple[int, dict[str, Any]] | None:
        """The led room of a session as (version, state), or None when it is not led."""
        code = normalise_code(code)
        with self._tx() as conn:
            row = conn.execute(
                sa.select(rooms.c.version, rooms.c.state).where(rooms.c.session_code == code)
            ).first()
        if row is None:
            return None
        state = json.loads(row.state)
        if not isinstance(state, dict):
            raise StorageError(f"the led room of session {code} cannot be read", failure="refused")
        return int(row.version), state

    def room_version(self, code: str) -> int | None:
        """The version of the room's state, or None when the session is not led: the one small
        read a page makes to know whether the trainer moved on."""
        with self._tx() as conn:
            value = conn.execute(
                sa.select(rooms.c.version).where(rooms.c.session_code == normalise_code(code))
            ).scalar()
        return None if value is None else int(value)

    def save_room(self, code: str, key: str, state: dict[str, Any], expected: int | None) -> bool:
        """Write the room's state (the trainer only: InputError BAD_KEY otherwise).

        ``expected`` is the version read before the change (None: the room is new). Returns
        False, writing nothing, when the room changed in between (another of the trainer's
        screens was quicker): read it again and reapply.
        """
        code = self._require_key(code, key)
        version = int(state["version"])
        payload = json.dumps(state, sort_keys=True)
        now = _now()
        with self._tx(write=True) as conn:
            if expected is None:
                exists = conn.execute(
                    sa.select(rooms.c.version).where(rooms.c.session_code == code)
                ).first()
                if exists is not None:
                    return False
                conn.execute(
                    rooms.insert().values(
                        session_code=code, state=payload, version=version, updated_at=now
                    )
                )
                return True
            done = conn.execute(
                rooms.update()
                .where(rooms.c.session_code == code)
                .where(rooms.c.version == expected)
                .values(state=payload, version=version, updated_at=now)
            ).rowcount
        return bool(done)

    def vote(self, code: str, participant: str, step: str, value: str) -> None:
        """Store a participant's answer to a poll step, replacing an earlier one. The caller
        checked that the step is the room's and that answering is open (:mod:`kit.led`); the
        store refuses a closed or unknown session and an oversized value."""
        if len(value) > VOTE_MAX or len(step) > 80:
            raise InputError(Problem.TOO_LARGE)
        code = normalise_code(code)
        now = _now()
        stmt = upsert(
            self.engine,
            votes,
            {
                "session_code": code,
                "step": step,
                "participant": participant,
                "value": value,
                "at": now,
            },
            ["session_code", "step", "participant"],
            {"value": None, "at": now},
        )
        with self._tx(write=True) as conn:
            self._require_open(conn, code)
            conn.execute(stmt)

    def poll_values(self, code: str, step: str) -> list[str]:
        """Every vote on a poll step, without who gave it: what the projector may count."""
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(votes.c.value)
                .where(votes.c.session_code == normalise_code(code))
                .where(votes.c.step == step)
                .order_by(votes.c.at)
            ).all()
        return [r.value for r in rows]

    def poll_votes(self, code: str, key: str, step: str) -> dict[str, str]:
        """Participant -> vote on a poll step, for the trainer's "n of m answered"."""
        code = self._require_key(code, key)
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(votes.c.participant, votes.c.value)
                .where(votes.c.session_code == code)
                .where(votes.c.step == step)
            ).all()
        return {r.participant: r.value for r in rows}

    def own_vote(self, code: str, participant: str, step: str) -> str | None:
        """A participant's own vote on a poll step (what their page shows as chosen)."""
        with self._tx() as conn:
            return conn.execute(
                sa.select(votes.c.value)
                .where(votes.c.session_code == normalise_code(code))
                .where(votes.c.step == step)
                .where(votes.c.participant == participant)
            ).scalar()

    def all_votes(self, code: str, key: str) -> list[tuple[str, str, str]]:
        """(step, participant, value) of every vote in the session, for the group's report and
        CSV (the trainer only)."""
        code = self._require_key(code, key)
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(votes.c.step, votes.c.participant, votes.c.value)
                .where(votes.c.session_code == code)
                .order_by(votes.c.step, votes.c.at)
            ).all()
        return [(r.step, r.participant, r.value) for r in rows]

    def room_submissions(self, code: str, modules: tuple[str, ...]) -> list[Submission]:
        """The session's readable answers of ``modules`` for the projector's counts: each with an
        ordinal for a participant (the same within one call) and no alias, so nothing read
        here can name anyone; only sessions that are led give any."""
        code = normalise_code(code)
        with self._tx() as conn:
            led = conn.execute(
                sa.select(rooms.c.version).where(rooms.c.session_code == code)
            ).first()
            if led is None:
                return []
            rows = conn.execute(
                sa.select(submissions)
                .where(submissions.c.session_code == code)
                .where(submissions.c.module.in_(modules))
                .order_by(submissions.c.id)
            ).all()
        found = readable(rows, quiet=True)[0]
        ordinal: dict[str, str] = {}
        return [
            Submission(
                ordinal.setdefault(s.participant, str(len(ordinal))), "", s.record, s.updated_at
            )
            for s in found
        ]
