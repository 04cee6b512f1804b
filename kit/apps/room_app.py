"""The led room's screens: the trainer's remote, the projector and the phones' panel.

All three read the room from the store (:class:`kit.led.Led`) and draw what
:mod:`kit.present.room` says, so every kernel (the trainer's phone, the projector, each
participant's page) shows the same step. None of them gets a push: each asks the store for the
room's version (one primary-key read) about once a second and redraws only when it changed, or
when the counts or the timer on screen did. A reload, a late joiner or a second device therefore
lands on the current step: it reads the room like everyone else.

* :func:`lead_app` (``leiden.ipynb?session=CODE``): the remote. It opens with the session code
  and the facilitator key like the Group app; :func:`room_remote` is the same remote for the
  dashboard. Every action goes through :meth:`kit.led.Led.act`, which checks the key.
* :func:`room_screen`: the projector (``presentatie.ipynb?session=CODE``) while the session is
  led; the QR view otherwise. Counts only: it never reads who voted, never a key.
* :func:`follow_room`: the panel at the top of the participant's page in led mode. In free mode,
  or a session that is not led, the page is as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import ipywidgets as w

from kit import agenda as rules
from kit.agenda import Action, Room
from kit.apps.common import (
    Ctx,
    alert,
    client_address,
    esc,
    every,
    log,
    notice,
    query_params,
    store_problem,
)
from kit.apps.frame import app_frame
from kit.content import Agenda, Content, Step
from kit.content.models import STEP_TABS
from kit.present import room as view
from kit.sessions import InputError, short_join

if TYPE_CHECKING:  # the database layer loads when a session is opened
    from kit.led import Led
    from kit.storage import SessionInfo

#: Seconds between two looks at the store. The projector and the phones must follow the trainer
#: within 2 s; the remote also counts who answered.
#: A look costs a phone's kernel about 1.5 ms of CPU (measured: 0.09 s a minute at one look a
#: second), so a room of 30 phones looking twice a second costs about a tenth of a core.
SCREEN_SECONDS = 0.5
PHONE_SECONDS = 0.5
REMOTE_SECONDS = 1.5
#: Seconds between showing an exercise step's title and opening (building) its app's tab: two
#: looks, so every phone shows the title before any starts building (benchmarks/room_follow.py).
OPEN_AFTER = 2 * PHONE_SECONDS
#: Seconds after a poll answer was sent in which a change of the choice counts again: the
#: choice's state may reach the kernel after the click that sent it (PhonePanel.__init__).
RECOUNT_SECONDS = 5.0
#: Every so many looks, the projector and the phones also ask whether the session was closed
#: and how many joined (a second small read; a closed session reaches idle phones in seconds).
SLOW_EVERY = 6
#: The order of the participant page's tabs (kit/apps/workshop.py builds them in this order).
#: Activities listed on the projector (the most chosen; the rest would run under the QR corner).
ROWS_SHOWN = 7
WORKSHOP_TABS = ("phases", "quickscan", "kern", "plan")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def later(seconds: float, fn: Callable[[], None]) -> None:
    """Run ``fn`` after ``seconds`` on the kernel's event loop; at once outside one (tests)."""
    import asyncio

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        fn()
        return
    loop.call_later(seconds, fn)


def _led(code: str, content: Content) -> Led:
    from kit.led import Led
    from kit.storage import get_store

    return Led(get_store(), content, code)


def _refused(ctx: Ctx, exc: Exception, trainer: bool = False) -> str:
    """What to say when the store or the room refused: the kit's message, never a traceback."""
    from kit.led import LedError, refused_text_key
    from kit.storage import StorageError

    if isinstance(exc, StorageError):
        return store_problem(ctx.t, exc, trainer=trainer)
    if isinstance(exc, LedError):
        return ctx.t(refused_text_key(exc))
    if isinstance(exc, InputError):
        return ctx.t(exc.code.text_key)
    return ctx.t("error.callback")


def _stop(ctx: Ctx, name: str) -> None:
    """A rebuilt screen (language switch, joining) stops the timer of the one it replaces."""
    old = ctx.memory.view.pop(name, None)
    if old is not None:
        old.stop()


def _poll_of(agenda: Agenda, step: Step) -> Step | None:
    """The poll whose results a step shows: the step itself, or the poll a results step is of."""
    if step.kind == "poll":
        return step
    if step.kind == "results" and step.of:
        target = next((s for s in agenda.steps if s.id == step.of), None)
        return target if target is not None and target.kind == "poll" else None
    return None


def _results_public(ctx: Ctx, room: Room, agenda: Agenda, poll: Step) -> bool:
    """Whether the phones may show how the room voted on ``poll``: after the reveal for a poll
    with a right answer; while the projector shows the results for the others."""
    if rules.correct_answer(ctx.content, poll) is not None:
        return rules.answer_visible(room, agenda, poll.id)
    return room.shown or room.mode == "free"


# --------------------------------------------------------------------------- what a phone may show


@dataclass
class RoomGate:
    """What a participant's page may show of the answers while the room is led, kept in the
    page's memory (``room_gate``): the case's reference reading in the Quickscan, and the right
    phase of the scenarios a poll asks. The phone panel sets it from the room (by
    :func:`kit.agenda.reference_visible` and :func:`kit.agenda.hidden_scenarios`); the apps
    read it when they draw and register a redraw for when it changes. Without a led room
    everything shows, as in self-study."""

    reference: bool = True
    hidden_scenarios: frozenset[str] = frozenset()
    listeners: dict[str, Callable[[], None]] = field(default_factory=dict)

    def set(self, reference: bool, hidden_scenarios: frozenset[str]) -> None:
        if (reference, hidden_scenarios) == (self.reference, self.hidden_scenarios):
            return
        self.reference, self.hidden_scenarios = reference, hidden_scenarios
        for redraw in list(self.listeners.values()):
            redraw()


def room_gate(ctx: Ctx) -> RoomGate:
    """The page's :class:`RoomGate` (made on first use; it survives a language switch)."""
    gate = ctx.memory.view.get("room.gate")
    if not isinstance(gate, RoomGate):
        # A link that holds the answers back (kit/links.py, ``reference=0``): as before a reveal.
        held = ctx.memory.view.get("link.reference") is False
        every = frozenset(s.id for s in ctx.content.scenarios)
        gate = RoomGate(not held, every if held else frozenset())
        ctx.memory.view["room.gate"] = gate
    return gate


# --------------------------------------------------------------------------- drawing


