"""What the trainer's dashboard and the group report show, as plain data. No widgets."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kit import adaptations, formats, group
from kit.adaptations import ExerciseFeedback
from kit.answers import (
    ActivityPick,
    Adaptations,
    HexagonRatings,
    PhaseGuess,
    Plan,
    Record,
    ScanAnswers,
    SituationAnswer,
    SituationChoice,
)
from kit.content import Content
from kit.formats import Cell
from kit.phases import activity_fit
from kit.present.kern import exercise_text, verdict_label
from kit.present.plan import indicator_text, needs_text, when_text
from kit.present.quickscan import answer_label, compute, level_text
from kit.present.texts import Texts

if TYPE_CHECKING:
    from kit.storage import Participant, Submission, UnreadableRow


def scan_chart_spec(ctx: Texts, g: group.QuickscanGroup) -> dict[str, Any]:
    """Arguments for :func:`charts.group_phases`: per phase every participant's share."""
    c, lang = ctx.content, ctx.lang
    rows = [
        (
            f"{p.number} {p.name(lang)}",
            [v for v in g.points[p.id].values() if v is not None],
            g.reference.get(p.id),
        )
        for p in c.phases
    ]
    return {
        "rows": rows,
        "xlabel": ctx.t("quickscan.chart.x"),
        "median_label": ctx.t("group.median"),
        "reference_label": ctx.t("group.reference"),
        "lang": lang,
    }


def perspective_line(
    ctx: Texts, case_id: str | None, subs: Sequence[Submission], perspective: str
) -> str:
    """Which perspective the group's quickscan shows, and how many filled it in from each."""
    c = ctx.content
    names = {p.id: p.name(ctx.lang) for p in c.instrument.perspectives}
    counts = group.quickscan_counts(c, case_id, subs)
    return ctx.t(
        "group.perspective.shown",
        perspective=names[perspective],
        counts=" · ".join(f"{names[p]}: {n}" for p, n in counts.items()),
    )


def off_chart(content: Content, case_id: str | None, subs: Sequence[Submission]) -> int:
    """How many participants filled in a quickscan, but none of the session's scan (another
    case, or a perspective the case is not read from): the group's chart does not show them."""
    shown = set(group.quickscan_counts(content, case_id, []))
    scanned: set[str] = set()
    counted: set[str] = set()
    for s in subs:
        r = s.record
        if isinstance(r, ScanAnswers) and r.values:
            scanned.add(s.participant)
            if r.case == case_id and r.perspective in shown:
                counted.add(s.participant)
    return len(scanned - counted)


def off_chart_line(ctx: Texts, case_id: str | None, subs: Sequence[Submission]) -> str:
    """The dashboard's note on participants whose quickscan is not in the chart, or ""."""
    n = off_chart(ctx.content, case_id, subs)
    return ctx.t("group.off_chart", n=n) if n else ""


def tally_rows(ctx: Texts, subs: Sequence[Submission]) -> list[tuple[str, str, str, str]]:
    """The phase exercise per scenario: title, right first answers, the right phase, and what
    participants chose first ("phase: count")."""
    c, lang = ctx.content, ctx.lang
    rows = []
    for t in group.phase_tally(subs, c):
        scenario = next(s for s in c.scenarios if s.id == t.scenario)
        right = c.phase(scenario.phase)
        chosen = ", ".join(f"{n}: {k}×" for n, k in sorted(t.chosen.items()))
        rows.append(
            (
                scenario.title(lang),
                f"✓ {t.correct}/{t.total}",
                f"{right.number} · {right.name(lang)}",
                chosen,
            )
        )
    return rows


def situation_feedback(
    content: Content, intervention: str, situation: str, choice: SituationChoice
) -> ExerciseFeedback | None:
    """The kit's feedback on a choice for a situation; None when the content no longer has the
    intervention, the situation, the element or the kind of adaptation."""
    item = next((i for i in content.interventions if i.id == intervention), None)
    s = next((s for s in item.situations if s.id == situation), None) if item else None
    if item is None or s is None:
        return None
    elements = {e.id for e in item.elements} | (
        {item.new_element.id} if item.new_element else set()
    )
    if choice.element not in elements or choice.type not in {
        t.id for t in content.adaptation_types
    }:
        return None
    return adaptations.grade(item, s, choice.element, choice.type, content.adaptation_types)


