"""The hot-seat curtain: a blank screen between players, so nobody sees another's turn."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from kazsim.tui.screens.common import close
from kazsim.tui.widgets.title_bar import TitleBar


class CurtainScreen(Screen[None]):
    """"Pass the keyboard to NAME": shows nothing of the game until they are ready."""

    AUTO_FOCUS = ""  # Enter belongs to the screen: "show my turn"
    BINDINGS = [Binding("enter", "ready", "Show my turn", key_display="Enter")]

    def __init__(self, player: str, role_name: str, turn: int) -> None:
        super().__init__()
        self.player = player  # the player's name, or "" when none was given
        self.role_name = role_name
        self.turn = turn
        self.title = "Hot seat: next player"

    def compose(self) -> ComposeResult:
        who = self.player or f"the player of {self.role_name}"
        yield TitleBar()
        with Vertical(id="curtain"):
            yield Static(f"Turn {self.turn}", classes="curtain-turn")
            yield Static(f"Pass the keyboard to {who}", id="curtain-name")
            if self.player:
                yield Static(f"(playing {self.role_name})", classes="curtain-role")
            yield Static("Everyone else: please look away until they have chosen.",
                         classes="curtain-hint")
            with Center():
                yield Button("Show my turn (Enter)", id="ready", variant="primary")
        yield Footer()

    def action_ready(self) -> None:
        close(self, None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        close(self, None)
