"""What a led room's screens show, as plain data: the step on the projector and the phones, a
poll's results (counts only, never an alias), the reveal, and the trainer's remote.

The widgets (:mod:`kit.apps`) draw these; tests read them without a browser. Whether an answer
may be shown is decided once, in :func:`kit.agenda.answer_visible`, and passed in here as
``revealed``: a view made with ``revealed=False`` holds no trace of the answer (not even a
hidden flag on the right bar), so a page cannot leak it.
"""

from __future__ import annotations

import datetime as dt
import statistics
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kit import adaptations, formats, group
from kit import agenda as rules
from kit.adaptations import SYMBOL, judge
from kit.agenda import Option, Room
from kit.answers import Adaptations, Plan, SituationAnswer
from kit.content import Agenda, Step, Text
from kit.phases import Fit
from kit.present.group import hexagon_ratings, situation_feedback
from kit.present.texts import Texts
from kit.text import TooLong, clean

if TYPE_CHECKING:
    from kit.storage import Submission

__all__ = [
    "Bar",
    "ExerciseResult",
    "HexagonResult",
    "KernResult",
    "PlanResult",
    "PollResult",
    "Remote",
    "ScanResult",
    "SituationTally",
    "StepView",
    "exercise_result",
    "hexagon_result",
    "option_label",
    "poll_body",
    "poll_result",
    "remote",
    "reveal_lines",
    "shows_results",
    "step_view",
]


@dataclass(frozen=True)
class StepView:
    """The current step as the projector's heading and the phones' top line."""

    number: int  # 1-based
    total: int
    position: str  # "Stap 3 van 15"
    kind: str
    title: str
    body: str  # the step's text; for a poll on a scenario or an adaptation, what to judge
    timer: str | None  # "1:30", or None without a running timer
    seconds_left: int | None
    answering: bool
    state: str  # "Antwoorden staat open" / "Antwoorden is gesloten" ("" for an instruction)


def _clock(seconds: int) -> str:
    """A countdown as minutes and seconds.

    >>> _clock(90), _clock(5), _clock(0)
    ('1:30', '0:05', '0:00')
    """
    return f"{seconds // 60}:{seconds % 60:02d}"


def poll_body(ctx: Texts, step: Step) -> str:
    """What a poll asks people to judge, in the reader's language: the scenario for the phase
    of a team, the team and the activity for a fit, the adaptation for a colour; otherwise the
    step's own text."""
    c, lang = ctx.content, ctx.lang
    own = step.text(lang) if step.text else ""
    if step.poll in ("scenario-phase", "activity-fit") and step.scenario:
        scenario = next(s for s in c.scenarios if s.id == step.scenario)
        told = f"{scenario.title(lang)}. {scenario.text(lang).strip()}"
        if step.poll == "activity-fit" and step.activity:
            told += " " + ctx.t(
                "room.activity_question", activity=c.activity(step.activity).text(lang)
            )
        return f"{own}\n\n{told}".strip() if own else told
    if step.poll == "adaptation-verdict" and step.intervention and step.element and step.type:
        item = c.intervention(step.intervention)
        what = ctx.t(
            "room.adaptation_question",
            intervention=item.name(lang),
            element=item.element(step.element).name(lang),
            type=c.adaptation_type(step.type).name(lang),
        )
        return f"{own}\n\n{what}".strip() if own else what
    if step.poll == "statement-score" and step.statement:
        statement = next(s for s in c.instrument.statements if s.id == step.statement)
        return statement.text(lang)
    return own


def step_view(ctx: Texts, agenda: Agenda, room: Room, now: dt.datetime) -> StepView:
    step = rules.current_step(room, agenda)
    number = agenda.steps.index(step) + 1
    left = room.seconds_left(now)
    answering = room.answering(now)
    takes_answers = step.kind in ("poll", "exercise")
    return StepView(
        number=number,
        total=len(agenda.steps),
        position=ctx.t("room.position", number=number, total=len(agenda.steps)),
        kind=step.kind,
        title=step.title(ctx.lang),
        body=poll_body(ctx, step)
        if step.kind == "poll"
        else (step.text(ctx.lang) if step.text else ""),
        timer=_clock(left) if left is not None else None,
        seconds_left=left,
        answering=answering,
        state=(ctx.t("room.open" if answering else "room.closed") if takes_answers else ""),
    )


