"""The news feed: what happened each turn, newest first, in the scenario's words."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from kazsim.story import landed_lines, news_lines
from kazsim.tui.doc import Doc
from kazsim.tui.view import TurnView


def news_text(view: TurnView) -> Group | Text:
    if not view.records:
        return Text("Nothing has happened yet: this is the first turn. Your briefing (b) "
                    "says where things stand.", "italic")
    doc = Doc()
    for record in reversed(view.records):
        if doc:
            doc.blank()
        doc.para(Text(f"Turn {record.turn} · {view.date(record.turn)}", "bold"))
        for line in (news_lines(record, view.scenario, view.viewers,
                                view.record_before(record))
                     + landed_lines(view.scenario, record, view.viewers)):
            doc.bullet(line, indent=1)
    return doc.render()


class NewsFeed(VerticalScroll):
    """A scrolling feed of every turn's news (public: everyone reads the news)."""

    view: reactive[TurnView | None] = reactive(None)

    def compose(self) -> ComposeResult:
        yield Static(id="news-text")

    def watch_view(self, view: TurnView | None) -> None:
        if not self.query("#news-text"):
            return  # not composed yet: the watcher runs again once mounted
        body = self.query_one("#news-text", Static)
        if view is None or view.hidden:
            body.update("")
            return
        body.update(news_text(view))
        self.scroll_home(animate=False)
