"""Participants: joining a session, coming back with the personal code, and who joined.

Wrong codes are counted by :mod:`kit.storage.guesses` per guesser: a right personal code is never
refused because someone else guessed, and a new alias can always join an open session.

On a hub (kit/hub_service.py) a participant is the hub user instead: :meth:`People.join_hub`
stores :func:`kit.sessions.hub_hash` where a personal code's hash would be (a hash of another
domain: no personal code can match it, so nobody comes back as a hub user's participant with a
code), and the same hub user is the same participant on every device.
"""

from __future__ import annotations

import hmac

import sqlalchemy as sa

from kit.sessions import (
    InputError,
    Problem,
    alias_key,
    hub_hash,
    new_participant_id,
    new_token,
    normalise_alias,
    normalise_code,
    normalise_token,
    token_hash,
)
from kit.storage.base import StorageError, _aware
from kit.storage.guesses import address_subject, alias_subject, link_subject
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
        address only (:mod:`kit.storage.guesses`). A right personal code is never refused for
        someone else's guesses, not even from an address over its join-code limit.
        """
        code, alias = normalise_code(code), normalise_alias(alias)
        key = alias_key(alias)
        if token.strip():
            back = self._come_back(code, key, token, client)
            if back is not None:
                return back
        info = self._known_session(code, client)
        new = new_token()
        # (An alias taken with a personal code: _come_back answered.)
        pid = self._new_participant(info, alias, key, token_hash(code, new))
        return Joined(info, pid, alias, new, True)

    def _new_participant(self, info: SessionInfo, alias: str, key: str, identity: str) -> str:
        """A new participant in the open session ``info`` under an alias no one there has, known
        by the hash ``identity`` (of a personal code, or of a hub user); returns its id."""
        code = info.code
        with self._tx() as conn:
            taken = conn.execute(
                sa.select(participants.c.participant)
                .where(participants.c.session_code == code)
                .where(participants.c.alias_key == key)
            ).first()
        if taken is not None:
            raise InputError(Problem.ALIAS_TAKEN)
        if not info.open_at(self.clock()):
            raise InputError(Problem.CLOSED)
        pid = new_participant_id()
        try:
            with self._tx(write=True) as conn:
                conn.execute(
                    participants.insert().values(
                        session_code=code,
                        participant=pid,
                        alias=alias,
                        alias_key=key,
                        token_hash=identity,
                        joined_at=self.clock(),
                    )
                )
        except StorageError as exc:
            if isinstance(exc.__cause__, sa.exc.IntegrityError):
                raise InputError(Problem.ALIAS_TAKEN) from exc  # someone took it a moment ago
            raise
        return pid

    def _come_back(self, code: str, key: str, token: str, client: str) -> Joined | None:
        """Alias and personal code: the participant, or None when the alias is not in the
        session (then it is a new participant's join). Limited per alias and address only; a
        wrong code from an address over its join-code limit gets the same refusal as an unknown
        session would, so it tells nothing about which sessions exist."""
        subject = alias_subject(code, key, client)
        self._refuse_if_throttled([subject])
        clean = normalise_token(token)  # a code of the wrong form is a typo, not a guess
        with self._tx() as conn:
            row = conn.execute(
                sa.select(participants)
                .where(participants.c.session_code == code)
                .where(participants.c.alias_key == key)
            ).first()
        if row is None:
            return None
        stored = row.token_hash
        if stored is not None and hmac.compare_digest(token_hash(code, clean), stored):
            info = self.session(code)
            if info is not None:
                return Joined(info, row.participant, row.alias, clean, False)
        self._failed([subject])
        self._refuse_if_throttled([address_subject(client)])
        raise InputError(Problem.BAD_TOKEN)

    def rejoin(self, code: str, token: str, client: str = "") -> Joined:
        """Come back with the personal code alone (it travels in the participant's own links).
        Limited per session and client address only; a code of a session that does not exist
        gets the same answer as a wrong personal code (BAD_TOKEN), so it tells nothing about
        which sessions exist, and a participant's reload is never refused for someone else's
        guesses."""
        code = normalise_code(code)
        subject = link_subject(code, client)
        self._refuse_if_throttled([subject])
        clean = normalise_token(token)  # a code of the wrong form is a typo, not a guess
        with self._tx() as conn:
            row = conn.execute(
                sa.select(participants.c.participant, participants.c.alias)
                .where(participants.c.session_code == code)
                .where(participants.c.token_hash == token_hash(code, clean))
            ).first()
        info = self.session(code) if row is not None else None
        if row is None or info is None:
            self._failed([subject])
            raise InputError(Problem.BAD_TOKEN)
        return Joined(info, row.participant, row.alias, clean, False)

    def hub_participant(self, code: str, identity: str) -> Joined | None:
        """The hub user ``identity``'s participant in session ``code`` (the first, should two
        devices have joined at the same moment), or None if she has not joined it."""
        code = normalise_code(code)
        with self._tx() as conn:
            row = conn.execute(
                sa.select(participants.c.participant, participants.c.alias)
                .where(participants.c.session_code == code)
                .where(participants.c.token_hash == hub_hash(code, identity))
                .order_by(participants.c.joined_at, participants.c.participant)
            ).first()
        info = self.session(code) if row is not None else None
        if row is None or info is None:
            return None
        return Joined(info, row.participant, row.alias, "", False)

    def join_hub(self, code: str, alias: str, identity: str) -> Joined:
        """Join as the hub user ``identity`` (kit/hub_service.py vouches for it): no personal
        code; a hub user who joined before gets her participant back, under the alias she has.
        An unknown session code counts against the hub user."""
        code, alias = normalise_code(code), normalise_alias(alias)
        if not identity:
            raise ValueError("join_hub needs the hub user")
        back = self.hub_participant(code, identity)
        if back is not None:
            return back
        info = self._known_session(code, identity)
        try:
            pid = self._new_participant(info, alias, alias_key(alias), hub_hash(code, identity))
        except InputError as exc:  # her other device took the alias a moment ago?
            back = self.hub_participant(code, identity)
            if exc.code == Problem.ALIAS_TAKEN and back is not None:
                return back
            raise
        # Two devices of one hub user joining at the same moment: both keep the first.
        first = self.hub_participant(code, identity)
        if first is not None and first.participant != pid:
            with self._tx(write=True) as conn:
                conn.execute(
                    participants.delete()
                    .where(participants.c.session_code == code)
                    .where(participants.c.participant == pid)
                )
            return first
        return Joined(info, pid, alias, "", True)

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
