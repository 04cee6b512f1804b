"""The kit's general verdicts against published traffic-light guidance (content/guidance.yaml).

Every example is run through :func:`kit.adaptations.judge` on an element of the kind it names
(kern or schil, category), without an intervention's overrides. At least 90% must get the
published colour, and each that does not must say why the kit deliberately differs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kit import adaptations
from kit.content import Element, Intervention, default_content
from kit.content.models import GuidanceExample, GuidanceFile
from tests.test_content import copy_content, line_of, messages

AGREEMENT = 0.9


def guidance() -> GuidanceFile:
    g = default_content().guidance
    assert g is not None
    return g


def kit_verdict(example: GuidanceExample) -> str:
    """The kit's verdict on the example: a bare intervention with one element of its kind."""
    m = example.maps
    element = Element.model_construct(id="element", part=m.part, category=m.category, overrides=())
    item = Intervention.model_construct(id="guidance", elements=(element,), situations=())
    return adaptations.judge(item, "element", m.type, default_content().adaptation_types).verdict


def test_table_is_large_and_sourced() -> None:
    g = guidance()
    assert len(g.examples) >= 25
    assert sum(e.seen == "read" for e in g.examples) >= 25  # checked against a copy
    used = {e.source for e in g.examples}
    assert used == {s.id for s in g.sources}
    assert {e.colour for e in g.examples} == {"green", "amber", "red"}
    for s in g.sources:
        assert s.url.startswith("https://") and len(s.citation) > 40


@pytest.mark.parametrize("example", guidance().examples, ids=lambda e: e.id)
def test_each_example_agrees_or_says_why_not(example: GuidanceExample) -> None:
    verdict = kit_verdict(example)
    if verdict == example.colour:
        assert example.kit_differs_because is None, "documented as a difference, but agrees"
    else:
        assert example.kit_differs_because is not None, (
            f"{example.id}: the kit says {verdict}, {example.source} says {example.colour}; "
            "change the model or document why the kit deliberately differs"
        )


def test_agreement_is_at_least_90_percent() -> None:
    examples = guidance().examples
    agree = sum(kit_verdict(e) == e.colour for e in examples)
    assert agree / len(examples) >= AGREEMENT, f"{agree} of {len(examples)} agree"


def test_the_issue_11_examples_are_in_the_table() -> None:
    by_id = {e.id: e for e in guidance().examples}
    for eid, colour in (
        ("role-play-names", "green"),
        ("processing-questions", "green"),
        ("longer-discussion", "green"),
        ("replace-role-plays", "red"),
        ("other-setting", "amber"),
        ("replace-videos", "amber"),
        ("omit-videos", "amber"),
    ):
        assert by_id[eid].colour == colour == kit_verdict(by_id[eid])


def test_undocumented_disagreement_is_reported(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    path = root / "guidance.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: role-play-names")
    colour = text.index("    colour: green", start)
    path.write_text(
        text[:colour] + "    colour: red" + text[colour + len("    colour: green") :],
        encoding="utf-8",
    )
    line = line_of(path, "    colour: red")
    assert (
        f"{path}:{line}: the kit says green where the source says red: change the model, "
        "or say in 'kit_differs_because' why the kit deliberately differs"
    ) in messages(root)


def test_unknown_type_in_the_table_is_reported(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    path = root / "guidance.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("type: lengthen}", "type: verlengen}", 1), encoding="utf-8")
    line = line_of(path, "type: verlengen}")
    assert any(
        m.startswith(f"{path}:{line}: unknown adaptation type 'verlengen'") for m in messages(root)
    )
