"""Cross-reference rules: what one file says about another (an unknown phase id, a case's answers
against the quickscan), and what holds across files.

Each rule is a small named function, registered in :data:`RULES` by :func:`rule` with the files
it checks; its docstring says what it checks, and ``content/SCHEMA.md`` is generated from it. A
rule reads :class:`Found`, whatever validated of every file, so a structural mistake in one place
hides no cross-reference problem elsewhere. Ids it compares against are read from the raw YAML.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, RootModel

from kit.content.models import (
    LANGS,
    QUOTE_GAP,
    AdaptationType,
    Agenda,
    Aspect,
    Case,
    ChangePhase,
    Element,
    GlossaryTerm,
    GuidanceExample,
    Intervention,
    Phase,
    Reference,
    ScaleStep,
    Scenario,
    Situation,
    Statement,
    Step,
    Text,
    UiText,
    resolve_aspects,
)
from kit.content.source import Problem, Source, View

#: At least this many interventions, so the kern-en-schil exercise has a choice.
MIN_INTERVENTIONS = 3


@dataclass(frozen=True)
class Found:
    """What validated of every content file, for the rules to read."""

    docs: tuple[Source, ...]
    phases: View[Any]
    factors: View[Any]
    scenarios: View[Any]
    instrument: View[Any]
    adaptations: View[Any]
    guidance: View[Any]
    glossary: View[Any]
    ui: View[Any]
    checklists: View[Any]
    costs: View[Any]
    cases: tuple[View[Case], ...]
    interventions: tuple[View[Intervention], ...]
    cases_dir: str
    interventions_dir: str
    agendas: tuple[View[Agenda], ...] = ()
    agendas_dir: str = "agendas"

    def phase_ids(self) -> list[str]:
        return self.phases.id_list("phases", "*")


Check = Callable[[Found], Iterable[Problem]]


@dataclass(frozen=True)
class Rule:
    name: str
    files: tuple[str, ...]  # keys of models.FILES; "*" = every file
    description: str
    check: Check


RULES: list[Rule] = []


def rule(*files: str, description: str | None = None) -> Callable[[Check], Check]:
    """Register a rule over ``files``; its docstring (or ``description``) says what it checks.

    Called after each rule's function (``rule("phases.yaml")(phase_stage_known)``), not as a
    decorator: ``make mutation`` leaves decorated functions alone (docs/mutation.md)."""

    def register(check: Check) -> Check:
        text = description or inspect.cleandoc(check.__doc__ or "")
        RULES.append(Rule(check.__name__, files, text, check))
        return check

    return register


def _unknown(kind: str, value: str, known: Iterable[str]) -> str:
    return f"unknown {kind} '{value}' (known: {', '.join(known)})"


def _views(found: Found, name: str) -> tuple[View[Any], ...]:
    views = getattr(found, name)
    return views if isinstance(views, tuple) else (views,)


# --------------------------------------------------------------------------- every file


def file_comment(found: Found) -> Iterator[Problem]:
    """Every file opens with a `#` comment saying what its fields mean."""
    for doc in found.docs:
        if doc.data is not None and not doc.commented:
            yield doc.problem("start the file with a '#' comment saying what its fields mean")


rule("*")(file_comment)


#: (file, where the ids are, what they are called): ids unique within that place.
UNIQUE: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("phases", "phases.yaml", ("stages", "*"), "stage"),
    ("phases", "phases.yaml", ("phases", "*"), "phase"),
    ("phases", "phases.yaml", ("phases", "*", "activities", "*"), "activity"),
    ("factors", "factors.yaml", ("factors", "*"), "factor"),
    ("scenarios", "scenarios.yaml", ("scenarios", "*"), "scenario"),
    ("instrument", "quickscan/instrument.yaml", ("perspectives", "*"), "perspective"),
    ("instrument", "quickscan/instrument.yaml", ("statements", "*"), "statement"),
    ("adaptations", "adaptations.yaml", ("aspects", "*"), "aspect"),
    ("adaptations", "adaptations.yaml", ("types", "*"), "adaptation type"),
    ("costs", "costs.yaml", ("sources", "*"), "source"),
    ("costs", "costs.yaml", ("categories", "*"), "cost category"),
    ("costs", "costs.yaml", ("routes", "*"), "funding route"),
    ("guidance", "guidance.yaml", ("sources", "*"), "source"),
    ("guidance", "guidance.yaml", ("examples", "*"), "guidance example"),
    ("interventions", "interventions/*.yaml", ("elements", "*"), "element"),
    ("interventions", "interventions/*.yaml", ("situations", "*"), "situation"),
)


def unique_ids(file: str) -> Check:
    """The rule that ids are unique in the places :data:`UNIQUE` lists for ``file``."""
    places = [(attr, where, kind) for attr, f, where, kind in UNIQUE if f == file]

    def check(found: Found) -> Iterator[Problem]:
        for attr, where, kind in places:
            for view in _views(found, attr):
                seen: set[str] = set()
                for value, path in view.ids(*where):
                    if value in seen:
                        yield view.doc.problem(f"duplicate {kind} id '{value}'", *path)
                    seen.add(value)

    return check


for _file in dict.fromkeys(f for _, f, _, _ in UNIQUE):
    RULES.append(
        Rule(
            "unique_ids",
            (_file,),
            "Ids are unique: "
            + "; ".join(
                f"{kind} ids in `{'.'.join(where)}`" for _, f, where, kind in UNIQUE if f == _file
            )
            + ".",
            unique_ids(_file),
        )
    )


# --------------------------------------------------------------------------- phases, scenarios


def phase_stage_known(found: Found) -> Iterator[Problem]:
    """Each phase's `stage` is a stage id."""
    stage_ids = found.phases.id_list("stages", "*")
    for phase in found.phases.items("phases", Phase):
        if stage_ids and phase.value.stage not in stage_ids:
            yield phase.problem(_unknown("stage", phase.value.stage, stage_ids), "stage")


