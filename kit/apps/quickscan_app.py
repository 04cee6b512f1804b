"""The Quickscan app: score a case (or your own situation), see where it is weak, get advice,
compare with the reference reading, export a PDF report and an answers file."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as w

from kit import charts, formats, quickscan
from kit.answers import DONT_KNOW, NOT_APPLICABLE, Mark, ScanAnswers, Value
from kit.apps.common import (
    Ctx,
    Lean,
    alert,
    download_link,
    esc,
    lazy_tabs,
    log,
    maker,
    name_field,
    notice,
)
from kit.apps.frame import app_frame
from kit.apps.homework_bar import HOMEWORK
from kit.apps.room_app import room_gate
from kit.content import Case, Content, Statement
from kit.present.explain import (
    Evidence,
    Term,
    evidence_by_phase,
    factor_groups,
    reference_evidence,
    terms_shown,
)
from kit.present.quickscan import (
    advice,
    comparison,
    compute,
    grid_cells,
    phase_chart,
    progress_line,
    reference_result,
)
from kit.quickscan import AnswersFileError, Result

#: The case dropdown's value for "my own situation" (a scan without a case).
OWN = "__own__"


def quickscan_app(lang: str | None = None, content: Content | None = None) -> w.Widget:
    """The Quickscan app in a frame with a language switch."""
    return app_frame("quickscan", build_quickscan, lang, content)


@dataclass
class ScanState:
    """What the learner has answered, per (perspective, case): switching back restores it."""

    scans: dict[tuple[str, str | None], ScanAnswers] = field(default_factory=dict)

    def get(self, perspective: str, case: str | None) -> ScanAnswers:
        found = self.scans.get((perspective, case))
        return found or ScanAnswers(perspective=perspective, case=case)

    def put(self, scan: ScanAnswers) -> None:
        self.scans[(scan.perspective, scan.case)] = scan


LEVEL_CSS = {"weak": "kit-bad", "mixed": "kit-mid", "strong": "kit-good", "unknown": ""}


def grid_table(ctx: Ctx, result: Result) -> str:
    """The phase x factor view as an HTML table: mean per cell with its level as symbol and word."""
    c, lang = ctx.content, ctx.lang
    head = "".join(f"<th scope='col'>{esc(f.name(lang))}</th>" for f in c.factors)
    body = []
    for p, row in zip(c.phases, grid_cells(ctx, result), strict=True):
        cells = "".join(
            f"<td class='{LEVEL_CSS[cell.level.value]}' title='{esc(cell.meaning)}'>{esc(cell.text)}"
            f"<span class='kit-sr'> {esc(cell.meaning)}</span></td>"
            for cell in row
        )
        body.append(f"<tr><th scope='row'>{p.number} {esc(p.name(lang))}</th>{cells}</tr>")
    return (
        f"<h3>{esc(ctx.t('quickscan.report.grid'))}</h3>"
        # On a 320 px screen the six columns are wider than the page: the table scrolls in its
        # own box (kit-page.js gives that box a tab stop), the page does not.
        f"<div class='kit-scroll-x'><table class='kit-table kit-grid'><caption class='kit-muted'>"
        f"{esc(ctx.t('quickscan.grid.caption'))}</caption>"
        f"<thead><tr><td></td>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def advice_html(ctx: Ctx, perspective: str, answers: quickscan.Answers, result: Result) -> str:
    found = advice(ctx, perspective, answers, result)
    if not found.scored:
        return f'<p class="kit-muted">{esc(ctx.t("quickscan.advice.none_yet"))}</p>'
    if found.priority:
        parts = [
            f'<p class="kit-priority"><b>{esc(found.headline)}</b> {esc(ctx.t("quickscan.advice.why_first"))}</p>'
        ]
    else:
        parts = [f"<p><b>{esc(found.headline)}</b></p>"]
    for e in found.entries:
        parts.append(
            f'<div class="kit-card kit-advice-item"><b>{esc(e.phase)}</b> — '
            f"<i>{esc(e.statement)}</i> ({esc(e.scored)})"
            f"<br>{esc(e.advice)}<br><b>{esc(ctx.t('quickscan.advice.activities'))}</b> {esc(', '.join(e.activities))}"
            f'<br><span class="kit-muted kit-midi">{esc(e.determinant)}</span></div>'
        )
    if found.midi:
        parts.append(f'<p class="kit-midi-summary">{esc(found.midi)}</p>')
    if not found.entries:
        parts.append(f'<p class="kit-muted">{esc(ctx.t("quickscan.advice.nothing_low"))}</p>')
    return "".join(parts)


def compare_html(
    ctx: Ctx,
    case: Case | None,
    perspective: str,
    answers: quickscan.Answers,
    evidence: tuple[Evidence, ...] = (),
) -> str:
    """Where the learner's reading differs from the case's reference from ``perspective``,
    grouped by phase (the phase with the largest difference first), each phase with the
    reference's reasoning once. ``evidence`` (empty while the reference is held back): under
    each difference what the reference answer rests on."""
    found = comparison(ctx, case, perspective, answers)
    if found.status == "own":
        return f'<p class="kit-muted">{esc(ctx.t("quickscan.compare.own"))}</p>'
    if found.status == "none_yet":
        return f'<p class="kit-muted">{esc(ctx.t("quickscan.compare.none_yet"))}</p>'
    if found.status == "same":
        return f'<p class="kit-feedback kit-good">✓ {esc(ctx.t("quickscan.compare.same"))}</p>'
    yours, reference = ctx.t("quickscan.compare.yours"), ctx.t("quickscan.compare.reference")
    grounds = {e.statement_id: e for e in evidence}
    parts = [f"<p>{esc(found.intro)}</p>"]
    for phase in found.phases:
        rows = "".join(
            f"<li><i>{esc(d.statement)}</i> — "
            f"{esc(yours)} <b>{esc(d.mine)}</b> · "
            f"{esc(reference)} <b>{esc(d.reference)}</b> "
            f"({esc(d.gap_text)})"
            f"{evidence_html(ctx, grounds[d.statement_id]) if d.statement_id in grounds else ''}"
            "</li>"
            for d in phase.rows
        )
        parts.append(
            f'<div class="kit-card kit-diff"><b>{esc(phase.phase)}</b> — '
            f"{esc(yours)} {phase.mine} · "
            f"{esc(reference)} {phase.reference}<ul>{rows}</ul>"
            f'<span class="kit-muted">{esc(phase.justification_label)}</span> '
            f"{esc(phase.justification)}</div>"
        )
    return "".join(parts)


# ---------------------------------------------------------------- explain (issue 25 §1)


def evidence_html(ctx: Ctx, item: Evidence) -> str:
    """What one reference answer rests on: the case's own sentences, or what it leaves open."""
    if item.quotes:
        body = "".join(
            f"<p>{esc(ctx.t('explain.quote', quote=quote))}</p>" for quote in item.quotes
        )
    else:
        body = f"<p>{esc(item.open)}</p>"
    return (
        f'<div class="kit-evidence"><span class="kit-muted">{esc(item.label)}</span>'
        f"<blockquote>{body}</blockquote></div>"
    )


