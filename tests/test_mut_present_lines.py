"""Lines of the trainer's screens and files that the mutation run found unchecked
(docs/mutation.md): the dashboard's note on quickscans outside the chart, the led room's
spreadsheet and moderation list, the key file a trainer saves, a phase's change-model name in
English. Each is read as the trainer reads it."""

from __future__ import annotations

import datetime as dt

from kit.agenda import Room
from kit.answers import Adaptations, Proposal, ScanAnswers
from kit.content import default_content
from kit.present.group import off_chart, off_chart_line
from kit.present.phases import phase_details
from kit.present.room import exercise_of, poll_csv_rows, reasons_to_moderate
from kit.present.store_health import key_file, reason
from kit.present.texts import Texts
from kit.storage.records import Submission

C = default_content()
NL, EN = Texts(C, "nl"), Texts(C, "en")
T0 = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)


def sub(participant: str, record: object) -> Submission:
    return Submission(participant, participant.upper(), record, T0)  # type: ignore[arg-type]


def scan(case: str | None, perspective: str = "organisatie", value: int = 2) -> ScanAnswers:
    ids = [s.id for s in C.instrument.statements_for(perspective)]
    return ScanAnswers(perspective=perspective, case=case, values={i: value for i in ids})


# --------------------------------------------------------------------------- dashboard


def test_quickscans_outside_the_chart_are_counted_once_per_participant() -> None:
    case = C.case("schuldmaatjes")
    other_perspective = next(p.id for p in C.instrument.perspectives if p.id != case.perspective)
    subs = [
        sub("p1", scan("schuldmaatjes", case.perspective)),  # in the chart
        sub("p2", scan("buurtkracht", case.perspective)),  # another case
        sub("p2", scan("sterk-opvoeden", case.perspective)),  # the same person again
        sub("p3", scan("schuldmaatjes", other_perspective)),  # a perspective not read
        sub("p4", ScanAnswers(perspective=case.perspective, case="buurtkracht")),  # nothing filled
        sub("p5", Adaptations(intervention="samen-sterk")),  # not a quickscan
    ]
    assert off_chart(C, "schuldmaatjes", subs) == 2
    # One participant with a scan in the chart and one elsewhere counts as in the chart.
    both = [*subs, sub("p2", scan("schuldmaatjes", case.perspective))]
    assert off_chart(C, "schuldmaatjes", both) == 1
    assert off_chart(C, "schuldmaatjes", subs[:1]) == 0


def test_the_dashboard_note_on_scans_outside_the_chart_counts_in_words() -> None:
    case = C.case("schuldmaatjes")
    one = [sub("p2", scan("buurtkracht", case.perspective))]
    assert off_chart_line(EN, "schuldmaatjes", one) == (
        "1 participant filled in the scan on another case or from another perspective: "
        "not in this chart, but in the CSV."
    )
    two = [*one, sub("p3", scan("sterk-opvoeden", case.perspective))]
    assert off_chart_line(NL, "schuldmaatjes", two).startswith(
        "2 deelnemers vulden de scan in op een andere casus"
    )
    assert off_chart_line(EN, "schuldmaatjes", []) == ""
    assert off_chart_line(EN, "buurtkracht", one) == ""


# --------------------------------------------------------------------------- led room


def test_the_spreadsheet_names_everyone_by_alias_whatever_the_order_of_the_votes() -> None:
    workshop = C.agenda("workshop")
    votes = [
        ("gone", "p1", "x"),  # a step the agenda no longer has, first
        ("fase-poll", "p2", "weten"),  # a participant without an alias
        ("fase-poll", "p1", "doen"),
    ]
    rows = poll_csv_rows(EN, workshop, votes, {"p1": "Merel"})
    title = workshop.step("fase-poll").title("en")
    assert rows == [
        ("Merel", "gone", "x", "x"),
        ("p2", title, "1. Know", "weten"),
        ("Merel", title, "4. Do", "doen"),
    ]


def test_the_trainer_moderates_the_reasons_of_the_kern_exercise_only() -> None:
    workshop = C.agenda("workshop")
    kern = workshop.step("kern-oefenen")

    def props(intervention: str, *reasons: str) -> Adaptations:
        return Adaptations(
            intervention=intervention,
            proposals=tuple(
                Proposal(element="ten-sessions", type="shorten", reason=r) for r in reasons
            ),
        )

    subs = [
        sub("p1", props("samen-sterk", "Geen  geld", "  ")),
        sub("p2", props("samen-sterk", "te\u200b lang")),
        sub("p3", props("maatje-erbij", "ander verhaal")),
        sub("p4", scan(None)),
    ]
    assert reasons_to_moderate(NL, kern, subs, "samen-sterk") == ("Geen geld", "te lang")
    assert reasons_to_moderate(NL, kern, subs, "maatje-erbij") == ("ander verhaal",)
    # Without a session intervention: the one most participants adapted.
    assert reasons_to_moderate(NL, kern, subs, None) == ("Geen geld", "te lang")
    assert reasons_to_moderate(NL, workshop.step("quickscan"), subs, "samen-sterk") == ()


