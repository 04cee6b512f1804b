"""Group sessions: the participant's answer memory, saving to the store, and the aggregation the
trainer's dashboard shows. Aggregation is pure (submissions in, numbers out)."""

from __future__ import annotations

import asyncio
import logging
import statistics
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from kit import adaptations, quickscan
from kit.answers import Adaptations, Key, Mark, PhaseGuess, Plan, Record, ScanAnswers
from kit.content import Content

if TYPE_CHECKING:  # the database layer is imported only when a session is joined
    from kit.storage import Joined, SessionInfo, Store, Submission

log = logging.getLogger("kit")

R = TypeVar("R", bound=Record)


#: How long an answer waits for the store before the page says "not saved yet" and goes on.
SAVE_WAIT = 0.3
#: Seconds between attempts while the store cannot be reached.
RETRY_SECONDS = 5.0
#: What SQLite and PostgreSQL say when the disk (or the database's size limit) is full.
FULL_WORDS = ("database or disk is full", "no space left on device", "could not extend file")


def store_full(exc: BaseException) -> bool:
    """Whether a store error means the store is full, so waiting alone will not help: someone
    has to free disk space (the trainer is told, the server log says "disk full").

    The store's own ``full`` flag decides when it has one; until then, the database's words.

    >>> store_full(Exception("(sqlite3.OperationalError) database or disk is full"))
    True
    >>> store_full(Exception('could not extend file "base/16384/2619": No space left on device'))
    True
    >>> store_full(Exception("connection refused"))
    False
    """
    flag = getattr(exc, "full", None)
    if isinstance(flag, bool):
        return flag
    text = str(exc).lower()
    return any(words in text for words in FULL_WORDS)


