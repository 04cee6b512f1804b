"""Join codes and aliases: validation and pseudonymous participant ids.

Pure and light (no database import), so every app can check a code from the URL cheaply.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from enum import StrEnum

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read off a projector
CODE_LENGTH = 6
ALIAS_MAX = 30
#: A participant's personal code: shown once on joining, needed to come back on another device.
TOKEN_LENGTH = 8
#: A facilitator key: 12 characters of the same alphabet (31^12 ≈ 2^59.5), shown in groups of 4.
KEY_LENGTH = 12
#: Control, surrogate, private-use, unassigned and format characters are refused in aliases
#: (format characters include bidi overrides and zero-width spaces, used for spoofing), except
#: the zero-width joiner that emoji sequences need.
BAD_CATEGORIES = {"Cc", "Cs", "Co", "Cn", "Cf"}
ALLOWED_FORMAT = {"\u200d"}


class Problem(StrEnum):
    """Why input was refused. Each has a text for the participant or trainer (:attr:`text_key`)."""

    BAD_CODE = "bad-code"
    UNKNOWN_CODE = "unknown-code"
    CLOSED = "closed"
    EMPTY_ALIAS = "empty-alias"
    LONG_ALIAS = "long-alias"
    BAD_ALIAS = "bad-alias"
    ALIAS_TAKEN = "alias-taken"
    BAD_TOKEN = "bad-token"
    TOO_LARGE = "too-large"
    EMPTY_TITLE = "empty-title"
    LONG_TITLE = "long-title"
    BAD_KEY = "bad-key"
    TOO_MANY_TRIES = "too-many-tries"
    TOO_LATE_TO_REOPEN = "too-late-to-reopen"

    @property
    def text_key(self) -> str:
        """The ui.yaml key of the message: the trainer's problems are shown on the dashboard.

        >>> Problem.BAD_KEY.text_key, Problem.CLOSED.text_key
        ('group.error.bad-key', 'session.error.closed')
        """
        trainer = {
            Problem.EMPTY_TITLE,
            Problem.LONG_TITLE,
            Problem.BAD_KEY,
            Problem.TOO_LATE_TO_REOPEN,
        }
        return f"{'group' if self in trainer else 'session'}.error.{self.value}"


class InputError(ValueError):
    """Participant or trainer input that is not acceptable; ``code`` names the reason."""

    def __init__(self, code: Problem) -> None:
        super().__init__(code.value)
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
    return _canonical(raw, CODE_LENGTH, Problem.BAD_CODE)


def _canonical(raw: str, length: int, reason: Problem) -> str:
    """Codes are read forgivingly (case, spaces, dashes) and checked strictly."""
    text = re.sub(r"[\s-]", "", str(raw)).upper()
    if len(text) != length or any(ch not in CODE_ALPHABET for ch in text):
        raise InputError(reason)
    return text


def normalise_alias(raw: str) -> str:
    """An alias: 1-30 printable characters, trimmed; markup is allowed (it is escaped on display).

    >>> normalise_alias("  Uil 7 ")
    'Uil 7'
    >>> normalise_alias("")
    Traceback (most recent call last):
    ...
    kit.sessions.InputError: empty-alias
    """
    text = unicodedata.normalize("NFC", str(raw)).strip()
    if not text:
        raise InputError(Problem.EMPTY_ALIAS)
    if len(text) > ALIAS_MAX:
        raise InputError(Problem.LONG_ALIAS)
    if any(unicodedata.category(ch) in BAD_CATEGORIES and ch not in ALLOWED_FORMAT for ch in text):
        raise InputError(Problem.BAD_ALIAS)
    alias = " ".join(text.split())
    if not alias_key(alias):
        raise InputError(Problem.EMPTY_ALIAS)
    return alias


def alias_key(alias: str) -> str:
    """What makes two aliases the same participant: compatibility-normalised, case-folded, spaces
    collapsed and invisible joiners dropped. "Merel", " merel ", "MEREL" and "Ｍｅｒｅｌ" are one.

    >>> alias_key(" Merel  de  Vries ") == alias_key("merel de vries") == alias_key("Ｍｅｒｅｌ de VRIES")
    True
    >>> alias_key("Uil 7") == alias_key("Uil 8")
    False
    """
    text = unicodedata.normalize("NFKC", alias).casefold()
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.split())


def new_token() -> str:
    """A personal code: 8 characters from the join-code alphabet (31^8 ≈ 8.5 · 10^11)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(TOKEN_LENGTH))


def normalise_token(raw: str) -> str:
    """A personal code as typed (any case, spaces, dashes) in its canonical form, or InputError.

    >>> normalise_token("abcd-efgh")
    'ABCDEFGH'
    >>> normalise_token("abc")
    Traceback (most recent call last):
    ...
    kit.sessions.InputError: bad-token
    """
    return _canonical(raw, TOKEN_LENGTH, Problem.BAD_TOKEN)