def situation_score(content: Content, records: Iterable[Record]) -> tuple[int, int]:
    """The kern-en-schil situations: (right first time, situations answered); a situation the
    content can no longer judge is left out."""
    right = done = 0
    for r in records:
        if isinstance(r, SituationAnswer):
            fb = situation_feedback(content, r.intervention, r.situation, r.first)
            if fb is not None:
                done += 1
                right += fb.is_good
    return right, done


#: The group CSV's columns (ui.yaml ``group.csv.col.*``), one row per answer.
CSV_COLUMNS = (
    "session",
    "alias",
    "exercise",
    "about",
    "question",
    "answer",
    "value",
    "note",
    "updated",
)


def answer_rows(ctx: Texts, code: str, subs: Sequence[Submission]) -> Iterator[list[Cell]]:
    """Every answer of every participant as a row in words: the statement, scenario, activity or
    adaptation asked about, the answer as the screen says it, a number where there is one (a
    quickscan answer, a participant's average per phase), free text as typed. Anything the
    content no longer knows is shown by its id."""
    c, lang = ctx.content, ctx.lang
    statements = {st.id: st for st in c.instrument.statements}
    scenarios = {sc.id: sc for sc in c.scenarios}
    phases = {p.number: p for p in c.phases}
    activities = {a.id: (p, a) for p in c.phases for a in p.activities}

    def phase_name(number: int) -> str:
        p = phases.get(number)
        return f"{number} · {p.name(lang)}" if p else str(number)

    for sub in subs:
        r = sub.record

        def row(
            exercise: str,
            about: str,
            question: str,
            answer: str,
            value: Cell = None,
            note: str = "",
            sub: Submission = sub,
        ) -> list[Cell]:
            return [
                code,
                sub.alias,
                ctx.t(f"group.csv.exercise.{exercise}"),
                about,
                question,
                answer,
                value,
                note,
                sub.updated_at,
            ]

        if isinstance(r, ScanAnswers):
            persp = next(
                (p.name(lang) for p in c.instrument.perspectives if p.id == r.perspective),
                r.perspective,
            )
            case = next((k.title(lang) for k in c.cases if k.id == r.case), r.case)
            about = f"{persp} · {case or ctx.t('quickscan.own')}"
            for sid, value in r.values.items():
                st = statements.get(sid)
                yield row(
                    "quickscan",
                    about,
                    st.text(lang) if st else sid,
                    answer_label(ctx, value),
                    value if isinstance(value, int) else None,
                )
            if r.perspective in {p.id for p in c.instrument.perspectives}:
                result = compute(ctx, r.perspective, r.values)
                for p in c.phases:
                    score = result.by_phase[p.id]
                    yield row(
                        "quickscan",
                        about,
                        ctx.t("group.csv.phase_mean", phase=phase_name(p.number)),
                        level_text(ctx, score.level),
                        score.mean,
                    )
        elif isinstance(r, PhaseGuess):
            sc = scenarios.get(r.scenario)
            about = sc.title(lang) if sc else r.scenario
            yield row("which", about, ctx.t("group.csv.first"), phase_name(r.first), r.first)
            if r.last != r.first:
                yield row("which", about, ctx.t("group.csv.last"), phase_name(r.last), r.last)
        elif isinstance(r, HexagonRatings) and c.hexagon is not None:
            scale = {sc.value: sc.label(lang) for sc in c.hexagon.scale}
            known = {i.id: i for i in c.hexagon.indicators}
            for iid, value in r.ratings.items():
                indicator = known.get(iid)
                yield row(
                    "hexagon",
                    c.hexagon.title(lang),
                    indicator.question(lang) if indicator else iid,
                    f"{value} · {scale[value]}" if value in scale else str(value),
                    value,
                )
            if outcome := hexagon_outcome(ctx, r):  # the kit's verdict on a complete rating
                yield row("hexagon", c.hexagon.title(lang), ctx.t("group.csv.outcome"), outcome)
        elif isinstance(r, ActivityPick):
            sc = scenarios.get(r.scenario)
            about = sc.title(lang) if sc else r.scenario
            team = c.phase(sc.phase).number if sc else None
            for aid in r.activities:
                found = activities.get(aid)
                if found is None:
                    yield row("fit", about, aid, ctx.t("group.csv.chosen"))
                    continue
                phase, activity = found
                fit = (
                    ctx.t(f"phases.fit.{activity_fit(team, phase.number).value}")
                    if team is not None
                    else ctx.t("group.csv.chosen")
                )
                yield row("fit", about, activity.text(lang), fit, phase.number)
        elif isinstance(r, Adaptations):
            item = next((i for i in c.interventions if i.id == r.intervention), None)
            if item is None:
                continue
            element_ids = {e.id for e in item.elements}
            type_ids = {t.id for t in c.adaptation_types}
            for prop in r.proposals:
                kind = adaptations.canonical_type(prop.type)
                if prop.element not in element_ids or kind not in type_ids:
                    continue
                j = adaptations.judge(item, prop.element, kind, c.adaptation_types)
                question = f"{c.adaptation_type(kind).name(lang)} → {item.element(prop.element).name(lang)}"
                note = " · ".join(
                    f"{ctx.t(f'kern.log.col.{k}')}: {v}"
                    for k, v in (("reason", prop.reason), ("goal", prop.goal))
                    if v
                )
                yield row(
                    "kern", item.name(lang), question, verdict_label(ctx, j.verdict), None, note
                )
        elif isinstance(r, SituationAnswer):
            # The first choice (it counts for the score: 1 right, 0 not), the last if it differs.
            item = next((i for i in c.interventions if i.id == r.intervention), None)
            s = next((s for s in item.situations if s.id == r.situation), None) if item else None
            about = f"{item.name(lang)} · {s.text(lang)}" if item and s else r.item
            choices = [("group.csv.first", r.first)]
            if r.last != r.first:
                choices.append(("group.csv.last", r.last))
            for label, choice in choices:
                fb = situation_feedback(c, r.intervention, r.situation, choice)
                if item is None or fb is None:  # the content no longer knows it: its ids
                    yield row("situation", about, ctx.t(label), f"{choice.type} → {choice.element}")
                    continue
                answer = (
                    f"{c.adaptation_type(choice.type).name(lang)} → "
                    f"{item.element(choice.element).name(lang)}"
                )
                note = f"{exercise_text(ctx, item, fb).headline} · {verdict_label(ctx, fb.judgement.verdict)}"
                yield row("situation", about, ctx.t(label), answer, int(fb.is_good), note)
        elif isinstance(r, Plan):
            # One row per step: the activity, who and when, its phase; needs and indicator.
            for step in r.steps:
                found = activities.get(step.activity)
                if found is None:
                    continue
                phase, activity = found
                answer = f"{ctx.t(f'plan.who.{step.who}')} · {when_text(ctx, step.when)}"
                note = f"{needs_text(ctx, step)} · {indicator_text(ctx, step)}"
                if step.note:
                    note += f" · {step.note}"
                yield row(
                    "plan", ctx.t("plan.title"), activity.text(lang), answer, phase.number, note
                )


