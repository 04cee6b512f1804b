"""Backups you can restore (issue 26 §1): a copy before every schema change, rolling and daily
generations each checked before it replaces an older one, failures on the dashboard, and
``python -m kit backups`` / ``restore``."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from kit import storage
from kit.storage import Store, backups
from tests import old_stores


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "groups.sqlite3"


def url(path: Path) -> str:
    return f"sqlite:///{path}"


def titles(path: Path) -> set[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return {r[0] for r in conn.execute("SELECT title FROM kit_sessions")}


def kinds(path: Path) -> list[str]:
    return [c.kind for c in backups.copies(path)]


def at(moment: dt.datetime, monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the copies believe it is ``moment`` (their names and ages come from it)."""
    monkeypatch.setattr(backups, "_now", lambda: moment)


def test_a_store_that_opens_an_existing_file_copies_it(db: Path) -> None:
    first = Store(url(db))
    info, _ = first.create_session("Al bestaand")
    first.dispose()
    for copy in backups.copies(db):
        copy.path.unlink()
    assert backups.copies(db) == []
    kernel = Store(url(db))
    assert kernel.session(info.code) is not None  # only a read: the opening made the copy
    kept = backups.copies(db)
    assert sorted(c.kind for c in kept) == ["daily", "rolling"]
    for copy in kept:
        assert backups.check(copy.path) and titles(copy.path) == {"Al bestaand"}
    assert kernel.health().last_backup == kept[0].at
    kernel.dispose()


