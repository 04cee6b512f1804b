"""What the plan builder, the plan documents and the progress view say (kit/present/plan.py), read
as the user reads it: each line with its words, numbers, dates and symbols, in both languages.

Written against the survivors of `make mutation` in kit/present/plan.py (docs/mutation.md): the
screens and documents that use these lines are left out of the mutation selection (slow), so
these lines are checked here, one by one."""

from __future__ import annotations

import dataclasses

from kit import plan as logic
from kit.answers import Plan, PlanStep
from kit.content import default_content
from kit.phases import Fit
from kit.present import plan as view
from kit.present.texts import Texts

C = default_content()
NL, EN = Texts(C, "nl"), Texts(C, "en")


def first_statement(perspective: str = "organisatie") -> str:
    return C.instrument.statements_for(perspective)[0].id


def test_amounts_in_euros_are_grouped_per_language() -> None:
    assert view.euro(0, "nl") == "€ 0" and view.euro(0, "en") == "€0"
    assert view.euro(1234567, "nl") == "€ 1.234.567"
    assert view.euro(1234567, "en") == "€1,234,567"


def test_a_phase_is_named_with_its_number() -> None:
    doing = C.phase("doen")
    assert view.phase_label(NL, doing.number) == f"{doing.number} · {doing.name('nl')}"
    assert view.phase_label(EN, doing.number) == f"{doing.number} · {doing.name('en')}"


def test_what_a_step_needs_is_hours_money_and_people() -> None:
    s = PlanStep(activity="werkbezoek", hours=7, money=1500, people=3)
    assert view.needs_text(NL, s) == "7 uur · € 1.500 · 3 mensen"
    assert view.needs_text(EN, s) == "7 hours · €1,500 · 3 people"


def test_an_indicator_names_its_statement_and_the_target_with_its_label() -> None:
    sid = first_statement()
    text = {s.id: s for s in C.instrument.statements}[sid]
    s = PlanStep(activity="werkbezoek", indicator=sid, target=3)
    assert view.indicator_text(NL, s) == (
        f"bij de volgende scan scoort “{text.text('nl')}” minstens 3 · Volledig"
    )
    assert view.indicator_text(EN, s.model_copy(update={"target": 1})) == (
        f"at the next scan, “{text.text('en')}” scores at least 1 · A little"
    )
    assert view.indicator_text(NL, PlanStep(activity="werkbezoek")) == "(geen indicator)"
    assert view.indicator_text(EN, PlanStep(activity="werkbezoek")) == "(no indicator)"


def test_an_indicator_on_a_statement_the_content_lost_keeps_its_id_and_an_unknown_target() -> None:
    s = PlanStep(activity="werkbezoek", indicator="gone-statement", target=9)
    assert view.indicator_text(NL, s) == (
        "bij de volgende scan scoort “gone-statement” minstens 9 · ?"
    )


def test_a_when_is_a_date_a_week_from_its_monday_or_no_date() -> None:
    assert view.when_text(EN, "2027-01-11") == "11 January 2027"
    assert view.when_text(EN, "2027-W02") == "week 2 of 2027 (from 11 January 2027)"
    assert view.when_text(EN, "") == "no date yet"
    assert view.when_text(NL, "2026-W60") == "nog geen datum"  # no such week


def test_a_step_in_words_has_every_field_the_trainer_filled_in() -> None:
    sid = first_statement()
    p = Plan(perspective="organisatie", scan={}, steps=())
    s = PlanStep(
        activity="werkbezoek",
        who="funder",
        when="2027-01-18",
        hours=2,
        money=50,
        people=1,
        cost="materials",
        indicator=sid,
        target=2,
        note="Bus regelen",
    )
    v = view.step_view(EN, p, s)
    number = C.phase_of_activity("werkbezoek").number
    assert v.activity == C.activity("werkbezoek").text("en")
    assert v.phase == view.phase_label(EN, number)
    assert v.who == "Funder / municipality"
    assert v.when == "18 January 2027"
    assert v.needs == "2 hours · €50 · 1 people"
    assert v.cost == C.costs.category("materials").name("en")  # type: ignore[union-attr]
    assert v.indicator == view.indicator_text(EN, s)
    assert v.note == "Bus regelen"
    team = logic.team_phase(logic.score(C, "organisatie", {}))
    from kit.phases import activity_fit

    assert v.fit == view.fit_text(EN, activity_fit(team, number))


