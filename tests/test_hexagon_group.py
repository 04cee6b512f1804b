"""The group's Hexagon (issue 19 §3): per indicator how many rated it, the median and the range,
and how many complete ratings gave each verdict, as plain data in Dutch and English; on the
trainer's dashboard and in the group report and spreadsheet. Counts only: never a name."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from kit import reports
from kit.answers import HexagonRatings, PhaseGuess
from kit.apps.common import Ctx, Status
from kit.apps.group_app import Dashboard, hexagon_html
from kit.apps.hexagon_app import HexagonView
from kit.content import default_content
from kit.group import Memory
from kit.hexagon import group_ratings
from kit.present.group import answer_rows, answers_csv, hexagon_panel
from kit.present.texts import Texts
from kit.storage import SessionInfo, Submission
from tests import test_exports_read as read

C = default_content()
assert C.hexagon is not None
HX = C.hexagon
IDS = [i.id for i in HX.indicators]
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)
NAMES = ("Uil", "Merel", "Vos", "Das", "Egel")


def rated(participant: str, ratings: dict[str, int], minutes: int = 0) -> Submission:
    alias = NAMES[int(participant[1:]) - 1]
    return Submission(
        participant, alias, HexagonRatings(ratings=ratings), NOW + dt.timedelta(minutes=minutes)
    )


def subs() -> list[Submission]:
    """Five participants: two "go", one "think again", one "not now", one halfway; p3 rated
    twice (the newer one counts); and another exercise's answer, not counted."""
    return [
        rated("p1", dict.fromkeys(IDS, 3)),
        rated("p2", {**dict.fromkeys(IDS, 2), "evidence": 3}),
        rated("p3", dict.fromkeys(IDS, 0), minutes=1),  # replaced by the newer rating below
        rated("p3", {**dict.fromkeys(IDS, 3), "fit": 1}, minutes=5),
        rated("p4", {**dict.fromkeys(IDS, 2), "capacity": 0}),
        rated("p5", {"evidence": 1, "need": 2}),
        Submission("p1", "Uil", PhaseGuess(scenario=C.scenarios[0].id, first=1, last=1), NOW),
    ]


def test_group_ratings_count_and_spread_per_indicator() -> None:
    records = [s.record.ratings for s in subs() if isinstance(s.record, HexagonRatings)]
    g = group_ratings(IDS, records[:2] + records[3:])
    assert g.people == 5 and g.incomplete == 1
    assert dict(g.verdicts) == {"go": 2, "rethink": 1, "not-now": 1}
    by_id = {sp.id: sp for sp in g.indicators}
    # evidence: 3, 3, 3, 2, 1
    assert (by_id["evidence"].rated, by_id["evidence"].median) == (5, 3)
    assert (by_id["evidence"].low, by_id["evidence"].high) == (1, 3)
    # fit: 3, 2, 1, 2 (p5 did not rate it): the median of an even count is the mean of the middle
    assert (by_id["fit"].rated, by_id["fit"].median, by_id["fit"].low) == (4, 2, 1)
    # capacity: 3, 2, 3, 0
    assert by_id["capacity"].median == 2.5
    # Nobody: no median, no range; somebody who rated nothing is nobody.
    empty = group_ratings(IDS, [{}, {"gone": 2}])
    assert empty.people == 0 and empty.indicators[0].median is None
    assert dict(empty.verdicts) == {"go": 0, "rethink": 0, "not-now": 0}


@pytest.mark.parametrize("lang", read.LANGS)
def test_panel_in_words(lang: str) -> None:
    ctx = Texts(C, lang)
    panel = hexagon_panel(ctx, subs())
    assert panel is not None and panel.people == 5
    assert panel.title == ctx.t("group.hexagon", n=5)
    go, rethink, not_now = (HX.verdict(v).label(lang) for v in ("go", "rethink", "not-now"))
    assert panel.verdicts == (
        f"{go}: 2",
        f"{rethink}: 1",
        f"{not_now}: 1",
        ctx.t("group.hexagon.incomplete", n=1),
    )
    rows = {r.indicator: r for r in panel.rows}
    capacity = rows[HX.indicator("capacity").name(lang)]
    assert capacity.median == ("2,5" if lang == "nl" else "2.5")
    assert capacity.spread == "0–3" and capacity.rated == ctx.t("group.by", n=4)
    evidence = rows[HX.indicator("evidence").name(lang)]
    assert (evidence.median, evidence.spread, evidence.rated) == (
        "3",
        "1–3",
        ctx.t("group.by", n=5),
    )
    assert evidence.group == HX.groups[0].name(lang)
    assert (
        evidence.line
        == {
            "nl": "Bewijs (De interventie): beoordeeld door 5 deelnemers, mediaan 3, spreiding 1–3",
            "en": "Evidence (The intervention): rated by 5 participants, median 3, spread 1–3",
        }[lang]
    )
    assert [r.indicator for r in panel.rows] == [i.name(lang) for i in HX.indicators]
    # One participant, one rating: the range is that rating.
    single = hexagon_panel(ctx, [rated("p1", {"need": 2})])
    assert single is not None
    need = next(r for r in single.rows if r.indicator == HX.indicator("need").name(lang))
    assert (need.median, need.spread) == ("2", "2")
    unrated = next(r for r in single.rows if r.indicator == HX.indicator("fit").name(lang))
    assert (unrated.median, unrated.spread) == ("–", "–")
    # Never a name.
    text = repr(dataclasses.astuple(panel))
    assert not [n for n in NAMES if n in text]


