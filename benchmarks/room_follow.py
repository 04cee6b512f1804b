"""How fast the phones follow a led room, and what an idle led page costs. Run by hand (not in
``make test`` or ``make bench``)::

    python benchmarks/room_follow.py [PHONES] [STEPS]

Starts a kit server as ``make serve`` does, opens the trainer's remote and PHONES participant
pages (default 3) in Chromium, starts the default agenda and clicks "Next" STEPS times (default
8). For every click it records, in the pages' own clock (one machine: one clock), the time from
the click to the new step's title on each phone (a MutationObserver in each page notes when the
title appears). Then it leaves the room idle for a minute and reads the CPU time of each
participant page's kernel (and of the server) before and after.

Measured on the 2-core test machine, Dec 2026, 3 phones, 8 steps, with other work running
(load average 6-10), phones looking twice a second: click to title on a phone median 0.91 s,
p95 1.92 s, max 2.00 s; an idle led page's kernel 0.16 s of CPU a minute (0.3 % of a core; the
server process 0.04 s a minute for all four pages). At one look a second under load 16: median
1.82 s, p95 3.42 s, and 0.09 s a minute.

On a quiet machine (nothing else running), 10 phones, 8 steps (``make bench-room``): median
0.45 s, p95 2.53 s, max 2.60 s (over the 2 s goal: the tail is ten kernels redrawing at once);
an idle led page's kernel 0.16 s of CPU a minute, the server 1.1 s a minute for 10 phones and the
remote.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kit.content import default_content  # noqa: E402
from kit.storage import Store  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, NOTEBOOKS, VoilaServer  # noqa: E402

WATCH = """
window.__seen = {};
new MutationObserver(() => {
  const t = document.querySelector('.kit-phone-title');
  if (t && !(t.textContent in window.__seen)) window.__seen[t.textContent] = Date.now();
}).observe(document.body, {subtree: true, childList: true, characterData: true});
"""


def kernel_of(page: Page, server: VoilaServer) -> psutil.Process:
    kernel = json.loads(page.locator("#jupyter-config-data").text_content() or "{}")["kernelId"]
    return next(k for k in server.kernels() if kernel in " ".join(k.cmdline()))


def cpu(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    return float(times.user + times.system)


def main(phones: int = 3, steps: int = 8) -> None:
    agenda = default_content().agenda("workshop")
    folder = Path(tempfile.mkdtemp(prefix="kit-room-bench-"))
    server = VoilaServer(NOTEBOOKS, env={"KIT_DATABASE_URL": f"sqlite:///{folder / 'k.sqlite3'}"})
    store = Store(server.db_url)
    info, key = store.create_session("Bench", None, "samen-sterk")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            pages = []
            for n in range(phones):
                joined = store.join(info.code, f"P{n}")
                url = server.render_url(
                    "deelnemer.ipynb",
                    f"session={info.code}&p={joined.token.replace('-', '')}&lang=en",
                )
                page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
                page.goto(url, timeout=120_000)
                page.wait_for_selector(".kit-session-status", timeout=120_000)
                pages.append(page)
            trainer = browser.new_page()
            trainer.goto(server.render_url("leiden.ipynb", f"session={info.code}&lang=en"))
            trainer.wait_for_selector(".kit-lead-form", timeout=120_000)
            trainer.locator(".kit-lead-key input").fill(key)
            trainer.locator(".kit-lead-open").click()
            trainer.locator(".kit-lead-agenda select").select_option(
                label=f"{agenda.name('en')} ({agenda.minutes} min)"
            )
            trainer.locator(".kit-lead-start").click()
            for page in pages:
                page.wait_for_selector(".kit-phone-title", timeout=30_000)
                page.evaluate(WATCH)
            delays: list[float] = []
            for step in agenda.steps[1 : steps + 1]:
                title = step.title("en")
                clicked = trainer.evaluate("Date.now()")
                trainer.locator(".kit-remote-next").click()
                for page in pages:
                    page.wait_for_function(
                        "t => window.__seen && t in window.__seen", arg=title, timeout=30_000
                    )
                    delays.append((page.evaluate("t => window.__seen[t]", title) - clicked) / 1000)
            delays.sort()
            p95 = delays[min(len(delays) - 1, round(0.95 * (len(delays) - 1)))]
            print(
                f"step change -> phone shows it: {len(delays)} samples ({phones} phones x "
                f"{steps} steps): median {statistics.median(delays):.2f} s, p95 {p95:.2f} s, "
                f"max {max(delays):.2f} s"
            )
            kernels = [kernel_of(page, server) for page in pages]
            main_proc = psutil.Process(server.proc.pid)
            time.sleep(5)  # the last step's redraws settle
            before = [cpu(k) for k in kernels]
            server_before = cpu(main_proc)
            time.sleep(60)
            used = [cpu(k) - b for k, b in zip(kernels, before, strict=True)]
            server_used = cpu(main_proc) - server_before
            print(
                "idle led participant page, CPU per minute of its kernel: "
                + ", ".join(f"{u:.2f} s" for u in used)
                + f" (mean {statistics.mean(used):.2f} s = {statistics.mean(used) / 60:.1%} of a core);"
                f" server process {server_used:.2f} s for {phones} phones and the remote"
            )
            browser.close()
    finally:
        store.dispose()
        server.stop()


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
