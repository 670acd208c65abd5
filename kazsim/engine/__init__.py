"""The rules engine: pure, deterministic, no I/O and no user interface.

Public surface: `Game` (a game in progress), `resolve` (one turn as a
function), `legal_actions`/`action_statuses`, the AI's `choose`, and the
value types `GameState` and `TurnRecord`.
"""

from kazsim.engine.ai import LEVELS, Level, ai_rng, choose
from kazsim.engine.game import Game, RoleOutcome, play_ai_game
from kazsim.engine.resolve import (
    ActionStatus,
    GameOverError,
    IllegalDecisionError,
    action_statuses,
    legal_actions,
    resolve,
)
from kazsim.engine.state import Change, Contribution, GameState, NewsItem, TurnRecord, initial_state

__all__ = [
    "LEVELS", "ActionStatus", "Change", "Contribution", "Game", "GameOverError", "GameState",
    "IllegalDecisionError", "Level", "NewsItem", "RoleOutcome", "TurnRecord", "action_statuses",
    "ai_rng", "choose", "initial_state", "legal_actions", "play_ai_game", "resolve",
]
