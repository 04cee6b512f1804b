"""Building blocks shared by every app: URL parameters, language, error surfacing, the frame.

Voila swallows exceptions raised in widget callbacks (nothing on the page, nothing in the log), so
every callback goes through :func:`guarded`, which logs the traceback and shows a message in the
app's status line.

Logged where an operator looks: inside a kernel, ``sys.stderr`` is a stream to the browser, so
the kit's warnings and errors would never reach the server's log. :func:`log_to_server` sends
them to the kernel process's own stderr (``sys.__stderr__``), which the Voila server's process
passed on to it, so they appear in the server's log with the kernel's process id.
"""

from __future__ import annotations

import base64
import functools
import html
import logging
import os
import secrets
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar
from urllib.parse import parse_qs

import ipywidgets as w

from kit.content import LANGS, ContentError
from kit.formats import Maker
from kit.group import Memory, store_full
from kit.present.texts import Texts

log = logging.getLogger("kit")
P = ParamSpec("P")


class _ServerLog(logging.StreamHandler):  # type: ignore[type-arg]
    """The kit's log records on the process's real stderr."""


def log_to_server(level: int = logging.WARNING) -> None:
    """Send the kit's warnings and errors (tracebacks included) to the server's log; once per
    process."""
    stream = sys.__stderr__
    if stream is None or any(isinstance(h, _ServerLog) for h in log.handlers):
        return
    handler = _ServerLog(stream)
    handler.setLevel(level)
    handler.setFormatter(
        logging.Formatter("[kit %(levelname)s %(asctime)s kernel pid %(process)d] %(message)s")
    )
    log.addHandler(handler)
    if log.level == logging.NOTSET or log.level > level:
        log.setLevel(level)


log_to_server()


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


def client_address(environ: Mapping[str, str] | None = None) -> str:
    """Who is guessing, for limiting guesses per client: on a JupyterHub the logged-in user (the
    hub sets ``JUPYTERHUB_USER`` for the user's server; a browser cannot change it, while a
    header it sends reaches the kernel unchecked there); on the kit's own server the visitor's
    address as the server saw it (``kit/voila_server.py`` hands it to the kernel); else "".

    >>> client_address({"HTTP_X_KIT_CLIENT": "192.0.2.7"}), client_address({})
    ('192.0.2.7', '')
    >>> client_address({"JUPYTERHUB_USER": "merel", "HTTP_X_KIT_CLIENT": "spoofed"})
    'hub-user:merel'
    """
    env = os.environ if environ is None else environ
    if env.get("JUPYTERHUB_USER"):
        return f"hub-user:{env['JUPYTERHUB_USER']}"[:64]
    return env.get("HTTP_X_KIT_CLIENT", "")[:64]


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


def store_problem(t: Callable[..., str], exc: Exception, trainer: bool = False) -> str:
    """What to say when the group store failed (``exc``: a :class:`kit.storage.StorageError`).

    A store that cannot be reached may come back: try again. A damaged database file will not:
    participants are told to tell the trainer, the trainer where the last good copy is."""
    if not trainer and store_full(exc):
        return str(t("session.error.full"))
    if not getattr(exc, "damaged", False):
        return str(t("group.db_down" if trainer else "session.error.db"))
    if not trainer:
        return str(t("session.error.damaged"))
    backup = getattr(exc, "backup", None)
    if backup is None:
        return str(t("group.error.damaged_no_backup"))
    database = getattr(exc, "database", None) or backup.parent.with_suffix("")
    # ``python -m kit restore`` takes the copy's name as ``python -m kit backups`` lists it.
    return str(t("group.error.damaged_restore", backup=backup.name, database=database))


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


#: Characters of a failure reference: no look-alikes (0/O, 1/I/L), so it is read out right.
REF_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def failure_reference() -> str:
    """A short reference for one failure: the user reads it out, the operator finds the
    details under it in the server's log.

    >>> ref = failure_reference()
    >>> len(ref), set(ref) <= set(REF_ALPHABET)
    (4, True)
    """
    return "".join(secrets.choice(REF_ALPHABET) for _ in range(4))


