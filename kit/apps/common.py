"""Building blocks shared by every app: URL parameters, language, error surfacing, the frame.

Voila swallows exceptions raised in widget callbacks (nothing on the page, nothing in the log), so
every callback goes through :func:`guarded`, which logs the traceback and shows a message in the
app's status line.
"""

from __future__ import annotations

import base64
import functools
import html
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ParamSpec
from urllib.parse import parse_qs

import ipywidgets as w

from kit.content import LANGS, Content, ContentError, default_content
from kit.group import Memory

log = logging.getLogger("kit")
P = ParamSpec("P")


def query_params(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Parameters from the page URL (Voila passes them as ``QUERY_STRING``); empty in JupyterLab.

    >>> query_params({"QUERY_STRING": "lang=en&session=K7Q2&lang=nl"})
    {'lang': 'en', 'session': 'K7Q2'}
    >>> query_params({})
    {}
    """
    env = os.environ if environ is None else environ
    parsed = parse_qs(env.get("QUERY_STRING", ""), keep_blank_values=False)
    return {key: values[0] for key, values in parsed.items()}


def pick_lang(requested: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language to start in: explicit argument, then ``?lang=``, then Dutch.

    >>> pick_lang("en")
    'en'
    >>> pick_lang(None, {"QUERY_STRING": "lang=EN"})
    'en'
    >>> pick_lang(None, {"QUERY_STRING": "lang=fr"})
    'nl'
    """
    lang = (requested or query_params(environ).get("lang", "")).lower()
    return lang if lang in LANGS else LANGS[0]


def alert(message: str, tag: str = "div") -> str:
    """An error message: marked with ⚠ and role=alert, never by colour alone; text is escaped."""
    return f'<{tag} class="kit-error" role="alert">⚠ {html.escape(message)}</{tag}>'


def notice(message: str, tag: str = "div") -> str:
    """A neutral status message (role=status); text is escaped."""
    return f'<{tag} class="kit-info" role="status">{html.escape(message)}</{tag}>'


class Status(w.HTML):  # type: ignore[misc]
    """One line where the app tells the user what went wrong (or right)."""

    def __init__(self) -> None:
        super().__init__(value="")
        self.add_class("kit-status")

    def error(self, message: str) -> None:
        self.value = alert(message)

    def info(self, message: str) -> None:
        self.value = notice(message)

    def clear(self) -> None:
        self.value = ""


def guarded(status: Status, message: str) -> Callable[[Callable[P, Any]], Callable[P, None]]:
    """Wrap a widget callback: on error, log the traceback and show ``message`` in ``status``."""

    def decorate(fn: Callable[P, Any]) -> Callable[P, None]:
        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
            try:
                fn(*args, **kwargs)
            except Exception as exc:
                log.exception("callback %s failed", fn.__name__)
                status.error(f"{message} ({type(exc).__name__}: {exc})")

        return wrapper

    return decorate


@dataclass
class Ctx:
    """What a screen needs: the content, the language, the status line and the answer memory."""

    content: Content
    lang: str
    status: Status
    memory: Memory = field(default_factory=Memory)

    def t(self, key: str, **values: object) -> str:
        return self.content.t(key, self.lang, **values)

    def guard(self, fn: Callable[P, Any]) -> Callable[P, None]:
        return guarded(self.status, self.t("error.callback"))(fn)


STYLE = """
<style>
.kit-app { max-width: 1100px; font-size: 15px; line-height: 1.45; }
.kit-app h2 { margin: 0.2em 0 0.1em 0; }
.kit-error { background: #FBE3D6; border-left: 5px solid #D55E00; padding: 8px 12px; }
.kit-info { background: #E3F0F9; border-left: 5px solid #0072B2; padding: 8px 12px; }
.kit-card { border: 1px solid #bbb; border-radius: 8px; padding: 10px 14px; margin: 6px 0; background: #fff; }
.kit-feedback { padding: 10px 14px; border-radius: 6px; margin-top: 6px; }
.kit-good { background: #DDF2EA; border-left: 6px solid #009E73; }
.kit-mid { background: #FFF3D6; border-left: 6px solid #E69F00; }
.kit-bad { background: #FBE3D6; border-left: 6px solid #D55E00; }
.kit-muted { color: #555; }
.kit-tag { display: inline-block; border: 1px solid #777; border-radius: 10px; padding: 0 8px; margin-right: 4px; font-size: 13px; }
.kit-app ul { margin-top: 0.2em; }
.kit-app .widget-label { min-width: fit-content; }
.kit-app .lm-TabBar-tab { flex: 0 0 auto !important; max-width: none !important; min-width: fit-content !important; padding: 0 12px; }
.kit-app .widget-button, .kit-app .widget-toggle-button { width: auto; min-width: 110px; padding: 0 14px; }
.kit-app .kit-scale .widget-radio-box { flex-direction: row; flex-wrap: wrap; gap: 2px 18px; }
.kit-app .kit-scale .widget-radio-box label { width: auto; }
.kit-statement { margin-top: 10px; }
.kit-gap { gap: 12px; }
.kit-app .widget-vbox > .widget-button { align-self: flex-start; }
.kit-app a { color: #0061A0; text-decoration: underline; }
.kit-app a.kit-open { display: inline-block; background: #0072B2; color: #fff; padding: 6px 16px; border-radius: 4px; text-decoration: none; font-weight: bold; }
.kit-app a.kit-open:focus, .kit-app a:focus { outline: 3px solid #E69F00; outline-offset: 2px; }
.kit-cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 12px; }
.kit-app-card h3 { margin: 0.2em 0; }
.kit-session-fold .jupyter-widget-Collapse-header { font-weight: normal; font-size: 14px; background: #f6f6f6; }
</style>
"""


def content_problem_panel(error: ContentError, lang: str = "nl") -> Any:
    """What the app shows instead of a traceback when content does not validate.

    Plain HTML output rather than a widget: Voila renders it into the page itself, so the
    message shows even if the widget side never starts.
    """
    from IPython.display import HTML

    # Written out here, not in ui.yaml: the UI strings may themselves be what is broken.
    title = {
        "nl": "De inhoud van de kit bevat fouten. Herstel deze bestanden en laad de pagina opnieuw:",
        "en": "The kit's content has errors. Fix these files and reload the page:",
    }[lang if lang in LANGS else "nl"]
    items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in error.problems)
    return HTML(
        f'{STYLE}<div class="kit-app kit-content-error"><div class="kit-error" role="alert">'
        f"<b>{title}</b><ul>{items}</ul></div></div>"
    )


