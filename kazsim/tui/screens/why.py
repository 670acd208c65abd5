"""An indicator's or flag's history: a chart, and every turn's reasons for moving."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from kazsim.story import label_of
from kazsim.tui.render import about_text, why_text
from kazsim.tui.screens.common import close
from kazsim.tui.view import TurnView
from kazsim.tui.widgets.chart import Chart
from kazsim.tui.widgets.more import MORE_SCROLL, MoreBelow


class WhyScreen(ModalScreen[None]):
    """Shown when a player picks an indicator: why it stands where it does."""

    AUTO_FOCUS = "#why-body"

    BINDINGS = [Binding("escape,enter,w", "close", "Close", key_display="Esc")]

    def __init__(self, view: TurnView, target: str) -> None:
        super().__init__(classes="dialog-screen")
        self.view = view
        self.target = target

    def compose(self) -> ComposeResult:
        line = next((i for i in self.view.indicators() if i.id == self.target), None)
        with Vertical(classes="dialog wide"):
            yield Static(Text(label_of(self.view.scenario, self.target), "bold"),
                         classes="dialog-title")
            with VerticalScroll(id="why-body"):
                yield Static(about_text(self.view, self.target))
                if line is not None:
                    yield Chart(line, height=5, columns=self.view.last_turn + 1)
                yield Static(why_text(self.view, self.target))
            yield MoreBelow("why-body", MORE_SCROLL)
        yield Footer()

    def action_close(self) -> None:
        close(self, None)
