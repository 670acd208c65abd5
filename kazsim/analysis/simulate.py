"""Play many complete AI games and tally what happened, in one process or several.

Games are grouped in fixed chunks of consecutive seeds (`CHUNK` seeds each).
Every chunk is tallied from scratch and the chunk tallies are merged in seed
order, whatever the number of worker processes, so the same first seed gives
exactly the same totals (floating-point sums included) with any `--jobs`.

A worker process loads the scenario from its file once and checks that the
file has not changed since the main process loaded it.

Stopping: Ctrl-C (SIGINT, sent to the whole process group) and SIGTERM end
the run with `CheckStopped` in the main process, which terminates and joins its
workers (`_in_workers`: no lock shared between them, so a worker killed at any
moment cannot make the stop wait); the workers ignore SIGINT and die quietly on
SIGTERM, so no worker prints a traceback.

The tally is kept cheap: it counts from each game's `TurnRecord`s and reads
the states the game already holds; the only extra engine call is
`legal_actions` for every role before every turn (how many choices each seat
had, and when each action was available).

A run is a `Plan`: the AI level, and optionally one role played differently
(the look-ahead AI, or repeating one action whenever it may: the exploit
finder's strategies). Several plans run together share one pool of workers.

The engine: a plan of easy-AI games on a scenario the batch engine supports
(`kazsim.batch.supports`) is played by the batch engine, `BLOCK` games at once, and
each of its chunks tallied from the arrays it returns (`_batch_tallies`), to the
same numbers as the reference engine's games give (the same games, counted the same
way, merged in the same order); every other plan, and every plan with
`engine="reference"` (`kazsim check --reference-engine`), by the reference engine,
game by game. numpy is imported only then.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as connection_wait
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any, NoReturn

from kazsim.analysis import alternatives
from kazsim.analysis.timeline_report import TimelineTally
from kazsim.engine import Game, GameState, Level, TurnRecord, legal_actions, play_ai_game
from kazsim.scenario.compiled import CompiledScenario

CHUNK = 100  # seeds per unit of work: fixed, so totals do not depend on --jobs
BLOCK = 2000  # seeds the batch engine plays at once (whole chunks; tallied chunk by chunk)
ENGINES = ("auto", "reference")  # auto: the batch engine wherever it plays the same games
PARALLEL_FROM = 400  # with --jobs 0, runs from this many games use every core
SAMPLES = 60  # decision points kept per action (seed, turn), for the why-not explanation
PER_GAME = 2  # ... at most this many from one game, so that they come from many games


@dataclass(frozen=True)
class Plan:
    """Who plays: the AI at `level` in every role, except `role`, which is played by
    the look-ahead AI (`repeat` None) or repeats the action `repeat` on every turn it
    is available (the AI at `level` on the others)."""

    level: Level = "easy"
    role: str | None = None
    repeat: str | None = None

    @property
    def look_ahead(self) -> str | None:
        return self.role if self.repeat is None else None


class CheckError(Exception):
    """The play-test cannot run (the scenario file changed or broke meanwhile)."""


class CheckStopped(Exception):
    """The run was stopped by Ctrl-C or SIGTERM after `done` games."""

    def __init__(self, signum: int, done: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.done = done


@dataclass
class Tally:
    """Totals over a set of games; `merge` adds another tally (seeds after these)."""

    runs: int = 0
    turns: int = 0  # turns played, all games together
    endings: dict[str, int] = field(default_factory=dict)  # ending id -> games
    ending_turns: dict[str, int] = field(default_factory=dict)  # ending id -> turns played
    chosen: dict[str, int] = field(default_factory=dict)  # "role.action" -> decisions
    chosen_games: dict[str, int] = field(default_factory=dict)  # "role.action" -> games
    available: set[str] = field(default_factory=set)  # "role.action" seen available
    rules: dict[str, int] = field(default_factory=dict)  # rule id -> turns it applied
    rule_games: dict[str, int] = field(default_factory=dict)  # rule id -> games
    events: dict[str, int] = field(default_factory=dict)  # event id -> times it fired
    event_games: dict[str, int] = field(default_factory=dict)  # event id -> games
    scores: dict[str, float] = field(default_factory=dict)  # role -> sum of final scores
    score_min: dict[str, float] = field(default_factory=dict)
    score_max: dict[str, float] = field(default_factory=dict)
    # Per turn t (0 = the start, t = after turn t): games still going, and per
    # indicator the min, max and sum of its value; per flag, the games where it is on.
    alive: list[int] = field(default_factory=list)
    low: dict[str, list[float]] = field(default_factory=dict)
    high: dict[str, list[float]] = field(default_factory=dict)
    total: dict[str, list[float]] = field(default_factory=dict)
    at_min: dict[str, int] = field(default_factory=dict)  # turn ends at the lower bound
    at_max: dict[str, int] = field(default_factory=dict)  # turn ends at the upper bound
    flag_on: dict[str, list[int]] = field(default_factory=dict)
    flag_final: dict[str, int] = field(default_factory=dict)  # games ending with it on
    timeline: TimelineTally = field(default_factory=TimelineTally)  # the real steps matched
    results: dict[str, int] = field(default_factory=dict)  # "role.win" -> games, as chosen
    shown: dict[str, int] = field(default_factory=dict)  # alternatives.tally_key -> times
    # Before each turn played: per role, turns by how many actions it could choose from;
    # per action, turns and games it was available; per action and turn (1 = the first),
    # the games in which it was chosen while the role had another choice, and per role
    # and turn the games in which it had more than one choice.
    choices: dict[str, dict[int, int]] = field(default_factory=dict)
    available_turns: dict[str, int] = field(default_factory=dict)
    available_games: dict[str, int] = field(default_factory=dict)
    chosen_at: dict[str, list[int]] = field(default_factory=dict)
    open_at: dict[str, list[int]] = field(default_factory=dict)
    # The first `SAMPLES` (seed, turn) at which an action was available with another
    # choice beside it, and at which it was not available: replayed to explain it.
    samples: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    unavailable: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    game_endings: list[str] = field(default_factory=list)  # each game's ending, seed order

    @classmethod
    def empty(cls, scenario: CompiledScenario) -> Tally:
        turns = scenario.last_turn + 1
        indicators = [i.id for i in scenario.model.indicators]
        roles = scenario.role_ids
        keys = [f"{r.id}.{a.id}" for r in scenario.roles for a in r.actions]
        return cls(
            choices={r: {} for r in roles},
            available_turns={k: 0 for k in keys},
            available_games={k: 0 for k in keys},
            chosen_at={k: [0] * turns for k in keys},
            open_at={r: [0] * turns for r in roles},
            samples={k: [] for k in keys},
            unavailable={k: [] for k in keys},
            endings={e.id: 0 for e in scenario.model.endings},
            ending_turns={e.id: 0 for e in scenario.model.endings},
            chosen={f"{r.id}.{a.id}": 0 for r in scenario.roles for a in r.actions},
            chosen_games={f"{r.id}.{a.id}": 0 for r in scenario.roles for a in r.actions},
            rules={r.id: 0 for r in scenario.rules},
            rule_games={r.id: 0 for r in scenario.rules},
            events={e.id: 0 for e in scenario.events},
            event_games={e.id: 0 for e in scenario.events},
            scores={r: 0.0 for r in roles},
            score_min={r: float("inf") for r in roles},
            score_max={r: float("-inf") for r in roles},
            alive=[0] * turns,
            low={i: [float("inf")] * turns for i in indicators},
            high={i: [float("-inf")] * turns for i in indicators},
            total={i: [0.0] * turns for i in indicators},
            at_min={i: 0 for i in indicators},
            at_max={i: 0 for i in indicators},
            flag_on={f.id: [0] * turns for f in scenario.model.flags},
            flag_final={f.id: 0 for f in scenario.model.flags},
            results={f"{r}.{w}": 0 for r in roles for w in alternatives.RESULTS},
        )

    def merge(self, other: Tally) -> None:
        """Add `other`'s games to these (call in seed order for identical sums)."""
        self.runs += other.runs
        self.turns += other.turns
        for mine, theirs in ((self.endings, other.endings),
                             (self.ending_turns, other.ending_turns),
                             (self.chosen, other.chosen),
                             (self.chosen_games, other.chosen_games), (self.rules, other.rules),
                             (self.rule_games, other.rule_games), (self.events, other.events),
                             (self.event_games, other.event_games), (self.at_min, other.at_min),
                             (self.at_max, other.at_max),
                             (self.flag_final, other.flag_final),
                             (self.results, other.results), (self.shown, other.shown),
                             (self.available_turns, other.available_turns),
                             (self.available_games, other.available_games)):
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n
        self.available |= other.available
        self.game_endings.extend(other.game_endings)
        for role, histogram in other.choices.items():
            mine_counts = self.choices.setdefault(role, {})
            for n, turns in histogram.items():
                mine_counts[n] = mine_counts.get(n, 0) + turns
        for table, other_table in ((self.chosen_at, other.chosen_at),
                                   (self.open_at, other.open_at)):
            for key, by_turn in other_table.items():
                _add_lists(table.setdefault(key, [0] * len(by_turn)), by_turn)
        for points, other_points in ((self.samples, other.samples),
                                     (self.unavailable, other.unavailable)):
            for key, found in other_points.items():
                kept = points.setdefault(key, [])
                kept.extend(found[:SAMPLES - len(kept)])
        for role, value in other.scores.items():
            self.scores[role] = self.scores.get(role, 0.0) + value
            self.score_min[role] = min(self.score_min.get(role, value), other.score_min[role])
            self.score_max[role] = max(self.score_max.get(role, value), other.score_max[role])
        _add_lists(self.alive, other.alive)
        for key, values in other.total.items():
            _add_lists(self.total.setdefault(key, [0.0] * len(values)), values)
            low = self.low.setdefault(key, [float("inf")] * len(values))
            high = self.high.setdefault(key, [float("-inf")] * len(values))
            for t, (a, b) in enumerate(zip(other.low[key], other.high[key], strict=True)):
                low[t] = min(low[t], a)
                high[t] = max(high[t], b)
        for key, counts in other.flag_on.items():
            _add_lists(self.flag_on.setdefault(key, [0] * len(counts)), counts)
        self.timeline.merge(other.timeline)