def bars_html(result: view.PollResult, big: bool = False) -> str:
    """A poll's results as HTML/CSS bars: label, count and share in words beside each bar, the
    right answer (once revealed) marked with ✓ and a text, never by colour alone."""
    if not result.bars:
        return ""
    rows = []
    for bar in result.bars:
        share = round(bar.share * 100)
        mark = '<span class="kit-bar-right" aria-hidden="true">✓</span> ' if bar.right else ""
        css = "kit-bar kit-bar-is-right" if bar.right else "kit-bar"
        rows.append(
            f'<li class="{css}"><span class="kit-bar-label">{mark}{esc(bar.label)}</span>'
            f'<span class="kit-bar-track"><span class="kit-bar-fill" style="width:{share}%">'
            f'</span></span><span class="kit-bar-count">{bar.count}'
            f'<span class="kit-bar-share"> ({share}%)</span></span></li>'
        )
    size = " kit-bars-big" if big else ""
    return (
        f'<figure class="kit-bars{size}"><figcaption class="kit-sr">{esc(result.alt)}</figcaption>'
        f'<ul class="kit-bar-list" aria-hidden="true">{"".join(rows)}</ul></figure>'
    )


def wall_html(result: view.PollResult) -> str:
    """The open answers as a wall, the most given first and larger; every answer escaped."""
    if not result.wall:
        return ""
    top = max(count for _, count in result.wall)
    items = []
    for text, count in result.wall:
        size = 1 + (count / top if top else 0)
        times = f' <span class="kit-wall-count">×{count}</span>' if count > 1 else ""
        items.append(f'<li style="font-size:{size:.2f}em">{esc(text)}{times}</li>')
    return f'<ul class="kit-wall">{"".join(items)}</ul>'


def results_html(ctx: Ctx, result: view.PollResult, big: bool = False) -> str:
    parts = [bars_html(result, big), wall_html(result)]
    if result.mean_line:
        parts.append(f'<p class="kit-room-mean">{esc(result.mean_line)}</p>')
    if result.answer_line:
        parts.append(
            f'<div class="kit-room-reveal"><p class="kit-room-answer">✓ {esc(result.answer_line)}</p>'
            + (
                f'<p class="kit-room-why">{esc(result.explanation)}</p>'
                if result.explanation
                else ""
            )
            + "</div>"
        )
    if not result.bars and not result.wall:
        parts.append(f'<p class="kit-room-none">{esc(ctx.t("led.no_answers"))}</p>')
    return "".join(parts)


def _paragraphs(text: str, css: str) -> str:
    return "".join(f'<p class="{css}">{esc(p)}</p>' for p in text.split("\n\n") if p.strip())


def _pct(share: float | None) -> float:
    """A share as a CSS percentage, kept on the track."""
    return round(100 * min(1.0, max(0.0, share or 0.0)), 1)


def scan_html(result: view.ScanResult) -> str:
    """The group's quickscan per phase: a band from the lowest to the highest score, the median
    as a bar across it, the case's reference (once revealed) as ◆, and all of it in words."""
    return (
        f'<p class="kit-room-of">{esc(result.heading)}</p>'
        f"{_spread_html(result.phases, result.alt)}"
        f'<p class="kit-spread-legend">{" · ".join(esc(x) for x in result.legend)}</p>'
        f'<p class="kit-room-answered">{esc(result.answered_line)}</p>'
    )


def hexagon_html(result: view.HexagonResult) -> str:
    """The group's Hexagon: per point the band of ratings with the median, in words too, and
    the outcomes of the complete ratings as counts with their word and sign colour."""
    outcomes = "".join(
        f'<span class="kit-verdict is-{o.verdict}">{esc(o.label)} <b>{o.count}</b></span>'
        for o in result.outcomes
    )
    return (
        f'<p class="kit-room-of">{esc(result.heading)}</p>'
        f"{_spread_html(result.points, result.alt)}"
        f'<p class="kit-spread-legend">{" · ".join(esc(x) for x in result.legend)}</p>'
        f'<div class="kit-verdicts" aria-hidden="true">{outcomes}</div>'
        f'<p class="kit-room-answered">{esc(result.answered_line)}</p>'
    )


def _spread_html(spreads: tuple[view.PhaseSpread, ...], alt: str) -> str:
    """Rows of bands (lowest to highest), a median bar and an optional reference ◆; the figure's
    caption says it all in words for a screen reader."""
    rows = []
    for phase in spreads:
        marks = ""
        if phase.low is not None and phase.high is not None:
            width = max(_pct(phase.high) - _pct(phase.low), 0.8)
            marks += (
                f'<span class="kit-spread-band" style="left:{_pct(phase.low)}%;width:{width}%">'
                "</span>"
            )
        if phase.median is not None:
            marks += f'<span class="kit-spread-median" style="left:{_pct(phase.median)}%"></span>'
        if phase.reference is not None:
            marks += f'<span class="kit-spread-ref" style="left:{_pct(phase.reference)}%">◆</span>'
        rows.append(
            f'<li class="kit-spread-row"><span class="kit-spread-label">{esc(phase.label)}</span>'
            f'<span class="kit-spread-track">{marks}</span>'
            f'<span class="kit-spread-line">{esc(phase.line)}</span></li>'
        )
    return (
        f'<figure class="kit-spread"><figcaption class="kit-sr">{esc(alt)}</figcaption>'
        f'<ul class="kit-spread-list" aria-hidden="true">{"".join(rows)}</ul></figure>'
    )


def kern_html(ctx: Ctx, result: view.KernResult) -> str:
    """Green, amber and red counts (a sign and a word with each colour), then the adaptations,
    the red ones first, each with the reasons participants typed (escaped)."""
    totals = "".join(
        f'<span class="kit-verdict is-{t.verdict}">{esc(t.label)} <b>{t.count}</b></span>'
        for t in result.totals
    )
    rows = []
    for row in result.rows:
        reasons = "".join(
            f"<li>“{esc(text)}”"
            + (f' <span class="kit-wall-count">×{n}</span>' if n > 1 else "")
            + "</li>"
            for text, n in row.reasons
        )
        said = (
            f'<ul class="kit-adapt-reasons" aria-label="{esc(ctx.t("room2.reasons"))}">{reasons}</ul>'
            if reasons
            else ""
        )
        rows.append(
            f'<li class="kit-adapt is-{row.verdict}"><span class="kit-adapt-label">'
            f"{esc(row.label)}</span> "
            f'<span class="kit-adapt-count">{esc(ctx.t("room2.kern.by", n=row.count))}</span>'
            f"{said}</li>"
        )
    listed = (
        f'<ol class="kit-adapt-list">{"".join(rows)}</ol>'
        if rows
        else f'<p class="kit-room-none">{esc(ctx.t("room2.kern.none"))}</p>'
    )
    situations = "".join(
        f'<li class="kit-room-situation"><span class="kit-room-situation-label">{esc(x.label)}</span> '
        f'<span class="kit-room-situation-line">{esc(x.line)}</span></li>'
        for x in result.situations
        if x.answered
    )
    if situations:
        situations = (
            f'<h3 class="kit-room-situations-heading">{esc(ctx.t("room2.kern.situations"))}</h3>'
            f'<ol class="kit-room-situation-list">{situations}</ol>'
        )
    return (
        f'<p class="kit-room-of">{esc(result.heading)}</p>'
        f'<div class="kit-verdicts" role="img" aria-label="{esc(result.alt)}">{totals}</div>'
        f'{listed}<p class="kit-room-answered">{esc(result.answered_line)}</p>{situations}'
    )


