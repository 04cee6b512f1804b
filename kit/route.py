"""The self-study route (``content/route.yaml``): which steps a learner has done, and the order
in which a sequence exercise shows its items to her.

Pure functions over the content and her records (:mod:`kit.answers`): the start page and the
completion summary call them with what the own store (or the session) kept.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from kit import adaptations
from kit.answers import Adaptations, PhaseGuess, Plan, Record, ScanAnswers
from kit.content import Content
from kit.content.models import RouteStep

T = TypeVar("T")

#: Adaptations judged for one intervention before the kern-and-shell step counts as done.
ADAPTATIONS_NEEDED = 3


@dataclass(frozen=True)
class StepProgress:
    """One step of the route for one learner: how far she got (``count`` of ``needed``)."""

    step: RouteStep
    number: int
    count: int
    needed: int

    @property
    def done(self) -> bool:
        return self.count >= self.needed

    @property
    def started(self) -> bool:
        return self.count > 0


def _scan_progress(content: Content, scans: Iterable[ScanAnswers]) -> tuple[int, int]:
    """The most complete of these scans: (statements answered, statements of its perspective)."""
    best = (0, 1)
    for scan in scans:
        of = len(content.instrument.statements_for(scan.perspective)) or 1
        answered = sum(
            1 for s in content.instrument.statements_for(scan.perspective) if s.id in scan.values
        )
        if answered / of > best[0] / best[1]:
            best = (answered, of)
    if best == (0, 1):  # nothing yet: the first perspective's length is what is needed
        first = content.instrument.perspectives[0].id
        best = (0, len(content.instrument.statements_for(first)) or 1)
    return best


def step_progress(content: Content, step: RouteStep, records: Iterable[Record]) -> tuple[int, int]:
    """How far the records take one step: (count, needed)."""
    records = list(records)
    if step.done == "phases-all":
        answered = {r.scenario for r in records if isinstance(r, PhaseGuess)}
        known = {s.id for s in content.scenarios}
        return len(answered & known), len(known)
    if step.done in ("scan-case", "scan-own"):
        own = step.done == "scan-own"
        scans = [r for r in records if isinstance(r, ScanAnswers) and (r.case is None) == own]
        return _scan_progress(content, scans)
    if step.done == "adaptations":
        most = max((len(r.proposals) for r in records if isinstance(r, Adaptations)), default=0)
        return min(most, ADAPTATIONS_NEEDED), ADAPTATIONS_NEEDED
    # plan: a plan with at least one activity
    planned = any(isinstance(r, Plan) and r.steps for r in records)
    return int(planned), 1


def progress(content: Content, records: Iterable[Record]) -> tuple[StepProgress, ...]:
    """Every step of the route, numbered from 1, with how far she got."""
    records = list(records)
    return tuple(
        StepProgress(step, i, *step_progress(content, step, records))
        for i, step in enumerate(content.route, 1)
    )


def next_step(steps: Sequence[StepProgress]) -> StepProgress | None:
    """The first step not done yet (None when the route is complete)."""
    return next((s for s in steps if not s.done), None)


def minutes(steps: Iterable[StepProgress], done: bool | None = None) -> int:
    """The minutes of the steps (of those done, or not done, when ``done`` is given)."""
    return sum(s.step.minutes for s in steps if done is None or s.done == done)


def shuffled(items: Sequence[T], seed: str) -> list[T]:
    """``items`` in an order fixed by ``seed`` (the learner and the exercise): the same learner
    sees the same order every time, another learner another one, and the order does not give
    the answer away as the content's order (by phase) would.

    >>> shuffled([1, 2, 3, 4, 5], "local:phases") == shuffled([1, 2, 3, 4, 5], "local:phases")
    True
    >>> sorted(shuffled(list(range(10)), "x")) == list(range(10))
    True
    """
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    order = list(items)
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(order)
    return order


# --------------------------------------------------------------------------- closing self-check
# Issue 25: the route ends with a self-check, questions drawn from the exercises with feedback.
# Nothing is written for it: every question is made from what the exercises already hold (the
# "which phase?" teams, the kit's verdicts on adaptations, the practice situations).

#: Questions of each kind in the self-check.
PER_KIND = 2
VERDICTS = ("green", "amber", "red")


@dataclass(frozen=True)
class CheckQuestion:
    """One self-check question, as ids: ``kind`` is ``phase`` (the team of ``scenario``: which
    phase?), ``verdict`` (``type`` on ``element`` of ``intervention``: green, amber or red?) or
    ``situation`` (``situation`` of ``intervention``: which adaptation is strongest?). Its
    ``options`` are phase ids, verdicts, or ``"<type>|<element>"`` choices; ``right`` is the
    right option."""

    id: str
    kind: str
    options: tuple[str, ...]
    right: str
    scenario: str = ""
    intervention: str = ""
    element: str = ""
    type: str = ""
    situation: str = ""


def self_check(content: Content, seed: str) -> tuple[CheckQuestion, ...]:
    """The self-check for one learner: :data:`PER_KIND` questions of each kind, picked and
    ordered by ``seed`` (the same learner gets the same questions every time), in the order
    phase, verdict, situation, as the route takes them."""
    questions: list[CheckQuestion] = []
    phases = tuple(p.id for p in content.phases)
    for s in shuffled(content.scenarios, f"{seed}:phase")[:PER_KIND]:
        questions.append(CheckQuestion(f"phase:{s.id}", "phase", phases, s.phase, scenario=s.id))
    # One adaptation on a kern element and one on a schil element, each judged as the kern
    # app judges it.
    types = content.adaptation_types
    pairs = [
        (item, e, t)
        for item in content.interventions
        for e in item.elements
        for t in types
        if not e.overrides
    ]
    for part in ("kern", "schil")[:PER_KIND]:
        item, e, t = next(p for p in shuffled(pairs, f"{seed}:verdict") if p[1].part == part)
        verdict = adaptations.judge(item, e.id, t.id, types).verdict
        questions.append(
            CheckQuestion(
                f"verdict:{item.id}:{e.id}:{t.id}",
                "verdict",
                VERDICTS,
                verdict,
                intervention=item.id,
                element=e.id,
                type=t.id,
            )
        )
    situations = [(item, s) for item in content.interventions for s in item.situations]
    for item, situation in shuffled(situations, f"{seed}:situation")[:PER_KIND]:
        good = situation.good[0]
        right = f"{good.type}|{good.element}"
        # Two choices the kit calls red for this situation beside the good one.
        wrong = [
            f"{t.id}|{e.id}"
            for e in item.elements
            for t in types
            if adaptations.grade(item, situation, e.id, t.id, types).judgement.verdict == "red"
        ]
        key = f"{seed}:{situation.id}"
        options = shuffled([right, *shuffled(wrong, key)[:2]], f"{key}:options")
        questions.append(
            CheckQuestion(
                f"situation:{item.id}:{situation.id}",
                "situation",
                tuple(options),
                right,
                intervention=item.id,
                situation=situation.id,
            )
        )
    return tuple(questions)


def check_score(questions: Sequence[CheckQuestion], first: Mapping[str, str]) -> tuple[int, int]:
    """(right first time, answered) over ``questions``; an answer to a question no longer
    asked is not counted.

    >>> q = CheckQuestion("phase:a", "phase", ("p0", "p1"), "p1", scenario="a")
    >>> check_score([q], {"phase:a": "p1", "phase:gone": "p0"})
    (1, 1)
    """
    asked = [q for q in questions if q.id in first]
    return sum(first[q.id] == q.right for q in asked), len(asked)
