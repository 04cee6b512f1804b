"""Every export read back as its reader gets it (issue 26 §2): the text of the PDFs (pypdf,
each read once: tests/pdftext.py), the
Word files (python-docx) and the CSV files as a spreadsheet in the language reads them (Dutch
Excel: UTF-8 with a byte order mark, ";" between cells, a decimal comma). Each test fills in every
field a user can fill in and asserts that each one is in the document, in Dutch and in English,
and that no heading, label or date of the other language is."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Callable, Iterable

import pytest
from babel.dates import get_month_names
from docx import Document

from kit import formats, plan_docs, reports
from kit.answers import (
    DONT_KNOW,
    NOT_APPLICABLE,
    ActivityPick,
    Adaptations,
    PhaseGuess,
    Plan,
    PlanStep,
    Proposal,
    ScanAnswers,
)
from kit.content import default_content
from kit.present import plan as view
from kit.present.group import answers_csv
from kit.present.kern import log_cells, log_csv, to_log
from kit.present.quickscan import answer_label
from kit.present.texts import Texts
from kit.storage import SessionInfo, Submission
from tests import pdftext

C = default_content()
LANGS = ("nl", "en")
OTHER = {"nl": "en", "en": "nl"}
PERSPECTIVE = "organisatie"
ITEM = C.interventions[0]
TODAY = dt.date.today()


# --------------------------------------------------------------------------- reading


def pdf_text(data: bytes) -> str:
    return pdftext.text(data)


def pdf_pages(data: bytes) -> int:
    return len(pdftext.read(data).pages)


def assert_on_the_page(data: bytes) -> None:
    """Every piece of text starts inside its page (a text drawn off the page is still in the
    file, so reading the text alone would not notice it)."""
    for number, page in enumerate(pdftext.read(data).pages, start=1):
        outside = [
            f"{run.text.strip()[:30]!r} at ({run.x:.0f}, {run.y:.0f})"
            for run in page.runs
            if run.text.strip()
            and not (0 <= run.x <= page.width - 20 and 10 <= run.y <= page.height - 10)
        ]
        assert outside == [], f"page {number}: {outside}"


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def csv_rows(data: bytes, lang: str) -> list[list[str]]:
    """The rows as Excel in ``lang`` splits them: Dutch Excel splits on ";" and, without the byte
    order mark, would read UTF-8 as Windows-1252."""
    assert data.startswith(b"\xef\xbb\xbf"), "no byte order mark: Excel misreads ë and é"
    delimiter = {"nl": ";", "en": ","}[lang]
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline=""), delimiter=delimiter))
    assert len({len(r) for r in rows}) == 1, "rows of different lengths: wrong separator?"
    return rows


def squash(text: str) -> str:
    """Text without white space: a PDF wraps lines where it likes."""
    return re.sub(r"\s+", "", text)


def missing(document: str, wanted: Iterable[str]) -> list[str]:
    flat = squash(document)
    return [w for w in wanted if w and squash(w) not in flat]


def months(lang: str) -> list[str]:
    names = get_month_names("wide", locale=formats.locale(lang))
    return list(names.values())


#: Small words of running text in one language that the other never uses (the Dutch titles of
#: Dutch sources may stand in an English document: "Wat werkt bij de implementatie ..."). The
#: user texts of the fixtures below avoid them.
FUNCTION_WORDS = {
    "nl": ("het", "een", "niet", "wordt", "voor"),
    "en": ("the", "and", "with", "where", "which"),
}


def foreign(document: str, lang: str, keys: Iterable[str]) -> list[str]:
    """Texts of the other language in ``document``: the other language's month names (whole
    words, case and all: "november" is Dutch, "November" English), its small words of running
    text, and its version of each of these UI texts (those without placeholders that differ
    between the languages)."""
    other = OTHER[lang]
    found = [m for m in months(other) if m not in months(lang) and re.search(rf"\b{m}\b", document)]
    found += [
        line.strip()
        for line in document.splitlines()
        if any(re.search(rf"\b{w}\b", line, re.IGNORECASE) for w in FUNCTION_WORDS[other])
    ]
    flat = squash(document)
    for key in keys:
        theirs, ours = C.t(key, other), C.t(key, lang)
        different = theirs != ours and squash(theirs) not in squash(ours)
        if different and len(squash(theirs)) >= 5 and squash(theirs) in flat:
            found.append(theirs)
    return found


def ui_keys(*prefixes: str) -> list[str]:
    """UI keys with these prefixes whose texts have no placeholders."""
    keys = []
    for key in C.ui:
        if key.startswith(prefixes) and all("{" not in C.ui[key](lang, 1) for lang in LANGS):
            keys.append(key)
    assert keys, prefixes
    return keys


class Documents:
    """The PDFs that several tests of this module read, each built once per run of the module
    with exactly the same arguments (a document made with other arguments is made anew where
    its test makes it). A module-scoped fixture, not a module-level cache: every pytest run, such
    as mutmut's run of one mutant in a forked process, builds them again with the code it tests."""

    def __init__(self) -> None:
        self._made: dict[tuple[object, ...], bytes] = {}

    def _once(self, key: tuple[object, ...], make: Callable[[], bytes]) -> bytes:
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]

    def quickscan(self, lang: str, reference_shown: bool = True) -> bytes:
        """The quickscan report of :func:`scan_values` on the case."""
        return self._once(
            ("quickscan", lang, reference_shown),
            lambda: reports.quickscan_pdf(
                Texts(C, lang),
                PERSPECTIVE,
                C.case("schuldmaatjes"),
                scan_values(),
                reference_shown=reference_shown,
            ),
        )

    def plan(self, lang: str) -> bytes:
        """``plan_pdf`` of :func:`full_plan`."""
        return self._once(("plan", lang), lambda: plan_docs.plan_pdf(Texts(C, lang), full_plan()))

    def werkmap(self, lang: str) -> bytes:
        """``werkmap_pdf`` of :func:`full_plan`."""
        return self._once(
            ("werkmap", lang), lambda: plan_docs.werkmap_pdf(Texts(C, lang), full_plan())
        )


