"""axe-core on every app, tab and state, at desktop and phone size, in Dutch and English (issue
18 item 5, issue 23): no serious or critical violation of the WCAG 2.0-2.2 A/AA rules.

axe-core comes from npm (``make test`` installs it into .venv/node, as it installs the hub's
proxy); outside CI the test skips when it is missing, in CI it fails. Each state is checked at
1366 x 768 and at 360 x 640 by resizing the same page: one kernel per app.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import ANSWER_MS, IN_CI, PAGE_MS, ROOT, VoilaServer
from tests.test_browser_layout import join, settle, walk_tabs
from tests.test_browser_phases import open_app

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 640}
#: The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA (axe's tags).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def axe_script() -> str:
    """axe.min.js as `make test` installs it (npm, into the venv's node folder), or KIT_AXE_JS."""
    candidates = [
        Path(os.environ.get("KIT_AXE_JS", "/nonexistent")),
        Path(sys.prefix) / "node" / "node_modules" / "axe-core" / "axe.min.js",
        ROOT / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js",
    ]
    for path in candidates:
        if path.is_file():
            return path.read_text("utf-8")
    if IN_CI:
        pytest.fail("axe-core missing in CI: `make test` installs it (npm install axe-core)")
    pytest.skip("axe-core not installed (make test installs it with npm)")


#: True when no box in the app scrolls while having neither a tab stop nor a control in it.
_UNFOCUSABLE_SCROLLERS = """() => !Array.from(document.querySelectorAll('.kit-app *')).some((el) => {
  const tall = el.scrollHeight > el.clientHeight + 1, wide = el.scrollWidth > el.clientWidth + 1;
  if ((!tall && !wide) || el.hasAttribute('tabindex') || el.clientHeight === 0) return false;
  const s = getComputedStyle(el);
  return ((tall && /auto|scroll/.test(s.overflowY)) || (wide && /auto|scroll/.test(s.overflowX))) &&
    !el.querySelector('a[href], button, input, select, textarea, summary, [tabindex]');
})"""


class Axe:
    """Runs axe on the page at each of ``sizes`` (desktop and phone) and collects serious and
    critical violations."""

    def __init__(
        self, page: Page, script: str, sizes: tuple[dict[str, int], ...] = (DESKTOP, PHONE)
    ) -> None:
        self.page, self.script, self.sizes = page, script, sizes
        self.found: list[str] = []
        self.states: list[str] = []

    def __call__(self, where: str) -> None:
        self.states.append(where)
        for size in self.sizes:
            self.page.set_viewport_size(size)
            settle(self.page)
            self.scrollers_settled()
            if not self.page.evaluate("() => typeof window.axe === 'object'"):
                self.page.evaluate(self.script)
            for v in self.page.evaluate(
                """async (tags) => {
                  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                     resultTypes: ['violations']});
                  return r.violations
                    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                    .map((v) => `${v.id} (${v.impact}, ${v.nodes.length}): ` +
                         v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' - ' +
                           (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 160)).join(' | '));
                }""",
                TAGS,
            ):
                self.found.append(f"{where} at {size['width']} px: {v}")
        self.page.set_viewport_size(DESKTOP)

    def scrollers_settled(self) -> None:
        """Wait (at most 15 s: a loaded machine) until every box that scrolls without a control in it has the tab
        stop kit-page.js gives it: the script checks once a second, the state may be newer.
        Whatever is still missing then, axe reports."""
        with contextlib.suppress(PlaywrightTimeout):
            self.page.wait_for_function(_UNFOCUSABLE_SCROLLERS, timeout=15_000)

    def assert_clean(self) -> None:
        assert self.found == [], f"{len(self.found)} violations:\n" + "\n".join(self.found)


@pytest.fixture(scope="module")
def script() -> str:
    return axe_script()


@pytest.fixture(scope="module")
def session(voila_server: VoilaServer) -> Iterator[tuple[str, str]]:
    from kit.storage import Store

    store = Store(voila_server.db_url)
    info, key = store.create_session(
        "Toegankelijk", case_id="buurtkracht", intervention_id="samen-sterk"
    )
    store.dispose()
    yield info.code, key


def test_the_participant_page_in_every_state(
    page: Page, voila_server: VoilaServer, script: str, session: tuple[str, str]
) -> None:
    """Before and after joining, after answering, with a result shown, every exercise and
    sub-tab in Dutch; then in English every exercise."""
    page.set_viewport_size(DESKTOP)
    open_app(page, voila_server, "deelnemer.ipynb", f"session={session[0]}")
    axe = Axe(page, script)
    axe("join form")
    join(page, "Toegankelijke Uil")
    axe("joined")
    page.get_by_role("tab", name="2 · Quickscan").click()
    page.locator(".kit-scale:visible").first.locator("input[type=radio]").nth(2).check()
    expect(page.locator(".kit-progress-text")).to_contain_text("1 van")
    axe("quickscan answered")
    page.get_by_role("tab", name="1 · Fasen").click()
    page.get_by_role("tab", name="2. Welke fase?").click()
    page.locator(".kit-phase-answer input[type=radio]").nth(1).check()
    page.locator(".kit-check").click()
    expect(page.locator(".kit-feedback-box .kit-feedback")).to_be_visible()
    axe("phases: feedback shown")
    page.locator(".kit-token-details > summary").click()  # the personal code shown
    axe("personal code open")
    walk_tabs(page, axe, "participant")
    page.locator(".kit-lang button", has_text="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    tabs = page.locator(".kit-workshop-tabs > .lm-TabBar .lm-TabBar-tab")
    for i in range(tabs.count()):
        tabs.nth(i).click()
        settle(page)
        axe(f"participant (en) / {tabs.nth(i).inner_text().strip()}")
    axe.assert_clean()


def test_the_trainer_pages_and_the_landing_page(
    page: Page, voila_server: VoilaServer, script: str, session: tuple[str, str]
) -> None:
    """The landing page in both languages, the dashboard after creating a session, the remote
    before and after opening it, the presenter view."""
    code, key = session
    page.set_viewport_size(DESKTOP)
    axe = Axe(page, script)
    for lang in ("nl", "en"):
        page.goto(voila_server.render_url("index.ipynb", f"lang={lang}"))
        expect(page.locator(".kit-landing")).to_be_visible(timeout=PAGE_MS)
        axe(f"landing ({lang})")
    open_app(page, voila_server, "groep.ipynb", "lang=en")
    axe("group: new session form")
    page.locator(".kit-new-title input").fill("Werkplaats")
    page.locator(".kit-create-session").click()
    expect(page.locator(".kit-new-key")).to_be_visible(timeout=ANSWER_MS)
    axe("group: the dashboard")
    open_app(page, voila_server, "leiden.ipynb", f"session={code}")
    axe("remote: key form")
    page.locator(".kit-lead-key input").fill(key)
    page.locator(".kit-lead-open").click()
    expect(page.locator(".kit-lead-start")).to_be_visible(timeout=ANSWER_MS)
    axe("remote: opened")
    open_app(page, voila_server, "presentatie.ipynb", f"session={code}")
    axe("presenter view")
    axe.assert_clean()


def test_the_exercises_on_their_own_pages(
    page: Page, voila_server: VoilaServer, script: str
) -> None:
    """The self-study pages: their frame (the session fold closed, title bar) around the same
    screens the participant page's tabs show (walked there), so their first screen each."""
    page.set_viewport_size(DESKTOP)
    axe = Axe(page, script)
    for notebook in ("quickscan.ipynb", "fasen.ipynb", "kern-en-schil.ipynb", "plan.ipynb"):
        open_app(page, voila_server, notebook)
        expect(page.locator(".kit-session-fold")).to_be_visible()
        axe(notebook)
    axe.assert_clean()