def unreadable_rows(ctx: Texts, code: str, rows: Sequence[UnreadableRow]) -> Iterator[list[Cell]]:
    """Stored answers the kit cannot read (an older or damaged record), as they are stored:
    exported so that nothing is lost without a word."""
    for row in rows:
        yield [
            code,
            row.alias,
            ctx.t("group.csv.exercise.unreadable"),
            f"{row.module} · {row.item}",
            "",
            row.answers,
            None,
            ctx.t("group.csv.unreadable_note"),
            row.updated_at,
        ]


def answers_csv(
    ctx: Texts,
    code: str,
    subs: Sequence[Submission],
    unreadable: Sequence[UnreadableRow] = (),
    polls: Sequence[tuple[str, str, str, str]] = (),
) -> bytes:
    """The group's answers as a spreadsheet file in the reader's language (Dutch: ``;``,
    decimal commas; see :func:`kit.formats.csv_bytes`), one row per answer; then the votes of a
    led session's polls (``polls``: alias, poll, answer in words, stored value; see
    :func:`kit.present.room.poll_csv_rows`); answers the kit cannot read last, as stored."""
    header = [ctx.t(f"group.csv.col.{k}") for k in CSV_COLUMNS]
    poll_word = ctx.t("group.csv.exercise.poll")
    votes: Iterator[list[Cell]] = (
        [code, alias, poll_word, "", poll, answer, value, "", None]
        for alias, poll, answer, value in polls
    )
    rows = itertools.chain(
        answer_rows(ctx, code, subs), votes, unreadable_rows(ctx, code, unreadable)
    )
    return formats.csv_bytes(header, rows, ctx.lang)


