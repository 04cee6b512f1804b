"""Copies of an SQLite store that can be restored: made before every schema change, rolling
while the kit is used, and one a day; each checked before it replaces an older one.

The copies live in a folder beside the database, ``groups.sqlite3.backups/``, named by kind and
time (UTC), e.g. ``rolling-20261207-101500-123456.sqlite3`` or
``migration-v4-20261207-101500-123456.sqlite3`` (the copy of a version-4 file, taken before it
was upgraded). What is kept:

* ``migration``: the file as it was before each schema change, for :data:`KEEP_DAYS` days;
* ``rolling``: the last :data:`KEEP_ROLLING` copies, one at most every :data:`BACKUP_EVERY`;
* ``daily``: the first good copy of each day, for :data:`KEEP_DAYS` days;
* ``replaced``: the file a restore replaced (it may be the damaged one), for :data:`KEEP_DAYS`.

Every copy is made with SQLite's backup API from a file that passed ``PRAGMA quick_check`` and
is checked again itself before it gets its name; a copy that fails is thrown away and older
copies stay, so the last good copy is never replaced by a bad one. A failure is recorded in
``status.json`` in the folder (since when, and why) for the trainer's dashboard.

Every process that uses the file holds a shared lock on ``groups.sqlite3.inuse`` (the kit's
server for as long as it runs, each store while it is open); :func:`restore` needs the lock for
itself, so it refuses while anything uses the file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("kit")

#: A store opened (or a dashboard refreshed) makes a rolling copy when the newest is older.
BACKUP_EVERY = dt.timedelta(minutes=10)
KEEP_ROLLING = 3
KEEP_DAYS = 7
KINDS = ("migration", "rolling", "daily", "replaced")
_NAME = re.compile(
    r"^(?P<kind>migration|rolling|daily|replaced)(?:-v(?P<version>\d+))?-"
    r"(?P<stamp>\d{8}-\d{6}-\d{6})\.sqlite3$"
)
_STAMP = "%Y%m%d-%H%M%S-%f"
_SIDE_FILES = ("-wal", "-shm", "-journal")


class BackupFailed(Exception):
    """No copy was made (or restored); the message says why."""


class InUse(BackupFailed):
    """The database is in use by a server or a kernel: stop it first."""


@dataclass(frozen=True)
class Copy:
    """One kept copy of the database."""

    path: Path
    kind: str
    at: dt.datetime  # when it was made (UTC)
    size: int
    version: int | None = None  # for a migration copy: the schema version it holds


def folder(db: Path) -> Path:
    """Where the copies of ``db`` are kept: ``<db>.backups`` beside it."""
    return db.with_name(db.name + ".backups")


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".inuse")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def copies(db: Path) -> list[Copy]:
    """Every kept copy of ``db``, newest first."""
    out = []
    place = folder(db)
    if not place.is_dir():
        return []
    for entry in place.iterdir():
        match = _NAME.match(entry.name)
        if not match:
            continue
        at = dt.datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=dt.UTC)
        version = int(match["version"]) if match["version"] else None
        with contextlib.suppress(OSError):
            out.append(Copy(entry, match["kind"], at, entry.stat().st_size, version))
    return sorted(out, key=lambda c: (c.at, c.path.name), reverse=True)


def newest_good(db: Path) -> Path | None:
    """The newest copy made by the kit from a checked file (a ``replaced`` file may be the
    damaged one, so it is not offered)."""
    for copy in copies(db):
        if copy.kind != "replaced":
            return copy.path
    return None


def check(path: Path) -> bool:
    """Whether ``path`` is an SQLite database that passes ``PRAGMA quick_check``."""
    if not path.is_file():
        return False
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            row = db.execute("PRAGMA quick_check").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return False
    return bool(row) and row[0] == "ok"


def _copy_into(source: Path, target: Path) -> None:
    """A consistent copy of the database ``source`` (WAL included) with SQLite's backup API."""
    src = sqlite3.connect(source, timeout=5)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            # A copy is one self-contained file (the live database runs in WAL mode, and
            # opening a WAL file leaves -wal and -shm files beside it).
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def make(db: Path, kind: str, version: int | None = None) -> Copy:
    """Copy ``db`` into the folder as a copy of ``kind``; raises :class:`BackupFailed` (and
    keeps every older copy) when the file or the copy fails its check."""
    place = folder(db)
    now = _now()
    name = f"{kind}{'' if version is None else f'-v{version}'}-{now.strftime(_STAMP)}.sqlite3"
    partial = place / f".{name}.{os.getpid()}.partial"
    try:
        place.mkdir(exist_ok=True)
        if not check(db):
            raise BackupFailed(f"{db} failed its check (quick_check): no copy made")
        _copy_into(db, partial)
        if not check(partial):
            raise BackupFailed(f"the copy of {db} failed its check: older copies kept")
        final = place / name
        os.replace(partial, final)  # whole or not at all, also with other kernels copying
    except (OSError, sqlite3.Error) as exc:
        raise BackupFailed(f"no copy of {db}: {exc}") from exc
    finally:
        for leftover in (partial, *(partial.with_name(partial.name + x) for x in _SIDE_FILES)):
            with contextlib.suppress(OSError):
                leftover.unlink()
    made = Copy(final, kind, now, final.stat().st_size, version)
    prune(db, now)
    return made