rule("phases.yaml")(phase_stage_known)


def change_model_maps_onto_phases(found: Found) -> Iterator[Problem]:
    """Each change phase's `phase` is a phase id; together they map onto the phases numbered
    1-5, one each, in order."""
    phase_ids = found.phase_ids()
    if not phase_ids:
        return
    mapped = []
    for change in found.phases.items("change_model", ChangePhase):
        if change.value.phase not in phase_ids:
            yield change.problem(_unknown("phase", change.value.phase, phase_ids), "phase")
        mapped.append(change.value.phase)
    if mapped and all(m in phase_ids for m in mapped) and mapped != phase_ids[1:]:
        yield found.phases.problem(
            f"change_model must map onto {', '.join(phase_ids[1:])}, one each, in this order",
            "change_model",
        )


rule("phases.yaml")(change_model_maps_onto_phases)


def activity_texts_distinct(found: Found) -> Iterator[Problem]:
    """No two activities share a `needs` or a `why` (in either language, ignoring case and
    spacing): the feedback on a chosen activity must be about that activity, not a copy."""
    seen: dict[tuple[str, str, str], str] = {}
    for phase in found.phases.items("phases", Phase):
        for i, activity in enumerate(phase.value.activities):
            for name in ("needs", "why"):
                text: Text = getattr(activity, name)
                for lang in LANGS:
                    key = (name, lang, " ".join(text(lang).casefold().split()))
                    if key in seen:
                        yield phase.problem(
                            f"activity '{activity.id}' has the same {name} ({lang}) as "
                            f"activity '{seen[key]}'; write one about this activity",
                            "activities",
                            i,
                            name,
                            lang,
                        )
                        break
                    seen[key] = activity.id


rule("phases.yaml")(activity_texts_distinct)


