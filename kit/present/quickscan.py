"""What the Quickscan screens and reports show, as plain data: scores, chart specifications with
their alt texts, level labels, the advice and the comparison with a case's reference. No widgets,
no drawing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kit import formats, quickscan
from kit.answers import NOT_APPLICABLE, Mark
from kit.content import Case, Phase
from kit.present.texts import Texts
from kit.quickscan import LEVEL_SYMBOL, Result


def level_text(ctx: Texts, level: quickscan.Level) -> str:
    return f"{LEVEL_SYMBOL[level]} {ctx.t(f'quickscan.level.{level.value}')}"


def compute(ctx: Texts, perspective: str, answers: quickscan.Answers) -> Result:
    c = ctx.content
    return quickscan.score(
        c.instrument.statements_for(perspective),
        answers,
        [p.id for p in c.phases],
        [f.id for f in c.factors],
        c.instrument.max_value,
    )


def phase_chart(
    ctx: Texts, result: Result, reference: Result | None = None
) -> tuple[dict[str, Any], str]:
    """Arguments for :func:`charts.phase_bars` and the chart's alt text."""
    c, lang = ctx.content, ctx.lang
    rows = []
    for p in c.phases:
        s = result.by_phase[p.id]
        rows.append(
            (f"{p.number} {p.name(lang)}", s.share, s.level.value, level_text(ctx, s.level))
        )
    refs = [reference.by_phase[p.id].share for p in c.phases] if reference else None
    spec = {
        "rows": rows,
        "xlabel": ctx.t("quickscan.chart.x"),
        "reference": refs,
        "reference_label": ctx.t("quickscan.chart.reference"),
        "zone_labels": [ctx.t(f"quickscan.level.{k}") for k in ("weak", "mixed", "strong")],
        "lang": lang,
    }
    alt = (
        ctx.t("quickscan.alt.phases")
        + " "
        + "; ".join(
            f"{label}: {formats.percent(share, ctx.lang)} {text}" for label, share, _, text in rows
        )
    )
    return spec, alt


@dataclass(frozen=True)
class Cell:
    """One phase × factor cell as every view shows it: what it says, its level, and in words
    what it means (for a tooltip, a screen reader or a printed page)."""

    text: str
    level: quickscan.Level
    share: float | None
    meaning: str


def grid_cells(ctx: Texts, result: Result) -> list[list[Cell]]:
    """The phase × factor view, rows in phase order, columns in factor order.

    A cell without statements is empty; one whose statements are all unanswered says so, and
    is not mistaken for "only don't know"."""
    c = ctx.content
    rows = []
    for p in c.phases:
        row = []
        for f in c.factors:
            s = result.by_cell[(p.id, f.id)]
            if s.total == 0:
                row.append(Cell("", s.level, None, ctx.t("quickscan.cell.none")))
            elif s.mean is not None:
                text = f"{LEVEL_SYMBOL[s.level]} {formats.number(s.mean, ctx.lang)}"
                row.append(Cell(text, s.level, s.share, level_text(ctx, s.level)))
            elif s.answered == 0:
                row.append(Cell("–", s.level, None, ctx.t("quickscan.cell.unanswered")))
            elif s.dont_know:
                row.append(Cell("?", s.level, None, ctx.t("quickscan.cell.dont_know")))
            else:
                short = ctx.t("quickscan.cell.na_short")
                row.append(Cell(short, s.level, None, ctx.t("quickscan.cell.not_applicable")))
        rows.append(row)
    return rows


def grid_chart(ctx: Texts, result: Result) -> tuple[dict[str, Any], str]:
    """Arguments for :func:`charts.heat_grid` and the chart's alt text."""
    c, lang = ctx.content, ctx.lang
    cells = [
        [(cell.share, cell.level.value, cell.text) for cell in row]
        for row in grid_cells(ctx, result)
    ]
    spec = {
        "row_labels": [f"{p.number} {p.name(lang)}" for p in c.phases],
        "col_labels": [f.name(lang) for f in c.factors],
        "cells": cells,
    }
    weak = [
        f"{p.name(lang)} × {f.name(lang)}"
        for p in c.phases
        for f in c.factors
        if result.by_cell[(p.id, f.id)].level is quickscan.Level.WEAK
    ]
    alt = ctx.t("quickscan.alt.grid", weak=", ".join(weak) or "—")
    return spec, alt


