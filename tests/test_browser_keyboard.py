"""The whole workshop by keyboard only (issue 23): a participant joins, answers all six Quickscan
phases, opens the result, downloads the PDF and composes an adaptation; a trainer switches the
language, creates a session and opens the dashboard. Only Tab, Shift+Tab, Enter, Space, the arrow
keys and Escape move through the page (and letters are typed into text fields); after each step
the test says where focus is and checks that it can be seen."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from kit.answers import Adaptations, ScanAnswers
from kit.storage import Store
from tests.conftest import ANSWER_MS, VoilaServer
from tests.test_browser_phases import open_app

#: The keys a keyboard-only user moves with (text is typed with keyboard.type).
KEYS = {
    "Tab",
    "Shift+Tab",
    "Enter",
    "Space",
    "ArrowUp",
    "ArrowDown",
    "ArrowLeft",
    "ArrowRight",
    "Escape",
}
#: A generous number of tab stops to look through before giving up on reaching a control.
MOST_STOPS = 120

FOCUS_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const r = e.getBoundingClientRect();
  const label = e.closest('label');
  return {
    tag: e.tagName.toLowerCase(),
    role: e.getAttribute('role') || '',
    type: e.getAttribute('type') || '',
    classes: (e.className && e.className.baseVal === undefined ? e.className : '') +
      ' ' + Array.from(e.closest('.lm-Widget') ? e.closest('.lm-Widget').classList : []).join(' '),
    text: (label ? label.textContent : (e.textContent || e.value || '')).replace(/\\s+/g, ' ').trim(),
    expanded: e.getAttribute('aria-expanded'),
    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
    shadow: !!s.boxShadow && s.boxShadow !== 'none',
    width: r.width, height: r.height,
    inView: r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth,
  };
}"""


def press(page: Page, key: str) -> dict[str, Any] | None:
    """Press one of the keyboard user's keys; returns what then has focus."""
    assert key in KEYS, key
    page.keyboard.press(key)
    return focus(page)


def focus(page: Page) -> dict[str, Any] | None:
    found: dict[str, Any] | None = page.evaluate(FOCUS_JS)
    return found


def visible(found: dict[str, Any] | None) -> dict[str, Any]:
    """``found`` has focus where it can be seen: in view, with an outline or a focus shadow."""
    assert found is not None, "focus fell to the page itself"
    assert found["width"] > 0 and found["height"] > 0 and found["inView"], found
    assert found["outline"] or found["shadow"], f"no visible focus on {found}"
    return found


def matches(page: Page, selector: str) -> bool:
    return bool(
        page.evaluate(
            "s => !!(document.activeElement && document.activeElement.closest(s))", selector
        )
    )


def tab_to(page: Page, selector: str, key: str = "Tab") -> dict[str, Any]:
    """Press Tab (or Shift+Tab) until focus is on or in ``selector``; the stop must be visible."""
    for _ in range(MOST_STOPS):
        press(page, key)
        if matches(page, selector):
            return visible(focus(page))
    raise AssertionError(f"{key} never reached {selector}; focus is on {focus(page)}")


def focus_on(page: Page, selector: str) -> dict[str, Any]:
    """Focus is (or, after a redraw, soon is) on ``selector``, and visibly so."""
    page.wait_for_function(
        "s => !!(document.activeElement && document.activeElement.matches(s))", arg=selector
    )
    return visible(focus(page))


def open_tab(page: Page, tablist: str, name: str) -> None:
    """From a focused tab in ``tablist``: arrow keys to the tab called ``name``, Enter opens it."""
    for _ in range(8):
        found = focus(page)
        assert found is not None and found["role"] == "tab", found
        if found["text"] == name:
            break
        press(page, "ArrowRight")
    else:
        raise AssertionError(f"no tab {name!r} in {tablist}")
    press(page, "Enter")
    current = page.locator(f"{tablist} [role=tab]:focus")
    expect(current).to_have_attribute("aria-selected", "true")
    expect(current).to_have_text(name)
    visible(focus(page))


