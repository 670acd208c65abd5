"""The debrief's odds (`kazsim.engine.odds`) worked out with the batch engine.

`odds(game, runs, progress)` is `kazsim.engine.odds.odds` to the last count: every
continuation from every point of the game not yet over is one row of a single batch
(`engine.play_from`: each row starts from its point's state, with the continuation's
seed, `continuation_seed(game seed, point, k)`), so the batch engine plays exactly the
continuations the reference plays one by one. Where the batch engine cannot (`reasons`:
the scenario is not supported, the game draws in the sequential scheme of an old
save, a state it cannot start from), the reference works it out: the same result.

`turning_points` is `kazsim.engine.odds.turning_points` likewise: each "had it chosen
otherwise" continuation (and each "the same decisions, fresh luck") is a row that
starts from the state before the turn with every role's decision for that first turn
fixed, the easy AI deciding after it. `what_decided` is the reference's, with both.

numpy is imported by this module: the faces import it inside the worker that computes
the odds, never at start-up.
"""

from __future__ import annotations

import numpy as np

from kazsim.batch.engine import Prepared, play_from, prepare, start_reasons
from kazsim.engine import odds as reference
from kazsim.engine.draws import KEYED, game_draws
from kazsim.engine.game import Game
from kazsim.engine.odds import (
    OTHERWISE_RUNS,
    RUNS,
    TURNING_POINTS,
    Decided,
    Odds,
    Point,
    Progress,
    TurningPoint,
    continuation_seed,
    ending_ids,
    ending_of,
    odds_work,
    otherwise_work,
    turning_turns,
)
from kazsim.engine.resolve import legal_actions
from kazsim.engine.state import GameState

# Continuations played in one batch at most (about 100 MB for the main scenario).
BLOCK = 4000

def reasons(game: Game, prepared: Prepared | None = None) -> list[str]:
    """Why the batch engine cannot work out `game`'s odds exactly as the reference does
    (empty: it can)."""
    if game.draws.scheme != KEYED:
        return [f"the game draws in scheme {game.draws.scheme} (an old save), not the keyed "
                "draws the batch engine plays"]
    prepared = prepared if prepared is not None else prepare(game.scenario)
    out = list(prepared.reasons)
    if not out:
        for state in game.states:
            if not state.over:
                out += start_reasons(prepared, state)
    return list(dict.fromkeys(out))

def odds(game: Game, runs: int = RUNS, progress: Progress | None = None) -> Odds:
    """`kazsim.engine.odds.odds(game, runs, progress)`, the same result, with the batch
    engine where it can (else the reference). `progress(done, total)`: continuations
    ended so far, after each turn the batch plays; an exception it raises stops the
    work and passes through."""
    prepared = None if game.draws.scheme != KEYED else prepare(game.scenario)
    if reasons(game, prepared):
        return reference.odds(game, runs, progress)
    assert prepared is not None
    endings = ending_ids(game.scenario)
    column = {e.id: endings.index(e.id) for e in prepared.endings}
    to_column = np.array([column[e.id] for e in prepared.endings], dtype=np.int64)
    going = [played for played, state in enumerate(game.states) if not state.over]
    jobs = [(played, k) for played in going for k in range(runs)]
    total = len(jobs)
    assert total == odds_work(game, runs)
    counts = {played: np.zeros(len(endings), dtype=np.int64) for played in going}
    done = 0
    for first in range(0, total, BLOCK):
        block = jobs[first:first + BLOCK]
        states: list[GameState] = [game.states[played] for played, _ in block]
        seeds = [continuation_seed(game.seed, played, k) for played, k in block]

        def watch(_turn: int, ending: np.ndarray, before: int = done) -> None:
            if progress is not None:
                progress(before + int((ending >= 0).sum()), total)

        games = play_from(prepared, states, seeds, watch)
        if (games.ending < 0).any():
            raise AssertionError("a continuation did not end")  # the engine's own bug
        reached = to_column[games.ending]
        where = np.array([played for played, _ in block], dtype=np.int64)
        for played in dict.fromkeys(where.tolist()):
            counts[played] += np.bincount(reached[where == played], minlength=len(endings))
        done += len(block)
        if progress is not None:
            progress(done, total)
    points = []
    for played, state in enumerate(game.states):
        if state.ending is not None:
            points.append(Point(played, tuple(int(e == state.ending) for e in endings), 0))
        else:
            points.append(Point(played, tuple(int(c) for c in counts[played]), runs))
    if progress is not None and total == 0:
        progress(0, 0)
    return Odds(game.seed, runs, endings, tuple(points))

