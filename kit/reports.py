"""PDF reports, built with matplotlib's PdfPages (no extra dependency).

Pages are Figures with text laid out top-down; long lists continue on the next page. Every text
goes through :func:`kit.text.printable` (here in :func:`_put`, and in :class:`kit.pages.TextPages`),
so text stored before the kit cleaned what people type (a NUL, an escape, half an emoji in a
session title or a reason) never stops a report.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from kit import formats, quickscan
from kit.charts import plain_text
from kit.pages import A4, Signed, TextPages
from kit.text import printable

if TYPE_CHECKING:
    from kit.answers import Proposal
    from kit.content import Case, Intervention
    from kit.formats import Maker
    from kit.homework import Assignment, HandIn
    from kit.present.explain import PhaseGrounds
    from kit.present.group import HexagonPanel
    from kit.present.kern import SituationLine
    from kit.present.room import PollSummary
    from kit.present.texts import Texts
    from kit.storage import SessionInfo, Submission

LINES_PER_PAGE = 54
STATEMENTS_PER_PAGE = 15
#: The answer pages' layout, in fractions of the page height: a line of 9 pt, the space an
#: answer and the gap after it take, the lowest a row may reach.
LINE, ROW_GAP, BOTTOM = 0.016, 0.038, 0.04


def _byline(ctx: Texts, maker: Maker | None) -> str:
    """Who made the document, in its language ("" without a maker)."""
    from kit.present.maker import byline

    return "" if maker is None else byline(ctx, maker)


def _metadata(title: str, maker: Maker | None) -> dict[str, str]:
    """The PDF's properties: its title and, with a maker, the author a file manager shows."""
    meta = {"Title": title, "Creator": "Implementatiekit"}
    if maker is not None and maker.name:
        meta["Author"] = printable(maker.name)
    return meta


def _put(page: Figure, x: float, y: float, text: str, **style: Any) -> None:
    """Text on a page, printable and never parsed as mathtext."""
    page.text(x, y, printable(text), parse_math=False, **style)


