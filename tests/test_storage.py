"""The group store against real SQLite and PostgreSQL databases."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from kit import storage
from kit.answers import Adaptations, PhaseGuess, Proposal, ScanAnswers
from kit.storage import InputError, StorageError, Store


def guess(scenario: str, first: int) -> PhaseGuess:
    return PhaseGuess(scenario=scenario, first=first, last=first)


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
    joined = store.join(info.code.lower(), "  Uil  ")
    pid, alias = joined.participant, joined.alias
    assert joined.info.title == "Workshop Utrecht" and alias == "Uil" and joined.new
    scan = ScanAnswers(perspective="organisatie", case="buurtkracht", values={"org-0-1": 2})
    store.save(info.code, pid, alias, scan)
    store.save(info.code, pid, alias, scan.answer("org-0-1", 3))
    # Later (a new kernel): alias and personal code, or the personal code from the link alone,
    # give the same participant and the answers come back.
    again = store.join(info.code, "uil", joined.token.lower())
    assert again.participant == pid and not again.new and again.alias == "Uil"
    assert store.rejoin(info.code, joined.token).participant == pid
    own = store.own_submissions(info.code, again.participant)
    assert [s.record for s in own] == [scan.answer("org-0-1", 3)]
    store.dispose()


@pytest.mark.parametrize(
    "variant", ["merel", "MEREL", " Merel ", "Me rel", "Ｍｅｒｅｌ", "Mer\u200bel", "Merel\u00a0"]
)
def test_alias_variants_are_one_participant_and_refused(db_url: str, variant: str) -> None:
    store = Store(db_url)
    info, key = store.create_session("Sessie")
    first = store.join(info.code, "Merel")
    store.save(info.code, first.participant, "Merel", guess("s1", 1))
    if variant == "Me rel":  # a different name, not a variant: joins as someone else
        assert store.join(info.code, variant).participant != first.participant
        return
    if "\u200b" in variant:  # a zero-width space is refused outright (spoofing)
        with pytest.raises(InputError, match="bad-alias"):
            store.join(info.code, variant)
        return
    with pytest.raises(InputError, match="alias-taken"):
        store.join(info.code, variant)
    with pytest.raises(InputError, match="bad-token"):  # knowing the alias is not enough
        store.join(info.code, variant, "ABCDEFGH")
    with pytest.raises(InputError, match="bad-token"):
        store.rejoin(info.code, "ABCDEFGH")
    # Nothing of the first participant changed hands.
    assert [s.alias for s in store.all_submissions(info.code, key)] == ["Merel"]
    assert [p.alias for p in store.participants(info.code, key)] == ["Merel"]
    store.dispose()


def test_personal_code_belongs_to_one_session(db_url: str) -> None:
    store = Store(db_url)
    one, _ = store.create_session("Een")
    two, _ = store.create_session("Twee")
    joined = store.join(one.code, "Uil")
    store.join(two.code, "Uil")
    with pytest.raises(InputError, match="bad-token"):
        store.rejoin(two.code, joined.token)
    with pytest.raises(InputError, match="bad-token"):
        store.join(two.code, "Uil", joined.token)
    store.dispose()


def test_participants_appear_on_join(db_url: str) -> None:
    store = Store(db_url)
    info, key = store.create_session("Sessie")
    assert store.participants(info.code, key) == [] and store.participant_count(info.code) == 0
    store.join(info.code, "Uil")
    store.join(info.code, "Das")
    assert [p.alias for p in store.participants(info.code, key)] == ["Uil", "Das"]
    assert store.participant_count(info.code) == 2
    assert store.all_submissions(info.code, key) == []  # nobody answered yet
    with pytest.raises(InputError, match="bad-key"):
        store.participants(info.code, key + "x")
    store.dispose()


def test_participants_see_only_their_own(db_url: str) -> None:
    store = Store(db_url)
    info, key = store.create_session("Sessie")
    a = store.join(info.code, "A").participant
    b = store.join(info.code, "B").participant
    store.save(info.code, a, "A", guess("s1", 1))
    store.save(info.code, b, "B", guess("s1", 2))
    assert [s.record for s in store.own_submissions(info.code, a)] == [guess("s1", 1)]
    with pytest.raises(InputError, match="bad-key"):
        store.all_submissions(info.code, "wrong")
    assert len(store.all_submissions(info.code, key)) == 2
    store.dispose()


def test_close_and_delete(db_url: str) -> None:
    store = Store(db_url)
    info, key = store.create_session("Sessie")
    joined = store.join(info.code, "A")
    p = joined.participant
    store.save(info.code, p, "A", Adaptations(intervention="samen-sterk"))
    with pytest.raises(InputError):
        store.close_session(info.code, "nope")
    store.close_session(info.code, key)
    with pytest.raises(InputError, match="closed"):
        store.join(info.code, "B")
    # A participant may still come back to a closed session (to read), but not answer.
    assert not store.rejoin(info.code, joined.token).info.open
    with pytest.raises(InputError, match="closed"):  # a closed session takes no more answers
        store.save(info.code, p, "A", Adaptations(intervention="samen-sterk"))
    assert store.delete_session(info.code, key) == 1
    assert store.session(info.code) is None and store.count(info.code) == 0
    # Gone: the link's personal code no longer gets in (the same answer as a wrong code, so a
    # link tells nothing about which sessions exist), and the code is unknown for joining.
    with pytest.raises(InputError, match="bad-token"):
        store.rejoin(info.code, joined.token)
    with pytest.raises(InputError, match="unknown-code"):
        store.join(info.code, "A")
    store.dispose()


@pytest.mark.parametrize("alias", HOSTILE)
def test_hostile_aliases_are_stored_verbatim(db_url: str, alias: str) -> None:
    store = Store(db_url)
    info, key = store.create_session("Sessie")
    joined = store.join(info.code, alias)
    pid, clean = joined.participant, joined.alias
    reason = alias[:500]  # free text a participant types, stored as typed
    record = Adaptations(
        intervention="x", proposals=(Proposal(element="e", type="t", reason=reason),)
    )
    store.save(info.code, pid, clean, record)
    [sub] = store.all_submissions(info.code, key)
    assert sub.alias == alias and sub.record == record
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
    joined = store.join(code, f"deelnemer {worker}")
    pid, alias = joined.participant, joined.alias
    for i in range(n):
        store.save(code, pid, alias, guess(f"item-{i}", i % 4))
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
            INSERT INTO kit_submissions VALUES (1, 'ABCDEF', 'p-merel', 'Merel', 'phases', 's1',
              '{"first": 1}', '2026-01-01 10:01:00', '2026-01-01 10:01:00');
            INSERT INTO kit_submissions VALUES (2, 'ABCDEF', 'p-merel', 'Merel', 'phases', 's2',
              '{"first": 2}', '2026-01-01 10:02:00', '2026-01-01 10:02:00');
            INSERT INTO kit_submissions VALUES (3, 'ABCDEF', 'p-zoe', 'Zoë', 'phases', 's1',
              '{"first": 3}', '2026-01-01 10:03:00', '2026-01-01 10:03:00');
            INSERT INTO kit_submissions VALUES (4, 'ABCDEF', 'p-zoe', 'Zoë', 'kern', 'k1',
              '"not a list"', '2026-01-01 10:04:00', '2026-01-01 10:04:00');
            """
        )
    store = Store(f"sqlite:///{path}")
    assert store.migrate() == 1
    assert store.schema_version() == storage.SCHEMA_VERSION
    info = store.session("ABCDEF")
    assert info is not None and info.title == "Oud" and info.closed_at is None
    # Everyone who answered before version 3 is a participant, with their answers...
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(storage.participants)).all()
    assert sorted((r.participant, r.alias, r.token_hash) for r in rows) == [
        ("p-merel", "Merel", None),
        ("p-zoe", "Zoë", None),
    ]
    assert store.own_submissions("ABCDEF", "p-merel")[1].record == guess("s2", 2)
    # ...stored as versioned records now; a row that is no record stays as it was, unshown.
    with store.engine.connect() as conn:
        stored = dict(
            conn.execute(sa.select(storage.submissions.c.id, storage.submissions.c.answers)).all()
        )
    assert json.loads(stored[1]) == {
        "v": 2,
        "kind": "phase",
        "scenario": "s1",
        "first": 1,
        "last": 1,
    }
    assert stored[4] == '"not a list"'
    assert [s.record for s in store.own_submissions("ABCDEF", "p-zoe")] == [guess("s1", 3)]
    # ...and their alias stays theirs: without a personal code nobody can take it over.
    with pytest.raises(InputError, match="alias-taken"):
        store.join("ABCDEF", "merel")
    with pytest.raises(InputError, match="bad-token"):
        store.join("ABCDEF", "ZOË", "ABCDEFGH")
    assert store.join("ABCDEF", "Nieuw").new
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


