"""The presenter view for the projector: a big QR code, the join code and link, and a live count
of who joined. It shows nothing secret (no key, no names), so the whole room may see it; the
trainer's controls stay in the facilitator view (the Group app)."""

from __future__ import annotations

import contextlib
import os
from typing import Any
from urllib.parse import urlencode

import ipywidgets as w

from kit.apps.common import Ctx, alert, client_address, esc, every, log, query_params
from kit.apps.frame import app_frame
from kit.content import Content
from kit.serve import PARTICIPANT_PAGE
from kit.sessions import InputError, normalise_code, short_join

REFRESH_SECONDS = 3.0


def presenter_view(lang: str | None = None, content: Content | None = None) -> w.Widget:
    """The presenter view (``presentatie.ipynb?session=CODE``)."""
    return app_frame("presenter", build_presenter, lang, content, session=False)


def public_base() -> str:
    """The address of the notebooks folder as the visitor's browser reached it, or
    ``KIT_PUBLIC_URL`` when set (behind a proxy, or the network address in room mode)."""
    public = os.environ.get("KIT_PUBLIC_URL", "").rstrip("/")
    if public:
        return public
    host, port = os.environ.get("SERVER_NAME", ""), os.environ.get("SERVER_PORT", "")
    if not host:
        return ""
    base = f"http://{host}" + (f":{port}" if port and port not in ("80", "443") else "")
    script = os.environ.get("SCRIPT_NAME", "/voila/render/groep.ipynb")
    return base + script.rsplit("/", 1)[0]


def join_link(code: str, lang: str = "nl") -> str:
    """The link participants open: the participant page with the session code.

    >>> join_link("K7Q2MX")
    'deelnemer.ipynb?session=K7Q2MX'
    """
    query = urlencode({"session": code, **({"lang": lang} if lang != "nl" else {})})
    base = public_base()
    return f"{base}/{PARTICIPANT_PAGE}?{query}" if base else f"{PARTICIPANT_PAGE}?{query}"


def presenter_link(code: str, lang: str = "nl") -> str:
    query = urlencode({"session": code, **({"lang": lang} if lang != "nl" else {})})
    return f"presentatie.ipynb?{query}"


def qr_svg(text: str, scale: int = 9, fluid: bool = False) -> str:
    """The QR code as inline SVG; ``fluid`` leaves the size to CSS (it scales with the screen)."""
    import segno

    return str(
        segno.make(text, error="m").svg_inline(
            scale=scale, dark="#000", light="#fff", omitsize=fluid
        )
    )


def build_presenter(ctx: Ctx) -> w.Widget:
    code = ""
    with contextlib.suppress(InputError):
        code = normalise_code(query_params().get("session", ""))
    holder = w.VBox()
    holder.add_class("kit-presenter")
    if code:
        holder.children = [_screen(ctx, code)]
        return holder
    typed = w.Text(description=ctx.t("session.code"), placeholder="K7Q2MX", continuous_update=False)
    typed.add_class("kit-presenter-code")
    show = w.Button(description=ctx.t("presenter.show"), button_style="primary")
    show.add_class("kit-presenter-show")
    message = w.HTML()

    def on_show(_: object) -> None:
        try:
            chosen = normalise_code(typed.value)
        except InputError as exc:
            message.value = alert(ctx.t(exc.code.text_key))
            return
        holder.children = [_screen(ctx, chosen)]

    show.on_click(ctx.guard(on_show))
    holder.children = [
        w.HTML(f"<p>{esc(ctx.t('presenter.ask_code'))}</p>"),
        w.HBox([typed, show]).add_class("kit-gap"),
        message,
    ]
    return holder


def _screen(ctx: Ctx, code: str) -> w.Widget:
    """The led room while the trainer leads the session (kit/apps/room_app.py), else the QR view."""
    from kit.apps.room_app import room_screen

    fallback = lambda: _Presenter(ctx, code).widget  # noqa: E731 - built only when not led
    return room_screen(ctx, code, fallback, join_link(code, ctx.lang), qr_svg)


class _Presenter:
    """One session on the projector, refreshed every few seconds (count, open or closed).

    Anyone may open the presenter view, so its code lookup is limited like joining: an unknown
    code counts against the client address, and an address over its limit is told to wait
    (:meth:`kit.storage.Store.public_session`). Only a code found that way is refreshed."""

    def __init__(self, ctx: Ctx, code: str) -> None:
        self.ctx, self.code = ctx, code
        self.widget = w.HTML()
        self.widget.add_class("kit-presenter-view")
        self._shown: tuple[Any, ...] | None = None
        self._found = False  # the code was looked up (and counted) once and exists
        self._timer: Any = None
        # A language switch rebuilds the view: stop the previous one's timer.
        old = ctx.memory.view.pop("presenter.timer", None)
        if old is not None:
            old.stop()
        if self._refresh():
            self._timer = every(REFRESH_SECONDS, self.refresh, ctx, "presenter refresh")
            ctx.memory.view["presenter.timer"] = self._timer

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self.ctx.memory.view.pop("presenter.timer", None)

    def refresh(self) -> None:
        self._refresh()

    def _refresh(self) -> bool:
        """Show the session's state; False when there is nothing more to refresh (no such
        session, or too many unknown codes from this address)."""
        from kit.storage import StorageError, get_store

        ctx = self.ctx
        try:
            store = get_store()
            if self._found:
                info = store.session(self.code)
            else:
                info = store.public_session(self.code, client_address())
                self._found = info is not None
            count = store.participant_count(self.code) if info else 0
        except InputError as exc:
            self.widget.value = alert(ctx.t(exc.code.text_key))
            self._stop()
            return False
        except StorageError as exc:
            log.warning("presenter could not read the store: %s", exc)
            ctx.status.error(ctx.t("group.db_down"))
            return True
        state = (info.open if info else None, count, info.title if info else None)
        if state == self._shown:
            return True
        self._shown = state
        ctx.status.clear()
        if info is None:
            self.widget.value = alert(ctx.t("presenter.unknown"))
            self._stop()
            return False
        # Focus lands on the title once the code is shown by keyboard, and stays on the join
        # link while the count changes (kit-a11y.js: data-kit-focus, kit-same-…).
        title = f"<h2 class='kit-presenter-title' data-kit-focus>{esc(info.title)}</h2>"
        if not info.open:
            self.widget.value = (
                f"{title}<p class='kit-presenter-closed'>{esc(ctx.t('presenter.closed'))}</p>"
            )
            return True
        link = join_link(info.code, ctx.lang)
        self.widget.value = (
            f"{title}<div class='kit-presenter-grid'>"
            f"<div class='kit-presenter-qr' role='img' aria-label='{esc(ctx.t('presenter.scan'))}: {esc(link)}'>"
            f"{qr_svg(link, scale=12, fluid=True)}</div>"
            f"<div class='kit-presenter-text'><p class='kit-presenter-scan'>{esc(ctx.t('presenter.scan'))}</p>"
            f"<p>{esc(ctx.t('presenter.or'))}<br><a class='kit-join-link kit-same-join-link' href='{esc(link)}' target='_blank'>{esc(short_join(link, info.code) or link)}</a></p>"
            f"<p>{esc(ctx.t('presenter.code'))}</p>"
            f"<p class='kit-join-code'>{esc(info.code)}</p>"
            f"<p class='kit-presenter-count' aria-live='polite'>{esc(ctx.t('presenter.count', n=count))}</p>"
            "</div></div>"
        )
        return True
