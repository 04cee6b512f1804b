"""The group store: sessions and participants' submissions, on SQLAlchemy Core.

* Default: an SQLite file in the user's data directory (WAL mode, busy timeout), created on first
  use. Nothing to install or start.
* ``KIT_DATABASE_URL`` (e.g. ``postgresql+psycopg://kit:…@db/kit``) points every kernel at one
  shared PostgreSQL database, for JupyterHub deployments where kernels run on several machines.

A schema version is recorded in ``kit_meta``; opening an older database upgrades it in place.
All SQL goes through bound parameters. Facilitator keys are stored as salted scrypt hashes and
shown once, at creation.

Guessing is limited here, in the database, because every participant's page is a kernel of its
own: failed join codes, personal codes and facilitator keys are counted per client address and per
session in ``kit_attempts`` (kept for :data:`ATTEMPT_WINDOW` only, the address hashed), and a
subject with too many recent failures is refused before anything is checked (docs/hosting.md has
the guess space).

Personal data is kept for a retention period: a session is deleted with everything in it
``retention_days`` (default :data:`DEFAULT_RETENTION_DAYS`, ``KIT_RETENTION_DAYS``) after it closed
or expired. Every store purges what is due when it first opens the database, and
``python -m kit purge`` does it on demand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import os
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from kit import answers
from kit.answers import Record, RecordError
from kit.sessions import (
    ALIAS_MAX,
    CODE_ALPHABET,
    CODE_LENGTH,
    InputError,
    Problem,
    alias_key,
    new_code,
    new_participant_id,
    new_token,
    normalise_alias,
    normalise_code,
    normalise_token,
    token_hash,
)

log = logging.getLogger("kit")

__all__ = [
    "CODE_ALPHABET",
    "InputError",
    "Joined",
    "Participant",
    "Purged",
    "SessionInfo",
    "StorageError",
    "Store",
    "Submission",
    "get_store",
    "normalise_alias",
    "normalise_code",
]

SCHEMA_VERSION = 5
DEFAULT_DAYS = 7
#: Days a session's data is kept after it closed (or expired), unless ``KIT_RETENTION_DAYS`` says
#: otherwise when the session is created.
DEFAULT_RETENTION_DAYS = 30
#: How far back failed attempts count, and how many a subject may have in that time. A whole
#: room may reach the server from one address (a school's Wi-Fi to a hosted server) and shares
#: ``addr``; ``token`` is shared by everyone in a session. Both leave room for a class's typos,
#: so one participant cannot lock the others out with a few wrong codes; the guess spaces keep
#: guessing hopeless at these rates (docs/hosting.md).
ATTEMPT_WINDOW = dt.timedelta(minutes=15)
LIMITS = {"addr": 30, "key": 10, "token": 100}
metadata = sa.MetaData()
meta_table = sa.Table(
    "kit_meta",
    metadata,
    sa.Column("key", sa.String(40), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
)
sessions = sa.Table(
    "kit_sessions",
    metadata,
    sa.Column("code", sa.String(CODE_LENGTH), primary_key=True),
    sa.Column("title", sa.String(120), nullable=False),
    sa.Column("case_id", sa.String(80)),
    sa.Column("intervention_id", sa.String(80)),
    sa.Column("key_salt", sa.String(64), nullable=False),
    sa.Column("key_hash", sa.String(128), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("closed_at", sa.DateTime(timezone=True)),  # added in schema version 2
    # Added in schema version 5: days the data is kept after the session closed or expired.
    sa.Column("retention_days", sa.Integer, nullable=False, server_default="30"),
)
submissions = sa.Table(
    "kit_submissions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "session_code",
        sa.String(CODE_LENGTH),
        sa.ForeignKey("kit_sessions.code", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("participant", sa.String(32), nullable=False),
    sa.Column("alias", sa.String(ALIAS_MAX * 4), nullable=False),
    sa.Column("module", sa.String(20), nullable=False),
    sa.Column("item", sa.String(120), nullable=False),
    sa.Column("answers", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("session_code", "participant", "module", "item", name="uq_submission"),
    sa.Index("ix_submissions_session", "session_code"),
)


participants = sa.Table(
    # Added in schema version 3: a participant exists from joining (not from the first answer),
    # an alias is unique within a session, and coming back needs the personal code.
    "kit_participants",
    metadata,
    sa.Column(
        "session_code",
        sa.String(CODE_LENGTH),
        sa.ForeignKey("kit_sessions.code", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("participant", sa.String(32), primary_key=True),
    sa.Column("alias", sa.String(ALIAS_MAX * 4), nullable=False),
    sa.Column("alias_key", sa.String(ALIAS_MAX * 4), nullable=False),
    sa.Column("token_hash", sa.String(64)),  # NULL for participants migrated from version 2
    sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("session_code", "alias_key", name="uq_participant_alias"),
    sa.Index("ix_participants_token", "token_hash"),
)


attempts = sa.Table(
    # Added in schema version 5: recent failed guesses ("addr:<hash>", "key:<code>",
    # "token:<code>"), pruned after ATTEMPT_WINDOW.
    "kit_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("subject", sa.String(80), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_attempts_subject_at", "subject", "at"),
)


class StorageError(Exception):
    """The database could not be reached or refused the operation.

    ``damaged`` says the database file itself is broken (not a database, or corrupt): waiting
    does not help; ``backup`` is the last good copy of it, if the kit made one."""

    def __init__(self, message: str, damaged: bool = False, backup: Path | None = None) -> None:
        super().__init__(message)
        self.damaged, self.backup = damaged, backup


#: SQLite's words for a file that is no (longer a whole) database.
DAMAGED = ("file is not a database", "database disk image is malformed")
#: A store that opens a healthy SQLite file copies it to ``<file>.backup`` when that copy is
#: older than this (every kernel opens its store once; a room of 30 makes one copy).
BACKUP_EVERY = dt.timedelta(minutes=10)


_DUMMY_SALT = "00" * 16


def _hash_key(key: str, salt: str) -> str:
    return hashlib.scrypt(key.encode(), salt=bytes.fromhex(salt), n=2**14, r=8, p=1).hex()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; everything is stored in UTC.
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class SessionInfo:
    code: str
    title: str
    case_id: str | None
    intervention_id: str | None
    created_at: dt.datetime
    expires_at: dt.datetime
    closed_at: dt.datetime | None
    retention_days: int = DEFAULT_RETENTION_DAYS

    @property
    def open(self) -> bool:
        return self.closed_at is None and _now() < self.expires_at

    @property
    def ended_at(self) -> dt.datetime:
        """When the session stopped taking answers: closed by the trainer, or expired."""
        return min(self.closed_at, self.expires_at) if self.closed_at else self.expires_at

    @property
    def delete_after(self) -> dt.datetime:
        """When the session and everything in it is deleted (retention period)."""
        return self.ended_at + dt.timedelta(days=self.retention_days)


@dataclass(frozen=True)
class Purged:
    """A session deleted because its retention period was over."""

    code: str
    title: str
    ended_at: dt.datetime
    participants: int
    submissions: int


@dataclass(frozen=True)
class Participant:
    participant: str
    alias: str
    joined_at: dt.datetime


@dataclass(frozen=True)
class Joined:
    """A participant in a session, as their own kernel knows them."""

    info: SessionInfo
    participant: str
    alias: str
    token: str  # the personal code, to show the participant and carry in their links
    new: bool  # joined just now (else: came back)


@dataclass(frozen=True)
class Submission:
    participant: str
    alias: str
    record: Record
    updated_at: dt.datetime


def retention_days(environ: dict[str, str] | None = None) -> int:
    """Days to keep a new session's data after it ends: ``KIT_RETENTION_DAYS`` or the default.

    >>> retention_days({}), retention_days({"KIT_RETENTION_DAYS": "7"})
    (30, 7)
    """
    raw = (os.environ if environ is None else environ).get("KIT_RETENTION_DAYS", "")
    try:
        days = int(raw) if raw.strip() else DEFAULT_RETENTION_DAYS
    except ValueError:
        log.warning(
            "KIT_RETENTION_DAYS=%r is not a number of days: using %s", raw, DEFAULT_RETENTION_DAYS
        )
        return DEFAULT_RETENTION_DAYS
    return max(0, min(days, 3650))


def address_subject(address: str) -> str:
    """How a client address is counted: hashed, never stored as it is (it is personal data)."""
    return "addr:" + hashlib.sha256(f"kit-address\x00{address}".encode()).hexdigest()[:32]


def default_url() -> str:
    url = os.environ.get("KIT_DATABASE_URL")
    if url:
        return url
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("implementatiekit", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'groups.sqlite3'}"


def _sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None for another database or an in-memory one)."""
    made = sa.engine.make_url(url)
    if made.get_backend_name() != "sqlite" or not made.database or made.database == ":memory:":
        return None
    return Path(made.database)


