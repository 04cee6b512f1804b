"""Participants: joining a session, coming back with the personal code, and who joined.

Wrong codes are counted by :mod:`kit.storage.guesses` per guesser: a right personal code is never
refused because someone else guessed, and a new alias can always join an open session.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable

import sqlalchemy as sa

from kit.sessions import (
    InputError,
    Problem,
    alias_key,
    new_participant_id,
    new_token,
    normalise_alias,
    normalise_code,
    normalise_token,
    token_hash,
)
from kit.storage.base import StorageError, _aware, _now
from kit.storage.guesses import Subject, address_subject, alias_subject, link_subject
from kit.storage.lifecycle import Sessions
from kit.storage.records import Joined, Participant, SessionInfo
from kit.storage.schema import participants


class People(Sessions):
    def _known_session(self, code: str, client: str) -> SessionInfo:
        """The session ``code``; an unknown code counts against the client address, and an
        address over its limit is refused before the code is looked up."""
        subjects = [address_subject(client)]
        self._refuse_if_throttled(subjects)
        info = self.session(code)
        if info is None:
            self._failed(subjects)
            raise InputError(Problem.UNKNOWN_CODE)
        return info

    def public_session(self, code: str, client: str = "") -> SessionInfo | None:
        """A session for the presenter view, which anyone may open: like joining, an unknown
        code counts against the client address and an address over its limit gets
        TOO_MANY_TRIES. None for an unknown code."""
        try:
            return self._known_session(normalise_code(code), client)
        except InputError as exc:
            if exc.code == Problem.UNKNOWN_CODE:
                return None
            raise

    def join(self, code: str, alias: str, token: str = "", client: str = "") -> Joined:
        """Join a session under an alias, or come back to it with alias and personal code.

        A new alias gets a new participant and personal code. An alias already in the session
        (compared case-, space- and Unicode-insensitively) is only given back with its personal
        code: knowing someone's alias is not enough to act as them. An unknown session code
        counts against the client address; a wrong personal code against this alias from this
        address only (:mod:`kit.storage.guesses`).
        """
        code, alias = normalise_code(code), normalise_alias(alias)
        info = self._known_session(code, client)
        key = alias_key(alias)
        with self._tx() as conn:
            row = conn.execute(
                sa.select(participants)
                .where(participants.c.session_code == code)
                .where(participants.c.alias_key == key)
            ).first()
        if row is not None:
            if not token.strip():
                raise InputError(Problem.ALIAS_TAKEN)
            stored = row.token_hash

            def check(clean: str) -> bool:
                return stored is not None and hmac.compare_digest(token_hash(code, clean), stored)

            clean = self._personal_code(token, check, alias_subject(code, key, client))
            return Joined(info, row.participant, row.alias, clean, False)
        if not info.open:
            raise InputError(Problem.CLOSED)
        new = new_token()
        pid = new_participant_id()
        try:
            with self._tx(write=True) as conn:
                conn.execute(
                    participants.insert().values(
                        session_code=code,
                        participant=pid,
                        alias=alias,
                        alias_key=key,
                        token_hash=token_hash(code, new),
                        joined_at=_now(),
                    )
                )
        except StorageError as exc:
            if isinstance(exc.__cause__, sa.exc.IntegrityError):
                raise InputError(Problem.ALIAS_TAKEN) from exc  # someone took it a moment ago
            raise
        return Joined(info, pid, alias, new, True)

    def _personal_code(self, token: str, right: Callable[[str], bool], subject: Subject) -> str:
        """The canonical personal code when ``right`` accepts it; a wrong one is counted
        against ``subject`` (only the guesser's own), which is refused over its limit."""
        self._refuse_if_throttled([subject])
        clean = normalise_token(token)  # a code of the wrong form is a typo, not a guess
        if not right(clean):
            self._failed([subject])
            raise InputError(Problem.BAD_TOKEN)
        return clean

    def rejoin(self, code: str, token: str, client: str = "") -> Joined:
        """Come back with the personal code alone (it travels in the participant's own links)."""
        code = normalise_code(code)
        info = self._known_session(code, client)
        found: list[tuple[str, str]] = []

        def check(clean: str) -> bool:
            with self._tx() as conn:
                row = conn.execute(
                    sa.select(participants.c.participant, participants.c.alias)
                    .where(participants.c.session_code == code)
                    .where(participants.c.token_hash == token_hash(code, clean))
                ).first()
            if row is not None:
                found.append((row.participant, row.alias))
            return row is not None

        clean = self._personal_code(token, check, link_subject(code, client))
        participant, alias = found[0]
        return Joined(info, participant, alias, clean, False)

    def participants(self, code: str, key: str) -> list[Participant]:
        """Everyone who joined, in the order they joined: for the facilitator only."""
        code = self._require_key(code, key)
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(participants)
                .where(participants.c.session_code == code)
                .order_by(participants.c.joined_at, participants.c.alias_key)
            ).all()
        return [Participant(r.participant, r.alias, _aware(r.joined_at)) for r in rows]

    def participant_count(self, code: str) -> int:
        """How many joined: the one number the public presenter view shows."""
        code = normalise_code(code)
        with self._tx() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.count())
                    .select_from(participants)
                    .where(participants.c.session_code == code)
                ).scalar_one()
            )
