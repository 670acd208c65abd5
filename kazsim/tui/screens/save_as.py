"""Save under a name: a box with one field; asks before replacing another save."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from kazsim.tui import saving
from kazsim.tui.saving import Saver
from kazsim.tui.screens.common import close


class SaveAsScreen(ModalScreen[bool]):
    """Type a name, Enter saves; later autosaves go to the same file."""

    AUTO_FOCUS = "#save-name"

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, saver: Saver) -> None:
        super().__init__(classes="dialog-screen")
        self.saver = saver

    def compose(self) -> ComposeResult:
        current = self.saver.session.name or ""
        with Vertical(classes="dialog"):
            yield Static("Save this game under a name", classes="dialog-title")
            where = saving.shown(self.saver.path) if self.saver.path else ""
            yield Static(Text(f"Now saved in {where} (after every turn)."),
                         classes="dialog-body")
            yield Input(current, placeholder="e.g. monday class, group 2", max_length=80,
                        id="save-name")
            yield Static(id="save-problem", classes="problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (Enter)", id="save", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")
        yield Footer()

    def action_cancel(self) -> None:
        close(self, False)

    @on(Button.Pressed, "#cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        close(self, False)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def _save(self, event: Button.Pressed | Input.Submitted) -> None:
        event.stop()
        name = self.query_one("#save-name", Input).value.strip()
        if not name:
            self.query_one("#save-problem", Static).update("Type a name first.")
            return
        if self.saver.name_taken(name):
            from kazsim.tui.screens.confirm import ConfirmScreen

            self.app.push_screen(
                ConfirmScreen("Replace the other save?",
                              f"A save called '{name}' already exists. Replace it with "
                              "this game?", yes="Replace", no="Back"),
                lambda yes: self._write(name, overwrite=True) if yes else None)
            return
        self._write(name, overwrite=False)

    def _write(self, name: str, *, overwrite: bool) -> None:
        saved, message = self.saver.save_as(name, overwrite=overwrite)
        if not saved:
            self.query_one("#save-problem", Static).update(message)
            return
        self.notify(message)
        close(self, True)
