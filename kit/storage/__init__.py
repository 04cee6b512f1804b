"""The group store: sessions and participants' submissions, on SQLAlchemy Core.

* Default: an SQLite file in the user's data directory (WAL mode, busy timeout), created on first
  use. Nothing to install or start. Copies that can be restored are kept beside it
  (:mod:`kit.storage.backups`; ``python -m kit backups`` and ``restore``).
* ``KIT_DATABASE_URL`` (e.g. ``postgresql+psycopg://kit:…@db/kit``) points every kernel at one
  shared PostgreSQL database, for JupyterHub deployments where kernels run on several machines.

Where things are, by job:

==========================  ===============================================================
``kit.storage.schema``      tables, :data:`SCHEMA_VERSION`, the upgrades from older versions
``kit.storage.base``        the engine, transactions, :class:`StorageError`, :class:`StoreHealth`
``kit.storage.backups``     copies before schema changes, rolling and daily; restoring one
``kit.storage.records``     the frozen records the store hands out
``kit.storage.keys``        facilitator keys (salted scrypt hashes)
``kit.storage.guesses``     guess limits per guesser (``kit_attempts``)
``kit.storage.lifecycle``   sessions: create, open, reopen, close, delete
``kit.storage.people``      joining and coming back with a personal code
``kit.storage.saved``       answers: save, read, the ones that cannot be read
``kit.storage.retention``   deleting sessions whose retention period is over
``kit.storage.rooms``       led sessions: the room's state and the votes on its polls
``kit.storage.homework``    homework sessions: the assignment and the students' hand-ins
``kit.storage.store``       :class:`Store`, all of the above in one class
==========================  ===============================================================

All SQL goes through bound parameters. Facilitator keys and personal codes are stored hashed.
"""

from __future__ import annotations

from kit.sessions import CODE_ALPHABET, InputError, normalise_alias, normalise_code
from kit.storage.backups import BACKUP_EVERY
from kit.storage.base import DAMAGED, StorageError, StoreHealth, default_url
from kit.storage.base import _aware as _aware
from kit.storage.base import _now as _now
from kit.storage.guesses import ATTEMPT_WINDOW, LIMITS, address_subject
from kit.storage.keys import _DUMMY_SALT as _DUMMY_SALT
from kit.storage.keys import _hash_key as _hash_key
from kit.storage.lifecycle import DEFAULT_DAYS
from kit.storage.records import (
    Joined,
    Participant,
    Purged,
    SessionInfo,
    Submission,
    UnreadableRow,
)
from kit.storage.schema import (
    DEFAULT_RETENTION_DAYS,
    SCHEMA_VERSION,
    attempts,
    meta_table,
    metadata,
    participants,
    retention_days,
    sessions,
    submissions,
)
from kit.storage.store import Store

__all__ = [
    "ATTEMPT_WINDOW",
    "BACKUP_EVERY",
    "CODE_ALPHABET",
    "DAMAGED",
    "DEFAULT_DAYS",
    "DEFAULT_RETENTION_DAYS",
    "LIMITS",
    "SCHEMA_VERSION",
    "InputError",
    "Joined",
    "Participant",
    "Purged",
    "SessionInfo",
    "StorageError",
    "Store",
    "StoreHealth",
    "Submission",
    "UnreadableRow",
    "address_subject",
    "attempts",
    "default_url",
    "get_store",
    "meta_table",
    "metadata",
    "normalise_alias",
    "normalise_code",
    "participants",
    "retention_days",
    "sessions",
    "submissions",
]

_stores: dict[str, Store] = {}


def get_store(url: str | None = None) -> Store:
    """One Store per URL per process (engines pool connections)."""
    key = url or default_url()
    if key not in _stores:
        _stores[key] = Store(key)
    return _stores[key]
