"""The replay viewer: step through a saved game turn by turn, as the narrator sees it.

At each step: every role's decision, the events and the changes of that turn
(why on demand), every indicator as it stood then with its trend, a chart of
the highlighted indicator up to that point, and the chance of each ending from
there on (worked out once, in a worker, when the viewer opens: `widgets.odds`),
with the turning point's sentence at a turning point.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static

from kazsim.engine.game import Game
from kazsim.engine.odds import RUNS, Decided
from kazsim.story import odds_line, turning_point_lines
from kazsim.tui.config import GameConfig
from kazsim.tui.doc import Doc
from kazsim.tui.messages import ShowWhy
from kazsim.tui.render import turn_doc
from kazsim.tui.screens.common import close, titled
from kazsim.tui.view import TurnView
from kazsim.tui.widgets.chart import Chart
from kazsim.tui.widgets.indicators import IndicatorPanel
from kazsim.tui.widgets.odds import start_decided
from kazsim.tui.widgets.title_bar import TitleBar


def start_text(view: TurnView, config: GameConfig) -> Group:
    scenario = view.scenario
    doc = Doc().heading("Before the first turn").para(scenario.model.summary)
    doc.heading("Who played")
    for seat in config.seats:
        name = scenario.role(seat.role).model.name
        who = (seat.name or "a player") if seat.human else f"the computer ({seat.level})"
        doc.bullet(f"{name}: {who}")
    doc.blank().para(f"Seed {config.seed}. Press → to step through the turns.", style="italic")
    return doc.render()


class ReplayScreen(Screen[None]):
    """← → step, Home/End jump, w why, Enter on an indicator: its history."""

    AUTO_FOCUS = "#indicators"

    BINDINGS = [
        Binding("left,p", "step(-1)", "Back", key_display="←"),
        Binding("right,n", "step(1)", "Next", key_display="→"),
        Binding("home", "jump(0)", "Start", show=False),
        Binding("end", "jump(-1)", "End", show=False),
        Binding("w", "toggle_why", "Why?"),
        Binding("escape", "back", "Close"),
    ]

    view: reactive[TurnView | None] = reactive(None)
    position: reactive[int] = reactive(0)
    why: reactive[bool] = reactive(False)

    def __init__(self, game: Game, config: GameConfig, name: str) -> None:
        super().__init__()
        self.game = game
        self.config = config
        self.save_name = name
        self.title = f"Replay: {name}"
        self.decided: Decided | None = None
        self.odds_progress = ""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="status")
        yield Static(id="replay-odds")
        with Horizontal(id="columns"):
            with Vertical(id="left"):
                yield titled(IndicatorPanel(id="indicators"), "Indicators (Enter: why)"
                             ).data_bind(ReplayScreen.view)
            with Vertical(id="right"):
                with titled(VerticalScroll(id="replay-story"), "The turn"):
                    yield Static(id="replay-text")
                yield Chart(height=4, columns=len(self.game.states), id="replay-chart")
        yield Footer()

    def on_mount(self) -> None:
        start_decided(self, self.game, RUNS, self._odds_progress, self._odds_done)
        self.show()

    def _odds_progress(self, done: int, total: int) -> None:
        self.odds_progress = f" {100 * done // total}%" if total else ""
        self.show_odds()

    def _odds_done(self, decided: Decided) -> None:
        self.decided = decided
        self.show()

    def turning_point(self, p: int) -> Text | None:
        """At a turning point, its sentence (shown at the top of the turn)."""
        for point in self.decided.turning_points if self.decided else ():
            if point.turn == p:
                line = turning_point_lines(self.game.scenario, [point], self.game.records)[0]
                return Text.assemble(("★ A turning point. ", "bold"), line)
        return None

    def show_odds(self) -> None:
        """The chance of each ending from this step on."""
        if not self.query("#replay-odds"):
            return
        decided, p = self.decided, self.position
        if decided is None:
            text = Text(f"Chances from here: working them out…{self.odds_progress}", "dim")
        elif decided.odds.points[p].runs == 0:
            ending = self.game.scenario.ending(self.game.states[p].ending or "").title
            text = Text(f"The game ended here: {ending}.", "bold")
        else:
            text = Text("Chances from here: ", "bold")
            text.append(odds_line(self.game.scenario, decided.odds, p))
            if self.turning_point(p) is not None:
                text.append("  ★ a turning point", "bold")
        self.query_one("#replay-odds", Static).update(text)

    @property
    def last(self) -> int:
        return len(self.game.records)

    def show(self) -> None:
        if not self.query("#replay-text"):
            return  # not composed yet, or already closed
        game, p = self.game, self.position
        self.view = TurnView(game.scenario, (), tuple(game.states[: p + 1]),
                             tuple(game.records[:p]))
        view = self.view
        if p == 0:
            status = f"The start · {view.date(1)}"
            body = start_text(view, self.config)
        else:
            record = game.records[p - 1]
            status = f"Turn {record.turn} of {self.last} · {view.date(record.turn)}"
            turning = self.turning_point(p)
            doc = turn_doc(view, record, why=self.why,
                           doc=Doc().para(turning).blank() if turning else None)
            if record.ending:
                title = game.scenario.ending(record.ending).title
                doc.blank().para(Text(f"The game ended: {title}.", "bold"))
            body = doc.render()
        self.query_one("#status", Static).update(f"{status}   (← → to step, {p}/{self.last})")
        self.query_one("#replay-text", Static).update(body)
        self.show_odds()
        self.update_chart()

    def update_chart(self) -> None:
        view = self.view
        if view is None:
            return
        index = self.query_one("#indicators", IndicatorPanel).highlighted_option
        target = index.id if index is not None else None
        lines = view.indicators()
        line = next((i for i in lines if i.id == target), lines[0] if lines else None)
        chart = self.query_one("#replay-chart", Chart)
        chart.line = line
        chart.border_title = line.label if line else ""

    def watch_position(self) -> None:
        if self.query("#replay-text"):
            self.show()

    def watch_why(self) -> None:
        if self.query("#replay-text"):
            self.show()

    def action_step(self, delta: int) -> None:
        self.position = max(0, min(self.last, self.position + delta))

    def action_jump(self, where: int) -> None:
        self.position = self.last if where < 0 else where

    def action_toggle_why(self) -> None:
        self.why = not self.why

    def action_back(self) -> None:
        close(self, None)

    @on(OptionList.OptionHighlighted, "#indicators")
    def _highlighted(self) -> None:
        self.update_chart()

    @on(ShowWhy)
    def _why(self, message: ShowWhy) -> None:
        message.stop()
        if self.view is not None:
            from kazsim.tui.screens.why import WhyScreen

            self.app.push_screen(WhyScreen(self.view, message.target))
