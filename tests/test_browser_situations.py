"""The kern-en-schil situations kept across a server restart in the browser (issue 25 §2, §3):
a learner checks a situation, the server stops and starts again the next day, and her choice,
its feedback and her score are back."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.conftest import NOTEBOOKS, VoilaServer
from tests.test_browser_own import own_env
from tests.test_browser_phases import open_app


def test_a_checked_situation_is_back_after_the_server_restarts(page: Page, tmp_path: Path) -> None:
    env = own_env(tmp_path)
    server = VoilaServer(NOTEBOOKS, env=env, log_path=tmp_path / "voila.log")
    try:
        open_app(page, server, "kern-en-schil.ipynb")
        page.get_by_role("tab", name="2.").first.click()
        page.locator(".kit-situation-choice select").select_option(index=1)
        page.locator(".kit-situation-kind select").select_option(index=2)
        page.locator(".kit-check-situation").click()
        expect(page.locator(".kit-situation-score")).to_contain_text("van 1 situaties")
        kind = page.locator(".kit-situation-kind select").evaluate("s => s.selectedIndex")
        said = page.locator(".kit-situation-feedback .kit-feedback b").first.inner_text()
    finally:
        page.goto("about:blank")
        server.stop()

    server = VoilaServer(NOTEBOOKS, env=env, log_path=tmp_path / "voila2.log")
    try:
        open_app(page, server, "kern-en-schil.ipynb")
        page.get_by_role("tab", name="2.").first.click()
        expect(page.locator(".kit-situation-score")).to_contain_text("van 1 situaties")
        page.locator(".kit-situation-choice select").select_option(index=1)
        expect(page.locator(".kit-situation-feedback .kit-feedback b").first).to_have_text(said)
        assert page.locator(".kit-situation-kind select").evaluate("s => s.selectedIndex") == kind
    finally:
        server.stop()
