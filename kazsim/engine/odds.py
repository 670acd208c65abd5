"""What decided a game: the chance of each ending after every turn, and the turning points.

For a finished or saved game, the odds at a point (before turn 1, and after
each turn played) are estimated by playing the game on from that point's
state many times with the easy AI in every role, and counting which ending
each continuation reaches. A turning point is a turn that moved the chance of
the game's ending most; for it, the turn is played again with each role's
other choices, to name the decision that mattered.

Everything here is pure and deterministic. Continuation `k` from the point
after `played` turns has its own seed, `continuation_seed(game seed, played,
k)`: a BLAKE2b digest of a fixed text, never Python's `hash()` or the clock.
A continuation is a `fork` of the game: the same history, and its draws (the
engine's and its AI's, `kazsim.engine.draws`) keyed by that seed in the game's own
scheme, so the odds of a save are the same in every process, under any
`PYTHONHASHSEED`, and however the continuations are split between processes
(`point_counts` plays any slice of them; the counts add up).
"""

from __future__ import annotations

import copy
import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from kazsim.engine.draws import game_draws
from kazsim.engine.game import Game
from kazsim.engine.resolve import legal_actions
from kazsim.engine.state import GameState
from kazsim.scenario.compiled import CompiledScenario

RUNS = 200  # continuations from each point (docs/design.md, "What decided it": the cost)
# Continuations for each "had it chosen otherwise" of a turning point: half as many.
OTHERWISE_RUNS = RUNS // 2
TURNING_POINTS = 3
DECISIVE = 0.05  # a role's other choices must move the chance this much to be named
NOISE = 2.0  # a turning point's change must exceed this many standard errors

Progress = Callable[[int, int], None]  # (done, total) continuations; may raise to stop


def continuation_seed(seed: int, played: int, k: int, salt: str = "") -> int:
    """The seed of continuation `k` from the point after `played` turns of a game."""
    text = f"kazsim-odds/{seed}/{played}/{k}/{salt}"
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def fork(game: Game, state: GameState, seed: int) -> Game:
    """A game that goes on from `state` of `game` with its own `seed`: the one place a
    continuation takes what it keeps of the game it continues. It is a copy of the game
    (so it keeps its scenario object and anything else the game carries, such as a
    lesson's turn limit and its draws' scheme) with its own seed, draws and history:
    from `state` on, it draws what a game of `seed` draws at those turns."""
    forked = copy.copy(game)
    forked.seed = seed
    forked.draws = game_draws(seed, game.draws.scheme)
    forked.state = state
    forked.records = []
    forked.states = [state]
    return forked


def play_out(game: Game, state: GameState, seed: int,
             first: Mapping[str, str] | None = None) -> str:
    """The ending reached from `state` of `game`, the easy AI deciding for every role.

    `first`: every role's decision for the first turn played, instead of the AI's. Same
    arguments, same ending: the draws come from `seed` alone (`Game.draws` of the
    `fork`, for its turns and its AI's decisions).
    """
    forked = fork(game, state, seed)
    if first is not None and not forked.over:
        forked.play(first)
    while not forked.over:
        forked.play_ai_turn({})
    assert forked.state.ending is not None
    return forked.state.ending


@dataclass(frozen=True, slots=True)
class Point:
    """The odds at one point of a game: after `played` turns (0 = before the first)."""

    played: int
    counts: tuple[int, ...]  # continuations that reached each ending (`Odds.endings` order)
    runs: int  # continuations played; 0 when the game had already ended here

    def chance(self, index: int) -> float:
        if self.runs == 0:
            return float(self.counts[index])  # the ending reached: 1, the others 0
        return self.counts[index] / self.runs


@dataclass(frozen=True, slots=True)
class Odds:
    """The chance of each ending at every point of one game."""

    seed: int
    runs: int  # continuations from each point not yet over
    endings: tuple[str, ...]  # ending ids, in the scenario's file order
    points: tuple[Point, ...]  # after 0, 1, ... turns played

    def chance(self, played: int, ending: str) -> float:
        return self.points[played].chance(self.endings.index(ending))

    def series(self, ending: str) -> list[float]:
        index = self.endings.index(ending)
        return [p.chance(index) for p in self.points]


