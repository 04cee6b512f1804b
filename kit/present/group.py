"""What the trainer's dashboard and the group report show, as plain data. No widgets."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kit import group
from kit.present.texts import Texts

if TYPE_CHECKING:
    from kit.storage import Submission


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
    }


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
