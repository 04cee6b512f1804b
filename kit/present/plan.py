"""What the plan builder, its documents and the progress view show, as plain data and text: no
widgets, no drawing. The app, the Word file and the PDF all read from here, so they say the same."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kit import formats
from kit import plan as logic
from kit.answers import Plan, PlanStep
from kit.phases import FIT_SYMBOL, Fit, activity_fit
from kit.present.texts import Texts
from kit.quickscan import LEVEL_SYMBOL

#: Arrows for a change between two scans: never colour alone.
ARROW = {"up": "↑", "down": "↓", "same": "=", "unknown": "?"}


def euro(amount: int, lang: str) -> str:
    """An amount in euros, grouped the way each language writes it.

    >>> euro(12500, "nl"), euro(12500, "en")
    ('€ 12.500', '€12,500')
    """
    grouped = f"{amount:,}"
    return f"€ {grouped.replace(',', '.')}" if lang == "nl" else f"€{grouped}"


def phase_label(ctx: Texts, number: int) -> str:
    p = ctx.content.phases[number]
    return f"{p.number} · {p.name(ctx.lang)}"


def fit_text(ctx: Texts, fit: Fit) -> str:
    return f"{FIT_SYMBOL[fit]} {ctx.t(f'phases.fit.{fit.value}')}"


def scan_line(ctx: Texts, plan: Plan) -> str:
    """Where the plan starts: which scan, from when, and the team's phase."""
    c = ctx.content
    persp = next(p for p in c.instrument.perspectives if p.id == plan.perspective)
    what = ctx.t(f"plan.source.{plan.source}")
    if plan.case:
        what += f" · {c.case(plan.case).title(ctx.lang)}"
    team = logic.team_phase(logic.score(c, plan.perspective, plan.scan))
    return ctx.t(
        "plan.scan_line",
        what=what,
        perspective=persp.name(ctx.lang),
        date=formats.date(plan.scan_date, ctx.lang) if plan.scan_date else "—",
        phase=phase_label(ctx, team),
    )


def proposal_why(ctx: Texts, proposal: logic.Proposal) -> str:
    """Why the kit proposes an activity: what it does in its phase, and which low scores it answers."""
    c, lang = ctx.content, ctx.lang
    why = c.activity(proposal.activity).why(lang)
    if proposal.statements:
        by_id = {s.id: s for s in c.instrument.statements}
        texts = "; ".join(f"“{by_id[sid].text(lang)}”" for sid in proposal.statements[:2])
        why += " " + ctx.t("plan.why.low", statements=texts)
    return why


@dataclass(frozen=True)
class StepView:
    """A plan step in words, as every view shows it."""

    activity: str
    phase: str
    fit: str
    who: str
    when: str
    needs: str
    cost: str
    indicator: str
    note: str


def needs_text(ctx: Texts, step: PlanStep) -> str:
    parts = [
        ctx.t("plan.needs.hours", n=step.hours),
        euro(step.money, ctx.lang),
        ctx.t("plan.needs.people", n=step.people),
    ]
    return " · ".join(parts)


def indicator_text(ctx: Texts, step: PlanStep) -> str:
    c, lang = ctx.content, ctx.lang
    if step.indicator is None:
        return ctx.t("plan.indicator.none")
    statement = next((s for s in c.instrument.statements if s.id == step.indicator), None)
    scale = {s.value: s.label(lang) for s in c.instrument.scale}
    return ctx.t(
        "plan.indicator.text",
        statement=statement.text(lang) if statement else step.indicator,
        target=f"{step.target} · {scale.get(step.target, '?')}",
    )


def when_text(ctx: Texts, when: str) -> str:
    """A step's date written out, or its week with the Monday it starts.

    >>> from kit.content import default_content
    >>> t = Texts(default_content(), "nl")
    >>> when_text(t, "2026-12-07"), when_text(t, "2026-W50"), when_text(t, "")
    ('7 december 2026', 'week 50 van 2026 (vanaf 7 december 2026)', 'nog geen datum')
    """
    day = logic.when_date(when)
    if day is None:
        return ctx.t("plan.when.none")
    if "-W" in when:
        year, week = when.split("-W")
        return ctx.t("plan.when.week", week=int(week), year=year, day=formats.date(day, ctx.lang))
    return formats.date(day, ctx.lang)


def step_view(ctx: Texts, plan: Plan, step: PlanStep) -> StepView:
    c, lang = ctx.content, ctx.lang
    team = logic.team_phase(logic.score(c, plan.perspective, plan.scan))
    number = c.phase_of_activity(step.activity).number
    assert c.costs is not None
    return StepView(
        activity=c.activity(step.activity).text(lang),
        phase=phase_label(ctx, number),
        fit=fit_text(ctx, activity_fit(team, number)),
        who=ctx.t(f"plan.who.{step.who}"),
        when=when_text(ctx, step.when),
        needs=needs_text(ctx, step),
        cost=c.costs.category(step.cost).name(lang),
        indicator=indicator_text(ctx, step),
        note=step.note,
    )


def finding_text(ctx: Texts, finding: logic.Finding) -> str:
    """A finding as one sentence; warnings start with ⚠, things to fill in with ○."""
    c, lang = ctx.content, ctx.lang
    values: dict[str, object] = {}
    if finding.activity:
        values["activity"] = c.activity(finding.activity).text(lang)
    if finding.phase is not None:
        values["phase"] = phase_label(ctx, finding.phase)
    text = ctx.t(f"plan.issue.{finding.issue.value}", **values)
    if finding.issue is logic.Issue.TOO_EARLY and finding.phase is not None:
        text += " " + c.phases[finding.phase].if_too_early(lang)
    return ("⚠ " if finding.issue.warning else "○ ") + text


