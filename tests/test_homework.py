"""Homework (issue 25 §3): the hand-in rules with a clock the test moves, what the store keeps
of a hand-in, and the upgrade of a store of the previous schema version on a real file."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from kit import answers, homework
from kit.answers import PhaseGuess, ScanAnswers
from kit.homework import Assignment, HandIn, HomeworkError, HomeworkProblem, hand_in_rule
from kit.sessions import InputError, Problem
from kit.storage import Store, backups, schema

NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
DEADLINE = NOW + dt.timedelta(days=7)


# --------------------------------------------------------------------------- the rules


def test_setting_homework_refuses_what_cannot_be_done() -> None:
    work = homework.assignment(["phases", "kern", "phases"], DEADLINE, "after-deadline", NOW)
    assert work == Assignment(("phases", "kern"), DEADLINE, "after-deadline")
    assert Assignment.load(work.dump()) == work
    cases = [
        ([], DEADLINE, "after-hand-in", HomeworkProblem.NO_EXERCISE),
        (["kern", "tekenen"], DEADLINE, "after-hand-in", HomeworkProblem.UNKNOWN_EXERCISE),
        (["kern"], DEADLINE, "nooit", HomeworkProblem.UNKNOWN_RELEASE),
        (["kern"], NOW, "after-hand-in", HomeworkProblem.DEADLINE_PAST),
        (["kern"], NOW - dt.timedelta(days=1), "after-hand-in", HomeworkProblem.DEADLINE_PAST),
        (["kern"], NOW + dt.timedelta(days=121), "after-hand-in", HomeworkProblem.DEADLINE_FAR),
    ]
    for exercises, deadline, release, problem in cases:
        with pytest.raises(HomeworkError) as caught:
            homework.assignment(exercises, deadline, release, NOW)
        assert caught.value.problem is problem


def test_the_deadline_past_message_is_clear_in_both_languages() -> None:
    from kit.content import default_content

    c = default_content()
    for problem in HomeworkProblem:
        for lang in ("nl", "en"):
            assert len(c.t(problem.text_key, lang)) > 20
    assert "verleden" in c.t(HomeworkProblem.DEADLINE_PAST.text_key, "nl")
    assert "past" in c.t(HomeworkProblem.DEADLINE_PAST.text_key, "en")


def test_on_time_again_before_the_deadline_late_and_too_late() -> None:
    work = Assignment(("kern",), DEADLINE)
    on_time = hand_in_rule(work, DEADLINE - dt.timedelta(days=2), None)
    assert (on_time.ok, on_time.number, on_time.late) == (True, 1, False)
    first = HandIn("p", "Uil", DEADLINE - dt.timedelta(days=2), 1, False)
    again = hand_in_rule(work, DEADLINE - dt.timedelta(seconds=1), first)
    assert (again.ok, again.number, again.late) == (True, 2, False)
    # At the deadline exactly it is late; a first hand-in is taken and marked.
    late = hand_in_rule(work, DEADLINE, None)
    assert (late.ok, late.number, late.late) == (True, 1, True)
    # What was handed in on time stands: no replacing it after the deadline.
    assert hand_in_rule(work, DEADLINE + dt.timedelta(hours=1), first).problem is (
        HomeworkProblem.ALREADY_IN
    )
    # After the late period the session takes nothing more.
    gone = hand_in_rule(work, work.takes_until, None)
    assert gone.problem is HomeworkProblem.GONE


def test_when_the_reference_shows() -> None:
    after_hand_in = Assignment(("quickscan",), DEADLINE, "after-hand-in")
    after_deadline = Assignment(("quickscan",), DEADLINE, "after-deadline")
    before = DEADLINE - dt.timedelta(hours=1)
    assert not homework.answers_visible(after_hand_in, before, handed_in=False)
    assert homework.answers_visible(after_hand_in, before, handed_in=True)
    assert not homework.answers_visible(after_deadline, before, handed_in=True)
    assert homework.answers_visible(after_deadline, DEADLINE, handed_in=False)


def test_the_clock_a_test_moves(tmp_path: Path) -> None:
    moved = tmp_path / "clock"
    moved.write_text("2027-01-02T03:04:05+00:00")
    env = {"KIT_CLOCK_FILE": str(moved)}
    assert homework.clock(env) == dt.datetime(2027, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    moved.write_text("2027-01-09T00:00:00")
    assert homework.clock(env) == dt.datetime(2027, 1, 9, tzinfo=dt.UTC)
    moved.write_text("not a time")
    assert abs(homework.clock(env) - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)


# --------------------------------------------------------------------------- the store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'homework.sqlite3'}")
    yield s
    s.dispose()


def test_a_hand_in_keeps_the_answers_as_they_were(store: Store) -> None:
    info, key = store.create_session("Huiswerk week 50", case_id="schuldmaatjes", days=21)
    work = Assignment(("phases", "quickscan"), DEADLINE)
    store.set_homework(info.code, key, work.dump())
    assert Assignment.load(store.homework(info.code) or "") == work
    with pytest.raises(InputError):
        store.set_homework(info.code, "WRONG-KEY-0000", work.dump())
    joined = store.join(info.code, "Uil")
    guess = PhaseGuess(scenario="mail-die-niemand-las", first=1, last=1)
    scan = ScanAnswers(perspective="organisatie", case="schuldmaatjes", values={"org-0-1": 2})
    store.save(info.code, joined.participant, "Uil", guess)
    store.save(info.code, joined.participant, "Uil", scan)
    first = store.hand_in(info.code, joined.participant, "Uil", NOW, False, 1, ["phases"])
    assert [answers.load(*r) for r in first.records] == [guess]
    # She changes her answer and hands in again: both hand-ins are kept, each as it was.
    changed = guess.model_copy(update={"last": 2})
    store.save(info.code, joined.participant, "Uil", changed)
    store.hand_in(
        info.code, joined.participant, "Uil", NOW + dt.timedelta(days=1), False, 2, work.exercises
    )
    own = store.own_hand_ins(info.code, joined.participant)
    assert [h.number for h in own] == [1, 2]
    assert own[0].records == first.records and len(own[1].records) == 2
    assert ("phases", changed.item, answers.dump(changed)) in own[1].records
    assert store.hand_ins(info.code, key) == own
    with pytest.raises(InputError):
        store.hand_ins(info.code, "WRONG-KEY-0000")


def test_a_hand_in_after_the_session_was_deleted_is_refused(store: Store) -> None:
    info, key = store.create_session("Weg", days=21)
    store.set_homework(info.code, key, Assignment(("kern",), DEADLINE).dump())
    joined = store.join(info.code, "Merel")
    store.hand_in(info.code, joined.participant, "Merel", NOW, False, 1, ["kern"])
    store.delete_session(info.code, key)
    with pytest.raises(InputError) as caught:
        store.hand_in(info.code, joined.participant, "Merel", NOW, False, 2, ["kern"])
    assert caught.value.code is Problem.CLOSED
    assert store.homework(info.code) is None
    assert store.own_hand_ins(info.code, joined.participant) == []  # deleted with the session


# --------------------------------------------------------------------------- the upgrade


def previous_store(path: Path) -> Path:
    """A real SQLite file of schema version 6: the current tables without the homework ones,
    made with the same DDL, holding a session, a participant and an answer."""
    engine = sa.create_engine(f"sqlite:///{path}")
    kept = [
        t for t in schema.metadata.sorted_tables if t.name not in ("kit_homework", "kit_hand_ins")
    ]
    with engine.begin() as conn:
        schema.metadata.create_all(conn, tables=kept)
        conn.execute(schema.meta_table.insert().values(key="schema_version", value="6"))
        conn.execute(
            schema.sessions.insert().values(
                code="K7Q2MX",
                title="Oude sessie",
                key_salt="00",
                key_hash="x",
                created_at=NOW,
                expires_at=NOW + dt.timedelta(days=7),
                retention_days=30,
            )
        )
        conn.execute(
            schema.submissions.insert().values(
                session_code="K7Q2MX",
                participant="p-merel",
                alias="Merel",
                module="phases",
                item="mail-die-niemand-las",
                answers=answers.dump(PhaseGuess(scenario="mail-die-niemand-las", first=2, last=2)),
                created_at=NOW,
                updated_at=NOW,
            )
        )
    engine.dispose()
    return path


def test_a_store_of_schema_6_is_copied_then_upgraded(tmp_path: Path) -> None:
    db = previous_store(tmp_path / "groups.sqlite3")
    store = Store(f"sqlite:///{db}")
    try:
        assert store.migrate() == 6
        assert store.schema_version() == schema.SCHEMA_VERSION == 7
        copies = [c for c in backups.copies(db) if c.kind == "migration"]
        assert copies, "no copy made before the upgrade"
        with sqlite3.connect(copies[0].path) as old:
            version = old.execute(
                "SELECT value FROM kit_meta WHERE key='schema_version'"
            ).fetchone()
            tables = {
                r[0] for r in old.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        assert version == ("6",) and "kit_hand_ins" not in tables
        # The old answer is still there, and the new tables work.
        mine = store.own_submissions("K7Q2MX", "p-merel")
        assert [s.record for s in mine] == [
            PhaseGuess(scenario="mail-die-niemand-las", first=2, last=2)
        ]
        made = store.hand_in("K7Q2MX", "p-merel", "Merel", NOW, True, 1, ["phases"])
        assert made.late and len(made.records) == 1
        assert store.own_hand_ins("K7Q2MX", "p-merel") == [made]
    finally:
        store.dispose()
