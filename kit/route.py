"""The self-study route (``content/route.yaml``): which steps a learner has done, and the order
in which a sequence exercise shows its items to her.

Pure functions over the content and her records (:mod:`kit.answers`): the start page and the
completion summary call them with what the own store (or the session) kept.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

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
