"""What a screen reader gets from the apps (issue 23), read from Chromium's accessibility tree:
every control has a name (and a state where it has one), each Quickscan statement's scale is one
radio group named by the statement, toggles say which option is chosen, accordion headers are
buttons that say whether they are open, and each app has one polite live region whose text
changes after an answer (instead of a new status element per update)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from kit.content import default_content
from tests.conftest import VoilaServer
from tests.test_browser_phases import open_app

# Closes its page's context: a fresh one per test, not the worker's cached profile.
pytestmark = pytest.mark.fresh_context

#: Roles a user operates: each needs a name.
CONTROLS = {
    "button",
    "checkbox",
    "combobox",
    "link",
    "radio",
    "radiogroup",
    "slider",
    "spinbutton",
    "switch",
    "tab",
    "textbox",
}


def ax_nodes(page: Page) -> list[dict[str, Any]]:
    """The page's accessibility tree as Chromium gives it to screen readers (ignored nodes left
    out)."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes: list[dict[str, Any]] = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    return [n for n in nodes if not n.get("ignored")]


def role(node: dict[str, Any]) -> str:
    return str(node.get("role", {}).get("value", ""))


def name(node: dict[str, Any]) -> str:
    return str(node.get("name", {}).get("value", "")).strip()


def props(node: dict[str, Any]) -> dict[str, Any]:
    return {p["name"]: p["value"].get("value") for p in node.get("properties", [])}


@pytest.fixture(scope="module")
def pages(browser: Browser, voila_server: VoilaServer) -> Iterator[dict[str, Page]]:
    """The Quickscan in Dutch and in English, and the phases app: opened once for this file."""
    opened = {}
    for key, notebook, query in (
        ("nl", "quickscan.ipynb", ""),
        ("en", "quickscan.ipynb", "lang=en"),
        ("phases", "fasen.ipynb", ""),
    ):
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        open_app(page, voila_server, notebook, query)
        opened[key] = page
    yield opened
    for page in opened.values():
        page.context.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_control_has_a_name_and_a_state(pages: dict[str, Page], lang: str) -> None:
    page = pages[lang]
    expect(page.locator(".kit-scale").first).to_be_visible()
    nodes = ax_nodes(page)
    unnamed = [
        (role(n), n.get("backendDOMNodeId")) for n in nodes if role(n) in CONTROLS and not name(n)
    ]
    assert not unnamed, unnamed
    # Radios and tabs carry their state; the accordion headers say whether they are open.
    radios = [n for n in nodes if role(n) == "radio"]
    assert radios and all("checked" in props(n) for n in radios)
    headers = [n for n in nodes if role(n) == "button" and "expanded" in props(n)]
    assert len(headers) >= 6  # the six phases (and the session fold)
    assert sum(props(n)["expanded"] is True for n in headers) == 1  # phase 0 is open
    tabs = [n for n in nodes if role(n) == "tab"]
    assert tabs and sum(props(n).get("selected") is True for n in tabs) == 1


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_each_scale_is_one_group_named_by_its_statement(pages: dict[str, Page], lang: str) -> None:
    page = pages[lang]
    c = default_content()
    perspective = c.instrument.perspectives[0].id
    first_phase = c.phases[0]
    statements = [s for s in c.instrument.statements_for(perspective) if s.phase == first_phase.id]
    scale = [f"{s.value} · {s.label(lang)}" for s in c.instrument.scale]
    options = [*scale, c.instrument.dont_know(lang), c.instrument.not_applicable(lang)]
    nodes = ax_nodes(page)
    groups = [n for n in nodes if role(n) == "radiogroup"]
    assert len(groups) == len(statements)
    for n, (node, s) in enumerate(zip(groups, statements, strict=True), start=1):
        assert name(node).startswith(f"{first_phase.number}.{n} {s.text(lang)}"), name(node)
        group = page.get_by_role("radiogroup", name=s.text(lang))
        radios = group.get_by_role("radio")
        expect(radios).to_have_count(len(options))
        for option in options:
            expect(group.get_by_role("radio", name=option, exact=True)).to_have_count(1)
        # One name for the group's radios: one tab stop, arrow keys move within the group.
        shared = {r.get_attribute("name") for r in radios.all()}
        assert len(shared) == 1 and shared != {None} and shared != {""}
    # Each group has a name of its own.
    all_names = page.locator(".kit-scale input[type=radio]").evaluate_all(
        "rs => rs.map(r => r.name)"
    )
    assert len(set(all_names)) == len(statements)


