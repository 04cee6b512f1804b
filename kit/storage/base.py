"""The store's plumbing: where the database is, the engine, transactions, and what a failure
means (:class:`StorageError`, :class:`StoreHealth`).

Every public method of the store runs in :meth:`StoreBase._tx`, which turns a driver exception
into a :class:`StorageError` that says what kind of failure it is, and remembers since when the
store has been failing, so the trainer's dashboard can say so (:meth:`StoreBase.health`).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from kit import homework
from kit.storage import backups

log = logging.getLogger("kit")

Failure = Literal["full", "unreachable", "damaged", "refused"]

#: SQLite's words for a file that is no (longer a whole) database.
DAMAGED = ("file is not a database", "database disk image is malformed")
#: How SQLite (SQLITE_FULL) and the operating system (ENOSPC, in PostgreSQL's message) say that
#: the disk is full; PostgreSQL's own code for it is SQLSTATE 53100 (DiskFull).
FULL = ("database or disk is full", "No space left on device")
#: Refusals that waiting does not cure: no permission, a read-only file, a newer schema.
REFUSED = ("readonly database", "permission denied", "newer than this kit", "authentication")


#: What tells the store the time of what it records: a function without arguments.
Clock = Callable[[], dt.datetime]


def _now() -> dt.datetime:
    """The real time: for the store's own bookkeeping (failures, backups, guess limits, the
    led room's live timing), never for the times of what it records (:attr:`StoreBase.clock`)."""
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; everything is stored in UTC.
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class StorageError(Exception):
    """The database could not be reached or refused the operation.

    ``failure`` says which: ``"full"`` (no space left: ``full`` is True), ``"damaged"`` (the
    SQLite file itself is broken; waiting does not help; ``backup`` is the newest good copy, if
    the kit made one), ``"refused"`` (no permission, a newer schema) or ``"unreachable"``."""

    def __init__(
        self,
        message: str,
        damaged: bool = False,
        backup: Path | None = None,
        failure: Failure | None = None,
    ) -> None:
        super().__init__(message)
        self.failure: Failure = failure or ("damaged" if damaged else "unreachable")
        self.damaged = self.failure == "damaged"
        self.full = self.failure == "full"
        self.backup = backup
        self.database: Path | None = None  # the SQLite file, when the store is one


@dataclass(frozen=True)
class StoreHealth:
    """What the trainer's dashboard says about the store (all times in UTC).

    ``failing_since``/``failure``: the store's last operation failed, and since when it has been
    failing (None when the last one worked). ``last_backup``: when the newest checked copy was
    made (SQLite); ``backup_failing_since``/``backup_failure``: copies have been failing since
    then, and why. ``purge_failed``: why the retention purge at start-up failed, if it did."""

    failing_since: dt.datetime | None = None
    failure: Failure | None = None
    last_backup: dt.datetime | None = None
    backup_failing_since: dt.datetime | None = None
    backup_failure: str | None = None
    purge_failed: str | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None and self.backup_failure is None and self.purge_failed is None


def classify(exc: BaseException) -> Failure | None:
    """What kind of store failure ``exc`` is; None for one that says nothing about the store's
    health (a constraint or bad data: the caller's input, not the database)."""
    if isinstance(exc, sa.exc.IntegrityError | sa.exc.DataError):
        return None
    orig = getattr(exc, "orig", None)
    state = str(getattr(orig, "sqlstate", "") or "")
    message = str(exc)
    if state == "53100" or any(words in message for words in FULL):
        return "full"
    if any(words in message for words in DAMAGED):
        return "damaged"
    if state.startswith(("42501", "28")) or any(w in message for w in REFUSED):
        return "refused"
    return "unreachable"


def default_url() -> str:
    url = os.environ.get("KIT_DATABASE_URL")
    if url:
        return url
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("implementatiekit", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'groups.sqlite3'}"


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None for another database or an in-memory one)."""
    made = sa.engine.make_url(url)
    if made.get_backend_name() != "sqlite" or not made.database or made.database == ":memory:":
        return None
    return Path(made.database)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=2)


def upsert(
    engine: Engine, table: sa.Table, values: dict[str, Any], keys: list[str], update: dict[str, Any]
) -> Any:
    """INSERT … ON CONFLICT (``keys``) DO UPDATE in the engine's dialect: ``update`` maps each
    column to change to a new value, or to ``None`` for the inserted row's value."""
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    stmt = insert(table).values(**values)
    return stmt.on_conflict_do_update(
        index_elements=keys,
        set_={k: stmt.excluded[k] if v is None else v for k, v in update.items()},
    )


#: How often a full disk is logged while it lasts.
FULL_LOG_EVERY = dt.timedelta(minutes=10)


