"""By keyboard only, part two (issue 23): a plan built from a scan (choose the activities, fill in
the PDCA fields, export), and a poll answered on a participant's phone in a led room. Only Tab,
Shift+Tab, Enter, Space, the arrow keys and Escape move through the page (text is typed into
fields); after each step the test says where focus is, that it can be seen, and what the control
is called for a screen reader."""

from __future__ import annotations

import io
import re
from pathlib import Path

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from kit.agenda import Action
from kit.content import default_content
from kit.led import Led
from kit.storage import Store
from tests.conftest import ANSWER_MS, VoilaServer
from tests.test_browser_keyboard import (
    focus,
    focus_on,
    open_tab,
    press,
    tab_to,
    visible,
)
from tests.test_browser_phases import open_app


def test_a_plan_from_a_scan_by_keyboard(page: Page, voila_server: VoilaServer) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    open_app(page, voila_server, "plan.ipynb", "lang=en")

    # 1 · Scan: the first case's reference reading (the list starts on it), "Use this scan".
    source = page.get_by_role("combobox", name="Scan", exact=True)
    expect(source).to_be_visible()
    tab_to(page, ".kit-plan-source select")
    found = tab_to(page, ".kit-plan-use-scan")
    assert found["text"] == "Use this scan", found
    press(page, "Enter")
    boxes = page.locator(".kit-proposals .kit-proposal-box input[type=checkbox]")
    expect(boxes.first).to_be_visible(timeout=ANSWER_MS)
    assert boxes.count() >= 2
    # Each proposal is a checkbox named by its fit and its activity.
    first_name = page.locator(".kit-proposals .kit-proposal-box").first.inner_text().strip()
    expect(page.get_by_role("checkbox", name=first_name)).to_have_count(1)

    # Tick the first two proposals with Space, then "Put in the plan".
    for n in range(2):
        tab_to(page, ".kit-proposal-box input[type=checkbox]")
        assert page.evaluate(
            "n => document.activeElement === "
            "document.querySelectorAll('.kit-proposal-box input[type=checkbox]')[n]",
            n,
        ), f"Tab skipped proposal {n + 1}: {focus(page)}"
        press(page, "Space")
        expect(boxes.nth(n)).to_be_checked()
        visible(focus(page))
    tab_to(page, ".kit-plan-apply")
    press(page, "Enter")
    expect(page.locator(".kit-plan-scan-message")).to_contain_text("2", timeout=20_000)
    visible(focus(page))  # focus stays on the button that was pressed

    # 2 · Plan: back up to the plan's tabs, the second one; two steps, one card each.
    tab_to(page, ".kit-plan-tabs > .lm-TabBar [role=tab]", "Shift+Tab")
    open_tab(page, ".kit-plan-tabs > .lm-TabBar", "2 · Plan")
    cards = page.locator(".kit-steps .kit-step")
    expect(cards).to_have_count(2, timeout=20_000)
    card = cards.first
    # Every field of a step has a name that says what it is for.
    for role, name in (
        ("combobox", "Who does it"),
        ("textbox", "When"),
        ("combobox", "Indicator (statement from the scan)"),
        ("textbox", "Note"),
    ):
        expect(card.get_by_role(role, name=name)).to_have_count(1)

    # Who: the second choice; when: a date; the indicator: the first statement; a note.
    tab_to(page, ".kit-step select")  # the first field of the first card
    press(page, "ArrowDown")
    who = card.get_by_role("combobox", name="Who does it")
    expect(who).not_to_have_value("organisation")
    tab_to(page, ".kit-step-when input")
    page.keyboard.type("2027-03-01")
    tab_to(page, ".kit-step-indicator select")
    press(page, "ArrowDown")
    expect(card.locator(".kit-step-indicator-text")).not_to_contain_text("no indicator")
    tab_to(page, ".kit-step-note input")
    page.keyboard.type("Start with the team leaders")
    # Check and act: the next scan's date and what is adjusted.
    tab_to(page, ".kit-plan-next-scan input")
    page.keyboard.type("2027-06-01")
    tab_to(page, ".kit-plan-adjust textarea")
    page.keyboard.type("Shorter sessions if few people come")
    # Leaving the field hands its text to the kernel (Tab would leave the page: it is the last).
    found = visible(press(page, "Shift+Tab"))
    assert page.evaluate("() => !!document.activeElement.closest('.kit-plan-next-scan')"), found

    # 4 · Files: the plan as a PDF, downloaded from its link by Enter.
    tab_to(page, ".kit-plan-tabs > .lm-TabBar [role=tab]", "Shift+Tab")
    open_tab(page, ".kit-plan-tabs > .lm-TabBar", "4 · Files")
    found = tab_to(page, ".kit-plan-make-pdf")
    assert found["text"] == "Plan as PDF", found
    press(page, "Enter")
    expect(page.locator("a.kit-plan-pdf-link")).to_be_visible(timeout=60_000)
    tab_to(page, "a.kit-plan-pdf-link")
    with page.expect_download() as download:
        press(page, "Enter")
    data = Path(download.value.path()).read_bytes()
    text = " ".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(data)).pages)
    text = re.sub(r"\s+", " ", text)
    # What was typed and chosen by keyboard is in the plan (dates written out).
    for typed in (
        "When: 1 March 2027",
        "next scan: 1 June 2027",
        "Who does it: Professionals",
        "Note: Start with the team leaders",
        "Shorter sessions if few people come",
    ):
        assert typed in text, typed


