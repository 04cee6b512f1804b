"""Work kept across a server restart in the browser (issue 25 §2): a learner on her own machine
answers in an app served by the kit, the server stops, starts again the next day, and she finds
her work back; the start page counts the step, and works by keyboard."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.conftest import NOTEBOOKS, PAGE_MS, VoilaServer
from tests.test_browser_keyboard import matches, press, tab_to
from tests.test_browser_phases import open_app


def own_env(tmp_path: Path) -> dict[str, str]:
    """A server's environment as ``make serve`` has it: work kept for a visitor on this same
    computer, in stores under ``tmp_path`` (kept across a restart)."""
    return {
        "KIT_DATABASE_URL": f"sqlite:///{tmp_path / 'groups.sqlite3'}",
        "KIT_OWN_STORE": "",
        "KIT_OWN_URL": f"sqlite:///{tmp_path / 'own.sqlite3'}",
    }


def test_a_step_done_is_back_after_the_server_restarts(page: Page, tmp_path: Path) -> None:
    env = own_env(tmp_path)
    server = VoilaServer(NOTEBOOKS, env=env, log_path=tmp_path / "voila.log")
    try:
        open_app(page, server, "fasen.ipynb")
        expect(page.locator(".kit-own-bar")).to_contain_text("bewaard op deze computer")
        expect(page.locator(".kit-step-intro summary")).to_contain_text("Stap 1 van 5")
        page.get_by_role("tab", name="2. Welke fase?").click()
        page.locator(".kit-phase-answer input[type=radio]").nth(1).check()
        page.locator(".kit-check").click()
        expect(page.locator(".kit-score")).to_contain_text("van de 1")
        chosen = page.locator(".kit-scenario-choice select").evaluate("s => s.selectedIndex")
    finally:
        page.goto("about:blank")
        server.stop()

    server = VoilaServer(NOTEBOOKS, env=env, log_path=tmp_path / "voila2.log")
    try:
        open_app(page, server, "fasen.ipynb", "lang=en")
        expect(page.locator(".kit-own-bar")).to_contain_text("Carry on where you were: 1 answer")
        page.get_by_role("tab", name="2. Which phase?").click()
        expect(page.locator(".kit-score")).to_contain_text("of 1 scenario")
        assert (
            page.locator(".kit-scenario-choice select").evaluate("s => s.selectedIndex") == chosen
        )
        expect(page.locator(".kit-phase-answer input[type=radio]").nth(1)).to_be_checked()
        page.goto(server.render_url("start.ipynb", "lang=en"), timeout=PAGE_MS)
        step = page.locator(".kit-route-step").first
        expect(step).to_contain_text("1 of 10 teams placed", timeout=PAGE_MS)
        expect(page.locator(".kit-route-summary")).to_contain_text("0 of 5 steps done")
        # By keyboard (issue 23): Tab reaches step 1's take-aways, Enter opens them, the next
        # stop is the step's own link; each stop with a visible focus.
        tab_to(page, ".kit-route-step summary")
        press(page, "Enter")
        expect(step.locator("details")).to_have_attribute("open", "")
        expect(step.locator("details li").first).to_be_visible()
        found = tab_to(page, ".kit-route-step a.kit-open")
        assert found["text"].startswith("Open step 1"), found
        assert matches(page, ".kit-route-step[data-step] a[href^='fasen.ipynb']")
    finally:
        server.stop()