def all_evidence_html(ctx: Ctx, evidence: tuple[Evidence, ...]) -> str:
    """Every reference answer with its grounds, per phase, folded away ("" without evidence)."""
    if not evidence:
        return ""
    reference = ctx.t("quickscan.compare.reference")
    phases = "".join(
        f'<p class="kit-explain-phase"><b>{esc(phase.phase)}</b></p><ul>'
        + "".join(
            f"<li><i>{esc(e.statement)}</i> — {esc(reference)} <b>{esc(e.answer)}</b>"
            f"{evidence_html(ctx, e)}</li>"
            for e in phase.items
        )
        + "</ul>"
        for phase in evidence_by_phase(ctx, evidence)
    )
    intro = f'<p class="kit-muted">{esc(ctx.t("explain.evidence.all_intro"))}</p>'
    return folded(
        "kit-evidence-all", ctx.t("explain.evidence.all", n=len(evidence)), intro + phases
    )


def glossary_html(ctx: Ctx, terms: tuple[Term, ...]) -> str:
    """The glossary terms a tab uses, folded away, each with its explanation ("" for none)."""
    if not terms:
        return ""
    items = "".join(f"<dt>{esc(t.term)}</dt><dd>{esc(t.explanation)}</dd>" for t in terms)
    return folded(
        "kit-glossary", ctx.t("explain.glossary.title", n=len(terms)), f"<dl>{items}</dl>"
    )


