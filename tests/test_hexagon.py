"""Choosing an intervention: the Hexagon exercise (content, pure logic, presentation, widget)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kit import answers
from kit.answers import HexagonRatings
from kit.apps.common import Ctx, Status
from kit.apps.hexagon_app import HexagonView
from kit.apps.phases_app import build_phases
from kit.checks import check
from kit.content import CONTENT_DIR, default_content
from kit.group import Memory
from kit.hexagon import judge
from kit.present.hexagon import feedback, questions
from kit.present.texts import Texts

IDS = ("evidence", "support", "usability", "need", "fit", "capacity")


def texts(lang: str = "nl") -> Texts:
    return Texts(default_content(), lang)


# --------------------------------------------------------------------------- content


def test_content_has_the_six_indicators_in_both_languages() -> None:
    hx = default_content().hexagon
    assert hx is not None
    assert tuple(i.id for i in hx.indicators) == IDS
    assert [i.group for i in hx.indicators] == ["program"] * 3 + ["site"] * 3
    assert "Metz" in hx.source and "Louison" in hx.source and "2019" in hx.source
    for i in hx.indicators:
        assert i.question("nl") != i.question("en")
        assert i.question("nl").endswith("?") and i.question("en").endswith("?")


def _broken(tmp_path: Path, old: str, new: str) -> list[str]:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    path = root / "hexagon.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    content, problems = check(root)
    assert content is None
    return [str(p) for p in problems]


def test_check_names_file_and_line_of_a_wrong_indicator(tmp_path: Path) -> None:
    problems = _broken(tmp_path, "  - id: usability", "  - id: usable")
    hits = [p for p in problems if "hexagon.yaml:" in p]
    assert hits, problems
    assert any("evidence, support, usability" in p for p in hits), hits


def test_check_names_a_missing_translation(tmp_path: Path) -> None:
    problems = _broken(tmp_path, "  en: Feedback\n", "")
    assert any("hexagon.yaml:" in p and "en" in p for p in problems), problems


# --------------------------------------------------------------------------- pure logic


def test_all_strong_is_go_and_names_the_weakest() -> None:
    j = judge(IDS, {**dict.fromkeys(IDS, 3), "support": 2})
    assert (j.verdict, j.weak, j.weakest) == ("go", (), ("support",))


def test_one_weak_is_think_again() -> None:
    j = judge(IDS, {**dict.fromkeys(IDS, 3), "capacity": 1, "need": 1})
    assert j.verdict == "rethink" and j.weak == ("need", "capacity")


def test_a_zero_or_half_weak_is_not_now() -> None:
    assert judge(IDS, {**dict.fromkeys(IDS, 3), "fit": 0}).verdict == "not-now"
    three = {**dict.fromkeys(IDS, 2), "evidence": 1, "support": 1, "usability": 1}
    assert judge(IDS, three).verdict == "not-now"


def test_incomplete_says_what_is_missing_and_gives_no_verdict() -> None:
    j = judge(IDS, {"evidence": 3, "fit": 1})
    assert j.verdict is None and not j.complete
    assert j.missing == ("support", "usability", "need", "capacity")
    assert j.weak == ("fit",)


def test_unknown_indicator_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown indicator"):
        judge(IDS, {"money": 2})


# --------------------------------------------------------------------------- presentation


def test_questions_carry_scale_labels() -> None:
    qs = questions(texts("en"))
    assert [q.id for q in qs] == list(IDS)
    assert qs[0].options[0] == ("0 · No", 0) and qs[-1].group == "Your organisation"


def test_feedback_texts_name_the_weak_indicators() -> None:
    fb = feedback(texts("nl"), {**dict.fromkeys(IDS, 3), "capacity": 1})
    assert fb.verdict == "Denk nog eens na"
    assert "capaciteit" in fb.reason
    assert [n for n, _ in fb.advice] == ["Capaciteit"]
    en = feedback(texts("en"), {**dict.fromkeys(IDS, 3), "fit": 0, "need": 1})
    assert en.verdict == "Not now" and "need, fit" in en.reason


def test_incomplete_feedback_lists_missing_names() -> None:
    fb = feedback(texts("en"), {"evidence": 2})
    assert fb.verdict == ""
    assert fb.reason == "Not rated yet: support, usability, need, fit, capacity."


# --------------------------------------------------------------------------- widget


def test_widget_rates_and_shows_feedback_in_words() -> None:
    ctx = Ctx(default_content(), "nl", Status(), Memory())
    view = HexagonView(ctx)
    assert "Nog niet beoordeeld" in view.feedback.value
    for i in IDS:
        view.radios[i].value = 3
    assert "<b>Ga door.</b>" in view.feedback.value
    view.radios["capacity"].value = 0
    assert "<b>Nu niet.</b>" in view.feedback.value and "capaciteit" in view.feedback.value
    # Saved like every answer: one record, only what is rated, kept where her answers go.
    kept = ctx.memory.find(HexagonRatings)
    assert kept is not None and dict(kept.ratings) == {**dict.fromkeys(IDS, 3), "capacity": 0}
    # Each radio group follows the question that names it (kit-statement, see kit-a11y.js).
    rows = list(view.widget.children)
    for i in IDS:
        before = rows[rows.index(view.radios[i]) - 1]
        assert "kit-statement" in before.value
    # A rebuilt screen (language switch) keeps the ratings.
    again = HexagonView(Ctx(default_content(), "en", Status(), ctx.memory))
    assert again.radios["capacity"].value == 0 and "<b>Not now.</b>" in again.feedback.value


def test_phases_app_has_the_choosing_tab() -> None:
    ctx = Ctx(default_content(), "en", Status(), Memory())
    tabs = build_phases(ctx)
    titles = [tabs.get_title(i) for i in range(len(tabs.children))]
    assert "4. Choosing: does it suit us?" in titles
    tabs.selected_index = titles.index("4. Choosing: does it suit us?")
    box = tabs.children[tabs.selected_index]
    assert "kit-hexagon" in box.children[0]._dom_classes


def test_ratings_are_a_record_that_survives_storage_and_comes_back() -> None:
    record = HexagonRatings(ratings={"evidence": 2, "capacity": 0})
    assert record.key == ("phases", "hexagon")
    assert answers.load("phases", "hexagon", answers.dump(record)) == record
    with pytest.raises(answers.RecordError):  # a rating off any scale is no record
        answers.load(
            "phases", "hexagon", answers.dump(record).replace('"evidence": 2', '"evidence": 99')
        )
    # A page opened later (a reload, the next day) starts from the stored record.
    memory = Memory()
    memory.save(record)
    view = HexagonView(Ctx(default_content(), "nl", Status(), memory))
    assert view.radios["evidence"].value == 2 and view.radios["capacity"].value == 0
    assert view.radios["support"].value is None
    assert "Nog niet" in view.feedback.value  # four indicators still to rate


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_ratings_are_rows_of_the_answers_csv(lang: str) -> None:
    from kit.present.group import answer_rows
    from kit.storage.records import Submission

    c = default_content()
    at = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)
    sub = Submission("p1", "Uil", HexagonRatings(ratings={"need": 3, "fit": 1}), at)
    rows = list(answer_rows(Texts(c, lang), "K7Q2MX", [sub]))
    assert len(rows) == 2
    assert c.hexagon is not None
    need = next(i for i in c.hexagon.indicators if i.id == "need")
    first = rows[0]
    assert first[:3] == ["K7Q2MX", "Uil", Texts(c, lang).t("group.csv.exercise.hexagon")]
    assert first[3] == c.hexagon.title(lang) and first[4] == need.question(lang)
    top = next(sc for sc in c.hexagon.scale if sc.value == 3)
    assert first[5] == f"3 · {top.label(lang)}" and first[6] == 3
    assert rows[1][6] == 1