def _add_lists(mine: list[Any], theirs: list[Any]) -> None:
    if len(mine) < len(theirs):
        mine.extend([0] * (len(theirs) - len(mine)))
    for i, value in enumerate(theirs):
        mine[i] += value


def tally_games(scenario: CompiledScenario, seeds: range, level: Level = "easy",
                look_ahead: str | None = None, plan: Plan | None = None) -> Tally:
    """Play one game per seed with the AI in every role and count what happened
    (`plan`, if given, says who plays instead of `level` and `look_ahead`)."""
    plan = plan or Plan(level, look_ahead)
    tally = Tally.empty(scenario)
    bounds = [(i.id, float(i.min), float(i.max)) for i in scenario.model.indicators]
    flags = [f.id for f in scenario.model.flags]
    for seed in seeds:
        game = _play(scenario, seed, plan)
        ending = game.state.ending
        assert ending is not None  # every game is played to an ending
        played = len(game.records)
        tally.runs += 1
        tally.turns += played
        tally.endings[ending] += 1
        tally.ending_turns[ending] += played
        tally.game_endings.append(ending)
        _count_choices(scenario, tally, seed, game)
        _count_records(tally, game.records)
        alternatives.count_game(tally.shown, tally.results, game.records)
        _count_states(tally, game.states, bounds, flags)
        tally.timeline.count(game)
        final = game.state.env(scenario.last_turn)
        for role in scenario.roles:
            score = float(role.score(final))
            tally.scores[role.id] += score
            tally.score_min[role.id] = min(tally.score_min[role.id], score)
            tally.score_max[role.id] = max(tally.score_max[role.id], score)
    tally.available = {k for k, n in tally.available_games.items() if n}
    return tally


