"""Self-study by keyboard only (issue 23): from the landing page to the route, the closing
self-check, the summary PDF and a step of the route — Tab, Shift+Tab, Enter, Space and the arrow
keys (letters typed into the name field); after each step the test says where focus is and that
it can be seen. The route's take-aways are opened by keyboard in tests/test_browser_own.py."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Download, Page, expect

from kit.content import default_content
from kit.present.route import self_check_view
from kit.present.texts import Texts
from kit.route import self_check
from tests.conftest import ANSWER_MS, PAGE_MS, VoilaServer
from tests.test_browser_keyboard import focus, press, tab_to, visible
from tests.test_browser_phases import open_app

C = default_content()


def download_by_keys(page: Page, button: str, link: str, back: bool = False) -> Download:
    """Tab (Shift+Tab when ``back``) to ``button``, Enter; when its ``link`` shows, Tab to it and
    Enter downloads the file."""
    tab_to(page, button, "Shift+Tab" if back else "Tab")
    press(page, "Enter")
    expect(page.locator(link)).to_be_visible(timeout=ANSWER_MS)
    tab_to(page, link)
    with page.expect_download() as download:
        press(page, "Enter")
    return download.value


def test_self_study_by_keyboard(page: Page, voila_server: VoilaServer) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    open_app(page, voila_server, "index.ipynb")

    # The landing page: Tab reaches the self-study card's link, Enter follows it.
    found = tab_to(page, ".kit-self-study-card a.kit-open")
    assert found["text"].startswith(C.t("landing.self_study_open", "nl")), found
    page.keyboard.press("Enter")  # press() would read focus from a page being left
    page.wait_for_url("**/start.ipynb?*", timeout=PAGE_MS)
    page.wait_for_selector(".kit-selfcheck .widget-radio-box", timeout=PAGE_MS)
    progress = page.locator(".kit-selfcheck-progress")
    asked = self_check(C, "local")
    questions = self_check_view(Texts(C, "nl"), asked, {}, {}).questions
    n = len(questions)
    expect(progress).to_contain_text(f"0 van {n} vragen beantwoord")

    # The self-check: Tab stops once per question (one radio group), the arrow keys move to
    # the right option and Space chooses it; the feedback says so at once, and every first
    # choice is the one she meant — not an option the arrow keys passed on the way.
    cards = page.locator(".kit-selfcheck-question")
    for number, (q, ask) in enumerate(zip(questions, asked, strict=True), start=1):
        found = tab_to(page, ".kit-selfcheck-options input[type=radio]")
        labels = [label for _, label in q.options]
        assert found["text"] == labels[0], found  # a group with no choice: its first option
        right = next(i for i, (option, _) in enumerate(q.options) if option == ask.right)
        card = cards.nth(number - 1)
        for _ in range(right):
            found = visible(press(page, "ArrowDown"))
        assert found["text"] == labels[right], found
        # The arrow keys only moved: nothing is chosen until Space (the first choice counts).
        expect(card.locator("input[type=radio]:checked")).to_have_count(0)
        assert visible(press(page, "Space"))["text"] == labels[right]
        expect(card.locator(".kit-selfcheck-feedback .kit-good")).to_contain_text(
            C.t("selfcheck.right", "nl"), timeout=ANSWER_MS
        )
        expect(card.locator("input[type=radio]:checked")).to_have_count(1)
        # Focus stays on the chosen option after the page redraws the feedback.
        visible(focus(page))
        assert page.evaluate("() => document.activeElement.checked") is True
        if number < n:
            expect(progress).to_contain_text(f"{number} van {n} vragen beantwoord")
    expect(progress).to_contain_text(f"Klaar: {n} van {n} vragen beantwoord, {n} in één keer goed")

    # The summary: her name typed, Enter on the button, Enter on the link downloads the PDF.
    tab_to(page, ".kit-completion-name input")
    page.keyboard.type("Merel de Vries")
    pdf = download_by_keys(page, ".kit-completion-pdf", ".kit-completion-link a.kit-pdf-link")
    assert Path(pdf.path()).read_bytes().startswith(b"%PDF")
    assert pdf.suggested_filename.startswith("zelfstudie-merel-de-vries-")

    # Back up the route by Shift+Tab to the last step's link; Enter opens the step.
    found = tab_to(page, ".kit-route-step a.kit-open", "Shift+Tab")
    steps = page.locator(".kit-route-step").count()
    assert found["text"].startswith(C.t("route.open", "nl", number=steps)), found
    notebook = page.evaluate("() => document.activeElement.getAttribute('href')").split("?")[0]
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{notebook}?*", wait_until="commit", timeout=PAGE_MS)
