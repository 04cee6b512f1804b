"""What learners answer, as one typed contract.

The apps keep these records in the answer memory, the session store saves and reads them, the
group aggregation and the reports count them. Nothing outside this module knows how a record is
keyed or spelled in JSON.

Stored JSON is versioned (``"v": 2``). Answers saved before the version existed (version 1: a bare
mapping or list, with its meaning in the row's module and item, e.g. item ``"organisatie:__own__"``
and ``null`` for "don't know") are migrated by :func:`load`, so existing databases keep working.

>>> scan = ScanAnswers(perspective="organisatie", values={"org-0-1": 2, "org-0-2": DONT_KNOW})
>>> scan.key == ("quickscan", "organisatie:__own__")
True
>>> load("quickscan", "organisatie:__own__", dump(scan)) == scan
True
>>> load("quickscan", "organisatie:__own__", '{"org-0-1": 2, "org-0-2": null}') == scan
True
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError

from kit.text import clean

#: The version of the stored JSON written by :func:`dump`.
VERSION = 2

#: How many characters of stored JSON a record may take (a full scan is about 2 kB).
MAX_CHARS = 100_000


class Module(StrEnum):
    """The exercise a record belongs to."""

    QUICKSCAN = "quickscan"
    PHASES = "phases"
    KERN = "kern"
    PLAN = "plan"
    ROUTE = "route"  # the self-study route's closing self-check


class Mark(StrEnum):
    """An answer that is not a point on the scale: the learner does not know, or the statement
    does not apply to this situation. Neither is scored; "don't know" is a gap in what the
    team knows, "not applicable" takes the statement out of the scan."""

    DONT_KNOW = "dont_know"
    NOT_APPLICABLE = "not_applicable"


DONT_KNOW = Mark.DONT_KNOW
NOT_APPLICABLE = Mark.NOT_APPLICABLE

Key = tuple[Module, str]
"""(module, item): one record per key per participant; a newer record replaces the older."""

Value = Annotated[int, Field(strict=True, ge=0)] | Mark
"""A quickscan answer: a point on the scale, or a :class:`Mark`."""

Name = Annotated[str, Field(min_length=1, max_length=80)]


class RecordError(ValueError):
    """Stored JSON that is not a record (the message says why, for the server log)."""


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    module: ClassVar[Module]

    @property
    def item(self) -> str:
        raise NotImplementedError

    @property
    def key(self) -> Key:
        return (self.module, self.item)


class ScanAnswers(_Record):
    """A quickscan of one perspective, on a case or (``case=None``) the learner's own situation.
    A statement that is absent has not been answered."""

    kind: Literal["scan"] = "scan"
    perspective: Name
    case: Name | None = None
    values: Mapping[str, Value] = Field(default_factory=dict)

    module: ClassVar[Module] = Module.QUICKSCAN

    @property
    def item(self) -> str:
        return f"{self.perspective}:{self.case or '__own__'}"

    def file_values(self) -> dict[str, int | str | None]:
        """The values as answers files write them: ``null`` for "don't know" (as files always
        have), the mark's name for the other marks.

        >>> values = {"a": 1, "b": DONT_KNOW, "c": NOT_APPLICABLE}
        >>> ScanAnswers(perspective="p", values=values).file_values()
        {'a': 1, 'b': None, 'c': 'not_applicable'}
        """
        return {
            k: (None if v is DONT_KNOW else v.value if isinstance(v, Mark) else v)
            for k, v in self.values.items()
        }

    @classmethod
    def from_file_values(
        cls, perspective: str, case: str | None, values: Mapping[str, object]
    ) -> ScanAnswers:
        """The inverse of :meth:`file_values` (``None`` is "don't know"); raises
        :class:`pydantic.ValidationError` for a value that is no answer."""
        converted = {k: (DONT_KNOW if v is None else v) for k, v in values.items()}
        return cls.model_validate({"perspective": perspective, "case": case, "values": converted})

    def answer(self, statement: str, value: Value | None) -> ScanAnswers:
        """A copy with one statement answered (``None``: answer taken back)."""
        values = dict(self.values)
        if value is None:
            values.pop(statement, None)
        else:
            values[statement] = value
        return self.model_copy(update={"values": values})


class PhaseGuess(_Record):
    """The "which phase?" exercise for one scenario: the first answer counts for the score, the
    last one is what the learner sees when coming back."""

    kind: Literal["phase"] = "phase"
    scenario: Name
    first: Annotated[int, Field(strict=True, ge=0)]
    last: Annotated[int, Field(strict=True, ge=0)]

    module: ClassVar[Module] = Module.PHASES

    @property
    def item(self) -> str:
        return self.scenario


class ActivityPick(_Record):
    """The "does this activity fit?" exercise for one scenario: the activities chosen."""

    kind: Literal["fit"] = "fit"
    scenario: Name
    activities: tuple[Name, ...] = ()

    module: ClassVar[Module] = Module.PHASES

    @property
    def item(self) -> str:
        return f"fit:{self.scenario}"


class HexagonRatings(_Record):
    """The Hexagon exercise (choosing an intervention): a rating per indicator answered so far
    (absent: not rated yet)."""

    kind: Literal["hexagon"] = "hexagon"
    ratings: Mapping[Name, Annotated[int, Field(strict=True, ge=0, le=10)]] = Field(
        default_factory=dict
    )

    module: ClassVar[Module] = Module.PHASES

    @property
    def item(self) -> str:
        return "hexagon"


def _today() -> str:
    return dt.date.today().isoformat()


#: The most characters a learner may type in one free-text field (a reason, a goal, a plan note,
#: what the team will adjust). The apps show it on the field and refuse more (never cut it).
TEXT_LIMIT = 500


def _line(value: object) -> object:
    """One line of free text by :func:`kit.text.clean`'s rule.

    >>> PlanStep(activity="a", note=" bel\\x00 de\\x0b wijk\\x1b ").note
    'bel de wijk'
    """
    return clean(value, TEXT_LIMIT) if isinstance(value, str) else value


def _lines(value: object) -> object:
    """Free text over several lines by the same rule (line breaks kept).

    >>> Plan(perspective="p", adjust="eerst\\r\\n\\x00terug").adjust
    'eerst\\nterug'
    """
    return clean(value, TEXT_LIMIT, multiline=True) if isinstance(value, str) else value


#: One line of free text, kept by :func:`kit.text.clean`'s rule wherever a record is made (in an
#: app, from a file, from the store): no control characters, no lone surrogates, white space
#: collapsed; longer than :data:`TEXT_LIMIT` is refused (``ValidationError`` from ``TooLong``).
Short = Annotated[str, BeforeValidator(_line)]
#: Free text over several lines (line breaks kept), by the same rule.
Lines = Annotated[str, BeforeValidator(_lines)]


class Proposal(BaseModel):
    """An adaptation a learner composed: what, where, and the FRAME details for the log."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    element: Name
    type: Name
    reason: Short = ""
    goal: Short = ""
    when: Name = "implementation"
    planned: bool = True
    who: Name = "team"
    level: Name = "group"
    date: Annotated[str, Field(max_length=10)] = Field(default_factory=_today)


