"""Homework: a session a teacher sets for students who work at home, over days (issue 25 §3).

The teacher picks one or more exercises, a deadline, and when the reference reading and the
kit's verdicts show: once the student handed in, or only after the deadline (nbgrader's life
cycle, on the led room's reveal model: the server decides what a page may show). Students work
at their own pace; "Inleveren" records a hand-in. Before the deadline a student may change her
work and hand in again (the newest hand-in counts, every one is kept); after the deadline a
first hand-in is taken and marked late, and a hand-in made in time is not replaced.

Every rule takes the time as an argument (``now``), so tests move the clock. :func:`clock` is
the kit's one clock: the store is given it (``Store(clock=...)``, this one unless another is
given) and stamps what it records by it, and the apps read the time from the store
(``store.clock()``), so what is judged and what is stamped never disagree.

Pure: no widgets, no store.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Literal

from kit.content.models import STEP_TABS

#: What a teacher can set: the exercise apps (their tabs are the agenda's step tabs).
EXERCISES: tuple[str, ...] = tuple(STEP_TABS)
Release = Literal["after-hand-in", "after-deadline"]
RELEASES: tuple[Release, ...] = ("after-hand-in", "after-deadline")
#: Days after the deadline a late hand-in is still taken; then the session stops taking answers.
LATE_DAYS = 14
#: The longest homework a teacher can set (a school term).
MAX_DAYS = 120


class HomeworkProblem(StrEnum):
    """Why a homework action was refused; each has a ``homework.error.*`` text."""

    NO_EXERCISE = "no-exercise"
    UNKNOWN_EXERCISE = "unknown-exercise"
    UNKNOWN_RELEASE = "unknown-release"
    DEADLINE_PAST = "deadline-past"
    DEADLINE_FAR = "deadline-far"
    ALREADY_IN = "already-in"
    GONE = "gone"

    @property
    def text_key(self) -> str:
        return f"homework.error.{self.value}"


class HomeworkError(ValueError):
    def __init__(self, problem: HomeworkProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def clock(environ: dict[str, str] | None = None) -> dt.datetime:
    """The time now, in UTC. ``KIT_CLOCK_FILE`` names a file holding an ISO time that replaces
    it (read on every call, so a test or a demo moves the clock of a running server); an
    unreadable file is ignored and the real time used.

    >>> clock({}).tzinfo is dt.UTC
    True
    """
    env = os.environ if environ is None else environ
    path = env.get("KIT_CLOCK_FILE", "")
    if path:
        try:
            moved = dt.datetime.fromisoformat(Path(path).read_text("utf-8").strip())
            return moved if moved.tzinfo else moved.replace(tzinfo=dt.UTC)
        except (OSError, ValueError):
            pass
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Assignment:
    """What the teacher set: the exercises (in the order she picked them), the deadline (UTC)
    and when the reference and verdicts show."""

    exercises: tuple[str, ...]
    deadline: dt.datetime
    release: Release = "after-hand-in"

    def dump(self) -> str:
        return json.dumps(
            {
                "exercises": list(self.exercises),
                "deadline": self.deadline.isoformat(),
                "release": self.release,
            },
            sort_keys=True,
        )

    @classmethod
    def load(cls, text: str) -> Assignment:
        doc = json.loads(text)
        release = doc.get("release", "after-hand-in")
        return cls(
            tuple(doc["exercises"]),
            dt.datetime.fromisoformat(doc["deadline"]),
            release if release in RELEASES else "after-hand-in",
        )

    @property
    def takes_until(self) -> dt.datetime:
        """The last moment a (late) hand-in is taken: the session's end."""
        return self.deadline + dt.timedelta(days=LATE_DAYS)


def assignment(
    exercises: Sequence[str], deadline: dt.datetime, release: str, now: dt.datetime
) -> Assignment:
    """A teacher's choice checked: at least one known exercise, a known release, a deadline in
    the future but within :data:`MAX_DAYS`.

    >>> now = dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC)
    >>> assignment(["kern"], now + dt.timedelta(days=7), "after-deadline", now).exercises
    ('kern',)
    >>> assignment(["kern"], now - dt.timedelta(minutes=1), "after-deadline", now)
    Traceback (most recent call last):
    ...
    kit.homework.HomeworkError: deadline-past
    """
    picked = tuple(dict.fromkeys(exercises))
    if not picked:
        raise HomeworkError(HomeworkProblem.NO_EXERCISE)
    if any(e not in EXERCISES for e in picked):
        raise HomeworkError(HomeworkProblem.UNKNOWN_EXERCISE)
    if release not in RELEASES:
        raise HomeworkError(HomeworkProblem.UNKNOWN_RELEASE)
    deadline = deadline if deadline.tzinfo else deadline.replace(tzinfo=dt.UTC)
    if deadline <= now:
        raise HomeworkError(HomeworkProblem.DEADLINE_PAST)
    if deadline - now > dt.timedelta(days=MAX_DAYS):
        raise HomeworkError(HomeworkProblem.DEADLINE_FAR)
    return Assignment(picked, deadline, release)


