"""The led room's screens as plain data (kit.present.room): what the projector, the phones and
the trainer's remote show, in both languages, before and after the reveal."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from kit.agenda import Action, Room, apply, correct_answer, options
from kit.answers import Adaptations, Plan, PlanStep, Proposal, ScanAnswers
from kit.content import Agenda, Step, default_content
from kit.present.room import (
    KernResult,
    PlanResult,
    ScanResult,
    exercise_result,
    poll_body,
    poll_csv_rows,
    poll_result,
    poll_summaries,
    remote,
    step_view,
)
from kit.present.texts import Texts
from kit.storage.records import Submission

T0 = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def nl() -> Texts:
    return Texts(default_content(), "nl")


@pytest.fixture(scope="module")
def en() -> Texts:
    return Texts(default_content(), "en")


@pytest.fixture(scope="module")
def workshop() -> Agenda:
    return default_content().agenda("workshop")


def _fields(value: object) -> str:
    """Every string a view holds, to search for what must not be there."""
    return repr(dataclasses.asdict(value))  # type: ignore[call-overload]


def test_before_the_reveal_the_results_hold_no_trace_of_the_answer(
    nl: Texts, workshop: Agenda
) -> None:
    poll = workshop.step("fase-poll")  # the answer is "weten"
    result = poll_result(nl, poll, ["weten", "begrijpen", "weten", "doen"], total=5, revealed=False)
    assert [b.count for b in result.bars] == [0, 2, 1, 0, 1, 0]
    assert not any(b.right for b in result.bars)
    assert result.answer_line is None and result.explanation is None
    scenario = next(s for s in nl.content.scenarios if s.id == "mail-die-niemand-las")
    assert scenario.why("nl") not in _fields(result)
    assert "Het antwoord" not in _fields(result)


def test_after_the_reveal_the_right_bar_is_marked_and_explained(
    nl: Texts, workshop: Agenda
) -> None:
    poll = workshop.step("fase-poll")
    result = poll_result(nl, poll, ["weten", "begrijpen", "weten"], total=5, revealed=True)
    assert [b.label for b in result.bars if b.right] == ["1. Weten"]
    assert result.answer_line == "Het antwoord: 1. Weten"
    scenario = next(s for s in nl.content.scenarios if s.id == "mail-die-niemand-las")
    assert result.explanation == scenario.why("nl")
    assert result.answered_line == "3 van 5 hebben geantwoord"
    assert [round(b.share, 2) for b in result.bars][:3] == [0.0, 0.67, 0.33]


def test_a_fit_and_a_colour_are_explained_with_the_kits_own_reasons(
    en: Texts, workshop: Agenda
) -> None:
    fit = poll_result(en, workshop.step("past-het"), ["fits", "next"], total=2, revealed=True)
    assert fit.answer_line == "The answer: Next step"
    assert fit.explanation and fit.explanation.startswith("The team is in the phase Want")
    colour = poll_result(
        en, workshop.step("kleur-poll"), ["green", "red", "red"], total=3, revealed=True
    )
    assert [(b.label, b.count, b.right) for b in colour.bars] == [
        ("✓ Green", 1, False),
        ("! Amber", 0, False),
        ("✗ Red", 2, True),
    ]
    assert colour.explanation and "dose of a core element" in colour.explanation
    assert "Better: Keep the full dose" in colour.explanation


def test_a_scale_gives_its_average_with_a_decimal_comma_in_dutch(nl: Texts, en: Texts) -> None:
    step = default_content().agenda("kort").step("ervaring")
    assert (
        poll_result(nl, step, ["4", "5", "4"], total=3, revealed=False).mean_line
        == "Gemiddeld 4,3 op 5"
    )
    assert (
        poll_result(en, step, ["4", "5", "4"], total=3, revealed=False).mean_line
        == "Average 4.3 out of 5"
    )
    assert poll_result(nl, step, [], total=3, revealed=False).mean_line is None
    one = poll_result(nl, step, ["2"], total=9, revealed=False)
    assert one.answered_line == "1 van 9 heeft geantwoord"
    assert one.bars[1].label == "2 · nauwelijks"


def test_open_answers_go_on_the_wall_counted_and_moderated(nl: Texts, workshop: Agenda) -> None:
    step = workshop.step("plank")
    result = poll_result(
        nl,
        step,
        ["Geen tijd", "geen tijd", "<b>Geld</b>", "onzin"],
        total=6,
        revealed=True,
        hidden=["Onzin"],
    )
    assert result.bars == ()
    assert result.wall == (
        ("Geen tijd", 2),
        ("<b>Geld</b>", 1),
    )  # escaped by the screen that draws it
    assert result.answered == 4 and result.answer_line is None
    assert "onzin" not in result.alt.lower()


def test_the_step_view_counts_steps_and_shows_the_timer_and_whether_answering_is_open(
    nl: Texts, workshop: Agenda
) -> None:
    room = apply(Room("workshop", step=3), workshop, Action.START_TIMER, T0)
    view = step_view(nl, workshop, room, T0 + dt.timedelta(seconds=10))
    assert view.position == f"Stap 4 van {len(workshop.steps)}"
    assert (view.timer, view.seconds_left, view.answering) == ("1:20", 80, True)
    assert view.state == "Je kunt nu antwoorden"
    assert view.body.startswith(
        next(s.title("nl") for s in nl.content.scenarios if s.id == "mail-die-niemand-las")
    )
    late = step_view(nl, workshop, room, T0 + dt.timedelta(seconds=95))
    assert (late.timer, late.answering, late.state) == ("0:00", False, "Antwoorden is gesloten")
    welcome = step_view(nl, workshop, Room("workshop"), T0)
    assert (
        welcome.state == "" and welcome.timer is None and welcome.body.startswith("Scan de QR-code")
    )


def test_poll_bodies_name_what_is_judged(en: Texts, workshop: Agenda) -> None:
    assert "The activity: " in poll_body(en, workshop.step("past-het"))
    colour = poll_body(en, workshop.step("kleur-poll"))
    assert colour.startswith("The municipality pays for six of the ten sessions")
    assert (
        "Stronger Together, element Ten sessions: an adaptation of the type Shortening." in colour
    )


def test_the_remote_offers_what_the_step_allows(nl: Texts, workshop: Agenda) -> None:
    first = remote(nl, workshop, Room("workshop"), T0, answered=0, total=4)
    assert first.previous is None and first.next == workshop.steps[1].title("nl")
    assert not first.takes_answers and not first.can_reveal and first.answered_line is None
    poll = remote(nl, workshop, Room("workshop", step=3), T0, answered=3, total=4)
    assert poll.can_reveal and poll.has_timer and poll.answered_line == "3 van 4 hebben geantwoord"
    assert not poll.revealed
    opinion = remote(nl, workshop, Room("workshop", step=1), T0, answered=0, total=4)
    assert not opinion.can_reveal  # nobody is right about what keeps an intervention on the shelf
    last = remote(nl, workshop, Room("workshop", step=len(workshop.steps) - 1), T0, 0, 4)
    assert last.next is None
    assert [i for i, _, _ in first.outline] == list(range(len(workshop.steps)))
    assert sum(m for _, _, m in first.outline) == workshop.minutes


def test_the_group_summary_counts_each_poll_in_agenda_order_without_hidden_answers(
    nl: Texts, workshop: Agenda
) -> None:
    votes = [
        ("kleur-poll", "p1", "red"),
        ("plank", "p1", "Geen tijd"),
        ("plank", "p2", "geen tijd"),
        ("plank", "p3", "scheldwoord"),
        ("fase-poll", "p2", "weten"),
        ("fase-poll", "p3", "doen"),
        ("weg-uit-de-agenda", "p1", "x"),
    ]
    summaries = poll_summaries(nl, workshop, votes, total=4, hidden=[("plank", "scheldwoord")])
    assert [s.step_id for s in summaries] == ["plank", "fase-poll", "kleur-poll"]
    plank, phase, colour = summaries
    assert plank.lines == ("Geen tijd (2)",) and plank.answer is None
    assert "scheldwoord" not in repr(summaries)
    assert phase.lines[1:3] == ("1. Weten: 1", "2. Begrijpen: 0")
    assert phase.answered == "2 van 4 hebben geantwoord"
    assert phase.answer == "Het antwoord: 1. Weten"
    assert colour.answer == "Het antwoord: ✗ Rood" and colour.lines[2] == "✗ Rood: 1"


def test_the_spreadsheet_has_one_row_per_vote_in_words(en: Texts, workshop: Agenda) -> None:
    votes = [("fase-poll", "p1", "weten"), ("plank", "p2", "No time"), ("gone", "p3", "x")]
    rows = poll_csv_rows(en, workshop, votes, {"p1": "Merel", "p2": "Uil 7"})
    assert rows == [
        ("Merel", "Which phase is this team in?", "1. Know", "weten"),
        ("Uil 7", "What keeps your intervention on the shelf?", "No time", "No time"),
        ("p3", "gone", "x", "x"),
    ]


def _step(**fields: object) -> Step:
    return Step.model_validate(
        {"id": "s", "title": {"nl": "Titel", "en": "Title"}, "minutes": 2, **fields}
    )


def test_a_statement_poll_offers_the_scan_scale_and_shows_the_statement(nl: Texts) -> None:
    statement = nl.content.instrument.statements[0]
    step = _step(kind="poll", poll="statement-score", statement=statement.id)
    scale = nl.content.instrument.scale
    assert [o.value for o in options(nl.content, step)] == [str(s.value) for s in scale]
    result = poll_result(nl, step, ["0", "3", "3"], total=3, revealed=True)
    assert [b.label for b in result.bars] == [s.label("nl") for s in scale]
    assert [b.count for b in result.bars] == [1, 0, 0, 2]
    assert result.answer_line is None and result.mean_line is None
    assert poll_body(nl, step) == statement.text("nl")
    assert correct_answer(nl.content, step) is None


def test_a_choice_poll_offers_its_own_options_in_both_languages(nl: Texts, en: Texts) -> None:
    step = _step(
        kind="poll",
        poll="choice",
        text={"nl": "Wat eerst?", "en": "What first?"},
        options=[{"nl": "Geld", "en": "Money"}, {"nl": "Tijd", "en": "Time"}],
    )
    assert [o.value for o in options(nl.content, step)] == ["0", "1"]
    dutch = poll_result(nl, step, ["1", "1", "0"], total=4, revealed=True)
    assert [(b.label, b.count) for b in dutch.bars] == [("Geld", 1), ("Tijd", 2)]
    assert [b.label for b in poll_result(en, step, [], total=4, revealed=False).bars] == [
        "Money",
        "Time",
    ]
    assert poll_body(en, step) == "What first?"
    assert dutch.alt == "Uitslag van Titel: Geld: 1; Tijd: 2"


def test_a_step_view_of_an_exercise_and_of_an_instruction(en: Texts, workshop: Agenda) -> None:
    scan = step_view(en, workshop, Room("workshop", step=6), T0)  # quickscan: an exercise
    assert (scan.kind, scan.total, scan.number) == ("exercise", len(workshop.steps), 7)
    assert scan.title == "Quickscan on the case" and scan.body.startswith("Read the case")
    assert scan.state == "You can answer now"
    closed = step_view(en, workshop, Room("workshop", step=6, open=False), T0)
    assert closed.state == "Answering is closed" and not closed.answering
    results = step_view(en, workshop, Room("workshop", step=4), T0)  # results: no answering line
    assert results.kind == "results" and results.state == ""
    assert results.body.startswith("Which signals did you see?")


# --------------------------------------------------------------------------- exercise results

SECRET_ALIAS = "Geheime Uil"


def _sub(n: int, record: object) -> Submission:
    """A stored answer as the projector reads it would not carry the alias; these do, so the
    tests can check it never reaches the view."""
    return Submission(f"p{n}", f"{SECRET_ALIAS} {n}", record, T0)  # type: ignore[arg-type]


def _scans(values: list[int]) -> list[Submission]:
    c = default_content()
    ids = [s.id for s in c.instrument.statements_for("organisatie")]
    return [
        _sub(
            n,
            ScanAnswers(
                perspective="organisatie", case="buurtkracht", values=dict.fromkeys(ids, v)
            ),
        )
        for n, v in enumerate(values)
    ]


def test_the_groups_scan_shows_spread_and_median_per_phase_and_the_reference_only_once_revealed(
    nl: Texts, en: Texts, workshop: Agenda
) -> None:
    subs = _scans([0, 1, 3])  # scores 0%, 33% and 100% in every phase
    hidden = exercise_result(nl, workshop.step("quickscan"), subs, "buurtkracht", None, False)
    assert isinstance(hidden, ScanResult)
    first = hidden.phases[0]
    assert (first.n, first.low, first.high) == (3, 0.0, 1.0)
    assert first.median == pytest.approx(1 / 3)
    assert first.line == "mediaan 33% · van 0% tot 100%"
    assert hidden.answered_line == "3 deelnemers vulden de scan in"
    assert all(p.reference is None for p in hidden.phases)
    assert "casus" not in _fields(hidden).replace("Buurtkracht", "")
    assert not any("◆" in line for line in hidden.legend)
    shown = exercise_result(en, workshop.step("quickscan"), subs, "buurtkracht", None, True)
    assert isinstance(shown, ScanResult)
    assert any(p.reference is not None for p in shown.phases)
    assert "case " in shown.phases[0].line and shown.legend[-1].startswith("◆")
    assert shown.heading.startswith("The group's quickscan: ")
    for result in (hidden, shown):
        assert SECRET_ALIAS not in _fields(result) and "p0" not in _fields(result)


def test_a_scan_without_answers_says_so_in_every_phase(nl: Texts, workshop: Agenda) -> None:
    empty = exercise_result(nl, workshop.step("profiel"), [], "buurtkracht", None, False)
    assert empty is None  # a results step is not the exercise itself
    result = exercise_result(nl, workshop.step("quickscan"), [], None, None, False)
    assert isinstance(result, ScanResult)
    assert {p.line for p in result.phases} == {"nog geen scores"}
    assert result.answered_line == "0 deelnemers vulden de scan in"


def test_adaptations_are_counted_by_colour_red_first_with_the_moderated_reasons(
    nl: Texts, en: Texts, workshop: Agenda
) -> None:
    def props(*items: tuple[str, str, str]) -> Adaptations:
        return Adaptations(
            intervention="samen-sterk",
            proposals=tuple(Proposal(element=e, type=t, reason=r) for e, t, r in items),
        )

    shorten = ("ten-sessions", "shorten", "Geen   geld voor tien")
    subs = [
        _sub(0, props(shorten, ("venue-time", "shorten", "Dichterbij"))),
        _sub(
            1,
            props(
                ("ten-sessions", "shorten", "geen geld voor TIEN"),
                ("venue-time", "shorten", ""),
                ("ten-sessions", "add", "meer"),
            ),
        ),
        _sub(2, props(("ten-sessions", "shorten", "<script>x</script>\u200b weg"))),
        _sub(3, props(("ten-sessions", "shorten", "Spam van Piet"))),
    ]
    step = workshop.step("kern-oefenen")
    result = exercise_result(nl, step, subs, None, "samen-sterk", False, hidden=["spam van piet"])
    assert isinstance(result, KernResult)
    assert [(t.label, t.count) for t in result.totals] == [
        ("✗ Rood", 4),
        ("! Oranje", 1),
        ("✓ Groen", 2),
    ]
    assert [(r.verdict, r.count) for r in result.rows] == [("red", 4), ("amber", 1), ("green", 2)]
    cut = result.rows[0]
    assert cut.label.endswith("→ Tien bijeenkomsten") or "→" in cut.label
    texts = dict(cut.reasons)
    assert texts["Geen geld voor tien"] == 2  # the same words, one line, counted twice
    assert not any("Spam" in t for t in texts)  # the trainer hid it
    assert "<script>x</script> weg" in texts  # kept as text (the page escapes it), no hidden char
    assert result.answered_line == "4 deelnemers stelden aanpassingen voor"
    # Without a session intervention the one most adapted is shown.
    assert exercise_result(en, step, subs, None, None, False) is not None
    assert SECRET_ALIAS not in _fields(result)


def test_the_activities_in_plans_are_counted_most_chosen_first(en: Texts, workshop: Agenda) -> None:
    c = default_content()
    first, second = [a.id for p in c.phases for a in p.activities][:2]
    plans = [
        _sub(0, Plan(perspective="organisatie", steps=(PlanStep(activity=second),))),
        _sub(
            1,
            Plan(
                perspective="organisatie",
                steps=(PlanStep(activity=second), PlanStep(activity=first)),
            ),
        ),
        _sub(2, Plan(perspective="organisatie")),
    ]
    result = exercise_result(en, workshop.step("plan"), plans, None, None, False)
    assert isinstance(result, PlanResult)
    assert [(text, n) for text, _, n in result.rows] == [
        (c.activity(second).text("en"), 2),
        (c.activity(first).text("en"), 1),
    ]
    assert result.answered_line == "2 participants made a plan"
    assert SECRET_ALIAS not in _fields(result)


def test_the_remote_offers_results_and_the_reference_on_exercise_steps(
    nl: Texts, workshop: Agenda
) -> None:
    at = {s.id: i for i, s in enumerate(workshop.steps)}
    on = {
        name: Room("workshop", step=at[name])
        for name in ("quickscan", "profiel", "pauze", "kern-uitslag")
    }
    scan = remote(nl, workshop, on["profiel"], T0, 0, 0, case_id="buurtkracht")
    assert scan.has_results and scan.can_reveal
    assert not remote(nl, workshop, on["profiel"], T0, 0, 0, case_id=None).can_reveal
    assert remote(nl, workshop, on["quickscan"], T0, 0, 0, case_id="buurtkracht").has_results
    kern = remote(nl, workshop, on["kern-uitslag"], T0, 0, 0, case_id="buurtkracht")
    assert kern.has_results and not kern.can_reveal
    assert not remote(nl, workshop, on["pauze"], T0, 0, 0).has_results


def test_the_practice_situations_show_how_many_chose_well_first_time(
    nl: Texts, en: Texts, workshop: Agenda
) -> None:
    """The kern step's situations on the projector: per situation, right first time of those
    who answered (the last choice does not count), in content order; never an alias."""
    from kit.answers import SituationAnswer, SituationChoice

    def answer(situation: str, first: tuple[str, str], last: tuple[str, str]) -> SituationAnswer:
        return SituationAnswer(
            intervention="samen-sterk",
            situation=situation,
            first=SituationChoice(element=first[0], type=first[1]),
            last=SituationChoice(element=last[0], type=last[1]),
        )

    good, red = ("parent-evening", "remove"), ("ten-sessions", "shorten")
    subs = [
        _sub(0, answer("six-sessions-funded", good, good)),
        _sub(1, answer("six-sessions-funded", red, good)),  # put right only later: not counted
        _sub(2, answer("six-sessions-funded", good, red)),
        _sub(2, answer("dated-videos", ("model-videos", "media"), red)),
        _sub(3, answer("dated-videos", red, red)),
        # Another intervention's situation, and one the content no longer knows: left out.
        _sub(4, answer("venue-renovation", good, good).model_copy(update={"intervention": "x"})),
        _sub(5, answer("gone", good, good)),
    ]
    # No adaptations proposed at all: the situations alone choose the intervention.
    result = exercise_result(nl, workshop.step("kern-oefenen"), subs, None, None, False)
    assert isinstance(result, KernResult)
    assert result.heading == nl.t("group.adapt", name="Samen Sterk")
    assert [(x.right, x.answered) for x in result.situations] == [(2, 3), (0, 0), (0, 0), (1, 2)]
    first, _, third, last = result.situations
    assert first.label.startswith("Situatie 1: De gemeente wil de training betalen")
    assert first.label.endswith("…") and len(first.label) <= len("Situatie 1: ") + 90
    assert first.line == "2 van 3 kozen meteen een passende aanpassing"
    assert third.line == "nog niet beantwoord"
    assert last.line == "1 van 2 kozen meteen een passende aanpassing"
    assert "Situatie 4: " in result.alt and "1 van 2 kozen" in result.alt
    assert "Situatie 2" not in result.alt  # nobody answered it
    assert SECRET_ALIAS not in _fields(result)
    one = exercise_result(en, workshop.step("kern-oefenen"), subs[:1], None, None, False)
    assert isinstance(one, KernResult)
    assert one.situations[0].line == "1 of 1 chose a fitting adaptation first time"
    assert one.situations[0].label.startswith("Situation 1: The municipality")


def test_the_hexagon_step_shows_the_groups_ratings_per_point_and_the_outcomes(
    nl: Texts, en: Texts, workshop: Agenda
) -> None:
    """The Hexagon exercise ("kiezen") on the projector: per point the band of ratings with the
    median in words and on the 0-3 scale, the outcomes of the complete ratings as counts, who
    has not finished counted apart; never an alias. The remote offers the results."""
    from kit.answers import HexagonRatings
    from kit.apps.room_app import exercise_html
    from kit.present.room import HexagonResult

    ids = ("evidence", "support", "usability", "need", "fit", "capacity")
    subs = [
        _sub(0, HexagonRatings(ratings=dict.fromkeys(ids, 3))),  # go
        _sub(1, HexagonRatings(ratings={**dict.fromkeys(ids, 2), "fit": 1})),  # rethink
        _sub(2, HexagonRatings(ratings={**dict.fromkeys(ids, 3), "need": 0})),  # not now
        _sub(3, HexagonRatings(ratings={"fit": 0})),  # not complete
    ]
    step = workshop.step("kiezen")
    result = exercise_result(nl, step, subs, "buurtkracht", None, False)
    assert isinstance(result, HexagonResult)
    points = {p.label: p for p in result.points}
    names = [i.name("nl") for i in nl.content.hexagon.indicators]  # type: ignore[union-attr]
    assert list(points) == names and len(names) == 6
    fit = points[nl.content.hexagon.indicator("fit").name("nl")]  # type: ignore[union-attr]
    # Fit: 3, 1, 3, 0 → median 2, from 0 to 3: shares of the 0-3 scale.
    assert (fit.n, fit.low, fit.median, fit.high) == (4, 0.0, 2 / 3, 1.0)
    assert fit.line == "mediaan 2 Grotendeels · van 0 Nee tot 3 Ja"
    need = points[nl.content.hexagon.indicator("need").name("nl")]  # type: ignore[union-attr]
    assert (
        need.median == pytest.approx(2 / 3)
        and need.line == "mediaan 2 Grotendeels · van 0 Nee tot 3 Ja"
    )
    evidence = points[nl.content.hexagon.indicator("evidence").name("nl")]  # type: ignore[union-attr]
    assert (evidence.n, evidence.low, evidence.high) == (3, 2 / 3, 1.0)
    assert evidence.line == "mediaan 3 Ja · van 2 Grotendeels tot 3 Ja"
    assert [(o.verdict, o.label, o.count) for o in result.outcomes] == [
        ("green", "Ga door", 1),
        ("amber", "Denk nog eens na", 1),
        ("red", "Nu niet", 1),
    ]
    assert result.answered_line == "4 deelnemers beoordeelden · Nog niet compleet: 1"
    assert "Ga door: 1" in result.alt and fit.line in result.alt
    assert SECRET_ALIAS not in _fields(result)
    # A half median in words with a decimal comma; nothing rated says so.
    two = exercise_result(nl, step, subs[:2], None, None, False)
    assert isinstance(two, HexagonResult)
    assert {p.line for p in two.points if p.label == evidence.label} == {
        "mediaan 2,5 · van 2 Grotendeels tot 3 Ja"
    }
    empty = exercise_result(en, step, [], None, None, False)
    assert isinstance(empty, HexagonResult)
    assert {p.line for p in empty.points} == {"not rated yet"}
    assert empty.answered_line == "0 participants rated"
    assert [o.count for o in empty.outcomes] == [0, 0, 0]
    # On the projector: one band per point, the outcomes with their word, all of it escaped.
    html = exercise_html(None, result)  # type: ignore[arg-type]
    assert html.count('class="kit-spread-row"') == 6
    assert '<span class="kit-verdict is-red">Nu niet <b>1</b></span>' in html
    assert "Geheime" not in html
    at = {s.id: i for i, s in enumerate(workshop.steps)}
    assert remote(nl, workshop, Room("workshop", step=at["kiezen"]), T0, 0, 0).has_results