class SessionClient:
    """A participant's link to a session: saves answers, keeps what could not be saved yet.

    Saving never blocks the page: a worker thread writes to the store. :meth:`save` waits
    :data:`SAVE_WAIT` for it; a store that is slower (a locked SQLite file waits up to its busy
    timeout, 30 s; a database that is down) gets "not saved yet" at once, and the worker retries
    every :data:`RETRY_SECONDS` until everything is saved, then calls :attr:`on_settled`.
    """

    def __init__(self, store: Store, joined: Joined) -> None:
        self.store, self.info = store, joined.info
        self.participant, self.alias, self.token = joined.participant, joined.alias, joined.token
        self.new = joined.new
        self.pending: dict[Key, Record] = {}
        self.last_error: str | None = None
        #: The last save failed because the store is full (see :func:`store_full`).
        self.full = False
        # A closed session takes no more answers: they stay in the kernel only.
        self.closed = not joined.info.open
        #: Called (ok) when background saving settles after a save that returned False.
        self.on_settled: Callable[[bool], None] | None = None
        self.retry_seconds = RETRY_SECONDS
        self._lock = threading.Lock()  # pending, worker state
        self._flushing = threading.Lock()  # one flush at a time
        self._wake = threading.Event()
        self._settled = threading.Event()
        self._settled.set()
        self._reported = threading.Event()  # the settled outcome has been passed on
        self._reported.set()
        self._worker: threading.Thread | None = None
        self._ok = True
        self._owed = False  # a save returned before the store answered: report the outcome

    def save(self, record: Record) -> bool:
        """Keep ``record`` and save it in the background; True if it was saved within
        :data:`SAVE_WAIT` (else it stays pending, and the worker keeps trying)."""
        if self.closed:
            return False
        with self._lock:
            self.pending[record.key] = record
        self.kick()
        if self._settled.wait(SAVE_WAIT):
            return self._ok and not self.pending
        with self._lock:  # decided with the worker: it settles either before this or reports
            if self._settled.is_set():
                return self._ok and not self.pending
            self._owed = True
        return False

    def kick(self) -> None:
        """Start (or wake) the worker that saves whatever is pending; never blocks."""
        with self._lock:
            if not self.pending or self.closed:
                return
            self._settled.clear()
            self._wake.set()
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="kit-save", daemon=True)
                self._worker.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until background saving has settled and its outcome was passed on to
        :attr:`on_settled`; True if that happened within ``timeout``."""
        return self._settled.wait(timeout) and self._reported.wait(timeout)

    def _run(self) -> None:
        ok = False
        while True:
            self._wake.clear()
            try:
                ok = self.flush()
            except Exception:  # the worker has nobody above it to report to
                log.exception("saving answers for session %s failed", self.info.code)
                ok = False
            with self._lock:
                again = self._wake.is_set()  # a newer answer arrived during the flush
                failing = self.last_error is not None and not self.closed
                if not again and not failing:
                    self._worker, self._ok = None, ok
                    owed, self._owed = self._owed, False
                    self._reported.clear()
                    self._settled.set()
                    break
            if not again:
                self._wake.wait(self.retry_seconds)
        try:
            if owed and self.on_settled is not None:
                self.on_settled(ok)
        finally:
            self._reported.set()

    def flush(self) -> bool:
        """Try to save everything pending; True when nothing is left."""
        with self._flushing:
            return self._flush()

    def _flush(self) -> bool:
        from kit.sessions import InputError, Problem
        from kit.storage import StorageError

        refused = False
        with self._lock:
            todo = list(self.pending.items())
        for key, record in todo:
            try:
                self.store.save(self.info.code, self.participant, self.alias, record)
            except InputError as exc:
                if exc.code != Problem.CLOSED:
                    # Too large to store: it stays in the kernel and counts as not saved (the
                    # participant is told); the other answers are still sent.
                    log.warning("%s/%s refused for session %s: %s", *key, self.info.code, exc)
                    refused = True
                    continue
                self.closed = True  # nothing to retry: keep the answers here, stop sending
                with self._lock:
                    self.pending.clear()
                return False
            except StorageError as exc:
                self.last_error = str(exc)
                if store_full(exc):
                    if not self.full:  # once per outage, not on every retry of every page
                        log.error(
                            "the group store is full: could not save %s/%s for session %s (%s)",
                            *key,
                            self.info.code,
                            exc,
                        )
                    self.full = True
                    return False
                self.full = False
                log.warning("could not save %s/%s for session %s: %s", *key, self.info.code, exc)
                return False
            # Only drop it if no newer answer arrived meanwhile.
            with self._lock:
                if self.pending.get(key) is record:
                    del self.pending[key]
        self.last_error, self.full = None, False
        return not refused

    def restore(self) -> dict[Key, Record]:
        return {
            s.record.key: s.record
            for s in self.store.own_submissions(self.info.code, self.participant)
        }


@dataclass
class Memory:
    """Everything a learner answered in this kernel, one record per key.

    Apps save here on every answer and read from here when they are built, so switching language
    keeps the answers. When a session is joined, every save also goes to the store.
    """

    data: dict[Key, Record] = field(default_factory=dict)
    client: SessionClient | None = None
    listeners: list[Callable[[bool], None]] = field(default_factory=list)
    #: Where the learner is (tab, case, perspective, …): rebuilt screens start there again.
    view: dict[str, Any] = field(default_factory=dict)
    auto_join_tried: bool = False
    #: Where answers go while no session is joined: the learner's own store (kit/storage/own.py),
    #: set by the app's frame when the kit keeps her work on this machine.
    keeper: Callable[[Record], None] | None = None
    #: The session named in the page's URL, known before joining (its case and intervention).
    session: SessionInfo | None = None

    #: Whether a screen asked for :attr:`session_info`: a pre-built page that never did needs no
    #: rebuilding once the visitor's session is known (a pooled page stays instant).
    session_read: bool = False
    _loop: asyncio.AbstractEventLoop | None = field(default=None, repr=False)

    @property
    def session_info(self) -> SessionInfo | None:
        """The session whose case and intervention the apps show: the joined one, else the URL's."""
        self.session_read = True
        return self.client.info if self.client is not None else self.session

    def save(self, record: Record) -> None:
        self.data[record.key] = record
        if self.client is not None:
            self._tell(self.client.save(record))
        elif self.keeper is not None:
            self.keeper(record)

    def _tell(self, ok: bool) -> None:
        for listener in self.listeners:
            listener(ok)

    def _settled(self, ok: bool) -> None:
        """From the saving thread: tell the listeners on the kernel's event loop (widgets are
        updated there), or right away outside a kernel."""
        loop = self._loop
        if loop is not None and loop.is_running():
            loop.call_soon_threadsafe(self._tell, ok)
        else:
            self._tell(ok)

    def records(self, kind: type[R]) -> list[R]:
        """The records of one kind, in the order they were first saved."""
        return [r for r in self.data.values() if isinstance(r, kind)]

    def find(self, kind: type[R], **fields: object) -> R | None:
        """The record of a kind whose fields have these values, if any."""
        return next(
            (r for r in self.records(kind) if all(getattr(r, k) == v for k, v in fields.items())),
            None,
        )

    def attach(self, client: SessionClient) -> None:
        """Join a session: answers stored there come back; answers given before joining are kept
        and saved too (local answers win over older stored ones)."""
        stored = client.restore()
        local = dict(self.data)
        self.data = {**stored, **local}
        self.client = client
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError:  # plain Python: listeners are called from the saving thread
            self._loop = None
        client.on_settled = self._settled
        client.pending.update(local)
        client.kick()
        client.wait(SAVE_WAIT)


