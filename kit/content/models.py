"""The content schema: one pydantic model per kind of thing, every rule on a single item declared
once, on the field it constrains.

Rules that look at one field or one list live here, as ``Field(...)`` constraints or as the small
validators below (:class:`Exactly`, :class:`Covers`, :class:`MaxChars`, :class:`Words`); they say
what they check in words too, so ``content/SCHEMA.md`` is generated from them. Rules that need
another file (an unknown phase id, a case's answers against the quickscan) are in
:mod:`kit.content.rules`.

The models are frozen: the rest of the kit treats content as immutable values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, Self, TypeVar

from babel import Locale
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    RootModel,
    Tag,
    model_validator,
)

LANGS: tuple[str, ...] = ("nl", "en")
DEFAULT_LANG = "nl"
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

Lang = Literal["nl", "en"]
Verdict = Literal["green", "amber", "red"]
M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


# --------------------------------------------------------------------------- field rules


@dataclass(frozen=True)
class Exactly:
    """A list whose items' ``attr`` must be exactly ``values``, in that order."""

    attr: str
    values: tuple[object, ...]

    def __call__(self, items: Sequence[T]) -> Sequence[T]:
        got = tuple(getattr(item, self.attr) for item in items)
        if got != self.values:
            raise ValueError(f"{self.describe()} (got {', '.join(map(str, got)) or 'none'})")
        return items

    def describe(self) -> str:
        return f"{self.attr}s exactly {', '.join(map(str, self.values))}, in this order"


@dataclass(frozen=True)
class Covers:
    """A list whose items' ``attr`` values must include every one of ``values``."""

    attr: str
    values: tuple[str, ...]

    def __call__(self, items: Sequence[T]) -> Sequence[T]:
        used = {getattr(item, self.attr) for item in items}
        missing = [v for v in self.values if v not in used]
        if missing:
            raise ValueError(f"no item uses {self.attr} {', '.join(missing)}")
        return items

    def describe(self) -> str:
        return f"uses every {self.attr} of {', '.join(self.values)}"


@dataclass(frozen=True)
class MaxChars:
    """A text at most ``limit`` characters long in every language (it must fit a label)."""

    limit: int

    def __call__(self, text: Text) -> Text:
        long = [f"{lang}: {len(text(lang))}" for lang in LANGS if len(text(lang)) > self.limit]
        if long:
            raise ValueError(f"longer than {self.limit} characters ({', '.join(long)})")
        return text

    def describe(self) -> str:
        return f"<= {self.limit} chars"


@dataclass(frozen=True)
class Words:
    """A text of ``low``-``high`` words in every language."""

    low: int
    high: int

    def __call__(self, text: Text) -> Text:
        counts = {lang: len(text(lang).split()) for lang in LANGS}
        off = [f"{lang}: {n}" for lang, n in counts.items() if not self.low <= n <= self.high]
        if off:
            raise ValueError(f"needs {self.low}-{self.high} words per language ({', '.join(off)})")
        return text

    def describe(self) -> str:
        return f"{self.low}-{self.high} words per language"


# --------------------------------------------------------------------------- models


