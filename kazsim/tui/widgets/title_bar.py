"""The one-line title at the top of every screen: the screen's title and sub-title.

Used instead of Textual's `Header`, whose title refresh runs a moment after it
mounts and fails (NoMatches on HeaderTitle) when its screen is closed in that
moment, e.g. Help opened and closed by two quick keys. Found by the random-keys
test. This bar updates synchronously, so it has no such window.
"""

from __future__ import annotations

from textual.widgets import Static


class TitleBar(Static):
    """"Title — sub-title", centred, docked at the top."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
        text-align: center;
        text-style: bold;
    }
    """

    def __init__(self) -> None:
        super().__init__(markup=False)

    def on_mount(self) -> None:
        self.watch(self.screen, "title", self.show_title)
        self.watch(self.screen, "sub_title", self.show_title)

    def show_title(self) -> None:
        title = self.screen.title or self.app.title
        sub_title = self.screen.sub_title
        self.update(f"{title} — {sub_title}" if sub_title else title)
