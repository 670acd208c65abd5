"""A message in a box with one button: problems loading a scenario or a save."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from kazsim.tui.screens.common import close


class MessageScreen(ModalScreen[None]):
    """Read, then Enter or Esc."""

    AUTO_FOCUS = "#ok"

    BINDINGS = [Binding("escape,enter", "close", "OK", key_display="Enter")]

    def __init__(self, title: str, body: str) -> None:
        super().__init__(classes="dialog-screen")
        self.heading = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(self.heading, classes="dialog-title")
            with VerticalScroll(classes="dialog-scroll"):
                yield Static(self.body, markup=False)
            yield Button("OK (Enter)", id="ok", variant="primary")
        yield Footer()

    def action_close(self) -> None:
        close(self, None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        close(self, None)
