"""Load and validate the kit's content (YAML in ``content/``).

Content is data: trainers add a case or an intervention by adding one YAML file. Everything is
validated against explicit pydantic models plus cross-reference rules, and *every* problem is
reported as ``path:line: message`` before anything fails, so a mistyped phase id reads
``content/cases/buurt.yaml:14: unknown phase 'wilen' (known: ontwikkelen, weten, ...)``.

The models are frozen: the rest of the kit treats content as immutable values.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

LANGS: tuple[str, ...] = ("nl", "en")
DEFAULT_LANG = "nl"
CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

Lang = Literal["nl", "en"]
M = TypeVar("M", bound=BaseModel)
#: libyaml's loader when PyYAML was built with it (about ten times faster), else the pure one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Verdict = Literal["green", "amber", "red"]


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True, order=True)
class Problem:
    """One content problem, located in a file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """Raised when content does not validate; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# --------------------------------------------------------------------------- models


class _Model(BaseModel):
    # defer_build: schemas are built on first validation. A kernel that loads content from the
    # pickled cache (see `default_content`) never validates, so it never pays for them.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Text(_Model):
    """A text in both languages. Call it with a language to get the string."""

    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def __call__(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl


Id = Field(pattern=ID_PATTERN)


class Named(_Model):
    id: str = Id
    name: Text


class ChangePhase(Named):
    phase: str


class Activity(_Model):
    id: str = Id
    text: Text
    why: Text


class Phase(Named):
    number: int = Field(ge=0, le=5)
    stage: str
    question: Text
    goal: Text
    signals: tuple[Text, ...] = Field(min_length=3)
    activities: tuple[Activity, ...] = Field(min_length=5)
    pitfalls: tuple[Text, ...] = Field(min_length=3)
    if_too_early: Text


class PhasesFile(_Model):
    stages: tuple[Named, ...] = Field(min_length=1)
    change_model: tuple[ChangePhase, ...] = Field(min_length=1)
    phases: tuple[Phase, ...] = Field(min_length=6, max_length=6)


class Factor(Named):
    description: Text
    promoting: tuple[Text, ...] = Field(min_length=3)
    hindering: tuple[Text, ...] = Field(min_length=3)


class FactorsFile(_Model):
    factors: tuple[Factor, ...] = Field(min_length=1)


class Scenario(_Model):
    id: str = Id
    actor: Literal["team", "organisation", "developer"]
    title: Text
    text: Text
    phase: str
    why: Text


class ScenariosFile(_Model):
    scenarios: tuple[Scenario, ...] = Field(min_length=8)


class ScaleStep(_Model):
    value: int = Field(ge=0)
    label: Text


class Perspective(Named):
    description: Text


class Statement(_Model):
    id: str = Id
    perspective: str
    phase: str
    factor: str
    text: Text
    advice: Text
    activities: tuple[str, ...] = Field(min_length=1)


class Instrument(_Model):
    version: str = Field(min_length=1)
    scale: tuple[ScaleStep, ...] = Field(min_length=2)
    dont_know: Text
    perspectives: tuple[Perspective, ...] = Field(min_length=1)
    statements: tuple[Statement, ...] = Field(min_length=1)

    @property
    def max_value(self) -> int:
        return max(s.value for s in self.scale)

    def statements_for(self, perspective: str) -> tuple[Statement, ...]:
        return tuple(s for s in self.statements if s.perspective == perspective)


class Reference(_Model):
    answers: dict[str, int | None]
    justification: dict[str, Text]


class Case(_Model):
    id: str = Id
    title: Text
    sector: Text
    perspective: str
    summary: Text
    narrative: Text
    reference: Reference


class VerdictRule(_Model):
    verdict: Verdict
    reason: Text


FrameType = Literal[
    "adding",
    "removing",
    "shortening",
    "substituting",
    "reordering",
    "tailoring",
    "integrating",
    "loosening",
    "departing",
    "format",
    "setting",
    "personnel",
    "population",
]


class AdaptationType(Named):
    frame: FrameType
    description: Text
    on_schil: VerdictRule
    on_kern: VerdictRule
    instead: Text | None = None


class AdaptationsFile(_Model):
    types: tuple[AdaptationType, ...] = Field(min_length=1)


class Override(_Model):
    type: str
    verdict: Verdict
    reason: Text


class Element(Named):
    description: Text
    part: Literal["kern", "schil"]
    category: Literal["content", "method", "conditions"]
    why: Text
    overrides: tuple[Override, ...] = ()


class Choice(_Model):
    element: str
    type: str


class Situation(_Model):
    id: str = Id
    text: Text
    good: tuple[Choice, ...] = Field(min_length=1)
    debrief: Text


class Intervention(Named):
    kind: Text
    summary: Text
    elements: tuple[Element, ...] = Field(min_length=6, max_length=10)
    situations: tuple[Situation, ...] = ()

    def element(self, element_id: str) -> Element:
        return next(e for e in self.elements if e.id == element_id)


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
    ui: Mapping[str, Text] = field(repr=False)

    def phase(self, phase_id: str) -> Phase:
        return next(p for p in self.phases if p.id == phase_id)

    def phase_of_activity(self, activity_id: str) -> Phase:
        return next(p for p in self.phases if any(a.id == activity_id for a in p.activities))

    def activity(self, activity_id: str) -> Activity:
        return next(a for p in self.phases for a in p.activities if a.id == activity_id)

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

    def t(self, key: str, lang: str, **values: object) -> str:
        """A UI string in ``lang`` with ``{placeholders}`` filled in."""
        return self.ui[key](lang).format(**values)


# --------------------------------------------------------------------------- YAML with lines


class _Located:
    """A parsed YAML document plus the line of every key and list item in it."""

    def __init__(self, path: Path, rel: str, problems: list[Problem]) -> None:
        self.rel = rel
        self.lines: dict[tuple[Any, ...], int] = {(): 1}
        self.data: Any = None
        self._problems = problems
        if not path.is_file():
            problems.append(Problem(rel, 1, "file is missing"))
            return
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(rel, 1, f"cannot read file: {exc}"))
            return
        try:
            # One parse gives both the node tree (with lines) and the data built from it.
            loader = _Loader(text)
            try:
                node = loader.get_single_node()
                self.data = loader.construct_document(node) if node is not None else None
            finally:
                loader.dispose()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 1
            problems.append(Problem(rel, line, f"not valid YAML: {getattr(exc, 'problem', exc)}"))
            return
        if node is not None:
            self._walk(node, ())

    def _walk(self, node: yaml.Node, path: tuple[Any, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = key_node.value
                line = key_node.start_mark.line + 1
                if key in seen:
                    self._problems.append(Problem(self.rel, line, f"duplicate key '{key}'"))
                seen.add(key)
                self.lines[(*path, key)] = line
                self._walk(value_node, (*path, key))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.lines[(*path, index)] = item.start_mark.line + 1
                self._walk(item, (*path, index))

    def line(self, *path: Any) -> int:
        """The line of ``path``, or of its nearest located parent."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1

    def problem(self, message: str, *path: Any) -> Problem:
        return Problem(self.rel, self.line(*path), message)


