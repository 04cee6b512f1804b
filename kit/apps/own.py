"""Work kept on the learner's own machine (:mod:`kit.storage.own`), as the apps show it.

When the kit keeps her work, the frame puts her kept answers back in the answer memory before
the screen is built ("verder waar je was"), every answer she gives is kept again, and one line
under the title says so, with the button that deletes it all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from kit import formats
from kit.answers import Record
from kit.apps.common import Ctx, esc, log_failure
from kit.group import Memory


@dataclass
class OwnState:
    """What the frame knows of the learner's kept work: whether it is kept at all, how many
    answers came back and from when, and a problem (a message key) if the store failed."""

    active: bool = False
    restored: int = 0
    saved_at: dt.datetime | None = None
    problem: str | None = None


def restore_own(memory: Memory) -> OwnState:
    """Put the learner's kept answers in ``memory`` (answers already given in this kernel win)
    and keep every later one. Nothing happens when the kit keeps nothing for this visitor (see
    :func:`kit.storage.own.learner`) or she has joined a session (her answers go there)."""
    from kit.storage.own import StorageError, get_own_store, learner

    who = learner()
    if who is None or memory.client is not None:
        return OwnState()
    memory.keeper = _keeper(memory, who)
    try:
        kept = get_own_store().kept(who)
    except StorageError:
        log_failure("reading the own store failed")
        return OwnState(True, problem="own.error.read")
    back = {k: r for k, r in kept.records.items() if k not in memory.data}
    memory.data = {**back, **memory.data}
    return OwnState(True, len(back), kept.saved_at if back else None)


#: Problems saving locally, per memory: the bar says so until a save works again.
_problems: dict[int, Callable[[bool], None]] = {}


def _keeper(memory: Memory, who: str) -> Callable[[Record], None]:
    from kit.storage.own import StorageError, get_own_store

    def keep(record: Record) -> None:
        try:
            get_own_store().save(who, record)
        except StorageError:
            log_failure("keeping an answer in the own store failed")
            ok = False
        else:
            ok = True
        listener = _problems.get(id(memory))
        if listener is not None:
            listener(ok)

    return keep


def own_bar(ctx: Ctx, state: OwnState, rerender: Callable[[], None]) -> w.Widget:
    """The line under the title: where her work is kept, what came back, and "forget"."""
    line = w.HTML()
    line.add_class("kit-own-line")
    forget = w.Button(description=ctx.t("own.forget"), icon="trash")
    forget.add_class("kit-own-forget")
    sure = w.Button(description=ctx.t("own.forget_sure"), button_style="danger")
    sure.add_class("kit-own-forget-sure")
    keep = w.Button(description=ctx.t("own.forget_keep"))
    confirm = w.HBox([sure, keep])
    confirm.add_class("kit-row")
    confirm.layout.display = "none"

    def say(ok: bool = True) -> None:
        if state.problem is not None or not ok:
            problem = state.problem or "own.error.save"
            line.value = f'<p class="kit-error" role="alert">⚠ {esc(ctx.t(problem))}</p>'
            return
        if state.restored and state.saved_at is not None:
            when = formats.date_time(state.saved_at.astimezone(), ctx.lang)
            text = ctx.t("own.restored", n=state.restored, when=when)
        else:
            text = ctx.t("own.kept")
        line.value = f'<p class="kit-info kit-own-note" role="status">{esc(text)}</p>'

    _problems[id(ctx.memory)] = ctx.guard(say)
    say()

    def ask(_: Any) -> None:
        confirm.layout.display = "flex"
        forget.layout.display = "none"

    def cancel(_: Any) -> None:
        confirm.layout.display = "none"
        forget.layout.display = ""

    def do_forget(_: Any) -> None:
        from kit.storage.own import get_own_store, learner

        who = learner()
        if who is not None:
            get_own_store().forget(who)
        ctx.memory.data.clear()
        ctx.memory.view.clear()
        state.restored, state.saved_at, state.problem = 0, None, None
        rerender()
        ctx.status.info(ctx.t("own.forgotten"))

    forget.on_click(ctx.guard(ask))
    keep.on_click(ctx.guard(cancel))
    sure.on_click(ctx.guard(do_forget))
    bar = w.VBox([w.HBox([line, forget]).add_class("kit-row"), confirm])
    bar.add_class("kit-own-bar")
    return bar


def step_intro(ctx: Ctx, app: str) -> w.Widget | None:
    """For a learner without a session: the route's step(s) this app is, before the exercise
    (what she will learn, what to do, how long) — None when the app is no step of the route."""
    steps = [(i, s) for i, s in enumerate(ctx.content.route, 1) if s.app == app]
    if not steps:
        return None
    n = len(ctx.content.route)
    # Closed, its summary saying which step and how long: the exercise stays on the first screen.
    parts = "".join(
        f'<details class="kit-step-intro"><summary>{esc(ctx.t("route.step_of", number=i, n=n))}: '
        f"{esc(s.title(ctx.lang))} ({esc(ctx.t('route.minutes', n=s.minutes))})</summary>"
        f"<p><b>{esc(ctx.t('route.goal'))}</b> {esc(s.goal(ctx.lang))}</p>"
        f"<p><b>{esc(ctx.t('route.todo_label'))}</b> {esc(s.todo(ctx.lang))}</p>"
        f'<p><a href="start.ipynb">{esc(ctx.t("start.back"))}</a></p></details>'
        for i, s in steps
    )
    intro = w.HTML(parts)
    intro.add_class("kit-step-intro-holder")
    return intro


def step_takeaways(ctx: Ctx, app: str) -> w.Widget | None:
    """After the exercise: the take-aways of the route's step(s) this app is."""
    steps = [s for s in ctx.content.route if s.app == app]
    if not steps:
        return None
    items = "".join(f"<li>{esc(t(ctx.lang))}</li>" for s in steps for t in s.takeaways)
    end = w.HTML(
        f'<details class="kit-step-takeaways"><summary>{esc(ctx.t("route.takeaways"))}</summary>'
        f"<ul>{items}</ul></details>"
    )
    end.add_class("kit-step-takeaways-holder")
    return end
