"""What the Kern-en-schil screens and reports show, as plain data: the learner's proposals, the
verdicts in words, the summary, the exercise feedback and the FRAME log. No widgets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kit import adaptations, formats
from kit.adaptations import LOG_FIELDS, SYMBOL, ExerciseFeedback, Judgement, LogEntry
from kit.answers import Proposal
from kit.content import Intervention
from kit.formats import Maker
from kit.present.maker import maker_cells, maker_header
from kit.present.texts import Texts


def verdict_label(ctx: Texts, verdict: str) -> str:
    return f"{SYMBOL[verdict]} {ctx.t(f'kern.verdict.{verdict}')}"


def basis_label(ctx: Texts, judgement: Judgement) -> str:
    """What the verdict rests on: the aspect the adaptation changes and the element's part, so
    a green verdict on a kern element reads as "surface of a core element", not "shell"."""
    if judgement.aspect is None:
        return ""
    if judgement.mechanism:
        return ctx.t("kern.basis_mechanism", aspect=judgement.aspect.name(ctx.lang))
    return ctx.t(
        "kern.basis",
        aspect=judgement.aspect.name(ctx.lang),
        part=ctx.t(f"kern.part.{judgement.part}"),
    )


@dataclass(frozen=True)
class SourceLine:
    """One published source behind a verdict: its short name, where it can be read, the colour
    it gives this kind of adaptation in words, and whether the kit's verdict is that colour."""

    name: str
    url: str
    colour: str
    agrees: bool


@dataclass(frozen=True)
class VerdictSources:
    """What the verdict screen says about where a verdict comes from: that it is the kit's own
    judgement from published guidance, and the sources with an example of this kind of
    adaptation on this part (none when the table has no such example)."""

    note: str
    heading: str
    lines: tuple[SourceLine, ...]


def verdict_sources(ctx: Texts, j: Judgement) -> VerdictSources:
    """The published examples of the judged adaptation type on the element's part, one line
    per source and colour (a source with two examples of the same colour shows once)."""
    guidance = ctx.content.guidance
    by_id = {s.id: s for s in guidance.sources} if guidance is not None else {}
    lines: list[SourceLine] = []
    seen: set[tuple[str, str]] = set()
    for example in adaptations.published(guidance, j.type_id, j.part, j.mechanism):
        if (example.source, example.colour) in seen or example.source not in by_id:
            continue
        seen.add((example.source, example.colour))
        source = by_id[example.source]
        lines.append(
            SourceLine(
                name=source.short,
                url=source.url,
                colour=verdict_label(ctx, example.colour),
                agrees=example.colour == j.verdict,
            )
        )
    heading = ctx.t("kern.sources.heading", n=len(lines)) if lines else ctx.t("kern.sources.none")
    return VerdictSources(ctx.t("kern.sources.note"), heading, tuple(lines))


def to_log(ctx: Texts, item: Intervention, proposals: list[Proposal]) -> list[LogEntry]:
    c, lang = ctx.content, ctx.lang
    entries = []
    for p in proposals:
        element = item.element(p.element)
        kind = c.adaptation_type(p.type)
        j = adaptations.judge(item, p.element, p.type, c.adaptation_types)
        entries.append(
            LogEntry(
                date=p.date,
                when=p.when,
                planned=p.planned,
                who=p.who,
                element=element.name(lang),
                what=adaptations.CATEGORY_TO_WHAT[element.category],
                level=p.level,
                type=kind.name(lang),
                frame_type=kind.frame,
                verdict=j.verdict,
                reason=p.reason,
                goal=p.goal,
            )
        )
    return entries


def yes_no(ctx: Texts, value: bool) -> str:
    return ctx.t("kern.log.yes" if value else "kern.log.no")


def log_cells(ctx: Texts, e: LogEntry) -> dict[str, str]:
    """One log entry in words, per field of :data:`kit.adaptations.LOG_FIELDS`: the labels the
    table, the PDF and the CSV show instead of FRAME's ids."""
    return {
        "date": formats.date(e.date, ctx.lang),
        "when": ctx.t(f"kern.frame.when.{e.when}"),
        "planned": yes_no(ctx, e.planned),
        "who": ctx.t(f"kern.frame.who.{e.who}"),
        "element": e.element,
        "what": ctx.t(f"kern.frame.what.{e.what}"),
        "level": ctx.t(f"kern.frame.level.{e.level}"),
        "type": e.type,
        "frame_type": ctx.t(f"kern.frame.type.{e.frame_type}"),
        "verdict": verdict_label(ctx, e.verdict),
        "kern_kept": yes_no(ctx, e.fidelity_consistent),
        "reason": e.reason,
        "goal": e.goal,
    }


def log_csv(ctx: Texts, entries: Sequence[LogEntry], maker: Maker | None = None) -> bytes:
    """The adaptation log as a spreadsheet file in the reader's language: one row per
    adaptation, column names and values in words (:func:`kit.formats.csv_bytes`). With a
    ``maker`` every row starts with who made it, the session, the intervention and when."""
    header = [ctx.t(f"kern.log.col.{k}") for k in LOG_FIELDS]
    rows: list[list[formats.Cell]] = []
    for e in entries:
        cells = log_cells(ctx, e)
        # The spreadsheet gets the date as a date (ISO), not as words.
        rows.append([e.date if k == "date" else cells[k] for k in LOG_FIELDS])
    if maker is not None:
        header = maker_header(ctx) + header
        rows = [maker_cells(ctx, maker) + row for row in rows]
    return formats.csv_bytes(header, rows, ctx.lang)