def _engine(url: str) -> Engine:
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


class Store:
    """All reads and writes of group data. Every public method raises StorageError, not a
    driver exception, when the database is unreachable."""

    def __init__(self, url: str | None = None, auto_purge: bool = True) -> None:
        self.url = url or default_url()
        self.engine = _engine(self.url)
        self.path = _sqlite_path(self.url)
        self._ready = False
        self._auto_purge = auto_purge  # off for ``python -m kit purge``, which reports it

    # ----------------------------------------------------------- plumbing
    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        try:
            if not self._ready:
                self.migrate()
                if self._auto_purge:
                    self._purge_on_open()
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise self._error(exc) from exc

    def _error(self, exc: SQLAlchemyError) -> StorageError:
        message = str(exc).splitlines()[0]
        if self.path is not None and any(words in message for words in DAMAGED):
            backup = self.backup_path()
            log.error(
                "the group store %s is damaged (%s); %s",
                self.path,
                message,
                f"last good copy: {backup}" if backup.exists() else "no backup exists",
            )
            return StorageError(message, damaged=True, backup=backup if backup.exists() else None)
        return StorageError(message)

    def backup_path(self) -> Path:
        """Where the last good copy of an SQLite store is kept: beside it, ``.backup`` added."""
        assert self.path is not None
        return self.path.with_name(self.path.name + ".backup")

    def backup(self, force: bool = False) -> Path | None:
        """Copy a healthy SQLite store to :meth:`backup_path` (unless a copy younger than
        :data:`BACKUP_EVERY` exists); returns the copy, or None (PostgreSQL, or not healthy)."""
        if self.path is None or not self.path.exists():
            return None
        target = self.backup_path()
        if not force and target.exists():
            age = dt.datetime.now() - dt.datetime.fromtimestamp(target.stat().st_mtime)
            if age < BACKUP_EVERY:
                return target
        import sqlite3

        source = sqlite3.connect(self.path, timeout=5)
        try:
            if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                log.error("the group store %s failed its check: no backup made", self.path)
                return None
            partial = target.with_name(f"{target.name}.{os.getpid()}")
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy)
            finally:
                copy.close()
            os.replace(partial, target)  # whole or not at all, also with other kernels copying
        except sqlite3.Error as exc:
            log.warning("no backup of the group store %s: %s", self.path, exc)
            return None
        finally:
            source.close()
        return target

    def migrate(self) -> int:
        """Create the schema or upgrade an older one; returns the version found before."""
        try:
            with self.engine.begin() as conn:
                inspector = sa.inspect(conn)
                if not inspector.has_table("kit_meta"):
                    metadata.create_all(conn)
                    conn.execute(
                        meta_table.insert().values(key="schema_version", value=str(SCHEMA_VERSION))
                    )
                    self._ready = True
                    return 0
                found = int(
                    conn.execute(
                        sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")
                    ).scalar_one()
                )
                if found > SCHEMA_VERSION:
                    raise StorageError(
                        f"database schema {found} is newer than this kit ({SCHEMA_VERSION})"
                    )
                if found < 2:
                    # Version 2 added closing a session.
                    conn.execute(sa.text("ALTER TABLE kit_sessions ADD COLUMN closed_at TIMESTAMP"))
                if found < 3:
                    _migrate_participants(conn)
                if found < 4:
                    _migrate_records(conn)
                if found < 5:
                    conn.execute(
                        sa.text(
                            "ALTER TABLE kit_sessions ADD COLUMN retention_days INTEGER "
                            f"NOT NULL DEFAULT {DEFAULT_RETENTION_DAYS}"
                        )
                    )
                    attempts.create(conn)
                if found < SCHEMA_VERSION:
                    conn.execute(
                        meta_table.update()
                        .where(meta_table.c.key == "schema_version")
                        .values(value=str(SCHEMA_VERSION))
                    )
        except SQLAlchemyError as exc:
            raise self._error(exc) from exc
        self._ready = True
        self.backup()
        return found

    def schema_version(self) -> int:
        with self._tx() as conn:
            value = conn.execute(
                sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")
            ).scalar_one()
        return int(value)

    # ----------------------------------------------------------- sessions
    def create_session(
        self,
        title: str,
        case_id: str | None = None,
        intervention_id: str | None = None,
        days: int = DEFAULT_DAYS,
        keep_days: int | None = None,
    ) -> tuple[SessionInfo, str]:
        """Create a session; returns it and the facilitator key (shown once, stored hashed)."""
        title = unicodedata.normalize("NFC", str(title)).strip()
        if not title:
            raise InputError(Problem.EMPTY_TITLE)
        if len(title) > 120:
            raise InputError(Problem.LONG_TITLE)
        key = secrets.token_urlsafe(12)
        salt = secrets.token_hex(16)
        now = _now()
        keep = retention_days() if keep_days is None else keep_days
        for _ in range(20):
            code = new_code()
            try:
                with self._tx() as conn:
                    conn.execute(
                        sessions.insert().values(
                            code=code,
                            title=title,
                            case_id=case_id,
                            intervention_id=intervention_id,
                            key_salt=salt,
                            key_hash=_hash_key(key, salt),
                            created_at=now,
                            expires_at=now + dt.timedelta(days=days),
                            retention_days=keep,
                        )
                    )
            except StorageError as exc:
                if isinstance(exc.__cause__, sa.exc.IntegrityError):
                    continue  # code already taken: draw another
                raise
            info = SessionInfo(
                code,
                title,
                case_id,
                intervention_id,
                now,
                now + dt.timedelta(days=days),
                None,
                keep,
            )
            self.backup(force=True)  # a copy with the new session in it
            return info, key
        raise StorageError("no free join code found")

    def session(self, code: str) -> SessionInfo | None:
        code = normalise_code(code)
        with self._tx() as conn:
            row = conn.execute(sa.select(sessions).where(sessions.c.code == code)).first()
        if row is None:
            return None
        return SessionInfo(
            row.code,
            row.title,
            row.case_id,
            row.intervention_id,
            _aware(row.created_at),
            _aware(row.expires_at),
            _aware(row.closed_at) if row.closed_at else None,
            int(row.retention_days),
        )

    def check_key(self, code: str, key: str) -> bool:
        """Whether ``key`` is the facilitator key of session ``code`` (constant-time compare)."""
        try:
            code = normalise_code(code)
        except InputError:
            return False
        with self._tx() as conn:
            row = conn.execute(
                sa.select(sessions.c.key_salt, sessions.c.key_hash).where(sessions.c.code == code)
            ).first()
        # Hashed even when there is no such session: a wrong key takes as long either way, so
        # the answer's timing does not tell whether the session exists.
        salt, stored = (row.key_salt, row.key_hash) if row is not None else (_DUMMY_SALT, "")
        right = hmac.compare_digest(_hash_key(str(key), salt), stored)
        return right and row is not None and bool(key)

    def open_session(self, code: str, key: str, client: str = "") -> SessionInfo:
        """The trainer reopens a session with its key: limited per session and per client
        address, and the same refusal (BAD_KEY) for an unknown code and a wrong key."""
        clean = re.sub(r"[\s-]", "", str(code)).upper()[:CODE_LENGTH]
        subjects = [(f"key:{clean}", LIMITS["key"])]
        if client:
            subjects.append((address_subject(client), LIMITS["addr"]))
        self._refuse_if_throttled(subjects)
        info = self.session(code) if self.check_key(code, key) else None
        if info is None:
            self._failed(subjects)
            raise InputError(Problem.BAD_KEY)
        return info

    # ----------------------------------------------------------- guessing
    def _refuse_if_throttled(self, subjects: list[tuple[str, int]]) -> None:
        since = _now() - ATTEMPT_WINDOW
        with self._tx() as conn:
            for subject, limit in subjects:
                n = conn.execute(
                    sa.select(sa.func.count())
                    .select_from(attempts)
                    .where(attempts.c.subject == subject)
                    .where(attempts.c.at > since)
                ).scalar_one()
                if n >= limit:
                    log.warning("too many failed attempts for %s: refused", subject)
                    raise InputError(Problem.TOO_MANY_TRIES)

    def _failed(self, subjects: list[tuple[str, int]]) -> None:
        now = _now()
        with self._tx() as conn:
            conn.execute(attempts.delete().where(attempts.c.at <= now - ATTEMPT_WINDOW))
            for subject, _ in subjects:
                conn.execute(attempts.insert().values(subject=subject, at=now))

    def _require_key(self, code: str, key: str) -> str:
        if not self.check_key(code, key):
            raise InputError(Problem.BAD_KEY)
        return normalise_code(code)

    def close_session(self, code: str, key: str) -> None:
        code = self._require_key(code, key)
        with self._tx() as conn:
            conn.execute(sessions.update().where(sessions.c.code == code).values(closed_at=_now()))

    def delete_session(self, code: str, key: str) -> int:
        """Delete a session and every submission in it; returns how many submissions went."""
        code = self._require_key(code, key)
        with self._tx() as conn:
            gone = conn.execute(
                submissions.delete().where(submissions.c.session_code == code)
            ).rowcount
            conn.execute(participants.delete().where(participants.c.session_code == code))
            conn.execute(sessions.delete().where(sessions.c.code == code))
        return int(gone or 0)

    # ----------------------------------------------------------- participants
    def join(self, code: str, alias: str, token: str = "", client: str = "") -> Joined:
        """Join a session under an alias, or come back to it with alias and personal code.

        A new alias gets a new participant and personal code. An alias already in the session
        (compared case-, space- and Unicode-insensitively) is only given back with its personal
        code: knowing someone's alias is not enough to act as them. Unknown codes and wrong
        personal codes count as failed guesses (per client address; per session).
        """
        code, alias = normalise_code(code), normalise_alias(alias)
        return self._guarded(code, client, lambda: self._join(code, alias, token))

    def _guarded(self, code: str, client: str, attempt: Callable[[], Joined]) -> Joined:
        subjects = [(f"token:{code}", LIMITS["token"])]
        if client:
            subjects.append((address_subject(client), LIMITS["addr"]))
        self._refuse_if_throttled(subjects)
        try:
            return attempt()
        except InputError as exc:
            if exc.code == Problem.BAD_TOKEN:
                self._failed(subjects)
            elif exc.code == Problem.UNKNOWN_CODE:
                self._failed(subjects[1:])  # no session to count it against
            raise

    def _join(self, code: str, alias: str, token: str) -> Joined:
        key = alias_key(alias)
        info = self.session(code)
        if info is None:
            raise InputError(Problem.UNKNOWN_CODE)
        with self._tx() as conn:
            row = conn.execute(
                sa.select(participants)
                .where(participants.c.session_code == code)
                .where(participants.c.alias_key == key)
            ).first()
        if row is not None:
            if not token.strip():
                raise InputError(Problem.ALIAS_TAKEN)
            clean = normalise_token(token)
            if row.token_hash is None or not hmac.compare_digest(
                token_hash(code, clean), row.token_hash
            ):
                raise InputError(Problem.BAD_TOKEN)
            return Joined(info, row.participant, row.alias, clean, False)
        if not info.open:
            raise InputError(Problem.CLOSED)
        new = new_token()
        pid = new_participant_id()
        try:
            with self._tx() as conn:
                conn.execute(
                    participants.insert().values(
                        session_code=code,
                        participant=pid,
                        alias=alias,
                        alias_key=key,
                        token_hash=token_hash(code, new),
                        joined_at=_now(),
                    )
                )
        except StorageError as exc:
            if isinstance(exc.__cause__, sa.exc.IntegrityError):
                raise InputError(Problem.ALIAS_TAKEN) from exc  # someone took it a moment ago
            raise
        return Joined(info, pid, alias, new, True)

    def rejoin(self, code: str, token: str, client: str = "") -> Joined:
        """Come back with the personal code alone (it travels in the participant's own links)."""
        code, clean = normalise_code(code), normalise_token(token)
        return self._guarded(code, client, lambda: self._rejoin(code, clean))

    def _rejoin(self, code: str, clean: str) -> Joined:
        info = self.session(code)
        if info is None:
            raise InputError(Problem.UNKNOWN_CODE)
        with self._tx() as conn:
            row = conn.execute(
                sa.select(participants)
                .where(participants.c.session_code == code)
                .where(participants.c.token_hash == token_hash(code, clean))
            ).first()
        if row is None:
            raise InputError(Problem.BAD_TOKEN)
        return Joined(info, row.participant, row.alias, clean, False)

    def participants(self, code: str, key: str) -> list[Participant]:
        """Everyone who joined, in the order they joined: for the facilitator only."""
        code = self._require_key(code, key)
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(participants)
                .where(participants.c.session_code == code)
                .order_by(participants.c.joined_at, participants.c.alias_key)
            ).all()
        return [Participant(r.participant, r.alias, _aware(r.joined_at)) for r in rows]

    def participant_count(self, code: str) -> int:
        """How many joined: the one number the public presenter view shows."""
        code = normalise_code(code)
        with self._tx() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.count())
                    .select_from(participants)
                    .where(participants.c.session_code == code)
                ).scalar_one()
            )

    def save(self, code: str, participant: str, alias: str, record: Record) -> None:
        """Insert or update one submission (upsert on session, participant, module, item)."""
        payload = answers.dump(record)
        if len(payload) > answers.MAX_CHARS or len(record.item) > 120:
            raise InputError(Problem.TOO_LARGE)
        now = _now()
        values = {
            "session_code": code,
            "participant": participant,
            "alias": alias,
            "module": record.module.value,
            "item": record.item,
            "answers": payload,
            "created_at": now,
            "updated_at": now,
        }
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
        stmt = insert(submissions).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["session_code", "participant", "module", "item"],
            set_={
                "answers": stmt.excluded.answers,
                "alias": stmt.excluded.alias,
                "updated_at": now,
            },
        )
        with self._tx() as conn:
            # A closed (or deleted) session takes no more answers: the trainer froze the data.
            closed_at = conn.execute(
                sa.select(sessions.c.closed_at).where(sessions.c.code == code)
            ).first()
            if closed_at is None or closed_at[0] is not None:
                raise InputError(Problem.CLOSED)
            conn.execute(stmt)

    def own_submissions(self, code: str, participant: str) -> list[Submission]:
        """One participant's own submissions: all a participant's kernel ever reads back."""
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(submissions)
                .where(submissions.c.session_code == code)
                .where(submissions.c.participant == participant)
                .order_by(submissions.c.id)
            ).all()
        return _submissions(rows)

    # ----------------------------------------------------------- facilitator
    def all_submissions(self, code: str, key: str) -> list[Submission]:
        """Every submission of a session, for the facilitator only."""
        code = self._require_key(code, key)
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(submissions)
                .where(submissions.c.session_code == code)
                .order_by(submissions.c.id)
            ).all()
        return _submissions(rows)

    def count(self, code: str | None = None) -> int:
        with self._tx() as conn:
            query = sa.select(sa.func.count()).select_from(submissions)
            if code is not None:
                query = query.where(submissions.c.session_code == code)
            return int(conn.execute(query).scalar_one())

    # ----------------------------------------------------------- retention
    def purge(self, now: dt.datetime | None = None, dry_run: bool = False) -> list[Purged]:
        """Delete every session whose retention period is over, with its participants and
        answers; returns what went (or, with ``dry_run``, what would go)."""
        now = now or _now()
        with self._tx() as conn:
            rows = conn.execute(sa.select(sessions)).all()
            due = []
            for r in rows:
                info = SessionInfo(
                    r.code,
                    r.title,
                    r.case_id,
                    r.intervention_id,
                    _aware(r.created_at),
                    _aware(r.expires_at),
                    _aware(r.closed_at) if r.closed_at else None,
                    int(r.retention_days),
                )
                if info.delete_after <= now:
                    due.append(info)
            out = []
            for info in due:
                n_people = conn.execute(
                    sa.select(sa.func.count())
                    .select_from(participants)
                    .where(participants.c.session_code == info.code)
                ).scalar_one()
                n_subs = conn.execute(
                    sa.select(sa.func.count())
                    .select_from(submissions)
                    .where(submissions.c.session_code == info.code)
                ).scalar_one()
                if not dry_run:
                    conn.execute(
                        submissions.delete().where(submissions.c.session_code == info.code)
                    )
                    conn.execute(
                        participants.delete().where(participants.c.session_code == info.code)
                    )
                    conn.execute(sessions.delete().where(sessions.c.code == info.code))
                out.append(Purged(info.code, info.title, info.ended_at, int(n_people), int(n_subs)))
            if not dry_run:
                conn.execute(attempts.delete().where(attempts.c.at <= now - ATTEMPT_WINDOW))
        return out

    def _purge_on_open(self) -> None:
        """Delete what is due whenever a store first opens the database: the retention period
        holds without anyone running ``python -m kit purge``."""
        try:
            for p in self.purge():
                log.info(
                    "deleted session %s (ended %s; %d participants, %d answers): retention over",
                    p.code,
                    p.ended_at.date(),
                    p.participants,
                    p.submissions,
                )
        except (SQLAlchemyError, StorageError) as exc:
            log.warning("could not delete expired sessions: %s", exc)

    def dispose(self) -> None:
        self.engine.dispose()


