"""A led session through the store (kit.led over kit.storage.rooms), on SQLite and PostgreSQL:
the trainer's actions with the key, votes only on the current open step, one vote per
participant, and everything gone with the session."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from kit.agenda import Action, Room
from kit.content import Content, default_content
from kit.led import Led, LedError
from kit.sessions import InputError, Problem
from kit.storage import Store
from kit.storage.schema import rooms, votes

T0 = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def content() -> Content:
    return default_content()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store(db_url)
    yield s
    s.dispose()


def _session(store: Store, content: Content) -> tuple[Led, str, list[str]]:
    info, key = store.create_session("Led", case_id="buurtkracht")
    people = [store.join(info.code, f"Deelnemer {i}").participant for i in range(3)]
    return Led(store, content, info.code), key, people


def _goto(led: Led, key: str, step_id: str) -> Room:
    room = led.room()
    assert room is not None
    agenda = led.agenda(room)
    assert agenda is not None
    index = [s.id for s in agenda.steps].index(step_id)
    return led.act(key, Action.GOTO, to=index, now=T0)


def test_a_session_is_free_until_it_is_led(store: Store, content: Content) -> None:
    led, key, _ = _session(store, content)
    assert led.room() is None and led.version() is None
    room = led.start(key, "kort")
    assert (room.agenda, room.step, room.mode, room.version) == ("kort", 0, "led", 0)
    assert led.room() == room and led.version() == 0
    moved = led.act(key, Action.NEXT, now=T0)
    assert led.room() == moved and led.version() == 1 and moved.step == 1


def test_only_the_facilitator_key_moves_the_room(store: Store, content: Content) -> None:
    led, key, _ = _session(store, content)
    with pytest.raises(InputError) as refused:
        led.start("WRONG-KEY0-0000", "kort")
    assert refused.value.code == Problem.BAD_KEY
    led.start(key, "kort")
    typo = key[:-1] + ("R" if key.endswith("Q") else "Q")  # one character off, never the key
    for bad in ("", "x", typo):
        with pytest.raises(InputError):
            led.act(bad, Action.NEXT, now=T0)
    assert led.room() is not None and led.room().step == 0  # type: ignore[union-attr]
    with pytest.raises(LedError, match="unknown-agenda"):
        led.start(key, "nope")


def test_a_vote_counts_only_on_the_current_open_step(store: Store, content: Content) -> None:
    led, key, (a, b, c) = _session(store, content)
    led.start(key, "kort")
    with pytest.raises(LedError, match="moved-on"):
        led.vote(a, "fase-poll", "weten", now=T0)  # the room is still on "welkom"
    _goto(led, key, "fase-poll")
    assert led.vote(a, "fase-poll", "weten", now=T0) == "weten"
    led.vote(b, "fase-poll", "doen", now=T0)
    led.vote(a, "fase-poll", "begrijpen", now=T0)  # changes her mind: the last one counts
    assert sorted(store.poll_values(led.code, "fase-poll")) == ["begrijpen", "doen"]
    assert store.poll_votes(led.code, key, "fase-poll") == {a: "begrijpen", b: "doen"}
    with pytest.raises(LedError, match="bad-answer"):
        led.vote(c, "fase-poll", "wilen", now=T0)
    led.act(key, Action.CLOSE, now=T0)
    with pytest.raises(LedError, match="closed"):
        led.vote(c, "fase-poll", "weten", now=T0)
    led.act(key, Action.OPEN, now=T0)
    led.act(key, Action.START_TIMER, now=T0)  # 90 s
    led.vote(c, "fase-poll", "weten", now=T0 + dt.timedelta(seconds=89))
    with pytest.raises(LedError, match="closed"):
        led.vote(c, "fase-poll", "doen", now=T0 + dt.timedelta(seconds=91))
    assert store.own_vote(led.code, c, "fase-poll") == "weten"
    with pytest.raises(InputError):
        store.poll_votes(led.code, "not-the-key", "fase-poll")


def test_open_answers_are_cleaned_and_a_closed_session_takes_no_vote(
    store: Store, content: Content
) -> None:
    led, key, (a, b, _) = _session(store, content)
    led.start(key, "kort")
    _goto(led, key, "meenemen")
    assert (
        led.vote(a, "meenemen", "  Eerst\x00 kijken\x1b waar  we staan ")
        == "Eerst kijken waar we staan"
    )
    with pytest.raises(LedError, match="bad-answer"):
        led.vote(b, "meenemen", "x" * 81)
    store.close_session(led.code, key)
    with pytest.raises(InputError) as closed:
        led.vote(b, "meenemen", "later")
    assert closed.value.code == Problem.CLOSED
    assert store.poll_values(led.code, "meenemen") == ["Eerst kijken waar we staan"]


def test_two_leading_screens_at_once_lose_no_action(db_url: str, content: Content) -> None:
    first = Store(db_url)
    info, key = first.create_session("Twee schermen")
    Led(first, content, info.code).start(key, "workshop")
    stores = [Store(db_url) for _ in range(4)]
    errors: list[BaseException] = []

    def press(store: Store) -> None:
        try:
            Led(store, content, info.code).act(key, Action.NEXT)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=press, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    room = Led(first, content, info.code).room()
    assert not errors, errors
    assert room is not None and (room.step, room.version) == (4, 4)
    for s in [first, *stores]:
        s.dispose()


def test_votes_and_the_room_go_with_the_session(store: Store, content: Content) -> None:
    led, key, (a, _, _) = _session(store, content)
    led.start(key, "kort")
    _goto(led, key, "ervaring")
    led.vote(a, "ervaring", "4")
    store.delete_session(led.code, key)
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(votes)).scalar_one() == 0
        assert conn.execute(sa.select(sa.func.count()).select_from(rooms)).scalar_one() == 0


def test_a_vote_too_large_for_the_store_is_refused(store: Store, content: Content) -> None:
    led, _, (a, _, _) = _session(store, content)
    with pytest.raises(InputError) as refused:
        store.vote(led.code, a, "plank", "x" * 401)
    assert refused.value.code == Problem.TOO_LARGE


def test_switching_agenda_starts_at_its_first_step(store: Store, content: Content) -> None:
    led, key, _ = _session(store, content)
    led.start(key, "workshop")
    _goto(led, key, "fase-poll")
    led.act(key, Action.REVEAL, now=T0)
    switched = led.start(key, "kort")
    assert (switched.agenda, switched.step, switched.version) == ("kort", 0, 3)
    assert switched.revealed == {"fase-poll"}  # what was revealed stays revealed
    assert led.room() == switched


def test_a_room_state_that_cannot_be_read_runs_the_session_free(
    store: Store, content: Content, caplog: pytest.LogCaptureFixture
) -> None:
    led, key, _ = _session(store, content)
    led.start(key, "kort")
    with store.engine.begin() as conn:
        conn.execute(rooms.update().values(state='{"agenda": "kort", "mode": "chaos"}'))
    assert led.room() is None
    assert "cannot be read" in caplog.text
    with pytest.raises(LedError, match="not-led"):
        led.vote("p", "welkom", "x")


def test_own_vote_and_the_projectors_values(store: Store, content: Content) -> None:
    led, key, (a, b, c) = _session(store, content)
    led.start(key, "kort")
    _goto(led, key, "ervaring")
    step = content.agenda("kort").step("ervaring")
    assert led.own_vote(a, step) is None and led.values(step) == []
    led.vote(a, "ervaring", "2")
    led.vote(b, "ervaring", "5")
    assert led.own_vote(a, step) == "2" and led.own_vote(c, step) is None
    assert sorted(led.values(step)) == ["2", "5"]
    assert ("ervaring", a, "2") in store.all_votes(led.code, key)


def test_each_refusal_has_its_own_text(content: Content) -> None:
    from kit.led import refused_text_key

    keys = {refused_text_key(LedError(r)) for r in ("closed", "moved-on", "bad-answer", "busy")}
    assert keys == {f"room.refused.{r}" for r in ("closed", "moved-on", "bad-answer", "busy")}
    assert all(k in content.ui for k in keys)
    assert refused_text_key(InputError(Problem.CLOSED)) == "session.error.closed"
    assert refused_text_key(RuntimeError("x")) == "room.refused.busy"


def test_the_projector_reads_answers_without_aliases_and_only_in_a_led_session(
    store: Store, content: Content
) -> None:
    from kit.answers import Adaptations, Proposal, ScanAnswers

    led, key, (a, b, _) = _session(store, content)
    scan = ScanAnswers(perspective="organisatie", case="buurtkracht", values={"org-0-1": 2})
    adapt = Adaptations(
        intervention="samen-sterk",
        proposals=(Proposal(element="ten-sessions", type="shorten", reason="Geen geld"),),
    )
    store.save(led.code, a, "Deelnemer 0", scan)
    store.save(led.code, b, "Deelnemer 1", scan)
    store.save(led.code, b, "Deelnemer 1", adapt)
    exercise = content.agenda("workshop").step("quickscan")
    assert led.exercise_answers(exercise) == []  # not led: nothing leaves for a screen
    led.start(key, "workshop")
    found = led.exercise_answers(exercise)
    assert [s.record for s in found] == [scan, scan]
    assert {s.alias for s in found} == {""}
    assert {s.participant for s in found} == {"0", "1"}  # ordinals, not the stored ids
    assert not {a, b} & {s.participant for s in found}
    kern = led.exercise_answers(content.agenda("workshop").step("kern-oefenen"))
    assert [s.record for s in kern] == [adapt]
