"""The frame around every app: title bar, language switch, status line, session bar and body.

A page served from Voila's pre-heated pool runs its notebook before anyone asks for it, so the
URL (``?lang=``, ``?session=``, ``?p=``) is only known after :func:`wait_for_request`. The frame
does the expensive part first (content, widgets in the default language) and reads the URL after.
"""

from __future__ import annotations

import html
import json
import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from kit.apps.common import (
    STYLE,
    Ctx,
    Status,
    alert,
    content_problem_panel,
    guarded,
    log,
    log_failure,
    notice,
    pick_lang,
    query_params,
)
from kit.apps.homework_bar import homework_bar, prepare
from kit.apps.own import OwnState, own_bar, restore_own, step_intro, step_takeaways
from kit.apps.session_bar import auto_rejoin, build_session_bar, early_join_form
from kit.content import LANGS, Content, ContentError, default_content
from kit.group import Memory
from kit.links import Link, parse
from kit.sessions import InputError, normalise_code

if TYPE_CHECKING:
    from kit.storage import SessionInfo


def wait_for_request() -> None:
    """In a pre-heated Voila kernel: wait until a visitor opens the page, then the URL is known.
    Anywhere else (JupyterLab, tests, Voila without a pool) it returns at once.

    Does what ``voila.utils.wait_for_request`` does without importing ``voila.utils``, which
    loads the whole server stack (jupyter_server, jupyterlab_server, jsonschema) into every
    kernel: measured, that made a page 1.3 s slower to start and its kernel 50 MB bigger.
    """
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return
    host = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL") or os.environ.get("VOILA_SERVER_URL", "/")
    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    url = f"{protocol}://{host}:{port}{base}voila/query/{os.environ.get('VOILA_KERNEL_ID', '')}"
    found: dict[str, str] = {}

    def listen() -> None:
        import asyncio

        import websockets

        async def receive() -> None:
            # No deadline on the wait itself: a pooled page waits for its visitor.
            async with websockets.connect(url, open_timeout=10) as socket:
                found.update(json.loads(await socket.recv()))

        try:
            asyncio.new_event_loop().run_until_complete(receive())
        except Exception:  # the page then shows its defaults; say why in the log
            log.exception("a pre-heated page could not learn its URL from %s", url)

    # The kernel's own event loop is running: wait in a thread with a loop of its own.
    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    thread.join()
    os.environ.update({k: str(v) for k, v in found.items()})


def _warm_store() -> None:
    from kit.storage import StorageError, get_store

    try:
        get_store().migrate()
    except StorageError as exc:  # said again, in words, when the visitor joins
        log.warning("group store not reachable yet: %s", exc)


def _session_from_url() -> SessionInfo | None:
    """The public facts of the session named in the URL (title, case, intervention), if any."""
    from kit.storage import StorageError, get_store

    code = query_params().get("session", "")
    if not code:
        return None
    try:
        return get_store().session(normalise_code(code))
    except (InputError, StorageError) as exc:
        log.info("session from the URL not found: %s", exc)
        return None


def identity_html(memory: Memory | None, lang: str, title: str = "") -> str:
    """What the page script reads to keep the participant and the language across reloads, and
    to give the page its ``lang`` and its title in that language (kit-page.js).

    >>> identity_html(None, "en", "Core & shell · Implementation kit")
    '<span class="kit-identity" data-session="" data-token="" data-lang="en" data-title="Core &amp; shell · Implementation kit"></span>'
    """
    client = memory.client if memory is not None else None
    session = html.escape(client.info.code) if client else ""
    token = html.escape(client.token) if client else ""
    return (
        f'<span class="kit-identity" data-session="{session}" data-token="{token}" '
        f'data-lang="{html.escape(lang)}" data-title="{html.escape(title)}"></span>'
    )


def link_html(ctx: Ctx, link: Link) -> str:
    """What the page says about its link: each problem as an alert, and a notice when the link
    holds the reference back; empty for a link that opened all it named."""
    parts = [alert(ctx.t(p.text_key, **p.values)) for p in link.problems]
    if link.reference is False:
        parts.append(notice(ctx.t("link.reference-held")))
    return "".join(parts)


def page_title(content: Content, name: str, lang: str) -> str:
    """The browser tab's title in the page's language: the app, then the kit."""
    return f"{content.t(f'{name}.title', lang)} · {content.t('landing.title', lang)}"


