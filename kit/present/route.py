"""The start page's route as plain data: every step with its number, goal, what to do, minutes,
take-aways and progress in words, the total time and what to do next (:mod:`kit.route`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from kit import route
from kit.answers import Record
from kit.present.texts import Texts


@dataclass(frozen=True)
class StepView:
    number: int
    id: str
    notebook: str
    title: str
    goal: str
    todo: str
    minutes: str
    takeaways: tuple[str, ...]
    state: str  # "done", "started" or "todo"
    progress: str  # in words: "Klaar", "12 van 40 stellingen", "Nog niet begonnen"


@dataclass(frozen=True)
class RouteView:
    steps: tuple[StepView, ...]
    summary: str  # "2 van 5 stappen klaar · nog ongeveer 85 minuten"
    next: StepView | None


#: The unit progress is counted in, per rule (a ui.yaml key with a plural).
_UNITS = {
    "phases-all": "route.unit.teams",
    "scan-case": "route.unit.statements",
    "scan-own": "route.unit.statements",
    "adaptations": "route.unit.adaptations",
    "plan": "route.unit.activities",
}


def route_view(texts: Texts, records: Iterable[Record]) -> RouteView:
    lang = texts.lang
    steps = route.progress(texts.content, records)
    views = []
    for p in steps:
        if p.done:
            state, words = "done", texts.t("route.done")
        elif p.started:
            state = "started"
            words = texts.t(_UNITS[p.step.done], n=p.count, of=p.needed)
        else:
            state, words = "todo", texts.t("route.todo")
        views.append(
            StepView(
                number=p.number,
                id=p.step.id,
                notebook=p.step.notebook,
                title=p.step.title(lang),
                goal=p.step.goal(lang),
                todo=p.step.todo(lang),
                minutes=texts.t("route.minutes", n=p.step.minutes),
                takeaways=tuple(t(lang) for t in p.step.takeaways),
                state=state,
                progress=words,
            )
        )
    following = route.next_step(steps)
    done = sum(1 for p in steps if p.done)
    summary = (
        texts.t("route.complete", n=len(steps))
        if following is None
        else texts.t(
            "route.summary", done=done, n=len(steps), minutes=route.minutes(steps, done=False)
        )
    )
    return RouteView(
        tuple(views), summary, None if following is None else views[following.number - 1]
    )


# --------------------------------------------------------------------------- completion summary


@dataclass(frozen=True)
class SummaryStep:
    number: int
    title: str
    minutes: int
    done: bool
    result: str  # what she did, in words: "10 van 10 teams geplaatst, 8 in één keer goed"


@dataclass(frozen=True)
class CompletionSummary:
    """What a professional files for her register: who, when, the steps with their results, the
    time the steps done stand for, her own scan per phase and her plan's activities."""

    name: str
    date: str
    steps: tuple[SummaryStep, ...]
    done: str  # "4 van 5 stappen klaar, samen ongeveer 110 minuten"
    own_scan: tuple[tuple[str, str], ...]  # (phase, score in words)
    plan: tuple[str, ...]


def completion_summary(
    texts: Texts, records: Iterable[Record], name: str, on: dt.date
) -> CompletionSummary:
    """The completion summary as plain data (a report writer lays it out)."""
    from kit import formats
    from kit.answers import Adaptations, PhaseGuess, Plan, ScanAnswers
    from kit.present.group import situation_score
    from kit.present.quickscan import compute, level_text, phase_label

    records = list(records)
    c, lang = texts.content, texts.lang
    steps = route.progress(c, records)
    scenarios = {s.id: s for s in c.scenarios}
    guesses = [g for g in records if isinstance(g, PhaseGuess) and g.scenario in scenarios]
    right = sum(c.phase(scenarios[g.scenario].phase).number == g.first for g in guesses)
    rows = []
    for p in steps:
        result = texts.t(_UNITS[p.step.done], n=p.count, of=p.needed)
        if p.step.done == "phases-all":
            result += " · " + texts.t("route.summary.right", n=right)
        if p.step.done == "adaptations":
            made = max((len(r.proposals) for r in records if isinstance(r, Adaptations)), default=0)
            result = texts.t("route.unit.adaptations", n=made, of=p.needed)
            good, tried = situation_score(c, records)
            if tried:  # the situations she practised with: not what the step needs, but her score
                result += " · " + texts.t("route.summary.situations", right=good, n=tried)
        rows.append(SummaryStep(p.number, p.step.title(lang), p.step.minutes, p.done, result))
    own = next((r for r in records if isinstance(r, ScanAnswers) and r.case is None), None)
    scan: tuple[tuple[str, str], ...] = ()
    if own is not None:
        scored = compute(texts, own.perspective, own.values)
        scan = tuple(
            (phase_label(texts, c.phase(pid)), level_text(texts, s.level))
            for pid, s in scored.by_phase.items()
        )
    plan = next((r for r in records if isinstance(r, Plan)), None)
    activities: tuple[str, ...] = ()
    if plan is not None:
        known = {a.id: a for ph in c.phases for a in ph.activities}
        activities = tuple(
            known[s.activity].text(lang) if s.activity in known else s.activity for s in plan.steps
        )
    done = [p for p in steps if p.done]
    return CompletionSummary(
        name=name,
        date=formats.date(on, lang),
        steps=tuple(rows),
        done=texts.t(
            "route.summary.done", done=len(done), n=len(steps), minutes=route.minutes(done)
        ),
        own_scan=scan,
        plan=activities,
    )
