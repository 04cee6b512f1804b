"""A room through one link (#18): participant pages loaded at once in Chromium through a local
proxy that shares a fixed bandwidth and adds latency, as a training room's access point does.
Part of ``make bench`` (the ``link`` phase); alone::

    python benchmarks/room_link.py [PAGES]

**The link.** :class:`Link` is one queue for every connection in both directions (Wi-Fi is one
shared medium): each chunk waits for the chunks before it, takes ``bytes / rate`` to cross, and
arrives ``latency / 2`` later (so a round trip adds ``latency``). **Before and after.** The same
server, once with the proxy rewriting every request's ``Accept-Encoding`` to ``identity`` (what
the browser got before the kit compressed anything: Voila's own ``compress_response`` never took
effect) and once as the browser asks. **Scaling to 30.** Thirty Chromium pages and thirty kernels
do not fit on the 2-core machine at once; ``PAGES`` pages share ``PAGES / 30`` of the link, which
gives each page the bandwidth it would have among 30 phones. Every page is a fresh browser (empty
cache: a first visit); its time runs from navigation to the join form's alias field being shown
(the first widget a participant uses), read in the page itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.wire import FIRST_WIDGET, PHONE, Recorder  # noqa: E402

#: The room: 30 phones on a busy access point.
ROOM = 30
MBIT = 50.0
LATENCY_MS = 20.0
CHUNK = 16 * 1024
IDENTITY = re.compile(rb"(?im)^accept-encoding:[^\r\n]*")


class Link:
    """One shared medium: a FIFO in which every chunk takes ``len / rate`` seconds."""

    def __init__(self, mbit: float, latency_ms: float) -> None:
        self.rate = mbit * 1e6 / 8
        self.one_way = latency_ms / 2000
        self.free_at = 0.0
        self.bytes = 0

    def reserve(self, n: int) -> float:
        """When a chunk of ``n`` bytes put on the link now has crossed it (loop time)."""
        now = asyncio.get_running_loop().time()
        self.free_at = max(now, self.free_at) + n / self.rate
        self.bytes += n
        return self.free_at


class LinkProxy:
    """A TCP proxy on 127.0.0.1 in a thread of its own, every byte through one :class:`Link`.
    ``identity`` rewrites request heads to ``Accept-Encoding: identity`` (masked websocket frames
    from the browser cannot match the pattern in practice)."""

    def __init__(self, target_port: int, mbit: float, latency_ms: float, identity: bool) -> None:
        self.target_port = target_port
        self.link = Link(mbit, latency_ms)
        self.identity = identity
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self._ready.wait(10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()

    def close(self) -> None:
        """Stop: every connection's tasks are cancelled before the loop ends."""

        async def shutdown() -> None:
            me = asyncio.current_task()
            tasks = [t for t in asyncio.all_tasks() if t is not me]
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._loop.stop()

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop)
        self._thread.join(10)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_r, up_w = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        await asyncio.gather(
            self._pump(reader, up_w, rewrite=self.identity),
            self._pump(up_r, writer, rewrite=False),
            return_exceptions=True,
        )

    async def _pump(
        self, src: asyncio.StreamReader, dst: asyncio.StreamWriter, rewrite: bool
    ) -> None:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                at, data = await queue.get()
                if not data:
                    break
                await asyncio.sleep(max(0.0, at - loop.time()))
                dst.write(data)
                await dst.drain()

        sender = asyncio.create_task(deliver())
        try:
            while True:
                data = await src.read(CHUNK)
                if not data:
                    break
                if rewrite:
                    data = IDENTITY.sub(b"Accept-Encoding: identity", data)
                crossed = self.link.reserve(len(data))
                await asyncio.sleep(max(0.0, crossed - loop.time()))
                queue.put_nowait((crossed + self.link.one_way, data))
        except (ConnectionError, OSError):
            pass
        finally:
            queue.put_nowait((0.0, b""))
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await sender
            with contextlib.suppress(Exception):
                dst.close()


#: Set in every page before its scripts run: the moment (ms since navigation) the first usable
#: widget is shown, without a test runner polling it.
READY_PROBE = """
(() => {
  const sel = SELECTOR;
  const seen = () => {
    const el = document.querySelector(sel);
    if (el && el.offsetParent !== null && !window.__kitReady) {
      window.__kitReady = performance.now();
      return true;
    }
    return false;
  };
  const watch = () => {
    if (seen()) return;
    new MutationObserver((_, obs) => { if (seen()) obs.disconnect(); })
      .observe(document, {subtree: true, childList: true, attributes: true});
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch);
  else watch();
})();
""".replace("SELECTOR", json.dumps(FIRST_WIDGET))


#: When the last script, style sheet or font a page loaded had fully arrived (ms since navigation).
LAST_BYTE = (
    "Math.max(0, ...performance.getEntriesByType('resource')"
    ".filter((e) => /script|link|css|other/.test(e.initiatorType)).map((e) => e.responseEnd))"
)