def _play(scenario: CompiledScenario, seed: int, plan: Plan) -> Game:
    """One complete game as the plan says."""
    levels: dict[str, Level] = {r: plan.level for r in scenario.role_ids}
    if plan.repeat is None:
        if plan.role is not None:
            levels[plan.role] = "hard"
        return play_ai_game(scenario, seed, levels)
    game = Game(scenario, seed)
    role, repeat = plan.role, plan.repeat
    while not game.over:
        env = game.state.env(scenario.last_turn)
        decisions = {}
        for r in scenario.role_ids:
            if r == role and repeat in legal_actions(scenario, game.state, r, env):
                decisions[r] = repeat
            else:
                decisions[r] = game.ai_decision(r, plan.level, env)
        game.play(decisions)
    return game


def replay_states(scenario: CompiledScenario, points: list[tuple[int, int]],
                  level: Level = "easy") -> list[GameState]:
    """The states before turn `turn` of the games of `seed` (AI at `level` in every
    role), for each (seed, turn) of `points`, each game played once."""
    games: dict[int, Game] = {}
    out = []
    for seed, turn in points:
        if seed not in games:
            games[seed] = play_ai_game(scenario, seed, {r: level for r in scenario.role_ids})
        out.append(games[seed].states[turn - 1])
    return out