class _Model(BaseModel):
    # defer_build: schemas are built on first validation. A kernel that loads content from the
    # pickled cache (see `default_content`) never validates, so it never pays for them.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Text(_Model):
    """A text in both languages. Call it with a language to get the string."""

    # pattern \S: a translation of only spaces is as missing as an empty one.
    nl: str = Field(min_length=1, pattern=r"\S", description="Dutch")
    en: str = Field(min_length=1, pattern=r"\S", description="English")

    def __call__(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl


def _id(description: str = "id") -> Any:
    return Field(pattern=ID_PATTERN, description=description)


class Named(_Model):
    id: str = _id()
    name: Text


class ChangePhase(Named):
    phase: str = Field(description="id of the toolkit phase it maps onto")


class Activity(_Model):
    id: str = _id("id, unique across ALL phases")
    text: Annotated[Text, AfterValidator(MaxChars(80))] = Field(description="short imperative")
    # Both are shown as the feedback on this very activity ("Past deze activiteit?"), so each
    # is one sentence about it; `kit check` refuses one shared by two activities.
    why: Annotated[Text, AfterValidator(MaxChars(160))] = Field(
        description="one sentence: what it achieves; shown when it fits or is the next step"
    )
    needs: Annotated[Text, AfterValidator(MaxChars(160))] = Field(
        description="one sentence: what must be in place before it can work; "
        "shown when it comes too early"
    )


PHASE_IDS = ("ontwikkelen", "weten", "begrijpen", "willen", "doen", "blijven-doen")


class Phase(Named):
    number: int = Field(ge=0, le=5, description="its place in the order")
    stage: str = Field(description="a stage id")
    name: Text = Field(description='"Ontwikkelen" / "Develop"')
    question: Text = Field(description="one short question the phase answers")
    goal: Text = Field(description="1-2 sentences")
    signals: tuple[Text, ...] = Field(
        min_length=3, description="what you see when people are in this phase"
    )
    activities: tuple[Activity, ...] = Field(min_length=5)
    pitfalls: tuple[Text, ...] = Field(min_length=3)
    if_too_early: Text = Field(
        description="what goes wrong when this phase's activities come before people are here"
    )


class PhasesFile(_Model):
    """content/phases.yaml: the six phases of implementation and what surrounds them."""

    stages: Annotated[
        tuple[Named, ...],
        AfterValidator(Exactly("id", ("ontwikkeling", "verspreiden", "invoeren"))),
    ] = Field(min_length=1, description="the three stage groups; each phase belongs to one")
    change_model: Annotated[
        tuple[ChangePhase, ...],
        AfterValidator(
            Exactly("id", ("orientatie", "inzicht", "acceptatie", "verandering", "behoud"))
        ),
    ] = Field(
        min_length=1,
        description="Grol & Wensing's five change phases for professionals; "
        "each maps onto one toolkit phase",
    )
    phases: Annotated[
        tuple[Phase, ...],
        AfterValidator(Exactly("id", PHASE_IDS)),
        AfterValidator(Exactly("number", (0, 1, 2, 3, 4, 5))),
    ] = Field(min_length=6, max_length=6, description="the six toolkit phases")


class Factor(Named):
    description: Text = Field(description="what the group covers")
    promoting: tuple[Text, ...] = Field(min_length=3, description="examples of factors that help")
    hindering: tuple[Text, ...] = Field(
        min_length=3, description="examples of factors that get in the way"
    )


MidiGroup = Literal["innovation", "user", "organisation", "context"]


class Determinant(Named):
    """One of the 29 determinants of MIDI (Fleuren et al. 2014), so a scan reads in the terms
    of Dutch implementation research."""

    number: int = Field(ge=1, le=29, description="its number in MIDI, 1-29")
    group: MidiGroup = Field(
        description="innovation, user, organisation or (socio-political) context"
    )
    name: Annotated[Text, AfterValidator(MaxChars(60))] = Field(description="the determinant")


class FactorsFile(_Model):
    """content/factors.yaml: the factors that influence implementation, and MIDI's
    determinants the quickscan's statements map onto."""

    midi_source: str = Field(min_length=1, description="the citation of MIDI")
    determinants: Annotated[
        tuple[Determinant, ...], AfterValidator(Exactly("number", tuple(range(1, 30))))
    ] = Field(description="MIDI's 29 determinants, in MIDI's order")

    factors: Annotated[
        tuple[Factor, ...],
        AfterValidator(
            Exactly("id", ("ontwikkelaars", "gebruikers", "organisatie", "context", "interventie"))
        ),
    ] = Field(min_length=1, description="five groups")


class Scenario(_Model):
    id: str = _id()
    actor: Literal["team", "organisation", "developer"] = Field(
        description="who the scenario is about"
    )
    title: Annotated[Text, AfterValidator(MaxChars(50))]
    text: Text = Field(description="2-4 sentences describing what is going on")
    phase: str = Field(description="phase id the actors are in")
    why: Text = Field(description="which signals point to that phase")


class ScenariosFile(_Model):
    """content/scenarios.yaml: short scenarios for the exercise "Which phase?"."""

    scenarios: tuple[Scenario, ...] = Field(min_length=8)


class ScaleStep(_Model):
    value: int = Field(ge=0)
    label: Text


#: Who fills the quickscan in: the developer, the implementing organisation, the professionals
#: who deliver the intervention.
PERSPECTIVE_IDS = ("ontwikkelaar", "organisatie", "professional")


class Perspective(Named):
    description: Text = Field(description="who fills the scan in")


class Statement(_Model):
    id: str = _id("id, unique")
    perspective: str = Field(description="perspective id")
    phase: str = Field(description="phase id")
    factor: str = Field(description="factor id")
    determinant: str = Field(description="the MIDI determinant it measures (factors.yaml)")
    text: Text = Field(description='a statement to rate ("We ...")')
    advice: Text = Field(description="what to do when it scores low (1-2 sentences)")
    activities: tuple[str, ...] = Field(
        min_length=1, description="activity ids, from the statement's own phase"
    )


class Instrument(_Model):
    """content/quickscan/instrument.yaml: the quickscan's scale, perspectives and statements."""

    version: str = Field(
        min_length=1,
        description=(
            "MAJOR.MINOR; minor for wording or added statements (files of the same major "
            "version still load), major when a question changes meaning"
        ),
    )
    scale: Annotated[tuple[ScaleStep, ...], AfterValidator(Exactly("value", (0, 1, 2, 3)))] = Field(
        min_length=2, description="the answer scale"
    )
    dont_know: Text = Field(description='"weet niet": counted as a gap in knowledge, never scored')
    not_applicable: Text = Field(
        description='"niet van toepassing": the statement is left out of the scan, never scored'
    )
    perspectives: Annotated[
        tuple[Perspective, ...],
        AfterValidator(Exactly("id", PERSPECTIVE_IDS)),
    ] = Field(min_length=1)
    statements: tuple[Statement, ...] = Field(min_length=1)

    @property
    def max_value(self) -> int:
        return max(s.value for s in self.scale)

    def statements_for(self, perspective: str) -> tuple[Statement, ...]:
        return tuple(s for s in self.statements if s.perspective == perspective)


#: Separates two quotes in one ``evidence`` text: each must occur in the case on its own.
QUOTE_GAP = "…"


class ReferenceAnswer(_Model):
    """One reference answer and what in the case it rests on."""

    value: int | None = Field(description="a scale value, or null (= don't know)")
    evidence: Text | None = Field(
        default=None,
        description=f"the sentence(s) of the narrative the value rests on, quoted verbatim in "
        f"each language (spacing aside); join quotes with ' {QUOTE_GAP} '; required unless null",
    )
    open: Text | None = Field(
        default=None,
        description="what the case leaves open; required when the value is null, only then",
    )

    @model_validator(mode="after")
    def _grounded(self) -> Self:
        # Every reference answer must be traceable to the case, so a trainer can defend it and
        # a learner can find it: a value by quoting the case, a "don't know" by saying what the
        # case does not tell.
        if self.value is None and self.open is None:
            raise ValueError("null (don't know) needs 'open': say what the case leaves open")
        if self.value is not None and self.open is not None:
            raise ValueError(f"'open' is only for a null answer (this one is {self.value})")
        if self.value is not None and self.evidence is None:
            raise ValueError(
                f"answer {self.value} needs 'evidence': quote the sentence of the case it rests on"
            )
        return self


class Reference(_Model):
    """The trainer's reading of a case from one perspective."""

    perspective: str = Field(description="perspective id the case is read from")
    scoring: dict[str, ReferenceAnswer] = Field(
        description="EVERY statement id of the perspective -> {value: a scale value, evidence: "
        "Text} or {value: null, open: Text}; evidence quotes the narrative (see below), open says "
        "what the case leaves open"
    )
    justification: dict[str, Text] = Field(description="every phase id -> Text (1-3 sentences)")

    @property
    def answers(self) -> dict[str, int | None]:
        """Statement id -> scale value or None (don't know): the reference as scoring reads it."""
        return {sid: answer.value for sid, answer in self.scoring.items()}


class Case(_Model):
    """content/cases/<id>.yaml: one file per quickscan case; the file name is the id."""

    id: str = _id("equal to the file name")
    title: Text = Field(description="shown in the case picker")
    sector: Text = Field(description="corner of the social domain")
    summary: Text = Field(description="one sentence")
    narrative: Annotated[Text, AfterValidator(Words(300, 500))] = Field(
        description="situation, people, history, money, what was done"
    )
    references: tuple[Reference, ...] = Field(
        min_length=1,
        description="the trainer's reference readings, one per perspective the case can be "
        "scored from; the first is the perspective the case is told from",
    )

    @property
    def perspective(self) -> str:
        """The perspective the case is told from: its first reading's."""
        return self.references[0].perspective

    @property
    def perspectives(self) -> tuple[str, ...]:
        """Every perspective the case can be scored from, the one it is told from first."""
        return tuple(r.perspective for r in self.references)

    def reference_for(self, perspective: str) -> Reference | None:
        """The reference reading from ``perspective``, or None when the case has none."""
        return next((r for r in self.references if r.perspective == perspective), None)


class VerdictRule(_Model):
    verdict: Verdict
    reason: Text = Field(description="why; it names the aspect the verdict rests on")


Part = Literal["kern", "schil"]

FrameType = Literal[
    "adding",
    "removing",
    "shortening",
    "lengthening",
    "substituting",
    "reordering",
    "tailoring",
    "packaging",
    "integrating",
    "loosening",
    "departing",
    "format",
    "setting",
    "personnel",
    "population",
]


class Aspect(Named):
    """What an adaptation changes (its surface, its function, the dose, the order, the method,
    the setting, ...): the verdict rests on the aspect and on the element's part."""

    name: Annotated[Text, AfterValidator(MaxChars(40))] = Field(
        description='short label: "what this verdict rests on"'
    )
    description: Text = Field(description="what falls under the aspect")
    on_schil: VerdictRule = Field(description="verdict and reason on a schil element")
    on_kern: VerdictRule = Field(description="verdict and reason on a kern element")
    on_mechanism: VerdictRule | None = Field(
        default=None,
        description="verdict and reason on a kern element whose order is its mechanism "
        "(`order_is_mechanism: true`); only for the aspect of the order",
    )

    def rule(self, part: str, mechanism: bool = False) -> VerdictRule:
        """The verdict on an element of ``part``; ``mechanism`` when the element's order is how
        it works (a kern element with ``order_is_mechanism``) and this aspect judges that."""
        if mechanism and part == "kern" and self.on_mechanism is not None:
            return self.on_mechanism
        return self.on_kern if part == "kern" else self.on_schil


class AdaptationType(Named):
    frame: FrameType = Field(description="its FRAME type (Wiltsey Stirman et al. 2019)")
    touches: str = Field(description="the aspect id it changes; its verdicts are that aspect's")
    description: Text = Field(description="what you change, with an example")
    instead: Text | None = Field(
        default=None,
        description="a schil-friendly alternative; required when its aspect is red anywhere",
    )
    # Set by AdaptationsFile from `touches`: the verdicts live on the aspect, not the type.
    _aspect: Aspect | None = PrivateAttr(default=None)

    @property
    def aspect(self) -> Aspect:
        if self._aspect is None:
            raise LookupError(f"adaptation type '{self.id}': unknown aspect '{self.touches}'")
        return self._aspect

    @property
    def on_schil(self) -> VerdictRule:
        return self.aspect.on_schil

    @property
    def on_kern(self) -> VerdictRule:
        return self.aspect.on_kern

    def rule(self, part: str, mechanism: bool = False) -> VerdictRule:
        """The general verdict on an element of ``part`` (kern or schil); ``mechanism`` when
        the element's order is how it works."""
        return self.aspect.rule(part, mechanism)


class NewElement(_Model):
    """The element a learner picks for something added outside core time: judged as a new
    schil element of whatever intervention is open."""

    id: str = _id("id of the new element; no intervention may use it for an element of its own")
    name: Annotated[Text, AfterValidator(MaxChars(24))] = Field(description="diagram label")
    description: Text = Field(description="what counts as outside core time")
    why: Text = Field(description="why it is judged as schil")

    def as_element(self) -> Element:
        """The new element as a schil element (content: it adds what the handbook lacks)."""
        return Element(
            id=self.id,
            name=self.name,
            description=self.description,
            part="schil",
            category="content",
            why=self.why,
        )


class Discussion(_Model):
    """A discussion exercise where a developer's word and general guidance can differ."""

    title: Annotated[Text, AfterValidator(MaxChars(60))]
    text: Text = Field(description="the case: what the developer says, what the guidance says")
    questions: tuple[Text, ...] = Field(min_length=2, max_length=4, description="to discuss")


class AdaptationsFile(_Model):
    """content/adaptations.yaml: the aspects verdicts rest on and the catalogue of adaptation
    types for the kern-en-schil app."""

    new_element: NewElement = Field(
        description="an addition outside core time, judged as a new schil element"
    )
    discussion: Discussion = Field(
        description='the exercise "who decides, on what evidence?" under the situations'
    )

    aspects: tuple[Aspect, ...] = Field(
        min_length=1, description="what an adaptation can change, with the verdicts"
    )
    types: Annotated[
        tuple[AdaptationType, ...],
        AfterValidator(
            Covers(
                "frame",
                (
                    "adding",
                    "removing",
                    "shortening",
                    "lengthening",
                    "substituting",
                    "reordering",
                    "tailoring",
                    "integrating",
                    "loosening",
                    "format",
                    "personnel",
                    "population",
                ),
            )
        ),
    ] = Field(min_length=12)

    @model_validator(mode="after")
    def _resolve_aspects(self) -> Self:
        # An unknown aspect is reported, with its line, by the rule `adaptation_aspects`.
        resolve_aspects(self.types, self.aspects)
        return self


def resolve_aspects(types: Iterable[AdaptationType], aspects: Iterable[Aspect]) -> None:
    """Give each type the aspect its ``touches`` names (types are frozen; the link is private
    state that pickles with them). A type whose aspect is unknown stays unresolved."""
    by_id = {a.id: a for a in aspects}
    for kind in types:
        kind._aspect = by_id.get(kind.touches)


class Override(_Model):
    type: str = Field(description="adaptation type id")
    verdict: Verdict
    reason: Text


class Element(Named):
    name: Annotated[Text, AfterValidator(MaxChars(24))] = Field(description="diagram label")
    description: Text
    part: Literal["kern", "schil"]
    category: Literal["content", "method", "conditions"]
    why: Text = Field(description="the mechanism it carries / why adapting is fine")
    order_is_mechanism: bool = Field(
        default=False,
        description="kern only: each part builds on the last, so the order is how it works "
        "and changing it takes the aspect's `on_mechanism` verdict",
    )
    overrides: tuple[Override, ...] = Field(
        default=(), description="element-specific verdicts that replace the type's general one"
    )


class Choice(_Model):
    element: str = Field(description="element id")
    type: str = Field(description="adaptation type id")


class Situation(_Model):
    id: str = _id()
    text: Text = Field(description="the situation the team faces")
    good: tuple[Choice, ...] = Field(
        min_length=1, description="the adaptations a good answer would choose; never red"
    )
    debrief: Text = Field(description="what to take from it")


class Intervention(Named):
    """content/interventions/<id>.yaml: one file per intervention; the file name is the id."""

    id: str = _id("equal to the file name")
    kind: Text = Field(description='"group training", ...')
    summary: Text
    elements: tuple[Element, ...] = Field(min_length=6, max_length=10)
    situations: tuple[Situation, ...] = Field(min_length=2)
    # Set by the loader from adaptations.yaml's `new_element`: something added outside core
    # time, judged as a new schil element; not one of the intervention's own elements.
    _new: Element | None = PrivateAttr(default=None)

    @property
    def new_element(self) -> Element | None:
        return self._new

    def with_new_element(self, new: Element | None) -> Self:
        self._new = new
        return self

    def element(self, element_id: str) -> Element:
        if self._new is not None and element_id == self._new.id:
            return self._new
        return next(e for e in self.elements if e.id == element_id)


# --------------------------------------------------------------------------- agendas

#: The apps a step can open, each with the ids of its tabs in the participant's page.
STEP_TABS: dict[str, tuple[str, ...]] = {
    "phases": ("explore", "which", "fit", "choose"),
    "quickscan": ("answer", "result", "compare", "files"),
    "kern": ("explore", "exercise", "log"),
    "plan": ("scan", "plan", "money", "files", "progress"),
}
StepKind = Literal["instruction", "exercise", "poll", "results"]
#: Polls built on the exercises (the kit knows the answer and reveals it) and plain ones.
PollKind = Literal[
    "scenario-phase",
    "activity-fit",
    "adaptation-verdict",
    "statement-score",
    "choice",
    "scale",
    "open",
]
#: What each poll needs besides its title (``text`` is the question).
POLL_NEEDS: dict[str, tuple[str, ...]] = {
    "scenario-phase": ("scenario",),
    "activity-fit": ("scenario", "activity"),
    "adaptation-verdict": ("intervention", "element", "type"),
    "statement-score": ("statement",),
    "choice": ("text", "options"),
    "scale": ("text",),
    "open": ("text",),
}
_STEP_REFS = (
    "app",
    "tab",
    "poll",
    "scenario",
    "activity",
    "intervention",
    "element",
    "type",
    "statement",
    "of",
)


class Step(_Model):
    """One step of an agenda: what the projector shows and the phones open."""

    id: str = _id("id, unique in the agenda")
    kind: StepKind = Field(
        description="instruction (a text), exercise (an app's tab), poll, or results (of an "
        "earlier step)"
    )
    title: Annotated[Text, AfterValidator(MaxChars(60))] = Field(
        description="the projector's heading"
    )
    text: Text | None = Field(
        default=None,
        description="what the projector and the phones show under the title; the question of a "
        "poll; required for an instruction and for choice, scale and open polls",
    )
    minutes: int = Field(ge=1, le=120, description="planned time, for the trainer's overview")
    timer: int | None = Field(
        default=None, ge=10, le=3600, description="seconds of a countdown the trainer can start"
    )
    app: Literal["phases", "quickscan", "kern", "plan"] | None = Field(
        default=None, description="exercise: the app it opens"
    )
    tab: str | None = Field(
        default=None,
        description="exercise: the app's tab ("
        + "; ".join(f"{app}: {', '.join(tabs)}" for app, tabs in STEP_TABS.items())
        + ")",
    )
    poll: PollKind | None = Field(default=None, description="poll: its kind")
    scenario: str | None = Field(
        default=None, description="scenario id (scenario-phase, activity-fit)"
    )
    activity: str | None = Field(default=None, description="activity id (activity-fit)")
    intervention: str | None = Field(
        default=None, description="intervention id (adaptation-verdict)"
    )
    element: str | None = Field(default=None, description="element id of the intervention")
    type: str | None = Field(default=None, description="adaptation type id")
    statement: str | None = Field(
        default=None, description="quickscan statement id (statement-score)"
    )
    options: tuple[Text, ...] = Field(
        default=(), max_length=6, description="choice: 2-6 options, <= 60 chars each"
    )
    of: str | None = Field(default=None, description="results: id of an earlier poll or exercise")

    @model_validator(mode="after")
    def _fields_of_its_kind(self) -> Self:
        # Each kind names what it needs; a field that belongs to another kind is a mistake
        # (a typo'd kind would otherwise silently ignore it).
        need: tuple[str, ...] = {
            "instruction": ("text",),
            "exercise": ("app",),
            "poll": ("poll", *POLL_NEEDS.get(self.poll or "", ())),
            "results": ("of",),
        }[self.kind]
        allowed = set(need) | {"text"} | ({"tab"} if self.kind == "exercise" else set())
        missing = [f for f in need if not getattr(self, f)]
        if missing:
            raise ValueError(f"a {self.kind} step needs {', '.join(missing)}")
        extra = [f for f in _STEP_REFS if getattr(self, f) and f not in allowed]
        if self.options and "options" not in allowed:
            extra.append("options")
        if extra:
            raise ValueError(f"a {self.kind} step{self._poll_words()} takes no {', '.join(extra)}")
        if self.kind == "poll" and self.poll == "choice" and len(self.options) < 2:
            raise ValueError("a choice poll needs 2-6 options")
        for option in self.options:
            MaxChars(60)(option)
        if self.tab is not None and self.app is not None and self.tab not in STEP_TABS[self.app]:
            raise ValueError(
                f"unknown tab '{self.tab}' of {self.app} (known: {', '.join(STEP_TABS[self.app])})"
            )
        return self

    def _poll_words(self) -> str:
        return f" ({self.poll} poll)" if self.kind == "poll" else ""


class Agenda(Named):
    """content/agendas/<id>.yaml: one file per agenda a trainer can lead a session through; the
    file name is the id."""

    id: str = _id("equal to the file name")
    name: Annotated[Text, AfterValidator(MaxChars(60))] = Field(description="shown when choosing")
    description: Text = Field(description="for whom and how long, in one or two sentences")
    steps: tuple[Step, ...] = Field(min_length=2, description="in the order they are led")

    @property
    def minutes(self) -> int:
        """The planned time of the whole agenda."""
        return sum(step.minutes for step in self.steps)

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)


