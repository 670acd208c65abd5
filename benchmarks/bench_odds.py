"""What working out "What decided it" costs, next to the engine's floor measured in the same run.

    .venv/bin/python benchmarks/bench_odds.py [--games G] [--runs N] [--repeat R] [--jobs J]

For G AI games of the main scenario (seeds 0..G-1), times `kazsim.engine.odds`:
the odds (N continuations from every point of the game, default 200, the
issue's number) and the turning points (N/2 continuations for each role's
other choices at each of the three), best of R timings (`time.perf_counter`).

The floor is `bench_engine.py`'s (b): complete games of the same scenario
written by hand in plain Python, the easy AI too (`hand_written_games`),
measured here in turns per second. The odds play partial games (from each
point to their end); their turns per second against the floor's is the
ratio printed, like (b)'s AI-vs-AI ratio. The cost is also given as "floor
games": how many whole hand-written games the floor plays in the same time.

With --noise G, it measures instead how much the answer depends on the luck of
the continuations, for N = 50 to 400: two independent sets of N continuations
(disjoint ranges of k) for each of G games, the difference of the chance of
the game's ending at every point, whether the three turning turns agree, and
whether the decisive role agrees between two independent sets of N/2
continuations for the other choices.

With --jobs 2 (the default), the odds are also worked out with the points
shared between 2 processes (`point_counts` per point, the counts added up),
checked to be identical, and timed the same way, process start included.

Then the batch engine's odds and turning points (`kazsim.batch.odds`: every
continuation of the game in one batch), checked identical to the reference's, timed
the same way, against the reference's of the same games and against one reference
`kazsim check --runs 1000` of the main scenario measured in the same run (`run_games`
with the reference engine on every core, as `check --reference-engine` plays; the
issue's target: a whole game's odds in under 0.5x of it). --no-batch skips it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engine import ai_games, best_of, hand_written_games  # noqa: E402

from kazsim.engine import Game, play_ai_game  # noqa: E402
from kazsim.engine import game as game_module  # noqa: E402
from kazsim.engine.odds import (  # noqa: E402
    Odds,
    Point,
    ending_ids,
    odds,
    point_counts,
    turning_points,
    turning_turns,
)
from kazsim.scenario import CompiledScenario, load_file  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MAIN = ROOT / "scenarios" / "kazakhstan-2022.yaml"


def floor_turns_per_second(compiled: CompiledScenario, repeat: int) -> tuple[float, float]:
    """The hand-written AI game's turns per second, and its seconds per game."""
    games = 60
    turns = sum(ai_games(compiled, games))
    seconds = best_of(repeat, lambda: hand_written_games(compiled, games, ai=True))
    return turns / seconds, seconds / games


def turns_played(work: Callable[[], Any]) -> int:
    """How many turns `work` resolves (counted in a separate, untimed run)."""
    counted = [0]
    real = game_module.resolve_legal, game_module.resolve

    def counting(fn: Callable[..., Any]) -> Callable[..., Any]:
        def count(*args: Any, **kwargs: Any) -> Any:
            counted[0] += 1
            return fn(*args, **kwargs)
        return count

    game_module.resolve_legal = counting(real[0])  # type: ignore[assignment]
    game_module.resolve = counting(real[1])  # type: ignore[assignment]
    try:
        work()
    finally:
        game_module.resolve_legal, game_module.resolve = real
    return counted[0]


_WORKER: dict[str, Any] = {}


def _point(job: tuple[int, int, int]) -> list[int]:
    seed, played, runs = job
    game = _WORKER.get(seed)
    if game is None:
        game = _WORKER[seed] = play_ai_game(load_file(MAIN), seed)
    return point_counts(game, played, range(runs))


def parallel_odds(game: Game, runs: int, jobs: int) -> list[tuple[int, ...]]:
    """The odds' counts, each point worked out in one of `jobs` fresh processes."""
    points = [p for p, state in enumerate(game.states) if not state.over]
    context = multiprocessing.get_context("spawn")
    with context.Pool(jobs) as pool:
        counts = pool.map(_point, [(game.seed, p, runs) for p in points], chunksize=1)
    return [tuple(c) for c in counts]


