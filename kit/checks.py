"""The whole content check: the content's own rules plus those that need the logic built on it.

:mod:`kit.content` knows nothing of the logic above it (:mod:`kit.adaptations` reads content), so
a rule that runs that logic over the content lives here, above both, and ``python -m kit check``
and ``content/SCHEMA.md`` use :data:`RULES` from this module. The apps load content with
:func:`kit.content.load`, which runs the content's own rules; ``make test`` runs this check.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kit.adaptations import judge
from kit.content import CONTENT_DIR, Content, Problem
from kit.content import RULES as CONTENT_RULES
from kit.content.loader import check as check_content
from kit.content.rules import Found, Rule, resolved_types
from kit.content.schema import schema_markdown as content_schema

__all__ = ["RULES", "check", "schema_markdown"]


def good_choices_are_not_red(found: Found) -> Iterator[Problem]:
    """No good choice of a situation is judged red (by `kit.adaptations.judge`)."""
    types = resolved_types(found)
    type_ids = {t.id for t in types}
    for view in found.interventions:
        item = view.value
        if item is None:
            continue
        element_ids = {e.id for e in item.elements}
        for i, situation in enumerate(item.situations):
            for j, choice in enumerate(situation.good):
                known = choice.element in element_ids and choice.type in type_ids
                if known and judge(item, choice.element, choice.type, types).verdict == "red":
                    yield view.problem(
                        f"good choice {choice.type} on '{choice.element}' is judged red",
                        "situations",
                        i,
                        "good",
                        j,
                    )


RULES: tuple[Rule, ...] = (
    *CONTENT_RULES,
    Rule(
        "good_choices_are_not_red",
        ("interventions/*.yaml",),
        (good_choices_are_not_red.__doc__ or "").strip(),
        good_choices_are_not_red,
    ),
)


def check(root: Path | str = CONTENT_DIR) -> tuple[Content | None, list[Problem]]:
    """Validate the content under ``root`` with every rule; return it (if usable) and every
    problem, as :func:`kit.content.check` does."""
    return check_content(root, RULES)


def schema_markdown() -> str:
    """The text of ``content/SCHEMA.md``, with every rule."""
    return content_schema(RULES)
