"""What reaches a phone (#18): every asset from the kit's own server, text compressed, hashed assets
cached for good, the page itself never; measured in Chromium as the bytes that cross the wire.

One Voila server (the session's) and one browser for the whole file.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, Page

from tests.conftest import NOTEBOOKS, PAGE_MS, VoilaServer
from tests.test_voila_render import APP_MARKER
from tests.wire import FIRST_WIDGET, PHONE, Recorder, Visit, visit

pytestmark = pytest.mark.voila

#: Goals of issue 18 for the participant page on a phone.
FIRST_VISIT_BYTES = 1_500_000
REPEAT_VISIT_BYTES = 100_000
REPEAT_VISIT_REQUESTS = 10
#: Pages that open only with a session in their URL.
WITH_SESSION = ("deelnemer.ipynb", "presentatie.ipynb", "leiden.ipynb")


@pytest.fixture(scope="module")
def code(voila_server: VoilaServer) -> Iterator[str]:
    from kit.storage import Store

    store = Store(voila_server.db_url)
    info, _ = store.create_session("Draad", case_id="buurtkracht", intervention_id="samen-sterk")
    store.dispose()
    yield info.code


@pytest.fixture(scope="module")
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context
    context.close()


def origin(url: str) -> str:
    parts = urlsplit(url)
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    return f"{scheme}://{parts.netloc}"


def test_every_app_loads_only_from_its_own_server(
    browser: Browser, voila_server: VoilaServer, code: str
) -> None:
    """All notebooks in notebooks/, opened at once as a participant or trainer would (with a
    session where a page needs one): each builds its app without an error, and every request
    and websocket goes to the kit's server."""
    notebooks = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    assert len(notebooks) >= 9
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    seen: dict[str, list[str]] = {}
    pages: list[tuple[str, Page]] = []
    try:
        for name in notebooks:
            page = context.new_page()
            urls = seen.setdefault(name, [])
            page.on("request", lambda r, urls=urls: urls.append(r.url))
            page.on("websocket", lambda ws, urls=urls: urls.append(ws.url))
            query = f"session={code}" if name in WITH_SESSION else ""
            page.goto(voila_server.render_url(name, query), wait_until="commit", timeout=PAGE_MS)
            pages.append((name, page))
        for name, page in pages:
            page.wait_for_selector("#rendered_cells", state="visible", timeout=PAGE_MS)
            # The app itself was built (its own root class), and shows no error.
            page.wait_for_selector(f".{APP_MARKER[name]}", timeout=PAGE_MS)
            page.wait_for_load_state("networkidle", timeout=PAGE_MS)
            assert page.locator(".kit-error").count() == 0, name
    finally:
        context.close()
    own = origin(voila_server.url)
    elsewhere = {
        name: sorted(
            {u for u in urls if u.split(":")[0] not in ("data", "blob") and origin(u) != own}
        )
        for name, urls in seen.items()
    }
    assert {name: urls for name, urls in elsewhere.items() if urls} == {}
    for name, urls in seen.items():  # each page really loaded its scripts and its kernel
        assert any("/voila/static/" in u for u in urls), name
        assert any(u.startswith("ws://") and "/channels" in u for u in urls), name


def test_the_participant_page_is_light_on_the_wire(
    phone: BrowserContext, voila_server: VoilaServer, code: str
) -> None:
    """First visit: every text asset compressed, under 1.5 MB in all; what names its content is
    cached for a year, the page itself never. Repeat visit: a handful of requests and bytes."""
    page = phone.new_page()
    recorder = Recorder(page)
    url = voila_server.render_url("deelnemer.ipynb", f"session={code}")
    first = visit(page, recorder, url, FIRST_WIDGET)
    again = visit(page, recorder, url, FIRST_WIDGET)
    page.close()

    assert first.uncompressed_text() == []
    assert first.wire_bytes <= FIRST_VISIT_BYTES, summary(first)
    # Voila's and the widgets' scripts (not the page script's liveness probe, kit-page.js?alive=)
    scripts = [r for r in first.to_server if "javascript" in r.mime and "alive=" not in r.url]
    assert len(scripts) > 40  # the visit was recorded
    for r in scripts:
        assert r.cache_control == "public, max-age=31536000, immutable", r.url
    # Code highlighting for a page that shows no code: never loaded.
    assert [r.url for r in first.requests if "jupyterlab_pygments" in r.url] == []
    html = next(r for r in first.to_server if "/voila/render/deelnemer.ipynb" in r.url)
    assert html.encoding == "gzip"
    assert "no-store" in html.cache_control

    assert len(again.to_server) <= REPEAT_VISIT_REQUESTS, summary(again)
    assert again.wire_bytes <= REPEAT_VISIT_BYTES, summary(again)
    assert any("/voila/render/deelnemer.ipynb" in r.url for r in again.to_server)  # not cached