def answer_label(ctx: Texts, value: int | Mark | None) -> str:
    """An answer in words: "2 · Grotendeels", "Weet niet", "Niet van toepassing", or (None)
    not answered."""
    inst, lang = ctx.content.instrument, ctx.lang
    if value is None:
        return ctx.t("quickscan.report.unanswered")
    if isinstance(value, Mark):
        return inst.not_applicable(lang) if value is NOT_APPLICABLE else inst.dont_know(lang)
    scale = {s.value: s.label(lang) for s in inst.scale}
    return f"{value} · {scale.get(value, '?')}"


def reference_result(ctx: Texts, case: Case, perspective: str) -> Result | None:
    """The case's reference reading from ``perspective``, scored (None: it has none)."""
    reference = case.reference_for(perspective)
    if reference is None:
        return None
    return compute(ctx, perspective, quickscan.reference_answers(reference.answers))


def progress_line(ctx: Texts, result: Result) -> str:
    """How far the scan is, with "don't know" and "not applicable" counted apart: one is a gap
    in what the team knows, the other a statement that does not fit."""
    o = result.overall
    return ctx.t(
        "quickscan.progress_both",
        done=o.answered,
        total=o.total,
        dont_know=o.dont_know,
        not_applicable=o.not_applicable,
    )


def phase_label(ctx: Texts, phase: Phase) -> str:
    """A phase as the advice and the comparison name it: "2 · Begrijpen"."""
    return f"{phase.number} · {phase.name(ctx.lang)}"


@dataclass(frozen=True)
class AdviceEntry:
    """One statement to act on, in words: its phase, what it says, how it was answered, the
    advice and the activities that fit."""

    phase: str
    statement: str
    value: int
    scored: str
    answer: str
    advice: str
    activities: tuple[str, ...]
    determinant: str = ""  # "MIDI: Kennis (gebruiker)"


@dataclass(frozen=True)
class Advice:
    """What to act on first. ``scored`` is False while nothing is answered on the scale (there
    is no advice yet); ``priority`` is the earliest weak phase's label (None: no phase is weak,
    the entries are mixed points) and ``headline`` the sentence that says where to start."""

    scored: bool
    priority: str | None
    headline: str
    entries: tuple[AdviceEntry, ...]
    midi: str = ""  # the weak statements' MIDI determinants in one sentence ("" without entries)


def determinant_label(ctx: Texts, determinant_id: str) -> str:
    """A MIDI determinant with its group: "Kennis (gebruiker)"."""
    d = ctx.content.determinant(determinant_id)
    return ctx.t(
        "quickscan.midi.label",
        name=d.name(ctx.lang),
        group=ctx.t(f"quickscan.midi.group.{d.group}"),
    )


def advice(ctx: Texts, perspective: str, answers: quickscan.Answers, result: Result) -> Advice:
    """The advice for a scored reading from ``perspective``, the earliest weak phase first."""
    c, lang = ctx.content, ctx.lang
    statements = c.instrument.statements_for(perspective)
    by_id = {s.id: s for s in statements}
    entries = []
    items = quickscan.advice(statements, answers, result)
    for item in items:
        s = by_id[item.statement_id]
        entries.append(
            AdviceEntry(
                phase=phase_label(ctx, c.phase(s.phase)),
                statement=s.text(lang),
                value=item.value,
                scored=ctx.t("quickscan.advice.scored", value=item.value),
                answer=answer_label(ctx, item.value),
                advice=s.advice(lang),
                activities=tuple(c.activity(a).text(lang) for a in s.activities),
                determinant=ctx.t(
                    "quickscan.midi.entry", determinant=determinant_label(ctx, s.determinant)
                ),
            )
        )
    midi = ""
    if items:
        found = quickscan.determinants_of(items, {s.id: s.determinant for s in statements})
        names = "; ".join(determinant_label(ctx, d) for d in found)
        midi = ctx.t("quickscan.midi.summary", n=len(items), names=names)
    priority = phase_label(ctx, c.phase(result.priority)) if result.priority else None
    headline = (
        ctx.t("quickscan.advice.priority", phase=priority)
        if priority
        else ctx.t("quickscan.advice.no_weak")
    )
    return Advice(result.overall.scored > 0, priority, headline, tuple(entries), midi)


