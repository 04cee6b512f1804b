"""From scan to plan, and from plan to the next scan: pure rules, no widgets.

* **Proposals.** The team is placed in the earliest weak phase of its scan (phases build on each
  other, as in :mod:`kit.quickscan`); the kit proposes that phase's activities, the ones linked to
  low-scored statements first, and the next phase's when it is weak too (it can be prepared, see
  :mod:`kit.phases`). Without a weak phase the mixed ones take its place.
* **Checks.** A plan is checked with the same fit rules as the Fasen app: a step from two or more
  phases ahead comes too early; the earliest weak phase must have a step; every step needs a date
  and an indicator, and the cycle a date for the next scan.
* **Money.** Each step's needs are booked on a cost category; the worksheet adds them up, one-off
  and recurring apart (recurring costs need structural funding).
* **Progress.** Two scans (or two sets of scans for a team) are compared per phase and factor
  group, and each step's indicator is checked against the later scan.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from pydantic import ValidationError

from kit import quickscan
from kit.answers import Plan, PlanStep, ScanAnswers
from kit.content import Content, CostsFile
from kit.phases import Fit, activity_fit
from kit.quickscan import Level, Result

# --------------------------------------------------------------------------- where the team is


def team_phase(result: Result) -> int:
    """The phase number the team is in: the earliest weak phase, else the earliest mixed one,
    else (all strong) the last phase. With nothing scored: phase 0.

    >>> from types import SimpleNamespace as S
    >>> from kit.quickscan import score
    >>> st = [S(id=str(i), phase=f"p{i}", factor="f") for i in range(3)]
    >>> team_phase(score(st, {"0": 3, "1": 0, "2": 0}, ["p0", "p1", "p2"], ["f"], 3))
    1
    >>> team_phase(score(st, {"0": 3, "1": 2, "2": 3}, ["p0", "p1", "p2"], ["f"], 3))
    1
    >>> team_phase(score(st, {"0": 3, "1": 3, "2": 3}, ["p0", "p1", "p2"], ["f"], 3))
    2
    """
    levels = [s.level for s in result.by_phase.values()]
    for wanted in (Level.WEAK, Level.MIXED):
        if wanted in levels:
            return levels.index(wanted)
    if all(level is Level.UNKNOWN for level in levels):
        return 0
    return len(levels) - 1


def focus_phases(result: Result) -> list[int]:
    """The phases proposals come from: the team's phase, plus the next one when it is weak (or
    mixed, without weak phases) too. Empty when nothing was scored."""
    levels = [s.level for s in result.by_phase.values()]
    if all(level is Level.UNKNOWN for level in levels):
        return []
    team = team_phase(result)
    wanted = levels[team]
    if wanted is Level.STRONG:
        return [team]
    nxt = team + 1
    return [team, nxt] if nxt < len(levels) and levels[nxt] is wanted else [team]


@dataclass(frozen=True)
class Proposal:
    """An activity the kit proposes, with why: its phase, how it fits the team's phase, and the
    low-scored statements of the scan it answers (their ids)."""

    activity: str
    phase: int
    fit: Fit
    statements: tuple[str, ...]


def propose(content: Content, perspective: str, answers: quickscan.Answers) -> list[Proposal]:
    """Activities for the team's phase (and the next, when weak too): those linked to the
    lowest-scored statements first, then the phase's other activities in content order."""
    statements = content.instrument.statements_for(perspective)
    result = score(content, perspective, answers)
    team = team_phase(result)
    half = content.instrument.max_value / 2
    out: list[Proposal] = []
    for number in focus_phases(result):
        phase = content.phases[number]
        low: dict[str, list[tuple[int, str]]] = {}
        for s in statements:
            value = answers.get(s.id)
            if s.phase == phase.id and isinstance(value, int) and value < half:
                for activity in s.activities:
                    low.setdefault(activity, []).append((value, s.id))
        order = [a.id for a in phase.activities]
        ranked = sorted(
            order, key=lambda a: (0 if a in low else 1, -len(low.get(a, ())), order.index(a))
        )
        for activity in ranked:
            found = tuple(sid for _, sid in sorted(low.get(activity, ())))
            out.append(Proposal(activity, number, activity_fit(team, number), found))
    return out


def score(content: Content, perspective: str, answers: quickscan.Answers) -> Result:
    return quickscan.score(
        content.instrument.statements_for(perspective),
        answers,
        [p.id for p in content.phases],
        [f.id for f in content.factors],
        content.instrument.max_value,
    )