def _pydantic_message(error: Mapping[str, Any]) -> str:
    loc = tuple(error["loc"])
    where = ".".join(str(part) for part in loc)
    kind = error["type"]
    if kind == "missing":
        if loc and loc[-1] in LANGS:
            return f"{where}: missing translation '{loc[-1]}'"
        return f"{where}: missing field '{loc[-1]}'" if loc else "missing field"
    if kind == "extra_forbidden":
        return f"{where}: unknown field '{loc[-1]}'"
    if kind == "string_too_short" and loc and loc[-1] in LANGS:
        return f"{where}: empty translation '{loc[-1]}'"
    if kind == "string_pattern_mismatch":
        return f"{where}: ids use lowercase letters, digits and '-' (got {error['input']!r})"
    return f"{where}: {error['msg']}"


def _validate(model: type[M], doc: _Located, problems: list[Problem]) -> M | None:
    if doc.data is None:
        if not any(p.path == doc.rel for p in problems):
            problems.append(doc.problem("file is empty"))
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        for error in exc.errors():
            # Pydantic puts union/branch names into loc; keep only the parts that index the data.
            loc = tuple(
                p
                for p in error["loc"]
                if isinstance(p, int) or not str(p).startswith(("int", "none", "function"))
            )
            problems.append(doc.problem(_pydantic_message({**error, "loc": loc}), *loc))
        return None


def _unknown(kind: str, value: str, known: Iterable[str]) -> str:
    return f"unknown {kind} '{value}' (known: {', '.join(known)})"


def _duplicates(
    doc: _Located, items: Iterable[tuple[str, tuple[Any, ...]]], kind: str
) -> Iterator[Problem]:
    seen: set[str] = set()
    for value, path in items:
        if value in seen:
            yield doc.problem(f"duplicate {kind} id '{value}'", *path)
        seen.add(value)


# --------------------------------------------------------------------------- loading