# --------------------------------------------------------------------------- aggregation


def participants(subs: Iterable[Submission]) -> dict[str, str]:
    """participant id -> latest alias."""
    out: dict[str, str] = {}
    for s in sorted(subs, key=lambda s: s.updated_at):
        out[s.participant] = s.alias
    return out


def quickscan_counts(
    content: Content, case_id: str | None, subs: Iterable[Submission]
) -> dict[str, int]:
    """For the session's scan (its case, else the "own situation"), how many participants
    filled it in from each perspective that can show it, in the order the case (else the
    instrument) gives them."""
    shown = (
        content.case(case_id).perspectives
        if case_id
        else tuple(p.id for p in content.instrument.perspectives)
    )
    counts: Counter[str] = Counter(
        s.record.perspective
        for s in subs
        if isinstance(s.record, ScanAnswers) and s.record.case == case_id
    )
    return {p: counts[p] for p in shown}


def quickscan_target(
    content: Content,
    case_id: str | None,
    subs: Iterable[Submission],
    perspective: str | None = None,
) -> tuple[str, str | None]:
    """Which quickscan the dashboard shows: the session's case (else the "own situation"
    scans), from ``perspective`` when the trainer picked one the scan has, else from the
    perspective most participants used. A tie, or no scans yet, goes to the first in
    :func:`quickscan_counts`' order: the perspective the case is told from."""
    counts = quickscan_counts(content, case_id, subs)
    if perspective in counts:
        return perspective, case_id
    return max(counts, key=counts.__getitem__), case_id  # max keeps the first of equals


@dataclass(frozen=True)
class QuickscanGroup:
    points: Mapping[str, Mapping[str, float | None]]  # phase -> participant -> share
    answers: Mapping[str, Mapping[str, int | Mark]]  # participant -> statement -> value
    reference: Mapping[str, float | None]  # phase -> share (empty without a case)


def quickscan_group(
    subs: Iterable[Submission], content: Content, perspective: str, case_id: str | None
) -> QuickscanGroup:
    """Per phase, each participant's share of the maximum, for one perspective and case."""
    statements = content.instrument.statements_for(perspective)
    phases = [p.id for p in content.phases]
    factors = [f.id for f in content.factors]
    top = content.instrument.max_value
    answers: dict[str, dict[str, int | Mark]] = {}
    for s in subs:
        r = s.record
        if isinstance(r, ScanAnswers) and (r.perspective, r.case) == (perspective, case_id):
            answers[s.participant] = dict(r.values)
    points: dict[str, dict[str, float | None]] = {p: {} for p in phases}
    for pid, given in answers.items():
        result = quickscan.score(statements, given, phases, factors, top)
        for p in phases:
            points[p][pid] = result.by_phase[p].share
    reference: dict[str, float | None] = {}
    reading = content.case(case_id).reference_for(perspective) if case_id else None
    if reading is not None:
        reference_values = quickscan.reference_answers(reading.answers)
        ref = quickscan.score(statements, reference_values, phases, factors, top)
        reference = {p: ref.by_phase[p].share for p in phases}
    return QuickscanGroup(points, answers, reference)


@dataclass(frozen=True)
class Disagreement:
    statement_id: str
    spread: float  # population standard deviation of the values
    counts: Mapping[int, int]  # value -> how many participants gave it
    n: int


