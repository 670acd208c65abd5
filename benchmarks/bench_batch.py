"""How fast the batch engine plays, next to the reference engine and the floor, in one run.

    .venv/bin/python benchmarks/bench_batch.py [--games N] [--reference-games M]
        [--scenario PATH] [--repeat R]

Plays the main scenario's AI-vs-AI games (the easy AI in every role) three ways, one
process each, and prints games per second and every ratio:

- batch: `kazsim.batch.play`, N games (default 10,000) at once, and in a second run
  of the same games the peak of memory it allocated (`tracemalloc`, numpy's arrays
  included);
- reference: `play_ai_game` one game after another, M games (default 1,000), half
  before the batch and half after it, at the faster half's rate;
- floor: the same games hand-written in plain Python (`bench_engine.hand_written_games`
  with the easy AI written out by hand), M games.

Then `kazsim check`'s own play loop (`run_games`, the report's tally included) with
the batch engine on every core (`--jobs 0`), against the reference engine's one
process, on the same N games: the reference time is the M games' rate times N
(said so in the output). Best of R timings each (default 1; the batch run is long
enough to be steady). Targets (issue 15): batch at least 20x the reference; check
with the batch engine under 0.05x the reference's one-process time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engine import hand_written_games  # noqa: E402

from kazsim.analysis.simulate import run_games  # noqa: E402
from kazsim.batch import play, prepare  # noqa: E402
from kazsim.engine import play_ai_game  # noqa: E402
from kazsim.scenario.load import load_file  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MAIN = ROOT / "scenarios" / "kazakhstan-2022.yaml"
BATCH_TARGET = 20.0
CHECK_TARGET = 0.05


def best_of(repeat: int, fn: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--games", type=int, default=10_000)
    parser.add_argument("--reference-games", type=int, default=1_000)
    parser.add_argument("--scenario", type=Path, default=MAIN)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-check", action="store_true", help="skip the check timing")
    args = parser.parse_args()
    scenario = load_file(args.scenario)
    prepared = prepare(scenario)
    if prepared.reasons:
        raise SystemExit("the batch engine cannot play it: " + "; ".join(prepared.reasons))
    n, m = args.games, args.reference_games
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    play(prepared, range(100))  # warm: numpy's first calls
    # The reference in two halves, before and after the batch (the machine's load
    # moves): the faster half's rate counts, as best-of timings do.
    half = max(1, m // 2)
    first = best_of(args.repeat, lambda: [play_ai_game(scenario, s) for s in range(half)])
    batch = best_of(args.repeat, lambda: play(prepared, range(n)))
    tracemalloc.start()  # (a run of its own: tracing slows every allocation down)
    play(prepared, range(n))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    second = best_of(args.repeat, lambda: [play_ai_game(scenario, s)
                                           for s in range(half, 2 * half)])
    m = 2 * half
    reference = m / max(half / first, half / second)  # the time M games take at that rate
    floor = best_of(args.repeat, lambda: hand_written_games(scenario, m, ai=True))

    rates = {"batch": n / batch, "reference": m / reference, "floor": m / floor}
    print(f"{scenario.id}: AI-vs-AI games (easy AI in every role), one process, "
          f"{cores} core(s) here")
    print(f"  {'engine':<12}{'games':>8}{'seconds':>10}{'games/s':>11}{'vs ref':>9}"
          f"{'vs floor':>10}")
    for name, games, seconds in (("batch", n, batch), ("reference", m, reference),
                                 ("floor", m, floor)):
        rate = rates[name]
        print(f"  {name:<12}{games:>8,}{seconds:>10.2f}{rate:>11,.0f}"
              f"{rate / rates['reference']:>8.1f}x{rate / rates['floor']:>9.1f}x")
    ratio = rates["batch"] / rates["reference"]
    print(f"  batch / reference: {ratio:.1f}x (target {BATCH_TARGET:.0f}x: "
          f"{'met' if ratio >= BATCH_TARGET else 'NOT met'}); batch / floor: "
          f"{rates['batch'] / rates['floor']:.1f}x")
    print(f"  batch memory peak for {n:,} games at once: {peak / 2**20:.0f} MiB "
          f"(tracemalloc)")
    if args.no_check:
        return
    started = time.perf_counter()
    _, workers = run_games(scenario, n, jobs=0)
    check = time.perf_counter() - started
    estimate = n / rates["reference"]
    share = check / estimate
    print(f"\nkazsim check's play loop, {n:,} games, tallied: batch engine on {workers} "
          f"process(es) {check:.2f} s; the reference engine on one process "
          f"~{estimate:.1f} s (its rate over {m:,} games above times {n:,})")
    print(f"  check time / reference time: {share:.3f}x (target under {CHECK_TARGET}x: "
          f"{'met' if share < CHECK_TARGET else 'NOT met'})")


if __name__ == "__main__":
    main()
