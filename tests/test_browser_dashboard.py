"""The trainer's dashboard in a real browser on a 1366 x 768 laptop: the facilitator key shown
once, grouped, with copy and save; confirmations that read whole; closing and reopening; and
the hand-over field with CODE:PERSONALCODE never on screen in any app."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import ANSWER_MS, VoilaServer
from tests.test_browser_phases import open_app

LAPTOP = {"width": 1366, "height": 768}
KEY = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")


def cut_off(page: Page, selector: str) -> list[str]:
    """Elements under ``selector`` whose text does not fit their box (cut off, or "…")."""
    return page.locator(selector).evaluate(
        """root => [root, ...root.querySelectorAll('*')]
            .filter(el => el.textContent.trim() && el.clientWidth > 0)
            .filter(el => el.scrollWidth > el.clientWidth + 1)
            .map(el => el.textContent.trim())"""
    )


def test_the_key_is_shown_once_with_copy_and_save_and_the_session_reopens(
    page: Page, voila_server: VoilaServer
) -> None:
    page.set_viewport_size(LAPTOP)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_app(page, voila_server, "groep.ipynb")
    page.locator(".kit-new-title input").fill("Werkplaats 12 december")
    page.locator(".kit-create-session").click()
    note = page.locator(".kit-new-key")
    expect(note).to_contain_text("Alleen nu zichtbaar", timeout=ANSWER_MS)
    key = page.locator(".kit-key").inner_text().strip()
    assert KEY.match(key), key
    code = page.locator(".kit-join-code").inner_text().strip()
    # Copy: the key is on the clipboard, and the button says so.
    page.locator(".kit-key-copy").click()
    expect(page.locator(".kit-key-copy")).to_have_text("✓ Gekopieerd")
    assert page.evaluate("navigator.clipboard.readText()") == key
    # Save as file: a small text file with the title, the code, the key and the dashboard link.
    with page.expect_download() as done:
        page.locator("a.kit-key-file").click()
    assert done.value.suggested_filename == f"sessie-{code}-sleutel.txt"
    text = Path(done.value.path()).read_text("utf-8")
    assert "Sessie: Werkplaats 12 december" in text
    assert f"Code: {code}" in text and f"Sleutel: {key}" in text
    assert re.search(rf"Overzicht: \S*groep\.ipynb\?session={code}\b", text)
    # The confirmations read whole on a laptop.
    controls = page.locator(".kit-controls")
    expect(controls.first).to_be_visible()
    for selector in (".kit-confirm-close", ".kit-confirm-delete"):
        page.locator(selector).scroll_into_view_if_needed()
        assert cut_off(page, selector) == [], selector
    expect(page.locator(".kit-confirm-close")).to_contain_text(
        "Ja, sluit de sessie (er kan daarna niemand meer antwoorden)"
    )
    # Close, then reopen: the QR code and join code come back.
    page.locator(".kit-confirm-close input").check()
    page.locator(".kit-close-session").click()
    expect(page.locator(".kit-join-code")).to_have_count(0, timeout=20_000)
    reopen = page.locator(".kit-reopen-session")
    expect(reopen).to_be_visible()
    reopen.click()
    expect(page.locator(".kit-action-message")).to_contain_text("De sessie is weer open")
    expect(page.locator(".kit-join-code")).to_have_text(code, timeout=20_000)
    expect(reopen).to_be_hidden()
    # Written down: the key can be hidden.
    page.locator(".kit-key-done").click()
    expect(page.locator(".kit-key")).to_have_count(0)
    expect(page.locator(".kit-status .kit-error")).to_have_count(0)


@pytest.fixture
def session_code(voila_server: VoilaServer) -> str:
    from kit.storage import Store

    store = Store(voila_server.db_url)
    try:
        info, _ = store.create_session("Gedeeld scherm")
        return info.code
    finally:
        store.dispose()


def test_the_hand_over_field_is_never_visible(
    page: Page, voila_server: VoilaServer, session_code: str
) -> None:
    """The page script writes CODE:PERSONALCODE into it: a shared screen must never show it."""
    page.set_viewport_size(LAPTOP)
    for notebook in (
        "deelnemer.ipynb",
        "quickscan.ipynb",
        "fasen.ipynb",
        "kern-en-schil.ipynb",
        "plan.ipynb",
    ):
        open_app(page, voila_server, notebook, f"session={session_code}")
        field = page.locator(".kit-identity-in")
        expect(field).to_have_count(1, timeout=ANSWER_MS)  # the app has one: it is checked
        expect(page.locator(".kit-session-join")).to_be_visible()
        field.locator("input").evaluate("el => { el.value = 'ABCDEF:K7Q2M3XP'; }")
        expect(field).to_be_hidden()
        assert field.bounding_box() is None, notebook
        assert "K7Q2M3XP" not in page.locator("body").inner_text(), notebook
