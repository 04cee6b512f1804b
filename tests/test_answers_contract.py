"""The answers contract at its edges: the exact stored JSON, the defaults a new record gets, the
limits of each field, and the stored rows that are refused."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from pydantic import ValidationError

from kit import answers
from kit.answers import (
    DONT_KNOW,
    NOT_APPLICABLE,
    ActivityPick,
    Adaptations,
    Module,
    PhaseGuess,
    Plan,
    PlanStep,
    Proposal,
    RecordError,
    ScanAnswers,
)


def test_modules_and_marks_are_spelled_as_stored() -> None:
    assert [m.value for m in Module] == ["quickscan", "phases", "kern", "plan", "route"]
    assert (DONT_KNOW.value, NOT_APPLICABLE.value) == ("dont_know", "not_applicable")
    assert answers.VERSION == 2 and answers.MAX_CHARS == 100_000


def test_the_stored_json_exactly() -> None:
    guess = PhaseGuess(scenario="wijk", first=2, last=3)
    assert answers.dump(guess) == (
        '{"first": 2, "kind": "phase", "last": 3, "scenario": "wijk", "v": 2}'
    )
    scan = ScanAnswers(perspective="organisatie", case="wijk", values={"b": NOT_APPLICABLE, "a": 1})
    assert answers.dump(scan) == (
        '{"case": "wijk", "kind": "scan", "perspective": "organisatie", '
        '"v": 2, "values": {"a": 1, "b": "not_applicable"}}'
    )
    # Not escaped: an alias or a reason with "ë" is stored as it is.
    kern = Adaptations(
        intervention="x",
        proposals=(Proposal(element="e", type="t", reason="ë", date="2026-01-02"),),
    )
    assert '"reason": "ë"' in answers.dump(kern)


def test_a_new_record_gets_the_defaults_the_apps_rely_on() -> None:
    proposal = Proposal(element="e", type="tailor")
    assert proposal.model_dump() == {
        "element": "e",
        "type": "tailor",
        "reason": "",
        "goal": "",
        "when": "implementation",
        "planned": True,
        "who": "team",
        "level": "group",
        "date": dt.date.today().isoformat(),
    }
    step = PlanStep(activity="intervisie")
    assert step.model_dump() == {
        "activity": "intervisie",
        "who": "organisation",
        "when": "",
        "hours": 0,
        "money": 0,
        "people": 0,
        "cost": "coordination",
        "indicator": None,
        "target": 2,
        "note": "",
    }
    plan = Plan(perspective="organisatie")
    assert plan.model_dump() == {
        "kind": "plan",
        "perspective": "organisatie",
        "case": None,
        "source": "own",
        "scan": {},
        "scan_date": "",
        "steps": (),
        "next_scan": "",
        "adjust": "",
        "hour_rate": 60,
    }
    assert plan.key == (Module.PLAN, "plan")
    assert ScanAnswers(perspective="p").key == (Module.QUICKSCAN, "p:__own__")
    assert ScanAnswers(perspective="p", case="c").item == "p:c"
    assert ActivityPick(scenario="s").key == (Module.PHASES, "fit:s")
    assert Adaptations(intervention="i").key == (Module.KERN, "i")


def test_a_plan_finds_its_step() -> None:
    plan = Plan(
        perspective="p", steps=(PlanStep(activity="a", hours=1), PlanStep(activity="b", hours=2))
    )
    assert plan.step("b") == PlanStep(activity="b", hours=2)
    assert plan.step("c") is None


@pytest.mark.parametrize(
    "make",
    [
        lambda: ScanAnswers(perspective=""),
        lambda: ScanAnswers(perspective="p" * 81),
        lambda: ScanAnswers(perspective="p", extra=1),
        lambda: PhaseGuess(scenario="s", first=-1, last=0),
        lambda: PhaseGuess(scenario="s", first=0, last=-1),
        lambda: PhaseGuess(scenario="s", first=True, last=0),
        lambda: Proposal(element="e", type="t", reason="r" * 501),
        lambda: Proposal(element="e", type="t", date="2026-01-02x"),
        lambda: PlanStep(activity="a", when="2026-1-2"),
        lambda: PlanStep(activity="a", when="2026-W5"),
        lambda: PlanStep(activity="a", when=" 2026-01-02"),
        lambda: PlanStep(activity="a", hours=-1),
        lambda: PlanStep(activity="a", money=10_000_001),
        lambda: PlanStep(activity="a", target=11),
        lambda: PlanStep(activity="a", target=-1),
        lambda: PlanStep(activity="a", who="neighbour"),
        lambda: Plan(perspective="p", source="elsewhere"),
        lambda: Plan(perspective="p", scan_date="2026-01-02x"),
        lambda: Plan(perspective="p", steps=tuple(PlanStep(activity=f"a{i}") for i in range(41))),
        lambda: Plan(perspective="p", adjust="x" * 501),
    ],
)
def test_what_a_field_does_not_take(make: object) -> None:
    with pytest.raises(ValidationError):
        make()  # type: ignore[operator]


def test_the_edges_a_field_still_takes() -> None:
    assert ScanAnswers(perspective="p" * 80, values={"a": 0}).values == {"a": 0}
    assert PhaseGuess(scenario="s", first=0, last=0).first == 0
    assert Proposal(element="e", type="t", reason="r" * 500).reason == "r" * 500
    assert PlanStep(activity="a", when="2026-W05", money=10_000_000, target=10).target == 10
    assert PlanStep(activity="a", target=0, hours=0).target == 0
    assert (
        len(Plan(perspective="p", steps=tuple(PlanStep(activity=f"a{i}") for i in range(40))).steps)
        == 40
    )
    with pytest.raises(ValidationError):
        PhaseGuess(scenario="s", first=0, last=0).first = 1  # type: ignore[misc]  # frozen


def test_file_values_and_back() -> None:
    scan = ScanAnswers.from_file_values(
        "organisatie", None, {"a": None, "b": 2, "c": "not_applicable"}
    )
    assert scan == ScanAnswers(
        perspective="organisatie", values={"a": DONT_KNOW, "b": 2, "c": NOT_APPLICABLE}
    )
    assert scan.file_values() == {"a": None, "b": 2, "c": "not_applicable"}
    assert ScanAnswers.from_file_values("organisatie", "wijk", {}).case == "wijk"
    assert scan.answer("zz", None) == scan  # taking back what was never answered
    assert scan.answer("b", 0).values["b"] == 0


def test_a_record_exactly_at_the_size_limit_loads() -> None:
    stored = answers.dump(PhaseGuess(scenario="wijk", first=1, last=1))
    padded = stored + " " * (answers.MAX_CHARS - len(stored))
    assert answers.load("phases", "wijk", padded) == PhaseGuess(scenario="wijk", first=1, last=1)
    with pytest.raises(RecordError, match=r"^phases/wijk: too large$"):
        answers.load("phases", "wijk", padded + " ")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("phases", "wijk", "{"), "phases/wijk: not JSON"),
        (("phases", "wijk", '{"v": 2, "kind": "phase"}'), "phases/wijk: not a valid record"),
        (
            ("phases", "wijk", '{"v": 3, "kind": "phase"}'),
            "phases/wijk: not a valid record (version 1)",
        ),
        (("kern", "x", '{"element": "e"}'), "kern/x: not a valid record (version 1)"),
        (("quickscan", "p:__own__", "[1]"), "quickscan/p:__own__: not a valid record (version 1)"),
        (("phases", "fit:s", '{"chosen": []}'), "phases/fit:s: not a valid record (version 1)"),
        (("plan", "plan", "{}"), "plan/plan: not a valid record (version 1)"),
        (
            ("phases", "wijk", '{"v": 2, "kind": "fit", "scenario": "wijk", "activities": []}'),
            "phases/wijk: stored under the wrong key (<Module.PHASES: 'phases'>, 'fit:wijk')",
        ),
    ],
)
def test_refusals_say_which_row_and_why(row: tuple[str, str, str], message: str) -> None:
    with pytest.raises(RecordError) as caught:
        answers.load(*row)
    assert str(caught.value) == message


def test_version_1_rows_of_every_kind() -> None:
    assert answers.load("quickscan", "organisatie:wijk:2", '{"a": 1}') == ScanAnswers(
        perspective="organisatie", case="wijk:2", values={"a": 1}
    )
    assert answers.load("phases", "fit:wijk", '{"activities": []}') == ActivityPick(scenario="wijk")
    assert answers.load("phases", "wijk", '{"first": 3, "last": 0}').last == 0
    assert answers.load("kern", "i", "[]") == Adaptations(intervention="i")
    # A version 2 document is not read as version 1 and the other way round.
    doc = json.loads(answers.dump(PhaseGuess(scenario="wijk", first=1, last=2)))
    assert answers.load("phases", "wijk", json.dumps(doc)).last == 2


@pytest.mark.parametrize(
    ("row", "cause"),
    [
        (("quickscan", "p:__own__", "[1]"), "scan answers must be a mapping"),
        (("kern", "i", '{"element": "e"}'), "proposals must be a list"),
        (("agenda", "x", "{}"), "unknown module 'agenda'"),
    ],
)
def test_the_server_log_says_why_a_version_1_row_is_refused(
    row: tuple[str, str, str], cause: str
) -> None:
    with pytest.raises(RecordError) as caught:
        answers.load(*row)
    assert str(caught.value.__cause__) == cause
