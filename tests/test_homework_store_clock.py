"""The store takes its time from the one clock it is given (issue 25 §3: a homework session
played with a clock the test moves): what it stamps (a session made, an answer saved, a student
joined, homework set, a hand-in) and what the homework rules judge by (on time or late, the
reference held or shown) come from the same clock, so a hand-in after the deadline by that clock
is both marked late and stamped after the deadline. No ``KIT_CLOCK_FILE`` here: the clock is
injected, and set years away from the real time, so a real-time stamp cannot pass."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from kit import formats
from kit.answers import PhaseGuess
from kit.content import default_content
from kit.homework import Assignment
from kit.storage import Store
from kit.storage.schema import homework as homework_table
from kit.storage.schema import participants
from tests.test_apps import find

C = default_content()
T0 = dt.datetime(2031, 3, 3, 9, tzinfo=dt.UTC)
DEADLINE = T0 + dt.timedelta(days=7)


class Clock:
    """A clock the test sets."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clocked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Store, Clock]]:
    clock = Clock(T0)
    s = Store(f"sqlite:///{tmp_path / 'clocked.sqlite3'}", clock=clock)
    monkeypatch.setattr("kit.storage.get_store", lambda url=None: s)
    monkeypatch.delenv("KIT_CLOCK_FILE", raising=False)
    yield s, clock
    s.dispose()


def test_every_stamp_and_every_verdict_comes_from_the_stores_clock(
    clocked: tuple[Store, Clock], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kit.apps.phases_app import phases_app

    store, clock = clocked
    info, key = store.create_session("Huiswerk", days=21)
    assert info.created_at == T0 and info.expires_at == T0 + dt.timedelta(days=21)
    store.set_homework(info.code, key, Assignment(("phases",), DEADLINE, "after-deadline").dump())
    monkeypatch.setenv("QUERY_STRING", f"session={info.code}")

    # Uil joins and answers a day in, hands in on time: stamped then, not late.
    clock.now = T0 + dt.timedelta(days=1)
    uil_page = phases_app()
    find(uil_page, "kit-session-alias").value = "Uil"
    find(uil_page, "kit-session-join").click()
    uil = store.participants(info.code, key)[0].participant
    store.save(info.code, uil, "Uil", PhaseGuess(scenario=C.scenarios[0].id, first=1, last=1))
    clock.now = DEADLINE - dt.timedelta(minutes=1)
    find(uil_page, "kit-hand-in").click()
    on_time = formats.date_time(DEADLINE - dt.timedelta(minutes=1), "nl")
    assert on_time in find(uil_page, "kit-homework-message").value
    assert C.t("homework.status.on_time", "nl") in find(uil_page, "kit-homework-status").value

    # Noor hands in an hour after the deadline: stamped then, and late.
    noor_page = phases_app()
    find(noor_page, "kit-session-alias").value = "Noor"
    find(noor_page, "kit-session-join").click()
    clock.now = DEADLINE + dt.timedelta(hours=1)
    find(noor_page, "kit-hand-in").click()
    assert "na de inleverdatum" in find(noor_page, "kit-homework-message").value
    assert C.t("homework.status.late", "nl") in find(noor_page, "kit-homework-status").value

    stamped = {h.alias: (h.at, h.late) for h in store.hand_ins(info.code, key)}
    assert stamped == {
        "Uil": (DEADLINE - dt.timedelta(minutes=1), False),
        "Noor": (DEADLINE + dt.timedelta(hours=1), True),
    }
    # Her answer is stamped when she saved it, by the same clock.
    (saved,) = store.all_submissions(info.code, key)
    assert saved.updated_at == T0 + dt.timedelta(days=1)
    with store.engine.begin() as conn:
        joined = dict(conn.execute(sa.select(participants.c.alias, participants.c.joined_at)).all())
        set_at = conn.execute(sa.select(homework_table.c.set_at)).scalar_one()
    assert {a: j.replace(tzinfo=dt.UTC) for a, j in joined.items()} == {
        "Uil": T0 + dt.timedelta(days=1),
        "Noor": DEADLINE - dt.timedelta(minutes=1),
    }
    assert set_at.replace(tzinfo=dt.UTC) == T0

    # The teacher's class view says the same: Uil on time, Noor late, at those times.
    from kit.apps.homework_app import homework_app

    monkeypatch.setenv("QUERY_STRING", "")
    teacher = homework_app()
    find(teacher, "kit-homework-code").value = info.code
    find(teacher, "kit-homework-key").value = key
    find(teacher, "kit-homework-open").click()
    table = find(teacher, "kit-homework-class").children[0].children[0].value
    late = formats.date_time(DEADLINE + dt.timedelta(hours=1), "nl")
    assert on_time in table and late in table
    assert C.t("homework.status.late", "nl") in table


def test_closing_and_purging_go_by_the_stores_clock(clocked: tuple[Store, Clock]) -> None:
    store, clock = clocked
    info, key = store.create_session("Kort", days=1, keep_days=1)
    clock.now = T0 + dt.timedelta(hours=2)
    store.close_session(info.code, key)
    closed = store.session(info.code)
    assert closed is not None and closed.closed_at == T0 + dt.timedelta(hours=2)
    assert [p.code for p in store.purge(dry_run=True)] == []  # still kept, by this clock
    clock.now = closed.delete_after
    assert [p.code for p in store.purge()] == [info.code]
    assert store.session(info.code) is None
