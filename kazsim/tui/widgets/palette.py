"""The command palette, made safe against keys that arrive faster than it updates.

Two problems of Textual 8.2.8's palette, both reproduced with a bare app and
found by the random-keys test:

- PageUp/PageDown reaching the result list before it has been laid out raise
  KeyError (Ctrl+P then PageDown at once). Paging is disabled, through the
  public `check_action` hook, while the list has no size.
- Two Enters in a row dismiss it twice; `Screen.dismiss` pops whatever screen
  is on top, so the second pops the screen below (or fails on the last one).
  Dismissing is ignored once the palette is no longer the active screen.
- Keys typed just after a command was chosen start a search on the closing
  palette, whose result-list watcher then finds no list (NoMatches). The
  watcher is skipped once the list is gone: the one private method touched
  here, until the race is fixed upstream.
"""

from __future__ import annotations

from typing import Any

from textual.await_complete import AwaitComplete
from textual.command import CommandList, CommandPalette


class Palette(CommandPalette):
    """Textual's command palette; PageUp/PageDown wait until the results are laid out."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "command_list" and parameters and parameters[0] in ("page_up",
                                                                         "page_down"):
            results = self.query(CommandList)
            if not results or not results.first().scrollable_content_region.area:
                return False
        return super().check_action(action, parameters)

    def dismiss(self, result: Any = None) -> AwaitComplete:
        if not self.is_active:
            nothing: AwaitComplete = AwaitComplete.nothing()  # type: ignore[no-untyped-call]
            return nothing
        return super().dismiss(result)

    def _watch__list_visible(self) -> None:
        if self.query(CommandList):
            super()._watch__list_visible()