def test_a_results_step_shows_the_exercise_it_is_of() -> None:
    workshop = C.agenda("workshop")
    assert exercise_of(workshop, workshop.step("kern-uitslag")) == workshop.step("kern-oefenen")
    assert exercise_of(workshop, workshop.step("quickscan")) == workshop.step("quickscan")
    assert exercise_of(workshop, workshop.step("fase-uitslag")) is None  # results of a poll
    assert exercise_of(workshop, workshop.step("welkom")) is None


def test_hidden_answers_are_hidden_on_their_own_step_only() -> None:
    room = Room("workshop", hidden=frozenset({("plank", "geen tijd"), ("past-het", "spam")}))
    assert room.hidden_of("plank") == frozenset({"geen tijd"})
    assert room.hidden_of("past-het") == frozenset({"spam"})
    assert room.hidden_of("welkom") == frozenset()


# --------------------------------------------------------------------------- key file


def test_the_key_file_is_one_field_a_line_with_the_advice_last() -> None:
    text = key_file(EN, "Workshop", "K7Q2MX", "KX7P-M3QD-W9HT", "http://d", "http://j")
    assert text.split("\n") == [
        "Implementation kit: facilitator key of a group session",
        "",
        "Session: Workshop",
        "Code: K7Q2MX",
        "Key: KX7P-M3QD-W9HT",
        "Dashboard: http://d",
        "Join: http://j",
        "",
        EN.t("group.keyfile.keep"),
        "",  # the file ends with one line end
    ]


# --------------------------------------------------------------------------- phases


def test_a_phase_names_its_change_model_phase_in_the_page_language() -> None:
    weten = C.phase("weten")
    change = C.change_phase_for("weten")
    assert change is not None and change.name("en") != change.name("nl")
    assert phase_details(EN, weten).change_line == (
        f"For professionals this phase is called: {change.name('en')}."
    )


def test_a_phases_details_are_all_in_english_on_an_english_page() -> None:
    weten = C.phase("weten")
    details = phase_details(EN, weten)
    stage = next(s for s in C.stages if s.id == weten.stage)
    assert details.stage == stage.name("en") != stage.name("nl")
    assert details.goal == weten.goal("en") != weten.goal("nl")
    assert details.signals == tuple(s("en") for s in weten.signals)
    assert details.pitfalls == tuple(s("en") for s in weten.pitfalls)
    assert details.activities == tuple((a.text("en"), a.why("en")) for a in weten.activities)
    dutch = phase_details(NL, weten)
    assert set(details.signals).isdisjoint(dutch.signals)
    assert set(details.pitfalls).isdisjoint(dutch.pitfalls)
    for (text, why), (text_nl, why_nl) in zip(details.activities, dutch.activities, strict=True):
        assert text != text_nl and why != why_nl


def test_every_better_answer_of_an_exercise_is_named_apart() -> None:
    from kit import adaptations
    from kit.present.kern import exercise_text

    item = C.intervention("maatje-erbij")
    situation = next(s for s in item.situations if s.id == "lonely-elderly")
    feedback = adaptations.grade(item, situation, "matching", "remove", C.adaptation_types)
    better = exercise_text(EN, item, feedback).better
    named = [
        f"{C.adaptation_type(g.type).name('en')} → {item.element(g.element).name('en')}"
        for g in situation.good
    ]
    assert better == "; ".join(named) and len(named) == 2


def test_a_long_timer_counts_down_in_minutes_and_seconds() -> None:
    from kit.agenda import Action, apply
    from kit.present.room import step_view

    workshop = C.agenda("workshop")
    pause = [s.id for s in workshop.steps].index("pauze")  # the break: ten minutes or more
    seconds = workshop.steps[pause].timer
    assert seconds is not None and seconds >= 600
    room = apply(Room("workshop", step=pause), workshop, Action.START_TIMER, T0)
    assert step_view(NL, workshop, room, T0).timer == f"{seconds // 60}:{seconds % 60:02d}"
    left = T0 + dt.timedelta(seconds=seconds - 121)
    assert step_view(NL, workshop, room, left).timer == "2:01"