def show_token(token: str) -> str:
    """A personal code as shown to a participant: two groups of four.

    >>> show_token("ABCDEFGH")
    'ABCD-EFGH'
    """
    return f"{token[:4]}-{token[4:]}"


def new_key() -> str:
    """A facilitator key: 12 characters without look-alikes (31^12 ≈ 7.9 · 10^17 ≈ 2^59.5)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(KEY_LENGTH))


def normalise_key(raw: str) -> str:
    """A facilitator key as typed (any case, spaces, dashes) in its canonical form, or
    InputError (then it may still be an older key, compared as typed).

    >>> normalise_key(" kx7p-m3qd w9ht ")
    'KX7PM3QDW9HT'
    """
    return _canonical(raw, KEY_LENGTH, Problem.BAD_KEY)


def show_key(key: str) -> str:
    """A facilitator key as shown to the trainer: three groups of four (an older key as it is).

    >>> show_key("KX7PM3QDW9HT"), show_key("Zx_9-old-key")
    ('KX7P-M3QD-W9HT', 'Zx_9-old-key')
    """
    try:
        key = normalise_key(key)
    except InputError:
        return key
    return "-".join(key[i : i + 4] for i in range(0, KEY_LENGTH, 4))


def token_hash(code: str, token: str) -> str:
    """How a personal code is stored: hashed with the session code (never in plain text)."""
    return hashlib.sha256(f"kit-participant\x00{code}\x00{token}".encode()).hexdigest()


def new_participant_id() -> str:
    return secrets.token_hex(16)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def short_join(link: str, code: str) -> str:
    """What a latecomer types to join: the server's address and the code, which the server sends
    on to the participant page (:data:`kit.voila_server.JOIN`); empty when the address is unknown.

    >>> short_join("http://192.168.1.20:8866/voila/render/deelnemer.ipynb?session=K7Q2MX", "K7Q2MX")
    '192.168.1.20:8866/K7Q2MX'
    >>> short_join("https://kit.example.org/kit/voila/render/deelnemer.ipynb?session=AB", "K7Q2MX")
    'kit.example.org/kit/K7Q2MX'
    >>> short_join("deelnemer.ipynb?session=K7Q2MX", "K7Q2MX")
    ''
    """
    if "://" not in link:
        return ""
    path = link.split("://", 1)[1].split("?", 1)[0]
    if "/voila/render/" not in path:
        return ""
    return f"{path.split('/voila/render/', 1)[0]}/{code}"


# --------------------------------------------------------------------------- on a hub
#: How the kit's hub service names the hub user to the page's kernel (kit/hub_service.py).
HUB_CLIENT = "hub-user:"
#: The alias suggested on a hub is "Deelnemer <n>" with n from this range: never the hub name
#: (the room sees aliases), and four digits keep two of a room of 30 apart (~95 %; a taken one
#: gives way to another).
ALIAS_NUMBERS = range(1000, 10000)


def hub_identity(client: str, on_hub_service: bool) -> str:
    """The hub user a page's kernel serves, as the kit's hub service named it, or "" off a hub.

    Only the hub service's kernels (``on_hub_service``) may trust the name: there the service
    sets it after the hub's login, whatever the browser sent, while on the kit's own server the
    client is the visitor's address.

    >>> hub_identity("hub-user:merel", True), hub_identity("hub-user:merel", False)
    ('hub-user:merel', '')
    >>> hub_identity("192.0.2.7", True), hub_identity("hub-user:", True)
    ('', '')
    """
    if on_hub_service and client.startswith(HUB_CLIENT) and len(client) > len(HUB_CLIENT):
        return client
    return ""


def hub_hash(code: str, identity: str) -> str:
    """How a session knows a hub user's participant: hashed with the session code, in another
    domain than personal codes (:func:`token_hash`), so neither can ever stand for the other.

    >>> hub_hash("K7Q2MX", "hub-user:merel") == hub_hash("K7Q2MX", "hub-user:merel")
    True
    >>> hub_hash("K7Q2MX", "hub-user:merel") in (hub_hash("K7Q2MY", "hub-user:merel"),
    ...                                          token_hash("K7Q2MX", "hub-user:merel"))
    False
    """
    return hashlib.sha256(f"kit-hub-user\x00{code}\x00{identity}".encode()).hexdigest()


def suggested_alias_number() -> int:
    """The number of an alias suggested on a hub ("Deelnemer 4821"): drawn at random, never
    derived from the hub user, so that nobody who knows the session code and the hub's user
    names (the trainer) can work out who kept the suggestion.

    >>> suggested_alias_number() in ALIAS_NUMBERS
    True
    """
    return ALIAS_NUMBERS[secrets.randbelow(len(ALIAS_NUMBERS))]