@plain_text
def quickscan_pdf(
    ctx: Texts,
    perspective: str,
    case: Case | None,
    answers: quickscan.Answers,
    *,
    reference_shown: bool = True,
    maker: Maker | None = None,
) -> bytes:
    """The quickscan report: summary and chart, phase × factor view, advice with what it rests
    on (and comparison), then all answers: ``2 + 1 + ceil(statements / 15)`` pages, one more
    now and then when long statements fill an answer page before its fifteenth or the advice
    runs on. Without ``reference_shown`` (a led room before the trainer's reveal) the case's
    reference is neither drawn nor compared, nor quoted."""
    from kit import charts
    from kit.present.explain import advice_grounds, reference_evidence
    from kit.present.quickscan import (
        advice,
        answer_label,
        comparison,
        compute,
        grid_chart,
        level_text,
        phase_chart,
        progress_line,
        reference_result,
    )

    c, lang = ctx.content, ctx.lang
    result = compute(ctx, perspective, answers)
    reference = reference_result(ctx, case, perspective) if case and reference_shown else None
    found = advice(ctx, perspective, answers, result)
    differences = comparison(ctx, case if reference_shown else None, perspective, answers)
    statements = c.instrument.statements_for(perspective)
    title = printable(
        f"{ctx.t('quickscan.title')} — {case.title(lang) if case else ctx.t('quickscan.own')}"
    )
    today = formats.date(dt.date.today(), lang)
    signed = _byline(ctx, maker)
    buf = io.BytesIO()
    with PdfPages(buf, metadata=_metadata(title, maker)) as plain:
        pdf = cast("PdfPages", Signed(plain, signed))
        # 1. Summary and per-phase chart.
        spec, _ = phase_chart(ctx, result, reference)
        fig = charts.phase_bars(**spec)
        page = Figure(figsize=A4)
        _put(page, 0.07, 0.95, title, fontsize=15, weight="bold")
        persp = next(p for p in c.instrument.perspectives if p.id == perspective)
        lines = [
            ctx.t(
                "quickscan.report.meta",
                date=today,
                perspective=persp.name(lang),
                version=c.instrument.version,
            ),
            progress_line(ctx, result),
        ]
        if found.priority:
            lines.append(found.headline)
        if signed:
            lines.insert(0, signed)
        for i, text in enumerate(lines):
            _put(page, 0.07, 0.91 - i * 0.022, text, fontsize=10)
        _paste(page, fig, (0.04, 0.42, 0.92, 0.4))
        _put(page, 0.07, 0.38, textwrap.fill(ctx.t("quickscan.rule"), 100), fontsize=8, va="top")
        pdf.savefig(page)
        # 2. Phase × factor view.
        gspec, _ = grid_chart(ctx, result)
        gfig = charts.heat_grid(**gspec)
        page = Figure(figsize=A4)
        _put(page, 0.07, 0.95, ctx.t("quickscan.report.grid"), fontsize=13, weight="bold")
        _paste(page, gfig, (0.04, 0.5, 0.92, 0.42))
        rows = [
            f"{f.name(lang)}: {formats.number(result.by_factor[f.id].mean, lang)} {level_text(ctx, result.by_factor[f.id].level)}"
            for f in c.factors
        ]
        for i, text in enumerate(rows):
            _put(page, 0.07, 0.46 - i * 0.022, text, fontsize=10)
        if found.midi:  # the weak statements in MIDI's terms, under the factor groups
            below = 0.46 - len(rows) * 0.022 - 0.02
            _put(page, 0.07, below, textwrap.fill(found.midi, 100), fontsize=9, va="top")
        pdf.savefig(page)
        # 3. Advice (and comparison with the reference).
        writer = TextPages(pdf, title)
        writer.line(ctx.t("quickscan.report.advice"), 13, bold=True)
        if not found.entries:
            writer.line(ctx.t("quickscan.advice.nothing_low"))
        for e in found.entries:
            writer.line(f"{e.phase} — {e.statement}", bold=True)
            writer.line(e.advice)
            writer.line(ctx.t("quickscan.advice.activities") + " " + ", ".join(e.activities))
            writer.gap()
        evidence = reference_evidence(ctx, case, perspective, shown=reference_shown)
        _grounds_lines(ctx, writer, advice_grounds(ctx, perspective, answers, result, evidence))
        if differences.status != "own":
            writer.gap(0.02)
            writer.line(ctx.t("quickscan.tab.compare"), 13, bold=True)
            if not differences.rows:
                writer.line(ctx.t("quickscan.compare.same"))
            for d in differences.rows[:6]:
                writer.line(
                    f"{d.statement} — {ctx.t('quickscan.compare.yours')} {d.mine}, "
                    f"{ctx.t('quickscan.compare.reference')} {d.reference}"
                )
            writer.gap()
        writer.close()
        # 4. All answers, at most 15 a page.
        given = [(s.text(lang), answer_label(ctx, answers.get(s.id))) for s in statements]
        _answer_pages(pdf, title, ctx.t("quickscan.report.answers"), given)
    return buf.getvalue()


def _grounds_lines(ctx: Texts, writer: TextPages, grounds: Sequence[PhaseGrounds]) -> None:
    """What the advice rests on, per phase of the advice (issue 25): the factor groups of the
    statements advised on with what they cover and examples, and the sentences of the case
    behind the reference's answer to each of those statements."""
    if not grounds:
        return
    writer.gap(0.01)
    writer.keep(0.12)
    writer.line(ctx.t("explain.pdf.title"), 13, bold=True)
    writer.line(ctx.t("explain.pdf.intro"), 9)
    for phase in grounds:
        writer.gap()
        writer.keep(0.1)  # the phase's heading with its first factor group
        writer.line(phase.phase, 11, bold=True)
        for g in phase.factors:
            writer.line(g.line, bold=True, indent=0.02)
            writer.line(g.description, 9, indent=0.02)
            for label, examples in (
                (g.promoting_label, g.promoting),
                (g.hindering_label, g.hindering),
            ):
                writer.line(f"{label} • {' • '.join(examples)}", 9, indent=0.04)
        if phase.evidence:
            writer.keep(0.06)
            writer.line(ctx.t("explain.pdf.evidence"), bold=True, indent=0.02)
        for e in phase.evidence:
            writer.line(e.statement, 9, bold=True, indent=0.02)
            writer.line(e.label, 9, indent=0.04)
            for quote in e.quotes:
                writer.line(ctx.t("explain.quote", quote=quote), 9, indent=0.06)
            if e.open:
                writer.line(e.open, 9, indent=0.06)
    writer.gap()


