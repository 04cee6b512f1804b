"""A session, its participants' screens and the trainer's dashboard together: what a participant
answers in the session's quickscan is what the dashboard shows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kit.answers import ScanAnswers
from kit.apps.common import Ctx, Status
from kit.apps.group_app import Dashboard
from kit.apps.quickscan_app import OWN, build_quickscan
from kit.content import default_content
from kit.group import Memory, SessionClient
from kit.present.group import off_chart
from kit.storage import Store
from tests.test_apps import _upload, find


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'flows.sqlite3'}")
    yield s
    s.dispose()


def participant(store: Store, code: str, alias: str, lang: str = "nl") -> Ctx:
    """A participant who joined the session, on the quickscan's screen (as the workshop page
    builds it after joining)."""
    memory = Memory()
    memory.attach(SessionClient(store, store.join(code, alias)))
    return Ctx(default_content(), lang, Status(), memory)


def answer_all(ctx: Ctx, value: int) -> None:
    box = build_quickscan(ctx)
    view = box.view
    for s in ctx.content.instrument.statements_for(view.perspective.value):
        view.answer(s.id, value)
    assert ctx.memory.client is not None and ctx.memory.client.wait(10)


def dashboard(store: Store, code: str, key: str) -> Dashboard:
    info = store.session(code)
    assert info is not None
    dash = Dashboard(Ctx(default_content(), "en", Status()), store, info, key, new_key=False)
    dash._timer_on(False)
    return dash


def test_a_participant_who_touches_the_case_dropdown_stays_in_the_chart(store: Store) -> None:
    c = default_content()
    info, key = store.create_session("Casus", case_id="schuldmaatjes")
    uil = participant(store, info.code, "Uil")
    view = build_quickscan(uil).view
    # The participant tries every case the dropdown offers (a thumb on a phone's select does),
    # and every perspective, then answers: the answers still go to the session's scan.
    for value in [v for _, v in view.case.options]:
        view.case.value = value
    assert view.case_id == "schuldmaatjes"
    assert view.case.disabled
    offered = [v for _, v in view.perspective.options]
    assert offered == list(c.case("schuldmaatjes").perspectives)
    for perspective in offered:
        view.perspective.value = perspective
        assert view.case_id == "schuldmaatjes"
    for s in c.instrument.statements_for(view.perspective.value):
        view.answer(s.id, 1)
    assert uil.memory.client is not None and uil.memory.client.wait(10)
    stored = [s.record for s in store.all_submissions(info.code, key)]
    assert [(r.perspective, r.case) for r in stored if isinstance(r, ScanAnswers)] == [
        (view.perspective.value, "schuldmaatjes")
    ]
    dash = dashboard(store, info.code, key)
    assert "1 participant taking part" in dash.joined.value
    assert "(1 participant)" in dash.scan.value
    assert "kit-off-chart" not in dash.scan.value


def test_the_dashboard_says_who_scanned_another_case(store: Store) -> None:
    """Scans stored before the case was fixed (or from a file of another case) are not lost:
    the dashboard says how many are not in its chart."""
    c = default_content()
    info, key = store.create_session("Casus", case_id="schuldmaatjes")
    joined = store.join(info.code, "Vos")
    elsewhere = ScanAnswers(
        perspective="organisatie",
        case="buurtkracht",
        values={s.id: 2 for s in c.instrument.statements_for("organisatie")},
    )
    store.save(info.code, joined.participant, joined.alias, elsewhere)
    subs = store.all_submissions(info.code, key)
    assert off_chart(c, "schuldmaatjes", subs) == 1
    assert off_chart(c, "buurtkracht", subs) == 0
    dash = dashboard(store, info.code, key)
    assert "(0 participants)" in dash.scan.value
    assert "1 participant filled in the scan on another case" in dash.scan.value


def test_an_own_situation_session_shows_its_scans_on_the_dashboard(store: Store) -> None:
    info, key = store.create_session("Eigen situatie", case_id=None)
    for alias, value in (("Uil", 0), ("Vos", 3)):
        ctx = participant(store, info.code, alias)
        view = build_quickscan(ctx).view
        assert view.case_id == OWN  # not the first case
        assert [v for _, v in view.case.options] == [OWN]
        assert "Onze eigen situatie" in view.narrative.value
        note = find(build_quickscan(ctx), "kit-session-case-note").value
        assert "over jullie eigen situatie" in note
        answer_all(ctx, value)
    scans = [s.record for s in store.all_submissions(info.code, key)]
    assert {(r.case, len(r.values) > 0) for r in scans if isinstance(r, ScanAnswers)} == {
        (None, True)
    }
    dash = dashboard(store, info.code, key)
    assert "2 participants taking part" in dash.joined.value
    assert "(2 participants)" in dash.scan.value


def test_without_a_session_every_case_stays_open(store: Store) -> None:
    """Self-study is unchanged: every case and the own situation, and the case can change."""
    ctx = Ctx(default_content(), "nl", Status(), Memory())
    view = build_quickscan(ctx).view
    assert not view.case.disabled
    values = [v for _, v in view.case.options]
    assert len(values) >= 2 and values[-1] == OWN
    view.case.value = OWN
    assert view.case_id == OWN


def test_a_file_of_another_case_loads_on_the_session_case(store: Store) -> None:
    from kit import quickscan

    c = default_content()
    info, key = store.create_session("Casus", case_id="schuldmaatjes")
    ctx = participant(store, info.code, "Das")
    box = build_quickscan(ctx)
    view = box.view
    values = {s.id: 3 for s in c.instrument.statements_for("organisatie")}
    other = ScanAnswers(perspective="organisatie", case="buurtkracht", values=values)
    assert view.accepts(other)
    view.load(other)
    assert view.case_id == "schuldmaatjes" and view.answers == values
    assert ctx.memory.client is not None and ctx.memory.client.wait(10)
    dash = dashboard(store, info.code, key)
    assert "(1 participant)" in dash.scan.value
    # A perspective the session's case is not read from is refused, with the kit's words.
    wrong = ScanAnswers(perspective="ontwikkelaar", case=None, values={})
    assert not view.accepts(wrong)
    text = quickscan.dump_answers(c.instrument.version, wrong, "2026-12-01T10:00:00")
    _upload(box, "ander.json", text.encode())
    assert "ander.json is niet geladen" in find(box, "kit-load-message").value
    assert view.case_id == "schuldmaatjes" and view.answers == values
