"""Hostile and overlong text typed into real pages (issue 21, items 8 and 9): half an emoji in
Kern en schil's reason arrives and is stored; a plan note of 10,000 characters is refused in
words and kept in the field; control characters in the note and in what the team adjusts do not
stop the Word file or the werkmap."""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document
from playwright.sync_api import Locator, Page, WebSocketRoute, expect

from kit.content import default_content
from tests.conftest import ANSWER_MS, VoilaServer
from tests.test_browser_phases import open_app


def put(field: Locator, js_text: str, event: str) -> None:
    """Set a field's value to a JavaScript string literal (so it may hold what a keyboard sends
    but Playwright's text cannot: NUL, escape, half an emoji) and fire ``event`` as typing does."""
    field.evaluate(
        f"(el) => {{ el.value = el.value + {js_text};"
        f" el.dispatchEvent(new Event({event!r}, {{bubbles: true}})); }}"
    )


def test_half_an_emoji_in_a_reason_arrives_and_is_stored(
    page: Page, voila_server: VoilaServer
) -> None:
    open_app(page, voila_server, "kern-en-schil.ipynb", "lang=en")
    reason = page.locator(".kit-kern-reason input")
    expect(page.locator(".kit-field-limit").first).to_contain_text("max. 500 characters")
    reason.click()
    page.keyboard.type("abc")
    put(reason, "' half \\uD83D emoji'", "input")  # a lone high surrogate, as Chromium sends it
    page.keyboard.type(" xyz")
    page.locator(".kit-add-adaptation").click()
    card = page.locator(".kit-adaptation").first
    expect(card).to_contain_text("Reason: abc half \ufffd emoji xyz")
    # Stored: the adaptation log (made from what the kernel keeps) has it too.
    page.get_by_role("tab", name="3. Log").click()
    expect(page.locator(".kit-log-table")).to_contain_text("abc half \ufffd emoji xyz")


def download(page: Page, link: str) -> bytes:
    anchor = page.locator(link)
    expect(anchor).to_be_visible(timeout=ANSWER_MS)
    with page.expect_download() as done:
        anchor.click()
    return Path(done.value.path()).read_bytes()


def word_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_plan_note_too_long_refused_and_control_characters_do_not_stop_word(
    page: Page, voila_server: VoilaServer
) -> None:
    c = default_content()
    open_app(page, voila_server, "plan.ipynb")
    title = c.case("schuldmaatjes").title("nl")
    page.locator(".kit-plan-source select").select_option(
        label=f"Casus: {title} (referentielezing)"
    )
    page.locator(".kit-plan-use-scan").click()
    page.locator(".kit-proposal-box input[type=checkbox]").first.check()
    page.locator(".kit-plan-apply").click()
    expect(page.locator(".kit-plan-scan-message")).to_contain_text("1 activiteit")
    tabs = page.locator(".kit-plan-tabs .lm-TabBar-tab")
    tabs.nth(1).click()
    step = page.locator(".kit-step").first
    note = step.locator(".kit-step-note input")
    limit = step.locator(".kit-field-limit")
    expect(limit).to_contain_text("max. 500 tekens")
    note.fill("eerst de wijkteams bellen")
    note.press("Enter")
    expect(limit).to_contain_text("max. 500 tekens")
    # 10,000 characters: refused in words, kept in the field, the saved note unchanged.
    note.fill("x" * 10_000)
    note.press("Enter")
    expect(limit).to_contain_text("9500 tekens te veel (hoogstens 500)")
    expect(note).to_have_value("x" * 10_000)
    # Control characters in the note and in what the team adjusts.
    note.fill("bel")
    put(note, "'\\u0000 de\\u000b wijk\\u001b[31m'", "change")
    expect(limit).to_contain_text("max. 500 tekens")
    adjust = page.locator(".kit-plan-adjust textarea")
    adjust.fill("eerst")
    put(adjust, "'\\u0000 coaching\\u000b'", "change")
    tabs.nth(3).click()
    page.locator(".kit-plan-make-docx").click()
    text = word_text(download(page, "a.kit-plan-docx-link"))
    assert "bel de wijk[31m" in text and "eerst coaching" in text
    assert "x" * 100 not in text and "eerst de wijkteams bellen" not in text
    page.locator(".kit-plan-make-werkmap").click()
    werkmap = word_text(download(page, "a.kit-plan-docx-link"))
    assert "bel de wijk[31m" in werkmap and "eerst coaching" in werkmap
    expect(page.locator(".kit-status .kit-error")).to_have_count(0)


class HeldKernel:
    """Holds what the server sends a page until :meth:`release`, as a kernel busy with a room
    does: a field's sync stays unanswered while the learner types on and taps."""

    def __init__(self, page: Page) -> None:
        self.held: list[str | bytes] | None = None
        self.pages: list[WebSocketRoute] = []
        page.route_web_socket(re.compile(r"/api/kernels/"), self._relay)

    def _relay(self, ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()
        self.pages.append(ws)
        server.on_message(lambda m: self.held.append(m) if self.held is not None else ws.send(m))

    def hold(self) -> None:
        self.held = []

    def release(self) -> None:
        held, self.held = self.held or [], None
        for message in held:
            self.pages[-1].send(message)


def test_a_tap_right_after_typing_keeps_every_character(
    page: Page, voila_server: VoilaServer
) -> None:
    """ipywidgets sends a button's click at once but holds a field's next change while an
    earlier one is unanswered: a tap right after typing reached the kernel before the last
    characters did ("the group meets on F"). Fields read by a button send their text when they
    lose focus, which the tap itself causes, just before the click."""
    kernel = HeldKernel(page)
    open_app(page, voila_server, "kern-en-schil.ipynb", "lang=en")
    reason = page.locator(".kit-kern-reason input")
    reason.click()
    kernel.hold()
    page.keyboard.type("the group meets on Fridays")
    page.locator(".kit-add-adaptation").click()
    kernel.release()
    card = page.locator(".kit-adaptation").first
    expect(card).to_contain_text("Reason: the group meets on Fridays")
