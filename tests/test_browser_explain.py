"""What the content already holds, in a real browser (issue 25 §1): a learner scores a case in
the Quickscan, and the result and compare tabs show her the evidence quote behind a reference
answer, a factor group's description and examples, and the glossary terms the tab uses, each
opened by keyboard; axe finds nothing serious, at desktop and phone size; nothing is cut off or
past the edge at 360 x 640."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from kit.content import default_content
from tests.conftest import VoilaServer
from tests.phone import layout_problems
from tests.test_axe import PHONE, Axe, axe_script
from tests.test_browser_apps import answer_visible
from tests.test_browser_layout import settle
from tests.test_browser_phases import open_app


def test_the_result_and_compare_tabs_show_quotes_factor_groups_and_terms(
    page: Page, voila_server: VoilaServer
) -> None:
    c = default_content()
    case = c.case("buurtkracht")
    reading = case.reference_for("organisatie")
    assert reading is not None
    first = c.instrument.statements_for("organisatie")[0]
    quote = reading.scoring[first.id].evidence("nl")  # type: ignore[union-attr]
    assert reading.scoring[first.id].value == 3
    axe = Axe(page, axe_script())

    open_app(page, voila_server, "quickscan.ipynb", "case=buurtkracht&perspective=organisatie")
    expect(page.locator(".kit-narrative")).to_contain_text("Buurtkracht in De Kolk")
    answer_visible(page, 3, 0)  # the first three statements "not at all": the reference differs
    tabs = page.locator(".kit-app-quickscan .lm-TabBar-tab")

    # The compare tab: under the first statement, why the kit says 3, in the case's words.
    tabs.nth(2).click()
    compare = page.locator(".kit-compare")
    row = compare.locator(".kit-diff li").filter(has_text=first.text("nl")).first
    expect(row.locator(".kit-evidence")).to_contain_text("Waarom de kit ‘3 · Volledig’ zegt")
    expect(row.locator(".kit-evidence blockquote")).to_contain_text(quote)
    # All answers with their grounds, folded: opened by keyboard.
    every = page.locator(".kit-grounds details.kit-evidence-all")
    expect(every.locator("li").first).not_to_be_visible()
    every.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(every).to_have_attribute("open", "")
    expect(every).to_contain_text("dit laat de casus open")
    # The terms this tab uses, with what they mean.
    terms = page.locator(".kit-compare-terms details.kit-glossary")
    terms.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(terms.locator("summary")).to_contain_text("Begrippen in dit tabblad")
    expect(terms.locator("dt", has_text="doelgroep")).to_be_visible()
    expect(terms.locator("dd").first).to_be_visible()
    axe("compare tab, folds open")

    # The result tab: each factor group opens to its description and examples.
    tabs.nth(1).click()
    group = page.locator(".kit-summary details.kit-factor-group").first
    expect(group.locator("summary")).to_contain_text("Ontwikkelaars:")
    description = c.factors[0].description("nl")
    expect(group.get_by_text(description)).not_to_be_visible()
    group.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(group.get_by_text(description)).to_be_visible()
    expect(group).to_contain_text("Wat helpt, bijvoorbeeld:")
    expect(group).to_contain_text(c.factors[0].hindering[0]("nl"))
    result_terms = page.locator(".kit-result-terms details.kit-glossary")
    result_terms.locator("summary").click()
    expect(result_terms.locator("dt", has_text="ontwikkelaar")).to_be_visible()
    expect(result_terms).to_contain_text(c.t("explain.term.ontwikkelaar", "nl"))
    axe("result tab, folds open")
    axe.assert_clean()

    # On a small phone, with every fold open: nothing past the edge, cut off or too small.
    page.set_viewport_size(PHONE)
    settle(page)
    problems = layout_problems(page)
    assert problems == [], "result tab at 360 x 640:\n" + "\n".join(problems)
    tabs.nth(2).click()
    settle(page)
    expect(every).to_have_attribute("open", "")
    problems = layout_problems(page)
    assert problems == [], "compare tab at 360 x 640:\n" + "\n".join(problems)


def test_a_link_that_holds_the_reference_holds_the_quotes_too(
    page: Page, voila_server: VoilaServer
) -> None:
    """Homework before its release opens the page as a link with reference=0 does: the compare
    tab waits, and no quote shows anywhere on the page."""
    c = default_content()
    reading = c.case("buurtkracht").reference_for("organisatie")
    assert reading is not None
    first = c.instrument.statements_for("organisatie")[0]
    quote = reading.scoring[first.id].evidence("nl")  # type: ignore[union-attr]
    open_app(
        page,
        voila_server,
        "quickscan.ipynb",
        "case=buurtkracht&perspective=organisatie&reference=0",
    )
    answer_visible(page, 3, 0)
    tabs = page.locator(".kit-app-quickscan .lm-TabBar-tab")
    tabs.nth(2).click()
    expect(page.locator(".kit-compare .kit-reference-wait")).to_be_visible()
    tabs.nth(1).click()
    expect(page.locator(".kit-summary details.kit-factor-group")).to_have_count(len(c.factors))
    # (The quote is the narrative's own sentence: it is looked for outside the case text.)
    for where in (".kit-compare", ".kit-summary", ".kit-advice"):
        assert quote[:40] not in page.locator(where).text_content()  # type: ignore[operator]
    expect(page.locator(".kit-evidence, .kit-evidence-all")).to_have_count(0)
    expect(page.get_by_text("Waarom de kit")).to_have_count(0)
