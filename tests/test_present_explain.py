"""What the content already holds, shown in the Quickscan (issue 25 §1, "show what is already
written"): the evidence behind each reference answer (held back exactly when the reference is),
the factor groups' descriptions and examples, and the glossary terms a view uses. Plain data from
kit/present/explain.py, then the Quickscan app in the kernel."""

from __future__ import annotations

import html
import re

import pytest

from kit.answers import DONT_KNOW
from kit.apps.common import Ctx, Status
from kit.apps.quickscan_app import Evidence, build_quickscan, evidence_html, glossary_html
from kit.apps.room_app import room_gate
from kit.content import LANGS, default_content
from kit.group import Memory
from kit.present import explain
from kit.present.quickscan import answer_label, compute, factor_lines
from kit.present.texts import Texts

C = default_content()
NL, EN = Texts(C, "nl"), Texts(C, "en")
CASE = C.case("buurtkracht")


def squeeze(text: str) -> str:
    return " ".join(text.split())


def by_id(found: tuple[explain.Evidence, ...]) -> dict[str, explain.Evidence]:
    return {e.statement_id: e for e in found}


# --------------------------------------------------------------------------- evidence


def test_each_statement_gets_the_quote_its_reference_answer_rests_on() -> None:
    nl = by_id(explain.reference_evidence(NL, CASE, "organisatie", shown=True))
    en = by_id(explain.reference_evidence(EN, CASE, "organisatie", shown=True))
    first = nl["org-0-1"]
    assert first.quotes == (
        "Het team ouderenwerk organiseerde daarop drie avonden met bewoners, vrijwilligers en de "
        "wijkverpleegkundige om samen te kiezen wat ze eraan wilden doen.",
    )
    assert first.answer == "3 · Volledig"
    assert first.label == "Waarom de kit ‘3 · Volledig’ zegt, uit de casus:"
    assert first.statement.startswith("Uitvoerders en mensen uit de doelgroep")
    assert first.open == "" and first.phase_id == "ontwikkelen"
    assert en["org-0-1"].quotes[0].startswith("The team for older people then held three evenings")
    assert en["org-0-1"].label == "Why the kit says ‘3 · Fully’, from the case:"
    # Two quotes joined with " … " are two quotes.
    assert nl["org-0-3"].quotes == (
        "Uit de gezondheidsmonitor van de GGD bleek dat ruim een derde van de 75-plussers in de "
        "wijk zich vaak eenzaam voelt.",
        "De keuze viel op Buurtkracht",
    )
    # A "don't know" says what the case leaves open, and quotes nothing.
    unknown = nl["org-2-2"]
    assert unknown.quotes == () and unknown.answer == "Weet niet"
    assert unknown.open.startswith("De casus vertelt wat de ouderenwerkers bewoners uitleggen")
    assert unknown.label == "Waarom de kit ‘Weet niet’ zegt: dit laat de casus open."
    assert en["org-2-2"].open.startswith("The case tells what the community workers explain")


@pytest.mark.parametrize("lang", LANGS)
def test_every_reference_answer_of_every_case_is_grounded_in_its_own_narrative(lang: str) -> None:
    ctx = Texts(C, lang)
    for case in C.cases:
        narrative = squeeze(case.narrative(lang))
        for reading in case.references:
            found = explain.reference_evidence(ctx, case, reading.perspective, shown=True)
            statements = C.instrument.statements_for(reading.perspective)
            assert [e.statement_id for e in found] == [s.id for s in statements]
            for e in found:
                given = reading.scoring[e.statement_id]
                assert e.answer == answer_label(
                    ctx, DONT_KNOW if given.value is None else given.value
                )
                if given.value is None:
                    assert e.quotes == () and e.open == squeeze(given.open(lang))  # type: ignore[union-attr]
                else:
                    assert e.quotes and e.open == ""
                    for quote in e.quotes:  # word for word from the case the learner read
                        assert squeeze(quote) in narrative, (case.id, e.statement_id, quote)


def test_the_evidence_is_held_back_whenever_the_reference_is() -> None:
    for case in C.cases:
        for perspective in case.perspectives:
            assert explain.reference_evidence(NL, case, perspective, shown=False) == ()
            assert explain.reference_evidence(NL, case, perspective, shown=True) != ()
    # No reference, no evidence: the learner's own situation, a perspective the case lacks.
    assert explain.reference_evidence(NL, None, "organisatie", shown=True) == ()
    assert "ontwikkelaar" not in CASE.perspectives
    assert explain.reference_evidence(NL, CASE, "ontwikkelaar", shown=True) == ()


def test_evidence_grouped_by_phase_in_phase_order() -> None:
    found = explain.reference_evidence(EN, CASE, "organisatie", shown=True)
    groups = explain.evidence_by_phase(EN, found)
    assert [g.phase for g in groups] == [f"{p.number} · {p.name('en')}" for p in C.phases]
    assert sum(len(g.items) for g in groups) == len(found)
    assert [e.statement_id for e in groups[0].items][:2] == ["org-0-1", "org-0-2"]
    only = explain.evidence_by_phase(EN, [e for e in found if e.phase_id == "doen"])
    assert [g.phase for g in only] == ["4 · Do"]


