"""Kern-en-schil verdicts: table-driven on a small synthetic intervention and on the real content."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit import adaptations
from kit.content import AdaptationType, Intervention, default_content
from kit.content.models import Aspect, resolve_aspects
from tests.test_content import copy_content, line_of, messages

CONTENT = default_content()

T = {"nl": "x", "en": "x"}


def rule(verdict: str) -> dict[str, object]:
    return {"verdict": verdict, "reason": {"nl": f"r-{verdict}", "en": f"r-{verdict}"}}


def aspect(aid: str, schil: str, kern: str) -> Aspect:
    return Aspect.model_validate(
        {
            "id": aid,
            "name": {"nl": aid, "en": aid},
            "description": T,
            "on_schil": rule(schil),
            "on_kern": rule(kern),
        }
    )


ASPECTS = [
    aspect("look", "green", "amber"),
    aspect("gone", "green", "red"),
    aspect("form", "amber", "red"),
]


def kind(tid: str, frame: str, touches: str, instead: str | None = None) -> AdaptationType:
    data: dict[str, object] = {
        "id": tid,
        "frame": frame,
        "touches": touches,
        "name": T,
        "description": T,
    }
    if instead:
        data["instead"] = {"nl": instead, "en": instead}
    return AdaptationType.model_validate(data)


TYPES = [
    kind("tailor", "tailoring", "look"),
    kind("remove", "removing", "gone", "shell"),
    kind("format", "format", "form", "online shell"),
]
resolve_aspects(TYPES, ASPECTS)


def element(
    eid: str, part: str, overrides: list[dict[str, object]] | None = None
) -> dict[str, object]:
    return {
        "id": eid,
        "name": T,
        "description": T,
        "part": part,
        "category": "content",
        "why": T,
        "overrides": overrides or [],
    }


ITEM = Intervention.model_validate(
    {
        "id": "demo",
        "name": T,
        "kind": T,
        "summary": T,
        "elements": [
            element("k1", "kern"),
            element(
                "k2",
                "kern",
                [
                    {
                        "type": "format",
                        "verdict": "amber",
                        "reason": {"nl": "getest", "en": "tested"},
                    }
                ],
            ),
            element("k3", "kern"),
            element("s1", "schil"),
            element("s2", "schil", [{"type": "remove", "verdict": "amber", "reason": T}]),
            element("s3", "schil"),
        ],
        "situations": [
            {
                "id": f"sit-{n}",
                "text": T,
                "good": [{"element": "s1", "type": "tailor"}],
                "debrief": T,
            }
            for n in (1, 2)
        ],
    }
)


@pytest.mark.parametrize(
    ("element_id", "type_id", "verdict", "overridden"),
    [
        ("s1", "tailor", "green", False),
        ("k1", "tailor", "amber", False),
        ("s1", "remove", "green", False),
        ("k1", "remove", "red", False),
        ("s1", "format", "amber", False),
        ("k1", "format", "red", False),
        ("k2", "format", "amber", True),  # the developer tested an online version
        ("s2", "remove", "amber", True),
    ],
)
def test_verdict_table(element_id: str, type_id: str, verdict: str, overridden: bool) -> None:
    j = adaptations.judge(ITEM, element_id, type_id, TYPES)
    assert (j.verdict, j.overridden) == (verdict, overridden)
    assert j.symbol == adaptations.SYMBOL[verdict]
    assert j.keeps_kern is (verdict != "red")


def test_red_comes_with_an_alternative_in_the_schil() -> None:
    j = adaptations.judge(ITEM, "k1", "remove", TYPES)
    assert j.reason("en") == "r-red"
    assert j.instead is not None and j.instead("en") == "shell"
    # s2 overrides remove to amber, so only s1 and s3 are green alternatives.
    assert j.alternatives == ("s1", "s3")
    assert adaptations.judge(ITEM, "s1", "remove", TYPES).alternatives == ()


def test_judgement_names_the_aspect_and_part() -> None:
    j = adaptations.judge(ITEM, "k1", "tailor", TYPES)
    assert j.aspect is not None and j.aspect.id == "look" and j.part == "kern"
    # An override keeps the aspect: the verdict changes, not what the adaptation touches.
    j = adaptations.judge(ITEM, "k2", "format", TYPES)
    assert j.overridden and j.aspect is not None and j.aspect.id == "form"


# The cases issue #11 names, on the real catalogue: (part, type) -> the guidance's colour.
ISSUE_11 = [
    ("kern", "tailor", "green"),  # names or scene of a role play: surface of a kern element
    ("kern", "lengthen", "green"),  # a longer discussion of a key concept, more questions
    ("kern", "add", "amber"),  # a new activity is still amber
    ("kern", "change-method", "red"),  # role plays replaced by a discussion or a talk
    ("kern", "substitute", "amber"),  # another activity that practises the same
    ("schil", "setting", "amber"),  # community centre -> school, though the venue is schil
    ("kern", "setting", "amber"),
    ("schil", "target-group", "amber"),
    ("kern", "media", "amber"),  # replacing or omitting videos
    ("kern", "plain-language", "green"),  # rewriting at B1
    ("kern", "translate", "amber"),  # translating, e.g. a validated questionnaire
    ("schil", "translate", "green"),
]


@pytest.mark.parametrize(("part", "type_id", "verdict"), ISSUE_11)
def test_general_verdicts_follow_the_guidance(part: str, type_id: str, verdict: str) -> None:
    c = default_content()
    kind = c.adaptation_type(type_id)
    rule = adaptations.general_verdict(kind, part)
    assert rule.verdict == verdict
    assert kind.rule(part) == kind.aspect.rule(part)  # the verdict lives on the aspect


def test_every_type_touches_an_aspect_and_every_aspect_is_used() -> None:
    c = default_content()
    assert c.guidance is not None
    used = {t.touches for t in c.adaptation_types}
    assert all(t.aspect.id == t.touches for t in c.adaptation_types)
    types_ids = {t.id for t in c.adaptation_types}
    # Ids saved in participants' answers before issue #11 still exist (no alias map needed).
    assert {
        "tailor",
        "translate",
        "add",
        "remove",
        "shorten",
        "reorder",
        "substitute-deliverer",
        "target-group",
        "format",
        "setting",
        "integrate",
        "loosen",
        "shorten-training",
    } <= types_ids
    assert adaptations.TYPE_ALIASES.keys().isdisjoint(types_ids)
    assert len(used) >= 15


def test_green_on_a_kern_element_does_not_say_schil() -> None:
    from kit.present.kern import basis_label, verdict_label
    from tests.test_apps import ctx

    c = ctx("en")
    item = default_content().intervention("samen-sterk")
    j = adaptations.judge(item, "role-play", "tailor", default_content().adaptation_types)
    assert j.verdict == "green" and j.part == "kern"
    assert "shell" not in verdict_label(c, "green")
    assert basis_label(c, j) == "This verdict rests on: Surface, on a core element."
    nl = ctx("nl")
    assert basis_label(nl, j) == "Dit oordeel rust op: Oppervlakte, bij een kernelement."


def test_summary_and_outlook() -> None:
    s = adaptations.summarise(["green", "green", "amber"])
    assert (s.green, s.amber, s.red, s.outlook) == (2, 1, 0, "consult")
    assert adaptations.summarise(["red", "green"]).outlook == "at-risk"


# The catalogue's rules (>= 12 types covering the FRAME types, red needs an alternative,
# 6-10 elements, >= 2 situations, good choices never red) are in kit.content's schema and rules;
# tests/test_content.py::test_schema_rule_is_reported checks that `kit check` reports them.


def test_grade_exercise_choice() -> None:
    c = default_content()
    item = c.interventions[0]
    situation = item.situations[0]
    good = situation.good[0]
    fb = adaptations.grade(item, situation, good.element, good.type, c.adaptation_types)
    assert fb.is_good and fb.judgement.verdict != "red"
    kern = next(e for e in item.elements if e.part == "kern" and not e.overrides)
    fb = adaptations.grade(item, situation, kern.id, "remove", c.adaptation_types)
    assert not fb.is_good and fb.judgement.verdict == "red" and fb.good


def test_unknown_adaptation_type_in_override_is_reported(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    path = root / "interventions" / "samen-sterk.yaml"
    text = path.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.strip().startswith("- type:"))
    path.write_text(
        text.replace(first, first.split("type:")[0] + "type: vertaalen", 1), encoding="utf-8"
    )
    line = line_of(path, "type: vertaalen")
    assert any(
        m.startswith(f"{path}:{line}: unknown adaptation type 'vertaalen'") for m in messages(root)
    )


def test_missing_kern_schil_label_is_reported(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    path = root / "interventions" / "maatje-erbij.yaml"
    text = path.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.strip().startswith("part:"))
    path.write_text(text.replace(first, "", 1), encoding="utf-8")
    found = messages(root)
    assert any(m.startswith(f"{path}:") and "missing field 'part'" in m for m in found), found
    # The element's own line is named: the first element starts right after 'elements:'.
    line = line_of(path, "elements:") + 1
    assert any(m.startswith(f"{path}:{line}: ") for m in found), found


# ------------------------------------------------- issue 19: order, additions, kern medium


def test_an_order_that_is_the_mechanism_is_red_and_says_so() -> None:
    samen = CONTENT.intervention("samen-sterk")
    j = adaptations.judge(samen, "theme-sequence", "reorder", CONTENT.adaptation_types)
    assert (j.verdict, j.mechanism, j.overridden) == ("red", True, False)
    assert j.reason("nl").startswith("Hier is de volgorde zelf hoe het werkt")
    assert j.instead is not None and j.instead("en").startswith("Leave the order as it is")


def test_an_order_of_habit_stays_amber() -> None:
    maatje = CONTENT.intervention("maatje-erbij")
    kern = next(e for e in maatje.elements if e.part == "kern" and not e.order_is_mechanism)
    j = adaptations.judge(maatje, kern.id, "reorder", CONTENT.adaptation_types)
    assert (j.verdict, j.mechanism) == ("amber", False)
    assert "volgorde uit gewoonte" in j.reason("nl")


def test_an_addition_outside_core_time_is_a_new_schil_element() -> None:
    for item in CONTENT.interventions:
        new = item.new_element
        assert new is not None and new.id == "new-outside-core" and new.part == "schil"
        assert new not in item.elements  # not drawn, not counted among its own elements
        outside = adaptations.judge(item, new.id, "add", CONTENT.adaptation_types)
        assert (outside.verdict, outside.part) == ("green", "schil")
        assert "zolang er geen tijd van de kernonderdelen af gaat" in outside.reason("nl")
        kern = next(e for e in item.elements if e.part == "kern" and not e.overrides)
        inside = adaptations.judge(item, kern.id, "add", CONTENT.adaptation_types)
        assert inside.verdict == "amber"


def test_the_kern_medium_is_amber_to_replace_and_red_to_drop() -> None:
    samen = CONTENT.intervention("samen-sterk")
    videos = samen.element("model-videos")
    assert (videos.part, videos.category) == ("kern", "method")
    assert "modelleren" in videos.why("nl")
    replace = adaptations.judge(samen, "model-videos", "media", CONTENT.adaptation_types)
    drop = adaptations.judge(samen, "model-videos", "remove", CONTENT.adaptation_types)
    assert (replace.verdict, drop.verdict) == ("amber", "red")
    situation = next(s for s in samen.situations if s.id == "dated-videos")
    good = adaptations.grade(samen, situation, "model-videos", "media", CONTENT.adaptation_types)
    assert good.is_good and good.judgement.verdict == "amber"
    bad = adaptations.grade(samen, situation, "model-videos", "remove", CONTENT.adaptation_types)
    assert not bad.is_good and bad.judgement.verdict == "red"


def test_published_examples_behind_a_verdict() -> None:
    media = adaptations.published(CONTENT.guidance, "media", "kern")
    colours = {e.id: e.colour for e in media}
    assert colours == {
        "replace-videos": "amber",
        "omit-videos": "amber",
        "replace-videos-or-activities": "amber",
        "lookalike-video": "amber",
        # Issue 19: ETR's own list of replacement videos is green (an override's business).
        "listed-alternative-videos": "green",
    }
    assert adaptations.published(CONTENT.guidance, "media", "schil") == ()
