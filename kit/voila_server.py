"""The Voila server the kit runs (``python -m kit.voila_server NOTEBOOKS``): Voila with only the
routes the kit's pages need.

Bare Voila serving a folder also lists that folder (``/``, ``/voila/tree``, ``/voila/api/contents``)
and serves files from it (``/voila/files/``, images by default). Nothing of the kit lives there, so
those routes are gone: ``/`` sends a visitor to the landing page, ``/voila/render/`` renders only
a notebook name (``quickscan.ipynb``, no folders), and a request whose path holds a ``..``
segment (also written ``%2e%2e``) or a backslash is refused before any handler looks at it.
What stays is what a page loads: the page itself, Voila's and the template's static files, the
JupyterLab extensions (widgets), themes, and the kernel API with its websocket. Which routes
stay is tested (``tests/test_lockdown.py``) against a real server.

Run only by :func:`kit.serve.prepare` (this module imports the whole server stack).
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import hashlib
import hmac
import inspect
import ipaddress
import os
import re
import secrets
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from http.client import responses
from typing import Any
from urllib.parse import unquote

import voila.app
from jupyter_client.provisioning.local_provisioner import LocalProvisioner
from jupyter_server.services.kernels.kernelmanager import ServerKernelManager
from jupyter_server.utils import url_path_join
from tornado.log import app_log
from tornado.web import HTTPError, RedirectHandler, StaticFileHandler
from traitlets import default
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler
from voila.voila_kernel_manager import voila_kernel_manager_factory

from kit import kernel_fork
from kit.kernel_output import KERNEL_ARGUMENT
from kit.pool_policy import (
    POLL_SECONDS,
    PREHEAT_DEADLINE,
    READY_LOG,
    START_AT_ONCE,
    Preheat,
    failed,
    preheat_state,
    ready,
    ready_first,
    refill_may_start,
)
from kit.sessions import CODE_ALPHABET, CODE_LENGTH

#: The page ``/`` leads to.
LANDING = "voila/render/index.ipynb"
#: Route patterns (without the server's base URL) that expose the served folder: dropped.
DROPPED = (
    r"/voila/tree",
    r"/voila/api/contents",
    r"/voila/files/",
)
#: Route patterns answered 404: the login and logout pages of Jupyter's identity provider (the
#: kit has no accounts; bare Voila answered ``/logout`` with HTTP 500 and a traceback).
NO_ACCOUNTS = (r"/login", r"/logout")
#: The short join link on the projector, ``host:8866/K7Q2MX``: six characters of the session
#: codes' alphabet in either case (a phone capitalises what it likes). Without I, L, O, 0 and 1
#: no word of a route (``/logout``, ``/static``) looks like a code.
_CODE_CHARS = "".join(sorted(set(CODE_ALPHABET + CODE_ALPHABET.lower())))
JOIN = f"/([{_CODE_CHARS}]{{{CODE_LENGTH}}})"
#: The page a short join link leads to.
PARTICIPANT = "voila/render/deelnemer.ipynb"
#: A notebook name as the kit's links use it: no folders, no dots other than ``.ipynb``.
NOTEBOOK = r"/voila/render/([A-Za-z0-9_-]+\.ipynb)"
#: A template's static file, the only thing under ``/voila/templates/`` a page loads (anything
#: else there, such as ``kit/conf.json``, made Voila's handler fail with HTTP 500).
TEMPLATE_STATIC = r"/voila/templates/([A-Za-z0-9_-]+/static/.+)"
#: Routes that act on one kernel, its id their first argument: its model and DELETE, its
#: websocket, and Voila's shutdown beacon.
KERNEL_ROUTES = (r"/api/kernels/", r"/voila/api/shutdown/")
#: The cookies that bind a kernel to the page it serves (see :func:`kernel_mac`), one for the
#: kernel's API and one for its shutdown beacon (a name each: Tornado keeps one cookie per name).
KERNEL_COOKIES = ("kit_kernel", "kit_kernel_stop")
#: What an error answer says: the status in plain words, never a traceback or a server page.
ERROR_TEXT = {
    400: "Ongeldig verzoek / Bad request",
    403: "Geen toegang / Forbidden",
    404: "Niet gevonden / Not found",
    405: "Niet toegestaan / Method not allowed",
}


def hostile_path(path: str) -> bool:
    """Whether a request path tries to climb out of where a handler serves (decoded twice, so
    ``%252e%252e`` counts too).

    >>> hostile_path("/voila/templates/kit/static/kit-page.js")
    False
    >>> hostile_path("/voila/static/../../pyproject.toml"), hostile_path("/voila/static/%2e%2e/x")
    (True, True)
    >>> hostile_path("/voila/static/a%5c..%5cb"), hostile_path("/voila/static/x%00.js")
    (True, True)
    """
    decoded = unquote(unquote(path))
    parts = re.split(r"[/\\]", decoded)
    return ".." in parts or "\\" in decoded or "\x00" in decoded


def kernel_mac(kernel_id: str, secret: bytes) -> str:
    """The value of the cookie that lets a page use its kernel: an HMAC of the kernel's id with
    the server's secret. Nothing is stored: any server process with the secret can check it, a
    pooled kernel needs nothing set up in advance, and each tab holds its own kernel's cookie.

    >>> mac = kernel_mac("5f0c", b"secret")
    >>> len(mac), mac == kernel_mac("5f0c", b"secret"), mac == kernel_mac("5f0d", b"secret")
    (64, True, False)
    >>> mac == kernel_mac("5f0c", b"another server")
    False
    """
    return hmac.new(secret, kernel_id.encode(), hashlib.sha256).hexdigest()


def kernel_cookie_paths(server_url: str, kernel_id: str) -> tuple[str, str]:
    """Where the browser sends a kernel's cookies (:data:`KERNEL_COOKIES`): that kernel's API
    (its websocket included, below it) and Voila's shutdown beacon for it. No other page's
    requests carry them.

    >>> kernel_cookie_paths("/user/merel/", "5f0c")
    ('/user/merel/api/kernels/5f0c', '/user/merel/voila/api/shutdown/5f0c')
    """
    return (
        url_path_join(server_url, "api/kernels", kernel_id),
        url_path_join(server_url, "voila/api/shutdown", kernel_id),
    )


def may_use_kernel(kernel_id: str, cookie: str | None, secret: bytes) -> bool:
    """Whether a request carrying ``cookie`` may use the kernel ``kernel_id``.

    >>> mac = kernel_mac("5f0c", b"s")
    >>> may_use_kernel("5f0c", mac, b"s"), may_use_kernel("5f0d", mac, b"s")
    (True, False)
    >>> may_use_kernel("5f0c", None, b"s"), may_use_kernel("5f0c", "", b"s")
    (False, False)
    >>> may_use_kernel("5f0c", "é", b"s")  # compared as bytes: no TypeError, no HTTP 500
    False
    """
    if not cookie:
        return False
    return hmac.compare_digest(cookie.encode(), kernel_mac(kernel_id, secret).encode())


class _Binding:
    """The kernel manager as a page's handler sees it: every kernel the page starts or takes
    from a pool is reported to ``bind`` (which sets the page's cookie before the first byte)."""

    def __init__(self, manager: Any, bind: Callable[[str], None]) -> None:
        self._manager = manager
        self._bind = bind

    def __getattr__(self, name: str) -> Any:
        return getattr(self._manager, name)

    async def start_kernel(self, *args: Any, **kwargs: Any) -> Any:
        result = self._manager.start_kernel(*args, **kwargs)
        kernel_id = await result if inspect.isawaitable(result) else result
        self._bind(kernel_id)
        return kernel_id

    async def get_rendered_notebook(self, *args: Any, **kwargs: Any) -> Any:
        result = await self._manager.get_rendered_notebook(*args, **kwargs)
        self._bind(result[2])  # (render task, rendered cells, kernel id)
        return result


def over_https(protocol: str, remote_ip: str, forwarded_proto: str | None) -> bool:
    """Whether the visitor's browser reached the server over HTTPS: directly, or through a proxy
    on this machine that says so (the nginx example sets ``X-Forwarded-Proto``). The kernel
    cookies are then marked ``Secure``.

    >>> over_https("https", "192.0.2.7", None), over_https("http", "127.0.0.1", "https")
    (True, True)
    >>> over_https("http", "192.0.2.7", "https"), over_https("http", "127.0.0.1", None)
    (False, False)
    """
    if protocol == "https":
        return True
    return remote_ip in ("127.0.0.1", "::1") and (forwarded_proto or "").strip() == "https"


PROXY_HEADERS = ("X-Real-IP", "X-Forwarded-For", "Forwarded")


def this_machine() -> frozenset[str]:
    """This machine's own addresses (loopback and every interface's)."""
    import psutil

    found = {"127.0.0.1", "::1"}
    for addresses in psutil.net_if_addrs().values():
        found.update(a.address.split("%")[0] for a in addresses)
    return frozenset(found)


def kernel_may_wait(
    kernel_id: str, remote_ip: str, headers: Any, waiting: Any, local: frozenset[str]
) -> bool:
    """Whether a connection to ``/voila/query/<kernel_id>`` may be a pre-heated kernel waiting
    for its visitor's request (query string, language, address): the kernel itself, on this
    machine, not through a proxy, and the first for that kernel. Anyone else holding that
    socket would receive a visitor's personal code and leave her page waiting.

    >>> local = frozenset({"127.0.0.1", "192.168.1.20"})
    >>> kernel_may_wait("k1", "127.0.0.1", {}, {}, local)
    True
    >>> kernel_may_wait("k1", "192.168.1.20", {}, {}, local)  # a server on its LAN address
    True
    >>> kernel_may_wait("k1", "192.168.1.57", {}, {}, local)  # a phone in the room
    False
    >>> kernel_may_wait("k1", "127.0.0.2", {}, {}, local), kernel_may_wait("k1", "x", {}, {}, local)
    (True, False)
    >>> kernel_may_wait("k1", "127.0.0.1", {"X-Real-IP": "192.168.1.57"}, {}, local)  # nginx
    False
    >>> kernel_may_wait("k1", "127.0.0.1", {}, {"k1": object()}, local)  # the kernel waits
    False
    """
    try:
        here = remote_ip in local or ipaddress.ip_address(remote_ip).is_loopback
    except ValueError:
        here = False
    proxied = any(name in headers for name in PROXY_HEADERS)
    return here and not proxied and kernel_id not in waiting


def client_address(remote_ip: str, real_ip: str | None) -> str:
    """The visitor's address: the connection's, or, from a proxy on this machine (the nginx
    example sets ``X-Real-IP``), the one the proxy reports.

    >>> client_address("192.0.2.7", "198.51.100.1"), client_address("127.0.0.1", "198.51.100.1")
    ('192.0.2.7', '198.51.100.1')
    """
    if real_ip and remote_ip in ("127.0.0.1", "::1"):
        return real_ip.strip()[:64]
    return remote_ip


@functools.cache
def _local_addresses() -> frozenset[str]:
    return this_machine()


def _guarded(
    handler: type[Any],
    page: bool = False,
    kernel: bool = False,
    secret: bytes = b"",
    query: bool = False,
) -> type[Any]:
    """``handler`` with the path check run before it does anything; the page's kernel learns
    the visitor's address from the ``X-Kit-Client`` header set here (whatever the browser sent
    under that name is replaced). An error is answered in plain words (:data:`ERROR_TEXT`):
    Jupyter's error page needs settings Voila lacks, so every 403 or 404 became a traceback in
    the log (and ``/logout`` an HTTP 500).

    A ``page`` (the render route) also sets the ``_xsrf`` cookie. Voila's page script stops the
    page's kernel when the page is closed or reloaded (a beacon to ``/voila/api/shutdown/``
    carrying that cookie's token); bare Voila sets the cookie only on its folder listing, which
    the kit does not serve, so without this every closed page kept its kernel until the culler
    came (8-9 minutes later). And it binds the kernel it starts or takes from a pool to the
    visitor: an HttpOnly cookie, sent only with that kernel's requests
    (:func:`kernel_cookie_paths`), holding :func:`kernel_mac`. A ``kernel`` route (the kernel
    API, its websocket, the shutdown beacon) refuses with 403 whoever lacks that cookie: a
    kernel's id, seen on someone's screen or in a log, no longer lets anyone else read or
    change that participant's answers, or stop her page. The server's own culling does not go
    through these routes. The ``query`` route, where a pre-heated kernel waits for its visitor's
    request, takes only the kernel itself (:func:`kernel_may_wait`)."""

    class Guarded(handler):  # type: ignore[misc]
        async def prepare(self, *args: Any, **kwargs: Any) -> Any:
            if hostile_path(self.request.path):
                raise HTTPError(404)
            if kernel:
                # Jupyter's kernel routes name the id; Voila's shutdown route does not.
                kernel_id = self.path_kwargs.get("kernel_id") or "".join(self.path_args[:1])
                cookie = next(filter(None, map(self.get_cookie, KERNEL_COOKIES)), None)
                if not may_use_kernel(kernel_id, cookie, secret):
                    self.log.warning(
                        "refused %s for kernel %s: not its page", self.request.method, kernel_id
                    )
                    raise HTTPError(403)
            if query and not kernel_may_wait(
                self.path_kwargs.get("kernel_id") or "".join(self.path_args[:1]),
                self.request.remote_ip or "",
                self.request.headers,
                RequestInfoSocketHandler._waiters,
                _local_addresses(),
            ):
                app_log.warning("refused a request-info socket from %s", self.request.remote_ip)
                raise HTTPError(403)
            if page:
                configured = self.voila_configuration.template
                if self.get_query_argument("template", configured) != configured:
                    raise HTTPError(404)  # ?template=../x made Voila fail with HTTP 500
            headers = self.request.headers
            headers["X-Kit-Client"] = client_address(
                self.request.remote_ip or "", headers.get("X-Real-IP")
            )
            result = super().prepare(*args, **kwargs)
            if inspect.isawaitable(result):
                result = await result
            if page:  # after Jupyter's prepare: the token needs the current user
                self.xsrf_token  # noqa: B018 (reading it sets the cookie)
            return result

        if page:

            @property
            def kernel_manager(self) -> Any:
                return _Binding(super().kernel_manager, self._bind_kernel)

        def _bind_kernel(self, kernel_id: str) -> None:
            server_url = self.settings.get("server_url") or self.base_url
            paths = kernel_cookie_paths(server_url, kernel_id)
            for name, path in zip(KERNEL_COOKIES, paths, strict=True):
                self.set_cookie(
                    name,
                    kernel_mac(kernel_id, secret),
                    path=path,
                    httponly=True,
                    samesite="Strict",
                    secure=over_https(
                        self.request.protocol,
                        self.request.remote_ip or "",
                        self.request.headers.get("X-Forwarded-Proto"),
                    ),
                )

        def write_error(self, status_code: int, **kwargs: Any) -> None:
            self.clear_header("Content-Type")
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(
                f"{status_code}: {ERROR_TEXT.get(status_code, responses.get(status_code, 'Error'))}\n"
            )

    Guarded.__name__ = Guarded.__qualname__ = f"Kit{handler.__name__}"
    return Guarded


# --------------------------------------------------------------------------- on the wire

#: What a content-hashed asset may be cached as: a year, never revalidated.
IMMUTABLE = "public, max-age=31536000, immutable"
#: Everything else a page loads is revalidated (HTTP 304 when unchanged).
REVALIDATE = "no-cache"
#: A file name carrying its content's hash (webpack: ``remoteEntry.5cbb9d2323598fbda535.js``,
#: ``718.a7a3f80ef4813fab.js``, ``9834b82ad26e2a37583d.woff2``).
HASHED_NAME = re.compile(r"(^|[./-])[0-9a-f]{16,}\.[a-z0-9]+$")
#: Responses smaller than this are sent as they are (as Tornado's own gzip does).
GZIP_MIN_BYTES = 1024
#: Types worth compressing (fonts and images are compressed already).
COMPRESSIBLE = re.compile(r"^(text/|application/(javascript|x-javascript|json|xml)|image/svg)")


def cache_control(path: str, versioned: bool, immutable_prefix: str = "") -> str:
    """The ``Cache-Control`` of a static file: immutable when its URL names its content (a hash
    in the file name, Tornado's ``?v=<hash>``, or the versioned Voila static route), else
    revalidated, so that a changed file is never served stale.

    >>> cache_control("/voila/labextensions/x/static/remoteEntry.5cbb9d2323598fbda535.js", False)
    'public, max-age=31536000, immutable'
    >>> cache_control("/voila/templates/kit/static/index.css", True)
    'public, max-age=31536000, immutable'
    >>> cache_control("/voila/templates/kit/static/9834b82ad26e2a37583d.woff2", False)
    'public, max-age=31536000, immutable'
    >>> cache_control("/voila/static/1996.voila.js", False)
    'no-cache'
    >>> cache_control("/voila/static/v0a1b2c3d4e5f/1996.voila.js", False, "/voila/static/v0a1b2c3d4e5f/")
    'public, max-age=31536000, immutable'
    >>> cache_control("/voila/templates/kit/static/kit-page.js", False)  # the liveness probe
    'no-cache'
    """
    name = path.rsplit("/", 1)[-1]
    if versioned or HASHED_NAME.search(name):
        return IMMUTABLE
    if immutable_prefix and path.startswith(immutable_prefix):
        return IMMUTABLE
    return REVALIDATE


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether a request's ``Accept-Encoding`` allows gzip (``gzip;q=0`` refuses it).

    >>> accepts_gzip("gzip, deflate, br"), accepts_gzip("br;q=1.0, gzip;q=0.5")
    (True, True)
    >>> accepts_gzip(""), accepts_gzip("identity"), accepts_gzip("gzip;q=0")
    (False, False, False)
    """
    for part in accept_encoding.lower().split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() in ("gzip", "*"):
            q = params.strip().removeprefix("q=")
            try:
                return not q or float(q) > 0
            except ValueError:
                return False
    return False


@functools.lru_cache(maxsize=512)
def _gzipped(path: str, mtime: float, size: int) -> bytes:
    """A file's gzip, compressed once per version of the file (level 9, no timestamp: the same
    bytes every time), then held in memory: a room's thirty phones cost one compression."""
    with open(path, "rb") as f:
        return gzip.compress(f.read(), compresslevel=9, mtime=0)


