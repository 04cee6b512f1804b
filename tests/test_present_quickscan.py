"""The Quickscan's advice and comparison as plain data: the exact texts the screen and the PDF
report show, in Dutch and English, from the kit's own content."""

from __future__ import annotations

import pytest

from kit.answers import DONT_KNOW, NOT_APPLICABLE, Mark
from kit.content import default_content
from kit.present import quickscan as present_scan
from kit.present.texts import Texts
from kit.quickscan import Answers

CONTENT = default_content()
NL = Texts(CONTENT, "nl")
EN = Texts(CONTENT, "en")
ORG = CONTENT.instrument.statements_for("organisatie")
CASE = CONTENT.case("schuldmaatjes")


def ids(phase: str) -> list[str]:
    found = [s.id for s in ORG if s.phase == phase]
    assert found, phase
    return found


#: Develop all 3, know all 0 (weak), understand all 1 (weak), want all 2, do "don't know".
BY_PHASE: dict[str, int | Mark] = {
    "ontwikkelen": 3,
    "weten": 0,
    "begrijpen": 1,
    "willen": 2,
    "doen": DONT_KNOW,
}
ANSWERS = {i: v for p, v in BY_PHASE.items() for i in ids(p)}


def advice(ctx: Texts, answers: Answers) -> present_scan.Advice:
    result = present_scan.compute(ctx, "organisatie", answers)
    return present_scan.advice(ctx, "organisatie", answers, result)


def test_phase_label() -> None:
    assert present_scan.phase_label(NL, CONTENT.phase("weten")) == "1 · Weten"
    assert present_scan.phase_label(EN, CONTENT.phases[5]) == "5 · Keep doing"


@pytest.mark.parametrize(
    ("ctx", "phase", "headline", "answer", "statement", "activity"),
    [
        (
            NL,
            "1 · Weten",
            "Begin bij fase 1 · Weten.",
            "0 · Helemaal niet",
            "Er is een communicatieplan voor de invoering - wie moet wat wanneer weten, en via "
            "welk kanaal.",
            "Maak een communicatieplan: doelgroepen, boodschap, kanalen en timing",
        ),
        (
            EN,
            "1 · Know",
            "Start with phase 1 · Know.",
            "0 · Not at all",
            "There is a communication plan for putting it into practice - who needs to know "
            "what, when, and through which channel.",
            "Make a communication plan: target groups, message, channels and timing",
        ),
    ],
)
def test_advice_starts_at_the_earliest_weak_phase(
    ctx: Texts, phase: str, headline: str, answer: str, statement: str, activity: str
) -> None:
    found = advice(ctx, ANSWERS)
    assert found.scored is True
    assert found.priority == phase
    assert found.headline == headline
    assert len(found.entries) == 5  # at most five points
    first = found.entries[0]
    assert first.phase == phase
    assert first.statement == statement
    assert first.value == 0
    assert first.scored == "score 0"
    assert first.answer == answer
    assert first.activities == (activity,)
    assert first.advice.startswith("Maak een eenvoudig schema" if ctx is NL else "Make a simple")
    assert all(e.phase == phase for e in found.entries)  # know's all-0 before understand's 1s


def test_advice_without_a_weak_phase_offers_the_mixed_points() -> None:
    answers = {i: 2 for i in ids("willen")} | {ids("willen")[0]: 1}
    found = advice(NL, answers)
    assert found.scored is True
    assert found.priority is None
    assert found.headline == "Geen fase scoort zwak. Let op de wisselende punten:"
    assert found.entries[0].phase == "3 · Willen"
    assert found.entries[0].value == 1  # the lowest first
    assert found.entries[0].answer == "1 · Een beetje"
    assert advice(EN, answers).headline == "No phase scores weak. Watch the mixed points:"


def test_advice_before_anything_is_scored() -> None:
    found = advice(EN, {ids("weten")[0]: DONT_KNOW})
    assert found == present_scan.Advice(
        False, None, "No phase scores weak. Watch the mixed points:", (), ""
    )


@pytest.mark.parametrize(
    ("ctx", "intro", "phase", "mine", "reference", "gap", "label", "reasoning"),
    [
        (
            NL,
            "Bij 1 stelling wijkt je lezing af van de referentie. Bespreek het verschil in de groep.",
            "0 · Ontwikkelen",
            "3 · Volledig",
            "0 · Helemaal niet",
            "3 stappen verschil",
            "Toelichting bij Ontwikkelen:",
            "Dit is de vroegste zwakke fase - ",
        ),
        (
            EN,
            "On 1 statement your reading differs from the reference. Discuss the difference in "
            "the group.",
            "0 · Develop",
            "3 · Fully",
            "0 · Not at all",
            "3 steps apart",
            "Reasoning for Develop:",
            "This is the earliest weak phase - ",
        ),
    ],
)
def test_comparison_with_the_reference(
    ctx: Texts,
    intro: str,
    phase: str,
    mine: str,
    reference: str,
    gap: str,
    label: str,
    reasoning: str,
) -> None:
    found = present_scan.comparison(ctx, CASE, "professional", {"pro-0-1": 3})
    assert found.status == "differs"
    assert found.intro == intro
    row = present_scan.DifferenceRow(
        "ontwikkelen", found.rows[0].statement, mine, reference, 3, gap
    )
    assert found.rows == (row,)
    (group,) = found.phases
    assert (group.phase_id, group.phase, group.mine, group.reference) == (
        "ontwikkelen",
        phase,
        "100%",
        "47%",  # the reading's 7 of 15
    )
    assert group.rows == (row,)
    assert group.justification_label == label
    assert group.justification.startswith(reasoning)


