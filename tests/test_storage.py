"""The group store against real SQLite and PostgreSQL databases."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from kit import storage
from kit.storage import InputError, StorageError, Store

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "x');DROP TABLE kit_sessions;--",
    'quote " and \\ backslash',
    "Zoë 👩🏽‍🏫 Ñandú",
    "x" * 30,
]


def test_create_join_save_restore(db_url: str) -> None:
    store = Store(db_url)
    info, key = store.create_session(
        "Workshop Utrecht", case_id="buurtkracht", intervention_id="samen-sterk"
    )
    assert len(info.code) == 6 and set(info.code) <= set(storage.CODE_ALPHABET)
    assert store.check_key(info.code, key) and not store.check_key(info.code, key + "x")
    session, pid, alias = store.join(info.code.lower(), "  Uil  ")
    assert session.title == "Workshop Utrecht" and alias == "Uil"
    store.save(info.code, pid, alias, "quickscan", "organisatie:buurtkracht", {"org-0-1": 2})
    store.save(info.code, pid, alias, "quickscan", "organisatie:buurtkracht", {"org-0-1": 3})
    # Same code and alias later (new kernel): same participant, answers come back.
    _, again, _ = store.join(info.code, "uil")
    assert again == pid
    own = store.own_submissions(info.code, again)
    assert [(s.item, s.answers) for s in own] == [("organisatie:buurtkracht", {"org-0-1": 3})]
    store.dispose()


def test_participants_see_only_their_own(db_url: str) -> None:
    store = Store(db_url)
    info, key = store.create_session("Sessie")
    _, a, _ = store.join(info.code, "A")
    _, b, _ = store.join(info.code, "B")
    store.save(info.code, a, "A", "phases", "s1", {"chosen": 1})
    store.save(info.code, b, "B", "phases", "s1", {"chosen": 2})
    assert [s.answers for s in store.own_submissions(info.code, a)] == [{"chosen": 1}]
    with pytest.raises(InputError, match="bad-key"):
        store.all_submissions(info.code, "wrong")
    assert len(store.all_submissions(info.code, key)) == 2
    store.dispose()


def test_close_and_delete(db_url: str) -> None:
    store = Store(db_url)
    info, key = store.create_session("Sessie")
    _, p, _ = store.join(info.code, "A")
    store.save(info.code, p, "A", "kern", "samen-sterk", [{"element": "x"}])
    with pytest.raises(InputError):
        store.close_session(info.code, "nope")
    store.close_session(info.code, key)
    with pytest.raises(InputError, match="closed"):
        store.join(info.code, "B")
    with pytest.raises(InputError, match="closed"):  # a closed session takes no more answers
        store.save(info.code, p, "A", "kern", "samen-sterk", [])
    assert store.delete_session(info.code, key) == 1
    assert store.session(info.code) is None and store.count(info.code) == 0
    store.dispose()


@pytest.mark.parametrize("alias", HOSTILE)
def test_hostile_aliases_are_stored_verbatim(db_url: str, alias: str) -> None:
    store = Store(db_url)
    info, key = store.create_session("Sessie")
    _, pid, clean = store.join(info.code, alias)
    store.save(info.code, pid, clean, "phases", alias, {"text": alias})
    [sub] = store.all_submissions(info.code, key)
    assert sub.alias == alias and sub.answers == {"text": alias}
    assert store.count() == 1  # the table is still there
    store.dispose()


@pytest.mark.parametrize(
    ("alias", "reason"),
    [
        ("", "empty-alias"),
        ("   ", "empty-alias"),
        ("x" * 31, "long-alias"),
        ("a\x00b", "bad-alias"),
        ("tab\there", "bad-alias"),
    ],
)
def test_bad_aliases_are_refused(alias: str, reason: str) -> None:
    with pytest.raises(InputError) as raised:
        storage.normalise_alias(alias)
    assert raised.value.code == reason


@pytest.mark.parametrize("code", ["", "ABC", "ABCDEFG", "ABCDE0", "ABC'--", "<b>ABC", "ÄBCDEF"])
def test_bad_codes_are_refused(code: str) -> None:
    with pytest.raises(InputError):
        storage.normalise_code(code)


def test_unknown_code(db_url: str) -> None:
    store = Store(db_url)
    with pytest.raises(InputError, match="unknown-code"):
        store.join("ABCDEF", "A")
    store.dispose()


def _writer(url: str, code: str, worker: int, n: int) -> None:
    store = Store(url)
    _, pid, alias = store.join(code, f"deelnemer {worker}")
    for i in range(n):
        store.save(code, pid, alias, "quickscan", f"item-{i}", {"value": i % 4})
    store.dispose()


def test_thirty_writers(db_url: str) -> None:
    store = Store(db_url)
    info, key = store.create_session("Druk")
    store.dispose()
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(db_url, info.code, w, 50)) for w in range(30)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * 30
    store = Store(db_url)
    assert store.count(info.code) == 1500
    assert len({s.participant for s in store.all_submissions(info.code, key)}) == 30
    store.dispose()


def test_sqlite_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIT_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    url = storage.default_url()
    assert url.startswith("sqlite:///") and str(tmp_path) in url
    store = Store(url)
    store.create_session("x")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    store.dispose()


def test_upgrades_a_version_1_database(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(
            """
            CREATE TABLE kit_meta (key VARCHAR(40) PRIMARY KEY, value VARCHAR(200) NOT NULL);
            INSERT INTO kit_meta VALUES ('schema_version', '1');
            CREATE TABLE kit_sessions (code VARCHAR(6) PRIMARY KEY, title VARCHAR(120) NOT NULL,
              case_id VARCHAR(80), intervention_id VARCHAR(80), key_salt VARCHAR(64) NOT NULL,
              key_hash VARCHAR(128) NOT NULL, created_at DATETIME NOT NULL,
              expires_at DATETIME NOT NULL);
            INSERT INTO kit_sessions VALUES ('ABCDEF', 'Oud', NULL, NULL, '00', 'x',
              '2026-01-01 10:00:00', '2099-01-01 10:00:00');
            CREATE TABLE kit_submissions (id INTEGER PRIMARY KEY AUTOINCREMENT,
              session_code VARCHAR(6) NOT NULL REFERENCES kit_sessions(code) ON DELETE CASCADE,
              participant VARCHAR(32) NOT NULL, alias VARCHAR(120) NOT NULL,
              module VARCHAR(20) NOT NULL, item VARCHAR(120) NOT NULL, answers TEXT NOT NULL,
              created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL,
              CONSTRAINT uq_submission UNIQUE (session_code, participant, module, item));
            """
        )
    store = Store(f"sqlite:///{path}")
    assert store.migrate() == 1
    assert store.schema_version() == storage.SCHEMA_VERSION
    info = store.session("ABCDEF")
    assert info is not None and info.title == "Oud" and info.closed_at is None
    store.dispose()


def test_newer_database_is_refused(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    store.migrate()
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE kit_meta SET value='99'"))
    fresh = Store(store.url)
    with pytest.raises(StorageError, match="newer"):
        fresh.session("ABCDEF")
    store.dispose()
    fresh.dispose()


def test_unreachable_database_raises_storage_error(tmp_path: Path) -> None:
    store = Store("postgresql+psycopg://kit@127.0.0.1:9/none?connect_timeout=2")
    with pytest.raises(StorageError):
        store.create_session("x")
    store = Store(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.sqlite3'}")
    with pytest.raises(StorageError):
        store.session("ABCDEF")
