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
from kazsim.tui.widgets.more import MoreBelow, read_on
from kazsim.tui.widgets.title_bar import TitleBar


class BriefingScreen(Screen[None]):
    """Read before the first turn (and any time with b); Enter reads on, then goes on."""

    AUTO_FOCUS = "#briefing"

    BINDINGS = [
        Binding("enter", "read_on", "Continue", key_display="Enter"),
        Binding("escape", "close", "Skip to the game", key_display="Esc"),
    ]

    def __init__(self, view: TurnView, role: str, player: str) -> None:
        super().__init__()
        self.view = view
        self.role = role
        self.player = player
        name = view.role_name(role)
        # Titles are set before mounting: a screen closed mid-mount must not update them.
        self.title = f"Briefing: {view.role_heading(role)}"
        self.sub_title = player if player != name else ""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="briefing", classes="page"):
            yield Static(briefing_text(self.view, self.role))
        yield MoreBelow("briefing")
        yield Footer()

    def action_read_on(self) -> None:
        """Enter: the next screenful while there is one (the secrets come late), then on."""
        if not read_on(self.query_one("#briefing", VerticalScroll)):
            self.action_close()

    def action_close(self) -> None:
        close(self, None)