def test_the_dashboards_refresh_makes_a_copy_when_one_is_due(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(url(db))
    store.create_session("Eerste")
    made = len(backups.copies(db))
    with store.engine.begin() as conn:  # a change no copy has yet (an answer, say)
        conn.execute(sa.update(storage.sessions).values(title="Gewijzigd"))
    store.probe_write()
    assert len(backups.copies(db)) == made  # the newest copy is younger than 10 minutes
    later = backups._now() + backups.BACKUP_EVERY + dt.timedelta(seconds=1)
    at(later, monkeypatch)
    store.probe_write()
    newest = backups.copies(db)[0]
    assert newest.kind == "rolling" and newest.at == later
    assert titles(newest.path) == {"Gewijzigd"}
    store.dispose()


def test_generations_three_rolling_and_one_a_day_for_a_week(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(url(db))
    store.create_session("Generaties")
    start = dt.datetime(2027, 1, 1, 9, 0, tzinfo=dt.UTC)  # after the copies just made
    for day in range(10):
        for hour in range(3):
            at(start + dt.timedelta(days=day, hours=hour), monkeypatch)
            assert store.backup() is not None
    kept = backups.copies(db)
    rolling = [c for c in kept if c.kind == "rolling"]
    daily = [c for c in kept if c.kind == "daily"]
    last = start + dt.timedelta(days=9)
    assert [c.at for c in rolling] == [last + dt.timedelta(hours=h) for h in (2, 1, 0)]
    assert [c.at.date() for c in daily] == [(last - dt.timedelta(days=d)).date() for d in range(7)]
    assert all(backups.check(c.path) for c in kept)
    store.dispose()


def test_a_damaged_copy_never_replaces_an_older_good_one(
    db: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    store = Store(url(db))
    store.create_session("Goed")
    good = backups.copies(db)
    assert good and all(backups.check(c.path) for c in good)

    def damaging(source: Path, target: Path) -> None:  # a disk that writes garbage
        target.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)

    monkeypatch.setattr(backups, "_copy_into", damaging)
    for n in range(5):  # more failures than rolling copies are kept
        at(backups._now() + dt.timedelta(hours=n + 1), monkeypatch)
        assert store.backup() == good[0].path  # the newest good copy is still the answer
    assert backups.copies(db) == good  # nothing replaced, nothing pruned, nothing half-made
    assert sorted(p.name for p in backups.folder(db).iterdir()) == sorted(
        [c.path.name for c in good] + ["status.json"]
    )
    assert all(backups.check(c.path) for c in good)
    health = store.health()
    assert health.backup_failing_since is not None and "failed its check" in (
        health.backup_failure or ""
    )
    assert "backup of the group store failed" in caplog.text
    # Another kernel sees it too (recorded beside the file), with the same start.
    other = Store(url(db))
    assert other.health().backup_failing_since == health.backup_failing_since
    other.dispose()
    # The damaged store file itself is never copied either.
    monkeypatch.undo()
    assert store.backup(force=True) is not None  # works again: the failure is cleared
    assert store.health().backup_failure is None and store.health().backup_failing_since is None
    store.dispose()
    count = len(backups.copies(db))
    data = db.read_bytes()
    db.write_bytes(data[:100] + b"\x00" * (len(data) - 100))
    with pytest.raises(backups.BackupFailed, match="failed its check"):
        backups.rolling(db, force=True)
    assert len(backups.copies(db)) == count


@pytest.mark.parametrize("version", [1, 2, 3, 4])
def test_every_earlier_version_is_upgraded_with_a_restorable_copy_first(
    tmp_path: Path, version: int
) -> None:
    db = old_stores.build(tmp_path / "groups.sqlite3", version)
    store = Store(url(db))
    assert store.migrate() == version
    assert store.schema_version() == storage.SCHEMA_VERSION
    info = store.session(old_stores.CODE)
    assert info is not None and info.title == old_stores.TITLE and info.closed_at is None
    assert info.retention_days == storage.DEFAULT_RETENTION_DAYS
    merel = store.own_submissions(old_stores.CODE, "p-merel")
    assert [s.record for s in merel] == old_stores.GUESSES
    assert store.join(old_stores.CODE, "Nieuw").new
    # The copy made before the upgrade holds the old file as it was.
    [before] = [c for c in backups.copies(db) if c.kind == "migration"]
    assert before.version == version and f"-v{version}-" in before.path.name
    assert old_stores.version_of(before.path) == version and backups.check(before.path)
    store.dispose()
    backups.restore(db, before)
    assert old_stores.version_of(db) == version
    # ...and upgrades again as the first time did.
    again = Store(url(db))
    assert again.migrate() == version
    assert [s.record for s in again.own_submissions(old_stores.CODE, "p-merel")] == (
        old_stores.GUESSES
    )
    assert [c.kind for c in backups.copies(db)].count("migration") == 2
    again.dispose()


def test_no_upgrade_without_a_copy_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = old_stores.build(tmp_path / "groups.sqlite3", 4)

    def failing(source: Path, target: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "_copy_into", failing)
    store = Store(url(db))
    with pytest.raises(storage.StorageError, match="not upgraded"):
        store.session(old_stores.CODE)
    assert old_stores.version_of(db) == 4
    assert store.health().failure == "refused" and store.health().backup_failure
    store.dispose()


@pytest.mark.parametrize("kind", ["migration", "rolling", "daily", "replaced"])
def test_a_restore_from_each_kind_of_copy(
    db: Path, kind: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kit.__main__ import main

    monkeypatch.setenv("KIT_DATABASE_URL", url(db))
    if kind == "migration":
        old_stores.build(db, 4)
    store = Store(url(db))
    store.create_session("In de kopie")
    store.dispose()
    if kind == "replaced":
        # The copy of what a restore replaced: restore something, then undo that restore.
        earlier = next(c for c in backups.copies(db) if c.kind == "rolling")
        store = Store(url(db))
        store.create_session("Alleen in het vervangen bestand")
        store.dispose()
        backups.restore(db, earlier)
    chosen = next(c for c in backups.copies(db) if c.kind == kind)
    expected = titles(chosen.path)
    # What each copy holds: the old file; the file when the session was made; the file as the
    # day's first opening found it (empty); the file the restore replaced.
    assert (
        expected
        == {
            "migration": {old_stores.TITLE},
            "rolling": {"In de kopie"},
            "daily": set(),
            "replaced": {"In de kopie", "Alleen in het vervangen bestand"},
        }[kind]
    )
    store = Store(url(db))
    store.create_session("Na de kopie")
    store.dispose()
    assert main(["backups"]) == 0
    listed = capsys.readouterr().out
    assert chosen.path.name in listed and kind in listed and "checked ok" in listed
    assert main(["restore", chosen.path.name]) == 0
    said = capsys.readouterr().out
    assert "restored" in said and "replaced is kept as replaced-" in said
    assert titles(db) == expected
    if kind == "migration":
        assert old_stores.version_of(db) == 4
    restored = Store(url(db))
    assert {restored.session(c).title for c in _codes(restored)} == expected  # type: ignore[union-attr]
    restored.dispose()


def _codes(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(sa.select(storage.sessions.c.code))]


def test_restore_is_refused_while_the_file_is_in_use(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kit.__main__ import main

    monkeypatch.setenv("KIT_DATABASE_URL", url(db))
    kernel = Store(url(db))
    kernel.create_session("Loopt")
    name = backups.copies(db)[0].path.name
    assert backups.in_use(db)
    assert main(["restore", name]) == 1
    assert "stop the server" in capsys.readouterr().err
    kernel.dispose()
    assert not backups.in_use(db)
    # A server (another process) holds the file for as long as it lives, even killed hard.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from kit.storage import backups; "
            f"backups.hold(Path({str(db)!r})); print('held', flush=True); time.sleep(600)",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert main(["restore", name]) == 1
        assert "in use" in capsys.readouterr().err
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(30)
    assert main(["restore", name]) == 0


def test_the_serve_command_holds_the_file(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kit import __main__ as cli

    monkeypatch.setenv("KIT_DATABASE_URL", url(db))
    seen: list[bool] = []
    monkeypatch.setattr("kit.serve.main", lambda **_: seen.append(backups.in_use(db)) or 0)
    assert cli.main(["serve"]) == 0
    assert seen == [True] and not backups.in_use(db)


def test_restore_refuses_a_copy_that_fails_its_check(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kit.__main__ import main

    monkeypatch.setenv("KIT_DATABASE_URL", url(db))
    store = Store(url(db))
    store.create_session("Heel")
    store.dispose()
    copy = backups.copies(db)[0]
    copy.path.write_bytes(b"\x00" * 4096)
    assert main(["backups"]) == 0
    assert "FAILS its check" in capsys.readouterr().out
    assert main(["restore", copy.path.name]) == 1
    assert "failed its check" in capsys.readouterr().err
    assert titles(db) == {"Heel"}
    assert main(["restore", "no-such-copy.sqlite3"]) == 1