@dataclass(frozen=True)
class JoinedName:
    """One participant on the dashboard: the alias, and whether anything came in from them
    yet (``note`` says so in words when not, else it is empty)."""

    alias: str
    answered: bool
    note: str


def joined_names(
    ctx: Texts, people: Sequence[Participant], subs: Sequence[Submission]
) -> list[JoinedName]:
    """``people`` in their order, each marked whether they have answered anything."""
    answered = {s.participant for s in subs}
    return [
        JoinedName(
            p.alias,
            p.participant in answered,
            "" if p.participant in answered else ctx.t("group.no_answer_yet"),
        )
        for p in people
    ]


def scan_alt(ctx: Texts, g: group.QuickscanGroup, spec: dict[str, Any]) -> str:
    """The group chart's alt text: how many took part, and per phase how many points."""
    return (
        ctx.t("group.alt", n=len(g.answers))
        + " "
        + "; ".join(f"{label}: {len(values)}" for label, values, _ in spec["rows"])
    )


@dataclass(frozen=True)
class Disagreement:
    """A statement the group answers far apart on, with the count per answer given
    (label of the scale point, count), lowest point first."""

    statement: str
    counts: tuple[tuple[str, int], ...]


def disagreement_rows(ctx: Texts, g: group.QuickscanGroup, perspective: str) -> list[Disagreement]:
    c, lang = ctx.content, ctx.lang
    statements = {s.id: s for s in c.instrument.statements_for(perspective)}
    scale = {s.value: s.label(lang) for s in c.instrument.scale}
    return [
        Disagreement(
            statements[d.statement_id].text(lang),
            tuple((scale[v], n) for v, n in sorted(d.counts.items())),
        )
        for d in group.disagreements(g.answers, list(statements))
    ]


@dataclass(frozen=True)
class AdaptationPanel:
    """The group's adaptations to the session's intervention: the heading, the count per
    verdict ("✓ Groen: …: 2") and one line per adaptation ("✓ type → element: by n")."""

    title: str
    totals: tuple[str, ...]
    rows: tuple[str, ...]


def adaptation_panel(
    ctx: Texts, subs: Sequence[Submission], intervention_id: str
) -> AdaptationPanel:
    c, lang = ctx.content, ctx.lang
    item = c.intervention(intervention_id)
    tally = group.adaptation_tally(subs, c, item.id)
    return AdaptationPanel(
        title=ctx.t("group.adapt", name=item.name(lang)),
        totals=tuple(
            f"{adaptations.SYMBOL[v]} {ctx.t(f'kern.verdict.{v}')}: {n}"
            for v, n in tally.verdicts.items()
        ),
        rows=tuple(
            f"{adaptations.SYMBOL[v]} {c.adaptation_type(t).name(lang)} → "
            f"{item.element(e).name(lang)}: {ctx.t('group.by', n=n)}"
            for e, t, v, n in tally.rows
        ),
    )


@dataclass(frozen=True)
class PlannedActivity:
    """An activity in participants' plans: its text, its phase number, how many chose it."""

    activity: str
    phase: int
    count: str


