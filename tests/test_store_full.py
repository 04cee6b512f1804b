"""A full store (issue 21, item 7, the participant's side): every save fails, and the participant
is told that the group store is full and to tell the trainer, not that it "cannot be reached";
the server log says "disk full". A real SQLite file is made full with ``PRAGMA max_page_count``
(the database's size limit, which SQLite reports with the same words as a full disk)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from kit.answers import PhaseGuess, ScanAnswers
from kit.apps.common import Ctx, Status, store_problem
from kit.apps.session_bar import build_session_bar
from kit.content import default_content
from kit.group import Memory, SessionClient, store_full
from kit.storage import StorageError, Store
from tests.conftest import on_a_thread_of_its_own


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'full.sqlite3'}")
    yield s
    s.dispose()


def fill_up(store: Store) -> Any:
    """Cap the database at the pages it has now: the next write that needs a page fails with
    "database or disk is full". Returns the listener, to lift the cap with :func:`make_room`."""

    def cap(dbapi_conn: Any, _: object) -> None:
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    sa.event.listen(store.engine, "connect", cap)
    store.engine.dispose()  # new connections get the cap
    return cap


def make_room(store: Store, cap: Any) -> None:
    sa.event.remove(store.engine, "connect", cap)
    store.engine.dispose()


GUESS = PhaseGuess(scenario="wijk", first=2, last=3)


def big_scan(n: int) -> ScanAnswers:
    # Enough to need new pages.
    return ScanAnswers(perspective="organisatie", values={f"s{n}-{i}": i % 4 for i in range(1200)})


def test_the_store_flag_decides_and_other_errors_are_read_by_their_words(store: Store) -> None:
    # The store classifies its driver's errors itself (kit.storage.base.classify).
    assert store_full(StorageError("disk", failure="full"))
    assert not store_full(StorageError("database or disk is full", failure="unreachable"))
    # An error from elsewhere (no flag) is read by the database's words.
    assert store_full(OSError("could not write to file: No space left on device"))
    assert store_full(RuntimeError('could not extend file "base/1/2": wrote only 4096 bytes'))
    assert not store_full(RuntimeError("(psycopg.OperationalError) connection refused"))


def test_a_full_store_is_named_to_the_participant_and_in_the_log(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="kit")
    on_a_thread_of_its_own(lambda: _full_store(store), timeout=120)
    disk_full = [r for r in caplog.records if "disk full" in r.getMessage()]
    # Said once for the outage, as an error, with the database's own words; not on every retry.
    assert len(disk_full) == 1 and disk_full[0].levelno == logging.ERROR
    assert "database or disk is full" in disk_full[0].getMessage()


def _full_store(store: Store) -> None:
    info, key = store.create_session("Vol")
    memory = Memory()
    memory.attach(SessionClient(store, store.join(info.code, "Vos", "")))
    client = memory.client
    assert client is not None
    client.retry_seconds = 0.05
    cap = fill_up(store)
    memory.save(big_scan(1))
    memory.save(GUESS)
    assert not client.wait(0.5)  # still trying
    assert client.full and set(client.pending) == {big_scan(1).key, GUESS.key}
    ctx = Ctx(default_content(), "nl", Status(), memory)
    bar = build_session_bar(ctx, lambda: None)
    assert "Niet opgeslagen: de groepsopslag is vol. Laat het de trainer weten." in bar.value
    assert "niet bereikbaar" not in bar.value and 'role="alert"' in bar.value
    # (The bar built last listens to the saving; the English one, built after the Dutch one.)
    english = build_session_bar(Ctx(default_content(), "en", Status(), memory), lambda: None)
    assert "Not saved: the group store is full. Tell the trainer." in english.value
    assert "2 answers are kept on this page" in english.value
    # Joining while the store is full says the same, not "cannot be reached".
    with pytest.raises(StorageError) as failed:
        for n in range(50):  # each participant needs room; the cap is reached at once
            store.join(info.code, f"Extra{n}", "")
    assert store_problem(ctx.t, failed.value) == ctx.t("session.error.full")
    assert store_problem(ctx.t, failed.value, trainer=True) == ctx.t("group.db_down")
    # The trainer frees space: the kept answers are saved, and the bar says so.
    make_room(store, cap)
    assert client.wait(10)
    assert not client.full and client.pending == {}
    assert "saved at" in english.value and "Not saved" not in english.value  # its listener
    stored = {s.record.key: s.record for s in store.all_submissions(info.code, key)}
    assert stored[big_scan(1).key] == big_scan(1)
    assert stored[GUESS.key] == GUESS
