"""``make bench``: the kit served to a room, measured on this machine. Not part of ``make test``.

Every server is started exactly as ``make serve`` starts it (``kit.serve.prepare``), on a temporary
folder holding the kit's notebooks and ``benchmarks/baseline.ipynb`` (one IntSlider driving a
pyplot bar chart: bare Voila). Phases:

1. **render**: server render time (HTTP until the last byte) and kernel RSS per page, median of
   ``BENCH_RUNS``, next to the baseline in the same run;
2. **designs**: bursts of 30 simultaneous loads of the participant page (with a real session) and
   of the Quickscan, (a) without a pool and (a2) right after it, (b) from a warm pool of
   ``BENCH_ROOM`` and (c) right after (b), with the pool drained; plus the memory the idle pool
   holds;
3. **bursts**: ``BENCH_BURSTS`` bursts of 30 participant pages, each once the pool is full again;
4. **sequential**: ``BENCH_SEQUENTIAL`` renders of each app one after the other on a pooled server
   (default 300: about 7 x 300 x 1.3 s = 45 min on the 2-core machine; ``BENCH_SEQUENTIAL=10``
   for a day-to-day run);
5. **soak**: ``BENCH_SOAK_ROUNDS`` rounds, ``BENCH_SOAK_INTERVAL`` s apart, of 30 simultaneous
   participant/Quickscan loads plus the other apps in Chromium;
6. in-process: interaction latency, 30 group-store writers, dashboard aggregation;
7. **link** (#18): ``BENCH_LINK_PAGES`` participant pages at once in Chromium, each a fresh phone,
   through a local proxy sharing one link (50 Mbit/s and 20 ms for a room of 30, each page given
   its share of it: ``benchmarks/room_link.py``), before (compression off: the proxy asks for
   ``identity``) and after; time to the first usable widget and bytes per page.

Every page load has an overall deadline (``BENCH_PAGE_DEADLINE``) and every phase one too; a hang
is a failure in the table, never a wait. Exits non-zero if a target is missed or anything failed.
Writes ``benchmarks/RESULTS.md``; server logs go to ``BENCH_LOGS`` (default a temporary folder).
``BENCH_PHASES=soak,in-process`` runs only some phases (for debugging; the table is then partial).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import math
import multiprocessing
import os
import platform
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import room_link  # noqa: E402  (benchmarks/room_link.py, next to this file)

from tests.conftest import (  # noqa: E402
    CHROMIUM_ARGS,
    FULL_CHROMIUM,
    VOILA_ERROR_MARKERS,
    VoilaServer,
)


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


RUNS = env_int("BENCH_RUNS", 5)
ROOM = env_int("BENCH_ROOM", 30)
BURST = env_int("BENCH_BURST_SIZE", 30)
BURSTS = env_int("BENCH_BURSTS", 10)
SEQUENTIAL = env_int("BENCH_SEQUENTIAL", 300)
SOAK_ROUNDS = env_int("BENCH_SOAK_ROUNDS", 8)
SOAK_INTERVAL = env_int("BENCH_SOAK_INTERVAL", 60)
#: Rounds whose kernels stay open in the soak (participants still on their page); older rounds'
#: kernels are closed, as culling would close them. Keeping all 8 rounds would hold ~270 kernels.
SOAK_KEEP = env_int("BENCH_SOAK_KEEP", 2)
PAGE_DEADLINE = env_int("BENCH_PAGE_DEADLINE", 120)
#: Chromium pages at once in the link phase (each a browser context and a pooled kernel).
LINK_PAGES = env_int("BENCH_LINK_PAGES", 8)
#: Issue 18's goal for the participant page's first visit on a phone.
TARGET_FIRST_VISIT_MB = 1.5
POOL_DEADLINE = env_int("BENCH_POOL_DEADLINE", 180)
LOGS = Path(os.environ.get("BENCH_LOGS") or tempfile.mkdtemp(prefix="kit-bench-logs-"))
LOGS.mkdir(parents=True, exist_ok=True)

TRAINER_POOLS = 0  # kit.serve pre-heats only the participant page
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
PARTICIPANT = "deelnemer.ipynb"
QUICKSCAN = "quickscan.ipynb"
APPS = [
    PARTICIPANT,
    QUICKSCAN,
    "fasen.ipynb",
    "kern-en-schil.ipynb",
    "groep.ipynb",
    "presentatie.ipynb",
    "index.ipynb",
]
BROWSER_APPS = ["fasen.ipynb", "groep.ipynb", "kern-en-schil.ipynb", "presentatie.ipynb"]
#: Pages that need a session code in their URL.
WITH_SESSION = {PARTICIPANT, "presentatie.ipynb"}

TARGET_RENDER, TARGET_MEMORY, TARGET_INTERACTION = 1.0, 1.2, 100.0
TARGET_WARM_P95, DRAINED_TOLERANCE, TARGET_AGGREGATION = 1.0, 1.1, 200.0
#: Log lines that explain blank or hung pages (counted per server log).
LOG_SIGNS = {
    "IOPub timeout": "Timeout waiting for IOPub",
    "ZMQ address in use": "Address already in use",
    "traceback": "Traceback (most recent call last)",
    "kernel died": "died",
}

FAILURES: list[str] = []
MISSED: list[str] = []


def fail(message: str) -> None:
    FAILURES.append(message)
    print(f"  FAILURE: {message}", flush=True)


# --------------------------------------------------------------------------- deadlines


class PhaseTimeout(BaseException):
    """Raised by the alarm when a phase overruns; a BaseException so no ``except Exception``
    inside the phase swallows it."""


def own_cpu() -> float:
    """CPU seconds of this process and everything it started (servers, kernels, Chromium),
    including children that have already exited and been waited for."""
    me = psutil.Process()
    total = 0.0
    for p in [me, *me.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            t = p.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
    return total


def busy_cpu() -> float:
    t = psutil.cpu_times()
    return t.user + t.system + t.nice + getattr(t, "irq", 0) + getattr(t, "softirq", 0)


@dataclass
class PhaseLoad:
    """How busy the machine was during a phase, and how much of that was someone else."""

    phase: str
    seconds: float
    busy: float  # share of all cores busy
    others: float  # share of all cores used by processes the bench did not start


PHASE_LOADS: list[PhaseLoad] = []


@contextlib.contextmanager
def deadline(seconds: float, phase: str) -> Iterator[None]:
    """Run a phase for at most ``seconds``: a hang or an error is recorded and the bench moves on."""

    def alarm(_signum: int, _frame: object) -> None:
        raise PhaseTimeout

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    start, busy, own = time.monotonic(), busy_cpu(), own_cpu()
    print(f"\n== {phase} (deadline {seconds:.0f} s)", flush=True)
    try:
        yield
    except PhaseTimeout:
        fail(f"{phase}: hung, did not finish within its deadline of {seconds:.0f} s")
    except Exception as exc:
        traceback.print_exc()
        fail(f"{phase}: {type(exc).__name__}: {exc}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        elapsed, cores = time.monotonic() - start, psutil.cpu_count() or 1
        used, mine = busy_cpu() - busy, own_cpu() - own
        load = PhaseLoad(
            phase, elapsed, used / elapsed / cores, max(0.0, used - mine) / elapsed / cores
        )
        PHASE_LOADS.append(load)
        print(
            f"== {phase}: {elapsed:.0f} s, cores busy {load.busy:.0%}, others {load.others:.0%}",
            flush=True,
        )


# --------------------------------------------------------------------------- servers


@dataclass
class Site:
    """The folder served (notebooks + baseline), a database and a session in it."""

    folder: Path
    db_url: str
    code: str
    key: str

    def query(self, page: str) -> str:
        return f"session={self.code}" if page in WITH_SESSION else ""


def make_site() -> Site:
    from kit.storage import Store

    folder = Path(tempfile.mkdtemp(prefix="kit-bench-"))
    (folder / "site").mkdir()
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(nb, folder / "site" / nb.name)
    shutil.copy(ROOT / "benchmarks" / "baseline.ipynb", folder / "site" / "baseline.ipynb")
    db_url = f"sqlite:///{folder / 'voila.sqlite3'}"
    store = Store(db_url)
    info, key = store.create_session("Bench room")
    store.dispose()
    return Site(folder, db_url, info.code, key)


SERVERS: list[VoilaServer] = []


@contextlib.contextmanager
def serving(site: Site, room: int, name: str) -> Iterator[VoilaServer]:
    """A Voila server for one phase, always stopped (its whole process group) afterwards."""
    log = LOGS / f"{name}.log"
    server = VoilaServer(
        site.folder / "site",
        env={"KIT_DATABASE_URL": site.db_url},
        room=room,
        log_path=log,
        startup=120,
    )
    SERVERS.append(server)
    print(f"  server {name}: room={room}, pid {server.proc.pid}, log {log}", flush=True)
    try:
        yield server
    finally:
        stop(server)


def stop(server: VoilaServer) -> None:
    """Stop the server; kernels run in sessions of their own, so any left are killed by pid."""
    with contextlib.suppress(psutil.Error):
        left = server.kernels()
    server.stop()
    for p in left:
        with contextlib.suppress(psutil.Error):
            p.kill()


def kernels(server: VoilaServer) -> list[psutil.Process]:
    return server.kernels()


def tree_rss(server: VoilaServer) -> int:
    """RSS of the server and all its children (kernels)."""
    parent = psutil.Process(server.proc.pid)
    total = parent.memory_info().rss
    for p in parent.children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            total += p.memory_info().rss
    return total


def kernels_cpu(procs: list[psutil.Process]) -> float:
    total = 0.0
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += sum(p.cpu_times()[:2])
    return total


def parked(server: VoilaServer) -> int:
    """Pre-heated kernels that have run their notebook and wait for a visitor: a kernel in
    ``wait_for_request`` holds a websocket to the server's port (``/voila/query/<id>``); with the
    IPC transport nothing else connects a kernel to that port."""
    count = 0
    for p in kernels(server):
        with contextlib.suppress(psutil.Error):
            count += any(
                c.raddr and c.raddr.port == server.port and c.status == psutil.CONN_ESTABLISHED
                for c in p.net_connections("tcp")
            )
    return count


def wait_pool(server: VoilaServer, size: int, timeout: float = POOL_DEADLINE) -> float | None:
    """Seconds until ``size`` pre-heated kernels wait for a visitor, else None. Stops waiting
    early when at least ``ROOM`` wait and nothing changed for 20 s with the kernels idle: a pooled
    kernel can drop out of ``wait_for_request`` (see RESULTS.md), and it will not come back."""
    start = time.monotonic()
    seen, since, cpu = -1, start, kernels_cpu(kernels(server))
    while time.monotonic() - start < timeout:
        now, count = time.monotonic(), parked(server)
        if count >= size:
            return now - start
        busy = kernels_cpu(kernels(server)) - cpu
        cpu += busy
        if count != seen or busy > 0.5:
            seen, since = count, now
        elif count >= ROOM and now - since > 20:
            print(f"  pool: {count} of {size} pre-heated kernels wait for a visitor", flush=True)
            return now - start
        time.sleep(1.0)
    return None


def log_signs(server_log: Path) -> dict[str, int]:
    text = server_log.read_text(errors="replace") if server_log.exists() else ""
    return {name: text.count(sign) for name, sign in LOG_SIGNS.items()}


# --------------------------------------------------------------------------- page loads


#: Any token does: Tornado compares the _xsrf cookie with the token sent along (double submit).
XSRF = "kit-bench"


def xsrf_session(server: VoilaServer) -> requests.Session:
    """A session holding an _xsrf cookie, needed to stop kernels (as a page's own beacon does)."""
    session = requests.Session()
    session.cookies.set("_xsrf", XSRF, domain="127.0.0.1", path="/")
    return session


KERNEL_ID = re.compile(r'"kernelId"\s*:\s*"([0-9a-f-]+)"')


def close_kernels(server: VoilaServer, bodies: list[str]) -> None:
    """Stop the kernels of rendered pages the way the page itself would (with the xsrf token)."""
    ids = [m.group(1) for b in bodies if (m := KERNEL_ID.search(b))]
    if not ids:
        return

    def one(kernel: str) -> int:
        stop = STOP_COOKIES.pop(kernel, "")
        cookie = f"_xsrf={XSRF}" + (f"; kit_kernel_stop={stop}" if stop else "")
        try:
            return requests.post(
                f"{server.url}/voila/api/shutdown/{kernel}",
                headers={"X-XSRFToken": XSRF, "Cookie": cookie},
                timeout=30,
            ).status_code
        except requests.RequestException:
            return 0

    pool = cf.ThreadPoolExecutor(8)
    try:
        refused = [s for s in pool.map(one, ids, timeout=60) if s != 204]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    if refused:  # kernels left running would weigh on every later measurement
        fail(f"{len(refused)} of {len(ids)} kernels not stopped (HTTP {sorted(set(refused))})")


SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)


