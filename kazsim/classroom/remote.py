"""A seat at a table on a host, as the terminal game plays it (`kazsim join URL CODE`).

`RemoteSeat.open(app)` connects (in the app's own event loop), takes the seat and
waits for the first view; it returns the scenario (this computer's copy, with
the host's content hash), the seat's role and a
`RemoteTable`, which the play screen drives like a local game
(`kazsim.tui.table.Table`): the decision goes to the host, the screen says who
it is waiting for, and the turn is shown when the host has resolved it.

`RemoteGame` mirrors the engine's `Game` from the views: only what the seat may
see, until the debrief, when the host sends the whole story.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any

from kazsim.classroom.client import JoinRefused, SeatClient, load_scenario, look
from kazsim.engine import (
    ActionStatus,
    Change,
    Contribution,
    Game,
    GameState,
    NewsItem,
    RoleOutcome,
)
from kazsim.engine.draws import SCHEME, SCHEMES
from kazsim.engine.state import EndingText, Secret, TurnRecord
from kazsim.scenario.compiled import CompiledScenario


def _state(data: dict[str, Any], counts: dict[str, int], last: dict[str, int],
           previous: dict[str, str]) -> GameState:
    return GameState(turn=int(data["turn"]), values=dict(data["values"]), counts=counts,
                     last_chosen=last, previous=previous, ending=data["ending"])


def _record(data: dict[str, Any], role: str) -> TurnRecord:
    outcome = data["outcome"]
    news = tuple(NewsItem(*item) for item in data["news"])
    return TurnRecord(
        turn=int(data["turn"]), decisions=dict(data["decisions"]),
        outcomes={role: int(outcome)} if outcome is not None else {}, rules=(),
        events=tuple(n.source for n in news if n.kind == "event"), news=news,
        contributions=tuple(Contribution(*c) for c in data["contributions"]),
        changes=tuple(Change(*c) for c in data["changes"]), ending=data["ending"],
        revealed=tuple(Secret(int(t), str(r), str(a)) for t, r, a in data.get("revealed", [])))


def _named(name: str) -> str:
    """A role's name inside a sentence: "The Kremlin" -> "the Kremlin"."""
    return "the " + name[4:] if name.startswith("The ") else name


