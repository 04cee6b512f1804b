"""A led session: the room's state and the rules of what each screen may see.

The trainer leads a session through an agenda (``content/agendas/*.yaml``): the room is on one
step at a time, answering on that step is open or closed, its results are shown on the projector
or not, and the answer of a poll or the case's reference is revealed only when the trainer says
so. The server keeps this :class:`Room` state; every screen asks for it again whenever it
(re)connects, so a reload, a late joiner or a second device lands on the current step.

Pure: no widgets, no database. The store keeps a :class:`Room` per session and the votes; the
presentation layer (:mod:`kit.present`) turns them into what the projector, the trainer's remote
and the phones show.

The three rules that matter most, each tested:

* a participant never sees the answer of a step before the trainer reveals it
  (:func:`answer_visible`);
* answering closes when the trainer closes it or the timer runs out (:meth:`Room.answering`);
* results on the projector are counts only (:func:`tally`, :func:`wall`): no alias ever.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Literal

from kit.adaptations import judge
from kit.content import Agenda, Content, Step
from kit.phases import Fit, activity_fit
from kit.sessions import alias_key
from kit.text import clean

__all__ = [
    "OPEN_ANSWER_MAX",
    "SCALE",
    "Action",
    "Mode",
    "Option",
    "Room",
    "answer_visible",
    "apply",
    "correct_answer",
    "exercise_of",
    "hidden_scenarios",
    "options",
    "reference_visible",
    "tally",
    "wall",
]

Mode = Literal["led", "free"]
#: Characters of an open poll answer: a few words for a wall or a word cloud.
OPEN_ANSWER_MAX = 80
#: The points of a scale poll (1 = not at all … 5 = very much; labels in content/ui.yaml).
SCALE = ("1", "2", "3", "4", "5")
#: Poll kinds whose right answer the kit knows (and reveals when the trainer says so).
ANSWERED_POLLS = ("scenario-phase", "activity-fit", "adaptation-verdict")


class Action(StrEnum):
    """What the trainer can do to the room."""

    NEXT = "next"
    PREVIOUS = "previous"
    GOTO = "goto"
    OPEN = "open"  # answering on the current step
    CLOSE = "close"
    SHOW = "show"  # results on the projector
    HIDE = "hide"
    REVEAL = "reveal"  # the answer or the case's reference, on every screen
    CONCEAL = "conceal"
    START_TIMER = "start-timer"
    STOP_TIMER = "stop-timer"
    LED = "led"
    FREE = "free"
    HIDE_ANSWER = "hide-answer"  # an open answer off the wall (moderation)
    SHOW_ANSWER = "show-answer"


@dataclass(frozen=True)
class Room:
    """Where a led session is. ``version`` goes up with every change, so a screen knows it has
    missed one; ``revealed`` holds the ids of the steps whose answer is out."""

    agenda: str
    step: int = 0
    mode: Mode = "led"
    open: bool = True
    shown: bool = False
    revealed: frozenset[str] = field(default_factory=frozenset)
    timer_ends: dt.datetime | None = None
    version: int = 0
    #: Open answers the trainer took off the wall: (step id, answer key) pairs.
    hidden: frozenset[tuple[str, str]] = field(default_factory=frozenset)

    def hidden_of(self, step_id: str) -> frozenset[str]:
        """The keys of the open answers hidden on ``step_id``."""
        return frozenset(key for step, key in self.hidden if step == step_id)

    def answering(self, now: dt.datetime) -> bool:
        """Whether answers to the current step are taken: open, and the timer (if any) not run
        out.

        >>> t = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)
        >>> room = Room("workshop", timer_ends=t + dt.timedelta(seconds=30))
        >>> room.answering(t), room.answering(t + dt.timedelta(seconds=30))
        (True, False)
        """
        if not self.open:
            return False
        return self.timer_ends is None or now < self.timer_ends

    def seconds_left(self, now: dt.datetime) -> int | None:
        """Whole seconds on the timer (rounded up), 0 once run out, None without a timer."""
        if self.timer_ends is None:
            return None
        left = (self.timer_ends - now).total_seconds()
        return max(0, int(-(-left // 1)))

    def to_json(self) -> dict[str, object]:
        """The state as plain JSON values (how the store keeps it)."""
        return {
            "agenda": self.agenda,
            "step": self.step,
            "mode": self.mode,
            "open": self.open,
            "shown": self.shown,
            "revealed": sorted(self.revealed),
            "timer_ends": self.timer_ends.isoformat() if self.timer_ends else None,
            "version": self.version,
            "hidden": sorted([step, key] for step, key in self.hidden),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Room:
        """The state back from :meth:`to_json`; ValueError for anything else.

        >>> room = Room("kort", step=2, revealed=frozenset({"fase-poll"}), version=7)
        >>> Room.from_json(room.to_json()) == room
        True
        """
        try:
            ends = data.get("timer_ends")
            mode = str(data.get("mode", "led"))
            revealed = data.get("revealed", [])
            if mode not in ("led", "free") or not isinstance(revealed, list):
                raise ValueError(f"not a room state: {data!r}")
            step, version = data.get("step", 0), data.get("version", 0)
            hidden = data.get("hidden", [])
            if not isinstance(step, int) or not isinstance(version, int):
                raise ValueError(f"not a room state: {data!r}")
            if not isinstance(hidden, list) or not all(
                isinstance(h, list) and len(h) == 2 for h in hidden
            ):
                raise ValueError(f"not a room state: {data!r}")
            return cls(
                agenda=str(data["agenda"]),
                step=step,
                mode="free" if mode == "free" else "led",
                open=bool(data.get("open", True)),
                shown=bool(data.get("shown", False)),
                revealed=frozenset(str(r) for r in revealed),
                timer_ends=dt.datetime.fromisoformat(str(ends)) if ends else None,
                version=version,
                hidden=frozenset((str(a), str(b)) for a, b in hidden),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a room state: {data!r}") from exc


def apply(
    room: Room,
    agenda: Agenda,
    action: Action,
    now: dt.datetime,
    to: int | None = None,
    answer: str = "",
) -> Room:
    """The room after the trainer's ``action`` (``to``: the step index for GOTO; ``answer``:
    the open answer to hide or show again on the current step's wall).

    Moving to another step opens answering, takes the results off the projector and stops the
    timer; what was revealed stays revealed. Steps outside the agenda are refused.

    >>> from kit.content import default_content
    >>> agenda = default_content().agenda("kort")
    >>> t = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)
    >>> room = apply(Room("kort"), agenda, Action.NEXT, t)
    >>> room.step, room.version
    (1, 1)
    >>> apply(room, agenda, Action.START_TIMER, t).timer_ends == t + dt.timedelta(seconds=60)
    True
    """
    last = len(agenda.steps) - 1
    if action in (Action.NEXT, Action.PREVIOUS, Action.GOTO):
        target = {Action.NEXT: room.step + 1, Action.PREVIOUS: room.step - 1}.get(action, to)
        if target is None or not 0 <= target <= last:
            raise ValueError(f"no step {target} in agenda {agenda.id} (0-{last})")
        changed = replace(room, step=target, open=True, shown=False, timer_ends=None)
    elif action in (Action.OPEN, Action.CLOSE):
        changed = replace(room, open=action == Action.OPEN, timer_ends=None)
    elif action in (Action.SHOW, Action.HIDE):
        changed = replace(room, shown=action == Action.SHOW)
    elif action in (Action.REVEAL, Action.CONCEAL):
        step_id = agenda.steps[room.step].id
        revealed = (
            room.revealed | {step_id} if action == Action.REVEAL else room.revealed - {step_id}
        )
        changed = replace(room, revealed=frozenset(revealed))
    elif action == Action.START_TIMER:
        seconds = agenda.steps[room.step].timer or 60
        changed = replace(room, open=True, timer_ends=now + dt.timedelta(seconds=seconds))
    elif action == Action.STOP_TIMER:
        changed = replace(room, timer_ends=None)
    elif action in (Action.HIDE_ANSWER, Action.SHOW_ANSWER):
        pair = (agenda.steps[room.step].id, alias_key(answer))
        if not pair[1]:
            raise ValueError("no answer to hide or show")
        hidden = room.hidden | {pair} if action == Action.HIDE_ANSWER else room.hidden - {pair}
        changed = replace(room, hidden=frozenset(hidden))
    else:
        changed = replace(room, mode="led" if action == Action.LED else "free")
    return replace(changed, version=room.version + 1)


def current_step(room: Room, agenda: Agenda) -> Step:
    """The step the room is on (the last one if the agenda got shorter since)."""
    return agenda.steps[min(room.step, len(agenda.steps) - 1)]


def answer_visible(room: Room, agenda: Agenda, step_id: str) -> bool:
    """Whether a participant may see the answer of ``step_id`` (a poll's right option, or the
    case's reference for an exercise or a statement): only once the trainer revealed it. In free
    mode there is no trainer pacing the room, so every answer is as visible as in self-study.

    >>> from kit.content import default_content
    >>> agenda = default_content().agenda("kort")
    >>> room = Room("kort", step=3)
    >>> answer_visible(room, agenda, "fase-poll")
    False
    >>> answer_visible(Room("kort", step=3, revealed=frozenset({"fase-poll"})), agenda, "fase-poll")
    True
    """
    if room.mode == "free":
        return True
    return step_id in room.revealed and any(s.id == step_id for s in agenda.steps)


def exercise_of(agenda: Agenda, step: Step) -> Step | None:
    """The exercise whose group results ``step`` shows: the step itself, or the exercise a
    results step is of; None for anything else.

    >>> from kit.content import default_content
    >>> agenda = default_content().agenda("workshop")
    >>> exercise_of(agenda, agenda.step("profiel")).id, exercise_of(agenda, agenda.step("plank"))
    ('quickscan', None)
    """
    if step.kind == "exercise":
        return step
    if step.kind == "results" and step.of:
        target = next((s for s in agenda.steps if s.id == step.of), None)
        return target if target is not None and target.kind == "exercise" else None
    return None


def reference_visible(room: Room, agenda: Agenda) -> bool:
    """Whether participants may see the case's reference reading of the quickscan (on their
    chart and in the comparison): in led mode only once the trainer revealed it on a quickscan
    step or on the results of one. An agenda without such a step has nothing to reveal it with,
    so there the reference shows as in self-study.

    >>> from kit.content import default_content
    >>> agenda = default_content().agenda("workshop")
    >>> reference_visible(Room("workshop"), agenda)
    False
    >>> reference_visible(Room("workshop", revealed=frozenset({"profiel"})), agenda)
    True
    >>> reference_visible(Room("workshop", mode="free"), agenda)
    True
    """
    if room.mode == "free":
        return True
    steps = [
        s.id
        for s in agenda.steps
        if (exercise := exercise_of(agenda, s)) is not None and exercise.app == "quickscan"
    ]
    return not steps or any(answer_visible(room, agenda, s) for s in steps)


def hidden_scenarios(room: Room, agenda: Agenda) -> frozenset[str]:
    """The scenarios whose phase a poll of the agenda asks, or the fit of an activity in them,
    and the trainer has not revealed: "Welke fase?" and "Past deze activiteit?" keep their team's
    phase and their verdicts back until then.

    >>> from kit.content import default_content
    >>> agenda = default_content().agenda("workshop")
    >>> sorted(hidden_scenarios(Room("workshop"), agenda))
    ['mail-die-niemand-las', 'na-het-werkbezoek']
    >>> sorted(hidden_scenarios(Room("workshop", revealed=frozenset({"fase-poll"})), agenda))
    ['na-het-werkbezoek']
    >>> hidden_scenarios(Room("workshop", revealed=frozenset({"fase-poll", "past-het"})), agenda)
    frozenset()
    """
    if room.mode == "free":
        return frozenset()
    asks_phase = ("scenario-phase", "activity-fit")
    polled = [s for s in agenda.steps if s.poll in asks_phase and s.scenario]
    out = {s.scenario for s in polled if s.scenario}
    out -= {s.scenario for s in polled if answer_visible(room, agenda, s.id)}
    return frozenset(str(s) for s in out)


# --------------------------------------------------------------------------- polls


@dataclass(frozen=True)
class Option:
    """One answer a poll offers: its stored ``value`` and, where content has one, its label (the
    presentation layer labels the rest from content/ui.yaml)."""

    value: str
    label: object = None  # a kit.content.Text, or None


def options(content: Content, step: Step) -> tuple[Option, ...]:
    """The answers a poll step offers, in the order shown (empty for an open poll and for a step
    that is no poll)."""
    kind = step.poll
    if kind == "scenario-phase":
        return tuple(Option(p.id) for p in content.phases)
    if kind == "activity-fit":
        return tuple(Option(f.value) for f in Fit)
    if kind == "adaptation-verdict":
        return tuple(Option(v) for v in ("green", "amber", "red"))
    if kind == "statement-score":
        return tuple(Option(str(s.value), s.label) for s in content.instrument.scale)
    if kind == "choice":
        return tuple(Option(str(i), text) for i, text in enumerate(step.options))
    if kind == "scale":
        return tuple(Option(v) for v in SCALE)
    return ()


def correct_answer(content: Content, step: Step) -> str | None:
    """The right answer of a poll the kit can judge, or None (opinions, scores, open questions).

    >>> from kit.content import default_content
    >>> content = default_content()
    >>> agenda = content.agenda("workshop")
    >>> correct_answer(content, agenda.step("fase-poll")), correct_answer(content, agenda.step("plank"))
    ('weten', None)
    """
    if step.poll == "scenario-phase" and step.scenario:
        return next(s.phase for s in content.scenarios if s.id == step.scenario)
    if step.poll == "activity-fit" and step.scenario and step.activity:
        team = content.phase(next(s.phase for s in content.scenarios if s.id == step.scenario))
        activity = content.phase_of_activity(step.activity)
        return activity_fit(team.number, activity.number).value
    if step.poll == "adaptation-verdict" and step.intervention and step.element and step.type:
        item = content.intervention(step.intervention)
        return judge(item, step.element, step.type, content.adaptation_types).verdict
    return None


def valid_vote(content: Content, step: Step, value: str) -> str:
    """A participant's answer to a poll as stored, or ValueError: one of the offered values, or
    for an open poll the text cleaned by the kit's one rule for typed text (at most
    :data:`OPEN_ANSWER_MAX` characters; an empty answer is refused)."""
    if step.kind != "poll":
        raise ValueError(f"step {step.id} is no poll")
    if step.poll == "open":
        text = clean(value, OPEN_ANSWER_MAX)
        if not text:
            raise ValueError("empty answer")
        return text
    if value not in {o.value for o in options(content, step)}:
        raise ValueError(f"not an answer of poll {step.id}: {value!r}")
    return value


@dataclass(frozen=True)
class Tally:
    """How a room answered a poll: a count per option, in the poll's order."""

    counts: tuple[tuple[Option, int], ...]
    answered: int

    @property
    def top(self) -> Option | None:
        """The option chosen most often (None when nobody answered or it is a tie)."""
        ranked = sorted(self.counts, key=lambda c: -c[1])
        if not ranked or ranked[0][1] == 0 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return None
        return ranked[0][0]