def static_token(static_paths: Iterable[str], version: str) -> str:
    """A short name for this exact set of Voila's static files (their names, sizes and
    modification times, and Voila's version): the versioned static route carries it, so a new
    Voila gets new URLs and an immutable cache never serves an old file.

    >>> len(static_token([], "0.5.13")), static_token([], "0.5.13") == static_token([], "0.5.14")
    (12, False)
    """
    digest = hashlib.sha256(version.encode())
    for root in static_paths:
        if not os.path.isdir(root):
            continue
        for entry in sorted(os.scandir(root), key=lambda e: e.name):
            if entry.is_file():
                st = entry.stat()
                digest.update(f"{entry.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:12]


def _wire(handler: type[Any], immutable_prefix: str) -> type[Any]:
    """A static file handler whose text files go out gzip-compressed (once per file, from
    memory) and whose caching follows :func:`cache_control`.

    Tornado's own ``compress_response`` compresses each response again (a room's thirty phones,
    thirty times 5 MB on two cores) and Voila sets it too late to take effect
    (``Voila.tornado_settings`` is applied after the application is built); the kit turns it on
    where it works (:meth:`KitVoila.init_settings`) for the page and the API, and serves the
    static files from here."""

    # Not for handlers that make their content (Jupyter's themes rewrite their CSS): Tornado's
    # own gzip takes those.
    own = getattr(getattr(handler, "get_content", None), "__func__", None)
    precompress = own is StaticFileHandler.get_content.__func__  # type: ignore[attr-defined]

    class Wire(handler):  # type: ignore[misc]
        _kit_gzip: bytes | None = None

        def set_headers(self) -> None:
            super().set_headers()
            self.set_header(
                "Cache-Control",
                cache_control(self.request.path, "v" in self.request.arguments, immutable_prefix),
            )
            if self._kit_gzip is not None:
                self.set_header("Content-Encoding", "gzip")
                self.set_header("Vary", "Accept-Encoding")

        def compute_etag(self) -> str | None:
            etag: str | None = super().compute_etag()
            if etag and self._kit_gzip is not None:
                return etag[:-1] + '-gzip"'
            return etag

        async def _compressed(self) -> bytes | None:
            if not precompress or self.request.headers.get("Range"):
                return None
            if not accepts_gzip(self.request.headers.get("Accept-Encoding", "")):
                return None
            if not COMPRESSIBLE.match(self.get_content_type() or ""):
                return None
            st = os.stat(self.absolute_path)
            if st.st_size < GZIP_MIN_BYTES:
                return None
            # The first compression of a file (up to ~30 ms) runs beside the server's loop, so
            # the pages' websockets never wait for it; after that it comes from memory.
            return await asyncio.get_running_loop().run_in_executor(
                None, _gzipped, self.absolute_path, st.st_mtime, st.st_size
            )

        async def get(self, path: str, include_body: bool = True) -> None:
            if not precompress:
                await super().get(path, include_body)
                return None
            self.path = self.parse_url_path(path)
            absolute = self.get_absolute_path(self.root, self.path)
            self.absolute_path = self.validate_absolute_path(self.root, absolute)
            if self.absolute_path is None:
                return None
            self._kit_gzip = await self._compressed()
            if self._kit_gzip is None:
                await super().get(path, include_body)
                return None
            self.modified = self.get_modified_time()
            self.set_headers()
            if self.should_return_304():
                self.set_status(304)
                return None
            self.set_header("Content-Length", len(self._kit_gzip))
            if include_body:
                self.write(self._kit_gzip)
            return None

    if getattr(handler.get, "__allow_unauthenticated", False):  # Jupyter's FileFindHandler
        setattr(Wire.get, "__allow_unauthenticated", True)
    Wire.__name__ = Wire.__qualname__ = handler.__name__
    return Wire


def allowed_handlers(
    handlers: Sequence[tuple[Any, ...]], server_url: str, secret: bytes, token: str = ""
) -> list[tuple[Any, ...]]:
    """Voila's handlers minus the folder and account routes, with the landing redirect and the
    narrowed render and template routes; every handler checks the path first, and the kernel
    routes the kernel's cookie (signed with ``secret``). Static files go out compressed and
    cached by their URL (:func:`_wire`); with a ``token`` (:func:`static_token`) Voila's static
    files are also served, immutable, under ``/voila/static/<token>/`` (the pages load them
    from there: :func:`versioned_static`)."""
    out: list[tuple[Any, ...]] = [
        (
            url_path_join(server_url, "/"),
            RedirectHandler,
            {"url": url_path_join(server_url, LANDING)},
        ),
        (
            url_path_join(server_url, JOIN),
            RedirectHandler,
            {"url": url_path_join(server_url, PARTICIPANT) + "?session={0}"},
        ),
    ]
    dropped = tuple(url_path_join(server_url, d) for d in DROPPED)
    render = url_path_join(server_url, "/voila/render/")
    templates = url_path_join(server_url, "/voila/templates/")
    kernel_routes = tuple(url_path_join(server_url, k) for k in KERNEL_ROUTES)
    static = url_path_join(server_url, "/voila/static/")
    immutable = url_path_join(static, token, "/") if token else ""
    for pattern, handler, *rest in handlers:
        if not isinstance(pattern, str) or pattern.rstrip("/") == server_url.rstrip("/"):
            continue  # the folder listing at "/"
        if pattern.startswith(dropped) or pattern.rstrip("/").endswith(NO_ACCOUNTS):
            continue  # (the account routes come without the server's base URL)
        page = pattern.startswith(render)
        if page:
            pattern = url_path_join(server_url, NOTEBOOK)
        elif pattern.startswith(templates):
            pattern = url_path_join(server_url, TEMPLATE_STATIC)
        kernel = pattern.startswith(kernel_routes)
        query = pattern.startswith(url_path_join(server_url, "/voila/query/"))
        if isinstance(handler, type) and issubclass(handler, StaticFileHandler):
            handler = _wire(handler, immutable)
            if immutable and pattern.startswith(static):
                versioned = url_path_join(immutable, "(.*)")
                out.append((versioned, _guarded(handler, page, kernel, secret, query), *rest))
        out.append((pattern, _guarded(handler, page, kernel, secret, query), *rest))
    return out


def versioned_static(token: str) -> Callable[..., dict[str, Any]]:
    """A Voila ``page_config_hook`` that points a page at Voila's static files under the
    versioned route (``…/voila/static/<token>``): ``voila.js`` and every chunk it loads (webpack
    loads them from ``fullStaticUrl``) then come from URLs that name their version, which the
    browser keeps for a year without asking again.

    >>> hook = versioned_static("0a1b2c3d4e5f")
    >>> hook({"fullStaticUrl": "/voila/static", "baseUrl": "/"}, base_url="/")["fullStaticUrl"]
    '/voila/static/0a1b2c3d4e5f'
    """

    def hook(page_config: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        base = kwargs.get("base_url") or page_config.get("baseUrl") or "/"
        return {**page_config, "fullStaticUrl": url_path_join(base, "voila/static", token)}

    return hook


class ForkedKernelManager(ServerKernelManager):
    """jupyter_server's kernel manager, whose kernels are forked from the kit's warm fork server
    (:mod:`kit.kernel_fork`) instead of started as new Python processes; the usual start when
    forking is off or fails (said once in the log)."""

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        provisioner = self.provisioner
        args = kernel_fork.launcher_args(kernel_cmd)
        fork = kernel_fork.server()
        if args is None or not kernel_fork.enabled() or type(provisioner) is not LocalProvisioner:
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        env = {str(k): str(v) for k, v in (kw.get("env") or os.environ).items()}
        cwd = str(kw.get("cwd") or os.getcwd())
        try:
            process = await fork.spawn(args, env, cwd)
        except RuntimeError as exc:
            if not fork.reported:
                fork.reported = True
                self.log.warning(
                    "kernels start the usual way from now on: the fork server failed (%s)", exc
                )
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        # What LocalProvisioner.launch_kernel records of a process it started itself.
        provisioner.process = process  # type: ignore[assignment]
        provisioner.pid = provisioner.pgid = process.pid
        provisioner.cwd = cwd
        self._reconcile_connection_info(provisioner.connection_info)
        return None


def ready_first_pools(base_class: Any, preheat_kernel: bool, *args: Any, **kwargs: Any) -> Any:
    """Voila's kernel manager, whose pools hand out only kernels that are ready and refill
    without getting in a room's way.

    Voila refills a pool the moment a page takes a kernel, and puts the refill in the pool at
    once, still starting; the next visitor then waits for that kernel (in a second burst of a
    room: 30 refills and 30 visitors' kernels starting together, measured twice as slow as no
    pool at all). Here a visitor gets a ready kernel or, when none is ready, a kernel of their
    own, as without a pool. Refills start :data:`START_AT_ONCE` at a time, each once no page was
    asked for during :data:`QUIET_SECONDS` (:func:`refill_may_start`), and the next starts when
    the previous one has run its notebook up to ``wait_for_request()``: a latecomer shares the
    processor with at most two refills, never with thirty.
    """

    class KitKernels(base_class):  # type: ignore[misc]
        """Kernels whose ``stderr`` (warnings, tracebacks) goes to the server's log only, never
        over the page's websocket (:mod:`kit.kernel_output`). Below Voila's pools, which start
        their kernels with ``super().start_kernel``."""

        async def start_kernel(self, *a: Any, **kw: Any) -> Any:
            kw["extra_arguments"] = [*kw.get("extra_arguments", ()), KERNEL_ARGUMENT]
            return await super().start_kernel(*a, **kw)

        @default("kernel_manager_class")
        def _forked_kernels(self) -> str:
            return f"{ForkedKernelManager.__module__}.{ForkedKernelManager.__qualname__}"

        async def cull_kernel_if_idle(self, kernel_id: str) -> Any:
            # jupyter_server's culler lists the kernels, then looks each one up: a kernel whose
            # page closed in between is gone, and the lookup's KeyError went to the log as an
            # ERROR with a traceback (a full run caught one). Gone is what culling wants.
            if kernel_id not in self._kernels:
                return None
            return await super().cull_kernel_if_idle(kernel_id)

    manager = voila_kernel_manager_factory(KitKernels, preheat_kernel, *args, **kwargs)
    if not preheat_kernel:
        return manager

    class ReadyFirst(manager):  # type: ignore[misc,valid-type]
        _last_visit = 0.0
        _starting: asyncio.Semaphore | None = None

        def _ready(self, notebook_name: str) -> list[Any]:
            pool = self._pools.get(notebook_name, [])
            lost = failed(pool)
            if lost:  # a kernel that failed to start never serves anyone: start another
                for task in lost:
                    self.log.warning("a pre-heated kernel for %s failed to start", notebook_name)
                    pool.remove(task)
                self.fill_if_needed(notebook_name=notebook_name)
            return ready(pool)

        def get_pool_size(self, notebook_name: str) -> int:
            # Voila asks this for every page it renders: the moment of the last visit.
            self._last_visit = time.monotonic()
            return len(self._ready(notebook_name))

        async def get_rendered_notebook(self, notebook_name: str, *a: Any, **kw: Any) -> Any:
            if self._ready(notebook_name):  # Voila takes the pool's first kernel: a ready one
                ready_first(self._pools[notebook_name])
            return await super().get_rendered_notebook(notebook_name, *a, **kw)

        async def _initialize(
            self, notebook_path: str, kernel_id: str | None = None, **kw: Any
        ) -> Any:
            if kernel_id is not None:  # a pooled kernel restarted: as Voila does it
                return await super()._initialize(notebook_path, kernel_id, **kw)
            if self._starting is None:
                self._starting = asyncio.Semaphore(START_AT_ONCE)
            async with self._starting:
                waiting_since = time.monotonic()
                while not refill_may_start(time.monotonic(), self._last_visit, waiting_since):
                    await asyncio.sleep(POLL_SECONDS)
                content = await super()._initialize(notebook_path, None, **kw)
                await self._preheated(content, notebook_path)
            return content

        async def _preheated(self, content: dict[str, Any], notebook: str = "") -> None:
            """Until the kernel waits for its visitor (it holds the request-info websocket),
            its render ended, or :data:`PREHEAT_DEADLINE` passed; logs which."""
            end = time.monotonic() + PREHEAT_DEADLINE
            kernel_id, task = content["kernel_id"], content["task"]
            while (
                state := preheat_state(
                    time.monotonic(),
                    end,
                    task.done(),
                    kernel_id in RequestInfoSocketHandler._waiters,
                )
            ) is Preheat.STARTING:
                await asyncio.sleep(POLL_SECONDS)
            if state is Preheat.READY:
                self.log.info(READY_LOG, kernel_id, notebook)
            elif state is Preheat.ENDED:
                self.log.warning(
                    "pre-heated kernel %s for %s ended its render without waiting for a visitor",
                    kernel_id,
                    notebook,
                )
            else:
                self.log.warning(
                    "pre-heated kernel %s for %s did not wait for its visitor within %.0f s",
                    kernel_id,
                    notebook,
                    PREHEAT_DEADLINE,
                )

    return ReadyFirst


def request_info_host(ip: str) -> str | None:
    """Where a pre-heated kernel finds this server to wait for its visitor's request, when not
    at Voila's default ``127.0.0.1``: a server listening on one address answers only there.
    Without this a room server on ``--host 192.168.1.20`` had pools whose kernels never reached
    their wait, and every visitor of a pooled page lost her URL (session, language).

    >>> request_info_host("0.0.0.0") is None, request_info_host("::") is None
    (True, True)
    >>> request_info_host("192.168.1.20"), request_info_host("fd00::1"), request_info_host("localhost")
    ('192.168.1.20', '[fd00::1]', 'localhost')
    """
    if ip in ("", "0.0.0.0", "::", "*"):
        return None  # every interface: 127.0.0.1 answers
    return f"[{ip}]" if ":" in ip else ip


class KitVoila(Voila):  # type: ignore[misc]
    """Voila serving the kit's notebooks and nothing else, from pools that hand out only ready
    kernels."""

    #: Names this set of Voila's static files in their URLs (:func:`static_token`).
    static_token = ""

    def init_settings(self) -> Any:
        # Voila builds its kernel manager here from this module-level factory.
        voila.app.voila_kernel_manager_factory = ready_first_pools
        host = request_info_host(self.ip)
        if host:  # pre-heated kernels inherit the server's environment (voila.utils reads it)
            os.environ["VOILA_APP_IP"] = host
        self.static_token = static_token(self.static_paths, voila.__version__)
        # Before Voila's settings: its pools take the hook from here too (pre-heated pages).
        self.voila_configuration.page_config_hook = versioned_static(self.static_token)
        settings = super().init_settings()
        # Tornado adds its gzip transform only while the application is built from these
        # settings; Voila's own `tornado_settings` come after that and cannot turn it on. It
        # compresses the page and the API answers; static files come compressed already.
        settings["compress_response"] = True
        return settings

    #: Signs the kernel cookies: new for every start (the kernels do not outlive the server).
    kernel_secret = secrets.token_bytes(32)

    def init_handlers(self) -> list[tuple[Any, ...]]:
        return allowed_handlers(
            super().init_handlers(), self.server_url, self.kernel_secret, self.static_token
        )


main = KitVoila.launch_instance

if __name__ == "__main__":
    sys.exit(main())
