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

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tables (
    n INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, seed INTEGER NOT NULL,
    paused INTEGER NOT NULL DEFAULT 0);
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
                db.execute("INSERT INTO tables (n, code, seed, paused) VALUES (?, ?, ?, ?)",
                           (t.n, t.code, t.seed, int(t.paused)))
                db.executemany(
                    "INSERT INTO seats (tbl, role, human, token_hash, name, last_seq, draws) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(t.n, s.role, int(s.human), s.token_hash, s.name, s.last_seq, s.draws)
                     for s in seats[t.n]])

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def tables(self) -> list[TableRow]:
        rows = self.db.execute("SELECT n, code, seed, paused FROM tables ORDER BY n").fetchall()
        return [TableRow(int(n), str(c), int(s), bool(p)) for n, c, s, p in rows]

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

    def set_paused(self, table: int, paused: bool) -> None:
        with self.transaction() as db:
            db.execute("UPDATE tables SET paused = ? WHERE n = ?", (int(paused), table))