def verdict(status: int, body: str) -> str:
    """ok, blank or failed. Error markers are looked for outside <script> elements: the kit's
    page template carries its own JavaScript, which names ``.kit-content-error``."""
    visible = SCRIPT.sub("", body)
    if status != 200 or any(m in visible for m in VOILA_ERROR_MARKERS):
        return "failed"
    return "ok" if WIDGET_MIME in body else "blank"


@dataclass
class Loads:
    """Time-to-page of a set of simultaneous loads, and what came back."""

    label: str
    times: list[float] = field(default_factory=list)  # pages that arrived (any verdict)
    counts: dict[str, int] = field(
        default_factory=lambda: {"ok": 0, "blank": 0, "failed": 0, "hung": 0}
    )
    bodies: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    @property
    def bad(self) -> int:
        return self.n - self.counts["ok"]

    def quantile(self, q: float) -> float:
        """Nearest-rank quantile; a hung page counts as the deadline (so p95 shows hangs)."""
        values = sorted(self.times + [float(PAGE_DEADLINE)] * self.counts["hung"])
        return values[max(0, math.ceil(q * len(values)) - 1)] if values else math.nan

    def cells(self) -> str:
        top = ">" if self.counts["hung"] else ""
        c = self.counts
        return (
            f"{self.quantile(0.5):.2f} | {self.quantile(0.95):.2f} | {top}{self.quantile(1.0):.2f} "
            f"| {c['ok']}/{self.n} | {c['blank']} | {c['failed']} | {c['hung']}"
        )