# --------------------------------------------------------------------------- polls


def option_label(ctx: Texts, step: Step, option: Option) -> str:
    """An option in words, with a sign where colour would otherwise carry it."""
    if step.poll == "scenario-phase":
        phase = ctx.content.phase(option.value)
        return f"{phase.number}. {phase.name(ctx.lang)}"
    if step.poll == "activity-fit":
        return ctx.t(f"phases.fit.{option.value}")
    if step.poll == "adaptation-verdict":
        return f"{SYMBOL[option.value]} {ctx.t(f'room.verdict.{option.value}')}"
    if step.poll == "scale":
        return ctx.t(f"room.scale.{option.value}")
    if isinstance(option.label, Text):
        return option.label(ctx.lang)
    return option.value


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    share: float  # of those who answered; 0 when nobody did
    right: bool  # the right answer, and revealed (never True before the reveal)


@dataclass(frozen=True)
class PollResult:
    """A poll's results for the projector and, after the reveal, the phones."""

    question: str
    bars: tuple[Bar, ...]
    wall: tuple[tuple[str, int], ...]  # open answers: text and how many gave it
    answered: int
    total: int
    answered_line: str  # "18 van 25 hebben geantwoord"
    mean_line: str | None  # a scale's average, decimal comma in Dutch
    answer_line: str | None  # after the reveal: the right answer in words
    explanation: str | None  # after the reveal: why
    alt: str  # the results in one sentence, for screen readers and as the chart's alt text


def poll_result(
    ctx: Texts,
    step: Step,
    votes: Sequence[str],
    total: int,
    revealed: bool,
    hidden: Iterable[str] = (),
) -> PollResult:
    """The results of ``step`` from one vote per participant who answered (``total``: how many
    are in the session); ``hidden``: open answers the trainer took off the wall."""
    offered = rules.options(ctx.content, step)
    right = rules.correct_answer(ctx.content, step) if revealed else None
    counted = rules.tally(offered, votes)
    n = counted.answered if offered else len(votes)
    bars = tuple(
        Bar(option_label(ctx, step, o), count, count / n if n else 0.0, o.value == right)
        for o, count in counted.counts
    )
    entries = rules.wall(votes, hidden) if step.poll == "open" else ()
    mean = rules.mean_of_scale(votes) if step.poll == "scale" else None
    answer_line, explanation = reveal_lines(ctx, step) if revealed else (None, None)
    parts = [f"{b.label}: {b.count}" for b in bars] or [f"{e.text} ({e.count})" for e in entries]
    return PollResult(
        question=step.title(ctx.lang),
        bars=bars,
        wall=tuple((e.text, e.count) for e in entries),
        answered=n,
        total=total,
        answered_line=ctx.t("room.answered", n=n, total=total),
        mean_line=ctx.t("room.mean", mean=formats.number(mean, ctx.lang))
        if mean is not None
        else None,
        answer_line=answer_line,
        explanation=explanation,
        alt=ctx.t("room.alt", question=step.title(ctx.lang), results="; ".join(parts) or "–"),
    )


def reveal_lines(ctx: Texts, step: Step) -> tuple[str | None, str | None]:
    """The right answer of a poll in words and why, or (None, None) for a poll without one.
    Call only once the trainer revealed it."""
    c, lang = ctx.content, ctx.lang
    right = rules.correct_answer(c, step)
    if right is None:
        return None, None
    line = ctx.t("room.answer", answer=option_label(ctx, step, Option(right)))
    if step.poll == "scenario-phase" and step.scenario:
        scenario = next(s for s in c.scenarios if s.id == step.scenario)
        return line, scenario.why(lang)
    if step.poll == "activity-fit" and step.scenario and step.activity:
        team = c.phase(next(s.phase for s in c.scenarios if s.id == step.scenario))
        phase = c.phase_of_activity(step.activity)
        activity = c.activity(step.activity)
        why = ctx.t(
            f"phases.fit.{Fit(right).value}.explain",
            phase=phase.name(lang),
            team=team.name(lang),
            why=activity.why(lang),
            needs=activity.needs(lang),
        )
        return line, why
    assert step.intervention and step.element and step.type
    item = c.intervention(step.intervention)
    verdict = judge(item, step.element, step.type, c.adaptation_types)
    why = verdict.reason(lang)
    if verdict.instead is not None:
        why += " " + ctx.t("room.instead", instead=verdict.instead(lang))
    return line, why


