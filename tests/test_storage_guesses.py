"""Guess limits and facilitator keys in the store (issue 21, items 4 and 11): wrong codes are
limited per guesser, so nobody's guessing locks out the real participant, a new participant or
the trainer."""

from __future__ import annotations

import datetime as dt
import math
import re
import secrets

import pytest
import sqlalchemy as sa

from kit import storage
from kit.sessions import (
    CODE_ALPHABET,
    CODE_LENGTH,
    KEY_LENGTH,
    TOKEN_LENGTH,
    InputError,
    Problem,
    new_token,
)
from kit.storage import Store
from kit.storage import keys as key_module


def wrong_token(right: str) -> str:
    while True:
        guess = new_token()
        if guess != right:
            return guess


def test_wrong_personal_codes_from_elsewhere_lock_nobody_out(db_url: str) -> None:
    """The walkthrough's attack: 100 wrong personal codes for one participant from 4 addresses.
    Her reload, her new device with the right code and a brand-new participant all get in."""
    store = Store(db_url)
    info, _ = store.create_session("Raden")
    merel = store.join(info.code, "Merel", client="192.0.2.10")
    attackers = [f"198.51.100.{n}" for n in range(4)]
    for n in range(100):
        with pytest.raises(InputError) as refused:
            store.join(info.code, "merel", wrong_token(merel.token), client=attackers[n % 4])
        assert refused.value.code in (Problem.BAD_TOKEN, Problem.TOO_MANY_TRIES)
    for n in range(40):
        with pytest.raises(InputError):
            store.rejoin(info.code, wrong_token(merel.token), client=attackers[n % 4])
    # Her reload (the personal code from her own link), from her own address:
    assert (
        store.rejoin(info.code, merel.token, client="192.0.2.10").participant == merel.participant
    )
    # her new device, by alias and personal code, from another address:
    again = store.join(info.code, "MEREL", merel.token.lower(), client="203.0.113.5")
    assert again.participant == merel.participant and not again.new
    # a brand-new participant, also from an attacker's address:
    assert store.join(info.code, "Vos", client=attackers[0]).new
    assert store.join(info.code, "Das", client="203.0.113.6").new
    store.dispose()


def test_an_address_that_guessed_others_codes_still_comes_back_with_its_own(db_url: str) -> None:
    """One address (a school's Wi-Fi) with 30 wrong personal codes for other aliases: its own
    participant's right code is not refused."""
    store = Store(db_url)
    info, _ = store.create_session("Raden")
    wifi = "192.0.2.99"
    uil = store.join(info.code, "Uil", client=wifi)
    others = [store.join(info.code, f"Deelnemer {n}", client="192.0.2.1") for n in range(4)]
    for n in range(30):
        target = others[n % 4]
        with pytest.raises(InputError, match="bad-token"):
            store.join(info.code, target.alias, wrong_token(target.token), client=wifi)
    assert store.rejoin(info.code, uil.token, client=wifi).participant == uil.participant
    assert store.join(info.code, "uil", uil.token, client=wifi).participant == uil.participant
    assert store.join(info.code, "Nieuw", client=wifi).new
    store.dispose()


def test_guessing_one_alias_is_limited_per_address(db_url: str) -> None:
    """The guesser's own attempts at one alias are limited: over the limit even the right code
    is refused from that address (it cannot tell a guess from a lucky guess), until the window
    has passed; the same participant elsewhere is not."""
    store = Store(db_url)
    info, _ = store.create_session("Raden")
    merel = store.join(info.code, "Merel")
    for _ in range(storage.LIMITS["alias"]):
        with pytest.raises(InputError, match="bad-token"):
            store.join(info.code, "Merel", wrong_token(merel.token), client="198.51.100.1")
    with pytest.raises(InputError, match="too-many-tries"):
        store.join(info.code, "Merel", merel.token, client="198.51.100.1")
    # Typos of the wrong form (too short, a look-alike) are not guesses and do not count.
    with pytest.raises(InputError, match="bad-token"):
        store.join(info.code, "Merel", "ABC", client="198.51.100.2")
    assert store.join(info.code, "Merel", merel.token, client="198.51.100.2").alias == "Merel"
    # Other aliases from the guessing address are not affected.
    assert store.join(info.code, "Vos", client="198.51.100.1").new
    # After the window the count is gone.
    past = storage._now() - storage.ATTEMPT_WINDOW - dt.timedelta(seconds=1)
    with store.engine.begin() as conn:
        conn.execute(sa.update(storage.attempts).values(at=past))
    assert store.join(info.code, "Merel", merel.token, client="198.51.100.1").alias == "Merel"
    store.dispose()


