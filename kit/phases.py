"""Phase-fit rules: does an activity fit the phase people are in?

Phases build on each other. An activity from the team's own phase fits; one from the next phase
can be prepared but not started; one from two or more phases ahead comes too early (a training
before people see the point meets resistance); one from an earlier phase comes late: only repeat
it when that earlier phase turns out to be weak.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Fit(StrEnum):
    FITS = "fits"
    NEXT = "next"
    TOO_EARLY = "too_early"
    TOO_LATE = "too_late"


#: Marker symbols: the fit is never shown by colour alone.
FIT_SYMBOL = {Fit.FITS: "✓", Fit.NEXT: "→", Fit.TOO_EARLY: "✗", Fit.TOO_LATE: "↺"}


def activity_fit(team_phase: int, activity_phase: int) -> Fit:
    """How an activity from ``activity_phase`` fits a team in ``team_phase``.

    >>> activity_fit(2, 2)
    <Fit.FITS: 'fits'>
    >>> activity_fit(2, 3)
    <Fit.NEXT: 'next'>
    >>> activity_fit(1, 4)  # training while people only just heard of it
    <Fit.TOO_EARLY: 'too_early'>
    >>> activity_fit(4, 1)
    <Fit.TOO_LATE: 'too_late'>
    """
    gap = activity_phase - team_phase
    if gap == 0:
        return Fit.FITS
    if gap == 1:
        return Fit.NEXT
    return Fit.TOO_EARLY if gap > 1 else Fit.TOO_LATE


@dataclass(frozen=True)
class PhaseGuess:
    """The verdict on a learner's guess of a team's phase."""

    correct: bool
    distance: int  # chosen - actual: negative means the learner placed them too early

    @property
    def close(self) -> bool:
        return abs(self.distance) == 1


def judge_phase(actual: int, chosen: int) -> PhaseGuess:
    """Compare the learner's phase with the scenario's phase.

    >>> judge_phase(3, 3)
    PhaseGuess(correct=True, distance=0)
    >>> judge_phase(3, 4).close
    True
    >>> judge_phase(1, 4).distance
    3
    """
    return PhaseGuess(correct=actual == chosen, distance=chosen - actual)


@dataclass(frozen=True)
class FitScore:
    """How well a set of chosen activities fits: counts per fit kind."""

    fits: int
    next: int
    too_early: int
    too_late: int

    @property
    def chosen(self) -> int:
        return self.fits + self.next + self.too_early + self.too_late

    @property
    def points(self) -> int:
        """One point per fitting activity, half a point (rounded down overall) for preparing the
        next phase, and a point off per activity that comes too early: it does harm, not nothing.
        Never below zero.
        """
        return max(0, self.fits + self.next // 2 - self.too_early)


def score_choices(team_phase: int, activity_phases: list[int]) -> FitScore:
    """Count the fit of every chosen activity.

    >>> s = score_choices(2, [2, 2, 3, 5, 0])
    >>> (s.fits, s.next, s.too_early, s.too_late, s.points)
    (2, 1, 1, 1, 1)
    >>> score_choices(0, []).points
    0
    """
    fits = [activity_fit(team_phase, p) for p in activity_phases]
    return FitScore(
        fits=fits.count(Fit.FITS),
        next=fits.count(Fit.NEXT),
        too_early=fits.count(Fit.TOO_EARLY),
        too_late=fits.count(Fit.TOO_LATE),
    )
