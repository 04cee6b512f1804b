"""The quickscan report carries what the advice rests on (issue 25 §1, "show what is already
written"): for the advice's phases the factor groups of the statements advised on, with what
they cover and examples, and the case's sentences behind the reference's answers, in the
page's language; the sentences stay out while the reference is held back."""

from __future__ import annotations

import pytest

from kit import quickscan, reports
from kit.content import Case
from kit.present.explain import PhaseGrounds, advice_grounds, reference_evidence
from kit.present.quickscan import compute
from kit.present.texts import Texts
from tests.test_exports_read import (
    LANGS,
    PERSPECTIVE,
    C,
    assert_on_the_page,
    foreign,
    missing,
    pdf_text,
    scan_values,
    squash,
    ui_keys,
)

CASE = C.case("schuldmaatjes")


def grounds(lang: str, shown: bool = True, case: Case | None = CASE) -> tuple[PhaseGrounds, ...]:
    ctx = Texts(C, lang)
    values = scan_values()
    result = compute(ctx, PERSPECTIVE, values)
    evidence = reference_evidence(ctx, case, PERSPECTIVE, shown=shown)
    return advice_grounds(ctx, PERSPECTIVE, values, result, evidence)


def test_the_grounds_follow_the_advice_phase_by_phase() -> None:
    ctx = Texts(C, "nl")
    values = scan_values()
    result = compute(ctx, PERSPECTIVE, values)
    statements = {s.id: s for s in C.instrument.statements_for(PERSPECTIVE)}
    advised = quickscan.advice(list(statements.values()), values, result)
    phases = [p for p in C.phases if any(a.phase == p.id for a in advised)]
    found = grounds("nl")
    assert len(phases) >= 2  # the fixture's advice spans phases: the test means something
    assert [g.phase for g in found] == [f"{p.number} · {p.name('nl')}" for p in phases]
    for phase, g in zip(phases, found, strict=True):
        ids = [a.statement_id for a in advised if a.phase == phase.id]
        assert [e.statement_id for e in g.evidence] == ids  # every one has evidence here
    # Each factor group of an advised statement explained once, under the first phase.
    explained = [f.factor_id for g in found for f in g.factors]
    assert sorted(explained) == sorted({statements[a.statement_id].factor for a in advised})
    first: dict[str, str] = {}
    for a in advised:
        first.setdefault(statements[a.statement_id].factor, a.phase)
    for phase, g in zip(phases, found, strict=True):
        assert {f.factor_id for f in g.factors} == {f for f, p in first.items() if p == phase.id}


def test_without_a_shown_reference_there_are_no_quotes_but_still_the_factors() -> None:
    for found in (grounds("nl", shown=False), grounds("nl", case=None)):
        assert found and all(g.evidence == () for g in found)
        assert sum(len(g.factors) for g in found) >= 1


@pytest.mark.parametrize("lang", LANGS)
def test_the_report_says_what_the_advice_rests_on(lang: str) -> None:
    ctx = Texts(C, lang)
    data = reports.quickscan_pdf(ctx, PERSPECTIVE, CASE, scan_values())
    assert_on_the_page(data)
    text = pdf_text(data)
    found = grounds(lang)
    wanted = [ctx.t("explain.pdf.title"), ctx.t("explain.pdf.intro"), ctx.t("explain.pdf.evidence")]
    for g in found:
        wanted.append(g.phase)
        for f in g.factors:
            wanted += [f.line, f.description, f.promoting_label, f.hindering_label]
            wanted += [*f.promoting, *f.hindering]
        for e in g.evidence:
            wanted += [e.statement, e.label, *(f"“{q}”" for q in e.quotes), e.open]
    assert sum(len(g.evidence) for g in found) >= 3
    assert missing(text, wanted) == []
    # After the advice, before the comparison.
    flat = squash(text)
    where = [
        flat.index(squash(ctx.t(k)))
        for k in ("quickscan.report.advice", "explain.pdf.title", "quickscan.tab.compare")
    ]
    assert where == sorted(where)
    assert foreign(text, lang, ui_keys("explain.pdf", "explain.factors", "quickscan.report")) == []


def test_the_report_quotes_nothing_while_the_reference_is_held_back() -> None:
    ctx = Texts(C, "nl")
    held = pdf_text(
        reports.quickscan_pdf(ctx, PERSPECTIVE, CASE, scan_values(), reference_shown=False)
    )
    shown = grounds("nl")
    quotes = [q for g in shown for e in g.evidence for q in e.quotes]
    assert quotes and missing(held, quotes) == quotes
    assert ctx.t("explain.pdf.evidence") not in held
    factors = [f.description for g in shown for f in g.factors]
    assert ctx.t("explain.pdf.title") in held and missing(held, factors) == []
