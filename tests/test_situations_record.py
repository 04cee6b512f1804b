"""The kern-en-schil situations leave a record like every other exercise (issue 25 §3): the
record and its stored JSON, the app that saves it on every check and shows it again on a
rebuilt screen (the feedback held back while a homework session holds the answers), the
answers CSV, the homework scores and the dashboard's "has answered"."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import ipywidgets as w
import pytest
from pydantic import ValidationError

from kit import answers, homework
from kit.answers import Record, SituationAnswer, SituationChoice
from kit.apps.common import Ctx, Status
from kit.apps.kern_app import build_kern
from kit.content import default_content
from kit.group import Memory
from kit.present.group import answer_rows, joined_names
from kit.present.homework import class_view, scores
from kit.present.texts import Texts
from kit.storage import Store
from kit.storage.records import Submission
from tests.test_apps import find

C = default_content()
ITEM = C.intervention("samen-sterk")
SIT = next(s for s in ITEM.situations if s.id == "venue-renovation")
GOOD = SituationChoice(element="venue-time", type="setting")  # the situation's good answer
RED = SituationChoice(element="ten-sessions", type="remove")  # a kern element taken out
AT = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)


def answer(first: SituationChoice, last: SituationChoice, situation: str = SIT.id) -> Record:
    return SituationAnswer(intervention=ITEM.id, situation=situation, first=first, last=last)


# --------------------------------------------------------------------------- the record


def test_the_record_round_trips_under_its_key() -> None:
    record = answer(RED, GOOD)
    assert record.key == ("kern", "situation:samen-sterk:venue-renovation")
    stored = answers.dump(record)
    assert json.loads(stored)["kind"] == "situation" and json.loads(stored)["v"] == 2
    assert answers.load("kern", record.item, stored) == record
    assert stored == (
        '{"first": {"element": "ten-sessions", "type": "remove"}, "intervention": "samen-sterk", '
        '"kind": "situation", "last": {"element": "venue-time", "type": "setting"}, '
        '"situation": "venue-renovation", "v": 2}'
    )
    # It does not collide with the intervention's adaptations (item = the intervention's id).
    assert record.item != ITEM.id


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"intervention": "samen-sterk"', '"intervention": "samen-sterk:x"'),  # a ':' in an id
        ('"situation": "venue-renovation"', '"situation": "' + "v" * 51 + '"'),  # too long
        ('"situation": "venue-renovation"', '"situation": "<script>"'),
        ('"element": "ten-sessions"', '"element": "' + "e" * 81 + '"'),
        ('"type": "setting"', '"type": ""'),
        ('"kind": "situation"', '"kind": "situation", "extra": 1'),
    ],
)
def test_a_hostile_or_oversized_value_is_refused(old: str, new: str) -> None:
    record = answer(RED, GOOD)
    stored = answers.dump(record)
    assert old in stored
    with pytest.raises(answers.RecordError):
        answers.load("kern", record.item, stored.replace(old, new, 1))


def test_a_record_stored_under_another_key_is_refused() -> None:
    stored = answers.dump(answer(GOOD, GOOD))
    with pytest.raises(answers.RecordError, match="wrong key"):
        answers.load("kern", "situation:samen-sterk:arabic-parents", stored)
    with pytest.raises(answers.RecordError):
        answers.load("kern", "samen-sterk", stored)  # the adaptations' item
    with pytest.raises(ValidationError):
        SituationAnswer(intervention="a" * 51, situation=SIT.id, first=GOOD, last=GOOD)


# --------------------------------------------------------------------------- the app


def exercise(memory: Memory, lang: str = "nl") -> w.Widget:
    """The Kern-en-schil app on Samen Sterk with the situations tab open."""
    box = build_kern(Ctx(C, lang, Status(), memory))
    box.view.intervention.value = ITEM.id
    box.children[-1].selected_index = 1  # the exercise tab is built when opened
    return box


def choose(box: w.Widget, situation: str, choice: SituationChoice) -> None:
    find(box, "kit-situation-choice").value = situation
    find(box, "kit-situation-element").value = choice.element
    find(box, "kit-situation-kind").value = choice.type
    find(box, "kit-check-situation").click()


def test_the_app_saves_on_every_check_and_restores_on_a_rebuilt_screen() -> None:
    kept: list[Record] = []
    memory = Memory(keeper=kept.append)  # her own store when no session is joined
    box = exercise(memory)
    choose(box, SIT.id, RED)
    assert memory.find(SituationAnswer, situation=SIT.id) == answer(RED, RED)
    assert kept == [answer(RED, RED)]
    feedback = find(box, "kit-situation-feedback").value
    assert C.t("kern.exercise.red", "nl") in feedback
    assert (
        C.t("kern.exercise.score", "nl", good=0, done=1) in find(box, "kit-situation-score").value
    )
    # A second try: the first choice stays (it counts for the score), the last is the new one.
    choose(box, SIT.id, GOOD)
    assert memory.find(SituationAnswer, situation=SIT.id) == answer(RED, GOOD)
    assert kept[-1] == answer(RED, GOOD) and len(kept) == 2
    assert C.t("kern.exercise.good", "nl") in find(box, "kit-situation-feedback").value
    # Another situation, then back: the rebuilt screen (a reload, the next day, another
    # language) opens on her last choice with its feedback and her score.
    other = ITEM.situations[0]
    choose(
        box,
        other.id,
        SituationChoice(**{"element": other.good[0].element, "type": other.good[0].type}),
    )
    again = exercise(memory, "en")
    find(again, "kit-situation-choice").value = SIT.id
    assert find(again, "kit-situation-element").value == GOOD.element
    assert find(again, "kit-situation-kind").value == GOOD.type
    assert C.t("kern.exercise.good", "en") in find(again, "kit-situation-feedback").value
    assert (
        C.t("kern.exercise.score", "en", good=1, done=2) in find(again, "kit-situation-score").value
    )


def test_while_homework_holds_the_answers_the_choice_is_saved_and_the_verdict_waits() -> None:
    from kit.apps.homework_bar import _open_gate

    memory = Memory()
    memory.view["link.reference"] = False  # a homework session before its release
    box = exercise(memory)
    choose(box, SIT.id, RED)
    assert memory.find(SituationAnswer, situation=SIT.id) == answer(RED, RED)
    feedback = find(box, "kit-situation-feedback").value
    assert C.t("kern.situation.held", "nl") in feedback
    assert C.t("kern.exercise.red", "nl") not in feedback and SIT.debrief("nl") not in feedback
    score = find(box, "kit-situation-score").value
    assert C.t("kern.situation.held_count", "nl", n=1) in score
    # The teacher's release opens the page's gate: the verdict and the score show, no reload.
    _open_gate(Ctx(C, "nl", Status(), memory))
    assert C.t("kern.exercise.red", "nl") in find(box, "kit-situation-feedback").value
    assert (
        C.t("kern.exercise.score", "nl", good=0, done=1) in find(box, "kit-situation-score").value
    )


# --------------------------------------------------------------------------- where answers are read


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_situations_are_rows_of_the_answers_csv(lang: str) -> None:
    t = Texts(C, lang)
    subs = [Submission("p1", "Uil", answer(RED, GOOD), AT)]
    rows = list(answer_rows(t, "K7Q2MX", subs))
    assert len(rows) == 2  # the first choice and the last
    first, last = rows
    assert first[:3] == ["K7Q2MX", "Uil", t.t("group.csv.exercise.situation")]
    assert first[3] == f"{ITEM.name(lang)} · {SIT.text(lang)}"
    assert first[4] == t.t("group.csv.first") and last[4] == t.t("group.csv.last")
    red_type, red_element = C.adaptation_type("remove"), ITEM.element("ten-sessions")
    assert first[5] == f"{red_type.name(lang)} → {red_element.name(lang)}"
    assert (first[6], last[6]) == (0, 1)  # right first time: no; the last one is right
    assert t.t("kern.exercise.red") in first[7] and t.t("kern.exercise.good") in last[7]
    # One answer only, the same twice: one row.
    assert (
        len(list(answer_rows(t, "K7Q2MX", [Submission("p1", "Uil", answer(GOOD, GOOD), AT)]))) == 1
    )


def test_a_situation_the_content_no_longer_has_is_a_row_by_its_ids() -> None:
    gone = answer(GOOD, GOOD, situation="torn-down")
    [row] = answer_rows(Texts(C, "nl"), "K7Q2MX", [Submission("p1", "Uil", gone, AT)])
    assert row[3] == gone.item and row[5] == "setting → venue-time" and row[6] is None


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_homework_scores_count_the_situations_right_first_time(lang: str) -> None:
    t = Texts(C, lang)
    other = ITEM.situations[0]
    good = SituationChoice(element=other.good[0].element, type=other.good[0].type)
    lines = scores(t, [answer(RED, GOOD), answer(good, good, situation=other.id)])
    assert t.t("homework.score.situations", right=1, n=2) in lines
    assert not any("situati" in line.lower() for line in scores(t, []))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'situations.sqlite3'}")
    yield s
    s.dispose()


def test_in_the_store_she_has_answered_and_her_hand_in_has_the_score(store: Store) -> None:
    info, key = store.create_session("Huiswerk kern", intervention_id=ITEM.id, days=21)
    now = dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC)
    work = homework.assignment(["kern"], now + dt.timedelta(days=7), "after-hand-in", now)
    store.set_homework(info.code, key, work.dump())
    uil = store.join(info.code, "Uil").participant
    store.join(info.code, "Noor")
    store.save(info.code, uil, "Uil", answer(GOOD, GOOD))
    t = Texts(C, "nl")
    people = store.participants(info.code, key)
    subs = store.all_submissions(info.code, key)
    assert [s.record for s in subs] == [answer(GOOD, GOOD)]
    names = {n.alias: n for n in joined_names(t, people, subs)}
    assert names["Uil"].answered and names["Uil"].note == ""
    assert names["Noor"].note == t.t("group.no_answer_yet")
    at = now + dt.timedelta(days=1)
    verdict = homework.hand_in_rule(work, at, None)
    store.hand_in(info.code, uil, "Uil", at, verdict.late, verdict.number, work.exercises)
    view = class_view(t, info, work, people, store.hand_ins(info.code, key), at)
    row = next(r for r in view.rows if r.alias == "Uil")
    assert t.t("homework.score.situations", right=1, n=1) in row.scores


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_completion_summary_gives_her_situations_score_without_counting_them_as_done(
    lang: str,
) -> None:
    """Step 3 asks for three composed adaptations: practising with situations is her score on
    the summary she files, it does not tick the step off."""
    from kit import route
    from kit.present.route import completion_summary

    t = Texts(C, lang)
    translate = SituationChoice(element="homework", type="translate")
    records = [answer(RED, GOOD), answer(translate, translate, situation="arabic-parents")]
    kern = next(p for p in route.progress(C, records) if p.step.done == "adaptations")
    assert (kern.count, kern.done) == (0, False)
    summary = completion_summary(t, records, "Merel", dt.date(2026, 12, 7))
    line = summary.steps[kern.number - 1].result
    assert line == (
        t.t("route.unit.adaptations", n=0, of=kern.needed)
        + " · "
        + t.t("route.summary.situations", right=1, n=2)
    )
    assert not summary.steps[kern.number - 1].done