LOAD_HEADER = "p50 (s) | p95 (s) | max (s) | with widgets | blank | failed | hung"


#: Each rendered page's stop cookie, by kernel id: the kit binds a kernel to the page that
#: started it (kit/voila_server.py, KERNEL_COOKIES), so the bench stops a kernel as its page's
#: beacon does, with that page's cookie (without it every stop was refused with 403 and the
#: kernels of every phase stayed, weighing on the next).
STOP_COOKIES: dict[str, str] = {}


def fetch(session: requests.Session, url: str) -> tuple[float, int, str]:
    start = time.perf_counter()
    response = session.get(url, timeout=(10, PAGE_DEADLINE + 30))
    took = time.perf_counter() - start
    found = KERNEL_ID.search(response.text)
    stop = response.cookies.get("kit_kernel_stop")
    if found and stop:
        STOP_COOKIES[found.group(1)] = stop
    return took, response.status_code, response.text


class Burst:
    """Simultaneous loads started now, collected later (so a browser can work meanwhile)."""

    def __init__(self, server: VoilaServer, urls: list[str]) -> None:
        sessions = [xsrf_session(server) for _ in urls]
        self.pool = cf.ThreadPoolExecutor(len(urls))
        self.start = time.monotonic()
        self.futures = [self.pool.submit(fetch, s, u) for s, u in zip(sessions, urls, strict=True)]

    def collect(self, label: str) -> Loads:
        """Wait for the pages until the overall deadline; what has not arrived by then is hung."""
        left = self.start + PAGE_DEADLINE - time.monotonic()
        cf.wait(self.futures, timeout=max(0.0, left))
        loads = Loads(label)
        for future in self.futures:
            if not future.done():
                loads.counts["hung"] += 1
                continue
            try:
                seconds, status, body = future.result()
            except requests.RequestException:
                loads.counts["failed"] += 1
                continue
            loads.times.append(seconds)
            loads.bodies.append(body)
            kind = verdict(status, body)
            loads.counts[kind] += 1
            if kind != "ok":  # keep the page for the post-mortem
                name = re.sub(r"\W+", "-", f"{kind} {label} {loads.counts[kind]}").strip("-")
                (LOGS / f"{name}.html").write_text(f"<!-- HTTP {status} -->\n{body}")
        self.pool.shutdown(wait=False, cancel_futures=True)
        return loads


def page_urls(server: VoilaServer, site: Site, pages: list[str]) -> list[str]:
    return [server.render_url(p, site.query(p)) for p in pages]


def burst(server: VoilaServer, site: Site, pages: list[str], label: str) -> Loads:
    loads = Burst(server, page_urls(server, site, pages)).collect(label)
    print(f"  {label}: {loads.cells()}", flush=True)
    return loads


def report_bad(loads: Loads, phase: str) -> None:
    if loads.bad:
        c = loads.counts
        fail(
            f"{phase}, {loads.label}: {c['blank']} blank, {c['failed']} failed, {c['hung']} hung of {loads.n}"
        )


# --------------------------------------------------------------------------- phase 1: render


@dataclass
class Render:
    page: str
    seconds: float
    rss: int
    cpu: float
    errors: int


def render_once(server: VoilaServer, site: Site, page: str) -> tuple[float, int, float, bool]:
    """Seconds until the last byte, kernel RSS after render, CPU seconds (kernel + server), bad."""
    before = {p.pid for p in kernels(server)}
    server_proc = psutil.Process(server.proc.pid)
    server_cpu = sum(server_proc.cpu_times()[:2])
    loads = Burst(server, [server.render_url(page, site.query(page))]).collect(page)
    new = [p for p in kernels(server) if p.pid not in before]
    rss = sum(p.memory_info().rss for p in new)
    cpu = kernels_cpu(new) + sum(server_proc.cpu_times()[:2]) - server_cpu
    close_kernels(server, loads.bodies)
    time.sleep(0.3)
    return (loads.times or [math.nan])[0], rss, cpu, loads.bad > 0


