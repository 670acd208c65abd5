"""The debrief's odds (`kazsim.engine.odds`) worked out with the batch engine.

`odds(game, runs, progress)` is `kazsim.engine.odds.odds` to the last count: every
continuation from every point of the game not yet over is one row of a single batch
(`engine.play_from`: each row starts from its point's state, with the continuation's
seed, `continuation_seed(game seed, point, k)`), so the batch engine plays exactly the
continuations the reference plays one by one. Where the batch engine cannot (`reasons`:
the scenario is not supported, the game draws in the sequential scheme of an old
save, a state it cannot start from), the reference works it out: the same result.

`what_decided` is `kazsim.engine.odds.what_decided` with these odds; the turning points'
"had it chosen otherwise" continuations are the reference's (each fixes one role's
first decision, which the batch engine's easy AI does not play).

numpy is imported by this module: the faces import it inside the worker that computes
the odds, never at start-up.
"""

from __future__ import annotations

import numpy as np

from kazsim.batch.engine import Prepared, play_from, prepare, start_reasons
from kazsim.engine import odds as reference
from kazsim.engine.draws import KEYED
from kazsim.engine.game import Game
from kazsim.engine.odds import (
    RUNS,
    TURNING_POINTS,
    Decided,
    Odds,
    Point,
    Progress,
    continuation_seed,
    ending_ids,
    odds_work,
    otherwise_work,
    turning_points,
)
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

def what_decided(game: Game, runs: int = RUNS, otherwise_runs: int | None = None,
                 progress: Progress | None = None) -> Decided:
    """`kazsim.engine.odds.what_decided`, the same result and the same `progress` calls'
    totals, with the odds worked out by `odds` above (the batch engine where it can)."""
    if otherwise_runs is None:
        otherwise_runs = max(1, runs // 2)
    first = odds_work(game, runs)
    bound = first + TURNING_POINTS * (1 + len(game.scenario.role_ids)) * otherwise_runs

    def odds_step(done: int, _total: int) -> None:
        if progress is not None:
            progress(done, bound)

    result = odds(game, runs, odds_step)

    def turning_step(done: int, total: int) -> None:
        if progress is not None:
            progress(first + done, first + total)

    points = turning_points(game, result, otherwise_runs, turning_step)
    if progress is not None:
        done = first + otherwise_work(game, [p.turn for p in points], otherwise_runs)
        progress(done, done)
    return Decided(result, tuple(points))