def ending_ids(scenario: CompiledScenario) -> tuple[str, ...]:
    return tuple(e.id for e in scenario.model.endings)


def point_counts(game: Game, played: int, ks: Sequence[int],
                 progress: Callable[[], None] | None = None) -> list[int]:
    """How many of continuations `ks` from the point after `played` turns of `game` reach
    each ending."""
    endings = ending_ids(game.scenario)
    state = game.states[played]
    counts = [0] * len(endings)
    for k in ks:
        seed = continuation_seed(game.seed, played, k)
        counts[endings.index(play_out(game, state, seed))] += 1
        if progress is not None:
            progress()
    return counts


def odds_work(game: Game, runs: int = RUNS) -> int:
    """How many continuations `odds` plays for this game."""
    return runs * sum(1 for state in game.states if not state.over)


def odds(game: Game, runs: int = RUNS, progress: Progress | None = None) -> Odds:
    """The chance of each ending at every point of `game`, from `runs` continuations each.

    `progress(done, total)` is called after each continuation; an exception it raises
    stops the work and passes through.
    """
    scenario = game.scenario
    endings = ending_ids(scenario)
    total = odds_work(game, runs)
    done = [0]

    def step() -> None:
        done[0] += 1
        if progress is not None:
            progress(done[0], total)

    points = []
    for played, state in enumerate(game.states):
        if state.ending is not None:
            counts = tuple(int(e == state.ending) for e in endings)
            points.append(Point(played, counts, 0))
            continue
        counts = tuple(point_counts(game, played, range(runs), step))
        points.append(Point(played, counts, runs))
    if progress is not None and total == 0:
        progress(0, 0)
    return Odds(game.seed, runs, endings, tuple(points))


# --- turning points ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class TurningPoint:
    """A turn that moved the chance of `ending` much, and what each role's choice did.

    `same` is the chance when the turn is played again from the state before it with
    the same decisions and fresh luck; `otherwise[role]` the chance when that role
    instead takes one of its other available actions (each equally likely), with the
    same luck as `same` (common random numbers), so `same - otherwise[role]` measures
    the role's decision alone. Roles with no other choice are not in `otherwise`.
    """

    turn: int
    ending: str
    before: float
    after: float
    decisions: Mapping[str, str]
    same: float
    otherwise: Mapping[str, float]

    @property
    def change(self) -> float:
        return self.after - self.before

    def effect(self, role: str) -> float:
        """How much the role's actual decision raised the chance (vs. its other choices)."""
        return self.same - self.otherwise[role]

    @property
    def decisive(self) -> str | None:
        """The role whose decision pushed the chance most in the direction it moved this
        turn, if by at least `DECISIVE` (a role whose choice pushed the other way is never
        named for the move); the first in role order wins a tie."""
        sign = 1.0 if self.change >= 0 else -1.0
        best, size = None, DECISIVE - 1e-9
        for role in self.otherwise:
            push = sign * self.effect(role)
            if push > size:
                best, size = role, push
        return best


def ending_of(game: Game, result: Odds) -> str:
    """The ending turning points are about: the game's, or for a game not over, the one
    most likely at its last point (the first in file order on a tie)."""
    if game.state.ending is not None:
        return game.state.ending
    last = result.points[-1]
    index = max(range(len(result.endings)), key=lambda i: (last.counts[i], -i))
    return result.endings[index]


def _variance(point: Point, index: int) -> float:
    """The sampling variance of one estimated chance (none for a game already over)."""
    if point.runs == 0:
        return 0.0
    chance = point.chance(index)
    return chance * (1.0 - chance) / point.runs


def turning_turns(result: Odds, ending: str, count: int = TURNING_POINTS) -> list[int]:
    """The `count` turns whose change of the chance of `ending` was largest (an earlier
    turn wins a tie), in turn order. A change no larger than `NOISE` standard errors of
    the difference of the two estimates is never chosen: it may be the luck of the
    continuations alone (so a game can have fewer than `count` turning points)."""
    index = result.endings.index(ending)
    points = result.points
    moves = []
    for t in range(1, len(points)):
        change = abs(points[t].chance(index) - points[t - 1].chance(index))
        error = math.sqrt(_variance(points[t], index) + _variance(points[t - 1], index))
        if change > 0 and change > NOISE * error:
            moves.append((change, t))
    chosen = sorted(moves, key=lambda m: (-m[0], m[1]))[:count]
    return sorted(t for _, t in chosen)