# --------------------------------------------------------------------------- the trainer's remote


@dataclass(frozen=True)
class Remote:
    """What the trainer's controls show and allow on the current step."""

    step: StepView
    previous: str | None  # title of the step before, None on the first
    next: str | None  # title of the step after, None on the last
    led: bool
    takes_answers: bool
    answering: bool
    shown: bool
    can_reveal: bool  # the step has an answer the kit knows, or the case's reference
    has_results: bool  # a poll or an exercise whose group results the projector can show
    revealed: bool
    has_timer: bool
    answered_line: str | None  # "18 van 25 hebben geantwoord" on a poll
    outline: tuple[tuple[int, str, int], ...]  # every step: index, title, minutes (to jump)


def remote(
    ctx: Texts,
    agenda: Agenda,
    room: Room,
    now: dt.datetime,
    answered: int,
    total: int,
    case_id: str | None = None,
) -> Remote:
    """The remote on the current step (``case_id``: the session's case, whose reference
    reading a quickscan step can reveal)."""
    view = step_view(ctx, agenda, room, now)
    step = rules.current_step(room, agenda)
    exercise = rules.exercise_of(agenda, step)
    polled = step.kind == "poll" or (
        step.kind == "results" and any(s.id == step.of and s.kind == "poll" for s in agenda.steps)
    )
    reference = (
        exercise is not None
        and exercise.app == "quickscan"
        and case_id in {k.id for k in ctx.content.cases}
    )
    index = view.number - 1
    lang = ctx.lang
    return Remote(
        step=view,
        previous=agenda.steps[index - 1].title(lang) if index > 0 else None,
        next=agenda.steps[index + 1].title(lang) if index + 1 < len(agenda.steps) else None,
        led=room.mode == "led",
        takes_answers=step.kind in ("poll", "exercise"),
        answering=view.answering,
        shown=room.shown,
        can_reveal=rules.correct_answer(ctx.content, step) is not None or reference,
        has_results=polled or shows_results(exercise),
        revealed=step.id in room.revealed,
        has_timer=step.timer is not None,
        answered_line=ctx.t("room.answered", n=answered, total=total)
        if step.kind == "poll"
        else None,
        outline=tuple((i, s.title(lang), s.minutes) for i, s in enumerate(agenda.steps)),
    )


# --------------------------------------------------------------------------- the group's report


@dataclass(frozen=True)
class PollSummary:
    """One poll of a led session for the group's report: the question, the count per answer
    (or the wall of open answers), the average of a scale and the kit's answer."""

    step_id: str
    question: str
    lines: tuple[str, ...]  # "2. Begrijpen: 4", or "Geen tijd (3)" for an open poll
    answered: str  # "7 van 9 hebben geantwoord"
    mean: str | None
    answer: str | None  # the right answer, where the kit knows one


def poll_summaries(
    ctx: Texts,
    agenda: Agenda,
    all_votes: Sequence[tuple[str, str, str]],
    total: int,
    hidden: Iterable[tuple[str, str]] = (),
) -> list[PollSummary]:
    """Every poll of ``agenda`` that got votes (``all_votes``: step, participant, value), in
    agenda order, for the trainer's report: the answers counted, hidden open answers left out."""
    by_step: dict[str, list[str]] = {}
    for step_id, _, value in all_votes:
        by_step.setdefault(step_id, []).append(value)
    out = []
    for step in agenda.steps:
        values = by_step.get(step.id)
        if step.kind != "poll" or not values:
            continue
        gone = [key for s, key in hidden if s == step.id]
        result = poll_result(ctx, step, values, total, revealed=True, hidden=gone)
        lines = tuple(f"{b.label}: {b.count}" for b in result.bars) or tuple(
            f"{text} ({n})" for text, n in result.wall
        )
        out.append(
            PollSummary(
                step.id,
                f"{step.title(ctx.lang)} — {poll_body(ctx, step)}".strip(" —"),
                lines,
                result.answered_line,
                result.mean_line,
                result.answer_line,
            )
        )
    return out