def app_frame(
    name: str,
    build: Callable[[Ctx], w.Widget],
    lang: str | None = None,
    content: Content | None = None,
    session: bool = True,
) -> w.Widget:
    """The frame around every app: title bar, language switch, status line, the session bar
    (join a group session) and the body.

    Switching language or joining a session rebuilds the body; answers live in the frame's
    :class:`Memory`, so they survive both.
    """
    lang = pick_lang(lang)
    try:
        content = content or default_content()
    except ContentError as exc:
        log.error("content does not validate:\n%s", exc)
        return content_problem_panel(exc, lang)

    status = Status()
    title = w.HTML()
    switch = w.ToggleButtons(
        options=[("NL", "nl"), ("EN", "en")],
        value=lang,
        tooltips=["Nederlands", "English"],
        style={"button_width": "48px"},
    )
    switch.add_class("kit-lang")
    body = w.Box(layout=w.Layout(width="100%"))
    memory = Memory()
    current = {"lang": lang}
    bar = w.Box()
    frame = w.VBox(
        [
            w.HTML(STYLE),
            w.HBox(
                [title, switch],
                layout=w.Layout(justify_content="space-between", align_items="center"),
            ),
            bar,
            status,
            body,
        ],
    )
    frame.add_class("kit-app")
    frame.add_class(f"kit-app-{name}")

    def render(new_lang: str) -> None:
        current["lang"] = new_lang
        ctx = Ctx(content, new_lang, status, memory)
        switch.description = ctx.t("app.language")
        title.value = f"<h2>{html.escape(ctx.t(f'{name}.title'))}</h2>"
        status.clear()
        bar.children = [session_bar(ctx, lambda: render(current["lang"]))] if session else []
        body.children = [build(ctx)]

    @guarded(status, content.t("error.callback", lang))
    def on_lang(change: dict[str, Any]) -> None:
        render(change["new"])

    switch.observe(on_lang, names="value")
    render(lang)
    return frame


def session_bar(ctx: Ctx, rerender: Callable[[], None]) -> w.Widget:
    from kit.apps.session_bar import build_session_bar

    return build_session_bar(ctx, rerender)


def download_link(data: bytes, filename: str, mime: str, label: str, css: str) -> str:
    """A link that saves ``data`` as a file: works in Voila and JupyterLab without a server route."""
    b64 = base64.b64encode(data).decode("ascii")
    return (
        f'<a class="{css}" download="{esc(filename)}" href="data:{mime};base64,{b64}" '
        f'style="font-weight:bold">⬇ {esc(label)}</a>'
    )


def lazy_tabs(ctx: Ctx, pages: list[tuple[str, Callable[[], w.Widget]]]) -> w.Tab:
    """Tabs whose content is built when first opened: a page starts with the first tab's widgets
    only (every widget costs kernel and server time when the page loads)."""
    boxes = [w.VBox() for _ in pages]
    tabs = w.Tab(children=boxes)
    tabs.add_class("kit-tabs")
    built: set[int] = set()

    def build(index: int | None) -> None:
        if index is None or index in built:
            return
        built.add(index)
        boxes[index].children = [pages[index][1]()]

    for i, (title, _) in enumerate(pages):
        tabs.set_title(i, title)
    tabs.observe(ctx.guard(lambda change: build(change["new"])), names="selected_index")
    build(0)
    return tabs


def html_list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


def esc(text: str) -> str:
    return html.escape(text)
