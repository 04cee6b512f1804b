"""How the kit's pools refill (kit/voila_server.py acting on kit/pool_policy.py): two kernels at
a time, once the room has stopped arriving. Voila's own kernel start is replaced by a stand-in
that records when it ran; the pools in a real server are tested in test_room.py and measured in
``make bench``. Each scenario runs on a thread of its own (a browser test may have left this
worker's loop marked as running)."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import pytest
from traitlets.config import LoggingConfigurable

from kit import pool_policy, voila_server
from tests.conftest import on_a_thread_of_its_own


class Base(LoggingConfigurable):  # stands in for jupyter_server's kernel manager
    pass


@pytest.fixture
def manager(monkeypatch: pytest.MonkeyPatch) -> tuple[Any, list[tuple[str, float, float]]]:
    """A ReadyFirst manager whose Voila kernel start takes 50 ms and is logged as
    (kernel_id or "new", start, end)."""
    monkeypatch.setattr(pool_policy, "QUIET_SECONDS", 0.3)
    monkeypatch.setattr(voila_server, "POLL_SECONDS", 0.01)
    cls = voila_server.ready_first_pools(Base, True, 0)
    log: list[tuple[str, float, float]] = []

    async def voila_initialize(
        self: Any, notebook: str, kernel_id: str | None = None, **kw: Any
    ) -> dict[str, Any]:
        start = time.monotonic()
        await asyncio.sleep(0.05)
        log.append((kernel_id or "new", start, time.monotonic()))
        rendered = asyncio.get_running_loop().create_future()
        rendered.set_result(None)  # the pre-heat render ended
        return {"kernel_id": f"k{len(log)}", "task": rendered}

    voila_manager = cls.__mro__[1]  # the class Voila's factory made
    monkeypatch.setattr(voila_manager, "_initialize", voila_initialize)
    m = cls.__new__(cls)
    m._pools = {}
    return m, log


def most_at_once(log: list[tuple[str, float, float]]) -> int:
    return max(sum(1 for _, s, e in log if s <= t < e) for _, t, _ in log)


def test_refills_wait_for_the_room_and_start_two_at_a_time(manager: Any) -> None:
    m, log = manager

    async def room_then_refills() -> float:
        assert m.get_pool_size("deelnemer.ipynb") == 0  # a visitor: the room is arriving
        visited = time.monotonic()
        await asyncio.gather(*(m._initialize("deelnemer.ipynb") for _ in range(6)))
        return visited

    visited = on_a_thread_of_its_own(lambda: asyncio.run(room_then_refills()))
    assert len(log) == 6
    assert min(start for _, start, _ in log) - visited >= 0.3  # quiet first
    assert most_at_once(log) == voila_server.START_AT_ONCE == 2


def test_a_restart_is_not_held_back(manager: Any) -> None:
    m, log = manager

    async def restart() -> float:
        m.get_pool_size("deelnemer.ipynb")
        visited = time.monotonic()
        await m._initialize("deelnemer.ipynb", "kernel-7")
        return visited

    visited = on_a_thread_of_its_own(lambda: asyncio.run(restart()))
    assert [kid for kid, _, _ in log] == ["kernel-7"]
    assert log[0][1] - visited < 0.3


def test_a_refill_waits_until_its_kernel_waits_for_a_visitor(
    manager: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """The next refill starts only when the previous one holds the request-info websocket
    (``wait_for_request()``), not when its kernel process merely started; the kernel is logged
    as ready then, and only then (tests of a real pool wait for that line)."""
    m, _ = manager
    m.log = logging.getLogger("kit-test-pool")
    waiters = voila_server.RequestInfoSocketHandler._waiters
    ready = voila_server.READY_LOG % ("k9", "deelnemer.ipynb")

    async def preheat() -> tuple[bool, bool, bool]:
        render = asyncio.get_running_loop().create_future()  # still running the notebook
        content = {"kernel_id": "k9", "task": render}
        waiting = asyncio.create_task(m._preheated(content, "deelnemer.ipynb"))
        await asyncio.sleep(0.1)
        before = waiting.done()
        logged_before = ready in caplog.messages
        waiters["k9"] = object()  # the kernel reached wait_for_request()
        await asyncio.wait_for(waiting, 2)
        return before, logged_before, waiting.done()

    caplog.set_level(logging.INFO, logger="kit-test-pool")
    try:
        assert on_a_thread_of_its_own(lambda: asyncio.run(preheat())) == (False, False, True)
    finally:
        waiters.pop("k9", None)
    assert caplog.messages.count(ready) == 1


def test_a_kernel_that_never_waits_is_not_logged_ready(
    manager: Any, caplog: pytest.LogCaptureFixture
) -> None:
    m, _ = manager
    m.log = logging.getLogger("kit-test-pool")
    caplog.set_level(logging.INFO, logger="kit-test-pool")

    async def preheat() -> None:
        render = asyncio.get_running_loop().create_future()
        render.set_result(None)  # the render ended (a notebook without wait_for_request())
        await m._preheated({"kernel_id": "k8", "task": render}, "deelnemer.ipynb")

    on_a_thread_of_its_own(lambda: asyncio.run(preheat()))
    assert not any("is ready" in message for message in caplog.messages)
    assert any("without waiting for a visitor" in message for message in caplog.messages)


def test_the_culler_passes_over_a_kernel_that_closed_meanwhile(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """jupyter_server's culler lists the kernels and then looks each up; a page that closed in
    between left an ERROR with a traceback in the server log (a full run caught one)."""
    from jupyter_server.services.kernels.kernelmanager import MappingKernelManager

    cls = voila_server.ready_first_pools(MappingKernelManager, False, 0)
    m = cls()

    async def cull_a_gone_kernel() -> None:
        await m.cull_kernel_if_idle("closed-meanwhile")

    with caplog.at_level(logging.DEBUG):
        on_a_thread_of_its_own(lambda: asyncio.run(cull_a_gone_kernel()))
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
