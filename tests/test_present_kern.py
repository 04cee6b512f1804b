"""Kern en schil as plain data: verdicts in words, the proposal list, the summary and the
exercise feedback, with the exact texts shown, in Dutch and English."""

from __future__ import annotations

from kit import adaptations
from kit.answers import Proposal
from kit.content import default_content
from kit.present import kern
from kit.present.texts import Texts

CONTENT = default_content()
NL = Texts(CONTENT, "nl")
EN = Texts(CONTENT, "en")
ITEM = CONTENT.intervention("maatje-erbij")
TYPES = CONTENT.adaptation_types


def judged(element: str, kind: str) -> adaptations.Judgement:
    return adaptations.judge(ITEM, element, kind, TYPES)


def test_a_red_verdict_shows_the_way_to_stay_in_the_schil() -> None:
    nl = kern.judgement_text(NL, ITEM, judged("weekly-meetings", "remove"))
    assert nl.verdict == "red"
    assert nl.label == "✗ Rood: raakt de kern"
    assert nl.reason.startswith("Zo verdwijnt de functie van een kernelement.")
    assert nl.basis == "Dit oordeel rust op: Functie valt weg, bij een kernelement."
    assert nl.overridden == ""
    assert nl.instead.startswith("Zoek de ruimte in de schil: schrap of vereenvoudig")
    assert nl.alternatives == (
        "Dezelfde aanpassing is groen bij: Startbijeenkomst, Ideeënlijst activiteiten, "
        "Onkostenbudget, Werving maatjes."
    )
    en = kern.judgement_text(EN, ITEM, judged("weekly-meetings", "remove"))
    assert en.label == "✗ Red: touches the core"
    assert en.basis == "This verdict rests on: Function lost, on a core element."
    assert en.instead.startswith("Look for room in the shell:")
    assert en.alternatives == (
        "The same adaptation is green on: Kick-off meeting, List of activity ideas, "
        "Expense budget, Recruiting buddies."
    )


def test_an_overridden_green_verdict() -> None:
    nl = kern.judgement_text(NL, ITEM, judged("buddy-training", "format"))
    assert (nl.verdict, nl.label) == ("green", "✓ Groen: kern en werking blijven heel")
    assert nl.overridden == "Voor dit element geeft de interventie zelf een afwijkend oordeel."
    assert (nl.instead, nl.alternatives) == ("", "")
    assert nl.reason.startswith("De ontwikkelaar biedt een geteste e-learning aan")
    en = kern.judgement_text(EN, ITEM, judged("buddy-training", "format"))
    assert en.overridden == "For this element the intervention itself gives a different verdict."
    assert en.basis == "This verdict rests on: Delivery format, on a core element."


def test_an_amber_verdict_has_no_way_out_and_no_override() -> None:
    en = kern.judgement_text(EN, ITEM, judged("equal-contact", "translate"))
    assert en == kern.JudgementText(
        verdict="amber",
        label="! Amber: possible, plan it with the developer",
        reason=en.reason,
        basis="This verdict rests on: Meaning in translation, on a core element.",
        overridden="",
        instead="",
        alternatives="",
        sources=kern.VerdictSources(
            note=(
                "This verdict is the kit's own judgement, written on the basis of published "
                "guidance. When in doubt, consult the developer, who knows the evidence for "
                "their intervention."
            ),
            heading="Our table of published examples has no example of this adaptation on "
            "this part.",
            lines=(),
        ),
    )
    assert en.reason.startswith("The meaning of a core element is at stake here.")


PROPOSALS = [
    Proposal(element="kickoff-meeting", type="tailor", reason="r1", goal=""),
    Proposal(element="equal-contact", type="translate", goal="g"),
    Proposal(element="matching", type="remove"),
]