def render_phase(server: VoilaServer, site: Site) -> list[Render]:
    rows = []
    for page in ["baseline.ipynb", *APPS]:
        render_once(server, site, page)  # warm the OS caches and the server's template cache
        samples = [render_once(server, site, page) for _ in range(RUNS)]
        rows.append(
            Render(
                page,
                statistics.median(s[0] for s in samples),
                int(statistics.median(s[1] for s in samples)),
                statistics.median(s[2] for s in samples),
                sum(s[3] for s in samples),
            )
        )
        r = rows[-1]
        print(f"  {page}: {r.seconds:.2f} s, {r.rss / 2**20:.0f} MiB, {r.errors} bad", flush=True)
    return rows


# --------------------------------------------------------------------------- phase 2: designs


@dataclass
class PoolMemory:
    kernels: int
    rss: int
    uss: int
    server_rss: int
    fill_seconds: float


def pool_memory(server: VoilaServer, fill_seconds: float) -> PoolMemory:
    procs = kernels(server)
    rss = uss = 0
    for p in procs:
        info = p.memory_full_info()
        rss, uss = rss + info.rss, uss + info.uss
    server_rss = psutil.Process(server.proc.pid).memory_info().rss
    return PoolMemory(len(procs), rss, uss, server_rss, fill_seconds)


def design_bursts(server: VoilaServer, site: Site, design: str) -> list[Loads]:
    """A burst of 30 participant pages and one of 30 Quickscans, each followed at once by a
    second burst while the first 30 pages are still open: for the pooled design the pool is
    drained then; without a pool the second wave is what (c) is compared with."""
    rows = []
    for page in (PARTICIPANT, QUICKSCAN):
        if design == "pool":
            if wait_pool(server, ROOM + TRAINER_POOLS) is None:
                fail(f"designs: the pool did not fill within {POOL_DEADLINE} s")
            warm = burst(server, site, [page] * BURST, f"(b) warm pool of {ROOM}: {page}")
            drained = burst(server, site, [page] * BURST, f"(c) drained pool: {page}")
            batch = [warm, drained]
        else:
            first = burst(server, site, [page] * BURST, f"(a) no pool: {page}")
            second = burst(server, site, [page] * BURST, f"(a2) no pool, second wave: {page}")
            batch = [first, second]
        for loads in batch:
            report_bad(loads, "designs")
            close_kernels(server, loads.bodies)
        rows += batch
    return rows


# --------------------------------------------------------------------------- phase 3: bursts


def repeated_bursts(server: VoilaServer, site: Site) -> list[Loads]:
    rows = []
    for i in range(BURSTS):
        waited = wait_pool(server, ROOM + TRAINER_POOLS)
        loads = burst(server, site, [PARTICIPANT] * BURST, f"burst {i + 1}")
        loads.note = f"{waited:.0f}" if waited is not None else f"not full after {POOL_DEADLINE}"
        report_bad(loads, "bursts")
        close_kernels(server, loads.bodies)
        rows.append(loads)
    return rows


# --------------------------------------------------------------------------- phase 4: sequential


def sequential(server: VoilaServer, site: Site) -> list[Loads]:
    if wait_pool(server, ROOM + TRAINER_POOLS) is None:
        fail(f"sequential: the pool did not fill within {POOL_DEADLINE} s")
    rows = []
    for page in APPS:
        start = time.monotonic()
        loads = Loads(page)
        for _ in range(SEQUENTIAL):
            one = Burst(server, [server.render_url(page, site.query(page))]).collect(page)
            loads.times += one.times
            for k, v in one.counts.items():
                loads.counts[k] += v
            close_kernels(server, one.bodies)
        loads.note = f"{time.monotonic() - start:.0f}"
        print(f"  {page} x{SEQUENTIAL}: {loads.cells()} ({loads.note} s)", flush=True)
        report_bad(loads, "sequential")
        rows.append(loads)
    return rows


# --------------------------------------------------------------------------- phase 5: soak


@dataclass
class Round:
    number: int
    loads: Loads
    browser_ok: int
    browser_notes: list[str]
    kernels: int
    rss: int
    closed_early: int = 0


