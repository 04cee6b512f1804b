"""JupyterLab's dark theme (issue 25 §1): every learner's app and the landing page pass axe's
WCAG A/AA rules, colour contrast included, under the theme JupyterLab's dark mode uses.

Voila renders a page with JupyterLab's own theme CSS (``?theme=dark``: the same variables,
``--jp-layout-color0`` …, and ``data-jp-theme-light="false"`` on the body as JupyterLab), so the
kit's stylesheet is checked against the real dark theme without starting JupyterLab."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.conftest import PAGE_MS, VoilaServer
from tests.test_axe import DESKTOP, Axe, axe_script
from tests.test_browser_layout import walk_tabs
from tests.test_browser_phases import open_app


def test_every_learner_app_is_readable_in_the_dark_theme(
    page: Page, voila_server: VoilaServer, tmp_path: Path
) -> None:
    script = axe_script()
    page.set_viewport_size(DESKTOP)
    # At one width: what the theme changes is colour, the same at every width; the layouts
    # of phone and desktop are axe's at both widths in the light theme (tests/test_axe.py).
    axe = Axe(page, script, sizes=(DESKTOP,))
    for lang in ("nl", "en"):
        page.goto(voila_server.render_url("index.ipynb", f"lang={lang}&theme=dark"))
        expect(page.locator(".kit-landing")).to_be_visible(timeout=PAGE_MS)
        expect(page.locator("body")).to_have_attribute("data-jp-theme-light", "false")
        axe(f"landing ({lang}, dark)")
    for theme in ("light", "dark"):  # the self-study start page, in both themes
        page.goto(voila_server.render_url("start.ipynb", f"theme={theme}"), timeout=PAGE_MS)
        expect(page.locator(".kit-route-step").first).to_be_visible(timeout=PAGE_MS)
        page.locator(".kit-route-step details summary").first.click()  # take-aways open
        axe(f"start page ({theme})")
    for notebook in ("fasen.ipynb", "quickscan.ipynb", "kern-en-schil.ipynb", "plan.ipynb"):
        open_app(page, voila_server, notebook, "theme=dark")
        # The theme is dark indeed: the page's own background is dark, the app's text light.
        dark = page.evaluate(
            "() => [getComputedStyle(document.body).backgroundColor,"
            " getComputedStyle(document.querySelector('.kit-app')).color]"
        )
        assert dark[0] != "rgb(255, 255, 255)" and dark[1] != "rgb(0, 0, 0)", dark
        if notebook == "fasen.ipynb":  # feedback and the advice cards shown too
            page.get_by_role("tab", name="2. Welke fase?").click()
            page.locator(".kit-phase-answer input[type=radio]").nth(1).check()
            page.locator(".kit-check").click()
            expect(page.locator(".kit-feedback-box .kit-feedback")).to_be_visible()
        walk_tabs(page, axe, f"{notebook} (dark)")
        page.screenshot(path=str(tmp_path / f"{notebook}.png"), full_page=True)
    axe.assert_clean()
