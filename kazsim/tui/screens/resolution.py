"""What happened this turn: every decision, the news, each visible change; why on demand."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Static

from kazsim.engine.state import TurnRecord
from kazsim.tui.render import changes_text, story_text
from kazsim.tui.screens.common import close
from kazsim.tui.view import TurnView
from kazsim.tui.widgets.more import MoreBelow, read_on
from kazsim.tui.widgets.title_bar import TitleBar


class ResolutionScreen(Screen[None]):
    """One turn told as a short story; w shows why each indicator moved."""

    AUTO_FOCUS = "#resolution"

    BINDINGS = [
        Binding("enter,space", "read_on", "Continue", key_display="Enter"),
        Binding("w", "toggle_why", "Why?"),
        Binding("escape", "close", "Skip", show=False),
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
            yield Static(story_text(self.view, self.record), id="resolution-story")
            yield Static(id="resolution-changes")
            yield Static(id="resolution-next", classes="hint")
        yield MoreBelow("resolution")
        yield Footer()

    def on_mount(self) -> None:
        self.watch_why(self.why)

    def watch_why(self, why: bool) -> None:
        if not self.query("#resolution-changes"):
            return
        changes = self.query_one("#resolution-changes", Static)
        changes.update(changes_text(self.view, self.record, why=why))
        if why:  # the reasons are below the story: bring them into view
            self.call_after_refresh(self.query_one("#resolution", VerticalScroll).scroll_to_widget,
                                    changes, animate=False, top=True)
        ending = "The crisis has ended. " if self.record.ending else ""
        self.query_one("#resolution-next", Static).update(
            f"{ending}Press Enter: {self.closing.lower()}.")

    def action_read_on(self) -> None:
        """Enter: the next screenful while there is one, then on."""
        if not read_on(self.query_one("#resolution", VerticalScroll)):
            self.action_close()

    def action_toggle_why(self) -> None:
        self.why = not self.why

    def action_close(self) -> None:
        close(self, None)
