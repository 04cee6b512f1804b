"""The room in a real browser: a trainer, a projector and participants on phones.

One trainer page (desktop), one presenter view, and participants in their own browser contexts
(a context is a device: its own storage) at 390×844.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, Page, expect

from kit.storage import Store
from kit.voila_server import READY_LOG
from tests.conftest import ANSWER_MS, NOTEBOOKS, PAGE_MS, VoilaServer, on_a_thread_of_its_own
from tests.test_browser_phases import open_app

PHONE = {"width": 390, "height": 844}


def phone(browser: Browser) -> BrowserContext:
    return browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)


def open_participant(p: Page, url: str) -> None:
    p.goto(url, timeout=PAGE_MS)
    p.wait_for_selector("#rendered_cells", state="visible", timeout=PAGE_MS)
    p.wait_for_selector(".kit-app-workshop", timeout=PAGE_MS)


def join(p: Page, alias: str, token: str = "") -> None:
    p.locator(".kit-session-alias input").fill(alias)
    if token:
        p.locator(".kit-session-token input").fill(token)
    p.locator(".kit-session-join").click()


def create_session(page: Page, server: VoilaServer, title: str) -> tuple[str, str, str]:
    """Create a session in the Group app; returns code, facilitator key and join link."""
    open_app(page, server, "groep.ipynb", "lang=en")
    page.locator(".kit-new-title input").fill(title)
    page.locator(".kit-create-session").click()
    code = page.locator(".kit-join-code").inner_text().strip()
    key = page.locator(".kit-key").inner_text().strip()
    link = page.locator("a.kit-join-link").get_attribute("href") or ""
    return code, key, link


def test_a_room_joins_works_and_is_closed(
    page: Page, browser: Browser, voila_server: VoilaServer
) -> None:
    code, key, link = create_session(page, voila_server, "Room workshop")
    assert re.fullmatch(r"[A-Z2-9]{6}", code) and len(key) >= 12
    assert link.endswith(f"deelnemer.ipynb?session={code}&lang=en")
    # The test server's address is 127.0.0.1: the trainer is told phones cannot use it.
    expect(page.locator(".kit-local-warning")).to_contain_text("Phones cannot open this link")
    # The presenter view: QR code, code and link, a live count; never the key.
    projector = page.context.new_page()
    projector.goto(
        voila_server.url
        + "/voila/render/"
        + page.locator("a.kit-presenter-link").get_attribute("href")
    )
    projector.wait_for_selector(".kit-presenter-view .kit-join-code", timeout=PAGE_MS)
    expect(projector.locator(".kit-presenter-view .kit-join-code")).to_have_text(code)
    expect(projector.locator(".kit-presenter-qr svg")).to_be_visible()
    expect(projector.locator(".kit-presenter-count")).to_contain_text("0 participants have joined")
    assert key not in projector.content()
    # The trainer hides the key once written down.
    page.locator(".kit-key-done").click()
    expect(page.locator(".kit-key")).to_have_count(0)

    # Merel joins on her phone from the join link.
    merel_phone = phone(browser)
    merel = merel_phone.new_page()
    open_participant(merel, link)
    expect(merel.locator(".kit-workshop-intro")).to_contain_text("Room workshop")
    join(merel, "Merel")
    status = merel.locator(".kit-session-status")
    expect(status).to_contain_text("as Merel", timeout=ANSWER_MS)
    merel.locator(".kit-token-details > summary").click()  # the code waits behind a tap
    token = merel.locator(".kit-personal-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", token)
    # Her address bar now carries her personal code: a reload keeps her in the session.
    expect(merel).to_have_url(re.compile(rf"p={token.replace('-', '')}"))
    # She appears on the dashboard and the projector before answering anything.
    expect(page.locator(".kit-joined")).to_contain_text(
        "Merel (nothing entered yet)", timeout=20_000
    )
    expect(projector.locator(".kit-presenter-count")).to_contain_text(
        "1 participant has joined", timeout=20_000
    )

    # Someone else types "merel " on another phone: refused, and a guessed code does not help.
    other = phone(browser).new_page()
    open_participant(other, link)
    join(other, " merel ")
    expect(other.locator(".kit-session-message")).to_contain_text("already uses this alias")
    join(other, "MEREL", "ABCD-EFGH")
    expect(other.locator(".kit-session-message")).to_contain_text("does not belong to this alias")
    expect(other.locator(".kit-session-status")).to_have_count(0)

    # Merel answers in the quickscan (the session's tab, on her phone), then reloads.
    merel.get_by_role("tab", name="2 · Quickscan").click()
    first = merel.locator(".kit-scale").first
    first.locator("input[type=radio]").nth(2).check()
    expect(status).to_contain_text("saved at", timeout=20_000)
    expect(page.locator(".kit-joined .kit-alias").first).to_have_text("Merel", timeout=20_000)
    merel.reload()
    merel.wait_for_selector(".kit-session-status", timeout=PAGE_MS)
    expect(merel.locator(".kit-session-status")).to_contain_text("as Merel")
    merel.get_by_role("tab", name="2 · Quickscan").click()
    expect(merel.locator(".kit-scale").first.locator("input[type=radio]").nth(2)).to_be_checked()
    # On the same phone, the QR code scanned again (no personal code in the link): still Merel.
    open_participant(merel, link)
    expect(merel.locator(".kit-session-status")).to_contain_text("as Merel", timeout=ANSWER_MS)
    # Moving on to Kern en schil keeps her in the session: no joining again.
    merel.get_by_role("tab", name="3 · Core and shell").click()
    # The tab is built by the kernel when first opened: seconds on a busy machine.
    expect(merel.locator(".kit-intervention-choice")).to_be_visible(timeout=ANSWER_MS)
    expect(merel.locator(".kit-session-status")).to_contain_text("as Merel")
    # A standalone app opened with her link also knows her.
    merel.goto(
        voila_server.render_url(
            "kern-en-schil.ipynb", f"session={code}&p={token.replace('-', '')}&lang=en"
        )
    )
    merel.wait_for_selector(".kit-session-status", timeout=PAGE_MS)
    expect(merel.locator(".kit-session-status")).to_contain_text("as Merel")
    # On a laptop (another device) she comes back with alias and personal code.
    laptop = phone(browser).new_page()
    open_participant(laptop, link)
    join(laptop, "merel", token.lower())
    expect(laptop.locator(".kit-session-status")).to_contain_text("as Merel", timeout=ANSWER_MS)

    # The trainer closes the session: confirmation next to the button, QR code gone.
    page.locator(".kit-close-session").click()
    expect(page.locator(".kit-action-message")).to_contain_text("First tick")
    page.locator(".kit-confirm-close input").check()
    page.locator(".kit-close-session").click()
    expect(page.locator(".kit-action-message")).to_contain_text("The session is closed")
    expect(page.locator(".kit-join-link")).to_have_count(0)
    expect(page.locator(".kit-session-header")).to_contain_text(
        "QR code and the link have been removed"
    )
    expect(projector.locator(".kit-presenter-closed")).to_be_visible(timeout=20_000)
    expect(projector.locator(".kit-presenter-qr")).to_have_count(0)
    # Merel's next answer is refused, and the bar at the top of her screen says so.
    laptop.get_by_role("tab", name="2 · Quickscan").click()
    laptop.locator(".kit-scale").first.locator("input[type=radio]").nth(0).check()
    expect(laptop.locator(".kit-session-status")).to_contain_text(
        "closed this session", timeout=20_000
    )
    # ...and, on a long phone page, at the bottom of the screen where she is looking.
    toast = laptop.locator("#kit-page-toast")
    expect(toast).to_contain_text("closed this session")
    expect(toast).to_be_in_viewport()
    merel_phone.close()


def test_lost_kernel_says_so_and_reload_brings_answers_back(
    browser: Browser, voila_server: VoilaServer, tmp_path: Path
) -> None:
    store = Store(voila_server.db_url)
    info, _ = store.create_session("Lost kernel")
    ctx = phone(browser)
    p = ctx.new_page()
    open_participant(p, voila_server.render_url("deelnemer.ipynb", f"session={info.code}"))
    join(p, "Vos")
    expect(p.locator(".kit-session-status")).to_contain_text("als Vos", timeout=ANSWER_MS)
    p.get_by_role("tab", name="2 · Quickscan").click()
    p.locator(".kit-scale").first.locator("input[type=radio]").nth(3).check()
    # Saving runs in the background: the kernel dies only once the answer is in the store (the
    # bar may still say "saved at" from joining).
    deadline = time.monotonic() + 30
    while store.count(info.code) == 0:
        assert time.monotonic() < deadline, "the answer never reached the store"
        time.sleep(0.2)
    expect(p.locator(".kit-session-status")).to_contain_text("opgeslagen om", timeout=20_000)
    kernel = json.loads(p.locator("#jupyter-config-data").text_content() or "{}")["kernelId"]
    # Only the kernel dies; the server stays. Its liveness pings are answered here, at once: on a
    # loaded machine two pings past their 2 s deadline made the page take the server for gone
    # (the "offline" path, which reloads by itself when the server answers) before it saw the
    # dead kernel, and the message this test is about never came.
    p.route(lambda url: "alive=" in url, lambda route: route.fulfill(status=200, body=""))
    for proc in psutil.Process(voila_server.proc.pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):  # other tests' stopped kernels: zombies
            if kernel in " ".join(proc.cmdline()):
                proc.send_signal(signal.SIGKILL)
    alert = p.locator(".kit-page-lost")
    expect(alert).to_contain_text("De verbinding met de server is verbroken", timeout=ANSWER_MS)
    p.get_by_role("button", name="Pagina opnieuw laden").click()
    p.wait_for_selector(".kit-session-status", timeout=PAGE_MS)
    expect(p.locator(".kit-session-status")).to_contain_text("als Vos")
    p.get_by_role("tab", name="2 · Quickscan").click()
    expect(p.locator(".kit-scale").first.locator("input[type=radio]").nth(3)).to_be_checked()
    ctx.close()
    store.dispose()


def ws_status(url: str, headers: dict[str, str]) -> int:
    """The HTTP status of a websocket handshake (101 when it opened)."""
    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import websocket_connect

    async def handshake() -> int:
        try:
            conn = await websocket_connect(HTTPRequest(url, headers=headers))
        except HTTPClientError as refused:
            return refused.code
        conn.close()
        return 101

    return on_a_thread_of_its_own(lambda: asyncio.run(handshake()))


#: What the server logs when a pre-heated kernel waits for its visitor (kit/voila_server.py).
READY = READY_LOG.rsplit("%s", 1)[1]


def wait_for_ready(server: VoilaServer, count: int, timeout: float = 240) -> None:
    """Until the server's log says that ``count`` pre-heated kernels in all have become ready
    (each waits for its visitor: a page gets it at once)."""
    deadline = time.monotonic() + timeout
    while (ready := server.log_path.read_text().count(READY)) < count:
        assert time.monotonic() < deadline, f"{ready} of {count} pre-heated kernels ready"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def pooled_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """A server in room mode: pre-heated participant pages (a pool of 2)."""
    db = tmp_path_factory.mktemp("pool-db") / "groups.sqlite3"
    server = VoilaServer(
        NOTEBOOKS,
        env={"KIT_DATABASE_URL": f"sqlite:///{db}"},
        room=2,
        log_path=tmp_path_factory.mktemp("pool-log") / "voila.log",
    )
    try:
        yield server
    finally:
        server.stop()


def test_a_pooled_page_honours_its_url(page: Page, pooled_server: VoilaServer) -> None:
    store = Store(pooled_server.db_url)
    info, _ = store.create_session("Pooled", case_id="schuldmaatjes")
    wait_for_ready(pooled_server, 2)
    page.goto(pooled_server.render_url("deelnemer.ipynb", f"lang=en&session={info.code}"))
    page.wait_for_selector(".kit-app-workshop", timeout=PAGE_MS)
    assert pooled_server.log_path.read_text().count("Using pre-heated kernel") == 1
    # The pooled kernel is bound to this page, as a kernel started for it would be.
    kernel = json.loads(page.locator("#jupyter-config-data").text_content() or "{}")["kernelId"]
    bound = {c["path"] for c in page.context.cookies() if c["name"] == "kit_kernel"}
    assert f"/api/kernels/{kernel}" in bound
    # Where a pooled kernel waits for its visitor's request (her URL, with her personal code)
    # only the kernel itself may connect: not through the proxy, not from another machine.
    query = f"ws://127.0.0.1:{pooled_server.port}/voila/query/{kernel}"
    assert ws_status(query, {"X-Real-IP": "192.0.2.9"}) == 403
    expect(page.locator(".kit-app h1")).to_have_text("Implementation workshop")
    expect(page.locator(".kit-workshop-intro")).to_contain_text("“Pooled”")
    expect(page.locator(".kit-session-code input")).to_have_value(info.code)
    page.get_by_role("tab", name="2 · Quickscan").click()
    expect(page.locator(".kit-narrative")).to_contain_text("Dijkwaarden")
    # The pool refills (two at a time, once no page was asked for during a few seconds). Three
    # visitors at once then find two ready kernels: two get one, the third gets a kernel of their
    # own at once instead of waiting for a refill still starting (bare Voila hands those out:
    # a fourth "pre-heated" use).
    wait_for_ready(pooled_server, 3)  # the first two, and the refill for the first visitor
    url = pooled_server.render_url("deelnemer.ipynb", f"lang=en&session={info.code}")
    with ThreadPoolExecutor(3) as visitors:
        pages = list(visitors.map(lambda _: requests.get(url, timeout=120).text, range(3)))
    assert all("application/vnd.jupyter.widget-view+json" in p for p in pages)
    assert pooled_server.log_path is not None
    assert pooled_server.log_path.read_text().count("Using pre-heated kernel") == 3
    # A Dutch visitor gets the join form the pooled kernel built before anyone came: it shows
    # the session of this URL and joins it.
    wait_for_ready(pooled_server, 5)  # and the refills for the two who got one
    page.goto(pooled_server.render_url("deelnemer.ipynb", f"session={info.code}"))
    page.wait_for_selector(".kit-app-workshop", timeout=PAGE_MS)
    assert pooled_server.log_path.read_text().count("Using pre-heated kernel") == 4
    expect(page.locator(".kit-workshop-intro")).to_contain_text("«Pooled»")
    expect(page.locator(".kit-session-code input")).to_have_value(info.code)
    expect(page.locator(".kit-privacy")).to_contain_text("30 dagen")
    page.locator(".kit-session-alias input").fill("Vroeg")
    page.locator(".kit-session-join").click()
    expect(page.locator(".kit-session-status")).to_contain_text("als Vroeg", timeout=ANSWER_MS)
    store.dispose()


def test_not_you_on_a_shared_device_forgets_the_last_participant(
    browser: Browser, voila_server: VoilaServer
) -> None:
    store = Store(voila_server.db_url)
    info, key = store.create_session("Gedeelde laptop")
    device = phone(browser)
    p = device.new_page()
    link = voila_server.render_url("deelnemer.ipynb", f"session={info.code}")
    open_participant(p, link)
    join(p, "Vos")
    expect(p.locator(".kit-session-status")).to_contain_text("als Vos", timeout=ANSWER_MS)
    expect(p).to_have_url(re.compile(r"[?&]p=[A-Z0-9]{8}"))  # remembered on this device
    # The QR code scanned again on this device: straight back in, as Vos.
    open_participant(p, link)
    expect(p.locator(".kit-session-status")).to_contain_text("als Vos", timeout=ANSWER_MS)
    # Someone else picks up the device: "Not you?" forgets Vos here and opens the join form.
    p.locator(".kit-token-details > summary").click()  # "Niet jij?" sits with the code
    with p.expect_navigation(url=re.compile(r"forget=1"), timeout=60_000):
        p.locator("a.kit-not-me").click()
    assert p.evaluate(f"localStorage.getItem('implementatiekit:{info.code}')") is None
    expect(p.locator(".kit-session-alias input")).to_be_visible(timeout=PAGE_MS)
    expect(p.locator(".kit-session-alias input")).to_have_value("")
    expect(p).not_to_have_url(re.compile(r"forget|[?&]p="))  # a reload does not forget again
    expect(p.locator(".kit-session-status")).to_have_count(0)
    join(p, "Das")
    expect(p.locator(".kit-session-status")).to_contain_text("als Das", timeout=ANSWER_MS)
    assert sorted(x.alias for x in store.participants(info.code, key)) == ["Das", "Vos"]
    device.close()
    store.dispose()


def test_a_closed_page_frees_its_kernel(browser: Browser, voila_server: VoilaServer) -> None:
    """Closing or reloading a page stops its kernel at once (Voila's page sends a beacon with
    the _xsrf cookie the kit's render route sets), instead of holding it until the culler."""

    def kernel_running(kernel_id: str) -> bool:
        for k in psutil.Process(voila_server.proc.pid).children(recursive=True):
            try:  # a kernel stopped by another test may linger as a zombie: not running
                if kernel_id in " ".join(k.cmdline()) and k.status() != psutil.STATUS_ZOMBIE:
                    return True
            except psutil.Error:
                continue
        return False

    ctx = phone(browser)
    p = ctx.new_page()
    p.goto(voila_server.render_url("index.ipynb"), timeout=PAGE_MS)
    p.wait_for_selector(".kit-landing", timeout=PAGE_MS)
    assert any(c["name"] == "_xsrf" for c in ctx.cookies())
    kernel = json.loads(p.locator("#jupyter-config-data").text_content() or "{}")["kernelId"]
    assert kernel_running(kernel)
    p.close(run_before_unload=True)
    deadline = time.monotonic() + 30
    while kernel_running(kernel):
        assert time.monotonic() < deadline, "the closed page's kernel is still running"
        time.sleep(0.2)
    ctx.close()


def test_a_room_server_on_one_address_keeps_its_pool_working(page: Page, tmp_path: Path) -> None:
    """``kit serve --room N --host <address>``: a pre-heated kernel looked for the server at
    127.0.0.1 to wait for its visitor, found nothing there, and every pooled page lost its URL
    (the session, the language). 127.0.0.2 stands in for the machine's network address."""
    import os
    import subprocess

    from kit.serve import prepare
    from tests.conftest import free_port

    db = f"sqlite:///{tmp_path / 'g.sqlite3'}"
    store = Store(db)
    info, _ = store.create_session("Eén adres")
    port, log_path = free_port(), tmp_path / "voila.log"
    launch = prepare(NOTEBOOKS, room=1, ip="127.0.0.2", port=port, env={"KIT_DATABASE_URL": db})
    with log_path.open("w") as log:
        server = subprocess.Popen(
            launch.argv,
            cwd=launch.cwd,
            env=launch.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 240
        while READY not in log_path.read_text():
            assert "without waiting for a visitor" not in log_path.read_text()
            assert server.poll() is None and time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.2)
        url = f"http://127.0.0.2:{port}/voila/render/deelnemer.ipynb?lang=en&session={info.code}"
        page.goto(url, timeout=PAGE_MS)
        page.wait_for_selector(".kit-app-workshop", timeout=PAGE_MS)
        assert "Using pre-heated kernel" in log_path.read_text()
        expect(page.locator(".kit-app h1")).to_have_text("Implementation workshop")
        expect(page.locator(".kit-session-code input")).to_have_value(info.code)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        store.dispose()
