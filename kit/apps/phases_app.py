"""The Phases app: explore the journey, place teams in a phase, pick activities that fit."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from kit import charts
from kit.answers import ActivityPick, PhaseGuess
from kit.apps.common import Ctx, download_link, esc, html_list, lazy_tabs
from kit.apps.frame import app_frame
from kit.apps.hexagon_app import build_hexagon
from kit.apps.room_app import room_gate
from kit.content import Content, Scenario
from kit.phases import FIT_SYMBOL, Fit, judge_phase
from kit.present.phases import (
    fit_feedback,
    guess_feedback,
    guess_score,
    phase_details,
    scenario_card,
)


def phases_app(lang: str | None = None, content: Content | None = None) -> w.Widget:
    """The Phases app in a frame with a language switch."""
    return app_frame("phases", build_phases, lang, content)


def build_phases(ctx: Ctx) -> w.Widget:
    return lazy_tabs(
        ctx,
        "phases.tab",
        [
            (ctx.t("phases.tab.explore"), lambda: _explore(ctx)),
            (ctx.t("phases.tab.which"), lambda: _which_phase(ctx)),
            (ctx.t("phases.tab.fit"), lambda: _activity_fit(ctx)),
            (ctx.t("phases.tab.choose"), lambda: build_hexagon(ctx)),
        ],
    )


def journey_figure(ctx: Ctx, **kwargs: Any) -> str:
    """The journey chart as an ``<img>`` with alt text that says what the picture shows."""
    c, lang = ctx.content, ctx.lang
    phases = [(p.number, p.name(lang), p.question(lang)) for p in c.phases]
    stages = [(s.name(lang), [p.number for p in c.phases if p.stage == s.id]) for s in c.stages]
    change = [(c.phase(m.phase).number, m.name(lang)) for m in c.change_model]
    # Without markers there are only a few distinct journeys: they come from the chart cache.
    data = charts.png(
        charts.journey,
        cache=not kwargs.get("markers"),
        phases=phases,
        stages=stages,
        change_model=change,
        change_title=ctx.t("phases.change_model"),
        **kwargs,
    )
    alt = ctx.t(
        "phases.alt.journey",
        phases=", ".join(f"{n} {name}" for n, name, _ in phases),
        change=", ".join(name for _, name in change),
    )
    markers = kwargs.get("markers") or ()
    if markers:
        alt += " " + ctx.t("phases.alt.markers", n=len(markers))
    return charts.img_html(data, alt)


def _phase_options(ctx: Ctx) -> list[tuple[str, int]]:
    return [(f"{p.number} · {p.name(ctx.lang)}", p.number) for p in ctx.content.phases]


# ------------------------------------------------------------------ 1. explore


def _explore(ctx: Ctx) -> w.Widget:
    c = ctx.content
    figure = w.HTML()
    figure.add_class("kit-journey")
    picker = w.ToggleButtons(
        options=_phase_options(ctx), value=None, description=ctx.t("phases.pick")
    )
    picker.add_class("kit-phase-picker")
    details = w.HTML(f'<p class="kit-muted">{esc(ctx.t("phases.pick_hint"))}</p>')
    details.add_class("kit-phase-details")

    def show(number: int | None) -> None:
        figure.value = journey_figure(ctx, selected=number)
        if number is None:
            return
        d = phase_details(ctx, c.phases[number])
        details.value = (
            f'<div class="kit-card"><h3>{esc(d.title)} '
            f'<span class="kit-tag">{esc(d.stage)}</span></h3>'
            f"<p><b>{esc(ctx.t('phases.goal'))}</b> {esc(d.goal)}</p>"
            f'<p class="kit-muted">{esc(d.change_line)}</p></div>'
            '<div style="display:grid;grid-template-columns:'
            'repeat(auto-fit,minmax(min(100%,260px),1fr));gap:8px">'
            f'<div class="kit-card"><b>{esc(ctx.t("phases.signals"))}</b>'
            f"{html_list(list(d.signals))}</div>"
            f'<div class="kit-card"><b>{esc(ctx.t("phases.pitfalls"))}</b>'
            f"{html_list(list(d.pitfalls))}</div></div>"
            f'<div class="kit-card"><b>{esc(ctx.t("phases.activities"))}</b><ul>'
            + "".join(f"<li><b>{esc(text)}</b> — {esc(why)}</li>" for text, why in d.activities)
            + "</ul></div>"
        )

    picker.observe(ctx.guard(lambda ch: show(ch["new"])), names="value")
    show(None)
    return w.VBox([figure, picker, details, _checklist_downloads(ctx, picker)])


def _checklist_downloads(ctx: Ctx, picker: w.ToggleButtons) -> w.Widget:
    """The chosen phase's checklist and tips to take home, as PDF and Word."""
    label = w.HTML(f"<p><b>{esc(ctx.t('phases.checklist'))}</b></p>")
    pdf = w.Button(description=ctx.t("phases.checklist.pdf"), icon="file-pdf-o")
    pdf.add_class("kit-checklist-pdf")
    docx = w.Button(description=ctx.t("phases.checklist.docx"), icon="file-word-o")
    docx.add_class("kit-checklist-docx")
    links = w.HTML()
    links.add_class("kit-checklist-links")
    links.add_class("kit-announce")
    box = w.VBox([label, w.HBox([pdf, docx]).add_class("kit-row"), links])
    box.layout.display = "none"  # until a phase is chosen

    def make(kind: str) -> None:
        from kit import plan_docs

        phase = ctx.content.phases[picker.value]
        name = f"checklist-{phase.number}-{phase.id}-{ctx.lang}.{kind}"
        if kind == "pdf":
            data, mime = plan_docs.checklist_pdf(ctx, [phase.id]), "application/pdf"
        else:
            data, mime = plan_docs.checklist_docx(ctx, [phase.id]), plan_docs.DOCX_MIME
        links.value = download_link(
            data, name, mime, ctx.t(f"phases.checklist.ready_{kind}"), f"kit-checklist-{kind}-link"
        )

    def on_phase(change: dict[str, Any]) -> None:
        box.layout.display = None if change["new"] is not None else "none"
        links.value = ""

    pdf.on_click(ctx.guard(lambda _: make("pdf")))
    docx.on_click(ctx.guard(lambda _: make("docx")))
    picker.observe(ctx.guard(on_phase), names="value")
    return box


