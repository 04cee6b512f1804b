"""Real SQLite files of every earlier schema version (1-4), built with the DDL those versions of
kit/storage.py created (SQLAlchemy's SQLite DDL for their tables; see the git history of
kit/storage.py: version 2 in 3f3a0db, 3 in daf5de8, 4 in e082305), for the upgrade tests."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from kit import answers
from kit.answers import PhaseGuess

META = """
CREATE TABLE kit_meta (key VARCHAR(40) NOT NULL, value VARCHAR(200) NOT NULL, PRIMARY KEY (key));
"""
SESSIONS_V1 = """
CREATE TABLE kit_sessions (code VARCHAR(6) NOT NULL, title VARCHAR(120) NOT NULL,
  case_id VARCHAR(80), intervention_id VARCHAR(80), key_salt VARCHAR(64) NOT NULL,
  key_hash VARCHAR(128) NOT NULL, created_at DATETIME NOT NULL, expires_at DATETIME NOT NULL,
  PRIMARY KEY (code));
"""
SESSIONS_V2 = """
CREATE TABLE kit_sessions (code VARCHAR(6) NOT NULL, title VARCHAR(120) NOT NULL,
  case_id VARCHAR(80), intervention_id VARCHAR(80), key_salt VARCHAR(64) NOT NULL,
  key_hash VARCHAR(128) NOT NULL, created_at DATETIME NOT NULL, expires_at DATETIME NOT NULL,
  closed_at DATETIME, PRIMARY KEY (code));
"""
SUBMISSIONS = """
CREATE TABLE kit_submissions (id INTEGER NOT NULL, session_code VARCHAR(6) NOT NULL,
  participant VARCHAR(32) NOT NULL, alias VARCHAR(120) NOT NULL, module VARCHAR(20) NOT NULL,
  item VARCHAR(120) NOT NULL, answers TEXT NOT NULL, created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL, PRIMARY KEY (id),
  CONSTRAINT uq_submission UNIQUE (session_code, participant, module, item),
  FOREIGN KEY(session_code) REFERENCES kit_sessions (code) ON DELETE CASCADE);
CREATE INDEX ix_submissions_session ON kit_submissions (session_code);
"""
PARTICIPANTS = """
CREATE TABLE kit_participants (session_code VARCHAR(6) NOT NULL, participant VARCHAR(32) NOT NULL,
  alias VARCHAR(120) NOT NULL, alias_key VARCHAR(120) NOT NULL, token_hash VARCHAR(64),
  joined_at DATETIME NOT NULL, PRIMARY KEY (session_code, participant),
  CONSTRAINT uq_participant_alias UNIQUE (session_code, alias_key),
  FOREIGN KEY(session_code) REFERENCES kit_sessions (code) ON DELETE CASCADE);
CREATE INDEX ix_participants_token ON kit_participants (token_hash);
"""

CODE = "ABCDEF"
TITLE = "Oud"
#: Merel's two phase guesses, as every version stores them.
GUESSES = [PhaseGuess(scenario="s1", first=1, last=1), PhaseGuess(scenario="s2", first=2, last=2)]


def build(path: Path, version: int) -> Path:
    """An SQLite file at schema ``version`` with session ABCDEF and two answers by Merel (and,
    from version 3 on, Merel as a participant without a personal code)."""
    ddl = META + (SESSIONS_V1 if version == 1 else SESSIONS_V2) + SUBMISSIONS
    if version >= 3:
        ddl += PARTICIPANTS
    with sqlite3.connect(path) as db:
        db.executescript(ddl)
        db.execute("INSERT INTO kit_meta VALUES ('schema_version', ?)", (str(version),))
        columns = (
            "(code, title, case_id, intervention_id, key_salt, key_hash, created_at, expires_at)"
        )
        db.execute(
            f"INSERT INTO kit_sessions {columns} VALUES (?, ?, NULL, NULL, '00', 'x', "
            "'2026-01-01 10:00:00.000000', '2099-01-01 10:00:00.000000')",
            (CODE, TITLE),
        )
        for n, guess in enumerate(GUESSES, start=1):
            payload = answers.dump(guess) if version >= 4 else json.dumps({"first": guess.first})
            db.execute(
                "INSERT INTO kit_submissions VALUES (?, ?, 'p-merel', 'Merel', 'phases', ?, ?, ?, ?)",
                (
                    n,
                    CODE,
                    guess.scenario,
                    payload,
                    f"2026-01-01 10:0{n}:00.000000",
                    f"2026-01-01 10:0{n}:00.000000",
                ),
            )
        if version >= 3:
            db.execute(
                "INSERT INTO kit_participants VALUES (?, 'p-merel', 'Merel', 'merel', NULL, "
                "'2026-01-01 10:01:00.000000')",
                (CODE,),
            )
    return path


def version_of(path: Path) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return int(
            db.execute("SELECT value FROM kit_meta WHERE key='schema_version'").fetchone()[0]
        )
