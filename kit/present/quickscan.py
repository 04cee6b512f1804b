"""What the Quickscan screens and reports show, as plain data: scores, chart specifications with
their alt texts, level labels. No widgets, no drawing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kit import formats, quickscan
from kit.answers import NOT_APPLICABLE, Mark
from kit.content import Case
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