class GuidanceSource(_Model):
    id: str = _id()
    short: str = Field(
        min_length=1,
        max_length=40,
        description='short name the verdict screen shows, in any language ("Balis 2021")',
    )
    citation: str = Field(min_length=1, description="authors, year, title, journal or publisher")
    url: str = Field(pattern=r"^https?://", description="where it can be read")


class GuidanceMapping(_Model):
    part: Part = Field(description="the kind of element the example changes: kern or schil")
    category: Literal["content", "method", "conditions"]
    type: str = Field(description="the adaptation type id the kit reads it as")
    # Issue 19: a published example about an order that is the programme's mechanism.
    order_is_mechanism: bool = Field(
        default=False,
        description="kern only: the source says this order is how the programme works (each "
        "part builds on the last), so the kit judges it as on an element with "
        "`order_is_mechanism`",
    )


class GuidanceExample(_Model):
    id: str = _id("id, unique")
    text: Text = Field(description="the example adaptation, in our own words")
    colour: Verdict = Field(description="the published colour; a yellow light is amber")
    source: str = Field(description="source id")
    where: str = Field(min_length=1, description="page, section or list of the source")
    seen: Literal["read", "recalled"] = Field(
        description="read: checked in a copy of the source; recalled: from our knowledge of "
        "the source, not checked against a copy"
    )
    maps: GuidanceMapping = Field(description="how the kit reads the example")
    kit_differs_because: Text | None = Field(
        default=None,
        description="why the kit deliberately gives another verdict; required exactly when it does",
    )


