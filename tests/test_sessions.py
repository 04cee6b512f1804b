"""Join codes, aliases and personal codes: what a participant may type and what is stored."""

from __future__ import annotations

import hashlib

import pytest

from kit import sessions
from kit.sessions import (
    CODE_ALPHABET,
    InputError,
    alias_key,
    normalise_alias,
    normalise_code,
    normalise_token,
    show_token,
    token_hash,
)


def refused(fn: object, raw: str) -> str:
    """The reason code ``fn`` refuses ``raw`` with (fails if it is accepted)."""
    assert callable(fn)
    with pytest.raises(InputError) as raised:
        fn(raw)
    assert str(raised.value) == raised.value.code  # the message is the reason code
    return str(raised.value.code)


# --------------------------------------------------------------------------- join codes


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("K7Q2MX", "K7Q2MX"),
        ("k7q2mx", "K7Q2MX"),
        (" k7q-2mx ", "K7Q2MX"),
        ("K7Q 2MX", "K7Q2MX"),
        ("\tk-7-q-2-m-x\n", "K7Q2MX"),
    ],
)
def test_join_code_is_read_forgivingly(typed: str, code: str) -> None:
    assert normalise_code(typed) == code


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "K7Q2M",  # one short
        "K7Q2MXA",  # one too many
        "K7Q2M0",  # 0, O, 1, I and L are not in the alphabet: easy to misread on a projector
        "K7Q2MO",
        "K7Q2M1",
        "K7Q2MI",
        "K7Q2ML",
        "K7Q_2M",
        "K7Q.2M",
    ],
)
def test_bad_join_code(typed: str) -> None:
    assert refused(normalise_code, typed) == "bad-code"


def test_new_code_is_a_valid_join_code() -> None:
    codes = {sessions.new_code() for _ in range(50)}
    for code in codes:
        assert len(code) == 6 and set(code) <= set(CODE_ALPHABET)
        assert normalise_code(code) == code
    assert len(codes) > 45  # random, not one fixed code


# --------------------------------------------------------------------------- personal codes


def test_personal_code_is_read_forgivingly_and_shown_in_two_groups() -> None:
    assert normalise_token("abcd-efgh") == "ABCDEFGH"
    assert normalise_token(" ABCD EFGH ") == "ABCDEFGH"
    assert show_token("ABCDEFGH") == "ABCD-EFGH"
    assert normalise_token(show_token("K7Q2MXAB")) == "K7Q2MXAB"


@pytest.mark.parametrize("typed", ["", "ABCDEFG", "ABCDEFGHJ", "ABCDEFG0", "ABCD-EFG1"])
def test_bad_personal_code(typed: str) -> None:
    assert refused(normalise_token, typed) == "bad-token"


def test_a_join_code_is_not_a_personal_code() -> None:
    assert refused(normalise_token, "K7Q2MX") == "bad-token"
    assert refused(normalise_code, "ABCDEFGH") == "bad-code"


def test_new_token_is_a_valid_personal_code() -> None:
    tokens = {sessions.new_token() for _ in range(50)}
    for token in tokens:
        assert len(token) == 8 and set(token) <= set(CODE_ALPHABET)
        assert normalise_token(show_token(token)) == token
    assert len(tokens) == 50


# --------------------------------------------------------------------------- facilitator keys


def test_new_key_has_no_look_alikes_and_is_shown_in_three_groups() -> None:
    keys = {sessions.new_key() for _ in range(50)}
    for key in keys:
        assert len(key) == sessions.KEY_LENGTH == 12 and set(key) <= set(CODE_ALPHABET)
        shown = sessions.show_key(key)
        assert shown == f"{key[:4]}-{key[4:8]}-{key[8:]}"
        assert sessions.normalise_key(shown.lower()) == key
        assert sessions.normalise_key(" ".join(shown.split("-"))) == key
    assert len(keys) == 50


