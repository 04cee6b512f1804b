"""Sessions: created by a trainer, opened and reopened with the facilitator key, closed and
deleted."""

from __future__ import annotations

import datetime as dt
import re
import secrets

import sqlalchemy as sa

from kit.sessions import (
    CODE_LENGTH,
    InputError,
    Problem,
    new_code,
    new_key,
    normalise_code,
    show_key,
)
from kit.storage import keys
from kit.storage.base import StorageError
from kit.storage.guesses import GuessLimits, key_subject
from kit.storage.records import SessionInfo
from kit.storage.schema import participants, retention_days, sessions, submissions
from kit.text import TooLong, clean

#: Days a new session takes answers.
DEFAULT_DAYS = 7
TITLE_MAX = 120


def clean_title(raw: object) -> str:
    """A session title by the kit's one rule for free text (:func:`kit.text.clean`): control
    characters (NUL too, which PostgreSQL refuses) go, white space is collapsed; an empty or too
    long title is refused as the trainer's input, never as a store failure.

    >>> clean_title(" Buurt\\x00team\\x1b  Utrecht ")
    'Buurtteam Utrecht'
    """
    try:
        title = clean(raw, TITLE_MAX)
    except TooLong:
        raise InputError(Problem.LONG_TITLE) from None
    if not title:
        raise InputError(Problem.EMPTY_TITLE)
    return title


class Sessions(GuessLimits):
    def create_session(
        self,
        title: str,
        case_id: str | None = None,
        intervention_id: str | None = None,
        days: int = DEFAULT_DAYS,
        keep_days: int | None = None,
    ) -> tuple[SessionInfo, str]:
        """Create a session; returns it and the facilitator key (``KX7P-M3QD-W9HT``; stored
        hashed, so the trainer keeps it)."""
        title = clean_title(title)
        key = show_key(new_key())
        salt = secrets.token_hex(16)
        now = self.clock()
        keep = retention_days() if keep_days is None else keep_days
        for _ in range(20):
            code = new_code()
            try:
                with self._tx(write=True) as conn:
                    conn.execute(
                        sessions.insert().values(
                            code=code,
                            title=title,
                            case_id=case_id,
                            intervention_id=intervention_id,
                            key_salt=salt,
                            key_hash=keys._hash_key(normalise_key_form(key), salt),
                            created_at=now,
                            expires_at=now + dt.timedelta(days=days),
                            retention_days=keep,
                        )
                    )
            except StorageError as exc:
                if isinstance(exc.__cause__, sa.exc.IntegrityError):
                    continue  # code already taken: draw another
                raise
            info = SessionInfo(
                code,
                title,
                case_id,
                intervention_id,
                now,
                now + dt.timedelta(days=days),
                None,
                keep,
            )
            self.backup(force=True)  # a copy with the new session in it
            return info, key
        raise StorageError("no free join code found")

    def session(self, code: str) -> SessionInfo | None:
        code = normalise_code(code)
        with self._tx() as conn:
            row = conn.execute(sa.select(sessions).where(sessions.c.code == code)).first()
        return None if row is None else SessionInfo.from_row(row)

    def check_key(self, code: str, key: str) -> bool:
        """Whether ``key`` is the facilitator key of session ``code`` (constant-time compare;
        case, spaces and dashes do not matter for a key of the new kind)."""
        try:
            code = normalise_code(code)
        except InputError:
            return False
        with self._tx() as conn:
            row = conn.execute(
                sa.select(sessions.c.key_salt, sessions.c.key_hash).where(sessions.c.code == code)
            ).first()
        # Hashed even when there is no such session: a wrong key takes as long either way, so
        # the answer's timing does not tell whether the session exists.
        salt, stored = (row.key_salt, row.key_hash) if row is not None else (keys._DUMMY_SALT, "")
        return keys.key_matches(str(key), salt, stored) and row is not None

    def _guard_key(self, code: str, key: str, client: str) -> SessionInfo:
        """The session, when ``key`` is its key; limited per session code and client address,
        and the same refusal (BAD_KEY) for an unknown code and a wrong key."""
        typed = re.sub(r"[\s-]", "", str(code)).upper()[:CODE_LENGTH]
        subjects = [key_subject(typed, client)]
        self._refuse_if_throttled(subjects)
        info = self.session(code) if self.check_key(code, key) else None
        if info is None:
            self._failed(subjects)
            raise InputError(Problem.BAD_KEY)
        return info

    def open_session(self, code: str, key: str, client: str = "") -> SessionInfo:
        """The trainer comes back to a session with its key (see :meth:`_guard_key`)."""
        return self._guard_key(code, key, client)

    def reopen_session(self, code: str, key: str, client: str = "") -> SessionInfo:
        """Take answers again in a closed (or expired) session, while its retention period
        lasts: closing is undone, and an expired session runs :data:`DEFAULT_DAYS` more days.
        After the retention period: InputError TOO_LATE_TO_REOPEN."""
        info = self._guard_key(code, key, client)
        now = self.clock()
        if now >= info.delete_after:
            raise InputError(Problem.TOO_LATE_TO_REOPEN)
        values: dict[str, object] = {"closed_at": None}
        if info.expires_at <= now:
            values["expires_at"] = now + dt.timedelta(days=DEFAULT_DAYS)
        with self._tx(write=True) as conn:
            conn.execute(sessions.update().where(sessions.c.code == info.code).values(**values))
        reopened = self.session(info.code)
        if reopened is None:  # deleted a moment ago
            raise InputError(Problem.BAD_KEY)
        return reopened

    @staticmethod
    def _require_open(conn: sa.Connection, code: str) -> None:
        """InputError CLOSED unless session ``code`` exists and is open: a closed (or deleted)
        session takes no more answers, votes or hand-ins (the trainer froze the data). Called
        inside the writing transaction, so the check and the write see the same row."""
        row = conn.execute(sa.select(sessions.c.closed_at).where(sessions.c.code == code)).first()
        if row is None or row[0] is not None:
            raise InputError(Problem.CLOSED)

    def _require_key(self, code: str, key: str) -> str:
        if not self.check_key(code, key):
            raise InputError(Problem.BAD_KEY)
        return normalise_code(code)

    def close_session(self, code: str, key: str) -> None:
        code = self._require_key(code, key)
        with self._tx(write=True) as conn:
            conn.execute(
                sessions.update().where(sessions.c.code == code).values(closed_at=self.clock())
            )

    def delete_session(self, code: str, key: str) -> int:
        """Delete a session and every submission in it; returns how many submissions went."""
        code = self._require_key(code, key)
        with self._tx(write=True) as conn:
            gone = conn.execute(
                submissions.delete().where(submissions.c.session_code == code)
            ).rowcount
            conn.execute(participants.delete().where(participants.c.session_code == code))
            conn.execute(sessions.delete().where(sessions.c.code == code))
        return int(gone or 0)


def normalise_key_form(key: str) -> str:
    """The form a new key is hashed in (canonical: no dashes, upper case)."""
    return re.sub(r"[\s-]", "", key).upper()
