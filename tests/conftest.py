"""Shared fixtures: a real Voila server for the whole run, and Debian's Chromium for Playwright."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import psutil
import pytest
import requests
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Frame,
    Page,
    Playwright,
    Request,
    WebSocket,
    expect,
)
from playwright.sync_api import Error as PlaywrightError

from kit.kernel_fork import is_kernel
from tests import wheel_env
from tests.wheel_env import WheelEnv

T = TypeVar("T")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
#: Debian's Chromium, the browser phones run (benchmarks and screenshots measure this one).
FULL_CHROMIUM = "/usr/bin/chromium"
#: Debian's headless shell of the same Chromium (package chromium-headless-shell, the browser
#: Playwright itself runs headless): the same Blink and V8 without the desktop browser's
#: layers. Measured here on the Quickscan page: 2.2 CPU-s per page load against 3.9 for the
#: full browser, which made the browser tests the larger half of `make test`'s CPU.
HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell"
#: The browser the tests drive: KIT_CHROMIUM, else the headless shell when it is installed.
CHROMIUM = os.environ.get("KIT_CHROMIUM") or (
    HEADLESS_SHELL if Path(HEADLESS_SHELL).exists() else FULL_CHROMIUM
)
IN_CI = bool(os.environ.get("CI"))
#: Flags for Debian's Chromium here: no sandbox as root, and no background calls to the internet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
#: What Voila shows when a cell fails (the page still answers HTTP 200).
VOILA_ERROR_MARKERS = ("There was an error when executing cell", "Traceback", "kit-content-error")
#: How long an ``expect`` waits for what a page should show. Playwright's 5 s is short for a
#: click that goes to a kernel and back while the other worker starts a server on the same two
#: cores (a fresh-clone run lost a red verdict that arrived later); a right page still passes at
#: once, a wrong one fails after this deadline. 20 s: runs side by side (load average 8-14).
expect.set_options(timeout=20_000)


def pytest_configure(config: pytest.Config) -> None:
    """Caches (validated content, chart PNGs) go to a fresh folder for the run, never to the
    user's ~/.cache: set before any kit module or Voila server reads them."""
    folder = Path(tempfile.mkdtemp(prefix="kit-test-cache-"))
    os.environ["XDG_CACHE_HOME"] = str(folder)
    os.environ["KIT_CHART_CACHE"] = str(folder / "charts")
    # One id for the whole run, inherited by pytest-xdist's workers: they share one wheel build.
    os.environ.setdefault("KIT_TEST_RUN", os.urandom(8).hex())
    # The learner's own store (kit/storage/own.py) stays off: a test's answers must not come back
    # in the next test's app, nor land in the user's data folder. Its own tests switch it on.
    os.environ["KIT_OWN_STORE"] = "off"


def pytest_unconfigure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the process that started the run
        wheel_env.remove()