def plan_html(ctx: Ctx, result: view.PlanResult) -> str:
    """The activities in the group's plans as bars with the count and the phase in words."""
    if not result.rows:
        return (
            f'<p class="kit-room-of">{esc(result.heading)}</p>'
            f'<p class="kit-room-none">{esc(ctx.t("room2.plan.none"))}</p>'
        )
    top = max(n for _, _, n in result.rows)
    rows = "".join(
        f'<li class="kit-bar"><span class="kit-bar-label">{esc(text)} '
        f'<span class="kit-plan-phase">({esc(ctx.t("room2.plan.phase", number=phase))})</span>'
        f'</span><span class="kit-bar-track"><span class="kit-bar-fill" '
        f'style="width:{_pct(n / top)}%"></span></span><span class="kit-bar-count">{n}</span></li>'
        for text, phase, n in result.rows[:ROWS_SHOWN]
    )
    return (
        f'<p class="kit-room-of">{esc(result.heading)}</p>'
        f'<figure class="kit-bars kit-bars-big kit-plan-bars"><figcaption class="kit-sr">'
        f'{esc(result.alt)}</figcaption><ul class="kit-bar-list" aria-hidden="true">{rows}</ul>'
        f'</figure><p class="kit-room-answered">{esc(result.answered_line)}</p>'
    )


def exercise_html(ctx: Ctx, result: view.ExerciseResult) -> str:
    if isinstance(result, view.ScanResult):
        return scan_html(result)
    if isinstance(result, view.KernResult):
        return kern_html(ctx, result)
    if isinstance(result, view.HexagonResult):
        return hexagon_html(result)
    return plan_html(ctx, result)


# --------------------------------------------------------------------------- the projector


def room_screen(
    ctx: Ctx,
    code: str,
    fallback: Callable[[], w.Widget],
    link: str,
    qr: Callable[..., str],
) -> w.Widget:
    """The projector's screen for session ``code``: the led room while it is led, otherwise
    ``fallback()`` (the QR code and the count, built only when needed). ``link`` is the join
    link and ``qr(text, scale=, fluid=)`` draws a QR code (both from the presenter view)."""
    return RoomScreen(ctx, code, fallback, link, qr).widget


