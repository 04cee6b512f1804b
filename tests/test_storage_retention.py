"""Retention (AVG/GDPR): a session and everything in it is deleted its retention period after it
ended; every store purges what is due when it opens, and ``python -m kit purge`` on demand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from kit import storage
from kit.answers import PhaseGuess
from kit.group import SessionClient
from kit.storage import Store


def test_sessions_are_deleted_after_their_retention_period(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(db_url)
    old, key = store.create_session("Oud")
    assert old.retention_days == storage.DEFAULT_RETENTION_DAYS == 30
    monkeypatch.setenv("KIT_RETENTION_DAYS", "7")
    short, _ = store.create_session("Kort")
    assert short.retention_days == 7
    fresh, _ = store.create_session("Vers", keep_days=30)
    SessionClient(store, store.join(old.code, "Uil")).save(
        PhaseGuess(scenario="s", first=1, last=1)
    )
    store.join(old.code, "Vos")
    store.close_session(old.code, key)
    closed = store.session(old.code)
    assert closed is not None and closed.delete_after == closed.ended_at + dt.timedelta(days=30)
    now = storage._now()
    assert store.purge(now + dt.timedelta(days=13)) == []
    # A session that was never closed ends when it expires (7 days) and is kept 7 more.
    gone = store.purge(now + dt.timedelta(days=15), dry_run=True)
    assert [p.code for p in gone] == [short.code]
    assert store.session(short.code) is not None  # dry run
    gone = store.purge(now + dt.timedelta(days=31))
    assert sorted((p.code, p.participants, p.submissions) for p in gone) == sorted(
        [(old.code, 2, 1), (short.code, 0, 0)]
    )
    assert store.session(old.code) is None and store.session(fresh.code) is not None
    assert store.count(old.code) == 0
    with store.engine.connect() as conn:
        assert not conn.execute(
            sa.select(storage.participants).where(storage.participants.c.session_code == old.code)
        ).first()
    store.dispose()


def test_a_store_purges_when_it_opens(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    store = Store(url)
    info, _ = store.create_session("Lang geleden", keep_days=0)
    with store.engine.begin() as conn:
        conn.execute(
            sa.update(storage.sessions).values(expires_at=storage._now() - dt.timedelta(days=1))
        )
    store.dispose()
    assert Store(url).session(info.code) is None  # the next kernel to open it deleted it


def test_purge_command_lists_what_it_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kit.__main__ import main

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("KIT_DATABASE_URL", url)
    store = Store(url)
    info, _ = store.create_session("Afgelopen", keep_days=0)
    store.join(info.code, "Uil")
    with store.engine.begin() as conn:
        conn.execute(
            sa.update(storage.sessions).values(expires_at=storage._now() - dt.timedelta(hours=1))
        )
    kept, _ = store.create_session("Loopt nog")
    store.dispose()
    storage._stores.clear()
    assert main(["purge", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert info.code in out and "Afgelopen" in out and "1 participant" in out
    assert main(["purge"]) == 0
    out = capsys.readouterr().out
    assert f"deleted {info.code}" in out.lower() or f"{info.code}" in out
    assert main(["purge"]) == 0
    assert "nothing" in capsys.readouterr().out.lower()
    check = Store(url)
    assert check.session(info.code) is None and check.session(kept.code) is not None
    check.dispose()


def test_purge_deletes_at_the_moment_the_period_ends_and_prunes_old_guesses(db_url: str) -> None:
    store = Store(db_url)
    info, key = store.create_session("Grens", keep_days=3)
    store.close_session(info.code, key)
    closed = store.session(info.code)
    assert closed is not None and closed.closed_at is not None
    due = closed.closed_at + dt.timedelta(days=3)
    assert closed.delete_after == due
    assert store.purge(due - dt.timedelta(microseconds=1)) == []
    # Failed guesses are kept for the guess window only; a dry run deletes nothing.
    with pytest.raises(Exception, match="unknown-code"):
        store.join("ZZZZZZ", "Gok", client="192.0.2.1")
    [gone] = store.purge(due, dry_run=True)
    assert (gone.code, gone.title, gone.ended_at) == (info.code, "Grens", closed.closed_at)
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(storage.attempts)).scalar() == 1
    assert store.session(info.code) is not None
    later = storage._now() + storage.ATTEMPT_WINDOW
    assert [p.code for p in store.purge(max(due, later))] == [info.code]
    assert store.session(info.code) is None
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(storage.attempts)).scalar() == 0
    store.dispose()


def test_a_recent_guess_survives_the_purge(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'g.sqlite3'}")
    with pytest.raises(Exception, match="unknown-code"):
        store.join("ZZZZZZ", "Gok", client="192.0.2.1")
    store.purge(storage._now() + storage.ATTEMPT_WINDOW - dt.timedelta(seconds=1))
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(storage.attempts)).scalar() == 1
    store.dispose()