def plan_rows(ctx: Texts, subs: Sequence[Submission]) -> list[PlannedActivity]:
    c = ctx.content
    return [
        PlannedActivity(
            c.activity(a).text(ctx.lang),
            c.phase_of_activity(a).number,
            ctx.t("group.by", n=n),
        )
        for a, n in group.plan_tally(subs, c)
    ]


# --------------------------------------------------------------------------- the Hexagon (choosing)


def hexagon_outcome(ctx: Texts, record: HexagonRatings) -> str:
    """The verdict's label on one participant's complete rating; "" while incomplete."""
    from kit.present.hexagon import feedback

    hx = ctx.content.hexagon
    if hx is None:
        return ""
    known = {i.id for i in hx.indicators}
    return feedback(ctx, {k: v for k, v in record.ratings.items() if k in known}).verdict


@dataclass(frozen=True)
class HexagonRow:
    """One indicator over the group, in words: its name, how many rated it, the median and the
    range (lowest–highest) of their ratings; "—" where nobody rated it."""

    indicator: str
    group: str
    rated: str
    median: str
    spread: str
    line: str  # all of it in one line, for the report


@dataclass(frozen=True)
class HexagonPanel:
    """The group's Hexagon: counts only, never a name (it is shown on the projector)."""

    title: str
    people: int  # participants who rated at least one indicator
    scale: str  # "Schaal: 0 Nee · 1 Nauwelijks · …"
    rows: tuple[HexagonRow, ...]
    verdicts: tuple[str, ...]  # "Ga door: 2", …, "Nog niet compleet: 1"


def hexagon_ratings(subs: Iterable[Submission]) -> list[HexagonRatings]:
    """Every participant's newest Hexagon rating."""
    newest: dict[str, Submission] = {}
    for s in subs:
        if isinstance(s.record, HexagonRatings):
            kept = newest.get(s.participant)
            if kept is None or s.updated_at >= kept.updated_at:
                newest[s.participant] = s
    return [s.record for s in newest.values() if isinstance(s.record, HexagonRatings)]


def hexagon_panel(ctx: Texts, subs: Sequence[Submission]) -> HexagonPanel | None:
    """The group's ratings per indicator and the count per verdict; None when the content
    has no Hexagon."""
    from kit.hexagon import Spread, group_ratings

    hx, lang = ctx.content.hexagon, ctx.lang
    if hx is None:
        return None
    g = group_ratings(
        [i.id for i in hx.indicators],
        [r.ratings for r in hexagon_ratings(subs)],
        weak_below=hx.weak_below,
        bottom=min(s.value for s in hx.scale),
    )
    groups = {gr.id: gr.name(lang) for gr in hx.groups}

    def median(value: float | None) -> str:
        if value is None:
            return formats.NONE
        return formats.number(value, lang, digits=0 if float(value).is_integer() else 1)

    def spread(low: int | None, high: int | None) -> str:
        if low is None or high is None:
            return formats.NONE
        return str(low) if low == high else f"{low}–{high}"

    def row(sp: Spread) -> HexagonRow:
        indicator = hx.indicator(sp.id)
        cells = {
            "indicator": indicator.name(lang),
            "group": groups[indicator.group],
            "rated": ctx.t("group.by", n=sp.rated),
            "median": median(sp.median),
            "spread": spread(sp.low, sp.high),
        }
        return HexagonRow(**cells, line=ctx.t("group.hexagon.line", **cells))

    rows = tuple(row(sp) for sp in g.indicators)
    verdicts = tuple(f"{hx.verdict(v).label(lang)}: {n}" for v, n in g.verdicts.items())
    return HexagonPanel(
        title=ctx.t("group.hexagon", n=g.people),
        people=g.people,
        scale=ctx.t(
            "group.hexagon.scale",
            scale=" · ".join(f"{s.value} {s.label(lang)}" for s in hx.scale),
        ),
        rows=rows,
        verdicts=(*verdicts, ctx.t("group.hexagon.incomplete", n=g.incomplete)),
    )