def test_personal_codes_without_an_alias_are_limited_per_session_and_address(db_url: str) -> None:
    store = Store(db_url)
    info, _ = store.create_session("Raden")
    other, _ = store.create_session("Andere sessie")
    merel = store.join(info.code, "Merel")
    vos = store.join(other.code, "Vos")
    for _ in range(storage.LIMITS["link"]):
        with pytest.raises(InputError, match="bad-token"):
            store.rejoin(info.code, wrong_token(merel.token), client="198.51.100.1")
    with pytest.raises(InputError, match="too-many-tries"):
        store.rejoin(info.code, merel.token, client="198.51.100.1")
    assert store.rejoin(info.code, merel.token, client="192.0.2.10").alias == "Merel"
    assert store.rejoin(other.code, vos.token, client="198.51.100.1").alias == "Vos"
    store.dispose()


def test_wrong_join_codes_are_limited_per_address(db_url: str) -> None:
    store = Store(db_url)
    info, _ = store.create_session("Raden")
    for i in range(storage.LIMITS["code"]):
        with pytest.raises(InputError, match="unknown-code"):
            store.join(
                f"ZZZZ{CODE_ALPHABET[i // 31]}{CODE_ALPHABET[i % 31]}", "Gok", client="192.0.2.66"
            )
    # The address is now refused, even with the right code (or the lookups would tell which
    # codes exist); another address is not.
    with pytest.raises(InputError, match="too-many-tries"):
        store.join(info.code, "Gok", client="192.0.2.66")
    assert store.join(info.code, "Echt", client="192.0.2.7").new
    # Other kernels (another Store on the same database) see the same count.
    other = Store(db_url)
    with pytest.raises(InputError, match="too-many-tries"):
        other.join(info.code, "Gok", client="192.0.2.66")
    with pytest.raises(InputError, match="too-many-tries"):
        other.public_session(info.code, client="192.0.2.66")
    # Addresses and aliases are not stored as they are.
    with pytest.raises(InputError):
        store.join(info.code, "Echt", "ABCDEFGH", client="192.0.2.8")
    with store.engine.connect() as conn:
        subjects = [r.subject for r in conn.execute(sa.select(storage.attempts))]
    assert subjects and not any("192.0.2" in s or "echt" in s.lower() for s in subjects)
    other.dispose()
    store.dispose()


def test_the_presenter_lookup_counts_unknown_codes(db_url: str) -> None:
    """Issue 21 item 13: the presenter view's code lookup is limited like joining."""
    store = Store(db_url)
    info, _ = store.create_session("Op het scherm")
    assert store.public_session(info.code.lower(), client="192.0.2.1") == store.session(info.code)
    for i in range(storage.LIMITS["code"]):
        assert (
            store.public_session(
                f"YYYY{CODE_ALPHABET[i // 31]}{CODE_ALPHABET[i % 31]}", client="192.0.2.2"
            )
            is None
        )
    with pytest.raises(InputError, match="too-many-tries"):
        store.public_session(info.code, client="192.0.2.2")
    # The same count as joining: the address cannot join with a guessed code either.
    with pytest.raises(InputError, match="too-many-tries"):
        store.join(info.code, "Gok", client="192.0.2.2")
    assert store.public_session(info.code, client="192.0.2.1") is not None
    store.dispose()


# --------------------------------------------------------------------------- facilitator keys


def test_keys_are_grouped_without_look_alikes_and_read_forgivingly(db_url: str) -> None:
    store = Store(db_url)
    info, key = store.create_session("Sleutel")
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", key), key
    plain = key.replace("-", "")
    assert len(plain) == KEY_LENGTH and set(plain) <= set(CODE_ALPHABET)
    assert not set(plain) & set("01ILO")
    for typed in (key, plain, plain.lower(), f" {key.lower()} ", " ".join(key.split("-"))):
        assert store.check_key(info.code, typed), typed
        assert store.open_session(info.code, typed).code == info.code
    assert not store.check_key(info.code, plain[:-1] + ("A" if plain[-1] != "A" else "B"))
    assert not store.check_key(info.code, "")
    store.dispose()


def test_keys_of_existing_sessions_keep_working(db_url: str) -> None:
    """Sessions made before the new keys have a ``token_urlsafe`` key, compared as typed."""
    store = Store(db_url)
    info, _ = store.create_session("Oud")
    old_key = "Ab-9_xYz-0lIO1k-"  # dashes, underscore, both cases, look-alikes
    salt = secrets.token_hex(16)
    with store.engine.begin() as conn:
        conn.execute(
            sa.update(storage.sessions)
            .where(storage.sessions.c.code == info.code)
            .values(key_salt=salt, key_hash=key_module._hash_key(old_key, salt))
        )
    assert store.check_key(info.code, old_key)
    assert store.check_key(info.code, f" {old_key} ")
    assert not store.check_key(info.code, old_key.lower())
    assert store.participants(info.code, old_key) == []
    store.dispose()


