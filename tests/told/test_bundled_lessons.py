"""A lesson cut short ends truthfully in every bundled scenario (issue 11): with the
ending marked `interrupted`, never with the last-turn ending that names the real
calendar's last day, and every text and result it shows is the alternative whose
condition holds in that game."""

from __future__ import annotations

import pytest

from kazsim.engine import play_ai_game
from kazsim.scenario import load_file
from kazsim.scenario.calendar import turn_date

from .test_told import BUNDLED, ROOT, check_game, end_of_turn, first_that_holds


@pytest.mark.parametrize("name", BUNDLED)
def test_a_three_turn_lesson_ends_with_the_lessons_own_ending(name: str) -> None:
    scenario = load_file(ROOT / "scenarios" / f"{name}.yaml")
    [cut] = [e for e in scenario.model.endings if e.interrupted]
    last = {e.id for e in scenario.model.endings if e.at_last_turn}
    shown: set[str] = set()
    interrupted = 0
    for seed in range(40):
        game = play_ai_game(scenario, seed, turns=3)
        ended = game.ending_text
        assert ended.ending not in last  # the real last day's text never ends a lesson
        check_game(game.scenario, game)
        if ended.ending != cut.id:
            continue  # an ending whose own condition held in three turns
        interrupted += 1
        assert f"on {turn_date(scenario.model.calendar, 3)}" in ended.text
        compiled = game.scenario.compiled_ending(cut.id)
        env = end_of_turn(game.scenario, game.states[-2], game.states[-1], game.records[-1])
        for told in (compiled.text, *(t for pair in compiled.results.values() for t in pair)):
            index = first_that_holds(told, env)
            condition = told.conditions[index]
            assert condition is None or condition(env)
            shown.add(f"{told.key}:{index}")
    assert interrupted >= 20, interrupted  # most short lessons end this way
    assert len(shown) > len(compiled.results) + 1  # more than one alternative was tried
