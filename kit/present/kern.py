"""What the Kern-en-schil screens and reports show, as plain data: the learner's proposals, the
verdicts in words, the summary, the exercise feedback and the FRAME log. No widgets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kit import adaptations, formats
from kit.adaptations import LOG_FIELDS, SYMBOL, ExerciseFeedback, Judgement, LogEntry
from kit.answers import Proposal, SituationAnswer, SituationChoice
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


def log_csv(
    ctx: Texts,
    entries: Sequence[LogEntry],
    maker: Maker | None = None,
    situations: Sequence[SituationLine] = (),
) -> bytes:
    """The adaptation log as a spreadsheet file in the reader's language: one row per
    adaptation, column names and values in words (:func:`kit.formats.csv_bytes`). With a
    ``maker`` every row starts with who made it, the session, the intervention and when.

    The situations she checked follow below, after an empty row, under their own column names
    (:data:`SITUATION_FIELDS`); every row is as wide as the first, so a spreadsheet keeps the
    columns apart and the log reads back (:func:`kit.present.kern_log.read_log_csv`)."""
    lead_header = maker_header(ctx) if maker is not None else []
    lead: list[formats.Cell] = maker_cells(ctx, maker) if maker is not None else []
    header = lead_header + [ctx.t(f"kern.log.col.{k}") for k in LOG_FIELDS]
    rows: list[list[formats.Cell]] = []
    for e in entries:
        cells = log_cells(ctx, e)
        # The spreadsheet gets the date as a date (ISO), not as words.
        rows.append([*lead, *(e.date if k == "date" else cells[k] for k in LOG_FIELDS)])
    if situations:
        pad: list[formats.Cell] = [""] * (len(LOG_FIELDS) - len(SITUATION_FIELDS))
        rows.append([""] * len(header))
        rows.append([*lead_header, *situation_header(ctx), *pad])
        rows += [[*lead, *(s.cells()[k] for k in SITUATION_FIELDS), *pad] for s in situations]
    return formats.csv_bytes(header, rows, ctx.lang)


def situation_header(ctx: Texts) -> list[str]:
    """The column names of the situations in the log's CSV."""
    return [ctx.t(f"kern.log.sit.col.{k}") for k in SITUATION_FIELDS]


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


# --------------------------------------------------------------------------- situations in the log
# Issue 25: the situations she checked stand in her log (the tab, the PDF and the CSV) beside
# the adaptations, so what she hands in shows the exercise as well.

#: The most characters of a situation the log shows; a longer one ends at a word with "…".
SITUATION_CHARS = 120

#: The columns of the situations in the log's CSV (ui.yaml ``kern.log.sit.col.*``).
SITUATION_FIELDS = ("situation", "first", "first_verdict", "last", "last_verdict", "debrief")


def shorten(text: str, limit: int = SITUATION_CHARS) -> str:
    """``text`` on one line, cut at the last whole word within ``limit`` characters.

    >>> shorten("Nieuwe maatjes haken af voordat ze beginnen.", 24)
    'Nieuwe maatjes haken af…'
    >>> shorten("Kort genoeg.", 24)
    'Kort genoeg.'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    cut = head.rsplit(" ", 1)[0] if " " in head else text[:limit]
    return cut.rstrip(" ,;:.-—") + "…"


@dataclass(frozen=True)
class SituationLine:
    """One situation she checked, as her log shows it: its number among the intervention's
    situations, its text (shortened), her first and last choice as "type → element", the kit's
    verdict on each in words, and the debrief. While the verdicts are held back (homework
    before the teacher's release) the verdicts and the debrief say so instead."""

    number: int
    text: str
    first: str
    first_verdict: str
    last: str
    last_verdict: str
    debrief: str

    def cells(self) -> dict[str, str]:
        """The line per :data:`SITUATION_FIELDS`, the text with its number."""
        return {
            "situation": f"{self.number}. {self.text}",
            "first": self.first,
            "first_verdict": self.first_verdict,
            "last": self.last,
            "last_verdict": self.last_verdict,
            "debrief": self.debrief,
        }


def situation_lines(
    ctx: Texts, item: Intervention, records: Iterable[object], held: bool = False
) -> list[SituationLine]:
    """The situations of ``item`` checked in ``records`` (the page's or the store's records;
    other kinds are passed over), in the intervention's order. A choice the content can no
    longer judge (a renamed element or type) is left out, as the score leaves it out
    (:func:`kit.present.group.situation_feedback`, which imports this module)."""
    lang = ctx.lang
    elements = {e.id for e in item.elements} | (
        {item.new_element.id} if item.new_element else set()
    )
    answers = {
        r.situation: r
        for r in records
        if isinstance(r, SituationAnswer) and r.intervention == item.id
    }

    def verdict(number: int, choice: SituationChoice) -> str | None:
        types = ctx.content.adaptation_types
        if choice.element not in elements or choice.type not in {t.id for t in types}:
            return None
        fb = adaptations.grade(
            item, item.situations[number - 1], choice.element, choice.type, types
        )
        if held:
            return ctx.t("kern.log.sit.held")
        t = exercise_text(ctx, item, fb)
        # "✓ Good choice. Amber: possible, …": the exercise's verdict, then the colour's.
        return f"{t.headline} {ctx.t(f'kern.verdict.{t.verdict}')}"

    lines = []
    for number, s in enumerate(item.situations, start=1):
        answer = answers.get(s.id)
        if answer is None:
            continue
        first, last = verdict(number, answer.first), verdict(number, answer.last)
        if first is None or last is None:
            continue
        lines.append(
            SituationLine(
                number=number,
                text=shorten(s.text(lang)),
                first=_choice(ctx, item, answer.first),
                first_verdict=first,
                last=_choice(ctx, item, answer.last),
                last_verdict=last,
                debrief=ctx.t("kern.log.sit.held") if held else s.debrief(lang),
            )
        )
    return lines


def _choice(ctx: Texts, item: Intervention, choice: SituationChoice) -> str:
    kind = ctx.content.adaptation_type(choice.type).name(ctx.lang)
    return f"{kind} → {item.element(choice.element).name(ctx.lang)}"