class GuidanceFile(_Model):
    """content/guidance.yaml: published traffic-light examples that the kit's general verdicts
    are tested against (tests/test_guidance.py)."""

    sources: tuple[GuidanceSource, ...] = Field(min_length=1)
    examples: tuple[GuidanceExample, ...] = Field(min_length=25)


class PhaseChecklist(_Model):
    phase: str = Field(description="phase id")
    checklist: tuple[Text, ...] = Field(
        min_length=5,
        max_length=8,
        description="what should be in place before moving on; each item checkable",
    )
    tips: tuple[Text, ...] = Field(min_length=3, max_length=5)


class ChecklistsFile(_Model):
    """content/checklists.yaml: take-home material per phase, a one-page checklist and tips."""

    phases: Annotated[tuple[PhaseChecklist, ...], AfterValidator(Exactly("phase", PHASE_IDS))] = (
        Field(min_length=6, max_length=6, description="one per phase, in order")
    )


CostKind = Literal["one-off", "recurring"]


class CostSource(_Model):
    id: str = _id()
    citation: str = Field(min_length=1, description="author or publisher, year, title")
    url: str | None = Field(default=None, pattern=r"^https?://", description="where it can be read")
    seen: Literal["read", "recalled"] = Field(
        description="read: checked in a copy; recalled: from our knowledge, not checked"
    )


