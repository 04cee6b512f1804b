"""A student's bar in a homework session (issue 25 §3), under the session bar of every exercise
app: the deadline, what she handed in and when, and "Inleveren". Not joined while the page came
from a homework link: a lasting notice that nothing reaches her teacher, and how to join.

The rules are :mod:`kit.homework`'s, at the time of the store's clock (``store.clock``, by
default :func:`kit.homework.clock`): a hand-in is judged and stamped at one reading of the clock
the store stamps everything else by. The store keeps the hand-ins (:mod:`kit.storage.homework`). When the answers may show (after her hand-in or after
the deadline, as the teacher chose), the page's reveal gate opens (the led room's ``room.gate``
in the page's memory), so the reference reading and the right phases appear without a reload.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as w

from kit import formats, homework
from kit.apps.common import Ctx, alert, esc, log, notice, store_problem
from kit.homework import Assignment, HomeworkError
from kit.sessions import InputError


def assignment_of(code: str) -> Assignment | None:
    """The homework of a session, or None (no homework session, or the store cannot say)."""
    from kit.storage import StorageError, get_store

    try:
        text = get_store().homework(code)
    except (StorageError, InputError) as exc:
        log.info("homework of %s not read: %s", code, exc)
        return None
    return None if text is None else Assignment.load(text)


def now() -> dt.datetime:
    """The time by the store's clock."""
    from kit.storage import get_store

    return get_store().clock()


def hold_answers(ctx: Ctx, work: Assignment, handed_in: bool) -> bool:
    """Before the page is built: whether the answers stay held back now (``link.reference``,
    read when the page's gate is made)."""
    visible = homework.answers_visible(work, now(), handed_in)
    if not visible:
        ctx.memory.view["link.reference"] = False
    return not visible


#: ``memory.view`` key: the page belongs to a homework session (set by :func:`prepare`).
HOMEWORK = "homework.session"


def prepare(ctx: Ctx) -> bool:
    """Before the page is built, once its session is known: in a homework session, hold the
    answers back while the rules say so; True for a homework session (the page is rebuilt)."""
    memory = ctx.memory
    info = memory.client.info if memory.client is not None else memory.session
    work = assignment_of(info.code) if info is not None else None
    if info is None or work is None:
        return False
    memory.view[HOMEWORK] = True  # the apps speak of a teacher, not a trainer and a group
    handed_in = False
    if memory.client is not None:
        from kit.storage import StorageError, get_store

        try:
            handed_in = bool(get_store().own_hand_ins(info.code, memory.client.participant))
        except StorageError as exc:
            log.warning("hand-ins of %s not read: %s", info.code, exc)
    hold_answers(ctx, work, handed_in)
    return True


def _open_gate(ctx: Ctx) -> None:
    gate: Any = ctx.memory.view.get("room.gate")
    ctx.memory.view.pop("link.reference", None)
    if gate is not None and hasattr(gate, "set"):
        gate.set(True, frozenset())


