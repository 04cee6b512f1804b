"""When the kit's kernel pools pre-heat, refill and hand out kernels: the decisions alone, without
Voila or a running server (:mod:`kit.voila_server` acts on them; ``tests/test_pool_policy.py``).

A room of thirty phones arrives within a minute. Voila refills a pool the moment a page takes a
kernel and hands the next visitor whatever kernel is first in the pool, started or not; the kit
instead pre-heats only the participant page, as many kernels as the room has phones
(:func:`kernel_pools`), hands a page a kernel that is ready (:func:`ready_first`) and refills
:data:`START_AT_ONCE` at a time once the room has stopped arriving (:func:`refill_may_start`).
A refill counts as done when its kernel waits for its visitor (:func:`preheat_state`).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Protocol, TypeVar

#: Pool kernels pre-heated at the same time. More only share the same two cores and make every
#: page that arrives meanwhile slower.
START_AT_ONCE = 2
#: A refill starts only once no page was asked for during this many seconds...
QUIET_SECONDS = 5.0
#: ...or after waiting this long for that, on a server that never goes quiet.
QUIET_MAX_WAIT = 120.0
#: How long a refill may take to reach ``wait_for_request()`` before the next one starts anyway.
PREHEAT_DEADLINE = 90.0
#: Seconds between two looks at whether a refill may start or has reached its visitor's wait.
POLL_SECONDS = 0.25
#: Logged (kernel id, notebook) once a pre-heated kernel has run its notebook up to
#: ``wait_for_request()`` and waits for its visitor: from then on a page gets it at once.
READY_LOG = "pre-heated kernel %s for %s is ready, waiting for its visitor"


def kernel_pools(room: int, page: str) -> dict[str, dict[str, int]]:
    """Voila's ``kernel_pools_config`` for a room of ``room`` phones: ``room`` pre-heated kernels
    of the participant ``page`` (the trainer opens a page or two, a room opens thirty), none of
    any other page.

    >>> kernel_pools(30, "deelnemer.ipynb")
    {'default': {'pool_size': 0}, 'deelnemer.ipynb': {'pool_size': 30}}
    >>> kernel_pools(0, "deelnemer.ipynb")
    {'default': {'pool_size': 0}}
    """
    pools = {"default": {"pool_size": 0}}
    if room > 0:
        pools[page] = {"pool_size": room}
    return pools


def refill_may_start(now: float, last_visit: float, waiting_since: float) -> bool:
    """Whether a pool refill may start: the room has stopped arriving, or it waited long enough.

    >>> refill_may_start(now=100.0, last_visit=96.0, waiting_since=90.0)  # a visitor 4 s ago
    False
    >>> refill_may_start(now=100.0, last_visit=95.0, waiting_since=90.0)  # 5 s of quiet
    True
    >>> refill_may_start(now=300.0, last_visit=299.0, waiting_since=180.0)  # never quiet
    True
    """
    return now - last_visit >= QUIET_SECONDS or now - waiting_since >= QUIET_MAX_WAIT


class Starting(Protocol):
    """A pool's kernel as Voila keeps it: the task (an :class:`asyncio.Future`) starting it."""

    def done(self) -> bool: ...
    def cancelled(self) -> bool: ...
    def exception(self) -> BaseException | None: ...


K = TypeVar("K", bound=Starting)


def failed(pool: Sequence[K]) -> list[K]:
    """The kernels of ``pool`` that will never serve anyone: their start was cancelled or
    failed. The pool drops them and starts others."""
    return [k for k in pool if k.done() and (k.cancelled() or k.exception() is not None)]


def ready(pool: Sequence[K]) -> list[K]:
    """The kernels of ``pool`` that have started (once :func:`failed` ones are dropped: ready
    for a visitor), in the pool's order."""
    return [k for k in pool if k.done()]


def ready_first(pool: list[K]) -> bool:
    """Put the first ready kernel of ``pool`` at its front, where Voila takes a page's kernel
    from; the others keep their order. Whether there was one: without, the page starts a
    kernel of its own (as without a pool), rather than wait for a refill still starting."""
    found = ready(pool)
    if not found:
        return False
    pool.remove(found[0])
    pool.insert(0, found[0])
    return True


class Preheat(StrEnum):
    """Where a refill's kernel is: still running its notebook, waiting for its visitor (ready),
    its render ended without waiting, or too late (:data:`PREHEAT_DEADLINE` passed)."""

    STARTING = "starting"
    READY = "ready"
    ENDED = "ended"
    LATE = "late"


def preheat_state(now: float, deadline: float, render_ended: bool, kernel_waits: bool) -> Preheat:
    """Where a refill's kernel is at ``now``; anything but :attr:`Preheat.STARTING` lets the
    next refill start. A render that ended never waits for a visitor, whatever else holds.

    >>> preheat_state(10.0, 90.0, render_ended=False, kernel_waits=False)
    <Preheat.STARTING: 'starting'>
    >>> preheat_state(10.0, 90.0, render_ended=False, kernel_waits=True)
    <Preheat.READY: 'ready'>
    >>> preheat_state(90.0, 90.0, render_ended=False, kernel_waits=True)
    <Preheat.LATE: 'late'>
    """
    if render_ended:
        return Preheat.ENDED
    if now >= deadline:
        return Preheat.LATE
    return Preheat.READY if kernel_waits else Preheat.STARTING
