"""The Hexagon's PDF in a real page (issue 19 §3): rated on a phone-sized screen, the button
reached and pressed by keyboard, the link to the file appears and is announced; axe finds no
serious violation in that state, at desktop and phone size."""

from __future__ import annotations

import base64
import io
import re

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from kit.content import default_content
from tests.conftest import ANSWER_MS, VoilaServer
from tests.test_axe import Axe, axe_script
from tests.test_browser_keyboard import press, tab_to
from tests.test_browser_phases import open_app


def test_rate_then_take_the_pdf_by_keyboard(page: Page, voila_server: VoilaServer) -> None:
    c = default_content()
    hexagon = c.hexagon
    assert hexagon is not None
    page.set_viewport_size({"width": 360, "height": 640})
    open_app(page, voila_server, "fasen.ipynb")
    page.get_by_role("tab", name="4. Kiezen: past deze interventie?").click()
    for indicator in hexagon.indicators:
        group = page.get_by_role("radiogroup", name=re.compile(re.escape(indicator.name.nl)))
        group.get_by_role("radio", name="3 · Ja").check()
    feedback = page.locator(".kit-hexagon-feedback")
    expect(feedback).to_contain_text("Ga door", timeout=ANSWER_MS)
    name = page.locator(".kit-maker-name input")
    name.fill("Merel")
    name.press("Tab")  # typed fields are sent when they lose focus
    found = tab_to(page, ".kit-hexagon-pdf")
    assert found["text"].strip() == "Resultaat als PDF", found
    press(page, "Enter")
    link = page.locator(".kit-hexagon .kit-pdf-link")
    expect(link).to_have_text("⬇ Download het resultaat (PDF)", timeout=ANSWER_MS)
    # Said, not only shown: the app's live region carries it.
    live = page.locator(".kit-a11y-live").filter(has_text="Download het resultaat (PDF)")
    expect(live).to_have_count(1)
    download = link.get_attribute("download") or ""
    assert re.fullmatch(r"kiezen-merel-\d{4}-\d\d-\d\d-\d{4}\.pdf", download), download
    href = link.get_attribute("href") or ""
    data = base64.b64decode(href.split("base64,", 1)[1])
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    assert "Uitkomst: Ga door" in text and "Merel" in text
    axe = Axe(page, axe_script())
    axe("hexagon: PDF link shown")
    axe.assert_clean()