class Browser:
    """Debian's Chromium via Playwright: opens the other apps and checks they show `.kit-app`."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self.pw = sync_playwright().start()
        self.browser = self.pw.chromium.launch(executable_path=FULL_CHROMIUM, args=CHROMIUM_ARGS)
        self.context = self.browser.new_context()

    def open_apps(self, urls: list[str]) -> list[tuple[str, bool, str]]:
        """Open all pages at once, then wait for each app until the page deadline: (url, ok, body)."""
        start = time.monotonic()
        pages = [self.context.new_page() for _ in urls]
        for page, url in zip(pages, urls, strict=True):
            page.goto(url, wait_until="commit", timeout=PAGE_DEADLINE * 1000)
        results = []
        for page, url in zip(pages, urls, strict=True):
            left = max(1.0, start + PAGE_DEADLINE - time.monotonic())
            try:
                page.wait_for_selector(".kit-app", timeout=left * 1000)
                ok = page.locator(".kit-content-error").count() == 0
            except Exception:  # Playwright's TimeoutError: the app never showed
                ok = False
            results.append((url, ok, page.content()))
            page.close()
        return results

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.browser.close()
        with contextlib.suppress(Exception):
            self.pw.stop()


def soak(server: VoilaServer, site: Site) -> list[Round]:
    if wait_pool(server, ROOM + TRAINER_POOLS) is None:
        fail(f"soak: the pool did not fill within {POOL_DEADLINE} s")
    browser = Browser()
    kept: list[list[str]] = []  # bodies of each round still open
    rounds = []
    try:
        for number in range(1, SOAK_ROUNDS + 1):
            start = time.monotonic()
            closed = 0
            while kept and psutil.virtual_memory().available < 3 * 2**30:
                closed += len(kept[0])  # memory guard: close the oldest round early
                close_kernels(server, kept.pop(0))
            pages = [PARTICIPANT if i % 2 == 0 else QUICKSCAN for i in range(BURST)]
            running = Burst(server, page_urls(server, site, pages))
            opened = browser.open_apps(page_urls(server, site, BROWSER_APPS))
            loads = running.collect(f"round {number}")
            report_bad(loads, "soak")
            notes = [url.split("/")[-1] for url, ok, _ in opened if not ok]
            for note in notes:
                fail(f"soak, round {number}: {note} did not show its .kit-app")
            kept.append(loads.bodies + [body for _, _, body in opened])
            rounds.append(
                Round(
                    number,
                    loads,
                    sum(ok for _, ok, _ in opened),
                    notes,
                    len(kernels(server)),
                    tree_rss(server),
                    closed,
                )
            )
            r = rounds[-1]
            print(
                f"  round {number}: {loads.cells()}; browser {r.browser_ok}/{len(opened)}; "
                f"{r.kernels} kernels, {r.rss / 2**30:.1f} GiB",
                flush=True,
            )
            while len(kept) > SOAK_KEEP:
                close_kernels(server, kept.pop(0))
            if number < SOAK_ROUNDS:
                time.sleep(max(0.0, start + SOAK_INTERVAL - time.monotonic()))
    finally:
        browser.close()
    return rounds


# --------------------------------------------------------------------------- phase 6: in-process


def interaction_latency() -> tuple[float, float]:
    from kit.apps.common import Ctx, Status
    from kit.apps.quickscan_app import build_quickscan
    from kit.content import default_content

    ctx = Ctx(default_content(), "nl", Status())
    view = build_quickscan(ctx).view
    view.show_charts(True)  # as with the result tab open: every answer redraws the chart
    ids = [s.id for s in ctx.content.instrument.statements_for(view.perspective.value)]
    samples = []
    for i in range(60):
        # CPU time of this process, not the clock: other work on the machine does not count.
        start = time.process_time()
        view.answer(ids[i % len(ids)], i % 4)
        samples.append((time.process_time() - start) * 1000)
    samples = samples[5:]  # the first redraws warm matplotlib's caches
    return statistics.median(samples), statistics.quantiles(samples, n=20)[-1]


def _writer(url: str, code: str, worker: int, count: int) -> None:
    from kit.answers import PhaseGuess
    from kit.storage import Store

    store = Store(url)
    joined = store.join(code, f"p{worker}")
    for i in range(count):
        guess = PhaseGuess(scenario=f"item-{i}", first=i % 6, last=i % 6)
        store.save(code, joined.participant, joined.alias, guess)
    store.dispose()


def store_throughput(folder: Path) -> float:
    from kit.storage import Store

    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    store = Store(url)
    info, _ = store.create_session("bench")
    store.dispose()
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(url, info.code, w, 50)) for w in range(30)]
    start = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    elapsed = time.perf_counter() - start
    if not all(p.exitcode == 0 for p in procs):
        raise RuntimeError("a store writer failed or hung")
    return 30 * 50 / elapsed


def dashboard_aggregation(folder: Path) -> tuple[float, float]:
    """(ms for the pure aggregation, ms for a full dashboard redraw) over 1,000 submissions."""
    from kit import group
    from kit.answers import Adaptations, PhaseGuess, Proposal, ScanAnswers
    from kit.apps.common import Ctx, Status
    from kit.apps.group_app import Dashboard
    from kit.content import default_content
    from kit.storage import Store

    c = default_content()
    store = Store(f"sqlite:///{folder / 'dash.sqlite3'}")
    info, key = store.create_session("bench", case_id="buurtkracht", intervention_id="samen-sterk")
    statements = [s.id for s in c.instrument.statements_for("organisatie")]
    item = c.intervention("samen-sterk")
    for n in range(100):  # 100 participants x 10 submissions
        j = store.join(info.code, f"deelnemer {n}")
        answers = {s: (i * n) % 4 for i, s in enumerate(statements)}
        scan = ScanAnswers(perspective="organisatie", case="buurtkracht", values=answers)
        store.save(info.code, j.participant, j.alias, scan)
        for sc in c.scenarios[:8]:
            guess = PhaseGuess(scenario=sc.id, first=n % 6, last=n % 6)
            store.save(info.code, j.participant, j.alias, guess)
        proposals = tuple(Proposal(element=e.id, type="tailor") for e in item.elements[: n % 5])
        store.save(
            info.code,
            j.participant,
            j.alias,
            Adaptations(intervention=item.id, proposals=proposals),
        )
    subs = store.all_submissions(info.code, key)
    assert len(subs) == 1000
    samples = []
    for _ in range(7):
        start = time.perf_counter()
        g = group.quickscan_group(subs, c, "organisatie", "buurtkracht")
        group.disagreements(g.answers, statements)
        group.phase_tally(subs, c)
        group.adaptation_tally(subs, c, item.id)
        samples.append((time.perf_counter() - start) * 1000)
    dash = Dashboard(Ctx(c, "nl", Status()), store, info, key, new_key=False)
    dash._timer_on(False)
    full = []
    for _ in range(5):
        start = time.perf_counter()
        dash.refresh(force=True)
        full.append((time.perf_counter() - start) * 1000)
    store.dispose()
    return statistics.median(samples), statistics.median(full)


# --------------------------------------------------------------------------- report


def machine() -> str:
    cpu = platform.processor() or "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = psutil.virtual_memory().total / 2**30
    return (
        f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores, "
        f"{mem:.0f} GiB RAM, Python {platform.python_version()}"
    )


def mib(n: float) -> str:
    return f"{n / 2**20:.0f}"


@dataclass
class Results:
    renders: list[Render] = field(default_factory=list)
    designs: list[Loads] = field(default_factory=list)
    pool: PoolMemory | None = None
    bursts: list[Loads] = field(default_factory=list)
    sequential: list[Loads] = field(default_factory=list)
    sequential_seconds: float = 0.0
    rounds: list[Round] = field(default_factory=list)
    interaction: tuple[float, float] | None = None
    store: float | None = None
    dashboard: tuple[float, float] | None = None
    link: list[room_link.Wave] = field(default_factory=list)
    logs: dict[str, dict[str, int]] = field(default_factory=dict)


def check_targets(res: Results) -> None:
    """Add every missed target to MISSED (failures and hangs are already in FAILURES)."""
    base = next((r for r in res.renders if r.page == "baseline.ipynb"), None)
    checked = (QUICKSCAN, "fasen.ipynb", "kern-en-schil.ipynb")
    for r in res.renders:
        slow = base and (
            r.seconds > TARGET_RENDER * base.seconds or r.rss > TARGET_MEMORY * base.rss
        )
        if r.page in checked and slow:
            MISSED.append(f"render: {r.page} above {TARGET_RENDER}x / {TARGET_MEMORY}x baseline")
    by_label = {d.label: d for d in res.designs}
    for page in (PARTICIPANT, QUICKSCAN):
        none = by_label.get(f"(a2) no pool, second wave: {page}")
        warm = by_label.get(f"(b) warm pool of {ROOM}: {page}")
        drained = by_label.get(f"(c) drained pool: {page}")
        if page == PARTICIPANT and warm and warm.quantile(0.95) > TARGET_WARM_P95:
            MISSED.append(f"warm pool p95 {warm.quantile(0.95):.2f} s > {TARGET_WARM_P95} s")
        if none and drained and drained.quantile(0.95) > DRAINED_TOLERANCE * none.quantile(0.95):
            MISSED.append(
                f"drained pool, {page}: p95 {drained.quantile(0.95):.1f} s worse than a second "
                f"wave without a pool ({none.quantile(0.95):.1f} s)"
            )
    for w in res.link:
        if w.label.startswith("after") and w.median_bytes > TARGET_FIRST_VISIT_MB * 1e6:
            MISSED.append(f"link: {w.median_bytes / 1e6:.2f} MB per first visit > 1.5 MB")
    for b in res.bursts:
        if b.quantile(0.95) > TARGET_WARM_P95:
            MISSED.append(f"bursts, {b.label}: p95 {b.quantile(0.95):.2f} s > {TARGET_WARM_P95} s")
    if res.interaction and res.interaction[0] > TARGET_INTERACTION:
        MISSED.append(f"interaction median {res.interaction[0]:.0f} ms > {TARGET_INTERACTION} ms")
    if res.dashboard and res.dashboard[0] > TARGET_AGGREGATION:
        MISSED.append(f"dashboard aggregation {res.dashboard[0]:.0f} ms > {TARGET_AGGREGATION} ms")


def render_table(res: Results) -> list[str]:
    base = next((r for r in res.renders if r.page == "baseline.ipynb"), None)
    if not base:
        return ["(render phase did not complete)"]
    lines = [
        "| page | render (s) | × baseline | kernel RSS (MiB) | × baseline | CPU per render (s) | bad |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in res.renders:
        lines.append(
            f"| {r.page} | {r.seconds:.2f} | {r.seconds / base.seconds:.2f} | {mib(r.rss)} "
            f"| {r.rss / base.rss:.2f} | {r.cpu:.2f} | {r.errors} |"
        )
    return lines


def loads_table(first: str, rows: list[Loads], extra: str = "") -> list[str]:
    header = f"| {first} | {LOAD_HEADER} |" + (f" {extra} |" if extra else "")
    sep = "|---" * (8 + bool(extra)) + "|"
    body = [f"| {r.label} | {r.cells()} |" + (f" {r.note} |" if extra else "") for r in rows]
    return [header, sep, *body] if rows else ["(phase did not complete)"]


def soak_table(rounds: list[Round]) -> list[str]:
    if not rounds:
        return ["(soak did not complete)"]
    lines = [
        f"| round | pages with widgets / {BURST} | p95 (s) | max (s) | blank | failed | hung "
        f"| browser pages OK / {len(BROWSER_APPS)} | kernels alive | server + kernels RSS (GiB) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rounds:
        c = r.loads.counts
        missing = f" (not: {', '.join(r.browser_notes)})" if r.browser_notes else ""
        lines.append(
            f"| {r.number} | {c['ok']} | {r.loads.quantile(0.95):.2f} | {r.loads.quantile(1):.2f} "
            f"| {c['blank']} | {c['failed']} | {c['hung']} | {r.browser_ok}{missing} | {r.kernels} "
            f"| {r.rss / 2**30:.2f} |"
        )
    return lines


def meaning(res: Results) -> list[str]:
    """The short paragraph for trainers and hosts, from this run's numbers."""
    by = {d.label: d for d in res.designs}
    warm = by.get(f"(b) warm pool of {ROOM}: {PARTICIPANT}")
    none = by.get(f"(a) no pool: {PARTICIPANT}")
    drained = by.get(f"(c) drained pool: {PARTICIPANT}")
    second = by.get(f"(a2) no pool, second wave: {PARTICIPANT}")
    parts = []
    if warm and none and drained and second:
        ratio = drained.quantile(0.95) / second.quantile(0.95)
        parts.append(
            f"With `make serve ROOM={ROOM}` and the pool warm, {ROOM} phones scanning the QR code "
            f"at the same moment get their page in {warm.quantile(0.95):.2f} s (p95) instead of "
            f"{none.quantile(0.95):.1f} s without a pool. A second wave right after (the pool "
            f"empty, the first wave's pages still open) waits {drained.quantile(0.95):.1f} s "
            f"(p95), {ratio:.2f}× the same second wave on a server without a pool "
            f"({second.quantile(0.95):.1f} s)."
        )
    refills = [float(b.note) for b in res.bursts[1:] if b.note.replace(".", "").isdigit()]
    if refills:
        parts.append(
            f"After a wave of {BURST} the pool was full again in {statistics.median(refills):.0f} s "
            "(median): start the server a few minutes before the room arrives, and let latecomers "
            "trickle in."
        )
    if res.pool:
        per = res.pool.rss / max(1, res.pool.kernels)
        parts.append(
            f"The idle pool of {res.pool.kernels} kernels ({ROOM} participant pages + "
            f"{TRAINER_POOLS} trainer pages) holds {res.pool.rss / 2**30:.1f} GiB RSS "
            f"({mib(per)} MiB per kernel, {mib(res.pool.uss / max(1, res.pool.kernels))} MiB of it "
            f"private), before anyone opens a page."
        )
    if res.rounds:
        ok = sum(r.loads.counts["ok"] for r in res.rounds)
        total = sum(r.loads.n for r in res.rounds)
        peak = max(r.rss for r in res.rounds)
        parts.append(
            f"In the soak, {ok}/{total} pages came with their widgets and "
            f"{sum(r.browser_ok for r in res.rounds)}/{len(BROWSER_APPS) * len(res.rounds)} browser "
            f"pages showed their app; the server and its kernels peaked at {peak / 2**30:.1f} GiB."
        )
    return [" ".join(parts)] if parts else []