def check(root: Path | str = CONTENT_DIR) -> tuple[Content | None, list[Problem]]:
    """Validate all content under ``root``; return it (if usable) and every problem."""
    root = Path(root)
    problems: list[Problem] = []

    def doc(rel: str) -> _Located:
        return _Located(root / rel, _display(root / rel), problems)

    phases_doc = doc("phases.yaml")
    phases_file = _validate(PhasesFile, phases_doc, problems)
    factors_doc = doc("factors.yaml")
    factors_file = _validate(FactorsFile, factors_doc, problems)
    scen_doc = doc("scenarios.yaml")
    scenarios_file = _validate(ScenariosFile, scen_doc, problems)
    inst_doc = doc("quickscan/instrument.yaml")
    instrument = _validate(Instrument, inst_doc, problems)
    adapt_doc = doc("adaptations.yaml")
    adaptations = _validate(AdaptationsFile, adapt_doc, problems)
    ui_doc = doc("ui.yaml")
    ui = _check_ui(ui_doc, problems)

    case_docs = [doc(f"cases/{p.name}") for p in _yaml_files(root / "cases")]
    cases = [(d, _validate(Case, d, problems)) for d in case_docs]
    int_docs = [doc(f"interventions/{p.name}") for p in _yaml_files(root / "interventions")]
    interventions = [(d, _validate(Intervention, d, problems)) for d in int_docs]
    if not case_docs:
        problems.append(Problem(_display(root / "cases"), 1, "no case files"))
    if not int_docs:
        problems.append(Problem(_display(root / "interventions"), 1, "no intervention files"))

    phase_ids: list[str] = []
    activity_phase: dict[str, str] = {}
    if phases_file is not None:
        problems += _check_phases(phases_doc, phases_file)
        phase_ids = [p.id for p in phases_file.phases]
        activity_phase = {a.id: p.id for p in phases_file.phases for a in p.activities}
    factor_ids: list[str] = []
    if factors_file is not None:
        factor_ids = [f.id for f in factors_file.factors]
        problems += _duplicates(
            factors_doc, ((f, ("factors", i, "id")) for i, f in enumerate(factor_ids)), "factor"
        )
    if scenarios_file is not None:
        problems += _duplicates(
            scen_doc,
            ((s.id, ("scenarios", i, "id")) for i, s in enumerate(scenarios_file.scenarios)),
            "scenario",
        )
        if phase_ids:
            for i, s in enumerate(scenarios_file.scenarios):
                if s.phase not in phase_ids:
                    problems.append(
                        scen_doc.problem(
                            _unknown("phase", s.phase, phase_ids), "scenarios", i, "phase"
                        )
                    )
    if instrument is not None and phase_ids and factor_ids:
        problems += _check_instrument(inst_doc, instrument, phase_ids, factor_ids, activity_phase)
    for case_doc, case in cases:
        if case is not None and instrument is not None and phase_ids:
            problems += _check_case(case_doc, case, instrument, phase_ids)
    type_ids: list[str] = []
    if adaptations is not None:
        type_ids = [t.id for t in adaptations.types]
        problems += _duplicates(
            adapt_doc, ((t, ("types", i, "id")) for i, t in enumerate(type_ids)), "adaptation type"
        )
    for int_doc, intervention in interventions:
        if intervention is not None and adaptations is not None:
            problems += _check_intervention(int_doc, intervention, type_ids)
    problems += _duplicates_across(cases, "case") + _duplicates_across(
        interventions, "intervention"
    )

    if problems:
        return None, sorted(set(problems))
    assert phases_file and factors_file and scenarios_file and instrument and adaptations and ui
    return (
        Content(
            root=root,
            stages=phases_file.stages,
            change_model=phases_file.change_model,
            phases=phases_file.phases,
            factors=factors_file.factors,
            scenarios=scenarios_file.scenarios,
            instrument=instrument,
            cases=tuple(c for _, c in cases if c is not None),
            adaptation_types=adaptations.types,
            interventions=tuple(i for _, i in interventions if i is not None),
            ui=ui,
        ),
        [],
    )


def load(root: Path | str = CONTENT_DIR) -> Content:
    """Validated content, or :class:`ContentError` listing every problem."""
    content, problems = check(root)
    if content is None:
        raise ContentError(problems)
    return content


