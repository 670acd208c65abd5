"""`kazsim check` plays its easy-AI games with the batch engine: the same numbers.

The tally of every bundled scenario (and the every-construct scenario: offers,
bindings, delays, drift, secret moves, a timeline) is the same, field by field,
with the batch engine and with the reference engine, over more than one block of
games and with a first seed that is not 0; the text report too. Plans the batch
engine does not play (another AI level, the look-ahead, repeating an action) go to
the reference engine; `--reference-engine` forces it.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

from kazsim.analysis import simulate
from kazsim.analysis.simulate import Plan, batch_plan, run_games, run_plans
from kazsim.batch.engine import _exp, _log
from kazsim.cli import main
from kazsim.scenario.load import load_file

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted(
    (ROOT / "scenarios" / "variants").glob("*.yaml")) + [
    ROOT / "tests" / "docs" / "data" / "every_construct.yaml"]


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_the_tally_is_the_same_with_either_engine(path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(simulate, "BLOCK", 200)  # several blocks, each of whole chunks
    scenario = load_file(path)
    assert batch_plan(scenario, Plan())
    batch, _ = run_games(scenario, 450, first_seed=17, jobs=1)
    reference, _ = run_games(scenario, 450, first_seed=17, jobs=1, engine="reference")
    mine, theirs = dataclasses.asdict(batch), dataclasses.asdict(reference)
    for field in theirs:
        assert mine[field] == theirs[field], field
        if field != "shown":  # (counted by name; every report reads them in file order)
            assert repr(mine[field]) == repr(theirs[field]), field  # order, int or float


@pytest.mark.parametrize("name", ["tutorial", "kazakhstan-2022"])
@pytest.mark.parametrize("form", ["text", "json"])
def test_the_report_is_the_same_with_either_engine(name: str, form: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    def report(*extra: str) -> list[str]:
        assert main(["check", name, "--runs", "150", "--seed", "3", "--format", form,
                     "--jobs", "1", "--no-exploits", *extra]) == 0
        out = capsys.readouterr().out
        return [line for line in out.splitlines() if " games/s" not in line]

    assert report() == report("--reference-engine")


def test_the_progress_moves_during_a_block(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = load_file(ROOT / "scenarios" / "tutorial.yaml")
    seen: list[int] = []
    run_games(scenario, 300, jobs=1, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 300
    assert len([n for n in seen if 0 < n < 300]) >= 3  # not only when a block is over


def test_other_plans_go_to_the_reference_engine() -> None:
    scenario = load_file(ROOT / "scenarios" / "tutorial.yaml")
    assert not batch_plan(scenario, Plan("history"))
    assert not batch_plan(scenario, Plan("easy", "council"))
    assert not batch_plan(scenario, Plan("easy", "council", "cut_price"))
    with pytest.raises(ValueError, match="unknown engine"):
        run_plans(scenario, [(Plan(), 0, 10)], engine="fast")


def test_exp_and_log_are_maths_to_the_bit() -> None:
    """numpy's exp and log may differ from `math`'s by an ulp: the AI's chances use
    `math`'s, as the reference engine does, for every game."""
    rng = np.random.default_rng(5)
    x = np.concatenate([rng.uniform(-745, 0, 5000), rng.uniform(-1, 1, 5000), [0.0, -np.inf]])
    assert [v.hex() for v in _exp(x).tolist()] == [math.exp(v).hex() for v in x.tolist()]
    w = np.concatenate([rng.uniform(1e-9, 100, 5000), [1.0, 2.0, 0.5]])
    assert [v.hex() for v in _log(w).tolist()] == [math.log(v).hex() for v in w.tolist()]