@dataclass
class Wave:
    label: str
    pages: int
    mbit: float
    seconds: list[float] = field(default_factory=list)  # per page, to the first widget
    arrived: list[float] = field(default_factory=list)  # per page, to its last asset's last byte
    bytes_per_page: list[int] = field(default_factory=list)
    link_bytes: int = 0
    failed: int = 0

    def quantile(self, q: float, values: list[float] | None = None) -> float:
        s = sorted(self.seconds if values is None else values)
        if not s:
            return float("nan")
        return s[min(len(s) - 1, round(q * (len(s) - 1)))]

    @property
    def median_bytes(self) -> float:
        return statistics.median(self.bytes_per_page) if self.bytes_per_page else float("nan")

    def wire_floor_30(self) -> float:
        """Seconds 30 phones' first visits need on a 50 Mbit/s link, bytes alone."""
        return ROOM * self.median_bytes * 8 / (MBIT * 1e6)


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_ARGS, FULL_CHROMIUM

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=FULL_CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wave(
    browser: Any,
    server_port: int,
    url_path: str,
    pages: int,
    identity: bool,
    label: str,
    deadline: float = 300.0,
) -> Wave:
    """``pages`` fresh phones open ``url_path`` at the same moment through one shared link."""
    mbit = MBIT * pages / ROOM
    proxy = LinkProxy(server_port, mbit, LATENCY_MS, identity)
    result = Wave(label, pages, mbit)
    contexts, opened = [], []
    try:
        for _ in range(pages):
            ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
            ctx.add_init_script(READY_PROBE)
            page = ctx.new_page()
            contexts.append(ctx)
            opened.append((page, Recorder(page)))
        for page, _ in opened:
            page.goto(proxy.url + url_path, wait_until="commit", timeout=deadline * 1000)
        end = time.monotonic() + deadline
        for page, recorder in opened:
            try:
                page.wait_for_function(
                    "() => window.__kitReady", timeout=max(1.0, end - time.monotonic()) * 1000
                )
                result.seconds.append(page.evaluate("window.__kitReady") / 1000)
                result.arrived.append(page.evaluate(LAST_BYTE) / 1000)
                page.wait_for_load_state("networkidle", timeout=60_000)
                got = recorder.take()
                result.bytes_per_page.append(sum(r.encoded for r in got if r.reached_server))
            except Exception as exc:  # a page that never showed its widget counts as failed
                result.failed += 1
                print(f"  {label}: a page failed: {str(exc).splitlines()[0]}", flush=True)
        result.link_bytes = proxy.link.bytes
    finally:
        for ctx in contexts:
            with contextlib.suppress(Exception):
                ctx.close()
        proxy.close()
    return result


def describe(w: Wave) -> str:
    return (
        f"{w.label}: {len(w.seconds)}/{w.pages} pages, first widget p50 {w.quantile(0.5):.1f} s, "
        f"p95 {w.quantile(0.95):.1f} s, {w.median_bytes / 1e6:.2f} MB per page, "
        f"link {w.mbit:.1f} Mbit/s, 30 phones need ≥ {w.wire_floor_30():.1f} s of link time"
    )


def table(waves: list[Wave]) -> list[str]:
    lines = [
        "| wave | pages at once | link (Mbit/s) | first widget p50 (s) | p95 (s) | max (s) | assets arrived p50 (s) | MB per page | link time for 30 phones, bytes alone (s) | failed |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for w in waves:
        lines.append(
            f"| {w.label} | {w.pages} | {w.mbit:.1f} | {w.quantile(0.5):.1f} | {w.quantile(0.95):.1f} "
            f"| {max(w.seconds, default=float('nan')):.1f} | {w.quantile(0.5, w.arrived):.1f} "
            f"| {w.median_bytes / 1e6:.2f} "
            f"| {w.wire_floor_30():.1f} | {w.failed} |"
        )
    return lines


def main() -> int:
    import tempfile

    from kit.storage import Store
    from tests.conftest import NOTEBOOKS, VoilaServer

    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    folder = Path(tempfile.mkdtemp(prefix="kit-link-"))
    db = f"sqlite:///{folder / 'groups.sqlite3'}"
    store = Store(db)
    info, _ = store.create_session("Link")
    store.dispose()
    server = VoilaServer(NOTEBOOKS, env={"KIT_DATABASE_URL": db}, room=pages, startup=300)
    path = f"/voila/render/deelnemer.ipynb?session={info.code}"
    waves = []
    try:
        with chromium() as browser:
            for identity, label in ((True, "before: uncompressed"), (False, "after: compressed")):
                wait_for_pool(server, pages)
                waves.append(wave(browser, server.port, path, pages, identity, label))
                print(describe(waves[-1]), flush=True)
    finally:
        server.stop()
    print("\n".join(table(waves)))
    return 0


def wait_for_pool(server: Any, size: int, timeout: float = 600) -> None:
    """Until ``size`` pre-heated kernels wait for their visitors: a kernel in
    ``wait_for_request`` holds a websocket to the server's port (as benchmarks/bench.py counts)."""
    import psutil

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        count = 0
        for p in server.kernels():
            with contextlib.suppress(psutil.Error):
                count += any(
                    c.raddr and c.raddr.port == server.port and c.status == psutil.CONN_ESTABLISHED
                    for c in p.net_connections("tcp")
                )
        if count >= size:
            return
        time.sleep(1)
    print(f"  the pool did not fill to {size} within {timeout:.0f} s", flush=True)


if __name__ == "__main__":
    sys.exit(main())
