"""Phase-fit rules, table-driven."""

from __future__ import annotations

import pytest

from kit.phases import Fit, activity_fit, judge_phase, score_choices


@pytest.mark.parametrize(
    ("team", "activity", "expected"),
    [
        (0, 0, Fit.FITS),
        (3, 3, Fit.FITS),
        (1, 2, Fit.NEXT),
        (4, 5, Fit.NEXT),
        (1, 4, Fit.TOO_EARLY),  # training while people only just heard of it
        (2, 4, Fit.TOO_EARLY),
        (0, 5, Fit.TOO_EARLY),
        (4, 1, Fit.TOO_LATE),
        (5, 0, Fit.TOO_LATE),
        (1, 0, Fit.TOO_LATE),
    ],
)
def test_activity_fit(team: int, activity: int, expected: Fit) -> None:
    assert activity_fit(team, activity) is expected


def test_judge_phase_close_and_far() -> None:
    assert judge_phase(2, 2).correct
    assert not judge_phase(2, 3).correct and judge_phase(2, 3).close
    assert judge_phase(2, 1).distance == -1
    assert not judge_phase(0, 5).close


def test_score_penalises_too_early() -> None:
    assert score_choices(1, [1, 1, 1]).points == 3
    assert score_choices(1, [1, 4, 5]).points == 0  # 1 fit - 2 too early, floored at 0
    assert score_choices(1, [2, 2]).points == 1
    s = score_choices(3, [3, 4, 0])
    assert (s.fits, s.next, s.too_late, s.chosen) == (1, 1, 1, 3)