def poll_csv_rows(
    ctx: Texts,
    agenda: Agenda,
    all_votes: Sequence[tuple[str, str, str]],
    aliases: dict[str, str],
) -> list[tuple[str, str, str, str]]:
    """One row per vote for the trainer's spreadsheet: alias, the poll's title, the answer in
    words, the stored value. A vote on a step the agenda no longer has keeps its step id."""
    steps = {s.id: s for s in agenda.steps}
    rows = []
    for step_id, participant, value in all_votes:
        step = steps.get(step_id)
        if step is None:
            rows.append((aliases.get(participant, participant), step_id, value, value))
            continue
        offered = {o.value: o for o in rules.options(ctx.content, step)}
        label = option_label(ctx, step, offered[value]) if value in offered else value
        rows.append((aliases.get(participant, participant), step.title(ctx.lang), label, value))
    return rows


# --------------------------------------------------------------------------- exercise results


def exercise_of(agenda: Agenda, step: Step) -> Step | None:
    """The exercise whose results ``step`` shows: the step itself, or the exercise a results
    step is of (None for anything else)."""
    return rules.exercise_of(agenda, step)


@dataclass(frozen=True)
class PhaseSpread:
    """One phase of the group's quickscan: where the participants' scores lie (shares 0..1)."""

    label: str  # "1 Ontwikkelen"
    n: int  # participants with a score in this phase
    low: float | None
    median: float | None
    high: float | None
    reference: float | None  # the case's reading; None until the trainer reveals it
    line: str  # "mediaan 45% · van 20% tot 70%" in words


@dataclass(frozen=True)
class ScanResult:
    """The group's quickscan profile per phase for the projector."""

    heading: str
    phases: tuple[PhaseSpread, ...]
    answered_line: str  # "8 deelnemers vulden de scan in"
    legend: tuple[str, ...]  # what the marks mean (the reference only once revealed)
    alt: str


@dataclass(frozen=True)
class VerdictCount:
    verdict: str  # green | amber | red
    label: str  # "✗ Rood"
    count: int


@dataclass(frozen=True)
class AdaptationLine:
    """One proposed adaptation: its verdict, what it changes, how many proposed it and the
    reasons they typed (moderated, the most given first)."""

    verdict: str
    label: str  # "✗ Inkorten → Tien bijeenkomsten"
    count: int
    reasons: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class SituationTally:
    """One practice situation of the intervention: how many chose a fitting adaptation at their
    first try, of those who answered it (counts only; the phone already gave each her verdict)."""

    label: str  # "Situatie 1: Nieuwe maatjes haken af voordat ze beginnen…"
    right: int
    answered: int
    line: str  # "5 van 8 kozen meteen een passende aanpassing"


@dataclass(frozen=True)
class KernResult:
    """Green, amber and red counts of the group's adaptations, the red ones first, and the
    practice situations."""

    heading: str
    totals: tuple[VerdictCount, ...]
    rows: tuple[AdaptationLine, ...]
    answered_line: str
    alt: str
    situations: tuple[SituationTally, ...] = ()


@dataclass(frozen=True)
class PlanResult:
    """The activities participants chose in their plans, counted."""

    heading: str
    rows: tuple[tuple[str, int, int], ...]  # activity text, its phase number, participants
    answered_line: str
    alt: str


@dataclass(frozen=True)
class HexagonResult:
    """The group's Hexagon ("does this intervention suit us?"): per point where the ratings lie
    (shares 0..1 of the scale, no reference), and how many complete ratings gave each outcome."""

    heading: str
    points: tuple[PhaseSpread, ...]
    outcomes: tuple[VerdictCount, ...]  # go: green, rethink: amber, not now: red
    answered_line: str  # "5 deelnemers beoordeelden, 1 nog niet compleet"
    legend: tuple[str, ...]
    alt: str


ExerciseResult = ScanResult | KernResult | PlanResult | HexagonResult

#: Exercises whose group results the projector shows.
RESULT_APPS = ("quickscan", "kern", "plan")
#: The Fasen app's tab whose group results the projector shows (the Hexagon).
RESULT_TABS = {("phases", "choose")}
#: The colour of each Hexagon outcome on the projector (always with its word).
OUTCOME_STYLE = {"go": "green", "rethink": "amber", "not-now": "red"}