@cache
def default_content() -> Content:
    """The kit's content, loaded once per process: ``$KIT_CONTENT_DIR`` if set, else ``content/``.

    A trainer can point ``KIT_CONTENT_DIR`` at a copy of ``content/`` with their own cases.
    Validated content is kept in the user's cache folder, keyed by every file's path, size and
    modification time and by the kit's own code, so each new kernel (one per Voila page) reads it
    back instead of parsing and validating the YAML again; any edit makes a fresh, validated load.
    """
    root = Path(os.environ.get("KIT_CONTENT_DIR") or CONTENT_DIR)
    cached = _cache_path(root)
    if cached is not None and cached.exists():
        try:
            with cached.open("rb") as f:
                content = pickle.load(f)
            if isinstance(content, Content):
                return content
        except Exception:  # a damaged or outdated cache file is just rebuilt
            pass
    content = load(root)
    if cached is not None:
        try:
            tmp = cached.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as f:
                pickle.dump(content, f, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(cached)  # atomic: kernels starting together never read half a file
        except OSError:
            pass
    return content


def _cache_path(root: Path) -> Path | None:
    """Where validated content for ``root`` is cached, or None when there is no cache folder."""
    try:
        from platformdirs import user_cache_dir

        digest = hashlib.sha256()
        code = Path(__file__)
        for path in sorted([code, *root.rglob("*.yaml")]):
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        folder = Path(user_cache_dir("implementatiekit", appauthor=False))
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"content-{digest.hexdigest()[:24]}.pickle"
    except OSError:
        return None


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml")) if folder.is_dir() else []


def _duplicates_across(docs: list[Any], kind: str) -> list[Problem]:
    seen: dict[str, str] = {}
    problems = []
    for doc, item in docs:
        if item is None:
            continue
        if item.id in seen:
            problems.append(
                doc.problem(f"duplicate {kind} id '{item.id}' (also in {seen[item.id]})", "id")
            )
        seen[item.id] = doc.rel
        stem = Path(doc.rel).stem
        if item.id != stem:
            problems.append(doc.problem(f"id '{item.id}' must match the file name '{stem}'", "id"))
    return problems


def _check_ui(doc: _Located, problems: list[Problem]) -> dict[str, Text] | None:
    if not isinstance(doc.data, dict):
        if doc.data is not None:
            problems.append(doc.problem("expected a mapping of key: {nl: ..., en: ...}"))
        else:
            _validate(Text, doc, problems)  # reports "file is empty"
        return None
    ui: dict[str, Text] = {}
    ok = True
    for key, value in doc.data.items():
        try:
            text = Text.model_validate(value)
        except ValidationError as exc:
            ok = False
            for error in exc.errors():
                loc = (key, *error["loc"])
                problems.append(doc.problem(_pydantic_message({**error, "loc": loc}), *loc))
            continue
        names = {lang: set(re.findall(r"{(\w*)}", text(lang))) for lang in LANGS}
        if names["nl"] != names["en"]:
            ok = False
            problems.append(
                doc.problem(
                    f"{key}: placeholders differ: nl {sorted(names['nl'])}, en {sorted(names['en'])}",
                    key,
                )
            )
        ui[key] = text
    return ui if ok else None


def _check_phases(doc: _Located, pf: PhasesFile) -> list[Problem]:
    problems: list[Problem] = []
    stage_ids = [s.id for s in pf.stages]
    phase_ids = [p.id for p in pf.phases]
    problems += _duplicates(
        doc, ((s, ("stages", i, "id")) for i, s in enumerate(stage_ids)), "stage"
    )
    problems += _duplicates(
        doc, ((p, ("phases", i, "id")) for i, p in enumerate(phase_ids)), "phase"
    )
    for i, phase in enumerate(pf.phases):
        if phase.number != i:
            problems.append(
                doc.problem(
                    f"phase '{phase.id}' must have number {i} (phases are listed in order 0-5)",
                    "phases",
                    i,
                    "number",
                )
            )
        if phase.stage not in stage_ids:
            problems.append(
                doc.problem(_unknown("stage", phase.stage, stage_ids), "phases", i, "stage")
            )
    activities = (
        (a.id, ("phases", i, "activities", j, "id"))
        for i, p in enumerate(pf.phases)
        for j, a in enumerate(p.activities)
    )
    problems += _duplicates(doc, activities, "activity")
    mapped: list[int] = []
    for i, change in enumerate(pf.change_model):
        if change.phase not in phase_ids:
            problems.append(
                doc.problem(_unknown("phase", change.phase, phase_ids), "change_model", i, "phase")
            )
        else:
            mapped.append(phase_ids.index(change.phase))
    if mapped != sorted(set(mapped)):
        problems.append(
            doc.problem(
                "change_model must map onto distinct phases, in phase order", "change_model"
            )
        )
    return problems


def _check_instrument(
    doc: _Located,
    inst: Instrument,
    phase_ids: list[str],
    factor_ids: list[str],
    activity_phase: dict[str, str],
) -> list[Problem]:
    problems: list[Problem] = []
    values = [s.value for s in inst.scale]
    if values != list(range(len(values))):
        problems.append(
            doc.problem(f"scale values must be 0, 1, 2, ... in order (got {values})", "scale")
        )
    perspective_ids = [p.id for p in inst.perspectives]
    problems += _duplicates(
        doc, ((p, ("perspectives", i, "id")) for i, p in enumerate(perspective_ids)), "perspective"
    )
    problems += _duplicates(
        doc, ((s.id, ("statements", i, "id")) for i, s in enumerate(inst.statements)), "statement"
    )
    for i, s in enumerate(inst.statements):
        at = ("statements", i)
        if s.perspective not in perspective_ids:
            problems.append(
                doc.problem(
                    _unknown("perspective", s.perspective, perspective_ids), *at, "perspective"
                )
            )
        if s.phase not in phase_ids:
            problems.append(doc.problem(_unknown("phase", s.phase, phase_ids), *at, "phase"))
        if s.factor not in factor_ids:
            problems.append(doc.problem(_unknown("factor", s.factor, factor_ids), *at, "factor"))
        for j, activity in enumerate(s.activities):
            if activity not in activity_phase:
                problems.append(doc.problem(f"unknown activity '{activity}'", *at, "activities", j))
            elif s.phase in phase_ids and activity_phase[activity] != s.phase:
                problems.append(
                    doc.problem(
                        f"activity '{activity}' belongs to phase '{activity_phase[activity]}', not '{s.phase}'",
                        *at,
                        "activities",
                        j,
                    )
                )
    for p in perspective_ids:
        mine = inst.statements_for(p)
        for phase in phase_ids:
            n = sum(1 for s in mine if s.phase == phase)
            if n < 4:
                problems.append(
                    doc.problem(
                        f"perspective '{p}' has {n} statements for phase '{phase}' (at least 4 needed)",
                        "statements",
                    )
                )
        missing = [f for f in factor_ids if not any(s.factor == f for s in mine)]
        if missing:
            problems.append(
                doc.problem(
                    f"perspective '{p}' uses no statement for factor(s) {', '.join(missing)}",
                    "statements",
                )
            )
    return problems


def _check_case(doc: _Located, case: Case, inst: Instrument, phase_ids: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    perspective_ids = [p.id for p in inst.perspectives]
    if case.perspective not in perspective_ids:
        return [
            doc.problem(_unknown("perspective", case.perspective, perspective_ids), "perspective")
        ]
    wanted = [s.id for s in inst.statements_for(case.perspective)]
    for sid, value in case.reference.answers.items():
        at = ("reference", "answers", sid)
        if sid not in wanted:
            problems.append(
                doc.problem(f"unknown statement '{sid}' for perspective '{case.perspective}'", *at)
            )
        if value is not None and not 0 <= value <= inst.max_value:
            problems.append(
                doc.problem(
                    f"answer {value} for '{sid}' is outside the scale 0-{inst.max_value}", *at
                )
            )
    missing = [s for s in wanted if s not in case.reference.answers]
    if missing:
        problems.append(
            doc.problem(
                f"reference answers missing for {', '.join(missing)}", "reference", "answers"
            )
        )
    for pid in case.reference.justification:
        if pid not in phase_ids:
            problems.append(
                doc.problem(_unknown("phase", pid, phase_ids), "reference", "justification", pid)
            )
    absent = [p for p in phase_ids if p not in case.reference.justification]
    if absent:
        problems.append(
            doc.problem(
                f"justification missing for phase(s) {', '.join(absent)}",
                "reference",
                "justification",
            )
        )
    return problems


def _check_intervention(doc: _Located, item: Intervention, type_ids: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    element_ids = [e.id for e in item.elements]
    problems += _duplicates(
        doc, ((e, ("elements", i, "id")) for i, e in enumerate(element_ids)), "element"
    )
    for i, element in enumerate(item.elements):
        for j, override in enumerate(element.overrides):
            if override.type not in type_ids:
                problems.append(
                    doc.problem(
                        _unknown("adaptation type", override.type, type_ids),
                        "elements",
                        i,
                        "overrides",
                        j,
                        "type",
                    )
                )
    for part in ("kern", "schil"):
        if not any(e.part == part for e in item.elements):
            problems.append(doc.problem(f"no element is marked '{part}'", "elements"))
    for i, situation in enumerate(item.situations):
        for j, choice in enumerate(situation.good):
            at = ("situations", i, "good", j)
            if choice.element not in element_ids:
                problems.append(
                    doc.problem(_unknown("element", choice.element, element_ids), *at, "element")
                )
            if choice.type not in type_ids:
                problems.append(
                    doc.problem(_unknown("adaptation type", choice.type, type_ids), *at, "type")
                )
    return problems
