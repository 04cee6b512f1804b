"""The plan and the take-home material as files: Word (python-docx, the format teams edit) and
PDF (matplotlib's PdfPages, A4).

Everything the documents say comes from :mod:`kit.present.plan`, so they match the app. Text a
user typed is drawn as plain text: every PDF text call passes ``parse_math=False``, so a ``$`` in
a note is a dollar sign, not the start of a formula.

Pages of the plan PDF: an overview (scan, the cycle, warnings), the steps (``STEPS_PER_PAGE`` a
page, at least one page), the cost worksheet with funding routes. A checklist is one page per
phase; the *werkmap* is the plan followed by all six checklists.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.transforms import Bbox

from kit import plan as logic
from kit.pages import TextPages
from kit.present import plan as view

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

    from kit.answers import Plan
    from kit.present.texts import Texts

STEPS_PER_PAGE = 4
#: At most this many findings on the overview page (it stays one page); the rest are counted.
FINDINGS_ON_PAGE = 16
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def plan_pages(plan: Plan) -> int:
    """How many pages :func:`plan_pdf` writes.

    >>> from kit.answers import Plan, PlanStep
    >>> plan_pages(Plan(perspective="p")), plan_pages(Plan(perspective="p", steps=(PlanStep(activity="a"),) * 5))
    (3, 4)
    """
    return 2 + max(1, math.ceil(len(plan.steps) / STEPS_PER_PAGE))


# --------------------------------------------------------------------------- PDF


def _title(ctx: Texts) -> str:
    return f"{ctx.t('plan.title')} — {dt.date.today().isoformat()}"


def _plan_into(pdf: PdfPages, ctx: Texts, plan: Plan) -> None:
    c = ctx.content
    header = _title(ctx)
    w = TextPages(pdf, header)
    # 1. Overview.
    w.page()
    w.line(ctx.t("plan.title"), 16, bold=True)
    w.line(view.scan_line(ctx, plan), 10)
    w.gap(0.015)
    for heading, text in view.pdca_lines(ctx, plan):
        w.line(heading, 12, bold=True)
        w.line(text)
        w.gap(0.008)
    w.gap(0.01)
    w.line(ctx.t("plan.findings"), 12, bold=True)
    findings = logic.check(plan, c)
    for f in findings[:FINDINGS_ON_PAGE]:
        w.line(view.finding_text(ctx, f), 9)
    if len(findings) > FINDINGS_ON_PAGE:
        w.line(ctx.t("plan.findings.more", n=len(findings) - FINDINGS_ON_PAGE), 9)
    if not findings:
        w.line("✓ " + ctx.t("plan.findings.none"))
    w.close()
    # 2. The steps, a fixed number per page.
    steps = logic.schedule(plan.steps)
    for start in range(0, max(1, len(steps)), STEPS_PER_PAGE):
        w.page()
        w.line(ctx.t("plan.steps"), 13, bold=True)
        if not steps:
            w.line(ctx.t("plan.no_steps"))
        for n, step in enumerate(steps[start : start + STEPS_PER_PAGE], start=start + 1):
            s = view.step_view(ctx, plan, step)
            w.line(f"{n}. {s.activity}", 11, bold=True)
            for label, value in (
                ("plan.field.phase", f"{s.phase} — {s.fit}"),
                ("plan.field.who", s.who),
                ("plan.field.when", s.when),
                ("plan.field.needs", f"{s.needs} ({s.cost})"),
                ("plan.field.indicator", s.indicator),
                ("plan.field.note", s.note or "—"),
            ):
                w.line(f"{ctx.t(label)}: {value}", 9.5, indent=0.02)
            w.gap(0.012)
        w.close()
    # 3. Money.
    w.page()
    w.line(ctx.t("plan.cost.title"), 13, bold=True)
    rows, totals = view.cost_rows(ctx, plan)
    head = view.cost_head(ctx)
    assert w.fig is not None
    height = 0.024 * (len(rows) + 1)
    table = w.fig.add_axes((0.07, w.y - height, 0.86, height))
    table.axis("off")
    t = table.table(
        cellText=[list(r) for r in rows],
        colLabels=head,
        cellLoc="left",
        colWidths=[0.34, 0.24, 0.1, 0.16, 0.16],
        bbox=Bbox.from_bounds(0, 0, 1, 1),
    )
    t.auto_set_font_size(False)
    t.set_fontsize(8.5)
    for cell in t.get_celld().values():
        cell.get_text().set_parse_math(False)
    w.y -= height + 0.03
    w.line(totals, 10, bold=True)
    w.gap(0.015)
    w.line(ctx.t("plan.routes"), 12, bold=True)
    for name, covers, explain, watch in view.route_lines(ctx):
        w.line(f"{name} ({covers})", 10, bold=True)
        w.line(explain, 9)
        w.line(watch, 8.5)
        w.gap(0.005)
    w.close()


def _checklists_into(pdf: PdfPages, ctx: Texts, phase_ids: Sequence[str]) -> None:
    c, lang = ctx.content, ctx.lang
    for pid in phase_ids:
        phase, item = c.phase(pid), c.checklist(pid)
        w = TextPages(pdf, f"{ctx.t('plan.checklist.header')} — {ctx.t('landing.title')}")
        w.page()
        w.line(
            ctx.t("plan.checklist.title", phase=f"{phase.number} · {phase.name(lang)}"),
            16,
            bold=True,
        )
        w.line(phase.question(lang), 10)
        w.gap(0.015)
        w.line(ctx.t("plan.checklist.before"), 12, bold=True)
        for text in item.checklist:
            w.line(f"☐  {text(lang)}", 10.5, indent=0.01)
            w.gap(0.006)
        w.gap(0.015)
        w.line(ctx.t("plan.checklist.tips"), 12, bold=True)
        for text in item.tips:
            w.line(f"•  {text(lang)}", 10, indent=0.01)
            w.gap(0.004)
        w.gap(0.015)
        w.line(ctx.t("plan.checklist.pitfalls"), 12, bold=True)
        for text in phase.pitfalls:
            w.line(f"✗  {text(lang)}", 9.5, indent=0.01)
        w.close()


def _pdf(ctx: Texts, title: str, fill: Any) -> bytes:
    buf = io.BytesIO()
    with PdfPages(buf, metadata={"Title": title, "Creator": "Implementatiekit"}) as pdf:
        fill(pdf)
    return buf.getvalue()


def plan_pdf(ctx: Texts, plan: Plan) -> bytes:
    """The plan as an A4 PDF (:func:`plan_pages` pages)."""
    return _pdf(ctx, ctx.t("plan.title"), lambda pdf: _plan_into(pdf, ctx, plan))


def checklist_pdf(ctx: Texts, phase_ids: Sequence[str]) -> bytes:
    """One A4 page per phase: checklist, tips and pitfalls."""
    return _pdf(
        ctx, ctx.t("plan.checklist.header"), lambda pdf: _checklists_into(pdf, ctx, phase_ids)
    )


def werkmap_pdf(ctx: Texts, plan: Plan) -> bytes:
    """The plan followed by the checklists of all six phases."""
    ids = [p.id for p in ctx.content.phases]

    def fill(pdf: PdfPages) -> None:
        _plan_into(pdf, ctx, plan)
        _checklists_into(pdf, ctx, ids)

    return _pdf(ctx, ctx.t("plan.werkmap"), fill)


# --------------------------------------------------------------------------- Word


def _document(ctx: Texts, title: str) -> DocxDocument:
    from docx import Document
    from docx.shared import Mm

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    doc.core_properties.title = title
    doc.core_properties.language = ctx.lang
    doc.core_properties.author = "Implementatiekit"
    return doc


def _table(doc: DocxDocument, head: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


def _plan_docx_into(doc: DocxDocument, ctx: Texts, plan: Plan) -> None:
    c = ctx.content
    doc.add_heading(ctx.t("plan.title"), level=0)
    doc.add_paragraph(view.scan_line(ctx, plan))
    doc.add_heading(ctx.t("plan.pdca"), level=1)
    for heading, text in view.pdca_lines(ctx, plan):
        p = doc.add_paragraph()
        p.add_run(f"{heading}: ").bold = True
        p.add_run(text)
    findings = logic.check(plan, c)
    doc.add_heading(ctx.t("plan.findings"), level=1)
    for f in findings:
        doc.add_paragraph(view.finding_text(ctx, f), style="List Bullet")
    if not findings:
        doc.add_paragraph("✓ " + ctx.t("plan.findings.none"))
    doc.add_heading(ctx.t("plan.steps"), level=1)
    labels: list[tuple[str, Callable[[view.StepView], str]]] = [
        ("plan.field.phase", lambda s: f"{s.phase} — {s.fit}"),
        ("plan.field.who", lambda s: s.who),
        ("plan.field.when", lambda s: s.when),
        ("plan.field.needs", lambda s: f"{s.needs} ({s.cost})"),
        ("plan.field.indicator", lambda s: s.indicator),
        ("plan.field.note", lambda s: s.note or ""),
    ]
    steps = logic.schedule(plan.steps)
    if not steps:
        doc.add_paragraph(ctx.t("plan.no_steps"))
    for n, step in enumerate(steps, start=1):
        s = view.step_view(ctx, plan, step)
        doc.add_heading(f"{n}. {s.activity}", level=2)
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for key, get in labels:
            cells = table.add_row().cells
            cells[0].text = ctx.t(key)
            cells[1].text = get(s)
    doc.add_heading(ctx.t("plan.cost.title"), level=1)
    rows, totals = view.cost_rows(ctx, plan)
    head = view.cost_head(ctx)
    _table(doc, head, rows)
    doc.add_paragraph().add_run(totals).bold = True
    doc.add_heading(ctx.t("plan.routes"), level=2)
    for name, covers, explain, watch in view.route_lines(ctx):
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(f"{name} ({covers}): ").bold = True
        p.add_run(f"{explain} {watch}")


def _checklists_docx_into(doc: DocxDocument, ctx: Texts, phase_ids: Sequence[str]) -> None:
    c, lang = ctx.content, ctx.lang
    for i, pid in enumerate(phase_ids):
        if i:
            doc.add_page_break()
        phase, item = c.phase(pid), c.checklist(pid)
        doc.add_heading(
            ctx.t("plan.checklist.title", phase=f"{phase.number} · {phase.name(lang)}"), level=1
        )
        doc.add_paragraph(phase.question(lang))
        doc.add_heading(ctx.t("plan.checklist.before"), level=2)
        for text in item.checklist:
            doc.add_paragraph(f"☐ {text(lang)}")
        doc.add_heading(ctx.t("plan.checklist.tips"), level=2)
        for text in item.tips:
            doc.add_paragraph(text(lang), style="List Bullet")
        doc.add_heading(ctx.t("plan.checklist.pitfalls"), level=2)
        for text in phase.pitfalls:
            doc.add_paragraph(text(lang), style="List Bullet")


def _save(doc: DocxDocument) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def plan_docx(ctx: Texts, plan: Plan) -> bytes:
    """The plan as an editable Word document."""
    doc = _document(ctx, ctx.t("plan.title"))
    _plan_docx_into(doc, ctx, plan)
    return _save(doc)


def checklist_docx(ctx: Texts, phase_ids: Sequence[str]) -> bytes:
    """The checklists of these phases as an editable Word document, a page per phase."""
    doc = _document(ctx, ctx.t("plan.checklist.header"))
    _checklists_docx_into(doc, ctx, phase_ids)
    return _save(doc)


def werkmap_docx(ctx: Texts, plan: Plan) -> bytes:
    """The plan followed by the checklists of all six phases, one Word document."""
    doc = _document(ctx, ctx.t("plan.werkmap"))
    _plan_docx_into(doc, ctx, plan)
    doc.add_page_break()
    _checklists_docx_into(doc, ctx, [p.id for p in ctx.content.phases])
    return _save(doc)
