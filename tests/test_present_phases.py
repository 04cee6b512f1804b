"""The Phases screens as plain data: the feedback on a phase guess, the score line and the
feedback on chosen activities, with the exact texts shown, in Dutch and English."""

from __future__ import annotations

import pytest

from kit.content import default_content
from kit.phases import Fit
from kit.present import phases as present_phases
from kit.present.texts import Texts

CONTENT = default_content()
NL = Texts(CONTENT, "nl")
EN = Texts(CONTENT, "en")
#: "Maatjes in de hoofden": a team in phase 0, Develop.
SCENARIO = CONTENT.scenarios[0]
LATER = next(s for s in CONTENT.scenarios if CONTENT.phase(s.phase).number >= 2)


def test_the_scenario_is_in_develop() -> None:
    assert (SCENARIO.id, SCENARIO.phase) == ("maatjes-in-de-hoofden", "ontwikkelen")


def test_phase_label() -> None:
    assert present_phases.phase_label(NL, CONTENT.phases[2]) == "2 · Begrijpen"
    assert present_phases.phase_label(EN, CONTENT.phases[2]) == "2 · Understand"


@pytest.mark.parametrize(
    ("ctx", "headline", "fits_now", "activity", "why"),
    [
        (
            NL,
            "✓ Klopt!",
            "Wat nu past in de fase Ontwikkelen:",
            "Ontwerp de interventie samen met beoogde gebruikers en cliënten",
            "De aanpak is nog niet overdraagbaar:",
        ),
        (
            EN,
            "✓ Correct!",
            "What fits now, in the phase Develop:",
            "Design the intervention together with intended users and clients",
            "The approach is not yet transferable:",
        ),
    ],
)
def test_a_right_guess(ctx: Texts, headline: str, fits_now: str, activity: str, why: str) -> None:
    found = present_phases.guess_feedback(ctx, SCENARIO, 0)
    assert found.verdict == "right"
    assert found.headline == headline
    assert found.direction == ""
    assert found.fits_now == fits_now
    assert found.activities[0] == activity
    assert len(found.activities) == 7  # every activity of phase 0
    assert found.why.startswith(why)


@pytest.mark.parametrize(
    ("ctx", "chosen", "verdict", "headline", "direction"),
    [
        (
            NL,
            1,
            "close",
            "≈ Bijna: deze mensen zitten in fase 0 · Ontwikkelen.",
            "Je schat ze verder in dan ze zijn. Activiteiten uit een latere fase komen dan te vroeg.",
        ),
        (
            EN,
            1,
            "close",
            "≈ Close: these people are in phase 0 · Develop.",
            "You place them further along than they are. Activities from a later phase would "
            "then come too early.",
        ),
        (
            NL,
            3,
            "wrong",
            "✗ Niet helemaal: deze mensen zitten in fase 0 · Ontwikkelen.",
            "Je schat ze verder in dan ze zijn. Activiteiten uit een latere fase komen dan te vroeg.",
        ),
        (EN, 5, "wrong", "✗ Not quite: these people are in phase 0 · Develop.", "You place them"),
    ],
)
def test_a_guess_too_far(
    ctx: Texts, chosen: int, verdict: str, headline: str, direction: str
) -> None:
    found = present_phases.guess_feedback(ctx, SCENARIO, chosen)
    assert found.verdict == verdict
    assert found.headline == headline
    assert found.direction.startswith(direction)


def test_a_guess_not_far_enough() -> None:
    actual = CONTENT.phase(LATER.phase).number
    nl = present_phases.guess_feedback(NL, LATER, actual - 1)
    en = present_phases.guess_feedback(EN, LATER, 0)
    assert nl.verdict == "close"
    assert en.verdict == ("close" if actual == 1 else "wrong")
    assert nl.direction == NL.t("phases.not_far_enough") != NL.t("phases.too_far")
    assert en.direction == EN.t("phases.not_far_enough") != ""


def test_guess_score() -> None:
    tries = {"a": True, "b": False}
    assert present_phases.guess_score(NL, tries) == (
        "Score: 1 van de 2 casussen in één keer goed (10 casussen in totaal)."
    )
    assert present_phases.guess_score(EN, tries) == (
        "Score: 1 of 2 scenarios right first time (10 scenarios in all)."
    )
    assert present_phases.guess_score(EN, {}).startswith("Score: 0 of 0 scenarios")


#: One activity of each fit for a team in phase 1 (Know).
CHOSEN = [
    CONTENT.phases[1].activities[0],
    CONTENT.phases[2].activities[0],
    CONTENT.phases[4].activities[0],
    CONTENT.phases[0].activities[0],
]


