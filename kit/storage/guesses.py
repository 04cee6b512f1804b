"""Guess limits: wrong codes and keys are counted in the database, per guesser, not per session.

Every participant's page is a kernel of its own, so the counts live in ``kit_attempts`` and hold
across kernels and restarts. What is counted, and why so (docs/hosting.md has the odds):

* ``code``: unknown join codes (and unknown codes on the presenter view), per client address:
  :data:`LIMITS` ``["code"]`` in :data:`ATTEMPT_WINDOW`. A join code is the only secret of a
  session, so an address over its limit is refused before any code is looked up.
* ``alias``: wrong personal codes for one alias of one session, per client address. Someone
  else's wrong guesses (from another address, or for another alias) never stop the real
  participant coming back, and nothing stops a new participant joining.
* ``link``: wrong personal codes without an alias (the participant's own link), per session and
  client address.
* ``key``: wrong facilitator keys for one session code, per client address, so a misread key of
  one trainer, or someone guessing, never locks out the trainer at another address.

Subjects are hashed: neither the client address nor the alias is stored as it is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

import sqlalchemy as sa

from kit.sessions import InputError, Problem
from kit.storage.base import StoreBase, _now
from kit.storage.schema import attempts

log = logging.getLogger("kit")

#: How far back failed attempts count.
ATTEMPT_WINDOW = dt.timedelta(minutes=15)
#: Failed attempts a subject may have in :data:`ATTEMPT_WINDOW`. ``code`` is shared by everyone
#: behind one address (a school's Wi-Fi), so it leaves room for a room's typos; the others count
#: one guesser's attempts at one alias, session or key.
LIMITS = {"code": 50, "alias": 10, "link": 10, "key": 10}

Subject = tuple[str, int]


def _hashed(kind: str, *parts: str) -> str:
    digest = hashlib.sha256("\x00".join(("kit-guess", kind, *parts)).encode()).hexdigest()
    return f"{kind}:{digest[:32]}"


def address_subject(address: str) -> Subject:
    """Unknown join codes from one client address (hashed: an address is personal data)."""
    return _hashed("code", address), LIMITS["code"]


def alias_subject(code: str, alias_key: str, address: str) -> Subject:
    """Wrong personal codes for one alias of a session from one client address."""
    return _hashed("alias", code, alias_key, address), LIMITS["alias"]


def link_subject(code: str, address: str) -> Subject:
    """Wrong personal codes without an alias, in one session, from one client address."""
    return _hashed("link", code, address), LIMITS["link"]


def key_subject(code: str, address: str) -> Subject:
    """Wrong facilitator keys for one session code from one client address."""
    return _hashed("key", code, address), LIMITS["key"]


class GuessLimits(StoreBase):
    """Counting failures and refusing a subject with too many."""

    def _refuse_if_throttled(self, subjects: list[Subject]) -> None:
        since = _now() - ATTEMPT_WINDOW
        with self._tx() as conn:
            for subject, limit in subjects:
                n = conn.execute(
                    sa.select(sa.func.count())
                    .select_from(attempts)
                    .where(attempts.c.subject == subject)
                    .where(attempts.c.at > since)
                ).scalar_one()
                if n >= limit:
                    log.warning("too many failed attempts for %s: refused", subject)
                    raise InputError(Problem.TOO_MANY_TRIES)

    def _failed(self, subjects: list[Subject]) -> None:
        now = _now()
        with self._tx(write=True) as conn:
            conn.execute(attempts.delete().where(attempts.c.at <= now - ATTEMPT_WINDOW))
            for subject, _ in subjects:
                conn.execute(attempts.insert().values(subject=subject, at=now))