def log_failure(what: str, *args: object) -> str:
    """Log the exception being handled (traceback included) under a new reference; returns it.
    What the exception says stays in the log: it may be driver text, a path or a query."""
    ref = failure_reference()
    log.exception(f"[ref {ref}] {what}", *args)
    return ref


def plain_reference(ref: str) -> str:
    return f"ref. {ref}"


def guarded(
    status: Status, message: str, reference: Callable[[str], str] = plain_reference
) -> Callable[[Callable[P, Any]], Callable[P, None]]:
    """Wrap a widget callback: on error, log the traceback under a short reference and show
    ``message`` with that reference (``reference(ref)``, in the page's language) in
    ``status``; never the exception's own text."""

    def decorate(fn: Callable[P, Any]) -> Callable[P, None]:
        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
            try:
                fn(*args, **kwargs)
            except Exception:
                ref = log_failure("callback %s failed", fn.__name__)
                status.error(f"{message} ({reference(ref)})")

        return wrapper

    return decorate


@dataclass
class Ctx(Texts):
    """What a screen needs: the content and language (:class:`Texts`), the status line and the
    answer memory."""

    status: Status
    memory: Memory = field(default_factory=Memory)

    def guard(self, fn: Callable[P, Any]) -> Callable[P, None]:
        return guarded(self.status, self.t("error.callback"), self.reference)(fn)

    def reference(self, ref: str) -> str:
        """A failure's reference as the page says it ("kenmerk 7KQ2", "ref. 7KQ2")."""
        return str(self.t("error.ref", ref=ref))

    # ---- alone (issue 25): prompts meant for a group, said to one person
    def t(self, key: str, **values: object) -> str:
        """A UI text; without a session (none joined, none in the URL) its ``<key>.alone``
        variant where ui.yaml has one: "bespreek het in de groep" becomes a question she can
        answer herself."""
        alone = f"{key}.alone"
        if alone in self.content.ui and self.memory.client is None and self.memory.session is None:
            key = alone
        return self.content.t(key, self.lang, **values)

    def failed(self, what: str) -> str:
        """The message for a failure being handled: logged under a reference, said in words."""
        ref = log_failure(what)
        return f"{self.t('error.callback')} ({self.reference(ref)})"


def _stylesheet() -> str:
    from importlib.resources import files

    sheets = [
        files("kit.apps").joinpath(name).read_text("utf-8") for name in ("kit.css", "room.css")
    ]
    return "<style>\n" + "\n".join(sheets) + "</style>"


#: The stylesheets as an HTML snippet (``kit/apps/*.css``), read once per kernel.
STYLE = _stylesheet()


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


def maker(ctx: Ctx, subject: str = "", subject_id: str = "", title: str = "") -> Maker:
    """Who makes an export now: in a session the alias and the join code, else the name typed
    in :func:`name_field` (if any); ``subject`` is ``case``, ``intervention``, ``own`` or ""."""
    client = ctx.memory.client
    name = client.alias if client is not None else str(ctx.memory.view.get("maker.name", ""))
    code = client.info.code if client is not None else ""
    kind: Any = subject if subject in ("case", "intervention", "own") else ""
    return Maker(name=name, session=code, subject=kind, title=title, subject_id=subject_id)


#: The longest name a learner may put on her files (an alias has 30; a full name a bit more).
NAME_MAX = 60


def name_field(ctx: Ctx) -> w.Widget:
    """Beside an app's export buttons: in a session, the alias and code the files will carry;
    alone, a field for the name to put on them (kept in the page's memory, cleaned as every
    typed text, never stored anywhere else)."""
    from kit.text import TooLong, clean

    client = ctx.memory.client
    if client is not None:
        said = w.HTML(
            '<p class="kit-muted">'
            f"{esc(ctx.t('export.name_joined', alias=client.alias, code=client.info.code))}</p>"
        )
        said.add_class("kit-maker-joined")
        return said
    field_ = w.Text(
        value=str(ctx.memory.view.get("maker.name", "")),
        description=ctx.t("export.name_field"),
        style={"description_width": "initial"},
        layout=w.Layout(width="100%", max_width="420px"),
        continuous_update=False,
    )
    field_.add_class("kit-maker-name")
    hint = w.HTML(f'<p class="kit-muted">{esc(ctx.t("export.name_hint"))}</p>')

    def keep(change: dict[str, Any]) -> None:
        try:
            ctx.memory.view["maker.name"] = clean(change["new"], NAME_MAX)
        except TooLong as exc:
            ctx.memory.view["maker.name"] = ""
            ctx.status.error(ctx.t("text.too_long", n=exc.excess, limit=exc.limit))

    field_.observe(ctx.guard(keep), names="value")
    box = w.VBox([field_, hint])
    box.add_class("kit-maker")
    return box