class Adaptations(_Record):
    """The adaptations a learner proposed for one intervention, in the order they were added."""

    kind: Literal["kern"] = "kern"
    intervention: Name
    proposals: tuple[Proposal, ...] = ()

    module: ClassVar[Module] = Module.KERN

    @property
    def item(self) -> str:
        return self.intervention


#: A content id as the record keeps it (``content/interventions/``: lower case, digits and hyphens);
#: short enough that a situation's item (``situation:<intervention>:<situation>``) fits the
#: store's 120 characters, and never a ``:`` that would make the item ambiguous.
ContentId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=50)]


class SituationChoice(BaseModel):
    """What a learner chose for an exercise situation: an element and a kind of adaptation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    element: Name
    type: Name


class SituationAnswer(_Record):
    """The kern-en-schil situations exercise for one situation of an intervention: the first
    choice counts for the score (as :class:`PhaseGuess`), the last one is what the learner sees
    when coming back.

    >>> pick = SituationChoice(element="venue-time", type="setting")
    >>> SituationAnswer(intervention="samen-sterk", situation="arabic-parents", first=pick,
    ...                 last=pick).key
    (<Module.KERN: 'kern'>, 'situation:samen-sterk:arabic-parents')
    """

    kind: Literal["situation"] = "situation"
    intervention: ContentId
    situation: ContentId
    first: SituationChoice
    last: SituationChoice

    module: ClassVar[Module] = Module.KERN

    @property
    def item(self) -> str:
        return f"situation:{self.intervention}:{self.situation}"


Who = Literal["developer", "organisation", "professionals", "funder"]
"""Who carries out a plan step: the intervention's developer, the implementing organisation, the
professionals who deliver it, or the funder (the municipality)."""

When = Annotated[str, Field(pattern=r"^(|\d{4}-\d{2}-\d{2}|\d{4}-W\d{2})$")]
"""A date (``2026-12-07``), an ISO week (``2026-W50``), or empty (not planned yet)."""

Amount = Annotated[int, Field(strict=True, ge=0, le=10_000_000)]


class PlanStep(BaseModel):
    """One activity in a plan (PDCA *plan* and *do*): who, when, what it needs, and the indicator
    the next scan checks (a statement of the scan and the value it should reach)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    activity: Name
    who: Who = "organisation"
    when: When = ""
    hours: Amount = 0
    money: Amount = 0
    people: Amount = 0
    cost: Name = "coordination"
    indicator: Name | None = None
    target: Annotated[int, Field(strict=True, ge=0, le=10)] = 2
    note: Short = ""