def folded(css: str, title: str, body: str) -> str:
    """A fold the learner opens by click, tap or keyboard (``<details>``: nothing on hover
    only); ``title`` is text, ``body`` HTML made here."""
    return f'<details class="kit-explain {css}"><summary>{esc(title)}</summary>{body}</details>'


class QuickscanView:
    """Holds the widgets of one Quickscan screen and keeps them in step with the answers."""

    def __init__(self, ctx: Ctx, state: ScanState | None = None) -> None:
        self.ctx = ctx
        c = ctx.content
        self.state = state or ScanState()
        self.on_answer: list[Callable[[ScanAnswers], None]] = []
        self._figures: dict[str, Any] = {}  # Figures redrawn in place on every update
        self._phase_png = charts.PhaseBarsPng()  # the phase chart, redrawn bars only
        self.charts_visible = False  # charts are drawn only while the result tab shows
        self._charts_stale = True
        self.last_update_ms = 0.0
        #: Widgets that keep the default look share one Layout and style (fewer models in the page).
        self.lean = lean = Lean()
        self._radio_layout = w.Layout(width="auto")

        self.perspective = w.ToggleButtons(
            options=[(p.name(ctx.lang), p.id) for p in c.instrument.perspectives],
            description=ctx.t("quickscan.perspective"),
            style={"button_width": "auto"},
        )
        self.perspective.add_class("kit-perspective")  # (its style is its own: button_width)
        self.case = w.Dropdown(
            description=ctx.t("quickscan.case"), layout=w.Layout(width="100%", max_width="460px")
        )
        self.case.add_class("kit-case-choice")
        self.narrative = lean(
            w.HTML, "kit-narrative", layout=w.Layout(max_height="640px", overflow="auto")
        )
        self.statements = lean(w.VBox)
        self.progress = lean(
            w.IntProgress, min=0, max=1, value=0, description=ctx.t("quickscan.progress")
        )
        # (said in the app's live region: kit-announce)
        self.progress_text = lean(w.HTML, "kit-progress-text", "kit-announce")
        self.phase_img = lean(
            w.HTML,
            "kit-phase-chart",
            value=f'<p class="kit-muted">{esc(ctx.t("quickscan.chart.drawing"))}</p>',
        )
        self.grid_img = lean(w.HTML, "kit-grid-chart")
        self.summary = lean(w.HTML, "kit-summary")
        self.advice = lean(w.HTML, "kit-advice")
        self.compare = lean(w.HTML, "kit-compare")
        self.result_terms = lean(w.HTML, "kit-result-terms")  # the result tab's glossary terms
        # Under the comparison: every reference answer's grounds, and the tab's glossary terms.
        # Widgets of their own: their text seldom changes, so an answer does not send it again.
        self.grounds = lean(w.HTML, "kit-grounds")
        self.compare_terms = lean(w.HTML, "kit-compare-terms")
        self._grounds: dict[tuple[str | None, str, bool], tuple[tuple[Evidence, ...], str]] = {}
        self._radios: dict[str, w.RadioButtons] = {}
        self._loading = False

        # In a group session the scan is the session's: its case (or, without one, the own
        # situation), from a perspective the case is read from; the dashboard shows that scan
        # only, so a participant cannot wander off to another case and drop out of its chart.
        session = ctx.memory.session_info
        self.session_case: str | None = None
        if session is not None:
            self.session_case = session.case_id if session.case_id in case_ids(c) else OWN
        if self.session_case not in (None, OWN):
            readings = c.case(str(self.session_case)).perspectives
            self.perspective.options = [
                (p.name(ctx.lang), p.id) for p in c.instrument.perspectives if p.id in readings
            ]
        # Start where the learner was (a language switch rebuilds this view), else on the group
        # session's case, read from the perspective it is told from.
        start_persp, start_case = ctx.memory.view.get("quickscan.where", (None, None))
        if start_persp not in {value for _, value in self.perspective.options}:
            start_persp, start_case = None, None
        if self.session_case is not None:
            start_case = self.session_case
        if start_case in case_ids(c):
            readings = c.case(start_case).perspectives
            if start_persp not in readings:
                start_persp = readings[0]  # the perspective the case is told from
        if start_persp:
            self.perspective.value = start_persp
        self.perspective.observe(ctx.guard(self._on_perspective), names="value")
        self.case.observe(ctx.guard(self._on_case), names="value")
        self._fill_cases()
        if start_case in {value for _, value in self.case.options}:
            self._loading = True
            self.case.value = start_case
            self._loading = False
        self._build_statements()
        self._remember_where()
        room_gate(ctx).listeners["quickscan"] = ctx.guard(lambda: self.refresh())

    # ----------------------------------------------------------- state
    @property
    def case_id(self) -> str:
        return str(self.case.value or OWN)

    @property
    def scan(self) -> ScanAnswers:
        """The learner's answers for the perspective and case on screen."""
        case = None if self.case_id == OWN else self.case_id
        return self.state.get(self.perspective.value, case)

    @property
    def answers(self) -> dict[str, int | Mark]:
        """The answers on screen as the scoring functions take them."""
        return dict(self.scan.values)

    def current_case(self) -> Case | None:
        cid = self.case_id
        return None if cid == OWN else self.ctx.content.case(cid)

    # ----------------------------------------------------------- building
    def _fill_cases(self) -> None:
        ctx = self.ctx
        options = [
            (f"{k.title(ctx.lang)} — {k.sector(ctx.lang)}", k.id)
            for k in ctx.content.cases
            if self.perspective.value in k.perspectives
        ]
        options.append((ctx.t("quickscan.own"), OWN))
        if self.session_case is not None:
            options = [o for o in options if o[1] == self.session_case]
            self.case.disabled = True
        self._loading = True
        self.case.options = options
        self.case.value = options[0][1]
        self._loading = False

    def _build_statements(self) -> None:
        """One accordion section per phase; a section's widgets are made when it is first
        opened, so the page starts with the open phase only (fewer widgets, faster start)."""
        c = self.ctx.content
        self._radios = {}
        self._built: set[int] = set()
        self._sections = [self.lean(w.VBox) for _ in c.phases]
        acc = self.lean(
            w.Accordion, "kit-phase-accordion", children=self._sections, selected_index=0
        )
        acc.observe(
            self.ctx.guard(lambda ch: self._build_section(ch["new"])), names="selected_index"
        )
        self._accordion = acc
        self.statements.children = [acc]
        self._build_section(0)
        self._restore()

    def _build_section(self, index: int | None) -> None:
        if index is None or index in self._built:
            return
        self._built.add(index)
        ctx, c = self.ctx, self.ctx.content
        lang = ctx.lang
        p = c.phases[index]
        options: list[tuple[str, Value]] = [
            (f"{s.value} · {s.label(lang)}", s.value) for s in c.instrument.scale
        ]
        options.append((c.instrument.dont_know(lang), DONT_KNOW))
        options.append((c.instrument.not_applicable(lang), NOT_APPLICABLE))
        given = self.scan.values
        lean = self.lean
        rows: list[w.Widget] = [
            lean(w.HTML, value=f'<p class="kit-muted">{esc(p.question(lang))}</p>')
        ]
        statements = c.instrument.statements_for(self.perspective.value)
        for n, s in enumerate((s for s in statements if s.phase == p.id), start=1):
            radio = lean(
                w.RadioButtons,
                "kit-scale",
                f"kit-statement-{s.id}",
                options=options,
                value=given.get(s.id),
                layout=self._radio_layout,
            )
            radio.observe(ctx.guard(self._answer_handler(s)), names="value")
            self._radios[s.id] = radio
            factor = c.factor(s.factor).name(lang)
            rows.append(
                lean(
                    w.HTML,
                    value=f'<div class="kit-statement"><b>{p.number}.{n}</b> {esc(s.text(lang))} '
                    f'<span class="kit-tag">{esc(factor)}</span></div>',
                )
            )
            rows.append(radio)
        self._sections[index].children = rows

    def answer(self, statement_id: str, value: Value | None) -> None:
        """Answer as the learner would (None = don't know): opens the statement's section."""
        c = self.ctx.content
        phase = next(s.phase for s in c.instrument.statements if s.id == statement_id)
        self._build_section([p.id for p in c.phases].index(phase))
        self._radios[statement_id].value = DONT_KNOW if value is None else value

    def _section_title(self, number: int, name: str, done: int, total: int) -> str:
        return f"{number} · {name} ({done}/{total})"

    def _answer_handler(self, s: Statement) -> Callable[[dict[str, Any]], None]:
        def handler(change: dict[str, Any]) -> None:
            if self._loading:
                return
            scan = self.scan.answer(s.id, change["new"])
            self.state.put(scan)
            self.refresh()
            for callback in self.on_answer:
                callback(scan)

        return handler

    def _restore(self) -> None:
        """Put the stored answers for the current perspective and case into the radios."""
        given = self.scan.values
        self._loading = True
        try:
            for sid, radio in self._radios.items():
                radio.value = given.get(sid)
        finally:
            self._loading = False
        self._show_case()
        self.refresh()

    def _show_case(self) -> None:
        ctx = self.ctx
        case = self.current_case()
        if case is None:
            self.narrative.value = f'<div class="kit-card"><h3>{esc(ctx.t("quickscan.own"))}</h3><p>{esc(ctx.t("quickscan.own_intro"))}</p></div>'
            return
        paragraphs = "".join(
            f"<p>{esc(par)}</p>" for par in case.narrative(ctx.lang).split("\n\n") if par.strip()
        )
        self.narrative.value = (
            f'<div class="kit-card"><span class="kit-tag">{esc(case.sector(ctx.lang))}</span>'
            f"<h3>{esc(case.title(ctx.lang))}</h3><p><i>{esc(case.summary(ctx.lang))}</i></p>{paragraphs}</div>"
        )

    # ----------------------------------------------------------- events
    def _remember_where(self) -> None:
        self.ctx.memory.view["quickscan.where"] = (self.perspective.value, self.case_id)

    def _on_perspective(self, _: object) -> None:
        self._fill_cases()
        self._build_statements()
        self._remember_where()

    def _on_case(self, _: object) -> None:
        if not self._loading:
            self._restore()
            self._remember_where()

    def accepts(self, loaded: ScanAnswers) -> bool:
        """Whether a loaded scan can be shown here: in a session, only from a perspective the
        session's scan offers (it is then loaded on the session's case)."""
        return loaded.perspective in {value for _, value in self.perspective.options}

    def load(self, loaded: ScanAnswers) -> None:
        """Apply a checked answers file (switches perspective and case as recorded; a case this
        content does not have, or has no reading of from that perspective, becomes the learner's
        own situation)."""
        known = {k.id: k.perspectives for k in self.ctx.content.cases}
        if self.session_case is not None:
            # In a session the answers count for the session's scan (see ``accepts``).
            session_case = None if self.session_case == OWN else self.session_case
            loaded = loaded.model_copy(update={"case": session_case})
        elif loaded.perspective not in known.get(loaded.case or "", ()):
            loaded = loaded.model_copy(update={"case": None})
        self.state.put(loaded)
        if self.perspective.value != loaded.perspective:
            self.perspective.value = loaded.perspective
        self.case.value = loaded.case or OWN
        self._restore()
        for callback in self.on_answer:
            callback(loaded)

    # ----------------------------------------------------------- results
    def refresh(self) -> None:
        """Recompute scores and redraw the charts in place (same widgets, new image)."""
        start = time.perf_counter()
        ctx, c = self.ctx, self.ctx.content
        answers = self.answers
        result = compute(ctx, self.perspective.value, answers)
        total = result.overall.total
        done = result.overall.answered
        self.progress.max = max(total, 1)
        self.progress.value = done
        self.progress_text.value = f"<span>{esc(progress_line(ctx, result))}</span>"
        # All six titles in one message (set_title sends the whole list each time).
        self._accordion.titles = tuple(
            self._section_title(
                p.number,
                p.name(ctx.lang),
                result.by_phase[p.id].answered,
                result.by_phase[p.id].total,
            )
            for p in c.phases
        )
        case = self.current_case()
        perspective = self.perspective.value
        # A led room keeps the case's reference back until the trainer reveals it.
        shown = room_gate(ctx).reference
        reference = reference_result(ctx, case, perspective) if case and shown else None
        self._charts_stale = True
        self.advice.value = advice_html(ctx, self.perspective.value, answers, result)
        if self.charts_visible:
            self.draw_charts(result, reference)
        # The evidence gives the reference away: it is held back exactly when the reference is.
        evidence, grounds = self._grounds_of(case, perspective, shown)
        self.compare.value = (
            compare_html(ctx, case, perspective, answers, evidence)
            if shown or case is None
            else f'<p class="kit-info kit-reference-wait">{esc(ctx.t("room2.phone.reference_wait"))}</p>'
        )
        # All grounds once she has answered on the scale (as the comparison starts then).
        self.grounds.value = grounds if any(isinstance(v, int) for v in answers.values()) else ""
        self.compare_terms.value = glossary_html(
            ctx, terms_shown(ctx, self.compare.value, self.grounds.value)
        )
        self.last_update_ms = (time.perf_counter() - start) * 1000

    def _grounds_of(
        self, case: Case | None, perspective: str, shown: bool
    ) -> tuple[tuple[Evidence, ...], str]:
        """The evidence of the reference on screen and all of it as HTML (kept: it changes only
        with the case, the perspective and the reveal, and this view has one language)."""
        key = (case.id if case else None, perspective, shown)
        if key not in self._grounds:
            evidence = reference_evidence(self.ctx, case, perspective, shown=shown)
            self._grounds[key] = (evidence, all_evidence_html(self.ctx, evidence))
        return self._grounds[key]

    def draw_charts(self, result: Result | None = None, reference: Result | None = None) -> None:
        """Redraw both charts into the same Figures and swap the images in place; with them the
        result tab's texts that follow the answers (the factor groups, the tab's terms)."""
        ctx = self.ctx
        if result is None:
            result = compute(ctx, self.perspective.value, self.answers)
            case = self.current_case()
            shown = room_gate(ctx).reference
            reference = (
                reference_result(ctx, case, self.perspective.value) if case and shown else None
            )
        # The untouched state is the same for everyone: serve it from the chart cache.
        fresh = result.overall.scored == 0
        spec, alt = phase_chart(ctx, result, reference)
        if fresh:
            image = charts.png(charts.phase_bars, cache=True, reuse=self._figures, **spec)
        else:  # only the bars and their texts are drawn again
            image = self._phase_png(**spec)
        self.phase_img.value = charts.img_html(image, alt)
        # The phase x factor view is a table: real text for screen readers, and no image to draw.
        self.grid_img.value = grid_table(ctx, result)
        # The factor groups folded open with what they cover (5 kB with their examples) and the
        # tab's terms: like the charts, only while the result tab shows, so an answer on the
        # statements' tab does not send them again (tests/test_room_traffic.py).
        self.summary.value = self._summary_html(result)
        self.result_terms.value = glossary_html(
            ctx, terms_shown(ctx, self.advice.value, self.summary.value)
        )
        self._charts_stale = False

    def show_charts(self, visible: bool) -> None:
        self.charts_visible = visible
        if visible and self._charts_stale:
            start = time.perf_counter()
            self.draw_charts()
            self.last_update_ms = (time.perf_counter() - start) * 1000

    def _summary_html(self, result: Result) -> str:
        """Per factor group its score, folded open for what the group covers, with examples."""
        ctx = self.ctx
        items = "".join(
            "<li>"
            + folded(
                "kit-factor-group",
                g.line,
                f"<p>{esc(g.description)}</p>"
                f'<p class="kit-explain-label">{esc(g.promoting_label)}</p>'
                f"<ul>{''.join(f'<li>{esc(x)}</li>' for x in g.promoting)}</ul>"
                f'<p class="kit-explain-label">{esc(g.hindering_label)}</p>'
                f"<ul>{''.join(f'<li>{esc(x)}</li>' for x in g.hindering)}</ul>",
            )
            + "</li>"
            for g in factor_groups(ctx, result)
        )
        return (
            f"<b>{esc(ctx.t('quickscan.by_factor'))}</b>"
            f"<p class='kit-muted'>{esc(ctx.t('explain.factors.hint'))}</p>"
            f"<ul class='kit-factor-groups'>{items}</ul>"
            f"<p class='kit-muted'>{esc(ctx.t('quickscan.rule'))}</p>"
        )