def scenario_phases(found: Found) -> Iterator[Problem]:
    """Each scenario's `phase` is a phase id, and every phase has a scenario."""
    phase_ids = found.phase_ids()
    if not phase_ids:
        return
    scenarios = found.scenarios.items("scenarios", Scenario)
    for s in scenarios:
        if s.value.phase not in phase_ids:
            yield s.problem(_unknown("phase", s.value.phase, phase_ids), "phase")
    raw = found.scenarios.get("scenarios")
    if raw is not None:  # only a complete list can lack a phase
        unused = [p for p in phase_ids if not any(s.value.phase == p for s in scenarios)]
        if unused:
            yield found.scenarios.problem(
                f"no scenario for phase(s) {', '.join(unused)}", "scenarios"
            )


rule("scenarios.yaml")(scenario_phases)


# --------------------------------------------------------------------------- quickscan


def statement_references(found: Found) -> Iterator[Problem]:
    """Each statement's `perspective`, `phase`, `factor` and `determinant` are ids from this
    file, phases.yaml and factors.yaml (a MIDI determinant: every statement names one); its
    `activities` are activity ids of the statement's own phase."""
    inst = found.instrument
    perspective_ids = inst.id_list("perspectives", "*")
    phase_ids = found.phase_ids()
    factor_ids = found.factors.id_list("factors", "*")
    determinant_ids = found.factors.id_list("determinants", "*")
    phase_at = {path[1]: phase for phase, path in found.phases.ids("phases", "*")}
    activity_phase = {
        activity: phase_at.get(path[1], "")
        for activity, path in found.phases.ids("phases", "*", "activities", "*")
    }
    for s in inst.items("statements", Statement):
        st = s.value
        for kind, value, known in (
            ("perspective", st.perspective, perspective_ids),
            ("phase", st.phase, phase_ids),
            ("factor", st.factor, factor_ids),
            ("determinant", st.determinant, determinant_ids),
        ):
            if known and value not in known:
                yield s.problem(_unknown(kind, value, known), kind)
        if not activity_phase:
            continue
        for j, activity in enumerate(st.activities):
            if activity not in activity_phase:
                yield s.problem(f"unknown activity '{activity}'", "activities", j)
            elif st.phase in phase_ids and activity_phase[activity] != st.phase:
                yield s.problem(
                    f"activity '{activity}' belongs to phase '{activity_phase[activity]}', not '{st.phase}'",
                    "activities",
                    j,
                )


rule("quickscan/instrument.yaml", "factors.yaml")(statement_references)


def statement_coverage(found: Found) -> Iterator[Problem]:
    """Every perspective has a statement in every phase for every factor (so the phase ×
    factor view has no empty cell)."""
    statements = found.instrument.get("statements")
    if statements is None:  # counts mean little over a partial list
        return
    phase_ids = found.phase_ids()
    factor_ids = found.factors.id_list("factors", "*")
    for p in found.instrument.id_list("perspectives", "*"):
        mine = {(s.phase, s.factor) for s in statements if s.perspective == p}
        for phase in phase_ids:
            missing = [f for f in factor_ids if (phase, f) not in mine]
            if missing:
                yield found.instrument.problem(
                    f"perspective '{p}' has no statement in phase '{phase}' for factor(s) "
                    f"{', '.join(missing)}",
                    "statements",
                )


rule("quickscan/instrument.yaml")(statement_coverage)


# --------------------------------------------------------------------------- cases


def file_ids(found: Found) -> Iterator[Problem]:
    """A case's, intervention's or agenda's `id` equals its file name; there is at least one case,
    one agenda and at least three interventions."""
    for views, kind, folder, least in (
        (found.cases, "case", found.cases_dir, 1),
        (found.interventions, "intervention", found.interventions_dir, MIN_INTERVENTIONS),
        (found.agendas, "agenda", found.agendas_dir, 1),
    ):
        if len(views) < least:
            yield Problem(folder, 1, f"needs at least {least} {kind} file(s), found {len(views)}")
        seen: dict[str, str] = {}
        for view in views:
            item_id = view.get("id")
            if item_id is None:
                continue
            if item_id in seen:
                yield view.problem(
                    f"duplicate {kind} id '{item_id}' (also in {seen[item_id]})", "id"
                )
            seen[item_id] = view.doc.rel
            stem = Path(view.doc.rel).stem
            if item_id != stem:
                yield view.problem(f"id '{item_id}' must match the file name '{stem}'", "id")


