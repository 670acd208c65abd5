"""A game in progress: the scenario, the seed, the state, the history.

`Game` is the engine's small public surface for faces (terminal, CLI, saves,
play-testing): ask what a role may do, hand over every role's decision,
read what happened. Its randomness is its `draws` (`kazsim.engine.draws`): keyed by
the seed, the turn and what each draw is for, so a game resumed from a save or forked
from a state draws what the straight game drew; a game replaying a save made before
the keyed draws uses the sequential draws it was played with (`scheme=SEQUENTIAL`).

A game can be a lesson shorter than the scenario (`Game(scenario, seed, turns=6)`):
it stops after that turn, ending as the scenario says for an interrupted game.
`Game.scenario` is then the scenario shortened (`CompiledScenario.shortened`), so
everything handed it — the resolution, the AI, `last_turn` in expressions — sees
the lesson's last turn; `Game.last_turn` and `Game.turn_limit` say it to the faces.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kazsim.engine.ai import Level, choose
from kazsim.engine.draws import SCHEME, game_draws
from kazsim.engine.resolve import (
    ActionStatus,
    GameOverError,
    action_statuses,
    legal_actions,
    resolve,
    resolve_legal,
)
from kazsim.engine.state import EndingText, Fared, GameState, TurnRecord, initial_state
from kazsim.scenario.compiled import CompiledScenario
from kazsim.scenario.told import Alternatives


@dataclass(frozen=True)
class RoleOutcome:
    """How one role did at the end of a game: its result and text as shown."""

    role: str
    result: Fared  # .result: win, draw or loss; .text: what its player reads
    score: float


class Game:
    """One play of a scenario from a seed."""

    def __init__(self, scenario: CompiledScenario, seed: int, *,
                 turns: int | None = None, scheme: int = SCHEME) -> None:
        """`turns`: stop after this turn (a lesson); None or the scenario's length or
        more: the whole game. Raises `ValueError` below 1. `scheme`: how the game draws
        (`kazsim.engine.draws.KEYED`, or `SEQUENTIAL` for a save made before it)."""
        self.scenario = scenario.shortened(turns)
        self.seed = seed
        self.draws = game_draws(seed, scheme)
        self.state: GameState = initial_state(scenario)
        self.records: list[TurnRecord] = []
        self.states: list[GameState] = [self.state]  # state before each turn, then the last

    @property
    def over(self) -> bool:
        return self.state.over

    @property
    def turn(self) -> int:
        return self.state.turn

    @property
    def last_turn(self) -> int:
        """The turn after which the game is sure to be over: the lesson's, if shortened."""
        return self.scenario.last_turn

    @property
    def turn_limit(self) -> int | None:
        """The lesson's length when the game stops before the scenario's last turn."""
        return self.scenario.turn_limit

    def legal(self, role_id: str) -> list[str]:
        return legal_actions(self.scenario, self.state, role_id)

    def statuses(self, role_id: str) -> list[ActionStatus]:
        return action_statuses(self.scenario, self.state, role_id)

    def ai_decision(self, role_id: str, level: Level = "easy",
                    env: Mapping[str, Any] | None = None) -> str:
        rng = self.draws.ai(self.state.turn, role_id)
        return choose(self.scenario, self.state, role_id, level=level, rng=rng, env=env,
                      draws=self.draws)

    def play(self, decisions: Mapping[str, str]) -> TurnRecord:
        """Resolve the current turn with every role's decision."""
        self.state, record = resolve(self.scenario, self.state, decisions, draws=self.draws)
        return self._keep(record)

    def _keep(self, record: TurnRecord) -> TurnRecord:
        self.records.append(record)
        self.states.append(self.state)
        return record

    def play_ai_turn(self, levels: Mapping[str, Level]) -> TurnRecord:
        """Let the AI decide for every role (at the given levels) and resolve."""
        if self.over:
            raise GameOverError(f"the game is over (ending '{self.state.ending}')")
        env = self.state.env(self.scenario.last_turn)
        decisions = {r: self.ai_decision(r, levels.get(r, "easy"), env)
                     for r in self.scenario.role_ids}
        # The AI only picks legal actions, so the legality check can be skipped.
        self.state, record = resolve_legal(self.scenario, self.state, decisions,
                                             draws=self.draws)
        return self._keep(record)

    def score(self, role_id: str) -> float:
        env = self.state.env(self.scenario.last_turn)
        return float(self.scenario.role(role_id).score(env))

    @property
    def ending_text(self) -> EndingText:
        """The ending's texts as they were chosen; only once the game is over."""
        ended = self.records[-1].ended if self.records else None
        if self.state.ending is None or ended is None:
            raise ValueError("the game is not over yet")
        return ended

    def outcomes(self) -> list[RoleOutcome]:
        """Every role's result and score; only once the game is over."""
        ended = self.ending_text
        return [RoleOutcome(r, ended.roles[r], self.score(r)) for r in self.scenario.role_ids]

    def briefing(self, role_id: str) -> tuple[str, list[str]]:
        """A role's briefing and goals, each chosen against the state now (at the start
        of the turn about to be played; turn 1 at the start of the game)."""
        return briefing(self.scenario, self.state, role_id)

    def leader(self, role_id: str) -> str:
        """Who leads a role now ('' when the scenario names none)."""
        return leader(self.scenario, self.state, role_id)


def briefing(scenario: CompiledScenario, state: GameState,
             role_id: str) -> tuple[str, list[str]]:
    """A role's briefing and goals as shown in `state`."""
    role = scenario.role(role_id)
    env = state.env(scenario.last_turn)

    def pick(told: Alternatives) -> str:
        return told.pick(env)[1]

    return pick(role.briefing), [pick(goal) for goal in role.goals]


def leader(scenario: CompiledScenario, state: GameState, role_id: str) -> str:
    """Who leads a role in `state`: its `leader` chosen against it ('' without one)."""
    told = scenario.role(role_id).leader
    return "" if told is None else told.pick(state.env(scenario.last_turn))[1]


def play_ai_game(scenario: CompiledScenario, seed: int,
                 levels: Mapping[str, Level] | None = None, *,
                 turns: int | None = None, scheme: int = SCHEME) -> Game:
    """A complete game with the AI in every role (a lesson of `turns`, if given)."""
    game = Game(scenario, seed, turns=turns, scheme=scheme)
    levels = levels or {}
    while not game.over:
        game.play_ai_turn(levels)
    return game
