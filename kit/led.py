"""A led session over the store: the trainer's actions, the participants' votes, the room's
results. The rules are :mod:`kit.agenda`'s; this module reads and writes them through
:class:`kit.storage.Store`, so every kernel (the trainer's, the projector's, each phone's) sees
the same room.

* The trainer acts with the facilitator key; an action is applied to the state as stored and
  written only if nobody changed it in between (two of the trainer's screens at once), else
  read again and reapplied.
* A vote counts only on the room's current step, while answering is open, and as one of the
  poll's answers (an open answer through the kit's rule for typed text); one per participant,
  the last one counts.
* The projector gets counts; who voted stays with the trainer's count "n of m".
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from kit import agenda as rules
from kit.agenda import Action, Room
from kit.content import Agenda, Content, Step
from kit.sessions import InputError, Problem
from kit.storage import Store, Submission

log = logging.getLogger("kit")

__all__ = ["Led", "LedError", "refused_text_key"]

#: Times an action is reapplied when another screen changed the room at the same moment.
RETRIES = 5


class LedError(ValueError):
    """A vote or an action that the room does not take now; ``reason`` names why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Led:
    """One session's led room, as one kernel sees it."""

    store: Store
    content: Content
    code: str

    # ----------------------------------------------------------- reading
    def room(self) -> Room | None:
        """The room as stored, or None when the session is not led (free, as before)."""
        found = self.store.room_state(self.code)
        if found is None:
            return None
        try:
            return Room.from_json(found[1])
        except ValueError:
            log.error("the led room of %s cannot be read: %r", self.code, found[1])
            return None

    def version(self) -> int | None:
        return self.store.room_version(self.code)

    def agenda(self, room: Room) -> Agenda | None:
        """The room's agenda; None when its file is gone (the room then runs free)."""
        return next((a for a in self.content.agendas if a.id == room.agenda), None)

    # ----------------------------------------------------------- the trainer
    def start(self, key: str, agenda_id: str) -> Room:
        """Lead the session through ``agenda_id`` from its first step (or switch an existing
        room to that agenda, on its first step)."""
        if agenda_id not in {a.id for a in self.content.agendas}:
            raise LedError("unknown-agenda")
        for _ in range(RETRIES):
            found = self.store.room_state(self.code)
            if found is None:
                room = Room(agenda_id)
                if self.store.save_room(self.code, key, room.to_json(), None):
                    return room
                continue
            old = Room.from_json(found[1])
            room = Room(agenda_id, revealed=old.revealed, version=found[0] + 1)
            if self.store.save_room(self.code, key, room.to_json(), found[0]):
                return room
        raise LedError("busy")

    def act(
        self,
        key: str,
        action: Action,
        to: int | None = None,
        answer: str = "",
        now: dt.datetime | None = None,
    ) -> Room:
        """Apply the trainer's ``action`` to the stored room; returns the room after it."""
        for _ in range(RETRIES):
            found = self.store.room_state(self.code)
            if found is None:
                raise LedError("not-led")
            room = Room.from_json(found[1])
            agenda = self.agenda(room)
            if agenda is None:
                raise LedError("unknown-agenda")
            try:
                changed = rules.apply(room, agenda, action, now or _now(), to=to, answer=answer)
            except ValueError as exc:
                raise LedError("no-such-step") from exc
            if self.store.save_room(self.code, key, changed.to_json(), found[0]):
                return changed
        raise LedError("busy")

    # ----------------------------------------------------------- participants
    def vote(
        self, participant: str, step_id: str, value: str, now: dt.datetime | None = None
    ) -> str:
        """Record ``participant``'s answer to the poll ``step_id``; returns it as stored.

        Refused (LedError) when the room is not on that step, answering is closed or the
        timer ran out, or the value is not an answer of the poll; a closed session refuses
        as the store does (InputError CLOSED)."""
        room = self.room()
        if room is None:
            raise LedError("not-led")
        agenda = self.agenda(room)
        if agenda is None:
            raise LedError("unknown-agenda")
        step = rules.current_step(room, agenda)
        if step.id != step_id or step.kind != "poll":
            raise LedError("moved-on")
        if not room.answering(now or _now()):
            raise LedError("closed")
        try:
            clean = rules.valid_vote(self.content, step, value)
        except ValueError as exc:
            raise LedError("bad-answer") from exc
        self.store.vote(self.code, participant, step.id, clean)
        return clean

    def own_vote(self, participant: str, step: Step) -> str | None:
        return self.store.own_vote(self.code, participant, step.id)

    def exercise_answers(self, exercise: Step) -> list[Submission]:
        """The session's answers to ``exercise``'s app without aliases (for the projector)."""
        if exercise.app is None:
            return []
        return self.store.room_submissions(self.code, (exercise.app,))

    def values(self, step: Step) -> list[str]:
        """Every vote on ``step`` without who gave it (for the projector)."""
        return self.store.poll_values(self.code, step.id)


def refused_text_key(exc: Exception) -> str:
    """The ui.yaml key of the message for a refused vote or action."""
    if isinstance(exc, LedError):
        return f"room.refused.{exc.reason}"
    if isinstance(exc, InputError) and exc.code == Problem.CLOSED:
        return "session.error.closed"
    return "room.refused.busy"