def test_participant_by_keyboard(page: Page, voila_server: VoilaServer) -> None:
    store = Store(voila_server.db_url)
    info, key = store.create_session("Toetsenbord", "buurtkracht", None)
    page.set_viewport_size({"width": 1366, "height": 768})
    open_app(page, voila_server, "deelnemer.ipynb", f"session={info.code}")

    # Join: alias, then the join button; focus then lands on the new page's heading.
    tab_to(page, ".kit-session-alias input")
    page.keyboard.type("Merel")
    tab_to(page, ".kit-session-join")
    press(page, "Enter")
    expect(page.locator(".kit-session-status")).to_contain_text("Merel", timeout=ANSWER_MS)
    heading = focus_on(page, ".kit-titlebar h1, .kit-titlebar h2")
    assert heading["text"] == page.locator(".kit-titlebar :is(h1, h2)").inner_text()

    # The Quickscan tab of the workshop.
    tab_to(page, ".kit-workshop-tabs > .lm-TabBar [role=tab]")
    open_tab(page, ".kit-workshop-tabs > .lm-TabBar", "2 · Quickscan")
    progress = page.locator(".kit-app .kit-progress-text")
    expect(progress).to_contain_text("0 van")
    total = int(re.search(r"0 van (\d+)", progress.inner_text()).group(1))  # type: ignore[union-attr]

    # Every statement of all six phases: Tab reaches a phase's header (Enter opens it) and
    # each statement's scale once; two arrow presses choose "2 · Grotendeels".
    answered, opened = 0, {0}
    for _ in range(total * 3 + 60):
        found = tab_to(page, ".kit-scale input[type=radio], .kit-phase-accordion [role=button]")
        if found["role"] == "button":
            index = page.evaluate(
                "() => Array.from(document.querySelectorAll("
                "'.kit-phase-accordion .jupyter-widget-Collapse-header'))"
                ".indexOf(document.activeElement)"
            )
            if found["expanded"] == "false":
                press(page, "Enter")
                header = page.locator(".kit-phase-accordion .jupyter-widget-Collapse-header").nth(
                    index
                )
                expect(header).to_have_attribute("aria-expanded", "true")
                section = page.locator(".kit-phase-accordion .jupyter-widget-Collapse-contents")
                expect(section.nth(index).locator(".kit-scale").first).to_be_visible()
                opened.add(index)
                # The section above closes as this one fills in; the page keeps the header in
                # view (kit-a11y.js looks every 50 ms): wait for that, then check it.
                page.wait_for_function(
                    "() => { const r = document.activeElement.getBoundingClientRect();"
                    " return r.bottom > 0 && r.top < window.innerHeight; }",
                    timeout=20_000,
                )
                visible(focus(page))
            continue
        assert found["text"] == "0 · Helemaal niet", found  # the group's first option
        press(page, "ArrowDown")
        chosen = visible(press(page, "ArrowDown"))
        assert chosen["text"] == "2 · Grotendeels", chosen
        answered += 1
        expect(progress).to_contain_text(f"{answered} van {total}", timeout=ANSWER_MS)
        if answered == total:
            break
    assert answered == total and opened == set(range(6))
    expect(page.locator(".kit-phase-accordion .kit-scale input:checked")).to_have_count(total)

    # The result: back to the Quickscan's tabs, the second one.
    tab_to(page, ".kit-tabs:not(.kit-workshop-tabs) [role=tab]", "Shift+Tab")
    open_tab(page, ".kit-tabs:not(.kit-workshop-tabs) > .lm-TabBar", "2. Resultaat en advies")
    expect(page.locator(".kit-advice")).not_to_contain_text("Beantwoord eerst")
    expect(page.locator(".kit-phase-chart img")).to_be_visible(timeout=ANSWER_MS)

    # The PDF report, from the fourth tab.
    open_tab(page, ".kit-tabs:not(.kit-workshop-tabs) > .lm-TabBar", "4. Rapport en bewaren")
    tab_to(page, ".kit-make-pdf")
    press(page, "Enter")
    expect(page.locator("a.kit-pdf-link")).to_be_visible(timeout=ANSWER_MS)
    tab_to(page, "a.kit-pdf-link")
    with page.expect_download() as download:
        press(page, "Enter")
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF") and len(PdfReader(io.BytesIO(data)).pages) > 3

    # An adaptation in Kern en schil: back to the workshop's tabs, the third one.
    tab_to(page, ".kit-workshop-tabs > .lm-TabBar [role=tab]", "Shift+Tab")
    open_tab(page, ".kit-workshop-tabs > .lm-TabBar", "3 · Kern en schil")
    tab_to(page, ".kit-element-choice select")
    press(page, "ArrowDown")
    tab_to(page, ".kit-type-choice select")
    press(page, "ArrowDown")
    expect(page.locator(".kit-preview .kit-feedback")).to_be_visible()
    tab_to(page, ".kit-kern-reason input, .kit-kern-reason textarea")
    page.keyboard.type("Past beter bij de wijk")
    tab_to(page, ".kit-kern-goal input, .kit-kern-goal textarea")
    page.keyboard.type("Meer bewoners doen mee")
    tab_to(page, ".kit-add-adaptation")
    press(page, "Enter")
    expect(page.locator(".kit-adaptation")).to_have_count(1)
    expect(page.locator(".kit-adaptation")).to_contain_text("Past beter bij de wijk")
    visible(focus(page))

    # What the store holds: every statement answered "2", the adaptation with its reason.
    def stored() -> list[Any]:
        return [s.record for s in store.all_submissions(info.code, key)]

    expect(page.locator(".kit-session-status")).to_contain_text("opgeslagen")
    scans = [r for r in stored() if isinstance(r, ScanAnswers)]
    assert len(scans) == 1 and len(scans[0].values) == total
    assert set(scans[0].values.values()) == {2}
    adaptations = [r for r in stored() if isinstance(r, Adaptations)]
    assert [p.reason for a in adaptations for p in a.proposals] == ["Past beter bij de wijk"]


