"""How fast the phones follow a led room, how fast votes reach the projector, and what an idle
led page costs. Part of ``make bench`` (after bench.py) and ``make bench-room``::

    python benchmarks/room_follow.py [PHONES] [STEPS]

Starts a kit server as ``make serve`` does, opens PHONES participant pages (default 3) in
Chromium, the trainer's remote and the projector, starts the default agenda and clicks "Next"
STEPS times (default 8). Before each click it waits until no phone's kernel is busy (a trainer
leaves a step open while the room works; clicking on while ten kernels still build the exercise
just opened measures the build, see below). For every click it records, in the pages' own clock
(one machine: one clock), the time from the click to the new step's title on each phone (a
MutationObserver in each page), also per kind of step. Then every phone votes on the phase poll
within the same 5 seconds: each vote must be stored once and the projector must count them all;
the time from a vote's Send to the projector's count including it is recorded. Last, the room
idles for a minute and the CPU time of each participant page's kernel and of the server is read.
The findings go to their own section of benchmarks/RESULTS.md.

Where the tail came from (10 phones, Dec 2026): not the phones' look at the store (one
primary-key read every 0.5 s, ~1.5 ms) and not the websocket (a vote reaches the projector in
0.5 s median even on a loaded machine), but the kernels being busy: an exercise step opens its
app's tab on every phone, and building an app (the quickscan's 106 statements, matplotlib) keeps
a kernel busy for seconds when ten build at once on two cores. Clicking Next back to back, the
steps right after an exercise waited for those builds (median 6.6 s, p95 11.3 s under load 30)
and the exercise step's own title waited for the builds of the phones that looked first. The
phone panel now shows the title first and opens the tab one second later (room_app.OPEN_AFTER).

The step right after the Quickscan (6.8-7.0 s on every phone with 10 phones, Dec 2026) was the
same queue: the Quickscan sent each page 168 widget messages (89 kB), and the next step's title
(one message) came after them. A kernel starved of CPU by a loaded machine looks idle to the CPU
check while its messages still trickle out, so the bench also waits until no phone had a
websocket message for a second (``BENCH_ROOM_SETTLE=cpu`` leaves that out, as before), and
reports the messages and bytes each step sent a phone: a count the machine's load cannot change
(tests/test_room_traffic.py counts the same in the kernel).
"""

from __future__ import annotations

import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil
from playwright.sync_api import Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kit.apps.room_app import OPEN_AFTER  # noqa: E402
from kit.content import Agenda, default_content  # noqa: E402
from kit.storage import Store  # noqa: E402
from tests.conftest import CHROMIUM_ARGS, FULL_CHROMIUM, NOTEBOOKS, VoilaServer  # noqa: E402

WATCH = """
window.__seen = {};
new MutationObserver(() => {
  const t = document.querySelector('.kit-phone-title');
  if (t && !(t.textContent in window.__seen)) window.__seen[t.textContent] = Date.now();
}).observe(document.body, {subtree: true, childList: true, characterData: true});
"""


#: Counts the websocket messages a page receives (and their size) and when the last one came:
#: what a step costs the queue between a phone's kernel and its page, whatever the machine's load.
WIRE = """
(() => {
  const Base = window.WebSocket;
  window.__wire = {count: 0, bytes: 0, last: 0};
  window.WebSocket = class extends Base {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', e => {
        const d = e.data;
        window.__wire.count += 1;
        window.__wire.bytes += typeof d === 'string' ? d.length : (d.byteLength || d.size || 0);
        window.__wire.last = Date.now();
      });
    }
  };
})();
"""


#: ``BENCH_ROOM_SETTLE=cpu`` waits for quiet CPU only, as the bench did before Dec 2026 (to
#: compare with its figures); the default also waits for the phones' websockets to be quiet.
SETTLE_WIRE = os.environ.get("BENCH_ROOM_SETTLE", "wire") != "cpu"
#: The group store: SQLite as `make serve` uses it, or ``BENCH_ROOM_DB=postgres`` (a PostgreSQL
#: server of its own): the phones look at the room's version the same way on both.
DB = os.environ.get("BENCH_ROOM_DB", "sqlite")


