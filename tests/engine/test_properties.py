"""Property: any sequence of legal decisions keeps the game sound and ends it in time.

Hypothesis picks the seed and, every turn, one of each role's legal actions.
Whatever it picks, every indicator stays in its range, every flag stays a
flag, the record explains every change, and the game ends by the last turn
(with an `at_last_turn` ending only on the last turn).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kazsim.engine import Game
from kazsim.scenario import CompiledScenario, validate_file

from .support import check_turns

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted(
    (ROOT / "scenarios" / "variants").glob("*.yaml"))
_LOADED: dict[Path, CompiledScenario] = {}


def scenario_at(path: Path) -> CompiledScenario:
    if path not in _LOADED:
        compiled, problems = validate_file(path)
        if compiled is None:
            first = next(str(p) for p in problems if p.severity == "error")
            pytest.skip(f"{path.name} does not validate yet ({first})")
        _LOADED[path] = compiled
    return _LOADED[path]


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_any_legal_play_stays_in_range_and_ends_in_time(path: Path) -> None:
    compiled = scenario_at(path)

    @settings(max_examples=150, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(seed=st.integers(0, 2**32 - 1), data=st.data())
    def play(seed: int, data: st.DataObject) -> None:
        game = Game(compiled, seed)
        while not game.over:
            assert game.turn <= compiled.last_turn, "the game went past its last turn"
            decisions = {}
            for role in compiled.role_ids:
                legal = game.legal(role)
                assert legal, f"{role} has nothing it may do on turn {game.turn}"
                assert legal == [s.action.id for s in game.statuses(role) if s.available]
                decisions[role] = data.draw(st.sampled_from(legal), label=role)
            game.play(decisions)
        check_turns(compiled, game.states, game.records)
        assert len(game.records) <= compiled.last_turn
        ending = compiled.ending(game.state.ending or "")
        if ending.at_last_turn:
            assert len(game.records) == compiled.last_turn
        assert [r.ending for r in game.records[:-1]] == [None] * (len(game.records) - 1)
        assert {o.role for o in game.outcomes()} == set(compiled.role_ids)

    play()
