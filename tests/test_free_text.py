"""Free text people type: one rule where it enters the records (kit.text.clean through
kit.answers), every writer safe on its own (kit.text.printable), and the apps show each field's
limit and refuse more without losing the text (issue 21, items 8 and 9)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from pydantic import BaseModel, ValidationError
from pypdf import PdfReader

from kit import formats, plan_docs, reports
from kit.answers import TEXT_LIMIT, Adaptations, Plan, PlanStep, Proposal, dump, load
from kit.apps.common import Ctx, Status
from kit.content import default_content
from kit.group import Memory
from kit.present.group import answers_csv
from kit.present.kern import log_csv, to_log
from kit.present.texts import Texts
from kit.storage import SessionInfo, Submission
from kit.text import TooLong, printable

C = default_content()
#: NUL (PostgreSQL refuses it), vertical tab and escape (XML refuses them), a C1 control, half an
#: emoji (UTF-8 cannot hold it), a formula, mathtext and markup.
HOSTILE = "Nul\x00 vt\x0b esc\x1b[31m c1\x85 half\ud83d =SUM(A1) $x^2$ <b>"
#: What the kit keeps of it.
KEPT = "Nul vt esc[31m c1 half\ufffd =SUM(A1) $x^2$ <b>"
ACTIVITY = C.phases[2].activities[0].id
PERSPECTIVE = C.instrument.perspectives[0].id
ITEM = C.interventions[0]


def test_printable_keeps_what_clean_keeps() -> None:
    assert printable(HOSTILE) == KEPT
    assert printable("een\r\ntwee\x00\tdrie") == "een\ntwee\tdrie"


# --------------------------------------------------------------------------- the records


FIELDS: list[tuple[type[BaseModel], dict[str, object], str]] = [
    (Proposal, {"element": "e", "type": "t"}, "reason"),
    (Proposal, {"element": "e", "type": "t"}, "goal"),
    (PlanStep, {"activity": "a"}, "note"),
    (Plan, {"perspective": "p"}, "adjust"),
]


@pytest.mark.parametrize(("model", "base", "name"), FIELDS)
def test_every_free_text_field_is_cleaned_where_a_record_is_made(
    model: type[BaseModel], base: dict[str, object], name: str
) -> None:
    record = model.model_validate({**base, name: HOSTILE})
    assert getattr(record, name) == KEPT
    # Exactly the limit is kept; one more is refused, never cut.
    assert getattr(model.model_validate({**base, name: "x" * TEXT_LIMIT}), name) == "x" * 500
    with pytest.raises(ValidationError) as refused:
        model.model_validate({**base, name: "x" * 10_000})
    assert isinstance(refused.value.errors()[0]["ctx"]["error"], TooLong)
    assert "10000 characters, at most 500" in str(refused.value)


def test_a_plan_stored_with_control_characters_loads_clean() -> None:
    """A plan saved before the rule (its note holds NUL and escape) is cleaned when read, so
    every later Word export of it works."""
    stored = (
        '{"v": 2, "kind": "plan", "perspective": "organisatie", "adjust": "a\\u0000\\u000bb",'
        ' "steps": [{"activity": "x", "note": "n\\u001b[0m\\u0000!"}]}'
    )
    plan = load("plan", "plan", stored)
    assert isinstance(plan, Plan)
    assert plan.adjust == "ab" and plan.steps[0].note == "n[0m!"
    assert load("plan", "plan", dump(plan)) == plan


def test_adjust_keeps_its_lines() -> None:
    plan = Plan(perspective="p", adjust="eerst coaching\r\n\r\n\x00daarna  terug ")
    assert plan.adjust == "eerst coaching\n\ndaarna  terug"


# --------------------------------------------------------------------------- every writer


def _old_plan() -> Plan:
    """A plan as an older kit stored it: no cleaning on the way in (built without validation)."""
    step = PlanStep(activity=ACTIVITY, when="2026-W50").model_copy(update={"note": HOSTILE})
    return Plan(perspective=PERSPECTIVE, steps=(step,), next_scan="2027-03-01").model_copy(
        update={"adjust": HOSTILE}
    )


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _pdf_text(data: bytes) -> str:
    return " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages
    )


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_plan_word_and_werkmap_from_an_old_plan_with_control_characters(lang: str) -> None:
    ctx = Texts(C, lang)
    plan = _old_plan()
    for make in (plan_docs.plan_docx, plan_docs.werkmap_docx):
        text = _docx_text(make(ctx, plan))
        assert text.count(KEPT) == 2, make.__name__  # the note and what the team adjusts


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_plan_pdf_and_werkmap_from_an_old_plan_with_control_characters(lang: str) -> None:
    ctx = Texts(C, lang)
    plan = _old_plan()
    for make in (plan_docs.plan_pdf, plan_docs.werkmap_pdf):
        text = _pdf_text(make(ctx, plan))
        assert text.count("Nul vt esc[31m c1 half") == 2, make.__name__
        assert "$x^2$" in text and "=SUM(A1)" in text


def _old_proposal() -> Proposal:
    base = Proposal(element=ITEM.elements[0].id, type="tailor", date="2026-11-24")
    return base.model_copy(update={"reason": HOSTILE, "goal": "doel\x00 " + HOSTILE})


def test_adaptation_log_pdf_and_csv_with_control_characters() -> None:
    ctx = Texts(C, "nl")
    proposal = _old_proposal()
    text = _pdf_text(reports.kern_pdf(ctx, ITEM, [proposal]))
    assert "Nul vt esc[31m c1 half" in text and "doel Nul vt" in text
    data = log_csv(ctx, to_log(ctx, ITEM, [proposal]))
    row = data.decode("utf-8-sig").splitlines()[1].split(";")
    assert KEPT in row and "'" + "doel " + KEPT not in row  # not a formula: starts with "doel"
    assert f"doel {KEPT}" in row


def _info(title: str) -> SessionInfo:
    now = dt.datetime.now(dt.UTC)
    return SessionInfo(
        code="ABC123",
        title=title,
        case_id=None,
        intervention_id=ITEM.id,
        created_at=now,
        expires_at=now + dt.timedelta(days=1),
        closed_at=None,
    )


def test_group_pdf_and_csv_with_control_characters() -> None:
    """A session title stored before titles were cleaned, and an old plan's note and an old
    reason in the answers: the group report and the spreadsheet are still made, with the text."""
    ctx = Texts(C, "nl")
    now = dt.datetime.now(dt.UTC)
    subs = [
        Submission(
            "p1", "Uil\x1b", Adaptations(intervention=ITEM.id, proposals=(_old_proposal(),)), now
        ),
        Submission("p1", "Uil\x1b", _old_plan(), now),
    ]
    text = _pdf_text(reports.group_pdf(ctx, _info("Training\x00 wijk\ud800"), subs))
    assert "Training wijk\ufffd (ABC123)" in text
    rows = answers_csv(ctx, "ABC123", subs).decode("utf-8-sig")
    assert "\x00" not in rows and "\x1b" not in rows and "Uil;" in rows
    assert rows.count("Nul vt esc[31m c1 half\ufffd =SUM(A1)") == 3  # reason, goal, note


def test_csv_cells_are_printable_and_never_formulas() -> None:
    data = formats.csv_bytes(["Naam\x00"], [["\x00=1+1"], [HOSTILE]], "nl")
    assert data.decode("utf-8-sig").splitlines() == ["Naam", "'=1+1", KEPT]


# --------------------------------------------------------------------------- the apps


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
    assert "<h3 class='kit-session-title'>Training wijk[2J</h3>" in shown()
    store.dispose()