def test_fit_feedback_in_dutch() -> None:
    found = present_phases.fit_feedback(NL, 1, CHOSEN)
    assert found.summary == (
        "Score: 0 punten voor 4 keuzes — past nu: 1, volgende stap: 1, te vroeg: 1, te laat: 1."
    )
    assert found.rule.startswith("Zo tellen de punten: 1 punt per activiteit die nu past")
    assert [(r.activity_id, r.fit, r.symbol, r.label, r.phase) for r in found.rows] == [
        ("communicatieplan", Fit.FITS, "✓", "Past nu", 1),
        ("informatiebijeenkomst", Fit.NEXT, "→", "Volgende stap", 2),
        ("training-met-coaching", Fit.TOO_EARLY, "✗", "Te vroeg", 4),
        ("co-design", Fit.TOO_LATE, "↺", "Te laat", 0),
    ]
    assert [r.belongs_to for r in found.rows] == [
        "hoort bij fase 1 · Weten",
        "hoort bij fase 2 · Begrijpen",
        "hoort bij fase 4 · Doen",
        "hoort bij fase 0 · Ontwikkelen",
    ]
    fits, _, early, _ = found.rows
    assert fits.activity == "Maak een communicatieplan: doelgroepen, boodschap, kanalen en timing"
    assert fits.explain == (
        "Het team zit nu in de fase Weten, en daar hoort deze activiteit bij. Je bereikt de "
        "juiste mensen met een boodschap die bij hen past, op het goede moment."
    )
    # Too early: what the activity needs, placed against where the team is.
    assert early.explain.startswith(
        "Deze activiteit hoort bij de fase Doen, maar het team zit nog in de fase Weten. "
        "Professionals moeten het nut van de aanpak zien"
    )
    assert found.markers == tuple((r.phase, r.symbol, r.activity) for r in found.rows)
    assert found.markers[1] == (
        2,
        "→",
        "Organiseer een informatiebijeenkomst over waarom en hoe het werkt",
    )


def test_fit_feedback_in_english() -> None:
    found = present_phases.fit_feedback(EN, 1, CHOSEN)
    assert found.summary == (
        "Score: 0 points for 4 choices — fit now: 1, next step: 1, too early: 1, too late: 1."
    )
    assert found.rule.startswith("How points are counted: 1 point per activity that fits now")
    assert [r.label for r in found.rows] == ["Fits now", "Next step", "Too early", "Too late"]
    assert found.rows[3].belongs_to == "belongs to phase 0 · Develop"
    assert found.rows[3].explain.startswith(
        "This activity belongs to the earlier phase Develop; the team is already in the phase Know."
    )
    assert found.rows[1].activity == "Hold an information session on why and how it works"


def test_fit_feedback_points_for_a_good_choice() -> None:
    found = present_phases.fit_feedback(EN, 1, CONTENT.phases[1].activities[:2])
    assert found.summary == (
        "Score: 2 points for 2 choices — fit now: 2, next step: 0, too early: 0, too late: 0."
    )


def test_phase_details_for_the_explore_tab() -> None:
    c = default_content()
    weten = c.phase("weten")
    nl = present_phases.phase_details(Texts(c, "nl"), weten)
    assert nl.title == "1 · Weten"
    assert nl.stage == next(s.name("nl") for s in c.stages if s.id == weten.stage)
    assert nl.goal == weten.goal("nl")
    assert "Oriëntatie" in nl.change_line  # the professionals' change phase it matches
    assert nl.signals == tuple(s("nl") for s in weten.signals)
    assert nl.activities[0] == (weten.activities[0].text("nl"), weten.activities[0].why("nl"))
    develop = present_phases.phase_details(Texts(c, "en"), c.phase("ontwikkelen"))
    assert develop.title == "0 · Develop"
    assert develop.change_line == c.t("phases.change_none", "en")


def test_scenario_card_names_who_it_is_about_and_where_the_team_is() -> None:
    c = default_content()
    scenario = c.scenarios[0]
    phase = c.phase(scenario.phase)
    card = present_phases.scenario_card(Texts(c, "nl"), scenario)
    assert card.actor == c.t(f"phases.actor.{scenario.actor}", "nl")
    assert (card.title, card.text) == (scenario.title("nl"), scenario.text("nl"))
    assert card.team_line == c.t(
        "phases.team_is_in", "nl", phase=f"{phase.number} · {phase.name('nl')}"
    )
    assert card.goal == phase.goal("nl")
