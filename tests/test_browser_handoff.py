"""From one screen to the next in a real browser: the Quickscan's result and the trainer's group
median each hand their scan to the plan builder, which must open on it with its proposals
(it used to open on "Kies eerst een scan." with nothing to choose)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from kit.answers import ScanAnswers
from kit.content import default_content
from kit.storage import Store
from tests.conftest import ANSWER_MS, VoilaServer
from tests.test_browser_apps import answer_visible
from tests.test_browser_phases import open_app


def test_quickscan_result_opens_the_plan_builder_on_this_scan(
    page: Page, voila_server: VoilaServer
) -> None:
    open_app(page, voila_server, "quickscan.ipynb")
    tabs = page.locator(".kit-app-quickscan .lm-TabBar-tab")
    answer_visible(page, 5, 0)  # phase 0, all "not at all": phase 0 is where to start
    tabs.nth(1).click()
    page.locator(".kit-to-plan").click()
    plan = page.locator(".kit-plan")
    where = plan.locator(".kit-plan-where")
    expect(where).to_contain_text("Scan: eigen scan · ", timeout=ANSWER_MS)
    expect(where).to_contain_text("fase 0 · Ontwikkelen")
    expect(plan).not_to_contain_text("Kies eerst een scan.")
    proposals = plan.locator(".kit-proposal-box")
    expect(proposals.first).to_be_visible()
    assert proposals.count() >= 3
    # The proposals are the builder's own: choosing two makes two steps.
    boxes = plan.locator(".kit-proposal-box input[type=checkbox]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    plan.locator(".kit-plan-apply").click()
    expect(plan.locator(".kit-plan-scan-message")).to_contain_text("2 activiteiten")
    expect(page.locator(".kit-status .kit-error")).to_have_count(0)


def test_group_median_opens_the_plan_builder_on_the_median(
    page: Page, voila_server: VoilaServer
) -> None:
    c = default_content()
    open_app(page, voila_server, "groep.ipynb", "lang=en")
    page.locator(".kit-new-title input").fill("Hand-off")
    page.locator(".kit-create-session").click()
    code = page.locator(".kit-join-code").inner_text().strip()
    # Two participants scan the session's case (the first case) from the organisation's seat.
    store = Store(voila_server.db_url)
    try:
        info = store.session(code)
        assert info is not None and info.case_id == c.cases[0].id
        statements = c.instrument.statements_for("organisatie")
        for alias, value in (("Uil", 0), ("Vos", 1)):
            joined = store.join(code, alias)
            scan = ScanAnswers(
                perspective="organisatie",
                case=info.case_id,
                values={s.id: value for s in statements},
            )
            store.save(code, joined.participant, joined.alias, scan)
    finally:
        store.dispose()
    expect(page.locator(".kit-group-scan")).to_contain_text("(2 participants)", timeout=ANSWER_MS)
    page.locator(".kit-group-plan").click()
    plan = page.locator(".kit-dashboard .kit-plan")
    where = plan.locator(".kit-plan-where")
    expect(where).to_contain_text("Scan: the group's median", timeout=ANSWER_MS)
    expect(where).to_contain_text(re.compile(r"phase 0 · "))
    expect(plan).not_to_contain_text("Choose a scan first.")
    expect(plan.locator(".kit-proposal-box").first).to_be_visible()
    assert plan.locator(".kit-proposal-box").count() >= 3
    expect(page.locator(".kit-status .kit-error")).to_have_count(0)
