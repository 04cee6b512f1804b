"""Facilitator keys: stored as salted scrypt hashes, compared in constant time.

Keys made since schema 5's kit are 12 characters of the join-code alphabet (no look-alikes),
shown as ``KX7P-M3QD-W9HT`` and read forgivingly (:func:`kit.sessions.normalise_key`); older
sessions keep their ``secrets.token_urlsafe`` keys, which are compared exactly as typed.
"""

from __future__ import annotations

import hashlib
import hmac

from kit.sessions import InputError, normalise_key

_DUMMY_SALT = "00" * 16


def _hash_key(key: str, salt: str) -> str:
    return hashlib.scrypt(key.encode(), salt=bytes.fromhex(salt), n=2**14, r=8, p=1).hex()


def key_matches(typed: str, salt: str, stored: str) -> bool:
    """Whether ``typed`` is the key hashed as ``stored``: in its canonical form (a key of the
    new kind, read forgivingly) or exactly as typed, trimmed (an older key). The same hashing
    work whether or not ``stored`` exists (pass ``_DUMMY_SALT`` and ``""``)."""
    raw = str(typed).strip()
    try:
        forms = [normalise_key(raw)]
    except InputError:
        forms = []
    if raw not in forms:
        forms.append(raw)
    right = False
    for form in forms:
        right |= hmac.compare_digest(_hash_key(form, salt), stored)
    return right and bool(raw)
