"""The batch engine plays exactly the reference engine's games, game by game.

For every bundled scenario (and variant) and the docs' example scenarios: the same
decisions, legal choices, chance outcomes, rules, events, alternatives shown,
values after every turn (to the bit), endings, results and real-timeline matches.
A few hundred seeds in the fast suite; under the `slow` marker, KAZSIM_BATCH_SEEDS
per bundled scenario: 1,000 by default (CI's differential run), 10,000 for the full run
(`KAZSIM_BATCH_SEEDS=10000 pytest -m slow tests/batch`: about 26 minutes on this
project's 2-core machine, loaded).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from docs.guide import blocks, final_stage, write_stage

from kazsim.batch import prepare, supports
from kazsim.scenario.load import load_file, validate_file

from .support import assert_same_games

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted(
    (ROOT / "scenarios" / "variants").glob("*.yaml"))
EVERY_CONSTRUCT = ROOT / "tests" / "docs" / "data" / "every_construct.yaml"
SCENARIO_BLOCKS = [b for b in blocks() if b.lang == "yaml" and b.tag == "scenario"]


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_bundled_scenarios_play_the_same_games(path: Path) -> None:
    scenario = load_file(path)
    assert supports(scenario) == []
    assert_same_games(scenario, range(200))


SLOW_SEEDS = int(os.environ.get("KAZSIM_BATCH_SEEDS", "1000"))


@pytest.mark.slow
@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_bundled_scenarios_play_the_same_games_over_many_seeds(path: Path) -> None:
    assert_same_games(load_file(path), range(SLOW_SEEDS))


def test_the_every_construct_scenario_plays_the_same_games() -> None:
    scenario = load_file(EVERY_CONSTRUCT)
    assert supports(scenario) == []
    assert_same_games(scenario, range(300))


def test_the_guides_worked_example_plays_the_same_games(tmp_path: Path) -> None:
    stage = final_stage()
    write_stage(stage, tmp_path)
    compiled, problems = validate_file(next(tmp_path.glob("*.yaml")))
    assert compiled is not None, problems
    assert_same_games(compiled, range(200))


@pytest.mark.parametrize("block", SCENARIO_BLOCKS,
                         ids=[f"line{b.line}" for b in SCENARIO_BLOCKS])
def test_the_guides_scenario_examples_play_the_same_games(block: object,
                                                          tmp_path: Path) -> None:
    write_stage(final_stage(), tmp_path)
    name = block.attrs.get("file", "example.yaml")  # type: ignore[attr-defined]
    (tmp_path / name).write_text(block.text, encoding="utf-8")  # type: ignore[attr-defined]
    compiled, problems = validate_file(tmp_path / name)
    assert compiled is not None, problems
    reasons = prepare(compiled).reasons
    if reasons:  # then the reference engine plays it: the reasons say why, in words
        assert all(isinstance(r, str) and r for r in reasons)
        pytest.skip("; ".join(reasons))
    assert_same_games(compiled, range(100))
