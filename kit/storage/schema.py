"""The group store's tables, its schema version and the steps that upgrade an older database.

A schema version is recorded in ``kit_meta``; :func:`upgrade` brings a database from any earlier
version to :data:`SCHEMA_VERSION` inside one transaction. Before it runs, the store copies an
SQLite file aside (:mod:`kit.storage.backups`), so a migration that goes wrong can be undone.
"""

from __future__ import annotations

import logging
import os

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kit import answers
from kit.answers import RecordError
from kit.sessions import ALIAS_MAX, CODE_LENGTH, alias_key

log = logging.getLogger("kit")

#: 1: sessions and submissions; 2: closing a session; 3: participants with personal codes;
#: 4: answers as versioned records; 5: retention period and failed-guess counts; 6: led sessions
#: (the room's state and poll votes); 7: homework (the assignment and the hand-ins).
SCHEMA_VERSION = 7
#: Days a session's data is kept after it closed (or expired), unless ``KIT_RETENTION_DAYS`` says
#: otherwise when the session is created.
DEFAULT_RETENTION_DAYS = 30


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


def _session_code(primary_key: bool = False) -> sa.Column[str]:
    """The column that ties a row to its session: deleted with it."""
    return sa.Column(
        "session_code",
        sa.String(CODE_LENGTH),
        sa.ForeignKey("kit_sessions.code", ondelete="CASCADE"),
        primary_key=primary_key,
        nullable=False,
    )


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
    _session_code(),
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
    _session_code(primary_key=True),
    sa.Column("participant", sa.String(32), primary_key=True),
    sa.Column("alias", sa.String(ALIAS_MAX * 4), nullable=False),
    sa.Column("alias_key", sa.String(ALIAS_MAX * 4), nullable=False),
    sa.Column("token_hash", sa.String(64)),  # NULL for participants migrated from version 2
    sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("session_code", "alias_key", name="uq_participant_alias"),
    sa.Index("ix_participants_token", "token_hash"),
)
attempts = sa.Table(
    # Added in schema version 5: recent failed guesses, one row per failure and subject
    # (kit.storage.guesses names the subjects), pruned after the guess window.
    "kit_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("subject", sa.String(80), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_attempts_subject_at", "subject", "at"),
)

rooms = sa.Table(
    # Added in schema version 6: the state of a led session (kit.agenda.Room as JSON), one row
    # per session that is led; ``version`` lets a page see a change with one small read.
    "kit_rooms",
    metadata,
    _session_code(primary_key=True),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
votes = sa.Table(
    # Added in schema version 6: one answer per participant per poll step; answering again
    # while the poll is open replaces it.
    "kit_votes",
    metadata,
    _session_code(primary_key=True),
    sa.Column("step", sa.String(80), primary_key=True),
    sa.Column("participant", sa.String(32), primary_key=True),
    sa.Column("value", sa.String(400), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)


homework = sa.Table(
    # Added in schema version 7: a homework session's assignment (kit.homework.Assignment as
    # JSON: the exercises, the deadline, when the reference shows), one row per session.
    "kit_homework",
    metadata,
    _session_code(primary_key=True),
    sa.Column("assignment", sa.Text, nullable=False),
    sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
)
hand_ins = sa.Table(
    # Added in schema version 7: every hand-in of a homework session, numbered per student (the
    # newest counts; none is overwritten), with the answers handed in as their stored JSON.
    "kit_hand_ins",
    metadata,
    _session_code(primary_key=True),
    sa.Column("participant", sa.String(32), primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("alias", sa.String(ALIAS_MAX * 4), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("late", sa.Boolean, nullable=False),
    sa.Column("records", sa.Text, nullable=False),
)


def found_version(conn: Connection) -> int:
    """The schema version of the database behind ``conn``; 0 for an empty database."""
    if not sa.inspect(conn).has_table("kit_meta"):
        return 0
    return int(
        conn.execute(
            sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")
        ).scalar_one()
    )


def create(conn: Connection) -> None:
    """A new database at the current version."""
    metadata.create_all(conn)
    conn.execute(meta_table.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))


def upgrade(conn: Connection, found: int) -> None:
    """Bring a database of version ``found`` (1 to SCHEMA_VERSION - 1) to the current version."""
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
    if found < 6:
        rooms.create(conn)
        votes.create(conn)
    if found < 7:
        homework.create(conn)
        hand_ins.create(conn)
    conn.execute(
        meta_table.update()
        .where(meta_table.c.key == "schema_version")
        .values(value=str(SCHEMA_VERSION))
    )


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
    reported in the server log; the dashboard counts it as unreadable and exports it raw.
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