def test_the_evidence_is_escaped_in_the_page() -> None:
    ctx = Ctx(C, "nl", Status(), Memory())
    hostile = Evidence("x", "weten", "s", "2", "<b>label</b>", ("<script>alert(1)</script>",), "")
    page = evidence_html(ctx, hostile)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;label" in page


# --------------------------------------------------------------------------- factor groups


@pytest.mark.parametrize("lang", LANGS)
def test_factor_groups_carry_their_description_and_examples(lang: str) -> None:
    ctx = Texts(C, lang)
    result = compute(ctx, "organisatie", {"org-0-1": 1})
    groups = explain.factor_groups(ctx, result)
    assert [g.factor_id for g in groups] == [f.id for f in C.factors]
    assert [g.line for g in groups] == factor_lines(ctx, result)
    users = groups[1]
    assert users.description == C.factor("gebruikers").description(lang)
    assert users.promoting == tuple(t(lang) for t in C.factor("gebruikers").promoting)
    assert users.hindering == tuple(t(lang) for t in C.factor("gebruikers").hindering)
    assert len(users.promoting) >= 3 and len(users.hindering) >= 3
    words = {"nl": ("Wat helpt", "Wat in de weg staat"), "en": ("What helps", "What gets in")}
    assert users.promoting_label.startswith(words[lang][0])
    assert users.hindering_label.startswith(words[lang][1])
    assert groups[0].description.startswith(
        {"nl": "De mensen of organisatie die de interventie", "en": "The people or organisation"}[
            lang
        ]
    )


# --------------------------------------------------------------------------- glossary


def ids(ctx: Texts, *texts: str) -> list[str]:
    return [t.term_id for t in explain.terms_in(ctx, texts)]


def test_glossary_terms_are_found_from_the_start_of_a_word_in_any_case() -> None:
    assert ids(EN, "Core elements stay") == ["kern"]
    assert ids(EN, "the CORE of it") == ["kern"]
    assert ids(EN, "a high score", "encore") == []
    assert ids(NL, "De KERN blijft") == ["kern"]
    assert ids(NL, "Dit is een kernbegrip") == []  # another word (the glossary says so)
    assert ids(NL, "een appelschil") == []
    assert ids(NL, "Ontwikkelaars denken mee") == ["ontwikkelaar"]
    assert ids(NL, "herontwikkelaar") == []
    # Also where the glossary's pattern has no boundary of its own ("developer", "intervisie").
    assert ids(EN, "codevelopers", "the developers") == ["ontwikkelaar"]
    assert ids(EN, "codevelopers") == []
    assert ids(NL, "teamintervisie") == []
    assert ids(EN, "Developers help", "peer consultation monthly") == [
        "intervisie",
        "ontwikkelaar",
    ]


def test_glossary_terms_in_both_languages_each_in_its_own() -> None:
    assert ids(NL, "De borging is geregeld") == ["borgen"]
    assert ids(EN, "Embedding is arranged") == ["borgen"]
    assert ids(NL, "maandelijkse intervisie voor uitvoerders") == ["intervisie", "uitvoerder"]
    assert ids(EN, "monthly peer consultation for practitioners") == ["intervisie", "uitvoerder"]
    # A Dutch word in an English view is not the English term.
    assert ids(EN, "de schil en de kern") == []
    assert ids(NL, "the shell and the core") == []
    # A pattern that anchors on a whole text matches that text, not a sentence with it.
    assert ids(NL, "Verspreiden") == ["verspreiden"]
    assert ids(NL, "We verspreiden het", "Verspreiden") == ["verspreiden"]
    assert ids(NL, "We verspreiden het") == []
    # In the glossary's order, each once.
    assert ids(NL, "kern", "implementatie", "kern") == ["implementatie", "kern"]


@pytest.mark.parametrize("lang", LANGS)
def test_each_term_comes_with_its_explanation(lang: str) -> None:
    ctx = Texts(C, lang)
    (term,) = explain.terms_in(ctx, ["werkzame elementen" if lang == "nl" else "active elements"])
    assert term.term_id == "werkzaam-element"
    assert term.term == {"nl": "werkzaam element", "en": "active element"}[lang]
    assert term.explanation == C.t("explain.term.werkzaam-element", lang)
    assert term.explanation.startswith(
        {"nl": "Een onderdeel dat het effect", "en": "A part that carries"}[lang]
    )


def test_every_glossary_term_has_an_explanation_for_the_learner() -> None:
    glossary = C.glossary
    assert glossary is not None and glossary.terms
    wanted = {f"explain.term.{t.id}" for t in glossary.terms}
    given = {k for k in C.ui if k.startswith("explain.term.")}
    assert wanted == given
    for key in wanted:
        for lang in LANGS:
            assert len(C.t(key, lang)) > 20, (key, lang)


