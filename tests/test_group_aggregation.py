"""The numbers on the trainer's dashboard, from submissions straight to figures (kit.group's pure
aggregation; no store, no session)."""

from __future__ import annotations

import datetime as dt

import pytest

from kit import group
from kit.answers import (
    DONT_KNOW,
    NOT_APPLICABLE,
    ActivityPick,
    Adaptations,
    PhaseGuess,
    Plan,
    PlanStep,
    Proposal,
    Record,
    ScanAnswers,
)
from kit.content import default_content
from kit.storage import Submission

C = default_content()
T0 = dt.datetime(2026, 11, 24, 10, 0)


def sub(participant: str, record: Record, minute: int = 0, alias: str = "") -> Submission:
    return Submission(participant, alias or participant, record, T0 + dt.timedelta(minutes=minute))


def scan(perspective: str, case: str | None, **values: object) -> ScanAnswers:
    return ScanAnswers(
        perspective=perspective,
        case=case,
        values={k.replace("_", "-"): v for k, v in values.items()},  # type: ignore[misc]
    )


def test_participants_are_named_by_their_latest_alias() -> None:
    subs = [
        sub("p1", PhaseGuess(scenario="s", first=1, last=1), minute=5, alias="Uil"),
        sub("p1", PhaseGuess(scenario="t", first=1, last=1), minute=1, alias="uil-oud"),
        sub("p2", PhaseGuess(scenario="s", first=1, last=1), minute=3, alias="Vos"),
    ]
    assert group.participants(subs) == {"p1": "Uil", "p2": "Vos"}
    assert group.participants([]) == {}


def test_scan_counts_follow_the_case_and_its_perspectives() -> None:
    subs = [
        sub("a", scan("professional", "buurtkracht")),
        sub("b", scan("professional", "buurtkracht")),
        sub("c", scan("organisatie", "buurtkracht")),
        sub("d", scan("organisatie", None)),  # own situation: another scan
        sub("e", scan("ontwikkelaar", "buurtkracht")),  # the case is not told from here
        sub("f", PhaseGuess(scenario="s", first=1, last=1)),
    ]
    assert group.quickscan_counts(C, "buurtkracht", subs) == {"organisatie": 1, "professional": 2}
    assert group.quickscan_counts(C, None, subs) == {
        "ontwikkelaar": 0,
        "organisatie": 1,
        "professional": 0,
    }
    assert group.quickscan_counts(C, "sterk-opvoeden", []) == {"ontwikkelaar": 0, "professional": 0}


def test_the_scan_shown_is_the_picked_or_the_most_used_perspective() -> None:
    subs = [
        sub("a", scan("professional", "buurtkracht")),
        sub("b", scan("professional", "buurtkracht")),
        sub("c", scan("organisatie", "buurtkracht")),
    ]
    assert group.quickscan_target(C, "buurtkracht", subs) == ("professional", "buurtkracht")
    assert group.quickscan_target(C, "buurtkracht", subs, "organisatie") == (
        "organisatie",
        "buurtkracht",
    )
    # A perspective the case is not told from is not taken; no scans: the case's first.
    assert group.quickscan_target(C, "buurtkracht", subs, "ontwikkelaar")[0] == "professional"
    assert group.quickscan_target(C, "buurtkracht", []) == ("organisatie", "buurtkracht")
    assert group.quickscan_target(C, None, [], None) == ("ontwikkelaar", None)
    # A tie goes to the first in the case's order.
    tie = subs[1:]
    assert group.quickscan_target(C, "buurtkracht", tie) == ("organisatie", "buurtkracht")


def test_group_scan_points_are_each_participants_share_per_phase() -> None:
    subs = [
        sub("a", scan("organisatie", "buurtkracht", org_0_1=3, org_0_2=1, org_1_1=0)),
        sub("b", scan("organisatie", "buurtkracht", org_0_1=3, org_0_2=DONT_KNOW)),
        sub("c", scan("organisatie", None, org_0_1=0)),  # other scan
        sub("d", scan("professional", "buurtkracht")),  # other perspective
        sub("e", PhaseGuess(scenario="s", first=1, last=1)),
    ]
    g = group.quickscan_group(subs, C, "organisatie", "buurtkracht")
    assert list(g.points) == [p.id for p in C.phases]
    assert g.points["ontwikkelen"] == pytest.approx({"a": 2 / 3, "b": 1.0})
    assert g.points["weten"] == {"a": 0.0, "b": None}
    assert g.points["doen"] == {"a": None, "b": None}
    assert g.answers == {
        "a": {"org-0-1": 3, "org-0-2": 1, "org-1-1": 0},
        "b": {"org-0-1": 3, "org-0-2": DONT_KNOW},
    }
    # The case's reference reading, scored the same way.
    assert set(g.reference) == {p.id for p in C.phases}
    assert all(v is None or 0 <= v <= 1 for v in g.reference.values())
    assert any(v is not None for v in g.reference.values())
    own = group.quickscan_group(subs, C, "organisatie", None)
    assert own.reference == {} and own.answers == {"c": {"org-0-1": 0}}
    assert own.points["ontwikkelen"] == {"c": 0.0}
    # A case without a reading from this perspective: no reference either.
    assert group.quickscan_group([], C, "ontwikkelaar", "buurtkracht").reference == {}