def test_proposal_cards() -> None:
    nl = kern.proposal_cards(NL, ITEM, PROPOSALS)
    assert [(c.type, c.element, c.judgement.verdict, c.details) for c in nl] == [
        ("Afstemmen op de groep", "Startbijeenkomst", "green", (("Reden:", "r1"),)),
        ("Vertalen naar andere taal", "Gelijkwaardig contact", "amber", (("Doel:", "g"),)),
        ("Iets weglaten", nl[2].element, "red", ()),
    ]
    assert nl[1].judgement == kern.judgement_text(NL, ITEM, judged("equal-contact", "translate"))
    en = kern.proposal_cards(EN, ITEM, PROPOSALS)
    assert [(c.type, c.element, c.details) for c in en[:2]] == [
        ("Tailoring to the group", "Kick-off meeting", (("Reason:", "r1"),)),
        ("Translating into another language", "Contact as equals", (("Goal:", "g"),)),
    ]
    assert kern.proposal_cards(EN, ITEM, []) == []


def test_kern_summary() -> None:
    nl = kern.kern_summary(NL, ["green", "red", "amber", "green"])
    assert nl.counts == (
        "4 aanpassingen: ✓ 2 groen (de kern blijft heel) · ! 1 oranje (overleg met de "
        "ontwikkelaar) · ✗ 1 rood (raakt de kern)."
    )
    assert nl.outlook.startswith("Minstens één aanpassing raakt de kern.")
    en = kern.kern_summary(EN, ["amber"])
    assert en.counts == (
        "1 adaptation: ✓ 0 green (the core stays intact) · ! 1 amber (plan it with the "
        "developer) · ✗ 0 red (touches the core)."
    )
    assert en.outlook.startswith("The effect is probably kept, provided you plan the amber")
    assert kern.kern_summary(EN, []).outlook == (
        "Add adaptations to see what they mean for the effect."
    )
    assert kern.kern_summary(NL, ["green"]).outlook.startswith("De kern blijft heel:")


SITUATION = ITEM.situations[0]  # the training is too long: a different format is the answer


def exercise(ctx: Texts, element: str, kind: str) -> kern.ExerciseText:
    return kern.exercise_text(ctx, ITEM, adaptations.grade(ITEM, SITUATION, element, kind, TYPES))


def test_exercise_feedback() -> None:
    good = exercise(NL, "buddy-training", "format")
    assert (good.good, good.verdict, good.headline) == (True, "green", "✓ Goede keuze.")
    assert good.better == "Andere uitvoeringsvorm → Basistraining maatjes"
    red = exercise(NL, "buddy-training", "remove")
    assert (red.good, red.verdict) == (False, "red")
    assert red.headline == "✗ Pas op: deze keuze raakt de kern."
    assert red.judgement.label == "✗ Rood: raakt de kern"
    amber = exercise(NL, "equal-contact", "translate")
    assert (amber.good, amber.verdict) == (False, "amber")
    assert amber.headline == "≈ Mogelijk, maar er is een betere keuze."
    assert exercise(EN, "buddy-training", "format").headline == "✓ Good choice."
    assert exercise(EN, "buddy-training", "remove").headline == (
        "✗ Careful: this choice touches the core."
    )
    en = exercise(EN, "equal-contact", "translate")
    assert en.headline == "≈ Possible, but there is a better choice."
    assert en.better == "Different delivery format → Basic buddy training"


def test_the_diagram_puts_every_element_in_its_ring_with_its_verdicts() -> None:
    c = default_content()
    item = c.intervention("samen-sterk")
    kern_el = next(e for e in item.elements if e.part == "kern")
    proposals = [Proposal(element=kern_el.id, type="remove")]
    judgements = [adaptations.judge(item, kern_el.id, "remove", c.adaptation_types)]
    spec, alt = kern.diagram(Texts(c, "en"), item, proposals, judgements)
    assert spec["kern_label"] == "CORE" and spec["schil_label"] == "SHELL"
    assert [(name, part) for name, part, _ in spec["elements"]] == [
        (e.name("en"), e.part) for e in item.elements
    ]
    assert dict((name, marks) for name, _, marks in spec["elements"])[kern_el.name("en")] == (
        "red",
    )
    rings = {
        part: ", ".join(e.name("en") for e in item.elements if e.part == part)
        for part in ("kern", "schil")
    }
    base = c.t("kern.alt", "en", name=item.name("en"), kern=rings["kern"], schil=rings["schil"])
    assert alt.startswith(base + " ")
    assert f"{kern_el.name('en')}: ✗" in alt
    _, plain = kern.diagram(Texts(c, "nl"), item, [], [])
    assert "✗" not in plain and kern_el.name("nl") in plain