class RoomScreen:
    """The room on the projector: position, title, body, timer, answering state, and when the
    trainer shows them the results; a small QR code and the code in a corner. Counts only."""

    def __init__(
        self,
        ctx: Ctx,
        code: str,
        fallback: Callable[[], w.Widget],
        link: str,
        qr: Callable[..., str],
    ) -> None:
        self.ctx, self.code, self._fallback = ctx, code, fallback
        self.link, self.qr = link, qr
        self.screen = w.HTML()
        self.screen.add_class("kit-room-screen-holder")
        self.widget = w.Box([])
        self.widget.add_class("kit-room-projector")
        self._qr: w.Widget | None = None
        self._version: int | None = -1
        self._room: Room | None = None
        self._drawn: tuple[Any, ...] | None = None
        self._ticks = 0
        self._count = 0
        self._open = True
        self._info: SessionInfo | None = None
        self._exercise: tuple[Any, ...] | None = None  # (what was read, its result)
        self._corner = ""
        _stop(ctx, "room.screen.timer")
        self.tick()
        ctx.memory.view["room.screen.timer"] = every(
            SCREEN_SECONDS, self.tick, ctx, "projector refresh"
        )

    def _show_fallback(self) -> None:
        if self._qr is None:
            self._qr = self._fallback()
        if self.widget.children != (self._qr,):
            self.widget.children = [self._qr]

    def tick(self) -> None:
        from kit.storage import StorageError

        ctx = self.ctx
        slow = self._ticks % SLOW_EVERY == 0
        self._ticks += 1
        try:
            led = _led(self.code, ctx.content)
            version = led.version()
            if version != self._version:
                self._room = led.room() if version is not None else None
                self._version = version
            room = self._room
            if room is None or room.mode == "free":
                self._show_fallback()
                return
            agenda = led.agenda(room)
            if agenda is None:
                self._show_fallback()
                return
            if slow:
                info = led.store.session(self.code)
                self._info = info
                self._open = info is not None and info.open
                self._count = led.store.participant_count(self.code)
            step = rules.current_step(room, agenda)
            poll = _poll_of(agenda, step)
            votes = tuple(led.values(poll)) if poll is not None else ()
            exercise = self._exercise_result(led, room, agenda, step, version, slow)
        except StorageError as exc:
            log.warning("projector could not read the store: %s", exc)
            ctx.status.error(store_problem(ctx.t, exc, trainer=True))
            return
        now = _now()
        signature: tuple[Any, ...] = (version, room.seconds_left(now), room.answering(now))
        signature += (votes, self._count, self._open, exercise)
        if signature == self._drawn:
            return
        self._drawn = signature
        ctx.status.clear()
        self.screen.value = self.draw(room, agenda, step, poll, list(votes), now, exercise)
        if self.widget.children != (self.screen,):
            self.widget.children = [self.screen]

    def _exercise_result(
        self, led: Led, room: Room, agenda: Agenda, step: Step, version: int | None, slow: bool
    ) -> view.ExerciseResult | None:
        """The group's results of the step's exercise while the trainer shows them: read again
        when the room changed and every few looks (answers keep coming in), else kept."""
        exercise = rules.exercise_of(agenda, step)
        if exercise is None or not view.shows_results(exercise) or not room.shown:
            self._exercise = None
            return None
        read = (version, step.id)
        if self._exercise is not None and self._exercise[0] == read and not slow:
            return self._exercise[1]  # type: ignore[no-any-return]
        info = self._info
        hidden = room.hidden_of(step.id) | room.hidden_of(exercise.id)
        result = view.exercise_result(
            self.ctx,
            exercise,
            led.exercise_answers(exercise),
            info.case_id if info else None,
            info.intervention_id if info else None,
            rules.reference_visible(room, agenda),
            hidden,
        )
        self._exercise = (read, result)
        return result

    def corner(self) -> str:
        """The QR code, the code and a short link, for latecomers."""
        if self._corner:
            return self._corner
        ctx, link = self.ctx, self.link
        short = short_join(link, self.code) or link.split("://", 1)[-1].split("?", 1)[0]
        self._corner = (
            f'<aside class="kit-room-join" aria-label="{esc(ctx.t("led.join_label"))}">'
            f'<div class="kit-room-qr" role="img" aria-label="{esc(ctx.t("presenter.scan"))}">'
            f"{self.qr(link, scale=4, fluid=True)}</div>"
            f'<div class="kit-room-join-text"><span>{esc(ctx.t("led.join_at"))}</span>'
            f'<span class="kit-room-link">{esc(short)}</span>'
            f"<span>{esc(ctx.t('led.join_code'))}</span>"
            f'<span class="kit-join-code">{esc(self.code)}</span></div></aside>'
        )
        return self._corner

    def draw(
        self,
        room: Room,
        agenda: Agenda,
        step: Step,
        poll: Step | None,
        votes: list[str],
        now: dt.datetime,
        exercise: view.ExerciseResult | None = None,
    ) -> str:
        ctx = self.ctx
        if not self._open:
            return (
                f'<div class="kit-room-screen" lang="{ctx.lang}"><div class="kit-room-main">'
                f'<h1 class="kit-room-title">{esc(ctx.t("presenter.closed"))}</h1></div></div>'
            )
        shown = view.step_view(ctx, agenda, room, now)
        top = [f'<span class="kit-room-position">{esc(shown.position)}</span>']
        if shown.state:
            sign = "●" if shown.answering else "■"
            css = "kit-room-state is-open" if shown.answering else "kit-room-state is-closed"
            top.append(f'<span class="{css}">{sign} {esc(shown.state)}</span>')
        if step.kind == "poll":
            top.append(
                f'<span class="kit-room-answered" aria-live="polite">'
                f"{esc(ctx.t('room.answered', n=len(votes), total=self._count))}</span>"
            )
        if shown.timer is not None:
            top.append(
                f'<span class="kit-room-timer" role="timer" aria-label="{esc(ctx.t("led.timer_left", time=shown.timer))}">'
                f"⏱ {esc(shown.timer)}</span>"
            )
        results = ""
        with_results = poll is not None and room.shown
        if with_results and poll is not None:
            revealed = rules.answer_visible(room, agenda, poll.id)
            result = view.poll_result(
                ctx, poll, votes, self._count, revealed, room.hidden_of(poll.id)
            )
            heading = (
                f'<p class="kit-room-of">{esc(result.question)}</p>' if poll is not step else ""
            )
            results = (
                f'<section class="kit-room-results" aria-label="{esc(ctx.t("led.results"))}">'
                f"{heading}{results_html(ctx, result, big=True)}</section>"
            )
        elif exercise is not None:
            results = (
                f'<section class="kit-room-results kit-room-exercise" '
                f'aria-label="{esc(ctx.t("led.results"))}">{exercise_html(ctx, exercise)}</section>'
            )
        elif step.kind == "results":
            results = f'<p class="kit-room-wait">{esc(ctx.t("led.results_soon"))}</p>'
        body = _paragraphs(shown.body, "kit-room-body")
        css = "kit-room-screen with-results" if results else "kit-room-screen"
        return (
            f'<div class="{css}" lang="{ctx.lang}">'
            f'<div class="kit-room-top">{"".join(top)}</div>'
            f'<div class="kit-room-main"><h1 class="kit-room-title">{esc(shown.title)}</h1>'
            f'<div class="kit-room-text">{body}</div>{results}</div>'
            f"{self.corner()}</div>"
        )


# --------------------------------------------------------------------------- the phones


def follow_room(ctx: Ctx, page: w.Tab) -> w.Widget:
    """The participant's page with the led room's panel above it (``page``: the workshop's
    tabs). A page without a joined participant is returned as it is: nothing to follow."""
    _stop(ctx, "room.phone.timer")
    if ctx.memory.client is None:
        return page
    panel = PhonePanel(ctx, page)
    return w.VBox([panel.widget, page])