class CostCategory(Named):
    name: Annotated[Text, AfterValidator(MaxChars(40))] = Field(description="worksheet row label")
    kind: CostKind = Field(description="paid once, or every year the work goes on")
    explain: Text = Field(description="what falls under it, with an example")
    activities: tuple[str, ...] = Field(
        default=(), description="activity ids whose needs usually fall here"
    )


class FundingRoute(Named):
    name: Annotated[Text, AfterValidator(MaxChars(50))]
    covers: Literal["one-off", "recurring", "both"] = Field(description="which costs it can pay")
    explain: Text = Field(description="what it is and who decides")
    watch_out: Text = Field(description="where it goes wrong")
    source: str = Field(description="source id of the route's main facts")
    also: tuple[str, ...] = Field(
        default=(), description="further source ids for facts in the texts"
    )


class CostsFile(_Model):
    """content/costs.yaml: the cost worksheet's categories and the usual Dutch funding routes,
    with their sources."""

    sources: tuple[CostSource, ...] = Field(min_length=1)
    categories: Annotated[
        tuple[CostCategory, ...],
        AfterValidator(
            Covers("id", ("training", "licence", "coordination", "materials", "monitoring"))
        ),
    ] = Field(min_length=5, description="the worksheet rows; `coordination` is the default")
    routes: tuple[FundingRoute, ...] = Field(min_length=4)

    def category_for(self, activity_id: str) -> CostCategory:
        """The category an activity's needs are booked on by default."""
        found = next((c for c in self.categories if activity_id in c.activities), None)
        return found or next(c for c in self.categories if c.id == "coordination")

    def category(self, category_id: str) -> CostCategory:
        return next(c for c in self.categories if c.id == category_id)


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None
    return value