def test_the_verdict_says_where_it_comes_from() -> None:
    """Issue 19: the verdict screen says the verdict is the kit's own judgement from published
    guidance, and names each source with the colour it gives."""
    j = judged("weekly-meetings", "remove")
    nl = kern.judgement_text(NL, ITEM, j).sources
    assert nl is not None
    assert nl.note.startswith("Dit oordeel is een eigen afweging van de kit")
    names = [line.name for line in nl.lines]
    assert names == [
        "ETR FAQ: changes",
        "ETR FAQ: role play",
        "ETR FAQ: lessons",
        "Firpo-Triplett 2012",
        "Balis 2021",
        "Lezin 2012 (ETR/CDC)",
    ]
    assert nl.heading == "6 gepubliceerde bronnen over dit soort aanpassing"
    assert {line.colour for line in nl.lines} == {"✗ Rood: raakt de kern"}
    assert all(line.agrees for line in nl.lines)
    assert nl.lines[0].url.startswith("https://support.etr.org/")
    en = kern.judgement_text(EN, ITEM, j).sources
    assert en is not None and en.heading == "6 published sources on this kind of adaptation"
    assert en.note.startswith("This verdict is the kit's own judgement")


def test_a_verdict_with_no_published_example_says_so() -> None:
    j = judged("kickoff-meeting", "media")  # no published example of a shell medium
    shown = kern.judgement_text(NL, ITEM, j).sources
    assert shown is not None and shown.lines == ()
    assert shown.heading == (
        "Onze tabel met gepubliceerde voorbeelden heeft geen voorbeeld van deze aanpassing bij "
        "dit deel."
    )


def test_an_overridden_verdict_shows_where_the_source_differs() -> None:
    samen = CONTENT.intervention("samen-sterk")
    j = adaptations.judge(samen, "theme-sequence", "reorder", TYPES)
    t = kern.judgement_text(NL, samen, j)
    assert t.basis == (
        "Dit oordeel rust op: Volgorde en opbouw, bij een kernelement waarvan de volgorde de "
        "werking is."
    )
    assert t.sources is not None and t.sources.lines
    # General guidance calls another order amber; this developer calls the order core (red),
    # as the developers of Strengthening Families and Too Good do for theirs (issue 19).
    assert {line.name: line.agrees for line in t.sources.lines} == {
        "ETR FAQ: changes": False,
        "Balis 2021": False,
        "Kumpfer, SFP (slides)": True,
        "Too Good protocol": True,
    }
    # An order of habit (another kern element, amber): the sources on an order that is their
    # programme's mechanism speak of another situation and are not shown as differing.
    habit = adaptations.judge(samen, "role-play", "reorder", TYPES)
    assert habit.verdict == "amber" and not habit.mechanism
    shown = kern.judgement_text(NL, samen, habit).sources
    assert shown is not None
    assert {line.name: line.agrees for line in shown.lines} == {
        "ETR FAQ: changes": True,
        "Balis 2021": True,
    }


def test_the_diagram_shows_an_addition_outside_core_time_once_proposed() -> None:
    samen = CONTENT.intervention("samen-sterk")
    none_yet, _ = kern.diagram(NL, samen, [], [])
    assert len(none_yet["elements"]) == len(samen.elements)
    p = Proposal(element="new-outside-core", type="add")
    j = adaptations.judge(samen, p.element, p.type, TYPES)
    spec, alt = kern.diagram(NL, samen, [p], [j])
    assert spec["elements"][-1] == ("Nieuw, buiten kerntijd", "schil", ("green",))
    assert "Nieuw, buiten kerntijd: ✓" in alt