def test_terms_shown_reads_the_words_of_the_page_not_its_markup() -> None:
    assert explain.visible_texts("<p class='kern'>De <b>schil</b> &amp; meer</p>") == (
        "De",
        "schil",
        "& meer",
    )
    assert [t.term_id for t in explain.terms_shown(NL, "<p class='kern'>De schil</p>")] == ["schil"]
    ctx = Ctx(C, "en", Status(), Memory())
    page = glossary_html(ctx, explain.terms_shown(ctx, "<i>the core</i>"))
    assert page.startswith(
        '<details class="kit-explain kit-glossary"><summary>Terms in this tab (1)'
    )
    assert "<dt>core</dt><dd>The parts of an intervention its effect rests on" in page
    assert glossary_html(ctx, ()) == ""


# --------------------------------------------------------------------------- the app


def quickscan(lang: str = "nl", held: bool = False) -> tuple[Ctx, object]:
    ctx = Ctx(C, lang, Status(), Memory())
    if held:  # a homework or link that holds the answers back (read when the gate is made)
        ctx.memory.view["link.reference"] = False
    view = build_quickscan(ctx).view  # type: ignore[attr-defined]
    view.perspective.value = "organisatie"
    assert view.case_id == "buurtkracht"
    return ctx, view


QUOTE = "Het team ouderenwerk organiseerde daarop drie avonden"


def test_the_compare_tab_shows_the_quote_under_a_difference() -> None:
    _, view = quickscan()
    view.answer("org-0-1", 0)  # the reference says 3
    page = view.compare.value
    row = re.search(r"<li><i>Uitvoerders en mensen.*?</li>", page)
    assert row is not None
    assert "Waarom de kit ‘3 · Volledig’ zegt, uit de casus:" in row.group()
    assert f"“{QUOTE}" in row.group()
    # All answers' grounds, folded away, with a "don't know" saying what the case leaves open.
    grounds = view.grounds.value
    assert grounds.startswith('<details class="kit-explain kit-evidence-all"><summary>Alle antw')
    assert "dit laat de casus open" in grounds and "De casus vertelt wat de ouderenw" in grounds
    # And the terms this tab uses ("doelgroep" is in the statement, "intervisie" in a ground).
    terms = view.compare_terms.value
    assert "Begrippen in dit tabblad" in terms and "<dt>doelgroep</dt>" in terms
    assert "intervisie" not in page and "intervisie" in grounds and "<dt>intervisie</dt>" in terms


def test_no_grounds_before_an_answer_on_the_scale() -> None:
    _, view = quickscan()
    assert view.grounds.value == "" and QUOTE not in view.compare.value
    view.answer("org-0-1", None)  # "don't know" is not yet a reading to compare
    assert view.grounds.value == ""
    view.answer("org-0-2", 2)
    assert QUOTE in view.grounds.value


def test_a_matching_answer_still_offers_the_grounds() -> None:
    _, view = quickscan("en")
    view.answer("org-0-1", 3)
    assert "Your answers match the reference" in view.compare.value
    assert "The team for older people then held three evenings" in view.grounds.value


def test_the_quotes_wait_for_the_reveal_like_the_reference() -> None:
    ctx, view = quickscan(held=True)
    view.answer("org-0-1", 0)
    shown = (view.compare, view.grounds, view.compare_terms, view.summary, view.advice)
    for widget in shown:
        page = widget.value
        assert QUOTE not in page and "kit-evidence" not in page and "Waarom de kit" not in page
    assert "kit-reference-wait" in view.compare.value and view.grounds.value == ""
    room_gate(ctx).set(True, frozenset())  # the trainer reveals / the homework releases
    assert f"“{QUOTE}" in view.compare.value and QUOTE in view.grounds.value
    room_gate(ctx).set(False, frozenset())  # a led room that moves on to a new step
    assert QUOTE not in view.compare.value and view.grounds.value == ""


def test_the_result_tab_explains_factor_groups_and_terms() -> None:
    _, view = quickscan("en")
    view.answer("org-0-1", 0)
    # Filled while the result tab shows (as the charts), not on every answer before.
    assert view.summary.value == "" and view.result_terms.value == ""
    view.show_charts(True)
    summary = view.summary.value
    assert summary.count('<details class="kit-explain kit-factor-group">') == len(C.factors)
    lines = factor_lines(EN, compute(EN, "organisatie", view.answers))
    assert lines[0].startswith("Developers: ")
    for line in lines:
        assert f"<summary>{html.escape(line)}</summary>" in summary
    assert html.escape(C.factor("context").description("en")) in summary
    assert "What gets in the way, for example:" in summary
    terms = view.result_terms.value
    assert terms.startswith('<details class="kit-explain kit-glossary"><summary>Terms in this tab')
    assert "<dt>developer</dt>" in terms  # the factor group "Developers"
