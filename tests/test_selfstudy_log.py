"""The situations she checked stand in her kern-en-schil log (issue 25): the log tab, the PDF and
the CSV show per situation its text, her first and last choice in words, the kit's verdict on
each and the debrief, in the page's language; while a teacher holds the answers back the log
holds back the verdicts too. The CSV the app writes still loads back as an adaptation log."""

from __future__ import annotations

import base64
import re

import pytest

from kit import reports
from kit.answers import Adaptations, SituationAnswer, SituationChoice
from kit.apps.common import Ctx, Status
from kit.content import Intervention
from kit.group import Memory
from kit.present.kern import SITUATION_FIELDS, situation_lines, to_log
from kit.present.kern_log import read_log_csv
from kit.present.texts import Texts
from tests.test_apps import find
from tests.test_exports_read import (
    ITEM,
    LANGS,
    C,
    assert_on_the_page,
    csv_rows,
    foreign,
    maker,
    missing,
    pdf_text,
    proposals,
    squash,
    ui_keys,
)


def red_choice(item: Intervention, situation: int) -> SituationChoice:
    """A choice the kit calls red for this situation: leaving out a kern element."""
    from kit.present.group import situation_feedback

    s = item.situations[situation]
    for e in item.elements:
        choice = SituationChoice(element=e.id, type="remove")
        fb = situation_feedback(C, item.id, s.id, choice)
        if fb is not None and fb.judgement.verdict == "red":
            return choice
    raise AssertionError("no red choice")


def good_choice(item: Intervention, situation: int) -> SituationChoice:
    g = item.situations[situation].good[0]
    return SituationChoice(element=g.element, type=g.type)


def answers(item: Intervention = ITEM) -> list[object]:
    """The second situation checked twice (red, then good), the first once (good); and one of
    another intervention, which this log does not show."""
    other = next(i for i in C.interventions if i.id != item.id)
    return [
        SituationAnswer(
            intervention=item.id,
            situation=item.situations[1].id,
            first=red_choice(item, 1),
            last=good_choice(item, 1),
        ),
        Adaptations(intervention=item.id, proposals=()),
        SituationAnswer(
            intervention=item.id,
            situation=item.situations[0].id,
            first=good_choice(item, 0),
            last=good_choice(item, 0),
        ),
        SituationAnswer(
            intervention=other.id,
            situation=other.situations[0].id,
            first=good_choice(other, 0),
            last=good_choice(other, 0),
        ),
    ]


def words(lang: str, choice: SituationChoice) -> str:
    return (
        f"{C.adaptation_type(choice.type).name(lang)} → {ITEM.element(choice.element).name(lang)}"
    )


# --------------------------------------------------------------------------- plain data


@pytest.mark.parametrize("lang", LANGS)
def test_each_checked_situation_is_a_line_in_words(lang: str) -> None:
    ctx = Texts(C, lang)
    lines = situation_lines(ctx, ITEM, answers())
    assert [line.number for line in lines] == [1, 2]  # the intervention's order, its own only
    second = lines[1]
    text = ITEM.situations[1].text(lang)
    assert second.text == text or (
        second.text.endswith("…") and text.startswith(second.text[:-1]) and len(second.text) <= 121
    )
    assert second.first == words(lang, red_choice(ITEM, 1))
    assert second.last == words(lang, good_choice(ITEM, 1))
    assert second.first_verdict.startswith("✗ " + ctx.t("kern.exercise.red"))
    assert ctx.t("kern.verdict.red") in second.first_verdict
    assert second.last_verdict.startswith("✓ " + ctx.t("kern.exercise.good"))
    assert second.debrief == ITEM.situations[1].debrief(lang)
    assert second.cells()["situation"] == f"2. {second.text}"
    assert list(second.cells()) == list(SITUATION_FIELDS)


def test_a_long_situation_is_cut_at_a_word_and_a_short_one_kept() -> None:
    ctx = Texts(C, "nl")
    lines = situation_lines(ctx, ITEM, answers())
    for line in lines:
        full = " ".join(ITEM.situations[line.number - 1].text("nl").split())
        if len(full) <= 120:
            assert line.text == full
        else:
            assert line.text.endswith("…") and len(line.text) <= 121
            cut = line.text[:-1]
            assert full.startswith(cut) and full[len(cut)] in " ,;:.-—"


def test_held_answers_keep_the_verdicts_and_debrief_back() -> None:
    ctx = Texts(C, "nl")
    lines = situation_lines(ctx, ITEM, answers(), held=True)
    held = ctx.t("kern.log.sit.held")
    assert [line.first for line in lines] == [
        words("nl", good_choice(ITEM, 0)),
        words("nl", red_choice(ITEM, 1)),
    ]
    for line in lines:
        assert line.first_verdict == line.last_verdict == line.debrief == held
    flat = " ".join(str(line) for line in lines)
    assert ctx.t("kern.exercise.good") not in flat and ctx.t("kern.verdict.red") not in flat
    assert ITEM.situations[1].debrief("nl")[:40] not in flat


def test_a_choice_the_content_no_longer_knows_is_left_out() -> None:
    gone = SituationAnswer(
        intervention=ITEM.id,
        situation=ITEM.situations[0].id,
        first=SituationChoice(element="renamed-element", type="remove"),
        last=good_choice(ITEM, 0),
    )
    assert situation_lines(Texts(C, "nl"), ITEM, [gone]) == []


