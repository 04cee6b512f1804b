"""Sessions and participants in the store, for the trainer: who joined, closing, deleting, and
what each guess limit counts (one subject per kind, session and address)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kit import storage
from kit.answers import PhaseGuess
from kit.sessions import InputError
from kit.storage import Store, backups
from kit.storage.guesses import address_subject, alias_subject, key_subject, link_subject


@pytest.fixture
def store(tmp_path: Path) -> Store:
    made = Store(f"sqlite:///{tmp_path / 'groups.sqlite3'}")
    yield made  # type: ignore[misc]
    made.dispose()


def test_subjects_are_one_per_kind_session_alias_and_address() -> None:
    subjects = [
        address_subject("192.0.2.1"),
        alias_subject("ABCDEF", "merel", "192.0.2.1"),
        link_subject("ABCDEF", "192.0.2.1"),
        key_subject("ABCDEF", "192.0.2.1"),
    ]
    names = [s for s, _ in subjects]
    assert [n.split(":")[0] for n in names] == ["code", "alias", "link", "key"]
    assert len(set(names)) == 4 and all(len(n) <= 80 for n in names)
    assert [limit for _, limit in subjects] == [50, 10, 10, 10]
    # Each part matters, and nothing is kept in the clear.
    assert key_subject("ABCDEF", "192.0.2.1") != key_subject("ABCDEG", "192.0.2.1")
    assert key_subject("ABCDEF", "192.0.2.1") != key_subject("ABCDEF", "192.0.2.2")
    assert link_subject("ABCDEF", "a") != link_subject("ABCDEG", "a") != link_subject("ABCDEG", "b")
    assert alias_subject("ABCDEF", "merel", "a") != alias_subject("ABCDEF", "vos", "a")
    assert alias_subject("ABCDEF", "merel", "a") != alias_subject("ABCDEG", "merel", "a")
    assert alias_subject("ABCDEF", "merel", "a") != alias_subject("ABCDEF", "merel", "b")
    assert address_subject("a") != address_subject("b")
    assert not any("ABCDEF" in n or "merel" in n or "192.0.2" in n for n in names)
    assert key_subject("ABCDEF", "a") == key_subject("ABCDEF", "a")  # stable across kernels


def test_wrong_keys_count_per_session_however_the_code_is_typed(store: Store) -> None:
    one, key_one = store.create_session("Een")
    two, key_two = store.create_session("Twee")
    typed = [one.code.lower(), f" {one.code[:3]}-{one.code[3:]} "]
    for n in range(storage.LIMITS["key"]):
        with pytest.raises(InputError, match="bad-key"):
            store.open_session(typed[n % 2], f"WRNG-WRNG-WR{n:02d}", client="198.51.100.1")
    with pytest.raises(InputError, match="too-many-tries"):
        store.open_session(one.code, key_one, client="198.51.100.1")
    # Another session from the same address is not affected.
    assert store.open_session(two.code, key_two, client="198.51.100.1").code == two.code


def test_participants_in_the_order_they_joined(store: Store) -> None:
    info, key = store.create_session("Volgorde")
    before = storage._now()
    for alias in ("Vos", "Uil", "Das"):
        store.join(info.code, alias)
    people = store.participants(info.code.lower(), key)
    assert [p.alias for p in people] == ["Vos", "Uil", "Das"]
    assert all(before <= p.joined_at <= storage._now() for p in people)
    assert all(p.joined_at.tzinfo is not None for p in people)
    assert len({p.participant for p in people}) == 3
    with pytest.raises(InputError, match="bad-key"):
        store.participants(info.code, "WRNG-WRNG-WRNG")
    assert store.participant_count(info.code) == 3
    assert store.participant_count("ZZZZZZ") == 0


def test_close_and_delete_touch_one_session_only(store: Store) -> None:
    one, key_one = store.create_session("Een")
    two, key_two = store.create_session("Twee")
    for info in (one, two):
        uil = store.join(info.code, "Uil")
        store.save(info.code, uil.participant, "Uil", PhaseGuess(scenario="s", first=1, last=1))
        store.save(info.code, uil.participant, "Uil", PhaseGuess(scenario="t", first=2, last=2))
    before = storage._now()
    with pytest.raises(InputError, match="bad-key"):
        store.close_session(one.code, key_two)
    store.close_session(one.code.lower(), key_one)
    closed, still = store.session(one.code), store.session(two.code)
    assert closed is not None and closed.closed_at is not None and not closed.open
    assert before <= closed.closed_at <= storage._now()
    assert still is not None and still.open and still.closed_at is None
    with pytest.raises(InputError, match="bad-key"):
        store.delete_session(two.code, key_one)
    assert store.delete_session(two.code, key_two) == 2
    assert store.session(two.code) is None and store.count(two.code) == 0
    assert store.participant_count(two.code) == 0
    assert store.count(one.code) == 2 and store.participant_count(one.code) == 1


def test_reopening_right_at_the_end_of_the_retention_period_is_too_late(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    info, key = store.create_session("Grens", keep_days=2)
    store.close_session(info.code, key)
    closed = store.session(info.code)
    assert closed is not None
    monkeypatch.setattr(store, "clock", lambda: closed.delete_after)
    with pytest.raises(InputError, match="too-late-to-reopen"):
        store.reopen_session(info.code, key)
    monkeypatch.setattr(store, "clock", lambda: closed.delete_after - dt.timedelta(seconds=1))
    assert store.reopen_session(info.code, key).closed_at is None


def test_reopening_when_it_expires_this_very_moment_gives_another_week(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    info, key = store.create_session("Nu verlopen")
    monkeypatch.setattr(store, "clock", lambda: info.expires_at)
    again = store.reopen_session(info.code, key)
    assert again.expires_at == info.expires_at + dt.timedelta(days=storage.DEFAULT_DAYS)


def test_backup_failures_keep_their_first_time(tmp_path: Path) -> None:
    db = tmp_path / "groups.sqlite3"
    assert backups.failing_since(db) == (None, None)
    first = backups.record_failure(db, "the disk is full")
    assert backups.record_failure(db, "still full") == first
    assert backups.failing_since(db) == (first, "still full")
    backups.record_success(db)
    assert backups.failing_since(db) == (None, None)
    assert not backups.in_use(db)  # no lock file at all
    held = backups.hold(db)
    assert held is not None and backups.in_use(db)
    backups.release(held)
    assert not backups.in_use(db)


def test_coming_back_gives_the_same_participant_as_joining(store: Store) -> None:
    info, _ = store.create_session("Terug")
    merel = store.join(info.code, "Merel")
    assert merel.new and merel.token and merel.info == info
    for back in (
        store.join(info.code, " MEREL ", merel.token.lower()),
        store.rejoin(info.code.lower(), f"{merel.token[:4]}-{merel.token[4:]}".lower()),
    ):
        assert back.new is False and back.token == merel.token
        assert (back.participant, back.alias) == (merel.participant, "Merel")
        assert back.info == info


def test_a_restore_over_a_damaged_file_keeps_that_file_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "groups.sqlite3"
    store = Store(f"sqlite:///{db}")
    store.create_session("Goed")
    store.dispose()
    good = backups.copies(db)[0]
    damaged = b"SQLite format 3\x00" + b"\xee" * 3000
    db.write_bytes(damaged)
    db.with_name(db.name + "-wal").write_bytes(b"wal of the damaged file")
    db.with_name(db.name + "-shm").write_bytes(b"shm of the damaged file")
    replaced = backups.restore(db, good)
    assert replaced is not None and replaced.kind == "replaced"
    assert replaced.path.read_bytes() == damaged and replaced.size == len(damaged)
    assert replaced.path.with_name(replaced.path.name + "-wal").read_bytes() == (
        b"wal of the damaged file"
    )
    assert replaced.path.parent == backups.folder(db)
    assert backups.copies(db)[0].path == replaced.path  # listed, newest
    assert backups.newest_good(db) == good.path  # but never offered as a good copy
    # A stale write-ahead log would be applied to the restored file: both side files go.
    assert not db.with_name(db.name + "-wal").exists()
    assert not db.with_name(db.name + "-shm").exists()
    assert backups.check(db)
    with pytest.raises(backups.BackupFailed, match=r"no copy called nope\.sqlite3 in .*backups"):
        backups.find(db, "nope.sqlite3")
    assert backups.find(db, str(good.path)) == good


def test_a_malformed_code_never_matches_a_key(store: Store) -> None:
    info, key = store.create_session("Sleutel")
    for code in ("nonsense", "", info.code + "X", "K7Q2M0"):
        assert store.check_key(code, key) is False
        with pytest.raises(InputError) as refused:
            store.open_session(code, key, client="192.0.2.5")
        assert refused.value.code.value == "bad-key"


def test_a_failed_guess_prunes_guesses_older_than_the_window(store: Store) -> None:
    import sqlalchemy as sa

    store.create_session("Oud")
    old = storage._now() - storage.ATTEMPT_WINDOW - dt.timedelta(seconds=1)
    recent = storage._now() - storage.ATTEMPT_WINDOW + dt.timedelta(minutes=1)
    with store.engine.begin() as conn:
        conn.execute(storage.attempts.insert().values(subject="code:old", at=old))
        conn.execute(storage.attempts.insert().values(subject="code:recent", at=recent))
    with pytest.raises(InputError, match="unknown-code"):
        store.join("ZZZZZZ", "Gok", client="192.0.2.6")
    with store.engine.connect() as conn:
        left = {r.subject for r in conn.execute(sa.select(storage.attempts))}
    assert "code:old" not in left and "code:recent" in left and len(left) == 2
