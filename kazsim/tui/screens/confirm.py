"""A yes/no question in a box over the current screen (decisions, quitting)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from kazsim.tui.screens.common import close


class ConfirmScreen(ModalScreen[bool]):
    """Ask once; dismissed with True (yes) or False (no, Escape)."""

    AUTO_FOCUS = "#yes"

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No / back"),
    ]

    def __init__(self, title: str, body: str | Text, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__(classes="dialog-screen")
        self.question = title
        self.body = body
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-title")
            yield Static(self.body, classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes_label} (y)", id="yes", variant="primary")
                yield Button(f"{self.no_label} (n)", id="no")
        yield Footer()

    def action_answer(self, answer: bool) -> None:
        close(self, answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        close(self, event.button.id == "yes")


class QuitScreen(ConfirmScreen):
    """The quit confirmation (Ctrl+Q again quits at once)."""

    def __init__(self, note: str) -> None:
        super().__init__("Quit kazsim?", note, yes="Quit", no="Stay")
