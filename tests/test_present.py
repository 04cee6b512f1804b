"""The presentation layer: the exact labels, chart data and alt texts the screens and reports show,
in Dutch and English, from the kit's own content."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from kit import adaptations, group, quickscan
from kit.answers import DONT_KNOW, NOT_APPLICABLE
from kit.content import default_content
from kit.present import group as present_group
from kit.present import kern
from kit.present import quickscan as present_scan
from kit.present.texts import Texts
from kit.quickscan import Level

CONTENT = default_content()
NL = Texts(CONTENT, "nl")
EN = Texts(CONTENT, "en")
PHASE_IDS = [p.id for p in CONTENT.phases]
FACTOR_IDS = [f.id for f in CONTENT.factors]

ORG = CONTENT.instrument.statements_for("organisatie")


def ids(phase: str, factor: str | None = None) -> list[str]:
    """The organisation's statements in a phase (and factor group); fails on an empty cell."""
    found = [s.id for s in ORG if s.phase == phase and factor in (None, s.factor)]
    assert found, (phase, factor)
    return found


#: An organisation's scan, phase by phase: all 3 (100 %), all 0, all 1 (33 %), all 2 (67 %),
#: all "don't know", nothing answered.
BY_PHASE = {"ontwikkelen": 3, "weten": 0, "begrijpen": 1, "willen": 2, "doen": DONT_KNOW}
ANSWERS = {i: v for p, v in BY_PHASE.items() for i in ids(p)}


def test_texts_fill_in_the_language_and_values() -> None:
    assert NL.t("quickscan.level.weak") == "zwak"
    assert EN.t("quickscan.level.weak") == "weak"
    assert EN.t("quickscan.alt.grid", weak="X").endswith("Weak cells: X.")
    assert NL.t("quickscan.alt.grid", weak="X").endswith("Zwakke cellen: X.")


# --------------------------------------------------------------------------- quickscan


@pytest.mark.parametrize(
    ("level", "nl", "en"),
    [
        (Level.WEAK, "✗ zwak", "✗ weak"),
        (Level.MIXED, "~ wisselend", "~ mixed"),
        (Level.STRONG, "✓ sterk", "✓ strong"),
        (Level.UNKNOWN, "? nog onbekend", "? not known yet"),
    ],
)
def test_level_text_has_a_symbol_and_a_word(level: Level, nl: str, en: str) -> None:
    assert present_scan.level_text(NL, level) == nl
    assert present_scan.level_text(EN, level) == en


def test_compute_scores_the_perspectives_statements_in_content_order() -> None:
    developer = CONTENT.instrument.statements_for("ontwikkelaar")[0].id
    answers = {ids("ontwikkelen")[0]: 3, ids("weten")[0]: 0, developer: 0}
    r = present_scan.compute(NL, "organisatie", answers)
    assert list(r.by_phase) == PHASE_IDS
    assert list(r.by_factor) == FACTOR_IDS
    assert list(r.by_cell)[:2] == [("ontwikkelen", FACTOR_IDS[0]), ("ontwikkelen", FACTOR_IDS[1])]
    assert r.overall.total == len(ORG)  # the organisation's statements only
    assert r.overall.scored == 2  # the developer's statement is not part of this scan
    assert r.by_phase["ontwikkelen"].share == 1.0  # 3 of a maximum of 3
    assert r.by_phase["weten"].share == 0.0
    assert r.priority == "weten"


def test_phase_chart_rows_labels_and_alt_text() -> None:
    spec, alt = present_scan.phase_chart(NL, present_scan.compute(NL, "organisatie", ANSWERS))
    assert spec["rows"] == [
        ("0 Ontwikkelen", 1.0, "strong", "✓ sterk"),
        ("1 Weten", 0.0, "weak", "✗ zwak"),
        ("2 Begrijpen", pytest.approx(1 / 3), "weak", "✗ zwak"),
        ("3 Willen", pytest.approx(2 / 3), "mixed", "~ wisselend"),
        ("4 Doen", None, "unknown", "? nog onbekend"),
        ("5 Blijven doen", None, "unknown", "? nog onbekend"),
    ]
    assert spec["xlabel"] == "Gemiddelde score als % van het maximum"
    assert spec["reference"] is None
    assert spec["reference_label"] == "◆ referentie"
    assert spec["zone_labels"] == ["zwak", "wisselend", "sterk"]
    assert alt == (
        "Staafdiagram met de score per fase. 0 Ontwikkelen: 100% ✓ sterk; 1 Weten: 0% ✗ zwak; "
        "2 Begrijpen: 33% ✗ zwak; 3 Willen: 67% ~ wisselend; 4 Doen: – ? nog onbekend; "
        "5 Blijven doen: – ? nog onbekend"
    )


