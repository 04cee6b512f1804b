"""Homework sessions: the teacher's assignment and the students' hand-ins (schema version 7).

The store keeps the assignment as the JSON of :class:`kit.homework.Assignment` without reading
it (the rules live in :mod:`kit.homework`, above the store). A hand-in copies the student's
stored answers of the homework's exercises in the same transaction that numbers it, so what the
teacher sees is what was stored at that moment; later changes do not alter it. Only the teacher
(with the facilitator key) reads every hand-in; a student reads her own.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from kit.homework import HandIn
from kit.sessions import normalise_code
from kit.storage.base import _aware, upsert
from kit.storage.lifecycle import Sessions
from kit.storage.schema import hand_ins, homework, submissions


def _hand_in(row: Any) -> HandIn:
    return HandIn(
        row.participant,
        row.alias,
        _aware(row.at),
        int(row.number),
        bool(row.late),
        tuple((str(m), str(i), str(a)) for m, i, a in json.loads(row.records)),
    )


class Homework(Sessions):
    def set_homework(self, code: str, key: str, assignment: str) -> None:
        """Set (or change) a session's assignment; the teacher only (InputError BAD_KEY)."""
        code = self._require_key(code, key)
        now = self.clock()
        stmt = upsert(
            self.engine,
            homework,
            {"session_code": code, "assignment": assignment, "set_at": now},
            ["session_code"],
            {"assignment": None, "set_at": now},
        )
        with self._tx(write=True) as conn:
            conn.execute(stmt)

    def homework(self, code: str) -> str | None:
        """The assignment of a session as stored, or None when it is no homework session."""
        with self._tx() as conn:
            value = conn.execute(
                sa.select(homework.c.assignment).where(
                    homework.c.session_code == normalise_code(code)
                )
            ).scalar()
        return None if value is None else str(value)

    def hand_in(
        self,
        code: str,
        participant: str,
        alias: str,
        at: dt.datetime,
        late: bool,
        number: int,
        modules: Sequence[str],
    ) -> HandIn:
        """Record hand-in ``number`` of a student (the rules of :func:`kit.homework.hand_in_rule`
        decided it may be made), with her stored answers of ``modules``. InputError CLOSED when
        the session was closed or deleted meanwhile; StorageError when hand-in ``number``
        already exists (the same hand-in sent twice)."""
        code = normalise_code(code)
        with self._tx(write=True) as conn:
            self._require_open(conn, code)
            rows = conn.execute(
                sa.select(submissions.c.module, submissions.c.item, submissions.c.answers)
                .where(submissions.c.session_code == code)
                .where(submissions.c.participant == participant)
                .where(submissions.c.module.in_(list(modules)))
                .order_by(submissions.c.id)
            ).all()
            records = tuple((str(r.module), str(r.item), str(r.answers)) for r in rows)
            conn.execute(
                hand_ins.insert().values(
                    session_code=code,
                    participant=participant,
                    number=number,
                    alias=alias,
                    at=at,
                    late=late,
                    records=json.dumps(list(records), ensure_ascii=False),
                )
            )
        return HandIn(participant, alias, at, number, late, records)

    def own_hand_ins(self, code: str, participant: str) -> list[HandIn]:
        """A student's own hand-ins, the first first."""
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(hand_ins)
                .where(hand_ins.c.session_code == normalise_code(code))
                .where(hand_ins.c.participant == participant)
                .order_by(hand_ins.c.number)
            ).all()
        return [_hand_in(r) for r in rows]

    def hand_ins(self, code: str, key: str) -> list[HandIn]:
        """Every hand-in of a session, for the teacher (InputError BAD_KEY otherwise)."""
        code = self._require_key(code, key)
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(hand_ins)
                .where(hand_ins.c.session_code == code)
                .order_by(hand_ins.c.participant, hand_ins.c.number)
            ).all()
        return [_hand_in(r) for r in rows]