class PhonePanel:
    """The current step on a participant's phone, following the trainer within a second or two."""

    def __init__(self, ctx: Ctx, page: w.Tab) -> None:
        client = ctx.memory.client
        assert client is not None
        self.ctx, self.page, self.client = ctx, page, client
        self.code = client.info.code
        self.head = w.HTML()
        self.head.add_class("kit-phone-step")
        self.choice = w.RadioButtons(options=[], value=None, layout=w.Layout(width="auto"))
        self.choice.add_class("kit-phone-choice")
        self.typed = w.Text(placeholder=ctx.t("led.phone.typed_hint"), continuous_update=False)
        self.typed.add_class("kit-phone-typed")
        self.send = w.Button(description=ctx.t("led.phone.send"), button_style="primary")
        self.send.add_class("kit-phone-send")
        self.send.on_click(ctx.guard(self._on_send))
        # ipywidgets holds back a widget's next state change while its previous one is on the
        # way to the kernel, but sends a button's click at once: two quick arrow keys (or taps)
        # and Send on a busy kernel counted the option before the checked one. A choice that
        # changes shortly after a send is that late state arriving (or a quick change of mind):
        # it is counted again, and the message says what counts.
        self._sent: tuple[str, float, object] | None = None  # (step, monotonic time, value)
        self.choice.observe(ctx.guard(self._on_choice), names="value")
        self.message = w.HTML()
        self.message.add_class("kit-phone-message")
        self.result = w.HTML()
        self.result.add_class("kit-phone-result")
        self.form = w.VBox([self.choice, self.typed, self.send])
        self.form.add_class("kit-phone-form")
        self.widget = w.VBox([self.head, self.form, self.message, self.result])
        self.widget.add_class("kit-phone-panel")
        self.widget.layout.display = "none"
        self._version: int | None = -1
        self._room: Room | None = None
        self._step: str | None = None
        self._drawn: tuple[Any, ...] | None = None
        self._ticks = 0
        self._closed = False
        self.tick()
        self._timer = every(PHONE_SECONDS, self.tick, ctx, "room panel refresh")
        ctx.memory.view["room.phone.timer"] = self._timer

    # ----------------------------------------------------------- following
    def tick(self) -> None:
        from kit.storage import StorageError

        if self._closed:
            return
        slow = self._ticks % SLOW_EVERY == 0
        self._ticks += 1
        try:
            led = _led(self.code, self.ctx.content)
            if slow and self._session_closed(led):
                return
            version = led.version()
            if version != self._version:
                self._room = led.room() if version is not None else None
                self._version = version
                self._drawn = None
        except StorageError as exc:  # the next look tries again; the session bar says more
            log.warning("room panel could not read the store: %s", exc)
            return
        self.show(led)

    def _session_closed(self, led: Led) -> bool:
        info = led.store.session(self.code)
        if info is not None and info.open:
            return False
        self._closed = True
        if self._timer is not None:
            self._timer.stop()
        self.client.closed = True
        for listener in list(self.ctx.memory.listeners):  # the session bar says it too
            listener(True)
        self.widget.layout.display = None
        self.form.layout.display = "none"
        self.result.value = ""
        self.message.value = ""
        self.head.value = alert(self.ctx.t("led.phone.session_closed"))
        return True

    def show(self, led: Led) -> None:
        room = self._room
        agenda = led.agenda(room) if room is not None else None
        if room is None or agenda is None or room.mode == "free":
            room_gate(self.ctx).set(True, frozenset())
            self.widget.layout.display = "none"  # the page as without a led room
            self._step = None
            return
        room_gate(self.ctx).set(
            rules.reference_visible(room, agenda), rules.hidden_scenarios(room, agenda)
        )
        now = _now()
        step = rules.current_step(room, agenda)
        signature = (self._version, room.seconds_left(now), room.answering(now))
        if signature == self._drawn:
            return
        first = self._drawn is None
        self._drawn = signature
        moved = step.id != self._step
        self._step = step.id
        self.widget.layout.display = None
        self.head.value = self._head(agenda, room, step, now)
        if moved:
            self.message.value = ""
            self.typed.value = ""
            if step.kind == "exercise":
                # The app's tab is built after every phone had its look at the store: building
                # an app keeps a kernel busy for a second or more, and ten building at once on a
                # small server held back the step's title on the phones that looked last.
                later(OPEN_AFTER, self.ctx.guard(lambda: self._open_exercise(step)))
        if first or moved:
            self._draw_poll(led, agenda, room, step, now)
        else:
            self._update_poll(led, agenda, room, step, now)

    def _head(self, agenda: Agenda, room: Room, step: Step, now: dt.datetime) -> str:
        ctx = self.ctx
        shown = view.step_view(ctx, agenda, room, now)
        meta = [f'<span class="kit-phone-position">{esc(shown.position)}</span>']
        if shown.timer is not None:
            meta.append(
                f'<span class="kit-phone-timer" role="timer">⏱ {esc(ctx.t("led.timer_left", time=shown.timer))}</span>'
            )
        if shown.state and step.kind == "poll":
            sign = "●" if shown.answering else "■"
            meta.append(f'<span class="kit-phone-state">{sign} {esc(shown.state)}</span>')
        extra = ""
        if step.kind == "exercise" and step.app:
            tab = ctx.t(f"workshop.tab.{step.app}")
            extra = f'<p class="kit-phone-hint">↓ {esc(ctx.t("led.phone.exercise", tab=tab))}</p>'
        elif step.kind == "results":
            extra = f'<p class="kit-phone-hint">👀 {esc(ctx.t("led.phone.look"))}</p>'
        body = _paragraphs(shown.body, "kit-phone-body")
        return (
            f'<div class="kit-phone-meta">{" ".join(meta)}</div>'
            f'<h3 class="kit-phone-title">{esc(shown.title)}</h3>{body}{extra}'
        )

    def _open_exercise(self, step: Step) -> None:
        """Open the step's app (and its tab) on the page, as if the participant tapped them."""
        if step.app not in WORKSHOP_TABS:
            return
        index = WORKSHOP_TABS.index(step.app)
        if step.tab in STEP_TABS.get(step.app, ()):
            sub = STEP_TABS[step.app].index(step.tab)
            self.ctx.memory.view[f"{step.app}.tab"] = sub  # an app not built yet opens there
            box = self.page.children[index] if index < len(self.page.children) else None
            inner = _first_tab(box) if box is not None else None
            if inner is not None and sub < len(inner.children):
                inner.selected_index = sub
        self.page.selected_index = index

    # ----------------------------------------------------------- polls
    def _draw_poll(
        self, led: Led, agenda: Agenda, room: Room, step: Step, now: dt.datetime
    ) -> None:
        ctx = self.ctx
        if step.kind != "poll":
            self.form.layout.display = "none"
            self._update_poll(led, agenda, room, step, now)
            return
        self.form.layout.display = None
        own = led.own_vote(self.client.participant, step)
        offered = rules.options(ctx.content, step)
        if offered:
            self.typed.layout.display = "none"
            self.choice.layout.display = None
            self.choice.options = [(view.option_label(ctx, step, o), o.value) for o in offered]
            self.choice.value = own if own in {o.value for o in offered} else None
            # The question names the group for screen readers (the title is above it).
            self.choice.description = step.title(ctx.lang)
        else:
            self.choice.layout.display = "none"
            self.typed.layout.display = None
            self.typed.description = step.title(ctx.lang)
        self._update_poll(led, agenda, room, step, now, own)

    def _update_poll(
        self,
        led: Led,
        agenda: Agenda,
        room: Room,
        step: Step,
        now: dt.datetime,
        own: str | None = None,
    ) -> None:
        ctx = self.ctx
        poll = _poll_of(agenda, step)
        if step.kind == "poll":
            answering = room.answering(now)
            self.choice.disabled = not answering
            self.typed.disabled = not answering
            self.send.disabled = not answering
            if own is None:
                own = led.own_vote(self.client.participant, step)
            lines = []
            if own is not None:
                lines.append(notice(ctx.t("led.phone.own", answer=self._label(step, own))))
            if not answering:
                # A keyboard user on Send (now disabled) is taken here (kit-a11y.js).
                lines.append(
                    f'<p class="kit-phone-closed" data-kit-focus>■ {esc(ctx.t("room.closed"))}</p>'
                )
            if lines or not self.message.value.startswith('<div class="kit-error"'):
                self.message.value = "".join(lines)
        if poll is None or not _results_public(ctx, room, agenda, poll):
            self.result.value = ""
            return
        revealed = rules.answer_visible(room, agenda, poll.id)
        votes = led.values(poll)
        result = view.poll_result(ctx, poll, votes, len(votes), revealed, room.hidden_of(poll.id))
        self.result.value = (
            f'<div class="kit-phone-results"><h4>{esc(ctx.t("led.phone.how_voted"))}</h4>'
            f"{results_html(ctx, result)}</div>"
        )

    def _label(self, step: Step, value: str) -> str:
        for option in rules.options(self.ctx.content, step):
            if option.value == value:
                return view.option_label(self.ctx, step, option)
        return value

    def _on_send(self, _: object) -> None:
        from kit.led import LedError
        from kit.storage import StorageError

        ctx = self.ctx
        room = self._room
        led = _led(self.code, ctx.content)
        agenda = led.agenda(room) if room is not None else None
        if room is None or agenda is None:
            return
        step = rules.current_step(room, agenda)
        value = self.choice.value if rules.options(ctx.content, step) else self.typed.value
        if not value:
            self.message.value = alert(ctx.t("led.phone.pick"))
            return
        try:
            stored = led.vote(self.client.participant, step.id, str(value))
        except (LedError, InputError, StorageError) as exc:
            self.message.value = alert(_refused(ctx, exc))
            return
        self.message.value = notice(ctx.t("led.phone.counted", answer=self._label(step, stored)))
        if step.poll == "open":
            self.typed.value = ""
        elif value == self.choice.value:
            self._sent = (step.id, time.monotonic(), value)

    def _on_choice(self, change: dict[str, Any]) -> None:
        sent = self._sent
        if sent is None or change["new"] is None or change["new"] == sent[2]:
            return
        if sent[0] != self._step or time.monotonic() - sent[1] > RECOUNT_SECONDS:
            self._sent = None
            return
        self._on_send(None)