def app_frame(
    name: str,
    build: Callable[[Ctx], w.Widget],
    lang: str | None = None,
    content: Content | None = None,
    session: bool = True,
    open_session_form: bool = False,
) -> w.Widget:
    """An app in its frame. Switching language or joining a session rebuilds the body; answers
    and where the learner was live in the frame's :class:`Memory`, so they survive both."""
    try:
        content = content or default_content()
    except ContentError as exc:
        log.error("content does not validate:\n%s", exc)
        wait_for_request()
        return content_problem_panel(exc, pick_lang(lang))

    status = Status()
    title = w.HTML()
    first = lang if lang in LANGS else LANGS[0]
    switch = w.ToggleButtons(
        options=[("NL", "nl"), ("EN", "en")],
        value=first,
        tooltips=["Nederlands", "English"],
        style={"button_width": "48px"},
    )
    switch.add_class("kit-lang")
    body = w.Box(layout=w.Layout(width="100%"))
    memory = Memory()
    current = {"lang": first}
    bar = w.Box(layout=w.Layout(width="100%"))
    own_holder = w.VBox(layout=w.Layout(width="100%"))  # work kept on her machine (apps/own.py)
    own = OwnState()
    after_holder = w.Box(layout=w.Layout(width="100%"))  # the step's take-aways, alone
    identity = w.HTML()
    identity.add_class("kit-identity-holder")
    # What the URL asked for and could not be opened (kit/links.py): said in the page's
    # language for as long as the page is open, never a silent default.
    link_notice = w.HTML()
    link_notice.add_class("kit-link-notice")
    found: dict[str, Link] = {}
    frame = w.VBox(
        [
            w.HTML(STYLE),
            w.HBox([title, switch]).add_class("kit-titlebar"),
            bar,
            own_holder,
            link_notice,
            status,
            body,
            after_holder,
            identity,
        ],
    )
    frame.add_class("kit-app")
    frame.add_class(f"kit-app-{name}")
    frame.body = body  # lets tests reach the screen

    def render_bar() -> None:
        ctx = Ctx(content, current["lang"], status, memory)
        bar.children = [build_session_bar(ctx, rerender, open_session_form)] if session else []
        kept = own.active and memory.client is None
        alone = session and not open_session_form and memory.client is None
        alone = alone and memory.session is None  # no session joined or named: the route's step
        intro, end = (step_intro(ctx, name), step_takeaways(ctx, name)) if alone else (None, None)
        own_holder.children = [own_bar(ctx, own, rerender)] if kept else []
        own_holder.children += (intro,) if intro is not None else ()
        after_holder.children = [end] if end is not None else []
        if session and (work := homework_bar(ctx)) is not None:  # a homework session's bar
            bar.children = [*bar.children, work]
        identity.value = identity_html(
            memory, current["lang"], page_title(content, name, current["lang"])
        )

    def render_body(new_lang: str) -> None:
        current["lang"] = new_lang
        ctx = Ctx(content, new_lang, status, memory)
        switch.description = ctx.t("app.language")
        # The page's one <h1> (WCAG 1.3.1, 2.4.6): the app's name.
        title.value = f"<h1>{html.escape(ctx.t(f'{name}.title'))}</h1>"
        status.clear()
        link_notice.value = link_html(ctx, found["link"]) if "link" in found else ""
        body.children = [build(ctx)]

    def render(new_lang: str) -> None:
        render_body(new_lang)
        render_bar()

    def rerender() -> None:
        render(current["lang"])

    @guarded(
        status,
        content.t("error.callback", first),
        lambda ref: content.t("error.ref", first, ref=ref),
    )
    def on_lang(change: dict[str, Any]) -> None:
        render(change["new"])

    # The body in the default language is built before the visitor is known (a pooled kernel
    # has it ready). The URL decides the rest: language, session, participant.
    render_body(first)
    early_form = None
    if session and os.environ.get("VOILA_PREHEAT") == "True":
        _warm_store()  # a pooled page: open the group store now, not when the visitor waits
        if open_session_form:  # the participant page: its join form too
            early_form = early_join_form(Ctx(content, first, status, memory), rerender)
    wait_for_request()
    wanted = pick_lang(lang)
    # The pre-built body recorded where it started; the visitor has not been anywhere yet, and
    # the session in the URL decides the case and intervention.
    memory.view.clear()
    try:
        link = parse(query_params(), content, name)
        found["link"] = link
        memory.view.update(link.view())
        if session:
            memory.session = _session_from_url()
            auto_rejoin(Ctx(content, wanted, status, memory))  # back with the personal code
            if not open_session_form:  # alone: her work kept on this machine comes back
                own = restore_own(memory)
            homework = prepare(Ctx(content, wanted, status, memory))
        # Rebuild only what the URL changes: another language, a participant's answers, or a
        # session the pre-built body asked about. A fresh participant page stays as built, so a
        # pooled kernel answers at once.
        stale = (
            wanted != first
            or own.restored > 0
            or memory.client is not None
            or (memory.session is not None and memory.session_read)
            or (not session and bool(query_params()))
            or link.opens
            or bool(link.problems)
            or (session and homework)
        )
        if stale:
            render(wanted)
        elif early_form is not None and memory.client is None and not memory.view:
            # A visitor who still has to join (no rejoin error to show): the form built early.
            early_form.show_session(query_params().get("session", ""))
            bar.children = [early_form]
            identity.value = identity_html(memory, first, page_title(content, name, first))
        else:
            render_bar()
    except Exception:  # shown in the app, never a blank page or a traceback
        ref = log_failure("building %s failed", name)
        status.error(
            f"{content.t('error.callback', wanted)} ({content.t('error.ref', wanted, ref=ref)})"
        )
    switch.value = wanted
    switch.observe(on_lang, names="value")
    return frame