Regex = Annotated[str, Field(min_length=1), AfterValidator(_regex)]


class GlossaryTerm(_Model):
    id: str = _id()
    term: Text = Field(description="the term in Dutch and the one English translation")
    note: str = Field(min_length=1, description="what it means and why it is translated so")
    nl_match: Regex = Field(
        description="where a Dutch text uses the term (regular expression, any case)"
    )
    en_match: Regex = Field(
        description="what the English text of the same item must then contain (regular "
        "expression, any case)"
    )
    avoid: tuple[Regex, ...] = Field(
        default=(), description="English renderings never to use, anywhere (regular expressions)"
    )

    @model_validator(mode="after")
    def _matches_itself(self) -> Self:
        for lang, pattern in (("nl", self.nl_match), ("en", self.en_match)):
            if not re.search(pattern, self.term(lang), re.IGNORECASE):
                raise ValueError(f"{lang}_match does not match the term '{self.term(lang)}'")
        return self


class GlossaryFile(_Model):
    """content/glossary.yaml: terms translated one way only; `kit check` holds every English
    text of every file to it."""

    terms: tuple[GlossaryTerm, ...] = Field(min_length=1)


# --------------------------------------------------------------------------- self-study route

RouteApp = Literal["phases", "quickscan", "kern", "plan"]
DoneRule = Literal["phases-all", "scan-case", "adaptations", "plan", "scan-own"]


class RouteStep(_Model):
    id: str = _id()
    app: RouteApp = Field(description="the exercise: phases, quickscan, kern or plan")
    notebook: str = Field(
        pattern=r"^[a-z0-9-]+\.ipynb$", description="the app's notebook in notebooks/"
    )
    minutes: int = Field(ge=5, le=120, description="about how long the step takes")
    title: Annotated[Text, AfterValidator(MaxChars(60))]
    goal: Annotated[Text, AfterValidator(MaxChars(200))] = Field(
        description="what she will learn (one sentence)"
    )
    todo: Annotated[Text, AfterValidator(MaxChars(300))] = Field(
        description="what to do in the app"
    )
    done: DoneRule = Field(
        description="when the step counts as done: phases-all, scan-case, adaptations, plan, "
        "scan-own (see content/route.yaml's header)"
    )
    takeaways: tuple[Annotated[Text, AfterValidator(MaxChars(200))], ...] = Field(
        min_length=2, max_length=4, description="2-4 points to keep"
    )