def _migrate_participants(conn: Connection) -> None:
    """Version 2 -> 3: create the participants table and register everyone who answered.

    Version 2 knew no personal codes, so these participants keep their answers on the dashboard
    but cannot come back by alias (nobody can prove an alias is theirs); their alias stays taken.
    """
    participants.create(conn)
    rows = conn.execute(
        sa.select(
            submissions.c.session_code,
            submissions.c.participant,
            submissions.c.alias,
            sa.func.min(submissions.c.created_at).label("first"),
        ).group_by(submissions.c.session_code, submissions.c.participant, submissions.c.alias)
    ).all()
    done: set[tuple[str, str]] = set()  # (session, participant) registered
    taken: set[tuple[str, str]] = set()  # (session, alias key) in use
    for r in sorted(rows, key=lambda r: r.first):
        if (r.session_code, r.participant) in done:
            continue  # the same participant under a differently written alias
        key = alias_key(r.alias) or r.participant
        if (r.session_code, key) in taken:
            key = f"{key} #{r.participant[:6]}"  # version 2 told "Merel" and "merel" apart
        done.add((r.session_code, r.participant))
        taken.add((r.session_code, key))
        conn.execute(
            participants.insert().values(
                session_code=r.session_code,
                participant=r.participant,
                alias=r.alias,
                alias_key=key,
                token_hash=None,
                joined_at=r.first,
            )
        )


