"""The teacher's class view of a homework session (issue 25 §3), from a real store: two students
hand in (one on time and again after a change, one late), one does not; the view as plain data,
the spreadsheet with every field, and the zip with one PDF per student that names her, the
session and the case."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from kit import homework, reports
from kit.answers import Adaptations, PhaseGuess, Proposal, ScanAnswers
from kit.content import default_content
from kit.homework import Assignment
from kit.present.homework import class_csv, class_view
from kit.present.texts import Texts
from kit.storage import Store
from tests.test_exports_read import csv_rows, missing

C = default_content()
NOW = dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC)
DEADLINE = NOW + dt.timedelta(days=7)
CASE = C.case("schuldmaatjes")
ITEM = C.intervention("samen-sterk")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'class.sqlite3'}")
    yield s
    s.dispose()


def hand_in(store: Store, code: str, who: str, alias: str, at: dt.datetime, work: Assignment):
    earlier = (store.own_hand_ins(code, who) or [None])[-1]
    verdict = homework.hand_in_rule(work, at, earlier)
    assert verdict.ok, verdict
    return store.hand_in(code, who, alias, at, verdict.late, verdict.number, work.exercises)


def played(store: Store):
    info, key = store.create_session(
        "Huiswerk week 50", case_id=CASE.id, intervention_id=ITEM.id, days=21
    )
    work = homework.assignment(["phases", "quickscan", "kern"], DEADLINE, "after-hand-in", NOW)
    store.set_homework(info.code, key, work.dump())
    uil = store.join(info.code, "Uil").participant
    merel = store.join(info.code, "Merel").participant
    store.join(info.code, "Noor")  # joins, never hands in
    team = C.scenarios[0]
    right = C.phase(team.phase).number
    store.save(info.code, uil, "Uil", PhaseGuess(scenario=team.id, first=right, last=right))
    statements = [s.id for s in C.instrument.statements_for(CASE.perspective)][:5]
    scan = ScanAnswers(
        perspective=CASE.perspective, case=CASE.id, values=dict.fromkeys(statements, 2)
    )
    store.save(info.code, uil, "Uil", scan)
    hand_in(store, info.code, uil, "Uil", NOW + dt.timedelta(days=1), work)
    # Uil changes her work before the deadline and hands in again.
    kern = next(e for e in ITEM.elements if e.part == "kern")
    proposal = Proposal(
        element=kern.id,
        type="remove",
        reason="Weinig tijd in rooster",
        goal="Korter programma",
        when="pre-implementation",
        who="developer",
        level="organisation",
        date="2026-12-09",
    )
    store.save(info.code, uil, "Uil", Adaptations(intervention=ITEM.id, proposals=(proposal,)))
    hand_in(store, info.code, uil, "Uil", NOW + dt.timedelta(days=3), work)
    # Merel hands in a day late.
    store.save(
        info.code, merel, "Merel", PhaseGuess(scenario=team.id, first=(right + 2) % 6, last=right)
    )
    hand_in(store, info.code, merel, "Merel", DEADLINE + dt.timedelta(days=1), work)
    return info, key, work, proposal


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_class_view_per_student(store: Store, lang: str) -> None:
    info, key, work, _ = played(store)
    ctx = Texts(C, lang)
    view = class_view(
        ctx,
        info,
        work,
        store.participants(info.code, key),
        store.hand_ins(info.code, key),
        DEADLINE + dt.timedelta(days=2),
    )
    rows = {r.alias: r for r in view.rows}
    assert list(rows) == ["Merel", "Noor", "Uil"]  # by name, not in the order they joined
    assert (rows["Uil"].times, rows["Uil"].late, rows["Uil"].status) == (
        2,
        False,
        ctx.t("homework.status.on_time"),
    )
    assert (rows["Merel"].times, rows["Merel"].late, rows["Merel"].status) == (
        1,
        True,
        ctx.t("homework.status.late"),
    )
    assert rows["Noor"].handed_in is False and rows["Noor"].status == ctx.t(
        "homework.status.missing"
    )
    assert ctx.t("homework.score.which", right=1, n=1) in rows["Uil"].scores
    assert ctx.t("homework.score.which", right=0, n=1) in rows["Merel"].scores
    assert any(ITEM.name(lang) in s for s in rows["Uil"].scores)  # the second hand-in counts
    assert view.summary == ctx.t("homework.summary", done=2, n=3, late=1)
    # Before the deadline Noor has not handed in *yet*.
    early = class_view(ctx, info, work, store.participants(info.code, key), [], NOW)
    assert {r.status for r in early.rows} == {ctx.t("homework.status.not_yet")}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_spreadsheet_has_every_field(store: Store, lang: str) -> None:
    info, key, _, proposal = played(store)
    ctx = Texts(C, lang)
    rows = csv_rows(class_csv(ctx, info, store.hand_ins(info.code, key)), lang)
    head, body = rows[0], rows[1:]
    assert head[:6] == [
        ctx.t("export.col.name"),
        ctx.t("export.col.session"),
        ctx.t("export.col.subject"),
        ctx.t("export.col.made"),
        ctx.t("homework.col.number"),
        ctx.t("homework.col.late"),
    ]
    assert {r[0] for r in body} == {"Uil", "Merel"} and {r[1] for r in body} == {info.code}
    # Uil's two hand-ins both, each numbered; Merel's marked late.
    assert {r[4] for r in body if r[0] == "Uil"} == {"1", "2"}
    assert {r[5] for r in body if r[0] == "Merel"} == {ctx.t("homework.status.late")}
    flat = "\n".join(";".join(r) for r in rows)
    # The situations ("Welke fase?") and the FRAME fields of the adaptation are in it.
    assert C.scenarios[0].title(lang) in flat
    frame = next(r for r in body if proposal.reason in r)
    col = {h: i for i, h in enumerate(head)}
    assert frame[col[ctx.t("kern.log.col.goal")]] == proposal.goal
    assert frame[col[ctx.t("kern.log.col.date")]] == "2026-12-09"
    for key_ in ("when", "who", "level", "frame_type", "kern_kept"):
        assert frame[col[ctx.t(f"kern.log.col.{key_}")]], key_


def test_the_zip_holds_one_named_pdf_per_student(store: Store) -> None:
    info, key, work, _ = played(store)
    ctx = Texts(C, "nl")
    data, names = reports.class_zip(ctx, info, work, store.hand_ins(info.code, key))
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(archive.namelist()) == sorted(names)
    pdfs = [n for n in names if n.endswith(".pdf")]
    assert len(pdfs) == 2 and any(n.endswith(f"-{info.code}.csv") for n in names)
    for alias, day in (("Uil", "10 december 2026"), ("Merel", "15 december 2026")):
        name = next(n for n in pdfs if n.startswith(f"huiswerk-{alias.lower()}-{info.code}-"))
        assert CASE.id in name
        reader = PdfReader(io.BytesIO(archive.read(name)))
        for page in reader.pages:  # every page names her, the session and the case
            text = page.extract_text() or ""
            assert missing(text, [alias, info.code, CASE.title("nl")]) == []
        assert day in (reader.pages[0].extract_text() or "")
    merel = next(n for n in pdfs if "merel" in n)
    text = PdfReader(io.BytesIO(archive.read(merel))).pages[0].extract_text() or ""
    assert "te laat ingeleverd" in text