def test_toggles_say_which_is_chosen_and_what_they_choose(pages: dict[str, Page]) -> None:
    page = pages["nl"]
    lang_group = page.get_by_role("group", name="Taal")
    expect(lang_group.get_by_role("button", name="NL")).to_have_attribute("aria-pressed", "true")
    expect(lang_group.get_by_role("button", name="EN")).to_have_attribute("aria-pressed", "false")
    c = default_content()
    perspectives = page.get_by_role("group", name="Perspectief")
    buttons = perspectives.get_by_role("button")
    expect(buttons).to_have_count(len(c.instrument.perspectives))
    pressed = perspectives.locator("[aria-pressed=true]")
    expect(pressed).to_have_count(1)
    # Choosing another perspective moves the pressed state.
    progress = page.locator(".kit-progress-text")
    start = progress.inner_text()
    other = buttons.nth(1)
    other.click()
    expect(other).to_have_attribute("aria-pressed", "true")
    expect(buttons.nth(0)).to_have_attribute("aria-pressed", "false")
    expect(progress).not_to_have_text(start)
    buttons.nth(0).click()
    expect(buttons.nth(0)).to_have_attribute("aria-pressed", "true")
    expect(progress).to_have_text(start)  # its statements are back
    # The phases app's picker: a group named "Fase", nothing chosen yet.
    phases = pages["phases"]
    picker = phases.get_by_role("group", name="Fase")
    expect(picker.get_by_role("button")).to_have_count(len(c.phases))
    expect(picker.locator("[aria-pressed=true]")).to_have_count(0)


def test_an_answer_changes_the_text_of_the_one_polite_region(pages: dict[str, Page]) -> None:
    page = pages["nl"]
    regions = page.locator(".kit-app [aria-live]")
    expect(regions).to_have_count(1)
    region = regions.first
    expect(region).to_have_attribute("aria-live", "polite")
    handle = region.element_handle()
    before = region.inner_text()
    page.locator(".kit-scale").first.get_by_role("radio").nth(2).check()
    expect(region).to_contain_text(re.compile(r"^1 van \d+ stellingen beantwoord"))
    assert region.inner_text() != before
    # The same element: it was in the page before the answer and is still the only one.
    assert handle.evaluate("e => e.isConnected")
    expect(regions).to_have_count(1)
    assert page.locator(".kit-app [role=status]").count() == 1
    # Another answer: the same region says so again.
    page.locator(".kit-scale").nth(1).get_by_role("radio").nth(0).check()
    expect(region).to_contain_text(re.compile(r"^2 van \d+ stellingen beantwoord"))
    assert handle.evaluate("e => e.isConnected")


def test_a_verdict_is_said_in_the_live_region(pages: dict[str, Page]) -> None:
    page = pages["phases"]
    page.get_by_role("tab", name="2. Welke fase?").click()
    c = default_content()
    right = c.phase(c.scenarios[0].phase)
    region = page.locator(".kit-app [aria-live=polite]")
    expect(region).to_have_count(1)
    handle = region.element_handle()
    group = page.get_by_role("radiogroup", name="In welke fase?")
    group.get_by_role("radio", name=f"{right.number} · {right.name('nl')}").check()
    page.locator(".kit-check").click()
    expect(page.locator(".kit-feedback-box .kit-feedback")).to_contain_text("Klopt")
    expect(region).to_contain_text("Klopt")
    assert handle.evaluate("e => e.isConnected")
    # The verdict itself is not a second status region.
    expect(page.locator(".kit-feedback-box [role=status]")).to_have_count(0)


def test_the_session_fold_opens_by_keyboard(pages: dict[str, Page]) -> None:
    page = pages["phases"]  # a self-study app: the join form is folded away
    fold = page.get_by_role("button", name=re.compile("Doe je mee aan een groepssessie"))
    expect(fold).to_have_attribute("aria-expanded", "false")
    panel = page.locator(f"#{fold.get_attribute('aria-controls')}")
    expect(panel).to_be_hidden()
    fold.focus()
    page.keyboard.press("Enter")
    expect(fold).to_have_attribute("aria-expanded", "true")
    code = page.get_by_role("textbox", name="Code", exact=True)
    expect(code).to_be_visible()
    expect(panel.locator(".kit-session-code")).to_be_visible()
    page.keyboard.press("Tab")
    expect(code).to_be_focused()
    # Space closes it again.
    fold.focus()
    page.keyboard.press("Space")
    expect(fold).to_have_attribute("aria-expanded", "false")
    expect(panel).to_be_hidden()
