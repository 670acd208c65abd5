"""Messages between widgets, screens and the app, as dataclasses.

Requests are imperative (`MakeDecision`, `ShowWhy`, `OpenScenario`,
`StartGame`, `JoinTable`); facts are past tense (`TurnResolved`). Handled with `@on`: game
messages by the play screen, which is the only place that talks to the
engine; the others by the app, which moves between screens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from kazsim.engine.state import TurnRecord
    from kazsim.scenario.compiled import CompiledScenario
    from kazsim.tui.config import GameConfig
    from kazsim.tui.table import RemoteSeat


@dataclass
class MakeDecision(Message):
    """A human confirmed the action their role takes this turn."""

    role: str
    action: str


@dataclass
class ShowWhy(Message):
    """Show an indicator's or flag's history and every reason it changed."""

    target: str


@dataclass
class TurnResolved(Message):
    """The engine resolved a turn (every role's decision in); here is its record."""

    record: TurnRecord


@dataclass
class OpenScenario(Message):
    """Load the scenario at `path` and set up a new game of it."""

    path: str


@dataclass
class StartGame(Message):
    """Start a new game of a scenario with these players and seed."""

    scenario: CompiledScenario
    config: GameConfig
    origin: object = None  # the setup screen it came from (the game takes its place)


@dataclass
class OpenSave(Message):
    """Load a saved game: resume it, or open it in the replay viewer."""

    path: str
    replay: bool = False


@dataclass
class JoinTable(Message):
    """Take the seat the join screen chose at a table on a host, and play it."""

    seat: RemoteSeat
