"""Quickscan scoring, hand-computed, and the answers file."""

from __future__ import annotations

import json
from types import SimpleNamespace as S

import pytest

from kit import quickscan
from kit.answers import DONT_KNOW, NOT_APPLICABLE, Mark, ScanAnswers
from kit.content import default_content
from kit.quickscan import AnswersFileError, Level

PHASES = ["p0", "p1", "p2"]
FACTORS = ["f", "g"]
STATEMENTS = [
    S(id="a", phase="p0", factor="f"),
    S(id="b", phase="p0", factor="g"),
    S(id="c", phase="p1", factor="f"),
    S(id="d", phase="p1", factor="g"),
    S(id="e", phase="p2", factor="f"),
]


def run(answers: dict[str, int | Mark]) -> quickscan.Result:
    return quickscan.score(STATEMENTS, answers, PHASES, FACTORS, max_value=3)


def test_hand_computed_scores() -> None:
    r = run({"a": 3, "b": 2, "c": 1, "d": DONT_KNOW, "e": 0})
    # p0: (3+2)/2 = 2.5 -> 83% strong; p1: only c scored, 1/3 = 33% weak; p2: 0 weak
    assert r.by_phase["p0"].mean == 2.5 and r.by_phase["p0"].level is Level.STRONG
    assert r.by_phase["p1"].scored == 1 and r.by_phase["p1"].dont_know == 1
    assert r.by_phase["p1"].level is Level.WEAK
    # factor f: a, c, e = (3+1+0)/3 = 1.33 -> 44% weak; g: b = 2 -> 67% mixed
    assert r.by_factor["f"].mean == pytest.approx(4 / 3) and r.by_factor["f"].level is Level.WEAK
    assert r.by_factor["g"].level is Level.MIXED
    assert r.by_cell[("p1", "g")].dont_know == 1 and r.by_cell[("p1", "g")].level is Level.UNKNOWN
    assert r.overall.scored == 4 and r.overall.dont_know == 1 and r.overall.unanswered == 0
    assert r.weak_phases == ["p1", "p2"] and r.priority == "p1"


def test_all_unanswered() -> None:
    r = run({})
    assert r.priority is None
    assert all(s.level is Level.UNKNOWN and s.mean is None for s in r.by_phase.values())
    assert r.overall.unanswered == 5
    assert quickscan.advice(STATEMENTS, {}, r) == []


def test_only_dont_know_is_unknown_not_weak() -> None:
    r = run(dict.fromkeys("abcde", DONT_KNOW))
    assert r.overall.dont_know == 5 and r.overall.scored == 0
    assert r.priority is None


def test_single_answer() -> None:
    r = run({"e": 1})
    assert r.by_phase["p2"].mean == 1 and r.by_phase["p2"].level is Level.WEAK
    assert r.by_phase["p0"].level is Level.UNKNOWN
    assert r.priority == "p2"
    assert [a.statement_id for a in quickscan.advice(STATEMENTS, {"e": 1}, r)] == ["e"]


def test_boundaries() -> None:
    # 1.5 of 3 is exactly 50%: mixed, not weak. 2.25 is exactly 75%: strong.
    assert run({"a": 1, "b": 2}).by_phase["p0"].level is Level.MIXED
    assert quickscan.level_of(2.25 / 3) is Level.STRONG


def test_advice_starts_at_earliest_weak_phase() -> None:
    answers = {"a": 3, "b": 3, "c": 0, "d": 1, "e": 0}
    r = run(answers)
    items = quickscan.advice(STATEMENTS, answers, r)
    assert [i.statement_id for i in items] == ["c", "d", "e"]


def test_advice_without_weak_phases_offers_mixed_points() -> None:
    answers = {"a": 3, "b": 3, "c": 2, "d": 1, "e": 3}  # p1 = 1.5 mixed
    items = quickscan.advice(STATEMENTS, answers, run(answers))
    assert [i.statement_id for i in items] == ["d", "c"]


def test_compare_orders_by_gap() -> None:
    diffs = quickscan.compare(
        STATEMENTS, {"a": 0, "b": 2, "c": DONT_KNOW, "e": 1}, {"a": 2, "b": 2, "c": 3, "e": 0}
    )
    assert [(d.statement_id, d.gap) for d in diffs] == [("a", 2), ("e", 1)]


def test_cells_are_scored_on_the_scale() -> None:
    r = run({"a": 3, "c": 1, "d": 2})
    assert r.by_cell[("p0", "f")].share == 1.0 and r.by_cell[("p0", "f")].level is Level.STRONG
    assert r.by_cell[("p1", "f")].level is Level.WEAK
    assert r.by_cell[("p1", "g")].level is Level.MIXED
    assert r.by_cell[("p2", "g")].total == 0


def test_advice_in_a_weak_phase_leaves_out_the_upper_half() -> None:
    answers = {"a": 3, "b": 3, "c": 0, "d": 2, "e": 3}  # p1 = 1.0: weak; d (2) is fine as it is
    items = quickscan.advice(STATEMENTS, answers, run(answers))
    assert [(i.statement_id, i.phase, i.value) for i in items] == [("c", "p1", 0)]


