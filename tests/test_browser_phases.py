"""The Phases app in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.conftest import PAGE_MS, VoilaServer


def open_app(page: Page, server: VoilaServer, notebook: str, query: str = "") -> None:
    page.goto(server.render_url(notebook, query), timeout=PAGE_MS)
    page.wait_for_selector("#rendered_cells", state="visible", timeout=PAGE_MS)
    page.wait_for_selector(".kit-app", timeout=PAGE_MS)


def test_answer_a_scenario_and_switch_language(page: Page, voila_server: VoilaServer) -> None:
    open_app(page, voila_server, "fasen.ipynb")
    expect(page.locator(".kit-app h1")).to_have_text("De fasen van implementatie")
    page.get_by_role("tab", name="2. Welke fase?").click()
    scenario = page.locator(".kit-scenario").first
    expect(scenario).to_be_visible()
    # Answer the first scenario with its right phase: the feedback says so.
    from kit.content import default_content

    c = default_content()
    right = c.phase(c.scenarios[0].phase)
    page.locator(".kit-phase-answer").get_by_text(
        f"{right.number} · {right.name('nl')}", exact=True
    ).click()
    page.locator(".kit-check").click()
    feedback = page.locator(".kit-feedback-box .kit-feedback")
    expect(feedback).to_be_visible()
    expect(feedback).to_contain_text("Klopt")
    expect(feedback).not_to_contain_text("Niet helemaal")
    expect(page.locator(".kit-score")).to_contain_text("van de 1 casussen")
    # Switch to English with the language toggle.
    page.locator(".kit-lang").get_by_role("button", name="EN").click()
    expect(page.locator(".kit-app h1")).to_have_text("The phases of implementation")
    expect(page.get_by_role("tab", name="2. Which phase?")).to_be_visible()


def test_english_from_url_and_activity_fit(page: Page, voila_server: VoilaServer) -> None:
    open_app(page, voila_server, "fasen.ipynb", "lang=en")
    expect(page.locator(".kit-app h1")).to_have_text("The phases of implementation")
    page.get_by_role("tab", name="3. Does this activity fit?").click()
    grid = page.locator(".kit-activity-grid")
    grid.locator("input[type=checkbox]").nth(0).check()
    grid.locator("input[type=checkbox]").nth(5).check()
    page.locator(".kit-check-fit").click()
    result = page.locator(".kit-fit-result")
    expect(result).to_contain_text("Score:")
    expect(result.locator(".kit-feedback")).to_have_count(2)
    expect(page.locator('img[alt*="chosen activities"]')).to_be_visible()