def on_a_thread_of_its_own(work: Callable[[], T], timeout: float = 60) -> T:
    """Run ``work`` on a new thread and return its result (or raise its exception).

    For tests of code that looks for a running event loop: once a browser test ran in this
    worker, Playwright's sync API leaves its loop marked as running on the main thread, though
    nothing runs it between calls."""
    result: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"still running after {timeout} s")
    if failure:
        raise failure[0]
    return result[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class VoilaServer:
    """A Voila server started exactly as ``make serve`` starts it (kit.serve), on a free port."""

    def __init__(
        self,
        root: Path,
        extra: list[str] | None = None,
        env: dict[str, str] | None = None,
        room: int = 0,
        log_path: Path | None = None,
        startup: float = 60,
    ) -> None:
        """Start the server and wait up to ``startup`` seconds for its first answer (a room
        server starting its pool answers late). A server that does not answer is stopped."""
        from kit.serve import prepare

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db_url = (env or {}).get("KIT_DATABASE_URL", "")
        # A log of its own (the workers run servers side by side): a shared file would be
        # truncated by each new server and mix their lines.
        self.log_path = log_path or Path(tempfile.mkdtemp(prefix="kit-voila-")) / "voila.log"
        self.log = self.log_path.open("w")
        launch = prepare(root, room=room, ip="127.0.0.1", port=self.port, extra=extra, env=env)
        self.proc = subprocess.Popen(
            launch.argv,
            cwd=launch.cwd,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=launch.env,
            start_new_session=True,
        )
        deadline = time.monotonic() + startup
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.close()
                raise RuntimeError(f"voila exited with {self.proc.returncode}; see {self.log_path}")
            try:
                requests.get(f"{self.url}/voila/tree", timeout=10)
                return
            except requests.RequestException:  # not listening yet, or busy starting kernels
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"voila did not start within {startup:.0f} s; see {self.log_path}")

    def kernels(self) -> list[psutil.Process]:
        """The kernel processes this server runs (pooled or serving a page)."""
        found = []
        for p in psutil.Process(self.proc.pid).children(recursive=True):
            try:
                if is_kernel(p.cmdline(), p.parent().cmdline()):
                    found.append(p)
            except psutil.Error:  # ended (or a zombie) between listing and asking
                continue
        return found

    def log_size(self) -> int:
        """Where the log ends now: pass it to :meth:`log_since` to read one test's part."""
        self.log.flush()
        return self.log_path.stat().st_size

    def log_since(self, start: int) -> str:
        """What the server logged from ``start`` (a :meth:`log_size`) on."""
        with self.log_path.open(errors="replace") as log:
            log.seek(start)
            return log.read()

    def render_url(self, notebook: str, query: str = "") -> str:
        return f"{self.url}/voila/render/{notebook}" + (f"?{query}" if query else "")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """One server per pytest worker, shared by every browser test file that needs no server of
    its own (each start costs seconds of CPU). Its log is the worker's own: a test that reads
    it reads from where it started (:meth:`VoilaServer.log_since`)."""
    folder = tmp_path_factory.mktemp("voila")
    server = VoilaServer(
        NOTEBOOKS,
        env={"KIT_DATABASE_URL": f"sqlite:///{folder / 'groups.sqlite3'}"},
        log_path=folder / "voila.log",
    )
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, object]) -> dict[str, object]:
    """Use Debian's Chromium: Playwright's own browser download does not work here."""
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(f"{CHROMIUM} missing in CI: .ci/run should have installed chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium-headless-shell)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


#: Playwright's 30 s for a page load and for an action: a Voila page starts a kernel and runs
#: its notebook before it is loaded, and on a loaded machine that took longer (a loaded full run
#: lost a hub page and a file upload so). A ceiling only: a page that is there goes on at once.
#: 240 s: with a second suite beside this one (issue 26: three runs under load; six browser
#: workers on 2 cores, load average 18) a page's kernel start took over 120 s.
NAVIGATION_TIMEOUT_MS = 240_000
#: The same ceiling for a test's own wait for a freshly loaded page's first widgets.
PAGE_MS = NAVIGATION_TIMEOUT_MS
ACTION_TIMEOUT_MS = 60_000
#: A test's own wait for the kernel's answer to a click or a keystroke (a saved mark, a chart,
#: a link): a ceiling only, as above; 30 s was passed by a loaded run (load average 14).
ANSWER_MS = 90_000


#: What a test's browser state is cleared of (Storage.clearDataForOrigin): everything a page
#: keeps for its origin, but not the HTTP cache.
_ORIGIN_STORAGE = ",".join(
    (
        "cookies",
        "local_storage",
        "indexeddb",
        "websql",
        "service_workers",
        "cache_storage",
        "file_systems",
        "shared_storage",
        "storage_buckets",
    )
)


class CachedBrowser:
    """One Chromium profile per worker with a disk cache, for the `page` of every test that
    does not ask for a fresh context (`@pytest.mark.fresh_context`). A fresh context starts
    with an empty memory cache: every page load fetched and compiled Voila's 4.7 MB of
    JavaScript anew. With a disk cache, V8 reuses the compiled code: measured here 1.45
    instead of 2.05 CPU-s of Chromium per page load. Between tests the profile forgets what a
    page keeps (cookies, local storage, IndexedDB, permissions, every page closed), only the
    cached files stay; a returning visitor's browser holds them too."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.origins: set[str] = set()
        self.blank = context.pages[0] if context.pages else context.new_page()
        self.cdp = context.new_cdp_session(self.blank)
        context.on("request", self._seen)

    def _seen(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https"):
            self.origins.add(f"{parts.scheme}://{parts.netloc}")

    def forget(self) -> None:
        for page in self.context.pages:
            if page != self.blank:
                with contextlib.suppress(PlaywrightError):
                    page.close()
        for origin in sorted(self.origins):
            self.cdp.send(
                "Storage.clearDataForOrigin", {"origin": origin, "storageTypes": _ORIGIN_STORAGE}
            )
        self.origins.clear()
        self.context.clear_cookies()
        self.context.clear_permissions()


@pytest.fixture(scope="session")
def cached_browser(
    playwright: Playwright,
    browser_type_launch_args: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[CachedBrowser]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    context = playwright.chromium.launch_persistent_context(
        profile, **browser_type_launch_args, viewport={"width": 1280, "height": 720}
    )
    _watch_context(context)
    try:
        yield CachedBrowser(context)
    finally:
        context.close()


@pytest.fixture
def context(request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    """The context of a test's `page`: the worker's cached profile, cleared of what the last
    test's pages kept (:class:`CachedBrowser`), or a fresh one for a test marked
    `fresh_context` (one that installs a fake clock, closes its context or changes it for good;
    KIT_TEST_FRESH_CONTEXTS=1 gives every test a fresh one); with the kit's ceilings for slow
    pages."""
    cached: CachedBrowser | None = None
    if request.node.get_closest_marker("fresh_context") or os.environ.get(
        "KIT_TEST_FRESH_CONTEXTS"
    ):
        context = request.getfixturevalue("new_context")()
    else:
        cached = request.getfixturevalue("cached_browser")
        context = cached.context
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        yield context
    finally:
        if cached is not None:
            cached.forget()


# What the pages said, for a test that fails: every browser context of the running test (the
# `context` fixture's and every `browser.new_context()`) records its pages' console messages,
# uncaught errors, failed requests and kernel websockets opening and closing; a failed test's
# report gets them as a section. A page that sometimes never renders (seen twice in full runs)
# leaves nothing else to read.
_page_log: list[str] | None = None
_run_start = time.monotonic()


def _note(page_name: str, what: str) -> None:
    if _page_log is not None and len(_page_log) < 2000:
        _page_log.append(f"{time.monotonic() - _run_start:9.2f} {page_name} {what}"[:600])


def _watch_page(page: Page) -> None:
    name = f"page{id(page) % 10000:04d}"
    _note(name, f"opened {page.url}")

    def navigated(frame: Frame) -> None:
        if frame == page.main_frame:
            _note(name, f"at {frame.url}")

    page.on("framenavigated", navigated)
    page.on("console", lambda m: _note(name, f"console.{m.type}: {m.text}"))
    page.on("pageerror", lambda e: _note(name, f"error: {e}"))
    page.on("requestfailed", lambda r: _note(name, f"failed {r.method} {r.url}: {r.failure}"))
    page.on("crash", lambda _p: _note(name, "crashed"))

    def on_socket(ws: WebSocket) -> None:
        _note(name, f"websocket {ws.url}")
        ws.on("close", lambda w: _note(name, f"websocket closed {w.url}"))
        ws.on("socketerror", lambda err: _note(name, f"websocket error {err}"))

    page.on("websocket", on_socket)


def _watch_context(context: BrowserContext) -> BrowserContext:
    context.on("page", _watch_page)
    return context


_new_context = Browser.new_context


def _watched_new_context(self: Browser, *args: Any, **kwargs: Any) -> BrowserContext:
    return _watch_context(_new_context(self, *args, **kwargs))


Browser.new_context = _watched_new_context  # type: ignore[method-assign]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    global _page_log
    _page_log = []
    item.stash[_PAGE_LOG] = _page_log
    server = getattr(item, "funcargs", {}).get("voila_server")
    if isinstance(server, VoilaServer):
        item.stash[_SERVER_LOG] = (server, server.log_size())
    try:
        return (yield)
    finally:
        _page_log = None


_PAGE_LOG = pytest.StashKey[list[str]]()
_SERVER_LOG = pytest.StashKey[tuple[VoilaServer, int]]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    lines = item.stash.get(_PAGE_LOG, None)
    if call.when == "call" and report.failed and lines:
        report.sections.append(("what the pages said", "\n".join(lines)))
    if call.when == "call" and report.failed and _SERVER_LOG in item.stash:
        server, start = item.stash[_SERVER_LOG]
        report.sections.append(("what the shared server logged", server.log_since(start)[-20000:]))
    return report


_wheel_env: WheelEnv | None = None


#: Test files that take longest, longest first: with the workers taking whole files in order
#: (`make test` passes --no-loadscope-reorder: xdist would otherwise start the files with the
#: most tests first, which left the long browser files for the end, one worker alone on them),
#: starting with these keeps one worker from finishing a long file alone at the end. The order
#: is measured (sum of each file's test times in a full run, --durations=0; December 2026, the
#: headless shell): re-measure when files grow.
LONGEST_FIRST = (
    "test_room.py",
    "test_hub.py",
    "test_axe.py",
    "test_browser_apps.py",
    "test_exports_read.py",
    "test_browser_layout.py",
    "test_browser_reflow.py",
    "test_browser_room.py",
    "test_voila_render.py",
    "test_lockdown.py",
    "test_dark_theme.py",
    "test_lab.py",
    "test_content_rules.py",
    "test_content.py",
    "test_browser_dashboard.py",
    "test_browser_links.py",
    "test_phone_layout.py",
    "test_wire.py",
    "test_storage.py",
    "test_browser_plan.py",
    "test_browser_keyboard.py",
    "test_browser_keyboard_trainer.py",
    "test_kernel_binding.py",
    "test_browser_text.py",
    "test_browser_keyboard2.py",
    "test_browser_handoff.py",
    "test_kit_page_js.py",
)
#: ...and the wheel tests last: their environment is built in the background meanwhile.
LAST = ("test_wheel.py",)


def _order(item: pytest.Item) -> int:
    name = item.path.name
    if name in LAST:
        return len(LONGEST_FIRST) + 1
    return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)


# Last: after pytest's own -m/-k deselection, so `make test` (-m "not deploy") does not
# build the wheel that only `make test-deploy` installs.
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    global _wheel_env
    items.sort(key=_order)  # stable: within a file, and among the rest, collection order
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    # Installing the wheel is a minute of waiting for pip: start it now, beside the other tests.
    if _wheel_env is None and any("wheel_env" in getattr(i, "fixturenames", ()) for i in items):
        _wheel_env = WheelEnv()


@pytest.fixture(scope="session", name="wheel_env")
def wheel_env_fixture() -> Iterator[WheelEnv]:
    global _wheel_env
    env = _wheel_env or WheelEnv()
    try:
        yield env
    finally:
        env.stop()
        _wheel_env = None


def which(name: str) -> str | None:
    return shutil.which(name)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[object]:
    """A real PostgreSQL server for the whole run. Skips outside CI when none is installed."""
    from tests.pg import PgServer, pg_bin

    if pg_bin() is None:
        if IN_CI:
            pytest.fail(
                "PostgreSQL binaries missing in CI: .ci/run should have installed postgresql"
            )
        pytest.skip("PostgreSQL server binaries not installed (apt-get install postgresql)")
    server = PgServer(free_port())
    server.start()
    try:
        yield server
    finally:
        server.destroy()


# The PostgreSQL variant carries the `postgres` mark: `make mutation` leaves it out by mark.
@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kit.sqlite3'}"
        return
    import sqlalchemy as sa

    server = request.getfixturevalue("pg_server")
    name = f"t{os.getpid()}_{abs(hash(request.node.nodeid)) % 10**8}"
    admin = sa.create_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
