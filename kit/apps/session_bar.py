"""The bar at the top of every app where a participant joins a group session.

Without a session the apps work as before (self-study). With ``?session=CODE`` in the link the code
is filled in; the participant picks an alias and joins, and gets a personal code. From then on
every answer is saved to the group store; if the database is unreachable the answers stay in the
kernel and are saved when it is back (retried every few seconds), and the bar says so.

Coming back: the page's own links carry ``?session=CODE&p=PERSONALCODE`` (the page script writes
them into the address bar after joining), so a reload or another app rejoins without typing. On
another device the participant types alias and personal code; the alias alone is not enough.

On a hub (the kit's hub service, kit/hub_service.py) the participant is the hub user: the form asks
only for the session code and an alias (a non-identifying one suggested), there is no personal
code, and a reload or another device where she is logged in finds her participant again.
"""

from __future__ import annotations

import datetime as dt
import os
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
from kit.sessions import (
    InputError,
    Problem,
    hub_identity,
    normalise_code,
    normalise_token,
    show_token,
    suggested_alias_number,
)


def page_hub_user() -> str:
    """The hub user this page's kernel serves, when the kit's hub service started it, else ""
    (read after the visitor's request: a pre-heated kernel learns it then)."""
    return hub_identity(
        os.environ.get("HTTP_X_KIT_CLIENT", "")[:64],
        bool(os.environ.get("JUPYTERHUB_SERVICE_NAME")),
    )


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
    hub_user = page_hub_user()
    if hub_user:  # on a hub the hub user is the participant; a ?p= means nothing there
        problem = _rejoin_hub(ctx, code, hub_user) if code else ""
        if problem:  # (only then: a page without one shows the join form built early)
            memory.view["session.auto_error"] = problem
        return ""
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


def _rejoin_hub(ctx: Ctx, code: str, hub_user: str) -> str:
    """The hub user's participant in session ``code``, if she joined it before (else the form)."""
    from kit.storage import StorageError, get_store

    try:
        store = get_store()
        back = store.hub_participant(code, hub_user)
    except InputError:
        return ""  # a mistyped code in the link: the form shows it, to correct
    except StorageError as exc:
        log.warning("rejoin failed: %s", exc)
        return store_problem(ctx.t, exc)
    if back is not None:
        ctx.memory.attach(SessionClient(store, back))
    return ""


def _hub_join(ctx: Ctx, code: str, alias: str, hub_user: str) -> None:
    """Join as the hub user; a suggested alias someone already has gives way to another."""
    from kit.storage import get_store

    store = get_store()
    for _ in range(5):
        try:
            joined = store.join_hub(code, alias, hub_user)
            break
        except InputError as exc:
            if exc.code != Problem.ALIAS_TAKEN or alias != ctx.memory.view.get("session.suggested"):
                raise
            alias = _suggested(ctx)
    else:
        raise InputError(Problem.ALIAS_TAKEN)
    ctx.memory.attach(SessionClient(store, joined))


def _suggested(ctx: Ctx) -> str:
    """An alias to suggest on a hub (remembered, to know it was not typed): never the hub name."""
    alias = ctx.t("session.alias_suggested", n=suggested_alias_number())
    ctx.memory.view["session.suggested"] = alias
    return alias


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
            hub_user = page_hub_user()
            if hub_user:
                _hub_join(ctx, code.value, alias.value, hub_user)
            else:
                store = get_store()
                joined = store.join(code.value, alias.value, token.value, client_address())
                memory.attach(SessionClient(store, joined))
        except InputError as exc:
            taken_on_hub = exc.code == Problem.ALIAS_TAKEN and page_hub_user()
            message.value = alert(
                ctx.t("session.hub_alias_taken" if taken_on_hub else exc.code.text_key)
            )
            return
        except StorageError as exc:
            log.warning("join failed: %s", exc)
            message.value = alert(store_problem(ctx.t, exc))
            return
        rerender()

    def on_handover(change: dict[str, object]) -> None:
        raw = str(change["new"])
        if memory.client is not None or ":" not in raw or page_hub_user():
            return  # (on a hub only the hub login says who she is)
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
        on_hub = bool(page_hub_user())
        hint.value = (
            f'<span class="kit-muted">{esc(ctx.t("session.hub_hint" if on_hub else "session.hint"))}'
            f"</span>{privacy_note(ctx)}"
        )
        # On a hub: no personal code, and an alias suggested that does not name the person.
        token.layout.display = "none" if on_hub else None
        if on_hub and not alias.value:
            alias.value = _suggested(ctx)

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
    text = "session.hub_privacy" if page_hub_user() else "session.privacy"
    return (
        f'<details class="kit-privacy"><summary>{esc(ctx.t("session.privacy_title"))}</summary>'
        f'<p class="kit-muted">{esc(ctx.t(text, days=days))}</p></details>'
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
        # On a hub the hub login is who she is: no personal code to keep, no "Not you?" here.
        title, keep = (
            "session.token_title",
            (
                f'<span class="kit-personal-code">{esc(show_token(client.token))}</span> '
                f"{esc(ctx.t('session.token_explain'))}"
            ),
        )
        if not client.token:
            title, keep, not_me = "session.hub_title", esc(ctx.t("session.hub_explain")), ""
        # A compact bar, so the exercise starts on a phone's first screen: who and whether it
        # is saved on one line; the personal code, the session and "Not you?" behind one tap
        # (closed also for a new participant: open, it filled half a 360 x 640 screen on every
        # tab).
        line.value = (
            f'<div class="kit-info kit-session-line" role="status" data-saves="{reports}">'
            f'<span class="kit-session-who">{esc(ctx.t("session.bar_alias", alias=client.alias))}'
            f"</span> {state}"
            f'<details class="kit-token-details"><summary>'
            f"{esc(ctx.t(title))}</summary>{keep}"
            f'<span class="kit-session-about">{esc(who)} {not_me}</span></details></div>{toast}'
        )

    def schedule_retry() -> None:
        # The client's saving thread retries and reports back through the listeners; this
        # only makes sure it runs (never a store call on the page's own thread).
        client.kick()

    memory.listeners[:] = [show]
    show(not client.pending)
    return line
