"""The class on the host: tables, seats, decisions, the AI, resolution, saves (no network).

`Classroom.open` creates a class file or reopens one and replays every table
through the engine (`Game.play` with the stored decisions, each turn's checksum
checked against the stored one), so a host restarted after `kill -9` goes on
exactly where it stopped. The WebSocket server (`kazsim.classroom.server`) and
the teacher's dashboard call the methods here; each returns what to tell whom
and never raises for a client's mistake (`Refusal`).

Every decision is committed to the class file before it is acknowledged; a turn
is resolved when every seat played by a person has decided (the AI decides for
the others then, from the game's seed, as in local play), unless the table is
paused or its game is over. Each table is also an ordinary save
(`kazsim.session.Session`), written after every turn, that `kazsim replay
--verify` accepts.

The lesson's length (`--end-at N`, the dashboard's `e`) is the engine's: each
table's game is `Game(scenario, seed, turns=LIMIT)`, so it ends after its last turn
with the scenario's `interrupted` ending (or its last-turn endings) and its debrief.
Set while the class plays, a table's game is replayed with the limit from its
seed and decisions (`Classroom.retime`): every state must come out the same (it
does unless the scenario reads `last_turn` before then), and the limit is kept in
the class file (`tables.turn_limit`) and the save. A table that has already played
N turns ends after the turn it is playing (its limit is that turn). Only a table
whose game would replay differently is stopped by the host after turn N instead,
without an ending (`Classroom.stopped`), as before lessons were in the format.

When every table's game is over, and when the host stops, the class report
(`kazsim.analysis.classreport`) is written next to the class file
(`Classroom.write_report`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kazsim.classroom.protocol import SeatState
from kazsim.classroom.store import ClassFileError, ClassStore, SeatRow, TableRow, scheme_of
from kazsim.classroom.view import seat_view
from kazsim.engine import Game, GameOverError, IllegalDecisionError, Level, TurnRecord
from kazsim.engine.draws import SCHEME
from kazsim.scenario.compiled import CompiledScenario

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out to a room
CODE_LENGTH = 6
REFUSED = "refused: the join code or the token is not right"
NUDGE = "The class is waiting for you: choose your side's action when you are ready."


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def seat_draws(seed: int, role: str) -> int:
    """A seat's own random key for a client AI: from the table's seed (the same class
    plays the same way again) by a one-way hash, so it tells nothing of the seed."""
    digest = hashlib.blake2b(f"kazsim-seat/{seed}/{role}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") >> 1


@dataclass
class Refusal(Exception):
    """A client's message that changes nothing, and the error reply it gets."""

    code: str
    message: str


@dataclass
class Seat:
    role: str
    human: bool  # played by a person (who may not have joined yet), else by the AI
    token_hash: str | None
    name: str
    last_seq: int
    draws: int
    claim_hash: str | None = None  # the client's own secret: its Welcome may have been lost
    connected: int = 0  # open connections for this seat (runtime only)


@dataclass
class Table:
    n: int
    code: str
    game: Game
    seats: dict[str, Seat]
    paused: bool = False
    pending: dict[str, str] = field(default_factory=dict)  # this turn's people's decisions
    opened: float = field(default_factory=time.monotonic)  # when this turn opened
    # The lesson's last turn when the game could not be given it (`Classroom.retime`):
    # the host stops the table there instead, without an ending.
    cut: int | None = None

    @property
    def turn(self) -> int:
        return self.game.turn


