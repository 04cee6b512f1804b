"""The store as the apps use it: every part (sessions, participants, guess limits, answers,
retention, copies) behind one class, and the schema brought up to date on first use."""

from __future__ import annotations

import logging
import os
import secrets

import sqlalchemy as sa

from kit.storage import backups, schema
from kit.storage.base import StorageError, _now
from kit.storage.homework import Homework
from kit.storage.people import People
from kit.storage.retention import Retention
from kit.storage.rooms import Rooms
from kit.storage.saved import Saved
from kit.storage.schema import SCHEMA_VERSION, meta_table

log = logging.getLogger("kit")

#: The probe's value spans more than one SQLite page (4 KiB), so it needs room for new pages,
#: as a participant's next answer may: a full disk shows even when small updates still fit.
_PROBE_CHARS = 9000


class Store(People, Saved, Retention, Rooms, Homework):
    """All reads and writes of group data. Every public method raises StorageError, not a
    driver exception, when the database is unreachable, full or damaged."""

    def _open(self) -> None:
        self.migrate()
        if self._auto_purge:
            self._purge_on_open()

    def migrate(self) -> int:
        """Create the schema or upgrade an older one; returns the version found before. An
        SQLite file is copied aside before it is upgraded (``migration-v<found>-…``); without
        that copy it is not upgraded."""
        if self.path is not None and self._in_use is None and self.path.parent.is_dir():
            self._in_use = backups.hold(self.path)
        try:
            with self.engine.begin() as conn:
                found = schema.found_version(conn)
                if found == 0:
                    schema.create(conn)
            if found > SCHEMA_VERSION:
                raise StorageError(
                    f"database schema {found} is newer than this kit ({SCHEMA_VERSION})",
                    failure="refused",
                )
            if 0 < found < SCHEMA_VERSION:
                self._copy_before_upgrade(found)
                with self.engine.begin() as conn:
                    if schema.found_version(conn) < SCHEMA_VERSION:  # not done by another kernel
                        schema.upgrade(conn, found)
                log.warning(
                    "the group store was upgraded from schema %s to %s", found, SCHEMA_VERSION
                )
        except sa.exc.SQLAlchemyError as exc:
            raise self._error(exc) from exc
        self._ready = True
        self.backup()
        return found

    def _copy_before_upgrade(self, found: int) -> None:
        if self.path is None:
            return  # PostgreSQL: the database's own backups (docs/hosting.md)
        try:
            made = backups.make(self.path, "migration", version=found)
        except backups.BackupFailed as exc:
            backups.record_failure(self.path, str(exc))
            log.error("the group store was not upgraded: no copy could be made first (%s)", exc)
            raise StorageError(
                f"not upgraded from schema {found}: no copy could be made first ({exc})",
                failure="refused",
            ) from exc
        log.warning("copy of the group store before its upgrade: %s", made.path)

    def schema_version(self) -> int:
        with self._tx() as conn:
            value = conn.execute(
                sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")
            ).scalar_one()
        return int(value)

    def probe_write(self) -> None:
        """A small committed write (and a rolling copy when one is due), for the dashboard's
        refresh: a full disk shows in :meth:`health` even while reads still work. Raises
        StorageError like every method."""
        key = f"probe:{os.getpid()}:{secrets.token_hex(4)}"
        big = self.engine.dialect.name == "sqlite"
        with self._tx(write=True) as conn:
            if big:  # a value over several pages needs free pages, like a growing answer table
                conn.execute(meta_table.insert().values(key=key, value="x" * _PROBE_CHARS))
                conn.execute(meta_table.delete().where(meta_table.c.key == key))
            done = conn.execute(
                meta_table.update()
                .where(meta_table.c.key == "heartbeat")
                .values(value=_now().isoformat())
            ).rowcount
            if not done:
                conn.execute(meta_table.insert().values(key="heartbeat", value=_now().isoformat()))
        self.backup()
