"""The self-study route's closing self-check (issue 25 §1): questions drawn from the exercises
(the "which phase?" teams, the kit's verdicts on adaptations, the practice situations), each
with feedback; the first choice counts, the answers are kept like the exercises', and the score
goes on the completion summary."""

from __future__ import annotations

import base64
import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from kit import adaptations
from kit.answers import SelfCheck, dump, load
from kit.content import default_content
from kit.present.route import completion_summary, self_check_view
from kit.present.texts import Texts
from kit.route import CheckQuestion, check_score, self_check
from tests.test_apps import find

C = default_content()


def test_six_questions_from_the_exercises_with_the_kits_own_answers() -> None:
    questions = self_check(C, "local")
    assert [q.kind for q in questions] == ["phase"] * 2 + ["verdict"] * 2 + ["situation"] * 2
    assert len({q.id for q in questions}) == 6
    for q in questions:
        assert q.right in q.options and len(set(q.options)) == len(q.options)
        if q.kind == "phase":
            assert q.right == next(s.phase for s in C.scenarios if s.id == q.scenario)
            assert q.options == tuple(p.id for p in C.phases)
        if q.kind == "verdict":
            item = C.intervention(q.intervention)
            judged = adaptations.judge(item, q.element, q.type, C.adaptation_types)
            assert q.right == judged.verdict and q.options == ("green", "amber", "red")
        if q.kind == "situation":
            item = C.intervention(q.intervention)
            s = next(s for s in item.situations if s.id == q.situation)
            assert q.right in {f"{g.type}|{g.element}" for g in s.good} and len(q.options) == 3
            for option in set(q.options) - {q.right}:
                kind, element = option.split("|")
                fb = adaptations.grade(item, s, element, kind, C.adaptation_types)
                assert fb.judgement.verdict == "red"
    parts = {C.intervention(q.intervention).element(q.element).part for q in questions[2:4]}
    assert parts == {"kern", "schil"}  # one adaptation on the kern, one on the schil


def test_the_same_learner_gets_the_same_questions_another_learner_others() -> None:
    assert self_check(C, "local") == self_check(C, "local")
    others = {tuple(q.id for q in self_check(C, f"learner-{i}")) for i in range(8)}
    assert len(others) > 1


def test_the_first_choice_counts() -> None:
    q = self_check(C, "local")[0]
    wrong = next(o for o in q.options if o != q.right)
    assert check_score([q], {q.id: wrong}) == (0, 1)
    assert check_score([q], {q.id: q.right}) == (1, 1)
    assert check_score([q], {}) == (0, 0)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_each_choice_gets_feedback_in_words_and_the_end_says_what_next(lang: str) -> None:
    texts = Texts(C, lang)
    questions = self_check(C, "local")
    view = self_check_view(texts, questions, {}, {})
    assert all(v.good is None and v.feedback == "" and v.why == "" for v in view.questions)
    assert view.progress == texts.t("selfcheck.progress", done=0, n=6, right=0)
    phase_q = view.questions[0]
    labels = dict(phase_q.options)
    right = questions[0].right
    phase = C.phase(right)
    assert labels[right] == f"{phase.number} · {phase.name(lang)}"
    scenario = next(s for s in C.scenarios if s.id == questions[0].scenario)
    assert scenario.text(lang) in phase_q.text and phase_q.prompt == texts.t("selfcheck.ask.phase")
    # Wrong first, then right: the feedback follows the last choice, the score the first.
    wrong = next(o for o in questions[0].options if o != right)
    first = {q.id: q.right for q in questions} | {questions[0].id: wrong}
    last = {q.id: q.right for q in questions}
    view = self_check_view(texts, questions, first, last)
    assert all(v.good for v in view.questions)
    assert view.questions[0].feedback == texts.t("selfcheck.right")
    assert view.questions[0].why == scenario.why(lang)
    assert view.done and view.progress == texts.t("selfcheck.end", n=6, right=5)
    # A wrong last choice names the right answer in words.
    view = self_check_view(texts, questions, first, first)
    assert view.questions[0].good is False
    assert view.questions[0].feedback == texts.t("selfcheck.wrong", answer=labels[right])
    verdict = dict(view.questions[2].options)
    assert verdict["red"] == texts.t("kern.verdict.red")
    situation = dict(view.questions[4].options)
    kind, element = questions[4].right.split("|")
    item = C.intervention(questions[4].intervention)
    assert situation[questions[4].right] == (
        f"{C.adaptation_type(kind).name(lang)} → {item.element(element).name(lang)}"
    )