def test_upgrades_a_version_4_database(db_url: str) -> None:
    """Version 5 added the retention period and the failed-attempt counts."""
    store = Store(db_url)
    info, _ = store.create_session("Vier")
    with store.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE kit_hand_ins"))
        conn.execute(sa.text("DROP TABLE kit_homework"))
        conn.execute(sa.text("DROP TABLE kit_votes"))
        conn.execute(sa.text("DROP TABLE kit_rooms"))
        conn.execute(sa.text("DROP TABLE kit_attempts"))
        conn.execute(sa.text("ALTER TABLE kit_sessions DROP COLUMN retention_days"))
        conn.execute(sa.text("UPDATE kit_meta SET value='4' WHERE key='schema_version'"))
    store.dispose()
    upgraded = Store(db_url)
    assert upgraded.migrate() == 4
    assert upgraded.schema_version() == storage.SCHEMA_VERSION == 7
    old = upgraded.session(info.code)
    assert old is not None and old.retention_days == storage.DEFAULT_RETENTION_DAYS
    with pytest.raises(InputError, match="unknown-code"):
        upgraded.join("ZZZZZZ", "Gok", client="192.0.2.1")
    with upgraded.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(storage.attempts)).scalar() == 1
    upgraded.dispose()


def test_upgrades_a_version_5_database(db_url: str) -> None:
    """Version 6 added led sessions: the room's state and the votes, for existing sessions too."""
    from kit.agenda import Action
    from kit.content import default_content
    from kit.led import Led

    store = Store(db_url)
    info, key = store.create_session("Vijf")
    who = store.join(info.code, "Merel").participant
    with store.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE kit_hand_ins"))
        conn.execute(sa.text("DROP TABLE kit_homework"))
        conn.execute(sa.text("DROP TABLE kit_votes"))
        conn.execute(sa.text("DROP TABLE kit_rooms"))
        conn.execute(sa.text("UPDATE kit_meta SET value='5' WHERE key='schema_version'"))
    store.dispose()
    upgraded = Store(db_url)
    assert upgraded.migrate() == 5
    assert upgraded.schema_version() == 7
    led = Led(upgraded, default_content(), info.code)
    led.start(key, "kort")
    led.act(key, Action.GOTO, to=1)
    assert led.vote(who, "ervaring", "3") == "3"
    assert upgraded.poll_values(info.code, "ervaring") == ["3"]
    upgraded.dispose()