class Classroom:
    """Every table of one class session, kept in its class file."""

    def __init__(self, scenario: CompiledScenario, store: ClassStore, *, level: Level = "easy",
                 save_dir: Path | None = None, end_at: int | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.scenario = scenario
        self.store = store
        self.level: Level = level
        self.save_dir = save_dir
        self.end_at = end_at
        self.clock = clock
        self.tables: dict[int, Table] = {}
        # How the tables' games draw: the keyed draws, or the sequential draws of a class
        # file made before them (`engine.draws`; the class file's meta `draws`).
        self.scheme = scheme_of(store.meta())
        self.save_problems: list[str] = []  # autosaves that failed (the class goes on)
        self.reported: int | None = None  # the turns played when the report was written

    # --- opening ------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, scenario: CompiledScenario, *, tables: int = 1,
             seed: int | None = None, wait: bool = False, level: Level = "easy",
             save_dir: Path | None = None, end_at: int | None = None) -> tuple[Classroom, bool]:
        """(the class, whether it was resumed from an existing class file)."""
        existed = path.exists() and path.stat().st_size > 0
        store = ClassStore(path)
        meta = store.meta()
        if existed and meta:
            if meta.get("content_hash") != scenario.content_hash:
                store.close()
                raise ClassFileError(
                    f"{path}: this class was played on scenario '{meta.get('scenario_id')}' "
                    f"(content {meta.get('content_hash', '?')[:12]}...), not this file "
                    f"(content {scenario.content_hash[:12]}...)")
            level = "hard" if meta.get("level") == "hard" else "easy"
            if end_at is None and meta.get("end_at"):
                end_at = int(meta["end_at"])
        else:
            cls._create(store, scenario, tables, seed, wait, level, end_at)
        room = cls(scenario, store, level=level, save_dir=save_dir, end_at=end_at)
        if end_at is not None and meta.get("end_at") != str(end_at):
            store.set_meta("end_at", str(end_at))
        room._load()
        return room, bool(existed and meta)

    @staticmethod
    def _create(store: ClassStore, scenario: CompiledScenario, count: int, seed: int | None,
                wait: bool, level: Level, end_at: int | None) -> None:
        rng = secrets.SystemRandom()
        codes: set[str] = set()
        rows, seats = [], {}
        for n in range(1, count + 1):
            code = ""
            while not code or code in codes:
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            codes.add(code)
            table_seed = seed + n - 1 if seed is not None else rng.randrange(1_000_000)
            limit = end_at if end_at is not None and end_at < scenario.last_turn else None
            rows.append(TableRow(n, code, table_seed, False, limit))
            seats[n] = [SeatRow(role.id, wait and "human" in role.model.players, None, "", 0,
                                seat_draws(table_seed, role.id)) for role in scenario.roles]
        meta = {"scenario_id": scenario.id, "content_hash": scenario.content_hash,
                "scenario_path": scenario.path or "", "level": level, "draws": str(SCHEME)}
        if end_at is not None:
            meta["end_at"] = str(end_at)
        store.create(meta, rows, seats)

    def _load(self) -> None:
        for row in self.store.tables():
            game = Game(self.scenario, row.seed, turns=row.turn_limit, scheme=self.scheme)
            decisions = self.store.decisions(row.n)
            checksums = self.store.checksums(row.n)
            while not game.over and game.turn in checksums:
                record = game.play(decisions[game.turn])
                if game.state.checksum() != checksums[record.turn]:
                    raise ClassFileError(
                        f"{self.store.path}: table {row.n}, turn {record.turn} does not replay "
                        "to the state it was stored with (the scenario or kazsim changed)")
            seats = {s.role: Seat(s.role, s.human, s.token_hash, s.name, s.last_seq, s.draws,
                                  s.claim_hash) for s in self.store.seats(row.n)}
            table = Table(row.n, row.code, game, seats, row.paused)
            table.pending = dict(decisions.get(game.turn, {})) if not game.over else {}
            self.tables[row.n] = table
        for table in self.tables.values():
            # The lesson's length given again (or first given to a class file of schema 1).
            self.retime(table, self.limit_for(table))
            self.advance(table)  # a turn whose last decision was stored just before a crash
            if table.game.records:
                self.autosave(table)

    # --- who plays ----------------------------------------------------------------------

    def table_by_code(self, code: str) -> Table | None:
        wanted = code.upper().encode()
        found = None
        for table in self.tables.values():
            if hmac.compare_digest(table.code.encode(), wanted):
                found = table
        return found

    def join(self, code: str, role: str | None, token: str | None, name: str = "",
             claim: str | None = None) -> tuple[Table, Seat, str]:
        """A client takes a seat (or comes back to its own): (table, seat, its token).

        `claim` is the client's own secret, sent with its first hello: if the host
        took the seat but the welcome was lost (the host was killed), the same claim
        gets the seat again, with a new token. A wrong code, a wrong token, a seat
        taken by another person or one a person may not play are all the same
        `Refusal`, so nothing tells which part was wrong.
        """
        table = self.table_by_code(code)
        if table is None:
            raise Refusal("refused", REFUSED)
        if token is not None:
            seat = self._holding(table, _hash(token), "token_hash")
            if seat is None or (role is not None and seat.role != role):
                raise Refusal("refused", REFUSED)
            return table, seat, token
        seat = self._holding(table, _hash(claim), "claim_hash") if claim else None
        if seat is None or (role is not None and seat.role != role):
            candidates = [s for s in table.seats.values() if s.token_hash is None
                          and "human" in self.scenario.role(s.role).model.players
                          and (role is None or s.role == role)]
            if not candidates:
                raise Refusal("refused", REFUSED)
            seat = candidates[0]
        token = secrets.token_urlsafe(24)
        clean = " ".join(name.split())[:60]
        claimed = _hash(claim) if claim else None
        self.store.set_seat(table.n, seat.role, human=True, token_hash=_hash(token), name=clean,
                            claim_hash=claimed)
        seat.human, seat.token_hash, seat.name, seat.claim_hash = (True, _hash(token), clean,
                                                                   claimed)
        return table, seat, token

    def look(self, code: str) -> tuple[Table, list[tuple[str, SeatState]]]:
        """The seats of the table with this code, as (role, state) for the join screen
        (`protocol.SeatState`); a wrong code is the same `Refusal` as for `join`."""
        table = self.table_by_code(code)
        if table is None:
            raise Refusal("refused", REFUSED)
        seats: list[tuple[str, SeatState]] = []
        for role, seat in table.seats.items():
            state: SeatState
            if "human" not in self.scenario.role(role).model.players:
                state = "computer"
            elif seat.token_hash is not None:
                state = "taken"
            else:
                state = "free" if seat.human else "ai"
            seats.append((role, state))
        return table, seats

    @staticmethod
    def _holding(table: Table, digest: str, field: str) -> Seat | None:
        found = None
        for s in table.seats.values():
            held = getattr(s, field)
            if held is not None and hmac.compare_digest(held, digest):
                found = s
        return found

    def set_person(self, n: int, role: str, person: bool) -> Table:
        """The teacher gives a seat to the AI (freeing it: the next to join takes it), or
        back to a person (the turn then waits for one to join and decide)."""
        table = self.tables[n]
        seat = table.seats[role]
        if person and "human" not in self.scenario.role(role).model.players:
            raise ValueError(f"the role '{role}' is played by the computer only")
        if not person and "ai" not in self.scenario.role(role).model.players:
            raise ValueError(f"the role '{role}' is played by people only")
        token = seat.token_hash if person else None
        claim = seat.claim_hash if person else None
        self.store.set_seat(n, role, human=person, token_hash=token,
                            name=seat.name if person else "", claim_hash=claim)
        seat.human, seat.token_hash, seat.claim_hash = person, token, claim
        if not person:
            seat.name = ""
        self.advance(table)
        return table

    def set_paused(self, n: int, paused: bool) -> Table:
        table = self.tables[n]
        if table.paused != paused:
            self.store.set_paused(n, paused)
            table.paused = paused
        self.advance(table)
        return table

    def set_end_at(self, turn: int | None) -> list[Table]:
        """End every table after `turn` (the lesson's length); None: play to the end. The
        tables whose game could not be given that length (`retime`): the host stops them
        after `turn` without an ending."""
        self.end_at = turn
        self.store.set_meta("end_at", "" if turn is None else str(turn))
        failed = []
        for table in self.tables.values():
            if not self.retime(table, self.limit_for(table)):
                failed.append(table)
            self.advance(table)
        return failed

    # --- the lesson's length ------------------------------------------------------------

    def limit_for(self, table: Table) -> int | None:
        """The lesson's last turn for this table: `end_at`, or the turn it is playing if
        it has already played that many; None for the whole game."""
        if self.end_at is None:
            return None
        limit = max(self.end_at, len(table.game.records) + 1)
        return limit if limit < self.scenario.last_turn else None

    def retime(self, table: Table, limit: int | None) -> bool:
        """Give the table's game the lesson length `limit` (None: the whole game): replay
        its seed and decisions as `Game(..., turns=limit)` and keep it if every state
        comes out the same and this turn's decisions are still legal. False when it does
        not (the host then stops the table after `end_at` turns, `stopped`)."""
        old = table.game
        if old.over or old.turn_limit == limit:
            table.cut = None
            return True
        game = Game(self.scenario, old.seed, turns=limit, scheme=self.scheme)
        same = True
        try:
            for record, after in zip(old.records, old.states[1:], strict=True):
                game.play(record.decisions)
                if game.state.checksum() != after.checksum():
                    same = False
                    break
        except (IllegalDecisionError, GameOverError):
            same = False
        if same and (game.over or any(a not in game.legal(r) for r, a in table.pending.items())):
            same = False
        if not same:
            table.cut = self.end_at
            return False
        table.game, table.cut = game, None
        self.store.set_turn_limit(table.n, limit)
        if game.records:
            self.autosave(table)
        return True

    # --- deciding -----------------------------------------------------------------------

    def stopped(self, table: Table) -> bool:
        """Stopped by the host at the lesson's last turn without an ending: only a table
        whose game could not be given the lesson's length (`retime`)."""
        return (table.cut is not None and not table.game.over
                and len(table.game.records) >= table.cut)

    def finished(self, table: Table) -> bool:
        return table.game.over or self.stopped(table)

    def decide(self, table: Table, seat: Seat, seq: int, turn: int,
               action: str) -> tuple[int, str]:
        """A person's decision: stored durably, then (turn, action) to acknowledge."""
        if seq <= seat.last_seq:
            row = self.store.db.execute(
                "SELECT turn, action FROM decisions WHERE tbl = ? AND role = ? AND seq = ?",
                (table.n, seat.role, seq)).fetchone()
            if row is not None and (int(row[0]), str(row[1])) == (turn, action):
                return turn, action  # sent again after a lost acknowledgement: same answer
            raise Refusal("replayed", f"message {seq} was already received")
        if not seat.human:
            raise Refusal("not_yours", "the AI plays this seat now (the teacher gave it)")
        if self.finished(table):
            raise Refusal("out_of_turn", "this table's game is over")
        if turn != table.turn:
            raise Refusal("out_of_turn", f"it is turn {table.turn}, not turn {turn}")
        if seat.role in table.pending:
            raise Refusal("out_of_turn", "this seat has already decided this turn")
        if action not in table.game.legal(seat.role):
            raise Refusal("illegal", "that action is not available now")
        self.store.decide(table.n, turn, seat.role, action, seq)
        table.pending[seat.role] = action
        seat.last_seq = seq
        return turn, action

    def ready(self, table: Table) -> bool:
        """Whether the turn resolves now: people at the table, every one of them decided."""
        if table.paused or self.finished(table):
            return False
        people = [s for s in table.seats.values() if s.human]
        return bool(people) and all(s.role in table.pending for s in people)

    def advance(self, table: Table) -> list[TurnRecord]:
        """Resolve every turn that is ready (the AI deciding for its seats); the records."""
        records = []
        while self.ready(table):
            game = table.game
            env = game.state.env(game.last_turn)
            ai = {r: game.ai_decision(r, self.level, env)
                  for r in self.scenario.role_ids if r not in table.pending}
            decisions = {r: table.pending.get(r) or ai[r] for r in self.scenario.role_ids}
            record = game.play(decisions)
            self.store.resolved(table.n, record.turn, ai, game.state.checksum())
            table.pending = {}
            table.opened = self.clock()
            records.append(record)
            self.autosave(table)
        return records

    # --- what each seat sees ------------------------------------------------------------

    def view(self, table: Table, role: str) -> dict[str, Any]:
        seat = table.seats[role]
        return seat_view(table.game.scenario, table.game, role, table=table.n,
                         decided=table.pending.get(role), person=seat.human,
                         paused=table.paused, stopped=self.stopped(table),
                         end_at=self.end_at,
                         players={r: "person" if s.human else f"ai:{self.level}"
                                  for r, s in table.seats.items()})

    # --- saves --------------------------------------------------------------------------

    def save_path(self, table: Table) -> Path | None:
        if self.save_dir is None:
            return None
        return self.save_dir / f"{self.store.path.stem}-table{table.n}.json"

    def session(self, table: Table, path: Path) -> Any:
        from kazsim.session.model import ai, human
        from kazsim.session.session import Session

        players = {r: human(s.name) if s.human else ai(self.level)
                   for r, s in table.seats.items()}
        return Session(table.game, players, path, name=f"{self.store.path.stem} table {table.n}")

    def autosave(self, table: Table) -> Path | None:
        """Write the table's save (an ordinary kazsim save); failures are noted, not raised."""
        path = self.save_path(table)
        if path is None:
            return None
        from kazsim.session.model import SaveError

        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return Path(self.session(table, path).save())
        except (SaveError, OSError) as exc:
            self.save_problems.append(str(exc))
            return None

    # --- the teacher's nudge ------------------------------------------------------------

    def nudge_roles(self, table: Table, role: str | None = None) -> list[str]:
        """The seats a nudge reaches: `role`'s, or every seat of the table a person holds
        that has not decided this turn (none once the table is finished)."""
        if self.finished(table):
            return []
        return [s.role for s in table.seats.values()
                if s.human and s.token_hash is not None and s.role not in table.pending
                and (role is None or s.role == role)]

    # --- the class report ---------------------------------------------------------------

    def all_over(self) -> bool:
        return bool(self.tables) and all(self.finished(t) for t in self.tables.values())

    def report_path(self) -> Path:
        """Where the class report goes: beside the class file (`CLASS-report.html`, and
        the Markdown version `CLASS-report.md`)."""
        return self.store.path.with_name(f"{self.store.path.stem}-report.html")

    def class_games(self) -> list[Any]:
        from kazsim.analysis.classreport import ClassGame

        out = []
        for table in self.tables.values():
            players = {r: (s.name or "a person") if s.human else f"AI ({self.level})"
                       for r, s in table.seats.items()}
            note = (f"Stopped by the host after turn {len(table.game.records)}, without an "
                    "ending." if self.stopped(table) else "")
            out.append(ClassGame(f"table {table.n}", self.store.path.name, table.game,
                                 players, note))
        return out

    def write_report(self, *, check_runs: int | None = None,
                     odds_runs: int | None = None) -> Path | None:
        """Write the class report beside the class file (HTML and Markdown), unless no turn
        has been played or nothing changed since it was last written; its path, or None.
        Raises OSError when it cannot be written."""
        from kazsim.analysis.classreport import CHECK_RUNS, ODDS_RUNS, build, markdown, page
        from kazsim.session.store import write_atomic

        played = sum(len(t.game.records) for t in self.tables.values())
        if not played or self.reported == played:
            return None
        report = build(self.class_games(), check_runs=CHECK_RUNS if check_runs is None
                       else check_runs, odds_runs=ODDS_RUNS if odds_runs is None else odds_runs,
                       files=1)
        path = self.report_path()
        write_atomic(path, page(report).encode("utf-8"), keep_saves=True)
        write_atomic(path.with_suffix(".md"), markdown(report).encode("utf-8"), keep_saves=True)
        self.reported = played
        return path

    def report_on_quit(self, say: Callable[[str], None]) -> None:
        """The class report when the host stops: written if a turn was played since it
        last was (after saying so: the turning points take a few seconds a table), and
        where it is said either way. Raises OSError when it cannot be written."""
        played = sum(len(t.game.records) for t in self.tables.values())
        path: Path | None = None
        if played and self.reported != played:
            say(f"writing the class report ({len(self.tables)} table"
                f"{'s' * (len(self.tables) != 1)})…")
            path = self.write_report()
        elif self.reported is not None:
            path = self.report_path()
        if path is not None:
            say(f"the class report is in {path.resolve()} (and "
                f"{path.with_suffix('.md').name} beside it)")

    def close(self) -> None:
        self.store.close()