class StoreBase:
    """Engine, transactions and failure bookkeeping shared by every part of the store."""

    def __init__(
        self, url: str | None = None, auto_purge: bool = True, clock: Clock | None = None
    ) -> None:
        #: The time of what the store records (answers saved, sessions made, closed and ended,
        #: students joined, homework set and handed in, the purge): the kit's one clock,
        #: :func:`kit.homework.clock`, unless one is given. The homework rules read the same
        #: clock (``store.clock()``), so a hand-in is judged and stamped at one time.
        self.clock: Clock = clock or homework.clock
        self.url = url or default_url()
        self.engine = make_engine(self.url)
        self.path = sqlite_path(self.url)
        self._ready = False
        self._auto_purge = auto_purge  # off for ``python -m kit purge``, which reports it
        self._failing_since: dt.datetime | None = None
        self._failure: Failure | None = None
        self._purge_failed: str | None = None
        self._in_use: int | None = None  # the shared lock that tells `kit restore` we are here
        self._backup_failing: tuple[dt.datetime, str] | None = None
        self._full_said: dt.datetime | None = None

    def _open(self) -> None:
        """Prepare the database on first use (schema, retention): see :class:`kit.storage.Store`."""
        raise NotImplementedError

    @contextmanager
    def _tx(self, write: bool = False) -> Iterator[Connection]:
        """One transaction; a driver failure becomes a :class:`StorageError` and is noted for
        :meth:`health`. A read that works clears an earlier failure, except a full disk: only a
        write that works (``write``) shows there is room again."""
        try:
            if not self._ready:
                self._open()
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise self._error(exc) from exc
        except StorageError as exc:
            self._note_failure(exc.failure)
            raise
        if write or self._failure != "full":
            self._failing_since = self._failure = None

    def _note_failure(self, failure: Failure | None) -> None:
        if failure is None:
            return
        if self._failing_since is None:
            self._failing_since = _now()
        self._failure = failure

    def _say_full(self) -> bool:
        """Whether to log a full disk now: once per :data:`FULL_LOG_EVERY`, not on every retry
        of every answer (a nearly full disk can take small writes and refuse big ones)."""
        now = _now()
        if self._full_said is not None and now - self._full_said < FULL_LOG_EVERY:
            return False
        self._full_said = now
        return True

    def _error(self, exc: SQLAlchemyError) -> StorageError:
        message = str(exc).splitlines()[0]
        failure = classify(exc)
        self._note_failure(failure)
        if failure == "full" and self._say_full():
            log.error("the group store %s cannot write: disk full (%s)", self.path or "", message)
        if failure == "damaged" and self.path is not None:
            good = backups.newest_good(self.path)
            log.error(
                "the group store %s is damaged (%s); %s",
                self.path,
                message,
                f"last good copy: {good}" if good else "no backup exists",
            )
            error = StorageError(message, backup=good, failure="damaged")
            error.database = self.path
            return error
        if failure in ("unreachable", "refused"):
            log.warning("the group store failed (%s): %s", failure, message)
        return StorageError(message, failure=failure or "refused")

    # ----------------------------------------------------------- copies and health
    def backup(self, force: bool = False) -> Path | None:
        """Make a rolling copy of an SQLite store (and the day's copy) unless the newest is
        younger than :data:`backups.BACKUP_EVERY` (or ``force``); returns the newest good copy,
        or None (PostgreSQL, no file, or no good copy). Never raises: a failed copy is logged
        and recorded for :meth:`health`, and every older copy is kept."""
        if self.path is None or not self.path.exists():
            return None
        try:
            made = backups.rolling(self.path, force=force)
        except backups.BackupFailed as exc:
            since = backups.record_failure(self.path, str(exc))
            if self._backup_failing is None:
                self._backup_failing = (since, str(exc))
            log.error("backup of the group store failed (since %s): %s", since, exc)
            return backups.newest_good(self.path)
        if made is not None:
            backups.record_success(self.path)
            self._backup_failing = None
        return backups.newest_good(self.path)

    def backup_path(self) -> Path | None:
        """The newest good copy of an SQLite store, if any."""
        return None if self.path is None else backups.newest_good(self.path)

    def health(self) -> StoreHealth:
        """How the store has been doing, as this process saw it (and, for copies, as every
        process recorded beside the file)."""
        last = since = reason = None
        if self.path is not None:
            kept = [c for c in backups.copies(self.path) if c.kind != "replaced"]
            last = kept[0].at if kept else None
            since, reason = backups.failing_since(self.path)
        if since is None and self._backup_failing is not None:
            since, reason = self._backup_failing
        return StoreHealth(
            self._failing_since, self._failure, last, since, reason, self._purge_failed
        )

    def dispose(self) -> None:
        self.engine.dispose()
        if self._in_use is not None:
            backups.release(self._in_use)
            self._in_use = None