def _migrate_records(conn: Connection) -> None:
    """Version 3 -> 4: answers are stored as versioned records (:mod:`kit.answers`).

    A row that cannot be read as a record is left as it was (nothing is thrown away) and
    reported in the server log; the dashboard skips it.
    """
    rows = conn.execute(
        sa.select(submissions.c.id, submissions.c.module, submissions.c.item, submissions.c.answers)
    ).all()
    for r in rows:
        try:
            record = answers.load(r.module, r.item, r.answers)
        except RecordError as exc:
            log.warning("submission %s kept as it was, not a record: %s", r.id, exc)
            continue
        conn.execute(
            submissions.update()
            .where(submissions.c.id == r.id)
            .values(answers=answers.dump(record))
        )


def _submissions(rows: Iterable[Any]) -> list[Submission]:
    """The rows that hold a record; one that does not is reported, never shown half-read."""
    out = []
    for row in rows:
        try:
            record = answers.load(row.module, row.item, row.answers)
        except RecordError as exc:
            log.warning("submission %s skipped: %s", row.id, exc)
            continue
        out.append(Submission(row.participant, row.alias, record, _aware(row.updated_at)))
    return out


_stores: dict[str, Store] = {}


def get_store(url: str | None = None) -> Store:
    """One Store per URL per process (engines pool connections)."""
    key = url or default_url()
    if key not in _stores:
        _stores[key] = Store(key)
    return _stores[key]