rule("cases/*.yaml", "interventions/*.yaml", "agendas/*.yaml")(file_ids)


def _readings(case: View[Case]) -> Iterator[View[Reference]]:
    """Each reference reading of a case as a view of its own (valid or not, with its place)."""
    raw = case.raw.get("references") if isinstance(case.raw, dict) else None
    valid = case.value.references if case.value is not None else None
    for i, item in enumerate(raw if isinstance(raw, list) else []):
        view = View(Reference, case.doc, item, value=valid[i] if valid is not None else None)
        view.at = (*case.at, "references", i)
        yield view


def case_reference(found: Found) -> Iterator[Problem]:
    """Each reference reading's `perspective` is a perspective id, used by one reading of the
    case only; it scores every statement of that perspective (and no other) with a value on the
    scale or null; it justifies every phase (and no other)."""
    inst = found.instrument
    perspective_ids = inst.id_list("perspectives", "*")
    statements = inst.items("statements", Statement)
    scale = [s.value.value for s in inst.items("scale", ScaleStep)]
    phase_ids = found.phase_ids()
    for case in found.cases:
        seen: set[str] = set()
        for ref in _readings(case):
            perspective = ref.get("perspective")
            if perspective in seen:
                yield ref.problem(
                    f"a second reading from perspective '{perspective}'", "perspective"
                )
            seen.add(perspective)
            if perspective is not None and perspective_ids:
                if perspective not in perspective_ids:
                    yield ref.problem(
                        _unknown("perspective", perspective, perspective_ids), "perspective"
                    )
                elif inst.get("statements") is not None:
                    wanted = [s.value.id for s in statements if s.value.perspective == perspective]
                    written = ref.keys("scoring")
                    for sid in written:
                        if sid not in wanted:
                            yield ref.problem(
                                f"unknown statement '{sid}' for perspective '{perspective}'",
                                "scoring",
                                sid,
                            )
                    missing = [s for s in wanted if s not in written]
                    if missing:
                        yield ref.problem(
                            f"reference answers missing for {', '.join(missing)}", "scoring"
                        )
            for sid, answer in ref.entries("scoring").items():
                value = answer.value.value
                if value is not None and scale and not 0 <= value <= max(scale):
                    yield answer.problem(
                        f"answer {value} for '{sid}' is outside the scale 0-{max(scale)}", "value"
                    )
            if phase_ids and isinstance(ref.raw, dict) and "justification" in ref.raw:
                justified = ref.keys("justification")
                for pid in justified:
                    if pid not in phase_ids:
                        yield ref.problem(_unknown("phase", pid, phase_ids), "justification", pid)
                absent = [p for p in phase_ids if p not in justified]
                if absent:
                    yield ref.problem(
                        f"justification missing for phase(s) {', '.join(absent)}", "justification"
                    )


rule("cases/*.yaml")(case_reference)


def _spaced(text: str) -> str:
    return " ".join(text.split())


def reference_evidence(found: Found) -> Iterator[Problem]:
    for case in found.cases:
        narrative: Text | None = case.get("narrative")
        if narrative is None:
            continue
        texts = {lang: _spaced(narrative(lang)) for lang in LANGS}
        for ref in _readings(case):
            for sid, answer in ref.entries("scoring").items():
                evidence: Text | None = answer.value.evidence
                if evidence is None:
                    continue
                for lang in LANGS:
                    for quote in map(_spaced, evidence(lang).split(QUOTE_GAP)):
                        if quote and quote not in texts[lang]:
                            yield answer.problem(
                                f"evidence for '{sid}' is not in the {lang} narrative: \"{quote}\"",
                                "evidence",
                                lang,
                            )


rule(
    "cases/*.yaml",
    description="Each quote in a reference answer's `evidence` occurs word for word in the case's "
    f"`narrative` in the same language (line breaks and runs of spaces aside); quotes joined by "
    f"` {QUOTE_GAP} ` are looked up one by one.",
)(reference_evidence)