def _count_choices(scenario: CompiledScenario, tally: Tally, seed: int, game: Game) -> None:
    """How many actions each role could choose from before each turn, and which."""
    choices, available_turns, samples = tally.choices, tally.available_turns, tally.samples
    unavailable, chosen_at, open_at = tally.unavailable, tally.chosen_at, tally.open_at
    seen: set[str] = set()
    kept: dict[str, int] = {}
    for state, record in zip(game.states, game.records, strict=False):
        env = state.env(scenario.last_turn)
        turn = state.turn
        for role in scenario.roles:
            legal = legal_actions(scenario, state, role.id, env)
            counts = choices[role.id]
            n = len(legal)
            counts[n] = counts.get(n, 0) + 1
            if n > 1:
                open_at[role.id][turn - 1] += 1
                chosen_at[f"{role.id}.{record.decisions[role.id]}"][turn - 1] += 1
            for action in role.actions:
                key = f"{role.id}.{action.id}"
                if action.id in legal:
                    available_turns[key] += 1
                    seen.add(key)
                    if n > 1 and len(samples[key]) < SAMPLES and kept.get(key, 0) < PER_GAME:
                        samples[key].append((seed, turn))
                        kept[key] = kept.get(key, 0) + 1
                elif len(unavailable[key]) < SAMPLES and kept.get("!" + key, 0) < PER_GAME:
                    unavailable[key].append((seed, turn))
                    kept["!" + key] = kept.get("!" + key, 0) + 1
    for key in seen:
        tally.available_games[key] += 1


def _count_records(tally: Tally, records: list[TurnRecord]) -> None:
    """Decisions, rules and events of one game."""
    chosen, rules, events = tally.chosen, tally.rules, tally.events
    chosen_seen: set[str] = set()
    rules_seen: set[str] = set()
    events_seen: set[str] = set()
    for record in records:
        for role_id, action_id in record.decisions.items():
            key = f"{role_id}.{action_id}"
            chosen[key] += 1
            chosen_seen.add(key)
        for rule_id in record.rules:
            rules[rule_id] += 1
            rules_seen.add(rule_id)
        for event_id in record.events:
            events[event_id] += 1
            events_seen.add(event_id)
    for key in chosen_seen:
        tally.chosen_games[key] += 1
    for rule_id in rules_seen:
        tally.rule_games[rule_id] += 1
    for event_id in events_seen:
        tally.event_games[event_id] += 1


