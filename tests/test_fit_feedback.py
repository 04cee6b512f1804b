"""The feedback in "3. Past deze activiteit?" is about the activity the learner chose.

Issue #11: "Plan vaste intervisie" and "Begin klein" came too early and got the phase's text about
a training. Now, for every activity and every fit it can get, its feedback row carries that
activity's own sentence (its `needs` when it comes too early, its `why` otherwise) and no other
activity's; and the score line says how points are counted.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import ipywidgets as w
import pytest

from kit.apps.common import Ctx, Status, esc
from kit.apps.phases_app import build_phases
from kit.content import CONTENT_DIR, Activity, check, default_content
from kit.group import Memory
from kit.phases import Fit, activity_fit

ROW = re.compile(
    r'<div class="kit-feedback \S+ kit-fit-(\w+)" data-activity="([^"]+)">(.*?)</div>', re.S
)


def find(widget: w.Widget, cls: str) -> w.Widget | None:
    if cls in getattr(widget, "_dom_classes", ()):
        return widget
    for child in getattr(widget, "children", ()):
        if (found := find(child, cls)) is not None:
            return found
    return None


def fit_tab(lang: str) -> w.Widget:
    tabs = build_phases(Ctx(default_content(), lang, Status(), Memory()))
    tabs.selected_index = 2  # the fit tab is built when opened
    return tabs


def check_all(tab: w.Widget, scenario: str) -> dict[str, tuple[Fit, str]]:
    """Tick every activity for ``scenario``'s team, check, and return each row's fit and text by
    activity id."""
    find(tab, "kit-team-choice").value = scenario
    for box in find(tab, "kit-activity-grid").children:
        box.value = True
    find(tab, "kit-check-fit").click()
    rows = ROW.findall(find(tab, "kit-fit-result").value)
    return {activity_id: (Fit(fit), text) for fit, activity_id, text in rows}


def own_text(a: Activity, fit: Fit, lang: str) -> str:
    return esc((a.needs if fit is Fit.TOO_EARLY else a.why)(lang))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_activity_gets_feedback_in_its_own_words(lang: str) -> None:
    c = default_content()
    activities = [(a, p.number) for p in c.phases for a in p.activities]
    seen: dict[str, set[Fit]] = {a.id: set() for a, _ in activities}
    tab = fit_tab(lang)
    for team in c.phases:
        scenario = next(s for s in c.scenarios if s.phase == team.id)
        rows = check_all(tab, scenario.id)
        assert set(rows) == set(seen), "one feedback row per chosen activity"
        for a, number in activities:
            fit = activity_fit(team.number, number)
            seen[a.id].add(fit)
            shown, row = rows[a.id]
            assert shown is fit
            assert esc(a.text(lang)) in row
            assert own_text(a, fit, lang) in row, (a.id, fit)
            assert esc(team.name(lang)) in row  # where the team is
            for other, _ in activities:
                if other.id != a.id:
                    assert esc(other.why(lang)) not in row, (a.id, fit, other.id)
                    assert esc(other.needs(lang)) not in row, (a.id, fit, other.id)
            # The phase-wide text ("a training before people see the point") is gone.
            assert esc(c.phases[number].if_too_early(lang)) not in row
    # Every fit an activity can get was shown: next is impossible for phase 0, too early for
    # phases 0-1, too late for phase 5.
    for a, number in activities:
        assert seen[a.id] == {activity_fit(t, number) for t in range(len(c.phases))}
    assert set().union(*seen.values()) == set(Fit)


def test_too_early_says_what_the_chosen_activity_needs() -> None:
    """The case from the issue: intervision and starting small, chosen for a team in phase 1."""
    c = default_content()
    tab = fit_tab("nl")
    scenario = next(s for s in c.scenarios if s.phase == "weten")
    rows = check_all(tab, scenario.id)
    for activity_id in ("intervisie", "klein-beginnen-pdca"):
        fit, row = rows[activity_id]
        assert fit is Fit.TOO_EARLY and "Te vroeg" in row
        assert "training" not in row.lower()
        assert "het team zit nog in de fase Weten" in row
    assert "eigen casussen" in rows["intervisie"][1]
    assert "eerste groep uitvoerders" in rows["klein-beginnen-pdca"][1]


@pytest.mark.parametrize(
    ("lang", "rule"),
    [
        ("nl", "1 punt per activiteit die nu past, ½ punt"),
        ("en", "1 point per activity that fits now, ½ point"),
    ],
)
def test_score_line_explains_how_points_are_counted(lang: str, rule: str) -> None:
    c = default_content()
    tab = fit_tab(lang)
    check_all(tab, c.scenarios[0].id)
    result = find(tab, "kit-fit-result").value
    score_line, rest = result.split("</p>", 1)
    assert 'class="kit-score-line"' in score_line
    assert rest.startswith('<p class="kit-muted kit-score-rule">')
    assert rule in rest and esc(c.t("phases.fit_score_rule", lang)) in rest


def _activity(activity_id: str) -> Activity:
    c = default_content()
    return next(a for p in c.phases for a in p.activities if a.id == activity_id)


@pytest.mark.parametrize(
    ("field", "replace_with", "expected", "on_field_line"),
    [
        # Copy-paste: intervision gets the training's needs (the bug of issue #11, in content).
        (
            "needs",
            lambda: _activity("training-met-coaching").needs("nl"),
            "activity 'intervisie' has the same needs (nl) as activity 'training-met-coaching'",
            False,  # on the Dutch line itself
        ),
        (
            "why",
            lambda: "  " + _activity("training-met-coaching").why("nl").upper(),
            "activity 'intervisie' has the same why (nl) as activity 'training-met-coaching'",
            False,
        ),
        ("needs", lambda: "x" * 161, "longer than 160 characters (nl: 161)", True),
    ],
)
def test_kit_check_wants_every_activity_in_its_own_words(
    tmp_path: Path, field: str, replace_with: object, expected: str, on_field_line: bool
) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    path = root / "phases.yaml"
    text = path.read_text(encoding="utf-8")
    old = f"          nl: {getattr(_activity('intervisie'), field)('nl')}\n"
    assert text.count(old) == 1, "fixture out of date"
    line = text[: text.index(old)].count("\n") + 1 - on_field_line
    assert callable(replace_with)
    path.write_text(text.replace(old, f'          nl: "{replace_with()}"\n'), encoding="utf-8")
    content, problems = check(root)
    assert content is None
    assert any(str(p).startswith(f"{path}:{line}: ") and expected in str(p) for p in problems), (
        problems
    )


def test_kit_check_requires_needs(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    path = root / "phases.yaml"
    text = path.read_text(encoding="utf-8")
    needs = _activity("intervisie").needs
    block = f"        needs:\n          nl: {needs('nl')}\n          en: {needs('en')}\n"
    assert text.count(block) == 1, "fixture out of date"
    path.write_text(text.replace(block, ""), encoding="utf-8")
    content, problems = check(root)
    assert content is None
    assert any("activities.1.needs: missing field 'needs'" in str(p) for p in problems), [
        str(p) for p in problems
    ]
