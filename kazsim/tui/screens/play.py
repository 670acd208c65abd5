"""The turn screen and the turn's flow: curtain, briefing, decision, AI, resolution.

`PlayScreen` plays a `Table` (kazsim.tui.table: the game in this process, or a
seat at a table on a host) and publishes what may be shown in
one reactive, `view`, bound into its widgets. A turn goes: for each human in
role order, the hot-seat curtain (with several humans), the briefing (first
time), the decision; then the AI roles decide in a worker thread, the engine
resolves, the turn is saved, and the resolution is shown. The screen never
computes a rule: statuses, records and outcomes all come from the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Static

from kazsim.engine.game import Game
from kazsim.tui.config import GameConfig
from kazsim.tui.messages import MakeDecision, ShowWhy, TurnResolved
from kazsim.tui.screens.common import titled
from kazsim.tui.table import LocalTable, Table
from kazsim.tui.view import TurnView
from kazsim.tui.widgets.actions import ActionPicker
from kazsim.tui.widgets.indicators import IndicatorPanel
from kazsim.tui.widgets.news import NewsFeed
from kazsim.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from kazsim.engine.state import TurnRecord
    from kazsim.scenario.compiled import CompiledScenario
    from kazsim.tui.saving import Saver


class PlayScreen(Screen[None]):
    """A game in progress."""

    BINDINGS = [
        Binding("tab", "app.focus_next", "Panel", key_display="tab"),
        Binding("i", "focus_panel('indicators')", "Indicators", show=False),
        Binding("a", "focus_panel('action-list')", "Actions", show=False),
        Binding("n", "focus_panel('news')", "News", show=False),
        Binding("b", "briefing", "Briefing"),
        Binding("r", "last_turn", "Last turn"),
        Binding("s", "save", "Save"),
        Binding("g", "reference", "Glossary"),  # and the map (kazsim.tui.screens.reference)
    ]

    view: reactive[TurnView | None] = reactive(None)

    def __init__(self, scenario: CompiledScenario, config: GameConfig, *,
                 saver: Saver | None = None, table: Table | None = None) -> None:
        super().__init__()
        self.config = config
        if table is None:
            game = (saver.game if saver is not None
                    else Game(scenario, config.seed, turns=config.turns))
            table = LocalTable(game, config, saver)
        self.table: Table = table  # in this process, or a seat at a table on a host
        self.saver = table.saver
        self.game = table.game
        self.scenario = self.game.scenario  # a lesson's: its last turn is the lesson's
        self.pending: dict[str, str] = {}  # this turn's decisions so far (kept hidden)
        self.held: TurnRecord | None = None  # a resolved turn waiting for this screen
        self.briefed: set[str] = set()
        # The content warning is said once, before a game's first turn (not on resuming).
        self.warned = bool(self.game.records) or not scenario.reference.content_warning
        self.unveiled: set[str] = set()  # roles whose curtain was lifted this turn
        self.title = scenario.model.title

    # --- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="status")
        with Horizontal(id="columns"):
            with Vertical(id="left"):
                yield titled(IndicatorPanel(id="indicators"), "Indicators (Enter: why)"
                             ).data_bind(PlayScreen.view)
            with Vertical(id="right"):
                yield titled(ActionPicker(id="actions"), "Your actions (Enter: choose)"
                             ).data_bind(PlayScreen.view)
        yield titled(NewsFeed(id="news"), "News").data_bind(PlayScreen.view)
        yield Static(id="waiting")
        yield Footer(compact=True)  # every key of a turn fits in 80 columns

    def on_mount(self) -> None:
        self.advance()
        if self.saver is not None:
            self.call_after_refresh(self.begin_saving)

    def begin_saving(self) -> None:
        """Create a new game's save file, once its first screen is up (see tui.saving)."""
        if self.saver is not None and (problem := self.saver.begin()):
            self.saver = None
            self.notify(problem, severity="warning", timeout=10)

    def on_resize(self) -> None:
        self.set_class(self.size.height < 32, "-short")

    def watch_view(self, view: TurnView | None) -> None:
        if view is None:
            return
        hidden = view.hidden
        self.set_class(hidden, "-waiting")
        lesson = " (lesson)" if view.scenario.turn_limit is not None else ""
        status = f"Turn {view.turn} of {view.last_turn}{lesson} · {view.date()}"
        if view.deciding is not None:
            seat = self.config.seat(view.deciding)
            name = view.role_name(view.deciding)
            player = f" ({seat.name})" if seat.name and seat.name != name else ""
            status += f" · Playing: {view.role_heading(view.deciding)}{player}"
        self.query_one("#status", Static).update(status)
        self.query_one("#waiting", Static).update(view.waiting_text)
        if not hidden and view.deciding is not None:
            self.query_one("#action-list").focus()

    # --- the flow of a turn -------------------------------------------------------------

    def make_view(self, deciding: str | None = None, *, waiting: str = "") -> TurnView:
        game = self.game
        viewers = (deciding,) if deciding else self.config.humans
        statuses = tuple(game.statuses(deciding)) if deciding and not game.over else ()
        return TurnView(self.scenario, viewers, tuple(game.states), tuple(game.records),
                        statuses, deciding, hidden=bool(waiting), waiting_text=waiting)

    def next_human(self) -> str | None:
        return next((r for r in self.config.humans if r not in self.pending), None)

    def advance(self) -> None:
        """Show whatever comes next: a curtain, a briefing, a decision, or the AI's turn."""
        if self.game.over:
            self.finish()
            return
        if closed := self.table.closed():
            self.view = self.make_view(waiting=closed)
            return
        if not self.warned and self.config.humans:
            from kazsim.tui.screens.reference import WarningScreen

            self.view = self.make_view(waiting="Before you play…")
            self.app.push_screen(WarningScreen(self.scenario), lambda _: self._warned())
            return
        role = self.next_human()
        if role is None:
            self.view = self.make_view(waiting=self.table.waiting(self.config.humans))
            self.table.submit(self, dict(self.pending), self.game.turn)
            return
        seat = self.config.seat(role)
        name = self.scenario.role(role).model.name
        if self.config.hot_seat and role not in self.unveiled:
            from kazsim.tui.screens.curtain import CurtainScreen

            self.view = self.make_view(waiting=f"Waiting for {seat.label(name)}…")
            self.app.push_screen(CurtainScreen(seat.name, name, self.game.turn),
                                 lambda _: self._then(self.unveiled, role))
            return
        if role not in self.briefed:
            from kazsim.tui.screens.briefing import BriefingScreen

            self.view = self.make_view(waiting=f"{seat.label(name)} is reading the briefing…")
            self.app.push_screen(BriefingScreen(self.make_view(role), role, seat.label(name)),
                                 lambda _: self._then(self.briefed, role))
            return
        self.view = self.make_view(role)

    def _warned(self) -> None:
        self.warned = True
        self.advance()

    def _then(self, done: set[str], role: str) -> None:
        done.add(role)
        self.advance()

    @on(MakeDecision)
    def _decided(self, message: MakeDecision) -> None:
        message.stop()
        view = self.view
        if view is None or view.hidden or view.deciding != message.role:
            return  # a stale confirmation (the turn moved on meanwhile)
        if message.action not in self.game.legal(message.role):
            self.notify("That action is not available now.", severity="error")
            return
        self.pending[message.role] = message.action
        self.advance()

    def resolved(self, record: TurnRecord, note: str = "", failing: bool = False) -> None:
        """The table resolved the turn (`note`: what the autosave has to say, if anything)."""
        self.pending.clear()
        self.unveiled.clear()
        if note:
            self.notify(note, severity="error" if failing else "information", timeout=10)
        self.post_message(TurnResolved(record))

    @on(TurnResolved)
    def _resolved(self, message: TurnResolved) -> None:
        from kazsim.tui.screens.resolution import ResolutionScreen

        if not self.is_current:
            # Another screen is on top (the command palette, help, a "why"): the turn's
            # story waits for it to close, so nothing is pushed over or under it.
            self.held = message.record
            return
        closing = "see the ending" if self.game.over else "next turn"
        self.view = self.make_view(waiting="Turn resolved.")
        self.app.push_screen(ResolutionScreen(self.make_view(), message.record, closing=closing),
                             lambda _: self.advance())

    def on_screen_resume(self) -> None:
        held, self.held = self.held, None
        if held is not None:  # a turn resolved while another screen was on top
            self.post_message(TurnResolved(held))

    def finish(self) -> None:
        from kazsim.tui.screens.debrief import DebriefScreen

        config = self.config
        played_by = self.table.played_by()
        if played_by is not None:  # a table on a host: the seats others played there
            from kazsim.tui.table import remote_config

            mine = self.config.humans[0]
            config = remote_config(self.scenario, mine, self.config.seat(mine).name, played_by)
        self.app.switch_screen(DebriefScreen(config, self.table.finished(), self.saver))

    # --- keys ---------------------------------------------------------------------------

    def deciding(self) -> str | None:
        view = self.view
        return None if view is None or view.hidden else view.deciding

    def action_focus_panel(self, panel: str) -> None:
        if self.deciding() is not None:
            self.query_one(f"#{panel}").focus()

    def action_briefing(self) -> None:
        role = self.deciding()
        if role is None:
            return
        from kazsim.tui.screens.briefing import BriefingScreen

        name = self.scenario.role(role).model.name
        self.app.push_screen(BriefingScreen(self.make_view(role), role,
                                            self.config.seat(role).label(name)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The glossary key is in the footer only for a scenario with a glossary or map."""
        if action == "reference":
            return bool(self.scenario.reference)
        return True

    def action_reference(self) -> None:
        if self.scenario.reference:
            from kazsim.tui.screens.reference import ReferenceScreen

            self.app.push_screen(ReferenceScreen(self.scenario))

    def action_last_turn(self) -> None:
        role = self.deciding()
        if role is None:
            return
        if not self.game.records:
            self.notify("Nothing has happened yet: this is the first turn.")
            return
        from kazsim.tui.screens.resolution import ResolutionScreen

        view = self.make_view(role)
        self.app.push_screen(ResolutionScreen(view, self.game.records[-1], closing="Back"))

    def action_save(self) -> None:
        self.begin_saving()  # normally done already, just after the first screen
        if self.saver is None:
            self.notify("This game is not being saved (the save folder could not be used).",
                        severity="warning")
            return
        from kazsim.tui.screens.save_as import SaveAsScreen

        self.app.push_screen(SaveAsScreen(self.saver))

    @on(ShowWhy)
    def _why(self, message: ShowWhy) -> None:
        message.stop()
        role = self.deciding()
        if role is None:
            return
        from kazsim.tui.screens.why import WhyScreen

        self.app.push_screen(WhyScreen(self.make_view(role), message.target))