def case_ids(content: Content) -> set[str]:
    return {k.id for k in content.cases}


def state_from_memory(ctx: Ctx) -> ScanState:
    state = ScanState()
    for scan in ctx.memory.records(ScanAnswers):
        state.put(scan)
    return state


def build_quickscan(ctx: Ctx) -> w.Widget:
    view = QuickscanView(ctx, state_from_memory(ctx))
    view.on_answer.append(ctx.memory.save)
    lean = view.lean
    # Case text beside the statements on a wide screen, above them on a phone.
    left = w.VBox([view.narrative], layout=w.Layout(flex="44 1 300px", min_width="0"))
    right = w.VBox(
        [view.progress, view.progress_text, view.statements],
        layout=w.Layout(flex="56 1 340px", min_width="0"),
    )
    columns = w.HBox(
        [left, right], layout=w.Layout(flex_flow="row wrap"), _dom_classes=("kit-gap", "kit-cols")
    )
    answer_tab = lean(w.VBox, children=[columns])
    result_tab = lean(
        w.VBox,
        children=[
            view.phase_img,
            view.advice,
            view.grid_img,
            view.summary,
            view.result_terms,
            _to_plan(ctx, view),
        ],
    )
    tabs = lazy_tabs(
        ctx,
        "quickscan.tab",
        [
            (ctx.t("quickscan.tab.answer"), lambda: answer_tab),
            (ctx.t("quickscan.tab.result"), lambda: result_tab),
            (
                ctx.t("quickscan.tab.compare"),
                lambda: lean(w.VBox, children=[view.compare, view.grounds, view.compare_terms]),
            ),
            (ctx.t("quickscan.tab.files"), lambda: _files_panel(ctx, view)),
        ],
    )
    tabs.observe(ctx.guard(lambda ch: view.show_charts(ch["new"] == 1)), names="selected_index")
    view.show_charts(tabs.selected_index == 1)  # a rebuilt screen may open on the result tab
    intro = lean(w.HTML, value=f"<p>{esc(ctx.t('quickscan.intro'))}</p>")
    # A homework session's student was set the scan by her teacher; a workshop's by the trainer.
    kind = "homework" if ctx.memory.view.get(HOMEWORK) else "session"
    session_note = f"quickscan.{kind}_own" if view.session_case == OWN else f"quickscan.{kind}_case"
    fixed = lean(
        w.HTML,
        "kit-session-case-note",
        value=f'<p class="kit-muted kit-session-case">{esc(ctx.t(session_note))}</p>'
        if view.session_case is not None
        else "",
    )
    box = lean(
        w.VBox, children=[intro, lean(w.HBox, children=[view.perspective]), view.case, fixed, tabs]
    )
    box.view = view  # lets tests reach the view
    return box