@dataclass(frozen=True)
class HandIn:
    """One hand-in: who, when, its number (1 for the first), whether it was late, and the
    answers handed in as the store keeps them: (module, item, stored JSON) per record
    (:func:`kit.answers.load` reads one)."""

    participant: str
    alias: str
    at: dt.datetime
    number: int
    late: bool
    records: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Verdict:
    """What a hand-in now would be: taken or not (``problem`` says why not), its number, late."""

    number: int
    late: bool
    problem: HomeworkProblem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def hand_in_rule(work: Assignment, now: dt.datetime, earlier: HandIn | None) -> Verdict:
    """Whether a hand-in at ``now`` is taken, after the student's newest one (``earlier``).

    >>> d = dt.datetime(2026, 12, 14, 17, tzinfo=dt.UTC)
    >>> work = Assignment(("kern",), d)
    >>> hand_in_rule(work, d - dt.timedelta(hours=1), None)
    Verdict(number=1, late=False, problem=None)
    >>> first = HandIn("p", "Uil", d - dt.timedelta(hours=1), 1, False)
    >>> hand_in_rule(work, d - dt.timedelta(minutes=5), first)
    Verdict(number=2, late=False, problem=None)
    >>> hand_in_rule(work, d + dt.timedelta(minutes=5), None)
    Verdict(number=1, late=True, problem=None)
    >>> hand_in_rule(work, d + dt.timedelta(minutes=5), first).problem
    <HomeworkProblem.ALREADY_IN: 'already-in'>
    >>> hand_in_rule(work, d + dt.timedelta(days=LATE_DAYS), None).problem
    <HomeworkProblem.GONE: 'gone'>
    """
    number = (earlier.number if earlier else 0) + 1
    if now >= work.takes_until:
        return Verdict(number, True, HomeworkProblem.GONE)
    if now < work.deadline:
        return Verdict(number, False)
    if earlier is not None:
        # After the deadline the work handed in stands; a late first hand-in is taken.
        return Verdict(number, True, HomeworkProblem.ALREADY_IN)
    return Verdict(number, True)


Stage = Literal["open", "late", "stands", "closed"]


def stage(work: Assignment, now: dt.datetime, handed_in: bool) -> Stage:
    """What a student's page says and allows at ``now`` (:func:`hand_in_rule`'s cases):
    ``open`` before the deadline (hand in, and again), ``late`` after it for a student who has
    not handed in (one late hand-in is taken), ``stands`` after it for one who has (what she
    handed in stands), ``closed`` once the homework takes nothing more.

    >>> d = dt.datetime(2026, 12, 14, 17, tzinfo=dt.UTC)
    >>> work = Assignment(("kern",), d)
    >>> [stage(work, d - dt.timedelta(seconds=1), h) for h in (False, True)]
    ['open', 'open']
    >>> [stage(work, d, h) for h in (False, True)]
    ['late', 'stands']
    >>> stage(work, work.takes_until, False)
    'closed'
    """
    if now >= work.takes_until:
        return "closed"
    if now < work.deadline:
        return "open"
    return "stands" if handed_in else "late"


def answers_visible(work: Assignment, now: dt.datetime, handed_in: bool) -> bool:
    """Whether a student's page may show the reference reading and the kit's verdicts.

    >>> d = dt.datetime(2026, 12, 14, 17, tzinfo=dt.UTC)
    >>> before = d - dt.timedelta(days=1)
    >>> [answers_visible(Assignment(("kern",), d, r), before, True) for r in RELEASES]
    [True, False]
    >>> [answers_visible(Assignment(("kern",), d, r), d, False) for r in RELEASES]
    [True, True]
    """
    if now >= work.deadline:
        return True
    return work.release == "after-hand-in" and handed_in


def newest(hand_ins: Sequence[HandIn]) -> dict[str, HandIn]:
    """participant -> her newest hand-in."""
    out: dict[str, HandIn] = {}
    for h in sorted(hand_ins, key=lambda h: (h.number, h.at)):
        out[h.participant] = h
    return out