def test_the_dashboard_shows_the_panel_without_names_and_nothing_before_a_rating() -> None:
    ctx = Ctx(C, "nl", Status(), Memory())
    html = hexagon_html(ctx, subs())
    assert "<h3>" + ctx.t("group.hexagon", n=5).replace("'", "&#x27;") + "</h3>" in html
    assert f"{HX.verdict('go').label('nl')}: 2" in html
    assert html.count("<tr>") == 1 + len(IDS)  # the head and a row per indicator
    assert "<th scope='row'>Capaciteit" in html and "<td>2,5</td><td>0–3</td>" in html
    assert not [n for n in NAMES if n in html]
    only_other = [s for s in subs() if not isinstance(s.record, HexagonRatings)]
    assert hexagon_html(ctx, only_other) == ""


def test_phones_rate_and_the_dashboard_counts(tmp_path: Path) -> None:
    """Participants rate on their phones (the exercise's widgets, saving to the session store);
    the trainer's dashboard shows the counts, and no alias in the Hexagon panel."""
    from kit.group import SessionClient
    from kit.storage import Store

    store = Store(f"sqlite:///{tmp_path / 'hexagon.sqlite3'}")
    info, key = store.create_session("Kiezen")
    for alias, value in (("Uil", 3), ("Vos", 1)):
        client = SessionClient(store, store.join(info.code, alias, ""))
        memory = Memory()
        memory.attach(client)
        phone = HexagonView(Ctx(C, "nl", Status(), memory))
        for i in IDS:
            phone.radios[i].value = value
        assert client.wait(30) and not client.pending  # saved in the store
    dash = Dashboard(Ctx(C, "nl", Status()), store, info, key, new_key=False)
    dash._timer_on(False)
    html = dash.hexagon.value
    assert C.t("group.hexagon", "nl", n=2).replace("'", "&#x27;") in html
    assert f"{HX.verdict('go').label('nl')}: 1" in html
    assert f"{HX.verdict('not-now').label('nl')}: 1" in html  # all six weak
    assert "<td>2</td><td>1–3</td>" in html  # median of 1 and 3, and the range
    assert "Uil" not in html and "Vos" not in html
    store.dispose()


def session() -> SessionInfo:
    return SessionInfo(
        "HEX123", "Kiezen in Zuidwijk", None, None, NOW, NOW + dt.timedelta(days=1), None
    )


@pytest.mark.parametrize("lang", read.LANGS)
def test_group_report_has_the_groups_hexagon(lang: str) -> None:
    ctx = Texts(C, lang)
    data = reports.group_pdf(ctx, session(), subs())
    read.assert_on_the_page(data)
    text = read.pdf_text(data)
    panel = hexagon_panel(ctx, subs())
    assert panel is not None
    wanted = [
        panel.title,
        " · ".join(panel.verdicts),
        panel.scale,
        *(r.line for r in panel.rows),
    ]
    assert ("2,5" if lang == "nl" else "2.5") in text
    assert read.missing(text, wanted) == []
    assert read.foreign(text, lang, read.ui_keys("group.")) == []
    # Without a rating, no Hexagon section.
    others = [s for s in subs() if not isinstance(s.record, HexagonRatings)]
    assert ctx.t("group.hexagon.verdicts") not in read.pdf_text(
        reports.group_pdf(ctx, session(), others)
    )


@pytest.mark.parametrize("lang", read.LANGS)
def test_the_spreadsheet_has_each_outcome_per_participant(lang: str) -> None:
    ctx = Texts(C, lang)
    rows = list(answer_rows(ctx, "HEX123", subs()))
    outcome = ctx.t("group.csv.outcome")
    outcomes = [(r[1], r[5]) for r in rows if r[4] == outcome]
    label = {v: HX.verdict(v).label(lang) for v in ("go", "rethink", "not-now")}
    # p3's older "not now" stays a row of its own, as every stored answer is.
    assert outcomes == [
        ("Uil", label["go"]),
        ("Merel", label["go"]),
        ("Vos", label["not-now"]),
        ("Vos", label["rethink"]),
        ("Das", label["not-now"]),
    ]
    # Read as Excel in the language reads it.
    excel = read.csv_rows(answers_csv(ctx, "HEX123", subs(), [], []), lang)
    assert [r[5] for r in excel if r[4] == outcome] == [o for _, o in outcomes]
    # An old record with an indicator this content does not know still gives its outcome.
    odd = rated("p1", {**dict.fromkeys(IDS, 3), "gone": 1})
    assert [r[5] for r in answer_rows(ctx, "X", [odd]) if r[4] == outcome] == [label["go"]]