def _count_states(tally: Tally, states: list[GameState],
                  bounds: list[tuple[str, float, float]], flags: list[str]) -> None:
    """Indicator ranges and flags, turn by turn, of one game."""
    alive, low, high, total = tally.alive, tally.low, tally.high, tally.total
    at_min, at_max, flag_on = tally.at_min, tally.at_max, tally.flag_on
    for t, state in enumerate(states):
        alive[t] += 1
        values = state.values
        for key, lo, hi in bounds:
            value = float(values[key])  # the tally's lows and highs are floats, as declared
            if value < low[key][t]:
                low[key][t] = value
            if value > high[key][t]:
                high[key][t] = value
            total[key][t] += value
            if t:
                if value <= lo:
                    at_min[key] += 1
                elif value >= hi:
                    at_max[key] += 1
        for key in flags:
            if values[key]:
                flag_on[key][t] += 1
    final = states[-1].values
    for key in flags:
        if final[key]:
            tally.flag_final[key] += 1


# --- running in chunks, in parallel -----------------------------------------------------------

_LOADED: dict[str, CompiledScenario] = {}  # a worker's scenario, loaded once per path


def _load_in_worker(path: str, content_hash: str) -> CompiledScenario:
    scenario = _LOADED.get(path)
    if scenario is None:
        from kazsim.scenario.load import validate_file

        loaded, problems = validate_file(path)
        if loaded is None:
            first = next((p for p in problems if p.severity == "error"), None)
            raise CheckError(f"{path} stopped being valid while checking: {first}")
        scenario = _LOADED[path] = loaded
    if scenario.content_hash != content_hash:
        raise CheckError(f"{path} changed while checking; run the check again")
    return scenario


def _quiet_worker() -> None:
    """Ctrl-C reaches the whole process group: only the main process should react
    (it stops the pool), so workers ignore it instead of printing tracebacks; on
    SIGTERM (from the pool stopping them, or sent to the group) they just end."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


class _Stop(BaseException):
    """Raised by the SIGTERM handler; becomes `CheckStopped` with the count."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _Stop