@pytest.fixture(scope="module")
def docs() -> Documents:
    return Documents()


# --------------------------------------------------------------------------- quickscan


def scan_values() -> dict[str, object]:
    """Every statement of the perspective answered, in turn every point of the scale, "don't
    know" and "not applicable"; the last one left open."""
    statements = C.instrument.statements_for(PERSPECTIVE)
    cycle = [*(s.value for s in C.instrument.scale), DONT_KNOW, NOT_APPLICABLE]
    return {s.id: cycle[i % len(cycle)] for i, s in enumerate(statements[:-1])}


@pytest.mark.parametrize("lang", LANGS)
def test_quickscan_document_has_every_answer_in_its_language(lang: str, docs: Documents) -> None:
    ctx = Texts(C, lang)
    values = scan_values()
    case = C.case("schuldmaatjes")
    data = docs.quickscan(lang)
    text = pdf_text(data)
    statements = C.instrument.statements_for(PERSPECTIVE)
    assert_on_the_page(data)
    # Summary, grid, advice (with what it rests on: a page or more), then the answers 15 a page.
    texts = pdftext.page_texts(data)
    n = len(statements)
    heading = ctx.t("quickscan.report.answers")
    answers = [i for i, t in enumerate(texts) if heading in t.splitlines()[:3]]
    assert math.ceil(n / 15) <= len(answers) <= math.ceil(n / 10)
    assert answers == list(range(len(texts) - len(answers), len(texts))) and answers[0] >= 3
    per_page = [texts[i].count("→") for i in answers]
    assert sum(per_page) == n and max(per_page) <= 15
    # Each statement followed by its own answer in words (a dropped answer shifts the pairs).
    pairs = [f"{s.text(lang)}→{answer_label(ctx, values.get(s.id))}" for s in statements]
    assert missing(text, pairs) == []
    assert missing(text, [formats.date(TODAY, lang), case.title(lang)]) == []
    assert (
        foreign(text, lang, ui_keys("quickscan.report", "quickscan.answer", "quickscan.level"))
        == []
    )


def test_quickscan_document_keeps_the_reference_back_until_the_reveal(docs: Documents) -> None:
    """In a led room the phone's PDF is made before the trainer reveals the case's reading:
    it must not hold what the screen holds back (its chart mark, legend and comparison)."""
    ctx = Texts(C, "nl")
    case = C.case("schuldmaatjes")
    reference = ctx.t("quickscan.compare.reference")
    shown = pdf_text(docs.quickscan("nl"))
    held = pdf_text(docs.quickscan("nl", reference_shown=False))
    assert ctx.t("quickscan.tab.compare") in shown and reference in shown
    assert ctx.t("quickscan.tab.compare") not in held and reference not in held
    assert case.title("nl") in held  # still the scan on this case


