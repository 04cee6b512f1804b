"""A student's page in a homework session (issue 25 §3), built as Voila builds it (the URL in
``QUERY_STRING``) with a clock the test moves (``KIT_CLOCK_FILE``): the reference held back until
she hands in, "Inleveren" on time, again, and refused after the deadline once in; a hand-in
after the session was deleted says so and keeps her work; a page not joined says that nothing
reaches the teacher."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from kit.content import default_content
from kit.homework import Assignment
from kit.storage import Store
from tests.test_apps import find
from tests.test_homework_teacher import find_all

C = default_content()
NOW = dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC)
DEADLINE = NOW + dt.timedelta(days=7)


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Store, Path]]:
    s = Store(f"sqlite:///{tmp_path / 'pages.sqlite3'}")
    monkeypatch.setattr("kit.storage.get_store", lambda url=None: s)
    clock = tmp_path / "clock"
    clock.write_text(NOW.isoformat())
    monkeypatch.setenv("KIT_CLOCK_FILE", str(clock))
    yield s, clock
    s.dispose()


def test_hand_in_on_time_again_then_not_after_the_deadline(
    setup: tuple[Store, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kit.apps.quickscan_app import quickscan_app

    store, clock = setup
    info, key = store.create_session("Huiswerk", case_id="schuldmaatjes", days=21)
    store.set_homework(info.code, key, Assignment(("quickscan",), DEADLINE).dump())
    monkeypatch.setenv("QUERY_STRING", f"session={info.code}&tab=compare")
    page = quickscan_app()
    # Not joined: the lasting notice, and the reference is held back.
    alone = find(page, "kit-homework-alone-box")
    assert alone is not None and C.t("homework.alone.title", "nl") in alone.value
    view = page.body.children[0].view
    assert "kit-reference-wait" in view.compare.value
    find(page, "kit-session-alias").value = "Uil"
    find(page, "kit-session-join").click()
    assert find(page, "kit-homework-alone-box") is None
    assert C.t("homework.status.not_yet", "nl") in find(page, "kit-homework-status").value
    view = page.body.children[0].view
    # Her teacher set the case: the note says so, not "the trainer" and "the group overview".
    note = find(page, "kit-session-case-note").value
    assert C.t("quickscan.homework_case", "nl") in note and "trainer" not in note
    view.load(view.scan.answer(C.instrument.statements_for("organisatie")[0].id, 2))
    # Hand in: recorded, and (released after the hand-in) the reference shows.
    clock.write_text((NOW + dt.timedelta(days=1)).isoformat())
    find(page, "kit-hand-in").click()
    assert "✓" in find(page, "kit-homework-message").value
    assert "kit-reference-wait" not in view.compare.value
    assert "inlevering 1" in find(page, "kit-homework-status").value
    # Changed and handed in again before the deadline.
    clock.write_text((DEADLINE - dt.timedelta(minutes=1)).isoformat())
    find(page, "kit-hand-in").click()
    status = find(page, "kit-homework-status").value
    assert "inlevering 2" in status
    assert "Eerder: op tijd ingeleverd" in status and "(inlevering 1)" in status  # both shown
    # After the deadline what she handed in stands.
    clock.write_text((DEADLINE + dt.timedelta(hours=1)).isoformat())
    find(page, "kit-hand-in").click()
    assert C.t("homework.error.already-in", "nl") in find(page, "kit-homework-message").value
    mine = store.own_hand_ins(info.code, store.participants(info.code, key)[0].participant)
    assert [(h.number, h.late) for h in mine] == [(1, False), (2, False)]
    assert mine[0].records and mine[0].records[0][0] == "quickscan"


def test_late_and_after_the_session_was_deleted(
    setup: tuple[Store, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kit.apps.phases_app import phases_app

    store, clock = setup
    info, key = store.create_session("Huiswerk", days=21)
    store.set_homework(info.code, key, Assignment(("phases",), DEADLINE, "after-deadline").dump())
    monkeypatch.setenv("QUERY_STRING", f"session={info.code}&lang=en")
    page = phases_app()
    find(page, "kit-session-alias").value = "Merel"
    find(page, "kit-session-join").click()
    clock.write_text((DEADLINE + dt.timedelta(days=1)).isoformat())
    find(page, "kit-hand-in").click()
    assert "after the deadline" in find(page, "kit-homework-message").value
    assert C.t("homework.status.late", "en") in find(page, "kit-homework-status").value
    store.delete_session(info.code, key)
    assert page.body.children  # her page and her answers are still there
    find(page, "kit-hand-in").click()
    assert C.t("homework.error.gone", "en") in find(page, "kit-homework-message").value


def test_a_page_open_across_the_deadline_shows_the_reference_on_the_next_click(
    setup: tuple[Store, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Released after the deadline: handing in before it keeps the reference back; a page left
    open past the deadline shows it once she clicks "Inleveren" again (refused: in already)."""
    from kit.apps.quickscan_app import quickscan_app

    store, clock = setup
    info, key = store.create_session("Huiswerk", case_id="schuldmaatjes", days=21)
    work = Assignment(("quickscan",), DEADLINE, "after-deadline")
    store.set_homework(info.code, key, work.dump())
    monkeypatch.setenv("QUERY_STRING", f"session={info.code}&tab=compare")
    page = quickscan_app()
    find(page, "kit-session-alias").value = "Uil"
    find(page, "kit-session-join").click()
    view = page.body.children[0].view
    view.load(view.scan.answer(C.instrument.statements_for("organisatie")[0].id, 0))
    find(page, "kit-hand-in").click()
    assert "inlevering 1" in find(page, "kit-homework-status").value
    assert "kit-reference-wait" in view.compare.value
    clock.write_text((DEADLINE + dt.timedelta(minutes=1)).isoformat())
    find(page, "kit-hand-in").click()
    assert C.t("homework.error.already-in", "nl") in find(page, "kit-homework-message").value
    assert "kit-reference-wait" not in view.compare.value