class Plan(_Record):
    """An implementation plan made from a scan: the scan it starts from (its answers, so advice
    and progress can be worked out again), the steps, and the *check* and *act* of the cycle."""

    kind: Literal["plan"] = "plan"
    perspective: Name
    case: Name | None = None
    source: Literal["own", "case", "group", "file"] = "own"
    scan: Mapping[str, Value] = Field(default_factory=dict)
    scan_date: Annotated[str, Field(max_length=10)] = ""
    steps: Annotated[tuple[PlanStep, ...], Field(max_length=40)] = ()
    next_scan: When = ""
    adjust: Lines = ""
    hour_rate: Amount = 60

    module: ClassVar[Module] = Module.PLAN

    @property
    def item(self) -> str:
        return "plan"

    def step(self, activity: str) -> PlanStep | None:
        return next((s for s in self.steps if s.activity == activity), None)


class SelfCheck(_Record):
    """The self-study route's closing self-check (:func:`kit.route.self_check`): per question
    the option she chose first, which counts for the score (as :class:`PhaseGuess`), and the
    one she chose last. The start page keeps it in her own store; the group and homework views
    do not show it (an app that restores her own work into a session she joins passes it on).

    >>> SelfCheck(first={"phase:wijk": "weten"}, last={"phase:wijk": "weten"}).key
    (<Module.ROUTE: 'route'>, 'selfcheck')
    """

    kind: Literal["selfcheck"] = "selfcheck"
    first: Mapping[Name, Name] = Field(default_factory=dict, max_length=50)
    last: Mapping[Name, Name] = Field(default_factory=dict, max_length=50)

    module: ClassVar[Module] = Module.ROUTE

    @property
    def item(self) -> str:
        return "selfcheck"


Record = (
    ScanAnswers
    | PhaseGuess
    | ActivityPick
    | HexagonRatings
    | Adaptations
    | SituationAnswer
    | Plan
    | SelfCheck
)

_RECORD: TypeAdapter[Record] = TypeAdapter(Annotated[Record, Field(discriminator="kind")])


def dump(record: Record) -> str:
    """The stored JSON of a record (versioned, keys sorted)."""
    doc = {"v": VERSION, **record.model_dump(mode="json")}
    return json.dumps(doc, ensure_ascii=False, sort_keys=True)


def load(module: str, item: str, payload: str) -> Record:
    """A record from its stored JSON and its row's module and item; migrates version 1.

    >>> load("phases", "fit:s1", '{"activities": ["a1"]}')
    ActivityPick(kind='fit', scenario='s1', activities=('a1',))
    >>> load("kern", "x", "[1]")
    Traceback (most recent call last):
    ...
    kit.answers.RecordError: kern/x: not a valid record (version 1)
    """
    if len(payload) > MAX_CHARS:
        raise RecordError(f"{module}/{item}: too large")
    try:
        doc = json.loads(payload)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise RecordError(f"{module}/{item}: not JSON") from exc
    if isinstance(doc, dict) and doc.get("v") == VERSION:
        body = {k: v for k, v in doc.items() if k != "v"}
        try:
            record = _RECORD.validate_python(body)
        except ValidationError as exc:
            raise RecordError(f"{module}/{item}: not a valid record") from exc
    else:
        try:
            record = _from_v1(module, item, doc)
        except (ValidationError, KeyError, TypeError, ValueError) as exc:
            raise RecordError(f"{module}/{item}: not a valid record (version 1)") from exc
    if record.key != (module, item):
        raise RecordError(f"{module}/{item}: stored under the wrong key {record.key}")
    return record


def _from_v1(module: str, item: str, doc: Any) -> Record:
    """Version 1: the payload's meaning came from the row's module and item."""
    if module == Module.QUICKSCAN:
        perspective, _, case = item.partition(":")
        if not isinstance(doc, dict):
            raise TypeError("scan answers must be a mapping")
        return ScanAnswers.from_file_values(perspective, None if case == "__own__" else case, doc)
    if module == Module.PHASES and item.startswith("fit:"):
        return ActivityPick(scenario=item[4:], activities=tuple(doc["activities"]))
    if module == Module.PHASES:
        return PhaseGuess(scenario=item, first=doc["first"], last=doc.get("last", doc["first"]))
    if module == Module.KERN:
        if not isinstance(doc, list):
            raise TypeError("proposals must be a list")
        return Adaptations(
            intervention=item, proposals=tuple(Proposal.model_validate(p) for p in doc)
        )
    raise ValueError(f"unknown module {module!r}")