# ------------------------------------------------------------------ 2. which phase


def _scenario_options(ctx: Ctx) -> list[tuple[str, str]]:
    return [
        (f"{i}. {s.title(ctx.lang)}", s.id) for i, s in enumerate(ctx.content.scenarios, start=1)
    ]


def _own_order(ctx: Ctx) -> list[Scenario] | None:
    """The order "Which phase?" shows its teams to a learner alone whose work the kit keeps:
    shuffled by who she is (the same order every day, another learner another one), so the
    content's order (by phase: 0, 1, 1, 2, …) does not give the answers away. None in a group
    session (everyone there numbers the teams alike) or for a visitor nothing is kept for."""
    if ctx.memory.keeper is None or ctx.memory.client is not None:
        return None
    from kit import route
    from kit.storage.own import learner

    return route.shuffled(ctx.content.scenarios, f"{learner() or ''}:phases.which")


def _end_line(ctx: Ctx, first_tries: dict[str, bool]) -> str:
    """Once every team is placed: how many, how many right at once, and the route's next step."""
    c = ctx.content
    if len(first_tries) < len(c.scenarios):
        return ""
    steps = list(c.route)
    here = next((i for i, s in enumerate(steps) if s.app == "phases"), None)
    following = steps[here + 1] if here is not None and here + 1 < len(steps) else None
    text = ctx.t(
        "phases.end",
        n=len(c.scenarios),
        right=sum(first_tries.values()),
        next=following.title(ctx.lang) if following else ctx.t("start.title"),
    )
    return (
        f'<p class="kit-info kit-phases-end" role="status"><b>{esc(text)}</b> '
        f'<a href="start.ipynb">{esc(ctx.t("start.back"))}</a></p>'
    )


def _scenario_card(ctx: Ctx, s: Scenario) -> str:
    card = scenario_card(ctx, s)
    return (
        f'<div class="kit-card kit-scenario"><span class="kit-tag">{esc(card.actor)}</span>'
        f"<h3>{esc(card.title)}</h3><p>{esc(card.text)}</p></div>"
    )


