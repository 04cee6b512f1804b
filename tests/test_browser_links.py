"""Deep links in a real browser (issue 25 §3): a link opens the case, perspective, tab,
intervention and situation it names, in both languages; an unknown id is said on the page;
hostile text in a link is shown as text, never run."""

from __future__ import annotations

import re
from urllib.parse import quote

from playwright.sync_api import Page, expect

from kit.content import default_content
from tests.conftest import VoilaServer
from tests.test_browser_phases import open_app

C = default_content()


def current_tab(page: Page, app: str) -> str:
    return page.locator(f".kit-app-{app} .lm-TabBar-tab.lm-mod-current").first.inner_text()


def test_links_open_what_they_name_in_both_languages(page: Page, voila_server: VoilaServer) -> None:
    case = C.case("schuldmaatjes")
    for lang in ("nl", "en"):
        open_app(
            page,
            voila_server,
            "quickscan.ipynb",
            f"case={case.id}&perspective=professional&tab=3&lang={lang}",
        )
        expect(page.locator(".kit-app h1")).to_have_text(C.t("quickscan.title", lang))
        expect(page.locator(".kit-app-quickscan .lm-TabBar-tab.lm-mod-current")).to_contain_text(
            C.t("quickscan.tab.compare", lang)
        )
        expect(page.locator(".kit-compare")).to_contain_text(
            C.t("quickscan.compare.none_yet", lang)
        )
        expect(page.locator(".kit-link-notice")).to_have_text("")
        page.get_by_role("tab", name=C.t("quickscan.tab.answer", lang)).click()
        expect(page.locator(".kit-narrative")).to_contain_text(case.title(lang))
        perspective = next(p for p in C.instrument.perspectives if p.id == "professional")
        expect(
            page.locator(".kit-perspective").get_by_role("button", name=perspective.name(lang))
        ).to_have_class(re.compile("mod-active"))

    item = C.intervention("samen-sterk")
    situation = item.situations[-1]
    for lang in ("en", "nl"):
        open_app(
            page,
            voila_server,
            "kern-en-schil.ipynb",
            f"intervention={item.id}&situation={situation.id}&lang={lang}",
        )
        expect(page.locator(".kit-app-kern .lm-TabBar-tab.lm-mod-current")).to_contain_text(
            C.t("kern.tab.exercise", lang)
        )
        expect(page.locator(".kit-situation")).to_contain_text(situation.text(lang)[:60])


def test_held_reference_and_unknown_ids_are_said(page: Page, voila_server: VoilaServer) -> None:
    open_app(page, voila_server, "quickscan.ipynb", "case=buurtkracht&tab=compare&reference=0")
    expect(page.locator(".kit-link-notice")).to_contain_text(C.t("link.reference-held", "nl"))
    expect(page.locator(".kit-reference-wait")).to_be_visible()
    expect(page.locator(".kit-compare")).not_to_contain_text(
        C.t("quickscan.compare.none_yet", "nl")
    )

    for lang, words in (("nl", "bestaat niet"), ("en", "does not exist")):
        open_app(page, voila_server, "fasen.ipynb", f"situation=team-x&lang={lang}")
        notice = page.locator(".kit-link-notice [role=alert]")
        expect(notice).to_contain_text(words)
        expect(notice).to_contain_text("'team-x'")
        expect(notice).to_contain_text(C.scenarios[0].id)

    hostile = '<img src=x onerror="document.title=1">'
    open_app(page, voila_server, "kern-en-schil.ipynb", f"intervention={quote(hostile)}")
    notice = page.locator(".kit-link-notice [role=alert]")
    expect(notice).to_contain_text("<img src=x")
    expect(page.locator(".kit-link-notice img")).to_have_count(0)
    assert page.title() != "1"
