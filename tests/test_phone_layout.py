"""Every participant-facing page on a phone: one column, nothing past the screen edge, values not
cut off, tap targets of 44 px, every tab in reach, and the main control of each step works.

One page per app, reused across its tabs (each page load starts a kernel)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.conftest import ANSWER_MS, PAGE_MS, VoilaServer
from tests.phone import layout_problems, offscreen_tabs
from tests.test_browser_phases import open_app

PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 640}


def assert_fits(page: Page, where: str) -> None:
    page.wait_for_timeout(250)  # let widgets finish laying out after a click
    problems = layout_problems(page)
    assert problems == [], f"{where} at {page.viewport_size}:\n" + "\n".join(problems)
    assert offscreen_tabs(page) == [], f"{where}: tabs out of reach"


def tab(page: Page, index: int) -> None:
    t = page.locator(".kit-app .lm-TabBar-tab").nth(index)
    t.scroll_into_view_if_needed()
    expect(t).to_be_in_viewport(ratio=0.95)  # (nearly) the whole tab: not cut off at a side
    t.click()
    expect(t).to_have_class(re.compile("lm-mod-current"))


def test_landing_on_a_phone(page: Page, voila_server: VoilaServer) -> None:
    page.set_viewport_size(PHONE)
    page.goto(voila_server.render_url("index.ipynb"), timeout=PAGE_MS)
    page.wait_for_selector(".kit-landing a.kit-open", timeout=PAGE_MS)
    assert_fits(page, "landing")
    page.set_viewport_size(SMALL_PHONE)
    assert_fits(page, "landing")


def test_phases_on_a_phone(page: Page, voila_server: VoilaServer) -> None:
    page.set_viewport_size(PHONE)
    open_app(page, voila_server, "fasen.ipynb")
    # 1. Explore: pick a phase, its card shows.
    page.locator(".kit-phase-picker button").nth(2).click()
    expect(page.locator(".kit-phase-details .kit-card").first).to_contain_text("Begrijpen")
    assert_fits(page, "phases / explore")
    # 2. Which phase: another scenario from the dropdown, answer, check.
    tab(page, 1)
    page.locator(".kit-scenario-choice select").select_option(index=1)
    answer = page.locator(".kit-phase-answer").get_by_text("1 · Weten", exact=True)
    answer.scroll_into_view_if_needed()
    expect(answer).to_be_in_viewport()
    answer.click()
    page.locator(".kit-check").click()
    expect(page.locator(".kit-feedback-box .kit-feedback")).to_be_visible()
    assert_fits(page, "phases / which phase")
    # 3. Activity fit: tick two activities, check.
    tab(page, 2)
    boxes = page.locator(".kit-activity-grid input[type=checkbox]")
    boxes.nth(0).check()
    boxes.nth(7).check()
    page.locator(".kit-check-fit").click()
    expect(page.locator(".kit-fit-result .kit-feedback")).to_have_count(2)
    assert_fits(page, "phases / activity fit")
    page.set_viewport_size(SMALL_PHONE)
    assert_fits(page, "phases / activity fit")


def test_quickscan_on_a_phone(page: Page, voila_server: VoilaServer) -> None:
    page.set_viewport_size(PHONE)
    open_app(page, voila_server, "quickscan.ipynb")
    # The case text and the statements are stacked, both the full width.
    narrative = page.locator(".kit-narrative").bounding_box()
    statements = page.locator(".kit-phase-accordion").bounding_box()
    assert narrative and statements and statements["y"] >= narrative["y"] + narrative["height"]
    assert statements["width"] > 300
    first = page.locator(".kit-scale:visible").first.get_by_role("radio", name="2 · Grotendeels")
    first.check()
    expect(page.locator(".kit-progress-text")).to_contain_text("1 van 35")
    assert_fits(page, "quickscan / answer")
    # A second accordion section opens and can be answered.
    page.locator(".kit-phase-accordion .jupyter-widget-Collapse-header").nth(1).click()
    second = page.locator(".kit-scale:visible").first.get_by_role("radio", name="0 · Helemaal niet")
    second.check()
    expect(page.locator(".kit-progress-text")).to_contain_text("2 van 35")
    assert_fits(page, "quickscan / second section")
    tab(page, 1)
    expect(page.locator(".kit-phase-chart img")).to_be_visible()
    expect(page.locator(".kit-advice")).to_contain_text("fase")
    assert_fits(page, "quickscan / result")
    tab(page, 2)
    expect(page.locator(".kit-compare")).to_be_visible()
    assert_fits(page, "quickscan / compare")
    tab(page, 3)
    page.locator(".kit-save-answers").click()
    expect(page.locator("a.kit-json-link")).to_be_visible()
    assert_fits(page, "quickscan / files")
    # A smaller phone: every tab again.
    page.set_viewport_size(SMALL_PHONE)
    for index, where in enumerate(("answer", "result", "compare", "files")):
        tab(page, index)
        assert_fits(page, f"quickscan / {where}")


def test_kern_on_a_phone(page: Page, voila_server: VoilaServer) -> None:
    page.set_viewport_size(PHONE)
    open_app(page, voila_server, "kern-en-schil.ipynb")
    diagram = page.locator(".kit-kern-diagram img")
    diagram.scroll_into_view_if_needed()
    expect(diagram).to_be_in_viewport(ratio=0.9)  # the whole diagram fits on the screen
    page.locator(".kit-element-choice select").select_option(index=1)
    page.locator(".kit-type-choice select").select_option(index=0)
    expect(page.locator(".kit-preview .kit-feedback")).to_be_visible()
    page.locator(".kit-add-adaptation").click()
    expect(page.locator(".kit-adaptation")).to_have_count(1)
    expect(page.locator(".kit-kern-summary")).to_contain_text("1 aanpassing")
    assert_fits(page, "kern / explore")
    tab(page, 1)
    page.locator(".kit-situation-choice select").select_option(index=1)
    page.locator(".kit-check-situation").click()
    expect(page.locator(".kit-situation-feedback .kit-feedback")).to_be_visible()
    assert_fits(page, "kern / exercise")
    tab(page, 2)
    expect(page.locator(".kit-log-table td").first).to_be_visible()
    assert_fits(page, "kern / log")
    page.set_viewport_size(SMALL_PHONE)
    for index, where in enumerate(("explore", "exercise", "log")):
        tab(page, index)
        assert_fits(page, f"kern / {where}")


def test_participant_page_on_a_phone(page: Page, voila_server: VoilaServer) -> None:
    """The page participants open from the QR code: join form, joined bar, the three exercises."""
    from kit.storage import Store

    store = Store(voila_server.db_url)
    info, _ = store.create_session("Telefoon", case_id="buurtkracht", intervention_id="samen-sterk")
    page.set_viewport_size(SMALL_PHONE)
    open_app(page, voila_server, "deelnemer.ipynb", f"session={info.code}")
    assert_fits(page, "participant / join form")
    join = page.locator(".kit-session-join")
    join.scroll_into_view_if_needed()
    expect(join).to_be_in_viewport()
    page.locator(".kit-session-alias input").fill("Uil op een kleine telefoon")
    join.click()
    expect(page.locator(".kit-session-status")).to_be_visible(timeout=ANSWER_MS)
    assert_fits(page, "participant / joined")
    for index, marker in (
        (1, ".kit-narrative"),
        (2, ".kit-kern-diagram"),
        (0, ".kit-phase-picker"),
    ):
        page.locator(".kit-workshop-tabs > .lm-TabBar .lm-TabBar-tab").nth(index).click()
        expect(page.locator(marker)).to_be_visible(timeout=ANSWER_MS)
        assert_fits(page, f"participant / workshop tab {index + 1}")
    store.dispose()


def test_presenter_view_on_a_phone(page: Page, voila_server: VoilaServer) -> None:
    """Meant for the projector, but a trainer may check it on a phone or tablet first."""
    from kit.storage import Store

    store = Store(voila_server.db_url)
    info, _ = store.create_session("Workshop wijkteam Noord")
    page.set_viewport_size(PHONE)
    open_app(page, voila_server, "presentatie.ipynb", f"session={info.code}")
    expect(page.locator(".kit-presenter-view .kit-join-code")).to_have_text(info.code)
    code = page.locator(".kit-presenter-view .kit-join-code").bounding_box()
    assert code and code["height"] < 80, "the join code wrapped onto a second line"
    assert_fits(page, "presenter view")
    store.dispose()