def tally(offered: Iterable[Option], votes: Iterable[str]) -> Tally:
    """Count ``votes`` (one value per participant) per offered option; a value that is not
    offered (a poll changed since) is not counted.

    >>> t = tally([Option("a"), Option("b")], ["b", "a", "b", "x"])
    >>> [(o.value, n) for o, n in t.counts], t.answered, t.top.value
    ([('a', 1), ('b', 2)], 3, 'b')
    """
    offered = tuple(offered)
    counted = Counter(v for v in votes if v in {o.value for o in offered})
    return Tally(tuple((o, counted[o.value]) for o in offered), sum(counted.values()))


def mean_of_scale(votes: Iterable[str]) -> float | None:
    """The average of a scale poll's votes (None without votes).

    >>> mean_of_scale(["4", "5", "3"]), mean_of_scale([])
    (4.0, None)
    """
    points = [int(v) for v in votes if v in SCALE]
    return sum(points) / len(points) if points else None


@dataclass(frozen=True)
class WallEntry:
    """One open answer on the wall, with how many gave the same answer."""

    key: str  # what makes two answers the same (case, spaces, width)
    text: str  # as the first participant wrote it
    count: int


def wall(answers: Iterable[str], hidden: Iterable[str] = ()) -> tuple[WallEntry, ...]:
    """Open answers grouped (the same words in another case or spacing are one), the most
    frequent first, without those the trainer hid (by key).

    >>> [(e.text, e.count) for e in wall(["Geen tijd", "geen  tijd", "Geld", "Spam"], hidden=["spam"])]
    [('Geen tijd', 2), ('Geld', 1)]
    """
    gone = {alias_key(h) for h in hidden}
    first: dict[str, str] = {}
    counted: Counter[str] = Counter()
    for answer in answers:
        key = alias_key(answer)
        if not key or key in gone:
            continue
        first.setdefault(key, " ".join(answer.split()))
        counted[key] += 1
    ranked = sorted(counted, key=lambda k: (-counted[k], k))
    return tuple(WallEntry(k, first[k], counted[k]) for k in ranked)


def answered_count(votes: Mapping[str, str], participants: Iterable[str]) -> tuple[int, int]:
    """("18 of 25 answered"): how many of the session's participants voted, and how many there
    are; a vote of someone no longer in the session does not count.

    >>> answered_count({"p1": "a", "p3": "b", "gone": "a"}, ["p1", "p2", "p3"])
    (2, 3)
    """
    people = set(participants)
    return sum(1 for p in votes if p in people), len(people)