@contextlib.contextmanager
def _sigterm_stops() -> Iterator[None]:
    """SIGTERM raises `_Stop` in the main thread while the block runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _worker(conn: Connection) -> None:
    """A worker process: play each job sent on its own pipe and send back its result
    (or the exception it raised), until it is sent None."""
    _quiet_worker()
    while True:
        job = conn.recv()
        if job is None:
            return
        try:
            conn.send((True, _play_chunk(job)))
        except Exception as exc:  # sent to the main process, which raises it
            conn.send((False, exc))


def _in_workers(jobs: list[tuple[str, str, Plan, int, int, bool]],
                workers: int) -> Iterator[list[Tally]]:
    """The results of `jobs`, in order, played by `workers` processes, each fed one job
    at a time on a pipe of its own.

    Not `multiprocessing.Pool`: its workers share one lock on one queue, and a worker
    killed while it holds that lock (a SIGTERM to the process group reaches the workers
    too) makes `Pool.terminate` wait for it forever. Here no lock is shared: stopping
    (Ctrl-C, SIGTERM, an error) terminates and joins every worker, whatever each was
    doing."""
    context = multiprocessing.get_context()
    pipes: list[Connection] = []
    processes: list[BaseProcess] = []
    try:
        for _ in range(workers):
            ours, theirs = context.Pipe()
            started: BaseProcess = context.Process(target=_worker, args=(theirs,), daemon=True)
            started.start()
            theirs.close()
            pipes.append(ours)
            processes.append(started)
        waiting: dict[int, list[Tally]] = {}
        running: dict[int, int] = {}  # worker -> job
        next_job = next_result = 0
        while next_result < len(jobs):
            for worker, pipe in enumerate(pipes):
                if worker not in running and next_job < len(jobs):
                    pipe.send(jobs[next_job])
                    running[worker] = next_job
                    next_job += 1
            ready = connection_wait([*pipes, *(p.sentinel for p in processes)])
            for worker, pipe in enumerate(pipes):
                if pipe in ready:
                    try:
                        ok, result = pipe.recv()
                    except EOFError:  # the worker ended: its pipe closed
                        _ended(processes[worker])
                    if not ok:
                        raise result
                    waiting[running.pop(worker)] = result
            for worker, process in enumerate(processes):
                if process.sentinel in ready and not pipes[worker].poll():
                    _ended(process)
            while next_result in waiting:
                yield waiting.pop(next_result)
                next_result += 1
        for pipe in pipes:
            pipe.send(None)
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join()
        for pipe in pipes:
            pipe.close()


def _ended(process: BaseProcess) -> NoReturn:
    process.join()
    raise CheckError(f"a worker process ended unexpectedly (exit code {process.exitcode}); "
                     "no report written")


def _play_chunk(job: tuple[str, str, Plan, int, int, bool]) -> list[Tally]:
    """One unit of work: a chunk by the reference engine, or a block of chunks by the
    batch engine (`batch`): their tallies, in seed order."""
    path, content_hash, plan, start, stop, batch = job
    scenario = _load_in_worker(path, content_hash)
    if batch:
        return tally_batch(scenario, range(start, stop))
    return [tally_games(scenario, range(start, stop), plan=plan)]


def _units(first_seed: int, runs: int, batch: bool, workers: int = 1) -> list[range]:
    """The units of work of one plan: chunks, or for the batch engine blocks of whole
    chunks (`BLOCK` seeds at most, fewer so that every worker has some)."""
    size = CHUNK
    if batch:
        share = -(-runs // (workers * CHUNK)) * CHUNK  # whole chunks, each worker some
        size = max(CHUNK, min(BLOCK, share))
    return [range(s, min(s + size, first_seed + runs))
            for s in range(first_seed, first_seed + runs, size)]


def chunks(first_seed: int, runs: int) -> list[range]:
    """The fixed split of seeds into units of work."""
    return [range(s, min(s + CHUNK, first_seed + runs))
            for s in range(first_seed, first_seed + runs, CHUNK)]


def worker_count(jobs: int, runs: int, parts: int | None = None) -> int:
    """How many processes to use: --jobs, or with 0, every core for large runs
    (`parts`: the units of work, by default those of `runs` games)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    wanted = jobs if jobs > 0 else (cores if runs >= PARALLEL_FROM else 1)
    return max(1, min(wanted, (len(chunks(0, runs)) if parts is None else parts) or 1))


def run_games(scenario: CompiledScenario, runs: int, first_seed: int = 0,
              level: Level = "easy", jobs: int = 0,
              progress: Callable[[int], None] | None = None,
              look_ahead: str | None = None, engine: str = "auto") -> tuple[Tally, int]:
    """Play `runs` games from `first_seed`; returns the merged tally and the processes used.

    `progress(n)` is called with the number of games finished so far. Raises
    `CheckStopped` on Ctrl-C or SIGTERM, once every worker has stopped.
    """
    tallies, workers = run_plans(scenario, [(Plan(level, look_ahead), first_seed, runs)],
                                 jobs, progress, engine=engine)
    return tallies[0], workers


