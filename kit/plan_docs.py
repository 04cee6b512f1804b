"""The plan and the take-home material as files: Word (python-docx, the format teams edit) and
PDF (matplotlib's PdfPages, A4).

Everything the documents say comes from :mod:`kit.present.plan`, so they match the app. Text a
user typed is drawn as plain text: every PDF text call passes ``parse_math=False``, so a ``$`` in
a note is a dollar sign, not the start of a formula. Every text goes through
:func:`kit.text.printable` on its way into a document (Word's XML refuses control characters, and
neither format holds half an emoji), so a plan stored before the kit cleaned what people type
still makes its documents.

Pages of the plan PDF: an overview (scan, the cycle, warnings), the steps (``STEPS_PER_PAGE`` a
page, at least one page), the cost worksheet with funding routes. A checklist is one page per
phase; the *werkmap* is the plan followed by all six checklists.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.transforms import Bbox

from kit import plan as logic
from kit.pages import Signed, TextPages
from kit.present import plan as view
from kit.present.maker import byline
from kit.text import printable

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

    from kit.answers import Plan
    from kit.formats import Maker
    from kit.present.texts import Texts

STEPS_PER_PAGE = 4
#: At most this many findings on the overview page (it stays one page); the rest are counted.
FINDINGS_ON_PAGE = 16
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def plan_pages(ctx: Texts, plan: Plan, maker: Maker | None = None) -> int:
    """How many pages :func:`plan_pdf` writes: its layout run without saving anything. The
    funding routes at the end take as many pages as their texts need, so the count depends on
    the content and the language, not only on the number of steps."""
    counter = _PageCount()
    _plan_into(cast("PdfPages", counter), ctx, plan, maker)
    return counter.pages


class _PageCount:
    """Stands in for PdfPages in :func:`plan_pages`: counts the pages instead of writing them."""

    def __init__(self) -> None:
        self.pages = 0

    def savefig(self, figure: Any = None, **kwargs: Any) -> None:
        self.pages += 1


# --------------------------------------------------------------------------- PDF


def _title(ctx: Texts) -> str:
    return f"{ctx.t('plan.title')} — {dt.date.today().isoformat()}"


def _plan_into(pdf: PdfPages, ctx: Texts, plan: Plan, maker: Maker | None = None) -> None:
    c = ctx.content
    header = _title(ctx)
    w = TextPages(pdf, header)
    # 1. Overview.
    w.page()
    w.line(ctx.t("plan.title"), 16, bold=True)
    if maker is not None:
        w.line(byline(ctx, maker), 9)
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
        cellText=[[printable(x) for x in r] for r in rows],
        colLabels=[printable(x) for x in head],
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


def _pdf(ctx: Texts, title: str, fill: Any, maker: Maker | None = None) -> bytes:
    """A PDF filled by ``fill``; with a ``maker``, every page is signed at its foot and the
    file's author is the maker's name."""
    buf = io.BytesIO()
    meta = {"Title": title, "Creator": "Implementatiekit"}
    if maker is not None and maker.name:
        meta["Author"] = printable(maker.name)
    with PdfPages(buf, metadata=meta) as pdf:
        fill(pdf if maker is None else cast("PdfPages", Signed(pdf, byline(ctx, maker))))
    return buf.getvalue()


def plan_pdf(ctx: Texts, plan: Plan, maker: Maker | None = None) -> bytes:
    """The plan as an A4 PDF (:func:`plan_pages` pages); with a ``maker``, it says on every
    page who made it, in which session, when."""
    return _pdf(ctx, ctx.t("plan.title"), lambda pdf: _plan_into(pdf, ctx, plan, maker), maker)


def checklist_pdf(ctx: Texts, phase_ids: Sequence[str]) -> bytes:
    """One A4 page per phase: checklist, tips and pitfalls."""
    return _pdf(
        ctx, ctx.t("plan.checklist.header"), lambda pdf: _checklists_into(pdf, ctx, phase_ids)
    )


def werkmap_pdf(ctx: Texts, plan: Plan, maker: Maker | None = None) -> bytes:
    """The plan followed by the checklists of all six phases."""
    ids = [p.id for p in ctx.content.phases]

    def fill(pdf: PdfPages) -> None:
        _plan_into(pdf, ctx, plan, maker)
        _checklists_into(pdf, ctx, ids)

    return _pdf(ctx, ctx.t("plan.werkmap"), fill, maker)


# --------------------------------------------------------------------------- Word


def _document(ctx: Texts, title: str, maker: Maker | None = None) -> DocxDocument:
    from docx import Document
    from docx.shared import Mm

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    doc.core_properties.title = printable(title)
    doc.core_properties.language = ctx.lang
    doc.core_properties.author = (
        printable(maker.name) if maker and maker.name else "Implementatiekit"
    )
    if maker is not None:  # who made it, on every page: in the header
        section.header.paragraphs[0].text = printable(byline(ctx, maker))
    return doc


# Every text enters the Word file through these four, each through printable().


def _heading(doc: DocxDocument, text: str, level: int) -> None:
    doc.add_heading(printable(text), level=level)


def _para(doc: DocxDocument, text: str = "", style: str | None = None) -> Paragraph:
    return doc.add_paragraph(printable(text), style=style)


def _run(paragraph: Paragraph, text: str, bold: bool = False) -> None:
    paragraph.add_run(printable(text)).bold = bold or None


def _cell(cell: _Cell, text: str) -> None:
    cell.text = printable(text)


def _table(doc: DocxDocument, head: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        _cell(cell, text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            _cell(cell, text)


def _plan_docx_into(doc: DocxDocument, ctx: Texts, plan: Plan, maker: Maker | None = None) -> None:
    c = ctx.content
    _heading(doc, ctx.t("plan.title"), 0)
    if maker is not None:
        _para(doc, byline(ctx, maker))
    _para(doc, view.scan_line(ctx, plan))
    _heading(doc, ctx.t("plan.pdca"), 1)
    for heading, text in view.pdca_lines(ctx, plan):
        p = _para(doc)
        _run(p, f"{heading}: ", bold=True)
        _run(p, text)
    findings = logic.check(plan, c)
    _heading(doc, ctx.t("plan.findings"), 1)
    for f in findings:
        _para(doc, view.finding_text(ctx, f), style="List Bullet")
    if not findings:
        _para(doc, "✓ " + ctx.t("plan.findings.none"))
    _heading(doc, ctx.t("plan.steps"), 1)
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
        _para(doc, ctx.t("plan.no_steps"))
    for n, step in enumerate(steps, start=1):
        s = view.step_view(ctx, plan, step)
        _heading(doc, f"{n}. {s.activity}", 2)
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for key, get in labels:
            cells = table.add_row().cells
            _cell(cells[0], ctx.t(key))
            _cell(cells[1], get(s))
    _heading(doc, ctx.t("plan.cost.title"), 1)
    rows, totals = view.cost_rows(ctx, plan)
    head = view.cost_head(ctx)
    _table(doc, head, rows)
    _run(_para(doc), totals, bold=True)
    _heading(doc, ctx.t("plan.routes"), 2)
    for name, covers, explain, watch in view.route_lines(ctx):
        p = _para(doc, style="List Bullet")
        _run(p, f"{name} ({covers}): ", bold=True)
        _run(p, f"{explain} {watch}")


def _checklists_docx_into(doc: DocxDocument, ctx: Texts, phase_ids: Sequence[str]) -> None:
    c, lang = ctx.content, ctx.lang
    for i, pid in enumerate(phase_ids):
        if i:
            doc.add_page_break()
        phase, item = c.phase(pid), c.checklist(pid)
        _heading(
            doc, ctx.t("plan.checklist.title", phase=f"{phase.number} · {phase.name(lang)}"), 1
        )
        _para(doc, phase.question(lang))
        _heading(doc, ctx.t("plan.checklist.before"), 2)
        for text in item.checklist:
            _para(doc, f"☐ {text(lang)}")
        _heading(doc, ctx.t("plan.checklist.tips"), 2)
        for text in item.tips:
            _para(doc, text(lang), style="List Bullet")
        _heading(doc, ctx.t("plan.checklist.pitfalls"), 2)
        for text in phase.pitfalls:
            _para(doc, text(lang), style="List Bullet")


def _save(doc: DocxDocument) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def plan_docx(ctx: Texts, plan: Plan, maker: Maker | None = None) -> bytes:
    """The plan as an editable Word document; with a ``maker``, who made it, in which session,
    when: under the title and in the page header."""
    doc = _document(ctx, ctx.t("plan.title"), maker)
    _plan_docx_into(doc, ctx, plan, maker)
    return _save(doc)


def checklist_docx(ctx: Texts, phase_ids: Sequence[str]) -> bytes:
    """The checklists of these phases as an editable Word document, a page per phase."""
    doc = _document(ctx, ctx.t("plan.checklist.header"))
    _checklists_docx_into(doc, ctx, phase_ids)
    return _save(doc)


def werkmap_docx(ctx: Texts, plan: Plan, maker: Maker | None = None) -> bytes:
    """The plan followed by the checklists of all six phases, one Word document."""
    doc = _document(ctx, ctx.t("plan.werkmap"), maker)
    _plan_docx_into(doc, ctx, plan, maker)
    doc.add_page_break()
    _checklists_docx_into(doc, ctx, [p.id for p in ctx.content.phases])
    return _save(doc)