def test_advice_on_an_even_scale_leaves_out_the_midpoint() -> None:
    # 0-4: 2 is the middle, not the lower half; 1 is.
    answers = {"a": 4, "b": 4, "c": 2, "d": 1, "e": 4}  # p1 = 1.5 of 4: weak
    r = quickscan.score(STATEMENTS, answers, PHASES, FACTORS, max_value=4)
    assert r.weak_phases == ["p1"]
    assert [i.statement_id for i in quickscan.advice(STATEMENTS, answers, r)] == ["d"]


def test_advice_in_mixed_phases_leaves_out_the_top() -> None:
    answers = {"a": 3, "b": 3, "c": 3, "d": 0, "e": 3}  # p1 = 1.5: mixed, no weak phase
    items = quickscan.advice(STATEMENTS, answers, run(answers))
    assert [i.statement_id for i in items] == ["d"]


def test_advice_offers_five_by_default() -> None:
    many = [S(id=str(i), phase="p0", factor="f") for i in range(8)]
    answers = {str(i): i % 2 for i in range(8)}  # 0, 1, 0, 1, ...: weak
    r = quickscan.score(many, answers, ["p0"], ["f"], max_value=3)
    items = quickscan.advice(many, answers, r)
    assert [i.statement_id for i in items] == ["0", "2", "4", "6", "1"]  # lowest first
    assert len(quickscan.advice(many, answers, r, limit=8)) == 8


@pytest.mark.parametrize(
    ("case_id", "perspective", "weakest"),
    [
        ("buurtkracht", "organisatie", "blijven-doen"),
        ("sterk-opvoeden", "ontwikkelaar", "weten"),
        ("schuldmaatjes", "organisatie", "begrijpen"),
        # The professionals' readings. Buurtkracht: the know-how leaves with one coordinator and
        # nobody knows what happens after the grant. Sterk Opvoeden: youth workers outside the
        # developer's network never hear of it, as in the developer's own reading. Schuldmaatjes:
        # the social workers were left out of the choice, and nobody weighed the time their role
        # asks - earlier than the organisation's reading (begrijpen) shows.
        ("buurtkracht", "professional", "blijven-doen"),
        ("sterk-opvoeden", "professional", "weten"),
        ("schuldmaatjes", "professional", "ontwikkelen"),
    ],
)
def test_case_references_point_to_different_phases(
    case_id: str, perspective: str, weakest: str
) -> None:
    c = default_content()
    reading = c.case(case_id).reference_for(perspective)
    assert reading is not None
    r = quickscan.score(
        c.instrument.statements_for(perspective),
        quickscan.reference_answers(reading.answers),
        [p.id for p in c.phases],
        [f.id for f in c.factors],
        c.instrument.max_value,
    )
    assert r.priority == weakest


def test_professional_reading_of_schuldmaatjes_by_hand() -> None:
    # Phase 0 from the social workers' seat: pro-0-1 0 (not involved), pro-0-2 3 (fits the
    # analysis), pro-0-3 don't know, pro-0-4 0 (no time weighed), pro-0-5 3 (in municipal
    # policy), pro-0-6 1 (clashes with how they see their profession): 7 / 5 = 1.4 of 3, 47%.
    c = default_content()
    reading = c.case("schuldmaatjes").reference_for("professional")
    assert reading is not None
    mine = [s for s in c.instrument.statements_for("professional") if s.phase == "ontwikkelen"]
    phase0 = quickscan.score_group(mine, quickscan.reference_answers(reading.answers), 3)
    assert (phase0.scored, phase0.dont_know, phase0.points) == (5, 1, 7)
    assert phase0.level is Level.WEAK


def test_instrument_shape() -> None:
    c = default_content()
    assert [p.id for p in c.instrument.perspectives] == [
        "ontwikkelaar",
        "organisatie",
        "professional",
    ]
    counts = {"ontwikkelaar": 35, "organisatie": 37, "professional": 35}
    for perspective, n in counts.items():
        mine = c.instrument.statements_for(perspective)
        assert len(mine) == n
        for phase in c.phases:  # every phase x factor cell has a statement
            assert {s.factor for s in mine if s.phase == phase.id} == {f.id for f in c.factors}
    professional = c.instrument.statements_for("professional")
    assert [sum(s.phase == p.id for s in professional) for p in c.phases] == [6, 5, 6, 6, 6, 6]
    assert all(s.id.startswith("pro-") for s in professional)
    assert c.instrument.version == "3.1"


# ----------------------------------------------------------------------- answers file

INST = default_content().instrument


def parse(raw: str | bytes) -> ScanAnswers:
    return quickscan.parse_answers(
        raw, INST.version, INST.statements, [p.id for p in INST.perspectives], INST.max_value
    )


