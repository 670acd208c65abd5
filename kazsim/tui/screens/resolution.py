"""What happened this turn: every decision, the news, each visible change; why on demand."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Static

from kazsim.engine.state import TurnRecord
from kazsim.tui.render import turn_text
from kazsim.tui.screens.common import close
from kazsim.tui.view import TurnView
from kazsim.tui.widgets.title_bar import TitleBar


class ResolutionScreen(Screen[None]):
    """One turn told as a short story; w shows why each indicator moved."""

    AUTO_FOCUS = "#resolution"

    BINDINGS = [
        Binding("enter,space", "close", "Continue", key_display="Enter"),
        Binding("w", "toggle_why", "Why?"),
    ]

    why: reactive[bool] = reactive(False)

    def __init__(self, view: TurnView, record: TurnRecord, *, closing: str = "Continue") -> None:
        super().__init__()
        self.view = view
        self.record = record
        self.closing = closing
        self.title = f"Turn {record.turn}: what happened"
        self.sub_title = view.date(record.turn)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="resolution", classes="page"):
            yield Static(id="resolution-text")
            yield Static(id="resolution-next", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.watch_why(self.why)

    def watch_why(self, why: bool) -> None:
        if not self.query("#resolution-text"):
            return
        self.query_one("#resolution-text", Static).update(turn_text(self.view, self.record,
                                                                    why=why))
        ending = "The crisis has ended. " if self.record.ending else ""
        self.query_one("#resolution-next", Static).update(
            f"{ending}Press Enter: {self.closing.lower()}.")

    def action_toggle_why(self) -> None:
        self.why = not self.why

    def action_close(self) -> None:
        close(self, None)