def prune(db: Path, now: dt.datetime | None = None) -> list[Path]:
    """Remove copies that are no longer kept (see the module's docstring); returns them."""
    now = now or _now()
    gone = []
    rolling = 0
    days: set[dt.date] = set()
    for copy in copies(db):
        old = now - copy.at > dt.timedelta(days=KEEP_DAYS)
        if copy.kind == "rolling":
            rolling += 1
            drop = rolling > KEEP_ROLLING
        elif copy.kind == "daily":
            drop = old or copy.at.date() in days
            days.add(copy.at.date())
        else:
            drop = old
        if drop:
            with contextlib.suppress(OSError):
                copy.path.unlink()
                gone.append(copy.path)
    return gone


def rolling(db: Path, force: bool = False, every: dt.timedelta | None = None) -> Copy | None:
    """A rolling copy, unless the newest is younger than ``every`` (and not ``force``); and the
    day's copy if there is none yet. Returns the copy made (None when none was due); raises
    :class:`BackupFailed`."""
    kept = copies(db)
    newest = next((c for c in kept if c.kind == "rolling"), None)
    every = BACKUP_EVERY if every is None else every
    if not force and newest is not None and _now() - newest.at < every:
        return None
    made = make(db, "rolling")
    today = made.at.date()
    if not any(c.kind == "daily" and c.at.date() == today for c in kept):
        make(db, "daily")
    return made


# --------------------------------------------------------------------------- failures


def _status_path(db: Path) -> Path:
    return folder(db) / "status.json"


def record_failure(db: Path, reason: str) -> dt.datetime:
    """Note that copies fail (kept from the first failure on); returns since when."""
    since = failing_since(db)[0] or _now()
    with contextlib.suppress(OSError):
        folder(db).mkdir(exist_ok=True)
        _status_path(db).write_text(
            json.dumps({"failing_since": since.isoformat(), "failure": reason}), encoding="utf-8"
        )
    return since


def record_success(db: Path) -> None:
    with contextlib.suppress(OSError):
        _status_path(db).unlink()


def failing_since(db: Path) -> tuple[dt.datetime | None, str | None]:
    """Since when copies of ``db`` have been failing and why, as recorded; (None, None) if not."""
    try:
        data = json.loads(_status_path(db).read_text(encoding="utf-8"))
        return dt.datetime.fromisoformat(data["failing_since"]), str(data["failure"])
    except (OSError, ValueError, KeyError, TypeError):
        return None, None


# --------------------------------------------------------------------------- in use, restore


def hold(db: Path) -> int | None:
    """Take a shared lock that says "this process uses ``db``" (released by :func:`release` or
    when the process ends, also by ``kill -9``). None where it cannot be taken."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Windows
        return None
    try:
        fd = os.open(lock_path(db), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)  # waits only while a restore holds it
    except OSError:
        os.close(fd)
        return None
    return fd


def release(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)


def in_use(db: Path) -> bool:
    """Whether a server or a kernel holds ``db`` (see :func:`hold`)."""
    import fcntl

    if not lock_path(db).exists():
        return False
    fd = os.open(lock_path(db), os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def find(db: Path, name: str) -> Copy:
    """The kept copy called ``name`` (its file name, or a path to it)."""
    wanted = Path(name).name
    for copy in copies(db):
        if copy.path.name == wanted:
            return copy
    raise BackupFailed(f"no copy called {wanted} in {folder(db)}")


def restore(db: Path, copy: Copy) -> Copy | None:
    """Put ``copy`` in the place of ``db``: refused while anything uses ``db`` (:class:`InUse`)
    or when the copy fails its check. The file it replaces is kept first as a ``replaced`` copy
    (returned; None when there was no file)."""
    import fcntl

    if not check(copy.path):
        raise BackupFailed(f"{copy.path.name} failed its check (quick_check): not restored")
    fd = os.open(lock_path(db), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InUse(f"{db} is in use by a running server or kernel") from None
        replaced = _keep_replaced(db)
        partial = db.with_name(f".{db.name}.restore.{os.getpid()}")
        shutil.copyfile(copy.path, partial)
        with open(partial, "rb") as f:
            os.fsync(f.fileno())
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                db.with_name(db.name + suffix).unlink()
        os.replace(partial, db)
        log.warning("restored %s from %s", db, copy.path)
        return replaced
    finally:
        os.close(fd)


def _keep_replaced(db: Path) -> Copy | None:
    if not db.exists():
        return None
    if check(db):
        return make(db, "replaced")
    # A damaged file is kept as it is (with its write-ahead log), for whoever wants to look.
    now = _now()
    target = folder(db) / f"replaced-{now.strftime(_STAMP)}.sqlite3"
    folder(db).mkdir(exist_ok=True)
    shutil.copyfile(db, target)
    wal = db.with_name(db.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, target.with_name(target.name + "-wal"))
    return Copy(target, "replaced", now, target.stat().st_size)
