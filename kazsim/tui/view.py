"""What one screen may show of a game: a frozen snapshot, read through a role's eyes.

The play screen keeps one `TurnView` in a reactive and binds it into its
widgets; the replay viewer builds one for any past turn. Everything here only
reads engine values (states, records, action statuses) and the scenario's
`visible_to`; no rule is computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kazsim.engine.game import leader
from kazsim.story import named, turn_date, upcoming_lines

if TYPE_CHECKING:
    from kazsim.engine.resolve import ActionStatus
    from kazsim.engine.state import GameState, TurnRecord
    from kazsim.scenario.compiled import CompiledScenario


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator as a viewer sees it: now, before, and over past turns."""

    id: str
    label: str
    description: str
    value: float
    lo: float
    hi: float
    high_is: str
    history: tuple[float, ...]  # the start value, then the value after each turn
    hidden_from_some: bool  # not every role may see it

    @property
    def delta(self) -> float:
        """The change over the last turn played (0 before the first)."""
        return self.history[-1] - self.history[-2] if len(self.history) > 1 else 0.0


@dataclass(frozen=True)
class FlagLine:
    id: str
    label: str
    description: str
    value: bool
    changed: bool  # set or cleared by the last turn played


@dataclass(frozen=True, eq=False)
class TurnView:
    """A game at one moment, as seen by `viewers` (every one of them may see what is shown).

    An empty `viewers` is the narrator's view: everything. Compared by identity,
    so assigning a new view always refreshes the widgets bound to it.
    """

    scenario: CompiledScenario
    viewers: tuple[str, ...]
    states: tuple[GameState, ...]  # the state before the first turn, then after each turn
    records: tuple[TurnRecord, ...]
    statuses: tuple[ActionStatus, ...] = ()  # the deciding role's actions, if one is deciding
    deciding: str | None = None  # the role choosing an action now
    hidden: bool = False  # nothing may be shown (between hot-seat players, AI thinking)
    waiting_text: str = ""

    @property
    def state(self) -> GameState:
        return self.states[-1]

    @property
    def turn(self) -> int:
        return self.state.turn

    @property
    def last_turn(self) -> int:
        return self.scenario.last_turn

    def record_before(self, record: TurnRecord) -> TurnRecord | None:
        """The turn before `record`, if this view holds it (news told again is named)."""
        n = record.turn - 2  # records[0] is turn 1
        return self.records[n] if 0 <= n < len(self.records) else None

    def date(self, turn: int | None = None) -> str:
        return turn_date(self.scenario, self.turn if turn is None else turn)

    def may_see(self, item_id: str) -> bool:
        return all(self.scenario.visible(item_id, role) for role in self.viewers)

    def indicators(self) -> list[IndicatorLine]:
        out = []
        for ind in self.scenario.model.indicators:
            if not self.may_see(ind.id):
                continue
            history = tuple(float(s.values[ind.id]) for s in self.states)
            out.append(IndicatorLine(ind.id, ind.label, ind.description, history[-1],
                                     float(ind.min), float(ind.max), ind.high_is, history,
                                     ind.visible_to != "all"))
        return out

    def flags(self) -> list[FlagLine]:
        out = []
        before = self.states[-2] if len(self.states) > 1 else None
        for flag in self.scenario.model.flags:
            if not self.may_see(flag.id):
                continue
            value = bool(self.state.values[flag.id])
            changed = before is not None and bool(before.values[flag.id]) != value
            out.append(FlagLine(flag.id, flag.label, flag.description, value, changed))
        return out

    def upcoming(self) -> list[str]:
        """Delayed effects still to land that the viewers may see (`story.upcoming_lines`)."""
        return upcoming_lines(self.scenario, self.state, self.viewers)

    def role_name(self, role: str) -> str:
        return self.scenario.role(role).model.name

    def role_heading(self, role: str) -> str:
        """The role's name with who leads it now, as its player sees it named."""
        return named(self.role_name(role), leader(self.scenario, self.state, role))

