"""Join codes and aliases: validation and pseudonymous participant ids.

Pure and light (no database import), so every app can check a code from the URL cheaply.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read off a projector
CODE_LENGTH = 6
ALIAS_MAX = 30
#: Control, surrogate, private-use and unassigned characters are refused in aliases; format
#: characters stay allowed (emoji need the zero-width joiner) except bidi overrides (spoofing).
BAD_CATEGORIES = {"Cc", "Cs", "Co", "Cn"}
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class InputError(ValueError):
    """Participant or trainer input that is not acceptable; ``code`` names the reason."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --------------------------------------------------------------------------- validation


def normalise_code(raw: str) -> str:
    """A join code as typed (any case, spaces, dashes) in its canonical form, or InputError.

    >>> normalise_code(" k7q-2mx ")
    'K7Q2MX'
    >>> normalise_code("K7Q2M0")
    Traceback (most recent call last):
    ...
    kit.sessions.InputError: bad-code
    """
    code = re.sub(r"[\s-]", "", str(raw)).upper()
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        raise InputError("bad-code")
    return code


def normalise_alias(raw: str) -> str:
    """An alias: 1-30 printable characters, trimmed; markup is allowed (it is escaped on display).

    >>> normalise_alias("  Uil 7 ")
    'Uil 7'
    >>> normalise_alias("")
    Traceback (most recent call last):
    ...
    kit.sessions.InputError: empty-alias
    """
    alias = unicodedata.normalize("NFC", str(raw)).strip()
    if not alias:
        raise InputError("empty-alias")
    if len(alias) > ALIAS_MAX:
        raise InputError("long-alias")
    if any(unicodedata.category(ch) in BAD_CATEGORIES or ch in BIDI_CONTROLS for ch in alias):
        raise InputError("bad-alias")
    return alias


def participant_id(code: str, alias: str) -> str:
    """A pseudonymous participant id: the same code and alias give the same id (so answers come
    back after a reload), without storing anything that identifies a person beyond the alias."""
    digest = hashlib.sha256(f"{code}\x00{alias.casefold()}".encode()).hexdigest()
    return digest[:32]


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