def test_disagreements_are_the_most_spread_statements() -> None:
    answers = {
        "a": {"s1": 0, "s2": 1, "s3": 2, "s4": 3, "s5": NOT_APPLICABLE},
        "b": {"s1": 3, "s2": 2, "s3": 2, "s4": DONT_KNOW, "s5": 0},
        "c": {"s1": 3, "s2": 1, "s3": 2},
    }
    found = group.disagreements(answers, ["s4", "s2", "s1", "s3", "s5", "s6"])
    assert [d.statement_id for d in found] == ["s1", "s2"]  # most spread first
    s1, s2 = found
    assert s1.spread == pytest.approx(2**0.5) and s1.n == 3 and dict(s1.counts) == {0: 1, 3: 2}
    assert s2.spread == pytest.approx(0.4714, abs=1e-4) and dict(s2.counts) == {1: 2, 2: 1}
    # Two scored answers are enough; a limit keeps the first.
    two = {"a": {"x": 0, "y": 0, "z": 1}, "b": {"x": 2, "y": 1, "z": 3}}
    assert [d.statement_id for d in group.disagreements(two, ["y", "x", "z"])] == ["x", "z", "y"]
    assert [d.statement_id for d in group.disagreements(two, ["y", "x", "z"], limit=1)] == ["x"]
    many = {"a": {f"s{i}": 0 for i in range(7)}, "b": {f"s{i}": 3 for i in range(7)}}
    assert len(group.disagreements(many, [f"s{i}" for i in range(7)])) == 5


def test_phase_tally_counts_first_answers_and_the_right_ones() -> None:
    first, second = C.scenarios[1], C.scenarios[2]  # nobody answered the first one
    right = C.phase(second.phase).number
    subs = [
        sub("a", PhaseGuess(scenario=second.id, first=right, last=0)),
        sub("b", PhaseGuess(scenario=second.id, first=right, last=right)),
        sub("c", PhaseGuess(scenario=second.id, first=right + 1, last=right)),
        sub("a", PhaseGuess(scenario=first.id, first=3, last=0)),
        sub("a", ActivityPick(scenario=first.id, activities=("x",))),
        sub("d", PhaseGuess(scenario="not-a-scenario", first=1, last=1)),
    ]
    tallies = group.phase_tally(subs, C)
    assert [t.scenario for t in tallies] == [first.id, second.id]  # content order
    one, two = tallies
    assert (dict(one.chosen), one.correct, one.total) == ({3: 1}, 0, 1)
    assert (dict(two.chosen), two.correct, two.total) == ({right: 2, right + 1: 1}, 2, 3)


def test_adaptation_tally_counts_participants_per_adaptation_with_its_verdict() -> None:
    def kern(*pairs: tuple[str, str], intervention: str = "samen-sterk") -> Adaptations:
        return Adaptations(
            intervention=intervention,
            proposals=tuple(Proposal(element=e, type=t, date="2026-11-24") for e, t in pairs),
        )

    subs = [
        sub(
            "a",
            kern(("ten-sessions", "remove"), ("ten-sessions", "remove"), ("materials", "tailor")),
        ),
        sub("b", kern(("ten-sessions", "remove"), ("venue-time", "setting"))),
        sub("c", kern(("ten-sessions", "remove"), ("nothing", "tailor"), ("materials", "dance"))),
        sub("f", kern(("role-play", "remove"))),
        sub("d", kern(("ten-sessions", "remove"), intervention="other")),
        sub("e", PhaseGuess(scenario="s", first=1, last=1)),
    ]
    tally = group.adaptation_tally(subs, C, "samen-sterk")
    assert list(tally.rows) == [
        ("ten-sessions", "remove", "red", 3),  # once per participant
        ("materials", "tailor", "green", 1),
        ("venue-time", "setting", "amber", 1),
        ("role-play", "remove", "red", 1),
    ]
    assert tally.verdicts == {"green": 1, "amber": 1, "red": 4}
    empty = group.adaptation_tally([], C, "samen-sterk")
    assert list(empty.rows) == [] and empty.verdicts == {"green": 0, "amber": 0, "red": 0}


def test_plan_tally_most_chosen_first_then_in_content_order() -> None:
    def plan(*activities: str) -> Plan:
        return Plan(
            perspective="organisatie", steps=tuple(PlanStep(activity=a) for a in activities)
        )

    subs = [
        sub("a", plan("intervisie", "factsheet", "co-design")),
        sub("b", plan("intervisie", "onbekend")),
        sub("c", plan("co-design", "factsheet", "intervisie")),
        sub("d", PhaseGuess(scenario="s", first=1, last=1)),
    ]
    assert group.plan_tally(subs, C) == [("intervisie", 3), ("co-design", 2), ("factsheet", 2)]
    assert group.plan_tally([], C) == []


def test_the_group_median_scan_stays_on_the_scale() -> None:
    g = group.QuickscanGroup(
        {},
        {
            "a": {"s1": 0, "s2": DONT_KNOW, "s3": 1},
            "b": {"s1": 3, "s3": 3, "s4": NOT_APPLICABLE},
            "c": {"s1": 2},
            "d": {"s1": 1},
        },
        {},
    )
    median = group.median_scan(g, "professional", "buurtkracht")
    assert median == ScanAnswers(
        perspective="professional",
        case="buurtkracht",
        values={"s1": 1, "s2": DONT_KNOW, "s3": 1, "s4": DONT_KNOW},
    )
    assert list(median.values) == ["s1", "s2", "s3", "s4"]
