"""Deep links (kit/links.py): what a URL opens in each app, and what the page says about an id
it does not know, in both languages; hostile text is never repeated raw. The app-level tests
build the real apps with the URL in ``QUERY_STRING``, as Voila hands it to the kernel."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pytest

from kit import links
from kit.apps.common import Ctx, Status
from kit.apps.frame import link_html
from kit.content import default_content
from tests.test_apps import find

C = default_content()
LANGS = ("nl", "en")


def kinds(link: links.Link) -> list[str]:
    return [p.kind for p in link.problems]


def test_a_case_and_perspective_open_the_quickscan_there() -> None:
    link = links.parse(
        {"case": "schuldmaatjes", "perspective": "professional", "tab": "2"}, C, "quickscan"
    )
    assert (link.case, link.perspective, link.tab, link.problems) == (
        "schuldmaatjes",
        "professional",
        1,
        (),
    )
    assert link.view() == {
        "quickscan.tab": 1,
        "quickscan.where": ("professional", "schuldmaatjes"),
    }
    # A case alone opens in the perspective it is told from.
    alone = links.parse({"case": "sterk-opvoeden"}, C, "quickscan")
    assert alone.perspective == C.case("sterk-opvoeden").perspective == "ontwikkelaar"


def test_an_intervention_and_its_situation_open_the_exercise() -> None:
    item = C.intervention("samen-sterk")
    situation = item.situations[2].id
    link = links.parse({"intervention": "samen-sterk", "situation": situation}, C, "kern")
    assert link.problems == ()
    assert link.view() == {
        "kern.tab": links.TABS["kern"].index("exercise"),
        "kern.intervention": "samen-sterk",
        "kern.situation": situation,
    }
    # The situation alone finds its intervention.
    other = C.intervention("maatje-erbij").situations[0].id
    assert links.parse({"situation": other}, C, "kern").intervention == "maatje-erbij"
    # A situation of another intervention than the link's is unknown there.
    wrong = links.parse({"intervention": "samen-sterk", "situation": other}, C, "kern")
    assert kinds(wrong) == ["unknown-situation"] and wrong.situation is None


def test_tabs_by_number_or_id_and_a_team_in_which_phase() -> None:
    assert links.parse({"tab": "exercise"}, C, "kern").tab == 1
    assert links.parse({"tab": "5"}, C, "plan").tab == 4
    for bad in ("0", "6", "-1", "money2", ""):
        link = links.parse({"tab": bad}, C, "plan")
        assert kinds(link) == ["unknown-tab"] and link.tab is None, bad
    team = C.scenarios[3].id
    link = links.parse({"situation": team, "reference": "0"}, C, "phases")
    assert (link.situation, link.tab, link.reference) == (team, 1, False)
    assert link.view()["link.reference"] is False


@pytest.mark.parametrize(
    ("params", "app", "kind"),
    [
        ({"case": "schuldmaatje"}, "quickscan", "unknown-case"),
        (
            {"case": "schuldmaatjes", "perspective": "ontwikkelaar"},
            "quickscan",
            "wrong-perspective",
        ),
        ({"perspective": "wethouder"}, "quickscan", "unknown-perspective"),
        ({"intervention": "samen-zwak"}, "kern", "unknown-intervention"),
        ({"situation": "nergens"}, "phases", "unknown-situation"),
        ({"reference": "misschien"}, "quickscan", "unknown-reference"),
        ({"lang": "fr"}, "kern", "unknown-lang"),
        ({"intervention": "samen-sterk"}, "quickscan", "not-here"),
        ({"case": "schuldmaatjes"}, "group", "not-here"),
        ({"csae": "schuldmaatjes"}, "quickscan", "unknown-param"),
    ],
)
def test_every_unknown_id_is_a_problem_never_a_silent_default(
    params: dict[str, str], app: str, kind: str
) -> None:
    link = links.parse(params, C, app)
    assert kinds(link) == [kind]
    problem = link.problems[0]
    typed = problem.values.get("value", problem.values.get("param"))
    assert typed in {*params, *params.values()}  # what was typed, named in the message
    for lang in LANGS:
        text = C.t(problem.text_key, lang, **problem.values)
        assert f"'{typed}'" in text or f"={typed}'" in text, (lang, text)
        assert "{" not in text


def test_the_message_names_what_is_known() -> None:
    link = links.parse({"case": "x"}, C, "quickscan")
    text = C.t(link.problems[0].text_key, "en", **link.problems[0].values)
    assert all(case.id in text for case in C.cases)
    text = C.t(link.problems[0].text_key, "nl", **link.problems[0].values)
    assert "bestaat niet" in text and "schuldmaatjes" in text


def test_hostile_text_is_made_safe_and_escaped() -> None:
    hostile = '<img src=x onerror="alert(1)">\x00\x1b[31m' + "A" * 200
    link = links.parse({"case": hostile, hostile: "1"}, C, "quickscan")
    assert kinds(link) == ["unknown-param", "unknown-case"]
    for problem in link.problems:
        value = problem.values.get("value") or problem.values["param"]
        assert len(value) <= links.SHOWN_MAX + 1 and "\x00" not in value and "\x1b" not in value
    for lang in LANGS:
        page = link_html(Ctx(C, lang, Status()), link)
        assert "<img" not in page and 'onerror="' not in page
        assert html.escape('<img src=x onerror="alert(1)">') in page
        assert page.count('role="alert"') == 2


# --------------------------------------------------------------------------- in the apps


@pytest.fixture
def url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.setenv("KIT_DATABASE_URL", f"sqlite:///{tmp_path / 'links.sqlite3'}")
    yield monkeypatch


def test_the_quickscan_opens_the_case_tab_and_holds_the_reference(
    url: pytest.MonkeyPatch,
) -> None:
    from kit.apps.quickscan_app import quickscan_app

    url.setenv("QUERY_STRING", "case=schuldmaatjes&perspective=professional&tab=3&reference=0")
    page = quickscan_app()
    view = page.body.children[0].view
    assert (view.case_id, view.perspective.value) == ("schuldmaatjes", "professional")
    assert find(page, "kit-tabs").selected_index == 2
    assert "kit-reference-wait" in view.compare.value
    assert C.t("link.reference-held", "nl") in find(page, "kit-link-notice").value
    # The same link without reference=0 shows the comparison.
    url.setenv("QUERY_STRING", "case=schuldmaatjes&perspective=professional&tab=3&lang=en")
    page = quickscan_app()
    view = page.body.children[0].view
    assert "kit-reference-wait" not in view.compare.value
    assert find(page, "kit-link-notice").value == ""
    assert page.children[1].children[0].value == f"<h1>{C.t('quickscan.title', 'en')}</h1>"


def test_the_kern_app_opens_the_intervention_and_situation(url: pytest.MonkeyPatch) -> None:
    from kit.apps.kern_app import kern_app

    item = C.intervention("thuis-op-koers")
    url.setenv("QUERY_STRING", f"intervention={item.id}&situation={item.situations[1].id}")
    page = kern_app()
    assert find(page, "kit-intervention-choice").value == item.id
    assert find(page, "kit-tabs").selected_index == 1
    assert find(page, "kit-situation-choice").value == item.situations[1].id


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_id_says_so_in_the_page_language(url: pytest.MonkeyPatch, lang: str) -> None:
    from kit.apps.kern_app import kern_app

    url.setenv("QUERY_STRING", f"intervention=samen-zwak&lang={lang}")
    page = kern_app()
    notice = find(page, "kit-link-notice").value
    expected = C.t("link.unknown-intervention", lang, value="samen-zwak", known="")
    assert html.escape(expected.split(":")[0]) in notice and 'role="alert"' in notice
    # The language switch says it again in the other language.
    other = "en" if lang == "nl" else "nl"
    find(page, "kit-lang").value = other
    again = C.t("link.unknown-intervention", other, value="samen-zwak", known="")
    assert html.escape(again.split(":")[0]) in find(page, "kit-link-notice").value
