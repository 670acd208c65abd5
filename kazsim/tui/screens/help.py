"""How to play, and every key: reachable from every screen with ? or F1."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from kazsim.tui.doc import Doc
from kazsim.tui.screens.common import close
from kazsim.tui.widgets.more import MORE_SCROLL, MoreBelow
from kazsim.tui.widgets.title_bar import TitleBar

HOW_TO_PLAY = [
    "Each scenario is a real or invented crisis. Every side (a government, protestors, "
    "a foreign power...) is played by a person or by the computer.",
    "Each turn stands for a day (or an hour, a week...). Every side secretly chooses one "
    "action; then all choices are revealed and resolved together, events happen, and the "
    "indicators move. The game ends when an ending's conditions are met, or after the "
    "last turn.",
    "Read your briefing first: your goals, and what only you know. The indicators show "
    "where things stand (some are secret to some sides); the news says what happened.",
    "After each turn you see what every side did, what happened, and how each indicator "
    "changed; press w to see why it changed. At the end, the debrief compares your game "
    "with what really happened.",
    "Hot seat: several people can share one keyboard. Between players a curtain says who "
    "plays next; the others look away so nobody sees another's choice or secrets.",
    "The game is saved after every turn (autosave). Press s to save under a name; load a "
    "game from the title screen.",
]

KEYS = [
    ("Everywhere", [("? or F1", "this help"), ("Ctrl+Q", "quit (asks first)"),
                    ("Ctrl+P", "command palette: every command by name"),
                    ("Tab / Shift+Tab", "move between panels and fields"),
                    ("↑ ↓, Enter", "move in a list, choose"), ("Esc", "back, or close a box")]),
    ("Title", [("Enter", "play the highlighted scenario"), ("l", "load a saved game"),
               ("q", "quit")]),
    ("Setup", [("Enter", "open a side's player list, or start from a name or the seed"),
               ("Ctrl+S", "start the game"), ("Ctrl+N", "draw a new seed"),
               ("Ctrl+L", "choose the game's length: the whole game or a lesson")]),
    ("Turn", [("Enter", "choose the highlighted action (you confirm next)"),
              ("i  a  n", "go to the indicators, the actions, the news"),
              ("Enter on an indicator", "its history and why it moved"),
              ("b", "your briefing again"), ("r", "what happened last turn"),
              ("g", "the glossary and the map of the places (when the scenario has them)"),
              ("s", "save under a name")]),
    ("Briefing", [("Enter", "read on while there is more below, then start"),
                  ("Esc", "skip to the game")]),
    ("What happened", [("w", "show or hide why each indicator moved"),
                       ("Enter", "read on while there is more below, then go on")]),
    ("The end", [("1 2 3 4 5", "outcome, charts, what really happened, questions, "
                  "what decided it"), ("6 7", "the real timeline, the glossary and map"),
                 ("x r", "stop / start working out what decided it"),
                 ("t", "save a transcript (Markdown)"), ("n", "new game")]),
    ("Replay", [("← →", "previous / next turn"), ("Home End", "first / last turn"),
                ("w", "why")]),
    ("Join a table", [("Enter", "find the table of the code typed; on a free side, take it"),
                      ("Esc", "back to the code"), ("F5", "look at the sides again")]),
]


def help_text() -> Group:
    doc = Doc().heading("How to play")
    for paragraph in HOW_TO_PLAY:
        doc.para(paragraph).blank()
    doc.heading("Keys")
    for section, keys in KEYS:
        doc.para(Text(section, "bold"))
        grid = Table.grid(padding=(0, 2, 0, 2))
        grid.add_column(no_wrap=True, style="bold")
        grid.add_column(ratio=1)
        for key, meaning in keys:
            grid.add_row(key, meaning)
        doc.blocks.append(grid)
    return doc.render()


class HelpScreen(Screen[None]):
    """Read-only; Esc goes back to where you were."""

    AUTO_FOCUS = "#help"

    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Back", key_display="Esc")]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="help", classes="page"):
            yield Static(help_text())
        yield MoreBelow("help", MORE_SCROLL)
        yield Footer()

    TITLE = "Help"

    def action_close(self) -> None:
        close(self, None)
