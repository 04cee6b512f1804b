"""The group store: sessions and participants' submissions, on SQLAlchemy Core.

* Default: an SQLite file in the user's data directory (WAL mode, busy timeout), created on first
  use. Nothing to install or start.
* ``KIT_DATABASE_URL`` (e.g. ``postgresql+psycopg://kit:…@db/kit``) points every kernel at one
  shared PostgreSQL database, for JupyterHub deployments where kernels run on several machines.

A schema version is recorded in ``kit_meta``; opening an older database upgrades it in place.
All SQL goes through bound parameters. Facilitator keys are stored as salted scrypt hashes and
shown once, at creation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import os
import secrets
import unicodedata
from collections.abc import Iterable, Iterator
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
    "SessionInfo",
    "StorageError",
    "Store",
    "Submission",
    "get_store",
    "normalise_alias",
    "normalise_code",
]

SCHEMA_VERSION = 4
DEFAULT_DAYS = 7
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


class StorageError(Exception):
    """The database could not be reached or refused the operation."""


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

    @property
    def open(self) -> bool:
        return self.closed_at is None and _now() < self.expires_at


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


def default_url() -> str:
    url = os.environ.get("KIT_DATABASE_URL")
    if url:
        return url
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("implementatiekit", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'groups.sqlite3'}"


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

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        self.engine = _engine(self.url)
        self._ready = False

    # ----------------------------------------------------------- plumbing
    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        try:
            if not self._ready:
                self.migrate()
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StorageError(str(exc).splitlines()[0]) from exc

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
                if found < SCHEMA_VERSION:
                    conn.execute(
                        meta_table.update()
                        .where(meta_table.c.key == "schema_version")
                        .values(value=str(SCHEMA_VERSION))
                    )
        except SQLAlchemyError as exc:
            raise StorageError(str(exc).splitlines()[0]) from exc
        self._ready = True
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
                        )
                    )
            except StorageError as exc:
                if isinstance(exc.__cause__, sa.exc.IntegrityError):
                    continue  # code already taken: draw another
                raise
            info = SessionInfo(
                code, title, case_id, intervention_id, now, now + dt.timedelta(days=days), None
            )
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
        if row is None or not key:
            return False
        return hmac.compare_digest(_hash_key(str(key), row.key_salt), row.key_hash)

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
    def join(self, code: str, alias: str, token: str = "") -> Joined:
        """Join a session under an alias, or come back to it with alias and personal code.

        A new alias gets a new participant and personal code. An alias already in the session
        (compared case-, space- and Unicode-insensitively) is only given back with its personal
        code: knowing someone's alias is not enough to act as them.
        """
        code, alias = normalise_code(code), normalise_alias(alias)
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

    def rejoin(self, code: str, token: str) -> Joined:
        """Come back with the personal code alone (it travels in the participant's own links)."""
        code, clean = normalise_code(code), normalise_token(token)
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