def indicator_for(
    content: Content, perspective: str, activity: str, answers: quickscan.Answers
) -> str | None:
    """The statement a step's indicator checks by default: of the perspective's statements that
    name the activity, the lowest scored (unanswered and marked ones last); None when none do."""
    linked = [s for s in content.instrument.statements_for(perspective) if activity in s.activities]
    if not linked:
        return None
    top = content.instrument.max_value + 1

    def key(s: object) -> int:
        value = answers.get(s.id)  # type: ignore[attr-defined]
        return value if isinstance(value, int) else top

    return str(min(linked, key=key).id)


def new_step(
    content: Content, perspective: str, activity: str, answers: quickscan.Answers
) -> PlanStep:
    """A step with the defaults the builder starts from: the activity's usual cost category, an
    indicator from the scan, the target "mostly" (two thirds of the scale)."""
    assert content.costs is not None
    return PlanStep(
        activity=activity,
        cost=content.costs.category_for(activity).id,
        indicator=indicator_for(content, perspective, activity, answers),
        target=round(content.instrument.max_value * 2 / 3),
    )


# --------------------------------------------------------------------------- dates


def when_date(when: str) -> dt.date | None:
    """The day a step's ``when`` stands for: the date itself, or the Monday of an ISO week.

    >>> when_date("2026-12-07"), when_date("2026-W50"), when_date(""), when_date("2026-W60")
    (datetime.date(2026, 12, 7), datetime.date(2026, 12, 7), None, None)
    """
    try:
        if "-W" in when:
            year, week = when.split("-W")
            return dt.date.fromisocalendar(int(year), int(week), 1)
        return dt.date.fromisoformat(when) if when else None
    except ValueError:
        return None


def schedule(steps: Sequence[PlanStep]) -> list[PlanStep]:
    """The steps in the order they happen; steps without a date last, in the order given."""
    far = dt.date.max
    return sorted(steps, key=lambda s: when_date(s.when) or far)


# --------------------------------------------------------------------------- checking a plan


class Issue(StrEnum):
    """What a plan still lacks or gets wrong; each has a text under ``plan.issue.<value>``."""

    NO_STEPS = "no-steps"
    TOO_EARLY = "too-early"
    PRIORITY_UNCOVERED = "priority-uncovered"
    NO_WHEN = "no-when"
    NO_INDICATOR = "no-indicator"
    NO_NEXT_SCAN = "no-next-scan"
    NEXT_SCAN_TOO_SOON = "next-scan-too-soon"
    NO_ADJUST = "no-adjust"

    @property
    def warning(self) -> bool:
        """A warning (the plan works against the phase rules); else something still to fill in."""
        return self in {Issue.TOO_EARLY, Issue.PRIORITY_UNCOVERED, Issue.NEXT_SCAN_TOO_SOON}


@dataclass(frozen=True)
class Finding:
    issue: Issue
    activity: str | None = None  # the step it is about
    phase: int | None = None  # the phase it is about


def check(plan: Plan, content: Content) -> list[Finding]:
    """Everything to say about a plan, warnings first, then in the order of the steps.

    Too early: a step from two or more phases after the team's phase (the Fasen app's rule).
    Uncovered: the earliest weak phase has no step. Then what is missing: a date per step, an
    indicator per step, the date of the next scan (after the last step), what you will adjust.
    """
    result = score(content, plan.perspective, plan.scan)
    team = team_phase(result)
    found: list[Finding] = []
    if not plan.steps:
        found.append(Finding(Issue.NO_STEPS))
    numbers = {s.activity: content.phase_of_activity(s.activity).number for s in plan.steps}
    for step in schedule(plan.steps):
        if activity_fit(team, numbers[step.activity]) is Fit.TOO_EARLY:
            found.append(Finding(Issue.TOO_EARLY, step.activity, numbers[step.activity]))
    if result.priority is not None:
        priority = content.phase(result.priority).number
        if priority not in numbers.values():
            found.append(Finding(Issue.PRIORITY_UNCOVERED, phase=priority))
    last = max((d for s in plan.steps if (d := when_date(s.when))), default=None)
    next_scan = when_date(plan.next_scan)
    if next_scan is not None and last is not None and next_scan <= last:
        found.append(Finding(Issue.NEXT_SCAN_TOO_SOON))
    for step in plan.steps:
        if when_date(step.when) is None:
            found.append(Finding(Issue.NO_WHEN, step.activity))
        if step.indicator is None:
            found.append(Finding(Issue.NO_INDICATOR, step.activity))
    if plan.steps and next_scan is None:
        found.append(Finding(Issue.NO_NEXT_SCAN))
    if plan.steps and not plan.adjust.strip():
        found.append(Finding(Issue.NO_ADJUST))
    found.sort(key=lambda f: not f.issue.warning)  # stable: warnings first, order kept
    return found