def otherwise_work(game: Game, turns: Sequence[int], runs: int = OTHERWISE_RUNS) -> int:
    """How many continuations `turning_points` plays for these turns."""
    total = 0
    for turn in turns:
        state = game.states[turn - 1]
        choices = sum(1 for r in game.scenario.role_ids
                      if len(legal_actions(game.scenario, state, r)) > 1)
        total += runs * (1 + choices)
    return total


def turning_points(game: Game, result: Odds, runs: int = OTHERWISE_RUNS,
                   progress: Progress | None = None,
                   count: int = TURNING_POINTS, first: int = 0) -> list[TurningPoint]:
    """The turns that moved the chance of the game's ending most, with what each role's
    decision did there (see `TurningPoint`), from continuations `first` to `first + runs`
    (another `first` gives an independent estimate). `progress` as for `odds`."""
    scenario = game.scenario
    ending = ending_of(game, result)
    series = result.series(ending)
    turns = turning_turns(result, ending, count)
    total = otherwise_work(game, turns, runs)
    done = 0
    out = []
    for turn in turns:
        state = game.states[turn - 1]
        decisions = dict(game.records[turn - 1].decisions)
        hits: dict[str | None, int] = {None: 0} | {r: 0 for r in scenario.role_ids}
        others = {r: [a for a in legal_actions(scenario, state, r) if a != decisions[r]]
                  for r in scenario.role_ids}
        others = {r: actions for r, actions in others.items() if actions}
        for k in range(first, first + runs):
            seed = continuation_seed(game.seed, turn - 1, k, "turning")
            cases: list[tuple[str | None, dict[str, str]]] = [(None, decisions)]
            draws = game_draws(seed, game.draws.scheme)
            for role, actions in others.items():
                pick = int(draws.ai(turn, role, "otherwise").random() * len(actions))
                cases.append((role, decisions | {role: actions[pick]}))
            for who, opening in cases:
                hits[who] += play_out(game, state, seed, opening) == ending
                done += 1
                if progress is not None:
                    progress(done, total)
        out.append(TurningPoint(
            turn=turn, ending=ending, before=series[turn - 1], after=series[turn],
            decisions=decisions, same=hits[None] / runs,
            otherwise={r: hits[r] / runs for r in others}))
    return out


@dataclass(frozen=True, slots=True)
class Decided:
    """What decided a game: its odds and its turning points."""

    odds: Odds
    turning_points: tuple[TurningPoint, ...]


OddsFn = Callable[[Game, int, Progress], Odds]
TurningFn = Callable[[Game, Odds, int, Progress], list[TurningPoint]]


def what_decided(game: Game, runs: int = RUNS, otherwise_runs: int | None = None,
                 progress: Progress | None = None, *, odds_fn: OddsFn | None = None,
                 turning_fn: TurningFn | None = None) -> Decided:
    """`odds` then `turning_points` (with `otherwise_runs`, by default half of `runs`), with
    one `progress(done, total)` for both (the total first counts every role as having a
    choice at each turning point, then the exact number once the turning points are
    known). `odds_fn`, `turning_fn`: other ways to the same results (the batch engine's,
    `kazsim.batch.odds`)."""
    if otherwise_runs is None:
        otherwise_runs = max(1, runs // 2)
    first = odds_work(game, runs)
    bound = first + TURNING_POINTS * (1 + len(game.scenario.role_ids)) * otherwise_runs

    def odds_step(done: int, _total: int) -> None:
        if progress is not None:
            progress(done, bound)

    result = (odds_fn or odds)(game, runs, odds_step)

    def turning_step(done: int, total: int) -> None:
        if progress is not None:
            progress(first + done, first + total)

    points = (turning_fn or turning_points)(game, result, otherwise_runs, turning_step)
    if progress is not None:
        done = first + otherwise_work(game, [p.turn for p in points], otherwise_runs)
        progress(done, done)
    return Decided(result, tuple(points))