def test_a_damaged_file_is_reported_as_damaged_and_a_good_copy_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "groups.sqlite3"
    store = Store(f"sqlite:///{path}")
    info, key = store.create_session("Voor de schade")
    store.dispose()
    backup = storage.backups.newest_good(path)
    assert backup is not None and backup.exists()  # made when the session was created
    # The file is overwritten halfway (a full disk, a bad copy): no longer a database.
    data = path.read_bytes()
    path.write_bytes(b"\0" * 100 + data[100 : len(data) // 2])
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    broken = Store(f"sqlite:///{path}")
    with pytest.raises(StorageError) as failed:
        broken.session(info.code)
    assert failed.value.damaged and failed.value.backup == backup
    assert failed.value.database == path and failed.value.failure == "damaged"
    broken.dispose()
    # What the trainer is told: where the copy is and what to do with it.
    from kit.apps.common import store_problem
    from kit.content import default_content

    def t(key: str, **values: object) -> str:
        return default_content().t(key, "en", **values)

    said = store_problem(t, failed.value, trainer=True)
    assert str(path) in said and f"python -m kit restore {backup.name}" in said
    assert "Tell the trainer" in store_problem(t, failed.value)
    # The copy brings the session back.
    shutil.copy(backup, path)
    restored = Store(f"sqlite:///{path}")
    session = restored.session(info.code)
    assert session is not None and session.title == "Voor de schade"
    assert restored.check_key(info.code, key)
    restored.dispose()


def test_an_unreachable_store_is_not_called_damaged(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'missing' / 'folder' / 'groups.sqlite3'}")
    with pytest.raises(StorageError) as failed:
        store.session("ABCDEF")
    assert not failed.value.damaged and failed.value.backup is None
    assert store.backup() is None
