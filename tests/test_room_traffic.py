"""What a led room sends to a phone's page, counted in widget messages and bytes.

Every widget message from a participant's kernel goes through one queue to the page: the
kernel serialises it, the server relays it, the page builds a model (and a view) for it, in
order. A step change on the phones is therefore as fast as the queue in front of it. In
``make bench-room`` (10 phones in Chromium on two cores) the step right after the Quickscan
exercise took 6.8-7.0 s on every phone while the step change itself is one small message: the
Quickscan the phones had just opened sent 168 messages (116 new models, 89 kB) per phone, and the
title of the next step waited behind them. Counting messages and bytes does not depend on how
busy the machine is; a timing would.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import comm
import ipywidgets as w
import pytest

from kit.agenda import Action
from kit.apps import room_app
from kit.apps.common import Ctx, Status
from kit.content import default_content
from kit.group import Memory, SessionClient
from kit.led import Led
from kit.storage import Store
from tests.conftest import on_a_thread_of_its_own


@dataclass
class Sent:
    """The comm messages a kernel sent to its page: (type, bytes of JSON, data)."""

    messages: list[tuple[str, int, dict[str, Any]]] = field(default_factory=list)

    def clear(self) -> None:
        self.messages.clear()

    @property
    def count(self) -> int:
        return len(self.messages)

    @property
    def size(self) -> int:
        return sum(n for _, n, _ in self.messages)

    def models(self) -> Counter[str]:
        return Counter(
            d.get("state", {}).get("_model_name", "?")
            for kind, _, d in self.messages
            if kind == "comm_open"
        )


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Sent:
    """Every widget made in the test sends through a comm that records what it publishes."""
    record = Sent()

    class Recording(comm.DummyComm):  # type: ignore[misc]
        def publish_msg(
            self,
            msg_type: str,
            data: dict[str, Any] | None = None,
            metadata: dict[str, Any] | None = None,
            buffers: Any = None,
            **keys: Any,
        ) -> None:
            size = len(json.dumps(data, default=str))
            record.messages.append((msg_type, size, data or {}))

    monkeypatch.setattr(w.widgets.widget.comm, "create_comm", Recording)
    return record


@dataclass
class Phone:
    panel: room_app.PhonePanel
    led: Led
    key: str


@pytest.fixture
def phone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sent: Sent) -> Iterator[Phone]:
    """A participant's page (the workshop) joined to a led session on the default agenda."""
    from kit.apps.workshop import build_workshop

    store = Store(f"sqlite:///{tmp_path / 'room.sqlite3'}")
    monkeypatch.setattr("kit.storage._stores", {store.url: store})
    monkeypatch.setenv("KIT_DATABASE_URL", store.url)
    content = default_content()
    info, key = store.create_session("Traffic", None, "samen-sterk")
    memory = Memory()
    memory.attach(SessionClient(store, store.join(info.code, "P0")))
    ctx = Ctx(content, "en", Status(), memory)
    led = Led(store, content, info.code)
    led.start(key, "workshop")
    build_workshop(ctx)
    try:
        yield Phone(_panel(ctx), led, key)
    finally:
        store.dispose()


def _panel(ctx: Ctx) -> room_app.PhonePanel:
    """The page's phone panel (the page keeps it only through its widgets' callbacks)."""
    import gc

    found = [o for o in gc.get_objects() if isinstance(o, room_app.PhonePanel) and o.ctx is ctx]
    assert len(found) == 1
    return found[0]


def go_to(phone: Phone, sent: Sent, step_id: str) -> None:
    """The trainer clicks Next until ``step_id``; the phone looks at the store after each click
    (outside a kernel's loop an exercise's app opens at once, as it does a second later there)."""
    agenda = default_content().agenda("workshop")
    ids = [s.id for s in agenda.steps]
    for _ in range(ids.index(step_id)):
        phone.led.act(phone.key, Action.NEXT)
        on_a_thread_of_its_own(phone.panel.tick)


def test_the_step_after_the_quickscan_is_one_small_message(phone: Phone, sent: Sent) -> None:
    go_to(phone, sent, "quickscan")
    sent.clear()
    phone.led.act(phone.key, Action.NEXT)  # to "profiel", the group's picture
    on_a_thread_of_its_own(phone.panel.tick)
    assert "The group&#x27;s picture" in phone.panel.head.value
    assert sent.count <= 2 and sent.size < 2_000, sent.messages
    sent.clear()
    on_a_thread_of_its_own(phone.panel.tick)  # the next look: nothing changed, nothing sent
    assert sent.count == 0


def test_opening_the_quickscan_on_a_phone_sends_half_what_it_did(phone: Phone, sent: Sent) -> None:
    go_to(phone, sent, "past-het")
    sent.clear()
    phone.led.act(phone.key, Action.NEXT)  # the Quickscan exercise: its tab opens on the phone
    on_a_thread_of_its_own(phone.panel.tick)
    models = sent.models()
    assert models["RadioButtonsModel"] == 5  # the first phase's statements are there
    # Before: 168 messages, 116 new models (46 of them empty Layouts of ~1 kB), 89 kB.
    assert sent.count <= 90, models
    assert sum(models.values()) <= 65, models
    assert models["LayoutModel"] <= 12, models
    assert sent.size <= 48_000
    # Every statement still has its own radio group with its classes, and the same look.
    scales = [
        d["state"]
        for kind, _, d in sent.messages
        if kind == "comm_open" and d["state"].get("_model_name") == "RadioButtonsModel"
    ]
    assert all("kit-scale" in s["_dom_classes"] for s in scales)
    assert len({s["layout"] for s in scales}) == 1  # one shared layout (width: auto)