class RemoteGame:
    """The engine's `Game`, read only, as one seat's views show it."""

    def __init__(self, scenario: CompiledScenario, role: str) -> None:
        self.scenario = scenario
        self.role = role
        self.seed = 0
        self.states: list[GameState] = []
        self.records: list[TurnRecord] = []
        self.view: dict[str, Any] = {}
        # Once the game is over the host sends the seed and every decision: the whole game
        # is then played again here, so the debrief (the ending's texts as chosen, the
        # timeline, the odds) reads the same engine game as a local one.
        self.whole: Game | None = None

    def update(self, view: dict[str, Any]) -> None:
        self.view = view
        limit = view.get("turn_limit")  # the lesson's length at this table, as the host says
        if limit != self.scenario.turn_limit and (limit is None or (
                isinstance(limit, int) and not isinstance(limit, bool) and limit >= 1)):
            self.scenario = self.scenario.shortened(limit)
        records = [_record(r, self.role) for r in view["records"]]
        previous = dict(records[-1].decisions) if records else {}
        states = [_state(s, {}, {}, {}) for s in view["states"][:-1]]
        states.append(_state(view["states"][-1], dict(view["counts"]),
                             dict(view["last_chosen"]), previous))
        self.states, self.records = states, records
        if view["seed"] is not None:
            self.seed = int(view["seed"])
        if self.over and view["seed"] is not None and self.whole is None:
            scheme = view.get("draws")
            whole = Game(self.scenario, self.seed, turns=self.turn_limit,
                         scheme=scheme if scheme in SCHEMES else SCHEME)
            for record in records:
                if whole.over:
                    break
                whole.play(record.decisions)
            shown = self.state.values  # what this seat saw: the game played here must agree
            if whole.over and all(whole.state.values.get(k) == v for k, v in shown.items()):
                self.whole = whole
                self.states, self.records = list(whole.states), list(whole.records)

    @property
    def turn_limit(self) -> int | None:
        return self.scenario.turn_limit

    @property
    def last_turn(self) -> int:
        return self.scenario.last_turn

    @property
    def ending_text(self) -> EndingText:
        if self.whole is None:
            raise ValueError("the game is not over yet")
        return self.whole.ending_text

    def briefing(self, role_id: str) -> tuple[str, list[str]]:
        from kazsim.engine.game import briefing

        return briefing(self.scenario, self.state, role_id)

    def leader(self, role_id: str) -> str:
        """Who leads a role now (`engine.game.leader`); at the end, in the whole game."""
        from kazsim.engine.game import leader

        state = self.whole.state if self.whole is not None else self.state
        return leader(self.scenario, state, role_id)

    @property
    def state(self) -> GameState:
        return self.states[-1]

    @property
    def over(self) -> bool:
        return bool(self.view.get("over"))

    @property
    def turn(self) -> int:
        return self.state.turn

    def statuses(self, role_id: str) -> list[ActionStatus]:
        if role_id != self.role:
            return []
        by_id = self.scenario.role(role_id).by_id
        return [ActionStatus(by_id[s["action"]], bool(s["available"]), str(s["reason"]))
                for s in self.view["statuses"] if s["action"] in by_id]

    def legal(self, role_id: str) -> list[str]:
        return [s.action.id for s in self.statuses(role_id) if s.available]

    def outcomes(self) -> list[RoleOutcome]:
        ending_id = self.state.ending
        if ending_id is None or not self.view.get("outcomes"):
            raise ValueError("the game is not over yet")
        scores = self.view["outcomes"]
        ended = self.ending_text
        return [RoleOutcome(r, ended.roles[r], float(scores[r]["score"]))
                for r in self.scenario.role_ids]


class RemoteTable:
    """A seat's game on a host, behind the play screen's `Table` interface."""

    remote = True
    saver = None

    def __init__(self, client: SeatClient, game: RemoteGame) -> None:
        self.client = client
        self.game = game
        self.screen: Any = None
        self.awaiting: int | None = None  # the turn this seat decided and waits on
        self.paused = False
        self.person = True

    def waiting(self, deciding: Sequence[str]) -> str:
        """"Waiting for the Kremlin…": the seats people play at the host (the AI decides
        for the others when they are in)."""
        scenario = self.game.scenario
        people = [_named(scenario.role(r).model.name) for r in self.game.view.get("people", [])
                  if r not in deciding]
        if people:
            names = ", ".join(people[:-1]) + (" and " if len(people) > 1 else "") + people[-1]
        else:
            names = "the host"
        paused = " (the teacher has paused this table)" if self.paused else ""
        return f"Waiting for {names}…{paused}"

    def played_by(self) -> dict[str, str] | None:
        """Who played each seat ("person", "ai:easy"...), once the host has said (at the end)."""
        players = self.game.view.get("players")
        return dict(players) if players else None

    def finished(self) -> Any:
        return self.game.whole if self.game.whole is not None else self.game

    def closed(self) -> str:
        view = self.game.view
        if view.get("stopped") and not view.get("over"):
            return (f"The teacher ended the lesson after turn {len(view['records'])}. "
                    "Ctrl+Q to quit.")
        return ""

    def submit(self, screen: Any, decisions: dict[str, str], turn: int) -> None:
        self.screen = screen
        self.awaiting = turn
        self.client.decide(turn, decisions[self.game.role])

    def on_view(self, view: dict[str, Any]) -> None:
        """A new view from the host (in the app's loop)."""
        before = len(self.game.records)
        self.game.update(view)
        screen = self.screen
        if screen is None or not screen.is_attached:
            return
        if view["paused"] != self.paused:
            self.paused = bool(view["paused"])
            screen.notify("The teacher has paused this table." if self.paused
                          else "The teacher has resumed this table.")
        if view["person"] != self.person:
            self.person = bool(view["person"])
            if not self.person:
                screen.notify("The teacher gave this seat to the AI.", severity="warning",
                              timeout=15)
        if len(self.game.records) > before:
            self.awaiting = None
            screen.resolved(self.game.records[-1])
        elif self.closed():
            screen.advance()  # the lesson ended between turns
        elif self.awaiting is not None and screen.view is not None and screen.view.hidden:
            screen.view = screen.make_view(waiting=self.waiting((self.game.role,)))