def _first_tab(widget: w.Widget) -> w.Tab | None:
    """The first tab set inside ``widget`` (an app's own tabs inside the workshop's tab)."""
    for child in getattr(widget, "children", ()):
        if isinstance(child, w.Tab):
            return child
        found = _first_tab(child)
        if found is not None:
            return found
    return None


# --------------------------------------------------------------------------- the trainer


def same_class(kind: str, key: str) -> str:
    """A class naming one control across redraws (kit-a11y.js moves focus to the control
    drawn in its place): ``kind`` and a short digest of ``key``, safe in a class name whatever
    the key holds.

    >>> same_class("answer", "geen tijd")
    'kit-same-answer-110a9037f1'
    """
    return f"kit-same-{kind}-{hashlib.sha256(key.encode()).hexdigest()[:10]}"


def lead_app(lang: str | None = None, content: Content | None = None) -> w.Widget:
    """The trainer's remote (``leiden.ipynb?session=CODE``): open the session with its
    facilitator key, then lead it from a phone or a laptop."""
    return app_frame("led", build_lead, lang, content, session=False)


def build_lead(ctx: Ctx) -> w.Widget:
    holder = w.VBox()
    holder.add_class("kit-remote-holder")
    kept = ctx.memory.view.get("led.opened")
    if kept is not None:  # a language switch: the trainer stays in the session
        info, key = kept
        holder.children = [room_remote(ctx, info, key)]
        return holder
    code = w.Text(
        description=ctx.t("session.code"),
        value=query_params().get("session", ""),
        placeholder="K7Q2MX",
        continuous_update=False,
    )
    code.add_class("kit-lead-code")
    key = w.Password(description=ctx.t("group.key"), continuous_update=False)
    key.add_class("kit-lead-key")
    go = w.Button(description=ctx.t("led.open"), button_style="primary", icon="sign-in")
    go.add_class("kit-lead-open")
    message = w.HTML()
    message.add_class("kit-lead-message")

    def on_open(_: object) -> None:
        from kit.storage import StorageError, get_store

        try:
            info = get_store().open_session(code.value, key.value, client_address())
        except (InputError, StorageError) as exc:
            message.value = alert(_refused(ctx, exc, trainer=True))
            return
        ctx.memory.view["led.opened"] = (info, key.value)  # in the kernel only
        holder.children = [room_remote(ctx, info, key.value)]

    go.on_click(ctx.guard(on_open))
    card = w.VBox(
        [w.HTML(f"<p>{esc(ctx.t('led.intro'))}</p>"), code, key, go, message],
    )
    card.add_class("kit-card")
    card.add_class("kit-lead-form")
    holder.children = [card]
    return holder


def room_remote(ctx: Ctx, info: SessionInfo, key: str) -> w.Widget:
    """The trainer's controls for a session opened with its key (also on the dashboard)."""
    return Remote(ctx, info, key).widget


def remote_panel(ctx: Ctx, info: SessionInfo, key: str) -> w.Widget:
    """The remote folded into the dashboard: built (and refreshing) only once opened."""
    holder = w.VBox()
    fold = w.Accordion(children=[holder], selected_index=None)
    fold.set_title(0, ctx.t("led.title"))
    fold.add_class("kit-dashboard-remote")

    def opened(change: dict[str, Any]) -> None:
        if change["new"] == 0 and not holder.children:
            holder.children = [room_remote(ctx, info, key)]

    fold.observe(ctx.guard(opened), names="selected_index")
    return fold


