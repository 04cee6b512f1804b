"""Load and validate the kit's content (YAML in ``content/``).

Content is data: trainers add a case or an intervention by adding one YAML file. Everything is
validated against one declarative schema and *every* problem is reported as
``path:line: message`` before anything fails, so a mistyped phase id reads
``content/cases/buurt.yaml:14: unknown phase 'wilen' (known: ontwikkelen, weten, ...)``.

* :mod:`kit.content.models` — the pydantic models, with every rule on one item declared once;
* :mod:`kit.content.source` — YAML with line numbers, problems, and views of what validated;
* :mod:`kit.content.rules` — the cross-reference rules, one small function each;
* :mod:`kit.content.loader` — where content lives, :func:`check`, :func:`load` and the cached
  :func:`default_content`;
* :mod:`kit.content.schema` — ``content/SCHEMA.md``, generated from the models and rules.
"""

from __future__ import annotations

from kit.content.loader import CONTENT_DIR, check, content_root, default_content, load
from kit.content.models import (
    DEFAULT_LANG,
    ID_PATTERN,
    LANGS,
    Activity,
    AdaptationsFile,
    AdaptationType,
    Agenda,
    Case,
    ChangePhase,
    ChecklistsFile,
    Choice,
    Content,
    CostCategory,
    CostsFile,
    Element,
    Factor,
    FactorsFile,
    FrameType,
    FundingRoute,
    HexagonFile,
    HexagonIndicator,
    Instrument,
    Intervention,
    Lang,
    Named,
    Override,
    Perspective,
    Phase,
    PhaseChecklist,
    PhasesFile,
    PluralForms,
    Reference,
    ScaleStep,
    Scenario,
    ScenariosFile,
    Situation,
    Statement,
    Step,
    Text,
    UiFile,
    UiText,
    Verdict,
    VerdictRule,
)
from kit.content.rules import RULES
from kit.content.schema import schema_markdown
from kit.content.source import ContentError, Problem

__all__ = [
    "CONTENT_DIR",
    "DEFAULT_LANG",
    "ID_PATTERN",
    "LANGS",
    "RULES",
    "Activity",
    "AdaptationType",
    "AdaptationsFile",
    "Agenda",
    "Case",
    "ChangePhase",
    "ChecklistsFile",
    "Choice",
    "Content",
    "ContentError",
    "CostCategory",
    "CostsFile",
    "Element",
    "Factor",
    "FactorsFile",
    "FrameType",
    "FundingRoute",
    "HexagonFile",
    "HexagonIndicator",
    "Instrument",
    "Intervention",
    "Lang",
    "Named",
    "Override",
    "Perspective",
    "Phase",
    "PhaseChecklist",
    "PhasesFile",
    "PluralForms",
    "Problem",
    "Reference",
    "ScaleStep",
    "Scenario",
    "ScenariosFile",
    "Situation",
    "Statement",
    "Step",
    "Text",
    "UiFile",
    "UiText",
    "Verdict",
    "VerdictRule",
    "check",
    "content_root",
    "default_content",
    "load",
    "schema_markdown",
]