def homework_bar(ctx: Ctx) -> w.Widget | None:
    """The bar for this page: None outside a homework session."""
    memory = ctx.memory
    info = memory.client.info if memory.client is not None else memory.session
    if info is None:
        return None
    work = assignment_of(info.code)
    if work is None:
        return None
    deadline = formats.date_time(work.deadline, ctx.lang)
    if memory.client is None:
        box = w.HTML(
            '<div class="kit-error kit-homework-alone" role="alert">'
            f"<b>⚠ {esc(ctx.t('homework.alone.title'))}</b>"
            f"<p>{esc(ctx.t('homework.alone.how', code=info.code))}</p></div>"
        )
        box.add_class("kit-homework-alone-box")
        return box
    client = memory.client
    status = w.HTML()
    status.add_class("kit-homework-status")
    message = w.HTML()
    message.add_class("kit-homework-message")
    message.add_class("kit-announce")
    button = w.Button(
        description=ctx.t("homework.hand_in"), icon="paper-plane", button_style="primary"
    )
    button.add_class("kit-hand-in")

    # Where the homework stands for her (kit.homework.stage): before the deadline, after it
    # (handed in or not), closed. The page's heartbeat (kit-page.js, every few seconds while
    # the tab is visible) asks again, so a page left open across the deadline changes by itself.
    seen: dict[str, Any] = {"stage": None, "handed_in": False, "visible": None}

    def show() -> None:
        from kit.storage import StorageError, get_store

        store = get_store()
        try:
            mine = store.own_hand_ins(info.code, client.participant)
        except StorageError as exc:
            status.value = alert(store_problem(ctx.t, exc))
            return
        now = store.clock()
        seen["handed_in"] = bool(mine)
        seen["stage"] = homework.stage(work, now, bool(mine))
        lines = [ctx.t("homework.deadline", deadline=deadline)]
        if mine:
            last = mine[-1]
            state = "homework.status.late" if last.late else "homework.status.on_time"
            lines.append(
                ctx.t(
                    "homework.yours",
                    status=ctx.t(state),
                    when=formats.date_time(last.at, ctx.lang),
                    number=last.number,
                )
            )
            # The earlier ones too, newest first: she sees every hand-in she made.
            for earlier in reversed(mine[:-1]):
                lines.append(
                    ctx.t(
                        "homework.yours.earlier",
                        status=ctx.t(
                            "homework.status.late" if earlier.late else "homework.status.on_time"
                        ),
                        when=formats.date_time(earlier.at, ctx.lang),
                        number=earlier.number,
                    )
                )
            names = {m: ctx.t(f"{m}.title") for m, _, _ in last.records}
            records = ", ".join(sorted(names.values())) or "—"
            lines.append(ctx.t("homework.yours.what", modules=records))
        else:
            lines.append(ctx.t("homework.status.not_yet"))
        if seen["stage"] != "open":
            lines.append(ctx.t(f"homework.passed.{seen['stage']}"))
        # After the deadline, once in (or once the homework takes nothing), handing in is over.
        button.disabled = seen["stage"] in ("stands", "closed")
        status.value = "".join(f"<p>{esc(line)}</p>" for line in lines)
        # The answers held back since the page was built may show now (her hand-in, the
        # deadline): the gate opens once, when that changes.
        visible = homework.answers_visible(work, now, handed_in=bool(mine))
        if visible and seen["visible"] is False:
            _open_gate(ctx)
        seen["visible"] = visible

    beat = w.Text(value="")
    beat.add_class("kit-heartbeat")

    def on_beat(_: object) -> None:
        from kit.storage import get_store

        # Cheap while nothing changes: one reading of the clock; the store is read again only
        # when the deadline (or the end) has passed since the page last looked.
        now = get_store().clock()
        if homework.stage(work, now, seen["handed_in"]) != seen["stage"]:
            show()

    beat.observe(ctx.guard(on_beat), names="value")

    def on_hand_in(_: object) -> None:
        from kit.storage import StorageError, get_store

        store = get_store()
        client.flush()  # what she answered last is in the hand-in
        now = store.clock()  # one reading: the hand-in is judged and stamped at this time
        try:
            mine = store.own_hand_ins(info.code, client.participant)
            verdict = homework.hand_in_rule(work, now, mine[-1] if mine else None)
            if verdict.problem is not None:
                raise HomeworkError(verdict.problem)
            made = store.hand_in(
                info.code,
                client.participant,
                client.alias,
                now,
                verdict.late,
                verdict.number,
                work.exercises,
            )
        except HomeworkError as exc:
            message.value = alert(ctx.t(exc.problem.text_key))
            # Refused after the deadline: the page says where the homework stands now (and
            # shows the answers, if they may show).
            show()
            return
        except InputError:  # the session was closed or deleted meanwhile
            message.value = alert(ctx.t("homework.error.gone"))
            return
        except StorageError as exc:
            message.value = alert(store_problem(ctx.t, exc))
            return
        when = formats.date_time(made.at, ctx.lang)
        key = "homework.done.late" if made.late else "homework.done"
        message.value = notice("✓ " + ctx.t(key, when=when, deadline=deadline))
        show()

    button.on_click(ctx.guard(on_hand_in))
    show()
    box = w.VBox([status, button, message, beat])
    box.add_class("kit-homework")
    return box