def _which_phase(ctx: Ctx) -> w.Widget:
    c = ctx.content
    # Restored from the answer memory (language switch, or a group session after a reload).
    scenarios = {s.id: s for s in c.scenarios}
    first_tries: dict[str, bool] = {
        g.scenario: c.phase(scenarios[g.scenario].phase).number == g.first
        for g in ctx.memory.records(PhaseGuess)
        if g.scenario in scenarios
    }
    order = _own_order(ctx)
    shown = order or list(c.scenarios)
    chooser = w.Dropdown(
        options=(
            [(f"{i}. {s.title(ctx.lang)}", s.id) for i, s in enumerate(order, start=1)]
            if order
            else _scenario_options(ctx)
        ),
        description=ctx.t("phases.scenario"),
        layout=w.Layout(width="100%", max_width="520px"),
    )
    chooser.add_class("kit-scenario-choice")
    if ctx.memory.view.get("phases.situation") in {v for _, v in chooser.options}:
        chooser.value = ctx.memory.view["phases.situation"]  # a deep link's (kit/links.py)
    next_button = w.Button(description=ctx.t("phases.next_scenario"), icon="arrow-right")
    next_button.add_class("kit-next-scenario")
    card = w.HTML()
    answer = w.RadioButtons(
        options=_phase_options(ctx), value=None, description=ctx.t("phases.which")
    )
    answer.add_class("kit-phase-answer")
    check = w.Button(description=ctx.t("phases.check"), button_style="primary", icon="check")
    check.add_class("kit-check")
    feedback = w.HTML()
    feedback.add_class("kit-feedback-box")
    feedback.add_class("kit-announce")  # its verdict is said in the app's live region
    score = w.HTML()
    score.add_class("kit-score")

    def scenario() -> Scenario:
        return next(s for s in c.scenarios if s.id == chooser.value)

    def show_scenario(_: object = None) -> None:
        s = scenario()
        card.value = _scenario_card(ctx, s)
        # Coming back to a scenario shows the last answer and its feedback again.
        guess = ctx.memory.find(PhaseGuess, scenario=s.id)
        last = guess.last if guess else None
        answer.value = last
        feedback.value = "" if last is None else feedback_html(s, last)

    def show_score() -> None:
        held = room_gate(ctx).hidden_scenarios  # a led room's poll has not revealed these yet
        tries = {k: v for k, v in first_tries.items() if k not in held}
        score.value = f'<p class="kit-muted">{esc(guess_score(ctx, tries))}</p>' + (
            _end_line(ctx, tries) if order else ""
        )

    def feedback_html(s: Scenario, chosen: int) -> str:
        if s.id in room_gate(ctx).hidden_scenarios:
            wait = ctx.t("room2.phone.answer_wait")
            return (
                f'<div class="kit-feedback kit-answer-wait" role="status"><p>{esc(wait)}</p></div>'
            )
        found = guess_feedback(ctx, s, chosen)
        css = {"right": "kit-good", "close": "kit-mid", "wrong": "kit-bad"}[found.verdict]
        direction = f"<p>{esc(found.direction)}</p>" if found.direction else ""
        return (
            f'<div class="kit-feedback {css}"><b>{esc(found.headline)}</b>'
            f"<p>{esc(found.why)}</p>{direction}"
            f"<p><b>{esc(found.fits_now)}</b></p>"
            f"{html_list(list(found.activities))}</div>"
        )

    def on_check(_: object) -> None:
        if answer.value is None:
            ctx.status.info(ctx.t("phases.choose_first"))
            return
        ctx.status.clear()
        s = scenario()
        actual = c.phase(s.phase)
        guess = judge_phase(actual.number, answer.value)
        first_tries.setdefault(s.id, guess.correct)
        earlier = ctx.memory.find(PhaseGuess, scenario=s.id)
        first = earlier.first if earlier else answer.value
        ctx.memory.save(PhaseGuess(scenario=s.id, first=first, last=answer.value))
        feedback.value = feedback_html(s, answer.value)
        show_score()

    def on_next(_: object) -> None:
        ids = [s.id for s in shown]
        here = ids.index(chooser.value)
        if order is None:  # in a session: the teams in everyone's order, round again
            chooser.value = ids[(here + 1) % len(ids)]
            return
        # Alone: on to the next team not placed yet; when all are, say so instead of starting over.
        ahead = ids[here + 1 :] + ids[:here]
        todo = [i for i in ahead if i not in first_tries]
        if todo:
            chooser.value = todo[0]
        else:
            show_score()
            ctx.status.info(ctx.t("phases.all_done"))

    chooser.observe(ctx.guard(show_scenario), names="value")
    check.on_click(ctx.guard(on_check))
    next_button.on_click(ctx.guard(on_next))
    show_scenario()
    show_score()

    def regate() -> None:  # the trainer revealed (or hid) a scenario's phase
        guess = ctx.memory.find(PhaseGuess, scenario=chooser.value)
        feedback.value = "" if guess is None else feedback_html(scenario(), guess.last)
        show_score()

    room_gate(ctx).listeners["phases.which"] = ctx.guard(regate)
    intro = w.HTML(f"<p>{esc(ctx.t('phases.which_intro'))}</p>")
    choose = w.HBox([chooser, next_button], layout=w.Layout(flex_flow="row wrap"))
    choose.add_class("kit-row")
    return w.VBox([intro, choose, card, answer, check, feedback, score])


# ------------------------------------------------------------------ 3. activity fit