class RemoteSeat:
    """`kazsim join URL CODE [--role ROLE]`: the seat to open in the terminal game.

    Without a code (`kazsim join URL`, and every browser tab of `kazsim host --web`) the
    game opens on the join screen, which asks for it, `look`s at the table's seats and
    sets `code`, `role` and `name` before opening."""

    def __init__(self, url: str, code: str | None, *, role: str | None = None, name: str = "",
                 scenario_file: str | None = None) -> None:
        self.url, self.code, self.role, self.name = url, code, role, name
        self.scenario_file = scenario_file
        self.table: RemoteTable | None = None
        self.task: asyncio.Task[Any] | None = None

    async def close(self) -> None:
        """Leave the host: the client stops (the app is closing), its connection with it."""
        task, self.task = self.task, None
        if task is None or task.done():
            return
        task.cancel()
        with contextlib.suppress(BaseException):
            await task

    async def look(self, code: str) -> tuple[int, str, list[tuple[str, str, str]]] | str:
        """The table with this code: (its number, the scenario's title, its seats as
        (role, name, state)), or a problem in one line."""
        try:
            seats = await look(self.url, code)
            shown = [(str(s["role"]), str(s["name"]), str(s["state"])) for s in seats["seats"]]
            return int(seats["table"]), str(seats["scenario"]["title"]), shown
        except JoinRefused as exc:
            return str(exc)
        except Exception as exc:  # an address that does not answer, a bad URL
            return f"cannot reach the host at {self.url}: {exc}"

    async def open(self, app: Any) -> tuple[CompiledScenario, str, RemoteTable] | str:
        if self.code is None:
            return "no join code"
        first: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()

        def on_view(client: SeatClient, view: dict[str, Any]) -> None:
            if not first.done():
                first.set_result(view)
            elif self.table is not None:
                self.table.on_view(view)

        def on_note(text: str) -> None:
            app.notify(text, severity="warning", timeout=8)

        def on_nudge(text: str) -> None:  # the teacher's reminder: a gentle line, a while
            app.notify(text, title="Your teacher", timeout=20)

        client = SeatClient(self.url, self.code, role=self.role, name=self.name,
                            on_view=on_view, on_note=on_note, on_nudge=on_nudge)
        self.task = asyncio.get_running_loop().create_task(client.run())

        def ended(task: asyncio.Task[Any]) -> None:
            if task.cancelled():
                return
            problem = task.exception()
            if problem is not None and not first.done():
                first.set_exception(problem)
            elif isinstance(problem, JoinRefused):
                app.notify(str(problem), severity="error", timeout=30)

        self.task.add_done_callback(ended)
        try:
            view = await first
        except JoinRefused as exc:
            return str(exc)
        except Exception as exc:  # an address that does not answer, a bad URL
            return f"cannot join {self.url}: {exc}"
        assert client.welcome is not None
        try:
            scenario = load_scenario(client.welcome["scenario"], self.scenario_file)
        except JoinRefused as exc:
            self.task.cancel()
            return str(exc)
        role = str(view["role"])
        game = RemoteGame(scenario, role)
        game.update(view)
        self.table = RemoteTable(client, game)
        return scenario, role, self.table
