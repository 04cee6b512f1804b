"""What the trainer's dashboard says about the group store and the facilitator key, as plain
data. No widgets.

The dashboard refreshes every few seconds; a fresh "updated at" must never hide that answers are
not being saved. When the store fails, the line says what fails and since when instead."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kit import formats
from kit.present.texts import Texts

if TYPE_CHECKING:
    from kit.storage import StoreHealth

#: How much of a reason from the operating system the trainer reads (the log has all of it).
REASON_CHARS = 160


@dataclass(frozen=True)
class StoreLine:
    """One line of the dashboard's state: ``alert`` lines are problems (⚠, role=alert)."""

    text: str
    alert: bool
    kind: str  # "updated", "store", "backup", "last-backup", "purge", "unreadable"


def when(moment: dt.datetime, now: dt.datetime, lang: str) -> str:
    """A moment as the trainer reads it, in local time: "14:02" today, else with the date.

    >>> utc = dt.timezone.utc
    >>> now = dt.datetime(2026, 12, 7, 15, 0, tzinfo=utc)
    >>> when(dt.datetime(2026, 12, 7, 14, 2, 9, tzinfo=utc), now, "nl") == (
    ...     dt.datetime(2026, 12, 7, 14, 2, tzinfo=utc).astimezone().strftime("%H:%M"))
    True
    """
    local, today = moment.astimezone(), now.astimezone().date()
    clock = f"{local:%H:%M}"
    if local.date() == today:
        return clock
    return f"{formats.date(local.date(), lang)} {clock}"


def reason(text: str | None) -> str:
    """An operating system's reason, on one line and not too long.

    >>> reason("No space left on device\\n  at /srv/kit/groups.sqlite3")
    'No space left on device'
    >>> len(reason("x" * 500))
    160
    """
    first = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return first[: REASON_CHARS - 1] + "…" if len(first) > REASON_CHARS else first


def store_lines(
    ctx: Texts, health: StoreHealth | None, now: dt.datetime, unreadable: int = 0
) -> list[StoreLine]:
    """The dashboard's state lines, problems first. ``health`` None: not known (the store
    could not even say); ``now`` is when this refresh read the store (aware)."""
    lang = ctx.lang
    lines: list[StoreLine] = []
    if health is not None and health.failure is not None:
        since = when(health.failing_since or now, now, lang)
        lines.append(StoreLine(ctx.t(f"group.store.{health.failure}", since=since), True, "store"))
    else:
        stamp = formats.clock(now.astimezone(), lang)
        lines.append(StoreLine(ctx.t("group.updated", time=stamp), False, "updated"))
    if health is not None and health.backup_failing_since is not None:
        lines.append(
            StoreLine(
                ctx.t(
                    "group.store.backup_failing",
                    since=when(health.backup_failing_since, now, lang),
                    reason=reason(health.backup_failure) or "?",
                ),
                True,
                "backup",
            )
        )
        last = (
            when(health.last_backup, now, lang)
            if health.last_backup is not None
            else ctx.t("group.store.no_backup")
        )
        lines.append(StoreLine(ctx.t("group.store.last_backup", time=last), False, "last-backup"))
    if health is not None and health.purge_failed:
        lines.append(
            StoreLine(
                ctx.t("group.store.purge_failed", reason=reason(health.purge_failed)),
                True,
                "purge",
            )
        )
    if unreadable:
        lines.append(StoreLine(ctx.t("group.unreadable", n=unreadable), True, "unreadable"))
    lines.sort(key=lambda line: not line.alert)  # problems first, stable otherwise
    return lines


def key_file(ctx: Texts, title: str, code: str, key: str, dashboard_url: str, join_url: str) -> str:
    """The small text file a trainer saves with the facilitator key: what it is, the session,
    the join code, the key and where to open the dashboard again."""
    lines = [
        ctx.t("group.keyfile.head"),
        "",
        f"{ctx.t('group.keyfile.title')}: {title}",
        f"{ctx.t('group.keyfile.code')}: {code}",
        f"{ctx.t('group.keyfile.key')}: {key}",
        f"{ctx.t('group.keyfile.dashboard')}: {dashboard_url}",
        f"{ctx.t('group.keyfile.join')}: {join_url}",
        "",
        ctx.t("group.keyfile.keep"),
    ]
    return "\n".join(lines) + "\n"
