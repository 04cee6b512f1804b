"""Where content lives, checking it (every problem, located), loading it, and the per-user cache
that lets each new kernel skip parsing and validation."""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from kit.content.models import (
    AdaptationsFile,
    Agenda,
    Case,
    ChecklistsFile,
    Content,
    CostsFile,
    FactorsFile,
    GlossaryFile,
    GuidanceFile,
    HexagonFile,
    Instrument,
    Intervention,
    PhasesFile,
    RouteFile,
    ScenariosFile,
    UiFile,
)
from kit.content.rules import RULES, Found, Rule
from kit.content.source import ContentError, Problem, Source, display, validate
from kit.locations import content_dir

# --------------------------------------------------------------------------- where content lives

#: The kit's own content folder: packaged in a wheel, ``content/`` in a checkout.
CONTENT_DIR = content_dir()


def content_root() -> Path:
    """The content the apps show: ``$KIT_CONTENT_DIR`` if set, else :data:`CONTENT_DIR`.

    A trainer can point ``KIT_CONTENT_DIR`` at a copy of ``content/`` with their own cases."""
    return Path(os.environ.get("KIT_CONTENT_DIR") or CONTENT_DIR)


# --------------------------------------------------------------------------- checking


def check(
    root: Path | str = CONTENT_DIR, rules: Sequence[Rule] = RULES
) -> tuple[Content | None, list[Problem]]:
    """Validate all content under ``root``; return it (if usable) and every problem.

    Every file is validated in full (all pydantic errors), then every rule in ``rules`` (the
    content's own :data:`kit.content.rules.RULES`; :func:`kit.checks.check` adds the rules that
    need the logic built on content) runs over whatever parts validated."""
    root = Path(root)
    problems: list[Problem] = []

    def doc(rel: str) -> Source:
        return Source(root / rel, display(root / rel), problems)

    docs: list[Source] = []

    def read(rel: str) -> Source:
        docs.append(doc(rel))
        return docs[-1]

    phases = validate(PhasesFile, read("phases.yaml"), problems)
    factors = validate(FactorsFile, read("factors.yaml"), problems)
    scenarios = validate(ScenariosFile, read("scenarios.yaml"), problems)
    instrument = validate(Instrument, read("quickscan/instrument.yaml"), problems)
    adaptations = validate(AdaptationsFile, read("adaptations.yaml"), problems)
    ui = validate(UiFile, read("ui.yaml"), problems)
    guidance = validate(GuidanceFile, read("guidance.yaml"), problems)
    checklists = validate(ChecklistsFile, read("checklists.yaml"), problems)
    costs = validate(CostsFile, read("costs.yaml"), problems)
    glossary = validate(GlossaryFile, read("glossary.yaml"), problems)
    route = validate(RouteFile, read("route.yaml"), problems)
    hexagon = validate(HexagonFile, read("hexagon.yaml"), problems)
    cases = tuple(
        validate(Case, read(f"cases/{p.name}"), problems) for p in _yaml_files(root / "cases")
    )
    interventions = tuple(
        validate(Intervention, read(f"interventions/{p.name}"), problems)
        for p in _yaml_files(root / "interventions")
    )
    agendas = tuple(
        validate(Agenda, read(f"agendas/{p.name}"), problems) for p in _yaml_files(root / "agendas")
    )
    found = Found(
        docs=tuple(docs),
        phases=phases,
        factors=factors,
        scenarios=scenarios,
        instrument=instrument,
        adaptations=adaptations,
        ui=ui,
        guidance=guidance,
        checklists=checklists,
        costs=costs,
        glossary=glossary,
        cases=cases,
        interventions=interventions,
        cases_dir=display(root / "cases"),
        interventions_dir=display(root / "interventions"),
        agendas=agendas,
        agendas_dir=display(root / "agendas"),
    )
    for rule in rules:
        problems.extend(rule.check(found))

    if problems:
        return None, sorted(set(problems))
    assert phases.value and factors.value and scenarios.value and instrument.value
    assert adaptations.value and ui.value and checklists.value and costs.value
    return (
        Content(
            root=root,
            stages=phases.value.stages,
            change_model=phases.value.change_model,
            phases=phases.value.phases,
            factors=factors.value.factors,
            determinants=factors.value.determinants,
            midi_source=factors.value.midi_source,
            scenarios=scenarios.value.scenarios,
            instrument=instrument.value,
            cases=tuple(c.value for c in cases if c.value is not None),
            adaptation_types=adaptations.value.types,
            interventions=tuple(
                i.value.with_new_element(adaptations.value.new_element.as_element())
                for i in interventions
                if i.value is not None
            ),
            ui=ui.value.root,
            guidance=guidance.value,
            checklists=checklists.value.phases,
            costs=costs.value,
            glossary=glossary.value,
            agendas=tuple(a.value for a in agendas if a.value is not None),
            new_element=adaptations.value.new_element,
            discussion=adaptations.value.discussion,
            route=route.value.steps if route.value is not None else (),
            hexagon=hexagon.value,
        ),
        [],
    )


def load(root: Path | str = CONTENT_DIR) -> Content:
    """Validated content, or :class:`ContentError` listing every problem."""
    content, problems = check(root)
    if content is None:
        raise ContentError(problems)
    return content


# --------------------------------------------------------------------------- loading, cached


@cache
def default_content() -> Content:
    """The kit's content (see :func:`content_root`), loaded once per process.

    Validated content is kept in the user's cache folder, keyed by every file's path, size and
    modification time and by the kit's own code, so each new kernel (one per Voila page) reads it
    back instead of parsing and validating the YAML again; any edit makes a fresh, validated load.
    """
    root = content_root()
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
        code = Path(__file__).parent.glob("*.py")  # a schema change makes a fresh load
        for path in sorted([*code, *root.rglob("*.yaml")]):
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        folder = Path(user_cache_dir("implementatiekit", appauthor=False))
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"content-{digest.hexdigest()[:24]}.pickle"
    except OSError:
        return None


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []
