"""The rules engine: pure, deterministic, no I/O and no user interface.

Public surface: `Game` (a game in progress), `resolve` (one turn as a
function), `legal_actions`/`action_statuses`, the AI's `choose`, `briefing`
(a role's briefing as shown now), and the value types `GameState`,
`TurnRecord` and `EndingText`.
"""

from kazsim.engine.ai import LEVELS, Level, ai_rng, choose
from kazsim.engine.game import Game, RoleOutcome, briefing, play_ai_game
from kazsim.engine.resolve import (
    ActionStatus,
    GameOverError,
    IllegalDecisionError,
    action_statuses,
    legal_actions,
    resolve,
)
from kazsim.engine.state import (
    Change,
    Contribution,
    EndingText,
    Fared,
    GameState,
    NewsItem,
    TurnRecord,
    initial_state,
)

__all__ = [
    "LEVELS", "ActionStatus", "Change", "Contribution", "EndingText", "Fared", "Game",
    "GameOverError", "GameState", "IllegalDecisionError", "Level", "NewsItem", "RoleOutcome",
    "TurnRecord", "action_statuses", "ai_rng", "briefing", "choose", "initial_state",
    "legal_actions", "play_ai_game", "resolve",
]