def _activity_fit(ctx: Ctx) -> w.Widget:
    c, lang = ctx.content, ctx.lang
    chooser = w.Dropdown(
        options=_scenario_options(ctx),
        description=ctx.t("phases.team"),
        layout=w.Layout(width="100%", max_width="520px"),
    )
    chooser.add_class("kit-team-choice")
    card = w.HTML()
    # Mixed order (alphabetical in the current language) so the phase is not given away.
    activities = sorted((a for p in c.phases for a in p.activities), key=lambda a: a.text(lang))
    boxes = {
        a.id: w.Checkbox(
            value=False, description=a.text(lang), indent=False, layout=w.Layout(width="auto")
        )
        for a in activities
    }
    grid = w.GridBox(
        list(boxes.values()),
        # Two columns on a wide screen, one on a phone.
        layout=w.Layout(
            grid_template_columns="repeat(auto-fill, minmax(min(100%, 380px), 1fr))",
            grid_gap="0 16px",
        ),
    )
    grid.add_class("kit-activity-grid")
    check = w.Button(description=ctx.t("phases.check_choice"), button_style="primary", icon="check")
    check.add_class("kit-check-fit")
    clear = w.Button(description=ctx.t("phases.clear"), icon="eraser")
    result = w.HTML()
    result.add_class("kit-fit-result")
    figure = w.HTML()

    def team_phase() -> int:
        s = next(s for s in c.scenarios if s.id == chooser.value)
        return c.phase(s.phase).number

    def held() -> bool:
        """A led room's poll asks about this team and the trainer has not revealed it: its
        phase and the verdicts wait (kit.agenda.hidden_scenarios)."""
        return chooser.value in room_gate(ctx).hidden_scenarios

    def show_team(_: object = None) -> None:
        s = next(s for s in c.scenarios if s.id == chooser.value)
        p = c.phase(s.phase)
        shown = scenario_card(ctx, s)
        team = "" if held() else f"<b>{esc(shown.team_line)}</b> {esc(shown.goal)}"
        card.value = _scenario_card(ctx, s) + (
            f"<p>{team}</p><p>{esc(ctx.t('phases.fit_intro'))}</p>"
        )
        result.value = ""
        pick = ctx.memory.find(ActivityPick, scenario=s.id)
        chosen = set(pick.activities if pick else ())
        for activity_id, box in boxes.items():
            box.value = activity_id in chosen
        figure.value = (
            ""
            if held()
            else journey_figure(ctx, team_phase=p.number, team_label=ctx.t("phases.team_here"))
        )
        if chosen:
            on_check(None)

    def on_check(_: object) -> None:
        chosen = [a for a in activities if boxes[a.id].value]
        if not chosen:
            ctx.status.info(ctx.t("phases.pick_activities_first"))
            return
        ctx.status.clear()
        team = team_phase()
        ctx.memory.save(
            ActivityPick(scenario=chooser.value, activities=tuple(a.id for a in chosen))
        )
        if held():
            wait = ctx.t("room2.phone.answer_wait")
            result.value = (
                f'<div class="kit-feedback kit-answer-wait" role="status"><p>{esc(wait)}</p></div>'
            )
            return
        found = fit_feedback(ctx, team, chosen)
        css = {
            Fit.FITS: "kit-good",
            Fit.NEXT: "kit-mid",
            Fit.TOO_EARLY: "kit-bad",
            Fit.TOO_LATE: "kit-mid",
        }
        rows = [
            f'<div class="kit-feedback {css[r.fit]} kit-fit-{r.fit.value}" data-activity="{r.activity_id}">'
            f"<b>{r.symbol} {esc(r.label)}</b>: {esc(r.activity)} "
            f'<span class="kit-muted">({esc(r.belongs_to)})</span>'
            f"<br>{esc(r.explain)}</div>"
            for r in found.rows
        ]
        rule = f'<p class="kit-muted kit-score-rule">{esc(found.rule)}</p>'
        result.value = f'<p class="kit-score-line"><b>{esc(found.summary)}</b></p>{rule}' + "".join(
            rows
        )
        figure.value = journey_figure(
            ctx, team_phase=team, team_label=ctx.t("phases.team_here"), markers=list(found.markers)
        )

    def on_clear(_: object) -> None:
        ctx.memory.save(ActivityPick(scenario=chooser.value))
        for box in boxes.values():
            box.value = False
        result.value = ""
        show_team()

    chooser.observe(ctx.guard(show_team), names="value")
    check.on_click(ctx.guard(on_check))
    clear.on_click(ctx.guard(on_clear))
    show_team()
    room_gate(ctx).listeners["phases.fit"] = ctx.guard(show_team)  # redrawn on the reveal
    legend = w.HTML(
        '<p class="kit-muted">'
        + " · ".join(f"{FIT_SYMBOL[f]} {esc(ctx.t(f'phases.fit.{f.value}'))}" for f in Fit)
        + "</p>"
    )
    buttons = w.HBox([check, clear], layout=w.Layout(flex_flow="row wrap"))
    buttons.add_class("kit-row")
    return w.VBox([chooser, card, grid, buttons, figure, legend, result])
