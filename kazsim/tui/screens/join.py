"""The join screen: `kazsim join URL` without a code, and every browser tab of `kazsim host
--web`.

The student types the table's join code (shown on the teacher's dashboard) and,
if they like, their name; Enter asks the host which sides of that table are
free and lists them; Enter on a free side takes it and opens the game. The code
and the name go to the host over the classroom protocol (`RemoteSeat.look`,
then `open`), never anywhere else. The code box has the focus from the start,
so typing works at once, in a terminal and in a browser.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from kazsim.tui.messages import JoinTable
from kazsim.tui.widgets.menu import Menu
from kazsim.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from kazsim.tui.table import RemoteSeat

CODE = re.compile(r"^[A-Za-z0-9]{1,12}$")
ASK = "Type your table's join code (the teacher's screen shows it), then press Enter."
STATES = {
    "free": "free",
    "ai": "free: the AI plays it until you join",
    "taken": "taken by another player",
    "computer": "played by the computer",
}


def typed_code(text: str) -> str:
    """The code as typed, without spaces or dashes, in capitals ("k7pm 3x" -> "K7PM3X")."""
    return re.sub(r"[\s-]", "", text).upper()


def side_prompt(name: str, state: str) -> Text:
    text = Text(name, "bold" if state in ("free", "ai") else "dim")
    text.append(f" · {STATES.get(state, state)}", "italic")
    return text


class JoinScreen(Screen[None]):
    """Type the code, pick a free side: then the game opens on that seat."""

    AUTO_FOCUS = "#join-code"
    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    BINDINGS = [
        Binding("escape", "back", "Back to the code"),
        Binding("f5", "look", "Refresh the sides", key_display="F5"),
    ]

    def __init__(self, seat: RemoteSeat) -> None:
        super().__init__()
        self.seat = seat
        self.code = ""
        self.title = "kazsim · join a table"

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical(id="join-box"):
            yield Static(ASK, id="join-ask")
            yield Input(placeholder="join code", id="join-code", max_length=16,
                        restrict=r"[A-Za-z0-9 \-]*")
            yield Input(placeholder="your name (optional, shown to the teacher)",
                        id="join-name", max_length=60)
            yield Static("", id="join-note", markup=False)
            yield Menu(id="join-sides")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#join-sides", OptionList).display = False
        if self.seat.name:
            self.query_one("#join-name", Input).value = self.seat.name

    def on_screen_resume(self) -> None:
        """Back from a problem box (the side was taken meanwhile...): the sides again."""
        if self.code and self.query_one("#join-sides", OptionList).display:
            self.note(f"Looking for table {self.code}…")
            self.look(self.code)

    def note(self, text: str, *, problem: bool = False) -> None:
        note = self.query_one("#join-note", Static)
        note.update(text)
        note.set_class(problem, "-problem")

    # --- the code ---------------------------------------------------------------------------

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.action_look()

    def action_look(self) -> None:
        code = typed_code(self.query_one("#join-code", Input).value)
        if not CODE.match(code):
            self.note("A join code is letters and digits, such as K7PM3X.", problem=True)
            self.query_one("#join-code", Input).focus()
            return
        self.code = code
        self.note(f"Looking for table {code}…")
        self.look(code)

    @work(exclusive=True, group="look")
    async def look(self, code: str) -> None:
        found = await self.seat.look(code)
        if not self.is_attached:
            return
        if isinstance(found, str):
            self.note(found, problem=True)
            self.query_one("#join-code", Input).focus()
            return
        table, title, seats = found
        self.show_sides(table, title, seats)

    def show_sides(self, table: int, title: str, seats: list[tuple[str, str, str]]) -> None:
        sides = self.query_one("#join-sides", OptionList)
        sides.clear_options()
        sides.add_options([Option(side_prompt(name, state), id=f"role:{role}",
                                  disabled=state not in ("free", "ai"))
                           for role, name, state in seats])
        free = [i for i, o in enumerate(sides.options) if not o.disabled]
        sides.display = True
        if not free:
            self.note(f"Table {table} · {title}: every side is taken. Ask the teacher "
                      "(F5 looks again).", problem=True)
            return
        self.note(f"Table {table} · {title}. Choose your side (↑ ↓, Enter):")
        wanted = [i for i in free if seats[i][0] == self.seat.role]  # `join URL --role R`
        sides.highlighted = (wanted or free)[0]
        sides.focus()

    def action_back(self) -> None:
        self.query_one("#join-sides", OptionList).display = False
        self.note("")
        self.query_one("#join-code", Input).focus()

    # --- the side -----------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#join-sides")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        role = (event.option.id or "").removeprefix("role:")
        if not role or not self.code:
            return
        seat = self.seat
        seat.code, seat.role = self.code, role
        seat.name = " ".join(self.query_one("#join-name", Input).value.split())[:60]
        self.note("Joining…")
        self.post_message(JoinTable(seat))