def test_a_wrong_key_says_nothing_about_the_session(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(db_url)
    info, _ = store.create_session("Sleutel")
    for code in (info.code, "ZZZZZZ", "nonsense"):
        with pytest.raises(InputError) as refused:
            store.open_session(code, "wrong-key-guess", client=f"192.0.2.{len(code)}")
        assert refused.value.code == Problem.BAD_KEY
    # Timing: an unknown code costs the same key hashing (the slow part) as a wrong key for a
    # real session. Counted, not timed: a clock in a test measures the machine's load.
    hashed: list[str] = []
    real_hash = key_module._hash_key
    monkeypatch.setattr(key_module, "_hash_key", lambda k, s: hashed.append(s) or real_hash(k, s))
    for typed in ("wrong", "WRNG-WRNG-WRNG"):
        hashed.clear()
        assert not store.check_key(info.code, typed)
        n = len(hashed)
        assert n >= 1 and set(hashed) == {hashed[0]} != {storage._DUMMY_SALT}
        assert not store.check_key("ZZZZZZ", typed)
        assert len(hashed) == 2 * n and set(hashed[n:]) == {storage._DUMMY_SALT}
    store.dispose()


def test_wrong_keys_are_limited_per_session_and_address(db_url: str) -> None:
    """A misread key counts against the one who typed it: the trainer at another address is
    never refused because someone guessed (issue 21 item 4)."""
    store = Store(db_url)
    info, key = store.create_session("Sleutel")
    for n in range(storage.LIMITS["key"]):
        with pytest.raises(InputError, match="bad-key"):
            store.open_session(info.code, f"guess-{n}", client="198.51.100.1")
    with pytest.raises(InputError, match="too-many-tries"):
        store.open_session(info.code, key, client="198.51.100.1")
    with pytest.raises(InputError, match="too-many-tries"):
        store.reopen_session(info.code, key, client="198.51.100.1")
    assert store.open_session(info.code, key, client="203.0.113.9").code == info.code
    # ...and after the window they count no more.
    past = storage._now() - storage.ATTEMPT_WINDOW - dt.timedelta(seconds=1)
    with store.engine.begin() as conn:
        conn.execute(sa.update(storage.attempts).values(at=past))
    assert store.open_session(info.code, key, client="198.51.100.1").code == info.code
    store.dispose()


def test_guess_space() -> None:
    """The numbers docs/hosting.md states."""
    per_day = dt.timedelta(days=1) / storage.ATTEMPT_WINDOW
    assert len(CODE_ALPHABET) ** CODE_LENGTH == 887_503_681
    assert round(math.log2(len(CODE_ALPHABET) ** CODE_LENGTH), 1) == 29.7
    assert round(math.log2(len(CODE_ALPHABET) ** TOKEN_LENGTH), 1) == 39.6
    assert round(math.log2(len(CODE_ALPHABET) ** KEY_LENGTH), 1) == 59.5
    assert storage.LIMITS == {"code": 50, "alias": 10, "link": 10, "key": 10}
    assert storage.LIMITS["code"] * per_day == 4800
    # ...so with 100 sessions open, one address hits one in about 1,850 days.
    assert round(len(CODE_ALPHABET) ** CODE_LENGTH / (4800 * 100), -1) == 1850
    assert storage.LIMITS["alias"] * per_day == 960
    # One address against a session of 30: 960 guesses a day at each alias (each hits one
    # code) and 960 by link (each hits any of the 30): about 1 in 14.8 million a day.
    hits_per_day = (30 * storage.LIMITS["alias"] + storage.LIMITS["link"] * 30) * per_day
    assert round(len(CODE_ALPHABET) ** TOKEN_LENGTH / hits_per_day / 1e6, 1) == 14.8


def test_an_address_over_its_join_code_limit_still_comes_back_with_the_right_code(
    db_url: str,
) -> None:
    """Someone behind the room's one address typed 50 wrong join codes: the participants
    behind it still come back (reload and new device), while the address learns nothing more
    about which sessions exist."""
    store = Store(db_url)
    info, _ = store.create_session("Raden")
    wifi = "192.0.2.200"
    merel = store.join(info.code, "Merel", client=wifi)
    for i in range(storage.LIMITS["code"]):
        with pytest.raises(InputError, match="unknown-code"):
            store.join(f"XXXX{CODE_ALPHABET[i // 31]}{CODE_ALPHABET[i % 31]}", "Gok", client=wifi)
    assert store.rejoin(info.code, merel.token, client=wifi).participant == merel.participant
    again = store.join(info.code, "merel", merel.token, client=wifi)
    assert again.participant == merel.participant and not again.new
    # Anything but a right personal code gets one answer, whether the session exists or not.
    for code, alias in ((info.code, "Merel"), (info.code, "Nieuw"), ("XXXXZZ", "Merel")):
        with pytest.raises(InputError, match="too-many-tries"):
            store.join(code, alias, wrong_token(merel.token), client=wifi)
    store.dispose()


def test_coming_back_by_link_tells_nothing_about_which_sessions_exist(db_url: str) -> None:
    store = Store(db_url)
    info, _ = store.create_session("Bestaat")
    for code in (info.code, "XXXXZZ"):
        with pytest.raises(InputError) as refused:
            store.rejoin(code, "ABCD-EFGH", client="198.51.100.3")
        assert refused.value.code == Problem.BAD_TOKEN
    store.dispose()
