"""How fast saved games replay, next to the engine floor measured in the same run.

    .venv/bin/python benchmarks/bench_replay.py [--games N] [--repeat R]

The main scenario (kazakhstan-2022) is used if it validates, else the tutorial;
the first line says which. N complete AI games (seeds 0 to N-1) are saved to a
temporary folder, then replayed. Printed, in turns per second:

- floor: a bare `resolve` loop over the same decisions (no `Game`, no
  legality reasons, no checksums, no file);
- replay: `kazsim.session.replay.replay` of the parsed saves (a `Game`, every
  decision checked, every state's checksum computed and compared);
- load: `load_session` from the file (read, size and depth checks, JSON,
  strict validation, replay), the scenario already compiled;

each with its ratio to the floor, against the target of 5,000 turns per second.
The best of R repeats is kept for each (default 3).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kazsim.engine import initial_state, play_ai_game, resolve
from kazsim.engine.draws import game_draws
from kazsim.scenario.compiled import CompiledScenario
from kazsim.scenario.load import validate_file
from kazsim.session.model import SaveFile, ai
from kazsim.session.replay import load_session, replay
from kazsim.session.session import Session
from kazsim.session.store import read_save

ROOT = Path(__file__).resolve().parent.parent
TARGET = 5000.0  # turns per second


def pick_scenario() -> tuple[CompiledScenario, str]:
    for name in ("kazakhstan-2022.yaml", "tutorial.yaml"):
        compiled, problems = validate_file(ROOT / "scenarios" / name)
        if compiled is not None:
            return compiled, name
        print(f"{name} does not validate ({len(problems)} problems); trying the next")
    raise SystemExit("no scenario validates")


def best(repeat: int, run: Callable[[], None]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--games", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    scenario, name = pick_scenario()
    print(f"scenario {name} ({scenario.id}, {len(scenario.roles)} roles, "
          f"{scenario.last_turn} turns)")

    with tempfile.TemporaryDirectory() as folder:
        paths: list[Path] = []
        for seed in range(args.games):
            game = play_ai_game(scenario, seed)
            session = Session.new(scenario, seed, {r: ai() for r in scenario.role_ids}, folder)
            for record in game.records:
                session.game.play(record.decisions)
            paths.append(session.save())
        saves: list[SaveFile] = [read_save(p) for p in paths]
        turns = sum(len(s.turns) for s in saves)
        logs = [(s.seed, [t.decisions for t in s.turns]) for s in saves]
        print(f"{args.games} saved games, {turns} turns in all "
              f"({turns / args.games:.1f} per game)")

        def floor() -> None:
            for seed, log in logs:
                state, draws = initial_state(scenario), game_draws(seed)
                for decisions in log:
                    state, _ = resolve(scenario, state, decisions, draws=draws)

        def replayed() -> None:
            for save in saves:
                _, divergence = replay(scenario, save)
                assert divergence is None

        def loaded() -> None:
            for path in paths:
                load_session(path, scenario=scenario)

        results = {label: turns / best(args.repeat, run)
                   for label, run in (("floor", floor), ("replay", replayed),
                                      ("load", loaded))}
    base = results["floor"]
    print(f"{'':8}{'turns/s':>10}  {'vs floor':>8}  target {TARGET:,.0f}")
    for label, speed in results.items():
        verdict = "" if label == "floor" else ("ok" if speed >= TARGET else "BELOW TARGET")
        print(f"{label:8}{speed:>10,.0f}  {speed / base:>8.2f}  {verdict}")


if __name__ == "__main__":
    main()