def turning_points(game: Game, result: Odds, runs: int = OTHERWISE_RUNS,
                   progress: Progress | None = None, count: int = TURNING_POINTS,
                   first: int = 0) -> list[TurningPoint]:
    """`kazsim.engine.odds.turning_points`, the same result, with the batch engine where
    it can (else the reference): every continuation of every turning point (the same
    decisions, and each role's other choice, for the first turn) one row of a batch.
    `progress(done, total)`: continuations ended so far, after each turn played."""
    prepared = None if game.draws.scheme != KEYED else prepare(game.scenario)
    if reasons(game, prepared):
        return reference.turning_points(game, result, runs, progress, count, first)
    assert prepared is not None
    scenario = game.scenario
    ending = ending_of(game, result)
    series = result.series(ending)
    turns = turning_turns(result, ending, count)
    total = otherwise_work(game, turns, runs)
    wanted = next(e.index for e in prepared.endings if e.id == ending)
    jobs: list[tuple[int, str | None, GameState, int, dict[str, str]]] = []
    others_at: dict[int, dict[str, list[str]]] = {}
    for turn in turns:
        state = game.states[turn - 1]
        decisions = dict(game.records[turn - 1].decisions)
        others = {r: [a for a in legal_actions(scenario, state, r) if a != decisions[r]]
                  for r in scenario.role_ids}
        others = others_at[turn] = {r: actions for r, actions in others.items() if actions}
        for k in range(first, first + runs):
            seed = continuation_seed(game.seed, turn - 1, k, "turning")
            draws = game_draws(seed, game.draws.scheme)
            jobs.append((turn, None, state, seed, decisions))
            for role, actions in others.items():
                pick = int(draws.ai(turn, role, "otherwise").random() * len(actions))
                jobs.append((turn, role, state, seed, decisions | {role: actions[pick]}))
    assert len(jobs) == total
    hits: dict[tuple[int, str | None], int] = {}
    done = 0
    for start in range(0, total, BLOCK):
        block = jobs[start:start + BLOCK]

        def watch(_turn: int, ending: np.ndarray, before: int = done) -> None:
            if progress is not None:
                progress(before + int((ending >= 0).sum()), total)

        games = play_from(prepared, [j[2] for j in block], [j[3] for j in block], watch,
                          [j[4] for j in block])
        if (games.ending < 0).any():
            raise AssertionError("a continuation did not end")  # the engine's own bug
        reached = (games.ending == wanted).tolist()
        for (turn, who, *_), hit in zip(block, reached, strict=True):
            hits[turn, who] = hits.get((turn, who), 0) + int(hit)
        done += len(block)
        if progress is not None:
            progress(done, total)
    return [TurningPoint(
        turn=turn, ending=ending, before=series[turn - 1], after=series[turn],
        decisions=dict(game.records[turn - 1].decisions),
        same=hits.get((turn, None), 0) / runs,
        otherwise={r: hits.get((turn, r), 0) / runs for r in others_at[turn]})
        for turn in turns]


def what_decided(game: Game, runs: int = RUNS, otherwise_runs: int | None = None,
                 progress: Progress | None = None) -> Decided:
    """`kazsim.engine.odds.what_decided`, the same result and the same `progress` calls'
    totals, with the odds worked out by `odds` above (the batch engine where it can)."""
    return reference.what_decided(game, runs, otherwise_runs, progress, odds_fn=odds,
                                  turning_fn=turning_points)