class RouteFile(_Model):
    """content/route.yaml: the self-study route, its steps in order."""

    steps: tuple[RouteStep, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        ids = [s.id for s in self.steps]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"step ids used twice: {', '.join(twice)}")
        return self


# --------------------------------------------------------------------------- the Hexagon (choosing)

#: NIRN's Hexagon indicators (Metz & Louison 2019): program side, then implementing site.
HEXAGON_INDICATORS = ("evidence", "support", "usability", "need", "fit", "capacity")
HEXAGON_VERDICTS = ("go", "rethink", "not-now")


class HexagonIndicator(Named):
    group: Literal["program", "site"] = Field(description="program (the intervention) or site")
    asks: Text = Field(description="what the indicator is about")
    question: Text = Field(description="the one question a team answers; names the rating buttons")
    weak: Text = Field(description="what to do when it is rated weak (1-2 sentences)")


class HexagonVerdict(_Model):
    id: str = _id("go, rethink or not-now")
    label: Text
    reason: Text = Field(description="the reason; {weakest} names the weakest indicators")


class HexagonFile(_Model):
    """content/hexagon.yaml: choosing an intervention (phase 0 for an organisation), a
    fit-and-feasibility exercise on the six indicators of NIRN's Hexagon tool."""

    source: str = Field(min_length=1, description="citation of the Hexagon tool")
    title: Text
    intro: Text
    scale: Annotated[tuple[ScaleStep, ...], AfterValidator(Exactly("value", (0, 1, 2, 3)))] = Field(
        min_length=2, description="the rating scale (as the quickscan's)"
    )
    weak_below: int = Field(ge=1, le=3, description="a rating below this value is weak")
    groups: Annotated[tuple[Named, ...], AfterValidator(Exactly("id", ("program", "site")))] = (
        Field(min_length=2)
    )
    indicators: Annotated[
        tuple[HexagonIndicator, ...], AfterValidator(Exactly("id", HEXAGON_INDICATORS))
    ] = Field(min_length=6)
    verdicts: Annotated[
        tuple[HexagonVerdict, ...], AfterValidator(Exactly("id", HEXAGON_VERDICTS))
    ] = Field(min_length=3)
    missing: Text = Field(description="shown while ratings are missing; {missing} names them")
    check: Text = Field(description="the feedback's heading")

    def indicator(self, indicator_id: str) -> HexagonIndicator:
        return next(i for i in self.indicators if i.id == indicator_id)

    def verdict(self, verdict_id: str) -> HexagonVerdict:
        return next(v for v in self.verdicts if v.id == verdict_id)


# --------------------------------------------------------------------------- UI texts, plurals

#: CLDR's plural categories, in CLDR's order; a language uses ``other`` and some of the rest.
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


@cache
def plural_categories(lang: str) -> tuple[str, ...]:
    """The plural categories a language's texts need (CLDR rules, via Babel).

    >>> plural_categories("nl"), plural_categories("en")
    (('one', 'other'), ('one', 'other'))
    """
    tags = Locale.parse(lang).plural_form.tags | {"other"}
    return tuple(c for c in PLURAL_CATEGORIES if c in tags)


def plural_category(n: float, lang: str) -> str:
    """The category whose form a count ``n`` takes in ``lang``.

    >>> [plural_category(n, "nl") for n in (0, 1, 2, 1.5)]
    ['other', 'one', 'other', 'other']
    """
    return str(Locale.parse(lang).plural_form(n))


_Nonempty = Annotated[str, Field(min_length=1, pattern=r"\S")]


class PluralForms(_Model):
    """One text per plural category of the language (CLDR: Dutch and English have `one` and
    `other`); the count `{n}` picks the form."""

    zero: _Nonempty | None = None
    one: _Nonempty | None = None
    two: _Nonempty | None = None
    few: _Nonempty | None = None
    many: _Nonempty | None = None
    other: _Nonempty

    def given(self) -> tuple[str, ...]:
        return tuple(c for c in PLURAL_CATEGORIES if getattr(self, c) is not None)

    def form(self, category: str) -> str:
        text = getattr(self, category, None)
        return text if isinstance(text, str) else self.other


# Tags name the two shapes of a UI text in pydantic's error locations (source.validate drops them).
ONE_TEXT, PLURAL = "(one text)", "(plural forms)"


def _ui_shape(value: Any) -> str:
    return PLURAL if isinstance(value, dict | PluralForms) else ONE_TEXT


UiLangText = Annotated[
    Annotated[_Nonempty, Tag(ONE_TEXT)] | Annotated[PluralForms, Tag(PLURAL)],
    Discriminator(_ui_shape),
]