def test_trainer_by_keyboard(page: Page, voila_server: VoilaServer) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    open_app(page, voila_server, "groep.ipynb")

    # English: the language switch keeps focus on the page, on the heading of the new content.
    found = tab_to(page, ".kit-lang button")
    assert found["text"] == "NL"
    found = visible(press(page, "Tab"))
    assert found["text"] == "EN"
    press(page, "Enter")
    heading = focus_on(page, ".kit-titlebar h1, .kit-titlebar h2")
    expect(page.locator(".kit-titlebar :is(h1, h2)")).to_have_text(heading["text"])
    expect(page.locator(".kit-create-session")).to_have_text(re.compile("Create"))
    assert page.locator(".kit-lang button[aria-pressed=true]").inner_text() == "EN"

    # Create a session: title, Tab past the case and intervention, Enter on "Create".
    tab_to(page, ".kit-new-title input")
    page.keyboard.type("Keyboard workshop")
    tab_to(page, ".kit-create-session")
    press(page, "Enter")
    code = page.locator(".kit-join-code")
    expect(code).to_have_text(re.compile(r"^\s*[A-Z2-9]{6}\s*$"), timeout=ANSWER_MS)
    # Focus on the new content's heading: the key that is shown only now.
    found = focus_on(page, ".kit-key-title")
    assert found["text"].startswith("Shown only now"), found
    # "I have saved the key" hides the note: focus goes on to the session's heading.
    tab_to(page, ".kit-key-done")
    press(page, "Enter")
    expect(page.locator(".kit-new-key")).to_have_count(0)
    focus_on(page, ".kit-session-title")
    expect(page.locator(".kit-session-title")).to_have_text("Keyboard workshop")
    # The dashboard answers the keyboard: refresh it.
    tab_to(page, ".kit-refresh")
    press(page, "Enter")
    expect(page.locator(".kit-joined")).to_be_visible()
    visible(focus(page))
