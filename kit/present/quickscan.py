"""What the Quickscan screens and reports show, as plain data: scores, chart specifications with
their alt texts, level labels. No widgets, no drawing."""

from __future__ import annotations

from typing import Any

from kit import quickscan
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
    }
    alt = (
        ctx.t("quickscan.alt.phases")
        + " "
        + "; ".join(
            f"{label}: {'–' if share is None else f'{share * 100:.0f}%'} {text}"
            for label, share, _, text in rows
        )
    )
    return spec, alt


def grid_chart(ctx: Texts, result: Result) -> tuple[dict[str, Any], str]:
    """Arguments for :func:`charts.heat_grid` and the chart's alt text."""
    c, lang = ctx.content, ctx.lang
    cells = []
    for p in c.phases:
        row: list[tuple[float | None, str, str]] = []
        for f in c.factors:
            s = result.by_cell[(p.id, f.id)]
            if s.total == 0:
                row.append((None, "unknown", ""))
            elif s.mean is None:
                row.append((None, "unknown", "?"))
            else:
                row.append((s.share, s.level.value, f"{LEVEL_SYMBOL[s.level]} {s.mean:.1f}"))
        cells.append(row)
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