def test_the_plans_screen_has_its_heading_and_says_its_counts_to_a_screen_reader() -> None:
    from kit.answers import Plan, PlanStep
    from kit.present.room import plan_result

    first, second = [a.id for p in C.phases for a in p.activities][:2]
    subs = [
        sub("p1", Plan(perspective="organisatie", steps=(PlanStep(activity=first),))),
        sub(
            "p2",
            Plan(
                perspective="organisatie",
                steps=(PlanStep(activity=first), PlanStep(activity=second)),
            ),
        ),
    ]
    result = plan_result(EN, subs)
    assert result.heading == "Activities in the group's plans"
    names = [C.activity(a).text("en") for a in (first, second)]
    assert result.alt == (f"Results, Activities in the group's plans: {names[0]}: 2; {names[1]}: 1")
    empty = plan_result(NL, [])
    assert empty.heading == "Activiteiten in de plannen van de groep"
    assert empty.alt == "Uitslag, Activiteiten in de plannen van de groep: –"


def test_the_report_of_a_scale_poll_has_its_title_question_and_average_in_english() -> None:
    from kit.present.room import poll_body, poll_summaries

    short = C.agenda("kort")
    step = short.step("ervaring")
    [summary] = poll_summaries(EN, short, [("ervaring", "p1", "4"), ("ervaring", "p2", "5")], 2)
    body = poll_body(EN, step)
    assert summary.question == (f"{step.title('en')} — {body}" if body else step.title("en"))
    assert step.title("en") != step.title("nl")
    assert summary.mean == "Average 4.5 out of 5"


def test_a_reason_from_the_operating_system_is_empty_when_there_is_none() -> None:
    assert reason(None) == "" and reason("") == "" and reason("  \n ") == ""
    assert reason("\n  Disk quota exceeded\nmore") == "Disk quota exceeded"


def test_without_a_session_intervention_the_one_most_adapted_is_moderated() -> None:
    kern = C.agenda("workshop").step("kern-oefenen")

    def one(intervention: str, reason: str) -> Adaptations:
        proposal = Proposal(element="ten-sessions", type="shorten", reason=reason)
        return Adaptations(intervention=intervention, proposals=(proposal,))

    # maatje-erbij comes first in the content and sorts first by name too: two for it wins.
    subs = [
        sub("p1", one("samen-sterk", "samen")),
        sub("p2", one("maatje-erbij", "maatje een")),
        sub("p3", one("maatje-erbij", "maatje twee")),
        sub("p4", Adaptations(intervention="thuis-op-koers")),  # nothing proposed
        sub("p5", scan(None)),
    ]
    assert reasons_to_moderate(NL, kern, subs, None) == ("maatje een", "maatje twee")
    # A tie goes to the intervention that comes first in the content.
    tie = [sub("p1", one("thuis-op-koers", "thuis")), sub("p2", one("samen-sterk", "samen"))]
    assert reasons_to_moderate(NL, kern, tie, None) == ("samen",)
    assert reasons_to_moderate(NL, kern, [sub("p5", scan(None))], None) == ()


def test_a_reason_keeps_an_emojis_joiner_and_drops_other_invisible_characters() -> None:
    kern = C.agenda("workshop").step("kern-oefenen")
    teacher = "👩\u200d🏫"
    proposal = Proposal(element="ten-sessions", type="shorten", reason=f"juf{teacher}\u200b!")
    subs = [sub("p1", Adaptations(intervention="samen-sterk", proposals=(proposal,)))]
    assert reasons_to_moderate(NL, kern, subs, "samen-sterk") == (f"juf{teacher}!",)


def test_the_projector_cuts_a_long_reason_at_its_limit_with_an_ellipsis() -> None:
    from kit.present.room import REASON_MAX

    kern = C.agenda("workshop").step("kern-oefenen")

    def shown(reason: str) -> str:
        proposal = Proposal(element="ten-sessions", type="shorten", reason=reason)
        subs = [sub("p1", Adaptations(intervention="samen-sterk", proposals=(proposal,)))]
        [text] = reasons_to_moderate(NL, kern, subs, "samen-sterk")
        return text

    exact = "a" * REASON_MAX
    assert shown(exact) == exact  # at the limit: whole
    cut = shown("b" * (REASON_MAX - 2) + " " + "c" * 10)  # the cut falls on the space
    assert cut == "b" * (REASON_MAX - 2) + "…"
    assert shown("d" * 500) == "d" * (REASON_MAX - 1) + "…"


def test_the_trainer_reads_a_long_reason_from_the_system_cut_at_its_limit() -> None:
    from kit.present.store_health import REASON_CHARS

    assert reason("e" * REASON_CHARS) == "e" * REASON_CHARS
    assert reason("f" * (REASON_CHARS + 1)) == "f" * (REASON_CHARS - 1) + "…"