def test_a_fit_is_a_symbol_and_words() -> None:
    from kit.phases import FIT_SYMBOL

    for fit in Fit:
        assert view.fit_text(NL, fit) == f"{FIT_SYMBOL[fit]} {NL.t(f'phases.fit.{fit.value}')}"
    assert view.fit_text(NL, Fit.FITS) != view.fit_text(NL, Fit.NEXT)


def test_a_finding_is_a_warning_or_something_to_fill_in() -> None:
    warn = view.finding_text(EN, logic.Finding(logic.Issue.NO_STEPS))
    assert warn == ("⚠ " if logic.Issue.NO_STEPS.warning else "○ ") + EN.t("plan.issue.no-steps")
    todo = view.finding_text(EN, logic.Finding(logic.Issue.NO_WHEN, activity="werkbezoek"))
    assert todo.startswith("○ ") and C.activity("werkbezoek").text("en") in todo
    uncovered = view.finding_text(EN, logic.Finding(logic.Issue.PRIORITY_UNCOVERED, phase=2))
    assert uncovered.startswith("⚠ ") and view.phase_label(EN, 2) in uncovered
    # A step too early says what to do first, in the phase's own words; nothing else does.
    early = view.finding_text(
        EN, logic.Finding(logic.Issue.TOO_EARLY, activity="training-met-coaching", phase=4)
    )
    assert early.startswith("⚠ ") and early.endswith(" " + C.phases[4].if_too_early("en"))
    assert C.phases[2].if_too_early("en") not in uncovered


def test_the_cycle_lists_the_steps_in_date_order_and_counts_indicators() -> None:
    sid = first_statement()
    p = Plan(
        perspective="organisatie",
        steps=(
            PlanStep(activity="werkbezoek", when="2027-02-01", indicator=sid),
            PlanStep(activity="praktijkverhalen"),
            PlanStep(activity="informatiebijeenkomst", when="2027-W02", indicator=sid),
        ),
        next_scan="2027-04-01",
        adjust="  Eerst een extra praktijkverhaal.  ",
    )
    lines = view.pdca_lines(NL, p)
    assert [h for h, _ in lines] == ["Plan", "Doe", "Check", "Bijstellen"]
    assert lines[0][1] == "3 activiteiten, elk met wie, wanneer, wat het vraagt en een indicator."
    name = {a: C.activity(a).text("nl") for a in ("werkbezoek", "praktijkverhalen")}
    name["informatiebijeenkomst"] = C.activity("informatiebijeenkomst").text("nl")
    assert lines[1][1] == (
        f"week 2 van 2027 (vanaf 11 januari 2027): {name['informatiebijeenkomst']}; "
        f"1 februari 2027: {name['werkbezoek']}; "
        f"nog geen datum: {name['praktijkverhalen']}"
    )
    assert lines[2][1] == "2 indicatoren; volgende scan: 1 april 2027."
    assert lines[3][1] == "Eerst een extra praktijkverhaal."


def test_an_empty_cycle_says_so_with_a_dash() -> None:
    lines = view.pdca_lines(EN, Plan(perspective="organisatie", adjust="   "))
    assert lines[0][1].startswith("0 activities")
    assert lines[1] == ("Do", "—")
    assert lines[2][1] == "0 indicators; next scan: no date yet."
    assert lines[3] == ("Act", "—")
    one = view.pdca_lines(
        EN, Plan(perspective="organisatie", steps=(PlanStep(activity="werkbezoek"),))
    )
    assert one[0][1] == "1 activity, with who, when, what it needs and an indicator."