def test_phase_chart_in_english_with_the_reference() -> None:
    mine = present_scan.compute(EN, "organisatie", ANSWERS)
    reference = present_scan.compute(
        EN, "organisatie", {ids("weten")[0]: 3, ids("begrijpen")[0]: 0}
    )
    spec, alt = present_scan.phase_chart(EN, mine, reference)
    assert spec["reference"] == [None, 1.0, 0.0, None, None, None]
    assert spec["reference_label"] == "◆ reference"
    assert spec["xlabel"] == "Average score as % of the maximum"
    assert spec["zone_labels"] == ["weak", "mixed", "strong"]
    assert spec["rows"][5] == ("5 Keep doing", None, "unknown", "? not known yet")
    assert alt.startswith("Bar chart of the score per phase. 0 Develop: 100% ✓ strong; 1 Know: 0%")


def test_grid_chart_cells_labels_and_weak_cells() -> None:
    cells_given = {
        ("ontwikkelen", "gebruikers"): 3,
        ("weten", "organisatie"): 0,
        ("begrijpen", "context"): 1,
        ("willen", "organisatie"): 2,
        ("doen", "organisatie"): DONT_KNOW,
        ("doen", "context"): NOT_APPLICABLE,
    }
    answers = {i: v for (p, f), v in cells_given.items() for i in ids(p, f)}
    ids("blijven-doen", "context")  # a cell with statements, none answered
    result = present_scan.compute(NL, "organisatie", answers)
    spec, alt = present_scan.grid_chart(NL, result)
    assert spec["row_labels"] == [
        "0 Ontwikkelen",
        "1 Weten",
        "2 Begrijpen",
        "3 Willen",
        "4 Doen",
        "5 Blijven doen",
    ]
    assert spec["col_labels"] == [
        "Ontwikkelaars",
        "Gebruikers",
        "Organisatie",
        "Context",
        "Interventie",
    ]
    cells = {
        (p, f): spec["cells"][i][j]
        for i, p in enumerate(PHASE_IDS)
        for j, f in enumerate(FACTOR_IDS)
    }
    assert cells[("ontwikkelen", "gebruikers")] == (1.0, "strong", "✓ 3,0")
    assert cells[("weten", "organisatie")] == (0.0, "weak", "✗ 0,0")
    assert cells[("begrijpen", "context")] == (pytest.approx(1 / 3), "weak", "✗ 1,0")
    assert cells[("willen", "organisatie")] == (pytest.approx(2 / 3), "mixed", "~ 2,0")
    # A statement is there, nothing scored: "don't know", not applicable, or not answered yet.
    assert cells[("doen", "organisatie")] == (None, "unknown", "?")
    assert cells[("doen", "context")] == (None, "unknown", "n.v.t.")
    assert cells[("blijven-doen", "context")] == (None, "unknown", "–")
    meaning = {
        (p, f): cell.meaning
        for p, row in zip(PHASE_IDS, present_scan.grid_cells(NL, result), strict=True)
        for f, cell in zip(FACTOR_IDS, row, strict=True)
    }
    assert meaning[("doen", "organisatie")] == "alleen 'weet niet'"
    assert meaning[("doen", "context")] == "niet van toepassing"
    assert meaning[("blijven-doen", "context")] == "nog niet beantwoord"
    assert meaning[("weten", "organisatie")] == "✗ zwak"
    assert alt == (
        "Raster van fasen tegen factorgroepen met per cel de gemiddelde score. "
        "Zwakke cellen: Weten × Organisatie, Begrijpen × Context."
    )
    _, alt = present_scan.grid_chart(EN, present_scan.compute(EN, "organisatie", answers))
    assert alt.endswith("Weak cells: Know × Organisation, Understand × Context.")


def test_grid_chart_cell_without_statements_is_blank_and_no_weak_cells_is_a_dash() -> None:
    # content with statements only in phase 0: the other cells have nothing to score
    statements = [s for s in ORG if s.phase == "ontwikkelen"]
    answers = dict.fromkeys(ids("ontwikkelen", "gebruikers"), 3)
    top = CONTENT.instrument.max_value
    result = quickscan.score(statements, answers, PHASE_IDS, FACTOR_IDS, top)
    spec, alt = present_scan.grid_chart(EN, result)
    users, developers = FACTOR_IDS.index("gebruikers"), FACTOR_IDS.index("ontwikkelaars")
    assert spec["cells"][1] == [(None, "unknown", "")] * len(FACTOR_IDS)
    assert spec["cells"][0][users] == (1.0, "strong", "✓ 3.0")
    ids("ontwikkelen", "ontwikkelaars")
    assert spec["cells"][0][developers] == (None, "unknown", "–")  # not answered yet
    assert spec["col_labels"][0] == "Developers" and spec["row_labels"][5] == "5 Keep doing"
    assert alt == (
        "Grid of phases against factor groups with the average score in each cell. Weak cells: —."
    )


# --------------------------------------------------------------------------- group


