"""The Fasen app by keyboard only (issue 23), with its newest tab: "Welke fase?" answered with the
arrow keys and checked with Enter, and "Kiezen" (the Hexagon's six indicators, issue 19 §3) rated
group by group, each group named by its question, until the verdict is read out."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from kit.content import default_content
from tests.conftest import ANSWER_MS, VoilaServer
from tests.test_browser_keyboard import focus, open_tab, press, tab_to, visible
from tests.test_browser_phases import open_app


def test_the_phases_and_choosing_by_keyboard(page: Page, voila_server: VoilaServer) -> None:
    c = default_content()
    page.set_viewport_size({"width": 1366, "height": 768})
    open_app(page, voila_server, "fasen.ipynb")

    # "2. Welke fase?": the first team's right phase, chosen by arrows, checked by Enter.
    tab_to(page, ".kit-tabs [role=tab]")
    open_tab(page, ".kit-tabs > .lm-TabBar", "2. Welke fase?")
    right = c.phase(c.scenarios[0].phase)
    first = tab_to(page, ".kit-phase-answer input[type=radio]")
    assert first["text"].startswith("0 · "), first
    chosen = visible(press(page, "Space")) if right.number == 0 else first
    for _ in range(right.number):
        chosen = visible(press(page, "ArrowDown"))
    assert chosen["text"] == f"{right.number} · {right.name('nl')}", chosen
    tab_to(page, ".kit-check")
    press(page, "Enter")
    expect(page.locator(".kit-feedback-box .kit-feedback")).to_contain_text("Klopt")

    # "4. Kiezen": six radio groups, each one tab stop named by its question; "Grotendeels"
    # on every indicator gives "Ga door".
    tab_to(page, ".kit-tabs [role=tab]", "Shift+Tab")
    open_tab(page, ".kit-tabs > .lm-TabBar", "4. Kiezen: past deze interventie?")
    hexagon = c.hexagon
    assert hexagon is not None
    feedback = page.locator(".kit-hexagon-feedback")
    for n, indicator in enumerate(hexagon.indicators, start=1):
        group = page.get_by_role("radiogroup", name=re.compile(re.escape(indicator.name.nl)))
        expect(group).to_have_count(1)
        found = tab_to(page, f".kit-hexagon-{indicator.id} input[type=radio]")
        assert found["text"] == "0 · Nee", found  # one stop per group: its first option
        press(page, "ArrowDown")
        chosen = visible(press(page, "ArrowDown"))
        assert chosen["text"] == "2 · Grotendeels", chosen
        expect(group.get_by_role("radio", name="2 · Grotendeels")).to_be_checked()
        if n < len(hexagon.indicators):
            expect(feedback).not_to_contain_text("Ga door")
    expect(feedback).to_contain_text("Ga door", timeout=ANSWER_MS)
    # The verdict is said, not only shown: the app's live region carries it.
    expect(page.locator(".kit-a11y-live").filter(has_text="Ga door")).to_have_count(1)
    assert focus(page) is not None
