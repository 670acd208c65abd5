"""Load game: every save in the save folder, newest first; resume it or replay it."""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from kazsim.session.store import SaveEntry, list_saves
from kazsim.tui import saving
from kazsim.tui.messages import OpenSave
from kazsim.tui.screens.common import close
from kazsim.tui.widgets.menu import Menu
from kazsim.tui.widgets.title_bar import TitleBar
from kazsim.untrusted import printable_line


def when(stamp: str) -> str:
    """'2026-03-02 14:05 UTC' from an ISO timestamp (as saved, in UTC)."""
    return stamp.replace("T", " ")[:16] + " UTC" if stamp else ""


def save_prompt(entry: SaveEntry) -> Text:
    if entry.problem:
        text = Text(f"✗ {printable_line(entry.path.name)}", "bold")
        text.append(f"\n  cannot be loaded: {printable_line(entry.problem)}", "italic")
        return text
    text = Text(printable_line(entry.name), "bold")
    text.append(f"\n  {printable_line(entry.scenario_title)}")
    played = f"{entry.turns} turn{'s' if entry.turns != 1 else ''} played"
    state = "finished" if entry.ending else "in progress"
    text.append(f"\n  {played}, {state} · saved {when(entry.updated)}", "italic")
    people = [who for who in entry.players.values() if not who.startswith("AI")]
    if people:
        text.append(f" · {printable_line(', '.join(people))}", "italic")
    return text


class LoadGameScreen(Screen[None]):
    """Enter resumes the highlighted save (or replays it if it has ended); p replays."""

    AUTO_FOCUS = "#saves"

    BINDINGS = [
        Binding("p", "open('replay')", "Replay"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = Path(os.path.abspath(folder))  # shown in full: no doubt which folder
        self.entries: list[SaveEntry] = []
        self.opening = False  # a save is being loaded: one at a time
        self.title = "Load a saved game"

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(Text(f"Saved games in {saving.shown(self.folder)}. Enter resumes a game (a "
                          "finished one opens in the replay viewer); p replays it turn by "
                          "turn."), id="tagline")
        yield Menu(Option(Text("Reading the saves…", "italic"), disabled=True),
                         id="saves")
        yield Footer()

    def on_mount(self) -> None:
        self.read_saves()

    def on_screen_resume(self) -> None:
        self.opening = False  # back from a replay, or a save that could not be loaded

    @work(thread=True, exclusive=True)
    def read_saves(self) -> None:
        entries = list_saves(self.folder)
        self.app.call_from_thread(self.show, entries)

    def show(self, entries: list[SaveEntry]) -> None:
        self.entries = entries
        saves = self.query_one("#saves", OptionList)
        saves.clear_options()
        if not entries:
            saves.add_option(Option(Text(f"No saved games in {saving.shown(self.folder)} yet.",
                                         "italic"), disabled=True))
            return
        saves.add_options(Option(save_prompt(e), id=str(n), disabled=bool(e.problem))
                          for n, e in enumerate(entries))
        saves.highlighted = next((i for i, e in enumerate(entries) if not e.problem), None)

    def chosen(self) -> SaveEntry | None:
        index = self.query_one("#saves", OptionList).highlighted
        if index is None or index >= len(self.entries) or self.entries[index].problem:
            return None
        return self.entries[index]

    @on(OptionList.OptionSelected, "#saves")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open("resume")

    def action_open(self, how: str) -> None:
        entry = self.chosen()
        if entry is None or not self.is_active or self.opening:
            return
        self.opening = True
        replay = how == "replay" or entry.ending is not None
        self.post_message(OpenSave(str(entry.path), replay=replay))

    def action_back(self) -> None:
        close(self, None)