# --------------------------------------------------------------------------- adaptations


def resolved_types(found: Found) -> tuple[AdaptationType, ...]:
    """The adaptation types that validated and whose aspect is known, with it resolved (a type
    whose `touches` names no aspect has no verdict: :func:`adaptation_aspects` reports it)."""
    if found.adaptations.value is not None:
        types = list(found.adaptations.value.types)
    else:
        aspects = [a.value for a in found.adaptations.items("aspects", Aspect)]
        types = [t.value for t in found.adaptations.items("types", AdaptationType)]
        resolve_aspects(types, aspects)
    return tuple(t for t in types if t._aspect is not None)


def adaptation_aspects(found: Found) -> Iterator[Problem]:
    """Each type's `touches` is an aspect id; a type whose aspect is red on a kern or schil
    element gives `instead`, an alternative."""
    aspects = {a.value.id: a.value for a in found.adaptations.items("aspects", Aspect)}
    raw = found.adaptations.get("aspects")
    for i, part in enumerate(found.adaptations.items("types", AdaptationType)):
        kind = part.value
        aspect = aspects.get(kind.touches)
        if aspect is None:
            if raw is not None:
                yield part.problem(_unknown("aspect", kind.touches, aspects), "touches")
            continue
        red = [
            side
            for side in ("on_schil", "on_kern", "on_mechanism")
            if getattr(aspect, side) is not None and getattr(aspect, side).verdict == "red"
        ]
        if red and kind.instead is None:
            yield part.problem(
                f"types.{i}: {' and '.join(red)} is red: give 'instead', an alternative"
            )


rule("adaptations.yaml")(adaptation_aspects)


def guidance_matches_the_kit(found: Found) -> Iterator[Problem]:
    """Each guidance example's `source` is a source id and `maps.type` an adaptation type id;
    it gives `kit_differs_because` exactly when the kit's general verdict for `maps` (by
    `kit.adaptations.general_verdict`, or the aspect's `on_mechanism` verdict when `maps` has
    `order_is_mechanism`) differs from the published `colour`; `order_is_mechanism` is set only
    with part kern and a type whose aspect gives `on_mechanism`."""
    source_ids = found.guidance.id_list("sources", "*")
    types = {t.id: t for t in resolved_types(found)}
    type_ids = found.adaptations.id_list("types", "*")
    for example in found.guidance.items("examples", GuidanceExample):
        ex = example.value
        if source_ids and ex.source not in source_ids:
            yield example.problem(_unknown("source", ex.source, source_ids), "source")
        if type_ids and ex.maps.type not in type_ids:
            yield example.problem(
                _unknown("adaptation type", ex.maps.type, type_ids), "maps", "type"
            )
        kind = types.get(ex.maps.type)
        if kind is None:
            continue
        if ex.maps.order_is_mechanism and (
            ex.maps.part != "kern" or kind.aspect.on_mechanism is None
        ):
            yield example.problem(
                "order_is_mechanism is for a kern element and a type whose aspect gives "
                f"'on_mechanism'; '{ex.maps.type}' on {ex.maps.part} would ignore it",
                "maps",
                "order_is_mechanism",
            )
        verdict = kind.rule(ex.maps.part, ex.maps.order_is_mechanism).verdict
        if verdict != ex.colour and ex.kit_differs_because is None:
            yield example.problem(
                f"the kit says {verdict} where the source says {ex.colour}: change the model, "
                "or say in 'kit_differs_because' why the kit deliberately differs",
                "colour",
            )
        if verdict == ex.colour and ex.kit_differs_because is not None:
            yield example.problem(
                f"'kit_differs_because' is given, but the kit agrees ({verdict})",
                "kit_differs_because",
            )


rule("guidance.yaml", "adaptations.yaml")(guidance_matches_the_kit)


# --------------------------------------------------------------------------- interventions