class Remote:
    """Start, move and open or close the room; show results, reveal, time and moderate."""

    def __init__(self, ctx: Ctx, info: SessionInfo, key: str) -> None:
        self.ctx, self.info, self.key = ctx, info, key
        self.led = _led(info.code, ctx.content)
        t = ctx.t
        agendas = ctx.content.agendas
        self.agenda_pick = w.Dropdown(
            options=[(f"{a.name(ctx.lang)} ({a.minutes} min)", a.id) for a in agendas],
            description=t("led.agenda"),
        )
        self.agenda_pick.add_class("kit-lead-agenda")
        self.agenda_about = w.HTML()
        self.agenda_pick.observe(ctx.guard(lambda _: self._about()), names="value")
        self.start = w.Button(description=t("led.start"), button_style="primary", icon="play")
        self.start.add_class("kit-lead-start")
        self.start.on_click(ctx.guard(self._on_start))
        self.picker = w.VBox([self.agenda_pick, self.agenda_about, self.start])
        self.picker.add_class("kit-lead-picker")
        self.head = w.HTML()
        self.head.add_class("kit-remote-step")
        self.count = w.HTML()
        self.count.add_class("kit-remote-count")
        self.previous = self._button("led.previous", "kit-remote-previous", Action.PREVIOUS)
        self.next = self._button("led.next", "kit-remote-next", Action.NEXT)
        self.answering = self._button("led.close_answers", "kit-remote-answering", None)
        self.results = self._button("led.show", "kit-remote-results", None)
        self.reveal = self._button("led.reveal", "kit-remote-reveal", None)
        self.timer = self._button("led.timer_stop", "kit-remote-timer", None)
        self.mode = self._button("led.to_free", "kit-remote-mode", None)
        self.answering.on_click(ctx.guard(lambda _: self._toggle("answering")))
        self.results.on_click(ctx.guard(lambda _: self._toggle("results")))
        self.reveal.on_click(ctx.guard(lambda _: self._toggle("reveal")))
        self.timer.on_click(ctx.guard(lambda _: self._toggle("timer")))
        self.mode.on_click(ctx.guard(lambda _: self._toggle("mode")))
        self.jump_to = w.Dropdown(options=[], description=t("led.jump"))
        self.jump_to.add_class("kit-remote-outline")
        # Sent once when the keyboard leaves it, so "Ga" jumps to the step chosen (kit-a11y.js).
        self.jump_to.add_class("kit-sync-on-leave")
        self.jump = w.Button(description=t("led.jump_go"), icon="share")
        self.jump.add_class("kit-remote-jump")
        self.jump.on_click(ctx.guard(self._on_jump))
        self.wall = w.VBox()
        self.wall.add_class("kit-remote-wall")
        self.message = w.HTML()
        self.message.add_class("kit-remote-message")
        self.message.add_class("kit-live-region")
        query = {"session": info.code, **({"lang": ctx.lang} if ctx.lang != "nl" else {})}
        projector = f"presentatie.ipynb?{urlencode(query)}"
        self.links = w.HTML(
            f'<p><a class="kit-open kit-remote-projector" href="{esc(projector)}" target="_blank">'
            f"{esc(t('led.projector'))}</a></p>"
        )
        self.controls = w.VBox(
            [
                self.head,
                self.count,
                # kit-focus-group: Previous disabled under focus (the first step) hands focus
                # to Next, and Next at the last step to Previous (kit-a11y.js).
                w.Box([self.previous, self.next])
                .add_class("kit-remote-nav")
                .add_class("kit-focus-group"),
                w.Box([self.answering, self.results, self.reveal, self.timer]).add_class(
                    "kit-remote-toggles"
                ),
                self.wall,
                w.Box([self.jump_to, self.jump]).add_class("kit-remote-jumpbox"),
                self.mode,
            ]
        )
        self.controls.add_class("kit-remote-controls")
        self.other = w.Accordion(children=[self.picker], selected_index=None)
        self.other.set_title(0, t("led.other_agenda"))
        self.other.add_class("kit-remote-other")
        self.body = w.VBox()
        # Focus lands here once the session is opened or started by keyboard (kit-a11y.js).
        title = f'<h3 class="kit-session-title" data-kit-focus>{esc(info.title)} · {esc(info.code)}</h3>'
        self.widget = w.VBox([w.HTML(title), self.message, self.body, self.links])
        self.widget.add_class("kit-remote")
        self._version: int | None = -1
        self._room: Room | None = None
        self._drawn: tuple[Any, ...] | None = None
        self._wall_drawn: tuple[Any, ...] | None = None
        self._jump_step: tuple[str, int] | None = None
        self._about()
        _stop(ctx, "led.remote.timer")
        self.refresh()
        ctx.memory.view["led.remote.timer"] = every(
            REMOTE_SECONDS, self.refresh, ctx, "remote refresh"
        )

    def _button(self, text_key: str, css: str, action: Action | None) -> w.Button:
        button = w.Button(description=self.ctx.t(text_key))
        button.add_class(css)
        button.add_class("kit-remote-button")
        if action is not None:
            button.on_click(self.ctx.guard(lambda _: self._act(action)))
        return button

    def _about(self) -> None:
        chosen = next((a for a in self.ctx.content.agendas if a.id == self.agenda_pick.value), None)
        self.agenda_about.value = (
            f'<p class="kit-muted">{esc(chosen.description(self.ctx.lang))}</p>' if chosen else ""
        )

    # ----------------------------------------------------------- actions
    def _act(self, action: Action, to: int | None = None, answer: str = "") -> None:
        from kit.led import LedError
        from kit.storage import StorageError

        try:
            self.led.act(self.key, action, to=to, answer=answer)
        except (LedError, InputError, StorageError) as exc:
            self.message.value = alert(_refused(self.ctx, exc, trainer=True))
            return
        self.message.value = ""
        self.refresh(force=True)

    def _on_start(self, _: object) -> None:
        from kit.led import LedError
        from kit.storage import StorageError

        try:
            self.led.start(self.key, str(self.agenda_pick.value))
        except (LedError, InputError, StorageError) as exc:
            self.message.value = alert(_refused(self.ctx, exc, trainer=True))
            return
        self.message.value = ""
        self.other.selected_index = None
        self.refresh(force=True)

    def _toggle(self, what: str) -> None:
        room = self._room
        if room is None:
            return
        agenda = self.led.agenda(room)
        step = rules.current_step(room, agenda) if agenda is not None else None
        now = _now()
        if what == "answering":
            self._act(Action.CLOSE if room.answering(now) else Action.OPEN)
        elif what == "results":
            self._act(Action.HIDE if room.shown else Action.SHOW)
        elif what == "reveal" and step is not None:
            self._act(Action.CONCEAL if step.id in room.revealed else Action.REVEAL)
        elif what == "timer":
            running = room.timer_ends is not None and room.timer_ends > now
            self._act(Action.STOP_TIMER if running else Action.START_TIMER)
        elif what == "mode":
            self._act(Action.FREE if room.mode == "led" else Action.LED)

    def _on_jump(self, _: object) -> None:
        if self.jump_to.value is not None:
            self._act(Action.GOTO, to=int(self.jump_to.value))

    # ----------------------------------------------------------- showing
    def refresh(self, force: bool = False) -> None:
        from kit.storage import StorageError

        ctx = self.ctx
        try:
            version = self.led.version()
            if force or version != self._version:
                self._room = self.led.room() if version is not None else None
                self._version = version
            room = self._room
            agenda = self.led.agenda(room) if room is not None else None
            if room is None or agenda is None:
                self._draw_picker()
                return
            step = rules.current_step(room, agenda)
            poll = _poll_of(agenda, step)
            votes: dict[str, str] = {}
            people = 0
            if step.kind == "poll":
                votes = self.led.store.poll_votes(self.info.code, self.key, step.id)
                people = len(self.led.store.participants(self.info.code, self.key))
            values = (
                tuple(self.led.values(poll)) if poll is not None and poll.poll == "open" else ()
            )
            exercise = rules.exercise_of(agenda, step)
            if exercise is not None and exercise.app == "kern":  # reasons to moderate
                values = view.reasons_to_moderate(
                    ctx,
                    exercise,
                    self.led.store.all_submissions(self.info.code, self.key),
                    self.info.intervention_id,
                )
        except StorageError as exc:
            log.warning("remote could not read the store: %s", exc)
            self.message.value = alert(store_problem(ctx.t, exc, trainer=True))
            return
        except InputError as exc:  # the session was deleted meanwhile
            self.message.value = alert(_refused(ctx, exc, trainer=True))
            return
        now = _now()
        signature: tuple[Any, ...] = (version, room.seconds_left(now), room.answering(now))
        signature += (len(votes), people, values)
        if not force and signature == self._drawn:
            return
        self._drawn = signature
        self._draw(room, agenda, step, poll, len(votes), people, values, now)

    def _draw_picker(self) -> None:
        self.agenda_pick.layout.display = None
        if self.body.children != (self.picker,):
            self.picker.children = [
                w.HTML(f'<p class="kit-info">{esc(self.ctx.t("led.not_led"))}</p>'),
                self.agenda_pick,
                self.agenda_about,
                self.start,
            ]
            self.body.children = [self.picker]

    def _draw(
        self,
        room: Room,
        agenda: Agenda,
        step: Step,
        poll: Step | None,
        answered: int,
        people: int,
        values: tuple[str, ...],
        now: dt.datetime,
    ) -> None:
        ctx, t = self.ctx, self.ctx.t
        if self.body.children != (self.controls, self.other):
            self.picker.children = [self.agenda_pick, self.agenda_about, self.start]
            self.start.description = t("led.restart")
            self.body.children = [self.controls, self.other]
        shown = view.remote(ctx, agenda, room, now, answered, people, self.info.case_id)
        s = shown.step
        meta = [esc(s.position)]
        if s.state:
            meta.append(("● " if s.answering else "■ ") + esc(s.state))
        if s.timer is not None:
            meta.append("⏱ " + esc(ctx.t("led.timer_left", time=s.timer)))
        mode = t("led.mode_led") if shown.led else t("led.mode_free")
        body = _paragraphs(s.body, "kit-remote-body")
        self.head.value = (
            f'<div class="kit-remote-meta">{" · ".join(meta)}</div>'
            f'<h3 class="kit-remote-title">{esc(s.title)}</h3>{body}'
            f'<p class="kit-muted kit-remote-mode-line">{esc(mode)}</p>'
        )
        self.count.value = (
            f'<p class="kit-remote-answered" aria-live="polite"><b>{esc(shown.answered_line)}</b></p>'
            if shown.answered_line
            else ""
        )
        self.previous.disabled = shown.previous is None
        self.previous.tooltip = shown.previous or ""
        self.previous.description = "← " + t("led.previous")
        self.next.disabled = shown.next is None
        self.next.tooltip = shown.next or ""
        self.next.description = t("led.next") + " →"
        self.answering.layout.display = None if shown.takes_answers else "none"
        self.answering.description = t(
            "led.close_answers" if shown.answering else "led.open_answers"
        )
        self.results.layout.display = None if shown.has_results else "none"
        self.results.description = t("led.hide" if shown.shown else "led.show")
        self.reveal.layout.display = None if shown.can_reveal else "none"
        self.reveal.description = t("led.conceal" if shown.revealed else "led.reveal")
        self.timer.layout.display = None if shown.has_timer else "none"
        running = room.timer_ends is not None and room.timer_ends > now
        seconds = step.timer or 60
        self.timer.description = (
            t("led.timer_stop")
            if running
            else t("led.timer_start", time=f"{seconds // 60}:{seconds % 60:02d}")
        )
        self.mode.description = t("led.to_free" if shown.led else "led.to_led")
        options = [
            (t("led.outline", number=i + 1, title=title, minutes=minutes), i)
            for i, title, minutes in shown.outline
        ]
        if list(self.jump_to.options) != options:
            self.jump_to.options = options
        if self._jump_step != (agenda.id, s.number):  # not while the trainer picks one
            self._jump_step = (agenda.id, s.number)
            self.jump_to.value = s.number - 1
        self._draw_wall(room, agenda, step, values)

    def _draw_wall(self, room: Room, agenda: Agenda, step: Step, values: tuple[str, ...]) -> None:
        """Open answers with a hide/show button each: the trainer moderates the projector."""
        ctx = self.ctx
        exercise = rules.exercise_of(agenda, step)
        reasons = exercise is not None and exercise.app == "kern"  # its typed reasons
        if not reasons and (step.kind != "poll" or step.poll != "open"):
            self.wall.children = []
            self._wall_drawn = None
            return
        hidden = room.hidden_of(step.id)
        if exercise is not None:  # hidden on the exercise is hidden on its results too
            hidden |= room.hidden_of(exercise.id)
        drawn = (step.id, values, hidden, ctx.lang)
        if drawn == self._wall_drawn:  # new buttons under the trainer's finger lose the tap
            return
        self._wall_drawn = drawn
        title = ctx.t("room2.wall" if reasons else "led.wall")
        rows: list[w.Widget] = [w.HTML(f'<h4 class="kit-remote-wall-title">{esc(title)}</h4>')]
        entries = rules.wall(values)
        if not entries:
            rows.append(w.HTML(f'<p class="kit-muted">{esc(ctx.t("led.no_answers"))}</p>'))
        for entry in entries:
            gone = entry.key in hidden
            text = w.HTML(
                f'<span class="kit-remote-answer{" is-hidden" if gone else ""}">{esc(entry.text)}'
                + (f" ×{entry.count}" if entry.count > 1 else "")
                + (f" <i>({esc(ctx.t('led.hidden'))})</i>" if gone else "")
                + "</span>"
            )
            button = w.Button(
                description=ctx.t("led.show_answer" if gone else "led.hide_answer"),
                tooltip=ctx.t(
                    "led.show_answer_of" if gone else "led.hide_answer_of", answer=entry.text
                ),
            )
            button.add_class("kit-remote-button")
            button.add_class("kit-remote-moderate")
            # The wall is drawn anew as answers come in or are hidden: the answer's own class
            # keeps a keyboard user's focus on its button (kit-a11y.js).
            button.add_class(same_class("answer", entry.key))
            action = Action.SHOW_ANSWER if gone else Action.HIDE_ANSWER
            button.on_click(
                self.ctx.guard(lambda _, a=action, x=entry.text: self._act(a, answer=x))
            )
            row = w.Box([text, button])
            row.add_class("kit-remote-wall-row")
            rows.append(row)
        self.wall.children = rows