def test_the_cost_sheet_has_its_columns_rows_and_totals_in_each_language() -> None:
    assert view.cost_head(NL) == ["Kostensoort", "Soort", "Uren", "Geld", "Totaal"]
    assert view.cost_head(EN) == ["Category", "Kind", "Hours", "Money", "Total"]
    p = Plan(
        perspective="organisatie",
        hour_rate=50,
        steps=(
            PlanStep(activity="werkbezoek", hours=10, money=1200, cost="materials"),
            PlanStep(activity="praktijkverhalen", hours=4, money=0, cost="coordination"),
        ),
    )
    assert C.costs is not None
    rows, totals = view.cost_rows(NL, p)
    by_name = {r[0]: r for r in rows}
    materials = by_name[C.costs.category("materials").name("nl")]
    assert materials == (
        C.costs.category("materials").name("nl"),
        "eenmalig",
        "10",
        "€ 1.200",
        "€ 1.700",
    )
    coordination = by_name[C.costs.category("coordination").name("nl")]
    assert coordination[1:] == ("terugkerend (per jaar)", "4", "€ 0", "€ 200")
    assert totals == "Eenmalig € 1.700 · terugkerend € 200 per jaar (uren tegen € 50 per uur)"
    _, en_totals = view.cost_rows(EN, p)
    assert en_totals == "One-off €1,700 · recurring €200 per year (hours at €50 an hour)"


def test_each_funding_route_names_its_source_with_its_address() -> None:
    assert C.costs is not None
    routes = view.route_lines(EN)
    assert len(routes) == len(C.costs.routes)
    sources = {s.id: s for s in C.costs.sources}
    for (name, covers, explain, watch), route in zip(routes, C.costs.routes, strict=True):
        src = sources[route.source]
        assert name == route.name("en") and explain == route.explain("en")
        assert covers == EN.t(f"plan.cost.covers.{route.covers}")
        cite = src.citation + (f" {src.url}" if src.url else "")
        if src.seen == "recalled":
            cite += " (not checked against a copy of the source)"
        assert watch == f"{route.watch_out('en')} (source: {cite})"
    first = C.costs.routes[0]
    assert sources[first.source].url is None  # the content's first route cites a dossier
    assert routes[0][3].endswith(f"(source: {sources[first.source].citation})")


def test_a_recalled_source_is_marked_as_not_checked() -> None:
    assert C.costs is not None
    route = C.costs.routes[1]
    src = next(s for s in C.costs.sources if s.id == route.source)
    recalled = src.model_copy(update={"seen": "recalled"})
    costs = C.costs.model_copy(
        update={"sources": tuple(recalled if s.id == src.id else s for s in C.costs.sources)}
    )
    content = dataclasses.replace(C, costs=costs)
    watch = view.route_lines(Texts(content, "nl"))[1][3]
    assert watch.endswith(
        f"(bron: {src.citation} {src.url} (niet gecontroleerd in een exemplaar van de bron))"
    )


def snapshot(
    date: str, n: int, phases: dict[str, float | None], values: dict[str, float]
) -> logic.Snapshot:
    every = {p.id: phases.get(p.id, 0.5) for p in C.phases}
    return logic.Snapshot(
        date=date, n=n, phases=every, factors={f.id: 0.5 for f in C.factors}, values=values
    )