@dataclass(frozen=True)
class JudgementText:
    """A verdict in words: its label and reason, what it rests on (may be empty), whether the
    intervention overrides the general rule, and for red the way to stay in the schil
    (``instead`` and ``alternatives`` are empty otherwise, or when there is none)."""

    verdict: str
    label: str
    reason: str
    basis: str
    overridden: str
    instead: str
    alternatives: str
    sources: VerdictSources | None = None


def judgement_text(ctx: Texts, item: Intervention, j: Judgement) -> JudgementText:
    """The verdict in words, with the published sources behind it."""
    lang = ctx.lang
    instead = alternatives = ""
    if j.verdict == "red":
        if j.instead is not None:
            instead = j.instead(lang)
        if j.alternatives:
            names = ", ".join(item.element(e).name(lang) for e in j.alternatives)
            alternatives = ctx.t("kern.alternatives", elements=names)
    return JudgementText(
        verdict=j.verdict,
        label=verdict_label(ctx, j.verdict),
        reason=j.reason(lang),
        basis=basis_label(ctx, j),
        overridden=ctx.t("kern.overridden") if j.overridden else "",
        instead=instead,
        alternatives=alternatives,
        sources=verdict_sources(ctx, j) if j.type_id else None,
    )


@dataclass(frozen=True)
class ProposalCard:
    """One proposed adaptation as the list shows it: the type, the element, the verdict in
    words, and the reason and goal given (label, text; only those filled in)."""

    type: str
    element: str
    judgement: JudgementText
    details: tuple[tuple[str, str], ...]


def proposal_cards(
    ctx: Texts, item: Intervention, proposals: Sequence[Proposal]
) -> list[ProposalCard]:
    c, lang = ctx.content, ctx.lang
    cards = []
    for p in proposals:
        j = adaptations.judge(item, p.element, p.type, c.adaptation_types)
        details = tuple(
            (ctx.t(label), value)
            for label, value in (("kern.reason", p.reason), ("kern.goal", p.goal))
            if value
        )
        cards.append(
            ProposalCard(
                type=c.adaptation_type(p.type).name(lang),
                element=item.element(p.element).name(lang),
                judgement=judgement_text(ctx, item, j),
                details=details,
            )
        )
    return cards


@dataclass(frozen=True)
class KernSummary:
    """The proposals together: how many of each verdict, in a sentence, and what they mean for
    the expected effect."""

    counts: str
    outlook: str


def kern_summary(ctx: Texts, verdicts: Iterable[str]) -> KernSummary:
    s = adaptations.summarise(verdicts)
    return KernSummary(
        counts=ctx.t("kern.summary.counts", n=s.total, green=s.green, amber=s.amber, red=s.red),
        outlook=ctx.t(f"kern.outlook.{s.outlook}"),
    )


@dataclass(frozen=True)
class ExerciseText:
    """The feedback on an exercise answer: whether it is good, the headline with its symbol,
    the verdict in words, and (when not good) the good answers as "type → element"."""

    good: bool
    verdict: str
    headline: str
    judgement: JudgementText
    better: str


def exercise_text(ctx: Texts, item: Intervention, fb: ExerciseFeedback) -> ExerciseText:
    c, lang = ctx.content, ctx.lang
    j = fb.judgement
    if fb.is_good:
        head = "✓ " + ctx.t("kern.exercise.good")
    elif j.verdict == "red":
        head = "✗ " + ctx.t("kern.exercise.red")
    else:
        head = "≈ " + ctx.t("kern.exercise.possible")
    better = "; ".join(
        f"{c.adaptation_type(t).name(lang)} → {item.element(e).name(lang)}" for e, t in fb.good
    )
    return ExerciseText(fb.is_good, j.verdict, head, judgement_text(ctx, item, j), better)


def diagram(
    ctx: Texts, item: Intervention, proposals: Sequence[Proposal], judgements: Sequence[Judgement]
) -> tuple[dict[str, Any], str]:
    """Arguments for :func:`kit.charts.kern_schil` and the diagram's alt text: every element in
    its ring, with the verdicts of the adaptations proposed for it."""
    lang = ctx.lang
    per_element: dict[str, list[str]] = {}
    for p, j in zip(proposals, judgements, strict=True):
        per_element.setdefault(p.element, []).append(j.verdict)
    shown = list(item.elements)
    # Something added outside core time shows in the schil ring once it is proposed.
    if item.new_element is not None and item.new_element.id in per_element:
        shown.append(item.new_element)
    spec = {
        "elements": [(e.name(lang), e.part, tuple(per_element.get(e.id, []))) for e in shown],
        "kern_label": ctx.t("kern.part.kern").upper(),
        "schil_label": ctx.t("kern.part.schil").upper(),
    }
    kern = [e.name(lang) for e in item.elements if e.part == "kern"]
    schil = [e.name(lang) for e in item.elements if e.part == "schil"]
    alt = ctx.t("kern.alt", name=item.name(lang), kern=", ".join(kern), schil=", ".join(schil))
    marks = [
        f"{item.element(p.element).name(lang)}: {verdict_label(ctx, j.verdict)}"
        for p, j in zip(proposals, judgements, strict=True)
    ]
    if marks:
        alt += " " + ctx.t("kern.alt_marks", marks="; ".join(marks))
    return spec, alt
