"""The start page's route as plain data: every step with its number, goal, what to do, minutes,
take-aways and progress in words, the total time and what to do next (:mod:`kit.route`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
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
    self_check: str = ""  # "Zelftoets: 5 van 6 in één keer goed" ("" before she answered any)


def completion_summary(
    texts: Texts, records: Iterable[Record], name: str, on: dt.date, seed: str = "local"
) -> CompletionSummary:
    """The completion summary as plain data (a report writer lays it out); ``seed`` picks her
    self-check's questions (:func:`kit.route.self_check`)."""
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
        self_check=self_check_result(texts, route.self_check(c, seed), records),
    )


# --------------------------------------------------------------------------- closing self-check


@dataclass(frozen=True)
class CheckView:
    """One self-check question in words: its number, what it says, the options (id, label),
    her last choice, and once she has chosen the feedback: right or not, the right answer in
    words and why (``feedback`` empty, ``good`` None before she chooses)."""

    number: int
    id: str
    prompt: str
    text: str
    options: tuple[tuple[str, str], ...]
    chosen: str | None
    good: bool | None
    feedback: str
    why: str


@dataclass(frozen=True)
class SelfCheckView:
    questions: tuple[CheckView, ...]
    progress: str  # "4 van 6 beantwoord, 3 in één keer goed" or the end: "6 van 6 … — volgende: …"
    done: bool


def _option_label(texts: Texts, q: route.CheckQuestion, option: str) -> str:
    c, lang = texts.content, texts.lang
    if q.kind == "phase":
        from kit.present.quickscan import phase_label

        return phase_label(texts, c.phase(option))
    if q.kind == "verdict":
        return texts.t(f"kern.verdict.{option}")
    item = c.intervention(q.intervention)
    kind, element = option.split("|", 1)
    return f"{c.adaptation_type(kind).name(lang)} → {item.element(element).name(lang)}"


def _question_text(texts: Texts, q: route.CheckQuestion) -> tuple[str, str, str]:
    """(prompt, text, why) of a question: what is asked, what it is about, and why the right
    answer is right (the exercise's own explanation)."""
    c, lang = texts.content, texts.lang
    if q.kind == "phase":
        s = next(s for s in c.scenarios if s.id == q.scenario)
        return texts.t("selfcheck.ask.phase"), f"{s.title(lang)}: {s.text(lang)}", s.why(lang)
    item = c.intervention(q.intervention)
    if q.kind == "verdict":
        from kit import adaptations

        e = item.element(q.element)
        j = adaptations.judge(item, q.element, q.type, c.adaptation_types)
        text = texts.t(
            "selfcheck.verdict_text",
            intervention=item.name(lang),
            type=c.adaptation_type(q.type).name(lang),
            element=e.name(lang),
            part=texts.t(f"kern.part.{e.part}"),
        )
        return texts.t("selfcheck.ask.verdict"), text, j.reason(lang)
    situation = next(x for x in item.situations if x.id == q.situation)
    text = f"{item.name(lang)}: {situation.text(lang)}"
    return texts.t("selfcheck.ask.situation"), text, situation.debrief(lang)


def self_check_view(
    texts: Texts,
    questions: Iterable[route.CheckQuestion],
    first: dict[str, str],
    last: dict[str, str],
) -> SelfCheckView:
    """The self-check as the start page shows it: every question with its options, her choice
    and its feedback; the count so far, and at the end the score and what comes next."""
    questions = tuple(questions)
    views = []
    for number, q in enumerate(questions, start=1):
        prompt, text, why = _question_text(texts, q)
        chosen = last.get(q.id)
        good = None if chosen is None else chosen == q.right
        feedback = ""
        if chosen is not None:
            answer = _option_label(texts, q, q.right)
            feedback = (
                texts.t("selfcheck.right") if good else texts.t("selfcheck.wrong", answer=answer)
            )
        views.append(
            CheckView(
                number=number,
                id=q.id,
                prompt=prompt,
                text=text,
                options=tuple((o, _option_label(texts, q, o)) for o in q.options),
                chosen=chosen,
                good=good,
                feedback=feedback,
                why=why if chosen is not None else "",
            )
        )
    right, answered = route.check_score(questions, first)
    done = answered == len(questions) and bool(questions)
    progress = (
        texts.t("selfcheck.end", n=len(questions), right=right)
        if done
        else texts.t("selfcheck.progress", done=answered, n=len(questions), right=right)
    )
    return SelfCheckView(tuple(views), progress, done)


def self_check_result(
    texts: Texts, questions: Sequence[route.CheckQuestion], records: Iterable[Record]
) -> str:
    """The self-check's line on the completion summary ("" before she answered any)."""
    from kit.answers import SelfCheck

    kept = next((r for r in records if isinstance(r, SelfCheck)), None)
    if kept is None:
        return ""
    right, answered = route.check_score(questions, kept.first)
    if answered == 0:
        return ""
    return texts.t("selfcheck.summary", right=right, done=answered, n=len(questions))
