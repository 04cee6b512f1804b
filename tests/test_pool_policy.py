"""The pools' decisions (kit/pool_policy.py), without Voila: how many kernels a room pre-heats,
when a refill may start, which kernel a page gets and when a refill counts as done. How the
server acts on them is tested in test_pools.py (a stand-in kernel start) and test_room.py (a
real server)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from kit import pool_policy
from kit.pool_policy import (
    Preheat,
    failed,
    kernel_pools,
    preheat_state,
    ready,
    ready_first,
    refill_may_start,
)
from kit.serve import PARTICIPANT_PAGE, voila_config
from tests.conftest import on_a_thread_of_its_own


@dataclass
class Kernel:
    """A pool's entry as the policy sees it: a started, cancelled or failed start, or one
    still starting."""

    name: str
    state: str = "ready"  # ready | starting | cancelled | failed

    def done(self) -> bool:
        return self.state != "starting"

    def cancelled(self) -> bool:
        return self.state == "cancelled"

    def exception(self) -> BaseException | None:
        return RuntimeError("kernel died") if self.state == "failed" else None


def names(pool: list[Kernel]) -> list[str]:
    return [k.name for k in pool]


# ----------------------------------------------------------------------------- how many


@pytest.mark.parametrize("room", [1, 12, 30])
def test_a_room_pre_heats_one_participant_page_per_phone_and_nothing_else(room: int) -> None:
    assert kernel_pools(room, "deelnemer.ipynb") == {
        "default": {"pool_size": 0},
        "deelnemer.ipynb": {"pool_size": room},
    }


@pytest.mark.parametrize("room", [0, -1])
def test_without_a_room_no_page_is_pre_heated(room: int) -> None:
    assert kernel_pools(room, "deelnemer.ipynb") == {"default": {"pool_size": 0}}


def test_the_server_configuration_carries_the_rooms_pools() -> None:
    pools = voila_config(room=25)["VoilaKernelManager"]["kernel_pools_config"]
    assert pools == {"default": {"pool_size": 0}, PARTICIPANT_PAGE: {"pool_size": 25}}
    assert voila_config()["VoilaKernelManager"]["kernel_pools_config"] == {
        "default": {"pool_size": 0}
    }


# ----------------------------------------------------------------------------- when to refill


def test_a_refill_waits_for_five_quiet_seconds() -> None:
    assert pool_policy.QUIET_SECONDS == 5.0
    assert not refill_may_start(now=104.99, last_visit=100.0, waiting_since=100.0)
    assert refill_may_start(now=105.0, last_visit=100.0, waiting_since=100.0)
    assert refill_may_start(now=160.0, last_visit=100.0, waiting_since=150.0)


def test_a_refill_on_a_server_that_never_goes_quiet_starts_after_two_minutes() -> None:
    assert pool_policy.QUIET_MAX_WAIT == 120.0
    # a visitor every second: never five quiet seconds
    assert not refill_may_start(now=119.9, last_visit=119.0, waiting_since=0.0)
    assert refill_may_start(now=120.0, last_visit=119.5, waiting_since=0.0)
    assert refill_may_start(now=500.0, last_visit=499.5, waiting_since=200.0)
    # the two minutes count from when this refill began to wait, not from the start
    assert not refill_may_start(now=500.0, last_visit=499.5, waiting_since=400.0)


# ----------------------------------------------------------------------------- which kernel


def test_a_page_gets_the_first_ready_kernel_and_the_rest_keep_their_order() -> None:
    pool = [Kernel("a", "starting"), Kernel("b"), Kernel("c", "starting"), Kernel("d")]
    assert ready_first(pool)
    assert names(pool) == ["b", "a", "c", "d"]  # Voila takes pool[0]: b


def test_a_ready_kernel_already_in_front_stays_there() -> None:
    pool = [Kernel("a"), Kernel("b", "starting"), Kernel("c")]
    assert ready_first(pool)
    assert names(pool) == ["a", "b", "c"]


def test_without_a_ready_kernel_the_pool_is_left_alone() -> None:
    pool = [Kernel("a", "starting"), Kernel("b", "starting")]
    assert ready_first(pool) is False
    assert names(pool) == ["a", "b"]
    assert ready_first([]) is False


def test_ready_kernels_are_the_started_ones_in_pool_order() -> None:
    pool = [Kernel("a"), Kernel("b", "starting"), Kernel("c"), Kernel("d", "starting")]
    assert names(ready(pool)) == ["a", "c"]
    assert ready([Kernel("x", "starting")]) == []


def test_cancelled_and_failed_starts_are_dropped_started_and_starting_ones_kept() -> None:
    pool = [
        Kernel("ok"),
        Kernel("cancelled", "cancelled"),
        Kernel("starting", "starting"),
        Kernel("failed", "failed"),
    ]
    assert names(failed(pool)) == ["cancelled", "failed"]
    assert failed([Kernel("ok"), Kernel("starting", "starting")]) == []


def test_real_tasks_a_failed_start_and_a_ready_one() -> None:
    """The policy reads Voila's pool entries, asyncio futures, as they are."""

    async def pool_of_futures() -> tuple[list[str], list[str], bool, list[str]]:
        loop = asyncio.get_running_loop()
        starting, crashed, cancelled, started = (loop.create_future() for _ in range(4))
        crashed.set_exception(RuntimeError("no kernel"))
        cancelled.cancel()
        started.set_result({"kernel_id": "k1"})
        pool = [starting, crashed, cancelled, started]
        label = {id(starting): "starting", id(crashed): "crashed"}
        label |= {id(cancelled): "cancelled", id(started): "started"}
        lost = [label[id(f)] for f in failed(pool)]
        for f in failed(pool):
            pool.remove(f)
        moved = ready_first(pool)
        crashed.exception()  # retrieved: no "never retrieved" warning
        return lost, [label[id(f)] for f in ready(pool)], moved, [label[id(f)] for f in pool]

    # On a thread: once a browser test ran in this worker, Playwright's loop counts as running.
    lost, got_ready, moved, order = on_a_thread_of_its_own(lambda: asyncio.run(pool_of_futures()))
    assert lost == ["crashed", "cancelled"]
    assert got_ready == ["started"]
    assert moved and order == ["started", "starting"]


