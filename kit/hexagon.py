"""Choosing an intervention (phase 0 for an organisation): feedback on a team's ratings of the
six Hexagon indicators (NIRN; Metz & Louison 2019). Pure logic, no texts: the texts are in
``content/hexagon.yaml`` and :mod:`kit.present.hexagon` puts them together.

The rule, the kit's own: a rating below ``weak_below`` is weak. Any indicator at the scale's
bottom (0), or half the indicators or more weak, is *not now*; one weak indicator or more is
*think again*; none weak is *go*. The weakest indicators are those with the lowest rating.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

VerdictId = Literal["go", "rethink", "not-now"]


@dataclass(frozen=True)
class Judgement:
    """The feedback on a complete or incomplete rating."""

    missing: tuple[str, ...]  # indicator ids without a rating, in the indicators' order
    weak: tuple[str, ...]  # indicator ids rated below the weak line
    weakest: tuple[str, ...]  # indicator ids with the lowest rating
    verdict: VerdictId | None  # None while a rating is missing

    @property
    def complete(self) -> bool:
        return not self.missing


def judge(
    indicators: Sequence[str],
    ratings: Mapping[str, int | None],
    weak_below: int = 2,
    bottom: int = 0,
) -> Judgement:
    """Feedback on ``ratings`` (indicator id -> value, or None/absent when not rated).

    >>> ids = ("evidence", "support", "usability", "need", "fit", "capacity")
    >>> judge(ids, dict.fromkeys(ids, 3)).verdict
    'go'
    >>> j = judge(ids, {**dict.fromkeys(ids, 2), "fit": 1})
    >>> j.verdict, j.weak, j.weakest
    ('rethink', ('fit',), ('fit',))
    >>> judge(ids, {**dict.fromkeys(ids, 3), "capacity": 0}).verdict
    'not-now'
    >>> judge(ids, {**dict.fromkeys(ids, 2), "need": 1, "fit": 1, "capacity": 1}).verdict
    'not-now'
    >>> j = judge(ids, {"evidence": 3, "need": None})
    >>> j.verdict, j.missing
    (None, ('support', 'usability', 'need', 'fit', 'capacity'))
    """
    unknown = set(ratings) - set(indicators)
    if unknown:
        raise ValueError(f"unknown indicator(s): {', '.join(sorted(unknown))}")
    missing = tuple(i for i in indicators if ratings.get(i) is None)
    rated = {i: v for i in indicators if (v := ratings.get(i)) is not None}
    weak = tuple(i for i in indicators if i in rated and rated[i] < weak_below)
    low = min(rated.values(), default=None)
    weakest = tuple(i for i in indicators if low is not None and rated.get(i) == low)
    if missing:
        return Judgement(missing, weak, weakest, None)
    verdict: VerdictId
    if low == bottom or 2 * len(weak) >= len(indicators):
        verdict = "not-now"
    elif weak:
        verdict = "rethink"
    else:
        verdict = "go"
    return Judgement(missing, weak, weakest, verdict)


# --------------------------------------------------------------------------- a group's ratings


@dataclass(frozen=True)
class Spread:
    """One indicator over a group: how many rated it, their median and lowest and highest."""

    id: str
    rated: int
    median: float | None  # None when nobody rated it
    low: int | None
    high: int | None


@dataclass(frozen=True)
class GroupRatings:
    """A group's Hexagon, counts only: who rated is not kept."""

    people: int  # participants who rated at least one indicator
    indicators: tuple[Spread, ...]
    verdicts: Mapping[VerdictId, int]  # per verdict, the complete ratings that gave it
    incomplete: int  # participants who rated some indicators but not all


def group_ratings(
    indicators: Sequence[str],
    ratings: Iterable[Mapping[str, int | None]],
    weak_below: int = 2,
    bottom: int = 0,
) -> GroupRatings:
    """Per indicator how many rated it, the median and the range; per verdict how many of the
    complete ratings gave it. A rating of an indicator not in ``indicators`` (an old record) is
    left out; somebody who rated nothing is not counted.

    >>> ids = ("evidence", "support", "usability", "need", "fit", "capacity")
    >>> g = group_ratings(ids, [dict.fromkeys(ids, 3), {**dict.fromkeys(ids, 2), "fit": 1}, {"fit": 2}, {}])
    >>> g.people, g.incomplete, dict(g.verdicts)
    (3, 1, {'go': 1, 'rethink': 1, 'not-now': 0})
    >>> [(s.rated, s.median, s.low, s.high) for s in g.indicators if s.id in ("fit", "need")]
    [(2, 2.5, 2, 3), (3, 2, 1, 3)]
    """
    given = [{i: v for i in indicators if (v := r.get(i)) is not None} for r in ratings]
    given = [r for r in given if r]
    spreads = []
    for i in indicators:
        values = sorted(r[i] for r in given if i in r)
        spreads.append(
            Spread(
                i,
                len(values),
                statistics.median(values) if values else None,
                values[0] if values else None,
                values[-1] if values else None,
            )
        )
    verdicts: Counter[VerdictId] = Counter()
    incomplete = 0
    for r in given:
        verdict = judge(indicators, r, weak_below, bottom).verdict
        if verdict is None:
            incomplete += 1
        else:
            verdicts[verdict] += 1
    order: tuple[VerdictId, ...] = ("go", "rethink", "not-now")
    return GroupRatings(len(given), tuple(spreads), {v: verdicts[v] for v in order}, incomplete)