# --------------------------------------------------------------------------- money


@dataclass(frozen=True)
class CostRow:
    category: str
    kind: str  # one-off | recurring
    hours: int
    money: int
    people: int
    activities: tuple[str, ...]

    def total(self, hour_rate: int) -> int:
        return self.money + self.hours * hour_rate


@dataclass(frozen=True)
class CostSheet:
    rows: tuple[CostRow, ...]  # every category, in content order
    hour_rate: int

    def total(self, kind: str | None = None) -> int:
        return sum(r.total(self.hour_rate) for r in self.rows if kind in (None, r.kind))


def cost_sheet(plan: Plan, costs: CostsFile) -> CostSheet:
    """The cost worksheet: every step's hours, money and people added up on its category."""
    rows = []
    for category in costs.categories:
        steps = [s for s in plan.steps if s.cost == category.id]
        rows.append(
            CostRow(
                category.id,
                category.kind,
                sum(s.hours for s in steps),
                sum(s.money for s in steps),
                sum(s.people for s in steps),
                tuple(s.activity for s in steps),
            )
        )
    return CostSheet(tuple(rows), plan.hour_rate)


def routes_for(costs: CostsFile, kind: str) -> list[str]:
    """The funding routes that can pay a kind of cost (one-off or recurring)."""
    return [r.id for r in costs.routes if r.covers in (kind, "both")]


# --------------------------------------------------------------------------- progress


@dataclass(frozen=True)
class Snapshot:
    """One moment: per phase and factor group the share of the maximum, and per statement the
    value (for a team: the median over its scans)."""

    date: str
    n: int  # scans
    phases: Mapping[str, float | None]
    factors: Mapping[str, float | None]
    values: Mapping[str, float]


