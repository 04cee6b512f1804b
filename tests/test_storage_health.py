"""What the store says about itself: a full disk, a failed purge, answers that cannot be read,
hostile titles (issue 21 items 7 and 10, issue 26 §3), and reopening a session (item 4)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from kit import storage
from kit.answers import PhaseGuess, ScanAnswers
from kit.content import default_content
from kit.sessions import InputError, Problem
from kit.storage import StorageError, Store
from kit.storage.base import classify


def limit_pages(store: Store, pages: int | None = None) -> int:
    """Simulate a full disk: SQLite refuses to grow the file past ``max_page_count`` pages
    (SQLITE_FULL, "database or disk is full", as on a full disk). Returns the limit."""
    with store.engine.connect() as conn:
        pages = pages or int(conn.exec_driver_sql("PRAGMA page_count").scalar_one())

    @sa.event.listens_for(store.engine, "connect")
    def _limit(dbapi_conn: Any, _: Any) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

    store.engine.dispose()
    store._limit = _limit  # type: ignore[attr-defined]
    return pages


def free_pages(store: Store) -> None:
    sa.event.remove(store.engine, "connect", store._limit)  # type: ignore[attr-defined]
    store.engine.dispose()


def scan(n: int) -> ScanAnswers:
    return ScanAnswers(perspective="organisatie", case="buurtkracht", values={"org-0-1": n % 4})


def fill(store: Store, code: str) -> StorageError:
    """Join and answer until the store is full; the error it gives then."""
    for n in range(10_000):
        try:
            joined = store.join(code, f"Deelnemer {n}")
            store.save(code, joined.participant, joined.alias, scan(n))
        except StorageError as exc:
            return exc
    raise AssertionError("the store never filled up")


def test_a_full_disk_is_named_full_and_shows_in_health(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'groups.sqlite3'}"
    room = Store(url)  # the participants' kernels
    info, key = room.create_session("Volle schijf")
    dashboard = Store(url)  # the trainer's kernel: it only reads, until it probes
    dashboard.probe_write()
    assert dashboard.health().failure is None and dashboard.health().last_backup is not None
    limit_pages(room)
    pages = limit_pages(dashboard)
    assert pages > 0
    before = storage._now()
    failed = fill(room, info.code)
    assert failed.full and failed.failure == "full" and not failed.damaged
    assert "database or disk is full" in str(failed)
    assert "disk full" in caplog.text  # the server log says what happened
    health = room.health()
    assert health.failure == "full" and health.failing_since is not None
    assert health.failing_since >= before
    # The dashboard's reads still work, so only its probe shows the full disk...
    assert len(dashboard.all_submissions(info.code, key)) > 0
    assert dashboard.health().failure is None
    with pytest.raises(StorageError) as probed:
        dashboard.probe_write()
    assert probed.value.full
    since = dashboard.health().failing_since
    assert dashboard.health().failure == "full" and since is not None
    # ...and a read that works does not hide it; the time it started stays.
    dashboard.all_submissions(info.code, key)
    with pytest.raises(StorageError):
        dashboard.probe_write()
    assert dashboard.health().failure == "full" and dashboard.health().failing_since == since
    # Room again: the next probe clears it.
    free_pages(dashboard)
    dashboard.probe_write()
    assert dashboard.health().failure is None and dashboard.health().failing_since is None
    room.dispose()
    dashboard.dispose()


def test_postgresql_disk_full_is_classified_as_full() -> None:
    import psycopg

    exc = sa.exc.OperationalError(
        "INSERT …", {}, psycopg.errors.DiskFull("could not extend file: No space left on device")
    )
    assert classify(exc) == "full"
    plain = sa.exc.OperationalError("INSERT …", {}, Exception("No space left on device"))
    assert classify(plain) == "full"
    gone = sa.exc.OperationalError("SELECT 1", {}, Exception("connection refused"))
    assert classify(gone) == "unreachable"
    assert classify(sa.exc.IntegrityError("INSERT …", {}, Exception("UNIQUE"))) is None


def test_an_unreachable_store_shows_in_health(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'no' / 'such' / 'groups.sqlite3'}")
    with pytest.raises(StorageError) as failed:
        store.probe_write()
    assert failed.value.failure == "unreachable" and not failed.value.full
    assert store.health().failure == "unreachable" and store.health().failing_since is not None


@pytest.mark.parametrize(
    ("title", "stored"),
    [
        ("Buurt\x00team", "Buurtteam"),
        ("Sessie\x0b met\x1b[31m rommel\x7f", "Sessie met[31m rommel"),
        ("  twee \n regels ", "twee regels"),
        ("half \ud83d emoji", "half \ufffd emoji"),
    ],
    ids=["nul", "controls", "white-space", "surrogate"],
)
def test_hostile_titles_are_cleaned_on_every_backend(db_url: str, title: str, stored: str) -> None:
    """Issue 21 item 10: on PostgreSQL a NUL was reported as "cannot be reached"."""
    store = Store(db_url)
    info, _ = store.create_session(title)
    assert info.title == stored
    again = store.session(info.code)
    assert again is not None and again.title == stored
    assert store.health().failure is None
    store.dispose()


@pytest.mark.parametrize(
    ("title", "problem"),
    [("\x00\x01\x1b", Problem.EMPTY_TITLE), ("x\x00" * 121, Problem.LONG_TITLE)],
    ids=["only-controls", "too-long"],
)
def test_bad_titles_are_refused_as_input(db_url: str, title: str, problem: Problem) -> None:
    store = Store(db_url)
    with pytest.raises(InputError) as refused:
        store.create_session(title)
    assert refused.value.code == problem
    store.dispose()


def test_hostile_input_anywhere_is_input_not_an_outage(db_url: str) -> None:
    """NUL and other controls in codes, aliases, personal codes and keys: refused as input or
    simply wrong, never a store failure."""
    store = Store(db_url)
    info, key = store.create_session("Sessie")
    store.join(info.code, "Vos")
    nul = "\x00"
    for call in (
        lambda: store.join(info.code + nul, "Uil"),
        lambda: store.join(info.code, f"Ui{nul}l"),
        lambda: store.join(info.code, "Vos", f"ABCD{nul}EFG"),
        lambda: store.rejoin(info.code, f"ABCD{nul}EFGH"),
        lambda: store.open_session(f"{info.code}{nul}", key),
        lambda: store.open_session(info.code, f"{key}{nul}"),
        lambda: store.public_session(f"AB{nul}CDE"),
    ):
        with pytest.raises(InputError):
            call()
    assert not store.check_key(info.code, nul)
    assert store.health().failure is None
    store.dispose()


# --------------------------------------------------------------------------- reopening


def test_a_closed_session_is_reopened_within_its_retention_period(db_url: str) -> None:
    store = Store(db_url)
    info, key = store.create_session("Heropenen")
    uil = store.join(info.code, "Uil")
    store.close_session(info.code, key)
    with pytest.raises(InputError, match="closed"):
        store.save(info.code, uil.participant, uil.alias, PhaseGuess(scenario="s", first=1, last=1))
    with pytest.raises(InputError, match="bad-key"):
        store.reopen_session(info.code, "WRNG-WRNG-WRNG")
    again = store.reopen_session(info.code.lower(), key.lower(), client="192.0.2.1")
    assert again.open and again.closed_at is None and again.expires_at == info.expires_at
    store.save(info.code, uil.participant, uil.alias, PhaseGuess(scenario="s", first=1, last=1))
    assert store.count(info.code) == 1
    store.dispose()


def test_an_expired_session_is_reopened_for_another_week(db_url: str) -> None:
    store = Store(db_url)
    info, key = store.create_session("Verlopen")
    with store.engine.begin() as conn:
        conn.execute(
            sa.update(storage.sessions).values(expires_at=storage._now() - dt.timedelta(days=3))
        )
    assert not store.session(info.code).open  # type: ignore[union-attr]
    before = storage._now()
    again = store.reopen_session(info.code, key)
    assert again.open
    week = dt.timedelta(days=storage.DEFAULT_DAYS)
    assert before + week <= again.expires_at <= storage._now() + week
    assert store.join(info.code, "Laat").new
    store.dispose()


def test_a_session_past_its_retention_period_cannot_be_reopened(db_url: str) -> None:
    store = Store(db_url)
    info, key = store.create_session("Te laat", keep_days=30)
    with store.engine.begin() as conn:
        conn.execute(
            sa.update(storage.sessions).values(
                closed_at=storage._now() - dt.timedelta(days=31),
                expires_at=storage._now() - dt.timedelta(days=30),
            )
        )
    with pytest.raises(InputError) as refused:
        store.reopen_session(info.code, key)
    assert refused.value.code == Problem.TOO_LATE_TO_REOPEN
    assert not store.session(info.code).open  # type: ignore[union-attr]
    content = default_content()
    for lang, word in (("nl", "bewaartermijn"), ("en", "retention period")):
        assert word in content.t(refused.value.code.text_key, lang)
    store.dispose()


# --------------------------------------------------------------------------- unreadable answers


def store_unreadable_row(store: Store, code: str, participant: str) -> None:
    """A kern answer for ``participant`` ("Uil") whose stored JSON is not the list it should be, as
    an older or damaged store could hold: written past the store's own checks."""
    now = storage._now()
    with store.engine.begin() as conn:
        conn.execute(
            storage.submissions.insert().values(
                session_code=code,
                participant=participant,
                alias="Uil",
                module="kern",
                item="samen-sterk",
                answers='"not a list"',
                created_at=now,
                updated_at=now,
            )
        )