def intervention_references(found: Found) -> Iterator[Problem]:
    """Every `type` in an element's overrides and a situation's good choices is an adaptation
    type id; every `element` of a good choice is an element of the same intervention or the
    new element of adaptations.yaml, whose id no element uses; `order_is_mechanism` is set only
    on a kern element, and only when an aspect gives `on_mechanism`."""
    type_ids = found.adaptations.id_list("types", "*")
    new = found.adaptations.get("new_element")
    new_id: str | None = new.id if new is not None else None
    judged = any(a.value.on_mechanism for a in found.adaptations.items("aspects", Aspect))
    for view in found.interventions:
        element_ids = view.id_list("elements", "*")
        for element in view.items("elements", Element):
            if new_id is not None and element.value.id == new_id:
                yield element.problem(
                    f"'{new_id}' is the id of adaptations.yaml's new_element: choose another",
                    "id",
                )
            if element.value.order_is_mechanism and element.value.part != "kern":
                yield element.problem(
                    "order_is_mechanism is for kern elements: a schil element carries no mechanism",
                    "order_is_mechanism",
                )
            elif element.value.order_is_mechanism and not judged:
                yield element.problem(
                    "order_is_mechanism is set, but no aspect in adaptations.yaml gives "
                    "'on_mechanism'",
                    "order_is_mechanism",
                )
            for j, override in enumerate(element.value.overrides):
                if type_ids and override.type not in type_ids:
                    yield element.problem(
                        _unknown("adaptation type", override.type, type_ids), "overrides", j, "type"
                    )
        for situation in view.items("situations", Situation):
            for j, choice in enumerate(situation.value.good):
                if element_ids and choice.element not in element_ids and choice.element != new_id:
                    yield situation.problem(
                        _unknown("element", choice.element, element_ids), "good", j, "element"
                    )
                if type_ids and choice.type not in type_ids:
                    yield situation.problem(
                        _unknown("adaptation type", choice.type, type_ids), "good", j, "type"
                    )


rule("interventions/*.yaml", "adaptations.yaml")(intervention_references)


# --------------------------------------------------------------------------- agendas


def agenda_references(found: Found) -> Iterator[Problem]:
    """An agenda's step ids are unique; what a step names exists (scenario, activity,
    intervention with its element, adaptation type, statement); a results step shows an earlier
    poll or exercise."""
    scenarios = found.scenarios.id_list("scenarios", "*")
    activities = found.phases.id_list("phases", "*", "activities", "*")
    statements = found.instrument.id_list("statements", "*")
    types = [t.id for t in resolved_types(found)]
    interventions = {v.value.id: v.value for v in found.interventions if v.value is not None}
    for view in found.agendas:
        earlier: dict[str, str] = {}  # step id -> kind, of the steps before this one
        for step in view.items("steps", Step):
            value = step.value
            if value.id in earlier:
                yield step.problem(f"duplicate step id '{value.id}'", "id")
            for name, known in (
                ("scenario", scenarios),
                ("activity", activities),
                ("statement", statements),
                ("type", types),
                ("intervention", list(interventions)),
            ):
                ref = getattr(value, name)
                if ref is not None and known and ref not in known:
                    yield step.problem(_unknown(name, ref, known), name)
            item = interventions.get(value.intervention or "")
            if item is not None and value.element is not None:
                elements = [e.id for e in item.elements]
                if value.element not in elements:
                    yield step.problem(
                        _unknown(f"element of {item.id}", value.element, elements), "element"
                    )
            if value.of is not None and earlier.get(value.of) not in ("poll", "exercise"):
                yield step.problem(
                    f"results of '{value.of}': not an earlier poll or exercise of this agenda",
                    "of",
                )
            earlier[value.id] = value.kind


rule("agendas/*.yaml")(agenda_references)


# --------------------------------------------------------------------------- ui