@pytest.mark.parametrize(
    "typed", ["", "KX7P-M3QD-W9H", "KX7P-M3QD-W9HTA", "KX7P-M3QD-W9H0", "Zx_9-old-key"]
)
def test_bad_new_key(typed: str) -> None:
    assert refused(sessions.normalise_key, typed) == "bad-key"
    assert sessions.show_key(typed) == typed  # an older key is shown as it is


def test_too_late_to_reopen_is_the_trainers_problem() -> None:
    assert sessions.Problem.TOO_LATE_TO_REOPEN.text_key == "group.error.too-late-to-reopen"
    assert sessions.Problem.TOO_MANY_TRIES.text_key == "session.error.too-many-tries"


def test_token_hash_is_pinned() -> None:
    """Stored hashes must stay valid: a change here locks every participant out of their answers
    on another device."""
    expected = hashlib.sha256(b"kit-participant\x00K7Q2MX\x00ABCDEFGH").hexdigest()
    assert token_hash("K7Q2MX", "ABCDEFGH") == expected
    assert "ABCDEFGH" not in expected
    assert token_hash("K7Q2MX", "ABCDEFGJ") != expected  # another token
    assert token_hash("K7Q2MY", "ABCDEFGH") != expected  # the same token in another session


def test_participant_ids_are_random_hex() -> None:
    ids = {sessions.new_participant_id() for _ in range(20)}
    assert len(ids) == 20
    for pid in ids:
        assert len(pid) == 32 and int(pid, 16) >= 0


# --------------------------------------------------------------------------- aliases


@pytest.mark.parametrize(
    ("typed", "alias"),
    [
        ("Uil 7", "Uil 7"),
        ("  Uil 7 \n", "Uil 7"),
        ("Uil   7", "Uil 7"),  # runs of spaces become one
        ("Uil\u00a0\u00a07", "Uil 7"),  # no-break spaces too
        ("Mere\u0301l", "Merél"),  # combining accent composed (NFC)
        ("<b>Uil</b>", "<b>Uil</b>"),  # markup is kept: it is escaped where it is shown
        ("👩\u200d💻", "👩\u200d💻"),  # the zero-width joiner that emoji need is allowed
        ("x" * 30, "x" * 30),
    ],
)
def test_alias(typed: str, alias: str) -> None:
    assert normalise_alias(typed) == alias


def test_alias_length_counts_composed_characters() -> None:
    # 30 letters with a combining accent each: 60 code points typed, 30 characters after NFC
    assert normalise_alias("e\u0301" * 30) == "é" * 30


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "empty-alias"),
        ("   \t ", "empty-alias"),
        ("\u200d", "empty-alias"),  # only an (allowed) joiner: nothing visible is left
        ("x" * 31, "long-alias"),
        ("  " + "x" * 31 + "  ", "long-alias"),
        ("Uil\x07", "bad-alias"),  # control character
        ("Uil\t7", "bad-alias"),  # a tab inside (around it, it is trimmed)
        ("Uil\u202e7", "bad-alias"),  # right-to-left override: spoofs another alias
        ("U\u200bil", "bad-alias"),  # zero-width space
        ("Uil\ue000", "bad-alias"),  # private use
    ],
)
def test_bad_alias(typed: str, reason: str) -> None:
    assert refused(normalise_alias, typed) == reason


@pytest.mark.parametrize(
    ("alias", "key"),
    [
        ("Merel", "merel"),
        (" Merel  de \t Vries ", "merel de vries"),
        ("Ｍｅｒｅｌ", "merel"),  # full-width letters (NFKC)
        ("Me\u200drel", "merel"),  # invisible joiner dropped
        ("Straße", "strasse"),  # case-folded, not just lower-cased
    ],
)
def test_alias_key(alias: str, key: str) -> None:
    assert alias_key(alias) == key


def test_aliases_that_differ_are_different_participants() -> None:
    assert alias_key("Uil 7") != alias_key("Uil 8")
    assert alias_key("Uil 7") != alias_key("Uil7")
