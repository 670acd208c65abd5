"""The class file: one SQLite database per class session (WAL, synchronous=FULL).

It holds the scenario's identity (its content hash), each table's join code and
seed, each seat (played by a person or the AI, the hash of its token, the last
message it had accepted) and every decision. A decision is committed before the
client hears that it was accepted, and a turn's AI decisions are committed with
the turn's checksum in one transaction, so a host killed at any moment restarts
from this file, replays every table through the engine and goes on exactly where
it was (`kazsim.classroom.host.Classroom.open`).

Only the standard library's sqlite3: the file is data, nothing in it is ever run.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kazsim.engine.draws import SCHEME, SCHEMES, SEQUENTIAL

SCHEMA_VERSION = 2  # 2: each table's lesson length (`tables.turn_limit`); 1 is upgraded

MAX_CLASS_FILE = 64 * 2**20  # bytes: a class of 50 tables of 200 turns is a few MB
MAX_TABLES = 50  # as `kazsim host --tables`

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tables (
    n INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, seed INTEGER NOT NULL,
    paused INTEGER NOT NULL DEFAULT 0, turn_limit INTEGER);
CREATE TABLE IF NOT EXISTS seats (
    tbl INTEGER NOT NULL, role TEXT NOT NULL, human INTEGER NOT NULL,
    token_hash TEXT, name TEXT NOT NULL DEFAULT '', last_seq INTEGER NOT NULL DEFAULT 0,
    draws INTEGER NOT NULL, claim_hash TEXT, PRIMARY KEY (tbl, role));
CREATE TABLE IF NOT EXISTS decisions (
    tbl INTEGER NOT NULL, turn INTEGER NOT NULL, role TEXT NOT NULL, action TEXT NOT NULL,
    by TEXT NOT NULL, seq INTEGER, PRIMARY KEY (tbl, turn, role));
CREATE TABLE IF NOT EXISTS turns (
    tbl INTEGER NOT NULL, turn INTEGER NOT NULL, checksum TEXT NOT NULL,
    PRIMARY KEY (tbl, turn));
"""


class ClassFileError(Exception):
    """The class file cannot be used: one line for the teacher."""


@dataclass(frozen=True)
class SeatRow:
    role: str
    human: bool
    token_hash: str | None
    name: str
    last_seq: int
    draws: int
    claim_hash: str | None = None


@dataclass(frozen=True)
class TableRow:
    n: int
    code: str
    seed: int
    paused: bool
    turn_limit: int | None = None  # the lesson's length at this table (None: the whole game)