def _to_plan(ctx: Ctx, view: QuickscanView) -> w.Widget:
    """From the result to a plan: the plan builder, started on the scan on screen, opens below."""
    lean = view.lean
    button = lean(
        w.Button, "kit-to-plan", description=ctx.t("quickscan.to_plan"), icon="arrow-right"
    )
    holder = lean(w.VBox)

    def on_click(_: object) -> None:
        from kit.apps.plan_app import build_plan

        scan = view.scan
        ctx.memory.save(scan)  # the plan builder offers the scans in the answer memory
        box = build_plan(ctx, (scan, "own", dt.date.today().isoformat()))
        hint = w.HTML(f'<p class="kit-muted">{esc(ctx.t("quickscan.to_plan_hint"))}</p>')
        holder.children = [hint, box]

    button.on_click(ctx.guard(on_click))
    return lean(w.VBox, children=[button, holder])


def _files_panel(ctx: Ctx, view: QuickscanView) -> w.Widget:

    pdf_button = w.Button(
        description=ctx.t("quickscan.files.pdf"), icon="file-pdf-o", button_style="primary"
    )
    pdf_button.add_class("kit-make-pdf")
    save_button = w.Button(description=ctx.t("quickscan.files.save"), icon="save")
    save_button.add_class("kit-save-answers")
    links = w.HTML()
    links.add_class("kit-downloads")
    links.add_class("kit-announce")
    upload = w.FileUpload(accept=".json", multiple=False, description=ctx.t("quickscan.files.load"))
    upload.add_class("kit-load-answers")
    message = w.HTML()
    message.add_class("kit-load-message")
    message.add_class("kit-announce")

    def made_by() -> Any:
        """Who makes the file, on which case (kit/formats.py names the file after it)."""
        case = view.current_case()
        if case is None:
            return maker(ctx, "own", "eigen" if ctx.lang == "nl" else "own")
        return maker(ctx, "case", case.id, case.title(ctx.lang))

    def on_pdf(_: object) -> None:
        from kit import reports  # loads matplotlib: only when a PDF is asked for

        data = reports.quickscan_pdf(
            ctx,
            view.perspective.value,
            view.current_case(),
            view.answers,
            reference_shown=room_gate(ctx).reference,  # a led room: only after the reveal
            maker=(made := made_by()),
        )
        links.value = download_link(
            data,
            formats.file_name("quickscan", made, "pdf"),
            "application/pdf",
            ctx.t("quickscan.files.pdf_ready"),
            "kit-pdf-link",
        )

    def on_save(_: object) -> None:
        text = quickscan.dump_answers(
            ctx.content.instrument.version,
            view.scan,
            dt.datetime.now().isoformat(timespec="seconds"),
        )
        links.value = download_link(
            text.encode("utf-8"),
            formats.file_name("quickscan", made_by(), "json"),
            "application/json",
            ctx.t("quickscan.files.save_ready"),
            "kit-json-link",
        )

    def on_upload(change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        inst = ctx.content.instrument
        try:
            loaded = quickscan.parse_answers(
                bytes(item["content"]),
                inst.version,
                inst.statements,
                [p.id for p in inst.perspectives],
                inst.max_value,
            )
        except AnswersFileError as exc:
            log.warning("answers file %s rejected: %s", item.get("name"), exc)
            message.value = alert(
                ctx.t(
                    "quickscan.files.bad",
                    name=item.get("name", "?"),
                    reason=ctx.t(exc.problem.text_key, version=inst.version),
                )
            )
            return
        finally:
            upload.value = ()
        if not view.accepts(loaded):
            names = {p.id: p.name(ctx.lang) for p in inst.perspectives}
            message.value = alert(
                ctx.t(
                    "quickscan.files.not_session",
                    name=item.get("name", "?"),
                    perspective=names.get(loaded.perspective, loaded.perspective),
                )
            )
            return
        view.load(loaded)
        message.value = notice(
            "✓ " + ctx.t("quickscan.files.loaded", name=item.get("name", "?"), n=len(loaded.values))
        )

    pdf_button.on_click(ctx.guard(on_pdf))
    save_button.on_click(ctx.guard(on_save))
    upload.observe(ctx.guard(on_upload), names="value")
    return w.VBox(
        [
            w.HTML(f"<p>{esc(ctx.t('quickscan.files.intro'))}</p>"),
            w.HBox([pdf_button, save_button], layout=w.Layout(flex_flow="row wrap")).add_class(
                "kit-row"
            ),
            name_field(ctx),
            links,
            w.HTML(f"<p>{esc(ctx.t('quickscan.files.load_intro'))}</p>"),
            upload,
            message,
        ]
    )
