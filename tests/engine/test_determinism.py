"""Same scenario, seed and decisions: the same game, in this process and in any other."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kazsim.engine import Game, play_ai_game
from kazsim.engine.draws import SCHEMES, SequentialDraws
from kazsim.scenario import CompiledScenario, load_file

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "scenarios").glob("*.yaml"))


def valid(path: Path) -> CompiledScenario:
    try:
        return load_file(path)
    except ValueError as exc:
        pytest.skip(f"{path.name} does not validate yet: {exc}")


def replay(compiled: CompiledScenario, seed: int, decisions: list[dict[str, str]]) -> Game:
    game = Game(compiled, seed)
    for turn in decisions:
        game.play(turn)
    return game


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_same_seed_same_game(path: Path) -> None:
    compiled = valid(path)
    for seed in range(5):
        first, second = play_ai_game(compiled, seed), play_ai_game(compiled, seed)
        assert first.records == second.records
        assert [s.checksum() for s in first.states] == [s.checksum() for s in second.states]


@pytest.mark.slow
@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_replaying_the_decisions_reproduces_the_game(path: Path) -> None:
    """The AI never draws from the game's generator, so the decisions alone replay a game."""
    compiled = valid(path)
    for seed in range(5):
        played = play_ai_game(compiled, seed, {r: "hard" for r in compiled.role_ids[:1]})
        again = replay(compiled, seed, [dict(r.decisions) for r in played.records])
        assert again.records == played.records
        assert again.state.checksum() == played.state.checksum()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_ai_does_not_touch_the_games_draws(tutorial: CompiledScenario,
                                               scheme: int) -> None:
    """Asking the AI (easy and hard) changes nothing the turn then draws, in either
    scheme: the sequential generator's state stays as it was."""
    game, fresh = Game(tutorial, 3, scheme=scheme), Game(tutorial, 3, scheme=scheme)
    rng = game.draws.rng if isinstance(game.draws, SequentialDraws) else None
    state = rng.getstate() if rng is not None else None
    for role in tutorial.role_ids:
        game.ai_decision(role, "easy")
        game.ai_decision(role, "hard")
    if rng is not None:
        assert rng.getstate() == state
    for _ in range(3):
        decisions = {r: fresh.ai_decision(r) for r in tutorial.role_ids}
        assert game.play(decisions) == fresh.play(decisions)


def test_different_seeds_give_different_games(tutorial: CompiledScenario) -> None:
    endings = {play_ai_game(tutorial, seed).state.checksum() for seed in range(20)}
    assert len(endings) > 5


def test_checksums_are_canonical(tutorial: CompiledScenario) -> None:
    """Equal states give equal checksums; the checksum covers every part of the state."""
    game = play_ai_game(tutorial, 1)
    state = game.state
    data = state.to_data()
    assert json.loads(json.dumps(data)) == data
    checksums = {s.checksum() for s in game.states}
    assert len(checksums) == len(game.states)  # every turn changes the state (the turn)
    assert all(len(c) == 16 and int(c, 16) >= 0 for c in checksums)


SCRIPT = """
import json, sys
from pathlib import Path
from kazsim.engine import play_ai_game
from kazsim.scenario import load_file
out = {}
for name in sys.argv[1:]:
    compiled = load_file(Path(name))
    out[name] = [play_ai_game(compiled, seed).state.checksum() for seed in range(3)]
print(json.dumps(out, sort_keys=True))
"""


def test_checksums_are_the_same_in_another_process() -> None:
    """A game's checksums do not depend on the process (string hashing, set order...)."""
    names = []
    for path in BUNDLED:
        try:
            load_file(path)
        except ValueError:
            continue
        names.append(str(path))
    here = {name: [play_ai_game(load_file(Path(name)), seed).state.checksum()
                   for seed in range(3)] for name in names}
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    result = subprocess.run([sys.executable, "-c", SCRIPT, *names], capture_output=True,
                            text=True, env=env, cwd=ROOT, check=True)
    assert json.loads(result.stdout) == here


def test_auto_play_prints_the_same_story_whatever_the_hash_seed(tmp_path: Path) -> None:
    """`kazsim play tutorial --auto --seed 7` is byte-identical under any PYTHONHASHSEED."""
    outputs = []
    for hash_seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed,
               "KAZSIM_SAVE_DIR": str(tmp_path / hash_seed)}
        result = subprocess.run(
            [sys.executable, "-m", "kazsim", "play", "tutorial", "--auto", "--seed", "7"],
            capture_output=True, env=env, cwd=ROOT, check=True)
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0].startswith(b"Tutorial: The Bread Price Strike (version 1.0) \xe2\x80\x94 "
                                 b"seed 7\n")
    assert b"\n\xe2\x95\x90\xe2\x95\x90 Ending: " in outputs[0]
