"""The bar at the top of every app where a participant joins a group session.

Without a session the apps work as before (self-study). With ``?session=CODE`` in the link the code
is filled in; the participant picks an alias and joins. From then on every answer is saved to the
group store; if the database is unreachable the answers stay in the kernel and are saved when it
is back (retried every few seconds), and the bar says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import ipywidgets as w

from kit.apps.common import Ctx, alert, esc, log, query_params
from kit.group import SessionClient
from kit.sessions import InputError

RETRY_SECONDS = 5.0


def build_session_bar(ctx: Ctx, rerender: Callable[[], None]) -> w.Widget:
    if ctx.memory.client is not None:
        return _joined_bar(ctx)
    code = query_params().get("session", "")
    if code:
        return _join_form(ctx, rerender, code)
    # Self-study is the default: the form stays folded away (and unbuilt) until someone opens it.
    holder = w.VBox()
    fold = w.Accordion(children=[holder], selected_index=None)
    fold.set_title(0, ctx.t("session.fold"))
    fold.add_class("kit-session-fold")

    def open_form(change: dict[str, object]) -> None:
        if change["new"] == 0 and not holder.children:
            holder.children = [_join_form(ctx, rerender, "")]

    fold.observe(ctx.guard(open_form), names="selected_index")
    return fold


def _join_form(ctx: Ctx, rerender: Callable[[], None], initial: str) -> w.Widget:
    memory = ctx.memory
    code = w.Text(
        value=initial,
        description=ctx.t("session.code"),
        placeholder="K7Q2MX",
        layout=w.Layout(width="210px"),
    )
    code.add_class("kit-session-code")
    alias = w.Text(
        description=ctx.t("session.alias"),
        placeholder=ctx.t("session.alias_hint"),
        layout=w.Layout(width="300px"),
    )
    alias.add_class("kit-session-alias")
    join = w.Button(description=ctx.t("session.join"), icon="users")
    join.add_class("kit-session-join")
    message = w.HTML()
    message.add_class("kit-session-message")

    def on_join(_: object) -> None:
        from kit.storage import StorageError, get_store

        try:
            store = get_store()
            info, participant, clean = store.join(code.value, alias.value)
            client = SessionClient(store, info, participant, clean)
            memory.attach(client)
        except InputError as exc:
            message.value = alert(ctx.t(f"session.error.{exc.code}"))
            return
        except StorageError as exc:
            log.warning("join failed: %s", exc)
            message.value = alert(ctx.t("session.error.db"))
            return
        rerender()

    join.on_click(ctx.guard(on_join))
    hint = w.HTML(f'<span class="kit-muted">{esc(ctx.t("session.hint"))}</span>')
    box = w.VBox(
        [w.HBox([code, alias, join], layout=w.Layout(flex_flow="row wrap")), hint, message]
    )
    box.add_class("kit-session-bar")
    return box


def _joined_bar(ctx: Ctx) -> w.Widget:
    memory = ctx.memory
    client = memory.client
    assert client is not None
    line = w.HTML()
    line.add_class("kit-session-status")
    retry_scheduled = {"on": False}

    def show(ok: bool) -> None:
        if client.closed:
            state = alert(ctx.t("session.closed_now"), "span")
        elif ok and not client.pending:
            stamp = dt.datetime.now().strftime("%H:%M:%S")
            state = f'<span class="kit-saved">✓ {esc(ctx.t("session.saved", time=stamp))}</span>'
        else:
            state = alert(ctx.t("session.unsaved", n=len(client.pending)), "span")
            schedule_retry()
        line.value = f'<div class="kit-info">{esc(ctx.t("session.joined", title=client.info.title, code=client.info.code, alias=client.alias))} {state}</div>'

    def retry() -> None:
        retry_scheduled["on"] = False
        try:
            show(client.flush())
        except Exception:  # a timer callback has nobody above it to report to
            log.exception("retrying to save answers failed")

    def schedule_retry() -> None:
        if retry_scheduled["on"]:
            return
        try:
            from tornado.ioloop import IOLoop

            IOLoop.current().call_later(RETRY_SECONDS, retry)
            retry_scheduled["on"] = True
        except RuntimeError:  # no event loop (plain Python): retried on the next answer
            pass

    memory.listeners[:] = [show]
    show(not client.pending)
    return line
