"""The one interface between the play screen and a game: a `Table`.

The play screen shows a game through `table.game` (read only: the scenario, the
states and records, the statuses of a role's actions, the outcomes) and hands
the decisions of its own seats to `table.submit(...)`; when the turn is resolved
the table calls `screen.resolved(record)`. It never knows where the game runs:

* `LocalTable` (here): the game in this process. The AI decides for its seats in
  a worker thread, the engine resolves, the save is written after the turn.
* `kazsim.classroom.remote.RemoteTable`: one seat at a table on `kazsim host`;
  the decision goes to the host, and the turn is resolved when every seat there
  has decided. `kazsim join URL CODE` opens the game on one
  (`kazsim.tui.launch.run_tui(seat=...)`).

`RemoteSeat` is what the app needs to open a remote table: it connects, and
hands back the scenario, the seat's role and the table (or a problem to print).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from textual.app import App

    from kazsim.engine.resolve import ActionStatus
    from kazsim.engine.state import GameState, TurnRecord
    from kazsim.scenario.compiled import CompiledScenario
    from kazsim.tui.config import GameConfig
    from kazsim.tui.saving import Saver


class GameView(Protocol):
    """What the screens read of a game (`kazsim.engine.Game` has all of it)."""

    scenario: CompiledScenario
    seed: int
    states: Sequence[GameState]
    records: Sequence[TurnRecord]

    @property
    def state(self) -> GameState: ...

    @property
    def over(self) -> bool: ...

    @property
    def turn(self) -> int: ...

    def statuses(self, role_id: str) -> list[ActionStatus]: ...

    def legal(self, role_id: str) -> list[str]: ...

    def outcomes(self) -> Any: ...


class Resolving(Protocol):
    """The screen, as a table sees it."""

    is_attached: bool

    def resolved(self, record: TurnRecord, note: str = "", failing: bool = False) -> None: ...


class Table(Protocol):
    """A game the play screen plays its seats of."""

    game: Any  # a GameView

    @property
    def saver(self) -> Saver | None:
        """The save of a game played here (a table on a host saves it there)."""

    @property
    def remote(self) -> bool:
        """Whether the other seats decide elsewhere (the turn may wait for them)."""

    def submit(self, screen: Any, decisions: dict[str, str], turn: int) -> None:
        """This screen's seats have decided `turn`; call `screen.resolved(record)` when
        the turn is resolved (on the app's thread)."""

    def waiting(self, deciding: Sequence[str]) -> str:
        """The line shown while the turn is being resolved elsewhere or by the AI."""

    def played_by(self) -> dict[str, str] | None:
        """Who played each seat, when the set-up does not say it (a table on a host)."""

    def closed(self) -> str:
        """Why no more turns will be played though the game has no ending ('' if not):
        the teacher ended the lesson at a table on a host."""

    def finished(self) -> Any:
        """The engine's whole game, for the debrief, once it is over (a table on a host
        plays it again here from the seed and decisions the host sends at the end)."""


class RemoteSeat(Protocol):
    """A seat at a table on a host, before it is open: `open` connects and gives the
    scenario, the seat's role and the table, or a problem in one line. Without a `code`
    the join screen asks for it: `look` gives the table's number, the scenario's title
    and its seats as (role, name, state: free, ai, taken or computer), or a problem."""

    url: str
    code: str | None
    role: str | None
    name: str

    async def look(self, code: str) -> tuple[int, str, list[tuple[str, str, str]]] | str: ...

    async def close(self) -> None:
        """The app is closing: stop the client, close its connection."""

    async def open(self, app: App[Any]) -> tuple[CompiledScenario, str, Table] | str: ...


def remote_config(scenario: CompiledScenario, role: str, name: str,
                  played_by: dict[str, str] | None = None) -> GameConfig:
    """The set-up of a seat at a table on a host: this seat is the one person here; the
    others decide elsewhere (while the game goes on, shown as the AI would be, since they
    are not played here; at the end `played_by` says who they were, for the debrief)."""
    from kazsim.tui.config import GameConfig
    from kazsim.tui.config import Seat as SeatConfig

    seats = []
    for r in scenario.role_ids:
        kind = (played_by or {}).get(r, "ai:easy")
        if r == role:
            seats.append(SeatConfig(r, True, name or ("you" if played_by else "")))
        elif kind == "person":
            seats.append(SeatConfig(r, True, "another player"))
        else:
            seats.append(SeatConfig(r, False, "", "hard" if kind == "ai:hard" else "easy"))
    return GameConfig(0, tuple(seats))


class LocalTable:
    """The game in this process: the AI decides in a worker, the engine resolves, saved."""

    remote = False

    def __init__(self, game: Any, config: GameConfig, saver: Saver | None) -> None:
        self.game = game
        self.config = config
        self.saver = saver

    def finished(self) -> Any:
        return self.game

    def waiting(self, deciding: Sequence[str]) -> str:
        return "The other sides are deciding…"

    def played_by(self) -> dict[str, str] | None:
        return None  # the set-up says it

    def closed(self) -> str:
        return ""

    def submit(self, screen: Any, decisions: dict[str, str], turn: int) -> None:
        screen.run_worker(lambda: self._decide(screen, dict(decisions), turn), thread=True,
                          exclusive=True, group="ai")

    def _decide(self, screen: Any, decisions: dict[str, str], turn: int) -> None:
        """The AI roles decide (the hard level looks ahead: off the UI thread)."""
        from textual.worker import get_current_worker

        game = self.game
        env = game.state.env(game.scenario.last_turn)
        for seat in self.config.seats:
            if not seat.human:
                decisions[seat.role] = game.ai_decision(seat.role, seat.level, env)
        if not get_current_worker().is_cancelled:
            screen.app.call_from_thread(self._play, screen, decisions, turn)

    def _play(self, screen: Resolving, decisions: dict[str, str], turn: int) -> None:
        game = self.game
        if game.over or game.turn != turn or not screen.is_attached:
            return  # a late answer from a worker that was replaced, or the game was left
        record = game.play(decisions)
        note, failing = "", False
        if self.saver is not None:
            note = self.saver.autosave(record)
            failing = self.saver.failing
        screen.resolved(record, note, failing)


Notify = Callable[[str], None]
