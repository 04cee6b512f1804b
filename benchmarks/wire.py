"""What a phone pays on the wire for a kit page: requests, bytes, compression and caching,
measured in Chromium through the DevTools protocol (``Network.*`` events). Used by ``make bench``
(benchmarks/bench.py, the "wire" and "room link" phases) and runnable alone::

    python benchmarks/wire.py            # the participant page, first and repeat visit

A visit is one page load in a browser context that may hold the previous visit's cache. Each
request is recorded with its URL, status, the bytes that crossed the wire (``encodedDataLength``,
headers included), its ``Content-Encoding`` and ``Cache-Control`` and whether the browser served it
from its cache without asking the server.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.wire import FIRST_WIDGET, PHONE, Recorder, Visit, visit  # noqa: E402


def kb(n: float) -> str:
    return f"{n / 1000:,.0f} kB"


def summary(v: Visit) -> str:
    reached = v.to_server
    return (
        f"{len(v.requests)} requests, {len(reached)} reached the server, "
        f"{kb(v.wire_bytes)} on the wire, first widget after {v.seconds:.2f} s"
    )


def main() -> int:
    import argparse
    import tempfile

    from playwright.sync_api import sync_playwright

    from kit.storage import Store
    from tests.conftest import CHROMIUM_ARGS, FULL_CHROMIUM, VoilaServer

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--page", default="deelnemer.ipynb")
    parser.add_argument("--list", action="store_true", help="print every request")
    parser.add_argument("--url", help="an already running server (no server started)")
    args = parser.parse_args()
    server = None
    if args.url:
        base, code = args.url.rstrip("/"), ""
    else:
        folder = Path(tempfile.mkdtemp(prefix="kit-wire-"))
        db = f"sqlite:///{folder / 'groups.sqlite3'}"
        store = Store(db)
        info, _ = store.create_session("Wire")
        store.dispose()
        code = info.code
        server = VoilaServer(ROOT / "notebooks", env={"KIT_DATABASE_URL": db})
        base = server.url
    try:
        url = f"{base}/voila/render/{args.page}" + (f"?session={code}" if code else "")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=FULL_CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
            page = context.new_page()
            rec = Recorder(page)
            ready = FIRST_WIDGET if args.page == "deelnemer.ipynb" else ".kit-app"
            for name in ("first visit", "repeat visit"):
                v = visit(page, rec, url, ready)
                print(f"{name}: {summary(v)}")
                if args.list:
                    for r in v.requests:
                        where = "cache" if r.from_cache else f"{r.encoded:>9}"
                        print(
                            f"   {r.status:3} {where} {r.body:>9} {r.encoding or '-':5} "
                            f"{r.cache_control[:40]:40} {r.url[:110]}"
                        )
                bad = v.uncompressed_text()
                if bad:
                    print(f"   uncompressed text: {len(bad)}, {kb(sum(r.body for r in bad))}")
                others = v.origins() - {f"{urlsplit(base).scheme}://{urlsplit(base).netloc}"}
                others.discard(f"ws://{urlsplit(base).netloc}")
                if others:
                    print(f"   other origins: {sorted(others)}")
            browser.close()
    finally:
        if server:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