def shows_results(exercise: Step | None) -> bool:
    """Whether the projector has group results for ``exercise``."""
    if exercise is None:
        return False
    return exercise.app in RESULT_APPS or (exercise.app, exercise.tab) in RESULT_TABS


#: Characters of a reason shown on the projector (longer ones are cut with an ellipsis).
REASON_MAX = 140
#: Adaptations listed on the projector (the totals count them all).
ROWS_MAX = 6
#: Reasons shown under one adaptation.
REASONS_MAX = 3
_RANK = {"red": 0, "amber": 1, "green": 2}


def exercise_result(
    ctx: Texts,
    exercise: Step,
    subs: Sequence[Submission],
    case_id: str | None,
    intervention_id: str | None,
    revealed: bool,
    hidden: Iterable[str] = (),
) -> ExerciseResult | None:
    """What the projector shows of an exercise from the group's answers (``subs``, read without
    aliases): the quickscan profile, the adaptations by colour, the activities in plans, or the
    Hexagon's ratings per point;
    None for an exercise without group results. ``revealed``: whether the case's reference may
    show; ``hidden``: the reasons the trainer took off the screen."""
    if exercise.app == "quickscan":
        return scan_result(ctx, subs, case_id, revealed)
    if exercise.app == "kern":
        chosen = exercise.intervention or intervention_id or _most_adapted(ctx, subs)
        return kern_result(ctx, subs, chosen, hidden) if chosen else None
    if exercise.app == "plan":
        return plan_result(ctx, subs)
    if (exercise.app, exercise.tab) in RESULT_TABS and ctx.content.hexagon is not None:
        return hexagon_result(ctx, subs)
    return None


def scan_result(
    ctx: Texts, subs: Sequence[Submission], case_id: str | None, revealed: bool
) -> ScanResult:
    c, lang = ctx.content, ctx.lang
    case_id = case_id if case_id in {k.id for k in c.cases} else None
    perspective, case_id = group.quickscan_target(c, case_id, subs)
    g = group.quickscan_group(subs, c, perspective, case_id)
    phases = []
    for p in c.phases:
        scores = sorted(v for v in g.points[p.id].values() if v is not None)
        reference = g.reference.get(p.id) if revealed else None
        median = statistics.median(scores) if scores else None
        low, high = (scores[0], scores[-1]) if scores else (None, None)
        if scores:
            line = ctx.t(
                "room2.scan.line",
                median=formats.percent(median, lang),
                low=formats.percent(low, lang),
                high=formats.percent(high, lang),
            )
        else:
            line = ctx.t("room2.scan.none")
        if reference is not None:
            line += " · " + ctx.t("room2.scan.reference", share=formats.percent(reference, lang))
        phases.append(
            PhaseSpread(
                f"{p.number} {p.name(lang)}", len(scores), low, median, high, reference, line
            )
        )
    names = {q.id: q.name(lang) for q in c.instrument.perspectives}
    heading = ctx.t(
        "room2.scan.heading",
        case=c.case(case_id).title(lang) if case_id else ctx.t("quickscan.own"),
        perspective=names[perspective],
    )
    legend = [ctx.t("room2.scan.legend")]
    if revealed and g.reference:
        legend.append(ctx.t("room2.scan.legend_reference"))
    n = len(g.answers)
    return ScanResult(
        heading=heading,
        phases=tuple(phases),
        answered_line=ctx.t("room2.scan.answered", n=n),
        legend=tuple(legend),
        alt=ctx.t(
            "room2.alt", heading=heading, results="; ".join(f"{s.label}: {s.line}" for s in phases)
        ),
    )


def _most_adapted(ctx: Texts, subs: Sequence[Submission]) -> str | None:
    """The intervention most participants worked on: proposed adaptations to, or answered a
    practice situation of (content order on a tie)."""
    counts: dict[str, set[str]] = {}
    for s in subs:
        r = s.record
        if (isinstance(r, Adaptations) and r.proposals) or isinstance(r, SituationAnswer):
            counts.setdefault(r.intervention, set()).add(s.participant)
    known = [i.id for i in ctx.content.interventions if counts.get(i.id)]
    return max(known, key=lambda i: len(counts[i])) if known else None