def link_section(waves: list[room_link.Wave]) -> list[str]:
    pages = waves[0].pages
    return [
        f"## 8. A room through one link: {pages} phones at once, each with its share of "
        f"{room_link.MBIT:.0f} Mbit/s among {room_link.ROOM}",
        "",
        *room_link.table(waves),
        "",
        f"Each page is a fresh Chromium phone ({room_link.PHONE['width']}×{room_link.PHONE['height']}, "
        "empty cache: a first visit) opening the participant page of a room server whose pool holds "
        f"a kernel for each; all go through one local proxy that queues every byte of every "
        f"connection on one link and adds {room_link.LATENCY_MS:.0f} ms per round trip. The link "
        f"runs at {pages}/{room_link.ROOM} of {room_link.MBIT:.0f} Mbit/s, the share each of "
        f"{room_link.ROOM} phones gets of a busy access point (thirty Chromium pages do not fit "
        "on this machine at once). *Before* is the same server with the proxy asking for "
        "`Accept-Encoding: identity` (what phones got before the kit compressed: Voila's "
        "`compress_response` never took effect). The time runs from navigation to the join "
        "form's alias field being shown, read in the page; the last column is the time 30 "
        "first visits need on the link, bytes alone, whatever the machine. "
        f"Target: ≤ {TARGET_FIRST_VISIT_MB} MB per first visit.",
    ]


