"""A line that says, in words, that a scrolling page goes on below.

A scrollbar alone is easy to miss, and without colour (NO_COLOR, a monochrome
terminal) it cannot be seen at all; at 80x24 a briefing's secrets or a turn's
changes can sit below the fold. Screens put this line under their page and let
Enter read on (`read_on`) before it moves on.
"""

from __future__ import annotations

from textual.containers import ScrollableContainer
from textual.events import Resize
from textual.widgets import Static

MORE = "▼ More below: press Enter (or ↓, PgDn) to read on"
MORE_SCROLL = "▼ More below: ↓ or PgDn to read on"  # where Enter does something else


def has_more(page: ScrollableContainer) -> bool:
    """Whether part of `page` is still below what is on screen."""
    return page.max_scroll_y - page.scroll_y >= 1


def read_on(page: ScrollableContainer) -> bool:
    """Scroll `page` down a screen if there is more below; False when at the end."""
    if not has_more(page):
        return False
    page.scroll_page_down(animate=False)
    return True


class MoreBelow(Static):
    """Shows `text` while the page with id `page_id` has more below, else nothing."""

    DEFAULT_CLASSES = "more-below"

    def __init__(self, page_id: str, text: str = MORE) -> None:
        super().__init__("")
        self.page_id = page_id
        self.text = text

    def on_mount(self) -> None:
        page = self.page
        if page is None:
            return
        self.watch(page, "scroll_y", self._changed, init=False)
        self.watch(page, "virtual_size", self._changed, init=False)
        self.call_after_refresh(self.refresh_hint)

    @property
    def page(self) -> ScrollableContainer | None:
        found = self.screen.query(f"#{self.page_id}")
        first = found.first() if found else None
        return first if isinstance(first, ScrollableContainer) else None

    def _changed(self, _: object) -> None:
        self.refresh_hint()

    def on_resize(self, _: Resize) -> None:
        self.call_after_refresh(self.refresh_hint)

    def refresh_hint(self) -> None:
        if not self.is_attached:
            return  # its screen closed before the refresh came (found by the random keys)
        page = self.page
        self.update(self.text if page is not None and has_more(page) else "")
