"""The bar at the top of every app where a participant joins a group session.

Without a session the apps work as before (self-study). With ``?session=CODE`` in the link the code
is filled in; the participant picks an alias and joins, and gets a personal code. From then on
every answer is saved to the group store; if the database is unreachable the answers stay in the
kernel and are saved when it is back (retried every few seconds), and the bar says so.

Coming back: the page's own links carry ``?session=CODE&p=PERSONALCODE`` (the page script writes
them into the address bar after joining), so a reload or another app rejoins without typing. On
another device the participant types alias and personal code; the alias alone is not enough.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import ipywidgets as w

from kit import formats
from kit.apps.common import (
    Ctx,
    alert,
    client_address,
    esc,
    log,
    notice,
    query_params,
    store_problem,
)
from kit.group import SessionClient
from kit.sessions import InputError, normalise_code, normalise_token, show_token


def build_session_bar(ctx: Ctx, rerender: Callable[[], None], open_form: bool = False) -> w.Widget:
    """The session bar for the current state: joined, joining, or folded away for self-study."""
    if ctx.memory.client is None:
        message = auto_rejoin(ctx)
        if ctx.memory.client is None:
            code = query_params().get("session", "")
            if code or open_form or message:
                return _join_form(ctx, rerender, code, message)
            return _folded_form(ctx, rerender)
    return _joined_bar(ctx)


def auto_rejoin(ctx: Ctx) -> str:
    """Rejoin from ``?session=…&p=…`` once per page; returns an error message, or "".

    The message is kept until the session bar shows it (the body is built first)."""
    memory = ctx.memory
    if memory.auto_join_tried:
        return str(memory.view.pop("session.auto_error", ""))
    memory.auto_join_tried = True
    params = query_params()
    code, token = params.get("session", ""), params.get("p", "")
    if not (code and token):
        return ""
    memory.view["session.auto_error"] = _rejoin(ctx, code, token)
    return ""


def _rejoin(ctx: Ctx, code: str, token: str) -> str:
    from kit.storage import StorageError, get_store

    try:
        store = get_store()
        ctx.memory.attach(SessionClient(store, store.rejoin(code, token, client_address())))
    except InputError as exc:
        log.info("rejoin refused: %s", exc.code)
        return ctx.t(exc.code.text_key)
    except StorageError as exc:
        log.warning("rejoin failed: %s", exc)
        return store_problem(ctx.t, exc)
    return ""


def _folded_form(ctx: Ctx, rerender: Callable[[], None]) -> w.Widget:
    # Self-study is the default: the form stays folded away (and unbuilt) until someone opens it.
    holder = w.VBox()
    fold = w.Accordion(children=[holder], selected_index=None)
    fold.set_title(0, ctx.t("session.fold"))
    fold.add_class("kit-session-fold")

    def open_form(change: dict[str, object]) -> None:
        if change["new"] == 0 and not holder.children:
            holder.children = [_join_form(ctx, rerender, "", "")]

    fold.observe(ctx.guard(open_form), names="selected_index")
    return fold


def _join_form(ctx: Ctx, rerender: Callable[[], None], initial: str, error: str) -> w.Widget:
    memory = ctx.memory
    # Sent when the field loses focus (the tap on Join), so the click cannot overtake them.
    code = w.Text(
        value=initial,
        description=ctx.t("session.code"),
        placeholder="K7Q2MX",
        continuous_update=False,
    )
    code.add_class("kit-session-code")
    alias = w.Text(
        value=memory.view.get("session.alias", ""),
        description=ctx.t("session.alias"),
        placeholder=ctx.t("session.alias_hint"),
        continuous_update=False,
    )
    alias.add_class("kit-session-alias")
    token = w.Text(
        description=ctx.t("session.token"),
        placeholder=ctx.t("session.token_hint"),
        continuous_update=False,
    )
    token.add_class("kit-session-token")
    join = w.Button(description=ctx.t("session.join"), icon="users", button_style="primary")
    join.add_class("kit-session-join")
    message = w.HTML(alert(error) if error else "")
    message.add_class("kit-session-message")
    # Filled by the page script with "CODE:PERSONALCODE" remembered on this device.
    handover = w.Text(value="")
    handover.add_class("kit-identity-in")

    def on_join(_: object) -> None:
        from kit.storage import StorageError, get_store

        memory.view["session.alias"] = alias.value
        message.value = notice(ctx.t("session.joining"))
        try:
            store = get_store()
            joined = store.join(code.value, alias.value, token.value, client_address())
            memory.attach(SessionClient(store, joined))
        except InputError as exc:
            message.value = alert(ctx.t(exc.code.text_key))
            return
        except StorageError as exc:
            log.warning("join failed: %s", exc)
            message.value = alert(store_problem(ctx.t, exc))
            return
        rerender()

    def on_handover(change: dict[str, object]) -> None:
        raw = str(change["new"])
        if memory.client is not None or ":" not in raw:
            return
        remembered_code, remembered = raw.split(":", 1)
        try:
            remembered_code, remembered = (
                normalise_code(remembered_code),
                normalise_token(remembered),
            )
        except InputError:
            return  # a stale or tampered entry on the device: the form stays as it is
        if _rejoin(ctx, remembered_code, remembered) == "":
            rerender()

    join.on_click(ctx.guard(on_join))
    handover.observe(ctx.guard(on_handover), names="value")
    header, hint = w.HTML(), w.HTML()

    def show_session(session_code: str) -> None:
        """Show the session ``ctx.memory.session`` (the form may be built before it is known)."""
        code.value = session_code
        header.value = f"<b>{esc(ctx.t('session.form_title'))}</b>{_session_intro(ctx)}"
        hint.value = (
            f'<span class="kit-muted">{esc(ctx.t("session.hint"))}</span>{privacy_note(ctx)}'
        )

    show_session(initial)
    box = w.VBox(
        [
            header,
            w.Box([code, alias, token], layout=w.Layout(flex_flow="row wrap")).add_class(
                "kit-session-fields"
            ),
            join,
            message,
            hint,
            handover,
        ]
    )
    box.add_class("kit-session-bar")
    box.add_class("kit-card")
    box.show_session = show_session
    return box


def early_join_form(ctx: Ctx, rerender: Callable[[], None]) -> w.Widget:
    """The participant page's join form, built in a pre-heated kernel before the visitor is
    known (most of a pooled page's remaining work); ``form.show_session(code)`` then shows the
    session the URL names. Leaves rejoining with ``?p=`` to :func:`auto_rejoin`."""
    return _join_form(ctx, rerender, "", "")


def privacy_note(ctx: Ctx) -> str:
    """What joining stores, where, and for how long (AVG/GDPR): folded under the join form."""
    from kit.storage import retention_days

    session = ctx.memory.session
    days = session.retention_days if session is not None else retention_days()
    return (
        f'<details class="kit-privacy"><summary>{esc(ctx.t("session.privacy_title"))}</summary>'
        f'<p class="kit-muted">{esc(ctx.t("session.privacy", days=days))}</p></details>'
    )


def _session_intro(ctx: Ctx) -> str:
    """The session the link named (title, and that the trainer chose the exercises)."""
    session = ctx.memory.session
    if session is None:
        return ""
    text = ctx.t("workshop.session_intro", title=session.title)
    return f'<p class="kit-workshop-intro">{esc(text)}</p>'


def _joined_bar(ctx: Ctx) -> w.Widget:
    memory = ctx.memory
    client = memory.client
    assert client is not None
    line = w.HTML()
    line.add_class("kit-session-status")

    def show(ok: bool) -> None:
        toast = ""  # a problem also shows at the bottom of the screen, where the learner is
        # Every report counts (kernel-wide, across rebuilt bars): the page script waits for a
        # report newer than the answers it put back after a lost server (kit-page.js).
        reports = int(memory.view.get("session.reports", 0)) + 1
        memory.view["session.reports"] = reports
        if client.closed:
            state = alert(ctx.t("session.closed_now"), "span")
            toast = f'<div class="kit-toast">{alert(ctx.t("session.closed_now"))}</div>'
        elif ok and not client.pending:
            stamp = formats.clock(dt.datetime.now(), ctx.lang)
            state = f'<span class="kit-saved">✓ {esc(ctx.t("session.saved", time=stamp))}</span>'
        else:
            # A full store needs the trainer, not patience: a message of its own.
            why = "session.unsaved_full" if client.full else "session.unsaved"
            state = alert(ctx.t(why, n=len(client.pending)), "span")
            toast = f'<div class="kit-toast">{alert(ctx.t(why, n=len(client.pending)))}</div>'
            schedule_retry()
        who = ctx.t(
            "session.joined", title=client.info.title, code=client.info.code, alias=client.alias
        )
        # A shared device comes back as whoever joined on it last. "Not you?" opens the join
        # form with ?forget=1: the new page's script forgets the participant remembered on this
        # device before anything is handed to the kernel (kit-page.js), whatever this page does.
        code = esc(client.info.code)
        not_me = (
            f'<a class="kit-not-me" href="?session={code}&amp;lang={esc(ctx.lang)}&amp;forget=1">'
            f"{esc(ctx.t('session.not_me'))}</a>"
        )
        # A compact bar, so the exercise starts on a phone's first screen: who and whether it
        # is saved on one line; the personal code, the session and "Not you?" behind one tap
        # (closed also for a new participant: open, it filled half a 360 x 640 screen on every
        # tab).
        line.value = (
            f'<div class="kit-info kit-session-line" role="status" data-saves="{reports}">'
            f'<span class="kit-session-who">{esc(ctx.t("session.bar_alias", alias=client.alias))}'
            f"</span> {state}"
            f'<details class="kit-token-details"><summary>'
            f"{esc(ctx.t('session.token_title'))}</summary>"
            f'<span class="kit-personal-code">{esc(show_token(client.token))}</span> '
            f"{esc(ctx.t('session.token_explain'))}"
            f'<span class="kit-session-about">{esc(who)} {not_me}</span></details></div>{toast}'
        )

    def schedule_retry() -> None:
        # The client's saving thread retries and reports back through the listeners; this
        # only makes sure it runs (never a store call on the page's own thread).
        client.kick()

    memory.listeners[:] = [show]
    show(not client.pending)
    return line
