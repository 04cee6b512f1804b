"""The Hexagon in a led workshop (issue 19 §3): the half-day agenda has a choosing step, and the
trainer moving the room there opens the Hexagon on every phone, through the step's tab like any
other exercise; a link can open it too (``?tab=choose``)."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pytest

from kit.apps.common import Ctx, Status
from kit.content import default_content
from kit.content.models import STEP_TABS
from kit.group import Memory
from kit.links import parse
from kit.storage import Store
from tests.conftest import on_a_thread_of_its_own

C = default_content()


def test_the_half_day_has_a_choosing_step_before_the_transfer() -> None:
    agenda = C.agenda("workshop")
    ids = [s.id for s in agenda.steps]
    step = agenda.step("kiezen")
    assert (step.kind, step.app, step.tab) == ("exercise", "phases", "choose")
    assert ids.index("kiezen") == ids.index("eigen-interventie") - 1
    assert step.text is not None and "PDF" in step.text("nl") and "PDF" in step.text("en")
    # The tab the step names is the Phases app's fourth, the Hexagon.
    assert STEP_TABS["phases"].index("choose") == 3
    assert C.t("phases.tab.choose", "nl").startswith("4.")


def test_a_link_opens_the_choosing_tab() -> None:
    link = parse({"tab": "choose"}, C, "phases")
    assert link.tab == 3 and link.problems == ()
    assert link.view() == {"phases.tab": 3}


@pytest.fixture
def led_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'led.sqlite3'}")
    monkeypatch.setattr("kit.storage._stores", {store.url: store})
    monkeypatch.setenv("KIT_DATABASE_URL", store.url)
    yield store  # type: ignore[misc]
    store.dispose()


def test_the_trainer_moves_the_room_and_the_phone_opens_the_hexagon(led_store: Store) -> None:
    # On a thread: the phone opens an exercise's tab through the event loop when one runs
    # (see tests/test_browser_room.py).
    on_a_thread_of_its_own(lambda: _phone_opens_the_hexagon(led_store))


def _phone_opens_the_hexagon(store: Store) -> None:
    from kit.agenda import Action
    from kit.apps.room_app import PhonePanel
    from kit.apps.workshop import build_workshop
    from kit.group import SessionClient
    from kit.led import Led

    info, key = store.create_session("Kiezen")
    memory = Memory()
    memory.attach(SessionClient(store, store.join(info.code, "Vos")))
    ctx = Ctx(C, "nl", Status(), memory)
    page = build_workshop(ctx)  # the participant's page: the room's panel, then the tabs
    tabs = next(c for c in page.children if isinstance(c, w.Tab))
    tabs.selected_index = 2  # she was looking at Kern en schil
    panel = PhonePanel(ctx, tabs)
    led = Led(store, C, info.code)
    led.start(key, "workshop")
    at = [s.id for s in C.agenda("workshop").steps].index("kiezen")
    led.act(key, Action.GOTO, to=at)
    panel.tick()
    assert "Kiezen: past deze interventie bij ons?" in panel.head.value
    assert tabs.selected_index == 0  # the Phases app
    phases = tabs.children[0].children[0]
    assert isinstance(phases, w.Tab) and phases.selected_index == 3
    hexagon = phases.children[3].children[0]
    assert "kit-hexagon" in hexagon._dom_classes
    assert memory.view["phases.tab"] == 3