def ui_placeholders(found: Found) -> Iterator[Problem]:
    """A UI string has the same `{placeholders}` in both languages and in every plural form; a
    string with plural forms has the count `{n}` that picks the form."""
    for key, entry in found.ui.entries("root").items():
        text: UiText = entry.value
        names = {
            f"{lang} {form}" if text.plural else lang: set(re.findall(r"{(\w*)}", form))
            for lang in LANGS
            for form in text.forms(lang)
        }
        variants = {frozenset(v) for v in names.values()}
        if len(variants) > 1:
            if text.plural:
                shown = "; ".join(f"{where!r}: {sorted(v)}" for where, v in names.items())
                yield entry.problem(f"{key}: placeholders differ between forms: {shown}")
            else:
                yield entry.problem(
                    f"{key}: placeholders differ: nl {sorted(names['nl'])}, en {sorted(names['en'])}"
                )
        elif text.plural and "n" not in next(iter(variants)):
            yield entry.problem(f"{key}: plural forms need the count {{n}} that picks the form")


rule("ui.yaml")(ui_placeholders)


# --------------------------------------------------------------------------- glossary


def _texts(value: Any, at: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Text | UiText]]:
    """Every text in a validated value, with its place in the file."""
    if isinstance(value, Text | UiText):
        yield at, value
    elif isinstance(value, BaseModel):
        if isinstance(value, RootModel):
            yield from _texts(value.root, at)
            return
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), (*at, name))
    elif isinstance(value, tuple | list):
        for i, item in enumerate(value):
            yield from _texts(item, (*at, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*at, key))


def _glossary_terms(found: Found) -> list[GlossaryTerm]:
    return [t.value for t in found.glossary.items("terms", GlossaryTerm)]


def glossary_followed(found: Found) -> Iterator[Problem]:
    terms = _glossary_terms(found)
    if not terms:
        return
    views = [
        found.phases,
        found.factors,
        found.scenarios,
        found.instrument,
        found.adaptations,
        found.guidance,
        found.ui,
        found.checklists,
        found.costs,
        *found.cases,
        *found.interventions,
    ]
    flags = re.IGNORECASE
    # Compiled once: the rule looks at every text of every file (thousands) for every term.
    compiled = [
        (
            term,
            re.compile(term.nl_match, flags),
            re.compile(term.en_match, flags),
            [re.compile(a, flags) for a in term.avoid],
        )
        for term in terms
    ]
    # Most texts name no term: one search each for "any Dutch term" and "any word to avoid"
    # passes over them.
    any_nl = re.compile("|".join(f"(?:{t.nl_match})" for t in terms), flags)
    avoids = [a for t in terms for a in t.avoid]
    any_avoid = re.compile("|".join(f"(?:{a})" for a in avoids), flags) if avoids else None
    for view in views:
        if view.value is None:
            continue
        for at, text in _texts(view.value, ()):
            # Placeholders ({kern}) are names for the code, not words the reader sees.
            nl, en = (
                re.sub(
                    r"{\w*}", "", " ".join(t.forms(lang) if isinstance(t, UiText) else [t(lang)])
                )
                for t, lang in ((text, "nl"), (text, "en"))
            )
            if not any_nl.search(nl) and not (any_avoid and any_avoid.search(en)):
                continue
            where = ".".join(map(str, at))
            for term, nl_match, en_match, avoid_matches in compiled:
                said = nl_match.search(nl)
                if said and not en_match.search(en):
                    yield view.doc.problem(
                        f"{where}: the Dutch says '{said.group()}', so the English should say "
                        f"'{term.term('en')}' (glossary: {term.id})",
                        *at,
                        "en",
                    )
                for avoid in avoid_matches:
                    wrong = avoid.search(en)
                    if wrong:
                        yield view.doc.problem(
                            f"{where}: English '{wrong.group()}' is not in the glossary: say "
                            f"'{term.term('en')}' (glossary: {term.id})",
                            *at,
                            "en",
                        )


rule(
    "glossary.yaml",
    description="Every text of every file follows the glossary: where the Dutch uses a term "
    "(`nl_match`), the English of the same text says it the glossary's way (`en_match`); no "
    "English text uses a rendering the glossary says to `avoid`.",
)(glossary_followed)


# --------------------------------------------------------------------------- take-home and money