def test_a_page_open_across_the_deadline_changes_by_itself(
    setup: tuple[Store, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's heartbeat (kit-page.js sets ``.kit-heartbeat`` every few seconds) is all it
    takes: past the deadline Uil, who handed in, sees that her hand-in stands (no more hand-ins)
    and the reference; Noor, who did not, that a hand-in now is late; once the homework takes
    nothing more, neither can hand in. A beat that finds nothing changed reads no store."""
    from kit.apps.quickscan_app import quickscan_app

    store, clock = setup
    info, key = store.create_session("Huiswerk", case_id="schuldmaatjes", days=40)
    work = Assignment(("quickscan",), DEADLINE, "after-deadline")
    store.set_homework(info.code, key, work.dump())
    monkeypatch.setenv("QUERY_STRING", f"session={info.code}&tab=compare")
    pages = {}
    for alias in ("Uil", "Noor"):
        page = quickscan_app()
        find(page, "kit-session-alias").value = alias
        find(page, "kit-session-join").click()
        pages[alias] = page
    find(pages["Uil"], "kit-hand-in").click()
    views = {a: p.body.children[0].view for a, p in pages.items()}
    reads: list[str] = []
    own = store.own_hand_ins
    monkeypatch.setattr(store, "own_hand_ins", lambda *a: reads.append(a[1]) or own(*a))

    def beat(alias: str) -> None:
        heart = find(pages[alias], "kit-heartbeat")
        heart.value = str(int(heart.value or "0") + 5000)

    clock.write_text((DEADLINE - dt.timedelta(seconds=1)).isoformat())
    before = {a: find(p, "kit-homework-status").value for a, p in pages.items()}
    for alias in pages:
        beat(alias)
        assert find(pages[alias], "kit-homework-status").value == before[alias]
        assert "kit-reference-wait" in views[alias].compare.value
        assert not find(pages[alias], "kit-hand-in").disabled
    assert reads == []  # nothing changed: no store read

    clock.write_text(DEADLINE.isoformat())
    for alias in pages:
        beat(alias)
    uil, noor = (find(pages[a], "kit-homework-status").value for a in ("Uil", "Noor"))
    assert C.t("homework.passed.stands", "nl")[:40] in uil and "inlevering 1" in uil
    assert find(pages["Uil"], "kit-hand-in").disabled
    assert C.t("homework.passed.late", "nl")[:40] in noor
    assert not find(pages["Noor"], "kit-hand-in").disabled
    for alias in pages:  # released after the deadline: the reference shows, without a reload
        assert "kit-reference-wait" not in views[alias].compare.value
    assert len(reads) == 2

    clock.write_text(work.takes_until.isoformat())
    beat("Noor")
    assert (
        C.t("homework.passed.closed", "nl")[:40] in find(pages["Noor"], "kit-homework-status").value
    )
    assert find(pages["Noor"], "kit-hand-in").disabled


def test_the_class_view_open_across_the_deadline_changes_by_itself(
    setup: tuple[Store, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The teacher's class view left open: at the deadline Noor's row turns from "not handed in
    yet" to "not handed in" on the page's heartbeat, without reopening the view. A beat reads the
    store only when the homework's stage changed: Noor's late hand-in shows at the next change
    (the end of the session), not on every beat."""
    from kit import homework
    from kit.apps.homework_app import homework_app

    store, clock = setup
    info, key = store.create_session("Week 50", case_id="schuldmaatjes", days=40)
    work = Assignment(("phases",), DEADLINE)
    store.set_homework(info.code, key, work.dump())
    uil = store.join(info.code, "Uil").participant
    noor = store.join(info.code, "Noor").participant
    store.hand_in(info.code, uil, "Uil", NOW, False, 1, work.exercises)
    monkeypatch.setenv("QUERY_STRING", "")
    page = homework_app()
    find(page, "kit-homework-code").value = info.code
    find(page, "kit-homework-key").value = key
    find(page, "kit-homework-open").click()
    reads: list[str] = []
    every = store.hand_ins
    monkeypatch.setattr(store, "hand_ins", lambda *a: reads.append(a[0]) or every(*a))

    def row(alias: str) -> str:
        return str(
            find(page, "kit-homework-roll")
            .value.split(f"<th scope='row'>{alias}</th>")[1]
            .split("</tr>")[0]
        )

    def beat() -> None:
        heart = find(page, "kit-heartbeat")
        heart.value = str(int(heart.value or "0") + 5000)

    clock.write_text((DEADLINE - dt.timedelta(seconds=1)).isoformat())
    beat()
    assert C.t("homework.status.not_yet", "nl") in row("Noor")
    assert reads == []  # nothing changed: no store read

    clock.write_text(DEADLINE.isoformat())
    beat()
    assert C.t("homework.status.missing", "nl") in row("Noor")
    assert C.t("homework.status.on_time", "nl") in row("Uil")
    assert len(reads) == 1
    # Noor hands in late; the beats after it read nothing until the stage changes again.
    late = homework.hand_in_rule(work, DEADLINE + dt.timedelta(hours=1), None)
    store.hand_in(
        info.code, noor, "Noor", DEADLINE + dt.timedelta(hours=1), late.late, 1, work.exercises
    )
    beat()
    assert len(reads) == 1 and C.t("homework.status.missing", "nl") in row("Noor")
    clock.write_text(work.takes_until.isoformat())
    beat()
    assert C.t("homework.status.late", "nl") in row("Noor")
    assert len(reads) == 2
    pdfs = {b.description for b in find_all(page, "kit-homework-pdf")}
    assert pdfs == {C.t("homework.view.pdf", "nl", alias=a) for a in ("Uil", "Noor")}
