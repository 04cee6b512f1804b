"""What the store hands out: frozen records of sessions, participants and submissions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kit import homework
from kit.answers import Record
from kit.storage.base import _aware
from kit.storage.schema import DEFAULT_RETENTION_DAYS


@dataclass(frozen=True)
class SessionInfo:
    code: str
    title: str
    case_id: str | None
    intervention_id: str | None
    created_at: dt.datetime
    expires_at: dt.datetime
    closed_at: dt.datetime | None
    retention_days: int = DEFAULT_RETENTION_DAYS

    @property
    def open(self) -> bool:
        """Open now, by the kit's clock (:func:`kit.homework.clock`, which the store uses unless
        it was given another; the store asks :meth:`open_at` with its own)."""
        return self.open_at(homework.clock())

    def open_at(self, now: dt.datetime) -> bool:
        return self.closed_at is None and now < self.expires_at

    @property
    def ended_at(self) -> dt.datetime:
        """When the session stopped taking answers: closed by the trainer, or expired."""
        return min(self.closed_at, self.expires_at) if self.closed_at else self.expires_at

    @property
    def delete_after(self) -> dt.datetime:
        """When the session and everything in it is deleted (retention period)."""
        return self.ended_at + dt.timedelta(days=self.retention_days)

    @classmethod
    def from_row(cls, row: Any) -> SessionInfo:
        return cls(
            row.code,
            row.title,
            row.case_id,
            row.intervention_id,
            _aware(row.created_at),
            _aware(row.expires_at),
            _aware(row.closed_at) if row.closed_at else None,
            int(row.retention_days),
        )


@dataclass(frozen=True)
class Purged:
    """A session deleted because its retention period was over."""

    code: str
    title: str
    ended_at: dt.datetime
    participants: int
    submissions: int


@dataclass(frozen=True)
class Participant:
    participant: str
    alias: str
    joined_at: dt.datetime


@dataclass(frozen=True)
class Joined:
    """A participant in a session, as their own kernel knows them."""

    info: SessionInfo
    participant: str
    alias: str
    token: str  # the personal code, to show the participant and carry in their links
    new: bool  # joined just now (else: came back)


@dataclass(frozen=True)
class Submission:
    participant: str
    alias: str
    record: Record
    updated_at: dt.datetime


@dataclass(frozen=True)
class UnreadableRow:
    """A stored answer that cannot be read as a record: kept as it is, exported raw."""

    id: int
    participant: str
    alias: str
    module: str
    item: str
    answers: str
    updated_at: dt.datetime
