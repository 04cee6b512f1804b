"""What the Kern-en-schil screens and reports show, as plain data: the learner's proposals, the
verdict labels and the FRAME log. No widgets."""

from __future__ import annotations

from collections.abc import Sequence

from kit import adaptations, formats
from kit.adaptations import LOG_FIELDS, SYMBOL, Judgement, LogEntry
from kit.answers import Proposal
from kit.content import Intervention
from kit.present.texts import Texts


def verdict_label(ctx: Texts, verdict: str) -> str:
    return f"{SYMBOL[verdict]} {ctx.t(f'kern.verdict.{verdict}')}"


def basis_label(ctx: Texts, judgement: Judgement) -> str:
    """What the verdict rests on: the aspect the adaptation changes and the element's part, so
    a green verdict on a kern element reads as "surface of a core element", not "shell"."""
    if judgement.aspect is None:
        return ""
    return ctx.t(
        "kern.basis",
        aspect=judgement.aspect.name(ctx.lang),
        part=ctx.t(f"kern.part.{judgement.part}"),
    )


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


def log_csv(ctx: Texts, entries: Sequence[LogEntry]) -> bytes:
    """The adaptation log as a spreadsheet file in the reader's language: one row per
    adaptation, column names and values in words (:func:`kit.formats.csv_bytes`)."""
    header = [ctx.t(f"kern.log.col.{k}") for k in LOG_FIELDS]
    rows = []
    for e in entries:
        cells = log_cells(ctx, e)
        # The spreadsheet gets the date as a date (ISO), not as words.
        rows.append([e.date if k == "date" else cells[k] for k in LOG_FIELDS])
    return formats.csv_bytes(header, rows, ctx.lang)
