"""The title screen: every scenario found, plus Load game, Help and Quit.

Imports nothing heavy: the scenario list is read in a worker thread after the
first frame (the catalog pulls in YAML and the scenario package), so the
title appears as fast as a bare Textual app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from kazsim.tui.messages import OpenScenario
from kazsim.tui.warm import warm_up
from kazsim.tui.widgets.menu import Menu
from kazsim.tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from kazsim.scenario.catalog import Entry

TAGLINE = "A game about how a political crisis unfolds. Choose a scenario:"
MENU_HELP = {
    "load": "Resume a game saved earlier (every game is saved after each turn), or replay it.",
    "help": "How to play, and every key.",
    "quit": "Leave kazsim.",
}


def entry_prompt(entry: Entry) -> Text:
    """Two lines in the menu: the title, then the length and the number of sides."""
    if entry.problem:
        text = Text(f"✗ {entry.path.name}", "bold")
        text.append("\n  cannot be read (see below)", "italic")
        return text
    text = Text(entry.title, "bold")
    turns = f"{entry.turns} turns" if entry.turns else "? turns"
    text.append(f"\n  {turns} · {len(entry.roles)} sides", "italic")
    return text


def entry_detail(entry: Entry) -> Text:
    """The highlighted scenario in full: summary and sides."""
    if entry.problem:
        return Text(f"{entry.path}: {entry.problem}")
    text = Text(" ".join(entry.summary.split()))
    text.append("\nSides: ", "bold")
    text.append(", ".join(entry.roles))
    return text


class TitleScreen(Screen[None]):
    """Choose a scenario (or load a game, read the help, quit)."""

    AUTO_FOCUS = "#menu"

    BINDINGS = [
        Binding("l", "app.load_game", "Load game"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []
        self.title = "kazsim"

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(TAGLINE, id="tagline")
        yield Menu(Option(Text("Looking for scenarios…", "italic"), id="-wait",
                                disabled=True), id="menu")
        with VerticalScroll(id="menu-detail-box"):
            yield Static(id="menu-detail")
        yield Footer()

    def on_screen_resume(self) -> None:
        # Read the folders each time the title shows (a teacher may add a file),
        # after the frame is drawn, and not while another screen covers it.
        if self.app.screen is self:
            self.call_after_refresh(self.find_scenarios)

    @work(thread=True, exclusive=True, group="catalog")
    def find_scenarios(self) -> None:
        from kazsim.scenario.catalog import list_scenarios

        entries = sorted(list_scenarios(), key=lambda e: e.id != "tutorial")  # tutorial first
        self.app.call_from_thread(self.show_entries, entries)
        warm_up()  # while the player reads the list

    def show_entries(self, entries: list[Entry]) -> None:
        self.entries = entries
        menu = self.query_one("#menu", OptionList)
        menu.clear_options()
        options: list[Option | None] = [
            Option(entry_prompt(e), id=f"scenario:{n}", disabled=bool(e.problem))
            for n, e in enumerate(entries)]
        if not entries:
            options.append(Option(Text("No scenarios found: put .yaml files in ./scenarios",
                                       "italic"), id="-none", disabled=True))
        options += [None, Option("Load a saved game", id="load"), Option("Help", id="help"),
                    Option("Quit", id="quit")]
        menu.add_options(options)
        menu.highlighted = next((i for i, o in enumerate(menu.options) if not o.disabled), None)

    @on(OptionList.OptionHighlighted, "#menu")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        choice = event.option.id or ""
        detail = self.query_one("#menu-detail", Static)
        if choice.startswith("scenario:"):
            detail.update(entry_detail(self.entries[int(choice.split(":")[1])]))
        else:
            detail.update(MENU_HELP.get(choice, ""))

    @on(OptionList.OptionSelected, "#menu")
    async def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if not self.is_active:
            return  # an Enter typed after another screen opened
        choice = event.option.id or ""
        if choice.startswith("scenario:"):
            entry = self.entries[int(choice.split(":")[1])]
            self.post_message(OpenScenario(str(entry.path)))
        elif choice in ("load", "help", "quit"):
            await self.app.run_action(choice.replace("load", "load_game"))
