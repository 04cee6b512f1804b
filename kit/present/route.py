"""The start page's route as plain data: every step with its number, goal, what to do, minutes,
take-aways and progress in words, the total time and what to do next (:mod:`kit.route`)."""

from __future__ import annotations

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
