"""`Menu`: Textual's `OptionList`, safe to page through before it has a size.

OptionList's page up/down read its line cache, which is only filled once the
list has been given a size; at a tiny terminal size (or mid-resize) paging
raised KeyError. Found by the random-keys test; every list in the game is a Menu.
"""

from __future__ import annotations

from textual.widgets import OptionList


class Menu(OptionList):
    """An OptionList whose paging waits until it is laid out."""

    def action_page_up(self) -> None:
        if self.scrollable_content_region.area:
            super().action_page_up()  # type: ignore[no-untyped-call]

    def action_page_down(self) -> None:
        if self.scrollable_content_region.area:
            super().action_page_down()  # type: ignore[no-untyped-call]