class ClassStore:
    """The class file, open. Every method that changes it commits before returning."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            mode = self.db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA foreign_keys=ON")
            with self.transaction():
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                columns = {row[1] for row in self.db.execute("PRAGMA table_info(tables)")}
                if "turn_limit" not in columns:  # a class file of schema 1
                    self.db.execute("ALTER TABLE tables ADD COLUMN turn_limit INTEGER")
        except sqlite3.OperationalError as exc:
            raise ClassFileError(f"{path}: cannot open the class file ({exc})") from None
        except sqlite3.DatabaseError as exc:
            raise ClassFileError(f"{path}: not a class file ({exc})") from None
        if str(mode).lower() != "wal":
            raise ClassFileError(f"{path}: SQLite cannot keep it in WAL mode here ({mode})")

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic, durable change (BEGIN IMMEDIATE ... COMMIT)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # --- the class as a whole -----------------------------------------------------------

    def meta(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, value FROM meta").fetchall())

    def create(self, meta: Mapping[str, str], tables: list[TableRow],
               seats: Mapping[int, list[SeatRow]]) -> None:
        with self.transaction() as db:
            db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                           [("schema", str(SCHEMA_VERSION)), *meta.items()])
            for t in tables:
                db.execute("INSERT INTO tables (n, code, seed, paused, turn_limit) "
                           "VALUES (?, ?, ?, ?, ?)",
                           (t.n, t.code, t.seed, int(t.paused), t.turn_limit))
                db.executemany(
                    "INSERT INTO seats (tbl, role, human, token_hash, name, last_seq, draws) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(t.n, s.role, int(s.human), s.token_hash, s.name, s.last_seq, s.draws)
                     for s in seats[t.n]])

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def tables(self) -> list[TableRow]:
        rows = self.db.execute(
            "SELECT n, code, seed, paused, turn_limit FROM tables ORDER BY n").fetchall()
        return [TableRow(int(n), str(c), int(s), bool(p), None if t is None else int(t))
                for n, c, s, p, t in rows]

    def seats(self, table: int) -> list[SeatRow]:
        rows = self.db.execute(
            "SELECT role, human, token_hash, name, last_seq, draws, claim_hash FROM seats "
            "WHERE tbl = ? ORDER BY rowid", (table,)).fetchall()
        return [SeatRow(str(r), bool(h), t, str(nm), int(q), int(d), c)
                for r, h, t, nm, q, d, c in rows]

    def decisions(self, table: int) -> dict[int, dict[str, str]]:
        """turn -> role -> action, every decision stored for the table."""
        out: dict[int, dict[str, str]] = {}
        for turn, role, action in self.db.execute(
                "SELECT turn, role, action FROM decisions WHERE tbl = ? ORDER BY turn, rowid",
                (table,)):
            out.setdefault(int(turn), {})[str(role)] = str(action)
        return out

    def checksums(self, table: int) -> dict[int, str]:
        return {int(t): str(c) for t, c in self.db.execute(
            "SELECT turn, checksum FROM turns WHERE tbl = ?", (table,))}

    # --- changes ------------------------------------------------------------------------

    def decide(self, table: int, turn: int, role: str, action: str, seq: int) -> None:
        """A person's decision, and the seat's last accepted message, durably."""
        with self.transaction() as db:
            db.execute("INSERT INTO decisions (tbl, turn, role, action, by, seq) "
                       "VALUES (?, ?, ?, ?, 'person', ?)", (table, turn, role, action, seq))
            db.execute("UPDATE seats SET last_seq = ? WHERE tbl = ? AND role = ?",
                       (seq, table, role))

    def resolved(self, table: int, turn: int, ai_decisions: Mapping[str, str],
                 checksum: str) -> None:
        """A turn resolved: the AI's decisions for it and the state's checksum after it."""
        with self.transaction() as db:
            db.executemany("INSERT INTO decisions (tbl, turn, role, action, by) "
                           "VALUES (?, ?, ?, ?, 'ai')",
                           [(table, turn, r, a) for r, a in ai_decisions.items()])
            db.execute("INSERT INTO turns (tbl, turn, checksum) VALUES (?, ?, ?)",
                       (table, turn, checksum))

    def set_seat(self, table: int, role: str, *, human: bool, token_hash: str | None,
                 name: str, claim_hash: str | None = None) -> None:
        with self.transaction() as db:
            db.execute("UPDATE seats SET human = ?, token_hash = ?, name = ?, claim_hash = ? "
                       "WHERE tbl = ? AND role = ?",
                       (int(human), token_hash, name, claim_hash, table, role))

    def set_turn_limit(self, table: int, turn_limit: int | None) -> None:
        with self.transaction() as db:
            db.execute("UPDATE tables SET turn_limit = ? WHERE n = ?", (turn_limit, table))

    def set_paused(self, table: int, paused: bool) -> None:
        with self.transaction() as db:
            db.execute("UPDATE tables SET paused = ? WHERE n = ?", (int(paused), table))


# --- reading a class file for the report (untrusted: read only, bounded, checked) -------------

@dataclass(frozen=True)
class ClassRecord:
    """What `kazsim report` reads of a class file: nothing in it is trusted yet (the
    report replays every table through the engine, which checks every decision)."""

    meta: dict[str, str]
    tables: list[TableRow]
    seats: dict[int, list[SeatRow]]
    decisions: dict[int, dict[int, dict[str, str]]]  # table -> turn -> role -> action
    checksums: dict[int, dict[int, str]]  # table -> turn -> checksum


_TEXT = 200  # characters kept of any text read (ids and names are far shorter)


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ClassFileError("a text field holds something else")
    return value[:_TEXT]


def _int(value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ClassFileError("a number is out of range")
    return value


def read_class_file(path: Path, *, max_turns: int = 1000) -> ClassRecord:
    """A class file, opened read only (never changed, never created), every row checked
    for its type and range; raises `ClassFileError` in one line."""
    import os
    import stat

    try:
        info = os.stat(path)
    except OSError as exc:
        raise ClassFileError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        raise ClassFileError(f"{path}: not a regular file")
    if info.st_size > MAX_CLASS_FILE:
        raise ClassFileError(f"{path}: {info.st_size / 1e6:.0f} MB is more than any class "
                             "file holds")
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise ClassFileError(f"{path}: cannot open the class file ({exc})") from None
    try:
        # A crafted file's schema runs nothing of its own (no view or trigger calls a
        # function), nothing is written, and no value read is longer than any real one.
        db.execute("PRAGMA trusted_schema = OFF")
        db.execute("PRAGMA query_only = ON")
        db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 100_000)
        return _read(db, max_turns)
    except sqlite3.Error as exc:
        raise ClassFileError(f"{path}: not a class file ({exc})") from None
    except ClassFileError as exc:
        raise ClassFileError(f"{path}: not a class file kazsim wrote ({exc})") from None
    finally:
        db.close()


def _read(db: sqlite3.Connection, max_turns: int) -> ClassRecord:
    meta = {_text(k): _text(v) for k, v in
            db.execute("SELECT key, value FROM meta LIMIT 100").fetchall()}
    if not meta.get("content_hash") or not meta.get("scenario_id"):
        raise ClassFileError("it names no scenario")
    columns = {row[1] for row in db.execute("PRAGMA table_info(tables)")}
    limit = "turn_limit" if "turn_limit" in columns else "NULL"
    tables = [TableRow(_int(n, 1, MAX_TABLES), _text(c), _int(s, -(2**63), 2**63 - 1),
                       bool(p), None if t is None else _int(t, 1, max_turns))
              for n, c, s, p, t in db.execute(
                  f"SELECT n, code, seed, paused, {limit} FROM tables ORDER BY n "
                  f"LIMIT {MAX_TABLES + 1}")]
    if len(tables) > MAX_TABLES:
        raise ClassFileError(f"more than {MAX_TABLES} tables")
    seats: dict[int, list[SeatRow]] = {}
    decisions: dict[int, dict[int, dict[str, str]]] = {}
    checksums: dict[int, dict[int, str]] = {}
    for t in tables:
        seats[t.n] = [SeatRow(_text(r), bool(hu), None, _text(nm), 0, 0)
                      for r, hu, nm in db.execute(
                          "SELECT role, human, name FROM seats WHERE tbl = ? ORDER BY rowid "
                          "LIMIT 65", (t.n,))]
        found: dict[int, dict[str, str]] = {}
        for turn, role, action in db.execute(
                "SELECT turn, role, action FROM decisions WHERE tbl = ? ORDER BY turn, rowid "
                "LIMIT ?", (t.n, 65 * (max_turns + 1))):
            found.setdefault(_int(turn, 1, max_turns), {})[_text(role)] = _text(action)
        decisions[t.n] = found
        checksums[t.n] = {_int(turn, 1, max_turns): _text(c) for turn, c in db.execute(
            "SELECT turn, checksum FROM turns WHERE tbl = ? ORDER BY turn LIMIT ?",
            (t.n, max_turns + 1))}
    return ClassRecord(meta, tables, seats, decisions, checksums)


def scheme_of(meta: Mapping[str, str]) -> int:
    """The draws scheme a class file's games use: its meta `draws`, or for a class file
    made before it was recorded (and before the keyed draws), the sequential draws."""
    written = meta.get("draws", "")
    if not meta or written == "":
        return SEQUENTIAL if meta else SCHEME
    if not written.isdigit() or int(written) not in SCHEMES:
        raise ClassFileError(f"this class file's games draw in a way this kazsim does not "
                             f"know (draws {written[:8]!r}): use the kazsim that made it")
    return int(written)