#: Characters of a situation's text the projector shows after its number.
SITUATION_MAX = 90


def situation_tallies(
    ctx: Texts, subs: Sequence[Submission], intervention_id: str
) -> tuple[SituationTally, ...]:
    """Per practice situation of the intervention, in content order: how many participants
    chose a fitting adaptation first time, of those who answered it. A situation nobody answered
    is listed with "nog niet beantwoord"; an answer the content can no longer judge is left out."""
    item = ctx.content.intervention(intervention_id)
    right: dict[str, int] = {}
    answered: dict[str, int] = {}
    for s in subs:
        r = s.record
        if not isinstance(r, SituationAnswer) or r.intervention != item.id:
            continue
        fb = situation_feedback(ctx.content, r.intervention, r.situation, r.first)
        if fb is None:
            continue
        answered[r.situation] = answered.get(r.situation, 0) + 1
        right[r.situation] = right.get(r.situation, 0) + fb.is_good
    lines = []
    for number, situation in enumerate(item.situations, 1):
        text = " ".join(situation.text(ctx.lang).split())
        if len(text) > SITUATION_MAX:
            text = text[: SITUATION_MAX - 1].rstrip() + "…"
        n = answered.get(situation.id, 0)
        line = (
            ctx.t("room2.kern.situation_right", right=right.get(situation.id, 0), n=n)
            if n
            else ctx.t("room2.kern.situation_none")
        )
        label = ctx.t("room2.kern.situation", number=number, text=text)
        lines.append(SituationTally(label, right.get(situation.id, 0), n, line))
    return tuple(lines)


def _shown_reason(text: str) -> str:
    """A participant's reason as the projector shows it: the kit's rule for typed text, invisible
    format characters dropped (an emoji's joiner kept) and cut to :data:`REASON_MAX` characters.

    >>> _shown_reason("  geen\u200b  tijd ") , len(_shown_reason("x" * 500))
    ('geen tijd', 140)
    """
    visible = "".join(ch for ch in str(text) if ch == "\u200d" or unicodedata.category(ch) != "Cf")
    try:
        shown = clean(visible, len(visible) + 1)
    except TooLong:  # cannot happen: the limit is above the length
        shown = ""
    return shown if len(shown) <= REASON_MAX else shown[: REASON_MAX - 1].rstrip() + "…"


def kern_result(
    ctx: Texts, subs: Sequence[Submission], intervention_id: str, hidden: Iterable[str] = ()
) -> KernResult:
    c, lang = ctx.content, ctx.lang
    item = c.intervention(intervention_id)
    tally = group.adaptation_tally(subs, c, item.id)
    reasons: dict[tuple[str, str], list[str]] = {}
    people = 0
    for s in subs:
        r = s.record
        if isinstance(r, Adaptations) and r.intervention == item.id:
            people += bool(r.proposals)
            for p in r.proposals:
                if p.reason.strip():
                    reasons.setdefault((p.element, p.type), []).append(_shown_reason(p.reason))
    gone = tuple(hidden)
    ranked = sorted(tally.rows, key=lambda row: (_RANK[row[2]], -row[3]))
    rows = tuple(
        AdaptationLine(
            verdict=v,
            label=f"{adaptations.SYMBOL[v]} {c.adaptation_type(t).name(lang)} → "
            f"{item.element(e).name(lang)}",
            count=n,
            reasons=tuple(
                (entry.text, entry.count)
                for entry in rules.wall(reasons.get((e, t), []), gone)[:REASONS_MAX]
            ),
        )
        for e, t, v, n in ranked[:ROWS_MAX]
    )
    totals = tuple(
        VerdictCount(v, f"{adaptations.SYMBOL[v]} {ctx.t(f'room.verdict.{v}')}", tally.verdicts[v])
        for v in ("red", "amber", "green")
    )
    heading = ctx.t("group.adapt", name=item.name(lang))
    situations = situation_tallies(ctx, subs, item.id)
    return KernResult(
        heading=heading,
        totals=totals,
        rows=rows,
        answered_line=ctx.t("room2.kern.answered", n=people),
        alt=ctx.t(
            "room2.alt",
            heading=heading,
            results="; ".join(f"{t.label}: {t.count}" for t in totals)
            + "".join(f"; {r.label}: {r.count}" for r in rows)
            + "".join(f"; {x.label}: {x.line}" for x in situations if x.answered),
        ),
        situations=situations,
    )