def summary(v: Visit) -> str:
    lines = [f"{len(v.to_server)} requests, {v.wire_bytes} bytes"]
    lines += [f"  {r.status} {r.encoded:>8} {r.encoding or '-'} {r.url[:100]}" for r in v.to_server]
    return "\n".join(lines)


def _static_file() -> tuple[str, Path]:
    """A Voila chunk (a few hundred kB of JavaScript) and where it lies on disk."""
    from voila.paths import collect_static_paths

    chunks = [c for d in collect_static_paths(["voila"], "lab") for c in Path(d).glob("*.voila.js")]
    chunk = max(chunks, key=lambda p: p.stat().st_size)
    return chunk.name, chunk


def test_static_files_are_sent_compressed_once_and_revalidated_by_their_own_tag(
    voila_server: VoilaServer,
) -> None:
    """Over plain HTTP: the gzip of a static file is its exact bytes, a client without gzip gets
    them as they are, a range request is answered uncompressed, and an unchanged file is a 304
    (its compressed and plain forms carry different tags)."""
    name, path = _static_file()
    url = f"{voila_server.url}/voila/static/{name}"
    raw = path.read_bytes()

    zipped = requests.get(url, headers={"Accept-Encoding": "gzip"}, stream=True, timeout=30)
    body = zipped.raw.read(decode_content=False)
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert int(zipped.headers["Content-Length"]) == len(body) < len(raw) / 2
    assert gzip.decompress(body) == raw
    assert "Accept-Encoding" in zipped.headers["Vary"]
    # an unversioned URL: revalidated, never kept blindly
    assert zipped.headers["Cache-Control"] == "no-cache"

    plain = requests.get(url, headers={"Accept-Encoding": "identity"}, timeout=30)
    assert "Content-Encoding" not in plain.headers
    assert plain.content == raw
    assert plain.headers["ETag"] != zipped.headers["ETag"]

    part = requests.get(url, headers={"Accept-Encoding": "gzip", "Range": "bytes=0-99"}, timeout=30)
    assert part.status_code == 206
    assert part.content == raw[:100]

    again = requests.get(
        url,
        headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]},
        timeout=30,
    )
    assert again.status_code == 304


def test_voilas_scripts_have_a_versioned_address_kept_for_a_year(
    voila_server: VoilaServer,
) -> None:
    """The page loads Voila's scripts from ``/voila/static/<version>/``: immutable there; the
    address names this exact set of files, so another Voila means other addresses."""
    name, path = _static_file()
    page = requests.get(voila_server.render_url("index.ipynb"), timeout=120).text
    prefix = page.split('"fullStaticUrl": "', 1)[1].split('"', 1)[0]
    token = prefix.rstrip("/").rsplit("/", 1)[1]
    assert prefix == f"/voila/static/{token}" and len(token) == 12
    assert f'src="{prefix}/voila.js"' in page
    versioned = requests.get(f"{voila_server.url}{prefix}/{name}", timeout=30)
    assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert versioned.content == path.read_bytes()
    other = requests.get(f"{voila_server.url}/voila/static/0123456789ab/{name}", timeout=30)
    assert other.status_code in (403, 404)  # as bare Voila answers a missing static file
