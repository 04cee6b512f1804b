"""What the Phases screens show, as plain data: the feedback on a phase guess, the score line,
and the feedback on chosen activities with the chart's markers. No widgets, no drawing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kit.content import Activity, Phase, Scenario
from kit.phases import FIT_SYMBOL, Fit, activity_fit, judge_phase, score_choices
from kit.present.texts import Texts


def phase_label(ctx: Texts, phase: Phase) -> str:
    """A phase as the feedback names it: "2 · Begrijpen"."""
    return f"{phase.number} · {phase.name(ctx.lang)}"


@dataclass(frozen=True)
class GuessFeedback:
    """The feedback on placing a scenario in a phase. ``verdict``: ``right``, ``close`` (one
    phase off) or ``wrong``; ``headline`` says so with a symbol, ``direction`` (may be empty)
    whether the guess went too far or not far enough, then what fits now in the actual phase."""

    verdict: str
    headline: str
    why: str
    direction: str
    fits_now: str
    activities: tuple[str, ...]


def guess_feedback(ctx: Texts, scenario: Scenario, chosen: int) -> GuessFeedback:
    """The feedback on placing ``scenario`` in the phase numbered ``chosen``."""
    c, lang = ctx.content, ctx.lang
    actual = c.phase(scenario.phase)
    guess = judge_phase(actual.number, chosen)
    if guess.correct:
        verdict, headline = "right", "✓ " + ctx.t("phases.right")
    elif guess.close:
        verdict = "close"
        headline = "≈ " + ctx.t("phases.close", phase=phase_label(ctx, actual))
    else:
        verdict = "wrong"
        headline = "✗ " + ctx.t("phases.wrong", phase=phase_label(ctx, actual))
    direction = ""
    if guess.distance > 0:
        direction = ctx.t("phases.too_far")
    elif guess.distance < 0:
        direction = ctx.t("phases.not_far_enough")
    return GuessFeedback(
        verdict=verdict,
        headline=headline,
        why=scenario.why(lang),
        direction=direction,
        fits_now=ctx.t("phases.fits_now", phase=actual.name(lang)),
        activities=tuple(a.text(lang) for a in actual.activities),
    )


def guess_score(ctx: Texts, first_tries: Mapping[str, bool]) -> str:
    """The score line: scenarios placed right at the first try, of those tried and of all."""
    return ctx.t(
        "phases.score",
        right=sum(first_tries.values()),
        done=len(first_tries),
        total=len(ctx.content.scenarios),
    )


@dataclass(frozen=True)
class FitRow:
    """The feedback on one chosen activity: how it fits where the team is (symbol and word),
    the phase it belongs to, and why, in the activity's own words."""

    activity_id: str
    fit: Fit
    symbol: str
    label: str
    activity: str
    phase: int
    belongs_to: str
    explain: str


@dataclass(frozen=True)
class FitFeedback:
    """The feedback on a choice of activities: the score line, how it is counted, one row per
    activity, and the markers (phase number, symbol, activity) for the journey chart."""

    summary: str
    rule: str
    rows: tuple[FitRow, ...]
    markers: tuple[tuple[int, str, str], ...]


def fit_feedback(ctx: Texts, team: int, chosen: Sequence[Activity]) -> FitFeedback:
    """The feedback on ``chosen`` activities for a team in the phase numbered ``team``."""
    c, lang = ctx.content, ctx.lang
    rows = []
    for a in chosen:
        ap = c.phase_of_activity(a.id).number
        fit = activity_fit(team, ap)
        rows.append(
            FitRow(
                activity_id=a.id,
                fit=fit,
                symbol=FIT_SYMBOL[fit],
                label=ctx.t(f"phases.fit.{fit.value}"),
                activity=a.text(lang),
                phase=ap,
                belongs_to=ctx.t("phases.belongs_to", phase=phase_label(ctx, c.phases[ap])),
                # Its own words: what it needs when it comes too early, what it achieves
                # otherwise; placed against where the team is.
                explain=ctx.t(
                    f"phases.fit.{fit.value}.explain",
                    phase=c.phases[ap].name(lang),
                    team=c.phases[team].name(lang),
                    why=a.why(lang),
                    needs=a.needs(lang),
                ),
            )
        )
    s = score_choices(team, [r.phase for r in rows])
    summary = ctx.t(
        "phases.fit_score",
        points=ctx.t("phases.points", n=s.points),
        choices=ctx.t("phases.choices", n=s.chosen),
        fits=s.fits,
        next=s.next,
        early=s.too_early,
        late=s.too_late,
    )
    return FitFeedback(
        summary=summary,
        rule=ctx.t("phases.fit_score_rule"),
        rows=tuple(rows),
        markers=tuple((r.phase, r.symbol, r.activity) for r in rows),
    )


@dataclass(frozen=True)
class PhaseDetails:
    """One phase as the explore tab shows it."""

    title: str  # "2 · Begrijpen"
    stage: str
    goal: str
    change_line: str  # which change phase of the professionals it matches, in words
    signals: tuple[str, ...]
    pitfalls: tuple[str, ...]
    activities: tuple[tuple[str, str], ...]  # (what to do, what it achieves)


def phase_details(ctx: Texts, phase: Phase) -> PhaseDetails:
    c, lang = ctx.content, ctx.lang
    stage = next(s for s in c.stages if s.id == phase.stage)
    change = c.change_phase_for(phase.id)
    change_line = (
        ctx.t("phases.change_is", name=change.name(lang)) if change else ctx.t("phases.change_none")
    )
    return PhaseDetails(
        title=phase_label(ctx, phase),
        stage=stage.name(lang),
        goal=phase.goal(lang),
        change_line=change_line,
        signals=tuple(s(lang) for s in phase.signals),
        pitfalls=tuple(s(lang) for s in phase.pitfalls),
        activities=tuple((a.text(lang), a.why(lang)) for a in phase.activities),
    )


@dataclass(frozen=True)
class ScenarioCard:
    actor: str  # who the scenario is about, in words
    title: str
    text: str
    team_line: str  # "Het team zit in fase 2 · Begrijpen."
    goal: str  # what that phase is for


def scenario_card(ctx: Texts, scenario: Scenario) -> ScenarioCard:
    lang = ctx.lang
    phase = ctx.content.phase(scenario.phase)
    return ScenarioCard(
        actor=ctx.t(f"phases.actor.{scenario.actor}"),
        title=scenario.title(lang),
        text=scenario.text(lang),
        team_line=ctx.t("phases.team_is_in", phase=phase_label(ctx, phase)),
        goal=phase.goal(lang),
    )
