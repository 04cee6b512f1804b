"""Agendas of a led session: the content rules and the room's rules (kit.agenda), without a
server."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kit.agenda import (
    OPEN_ANSWER_MAX,
    Action,
    Option,
    Room,
    answer_visible,
    answered_count,
    apply,
    correct_answer,
    current_step,
    options,
    tally,
    valid_vote,
    wall,
)
from kit.checks import check
from kit.content import CONTENT_DIR, Agenda, Content, default_content
from kit.text import TooLong

T0 = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def content() -> Content:
    return default_content()


@pytest.fixture(scope="module")
def workshop(content: Content) -> Agenda:
    return content.agenda("workshop")


def test_the_kit_ships_a_full_and_a_short_agenda(content: Content) -> None:
    full, short = content.agenda("workshop"), content.agenda("kort")
    # The default follows docs/trainer.md: join, the journey, a phase poll, the quickscan and
    # the group's picture, kern en schil, the plan, the close.
    assert [s.id for s in full.steps][:3] == ["welkom", "plank", "reis"]
    assert {"quickscan", "profiel", "kern-oefenen", "plan", "afsluiten"} <= {
        s.id for s in full.steps
    }
    assert short.minutes == 45
    assert full.minutes == 170  # the half day of docs/trainer.md, "Tijd: twee varianten"
    # The design's theory opener, transfer and evaluation are steps of their own (issue 19 §5).
    opener = full.step("reis")
    assert opener.minutes == 10 and opener.text is not None
    assert "weerstand" in opener.text("nl") and "schil" in opener.text("nl")
    ids = [s.id for s in full.steps]
    assert ids[-5:] == [
        "eigen-interventie",
        "evaluatie-nut",
        "evaluatie-mee",
        "evaluatie-beter",
        "afsluiten",
    ]
    assert [full.step(i).poll for i in ids[-4:-1]] == ["scale", "open", "open"]
    evaluation = sum(full.step(i).minutes for i in ids[-4:])
    assert evaluation == 10  # "Evaluatie en afsluiten", 10 minutes
    for agenda in (full, short):
        kinds = {s.kind for s in agenda.steps}
        assert kinds == {"instruction", "exercise", "poll", "results"}, agenda.id


def _agenda_copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    return root


def test_an_agenda_with_three_mistakes_names_all_three_with_their_lines(tmp_path: Path) -> None:
    root = _agenda_copy(tmp_path)
    path = root / "agendas" / "kort.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    edits = {
        "    scenario: klaar-maar-onbekend": "    scenario: klaar-maar-onbekent",  # unknown id
        "    type: setting": "    type: setting\n    app: kern",  # a field of another kind
        "  - id: reis": "  - id: welkom",  # a duplicate step id
    }
    at = {}
    for i, line in enumerate(lines):
        if line in edits:
            at[line] = i + 1
            lines[i] = edits[line]
    assert len(at) == 3, "fixture out of date"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    content, problems = check(root)
    assert content is None
    found = [str(p) for p in problems if p.path.endswith("agendas/kort.yaml")]
    assert len(found) == 3, found
    text = "\n".join(found)
    assert "unknown scenario 'klaar-maar-onbekent' (known: maatjes-in-de-hoofden" in text
    assert "a poll step (adaptation-verdict poll) takes no app" in text
    assert "duplicate step id 'welkom'" in text
    # Each at the line of its mistake (the app line came after `type`, so its step starts earlier).
    assert f"kort.yaml:{at['    scenario: klaar-maar-onbekend']}:" in text
    assert f"kort.yaml:{at['  - id: reis']}:" in text


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    of: fase-poll", "    of: kern", "results of 'kern': not an earlier poll or exercise"),
        ("    of: fase-poll", "    of: welkom", "results of 'welkom': not an earlier poll"),
        ("    element: venue-time", "    element: venue", "unknown element of samen-sterk 'venue'"),
        (
            "    tab: explore\n    title: {nl: Kern",
            "    tab: log2\n    title: {nl: Kern",
            "unknown tab 'log2' of kern",
        ),
        ("    poll: scale\n", "    poll: choice\n", "a poll step needs options"),
        (
            "    minutes: 3\n  - id: ervaring",
            "    minutes: 0\n  - id: ervaring",
            "greater than or equal to 1",
        ),
        (
            "  - id: welkom\n    kind: instruction",
            "  - id: welkom\n    kind: lecture",
            "instruction",
        ),
    ],
)
def test_agenda_rule_is_named(tmp_path: Path, old: str, new: str, expected: str) -> None:
    root = _agenda_copy(tmp_path)
    path = root / "agendas" / "kort.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture out of date: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    content, problems = check(root)
    assert content is None
    assert any(expected in str(p) and "agendas/kort.yaml:" in str(p) for p in problems), problems


def test_an_agenda_file_is_named_after_its_id(tmp_path: Path) -> None:
    root = _agenda_copy(tmp_path)
    (root / "agendas" / "kort.yaml").rename(root / "agendas" / "short.yaml")
    _, problems = check(root)
    assert any("id 'kort' must match the file name 'short'" in str(p) for p in problems)


# --------------------------------------------------------------------------- the room


def test_moving_on_opens_answering_hides_results_and_stops_the_timer(workshop: Agenda) -> None:
    room = Room("workshop", step=1, open=False, shown=True, timer_ends=T0)
    moved = apply(room, workshop, Action.NEXT, T0)
    assert (moved.step, moved.open, moved.shown, moved.timer_ends) == (2, True, False, None)
    assert apply(moved, workshop, Action.PREVIOUS, T0).step == 1
    jumped = apply(moved, workshop, Action.GOTO, T0, to=7)
    assert jumped.step == 7 and current_step(jumped, workshop).id == "profiel"


def test_each_action_changes_what_it_names_and_counts_a_version(workshop: Agenda) -> None:
    room = Room("workshop", step=3)  # fase-poll
    steps = [
        (Action.CLOSE, lambda r: not r.open),
        (Action.OPEN, lambda r: r.open),
        (Action.SHOW, lambda r: r.shown),
        (Action.HIDE, lambda r: not r.shown),
        (Action.REVEAL, lambda r: r.revealed == {"fase-poll"}),
        (Action.CONCEAL, lambda r: r.revealed == frozenset()),
        (Action.FREE, lambda r: r.mode == "free"),
        (Action.LED, lambda r: r.mode == "led"),
    ]
    for version, (action, holds) in enumerate(steps, start=1):
        room = apply(room, workshop, action, T0)
        assert holds(room), action
        assert room.version == version


def test_the_agenda_has_ends(workshop: Agenda) -> None:
    with pytest.raises(ValueError, match="no step -1"):
        apply(Room("workshop"), workshop, Action.PREVIOUS, T0)
    last = len(workshop.steps) - 1
    with pytest.raises(ValueError, match=f"no step {last + 1}"):
        apply(Room("workshop", step=last), workshop, Action.NEXT, T0)
    with pytest.raises(ValueError):
        apply(Room("workshop"), workshop, Action.GOTO, T0)  # GOTO without a step


def test_the_timer_closes_answering_when_it_runs_out(workshop: Agenda) -> None:
    room = apply(Room("workshop", step=3), workshop, Action.START_TIMER, T0)  # timer: 90
    assert room.timer_ends == T0 + dt.timedelta(seconds=90)
    assert room.answering(T0 + dt.timedelta(seconds=89))
    assert not room.answering(T0 + dt.timedelta(seconds=90))
    assert room.seconds_left(T0 + dt.timedelta(seconds=30.2)) == 60
    assert room.seconds_left(T0 + dt.timedelta(seconds=200)) == 0
    stopped = apply(room, workshop, Action.STOP_TIMER, T0)
    assert stopped.answering(T0 + dt.timedelta(hours=1)) and stopped.seconds_left(T0) is None
    # Closing by hand stops the timer too; reopening does not restart it.
    closed = apply(room, workshop, Action.CLOSE, T0)
    assert not closed.answering(T0) and closed.timer_ends is None
    # A step without a timer of its own gets a minute.
    assert apply(
        Room("workshop", step=0), workshop, Action.START_TIMER, T0
    ).timer_ends == T0 + dt.timedelta(seconds=60)


def test_the_answer_is_seen_only_after_the_reveal_and_only_of_that_step(workshop: Agenda) -> None:
    room = Room("workshop", step=3)
    assert not answer_visible(room, workshop, "fase-poll")
    revealed = apply(room, workshop, Action.REVEAL, T0)
    assert answer_visible(revealed, workshop, "fase-poll")
    assert not answer_visible(revealed, workshop, "kleur-poll")
    # Moving on keeps a revealed answer revealed; a step id not in the agenda never is.
    later = apply(revealed, workshop, Action.NEXT, T0)
    assert answer_visible(later, workshop, "fase-poll")
    assert not answer_visible(Room("workshop", revealed=frozenset({"elders"})), workshop, "elders")
    # Free mode is self-paced: nothing is held back.
    assert answer_visible(Room("workshop", mode="free"), workshop, "kleur-poll")


def test_room_state_round_trips_and_refuses_junk() -> None:
    room = Room(
        "workshop",
        step=4,
        mode="free",
        open=False,
        shown=True,
        revealed=frozenset({"a"}),
        timer_ends=T0,
        version=9,
    )
    assert Room.from_json(room.to_json()) == room
    for junk in (
        {},
        {"agenda": "x", "mode": "chaos"},
        {"agenda": "x", "step": "2"},
        {"agenda": "x", "revealed": "a"},
    ):
        with pytest.raises(ValueError):
            Room.from_json(junk)


# --------------------------------------------------------------------------- polls


def test_the_kit_knows_the_answer_of_its_exercise_polls(content: Content, workshop: Agenda) -> None:
    assert correct_answer(content, workshop.step("fase-poll")) == "weten"
    # na-het-werkbezoek is in phase willen (3); training-met-coaching is a doen (4) activity.
    assert correct_answer(content, workshop.step("past-het")) == "next"
    assert correct_answer(content, workshop.step("kleur-poll")) == "red"
    assert correct_answer(content, content.agenda("kort").step("kleur-poll")) == "amber"
    assert correct_answer(content, workshop.step("plank")) is None
    assert correct_answer(content, workshop.step("quickscan")) is None


def test_each_poll_offers_its_options(content: Content, workshop: Agenda) -> None:
    assert [o.value for o in options(content, workshop.step("fase-poll"))] == [
        p.id for p in content.phases
    ]
    assert [o.value for o in options(content, workshop.step("past-het"))] == [
        "fits",
        "next",
        "too_early",
        "too_late",
    ]
    assert [o.value for o in options(content, workshop.step("kleur-poll"))] == [
        "green",
        "amber",
        "red",
    ]
    assert [o.value for o in options(content, content.agenda("kort").step("ervaring"))] == [
        "1",
        "2",
        "3",
        "4",
        "5",
    ]
    assert options(content, workshop.step("plank")) == ()
    assert options(content, workshop.step("welkom")) == ()


def test_a_vote_is_one_of_the_options_or_clean_text(content: Content, workshop: Agenda) -> None:
    poll = workshop.step("fase-poll")
    assert valid_vote(content, poll, "doen") == "doen"
    for bad in ("", "wilen", "doen ", "<b>doen</b>"):
        with pytest.raises(ValueError):
            valid_vote(content, poll, bad)
    with pytest.raises(ValueError, match="no poll"):
        valid_vote(content, workshop.step("welkom"), "x")
    shelf = workshop.step("plank")
    assert valid_vote(content, shelf, " Geen\x00 tijd\x1b \ud83d ") == "Geen tijd \ufffd"
    assert (
        valid_vote(content, shelf, "<script>alert(1)</script>") == "<script>alert(1)</script>"
    )  # escaped where shown
    with pytest.raises(ValueError):
        valid_vote(content, shelf, " \x00 ")
    with pytest.raises(TooLong):
        valid_vote(content, shelf, "x" * (OPEN_ANSWER_MAX + 1))


def test_tally_counts_each_offered_option_and_nothing_else() -> None:
    offered = [Option("green"), Option("amber"), Option("red")]
    result = tally(offered, ["red", "red", "green", "purple"])
    assert [(o.value, n) for o, n in result.counts] == [("green", 1), ("amber", 0), ("red", 2)]
    assert result.answered == 3 and result.top is not None and result.top.value == "red"
    assert tally(offered, ["red", "green"]).top is None  # a tie has no top
    assert tally(offered, []).top is None and tally(offered, []).answered == 0


def test_the_wall_groups_answers_and_leaves_out_what_was_hidden() -> None:
    entries = wall(["Geen tijd", "GEEN TIJD ", "geld", "Geen  tijd", "idioot"], hidden=["Idioot"])
    assert [(e.text, e.count) for e in entries] == [("Geen tijd", 3), ("geld", 1)]
    assert wall(["", "   "]) == ()


def test_answered_counts_only_the_sessions_participants() -> None:
    assert answered_count({"a": "1", "b": "2", "left": "3"}, ["a", "b", "c", "d"]) == (2, 4)
    assert answered_count({}, []) == (0, 0)


def test_a_participant_sees_the_reference_and_a_polled_phase_only_after_the_reveal() -> None:
    from kit.agenda import Room, hidden_scenarios, reference_visible

    c = default_content()
    workshop, kort = c.agenda("workshop"), c.agenda("kort")
    led = Room("workshop")
    assert not reference_visible(led, workshop)
    # Revealed on the exercise itself or on its results: both count.
    for step in ("quickscan", "profiel"):
        assert reference_visible(Room("workshop", revealed=frozenset({step})), workshop)
    # Another step's reveal does not give the reference away.
    assert not reference_visible(Room("workshop", revealed=frozenset({"fase-poll"})), workshop)
    assert reference_visible(Room("workshop", mode="free"), workshop)
    # The phase poll's team, and the team whose activity the fit poll asks about.
    assert hidden_scenarios(led, workshop) == {"mail-die-niemand-las", "na-het-werkbezoek"}
    assert hidden_scenarios(Room("workshop", mode="free"), workshop) == frozenset()
    fase_out = Room("workshop", revealed=frozenset({"fase-poll"}))
    assert hidden_scenarios(fase_out, workshop) == {"na-het-werkbezoek"}
    both_out = Room("workshop", revealed=frozenset({"fase-poll", "past-het"}))
    assert hidden_scenarios(both_out, workshop) == set()
    # An agenda without a quickscan step cannot reveal it: there it shows as in self-study.
    has_scan = any(
        (s.app == "quickscan") or (s.kind == "results" and kort.step(s.of or "").app == "quickscan")
        for s in kort.steps
        if s.kind in ("exercise", "results")
    )
    assert reference_visible(Room("kort"), kort) is not has_scan