def test_comparison_statement_text() -> None:
    (row,) = present_scan.comparison(NL, CASE, "professional", {"pro-0-1": 3}).rows
    assert row.statement == (
        "Uitvoerders zoals wij hebben meegedacht over het ontwerp of de keuze van de interventie."
    )


def test_comparison_groups_by_phase_the_largest_difference_first() -> None:
    # The reading: pro-1-2 is 3, pro-0-2 is 3, pro-0-6 is 1.
    answers = {"pro-0-6": 0, "pro-1-2": 0, "pro-0-2": 1}
    found = present_scan.comparison(NL, CASE, "professional", answers)
    assert [(r.phase_id, r.gap) for r in found.rows] == [
        ("weten", 3),
        ("ontwikkelen", 2),
        ("ontwikkelen", 1),
    ]
    assert [r.gap_text for r in found.rows] == [
        "3 stappen verschil",
        "2 stappen verschil",
        "1 stap verschil",
    ]
    assert [(p.phase, [r.gap for r in p.rows]) for p in found.phases] == [
        ("1 · Weten", [3]),
        ("0 · Ontwikkelen", [2, 1]),
    ]
    assert found.intro.startswith("Bij 3 stellingen wijkt je lezing af van de referentie.")
    assert [r.mine for r in found.rows] == [
        "0 · Helemaal niet",
        "1 · Een beetje",
        "0 · Helemaal niet",
    ]


@pytest.mark.parametrize(
    ("case", "perspective", "answers", "status"),
    [
        (None, "professional", {"pro-0-1": 3}, "own"),
        (CONTENT.case("sterk-opvoeden"), "organisatie", {}, "own"),  # no organisation's reading
        (CASE, "professional", {}, "none_yet"),
        (CASE, "professional", {"pro-0-1": DONT_KNOW}, "none_yet"),
        (CASE, "professional", {"pro-0-1": 0}, "same"),
    ],
)
def test_comparison_without_differences(
    case: object, perspective: str, answers: dict[str, object], status: str
) -> None:
    found = present_scan.comparison(NL, case, perspective, answers)  # type: ignore[arg-type]
    assert found == present_scan.Comparison(status, "", (), ())


def test_factor_lines_give_mean_and_level_per_factor_group_in_the_language() -> None:
    # Users' statements 3 and 0 alternating (mean 1.5, half the scale: mixed); the rest 1.
    users = [s.id for s in ORG if s.factor == "gebruikers"]
    answers: dict[str, int | Mark] = {s.id: 1 for s in ORG}
    answers.update({sid: 3 if n % 2 == 0 else 0 for n, sid in enumerate(users)})
    if len(users) % 2:  # an odd count: the last one "don't know" (never scored) keeps it 1.5
        answers[users[-1]] = DONT_KNOW
    result = present_scan.compute(NL, "organisatie", answers)
    nl = present_scan.factor_lines(NL, result)
    assert nl[0] == "Ontwikkelaars: 1,0 — ✗ zwak"
    assert nl[1] == "Gebruikers: 1,5 — ~ wisselend"
    assert len(nl) == len(CONTENT.factors)
    en = present_scan.factor_lines(EN, result)
    assert en[1] == "Users: 1.5 — ~ mixed"
    empty = present_scan.factor_lines(EN, present_scan.compute(EN, "organisatie", {}))
    assert empty[0] == "Developers: – — ? not known yet"


def test_weak_statements_are_named_as_midi_determinants() -> None:
    """Issue 19: the advice reads in MIDI's terms (Fleuren et al. 2014), per statement and for
    the weak ones together, each determinant once."""
    found = advice(NL, ANSWERS)
    assert found.entries[0].determinant == "MIDI-determinant: Bekendheid met de inhoud (gebruiker)"
    by_text = {s.text("nl"): s for s in ORG}
    wanted = []
    for e in found.entries:
        d = CONTENT.determinant(by_text[e.statement].determinant)
        label = f"{d.name('nl')} ({NL.t(f'quickscan.midi.group.{d.group}')})"
        assert e.determinant == f"MIDI-determinant: {label}"
        if label not in wanted:
            wanted.append(label)
    assert found.midi == (
        f"In MIDI (Fleuren e.a. 2014) meten 5 zwakke stellingen de determinanten "
        f"{'; '.join(wanted)}. Zo vergelijk je de uitkomst met Nederlands implementatieonderzoek."
    )
    en = advice(EN, ANSWERS)
    assert en.entries[0].determinant == "MIDI determinant: Awareness of the content (user)"
    assert en.midi.startswith("In MIDI (Fleuren et al. 2014) 5 weak statements measure")


def test_midi_has_its_29_determinants_and_every_statement_one() -> None:
    groups = [d.group for d in CONTENT.determinants]
    assert len(groups) == 29
    assert [groups.count(g) for g in ("innovation", "user", "organisation", "context")] == [
        7,
        11,
        10,
        1,
    ]
    known = {d.id for d in CONTENT.determinants}
    assert all(s.determinant in known for s in CONTENT.instrument.statements)
    assert "Fleuren" in CONTENT.midi_source and "26(5)" in CONTENT.midi_source


def test_progress_counts_dont_know_and_not_applicable_apart() -> None:
    answers: Answers = {ids("weten")[0]: DONT_KNOW, ids("weten")[1]: NOT_APPLICABLE}
    answers |= {ids("weten")[2]: 2}
    result = present_scan.compute(NL, "organisatie", answers)
    total = len(ORG)
    assert present_scan.progress_line(NL, result) == (
        f"3 van {total} stellingen beantwoord. Weet niet: 1; niet van toepassing: 1. Die twee "
        "tellen niet mee in de score."
    )
    assert present_scan.progress_line(EN, result) == (
        f"3 of {total} statements answered. Don't know: 1; not applicable: 1. Neither counts "
        "in the score."
    )