def cost_references(found: Found) -> Iterator[Problem]:
    """Every activity of a cost category is an activity id, listed under one category only;
    every route's `source` and `also` are source ids."""
    activity_ids = found.phases.id_list("phases", "*", "activities", "*")
    seen: dict[str, str] = {}
    raw = found.costs.raw if isinstance(found.costs.raw, dict) else {}
    for i, category in enumerate(_raw_list(raw, "categories")):
        if not isinstance(category, dict):
            continue
        for j, activity in enumerate(category.get("activities") or ()):
            where = ("categories", i, "activities", j)
            if activity_ids and activity not in activity_ids:
                yield found.costs.problem(_unknown("activity", str(activity), activity_ids), *where)
            elif activity in seen:
                yield found.costs.problem(
                    f"activity '{activity}' is already under category '{seen[activity]}'", *where
                )
            else:
                seen[str(activity)] = str(category.get("id"))
    source_ids = found.costs.id_list("sources", "*")
    for i, route in enumerate(_raw_list(raw, "routes")):
        if not isinstance(route, dict) or not source_ids:
            continue
        if route.get("source") not in source_ids:
            yield found.costs.problem(
                _unknown("source", str(route.get("source")), source_ids), "routes", i, "source"
            )
        also = route.get("also")
        for j, source in enumerate(also if isinstance(also, list) else []):
            if source not in source_ids:
                yield found.costs.problem(
                    _unknown("source", str(source), source_ids), "routes", i, "also", j
                )


rule("costs.yaml")(cost_references)


def _raw_list(raw: dict[str, Any], name: str) -> list[Any]:
    items = raw.get(name)
    return items if isinstance(items, list) else []


# --------------------------------------------------------------------------- language

#: A phrase is this many opening words; more than :data:`MAX_SAME_OPENING` texts of one kind
#: that open with the same phrase read as a template (19 verdicts opening "Dit rust op …").
OPENING_WORDS = 3
MAX_SAME_OPENING = 3


def _opening(text: str) -> str | None:
    """The first :data:`OPENING_WORDS` words of ``text``, lower case and without punctuation, or
    None for a text shorter than that.

    >>> _opening("Dit rust op de dosis.")
    'dit rust op'
    >>> _opening("Kort.") is None
    True
    """
    words = re.findall(r"[\w'’-]+", text.casefold())
    return " ".join(words[:OPENING_WORDS]) if len(words) >= OPENING_WORDS else None


def _kind(at: tuple[Any, ...]) -> str:
    """A text's kind: its place with the list positions left out (`aspects.*.on_kern.reason`)."""
    return ".".join("*" if isinstance(p, int) else str(p) for p in at)


@rule(
    "*",
    description="No phrase (the first three words, in either language) opens more than three "
    "texts of one kind in a file, such as the kern reasons of `adaptations.yaml`: vary the "
    "openings so a series of texts does not read as one template. The quickscan is not checked "
    "yet: its statements are reworded in a later round.",
)
def openings_vary(found: Found) -> Iterator[Problem]:
    views = [
        found.phases,
        found.factors,
        found.scenarios,
        found.adaptations,
        found.guidance,
        found.checklists,
        found.costs,
        found.glossary,
        found.instrument,
        *found.cases,
        *found.interventions,
        *found.agendas,
    ]
    for view in views:
        if view.value is None:
            continue
        places: dict[tuple[str, str, str], list[tuple[Any, ...]]] = {}
        for at, text in _texts(view.value, ()):
            if not isinstance(text, Text):
                continue
            for lang in LANGS:
                opening = _opening(text(lang))
                if opening is not None:
                    places.setdefault((_kind(at), lang, opening), []).append(at)
        for (kind, lang, opening), where in places.items():
            if len(where) > MAX_SAME_OPENING:
                for at in where:
                    yield view.doc.problem(
                        f"'{opening} …' opens {len(where)} texts of the kind {kind} ({lang}); "
                        f"at most {MAX_SAME_OPENING} may share an opening: vary it",
                        *at,
                        lang,
                    )