def _answer_pages(pdf: PdfPages, title: str, heading: str, rows: Sequence[tuple[str, str]]) -> None:
    """(statement, answer in words) rows, at most ``STATEMENTS_PER_PAGE`` a page, and fewer when
    long statements fill the page first: a row that does not fit starts the next page (15 rows
    of three lines each would run off the bottom, out of sight, and a reader would miss them)."""
    page: Figure | None = None
    y, on_page = 0.0, 0
    for statement, answer in rows:
        text = textwrap.fill(statement, 90)
        height = LINE * (text.count("\n") + 1) + ROW_GAP
        if page is None or on_page == STATEMENTS_PER_PAGE or y - height < BOTTOM:
            if page is not None:
                pdf.savefig(page)
            page = Figure(figsize=A4)
            _put(page, 0.07, 0.96, title, fontsize=9, color="#555555")
            _put(page, 0.07, 0.93, heading, fontsize=13, weight="bold")
            y, on_page = 0.89, 0
        _put(page, 0.07, y, text, fontsize=9, va="top")
        y -= LINE * (text.count("\n") + 1)
        _put(page, 0.1, y, f"→ {answer}", fontsize=9, va="top", weight="bold")
        y -= ROW_GAP
        on_page += 1
    if page is not None:
        pdf.savefig(page)