def test_scan_chart_spec_rows_per_phase() -> None:
    points = {p: {} for p in PHASE_IDS} | {
        "ontwikkelen": {"a": 1.0, "b": None, "c": 0.5},
        "weten": {"a": None},
    }
    g = group.QuickscanGroup(points=points, answers={}, reference={"ontwikkelen": 0.75})
    spec = present_group.scan_chart_spec(NL, g)
    assert spec["rows"][0] == ("0 Ontwikkelen", [1.0, 0.5], 0.75)  # "don't know" left out
    assert spec["rows"][1] == ("1 Weten", [], None)
    assert [r[0] for r in spec["rows"]][2:] == [
        "2 Begrijpen",
        "3 Willen",
        "4 Doen",
        "5 Blijven doen",
    ]
    assert spec["xlabel"] == "Gemiddelde score als % van het maximum"
    assert spec["median_label"] == "mediaan"
    assert spec["reference_label"] == "referentie van de casus"
    en = present_group.scan_chart_spec(EN, g)
    assert en["rows"][5] == ("5 Keep doing", [], None)
    assert (en["median_label"], en["reference_label"]) == ("median", "the case's reference")


def test_tally_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    # The tally itself is group's (tests/test_group.py); here: how it is shown.
    tallies = [
        group.PhaseTally("mail-die-niemand-las", {2: 1, 1: 3, 0: 2}, 3, 6),
        group.PhaseTally("trekker-gaat-met-pensioen", {5: 1}, 1, 1),
    ]
    subs: list[object] = []

    def phase_tally(given: object, content: object) -> list[group.PhaseTally]:
        assert given is subs and content is CONTENT
        return tallies

    monkeypatch.setattr(group, "phase_tally", phase_tally)
    assert present_group.tally_rows(NL, subs) == [
        ("Een mail die niemand las", "✓ 3/6", "1 · Weten", "0: 2×, 1: 3×, 2: 1×"),
        (CONTENT.scenarios[-1].title("nl"), "✓ 1/1", "5 · Blijven doen", "5: 1×"),
    ]
    assert present_group.tally_rows(EN, subs)[0][:3] == (
        "An email nobody read",
        "✓ 3/6",
        "1 · Know",
    )


# --------------------------------------------------------------------------- kern en schil


@pytest.mark.parametrize(
    ("verdict", "nl", "en"),
    [
        (
            "green",
            "✓ Groen: kern en werking blijven heel",
            "✓ Green: the core and how it works stay intact",
        ),
        (
            "amber",
            "! Oranje: kan, overleg met de ontwikkelaar",
            "! Amber: possible, plan it with the developer",
        ),
        ("red", "✗ Rood: raakt de kern", "✗ Red: touches the core"),
    ],
)
def test_verdict_label(verdict: str, nl: str, en: str) -> None:
    assert kern.verdict_label(NL, verdict) == nl
    assert kern.verdict_label(EN, verdict) == en


def test_proposal_defaults() -> None:
    p = kern.Proposal(element="kickoff-meeting", type="tailor")
    assert (p.reason, p.goal, p.when, p.planned, p.who, p.level) == (
        "",
        "",
        "implementation",
        True,
        "team",
        "group",
    )
    assert p.date == dt.date.today().isoformat()


def test_to_log_entries_in_frame_terms() -> None:
    item = CONTENT.intervention("maatje-erbij")
    proposals = [
        kern.Proposal(
            element="kickoff-meeting", type="tailor", reason="r1", goal="g1", date="2026-11-24"
        ),
        kern.Proposal(
            element="weekly-meetings",
            type="remove",
            when="sustainment",
            planned=False,
            who="coordinator",
            level="individual",
            date="2026-11-25",
        ),
        kern.Proposal(element="equal-contact", type="translate", date="2026-11-26"),
    ]
    log = kern.to_log(NL, item, proposals)
    first, second, third = log
    assert first == kern.LogEntry(
        date="2026-11-24",
        when="implementation",
        planned=True,
        who="team",
        element="Startbijeenkomst",
        what="content",  # a method is part of the content in FRAME
        level="group",
        type="Afstemmen op de groep",
        frame_type="tailoring",
        verdict="green",
        reason="r1",
        goal="g1",
    )
    assert second == kern.LogEntry(
        date="2026-11-25",
        when="sustainment",
        planned=False,
        who="coordinator",
        element="Wekelijks afspreken",
        what="context",  # conditions
        level="individual",
        type="Iets weglaten",
        frame_type="removing",
        verdict="red",
        reason="",
        goal="",
    )
    assert (third.element, third.what, third.type, third.verdict) == (
        "Gelijkwaardig contact",
        "content",
        "Vertalen naar andere taal",
        "amber",
    )
    en = kern.to_log(EN, item, proposals[:1])
    assert (en[0].element, en[0].type) == ("Kick-off meeting", "Tailoring to the group")


def test_basis_label_names_the_aspect_and_the_part() -> None:
    item = CONTENT.intervention("maatje-erbij")
    translated = adaptations.judge(item, "equal-contact", "translate", CONTENT.adaptation_types)
    assert kern.basis_label(NL, translated) == (
        "Dit oordeel rust op: Betekenis in vertaling, bij een kernelement."
    )
    assert kern.basis_label(EN, translated) == (
        "This verdict rests on: Meaning in translation, on a core element."
    )
    tailored = adaptations.judge(item, "kickoff-meeting", "tailor", CONTENT.adaptation_types)
    assert (
        kern.basis_label(NL, tailored) == "Dit oordeel rust op: Oppervlakte, bij een schilelement."
    )
    assert kern.basis_label(NL, dataclasses.replace(tailored, aspect=None)) == ""