def _median(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def snapshot(content: Content, scans: Sequence[ScanAnswers], date: str = "") -> Snapshot:
    """One person's scan, or a team's (medians over the scans), as a :class:`Snapshot`."""
    results = [score(content, s.perspective, s.values) for s in scans]
    ids = {sid for s in scans for sid in s.values}
    values = {
        sid: m
        for sid in sorted(ids)
        if (m := _median([v for s in scans if isinstance(v := s.values.get(sid), int)])) is not None
    }
    return Snapshot(
        date=date,
        n=len(scans),
        phases={p.id: _median([r.by_phase[p.id].share for r in results]) for p in content.phases},
        factors={
            f.id: _median([r.by_factor[f.id].share for r in results]) for f in content.factors
        },
        values=values,
    )


_RANK = {Level.WEAK: 0, Level.MIXED: 1, Level.STRONG: 2}


@dataclass(frozen=True)
class Change:
    key: str  # phase or factor id
    before: float | None
    after: float | None

    @property
    def before_level(self) -> Level:
        return quickscan.level_of(self.before)

    @property
    def after_level(self) -> Level:
        return quickscan.level_of(self.after)

    @property
    def direction(self) -> str:
        """up / down / same, by level first, then by at least five points of share; unknown
        when either side was not scored.

        >>> Change("p", 0.2, 0.8).direction, Change("p", 0.6, 0.62).direction
        ('up', 'same')
        >>> Change("p", 0.8, 0.7).direction, Change("p", None, 0.7).direction
        ('down', 'unknown')
        """
        if self.before is None or self.after is None:
            return "unknown"
        a, b = _RANK[self.before_level], _RANK[self.after_level]
        if a != b:
            return "up" if b > a else "down"
        if abs(self.after - self.before) >= 0.05:
            return "up" if self.after > self.before else "down"
        return "same"


@dataclass(frozen=True)
class IndicatorCheck:
    activity: str
    statement: str
    target: int
    before: float | None
    after: float | None

    @property
    def met(self) -> bool | None:
        """Reached the target in the later scan; None when the later scan has no value."""
        return None if self.after is None else self.after >= self.target


@dataclass(frozen=True)
class Progress:
    before: Snapshot
    after: Snapshot
    phases: tuple[Change, ...]
    factors: tuple[Change, ...]
    indicators: tuple[IndicatorCheck, ...]

    @property
    def became_strong(self) -> list[str]:
        """Phases that were weak and are strong now."""
        return [
            c.key
            for c in self.phases
            if c.before_level is Level.WEAK and c.after_level is Level.STRONG
        ]

    @property
    def improved(self) -> list[str]:
        """Phases that went up, other than weak to strong."""
        strong = set(self.became_strong)
        return [c.key for c in self.phases if c.direction == "up" and c.key not in strong]

    @property
    def got_worse(self) -> list[str]:
        return [c.key for c in self.phases if c.direction == "down"]


def progress(
    content: Content, before: Snapshot, after: Snapshot, plan: Plan | None = None
) -> Progress:
    """What changed between two moments, and which of the plan's indicators were met."""
    checks = tuple(
        IndicatorCheck(
            s.activity,
            s.indicator,
            s.target,
            before.values.get(s.indicator),
            after.values.get(s.indicator),
        )
        for s in (plan.steps if plan else ())
        if s.indicator is not None
    )
    return Progress(
        before,
        after,
        tuple(Change(p.id, before.phases[p.id], after.phases[p.id]) for p in content.phases),
        tuple(Change(f.id, before.factors[f.id], after.factors[f.id]) for f in content.factors),
        checks,
    )


@dataclass(frozen=True)
class DatedScan:
    scan: ScanAnswers
    date: str  # YYYY-MM-DD when the file says when it was saved, else ""


def parse_scan_file(raw: bytes | str, content: Content) -> DatedScan:
    """A Quickscan answers file with the date it was saved (see :func:`kit.quickscan.parse_answers`
    for what is refused)."""
    inst = content.instrument
    scan = quickscan.parse_answers(
        raw, inst.version, inst.statements, [p.id for p in inst.perspectives], inst.max_value
    )
    doc = json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
    saved = doc.get("saved")
    date = saved[:10] if isinstance(saved, str) and when_date(saved[:10]) else ""
    return DatedScan(scan, date)


# --------------------------------------------------------------------------- plan files

PLAN_FILE_KIND = "implementatiekit-plan"
PLAN_FILE_MAX_BYTES = 200_000


class PlanFileProblem(StrEnum):
    TOO_LARGE = "too-large"
    NOT_JSON = "not-json"
    NOT_OURS = "not-ours"
    MALFORMED = "malformed"
    UNKNOWN = "unknown"

    @property
    def text_key(self) -> str:
        return f"plan.files.bad.{self.value}"


class PlanFileError(ValueError):
    def __init__(self, problem: PlanFileProblem, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem


def dump_plan(plan: Plan, saved: str) -> str:
    """A plan as a JSON document :func:`parse_plan` reads again."""
    doc = {
        "kind": PLAN_FILE_KIND,
        "saved": saved,
        "plan": plan.model_dump(mode="json"),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


def parse_plan(raw: bytes | str, content: Content) -> Plan:
    """Check a plan file completely; raises :class:`PlanFileError` saying why it is refused.

    >>> parse_plan(b'{"kind": "implementatiekit-quickscan"}', None)  # type: ignore[arg-type]
    Traceback (most recent call last):
    ...
    kit.plan.PlanFileError: not-ours
    """
    if len(raw) > PLAN_FILE_MAX_BYTES:
        raise PlanFileError(PlanFileProblem.TOO_LARGE)
    try:
        doc = json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise PlanFileError(PlanFileProblem.NOT_JSON) from exc
    if not isinstance(doc, dict) or doc.get("kind") != PLAN_FILE_KIND:
        raise PlanFileError(PlanFileProblem.NOT_OURS)
    try:
        plan = Plan.model_validate(doc.get("plan"))
    except ValidationError as exc:
        raise PlanFileError(PlanFileProblem.MALFORMED) from exc
    inst = content.instrument
    activities = {a.id for p in content.phases for a in p.activities}
    statements = {s.id for s in inst.statements_for(plan.perspective)}
    assert content.costs is not None
    categories = {c.id for c in content.costs.categories}
    unknown = [
        *(s.activity for s in plan.steps if s.activity not in activities),
        *(s.cost for s in plan.steps if s.cost not in categories),
        *(s.indicator for s in plan.steps if s.indicator and s.indicator not in statements),
        *(k for k in plan.scan if k not in statements),
    ]
    if plan.perspective not in {p.id for p in inst.perspectives}:
        unknown.append(plan.perspective)
    if len({s.activity for s in plan.steps}) != len(plan.steps):
        raise PlanFileError(PlanFileProblem.MALFORMED, "an activity twice")
    if any(isinstance(v, int) and v > inst.max_value for v in plan.scan.values()) or any(
        s.target > inst.max_value for s in plan.steps
    ):
        raise PlanFileError(PlanFileProblem.MALFORMED, "value off the scale")
    if unknown:
        raise PlanFileError(PlanFileProblem.UNKNOWN, ", ".join(unknown[:5]))
    return plan