def test_the_record_is_kept_as_stored_json() -> None:
    record = SelfCheck(first={"phase:a": "weten"}, last={"phase:a": "doen"})
    assert load("route", "selfcheck", dump(record)) == record


def test_the_completion_summary_carries_the_self_check_score() -> None:
    texts = Texts(C, "nl")
    questions = self_check(C, "local")
    first = {q.id: q.right for q in questions[:4]}
    summary = completion_summary(
        texts, [SelfCheck(first=first, last=first)], "Merel", dt.date(2026, 12, 7)
    )
    assert summary.self_check == texts.t("selfcheck.summary", right=4, done=4, n=6)
    assert completion_summary(texts, [], "Merel", dt.date(2026, 12, 7)).self_check == ""


def test_the_start_page_asks_keeps_and_sums_up_the_self_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kit.apps.landing import start_page
    from kit.storage import own

    url = f"sqlite:///{tmp_path / 'own.sqlite3'}"
    monkeypatch.setenv("KIT_OWN_STORE", "on")
    monkeypatch.setenv("KIT_OWN_URL", url)
    page = start_page(lang="nl")
    check = find(page, "kit-selfcheck")
    cards = [c for c in check.children if "kit-selfcheck-question" in c._dom_classes]
    questions: tuple[CheckQuestion, ...] = self_check(C, own.learner() or "local")
    assert len(cards) == len(questions) == 6
    assert "Vraag 1 van 6" in cards[0].children[0].value
    radios, feedback = cards[0].children[1], cards[0].children[2]
    assert radios.value is None and feedback.value == ""
    wrong = next(o for o in questions[0].options if o != questions[0].right)
    radios.value = wrong
    assert "✗ Niet helemaal" in feedback.value
    radios.value = questions[0].right
    assert "✓ Goed." in feedback.value
    progress = find(check, "kit-selfcheck-progress").value
    assert "1 van 6 vragen beantwoord, 0 in één keer goed" in progress
    for card, q in zip(cards[1:], questions[1:], strict=True):
        card.children[1].value = q.right
    assert (
        "Klaar: 6 van 6 vragen beantwoord, 5 in één keer goed"
        in find(check, "kit-selfcheck-progress").value
    )
    # Kept in her own store: a new day's page shows her choices and the feedback again.
    kept = own.get_own_store(url).kept(own.learner() or "local").records
    record = next(r for r in kept.values() if isinstance(r, SelfCheck))
    assert (
        record.first[questions[0].id] == wrong
        and record.last[questions[0].id] == questions[0].right
    )
    again = find(start_page(lang="nl"), "kit-selfcheck")
    card = next(c for c in again.children if "kit-selfcheck-question" in c._dom_classes)
    assert card.children[1].value == questions[0].right and "✓ Goed." in card.children[2].value
    # The completion summary PDF says her score.
    form = page.children[-1]
    find(form, "kit-completion-name").value = "Merel"
    find(form, "kit-completion-pdf").click()
    own._stores.pop(url).dispose()
    link = find(form, "kit-completion-link").value
    data = base64.b64decode(link.split("base64,", 1)[1].split('"', 1)[0])
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Zelftoets: 5 van 6 vragen in één keer goed (6 beantwoord)" in text
