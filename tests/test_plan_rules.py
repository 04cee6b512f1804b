"""The plan builder's rules, value by value: where the team is, what is proposed and in which
order, what a plan is told, what it costs, what changed, and which plan files are refused."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace as S

import pytest

from kit import plan
from kit.answers import DONT_KNOW, Plan, PlanStep, ScanAnswers
from kit.content import default_content
from kit.phases import Fit
from kit.plan import Change, Finding, IndicatorCheck, Issue, PlanFileError, PlanFileProblem
from kit.quickscan import score

C = default_content()
P = "organisatie"
STRONG_START = {f"org-0-{i}": 3 for i in range(1, 6)}
#: ontwikkelen strong, weten weak (1/3), begrijpen weak (1/6), the rest unanswered.
SCAN = {
    **STRONG_START,
    "org-1-1": 1,
    "org-1-2": 3,
    "org-1-3": 0,
    "org-1-4": 0,
    "org-2-1": 0,
    "org-2-3": 1,
}

ST = [S(id=str(i), phase=f"p{i}", factor="f") for i in range(4)]
PHASES = ["p0", "p1", "p2", "p3"]


def result(*values: int | None) -> object:
    answers = {str(i): v for i, v in enumerate(values) if v is not None}
    return score(ST, answers, PHASES, ["f"], 3)


@pytest.mark.parametrize(
    ("values", "team", "focus"),
    [
        ((3, 0, 0, 3), 1, [1, 2]),  # weak, and the next weak too
        ((3, 0, 2, 0), 1, [1]),  # the next is only mixed
        ((0, 3, 3, 3), 0, [0]),
        ((3, 3, 3, 0), 3, [3]),  # the last phase has no next
        ((3, 2, 2, 3), 1, [1, 2]),  # no weak phase: the mixed ones
        ((2, 3, 3, 2), 0, [0]),
        ((3, 3, 3, 3), 3, [3]),  # all strong: the last phase, alone
        ((None, None, None, None), 0, []),
        ((None, 3, None, None), 3, [3]),  # strong where scored, the rest unknown
    ],
)
def test_the_team_phase_and_where_proposals_come_from(
    values: tuple[int | None, ...], team: int, focus: list[int]
) -> None:
    r = result(*values)
    assert plan.team_phase(r) == team  # type: ignore[arg-type]
    assert plan.focus_phases(r) == focus  # type: ignore[arg-type]


def test_proposals_low_scored_activities_first_with_their_statements() -> None:
    got = [(p.activity, p.phase, p.fit, p.statements) for p in plan.propose(C, P, SCAN)]
    assert got == [
        (
            "communicatieplan",
            1,
            Fit.FITS,
            ("org-1-3", "org-1-1"),
        ),  # two low statements, lowest first
        ("presentatie-in-teams", 1, Fit.FITS, ("org-1-4",)),
        ("sleutelfiguren-benaderen", 1, Fit.FITS, ("org-1-3",)),
        ("vindbaar-aanspreekpunt", 1, Fit.FITS, ("org-1-4",)),
        ("databank-en-nieuwsbrief", 1, Fit.FITS, ()),
        ("factsheet", 1, Fit.FITS, ()),
        ("informatiebijeenkomst", 2, Fit.NEXT, ("org-2-1", "org-2-3")),
        ("praktijkverhalen", 2, Fit.NEXT, ("org-2-1",)),
        ("resultaten-in-gewone-taal", 2, Fit.NEXT, ()),
        ("werkbezoek", 2, Fit.NEXT, ()),
        ("wat-verandert-er", 2, Fit.NEXT, ()),
        ("kern-schil-uitleggen", 2, Fit.NEXT, ()),
    ]
    # 2 of 3 is not low.
    first = plan.propose(C, P, {**SCAN, "org-1-1": 2})[0]
    assert (first.activity, first.statements) == ("communicatieplan", ("org-1-3",))
    assert plan.propose(C, P, {}) == []


def test_the_default_indicator_is_the_lowest_scored_linked_statement() -> None:
    assert plan.indicator_for(C, P, "communicatieplan", SCAN) == "org-1-3"
    assert plan.indicator_for(C, P, "presentatie-in-teams", SCAN) == "org-1-4"
    # Unanswered and marked statements come last; without any answer the first linked.
    assert plan.indicator_for(
        C, P, "presentatie-in-teams", {"org-1-4": DONT_KNOW, "org-1-2": 3}
    ) == ("org-1-2")
    assert plan.indicator_for(C, P, "presentatie-in-teams", {}) == "org-1-2"
    assert plan.indicator_for(C, P, "not-an-activity", SCAN) is None
    step = plan.new_step(C, P, "intervisie", {"org-4-2": 1})
    assert step == PlanStep(activity="intervisie", cost="training", indicator="org-4-2", target=2)


def test_when_and_the_order_of_steps() -> None:
    assert plan.when_date("2026-W01") == dt.date(2025, 12, 29)  # the Monday of ISO week 1
    assert plan.when_date("2026-02-30") is None
    assert plan.when_date("x-W1") is None
    assert plan.when_date("2026-W") is None
    steps = [
        PlanStep(activity="a"),
        PlanStep(activity="b", when="2026-12-07"),
        PlanStep(activity="c"),
        PlanStep(activity="d", when="2026-W49"),  # Monday 30 November
    ]
    assert [s.activity for s in plan.schedule(steps)] == ["d", "b", "a", "c"]


def test_which_issues_are_warnings() -> None:
    assert {i for i in Issue if i.warning} == {
        Issue.TOO_EARLY,
        Issue.PRIORITY_UNCOVERED,
        Issue.NEXT_SCAN_TOO_SOON,
    }


def step(activity: str, when: str = "2026-12-07", indicator: str | None = "org-1-1") -> PlanStep:
    return PlanStep(activity=activity, when=when, indicator=indicator)


def test_a_plan_is_told_everything_warnings_first_in_step_order() -> None:
    p = Plan(
        perspective=P,
        scan=SCAN,  # team in phase 1 (weten), the priority
        steps=(
            step("intervisie", when="2026-12-14"),  # phase 4: too early
            step("werkbezoek", when="", indicator=None),  # phase 2: fine, but no date, no indicator
            step(
                "willen-is-niet" if False else "proefsessie", when="2026-12-01"
            ),  # phase 3: too early
        ),
        next_scan="2026-12-14",  # not after the last step
        adjust="  ",
    )
    assert plan.check(p, C) == [
        Finding(Issue.TOO_EARLY, "proefsessie", 3),  # in date order
        Finding(Issue.TOO_EARLY, "intervisie", 4),
        Finding(Issue.PRIORITY_UNCOVERED, phase=1),
        Finding(Issue.NEXT_SCAN_TOO_SOON),
        Finding(Issue.NO_WHEN, "werkbezoek"),
        Finding(Issue.NO_INDICATOR, "werkbezoek"),
        Finding(Issue.NO_ADJUST),
    ]
    fine = p.model_copy(
        update={
            "steps": (step("communicatieplan"), step("werkbezoek", when="2026-W50")),
            "next_scan": "2026-12-15",  # a week after the last step's Monday
            "adjust": "Bijsturen",
        }
    )
    assert plan.check(fine, C) == []
    assert plan.check(fine.model_copy(update={"next_scan": "2026-12-07"}), C) == [
        Finding(Issue.NEXT_SCAN_TOO_SOON)
    ]
    assert plan.check(fine.model_copy(update={"next_scan": ""}), C) == [Finding(Issue.NO_NEXT_SCAN)]
    # Steps without dates: nothing to compare the next scan with.
    undated = fine.model_copy(update={"steps": (step("communicatieplan", when=""),)})
    assert plan.check(undated, C) == [Finding(Issue.NO_WHEN, "communicatieplan")]
    assert plan.check(Plan(perspective=P), C) == [Finding(Issue.NO_STEPS)]
    assert plan.check(Plan(perspective=P, scan=SCAN), C) == [
        Finding(Issue.PRIORITY_UNCOVERED, phase=1),
        Finding(Issue.NO_STEPS),
    ]


def test_the_cost_sheet_adds_up_per_category_and_kind() -> None:
    assert C.costs is not None
    p = Plan(
        perspective=P,
        steps=(
            PlanStep(activity="a", cost="training", hours=10, money=500, people=4),
            PlanStep(activity="b", cost="training", hours=2, money=0, people=1),
            PlanStep(activity="c", cost="licence", hours=0, money=1200, people=0),
            PlanStep(activity="d", cost="coordination", hours=3, money=7, people=2),
        ),
        hour_rate=50,
    )
    sheet = plan.cost_sheet(p, C.costs)
    assert sheet.hour_rate == 50
    rows = {r.category: r for r in sheet.rows}
    assert [r.category for r in sheet.rows] == [c.id for c in C.costs.categories]
    training = rows["training"]
    assert (training.kind, training.hours, training.money, training.people) == (
        "one-off",
        12,
        500,
        5,
    )
    assert training.activities == ("a", "b") and training.total(50) == 1100
    assert rows["materials"].total(50) == 0 and rows["materials"].activities == ()
    assert rows["coordination"].total(50) == 157
    assert sheet.total("one-off") == 1100
    assert sheet.total("recurring") == 1200 + 157
    assert sheet.total() == 1100 + 1200 + 157
    assert plan.routes_for(C.costs, "one-off") == [
        "gemeentelijke-subsidie",
        "gala-spuk",
        "zonmw",
        "esf-plus",
        "fondsen",
        "eigen-begroting",
    ]
    assert plan.routes_for(C.costs, "recurring") == [
        "structurele-subsidie",
        "inkoop-wmo",
        "inkoop-jeugdwet",
        "open-house",
        "gala-spuk",
        "zorgverzekeraar",
        "eigen-begroting",
    ]


@pytest.mark.parametrize(
    ("before", "after", "direction"),
    [
        (0.2, 0.8, "up"),
        (0.8, 0.2, "down"),
        (0.5, 0.55, "up"),  # five points within one level
        (0.55, 0.5, "down"),
        (0.5, 0.54, "same"),
        (0.6, 0.6, "same"),
        (0.45, 0.5, "up"),  # weak to mixed
        (None, 0.5, "unknown"),
        (0.5, None, "unknown"),
    ],
)
def test_direction_of_a_change(before: float | None, after: float | None, direction: str) -> None:
    assert Change("p", before, after).direction == direction


def test_an_indicator_is_met_at_its_target() -> None:
    assert IndicatorCheck("a", "s", 2, 1, 2).met is True
    assert IndicatorCheck("a", "s", 2, 1, 1.5).met is False
    assert IndicatorCheck("a", "s", 2, 1, None).met is None


def scan(**values: object) -> ScanAnswers:
    return ScanAnswers(perspective=P, values={k.replace("_", "-"): v for k, v in values.items()})  # type: ignore[misc]


def test_snapshots_take_medians_and_progress_compares_them() -> None:
    team = [
        scan(org_0_1=0, org_0_2=1, org_1_1=DONT_KNOW),
        scan(org_0_1=3, org_0_2=2),
        scan(org_0_1=1),
    ]
    snap = plan.snapshot(C, team, "2026-11-24")
    assert (snap.date, snap.n) == ("2026-11-24", 3)
    assert snap.values == {"org-0-1": 1, "org-0-2": 1.5}  # no value where nobody scored
    assert snap.phases["ontwikkelen"] == pytest.approx(1 / 3)  # median of 1/6, 5/6, 1/3
    assert snap.phases["weten"] is None
    assert set(snap.factors) == {f.id for f in C.factors}
    assert snap.factors["gebruikers"] == pytest.approx(1 / 3)  # org-0-1: 0, 3, 1 -> 1 of 3
    assert (plan.snapshot(C, []).n, plan.snapshot(C, []).date) == (0, "")

    before = plan.snapshot(C, [scan(org_0_1=0, org_0_2=0, org_1_1=2, org_2_1=2, org_1_2=1)])
    after = plan.snapshot(C, [scan(org_0_1=3, org_0_2=3, org_1_1=2, org_2_1=1, org_1_2=3)])
    steps = (
        PlanStep(activity="x", indicator="org-1-2", target=3),
        PlanStep(activity="y", indicator=None),
        PlanStep(activity="z", indicator="org-5-1", target=1),
    )
    prog = plan.progress(C, before, after, Plan(perspective=P, steps=steps))
    assert [c.key for c in prog.phases] == [p.id for p in C.phases]
    assert [c.key for c in prog.factors] == [f.id for f in C.factors]
    users = prog.factors[[f.id for f in C.factors].index("gebruikers")]
    assert (users.before, users.after) == (
        before.factors["gebruikers"],
        after.factors["gebruikers"],
    )
    assert users.before is not None and users.after is not None and users.direction == "up"
    assert prog.became_strong == ["ontwikkelen"]  # 0 -> 1
    assert prog.improved == ["weten"]  # 1/2 -> 5/6: mixed to strong
    assert prog.got_worse == ["begrijpen"]
    assert prog.indicators == (
        IndicatorCheck("x", "org-1-2", 3, 1, 3),
        IndicatorCheck("z", "org-5-1", 1, None, None),
    )
    assert plan.progress(C, before, after).indicators == ()


def answers_file(saved: object) -> str:
    return json.dumps(
        {
            "kind": "implementatiekit-quickscan",
            "instrument_version": C.instrument.version,
            "perspective": P,
            "saved": saved,
            "answers": {"org-0-1": 2},
        }
    )


@pytest.mark.parametrize(
    ("saved", "date"),
    [
        ("2026-11-24T10:00:00", "2026-11-24"),
        ("2026-11-24", "2026-11-24"),
        ("gisteren", ""),
        (12, ""),
    ],
)
def test_a_scan_file_keeps_the_day_it_was_saved(saved: object, date: str) -> None:
    dated = plan.parse_scan_file(answers_file(saved), C)
    assert dated.date == date and dated.scan.values == {"org-0-1": 2}
    assert plan.parse_scan_file(answers_file(saved).encode("utf-8"), C).date == date


GOOD = Plan(
    perspective=P, scan={"org-0-1": 3}, steps=(PlanStep(activity="intervisie", cost="training"),)
)


def plan_file(body: object, kind: str = plan.PLAN_FILE_KIND) -> str:
    return json.dumps({"kind": kind, "saved": "2026-11-24", "plan": body})


def test_plan_files_come_back_as_they_were_saved() -> None:
    text = plan.dump_plan(
        GOOD.model_copy(update={"adjust": "Bijsturen wanneer nodig: ë"}), "2026-11-24"
    )
    doc = json.loads(text)
    assert doc["kind"] == "implementatiekit-plan" and doc["saved"] == "2026-11-24"
    assert "ë" in text and '\n  "kind"' in text  # readable: indented, not escaped
    assert plan.parse_plan(text, C).adjust == "Bijsturen wanneer nodig: ë"
    assert plan.parse_plan(text.encode("utf-8"), C) == plan.parse_plan(text, C)
    padded = text + " " * (plan.PLAN_FILE_MAX_BYTES - len(text.encode("utf-8")))
    assert plan.parse_plan(padded.encode("utf-8"), C).perspective == P  # exactly at the limit


def refusal(raw: str | bytes) -> tuple[PlanFileProblem, str]:
    with pytest.raises(PlanFileError) as caught:
        plan.parse_plan(raw, C)
    return caught.value.problem, str(caught.value)


def test_plan_files_are_refused_with_the_reason() -> None:
    good = GOOD.model_dump(mode="json")
    assert refusal(b" " * (plan.PLAN_FILE_MAX_BYTES + 1)) == (
        PlanFileProblem.TOO_LARGE,
        "too-large",
    )
    assert refusal(b"\xff{}")[0] is PlanFileProblem.NOT_JSON
    assert refusal("{")[0] is PlanFileProblem.NOT_JSON
    # Plan files are UTF-8: the same JSON saved as UTF-16 is refused, not guessed.
    assert refusal(plan_file(good).encode("utf-16"))[0] is PlanFileProblem.NOT_JSON
    assert refusal("[" * 90_000 + "]" * 90_000)[0] is PlanFileProblem.NOT_JSON
    assert (
        refusal(plan_file(good, kind="implementatiekit-quickscan"))[0] is PlanFileProblem.NOT_OURS
    )
    assert refusal("[]")[0] is PlanFileProblem.NOT_OURS
    assert refusal(plan_file(None)) == (PlanFileProblem.MALFORMED, "malformed")
    twice = {**good, "steps": [good["steps"][0], good["steps"][0]]}
    assert refusal(plan_file(twice)) == (PlanFileProblem.MALFORMED, "malformed: an activity twice")
    high = {**good, "scan": {"org-0-1": 4}}
    assert refusal(plan_file(high)) == (PlanFileProblem.MALFORMED, "malformed: value off the scale")
    target = {**good, "steps": [{**good["steps"][0], "target": 4}]}
    assert refusal(plan_file(target))[1] == "malformed: value off the scale"
    on_scale = {
        **good,
        "scan": {"org-0-1": 3, "org-0-2": "dont_know"},
        "steps": [{**good["steps"][0], "target": 3}],  # the top of the scale is a target
    }
    assert plan.parse_plan(plan_file(on_scale), C).scan["org-0-2"] is DONT_KNOW
    unknown = {
        **good,
        "perspective": "buurman",
        "scan": {"s-1": 1},
        "steps": [
            {"activity": "dansen", "cost": "taart", "indicator": "s-2"},
            {"activity": "zingen", "indicator": "org-0-1"},
        ],
    }
    assert refusal(plan_file(unknown)) == (
        PlanFileProblem.UNKNOWN,
        "unknown: dansen, zingen, taart, s-2, org-0-1",
    )  # five at most
    wrong_perspective = {**good, "perspective": "buurman", "scan": {}}
    assert refusal(plan_file(wrong_perspective)) == (PlanFileProblem.UNKNOWN, "unknown: buurman")
    assert PlanFileProblem.NOT_OURS.text_key == "plan.files.bad.not-ours"
