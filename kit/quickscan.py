"""Quickscan scoring: pure functions from answers to per-phase, per-factor and per-cell results.

The kit's own instrument (not Movisie's): statements rated on a scale 0..max, or marked "don't
know" or "not applicable" (:class:`kit.answers.Mark`); marks are counted, never scored.

Rule for levels, on the mean of the scored answers as a share of the scale maximum:

* **weak** below 50 % (on the 0-3 scale: a mean under 1.5, "a bit" or less on average);
* **strong** at 75 % or more (a mean of 2.25 or more, "mostly" or better);
* **mixed** in between;
* **unknown** when nothing in the group was scored (unanswered, "don't know" or not applicable).

The **priority** is the earliest weak phase: phases build on each other, so fixing a later phase
while an earlier one is weak wastes effort.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from pydantic import ValidationError

from kit.answers import DONT_KNOW, NOT_APPLICABLE, Mark, ScanAnswers

WEAK_BELOW = 0.5
STRONG_FROM = 0.75

Answers = Mapping[str, int | Mark]
"""statement id -> value on the scale or a :class:`Mark`; absent means not answered."""


def reference_answers(reference: Mapping[str, int | None]) -> dict[str, int | Mark]:
    """A case's reference (content writes "don't know" as ``null``) as answers.

    >>> reference_answers({"a": 2, "b": None})
    {'a': 2, 'b': <Mark.DONT_KNOW: 'dont_know'>}
    """
    return {k: (DONT_KNOW if v is None else v) for k, v in reference.items()}


class Level(StrEnum):
    WEAK = "weak"
    MIXED = "mixed"
    STRONG = "strong"
    UNKNOWN = "unknown"


#: Text markers so a level is never shown by colour alone.
LEVEL_SYMBOL = {Level.WEAK: "✗", Level.MIXED: "~", Level.STRONG: "✓", Level.UNKNOWN: "?"}


class StatementLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def phase(self) -> str: ...
    @property
    def factor(self) -> str: ...


@dataclass(frozen=True)
class Score:
    """The result for one group of statements."""

    total: int  # statements in the group
    scored: int  # answered on the scale
    dont_know: int  # answered "don't know"
    points: int  # sum of scored values
    max_value: int
    not_applicable: int = 0  # marked "does not apply here"

    @property
    def answered(self) -> int:
        """Statements with any answer: on the scale or marked."""
        return self.scored + self.dont_know + self.not_applicable

    @property
    def unanswered(self) -> int:
        return self.total - self.answered

    @property
    def mean(self) -> float | None:
        return self.points / self.scored if self.scored else None

    @property
    def share(self) -> float | None:
        """Mean as a share of the scale maximum, 0..1."""
        return None if self.mean is None else self.mean / self.max_value

    @property
    def level(self) -> Level:
        return level_of(self.share)


def level_of(share: float | None) -> Level:
    """The level for a share of the maximum.

    >>> [level_of(s).value for s in (None, 0.0, 0.49, 0.5, 0.74, 0.75, 1.0)]
    ['unknown', 'weak', 'weak', 'mixed', 'mixed', 'strong', 'strong']
    """
    if share is None:
        return Level.UNKNOWN
    if share < WEAK_BELOW:
        return Level.WEAK
    return Level.STRONG if share >= STRONG_FROM else Level.MIXED


def score_group(statements: Iterable[StatementLike], answers: Answers, max_value: int) -> Score:
    """Score one group of statements.

    >>> from types import SimpleNamespace as S
    >>> group = [S(id="a", phase="p", factor="f"), S(id="b", phase="p", factor="f"),
    ...          S(id="c", phase="p", factor="f")]
    >>> s = score_group(group, {"a": 3, "b": DONT_KNOW}, max_value=3)
    >>> (s.total, s.scored, s.dont_know, s.unanswered, s.mean, s.level.value)
    (3, 1, 1, 1, 3.0, 'strong')
    >>> s = score_group(group, {"a": NOT_APPLICABLE, "b": DONT_KNOW}, max_value=3)
    >>> (s.not_applicable, s.dont_know, s.unanswered, s.level.value)
    (1, 1, 1, 'unknown')
    """
    total = scored = dont_know = not_applicable = points = 0
    for statement in statements:
        total += 1
        if statement.id not in answers:
            continue
        value = answers[statement.id]
        if value is NOT_APPLICABLE:
            not_applicable += 1
        elif isinstance(value, Mark):
            dont_know += 1
        else:
            scored += 1
            points += value
    return Score(total, scored, dont_know, points, max_value, not_applicable)


@dataclass(frozen=True)
class Result:
    """Scores per phase, per factor and per phase × factor cell, plus the overall score."""

    overall: Score
    by_phase: Mapping[str, Score]
    by_factor: Mapping[str, Score]
    by_cell: Mapping[tuple[str, str], Score]

    @property
    def weak_phases(self) -> list[str]:
        """Weak phases, earliest first (``by_phase`` is in phase order)."""
        return [p for p, s in self.by_phase.items() if s.level is Level.WEAK]

    @property
    def priority(self) -> str | None:
        """The phase to work on first: the earliest weak one."""
        weak = self.weak_phases
        return weak[0] if weak else None


def score(
    statements: Sequence[StatementLike],
    answers: Answers,
    phases: Sequence[str],
    factors: Sequence[str],
    max_value: int,
) -> Result:
    """Score all statements; ``phases`` and ``factors`` give the order of the result.

    >>> from types import SimpleNamespace as S
    >>> st = [S(id="1", phase="p0", factor="f"), S(id="2", phase="p1", factor="f"),
    ...       S(id="3", phase="p1", factor="g")]
    >>> r = score(st, {"1": 3, "2": 0, "3": 1}, ["p0", "p1"], ["f", "g"], 3)
    >>> r.by_phase["p1"].mean, r.by_phase["p1"].level.value, r.priority
    (0.5, 'weak', 'p1')
    >>> r.by_cell[("p0", "g")].total
    0
    """
    return Result(
        overall=score_group(statements, answers, max_value),
        by_phase={
            p: score_group((s for s in statements if s.phase == p), answers, max_value)
            for p in phases
        },
        by_factor={
            f: score_group((s for s in statements if s.factor == f), answers, max_value)
            for f in factors
        },
        by_cell={
            (p, f): score_group(
                (s for s in statements if s.phase == p and s.factor == f), answers, max_value
            )
            for p in phases
            for f in factors
        },
    )


@dataclass(frozen=True)
class AdviceItem:
    statement_id: str
    phase: str
    value: int


def advice(
    statements: Sequence[StatementLike],
    answers: Answers,
    result: Result,
    limit: int = 5,
) -> list[AdviceItem]:
    """Statements to act on, the earliest weak phase first, then lowest score.

    Within weak phases every statement scored in the lower half of the scale counts; when no
    phase is weak, the lowest-scored statements of mixed phases are offered instead.

    >>> from types import SimpleNamespace as S
    >>> st = [S(id="a", phase="p0", factor="f"), S(id="b", phase="p1", factor="f"),
    ...       S(id="c", phase="p1", factor="f"), S(id="d", phase="p2", factor="f")]
    >>> answers = {"a": 3, "b": 1, "c": 0, "d": 0}
    >>> r = score(st, answers, ["p0", "p1", "p2"], ["f"], 3)
    >>> [a.statement_id for a in advice(st, answers, r)]
    ['c', 'b', 'd']
    """
    order = list(result.by_phase)
    weak = set(result.weak_phases)
    targets = weak or {p for p, s in result.by_phase.items() if s.level is Level.MIXED}
    half = result.overall.max_value / 2
    items = [
        AdviceItem(s.id, s.phase, value)
        for s in statements
        if s.phase in targets
        and isinstance(value := answers.get(s.id), int)
        and value < half + (0 if weak else 1)
    ]
    items.sort(key=lambda a: (order.index(a.phase), a.value))
    return items[:limit]


def determinants_of(
    items: Iterable[AdviceItem], determinant_of: Mapping[str, str]
) -> tuple[str, ...]:
    """The MIDI determinants the advised (weak) statements measure, each once, in the order
    the advice gives them; ``determinant_of`` maps a statement id to its determinant id.

    >>> from kit.quickscan import AdviceItem as A
    >>> determinants_of([A("a", "p0", 0), A("b", "p1", 1), A("c", "p1", 1)],
    ...                 {"a": "knowledge", "b": "time-available", "c": "knowledge"})
    ('knowledge', 'time-available')
    """
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(determinant_of[item.statement_id], None)
    return tuple(seen)


@dataclass(frozen=True)
class Difference:
    statement_id: str
    mine: int | Mark
    reference: int | Mark | None  # None: the reference does not answer it

    @property
    def gap(self) -> int:
        """Absolute difference; 0 when either side is not on the scale."""
        if isinstance(self.mine, int) and isinstance(self.reference, int):
            return abs(self.mine - self.reference)
        return 0


def compare(
    statements: Sequence[StatementLike], answers: Answers, reference: Answers
) -> list[Difference]:
    """Answered statements where the learner's reading differs from the reference, largest first.

    >>> from types import SimpleNamespace as S
    >>> st = [S(id=i, phase="p", factor="f") for i in "abc"]
    >>> [(d.statement_id, d.gap) for d in compare(st, {"a": 0, "b": 2, "c": 3}, {"a": 3, "b": 2, "c": 2})]
    [('a', 3), ('c', 1)]
    """
    diffs = [
        Difference(s.id, answers[s.id], reference.get(s.id)) for s in statements if s.id in answers
    ]
    diffs = [d for d in diffs if d.gap > 0]
    diffs.sort(key=lambda d: -d.gap)  # stable: statement order breaks ties
    return diffs


# --------------------------------------------------------------------------- answer files

FILE_KIND = "implementatiekit-quickscan"

#: An answers file is a few kilobytes; anything much larger is not one.
FILE_MAX_BYTES = 1_000_000


class FileProblem(StrEnum):
    """Why an answers file was refused; each has a text for the learner (:attr:`text_key`)."""

    TOO_LARGE = "too-large"
    NOT_JSON = "not-json"
    NOT_OURS = "not-ours"
    OTHER_VERSION = "other-version"
    MALFORMED = "malformed"
    UNKNOWN_STATEMENT = "unknown-statement"
    BAD_VALUE = "bad-value"

    @property
    def text_key(self) -> str:
        return f"quickscan.files.bad.{self.value}"


class AnswersFileError(ValueError):
    """An answers file that cannot be loaded; ``problem`` says why."""

    def __init__(self, problem: FileProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def dump_answers(version: str, scan: ScanAnswers, saved: str) -> str:
    """A scan as a JSON document that :func:`parse_answers` can load again ("don't know" is
    ``null``, as in every answers file the kit has written).

    >>> scan = ScanAnswers(perspective="organisatie", values={"org-0-1": 2})
    >>> print(dump_answers("1.0", scan, "2026-11-24T10:00"))
    {
      "kind": "implementatiekit-quickscan",
      "instrument_version": "1.0",
      "perspective": "organisatie",
      "case": null,
      "saved": "2026-11-24T10:00",
      "answers": {
        "org-0-1": 2
      }
    }
    """
    doc = {
        "kind": FILE_KIND,
        "instrument_version": version,
        "perspective": scan.perspective,
        "case": scan.case,
        "saved": saved,
        "answers": scan.file_values(),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


def same_wording(saved: object, version: str) -> bool:
    """Whether answers saved under instrument ``saved`` still answer instrument ``version``: the
    same major version. A minor step (3.0 → 3.1) sharpens wording or adds statements, so what was
    answered keeps its meaning and a file from yesterday still loads; a major step changes what
    statements ask, so old answers would be read against questions nobody answered.

    >>> same_wording("3.0", "3.1"), same_wording("3.1", "3.1"), same_wording("2.0", "3.1")
    (True, True, False)
    >>> same_wording(3.0, "3.1"), same_wording(None, "3.1"), same_wording("3", "3.1")
    (False, False, False)
    """
    if not isinstance(saved, str) or "." not in saved:
        return False
    return saved.split(".", 1)[0] == version.split(".", 1)[0]


def parse_answers(
    raw: bytes | str,
    version: str,
    statements: Sequence[StatementLike],
    perspectives: Sequence[str],
    max_value: int,
) -> ScanAnswers:
    """Check an answers file completely before anything is applied.

    Raises :class:`AnswersFileError` for a file that is too large, not JSON (also: nested too
    deep, numbers too long), not ours, from another instrument version, or with unknown
    statements or values off the scale.

    >>> parse_answers('{"kind": "x"}', "1.0", [], ["o"], 3)
    Traceback (most recent call last):
    ...
    kit.quickscan.AnswersFileError: not-ours
    """
    if len(raw) > FILE_MAX_BYTES:
        raise AnswersFileError(FileProblem.TOO_LARGE)
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        doc = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        # ValueError covers malformed JSON and integers longer than Python will convert.
        raise AnswersFileError(FileProblem.NOT_JSON) from exc
    if not isinstance(doc, dict) or doc.get("kind") != FILE_KIND:
        raise AnswersFileError(FileProblem.NOT_OURS)
    if not same_wording(doc.get("instrument_version"), version):
        raise AnswersFileError(FileProblem.OTHER_VERSION)
    perspective, case, answers = doc.get("perspective"), doc.get("case"), doc.get("answers")
    if perspective not in perspectives or not isinstance(answers, dict):
        raise AnswersFileError(FileProblem.MALFORMED)
    if case is not None and not isinstance(case, str):
        raise AnswersFileError(FileProblem.MALFORMED)
    known = {s.id for s in statements if getattr(s, "perspective", perspective) == perspective}
    for key, value in answers.items():
        if key not in known:
            raise AnswersFileError(FileProblem.UNKNOWN_STATEMENT)
        if value is None or value == NOT_APPLICABLE.value:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= max_value:
            raise AnswersFileError(FileProblem.BAD_VALUE)
    try:
        return ScanAnswers.from_file_values(str(perspective), case, answers)
    except ValidationError as exc:  # e.g. a case name longer than any case id
        raise AnswersFileError(FileProblem.MALFORMED) from exc