def download_link(data: bytes, filename: str, mime: str, label: str, css: str) -> str:
    """A link that saves ``data`` as a file: works in Voila and JupyterLab without a server route."""
    b64 = base64.b64encode(data).decode("ascii")
    return (
        f'<a class="{css}" download="{esc(filename)}" href="data:{mime};base64,{b64}" '
        f'style="font-weight:bold">⬇ {esc(label)}</a>'
    )


def lazy_tabs(ctx: Ctx, name: str, pages: list[tuple[str, Callable[[], w.Widget]]]) -> w.Tab:
    """Tabs whose content is built when first opened: a page starts with the open tab's widgets
    only (every widget costs kernel and server time when the page loads). The open tab is kept
    in the answer memory under ``name``, so a rebuilt screen (language switch) opens it again."""
    lean = Lean()  # (the boxes keep the default look: one Layout for all)
    boxes = [lean(w.VBox) for _ in pages]
    start = ctx.memory.view.get(name, 0)
    start = start if isinstance(start, int) and 0 <= start < len(pages) else 0
    # The titles and the class at birth: set afterwards, each is one more message to the page.
    titles = tuple(title for title, _ in pages)
    tabs = w.Tab(children=boxes, selected_index=start, titles=titles, _dom_classes=("kit-tabs",))
    built: set[int] = set()

    def build(index: int | None) -> None:
        if index is None:
            return
        ctx.memory.view[name] = index
        if index in built:
            return
        built.add(index)
        boxes[index].children = [pages[index][1]()]

    tabs.observe(ctx.guard(lambda change: build(change["new"])), names="selected_index")
    build(start)
    return tabs


def html_list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


def esc(text: str) -> str:
    return html.escape(text)


def every(seconds: float, fn: Callable[[], None], ctx: Ctx, what: str) -> Any:
    """Run ``fn`` every few seconds on the kernel's event loop (a started tornado
    PeriodicCallback, or None outside a kernel). A failure is logged and shown in the status line:
    a timer has nobody above it to report to."""

    def tick() -> None:
        try:
            fn()
        except Exception:
            ctx.status.error(ctx.failed(f"{what} failed"))

    try:
        from tornado.ioloop import PeriodicCallback

        timer = PeriodicCallback(tick, seconds * 1000)
        timer.start()
    except RuntimeError:  # pragma: no cover - no event loop outside a kernel
        return None
    return timer


# --------------------------------------------------------------------------- lean widgets (roomperf)

W = TypeVar("W", bound=w.Widget)


class Lean:
    """Makes widgets that share one Layout (and one style model per kind) and get their CSS
    classes at birth. Every ipywidget otherwise opens its own Layout model (about 1 kB on the
    wire, all its fields empty) and style model in the page, and each ``add_class`` after
    creation is one more message: an app of a hundred widgets sent three messages per widget to
    the kernel's page, all of them through the same queue as the next step of a led room.

    Only for widgets whose layout and style stay as they are: a widget whose ``layout`` is
    changed later (``layout.display = "none"``) needs a layout of its own (pass ``layout=``)."""

    def __init__(self) -> None:
        self.layout = w.Layout()
        self._styles: dict[type, w.Widget] = {}

    def __call__(self, cls: type[W], *classes: str, **kwargs: Any) -> W:
        kwargs.setdefault("layout", self.layout)
        trait = cls.class_traits().get("style")
        if trait is not None and "style" not in kwargs:
            klass = trait.klass
            if klass not in self._styles:
                self._styles[klass] = klass()
            kwargs["style"] = self._styles[klass]
        if classes:
            kwargs["_dom_classes"] = classes
        made: W = cls(**kwargs)
        return made