@dataclass(frozen=True)
class DifferenceRow:
    """One statement where the learner's answer differs from the reference's, in words."""

    phase_id: str
    statement: str
    mine: str
    reference: str
    gap: int
    gap_text: str
    #: Which statement: the compare view finds its evidence by it (kit/present/explain.py).
    #: Not part of equality: two rows that say the same are the same row on the screen.
    statement_id: str = field(default="", compare=False)


@dataclass(frozen=True)
class PhaseDifferences:
    """The differences in one phase: both readings' share of the phase, the rows (largest gap
    first) and the reference's reasoning for the phase."""

    phase_id: str
    phase: str
    mine: str
    reference: str
    rows: tuple[DifferenceRow, ...]
    justification_label: str
    justification: str


@dataclass(frozen=True)
class Comparison:
    """The learner's reading against the case's reference. ``status``: ``own`` (no reference
    to compare with), ``none_yet`` (nothing answered on the scale), ``same`` or ``differs``.
    ``rows`` are all differences, largest gap first; ``phases`` the same grouped by phase, the
    phase with the largest difference first."""

    status: str
    intro: str
    rows: tuple[DifferenceRow, ...]
    phases: tuple[PhaseDifferences, ...]


def comparison(
    ctx: Texts, case: Case | None, perspective: str, answers: quickscan.Answers
) -> Comparison:
    """Where the learner's reading differs from ``case``'s reference from ``perspective``."""
    c, lang = ctx.content, ctx.lang
    reference = case.reference_for(perspective) if case else None
    if reference is None:  # the case dropdown offers a case only under its own readings
        return Comparison("own", "", (), ())
    statements = c.instrument.statements_for(perspective)
    by_id = {s.id: s for s in statements}
    reference_values = quickscan.reference_answers(reference.answers)
    rows = tuple(
        DifferenceRow(
            phase_id=by_id[d.statement_id].phase,
            statement=by_id[d.statement_id].text(lang),
            mine=answer_label(ctx, d.mine),
            reference=answer_label(ctx, d.reference),
            gap=d.gap,
            gap_text=ctx.t("quickscan.compare.gap", n=d.gap),
            statement_id=d.statement_id,
        )
        for d in quickscan.compare(statements, answers, reference_values)
    )
    if not any(isinstance(v, int) for v in answers.values()):
        return Comparison("none_yet", "", rows, ())
    if not rows:
        return Comparison("same", "", rows, ())
    mine = compute(ctx, perspective, answers)
    ref = compute(ctx, perspective, reference_values)
    by_phase: dict[str, list[DifferenceRow]] = {}
    for row in rows:  # sorted by gap, so each phase's first row is its largest
        by_phase.setdefault(row.phase_id, []).append(row)
    phases = []
    for phase_id, items in by_phase.items():
        phase = c.phase(phase_id)
        phases.append(
            PhaseDifferences(
                phase_id=phase_id,
                phase=phase_label(ctx, phase),
                mine=formats.percent(mine.by_phase[phase_id].share, lang),
                reference=formats.percent(ref.by_phase[phase_id].share, lang),
                rows=tuple(items),
                justification_label=ctx.t(
                    "quickscan.compare.justification", phase=phase.name(lang)
                ),
                justification=reference.justification[phase_id](lang),
            )
        )
    intro = ctx.t("quickscan.compare.intro", n=len(rows))
    return Comparison("differs", intro, rows, tuple(phases))


def factor_lines(ctx: Texts, result: Result) -> list[str]:
    """Per factor group, its mean score and level in words, in content order.

    The mean is written the language's way ("1,5" in Dutch); "–" when nothing was scored."""
    c = ctx.content
    return [
        f"{f.name(ctx.lang)}: {formats.number(result.by_factor[f.id].mean, ctx.lang)} — "
        f"{level_text(ctx, result.by_factor[f.id].level)}"
        for f in c.factors
    ]