def wire_quiet(pages: list[Page], quiet_ms: int = 1000, limit: float = 60.0) -> None:
    """Wait until no page has had a websocket message for ``quiet_ms``: what a kernel sent has
    arrived. (A kernel that the machine starves of CPU looks idle to :func:`settle` while its
    messages still trickle out; the page sees them come.)"""
    start = time.monotonic()
    while SETTLE_WIRE and time.monotonic() - start < limit:
        gaps = [page.evaluate("Date.now() - window.__wire.last") for page in pages]
        if min(gaps) >= quiet_ms:
            return
        time.sleep(max(0.05, (quiet_ms - min(gaps)) / 1000))


def kernel_of(page: Page, server: VoilaServer) -> psutil.Process:
    kernel = json.loads(page.locator("#jupyter-config-data").text_content() or "{}")["kernelId"]
    return next(k for k in server.kernels() if kernel in " ".join(k.cmdline()))


def cpu(proc: psutil.Process) -> float:
    try:
        times = proc.cpu_times()
    except psutil.NoSuchProcess:  # a browser helper process that came and went
        return 0.0
    return float(times.user + times.system)


PROJECTOR_WATCH = """
window.__answered = {};
new MutationObserver(() => {
  const a = document.querySelector('.kit-room-answered');
  const m = a && a.textContent.match(/^(\\d+) of/);
  if (m && !(m[1] in window.__answered)) window.__answered[m[1]] = Date.now();
}).observe(document.body, {subtree: true, childList: true, characterData: true});
"""

#: A vote sent from a phone's page at a given moment: the first option, then Send.
VOTE_AT = """
([at, option]) => new Promise(resolve => setTimeout(() => {
  const radios = document.querySelectorAll('.kit-phone-choice input[type=radio]');
  radios[option % radios.length].click();
  setTimeout(() => {
    window.__sent = Date.now();
    document.querySelector('.kit-phone-send').click();
    resolve(window.__sent);
  }, 30);
}, at - Date.now()))
"""


def settle(procs: list[psutil.Process], quiet: float = 0.05, limit: float = 20.0) -> float:
    """Wait until no phone's kernel or page is busy (each under ``quiet`` of a core over a
    quarter of a second; at most ``limit`` seconds): the trainer moves on once the room has the
    step, not while every phone is still building the exercise just opened. Returns the wait."""
    start = time.monotonic()
    time.sleep(OPEN_AFTER + 0.5)  # an exercise's app starts building only this long after
    while time.monotonic() - start < limit:
        before = [cpu(p) for p in procs]
        time.sleep(0.25)
        if all((cpu(p) - b) / 0.25 < quiet for p, b in zip(procs, before, strict=True)):
            break
    return time.monotonic() - start


def p95(values: list[float]) -> float:
    ranked = sorted(values)
    return ranked[min(len(ranked) - 1, round(0.95 * (len(ranked) - 1)))]


REPORT: list[str] = []


def say(text: str) -> None:
    """Print a finding and keep it for the RESULTS.md section."""
    print(text, flush=True)
    REPORT.append(text)


def write_results(phones: int, steps: int) -> None:
    """Put the findings in benchmarks/RESULTS.md between the room markers (replacing an earlier
    run's; ``make bench`` runs this after bench.py, which rewrites the rest of the file)."""
    path = ROOT / "benchmarks" / "RESULTS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    tag, store = ("room_follow", "SQLite") if DB != "postgres" else ("room_follow_pg", "PostgreSQL")
    begin, end = f"<!-- {tag} -->", f"<!-- /{tag} -->"
    load = ", ".join(f"{x:.1f}" for x in psutil.getloadavg())
    section = (
        f"{begin}\n## A led room in real pages, {store} (benchmarks/room_follow.py)\n\n"
        f"Run {time.strftime('%Y-%m-%d %H:%M')} with {phones} participant pages (Chromium, "
        f"390×844), the trainer's remote and the projector on one kit server, the group store "
        f"in {store}; {steps} steps. "
        f"Load average at the end: {load} on {psutil.cpu_count()} cores.\n\n"
        + "".join(f"- {line.strip()}\n" for line in REPORT)
        + f"{end}\n"
    )
    if begin in text and end in text:
        text = text[: text.index(begin)] + section + text[text.index(end) + len(end) + 1 :]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def line(name: str, values: list[float]) -> str:
    return (
        f"{name}: {len(values)} samples, median {statistics.median(values):.2f} s, "
        f"p95 {p95(values):.2f} s, max {max(values):.2f} s"
    )