def plan_result(ctx: Texts, subs: Sequence[Submission]) -> PlanResult:
    c = ctx.content
    rows = tuple(
        (c.activity(a).text(ctx.lang), c.phase_of_activity(a).number, n)
        for a, n in group.plan_tally(subs, c)
    )
    people = sum(1 for s in subs if isinstance(s.record, Plan) and s.record.steps)
    heading = ctx.t("room2.plan.heading")
    return PlanResult(
        heading=heading,
        rows=rows,
        answered_line=ctx.t("room2.plan.answered", n=people),
        alt=ctx.t(
            "room2.alt",
            heading=heading,
            results="; ".join(f"{text}: {n}" for text, _, n in rows) or "–",
        ),
    )


def hexagon_result(ctx: Texts, subs: Sequence[Submission]) -> HexagonResult:
    """Per Hexagon point the group's ratings as a band from the lowest to the highest with the
    median, each in words too, and the outcomes of the complete ratings (counts only)."""
    from kit.hexagon import group_ratings

    hx, lang = ctx.content.hexagon, ctx.lang
    assert hx is not None  # exercise_result asks only when the content has a Hexagon
    values = [s.value for s in hx.scale]
    bottom, top = min(values), max(values)
    g = group_ratings(
        [i.id for i in hx.indicators],
        [r.ratings for r in hexagon_ratings(subs)],
        weak_below=hx.weak_below,
        bottom=bottom,
    )
    labels = {s.value: s.label(lang) for s in hx.scale}

    def share(value: float | None) -> float | None:
        return None if value is None else (value - bottom) / ((top - bottom) or 1)

    def said(value: float) -> str:
        if float(value).is_integer():
            return f"{int(value)} {labels.get(int(value), '')}".strip()
        return formats.number(value, lang, digits=1)

    points = []
    for sp in g.indicators:
        if sp.median is not None and sp.low is not None and sp.high is not None:
            line = ctx.t(
                "room2.scan.line", median=said(sp.median), low=said(sp.low), high=said(sp.high)
            )
        else:
            line = ctx.t("room2.hexagon.none")
        points.append(
            PhaseSpread(
                hx.indicator(sp.id).name(lang),
                sp.rated,
                share(sp.low),
                share(sp.median),
                share(sp.high),
                None,
                line,
            )
        )
    outcomes = tuple(
        VerdictCount(OUTCOME_STYLE.get(v, "amber"), hx.verdict(v).label(lang), n)
        for v, n in g.verdicts.items()
    )
    heading = ctx.t("room2.hexagon.heading")
    answered = ctx.t("room2.hexagon.answered", n=g.people)
    if g.incomplete:
        answered += " · " + ctx.t("group.hexagon.incomplete", n=g.incomplete)
    return HexagonResult(
        heading=heading,
        points=tuple(points),
        outcomes=outcomes,
        answered_line=answered,
        legend=(
            ctx.t("room2.hexagon.legend"),
            ctx.t("group.hexagon.scale", scale=" · ".join(f"{v} {labels[v]}" for v in values)),
        ),
        alt=ctx.t(
            "room2.alt",
            heading=heading,
            results="; ".join(
                [f"{p.label}: {p.line}" for p in points]
                + [f"{o.label}: {o.count}" for o in outcomes]
            ),
        ),
    )


def reasons_to_moderate(
    ctx: Texts, exercise: Step, subs: Sequence[Submission], intervention_id: str | None
) -> tuple[str, ...]:
    """The typed reasons a kern results screen may show, for the trainer's hide buttons."""
    if exercise.app != "kern":
        return ()
    chosen = exercise.intervention or intervention_id or _most_adapted(ctx, subs)
    texts = [
        _shown_reason(p.reason)
        for s in subs
        if isinstance(s.record, Adaptations) and s.record.intervention == chosen
        for p in s.record.proposals
        if p.reason.strip()
    ]
    return tuple(texts)