def report(res: Results) -> str:
    ok = not FAILURES and not MISSED
    seq_runtime = f"{res.sequential_seconds / 60:.0f} min" if res.sequential_seconds else "—"
    lines = [
        "# Benchmark results",
        "",
        f"Run {dt.datetime.now():%Y-%m-%d %H:%M} on {machine()}. "
        f"voila {version('voila')}, ipykernel {version('ipykernel')}, ipywidgets {version('ipywidgets')}.",
        "",
        f"Settings: pool `BENCH_ROOM={ROOM}`, bursts of `BENCH_BURST_SIZE={BURST}`, `BENCH_BURSTS={BURSTS}`, "
        f"`BENCH_SEQUENTIAL={SEQUENTIAL}`, soak `BENCH_SOAK_ROUNDS={SOAK_ROUNDS}` × `BENCH_SOAK_INTERVAL={SOAK_INTERVAL}` s "
        f"keeping the kernels of the last `BENCH_SOAK_KEEP={SOAK_KEEP}` rounds open, every page load with an "
        f"overall deadline of `BENCH_PAGE_DEADLINE={PAGE_DEADLINE}` s (time-to-page = HTTP until the last byte). "
        f"A page counts as *with widgets* when its body holds `{WIDGET_MIME}`; *blank* is HTTP 200 "
        "without it; *failed* is another status, an error marker or a broken connection; *hung* is "
        "no full page within the deadline. Every server is `kit.serve` as `make serve` runs it "
        "(IPC transport, IOPub wait 60 s, culling after 8 min, pools in room mode).",
        "",
        f"**All targets met, nothing failed or hung: {'yes' if ok else 'NO'}.**",
        "",
        "## What this means for a room",
        "",
        *meaning(res),
        "",
        f"## 1. Render and kernel memory per page (one page at a time, no pool, medians of {RUNS})",
        "",
        *render_table(res),
        "",
        f"Target: Quickscan, Fasen and Kern en schil ≤ {TARGET_RENDER}× the baseline's render time and ≤ {TARGET_MEMORY}× its memory. "
        "The participant page holds the whole workshop in one kernel; presentatie and deelnemer are "
        "opened with `?session=CODE` of a real session.",
        "",
        f"## 2. {BURST} simultaneous loads: no pool, warm pool, drained pool",
        "",
        *loads_table("design: page", res.designs),
        "",
        f"Targets: warm pool p95 ≤ {TARGET_WARM_P95} s; drained no worse than no pool "
        f"(p95 of (c) within {DRAINED_TOLERANCE}× of (a2)); 0 blank, failed or hung. (a) is a "
        f"server without a pool (`ROOM=0`), (a2) a second burst right after (a), the first "
        f"{BURST} pages still open; (b) a room server (`ROOM={ROOM}`) once its pool is full, (c) a "
        f"second burst right after (b), the first {BURST} pages still open: (c) and (a2) are the "
        "same situation with and without a pool. The Quickscan has no pool in room mode "
        "(only the participant page does): its (b)/(c) rows show a standalone "
        "app on a room server.",
        "",
    ]
    if res.pool:
        p = res.pool
        lines += [
            "## 3. Memory held by the idle pool",
            "",
            "| kernels | total RSS (MiB) | RSS per kernel (MiB) | total USS (MiB) | USS per kernel (MiB) | server RSS (MiB) | pool full after start (s) |",
            "|---|---|---|---|---|---|---|",
            f"| {p.kernels} ({ROOM} participant + {TRAINER_POOLS} trainer) | {mib(p.rss)} | {mib(p.rss / max(1, p.kernels))} "
            f"| {mib(p.uss)} | {mib(p.uss / max(1, p.kernels))} | {mib(p.server_rss)} | {p.fill_seconds:.0f} |",
            "",
            "RSS counts shared libraries in every kernel; USS is what each kernel holds alone.",
            "",
        ]
    lines += [
        f"## 4. {BURSTS} bursts of {BURST} participant pages (room server, each once the pool is full again)",
        "",
        *loads_table("burst", res.bursts, "pool refilled after (s)"),
        "",
        f"## 5. {SEQUENTIAL} sequential renders of each app (room server; each page's kernel closed after it)",
        "",
        *loads_table("page", res.sequential, "runtime (s)"),
        "",
        f"Runtime of this phase: {seq_runtime}. The participant page is served from the pool.",
        "",
        f"## 6. Soak: one room server, {SOAK_ROUNDS} rounds {SOAK_INTERVAL} s apart",
        "",
        f"Each round: {BURST} simultaneous loads (half participant page, half Quickscan) while "
        f"Chromium opens {', '.join(BROWSER_APPS)} and waits for `.kit-app`.",
        "",
        *soak_table(res.rounds),
        "",
        "## 7. In the kernel and the database",
        "",
        "| measure | result | target |",
        "|---|---|---|",
    ]
    if res.interaction:
        lines.append(
            f"| interaction: quickscan answer → chart updated (kernel CPU time) | median {res.interaction[0]:.0f} ms, p95 {res.interaction[1]:.0f} ms | ≤ {TARGET_INTERACTION:.0f} ms median |"
        )
    if res.store:
        lines.append(
            f"| group store: 30 writers × 50 submissions on SQLite | {res.store:.0f} submissions/s | — |"
        )
    if res.dashboard:
        lines.append(
            f"| dashboard aggregation, 1,000 submissions | {res.dashboard[0]:.0f} ms (full redraw with chart {res.dashboard[1]:.0f} ms) | ≤ {TARGET_AGGREGATION:.0f} ms |"
        )
    if res.link:
        lines += ["", *link_section(res.link)]
    lines += ["", "## Server logs", "", "| server | " + " | ".join(LOG_SIGNS) + " |"]
    lines.append("|---" * (len(LOG_SIGNS) + 1) + "|")
    for name, signs in res.logs.items():
        lines.append(f"| {name} | " + " | ".join(str(signs[k]) for k in LOG_SIGNS) + " |")
    lines += [
        "",
        "## Machine load per phase",
        "",
        "| phase | duration (s) | cores busy | of which processes the bench did not start |",
        "|---|---|---|---|",
        *[f"| {p.phase} | {p.seconds:.0f} | {p.busy:.0%} | {p.others:.0%} |" for p in PHASE_LOADS],
        "",
        "The bench shares the machine: CPU used by other processes (other tests, builds) slows "
        "renders down and is shown here so the figures can be read with it.",
    ]
    lines += ["", "## Failures and missed targets", ""]
    lines += [f"- {m}" for m in FAILURES + MISSED] or ["None."]
    return "\n".join(lines) + "\n"