def main(phones: int = 3, steps: int = 8) -> None:
    content = default_content()
    agenda = content.agenda("workshop")
    folder = Path(tempfile.mkdtemp(prefix="kit-room-bench-"))
    pg = None
    url = f"sqlite:///{folder / 'k.sqlite3'}"
    if DB == "postgres":  # a throwaway PostgreSQL server of its own, as the tests start one
        from tests.conftest import free_port
        from tests.pg import PgServer, pg_bin

        if pg_bin() is None:
            sys.exit(
                "BENCH_ROOM_DB=postgres: PostgreSQL is not installed (apt-get install postgresql)"
            )
        pg = PgServer(free_port())
        pg.start()
        url = pg.url
    server = VoilaServer(NOTEBOOKS, env={"KIT_DATABASE_URL": url})
    store = Store(server.db_url)
    info, key = store.create_session("Bench", None, "samen-sterk")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=FULL_CHROMIUM, args=CHROMIUM_ARGS)
            pages = []
            started = time.monotonic()
            for n in range(phones):
                joined = store.join(info.code, f"P{n}")
                url = server.render_url(
                    "deelnemer.ipynb",
                    f"session={info.code}&p={joined.token.replace('-', '')}&lang=en",
                )
                phone = browser.new_context(viewport={"width": 390, "height": 844})
                phone.add_init_script(WIRE)
                page = phone.new_page()
                page.goto(url, timeout=300_000)
                page.wait_for_selector(".kit-session-status", timeout=300_000)
                pages.append(page)
            say(
                f"{phones} participant pages opened one after another in {time.monotonic() - started:.0f} s"
            )
            trainer = browser.new_page()
            trainer.goto(server.render_url("leiden.ipynb", f"session={info.code}&lang=en"))
            trainer.wait_for_selector(".kit-lead-form", timeout=300_000)
            trainer.locator(".kit-lead-key input").fill(key)
            trainer.locator(".kit-lead-open").click()
            trainer.locator(".kit-lead-agenda select").select_option(
                label=f"{agenda.name('en')} ({agenda.minutes} min)"
            )
            trainer.locator(".kit-lead-start").click()
            projector = browser.new_page(viewport={"width": 1920, "height": 1080})
            projector.goto(
                server.render_url("presentatie.ipynb", f"session={info.code}&lang=en"),
                timeout=300_000,
            )
            projector.wait_for_selector(".kit-room-screen", timeout=300_000)
            for page in pages:
                page.wait_for_selector(".kit-phone-title", timeout=30_000)
                page.evaluate(WATCH)
            kernels = [kernel_of(page, server) for page in pages]
            server_proc = psutil.Process(server.proc.pid)
            traffic: list[str] = []
            snapshots: list[list[dict[str, int]]] = []
            delays: list[float] = []
            by_kind: dict[str, list[float]] = {}
            waits: list[float] = []
            slowest: list[str] = []
            for step in agenda.steps[1 : steps + 1]:
                title = step.title("en")
                # The phones' browsers run on this machine too: a page rendering an app's
                # widgets is as busy as a kernel building them (on a real phone it is the phone's).
                browsers = [
                    p for p in psutil.Process().children(recursive=True) if "chrom" in p.name()
                ]
                settled = settle(kernels + browsers + [server_proc])
                waited = time.monotonic()
                wire_quiet(pages)
                settled += time.monotonic() - waited
                before = [page.evaluate("({...window.__wire})") for page in pages]
                clicked = trainer.evaluate("Date.now()")
                trainer.locator(".kit-remote-next").click()
                for n, page in enumerate(pages):
                    try:
                        page.wait_for_function(
                            "t => window.__seen && t in window.__seen", arg=title, timeout=90_000
                        )
                    except PlaywrightTimeout:
                        shown = page.locator(".kit-phone-title").text_content()
                        raise SystemExit(
                            f"phone {n} did not show step {step.id!r} within 90 s (shows {shown!r})"
                        ) from None
                    delay = (page.evaluate("t => window.__seen[t]", title) - clicked) / 1000
                    delays.append(delay)
                    by_kind.setdefault(step.kind, []).append(delay)
                waits.append(settled)
                slowest.append(f"{step.id} {max(delays[-len(pages) :]):.2f} s")
                snapshots.append(before)
            # What each step sent a phone: from its click to the next one's (then the phones had
            # settled, websockets quiet included); the last step's up to its own settling.
            settle([*kernels, server_proc])
            wire_quiet(pages)
            snapshots.append([page.evaluate("({...window.__wire})") for page in pages])
            for step, (b0, b1) in zip(
                agenda.steps[1 : steps + 1],
                itertools.pairwise(snapshots),
                strict=False,
            ):
                count = statistics.median(
                    a["count"] - b["count"] for a, b in zip(b1, b0, strict=True)
                )
                size = statistics.median(
                    a["bytes"] - b["bytes"] for a, b in zip(b1, b0, strict=True)
                )
                traffic.append(f"{step.id} {count:.0f} msgs / {size / 1000:.0f} kB")
            say(
                line(f"step change -> phone shows it ({phones} phones x {steps} steps)", delays)
                + f" (before each click the phones' kernels had settled: waited up to "
                f"{max(waits):.1f} s, as a trainer leaves a step open while the room works; "
                + (
                    "and until no phone had a websocket message for 1 s)"
                    if SETTLE_WIRE
                    else "CPU only)"
                )
            )
            for kind, values in sorted(by_kind.items()):
                say(line(f"of which to a step of kind {kind}", values))
            say("the slowest phone per step: " + ", ".join(slowest))
            if SETTLE_WIRE:  # (with CPU-only settling the next click comes before it all arrived)
                say(
                    "websocket messages and bytes each phone received per step (median of the "
                    "phones; does not depend on the machine's load): " + ", ".join(traffic)
                )
            votes(store, info.code, key, agenda, trainer, projector, pages)
            idle(server, pages, phones)
            browser.close()
        write_results(phones, steps)
    finally:
        store.dispose()
        server.stop()
        if pg is not None:
            pg.destroy()