def test_the_kern_results_rank_the_most_proposed_first_within_a_colour() -> None:
    from kit.present.room import kern_result

    def props(*pairs: tuple[str, str]) -> Adaptations:
        return Adaptations(
            intervention="samen-sterk",
            proposals=tuple(Proposal(element=e, type=t) for e, t in pairs),
        )

    subs = [
        sub("p1", props(("ten-sessions", "remove"))),
        sub("p2", props(("ten-sessions", "shorten"))),
        sub("p3", props(("ten-sessions", "shorten"))),
        sub(
            "p4",
            Adaptations(
                intervention="maatje-erbij",
                proposals=(Proposal(element="matching", type="remove"),),
            ),
        ),
        sub("p5", scan(None)),
    ]
    result = kern_result(EN, subs, "samen-sterk")
    assert [(r.label.split(" → ")[0], r.count) for r in result.rows] == [
        (f"✗ {C.adaptation_type('shorten').name('en')}", 2),
        (f"✗ {C.adaptation_type('remove').name('en')}", 1),
    ]
    assert result.answered_line == "3 participants proposed adaptations"
    item = C.intervention("samen-sterk")
    element = item.element("ten-sessions").name("en")
    assert result.rows[0].label == f"✗ {C.adaptation_type('shorten').name('en')} → {element}"
    assert result.heading == f"Proposed adaptations of {item.name('en')}"
    assert [(t.verdict, t.count) for t in result.totals] == [("red", 3), ("amber", 0), ("green", 0)]
    assert [t.label for t in result.totals] == ["✗ Red", "! Amber", "✓ Green"]
    totals = "; ".join(f"{t.label}: {t.count}" for t in result.totals)
    rows = "".join(f"; {r.label}: {r.count}" for r in result.rows)
    assert result.alt == f"Results, {result.heading}: {totals}{rows}"
    assert result.alt.count("; ") == 4


def test_the_remote_says_answering_closed_once_the_timer_ran_out() -> None:
    from kit.agenda import Action, apply
    from kit.present.room import remote

    workshop = C.agenda("workshop")
    poll = [s.id for s in workshop.steps].index("fase-poll")  # 90 seconds
    room = apply(Room("workshop", step=poll), workshop, Action.START_TIMER, T0)
    assert remote(NL, workshop, room, T0 + dt.timedelta(seconds=30), 0, 0).answering
    assert not remote(NL, workshop, room, T0 + dt.timedelta(seconds=91), 0, 0).answering


def test_the_remote_names_the_steps_around_and_what_the_step_allows() -> None:
    from kit.present.room import Remote, remote

    workshop = C.agenda("workshop")
    ids = [s.id for s in workshop.steps]
    titles = [s.title("en") for s in workshop.steps]
    assert titles != [s.title("nl") for s in workshop.steps]

    def on(step: str, **fields: object) -> Remote:
        room = Room("workshop", step=ids.index(step), **fields)  # type: ignore[arg-type]
        return remote(EN, workshop, room, T0, 3, 9)

    first = on("welkom")
    assert (first.previous, first.next) == (None, titles[1])
    assert first.outline == tuple(
        (i, s.title("en"), s.minutes) for i, s in enumerate(workshop.steps)
    )
    assert not first.takes_answers and not first.has_results
    second = on("plank")
    assert (second.previous, second.next) == (titles[0], titles[2])
    assert second.takes_answers and second.has_results
    assert second.answered_line == "3 of 9 have answered"
    last = on("afsluiten")
    assert (last.previous, last.next) == (titles[-2], None)
    # The results of a poll have results; the phases exercise takes answers but has none to show.
    assert on("fase-uitslag").has_results
    assert not on("fase-uitslag").takes_answers
    journey = on("reis")
    assert journey.takes_answers and not journey.has_results
    assert journey.answered_line is None
    assert on("welkom").led and not on("welkom", mode="free").led
    shown = on("fase-poll", shown=True, revealed=frozenset({"fase-poll"}))
    assert shown.shown and shown.revealed
    assert not on("fase-poll").shown and not on("fase-poll").revealed


def test_the_dashboard_says_the_clock_time_it_was_updated() -> None:
    from kit.present.store_health import store_lines
    from kit.storage import StoreHealth

    now = dt.datetime(2026, 12, 7, 14, 30, 5, tzinfo=dt.UTC)
    clock = f"{now.astimezone():%H:%M:%S}"
    lines = {x.kind: x.text for x in store_lines(EN, StoreHealth(), now, unreadable=0)}
    assert lines["updated"] == f"updated at {clock}"