def pdca_lines(ctx: Texts, plan: Plan) -> list[tuple[str, str]]:
    """The plan in the four steps of the cycle: (heading, text)."""
    steps = logic.schedule(plan.steps)
    do = "; ".join(
        f"{when_text(ctx, s.when)}: {ctx.content.activity(s.activity).text(ctx.lang)}"
        for s in steps
    )
    indicators = sum(1 for s in plan.steps if s.indicator)
    return [
        (ctx.t("plan.pdca.plan"), ctx.t("plan.pdca.plan_text", n=len(plan.steps))),
        (ctx.t("plan.pdca.do"), do or "—"),
        (
            ctx.t("plan.pdca.check"),
            ctx.t("plan.pdca.check_text", n=indicators, date=when_text(ctx, plan.next_scan)),
        ),
        (ctx.t("plan.pdca.act"), plan.adjust.strip() or "—"),
    ]


COST_COLUMNS = ("category", "kind", "hours", "money", "total")


def cost_head(ctx: Texts) -> list[str]:
    """The worksheet's column headings, in the order of :func:`cost_rows`."""
    return [ctx.t(f"plan.cost.col.{column}") for column in COST_COLUMNS]


def cost_rows(ctx: Texts, plan: Plan) -> tuple[list[tuple[str, str, str, str, str]], str]:
    """The worksheet rows (category, kind, hours, money, total) and the totals line."""
    c, lang = ctx.content, ctx.lang
    assert c.costs is not None
    sheet = logic.cost_sheet(plan, c.costs)
    rows = [
        (
            c.costs.category(r.category).name(lang),
            ctx.t(f"plan.cost.kind.{r.kind}"),
            str(r.hours),
            euro(r.money, lang),
            euro(r.total(sheet.hour_rate), lang),
        )
        for r in sheet.rows
    ]
    totals = ctx.t(
        "plan.cost.totals",
        one_off=euro(sheet.total("one-off"), lang),
        recurring=euro(sheet.total("recurring"), lang),
        rate=euro(sheet.hour_rate, lang),
    )
    return rows, totals


def route_lines(ctx: Texts) -> list[tuple[str, str, str, str]]:
    """Funding routes: (name, what it pays, explanation, watch out), with the source named."""
    c, lang = ctx.content, ctx.lang
    assert c.costs is not None
    sources = {s.id: s for s in c.costs.sources}
    out = []
    for r in c.costs.routes:
        src = sources[r.source]
        cite = src.citation + (f" {src.url}" if src.url else "")
        if src.seen == "recalled":
            cite += " " + ctx.t("plan.source_recalled")
        out.append(
            (
                r.name(lang),
                ctx.t(f"plan.cost.covers.{r.covers}"),
                r.explain(lang),
                f"{r.watch_out(lang)} ({ctx.t('plan.source')}: {cite})",
            )
        )
    return out


# --------------------------------------------------------------------------- progress


def progress_chart(
    ctx: Texts, progress: logic.Progress, which: str = "phases"
) -> tuple[dict[str, Any], str]:
    """Arguments for :func:`kit.charts.progress_pairs` and the chart's alt text."""
    c, lang = ctx.content, ctx.lang
    changes = progress.phases if which == "phases" else progress.factors
    names = (
        {p.id: f"{p.number} {p.name(lang)}" for p in c.phases}
        if which == "phases"
        else {f.id: f.name(lang) for f in c.factors}
    )

    def pct(share: float | None) -> str:
        return "–" if share is None else formats.percent(share, lang)

    def when(date: str) -> str:
        return " – ".join(formats.date(d, lang) for d in date.split(" – ")) if date else "?"

    rows = [
        (
            names[ch.key],
            ch.before,
            ch.after,
            f"{pct(ch.before)} → {pct(ch.after)} {ARROW[ch.direction]} "
            f"{LEVEL_SYMBOL[ch.after_level]}",
        )
        for ch in changes
    ]
    before = ctx.t("plan.progress.before", date=when(progress.before.date), n=progress.before.n)
    after = ctx.t("plan.progress.after", date=when(progress.after.date), n=progress.after.n)
    spec = {
        "rows": rows,
        "before_label": before,
        "after_label": after,
        "xlabel": ctx.t("quickscan.chart.x"),
    }
    alt = f"{ctx.t(f'plan.progress.alt.{which}')} {before} → {after}. " + "; ".join(
        f"{r[0]}: {r[3]}" for r in rows
    )
    return spec, alt


def progress_lines(ctx: Texts, progress: logic.Progress) -> dict[str, list[str]]:
    """The lists under the chart: became strong, improved, got worse, indicators."""
    c, lang = ctx.content, ctx.lang

    def names(ids: list[str]) -> list[str]:
        return [phase_label(ctx, c.phase(i).number) for i in ids]

    by_id = {s.id: s for s in c.instrument.statements}
    scale = {s.value: s.label(lang) for s in c.instrument.scale}
    indicators = []
    for check in progress.indicators:
        mark = {True: "✓", False: "✗", None: "?"}[check.met]
        word = ctx.t(f"plan.progress.met.{str(check.met).lower()}")
        after = "–" if check.after is None else formats.number(check.after, lang, digits=1)
        indicators.append(
            f"{mark} {word}: {c.activity(check.activity).text(lang)} — "
            f"“{by_id[check.statement].text(lang)}” "
            + ctx.t(
                "plan.progress.indicator",
                after=after,
                target=f"{check.target} · {scale.get(check.target, '?')}",
            )
        )
    return {
        "strong": names(progress.became_strong),
        "improved": names(progress.improved),
        "worse": names(progress.got_worse),
        "indicators": indicators,
    }