# --------------------------------------------------------------------------- adaptation log


def proposals() -> list[Proposal]:
    kern = next(e for e in ITEM.elements if e.part == "kern")
    schil = next(e for e in ITEM.elements if e.part == "schil")
    return [
        Proposal(
            element=kern.id,
            type="remove",
            reason="Weinig tijd in rooster",
            goal="Korter programma, zelfde effect",
            when="pre-implementation",
            planned=True,
            who="developer",
            level="organisation",
            date="2026-03-05",
        ),
        Proposal(
            element=schil.id,
            type="tailor",
            reason="Voorbeelden uit de eigen wijk",
            goal="Herkenning in de eigen buurt",
            when="sustainment",
            planned=False,
            who="practitioner",
            level="individual",
            date="2026-11-24",
        ),
    ]


def log_keys() -> list[str]:
    return ui_keys("kern.log.col", "kern.frame.", "kern.verdict", "kern.tab.log", "kern.log.")


@pytest.mark.parametrize("lang", LANGS)
def test_adaptation_log_document_has_every_field(lang: str) -> None:
    ctx = Texts(C, lang)
    entries = to_log(ctx, ITEM, proposals())
    data = reports.kern_pdf(ctx, ITEM, proposals())
    assert_on_the_page(data)
    text = pdf_text(data)
    wanted = [
        cells[k]
        for cells in (log_cells(ctx, e) for e in entries)
        for k in ("date", "when", "planned", "who", "level", "reason", "goal", "element", "type")
    ]
    assert missing(text, wanted) == []
    assert "5 maart 2026" in text if lang == "nl" else "5 March 2026" in text
    assert foreign(text, lang, log_keys()) == []


@pytest.mark.parametrize("lang", LANGS)
def test_adaptation_log_csv_as_excel_reads_it(lang: str) -> None:
    ctx = Texts(C, lang)
    entries = to_log(ctx, ITEM, proposals())
    rows = csv_rows(log_csv(ctx, entries), lang)
    head, body = rows[0], rows[1:]
    assert head == [
        ctx.t(f"kern.log.col.{k}")
        for k in (
            "date",
            "when",
            "planned",
            "who",
            "element",
            "what",
            "level",
            "type",
            "frame_type",
            "verdict",
            "kern_kept",
            "reason",
            "goal",
        )
    ]
    assert [r[0] for r in body] == ["2026-03-05", "2026-11-24"]  # dates as dates, any language
    for row, e in zip(body, entries, strict=True):
        cells = log_cells(ctx, e)
        assert row[1:] == [
            cells[k]
            for k in (
                "when",
                "planned",
                "who",
                "element",
                "what",
                "level",
                "type",
                "frame_type",
                "verdict",
                "kern_kept",
                "reason",
                "goal",
            )
        ]
    assert foreign("\n".join(";".join(r) for r in rows), lang, log_keys()) == []


# --------------------------------------------------------------------------- plan


def full_plan() -> Plan:
    ids = list(scan_values())
    phase2 = C.phases[2].activities
    phase3 = C.phases[3].activities
    assert C.costs is not None
    costs = [c.id for c in C.costs.categories]
    steps = (
        PlanStep(
            activity=phase2[0].id,
            who="developer",
            when="2026-W50",
            hours=12,
            money=1500,
            people=3,
            cost=costs[0],
            indicator=ids[0],
            target=3,
            note="Bel eerst de wijkcoach",
        ),
        PlanStep(
            activity=phase2[1].id,
            who="professionals",
            when="2027-01-18",
            hours=4,
            money=0,
            people=8,
            cost=costs[-1],
            indicator=ids[1],
            target=2,
            note="Twee bijeenkomsten in de bibliotheek",
        ),
        PlanStep(activity=phase3[0].id, who="funder", when="2027-02-01", note="Subsidie aanvragen"),
    )
    return Plan(
        perspective=PERSPECTIVE,
        scan=dict(scan_values()),
        steps=steps,
        next_scan="2027-04-12",
        adjust="Anders eerst extra coaching",
        hour_rate=75,
    )