def disagreements(
    answers: Mapping[str, Mapping[str, int | Mark]], statement_ids: Sequence[str], limit: int = 5
) -> list[Disagreement]:
    """Statements where the group's answers are most spread (at least two scored answers).

    >>> d = disagreements({"a": {"s1": 0, "s2": 2}, "b": {"s1": 3, "s2": 2}}, ["s1", "s2"])
    >>> [(x.statement_id, x.spread, dict(x.counts)) for x in d]
    [('s1', 1.5, {0: 1, 3: 1})]
    """
    found = []
    for sid in statement_ids:
        values = [v for given in answers.values() if isinstance(v := given.get(sid), int)]
        if len(values) < 2:
            continue
        spread = statistics.pstdev(values)
        if spread > 0:
            found.append(Disagreement(sid, spread, Counter(values), len(values)))
    found.sort(key=lambda d: -d.spread)
    return found[:limit]


@dataclass(frozen=True)
class PhaseTally:
    scenario: str
    chosen: Mapping[int, int]  # phase number -> participants who chose it first
    correct: int
    total: int


def phase_tally(subs: Iterable[Submission], content: Content) -> list[PhaseTally]:
    """For every scenario, what participants chose first, and how many were right."""
    by_scenario: dict[str, Counter[int]] = {}
    for s in subs:
        if isinstance(s.record, PhaseGuess):
            by_scenario.setdefault(s.record.scenario, Counter())[s.record.first] += 1
    out = []
    for sc in content.scenarios:
        counts = by_scenario.get(sc.id)
        if not counts:
            continue
        right = counts.get(content.phase(sc.phase).number, 0)
        out.append(PhaseTally(sc.id, dict(counts), right, sum(counts.values())))
    return out


@dataclass(frozen=True)
class AdaptationTally:
    rows: Sequence[tuple[str, str, str, int]]  # (element id, type id, verdict, participants)
    verdicts: Mapping[str, int]


def adaptation_tally(
    subs: Iterable[Submission], content: Content, intervention_id: str
) -> AdaptationTally:
    """The adaptations participants proposed for one intervention, with their verdicts."""
    item = content.intervention(intervention_id)
    elements = {e.id for e in item.elements}
    types = {t.id for t in content.adaptation_types}
    counts: Counter[tuple[str, str]] = Counter()
    for s in subs:
        r = s.record
        if isinstance(r, Adaptations) and r.intervention == intervention_id:
            counts.update(
                {
                    (p.element, p.type)
                    for p in r.proposals
                    if p.element in elements and p.type in types
                }
            )
    rows = []
    verdicts: Counter[str] = Counter()
    for (element, kind), n in counts.most_common():
        v = adaptations.judge(item, element, kind, content.adaptation_types).verdict
        rows.append((element, kind, v, n))
        verdicts[v] += n
    return AdaptationTally(rows, {v: verdicts.get(v, 0) for v in ("green", "amber", "red")})


def plan_tally(subs: Iterable[Submission], content: Content) -> list[tuple[str, int]]:
    """The activities participants put in their plans: (activity id, participants), most
    often first, then in content order; activities this content does not know are left out."""
    order = [a.id for p in content.phases for a in p.activities]
    counts: Counter[str] = Counter()
    for s in subs:
        if isinstance(s.record, Plan):
            counts.update({step.activity for step in s.record.steps if step.activity in order})
    return sorted(counts.items(), key=lambda kv: (-kv[1], order.index(kv[0])))


def median_scan(g: QuickscanGroup, perspective: str, case_id: str | None) -> ScanAnswers:
    """The group's scan as one: per statement the median of the scored answers (the lower middle
    value for an even count, so it stays on the scale); "don't know" when somebody answered but
    nobody scored it.

    >>> g = QuickscanGroup({}, {"a": {"s1": 0, "s2": Mark.DONT_KNOW}, "b": {"s1": 3}, "c": {"s1": 2}}, {})
    >>> median_scan(g, "organisatie", None).file_values()
    {'s1': 2, 's2': None}
    """
    ids = sorted({sid for given in g.answers.values() for sid in given})
    values: dict[str, int | Mark] = {}
    for sid in ids:
        scored = [v for given in g.answers.values() if isinstance(v := given.get(sid), int)]
        values[sid] = statistics.median_low(scored) if scored else Mark.DONT_KNOW
    return ScanAnswers(perspective=perspective, case=case_id, values=values)