def run_plans(scenario: CompiledScenario, plans: list[tuple[Plan, int, int]], jobs: int = 0,
              progress: Callable[[int], None] | None = None, *,
              engine: str = "auto") -> tuple[list[Tally], int]:
    """Play each (plan, first seed, games) and return one tally per plan, in order, and
    the processes used; the units of work of every plan share one pool. `engine`:
    "auto" plays with the batch engine every plan it plays the same games of,
    "reference" plays every game with the reference engine."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine '{engine}' (one of {', '.join(ENGINES)})")
    done = [0]
    try:
        with _sigterm_stops():
            return _run_plans(scenario, plans, jobs, progress, done, engine)
    except KeyboardInterrupt:
        raise CheckStopped(signal.SIGINT, done[0]) from None
    except _Stop:
        raise CheckStopped(signal.SIGTERM, done[0]) from None


def _run_plans(scenario: CompiledScenario, plans: list[tuple[Plan, int, int]], jobs: int,
               progress: Callable[[int], None] | None,
               finished: list[int], engine: str = "auto") -> tuple[list[Tally], int]:
    batch = [engine == "auto" and batch_plan(scenario, plan) for plan, _, _ in plans]
    total = sum(runs for _, _, runs in plans)
    workers = worker_count(jobs, total, sum(len(chunks(first, runs)) for _, first, runs in plans))
    parts = [(index, plan, part, batch[index]) for index, (plan, first, runs) in enumerate(plans)
             for part in _units(first, runs, batch[index], workers)]
    can_reload = scenario.path != "<text>" and os.path.isfile(scenario.path)
    tallies = [Tally.empty(scenario) for _ in plans]
    done = 0
    results: Iterator[list[Tally]]
    if workers > 1 and can_reload:
        jobs_list = [(scenario.path, scenario.content_hash, plan, p.start, p.stop, b)
                     for _, plan, p, b in parts]
        results = _in_workers(jobs_list, workers)
        for (index, _, part, _), result in zip(parts, results, strict=True):
            for chunk in result:
                tallies[index].merge(chunk)
            done += len(part)
            finished[0] = done
            if progress:
                progress(done)
        return tallies, workers
    for index, plan, part, in_batch in parts:
        if in_batch:
            def moved(n: int, before: int = done) -> None:
                finished[0] = before + n
                if progress:
                    progress(before + n)

            for chunk in tally_batch(scenario, part, moved):
                tallies[index].merge(chunk)
        else:
            tallies[index].merge(tally_games(scenario, part, plan=plan))
        done += len(part)
        finished[0] = done
        if progress:
            progress(done)
    return tallies, 1


# --- the batch engine's games, tallied ------------------------------------------------------

def batch_plan(scenario: CompiledScenario, plan: Plan) -> bool:
    """Whether the batch engine plays `plan`'s games on `scenario` (the same games)."""
    if plan.level != "easy" or plan.role is not None or plan.repeat is not None:
        return False
    from kazsim.batch import supports

    return not supports(scenario)


def tally_batch(scenario: CompiledScenario, seeds: range,
                progress: Callable[[int], None] | None = None) -> list[Tally]:
    """The easy-AI games of `seeds`, played by the batch engine `BLOCK` at a time: one
    tally per chunk of `CHUNK` seeds (as `chunks` splits them), equal to `tally_games`'s
    for the same seeds. `progress(n)`: games played so far (counted by turns)."""
    from kazsim.batch import play, prepare
    from kazsim.batch.tally import fill_tally

    prepared = prepare(scenario)
    out: list[Tally] = []
    done = 0
    last = scenario.last_turn
    for start in range(seeds.start, seeds.stop, BLOCK):
        block = range(start, min(start + BLOCK, seeds.stop))

        def moved(turn: int, before: int = done, size: int = len(block)) -> None:
            if progress is not None:
                progress(before + size * turn // last)

        games = play(prepared, block, moved)
        for first in range(0, len(block), CHUNK):
            tally = Tally.empty(scenario)
            fill_tally(tally, games, first, min(first + CHUNK, len(block)),
                       alternatives.tally_key, SAMPLES, PER_GAME)
            out.append(tally)
        done += len(block)
        if progress is not None:
            progress(done)
    return out