def version(package: str) -> str:
    from importlib.metadata import version as v

    try:
        return v(package)
    except Exception:
        return "?"


# --------------------------------------------------------------------------- main


def phase_on_server(
    res: Results,
    site: Site,
    name: str,
    room: int,
    seconds: float,
    body: Callable[[VoilaServer], None],
) -> None:
    with deadline(seconds, name), serving(site, room, name) as server:
        body(server)
    res.logs[name] = log_signs(LOGS / f"{name}.log")


def main() -> int:
    res = Results()
    site = make_site()
    print(f"bench: site {site.folder}, logs {LOGS}", flush=True)

    def no_pool(server: VoilaServer) -> None:
        res.renders = render_phase(server, site)
        res.designs += design_bursts(server, site, "none")

    def pooled(server: VoilaServer) -> None:
        start = time.monotonic()
        if wait_pool(server, ROOM + TRAINER_POOLS) is None:
            fail(f"designs: the pool did not fill within {POOL_DEADLINE} s")
        res.pool = pool_memory(server, time.monotonic() - start)
        res.designs += design_bursts(server, site, "pool")
        res.bursts = repeated_bursts(server, site)

    def sequential_renders(server: VoilaServer) -> None:
        start = time.monotonic()
        res.sequential = sequential(server, site)
        res.sequential_seconds = time.monotonic() - start

    def soak_rounds(server: VoilaServer) -> None:
        res.rounds = soak(server, site)

    def link(server: VoilaServer) -> None:
        path = f"/voila/render/{PARTICIPANT}?{site.query(PARTICIPANT)}"
        with room_link.chromium() as browser:
            for identity, label in ((True, "before: uncompressed"), (False, "after: compressed")):
                if wait_pool(server, LINK_PAGES) is None:
                    fail(f"link: the pool did not fill within {POOL_DEADLINE} s")
                w = room_link.wave(browser, server.port, path, LINK_PAGES, identity, label)
                print(f"  {room_link.describe(w)}", flush=True)
                if w.failed:
                    fail(f"link: {w.failed} of {w.pages} pages showed no widget ({label})")
                res.link.append(w)

    def in_process() -> None:
        with deadline(600, "in-process"):
            res.interaction = interaction_latency()
            res.store = store_throughput(site.folder)
            res.dashboard = dashboard_aggregation(site.folder)

    phases: dict[str, Callable[[], None]] = {
        "no-pool": lambda: phase_on_server(res, site, "no-pool", 0, 900 + 60 * RUNS, no_pool),
        "room": lambda: phase_on_server(res, site, "room", ROOM, 900 + 240 * BURSTS, pooled),
        "sequential": lambda: phase_on_server(
            res, site, "sequential", ROOM, 600 + 7 * 15 * SEQUENTIAL, sequential_renders
        ),
        "soak": lambda: phase_on_server(
            res, site, "soak", ROOM, 600 + SOAK_ROUNDS * (SOAK_INTERVAL + 300), soak_rounds
        ),
        "in-process": in_process,
        "link": lambda: phase_on_server(res, site, "link", LINK_PAGES, 1800, link),
    }
    try:
        for name in os.environ.get("BENCH_PHASES", ",".join(phases)).split(","):
            phases[name.strip()]()
    finally:
        for server in SERVERS:
            with contextlib.suppress(Exception):
                stop(server)
    check_targets(res)
    text = report(res)
    print(text)
    (ROOT / "benchmarks" / "RESULTS.md").write_text(text, encoding="utf-8")
    shutil.rmtree(site.folder, ignore_errors=True)
    return 1 if FAILURES or MISSED else 0


if __name__ == "__main__":
    sys.exit(main())
