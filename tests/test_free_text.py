"""Free text people type: one rule where it enters the records (kit.text.clean through
kit.answers), and every writer safe on its own (kit.text.printable), so hostile text never stops
a document (issue 21, item 9). The apps' side: tests/test_free_text_apps.py."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from pydantic import BaseModel, ValidationError
from pypdf import PdfReader

from kit import formats, plan_docs, reports
from kit.answers import TEXT_LIMIT, Adaptations, Plan, PlanStep, Proposal, dump, load
from kit.content import default_content
from kit.present.group import answers_csv
from kit.present.kern import log_csv, to_log
from kit.present.texts import Texts
from kit.storage import SessionInfo, Submission
from kit.text import TooLong, clean, printable

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
    assert printable("een\r\ntwee\x00\tdrie\rvier\ufffe") == "een\ntwee\tdrie\nvier"
    assert printable(None) == "" and printable(12) == "12"


def test_clean_edges() -> None:
    assert clean(None, 5) == "" and clean(7, 5) == "7"
    assert clean("  a \r\n b\rc\ufeff\uffff ", 10) == "a b c\ufeff"
    assert clean("  een  \r\n\r\n  twee \t\n", 20, multiline=True) == "een\n\n  twee"
    assert clean("e\u0301", 1) == "\u00e9"  # NFC: one character, within the limit
    assert clean("x" * 5, 5) == "xxxxx"
    with pytest.raises(TooLong) as refused:
        clean("x" * 8, 5)
    assert (refused.value.length, refused.value.limit, refused.value.excess) == (8, 5, 3)
    assert str(refused.value) == "8 characters, at most 5"


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
def test_plan_word_files_from_an_old_plan_with_control_characters(lang: str) -> None:
    ctx = Texts(C, lang)
    plan = _old_plan()
    for make in (plan_docs.plan_docx, plan_docs.werkmap_docx):
        text = _docx_text(make(ctx, plan))
        assert text.count(KEPT) == 2, make.__name__  # the note and what the team adjusts


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_plan_pages_from_an_old_plan_with_control_characters(lang: str) -> None:
    ctx = Texts(C, lang)
    plan = _old_plan()
    for make in (plan_docs.plan_pdf, plan_docs.werkmap_pdf):
        text = _pdf_text(make(ctx, plan))
        assert text.count("Nul vt esc[31m c1 half") == 2, make.__name__
        assert "$x^2$" in text and "=SUM(A1)" in text


def _old_proposal() -> Proposal:
    base = Proposal(element=ITEM.elements[0].id, type="tailor", date="2026-11-24")
    return base.model_copy(update={"reason": HOSTILE, "goal": "doel\x00 " + HOSTILE})


def test_adaptation_log_files_with_control_characters() -> None:
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


def test_group_files_with_control_characters() -> None:
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
