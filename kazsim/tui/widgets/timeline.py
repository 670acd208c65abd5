"""The debrief's timeline tab: each real step beside the game, then the decisions with
no real counterpart. Only renders what `kazsim.engine.timeline.compare` found and
`kazsim.story` tells; nothing is computed here."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from kazsim.engine.game import Game
from kazsim.engine.timeline import compare
from kazsim.story import cite, step_heading, step_verdict, timeline_summary, unmatched_line
from kazsim.tui.doc import Doc
from kazsim.tui.widgets.more import MORE_SCROLL, MoreBelow


def timeline_text(game: Game) -> Group:
    scenario = game.scenario
    comparison = compare(scenario, game.states, game.records)
    doc = Doc().heading("Your crisis and the real one")
    doc.para(timeline_summary(comparison), style="italic")
    for match in comparison.steps:
        text = Text(step_heading(match), "bold")
        text.append(cite(scenario, match.step.model.cites), "dim")
        verdict = step_verdict(match, finished=game.over, last_day=comparison.last_day)
        text.append("\n" + verdict, "" if match.happened else "italic")
        doc.bullet(text, mark="✓" if match.happened else "✗")
    doc.heading("Decisions with no real counterpart")
    for item in comparison.unmatched:
        doc.bullet(unmatched_line(scenario, item))
    if not comparison.unmatched:
        doc.para("(none: every decision has a real counterpart)", indent=2, style="italic")
    return doc.render()


class TimelinePage(Vertical):
    """The tab's scrolling page and its "more below" line."""

    def __init__(self, game: Game, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.game = game

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="timeline-page", classes="page"):
            yield Static(timeline_text(self.game))
        yield MoreBelow("timeline-page", MORE_SCROLL)
