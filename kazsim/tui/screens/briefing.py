"""A role's briefing: the situation, goals, what only this role knows, sources."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from kazsim.tui.render import briefing_text
from kazsim.tui.screens.common import close
from kazsim.tui.view import TurnView
from kazsim.tui.widgets.title_bar import TitleBar


class BriefingScreen(Screen[None]):
    """Read before the first turn (and any time with b); Enter goes on."""

    AUTO_FOCUS = "#briefing"

    BINDINGS = [
        Binding("enter,escape", "close", "Continue", key_display="Enter"),
    ]

    def __init__(self, view: TurnView, role: str, player: str) -> None:
        super().__init__()
        self.view = view
        self.role = role
        self.player = player
        name = view.role_name(role)
        # Titles are set before mounting: a screen closed mid-mount must not update them.
        self.title = f"Briefing: {name}"
        self.sub_title = player if player != name else ""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="briefing", classes="page"):
            yield Static(briefing_text(self.view, self.role))
        yield Footer()

    def action_close(self) -> None:
        close(self, None)
