"""The server dies under a room (issue 21, item 6): a participant's page notices within seconds,
says so, stops claiming "saved", keeps what she answers meanwhile on the phone, and when the
server is back (restarted on the same port and database) reloads, puts the kept answers back and
says they are saved. A real Voila server, killed with SIGKILL, and Chromium on a 360×640 phone."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from kit.answers import ScanAnswers
from kit.serve import prepare
from kit.storage import Store
from tests.conftest import ANSWER_MS, NOTEBOOKS, PAGE_MS, VoilaServer

pytestmark = pytest.mark.voila

PHONE = {"width": 360, "height": 640}
#: How soon the page must say that the server is gone (a ping every 2 s, each with a 2 s
#: deadline; the websocket closing makes it ask at once).
NOTICE_WITHIN = 8.0


def restart(server: VoilaServer) -> None:
    """Start the server again on its port and database, as a trainer would after a crash."""
    launch = prepare(
        NOTEBOOKS, ip="127.0.0.1", port=server.port, env={"KIT_DATABASE_URL": server.db_url}
    )
    server.log = server.log_path.open("a")
    server.proc = subprocess.Popen(
        launch.argv,
        cwd=launch.cwd,
        stdout=server.log,
        stderr=subprocess.STDOUT,
        env=launch.env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(requests.RequestException):
            requests.head(server.url + "/voila/templates/kit/static/kit-page.js", timeout=5)
            return
        time.sleep(0.2)
    raise RuntimeError("the server did not come back")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[VoilaServer]:
    db = tmp_path / "groups.sqlite3"
    s = VoilaServer(
        NOTEBOOKS, env={"KIT_DATABASE_URL": f"sqlite:///{db}"}, log_path=tmp_path / "voila.log"
    )
    orphans: list[psutil.Process] = []
    s.orphans = orphans  # type: ignore[attr-defined]
    try:
        yield s
    finally:
        s.stop()
        for kernel in orphans:  # the killed server's kernels outlive it
            with contextlib.suppress(psutil.Error):
                kernel.kill()


def statement_of(p: Page, index: int) -> str:
    classes = p.locator(".kit-scale").nth(index).get_attribute("class") or ""
    found = re.search(r"kit-statement-(\S+)", classes)
    assert found
    return found.group(1)


def answer(p: Page, index: int, option: int) -> tuple[str, int]:
    p.locator(".kit-scale").nth(index).locator("input[type=radio]").nth(option).check()
    return statement_of(p, index), option


def stored_scan(store: Store, code: str, key: str) -> dict[str, object]:
    scans = [s.record for s in store.all_submissions(code, key)]
    return dict(scans[0].values) if scans and isinstance(scans[0], ScanAnswers) else {}


def test_a_killed_server_loses_no_answer(
    browser: Browser, server: VoilaServer, tmp_path: Path
) -> None:
    store = Store(server.db_url)
    info, key = store.create_session("Stroomstoring")
    device = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    p = device.new_page()
    p.goto(server.render_url("deelnemer.ipynb", f"session={info.code}"), timeout=PAGE_MS)
    p.wait_for_selector(".kit-app-workshop", timeout=PAGE_MS)
    p.locator(".kit-session-alias input").fill("Vos")
    p.locator(".kit-session-join").click()
    bar = p.locator(".kit-session-status")
    expect(bar).to_contain_text("als Vos", timeout=ANSWER_MS)
    p.get_by_role("tab", name="2 · Quickscan").click()
    given = dict([answer(p, 0, 1), answer(p, 1, 2)])
    deadline = time.monotonic() + 30
    while stored_scan(store, info.code, key) != given:
        assert time.monotonic() < deadline, "the first answers never reached the store"
        time.sleep(0.2)
    expect(bar.locator(".kit-saved")).to_be_visible(timeout=20_000)

    # kill -9 of the server; its kernels are orphaned (and gone for the new server).
    server.orphans.extend(server.kernels())  # type: ignore[attr-defined]
    os.kill(server.proc.pid, signal.SIGKILL)
    server.proc.wait()
    killed = time.monotonic()
    offline = p.locator(".kit-page-offline")
    expect(offline).to_contain_text("Geen verbinding met de server", timeout=NOTICE_WITHIN * 1000)
    assert time.monotonic() - killed < NOTICE_WITHIN
    assert offline.get_attribute("role") == "alert"
    expect(offline).to_be_in_viewport()
    expect(bar.locator(".kit-saved")).to_be_hidden()  # no more "saved at" while nothing saves
    p.screenshot(path=str(tmp_path / "offline-360.png"))

    # She carries on: two more answers, and she changes her mind on the first statement.
    given.update([answer(p, 2, 3), answer(p, 3, 0), answer(p, 0, 2)])
    expect(offline.locator(".kit-page-kept")).to_contain_text("antwoorden wachten op dit toestel")
    nothing_new = stored_scan(store, info.code, key)

    restart(server)
    # The page notices, reloads (a new kernel), rejoins as Vos and puts her answers back.
    restored = p.locator(".kit-page-restored")
    expect(restored).to_contain_text("3 antwoorden teruggezet en opgeslagen.", timeout=PAGE_MS)
    assert restored.get_attribute("role") == "status"
    expect(bar).to_contain_text("als Vos")
    expect(bar.locator(".kit-saved")).to_be_visible()
    assert stored_scan(store, info.code, key) == given != nothing_new
    for statement, option in given.items():
        radios = p.locator(f".kit-statement-{statement} input[type=radio]")
        expect(radios.nth(option)).to_be_checked()
    p.screenshot(path=str(tmp_path / "restored-360.png"))
    device.close()
    store.dispose()