def plan_fields(ctx: Texts, plan: Plan) -> list[str]:
    """Every field of the plan as the documents write it."""
    wanted = [plan.adjust, view.when_text(ctx, plan.next_scan)]
    for step in plan.steps:
        s = view.step_view(ctx, plan, step)
        wanted += [s.activity, s.who, s.when, s.needs, s.cost, s.indicator, s.note]
    rows, totals = view.cost_rows(ctx, plan)
    wanted += [cell for row in rows for cell in row] + [totals]
    return wanted


def plan_keys() -> list[str]:
    return ui_keys(
        "plan.field",
        "plan.pdca",
        "plan.who",
        "plan.cost",
        "plan.steps",
        "plan.title",
        "plan.routes",
        "plan.findings",
        "plan.checklist",
        "plan.werkmap",
    )


@pytest.mark.parametrize("lang", LANGS)
def test_plan_word_has_every_field(lang: str) -> None:
    ctx = Texts(C, lang)
    plan = full_plan()
    for make in (plan_docs.plan_docx, plan_docs.werkmap_docx):
        text = docx_text(make(ctx, plan))
        assert missing(text, plan_fields(ctx, plan)) == [], make.__name__
        assert foreign(text, lang, plan_keys()) == [], make.__name__


@pytest.mark.parametrize("lang", LANGS)
def test_plan_pages_have_every_field(lang: str, docs: Documents) -> None:
    ctx = Texts(C, lang)
    plan = full_plan()
    for name, data in (("plan_pdf", docs.plan(lang)), ("werkmap_pdf", docs.werkmap(lang))):
        assert_on_the_page(data)
        text = pdf_text(data)
        assert missing(text, plan_fields(ctx, plan)) == [], name
        assert foreign(text, lang, plan_keys()) == [], name
    # Overview, the steps (four a page), money and the funding routes (as many pages as their
    # texts need); the werkmap adds a page per phase.
    pages = plan_docs.plan_pages(ctx, plan)
    assert pdf_pages(docs.plan(lang)) == pages >= 3
    many = plan.model_copy(
        update={"steps": tuple(PlanStep(activity=a.id) for a in C.phases[1].activities[:5])}
    )
    data = plan_docs.plan_pdf(ctx, many)
    assert pdf_pages(data) == plan_docs.plan_pages(ctx, many) == pages + 1
    assert_on_the_page(data)
    assert pdf_pages(docs.werkmap(lang)) == pages + len(C.phases)


