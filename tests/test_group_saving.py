"""A participant's answers on their way to the session store (kit.group.SessionClient and Memory),
against a store in memory that can be told to fail: what is saved, what stays pending, what the
page is told, and when."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading

import pytest

from kit.answers import PhaseGuess, Record, ScanAnswers
from kit.group import RETRY_SECONDS, SAVE_WAIT, Memory, SessionClient
from kit.sessions import InputError, Problem
from kit.storage import Joined, SessionInfo, StorageError, Submission
from tests.conftest import on_a_thread_of_its_own

NOW = dt.datetime.now(dt.UTC)


def info(closed: bool = False) -> SessionInfo:
    return SessionInfo(
        code="ABC123",
        title="Training",
        case_id="buurtkracht",
        intervention_id=None,
        created_at=NOW,
        expires_at=NOW + dt.timedelta(days=1),
        closed_at=NOW if closed else None,
    )


class FakeStore:
    """Saves in a dict; ``fail`` is raised by the next saves while it is set."""

    def __init__(self) -> None:
        self.saved: dict[tuple[str, str], Record] = {}
        self.calls: list[Record] = []
        self.fail: Exception | None = None
        self.refuse: set[str] = set()  # scenarios refused as too large
        self.lock = threading.Lock()

    def save(self, code: str, participant: str, alias: str, record: Record) -> None:
        assert (code, participant, alias) == ("ABC123", "p1", "Uil")
        with self.lock:
            self.calls.append(record)
            if self.fail is not None:
                raise self.fail
            if getattr(record, "scenario", None) in self.refuse:
                raise InputError(Problem.TOO_LARGE)
            self.saved[record.key] = record

    def own_submissions(self, code: str, participant: str) -> list[Submission]:
        assert (code, participant) == ("ABC123", "p1")
        return [Submission("p1", "Uil", r, NOW) for r in self.saved.values()]


def client(store: FakeStore, closed: bool = False) -> SessionClient:
    return SessionClient(store, Joined(info(closed), "p1", "Uil", "tok-1", True))  # type: ignore[arg-type]


def guess(scenario: str, first: int = 1) -> PhaseGuess:
    return PhaseGuess(scenario=scenario, first=first, last=first)


def test_the_client_knows_who_and_where() -> None:
    c = client(FakeStore())
    assert (c.participant, c.alias, c.token, c.new) == ("p1", "Uil", "tok-1", True)
    assert c.info.code == "ABC123" and not c.closed and c.pending == {}
    assert c.last_error is None and c.on_settled is None
    assert c.retry_seconds == RETRY_SECONDS == 5.0 and SAVE_WAIT == 0.3
    assert c.wait(0) is True  # nothing to save: settled


def test_a_saved_answer_is_in_the_store_and_no_longer_pending() -> None:
    store = FakeStore()
    c = client(store)
    assert c.save(guess("a")) is True
    assert store.saved == {("phases", "a"): guess("a")} and c.pending == {}
    assert c.save(guess("a", 2)) is True
    assert store.saved[("phases", "a")] == guess("a", 2)
    assert c.restore() == {("phases", "a"): guess("a", 2)}
    assert c.wait(2)


def test_a_closed_session_takes_nothing() -> None:
    store = FakeStore()
    c = client(store, closed=True)
    assert c.closed
    assert c.save(guess("a")) is False
    c.kick()
    assert store.calls == [] and c.pending == {}


def test_a_session_closed_while_saving_keeps_the_answers_here() -> None:
    store = FakeStore()
    c = client(store)
    store.fail = InputError(Problem.CLOSED)
    assert c.save(guess("a")) is False
    assert c.wait(2)
    assert c.closed and c.pending == {} and store.saved == {}
    assert c.save(guess("b")) is False and len(store.calls) == 1  # not even tried


def test_a_refused_answer_stays_and_the_others_are_saved(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="kit")
    store = FakeStore()
    store.refuse = {"big"}
    c = client(store)
    assert c.save(guess("big")) is False
    assert c.save(guess("a")) is False  # the big one is still pending: not all saved
    assert c.wait(2)
    assert set(c.pending) == {("phases", "big")} and store.saved == {("phases", "a"): guess("a")}
    assert c.last_error is None and not c.closed
    assert f"phases/big refused for session ABC123: {Problem.TOO_LARGE.value}" in caplog.messages


def test_an_outage_is_retried_until_saved_and_then_told(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="kit")
    store = FakeStore()
    store.fail = StorageError("database is down")
    c = client(store)
    c.retry_seconds = 0.05
    settled: list[bool] = []
    c.on_settled = settled.append
    assert c.save(guess("a")) is False
    assert c.last_error == "database is down" and set(c.pending) == {("phases", "a")}
    assert not c.wait(0.1)  # still trying
    assert 2 <= len(store.calls) <= 10  # retried, but every retry_seconds: not in a tight loop
    worker = c._worker
    # A daemon thread: a kernel that shuts down does not wait for a database that is down.
    assert worker is not None and worker.name == "kit-save" and worker.daemon
    assert "could not save phases/a for session ABC123: database is down" in caplog.messages
    assert len(store.calls) >= 2  # retried
    store.fail = None
    assert c.wait(5)
    assert settled == [True]
    assert c.pending == {} and c.last_error is None and store.saved == {("phases", "a"): guess("a")}
    assert c.flush() is True  # nothing left


def test_a_worker_that_crashes_says_not_saved(caplog: pytest.LogCaptureFixture) -> None:
    store = FakeStore()
    c = client(store)
    settled: list[bool] = []
    c.on_settled = settled.append
    store.fail = RuntimeError("bug")  # not a storage error: logged, not retried
    assert c.save(guess("a")) is False  # told at once: nothing owed later
    assert c.wait(5) and settled == []
    assert set(c.pending) == {("phases", "a")} and len(store.calls) == 1
    assert caplog.messages == ["saving answers for session ABC123 failed"]


def test_a_newer_answer_saved_during_a_flush_is_not_dropped() -> None:
    store = FakeStore()
    c = client(store)
    c.pending[("phases", "a")] = guess("a", 1)
    original = store.save

    def save_and_answer_again(code: str, participant: str, alias: str, record: Record) -> None:
        original(code, participant, alias, record)
        if record == guess("a", 1):
            c.pending[("phases", "a")] = guess("a", 2)  # answered again meanwhile

    store.save = save_and_answer_again  # type: ignore[method-assign]
    c.flush()
    assert c.pending == {("phases", "a"): guess("a", 2)} and store.saved[("phases", "a")] == guess(
        "a", 1
    )
    assert c.flush() is True and store.saved[("phases", "a")] == guess("a", 2)


def test_memory_keeps_one_record_per_key_in_first_saved_order() -> None:
    memory = Memory()
    memory.save(guess("b"))
    memory.save(ScanAnswers(perspective="organisatie", values={"x": 1}))
    memory.save(guess("a"))
    memory.save(guess("b", 3))
    assert memory.records(PhaseGuess) == [guess("b", 3), guess("a")]
    assert memory.find(PhaseGuess, scenario="a") == guess("a")
    assert memory.find(PhaseGuess, scenario="a", first=2) is None
    assert memory.find(PhaseGuess, scenario="c") is None
    assert memory.find(ScanAnswers) == ScanAnswers(perspective="organisatie", values={"x": 1})


def test_memory_says_which_session_it_shows() -> None:
    memory = Memory()
    assert memory.session_info is None and memory.session_read
    url = info()
    later = Memory(session=url)
    assert not later.session_read
    assert later.session_info is url
    store = FakeStore()
    later.attach(client(store))
    assert later.client is not None and later.session_info is later.client.info


def test_joining_brings_stored_answers_back_and_local_ones_win() -> None:
    store = FakeStore()
    store.saved = {("phases", "a"): guess("a", 1), ("phases", "b"): guess("b", 1)}
    memory = Memory()
    memory.save(guess("a", 4))  # answered before joining
    told: list[bool] = []
    memory.listeners.append(told.append)
    memory.attach(client(store))
    assert memory.data == {("phases", "a"): guess("a", 4), ("phases", "b"): guess("b", 1)}
    assert store.saved[("phases", "a")] == guess("a", 4)  # sent on joining
    memory.save(guess("c"))
    assert told == [True] and store.saved[("phases", "c")] == guess("c")


def test_memory_tells_listeners_when_saving_settles_later() -> None:
    on_a_thread_of_its_own(_listeners_told_later)  # outside any event loop, as plain Python


def _listeners_told_later() -> None:
    store = FakeStore()
    store.fail = StorageError("down")
    memory = Memory()
    told: list[bool] = []
    memory.listeners.append(told.append)
    memory.attach(client(store))
    assert memory.client is not None
    memory.client.retry_seconds = 0.05
    memory.save(guess("a"))
    assert told == [False]
    store.fail = None
    assert memory.client.wait(5)
    assert told == [False, True]


def test_inside_a_kernel_listeners_are_told_on_its_event_loop() -> None:
    async def scenario() -> tuple[list[tuple[bool, bool]], Memory]:
        store = FakeStore()
        store.fail = StorageError("down")
        memory = Memory()
        told: list[tuple[bool, bool]] = []
        loop_thread = threading.current_thread()
        memory.listeners.append(
            lambda ok: told.append((ok, threading.current_thread() is loop_thread))
        )
        memory.attach(client(store))
        assert memory.client is not None
        memory.client.retry_seconds = 0.05
        memory.save(guess("a"))
        store.fail = None
        for _ in range(200):
            if len(told) == 2:
                break
            await asyncio.sleep(0.02)
        return told, memory

    told, _ = on_a_thread_of_its_own(lambda: asyncio.run(scenario()))
    assert told == [(False, True), (True, True)]  # both on the loop's thread


def test_joining_a_closed_session_sends_nothing() -> None:
    store = FakeStore()
    memory = Memory()
    memory.save(guess("a"))
    memory.attach(client(store, closed=True))
    assert store.calls == [] and memory.data == {("phases", "a"): guess("a")}


class SlowStore(FakeStore):
    """A store that answers only when the test lets it (a locked database)."""

    def __init__(self) -> None:
        super().__init__()
        self.go = threading.Event()

    def save(self, code: str, participant: str, alias: str, record: Record) -> None:
        assert self.go.wait(5)
        super().save(code, participant, alias, record)


def test_a_slow_save_is_told_when_it_settles() -> None:
    store = SlowStore()
    store.refuse = {"big"}
    c = client(store)
    settled: list[bool] = []
    c.on_settled = settled.append
    assert c.save(guess("big")) is False  # the store did not answer in time
    assert c.save(guess("a")) is False
    c.save(guess("a", 2))  # answered again while the first is still on its way
    store.go.set()
    assert c.wait(5)
    assert settled == [False]  # the big one was refused: not everything is saved
    assert store.saved == {("phases", "a"): guess("a", 2)}  # the newer answer, not the first
    assert set(c.pending) == {("phases", "big")}


def test_a_slow_save_that_crashes_is_told_not_saved() -> None:
    store = SlowStore()
    store.fail = RuntimeError("bug")
    c = client(store)
    settled: list[bool] = []
    c.on_settled = settled.append
    assert c.save(guess("a")) is False
    store.go.set()
    assert c.wait(5) and settled == [False]


def test_joining_while_the_store_is_down_does_not_wait_for_it() -> None:
    store = FakeStore()
    store.fail = StorageError("down")
    memory = Memory()
    memory.save(guess("a"))
    memory.attach(client(store))  # returns after SAVE_WAIT, saving goes on in the background
    assert memory.client is not None and set(memory.client.pending) == {("phases", "a")}
    store.fail = None
    memory.client.kick()  # wakes the worker instead of waiting out its retry
    assert memory.client.wait(5) and store.saved == {("phases", "a"): guess("a")}