def odds_from(game: Game, ks: range) -> Odds:
    """The odds from continuations `ks` only (disjoint ranges: independent estimates)."""
    points = []
    for played, state in enumerate(game.states):
        if state.over:
            endings = ending_ids(game.scenario)
            points.append(Point(played, tuple(int(e == state.ending) for e in endings), 0))
        else:
            points.append(Point(played, tuple(point_counts(game, played, ks)), len(ks)))
    return Odds(game.seed, len(ks), ending_ids(game.scenario), tuple(points))


def noise(compiled: CompiledScenario, games: int, sizes: list[int]) -> None:
    """How much the answer depends on the luck of the continuations: two independent sets
    of N continuations per game, compared."""
    print(f"noise: two independent sets of continuations for each of {games} games")
    print("    |diff|: the chance of the game's ending at each point, in percentage points;")
    print("    common: turning turns found by both; decisive: the same role named at the")
    print("    first set's turning points, from two sets of N/2 'otherwise' continuations")
    print(f"{'N':>5}{'mean |diff|':>13}{'max |diff|':>12}{'same 3 turns':>14}"
          f"{'common':>12}{'same decisive':>15}")
    for n in sizes:
        diffs: list[float] = []
        same_turns = same_roles = compared = common = found = 0
        for seed in range(games):
            game = play_ai_game(compiled, seed)
            ending = game.state.ending or ""
            a, b = odds_from(game, range(0, n)), odds_from(game, range(n, 2 * n))
            diffs += [abs(x - y) for x, y in zip(a.series(ending), b.series(ending),
                                                 strict=True)]
            turns_a, turns_b = turning_turns(a, ending), turning_turns(b, ending)
            same_turns += turns_a == turns_b
            common += len(set(turns_a) & set(turns_b))
            found += len(turns_a)
            first = turning_points(game, a, max(1, n // 2))
            again = turning_points(game, a, max(1, n // 2), first=n)
            for p, q in zip(first, again, strict=True):
                compared += 1
                same_roles += p.decisive == q.decisive
        print(f"{n:>5}{100 * sum(diffs) / len(diffs):>13.1f}{100 * max(diffs):>12.1f}"
              f"{same_turns:>9} of {games}{common:>6} of {found}"
              f"{same_roles:>9} of {compared}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--games", type=int, default=3, help="games of the main scenario")
    parser.add_argument("--runs", type=int, default=200, help="continuations from each point")
    parser.add_argument("--repeat", type=int, default=3, help="timings per measure (best kept)")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the parallel row "
                        "(0: skip it)")
    parser.add_argument("--noise", type=int, default=0, metavar="GAMES",
                        help="instead, compare independent estimates over GAMES games, for "
                        "each N of --sizes")
    parser.add_argument("--no-batch", action="store_true",
                        help="skip the batch engine's odds and the reference check")
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200, 400],
                        metavar="N", help="the N compared by --noise")
    args = parser.parse_args()
    compiled = load_file(MAIN)
    if args.noise:
        noise(compiled, args.noise, args.sizes)
        return
    runs, other = args.runs, max(1, args.runs // 2)

    floor, floor_game = floor_turns_per_second(compiled, max(args.repeat, 5))
    print(f"floor: hand-written AI games of {MAIN.name}, {floor:,.0f} turns/s "
          f"({floor_game * 1000:.1f} ms a game), best of {max(args.repeat, 5)}")
    print(f"odds: {runs} continuations from every point; turning points: {other} for each "
          f"role's other choices; best of {args.repeat}")
    print(f"{'seed':>4}{'turns':>6}{'what':>16}{'contin.':>9}{'turns':>9}{'seconds':>9}"
          f"{'turns/s':>9}{'vs floor':>10}{'floor games':>13}")
    totals = [0.0, 0.0]
    for seed in range(args.games):
        game = play_ai_game(compiled, seed)
        result = odds(game, runs)
        rows = [
            ("odds", sum(p.runs for p in result.points), lambda g=game: odds(g, runs)),
            ("turning points", None, lambda g=game, r=result: turning_points(g, r, other)),
        ]
        for what, continuations, work in rows:
            turns = turns_played(work)
            seconds = best_of(args.repeat, work)
            totals[0 if what == "odds" else 1] += seconds
            rate = turns / seconds
            shown = f"{continuations:,}" if continuations is not None else "-"
            print(f"{seed:>4}{len(game.records):>6}{what:>16}{shown:>9}{turns:>9,}"
                  f"{seconds:>9.2f}{rate:>9,.0f}{rate / floor:>9.2f}x"
                  f"{seconds / floor_game:>13,.0f}")
        if args.jobs > 1:
            started = time.perf_counter()
            counts = parallel_odds(game, runs, args.jobs)
            seconds = time.perf_counter() - started
            same = counts == [p.counts for p in result.points if p.runs]
            print(f"{'':>10}{f'odds, {args.jobs} procs':>16}{'':>18}{seconds:>9.2f}"
                  f"   {'identical' if same else 'DIFFERENT'} counts")
    n = args.games
    print(f"mean per game: odds {totals[0] / n:.2f} s, turning points {totals[1] / n:.2f} s, "
          f"together {(totals[0] + totals[1]) / n:.2f} s")
    if not args.no_batch:
        batch_rows(compiled, args.games, runs, args.repeat, (totals[0] / n, totals[1] / n))


ODDS_TARGET = 0.5  # the batch odds of a whole game, against one reference check --runs 1000


def batch_rows(compiled: CompiledScenario, games: int, runs: int, repeat: int,
               reference_mean: tuple[float, float]) -> None:
    """The batch engine's odds and turning points of the same games, against the
    reference's (above) and one reference `check --runs 1000`, all measured in this run."""
    from kazsim.analysis.simulate import run_games
    from kazsim.batch import odds as batch

    started = time.perf_counter()
    _, workers = run_games(compiled, 1000, jobs=0, engine="reference")
    check = time.perf_counter() - started
    print("")
    print(f"reference check --runs 1000 of {MAIN.name}: {check:.2f} s on {workers} "
          f"process(es)")
    other = max(1, runs // 2)
    print(f"batch engine (kazsim.batch.odds), the same work, checked identical; best of "
          f"{repeat}")
    print(f"{'seed':>4}{'what':>16}{'seconds':>9}{'vs reference':>14}{'vs check 1000':>15}")
    sums = [0.0, 0.0]
    for seed in range(games):
        game = play_ai_game(compiled, seed)
        if batch.reasons(game):
            raise SystemExit("the batch engine cannot work out these odds: "
                             + "; ".join(batch.reasons(game)))
        want = odds(game, runs)
        turning = turning_points(game, want, other)
        rows = [("odds", batch.odds(game, runs) == want,
                 lambda g=game: batch.odds(g, runs)),
                ("turning points", batch.turning_points(game, want, other) == turning,
                 lambda g=game, r=want: batch.turning_points(g, r, other))]
        for i, (what, same, work) in enumerate(rows):
            seconds = best_of(repeat, work)
            sums[i] += seconds
            print(f"{seed:>4}{what:>16}{seconds:>9.2f}{seconds / reference_mean[i]:>13.3f}x"
                  f"{seconds / check:>14.3f}x  {'identical' if same else 'DIFFERENT'}")
    mean = [x / games for x in sums]
    share = mean[0] / check
    print(f"mean per game: batch odds {mean[0]:.2f} s = {mean[0] / reference_mean[0]:.3f}x "
          f"the reference's odds and {share:.3f}x one reference check --runs 1000 (target "
          f"under {ODDS_TARGET}x: {'met' if share < ODDS_TARGET else 'NOT met'}); batch "
          f"turning points {mean[1]:.2f} s = {mean[1] / reference_mean[1]:.3f}x the "
          f"reference's; together {sum(mean) / check:.3f}x the check")


if __name__ == "__main__":
    main()
