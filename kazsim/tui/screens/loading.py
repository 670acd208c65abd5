"""A placeholder shown while a scenario or a save loads in a worker thread.

Still text, no animation: an animated indicator would repaint every frame and
take time from the loading itself (measured by benchmarks/bench_startup.py).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from kazsim.tui.widgets.title_bar import TitleBar


class LoadingScreen(Screen[None]):
    """"Loading NAME…" until the app switches to the real screen."""

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(f"Loading {self.what}…", id="loading-text")
        yield Footer()

    TITLE = "kazsim"
