"""How fast `kazsim check` plays games, next to the engine floor measured in the same run.

    .venv/bin/python benchmarks/bench_check.py [SCENARIO] [--games N] [--runs R]

Prints, in playthroughs (complete AI games) per second:

- the engine floor: a bare `play_ai_game` loop in one process, nothing counted;
- check's loop in one process (`tally_games`: the same games, tallied), and its
  ratio to the floor (the cost of counting);
- `kazsim check --runs R` end to end as the command runs it (one worker per
  core, results merged), its wall time against the 15-second target for
  10,000 runs, and its speed-up over one process.

For reference: ChoiceScript's `randomtest` plays its sample game at about
2,000 playthroughs per second (a figure measured by the project on this kind of
machine, not in this run; ChoiceScript games have no simultaneous roles and no
AI, so it is a peer, not a floor).
"""

from __future__ import annotations

import argparse
import os
import time

from kazsim.analysis.simulate import run_games, tally_games, worker_count
from kazsim.engine import play_ai_game
from kazsim.scenario.catalog import find_scenario
from kazsim.scenario.load import load_file

CHOICESCRIPT_RANDOMTEST = 2000.0  # playthroughs/s, see the module docstring
TARGET_SECONDS = 15.0  # for 10,000 runs of the main scenario on 2 cores


def floor(scenario: object, games: int) -> float:
    started = time.perf_counter()
    for seed in range(games):
        play_ai_game(scenario, seed)  # type: ignore[arg-type]
    return games / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", nargs="?", default="kazakhstan-2022")
    parser.add_argument("--games", type=int, default=1000,
                        help="games for the single-process measurements (default 1000)")
    parser.add_argument("--runs", type=int, default=10000,
                        help="games for the end-to-end check (default 10000)")
    args = parser.parse_args()
    path = find_scenario(args.scenario)
    if path is None:
        raise SystemExit(f"no scenario '{args.scenario}'")
    scenario = load_file(path)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"scenario {scenario.id} ({len(scenario.roles)} roles, {scenario.last_turn} turns); "
          f"{cores} cores available")

    floor(scenario, min(50, args.games))  # warm up
    engine = floor(scenario, args.games)
    started = time.perf_counter()
    tally_games(scenario, range(args.games))
    tallied = args.games / (time.perf_counter() - started)
    print(f"engine floor (bare play_ai_game loop, 1 process): {engine:8,.0f} games/s")
    print(f"check's loop (tally_games, 1 process):            {tallied:8,.0f} games/s  "
          f"= {tallied / engine:.2f}x the floor")

    workers = worker_count(0, args.runs)
    started = time.perf_counter()
    run_games(scenario, args.runs)
    wall = time.perf_counter() - started
    rate = args.runs / wall
    projected = 10000 / rate
    print(f"kazsim check --runs {args.runs} ({workers} processes):  {rate:8,.0f} games/s  "
          f"= {rate / engine:.2f}x the one-process floor; {wall:.1f} s")
    print(f"  10,000 runs would take {projected:.1f} s (target: under {TARGET_SECONDS:.0f} s "
          f"on 2 cores): {'met' if projected < TARGET_SECONDS else 'NOT met'}")
    print(f"reference: ChoiceScript randomtest ~{CHOICESCRIPT_RANDOMTEST:,.0f} playthroughs/s "
          f"on its sample game; check plays {rate / CHOICESCRIPT_RANDOMTEST:.2f}x that here")


if __name__ == "__main__":
    main()