class UiText(_Model):
    """A UI string in both languages: one text, or plural forms picked by the count `{n}`.
    Call it with a language (and the count) to get the string."""

    nl: UiLangText = Field(description="Dutch")
    en: UiLangText = Field(description="English")

    @model_validator(mode="after")
    def _forms_per_language(self) -> Self:
        # Each language gives exactly the forms its CLDR plural rules use, no more, no fewer.
        for lang in LANGS:
            text = getattr(self, lang)
            if isinstance(text, PluralForms) and text.given() != plural_categories(lang):
                raise ValueError(
                    f"{lang}: plural forms must be exactly {', '.join(plural_categories(lang))} "
                    f"(got {', '.join(text.given())})"
                )
        return self

    @property
    def plural(self) -> bool:
        return any(isinstance(getattr(self, lang), PluralForms) for lang in LANGS)

    def forms(self, lang: str) -> tuple[str, ...]:
        """Every form of the text in ``lang`` (one, unless it has plural forms)."""
        text = self.en if lang == "en" else self.nl
        if isinstance(text, PluralForms):
            return tuple(text.form(c) for c in text.given())
        return (text,)

    def __call__(self, lang: str, n: float | None = None) -> str:
        text = self.en if lang == "en" else self.nl
        if isinstance(text, str):
            return text
        return text.form("other" if n is None else plural_category(n, lang))


class UiFile(RootModel[dict[str, UiText]]):
    """content/ui.yaml: every string the apps show, as ``key: {nl: ..., en: ...}``; a text with
    a count gives its plural forms instead, per language, as ``{one: ..., other: ...}`` (the
    categories of the language's CLDR plural rules), and ``{n}`` picks the form."""

    model_config = ConfigDict(frozen=True, defer_build=True)


#: Every file the kit reads, with its model, in the order SCHEMA.md lists them. A ``*`` stands
#: for one file per item, named after its id.
FILES: tuple[tuple[str, type[BaseModel]], ...] = (
    ("phases.yaml", PhasesFile),
    ("factors.yaml", FactorsFile),
    ("scenarios.yaml", ScenariosFile),
    ("quickscan/instrument.yaml", Instrument),
    ("cases/*.yaml", Case),
    ("adaptations.yaml", AdaptationsFile),
    ("interventions/*.yaml", Intervention),
    ("guidance.yaml", GuidanceFile),
    ("checklists.yaml", ChecklistsFile),
    ("costs.yaml", CostsFile),
    ("ui.yaml", UiFile),
    ("glossary.yaml", GlossaryFile),
    ("hexagon.yaml", HexagonFile),
    ("agendas/*.yaml", Agenda),
    ("route.yaml", RouteFile),
)


@dataclass(frozen=True)
class Content:
    """All validated content, in the order the files give."""

    root: Path
    stages: tuple[Named, ...]
    change_model: tuple[ChangePhase, ...]
    phases: tuple[Phase, ...]
    factors: tuple[Factor, ...]
    scenarios: tuple[Scenario, ...]
    instrument: Instrument
    cases: tuple[Case, ...]
    adaptation_types: tuple[AdaptationType, ...]
    interventions: tuple[Intervention, ...]
    ui: Mapping[str, UiText] = field(repr=False)
    guidance: GuidanceFile | None = field(default=None, repr=False)
    checklists: tuple[PhaseChecklist, ...] = field(default=(), repr=False)
    costs: CostsFile | None = field(default=None, repr=False)
    glossary: GlossaryFile | None = field(default=None, repr=False)
    agendas: tuple[Agenda, ...] = field(default=(), repr=False)
    new_element: NewElement | None = field(default=None, repr=False)
    discussion: Discussion | None = field(default=None, repr=False)
    determinants: tuple[Determinant, ...] = field(default=(), repr=False)
    midi_source: str = field(default="", repr=False)
    route: tuple[RouteStep, ...] = field(default=(), repr=False)
    hexagon: HexagonFile | None = field(default=None, repr=False)

    def phase(self, phase_id: str) -> Phase:
        return next(p for p in self.phases if p.id == phase_id)

    def phase_of_activity(self, activity_id: str) -> Phase:
        return next(p for p in self.phases if any(a.id == activity_id for a in p.activities))

    def activity(self, activity_id: str) -> Activity:
        return next(a for p in self.phases for a in p.activities if a.id == activity_id)

    def determinant(self, determinant_id: str) -> Determinant:
        return next(d for d in self.determinants if d.id == determinant_id)

    def factor(self, factor_id: str) -> Factor:
        return next(f for f in self.factors if f.id == factor_id)

    def case(self, case_id: str) -> Case:
        return next(c for c in self.cases if c.id == case_id)

    def intervention(self, intervention_id: str) -> Intervention:
        return next(i for i in self.interventions if i.id == intervention_id)

    def adaptation_type(self, type_id: str) -> AdaptationType:
        return next(t for t in self.adaptation_types if t.id == type_id)

    def change_phase_for(self, phase_id: str) -> ChangePhase | None:
        return next((c for c in self.change_model if c.phase == phase_id), None)

    def agenda(self, agenda_id: str) -> Agenda:
        return next(a for a in self.agendas if a.id == agenda_id)

    def checklist(self, phase_id: str) -> PhaseChecklist:
        return next(c for c in self.checklists if c.phase == phase_id)

    def t(self, key: str, lang: str, **values: object) -> str:
        """A UI string in ``lang`` with ``{placeholders}`` filled in; a text with plural forms
        takes the form for the count ``n`` (CLDR rules: "1 deelnemer", "2 deelnemers")."""
        n = values.get("n")
        count = n if isinstance(n, int | float) else None
        return self.ui[key](lang, count).format(**values)