def word_outline(data: bytes) -> list[tuple[str, str]]:
    """(style, text) of every heading, and the style of every table as ("table", style)."""
    doc = Document(io.BytesIO(data))
    heads = [
        (p.style.name, p.text)
        for p in doc.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    return heads + [("table", t.style.name) for t in doc.tables]


@pytest.mark.parametrize("lang", LANGS)
def test_plan_word_outline(lang: str) -> None:
    """The headings a reader navigates by, at their level, and the tables with their grid."""
    ctx = Texts(C, lang)
    plan = full_plan()
    outline = word_outline(plan_docs.plan_docx(ctx, plan))
    steps = [view.step_view(ctx, plan, s).activity for s in logic_schedule(plan)]
    assert outline == [
        ("Title", ctx.t("plan.title")),
        ("Heading 1", ctx.t("plan.pdca")),
        ("Heading 1", ctx.t("plan.findings")),
        ("Heading 1", ctx.t("plan.steps")),
        *(("Heading 2", f"{n}. {a}") for n, a in enumerate(steps, start=1)),
        ("Heading 1", ctx.t("plan.cost.title")),
        ("Heading 2", ctx.t("plan.routes")),
        *(("table", "Table Grid") for _ in range(len(steps) + 1)),
    ]
    none = ctx.t("plan.findings.none")
    assert none not in docx_text(plan_docs.plan_docx(ctx, plan))  # this plan has findings
    lists = word_outline(plan_docs.checklist_docx(ctx, [C.phases[1].id]))
    assert [style for style, _ in lists] == ["Heading 1", "Heading 2", "Heading 2", "Heading 2"]
    assert [text for _, text in lists][1:] == [
        ctx.t("plan.checklist.before"),
        ctx.t("plan.checklist.tips"),
        ctx.t("plan.checklist.pitfalls"),
    ]


def logic_schedule(plan: Plan) -> list[PlanStep]:
    from kit import plan as logic

    return logic.schedule(plan.steps)


def checklist_texts(lang: str, phase_ids: list[str]) -> list[str]:
    wanted = []
    for pid in phase_ids:
        phase, item = C.phase(pid), C.checklist(pid)
        wanted += [phase.name(lang), phase.question(lang)]
        wanted += [t(lang) for t in (*item.checklist, *item.tips, *phase.pitfalls)]
    return wanted


@pytest.mark.parametrize("lang", LANGS)
def test_phase_lists_and_the_folder_carry_every_phase(lang: str, docs: Documents) -> None:
    ctx = Texts(C, lang)
    ids = [p.id for p in C.phases]
    wanted = checklist_texts(lang, ids)
    assert_on_the_page(plan_docs.checklist_pdf(ctx, ids))
    for text in (
        pdf_text(plan_docs.checklist_pdf(ctx, ids[1:3])),
        docx_text(plan_docs.checklist_docx(ctx, ids[1:3])),
    ):
        assert missing(text, checklist_texts(lang, ids[1:3])) == []
        assert missing(text, checklist_texts(lang, ids[3:4])) != []  # only the phases asked for
        assert foreign(text, lang, ui_keys("plan.checklist")) == []
    plan = full_plan()
    for text in (
        pdf_text(docs.werkmap(lang)),
        docx_text(plan_docs.werkmap_docx(ctx, plan)),
    ):
        assert missing(text, wanted) == []
    other = checklist_texts(OTHER[lang], ids[1:2])
    assert [t for t in other if t not in wanted and squash(t) in squash(text)] == []


# --------------------------------------------------------------------------- group


def session(lang: str) -> tuple[SessionInfo, list[Submission]]:
    now = dt.datetime(2026, 11, 24, 14, 3, tzinfo=dt.UTC)
    info = SessionInfo(
        code="ABC123",
        title="Training Zuidwijk",
        case_id="schuldmaatjes",
        intervention_id=ITEM.id,
        created_at=now,
        expires_at=now + dt.timedelta(days=1),
        closed_at=None,
    )
    statements = [s.id for s in C.instrument.statements_for(PERSPECTIVE)][:6]
    scenario = C.scenarios[0]
    subs = [
        Submission(
            "p1",
            "Uil",
            ScanAnswers(
                perspective=PERSPECTIVE, case="schuldmaatjes", values=dict.fromkeys(statements, 0)
            ),
            now,
        ),
        Submission(
            "p2",
            "Merel",
            ScanAnswers(
                perspective=PERSPECTIVE, case="schuldmaatjes", values=dict.fromkeys(statements, 3)
            ),
            now,
        ),
        Submission("p1", "Uil", PhaseGuess(scenario=scenario.id, first=1, last=2), now),
        Submission(
            "p2",
            "Merel",
            ActivityPick(scenario=scenario.id, activities=(C.phases[1].activities[0].id,)),
            now,
        ),
        Submission(
            "p2", "Merel", Adaptations(intervention=ITEM.id, proposals=tuple(proposals())), now
        ),
        Submission("p1", "Uil", full_plan(), now),
    ]
    return info, subs


@pytest.mark.parametrize("lang", LANGS)
def test_group_document_has_the_session_people_and_answers(lang: str) -> None:
    ctx = Texts(C, lang)
    info, subs = session(lang)
    data = reports.group_pdf(ctx, info, subs)
    assert_on_the_page(data)
    text = pdf_text(data)
    plan = full_plan()
    wanted = [
        "Training Zuidwijk (ABC123)",
        "Merel, Uil",
        C.scenarios[0].title(lang),
        *(C.activity(s.activity).text(lang) for s in plan.steps),
        C.adaptation_type("remove").name(lang),
        C.adaptation_type("tailor").name(lang),
    ]
    assert missing(text, wanted) == []
    # Made today: the date in the report's language.
    assert formats.date(TODAY, lang) in text
    assert foreign(text, lang, ui_keys("group.")) == []


@pytest.mark.parametrize("lang", LANGS)
def test_group_csv_as_excel_reads_it(lang: str) -> None:
    ctx = Texts(C, lang)
    info, subs = session(lang)
    rows = csv_rows(answers_csv(ctx, info.code, subs), lang)
    head, body = rows[0], rows[1:]
    assert head[:2] == [ctx.t("group.csv.col.session"), ctx.t("group.csv.col.alias")]
    assert {r[0] for r in body} == {"ABC123"} and {r[1] for r in body} == {"Uil", "Merel"}
    flat = "\n".join(";".join(r) for r in rows)
    plan = full_plan()
    proposal = proposals()[0]
    assert (
        missing(
            flat,
            [
                proposal.reason,
                proposal.goal,
                *(s.note for s in plan.steps),
                C.scenarios[0].title(lang),
            ],
        )
        == []
    )
    # Numbers as the language writes them: a participant's phase mean of 1.5 would be "1,5".
    values = [r[head.index(ctx.t("group.csv.col.value"))] for r in body]
    assert "0" in values and "3" in values
    assert not any(("." in v) if lang == "nl" else ("," in v) for v in values)
    assert foreign(flat, lang, ui_keys("group.csv", "kern.verdict", "plan.who")) == []


def sized_text(data: bytes) -> list[list[tuple[float, str]]]:
    """Per page, every piece of text with its size in points, in the order drawn."""
    return [
        [(round(run.size, 1), run.text.strip()) for run in page.runs if run.text.strip()]
        for page in pdftext.read(data).pages
    ]


def drawn_at(pages: list[list[tuple[float, str]]], size: float, text: str) -> bool:
    """Whether ``text`` (its start: a PDF splits text at some symbols) is drawn at ``size``."""
    head = text[:15]
    return any(
        s == size and (t == text or t.startswith(head) or (len(t) >= 6 and head.startswith(t)))
        for page in pages
        for s, t in page
    )


def test_the_reading_sees_where_and_how_large_text_is_drawn() -> None:
    """The readers above (one parse per document, tests/pdftext.py) are not blind: a text drawn
    below the page fails :func:`assert_on_the_page`, naming its page, and each text is read
    with the size it is drawn at."""
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    def document(y: float) -> bytes:
        buf = io.BytesIO()
        with PdfPages(buf) as pdf:
            for text, at, size in (("Eerste blad", 0.5, 12.0), ("Tweede blad", y, 9.5)):
                page = Figure(figsize=(8.27, 11.69))
                page.text(0.07, at, text, fontsize=size)
                pdf.savefig(page)
        return buf.getvalue()

    fine = document(0.5)
    assert_on_the_page(fine)
    assert sized_text(fine) == [[(12.0, "Eerste blad")], [(9.5, "Tweede blad")]]
    assert pdftext.page_texts(fine) == ["Eerste blad", "Tweede blad"]
    off = ["'Tweede blad' at (42, -17)"]
    with pytest.raises(AssertionError, match=re.escape(f"page 2: {off}")):
        assert_on_the_page(document(-0.02))


@pytest.mark.parametrize("lang", LANGS)
def test_plan_pages_typography(lang: str, docs: Documents) -> None:
    """The plan's pages as a table of sizes: a reader finds the title, the headings, each step
    and the small print by their size; every page carries the plan's name at the top."""
    ctx = Texts(C, lang)
    plan = full_plan()
    pages = sized_text(docs.plan(lang))
    for number, page in enumerate(pages, start=1):
        assert (9.0, ctx.t("plan.title")) in page, f"page {number} without its header"
    step = view.step_view(ctx, plan, logic_schedule(plan)[0])
    name, covers, explain, watch = view.route_lines(ctx)[0]
    table = [
        (16.0, ctx.t("plan.title")),
        *((12.0, heading) for heading, _ in view.pdca_lines(ctx, plan)),
        (12.0, ctx.t("plan.findings")),
        (13.0, ctx.t("plan.steps")),
        (11.0, f"1. {step.activity}"),
        (9.5, f"{ctx.t('plan.field.who')}: {step.who}"),
        (13.0, ctx.t("plan.cost.title")),
        (8.5, view.cost_head(ctx)[0]),
        (12.0, ctx.t("plan.routes")),
        (10.0, f"{name} ({covers})"),
        (9.0, explain),
        (8.5, watch),
    ]
    assert [row for row in table if not drawn_at(pages, *row)] == []
    checklist = sized_text(plan_docs.checklist_pdf(ctx, [C.phases[1].id]))
    phase = C.phases[1]
    assert [
        row
        for row in [
            (16.0, ctx.t("plan.checklist.title", phase=f"{phase.number} · {phase.name(lang)}")),
            (10.0, phase.question(lang)),
            (12.0, ctx.t("plan.checklist.before")),
            (10.5, C.checklist(phase.id).checklist[0](lang)),
            (12.0, ctx.t("plan.checklist.tips")),
            (10.0, C.checklist(phase.id).tips[0](lang)),
            (12.0, ctx.t("plan.checklist.pitfalls")),
            (9.5, phase.pitfalls[0](lang)),
        ]
        if not drawn_at(checklist, *row)
    ] == []


# --------------------------------------------------------------------------- who made it


def maker(subject: str = "case", title: str = "", subject_id: str = "") -> formats.Maker:
    """A student in a homework session, with a name a file system would trip over."""
    return formats.Maker(
        name="Merel / de Vriés",
        session="K7Q2MX",
        subject=subject,  # type: ignore[arg-type]
        title=title,
        subject_id=subject_id,
        made=dt.datetime(2026, 12, 7, 14, 3),
    )


def made_by(lang: str, title: str) -> list[str]:
    """What a document by :func:`maker` must say: the name, the session, the subject, the date."""
    return [
        "Merel / de Vriés",
        "K7Q2MX",
        title,
        "7 december 2026" if lang == "nl" else "7 December 2026",
    ]


def every_page_names(data: bytes, wanted: Iterable[str]) -> None:
    """Each page on its own names the maker: a page printed or handed in alone says whose."""
    for number, text in enumerate(pdftext.page_texts(data), start=1):
        assert missing(text, wanted) == [], f"page {number}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_student_document_names_who_made_it(lang: str) -> None:
    ctx = Texts(C, lang)
    case = C.case("schuldmaatjes")
    m = maker("case", case.title(lang), case.id)
    data = reports.quickscan_pdf(ctx, PERSPECTIVE, case, scan_values(), maker=m)
    assert_on_the_page(data)
    every_page_names(data, made_by(lang, case.title(lang)))
    assert pdftext.read(data).meta("/Author") == "Merel / de Vriés"
    assert foreign(pdf_text(data), lang, ui_keys("export.")) == []

    m = maker("intervention", ITEM.name(lang), ITEM.id)
    data = reports.kern_pdf(ctx, ITEM, proposals(), m)
    assert_on_the_page(data)
    every_page_names(data, made_by(lang, ITEM.name(lang)))
    assert ctx.t("export.intervention", title=ITEM.name(lang)) in pdf_text(data)

    plan = full_plan()
    m = maker("case", case.title(lang), case.id)
    for make in (plan_docs.plan_pdf, plan_docs.werkmap_pdf):
        data = make(ctx, plan, m)
        assert_on_the_page(data)
        every_page_names(data, made_by(lang, case.title(lang)))
        if make is plan_docs.plan_pdf:
            assert pdf_pages(data) == plan_docs.plan_pages(ctx, plan, m)
    for make_docx in (plan_docs.plan_docx, plan_docs.werkmap_docx):
        data = make_docx(ctx, plan, m)
        assert missing(docx_text(data), made_by(lang, case.title(lang))) == []
        doc = Document(io.BytesIO(data))
        assert doc.core_properties.author == "Merel / de Vriés"
        assert "K7Q2MX" in doc.sections[0].header.paragraphs[0].text


@pytest.mark.parametrize("lang", LANGS)
def test_the_log_spreadsheet_names_who_made_each_row(lang: str) -> None:
    ctx = Texts(C, lang)
    entries = to_log(ctx, ITEM, proposals())
    m = maker("intervention", ITEM.name(lang), ITEM.id)
    rows = csv_rows(log_csv(ctx, entries, m), lang)
    assert rows[0][:4] == [ctx.t(f"export.col.{k}") for k in ("name", "session", "subject", "made")]
    assert rows[0][4:] == csv_rows(log_csv(ctx, entries), lang)[0]
    subject = ctx.t("export.intervention", title=ITEM.name(lang))
    for row in rows[1:]:
        assert row[:4] == ["Merel / de Vriés", "K7Q2MX", subject, "2026-12-07 14:03"]


def test_file_names_name_the_maker_and_differ_per_student() -> None:
    m = maker("case", "Schuldmaatjes", "schuldmaatjes")
    assert formats.file_name("quickscan", m, "pdf") == (
        "quickscan-merel-de-vries-K7Q2MX-schuldmaatjes-2026-12-07-1403.pdf"
    )
    names = {
        formats.file_name("quickscan", formats.Maker(name=n, session="K7Q2MX", made=m.made), "pdf")
        for n in ("Uil", "Merel", "Ｍｅｒｅｌ 2", "../../etc/passwd", 'a\\b:c*?"<>|')
    }
    assert len(names) == 5
    assert not any(ch in n for n in names for ch in '/\\:*?"<>|') and not any(
        ".." in n for n in names
    )
