"""Issue 21, item 12: a kernel's id is not all that protects it. Each kernel is bound to the page
that started it (an HttpOnly cookie set with the render, scoped to that kernel's URLs); anyone
else is refused its websocket and its API, while the page itself keeps working and its shutdown
beacon still stops it. Raw HTTP and websocket clients play the other participant, as an attacker
would; a real browser plays the participant."""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from pathlib import Path
from typing import Any

import psutil
import pytest
import requests
from playwright.sync_api import Browser, Page, expect
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from kit.answers import ScanAnswers
from kit.storage import Store
from tests.conftest import ANSWER_MS, NOTEBOOKS, PAGE_MS, VoilaServer, on_a_thread_of_its_own

PHONE = {"width": 390, "height": 844}
CONFIG = re.compile(
    r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', re.S
)


def kernel_running(server: VoilaServer, kernel_id: str) -> bool:
    for k in psutil.Process(server.proc.pid).children(recursive=True):
        try:  # a stopped kernel may linger as a zombie: not running
            if kernel_id in " ".join(k.cmdline()) and k.status() != psutil.STATUS_ZOMBIE:
                return True
        except psutil.Error:
            continue
    return False


def wait_until_stopped(server: VoilaServer, kernel_id: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while kernel_running(server, kernel_id):
        assert time.monotonic() < deadline, f"kernel {kernel_id} still running"
        time.sleep(0.2)


def raw_visit(server: VoilaServer, url: str) -> tuple[requests.Session, str]:
    """A client that renders a page as a browser would (keeping its cookies); its kernel id."""
    client = requests.Session()
    body = client.get(url, timeout=120).text
    found = CONFIG.search(body)
    assert found, body[:500]
    return client, json.loads(found.group(1))["kernelId"]


def cookie_header(client: requests.Session, url: str) -> str:
    """The Cookie header a browser would send to ``url`` (path-scoped cookies honoured)."""
    from requests.cookies import get_cookie_header

    return get_cookie_header(client.cookies, requests.Request("GET", url).prepare()) or ""


def channels(server: VoilaServer, prefix: str, kernel_id: str) -> str:
    return f"ws://127.0.0.1:{server.port}{prefix}api/kernels/{kernel_id}/channels"


def ws_exchange(
    url: str, cookie: str, messages: tuple[dict[str, Any], ...] = (), seconds: float = 20
) -> Any:
    """Open a kernel websocket with ``cookie``, send ``messages`` and collect what comes back
    for ``seconds`` (or until an ``execute_reply``/``kernel_info_reply``). Returns the HTTP
    status of a refused handshake, or the list of messages received."""

    async def run() -> Any:
        request = HTTPRequest(url, headers={"Cookie": cookie} if cookie else {})
        try:
            conn = await websocket_connect(request)
        except HTTPClientError as refused:
            return refused.code
        for message in messages:
            await conn.write_message(json.dumps(message))
        received: list[dict[str, Any]] = []
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                raw = await asyncio.wait_for(conn.read_message(), end - time.monotonic())
            except TimeoutError:
                break
            if raw is None:
                break
            received.append(json.loads(raw))
            if received[-1].get("msg_type") in ("kernel_info_reply",):
                break
        conn.close()
        return received

    return on_a_thread_of_its_own(lambda: asyncio.run(run()), timeout=seconds + 30)


def message(msg_type: str, content: dict[str, Any], channel: str = "shell") -> dict[str, Any]:
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "username": "x",
            "session": uuid.uuid4().hex,
            "date": "2026-12-07T00:00:00Z",
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": content,
        "channel": channel,
        "buffers": [],
    }


@pytest.fixture
def server(voila_server: VoilaServer) -> VoilaServer:
    """The worker's shared server (plain NOTEBOOKS, as this file needs): no start of its own."""
    return voila_server