def test_progress_says_per_phase_before_and_after_with_arrow_and_level() -> None:
    sid = first_statement()
    before = snapshot(
        "2026-09-01", 3, {"begrijpen": 0.0, "doen": 1.0, "ontwikkelen": None}, {sid: 0}
    )
    after = snapshot(
        "2026-12-01 – 2026-12-03",
        4,
        {"begrijpen": 1.0, "doen": 1 / 3, "ontwikkelen": None},
        {sid: 2.5},
    )
    plan = Plan(
        perspective="organisatie",
        steps=(
            PlanStep(activity="werkbezoek", indicator=sid, target=2),
            PlanStep(activity="praktijkverhalen", indicator=sid, target=3),
            PlanStep(activity="informatiebijeenkomst"),
        ),
    )
    prog = logic.progress(C, before, after, plan)
    spec, alt = view.progress_chart(EN, prog)
    assert spec["before_label"] == "before (1 September 2026, n=3)"
    assert spec["after_label"] == "now (1 December 2026 – 3 December 2026, n=4)"
    assert spec["xlabel"] == EN.t("quickscan.chart.x")
    rows = {r[0]: r for r in spec["rows"]}
    understand = C.phase("begrijpen")
    assert rows[f"{understand.number} {understand.name('en')}"][1:] == (0.0, 1.0, "0% → 100% ↑ ✓")
    doing = C.phase("doen")
    assert rows[f"{doing.number} {doing.name('en')}"][3].startswith("100% → 33% ↓")
    develop = C.phase("ontwikkelen")
    assert rows[f"{develop.number} {develop.name('en')}"][3].startswith("– → – ?")
    assert alt.startswith(
        EN.t("plan.progress.alt.phases") + " before (1 September 2026, n=3) → now ("
    )
    assert f"{understand.number} {understand.name('en')}: 0% → 100% ↑ ✓" in alt
    assert [r[0] for r in spec["rows"]] == [f"{p.number} {p.name('en')}" for p in C.phases]

    factors, factor_alt = view.progress_chart(NL, prog, "factors")
    assert [r[0] for r in factors["rows"]] == [f.name("nl") for f in C.factors]
    assert factor_alt.startswith(
        NL.t("plan.progress.alt.factors") + " eerder (1 september 2026, n=3)"
    )

    lines = view.progress_lines(EN, prog)
    assert lines["strong"] == [view.phase_label(EN, understand.number)]
    assert lines["worse"] == [view.phase_label(EN, doing.number)]
    text = {s.id: s for s in C.instrument.statements}[sid].text("en")
    assert lines["indicators"] == [
        f"✓ met: {C.activity('werkbezoek').text('en')} — “{text}” now 2.5, target 2 · Mostly",
        f"✗ not met: {C.activity('praktijkverhalen').text('en')} — “{text}” now 2.5, target 3 · Fully",
    ]


def test_progress_without_a_later_answer_says_not_answered() -> None:
    sid = first_statement()
    before = snapshot("", 1, {}, {sid: 1})
    after = snapshot("2026-12-01", 1, {"begrijpen": 0.9}, {})
    plan = Plan(perspective="organisatie", steps=(PlanStep(activity="werkbezoek", indicator=sid),))
    prog = logic.progress(C, before, after, plan)
    spec, _ = view.progress_chart(NL, prog)
    assert spec["before_label"] == "eerder (?, n=1)"
    lines = view.progress_lines(NL, prog)
    assert lines["indicators"][0].startswith("? niet ingevuld: ")
    assert lines["indicators"][0].endswith("nu –, doel 2 · Grotendeels")
    assert lines["improved"] == [view.phase_label(NL, C.phase("begrijpen").number)]
    assert lines["strong"] == [] and lines["worse"] == []


def test_the_scan_line_says_which_scan_from_when_and_the_teams_phase() -> None:
    p = Plan(perspective="organisatie", source="file", scan={}, scan_date="2026-11-30")
    team = logic.team_phase(logic.score(C, "organisatie", {}))
    persp = next(x for x in C.instrument.perspectives if x.id == "organisatie")
    assert view.scan_line(EN, p) == (
        f"Scan: scan file ({persp.name('en')}, 30 November 2026). "
        f"The team is in phase {view.phase_label(EN, team)}."
    )
    case = C.cases[0]
    with_case = p.model_copy(update={"source": "case", "case": case.id, "scan_date": ""})
    assert view.scan_line(NL, with_case).startswith(
        f"Scan: casus, referentielezing · {case.title('nl')} ({persp.name('nl')}, —)."
    )


def test_why_a_proposal_names_at_most_two_low_statements() -> None:
    ids = [s.id for s in C.instrument.statements_for("organisatie")[:3]]
    by_id = {s.id: s for s in C.instrument.statements}
    proposal = logic.Proposal("werkbezoek", 2, Fit.FITS, tuple(ids))
    why = view.proposal_why(EN, proposal)
    base = C.activity("werkbezoek").why("en")
    assert why == (
        f"{base} Answers what scored low: “{by_id[ids[0]].text('en')}”; “{by_id[ids[1]].text('en')}”"
    )
    assert view.proposal_why(EN, logic.Proposal("werkbezoek", 2, Fit.FITS, ())) == base
