"""The Kern-en-schil app: try adaptations of an intervention and see at once whether they keep
the kern intact; practise with situations; keep a FRAME-style adaptation log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as w

from kit import adaptations, charts, formats
from kit.adaptations import Judgement
from kit.answers import Adaptations, Proposal, SituationAnswer, SituationChoice
from kit.apps.common import Ctx, download_link, esc, lazy_tabs, maker, name_field
from kit.apps.frame import app_frame
from kit.apps.room_app import room_gate
from kit.apps.text_fields import FieldLimit
from kit.content import Content, Intervention, Situation
from kit.formats import Maker
from kit.present.group import situation_feedback, situation_score
from kit.present.kern import (
    SITUATION_FIELDS,
    JudgementText,
    SituationLine,
    VerdictSources,
    diagram,
    exercise_text,
    judgement_text,
    kern_summary,
    log_cells,
    log_csv,
    proposal_cards,
    situation_lines,
    to_log,
)

CSS = {"green": "kit-good", "amber": "kit-mid", "red": "kit-bad"}


def kern_app(lang: str | None = None, content: Content | None = None) -> w.Widget:
    """The Kern-en-schil app in a frame with a language switch."""
    return app_frame("kern", build_kern, lang, content)


@dataclass
class KernState:
    proposals: dict[str, list[Proposal]] = field(default_factory=dict)

    def for_(self, intervention: str) -> list[Proposal]:
        return self.proposals.setdefault(intervention, [])


def judgement_html(ctx: Ctx, item: Intervention, j: Judgement) -> str:
    """The verdict with its reason, and for red the way to stay in the schil."""
    return _judgement_html(ctx, judgement_text(ctx, item, j))


def _judgement_html(ctx: Ctx, t: JudgementText) -> str:
    parts = [f"<b>{esc(t.label)}</b> — {esc(t.reason)}"]
    if t.basis:
        parts.append(f'<br><span class="kit-basis">{esc(t.basis)}</span>')
    if t.overridden:
        parts.append(f'<br><span class="kit-muted">{esc(t.overridden)}</span>')
    if t.instead:
        parts.append(f"<br><b>{esc(ctx.t('kern.instead'))}</b> {esc(t.instead)}")
    if t.alternatives:
        parts.append(f"<br>{esc(t.alternatives)}")
    # The live region says the verdict (kit-say), not the folded-away list of sources.
    said = f'<span class="kit-say">{"".join(parts)}</span>'
    return said + (_sources_html(ctx, t.sources) if t.sources is not None else "")


def _sources_html(ctx: Ctx, sources: VerdictSources) -> str:
    """Where the verdict comes from, folded away under one line: the kit's own judgement from
    published guidance, and each source with the colour it gives (a link opens the source
    only when the learner follows it)."""
    items = "".join(
        f'<li><a href="{esc(line.url)}" target="_blank" rel="noopener noreferrer">'
        f"{esc(line.name)}</a>: {esc(line.colour)} "
        f'<span class="kit-muted">({esc(ctx.t("kern.sources." + ("agrees" if line.agrees else "differs")))})</span></li>'
        for line in sources.lines
    )
    listing = f"<ul>{items}</ul>" if items else ""
    return (
        f'<details class="kit-sources"><summary>{esc(ctx.t("kern.sources.summary"))}</summary>'
        f"<p>{esc(sources.note)}</p><p>{esc(sources.heading)}</p>{listing}</details>"
    )


class KernView:
    def __init__(self, ctx: Ctx, state: KernState | None = None) -> None:
        self.ctx = ctx
        c, lang = ctx.content, ctx.lang
        self.state = state or KernState()
        self.on_change: list[Callable[[str, list[Proposal]], None]] = []
        # Called when a situation is checked or its verdicts are released: the log shows them.
        self.on_situation: list[Callable[[], None]] = []
        # Called when a loaded log file brought situations back: the exercise shows them.
        self.on_loaded: list[Callable[[], None]] = []
        self._figures: dict[str, Any] = {}

        self.intervention = w.Dropdown(
            options=[(f"{i.name(lang)} — {i.kind(lang)}", i.id) for i in c.interventions],
            description=ctx.t("kern.intervention"),
            layout=w.Layout(width="100%", max_width="520px"),
        )
        self.intervention.add_class("kit-intervention-choice")
        # Where the learner was (a language switch rebuilds this view), else the session's.
        session = ctx.memory.session_info
        start = ctx.memory.view.get("kern.intervention") or (
            session.intervention_id if session else None
        )
        if start in {i.id for i in c.interventions}:
            self.intervention.value = start
        self.intervention.observe(
            lambda ch: ctx.memory.view.__setitem__("kern.intervention", ch["new"]), names="value"
        )
        self.about = w.HTML()
        self.diagram = w.HTML()
        self.diagram.add_class("kit-kern-diagram")
        self.element = w.Dropdown(description=ctx.t("kern.element"), layout=w.Layout(width="100%"))
        self.element.add_class("kit-element-choice")
        self.element_info = w.HTML()
        self.element_info.add_class("kit-element-info")
        self.type = w.Dropdown(
            options=[(t.name(lang), t.id) for t in c.adaptation_types],
            description=ctx.t("kern.type"),
            layout=w.Layout(width="100%"),
        )
        self.type.add_class("kit-type-choice")
        self.type_info = w.HTML()
        self.preview = w.HTML()
        self.preview.add_class("kit-preview")
        self.preview.add_class("kit-announce")  # its verdict is said in the app's live region
        self.reason = w.Text(
            description=ctx.t("kern.reason"),
            placeholder=ctx.t("kern.reason_hint"),
            continuous_update=False,
            layout=w.Layout(width="100%"),
        )
        self.goal = w.Text(
            description=ctx.t("kern.goal"),
            placeholder=ctx.t("kern.goal_hint"),
            continuous_update=False,
            layout=w.Layout(width="100%"),
        )
        self.reason.add_class("kit-kern-reason")
        self.goal.add_class("kit-kern-goal")
        # The limit under each field; checked when the learner leaves it, and again when adding.
        # A field sends its text when it loses focus (the tap on Add), not per keystroke: a
        # click overtakes a keystroke still held back by ipywidgets (tests/test_browser_text.py).
        self.reason_limit, self.goal_limit = FieldLimit(ctx), FieldLimit(ctx)
        self.reason.observe(ctx.guard(lambda ch: self.reason_limit.check(ch["new"])), "value")
        self.goal.observe(ctx.guard(lambda ch: self.goal_limit.check(ch["new"])), "value")
        self.when = w.Dropdown(
            options=self._frame_options("when", adaptations.FRAME_WHEN),
            value="implementation",
            description=ctx.t("kern.frame.when"),
            layout=w.Layout(flex="1 1 220px", width="auto", min_width="0"),
        )
        self.planned = w.Dropdown(
            options=[
                (ctx.t("kern.frame.planned.yes"), True),
                (ctx.t("kern.frame.planned.no"), False),
            ],
            description=ctx.t("kern.frame.planned"),
            layout=w.Layout(flex="1 1 220px", width="auto", min_width="0"),
        )
        self.who = w.Dropdown(
            options=self._frame_options("who", adaptations.FRAME_WHO),
            value="team",
            description=ctx.t("kern.frame.who"),
            layout=w.Layout(flex="1 1 220px", width="auto", min_width="0"),
        )
        self.level = w.Dropdown(
            options=self._frame_options("level", adaptations.FRAME_LEVEL),
            value="group",
            description=ctx.t("kern.frame.level"),
            layout=w.Layout(flex="1 1 220px", width="auto", min_width="0"),
        )
        self.add = w.Button(description=ctx.t("kern.add"), button_style="primary", icon="plus")
        self.add.add_class("kit-add-adaptation")
        self.listing = w.VBox()
        self.listing.add_class("kit-adaptation-list")
        self.summary = w.HTML()
        self.summary.add_class("kit-kern-summary")
        self.summary.add_class("kit-announce")

        self.intervention.observe(ctx.guard(lambda _: self.show_intervention()), names="value")
        self.element.observe(ctx.guard(lambda _: self.show_choice()), names="value")
        self.type.observe(ctx.guard(lambda _: self.show_choice()), names="value")
        self.add.on_click(ctx.guard(lambda _: self.add_proposal()))
        self.show_intervention()

    def _frame_options(self, key: str, values: tuple[str, ...]) -> list[tuple[str, str]]:
        return [(self.ctx.t(f"kern.frame.{key}.{v}"), v) for v in values]

    @property
    def item(self) -> Intervention:
        return self.ctx.content.intervention(self.intervention.value)

    @property
    def proposals(self) -> list[Proposal]:
        return self.state.for_(self.intervention.value)

    def element_options(self) -> list[tuple[str, str]]:
        """The intervention's elements, then the new element for an addition outside core
        time (judged as a new schil element)."""
        lang = self.ctx.lang
        new = self.item.new_element
        elements = (*self.item.elements, new) if new is not None else self.item.elements
        return [(f"{e.name(lang)} ({self.ctx.t(f'kern.part.{e.part}')})", e.id) for e in elements]

    def show_intervention(self) -> None:
        ctx, item = self.ctx, self.item
        self.about.value = (
            f'<div class="kit-card"><span class="kit-tag">{esc(item.kind(ctx.lang))}</span> '
            f"{esc(item.summary(ctx.lang))}</div>"
        )
        options = self.element_options()
        self.element.options = options
        self.element.value = options[0][1]
        self.refresh()

    def show_choice(self) -> None:
        ctx, item, lang = self.ctx, self.item, self.ctx.lang
        if self.element.value is None or self.type.value is None:
            return
        e = item.element(self.element.value)
        t = ctx.content.adaptation_type(self.type.value)
        self.element_info.value = (
            f'<div class="kit-card"><b>{esc(e.name(lang))}</b> '
            f'<span class="kit-tag">{esc(ctx.t(f"kern.part.{e.part}"))}</span>'
            f'<span class="kit-tag">{esc(ctx.t(f"kern.category.{e.category}"))}</span>'
            f"<br>{esc(e.description(lang))}<br><i>{esc(e.why(lang))}</i></div>"
        )
        self.type_info.value = f'<p class="kit-muted">{esc(t.description(lang))}</p>'
        j = adaptations.judge(item, e.id, t.id, ctx.content.adaptation_types)
        self.preview.value = (
            f'<div class="kit-feedback {CSS[j.verdict]} kit-verdict-{j.verdict}">'
            f'<span class="kit-say">{esc(ctx.t("kern.preview"))}</span> '
            f"{judgement_html(ctx, item, j)}</div>"
        )

    def add_proposal(self) -> None:
        ctx = self.ctx
        reason = self.reason_limit.check(self.reason.value)
        goal = self.goal_limit.check(self.goal.value)
        if reason is None or goal is None:  # too long: said under the field, nothing added
            ctx.status.error(ctx.t("kern.too_long"))
            return
        self.proposals.append(
            Proposal(
                element=self.element.value,
                type=self.type.value,
                reason=reason,
                goal=goal,
                when=self.when.value,
                planned=self.planned.value,
                who=self.who.value,
                level=self.level.value,
            )
        )
        self.reason.value = self.goal.value = ""
        ctx.status.clear()
        self.refresh()
        self._changed()

    def remove(self, index: int) -> None:
        del self.proposals[index]
        self.refresh()
        self._changed()

    def _changed(self) -> None:
        for callback in self.on_change:
            callback(self.intervention.value, list(self.proposals))

    def situation_checked(self) -> None:
        for callback in self.on_situation:
            callback()

    def judgements(self) -> list[Judgement]:
        types = self.ctx.content.adaptation_types
        return [adaptations.judge(self.item, p.element, p.type, types) for p in self.proposals]

    def refresh(self) -> None:
        ctx, item = self.ctx, self.item
        judgements = self.judgements()
        spec, alt = diagram(ctx, item, self.proposals, judgements)
        data = charts.png(
            charts.kern_schil,
            dpi=90,
            cache=not self.proposals,
            reuse=self._figures,
            **spec,
        )
        self.diagram.value = charts.img_html(data, alt)
        rows: list[w.Widget] = []
        for index, shown in enumerate(proposal_cards(ctx, item, self.proposals)):
            extra = "".join(
                f"<br><b>{esc(label)}</b> {esc(value)}" for label, value in shown.details
            )
            v = shown.judgement.verdict
            card = w.HTML(
                f'<div class="kit-feedback {CSS[v]} kit-adaptation kit-verdict-{v}">'
                f"<b>{esc(shown.type)}</b> → {esc(shown.element)}"
                f"<br>{_judgement_html(ctx, shown.judgement)}{extra}</div>",
                layout=w.Layout(flex="1 1 300px", min_width="0"),
            )
            remove = w.Button(
                description=ctx.t("kern.remove"), icon="trash", layout=w.Layout(width="auto")
            )
            remove.on_click(ctx.guard(lambda _, i=index: self.remove(i)))
            row = w.HBox(
                [card, remove], layout=w.Layout(align_items="center", flex_flow="row wrap")
            )
            row.add_class("kit-row")
            rows.append(row)
        if not rows:
            rows.append(w.HTML(f'<p class="kit-muted">{esc(ctx.t("kern.none_yet"))}</p>'))
        self.listing.children = rows
        s = kern_summary(ctx, (j.verdict for j in judgements))
        self.summary.value = (
            f'<div class="kit-card"><b>{esc(ctx.t("kern.summary.title"))}</b> '
            f"{esc(s.counts)}<br>{esc(s.outlook)}</div>"
        )
        self.show_choice()


def state_from_memory(ctx: Ctx) -> KernState:
    """Proposals saved earlier; ones that no longer match the content (renamed element or type)
    are left out rather than breaking the app."""
    c = ctx.content
    known = {
        i.id: {e.id for e in i.elements} | ({i.new_element.id} if i.new_element else set())
        for i in c.interventions
    }
    types = {t.id for t in c.adaptation_types}
    state = KernState()
    for record in ctx.memory.records(Adaptations):
        if record.intervention in known:
            state.proposals[record.intervention] = [
                p
                for p in record.proposals
                if p.element in known[record.intervention] and p.type in types
            ]
    return state


def build_kern(ctx: Ctx) -> w.Widget:
    view = KernView(ctx, state_from_memory(ctx))
    view.on_change.append(
        lambda item, proposals: ctx.memory.save(
            Adaptations(intervention=item, proposals=tuple(proposals))
        )
    )
    composer = w.VBox(
        [
            view.element,
            view.element_info,
            view.type,
            view.type_info,
            view.preview,
            view.reason,
            view.reason_limit.hint,
            view.goal,
            view.goal_limit.hint,
            w.HTML(f"<b>{esc(ctx.t('kern.frame.title'))}</b>"),
            w.HBox([view.when, view.planned], layout=w.Layout(flex_flow="row wrap")),
            w.HBox([view.who, view.level], layout=w.Layout(flex_flow="row wrap")),
            view.add,
        ],
        # Beside the diagram on a wide screen, below it on a phone.
        layout=w.Layout(flex="48 1 300px", min_width="0"),
    )
    composer.add_class("kit-composer")
    explore = w.VBox(
        [
            w.HBox(
                [
                    w.VBox([view.diagram], layout=w.Layout(flex="52 1 300px", min_width="0")),
                    composer,
                ],
                layout=w.Layout(flex_flow="row wrap"),
            ).add_class("kit-cols"),
            view.summary,
            view.listing,
        ]
    )
    tabs = lazy_tabs(
        ctx,
        "kern.tab",
        [
            (ctx.t("kern.tab.explore"), lambda: explore),
            (ctx.t("kern.tab.exercise"), lambda: _exercise(ctx, view)),
            (ctx.t("kern.tab.log"), lambda: _log_panel(ctx, view)),
        ],
    )
    intro = w.HTML(f"<p>{esc(ctx.t('kern.intro'))}</p>")
    box = w.VBox([intro, view.intervention, view.about, tabs])
    box.view = view  # lets tests reach the view
    return box


def situations_held(ctx: Ctx) -> bool:
    """Whether the kit's verdicts on the situations are held back: a homework session before
    its answers are released (kit/apps/homework_bar.py), or a link that holds them back. Her
    choices are saved all the same; only the feedback and the score wait. A led room does not
    hold them: its kern step promises the verdict at once (content/agendas/workshop.yaml)."""
    return ctx.memory.view.get("link.reference") is False


def _exercise(ctx: Ctx, view: KernView) -> w.Widget:
    c, lang = ctx.content, ctx.lang
    situation = w.Dropdown(
        description=ctx.t("kern.situation"), layout=w.Layout(width="100%", max_width="520px")
    )
    situation.add_class("kit-situation-choice")
    text = w.HTML()
    element = w.Dropdown(
        description=ctx.t("kern.element"), layout=w.Layout(width="100%", max_width="480px")
    )
    element.add_class("kit-situation-element")
    kind = w.Dropdown(
        options=[(t.name(lang), t.id) for t in c.adaptation_types],
        description=ctx.t("kern.type"),
        layout=w.Layout(width="100%", max_width="480px"),
    )
    kind.add_class("kit-situation-kind")
    check = w.Button(description=ctx.t("kern.check"), button_style="primary", icon="check")
    check.add_class("kit-check-situation")
    feedback = w.HTML()
    feedback.add_class("kit-situation-feedback")
    feedback.add_class("kit-announce")
    score = w.HTML()
    score.add_class("kit-situation-score")

    def current() -> Situation | None:
        return next((s for s in view.item.situations if s.id == situation.value), None)

    def fill() -> None:
        item = view.item
        element.options = view.element_options()
        element.value = item.elements[0].id
        situation.options = [
            (f"{i}. {s.text(lang)[:70]}…", s.id) for i, s in enumerate(item.situations, 1)
        ]
        # Setting options alone does not always select one (ipywidgets 8): pick the first.
        situation.value = item.situations[0].id if item.situations else None
        show()

    def feedback_html(s: Situation, chosen: SituationChoice) -> str:
        if situations_held(ctx):
            return (
                '<div class="kit-feedback kit-answer-wait" role="status">'
                f"<p>{esc(ctx.t('kern.situation.held'))}</p></div>"
            )
        fb = situation_feedback(c, view.item.id, s.id, chosen)
        if fb is None:  # a choice the content no longer knows (renamed element or type)
            return ""
        t = exercise_text(ctx, view.item, fb)
        better = (
            ""
            if t.good
            else f'<p class="kit-say"><b>{esc(ctx.t("kern.exercise.better"))}</b> {esc(t.better)}</p>'
        )
        return (
            f'<div class="kit-feedback {CSS[t.verdict]}"><b class="kit-say">{esc(t.headline)}</b>'
            f"<div>{_judgement_html(ctx, t.judgement)}</div>{better}"
            f'<p class="kit-say"><i>{esc(s.debrief(lang))}</i></p></div>'
        )

    def show_score() -> None:
        right, done = situation_score(c, ctx.memory.records(SituationAnswer))
        if done == 0:
            score.value = ""
        elif situations_held(ctx):
            score.value = (
                f'<p class="kit-muted">{esc(ctx.t("kern.situation.held_count", n=done))}</p>'
            )
        else:
            score.value = f'<p class="kit-muted">{esc(ctx.t("kern.exercise.score", good=right, done=done))}</p>'

    def show(_: object = None) -> None:
        feedback.value = ""
        s = current()
        if s is None:
            text.value = f'<p class="kit-muted">{esc(ctx.t("kern.no_situations"))}</p>'
            return
        text.value = f'<div class="kit-card kit-situation"><p>{esc(s.text(lang))}</p><p>{esc(ctx.t("kern.situation_task"))}</p></div>'
        # Coming back to a situation (or a rebuilt screen) shows her last choice and its feedback.
        kept = ctx.memory.find(SituationAnswer, intervention=view.item.id, situation=s.id)
        if kept is None:
            return
        if kept.last.element in {v for _, v in element.options}:
            element.value = kept.last.element
        if kept.last.type in {v for _, v in kind.options}:
            kind.value = kept.last.type
        feedback.value = feedback_html(s, kept.last)

    def on_check(_: object) -> None:
        s = current()
        if s is None or element.value is None or kind.value is None:
            return
        item = view.item
        chosen = SituationChoice(element=element.value, type=kind.value)
        earlier = ctx.memory.find(SituationAnswer, intervention=item.id, situation=s.id)
        first = earlier.first if earlier else chosen
        ctx.memory.save(
            SituationAnswer(intervention=item.id, situation=s.id, first=first, last=chosen)
        )
        feedback.value = feedback_html(s, chosen)
        show_score()
        view.situation_checked()

    def regate() -> None:  # the teacher's release (after her hand-in or the deadline)
        show()
        show_score()
        view.situation_checked()

    situation.observe(ctx.guard(show), names="value")

    def reload() -> None:  # a loaded log file brought situations back
        show()
        show_score()

    view.on_loaded.append(ctx.guard(reload))
    check.on_click(ctx.guard(on_check))
    view.intervention.observe(ctx.guard(lambda _: fill()), names="value")
    room_gate(ctx).listeners["kern.situations"] = ctx.guard(regate)
    fill()
    if ctx.memory.view.get("kern.situation") in {v for _, v in situation.options}:
        situation.value = ctx.memory.view["kern.situation"]  # a deep link's (kit/links.py)
    show_score()
    intro = w.HTML(f"<p>{esc(ctx.t('kern.exercise.intro'))}</p>")
    return w.VBox([intro, situation, text, element, kind, check, feedback, score, _discussion(ctx)])


def _discussion(ctx: Ctx) -> w.Widget:
    """The discussion exercise under the situations: who decides, on what evidence."""
    d = ctx.content.discussion
    if d is None:
        return w.HTML()
    lang = ctx.lang
    questions = "".join(f"<li>{esc(q(lang))}</li>" for q in d.questions)
    box = w.HTML(
        f'<div class="kit-card kit-discussion"><span class="kit-tag">'
        f"{esc(ctx.t('kern.discussion.label'))}</span> <b>{esc(d.title(lang))}</b>"
        f"<p>{esc(d.text(lang))}</p><ol>{questions}</ol></div>"
    )
    box.add_class("kit-discussion-box")
    return box


def _log_panel(ctx: Ctx, view: KernView) -> w.Widget:

    table = w.HTML()
    table.add_class("kit-log-table")
    csv_button = w.Button(description=ctx.t("kern.log.csv"), icon="table")
    csv_button.add_class("kit-log-csv")
    pdf_button = w.Button(description=ctx.t("kern.log.pdf"), icon="file-pdf-o")
    pdf_button.add_class("kit-log-pdf")
    links = w.HTML()
    links.add_class("kit-log-links")
    # The FRAME log's fields, minus what the table shows another way (verdict says kern kept).
    columns = tuple(f for f in adaptations.LOG_FIELDS if f not in ("frame_type", "kern_kept"))

    def show(*_: Any) -> None:
        entries = to_log(ctx, view.item, view.proposals)
        if not entries:
            table.value = f'<p class="kit-muted">{esc(ctx.t("kern.none_yet"))}</p>'
            return
        head = "".join(f"<th scope='col'>{esc(ctx.t(f'kern.log.col.{k}'))}</th>" for k in columns)
        body = ""
        for e in entries:
            cells = log_cells(ctx, e)
            # data-label: on a phone each row is shown as a card, every value under its column name.
            body += (
                "<tr>"
                + "".join(
                    f"<td data-label='{esc(ctx.t(f'kern.log.col.{k}'))}'>{esc(str(cells[k]))}</td>"
                    for k in columns
                )
                + "</tr>"
            )
        table.value = (
            '<table class="kit-table">'
            f"<caption>{esc(ctx.t('kern.log.caption', name=view.item.name(ctx.lang)))}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )

    situations = w.HTML()
    situations.add_class("kit-log-situations")

    def checked() -> list[SituationLine]:
        records = ctx.memory.records(SituationAnswer)
        return situation_lines(ctx, view.item, records, held=situations_held(ctx))

    def show_situations(*_: Any) -> None:
        lines = checked()
        heading = f"<h3>{esc(ctx.t('kern.log.sit.title'))}</h3>"
        if not lines:
            situations.value = (
                heading + f'<p class="kit-muted">{esc(ctx.t("kern.log.sit.none"))}</p>'
            )
            return
        names = {k: esc(ctx.t(f"kern.log.sit.col.{k}")) for k in SITUATION_FIELDS}
        head = "".join(f"<th scope='col'>{names[k]}</th>" for k in SITUATION_FIELDS)
        body = "".join(
            "<tr>"
            + "".join(
                f"<td data-label='{names[k]}'>{esc(line.cells()[k])}</td>" for k in SITUATION_FIELDS
            )
            + "</tr>"
            for line in lines
        )
        caption = esc(ctx.t("kern.log.sit.caption", name=view.item.name(ctx.lang)))
        situations.value = (
            f'{heading}<table class="kit-table kit-situation-log"><caption>{caption}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )

    def made_by() -> Maker:
        return maker(ctx, "intervention", view.item.id, view.item.name(ctx.lang))

    def on_csv(_: object) -> None:
        made = made_by()
        data = log_csv(ctx, to_log(ctx, view.item, view.proposals), made, checked())
        links.value = download_link(
            data,
            formats.file_name(ctx.t("kern.log.file"), made, "csv"),
            "text/csv",
            ctx.t("kern.log.csv_ready"),
            "kit-csv-link",
        )

    def on_pdf(_: object) -> None:
        from kit import reports  # loads matplotlib: only when a PDF is asked for

        made = made_by()
        data = reports.kern_pdf(ctx, view.item, view.proposals, made, checked())
        links.value = download_link(
            data,
            formats.file_name(ctx.t("kern.log.file"), made, "pdf"),
            "application/pdf",
            ctx.t("kern.log.pdf_ready"),
            "kit-pdf-link",
        )

    # Issue 25 §2: the exported log loads back (kit/present/kern_log.py).
    upload = w.FileUpload(accept=".csv", multiple=False, description=ctx.t("kern.load.button"))
    upload.add_class("kit-log-load")

    def on_upload(change: dict[str, Any]) -> None:
        from kit.present.kern_log import LogFileError, read_log_file

        if not change["new"]:
            return
        data = bytes(change["new"][0]["content"])
        upload.value = ()
        try:
            loaded = read_log_file(ctx.content, data)
        except LogFileError as exc:
            key, values = exc.args
            ctx.status.error(ctx.t(key, **values))
            return
        item = loaded.item
        view.intervention.value = item.id
        view.state.proposals[item.id] = list(loaded.proposals)
        view.refresh()
        view._changed()
        # The situations she checked come back as she left them (her first choice counts for
        # the score); one she checked here and the file does not hold stays.
        for answer in loaded.situations:
            ctx.memory.save(answer)
        for callback in view.on_loaded:
            callback()
        view.situation_checked()
        said = [ctx.t("kern.load.done", n=len(loaded.proposals), name=item.name(ctx.lang))]
        said.append(ctx.t("kern.load.situations", n=len(loaded.situations)))
        if loaded.passed_over:
            said.append(ctx.t("kern.load.passed_over", n=loaded.passed_over))
        ctx.status.info(" ".join(said))

    upload.observe(ctx.guard(on_upload), names="value")
    view.on_change.append(lambda *_: show())
    view.intervention.observe(ctx.guard(show), names="value")
    view.on_situation.append(ctx.guard(show_situations))
    view.intervention.observe(ctx.guard(show_situations), names="value")
    csv_button.on_click(ctx.guard(on_csv))
    pdf_button.on_click(ctx.guard(on_pdf))
    show()
    show_situations()
    intro = w.HTML(f"<p>{esc(ctx.t('kern.log.intro'))}</p>")
    buttons = w.HBox([csv_button, pdf_button, upload], layout=w.Layout(flex_flow="row wrap"))
    buttons.add_class("kit-row")
    return w.VBox([intro, table, situations, name_field(ctx), buttons, links])
