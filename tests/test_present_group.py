"""The trainer's dashboard panels as plain data: who joined, the chart's alt text, where the
group disagrees, the adaptations and the planned activities, in Dutch and English."""

from __future__ import annotations

import datetime as dt

import pytest

from kit import group
from kit.answers import Adaptations, Proposal, Record
from kit.content import default_content
from kit.present import group as present_group
from kit.present.texts import Texts
from kit.storage import Participant, Submission

CONTENT = default_content()
NL = Texts(CONTENT, "nl")
EN = Texts(CONTENT, "en")
PHASE_IDS = [p.id for p in CONTENT.phases]
WHEN = dt.datetime(2026, 11, 25, 10, 0)
ORG = [s.id for s in CONTENT.instrument.statements_for("organisatie")]


def sub(participant: str, record: Record) -> Submission:
    return Submission(participant, participant.upper(), record, WHEN)


def test_joined_names_mark_who_has_not_answered_yet() -> None:
    people = [Participant("p1", "Ada", WHEN), Participant("p2", "Bo", WHEN)]
    subs = [sub("p1", Adaptations(intervention="maatje-erbij"))]
    assert present_group.joined_names(NL, people, subs) == [
        present_group.JoinedName("Ada", True, ""),
        present_group.JoinedName("Bo", False, "nog niets ingevuld"),
    ]
    assert present_group.joined_names(EN, people, [])[0] == present_group.JoinedName(
        "Ada", False, "nothing entered yet"
    )
    assert present_group.joined_names(EN, [], subs) == []


def test_scan_alt_counts_the_points_per_phase() -> None:
    points = {p: {} for p in PHASE_IDS} | {"ontwikkelen": {"a": 1.0, "b": None, "c": 0.5}}
    g = group.QuickscanGroup(points=points, answers={"a": {}, "c": {}}, reference={})
    nl = present_group.scan_alt(NL, g, present_group.scan_chart_spec(NL, g))
    assert nl.startswith("Per fase een punt per deelnemer (2 in totaal), de spreiding als band")
    assert "Aantal antwoorden per fase: 0 Ontwikkelen: 2; 1 Weten: 0; " in nl
    assert nl.endswith("; 5 Blijven doen: 0")
    en = present_group.scan_alt(EN, g, present_group.scan_chart_spec(EN, g))
    assert en.startswith("Per phase one dot per participant (2 in all)")
    assert en.endswith(
        "Answers per phase: 0 Develop: 2; 1 Know: 0; 2 Understand: 0; 3 Want: 0; 4 Do: 0; 5 Keep doing: 0"
    )


def test_disagreement_rows_in_words() -> None:
    first, second = ORG[:2]
    answers = {"a": {first: 0, second: 2}, "b": {first: 3, second: 2}, "c": {first: 3}}
    g = group.QuickscanGroup(points={}, answers=answers, reference={})
    (row,) = present_group.disagreement_rows(NL, g, "organisatie")
    assert row.statement == CONTENT.instrument.statements_for("organisatie")[0].text("nl")
    assert row.counts == (("Helemaal niet", 1), ("Volledig", 2))
    (en,) = present_group.disagreement_rows(EN, g, "organisatie")
    assert en.counts == (("Not at all", 1), ("Fully", 2))
    assert (
        present_group.disagreement_rows(EN, group.QuickscanGroup({}, {}, {}), "organisatie") == []
    )


def test_adaptation_panel() -> None:
    subs = [
        sub(
            "p1",
            Adaptations(
                intervention="maatje-erbij",
                proposals=(
                    Proposal(element="kickoff-meeting", type="tailor"),
                    Proposal(element="weekly-meetings", type="remove"),
                ),
            ),
        ),
        sub(
            "p2",
            Adaptations(
                intervention="maatje-erbij",
                proposals=(Proposal(element="kickoff-meeting", type="tailor"),),
            ),
        ),
    ]
    nl = present_group.adaptation_panel(NL, subs, "maatje-erbij")
    assert nl.title == NL.t("group.adapt", name=CONTENT.intervention("maatje-erbij").name("nl"))
    assert nl.totals == (
        "✓ Groen: kern en werking blijven heel: 2",
        "! Oranje: kan, overleg met de ontwikkelaar: 0",
        "✗ Rood: raakt de kern: 1",
    )
    assert nl.rows == (
        "✓ Afstemmen op de groep → Startbijeenkomst: 2 deelnemers",
        "✗ Iets weglaten → Wekelijks afspreken: 1 deelnemer",
    )
    en = present_group.adaptation_panel(EN, subs, "maatje-erbij")
    assert en.totals[0] == "✓ Green: the core and how it works stay intact: 2"
    assert en.rows[0] == "✓ Tailoring to the group → Kick-off meeting: 2 participants"
    assert present_group.adaptation_panel(EN, [], "maatje-erbij").rows == ()


def test_plan_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    # The tally itself is group's (tests/test_group.py); here: how it is shown.
    develop, know = CONTENT.phases[0].activities[0], CONTENT.phases[1].activities[0]
    subs: list[Submission] = []

    def plan_tally(given: object, content: object) -> list[tuple[str, int]]:
        assert given is subs and content is CONTENT
        return [(know.id, 3), (develop.id, 1)]

    monkeypatch.setattr(group, "plan_tally", plan_tally)
    assert present_group.plan_rows(NL, subs) == [
        present_group.PlannedActivity(know.text("nl"), 1, "3 deelnemers"),
        present_group.PlannedActivity(develop.text("nl"), 0, "1 deelnemer"),
    ]
    assert present_group.plan_rows(EN, subs)[0] == present_group.PlannedActivity(
        "Make a communication plan: target groups, message, channels and timing",
        1,
        "3 participants",
    )
