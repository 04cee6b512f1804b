"""Free-text fields in the apps (issue 21, items 8 and 9): each shows its limit, refuses more
in words without losing the text or saving half of it, and keeps what kit.text.clean keeps.
Apps built in the kernel, without a browser (the browser side: tests/test_browser_text.py)."""

from __future__ import annotations

import pytest

from kit.answers import Adaptations, Plan, PlanStep
from kit.apps.common import Ctx, Status
from kit.content import default_content
from kit.group import Memory

C = default_content()
ACTIVITY = C.phases[2].activities[0].id
PERSPECTIVE = C.instrument.perspectives[0].id


def _all(widget: object) -> list[object]:
    out = [widget]
    for child in getattr(widget, "children", ()):
        out += _all(child)
    return out


def _find(widget: object, cls: str) -> object:
    return next(x for x in _all(widget) if cls in getattr(x, "_dom_classes", ()))


def _plan_screen(lang: str = "nl") -> tuple[Ctx, object]:
    from kit.apps.plan_app import build_plan

    ctx = Ctx(C, lang, Status(), Memory())
    ctx.memory.save(Plan(perspective=PERSPECTIVE, steps=(PlanStep(activity=ACTIVITY),)))
    box = build_plan(ctx)
    _find(box, "kit-plan-tabs").selected_index = 1  # type: ignore[attr-defined]
    return ctx, box


def _step_card(box: object) -> object:
    return _find(box, "kit-step")


def test_plan_note_shows_its_limit_and_refuses_ten_thousand_characters() -> None:
    ctx, box = _plan_screen()
    card = _step_card(box)
    note = _find(card, "kit-step-note")
    hint = _find(card, "kit-field-limit")
    assert "max. 500 tekens" in hint.value  # type: ignore[attr-defined]
    note.value = "eerst bellen"  # type: ignore[attr-defined]
    assert ctx.memory.find(Plan).steps[0].note == "eerst bellen"  # type: ignore[union-attr]
    note.value = "x" * 10_000  # type: ignore[attr-defined]
    assert "9500 tekens te veel (hoogstens 500)" in hint.value  # type: ignore[attr-defined]
    assert 'role="alert"' in hint.value  # type: ignore[attr-defined]
    assert note.value == "x" * 10_000  # type: ignore[attr-defined]  # the text stays in the field
    assert ctx.memory.find(Plan).steps[0].note == "eerst bellen"  # type: ignore[union-attr]
    note.value = "bel\x00 de wijk\x1b"  # type: ignore[attr-defined]
    assert "max. 500 tekens" in hint.value  # type: ignore[attr-defined]
    assert ctx.memory.find(Plan).steps[0].note == "bel de wijk"  # type: ignore[union-attr]
    assert ctx.status.value == ""


def test_plan_adjust_refuses_too_long_in_english_and_keeps_lines() -> None:
    ctx, box = _plan_screen("en")
    adjust = _find(box, "kit-plan-adjust")
    hint = _all(box)[_all(box).index(adjust) + 1]
    assert "max. 500 characters" in hint.value  # type: ignore[attr-defined]
    adjust.value = "y" * 501  # type: ignore[attr-defined]
    assert "1 character too many (at most 500)" in hint.value  # type: ignore[attr-defined]
    assert ctx.memory.find(Plan).adjust == ""  # type: ignore[union-attr]
    adjust.value = "first\r\ncoaching\x0b"  # type: ignore[attr-defined]
    assert ctx.memory.find(Plan).adjust == "first\ncoaching"  # type: ignore[union-attr]
    assert "max. 500 characters" in hint.value  # type: ignore[attr-defined]


def test_kern_reason_too_long_is_refused_and_kept_in_the_field() -> None:
    from kit.apps.kern_app import build_kern

    ctx = Ctx(C, "nl", Status(), Memory())
    box = build_kern(ctx)
    reason = _find(box, "kit-kern-reason")
    goal = _find(box, "kit-kern-goal")
    hints = [x for x in _all(box) if "kit-field-limit" in getattr(x, "_dom_classes", ())]
    assert len(hints) == 2 and all("max. 500 tekens" in h.value for h in hints)  # type: ignore[attr-defined]
    reason.value = "r" * 520  # type: ignore[attr-defined]
    assert "20 tekens te veel" in hints[0].value  # type: ignore[attr-defined]
    _find(box, "kit-add-adaptation").click()  # type: ignore[attr-defined]
    assert ctx.memory.find(Adaptations) is None
    assert reason.value == "r" * 520  # type: ignore[attr-defined]
    reason.value = "half \ud83d emoji\x00"  # type: ignore[attr-defined]
    goal.value = "doel\x1b"  # type: ignore[attr-defined]
    _find(box, "kit-add-adaptation").click()  # type: ignore[attr-defined]
    saved = ctx.memory.find(Adaptations)
    assert saved is not None
    assert (saved.proposals[0].reason, saved.proposals[0].goal) == ("half \ufffd emoji", "doel")


def test_session_title_is_cleaned_and_too_long_refused_on_the_trainer_page(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kit.apps.group_app import build_group
    from kit.storage import Store

    store = Store(f"sqlite:///{tmp_path}/t.sqlite3")
    monkeypatch.setattr("kit.storage._stores", {store.url: store})
    monkeypatch.setenv("KIT_DATABASE_URL", store.url)
    monkeypatch.setenv("KIT_PUBLIC_URL", "https://kit.example.org/voila/render")
    ctx = Ctx(C, "nl", Status(), Memory())
    box = build_group(ctx)
    title = _find(box, "kit-new-title")
    hint = _all(box)[_all(box).index(title) + 1]
    assert "max. 120 tekens" in hint.value  # type: ignore[attr-defined]
    title.value = "t" * 130  # type: ignore[attr-defined]
    _find(box, "kit-create-session").click()  # type: ignore[attr-defined]
    assert "10 tekens te veel (hoogstens 120)" in hint.value  # type: ignore[attr-defined]
    assert title.value == "t" * 130  # type: ignore[attr-defined]  # kept in the field

    def shown() -> str:
        return " ".join(str(getattr(x, "value", "")) for x in _all(box))

    assert "kit-session-title" not in shown()  # no session was made
    title.value = "Training\x00 wijk\x1b[2J"  # type: ignore[attr-defined]
    _find(box, "kit-create-session").click()  # type: ignore[attr-defined]
    assert "<h3 class='kit-session-title' data-kit-focus>Training wijk[2J</h3>" in shown()
    store.dispose()
