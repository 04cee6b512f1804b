"""The learner's own store: her answers kept on her own machine when she has joined no session.

A learner alone (JupyterLab, or the kit served on her own computer) closes the tab, restarts the
kernel, comes back the next day: her quickscan, phases, adaptations and plan are still there,
without a download. They are kept as the same versioned records the session store keeps
(:mod:`kit.answers`), in an SQLite file of their own in the user's data folder
(``own.sqlite3`` beside the group store's ``groups.sqlite3``), so nothing new is invented: one
row per learner, module and item, the newest answer wins.

Who "she" is decides whether anything is kept (:func:`learner`): on her own machine (a kernel in
JupyterLab, or a page the kit serves to this same computer) and on a hub where she has a login,
yes; a visitor of a kit served to a room, no: her browser is one of many behind one address, and
her answers go to the session she joins. ``KIT_OWN_STORE=off`` switches it off (tests, kiosks),
``KIT_OWN_STORE=on`` on; ``KIT_OWN_URL`` points it at another database.

``python -m kit forget`` (and the button in every app) deletes what is kept about her.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from kit import answers
from kit.answers import Record, RecordError
from kit.storage.base import StorageError, StoreBase, _aware, upsert

log = logging.getLogger("kit")

#: The learner on her own machine (a kernel in JupyterLab, ``make serve`` on localhost).
LOCAL = "local"

_metadata = sa.MetaData()
own_answers = sa.Table(
    "own_answers",
    _metadata,
    sa.Column("learner", sa.String(80), primary_key=True),
    sa.Column("module", sa.String(20), primary_key=True),
    sa.Column("item", sa.String(120), primary_key=True),
    sa.Column("answers", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

#: Addresses that are this computer: a page served here to the learner herself.
_LOOPBACK = ("127.", "::1", "localhost")


def learner(environ: Mapping[str, str] | None = None) -> str | None:
    """Whose work the kernel keeps, or None when it keeps nothing locally.

    The kit's own server tells the kernel the visitor's address (``HTTP_X_KIT_CLIENT``), the
    hub service the hub user; a kernel in JupyterLab has neither and belongs to the one person
    whose server it is.

    >>> learner({})
    'local'
    >>> learner({"HTTP_X_KIT_CLIENT": "127.0.0.1"}), learner({"HTTP_X_KIT_CLIENT": "192.0.2.7"})
    ('local', None)
    >>> learner({"HTTP_X_KIT_CLIENT": "hub-user:merel"}), learner({"JUPYTERHUB_USER": "merel"})
    ('hub-user:merel', 'hub-user:merel')
    >>> learner({"KIT_OWN_STORE": "off"}), learner({"KIT_OWN_STORE": "on", "HTTP_X_KIT_CLIENT": "192.0.2.7"})
    (None, 'local')
    """
    env = os.environ if environ is None else environ
    switch = env.get("KIT_OWN_STORE", "").lower()
    if switch in ("off", "0", "no", "false"):
        return None
    if env.get("JUPYTERHUB_USER"):
        return f"hub-user:{env['JUPYTERHUB_USER']}"[:80]
    client = env.get("HTTP_X_KIT_CLIENT", "")
    if client.startswith("hub-user:"):
        return client[:80]
    if switch in ("on", "1", "yes", "true") or not client or client.startswith(_LOOPBACK):
        return LOCAL
    return None


def own_url(environ: Mapping[str, str] | None = None) -> str:
    """The own store's database: ``KIT_OWN_URL``, else ``own.sqlite3`` in the user data folder."""
    env = os.environ if environ is None else environ
    if env.get("KIT_OWN_URL"):
        return env["KIT_OWN_URL"]
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("implementatiekit", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'own.sqlite3'}"


@dataclass(frozen=True)
class Kept:
    """What the own store holds for one learner: her records, and when she last saved one."""

    records: Mapping[answers.Key, Record]
    saved_at: dt.datetime | None
    unreadable: int = 0


class OwnStore(StoreBase):
    """One learner's records on her own machine. Every method raises :class:`StorageError`, not
    a driver exception, when the file cannot be read or written."""

    def _open(self) -> None:
        with self.engine.begin() as conn:
            _metadata.create_all(conn)
        self._ready = True

    def save(self, who: str, record: Record) -> None:
        payload = answers.dump(record)
        now = self.clock()
        values = {
            "learner": who,
            "module": record.module.value,
            "item": record.item,
            "answers": payload,
            "updated_at": now,
        }
        stmt = upsert(
            self.engine,
            own_answers,
            values,
            ["learner", "module", "item"],
            {"answers": None, "updated_at": now},
        )
        with self._tx(write=True) as conn:
            conn.execute(stmt)

    def kept(self, who: str) -> Kept:
        """Her records; a row that is no record (damaged, from a newer kit) is counted and left
        where it is, never dropped."""
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(own_answers)
                .where(own_answers.c.learner == who)
                .order_by(own_answers.c.updated_at)
            ).all()
        records: dict[answers.Key, Record] = {}
        bad = 0
        for row in rows:
            try:
                record = answers.load(row.module, row.item, row.answers)
            except RecordError as exc:
                log.warning("own answer %s/%s cannot be read: %s", row.module, row.item, exc)
                bad += 1
                continue
            records[record.key] = record
        last = max((_aware(r.updated_at) for r in rows), default=None)
        return Kept(records, last, bad)

    def forget(self, who: str | None = None) -> int:
        """Delete what is kept about ``who`` (everyone's, for None); returns how many answers."""
        query = sa.delete(own_answers)
        if who is not None:
            query = query.where(own_answers.c.learner == who)
        sqlite = self.engine.dialect.name == "sqlite"
        with self._tx(write=True) as conn:
            if sqlite:  # overwrite what is deleted, so no copy of it stays in the file's pages
                conn.exec_driver_sql("PRAGMA secure_delete=ON")
            count = int(conn.execute(query).rowcount or 0)
        if sqlite:  # and out of the write-ahead log
            with self._tx(write=True) as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return count


_stores: dict[str, OwnStore] = {}


def get_own_store(url: str | None = None) -> OwnStore:
    """One own store per URL per process."""
    key = url or own_url()
    if key not in _stores:
        _stores[key] = OwnStore(key)
    return _stores[key]


__all__ = [
    "LOCAL",
    "Kept",
    "OwnStore",
    "StorageError",
    "get_own_store",
    "learner",
    "own_answers",
    "own_url",
]
