"""The answers contract: one typed record per exercise answer, stored as versioned JSON, with the
records saved before versioning migrated."""

from __future__ import annotations

import json

import pytest

from kit import answers
from kit.answers import (
    DONT_KNOW,
    ActivityPick,
    Adaptations,
    Module,
    PhaseGuess,
    Proposal,
    RecordError,
    ScanAnswers,
)
from kit.content import default_content
from kit.quickscan import FileProblem
from kit.sessions import Problem

RECORDS = [
    ScanAnswers(perspective="organisatie", values={"org-0-1": 3, "org-0-2": DONT_KNOW}),
    ScanAnswers(perspective="ontwikkelaar", case="sterk-opvoeden", values={}),
    PhaseGuess(scenario="wijkteam", first=2, last=3),
    ActivityPick(scenario="wijkteam", activities=("a1", "a2")),
    Adaptations(
        intervention="samen-sterk",
        proposals=(
            Proposal(element="e1", type="tailor", reason="=1+1", date="2026-11-25"),
            Proposal(element="e2", type="remove", planned=False, date="2026-11-25"),
        ),
    ),
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.kind)
def test_a_record_comes_back_as_it_was_stored(record: answers.Record) -> None:
    stored = answers.dump(record)
    assert json.loads(stored)["v"] == answers.VERSION == 2
    assert answers.load(*record.key, stored) == record


#: What the apps stored before records were versioned (version 1), and what it means now.
VERSION_1 = [
    (
        ("quickscan", "organisatie:__own__", '{"org-0-1": 2, "org-0-2": null}'),
        ScanAnswers(perspective="organisatie", values={"org-0-1": 2, "org-0-2": DONT_KNOW}),
    ),
    (
        ("quickscan", "ontwikkelaar:sterk-opvoeden", "{}"),
        ScanAnswers(perspective="ontwikkelaar", case="sterk-opvoeden"),
    ),
    (("phases", "wijk", '{"first": 1, "last": 4}'), PhaseGuess(scenario="wijk", first=1, last=4)),
    (("phases", "wijk", '{"first": 1}'), PhaseGuess(scenario="wijk", first=1, last=1)),
    (
        ("phases", "fit:wijk", '{"activities": ["x"]}'),
        ActivityPick(scenario="wijk", activities=("x",)),
    ),
    (
        ("kern", "samen-sterk", '[{"element": "e", "type": "t", "date": "2026-01-02"}]'),
        Adaptations(
            intervention="samen-sterk",
            proposals=(Proposal(element="e", type="t", date="2026-01-02"),),
        ),
    ),
]


@pytest.mark.parametrize(("row", "expected"), VERSION_1)
def test_version_1_answers_are_migrated(row: tuple[str, str, str], expected: object) -> None:
    assert answers.load(*row) == expected


@pytest.mark.parametrize(
    ("row", "why"),
    [
        (("quickscan", "organisatie:__own__", '{"org-0-1": true}'), "version 1"),
        (("quickscan", "organisatie:__own__", '{"org-0-1": -1}'), "version 1"),
        (("quickscan", "organisatie:__own__", '{"org-0-1": "unset"}'), "version 1"),
        (("phases", "wijk", '{"chosen": 1}'), "version 1"),
        (("kern", "samen-sterk", '[{"element": "e", "type": "t", "extra": 1}]'), "version 1"),
        (("agenda", "x", "{}"), "version 1"),
        (("phases", "wijk", "{not json"), "not JSON"),
        (("phases", "wijk", "[" * 50_000 + "]" * 50_000), "not JSON"),
        (("phases", "wijk", " " * (answers.MAX_CHARS + 1)), "too large"),
        (("phases", "wijk", '{"v": 2, "kind": "phase", "scenario": "wijk"}'), "not a valid"),
        (("phases", "wijk", '{"v": 2, "kind": "dance", "scenario": "wijk"}'), "not a valid"),
        # A record stored under another key is not silently taken for this one.
        (("phases", "wijk", answers.dump(PhaseGuess(scenario="dorp", first=1, last=1))), "wrong"),
        (("kern", "wijk", answers.dump(PhaseGuess(scenario="wijk", first=1, last=1))), "wrong"),
    ],
)
def test_what_is_not_a_record_is_refused(row: tuple[str, str, str], why: str) -> None:
    with pytest.raises(RecordError, match=why):
        answers.load(*row)


def test_records_are_keyed_by_exercise() -> None:
    keys = [r.key for r in RECORDS]
    assert keys == [
        (Module.QUICKSCAN, "organisatie:__own__"),
        (Module.QUICKSCAN, "ontwikkelaar:sterk-opvoeden"),
        (Module.PHASES, "wijkteam"),
        (Module.PHASES, "fit:wijkteam"),  # both phase exercises on one scenario: two records
        (Module.KERN, "samen-sterk"),
    ]


def test_answering_a_scan_makes_a_new_record() -> None:
    scan = ScanAnswers(perspective="organisatie", values={"a": 1})
    changed = scan.answer("b", DONT_KNOW).answer("a", None)
    assert changed.values == {"b": DONT_KNOW} and scan.values == {"a": 1}
    assert changed.file_values() == {"b": None}


def test_a_scale_value_is_a_whole_number() -> None:
    for bad in (True, -1, 1.5, "2"):
        with pytest.raises(ValueError):
            ScanAnswers(perspective="p", values={"a": bad})


@pytest.mark.parametrize("problem", list(Problem) + list(FileProblem))
def test_every_problem_has_a_message_in_both_languages(problem: Problem | FileProblem) -> None:
    c = default_content()
    for lang in ("nl", "en"):
        text = c.t(problem.text_key, lang, version="1.0")
        assert text and text != problem.text_key