def votes(
    store: Store,
    code: str,
    key: str,
    agenda: Agenda,
    trainer: Page,
    projector: Page,
    pages: list[Page],
) -> None:
    """Every phone votes on the phase poll within the same 5 seconds; the projector shows the
    count ("n of N have answered") as the votes arrive."""
    at = [s.id for s in agenda.steps].index("fase-poll")
    trainer.locator(".kit-remote-outline select").select_option(index=at)
    trainer.locator(".kit-remote-jump").click()
    title = agenda.steps[at].title("en")
    for page in pages:
        page.wait_for_function(
            "t => window.__seen && t in window.__seen", arg=title, timeout=30_000
        )
        page.wait_for_selector(".kit-phone-choice input[type=radio]", timeout=30_000)
    projector.wait_for_function(
        "t => document.querySelector('.kit-room-title')?.textContent === t", arg=title
    )
    projector.evaluate(PROJECTOR_WATCH)
    start = pages[0].evaluate("Date.now()") + 1500
    spread = 5000 / max(1, len(pages) - 1)
    sent: list[float] = []
    handles = []
    for n, page in enumerate(pages):
        handles.append((page, start + round(n * spread), n))
    # Each page fires at its own moment; the promises are collected afterwards.
    for page, when, n in handles:
        page.evaluate(f"window.__vote = ({VOTE_AT})([{when}, {n}])")
    for page, _, _ in handles:
        sent.append(page.evaluate("window.__vote"))
    total = len(pages)
    projector.wait_for_function(
        "n => window.__answered && n in window.__answered", arg=str(total), timeout=60_000
    )
    shown = projector.evaluate("window.__answered")
    sent.sort()
    lags = [(shown[str(k + 1)] - sent[k]) / 1000 for k in range(total) if str(k + 1) in shown]
    stored = store.poll_votes(code, key, "fase-poll")
    window = (sent[-1] - sent[0]) / 1000
    say(
        f"{total} votes sent within {window:.1f} s: {len(stored)} stored "
        f"({'each exactly once' if len(stored) == total else 'NOT each once'}), projector shows "
        f"{max(int(k) for k in shown)} of {total}"
    )
    say(line("vote sent -> projector count includes it", lags))


def idle(server: VoilaServer, pages: list[Page], phones: int) -> None:
    kernels = [kernel_of(page, server) for page in pages]
    main_proc = psutil.Process(server.proc.pid)  # (the same kernels as in main)
    time.sleep(5)  # the last step's redraws settle
    before = [cpu(k) for k in kernels]
    server_before = cpu(main_proc)
    time.sleep(60)
    used = [cpu(k) - b for k, b in zip(kernels, before, strict=True)]
    server_used = cpu(main_proc) - server_before
    say(
        "idle led participant page, CPU per minute of its kernel: "
        + ", ".join(f"{u:.2f} s" for u in used)
        + f" (mean {statistics.mean(used):.2f} s = {statistics.mean(used) / 60:.1%} of a core);"
        f" server process {server_used:.2f} s for {phones} phones, the remote and the projector"
    )


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