def _paste(page: Figure, fig: Figure, rect: tuple[float, float, float, float]) -> None:
    """Draw ``fig`` as an image onto ``page`` (keeps the chart code single-sourced)."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    fig.set_dpi(150)
    canvas.draw()
    image = np.asarray(canvas.buffer_rgba())
    ax = page.add_axes(rect)
    ax.imshow(image)
    ax.axis("off")


@plain_text
def kern_pdf(
    ctx: Texts,
    item: Intervention,
    proposals: Sequence[Proposal],
    maker: Maker | None = None,
    situations: Sequence[SituationLine] = (),
) -> bytes:
    """The adaptation log: the diagram with markers and the summary, then every entry (FRAME),
    then the situations she checked (:func:`kit.present.kern.situation_lines`), if any. With a
    ``maker`` every page says who made it, in which session, when."""
    from kit import charts
    from kit.present.kern import kern_summary, log_cells, to_log, verdict_label

    lang = ctx.lang
    entries = to_log(ctx, item, list(proposals))
    title = printable(f"{ctx.t('kern.title')} — {item.name(lang)}")
    per_element: dict[str, list[str]] = {}
    for p, e in zip(proposals, entries, strict=True):
        per_element.setdefault(p.element, []).append(e.verdict)
    diagram = charts.kern_schil(
        [(el.name(lang), el.part, per_element.get(el.id, [])) for el in item.elements],
        kern_label=ctx.t("kern.part.kern").upper(),
        schil_label=ctx.t("kern.part.schil").upper(),
    )
    summary = kern_summary(ctx, (e.verdict for e in entries))
    signed = _byline(ctx, maker)
    buf = io.BytesIO()
    with PdfPages(buf, metadata=_metadata(title, maker)) as plain:
        pdf = cast("PdfPages", Signed(plain, signed))
        page = Figure(figsize=A4)
        _put(page, 0.07, 0.95, title, fontsize=15, weight="bold")
        if signed:
            _put(page, 0.07, 0.975, signed, fontsize=9, color="#333333")
        _put(
            page,
            0.07,
            0.92,
            summary.counts,
            fontsize=10,
        )
        _put(
            page,
            0.07,
            0.895,
            textwrap.fill(summary.outlook, 100),
            fontsize=10,
            va="top",
        )
        _paste(page, diagram, (0.1, 0.2, 0.8, 0.62))
        pdf.savefig(page)
        writer = TextPages(pdf, title)
        writer.line(ctx.t("kern.tab.log"), 13, bold=True)
        if not entries:
            writer.line(ctx.t("kern.none_yet"))
        for number, e in enumerate(entries, start=1):
            writer.line(
                f"{number}. {e.type} → {e.element}: {verdict_label(ctx, e.verdict)}", bold=True
            )
            cells = log_cells(ctx, e)
            writer.line(
                " · ".join(
                    [
                        *(
                            f"{ctx.t(f'kern.log.col.{k}')}: {cells[k]}"
                            for k in ("date", "when", "planned", "who", "level")
                        ),
                        ctx.t("kern.log.frame", type=cells["frame_type"], what=cells["what"]),
                    ]
                )
            )
            for key in ("reason", "goal"):
                if cells[key]:
                    writer.line(f"{ctx.t(f'kern.log.col.{key}')}: {cells[key]}")
            writer.gap()
        _situation_lines(ctx, writer, situations)
        writer.close()
    return buf.getvalue()


def _situation_lines(ctx: Texts, writer: TextPages, situations: Sequence[SituationLine]) -> None:
    """The situations she checked, under the adaptations: the text, each choice with the kit's
    verdict, and the debrief (issue 25)."""
    if not situations:
        return
    writer.gap(0.02)
    writer.line(ctx.t("kern.log.sit.title"), 13, bold=True)
    for s in situations:
        cells = s.cells()
        writer.keep(0.1)  # a situation's text with at least its first choice on one page
        writer.line(cells["situation"], bold=True)
        for key in ("first", "last"):
            label = ctx.t(f"kern.log.sit.col.{key}")
            writer.line(f"{label}: {cells[key]} — {cells[f'{key}_verdict']}", indent=0.02)
        writer.line(f"{ctx.t('kern.log.sit.col.debrief')}: {cells['debrief']}", 9, indent=0.02)
        writer.gap()


@plain_text
def group_pdf(
    ctx: Texts,
    info: SessionInfo,
    subs: Sequence[Submission],
    perspective: str | None = None,
    polls: Sequence[PollSummary] = (),
) -> bytes:
    """The group report: the quickscan per phase (chart), who took part, where the group differs
    most, the phase exercise and the adaptations — what the dashboard shows, on paper. The scan
    is shown from ``perspective`` when given (the trainer's pick), else as the dashboard picks."""
    from kit import charts, group
    from kit.present.group import (
        adaptation_panel,
        disagreement_rows,
        hexagon_panel,
        perspective_line,
        plan_rows,
        scan_chart_spec,
        tally_rows,
    )

    c, lang = ctx.content, ctx.lang
    subs = list(subs)
    title = printable(f"{ctx.t('group.title')} — {info.title} ({info.code})")
    people = group.participants(subs)
    perspective, case_id = group.quickscan_target(c, info.case_id, subs, perspective)
    g = group.quickscan_group(subs, c, perspective, case_id)
    buf = io.BytesIO()
    with PdfPages(buf, metadata={"Title": title, "Creator": "Implementatiekit"}) as pdf:
        page = Figure(figsize=A4)
        _put(page, 0.07, 0.95, title, fontsize=14, weight="bold")
        _put(page, 0.07, 0.92, formats.date_time(dt.datetime.now(), lang), fontsize=9)
        _put(page, 0.07, 0.895, ctx.t("group.scan_title", n=len(g.answers)), fontsize=11)
        _put(page, 0.07, 0.875, perspective_line(ctx, case_id, subs, perspective), fontsize=9)
        _paste(page, charts.group_phases(**scan_chart_spec(ctx, g)), (0.04, 0.38, 0.92, 0.48))
        pdf.savefig(page)

        writer = TextPages(pdf, title)
        writer.line(ctx.t("group.joined", n=len(people)), 12, bold=True)
        writer.line(", ".join(sorted(people.values(), key=str.casefold)) or "—")
        writer.gap(0.02)
        writer.line(ctx.t("group.disagree"), 12, bold=True)
        spread = disagreement_rows(ctx, g, perspective)
        for d in spread:
            writer.line(d.statement, bold=True)
            writer.line(" · ".join(f"{label}: {n}" for label, n in d.counts))
        if not spread:
            writer.line(ctx.t("group.nothing_yet"))
        writer.gap(0.02)
        writer.line(ctx.t("group.tally"), 12, bold=True)
        tallies = tally_rows(ctx, subs)
        for title_, right_first, right_phase, chosen in tallies:
            writer.line(f"{title_} — {right_first} ({right_phase}); {chosen}")
        if not tallies:
            writer.line(ctx.t("group.nothing_yet"))
        _hexagon_lines(ctx, writer, hexagon_panel(ctx, subs))
        if info.intervention_id:
            panel = adaptation_panel(ctx, subs, info.intervention_id)
            writer.gap(0.02)
            writer.line(panel.title, 12, bold=True)
            writer.line(" · ".join(panel.totals))
            for row in panel.rows:
                writer.line(row)
        if polls:  # a led session's polls: counts only, with the kit's answer where it has one
            writer.gap(0.02)
            writer.line(ctx.t("group.polls"), 12, bold=True)
            for poll in polls:
                writer.line(poll.question, bold=True)
                for line in poll.lines:
                    writer.line(line)
                writer.line(" · ".join(x for x in (poll.answered, poll.mean, poll.answer) if x))
        planned = plan_rows(ctx, subs)
        if planned:  # the activities in participants' plans, for the closing discussion
            writer.gap(0.02)
            writer.line(ctx.t("group.plans"), 12, bold=True)
            for r in planned:
                writer.line(f"{r.phase} · {r.activity}: {r.count}")
        writer.close()
    return buf.getvalue()


#: The cards on one page of the paper set: two columns of four.
CARD_COLUMNS, CARD_ROWS = 2, 4


def paper_pdf(ctx: Texts, perspective: str, case: Case, item: Intervention) -> bytes:
    """The paper fallback of a workshop, for when phones or Wi-Fi fail: the quickscan's
    statements for ``perspective`` as a sheet to tick (per phase, every scale step plus "don't
    know" and "n/a"), then one card per element of ``item`` (name, kern or schil, what it is, and
    lines for an adaptation and its colour), eight to an A4 page, to cut apart."""
    from matplotlib.patches import Rectangle

    c, lang = ctx.content, ctx.lang
    title = printable(ctx.t("paper.title", case=case.title(lang)))
    boxes = "   ".join(
        f"☐ {label}"
        for label in (
            *(s.label(lang) for s in c.instrument.scale),
            c.instrument.dont_know(lang),
            c.instrument.not_applicable(lang),
        )
    )
    buf = io.BytesIO()
    with PdfPages(buf, metadata={"Title": title, "Creator": "Implementatiekit"}) as pdf:
        sheet = TextPages(pdf, title)
        sheet.page()
        persp = next(p for p in c.instrument.perspectives if p.id == perspective)
        sheet.line(f"{ctx.t('quickscan.title')} — {persp.name(lang)}", 14, bold=True)
        sheet.line(ctx.t("paper.sheet.name"), 10)
        sheet.line(ctx.t("paper.sheet.intro"), 9)
        number = 0
        for phase in c.phases:
            mine = [s for s in c.instrument.statements_for(perspective) if s.phase == phase.id]
            if not mine:
                continue
            sheet.gap(0.012)
            sheet.keep(0.022 + 3 * 0.0185 + 0.016)  # a phase's heading with its first statement
            sheet.line(f"{phase.number} · {phase.name(lang)}", 12, bold=True)
            for statement in mine:
                number += 1
                # The statement (at most three lines) and its boxes on one page.
                sheet.keep(3 * 0.0185 + 0.016)
                sheet.line(f"{number}. {statement.text(lang)}", 10)
                sheet.line(boxes, 8.5, indent=0.03)
                sheet.gap(0.006)
        sheet.close()

        cards = TextPages(pdf, printable(ctx.t("paper.cards.title", intervention=item.name(lang))))
        per_page = CARD_COLUMNS * CARD_ROWS
        width, height = 0.86 / CARD_COLUMNS, 0.84 / CARD_ROWS
        for start in range(0, len(item.elements), per_page):
            cards.page()
            assert cards.fig is not None
            page = cards.fig
            _put(page, 0.07, 0.935, ctx.t("paper.cards.intro"), fontsize=8.5)
            for i, element in enumerate(item.elements[start : start + per_page]):
                col, row = i % CARD_COLUMNS, i // CARD_COLUMNS
                x, top = 0.07 + col * width, 0.91 - row * height
                page.add_artist(
                    Rectangle(
                        (x, top - height + 0.01),
                        width - 0.02,
                        height - 0.01,
                        transform=page.transFigure,
                        fill=False,
                        linestyle="--",
                        linewidth=0.8,
                        edgecolor="#555555",
                    )
                )
                part = ctx.t(f"kern.part.{element.part}")
                _put(page, x + 0.015, top - 0.03, element.name(lang), fontsize=11, weight="bold")
                _put(page, x + 0.015, top - 0.05, ctx.t("paper.card.part", part=part), fontsize=9)
                y = top - 0.075
                for part_line in textwrap.wrap(printable(element.description(lang)), 44):
                    _put(page, x + 0.015, y, part_line, fontsize=8.5)
                    y -= 0.015
                _put(
                    page,
                    x + 0.015,
                    top - height + 0.06,
                    ctx.t("paper.card.adaptation"),
                    fontsize=8.5,
                )
                _put(page, x + 0.015, top - height + 0.03, ctx.t("paper.card.colour"), fontsize=8.5)
        cards.close()
    return buf.getvalue()


# --------------------------------------------------------------------------- homework


@plain_text
def hand_in_pdf(ctx: Texts, info: SessionInfo, work: Assignment, hand_in: HandIn) -> bytes:
    """One student's hand-in for the teacher: who, the session, the case or intervention and
    when on every page; on time or late, the scores, then every answer handed in (the rows of
    the class spreadsheet, in words)."""
    from kit.present.homework import hand_in_records, hand_in_rows, maker_of, scores
    from kit.present.maker import byline

    made = maker_of(ctx, info, hand_in)
    title = printable(ctx.t("homework.pdf.title", title=info.title))
    signed = byline(ctx, made)
    buf = io.BytesIO()
    with PdfPages(buf, metadata=_metadata(title, made)) as plain:
        writer = TextPages(cast("PdfPages", Signed(plain, signed)), title)
        writer.page()
        writer.line(title, 15, bold=True)
        writer.line(signed, 10)
        writer.line(
            ctx.t("homework.pdf.deadline", deadline=formats.date_time(work.deadline, ctx.lang))
        )
        status = ctx.t("homework.status.late" if hand_in.late else "homework.status.on_time")
        when = formats.date_time(hand_in.at, ctx.lang)
        writer.line(ctx.t("homework.pdf.status", status=status, when=when, number=hand_in.number))
        writer.gap()
        for line in scores(ctx, hand_in_records(hand_in)):
            writer.line(line, bold=True)
        writer.gap(0.02)
        writer.line(ctx.t("homework.pdf.answers"), 13, bold=True)
        rows = list(hand_in_rows(ctx, info, hand_in))
        if not rows:
            writer.line(ctx.t("homework.pdf.nothing"))
        for row in rows:
            exercise, about, question, answer, _value, note = (str(x or "") for x in row[6:12])
            writer.line(f"{exercise} · {about}", 9, bold=True)
            writer.line(f"{question} → {answer}", 9, indent=0.02)
            frame = [str(x) for x in row[12:] if x not in (None, "")]
            if note or frame:
                writer.line(" · ".join([*([note] if note else []), *frame]), 8, indent=0.02)
        writer.close()
    return buf.getvalue()


def class_zip(
    ctx: Texts, info: SessionInfo, work: Assignment, hand_ins: Sequence[HandIn]
) -> tuple[bytes, list[str]]:
    """Every student's newest hand-in as her own PDF (named after her, the session, the case or
    intervention and when), and the spreadsheet of every hand-in, in one zip; returns the zip
    and the names in it."""
    import zipfile

    from kit import homework
    from kit.present.homework import class_csv, maker_of

    buf = io.BytesIO()
    names: list[str] = []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for hand_in in homework.newest(hand_ins).values():
            name = formats.file_name(ctx.t("homework.file"), maker_of(ctx, info, hand_in), "pdf")
            if name in names:  # two students whose names make the same file name
                name = name.replace(".pdf", f"-{hand_in.participant[:6]}.pdf")
            archive.writestr(name, hand_in_pdf(ctx, info, work, hand_in))
            names.append(name)
        csv_name = f"{ctx.t('homework.zip.csv')}-{info.code}.csv"
        archive.writestr(csv_name, class_csv(ctx, info, hand_ins))
        names.append(csv_name)
    return buf.getvalue(), names


# --------------------------------------------------------------------------- the Hexagon (choosing)


@plain_text
def hexagon_pdf(ctx: Texts, ratings: Mapping[str, int | None], maker: Maker | None = None) -> bytes:
    """The Hexagon exercise as a document: the outcome in words, the weak indicators with what
    to do, then every indicator with its question and rating (or that it is not rated yet), and
    the tool's source. With a ``maker`` every page says who made it and when; without one the
    first page carries the date."""
    from kit.present.hexagon import report

    found = report(ctx, ratings)
    fb = found.feedback
    title = printable(found.title)
    signed = _byline(ctx, maker)
    buf = io.BytesIO()
    with PdfPages(buf, metadata=_metadata(title, maker)) as plain:
        writer = TextPages(cast("PdfPages", Signed(plain, signed)), title)
        writer.line(title, 15, bold=True)  # the first line starts the first page
        writer.line(signed or formats.date(dt.date.today(), ctx.lang), 9)
        writer.gap()
        writer.line(found.intro, 9)
        writer.gap(0.02)
        writer.line(fb.heading, 13, bold=True)
        writer.line(found.outcome, 11, bold=True)
        writer.line(found.rated)
        writer.line(fb.reason)
        if fb.advice:
            writer.gap()
            writer.line(ctx.t("hexagon.pdf.advice"), 11, bold=True)
            for name, advice in fb.advice:
                writer.keep(0.05)
                writer.line(name, bold=True)
                writer.line(advice, indent=0.02)
        writer.gap(0.02)
        writer.line(ctx.t("hexagon.pdf.ratings"), 13, bold=True)
        group = ""
        for row in found.rows:
            if row.group != group:
                group = row.group
                writer.gap(0.006)
                writer.keep(0.09)  # a group's heading with its first indicator
                writer.line(group, 11, bold=True)
            writer.keep(0.06)
            writer.line(f"{row.name}: {row.question}")
            writer.line(f"→ {row.answer}", bold=True, indent=0.03)
        writer.gap(0.02)
        writer.line(ctx.t("hexagon.pdf.source"), 9, bold=True)
        writer.line(found.source, 8)
        writer.close()
    return buf.getvalue()


def _hexagon_lines(ctx: Texts, writer: TextPages, panel: HexagonPanel | None) -> None:
    """The group's Hexagon in the group report, as on the dashboard: counts only, no names;
    nothing while nobody has rated."""
    if panel is None or not panel.people:
        return
    writer.gap(0.02)
    writer.line(panel.title, 12, bold=True)
    writer.line(f"{ctx.t('group.hexagon.verdicts')}: {' · '.join(panel.verdicts)}")
    for r in panel.rows:
        writer.line(r.line)
    writer.line(panel.scale, 9)