def test_unreadable_answers_are_counted_and_kept_for_export(db_url: str) -> None:
    store = Store(db_url)
    info, key = store.create_session("Oude rijen")
    uil = store.join(info.code, "Uil")
    store.save(info.code, uil.participant, uil.alias, scan(2))
    store_unreadable_row(store, info.code, uil.participant)
    assert [s.record for s in store.all_submissions(info.code, key)] == [scan(2)]
    assert store.unreadable(info.code, key) == 1
    [row] = store.unreadable_rows(info.code, key)
    assert (row.participant, row.alias, row.module, row.item, row.answers) == (
        uil.participant,
        "Uil",
        "kern",
        "samen-sterk",
        '"not a list"',
    )
    assert store.count(info.code) == 2  # still stored
    with pytest.raises(InputError, match="bad-key"):
        store.unreadable(info.code, "WRNG-WRNG-WRNG")
    with pytest.raises(InputError, match="bad-key"):
        store.unreadable_rows(info.code, "WRNG-WRNG-WRNG")
    store.dispose()


# --------------------------------------------------------------------------- a failed purge


def _forbid_deleting_sessions(store: Store) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TRIGGER kit_test_keep BEFORE DELETE ON kit_sessions "
            "BEGIN SELECT RAISE(ABORT, 'deleting sessions is not allowed here'); END"
        )


def test_a_failed_purge_at_start_up_shows_in_health_and_in_the_command(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from kit.__main__ import main

    url = f"sqlite:///{tmp_path / 'groups.sqlite3'}"
    store = Store(url)
    info, _ = store.create_session("Afgelopen", keep_days=0)
    with store.engine.begin() as conn:
        conn.execute(
            sa.update(storage.sessions).values(expires_at=storage._now() - dt.timedelta(days=1))
        )
    _forbid_deleting_sessions(store)
    store.dispose()
    kernel = Store(url)
    assert kernel.session(info.code) is not None  # it works, but retention does not hold
    health = kernel.health()
    assert health.purge_failed is not None and "not allowed" in health.purge_failed
    assert "could not delete expired sessions" in caplog.text
    kernel.dispose()
    monkeypatch.setenv("KIT_DATABASE_URL", url)
    monkeypatch.setattr(storage, "_stores", {})
    assert main(["purge"]) == 1
    err = capsys.readouterr().err
    assert "could not delete" in err and "not allowed" in err
    assert "cannot be reached" not in err