# ----------------------------------------------------------------------------- refill done


def test_a_kernel_waiting_for_its_visitor_before_the_deadline_is_ready() -> None:
    assert preheat_state(10.0, 90.0, render_ended=False, kernel_waits=True) is Preheat.READY
    assert preheat_state(89.9, 90.0, render_ended=False, kernel_waits=True) is Preheat.READY


def test_a_kernel_still_running_its_notebook_is_starting_until_the_deadline() -> None:
    assert preheat_state(10.0, 90.0, render_ended=False, kernel_waits=False) is Preheat.STARTING
    assert preheat_state(89.9, 90.0, render_ended=False, kernel_waits=False) is Preheat.STARTING
    assert preheat_state(90.0, 90.0, render_ended=False, kernel_waits=False) is Preheat.LATE
    assert preheat_state(95.0, 90.0, render_ended=False, kernel_waits=True) is Preheat.LATE


def test_a_render_that_ended_never_counts_as_waiting_for_a_visitor() -> None:
    for now, waits in ((10.0, False), (10.0, True), (95.0, True), (95.0, False)):
        assert preheat_state(now, 90.0, render_ended=True, kernel_waits=waits) is Preheat.ENDED


def test_the_ready_log_line_names_the_kernel_and_the_page() -> None:
    line = pool_policy.READY_LOG % ("k-1", "deelnemer.ipynb")
    assert line == "pre-heated kernel k-1 for deelnemer.ipynb is ready, waiting for its visitor"
