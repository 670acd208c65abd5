"""The computer players play sensibly: better than chance, and the look-ahead better still.

Each comparison plays the same seeds twice, changing only who plays one role
(the others are always the easy AI), and compares that role's results seed by
seed. "Better" means the mean paired difference is more than twice its
standard error, over 200 seeded games: the outcome is fixed by the seeds, so
the test is deterministic; the margin keeps it meaningful.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Callable

import pytest

from kazsim.engine import Game, legal_actions
from kazsim.engine.ai import ENDING_WEIGHT, RESULT_VALUE, choose
from kazsim.scenario import CompiledScenario

GAMES = 200
Player = Callable[[Game, str], str]


def uniform(game: Game, role: str) -> str:
    """A player that picks any available action with equal probability."""
    rng = random.Random(f"uniform/{game.seed}/{game.turn}/{role}")
    return rng.choice(game.legal(role))


def easy(game: Game, role: str) -> str:
    return game.ai_decision(role, "easy")


def hard(game: Game, role: str) -> str:
    return game.ai_decision(role, "hard")


def final(scenario: CompiledScenario, seed: int, role: str, player: Player) -> tuple[float, float]:
    """(the role's score, its score plus the ending's worth) after a game where `player`
    plays `role` and the easy AI the rest. The second is what the hard AI maximises."""
    game = Game(scenario, seed)
    while not game.over:
        game.play({r: player(game, r) if r == role else easy(game, r)
                   for r in scenario.role_ids})
    assert game.state.ending is not None
    result = scenario.ending(game.state.ending).roles[role].result
    score = game.score(role)
    return score, score + ENDING_WEIGHT * RESULT_VALUE[result]


def advantage(scenario: CompiledScenario, role: str, better: Player, worse: Player,
              measure: int) -> tuple[float, float]:
    """Mean paired difference (better - worse) of a measure, and its standard error."""
    diffs = [final(scenario, seed, role, better)[measure]
             - final(scenario, seed, role, worse)[measure] for seed in range(GAMES)]
    return statistics.mean(diffs), statistics.stdev(diffs) / math.sqrt(GAMES)


SCORE, OBJECTIVE = 0, 1

# A known limit of the easy level, by design (docs/design.md, "The AI"): it only
# sees what its choice does this turn.
EASY_BLIND = pytest.mark.xfail(strict=True, reason=(
    "engine/ai.py expected_gain counts only this turn's effects and the rules that depend "
    "on the role's own choice this turn; the province's useful move (send_mediator) pays off "
    "through a flag read by a rule on the union's choice, so easy plays the province like "
    "chance (measured: +1.1 points, standard error 1.4)"))
@pytest.mark.parametrize("role", [
    "council", "union", pytest.param("province", marks=EASY_BLIND)])
def test_easy_beats_a_random_player_at_its_own_score(tutorial: CompiledScenario,
                                                     role: str) -> None:
    mean, error = advantage(tutorial, role, easy, uniform, SCORE)
    assert mean > 2 * error, f"{role}: easy - random = {mean:.2f} +/- {error:.2f}"


@pytest.fixture(scope="module")
def hard_vs_easy(tutorial: CompiledScenario) -> dict[str, tuple[float, float]]:
    """Per role: the hard AI's advantage over easy at what it plays for (ai._value)."""
    return {role: advantage(tutorial, role, hard, easy, OBJECTIVE)
            for role in ("council", "union", "province")}


@pytest.mark.slow
def test_hard_beats_easy_where_the_scenario_leaves_room(
        hard_vs_easy: dict[str, tuple[float, float]]) -> None:
    """The union's best line needs planning a few turns ahead: looking ahead finds it.

    (For the council and the province the tutorial leaves little room: easy already
    plays them close to their best, and the measured difference is within the noise.)
    """
    mean, error = hard_vs_easy["union"]
    assert mean > 2 * error, f"union: hard - easy = {mean:.2f} +/- {error:.2f}"


@pytest.mark.slow
@pytest.mark.parametrize("role", ["council", "union", "province"])
def test_hard_is_never_clearly_worse_than_easy(
        hard_vs_easy: dict[str, tuple[float, float]], role: str) -> None:
    mean, error = hard_vs_easy[role]
    assert mean > -2 * error, f"{role}: hard - easy = {mean:.2f} +/- {error:.2f}"


def test_the_ai_is_not_uniform(tutorial: CompiledScenario) -> None:
    """On the first turn the council's easy AI almost always subsidises bread."""
    picks = [choose(tutorial, Game(tutorial, s).state, "council", level="easy",
                    rng=random.Random(s)) for s in range(100)]
    assert picks.count("subsidise") > 80


def test_ai_decisions_are_legal_and_repeatable(tutorial: CompiledScenario) -> None:
    for seed in range(10):
        game = Game(tutorial, seed)
        while not game.over:
            decisions = {}
            for role in tutorial.role_ids:
                for level in ("easy", "hard"):
                    pick = game.ai_decision(role, level)
                    assert pick in legal_actions(tutorial, game.state, role)
                    assert pick == game.ai_decision(role, level)
                decisions[role] = game.ai_decision(role, "easy")
            game.play(decisions)