def test_another_participant_cannot_use_or_stop_a_kernel(
    browser: Browser, server: VoilaServer
) -> None:
    """Merel answers on her phone; Bas, with her kernel's id and his own page's cookies, can
    neither open her kernel's websocket nor stop, read, interrupt or restart it. Her page keeps
    saving, and closing it still stops her kernel."""
    log_start = server.log_size()
    store = Store(server.db_url)
    info, key = store.create_session("Gebonden")
    link = server.render_url("deelnemer.ipynb", f"session={info.code}")
    phone = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    merel = phone.new_page()
    merel.goto(link, timeout=PAGE_MS)
    merel.wait_for_selector(".kit-app-workshop", timeout=PAGE_MS)
    merel.locator(".kit-session-alias input").fill("Merel")
    merel.locator(".kit-session-join").click()
    expect(merel.locator(".kit-session-status")).to_contain_text("als Merel", timeout=ANSWER_MS)
    kernel = json.loads(merel.locator("#jupyter-config-data").text_content() or "{}")["kernelId"]
    # Her browser holds the kernel's cookie: HttpOnly, SameSite=Strict, only for that kernel.
    bound = [c for c in phone.cookies() if c["name"].startswith("kit_kernel")]
    assert sorted((c["name"], c["path"]) for c in bound) == [
        ("kit_kernel", f"/api/kernels/{kernel}"),
        ("kit_kernel_stop", f"/voila/api/shutdown/{kernel}"),
    ]
    assert all(c["httpOnly"] and c["sameSite"] == "Strict" for c in bound)

    # Bas renders a page of his own: he has an _xsrf cookie and a kernel of his own.
    bas, own = raw_visit(server, server.render_url("index.ipynb"))
    xsrf = bas.cookies["_xsrf"]
    base = server.url
    # Her kernel's websocket: refused, with his cookies and with none.
    assert ws_exchange(channels(server, "/", kernel), cookie_header(bas, base + "/")) == 403
    stolen = cookie_header(bas, f"{base}/api/kernels/{own}")  # his own kernel's cookie
    assert "kit_kernel=" in stolen
    assert ws_exchange(channels(server, "/", kernel), stolen) == 403
    # Her kernel's API, with his _xsrf token (the double-submit check passes): refused.
    headers = {"X-XSRFToken": xsrf}
    assert (
        bas.delete(f"{base}/api/kernels/{kernel}", headers=headers, timeout=30).status_code == 403
    )
    assert bas.get(f"{base}/api/kernels/{kernel}", timeout=30).status_code == 403
    beacon = bas.post(f"{base}/voila/api/shutdown/{kernel}", data={"_xsrf": xsrf}, timeout=30)
    assert beacon.status_code == 403
    for action in ("interrupt", "restart"):
        post = bas.post(f"{base}/api/kernels/{kernel}/{action}", headers=headers, timeout=30)
        assert post.status_code in (403, 404), action
    refused = [bas.delete, bas.get]
    for call in refused:  # no traceback in the answer
        answer = call(f"{base}/api/kernels/{kernel}", headers=headers, timeout=30)
        assert "Traceback" not in answer.text and 'File "' not in answer.text
    assert kernel_running(server, kernel)

    # Merel's page still works: her answer is saved.
    merel.get_by_role("tab", name="2 · Quickscan").click()
    merel.locator(".kit-scale").first.locator("input[type=radio]").nth(3).check()
    deadline = time.monotonic() + 30
    while store.count(info.code) == 0:
        assert time.monotonic() < deadline, "her answer never reached the store"
        time.sleep(0.2)
    subs = store.all_submissions(info.code, key)
    assert [s.alias for s in subs] == ["Merel"]
    record = subs[0].record
    assert isinstance(record, ScanAnswers) and 3 in record.values.values()

    # Bas's own kernel answers to his own cookie: read, then stopped.
    assert bas.get(f"{base}/api/kernels/{own}", timeout=30).status_code == 200
    assert bas.delete(f"{base}/api/kernels/{own}", headers=headers, timeout=30).status_code == 204
    wait_until_stopped(server, own)

    # Closing her page still stops her kernel (the beacon carries her cookie).
    merel.close(run_before_unload=True)
    wait_until_stopped(server, kernel)
    phone.close()
    store.dispose()
    log = server.log_since(log_start)  # what the server logged during this test
    assert "Traceback" not in log, log[-3000:]


def test_a_kernels_own_websocket_works_for_a_raw_client(server: VoilaServer) -> None:
    """The cookie is all a client needs: the page's own websocket opens with it."""
    client, kernel = raw_visit(server, server.render_url("index.ipynb"))
    cookie = cookie_header(client, f"{server.url}/api/kernels/{kernel}/channels")
    replies = ws_exchange(
        channels(server, "/", kernel), cookie, (message("kernel_info_request", {}),)
    )
    assert isinstance(replies, list)
    assert "kernel_info_reply" in [r["msg_type"] for r in replies]
    client.delete(
        f"{server.url}/api/kernels/{kernel}",
        headers={"X-XSRFToken": client.cookies["_xsrf"]},
        timeout=30,
    )


def test_the_cookie_is_secure_behind_an_https_proxy(server: VoilaServer) -> None:
    """Behind nginx with TLS (X-Forwarded-Proto from this machine) the cookies are Secure."""
    for proto, secure in (("https", True), (None, False)):
        headers = {"X-Forwarded-Proto": proto} if proto else {}
        with requests.get(
            server.render_url("index.ipynb"), headers=headers, stream=True, timeout=120
        ) as page:
            set_cookie = page.headers["Set-Cookie"]
        kernel_cookies = [c for c in set_cookie.split(", ") if c.startswith("kit_kernel")]
        assert len(kernel_cookies) == 2
        assert all(("; Secure" in c) is secure for c in kernel_cookies), set_cookie


def test_a_base_url_prefix_is_in_the_cookie_path(page: Page, tmp_path: Path) -> None:
    """Behind a prefix (a hub's /user/<name>/, a proxy's /kit/) the cookie's path carries it,
    so the page's websocket and its shutdown beacon get the cookie."""
    srv = VoilaServer(
        NOTEBOOKS,
        extra=["--Voila.base_url=/kit/"],
        env={"KIT_DATABASE_URL": f"sqlite:///{tmp_path / 'g.sqlite3'}"},
        log_path=tmp_path / "voila.log",
    )
    try:
        page.goto(f"{srv.url}/kit/voila/render/index.ipynb", timeout=PAGE_MS)
        page.wait_for_selector(".kit-landing", timeout=PAGE_MS)
        kernel = json.loads(page.locator("#jupyter-config-data").text_content() or "{}")["kernelId"]
        cookies = page.context.cookies()
        paths = sorted(c["path"] for c in cookies if c["name"].startswith("kit_kernel"))
        assert paths == [f"/kit/api/kernels/{kernel}", f"/kit/voila/api/shutdown/{kernel}"]
        # The landing page's widgets talk to the kernel: its language switch works.
        page.get_by_role("link", name=re.compile("English")).first.click()
        page.wait_for_selector(".kit-landing", timeout=PAGE_MS)
        expect(page.locator(".kit-landing")).to_contain_text(re.compile("implementation", re.I))
        kernel2 = json.loads(page.locator("#jupyter-config-data").text_content() or "{}")[
            "kernelId"
        ]
        wait_until_stopped(srv, kernel)  # the reload's beacon stopped the first page's kernel
        assert kernel_running(srv, kernel2)
        # Without the cookie, under the prefix too: refused.
        other = requests.Session()
        assert other.get(f"{srv.url}/kit/api/kernels/{kernel2}", timeout=30).status_code == 403
    finally:
        srv.stop()