def test_answers_roundtrip() -> None:
    scan = ScanAnswers(
        perspective="organisatie", case="buurtkracht", values={"org-0-1": 2, "org-1-1": DONT_KNOW}
    )
    text = quickscan.dump_answers(INST.version, scan, "2026-11-24T10:00")
    assert json.loads(text)["answers"] == {"org-0-1": 2, "org-1-1": None}  # files as before
    assert parse(text) == scan


def _doc(**change: object) -> str:
    scan = ScanAnswers(perspective="organisatie", values={"org-0-1": 2})
    doc = json.loads(quickscan.dump_answers(INST.version, scan, "x"))
    doc.update(change)
    return json.dumps(doc)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\xff\xfe not utf8", "not-json"),
        ("{not json", "not-json"),
        ("[1, 2]", "not-ours"),
        (_doc(kind="something-else"), "not-ours"),
        (_doc(instrument_version="0.9"), "other-version"),
        (_doc(perspective="minister"), "malformed"),
        (_doc(answers=[1, 2]), "malformed"),
        (_doc(case=5), "malformed"),
        (_doc(answers={"ont-0-1": 2}), "unknown-statement"),
        (_doc(answers={"org-0-1": 9}), "bad-value"),
        (_doc(answers={"org-0-1": True}), "bad-value"),
        (_doc(answers={"org-0-1": "2"}), "bad-value"),
        ("[" * 100_000 + "]" * 100_000, "not-json"),  # nested deeper than the parser goes
        ('{"n": ' + "9" * 5000 + "}", "not-json"),  # an integer too long to convert
        (" " * 1_000_001, "too-large"),
        (_doc(case="x" * 200), "malformed"),
    ],
)
def test_bad_answers_files(raw: str | bytes, reason: str) -> None:
    with pytest.raises(AnswersFileError) as raised:
        parse(raw)
    assert str(raised.value) == reason


def test_a_file_saved_before_a_minor_wording_change_still_loads() -> None:
    """Yesterday's file (instrument 3.0) loads in today's 3.1; a file of another major version is
    refused, with the file's own version named nowhere but its reason."""
    major, minor = INST.version.split(".")
    older = f"{major}.{int(minor) - 1}" if int(minor) else f"{major}.0"
    assert parse(_doc(instrument_version=older)).values == {"org-0-1": 2}
    for other in (f"{int(major) - 1}.{minor}", f"{int(major) + 1}.0", major, 3.1, None):
        with pytest.raises(AnswersFileError, match="other-version"):
            parse(_doc(instrument_version=other))


def test_answers_files_accept_the_ends_of_the_scale() -> None:
    loaded = parse(
        _doc(answers={"org-0-1": 0, "org-0-2": 3, "org-0-3": None, "org-0-4": "not_applicable"})
    )
    assert loaded.perspective == "organisatie"
    assert loaded.values == {
        "org-0-1": 0,
        "org-0-2": 3,
        "org-0-3": DONT_KNOW,
        "org-0-4": NOT_APPLICABLE,
    }
    for value in (-1, 4):
        with pytest.raises(AnswersFileError, match="bad-value"):
            parse(_doc(answers={"org-0-1": value}))


def test_answers_files_keep_text_readable() -> None:
    text = quickscan.dump_answers(
        INST.version, ScanAnswers(perspective="organisatie"), "24 nov – 10:00"
    )
    assert '"saved": "24 nov – 10:00"' in text  # not \u2013: the file stays readable


def test_answers_files_are_utf8() -> None:
    """The kit writes UTF-8; a file re-saved as UTF-16 is refused, not guessed at."""
    with pytest.raises(AnswersFileError, match="not-json"):
        parse(_doc().encode("utf-16"))
    assert parse(_doc().encode("utf-8")).perspective == "organisatie"


def test_statements_without_a_perspective_belong_to_every_perspective() -> None:
    text = _doc(answers={"a": 1})
    loaded = quickscan.parse_answers(text, INST.version, STATEMENTS, ["organisatie"], 3)
    assert loaded.perspective == "organisatie"
    with pytest.raises(AnswersFileError, match="unknown-statement"):
        quickscan.parse_answers(
            _doc(answers={"z": 1}), INST.version, STATEMENTS, ["organisatie"], 3
        )


def test_not_applicable_leaves_the_statement_out_and_is_not_a_gap() -> None:
    """ "Weet niet" is a gap in what the team knows; "n.v.t." takes the statement out."""
    r = run({"a": 3, "b": NOT_APPLICABLE, "c": DONT_KNOW})
    p0 = r.by_phase["p0"]
    assert (p0.scored, p0.dont_know, p0.not_applicable, p0.answered) == (1, 0, 1, 2)
    assert p0.mean == 3.0 and p0.level is Level.STRONG  # n.v.t. neither lowers nor raises
    assert r.overall.unanswered == r.overall.total - 3
    scan = ScanAnswers(perspective="organisatie", values={"org-0-1": NOT_APPLICABLE})
    doc = json.loads(quickscan.dump_answers(INST.version, scan, "x"))
    assert doc["answers"] == {"org-0-1": "not_applicable"}
    assert parse(json.dumps(doc)) == scan