def test_a_poll_on_a_phone_by_keyboard(page: Page, voila_server: VoilaServer) -> None:
    store = Store(voila_server.db_url)
    content = default_content()
    info, key = store.create_session("Keyboard room", None, "samen-sterk")
    joined = store.join(info.code, "Merel")
    led = Led(store, content, info.code)
    led.start(key, "workshop")
    agenda = content.agenda("workshop")
    poll = next(s for s in agenda.steps if s.id == "fase-poll")
    led.act(key, Action.GOTO, to=agenda.steps.index(poll))
    question = poll.title("en")

    page.set_viewport_size({"width": 390, "height": 844})
    open_app(
        page,
        voila_server,
        "deelnemer.ipynb",
        f"session={info.code}&p={joined.token.replace('-', '')}&lang=en",
    )
    expect(page.locator(".kit-phone-title")).to_have_text(question, timeout=ANSWER_MS)
    # The options form one radio group named by the question.
    group = page.get_by_role("radiogroup", name=question)
    expect(group).to_have_count(1)
    options = group.get_by_role("radio")
    count = options.count()
    assert count >= 6  # the six phases

    # Tab reaches the group once (its first option), the arrows move within it.
    found = tab_to(page, ".kit-phone-choice input[type=radio]")
    first = options.first.evaluate("e => e.closest('label').textContent.trim()")
    assert found["text"] == first, found
    press(page, "ArrowDown")
    chosen = visible(press(page, "ArrowDown"))
    third = options.nth(2).evaluate("e => e.closest('label').textContent.trim()")
    assert chosen["text"] == third, chosen
    expect(options.nth(2)).to_be_checked()
    # One Tab leaves the group for the send button (not the next option).
    found = visible(press(page, "Tab"))
    assert page.evaluate("() => !!document.activeElement.closest('.kit-phone-send')"), found
    assert found["text"] == "Send", found
    press(page, "Enter")
    expect(page.locator(".kit-phone-message")).to_contain_text(third, timeout=20_000)
    visible(focus(page))

    # Stored once, as the third option, for this participant.
    votes = store.poll_votes(info.code, key, "fase-poll")
    assert list(votes.values()) == [led.own_vote(joined.participant, poll)]
    assert len(votes) == 1

    # The trainer closes answering while focus is on Send: the phone says so, Send is disabled,
    # and focus moves to the line that says answering is closed (it used to drop to <body>).
    assert page.evaluate("() => !!document.activeElement.closest('.kit-phone-send')")
    led.act(key, Action.CLOSE)
    expect(page.locator(".kit-phone-closed")).to_be_visible(timeout=20_000)
    expect(page.locator(".kit-phone-send")).to_be_disabled()
    found = focus_on(page, ".kit-phone-closed")
    assert found["text"] == "■ Answering is closed", found