# --------------------------------------------------------------------------- PDF and CSV


def sit_keys() -> list[str]:
    return ui_keys("kern.log.sit", "kern.exercise", "kern.verdict", "kern.log.col", "kern.tab.log")


@pytest.mark.parametrize("lang", LANGS)
def test_the_log_document_lists_the_checked_situations(lang: str) -> None:
    ctx = Texts(C, lang)
    lines = situation_lines(ctx, ITEM, answers())
    m = maker("intervention", ITEM.name(lang), ITEM.id)
    data = reports.kern_pdf(ctx, ITEM, proposals(), m, lines)
    assert_on_the_page(data)
    text = pdf_text(data)
    wanted = [ctx.t("kern.log.sit.title")] + [v for line in lines for v in line.cells().values()]
    assert missing(text, wanted) == []
    # The adaptations come first, then the situations, in the intervention's order.
    flat = squash(text)
    adaptation = squash(to_log(ctx, ITEM, proposals())[-1].reason)
    first, second = (squash(line.cells()["situation"]) for line in lines)
    assert flat.index(adaptation) < flat.index(first) < flat.index(second)
    assert foreign(text, lang, sit_keys()) == []
    # Without situations the document has no such part.
    assert ctx.t("kern.log.sit.title") not in pdf_text(reports.kern_pdf(ctx, ITEM, proposals()))


@pytest.mark.parametrize("lang", LANGS)
def test_the_log_spreadsheet_lists_the_situations_and_still_loads_back(lang: str) -> None:
    from kit.present.kern import log_csv

    ctx = Texts(C, lang)
    entries = to_log(ctx, ITEM, proposals())
    lines = situation_lines(ctx, ITEM, answers())
    m = maker("intervention", ITEM.name(lang), ITEM.id)
    data = log_csv(ctx, entries, m, lines)
    rows = csv_rows(data, lang)  # every row as wide as the first
    lead = rows[1][:4]
    assert lead == ["Merel / de Vriés", "K7Q2MX", ctx.t("export.intervention", title=ITEM.name(lang)), "2026-12-07 14:03"]  # fmt: skip
    assert all(c == "" for c in rows[1 + len(entries)])  # an empty row between the two parts
    head = rows[2 + len(entries)]
    assert head[4:10] == [ctx.t(f"kern.log.sit.col.{k}") for k in SITUATION_FIELDS]
    assert head[:4] == rows[0][:4] and all(c == "" for c in head[10:])
    body = rows[3 + len(entries) :]
    assert [r[:4] for r in body] == [lead, lead]
    assert [r[4:10] for r in body] == [
        [line.cells()[k] for k in SITUATION_FIELDS] for line in lines
    ]
    assert foreign("\n".join(";".join(r) for r in rows), lang, sit_keys()) == []
    # The file the app writes loads back as the adaptation log: the maker's columns and the
    # situations are passed over.
    item, back = read_log_csv(C, data)
    assert item.id == ITEM.id and list(back) == proposals()


# --------------------------------------------------------------------------- the app


def test_checking_a_situation_puts_it_in_the_log_tab() -> None:
    from kit.apps.kern_app import build_kern

    ctx = Ctx(C, "nl", Status(), Memory())
    app = build_kern(ctx)
    tabs = find(app, "kit-tabs")
    tabs.selected_index = 2
    log = find(app, "kit-log-situations")
    assert ctx.t("kern.log.sit.none") in log.value
    tabs.selected_index = 1
    item = app.view.item
    find(app, "kit-situation-choice").value = item.situations[1].id
    red, good = red_choice(item, 1), good_choice(item, 1)
    element, kind = find(app, "kit-situation-element"), find(app, "kit-situation-kind")
    element.value, kind.value = red.element, red.type
    find(app, "kit-check-situation").click()
    # Seen in the log at once, without reopening it.
    text = ITEM.situations[1].text("nl")[:40]
    assert text in log.value and "<table" in log.value
    assert re.search(r"✗ Pas op: deze keuze raakt de kern\. Rood", log.value)
    element.value, kind.value = good.element, good.type
    find(app, "kit-check-situation").click()
    assert log.value.count("<tr>") == 2  # the header and one situation: the last choice changed
    assert "✓ Goede keuze." in log.value and ITEM.situations[1].debrief("nl")[:40] in log.value
    # The exports carry it too.
    find(app, "kit-log-csv").click()
    link = find(app, "kit-log-links").value
    data = base64.b64decode(re.search(r"base64,([^\"]+)", link).group(1))
    assert ctx.t("kern.log.sit.col.first").encode() in data and text.encode() in data


def test_the_log_tab_holds_the_verdicts_back_as_the_exercise_does() -> None:
    from kit.apps.kern_app import build_kern

    memory = Memory()
    memory.view["link.reference"] = False  # a link (or homework) that holds the answers back
    ctx = Ctx(C, "en", Status(), memory)
    for record in answers():
        memory.save(record)  # type: ignore[arg-type]
    app = build_kern(ctx)
    app.view.intervention.value = ITEM.id
    find(app, "kit-tabs").selected_index = 2
    log = find(app, "kit-log-situations").value
    assert ITEM.situations[0].text("en")[:40] in log
    assert ctx.t("kern.log.sit.held") in log
    assert ctx.t("kern.exercise.good") not in log and ctx.t("kern.verdict.red") not in log
