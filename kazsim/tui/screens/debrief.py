"""The ending and debrief: every role's outcome, charts, what really happened, questions.

Everything is revealed here, including indicators only some roles could see:
the debrief is where the class compares notes.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from kazsim.engine.game import Game
from kazsim.story import SCENARIO_DEBRIEF, a_lesson, cite, fmt, named
from kazsim.tui.config import GameConfig
from kazsim.tui.doc import Doc
from kazsim.tui.saving import Saver
from kazsim.tui.text import sparkline
from kazsim.tui.view import IndicatorLine, TurnView
from kazsim.tui.widgets.chart import Chart
from kazsim.tui.widgets.menu import Menu
from kazsim.tui.widgets.more import MORE_SCROLL, MoreBelow
from kazsim.tui.widgets.odds import DecidedPanel
from kazsim.tui.widgets.timeline import TimelinePage
from kazsim.tui.widgets.title_bar import TitleBar

RESULT_WORDS = {"win": "WIN", "draw": "DRAW", "loss": "LOSS"}


def outcome_text(game: Game, config: GameConfig) -> Group:
    scenario = game.scenario
    ending_id = game.state.ending
    assert ending_id is not None
    ending = scenario.ending(ending_id)
    doc = Doc().para(Text(ending.title, "bold")).para(game.ending_text.text)
    lesson = (f" of {a_lesson(game.turn_limit)} (the whole scenario has "
              f"{scenario.model.calendar.turns})" if game.turn_limit is not None else "")
    doc.para(f"After {len(game.records)} turns{lesson} · seed {game.seed}", style="dim")
    doc.heading("How each side fared")
    for outcome in game.outcomes():
        name = named(scenario.role(outcome.role).model.name, game.leader(outcome.role))
        seat = config.seat(outcome.role)
        who = f"AI, {seat.level}" if not seat.human else seat.name or (
            "a player" if config.hot_seat else "you")
        if not ending.scores:  # an ending of mass killing: no result or score
            text = Text(f"{name} ({who})\n", "bold")
            text.append(" ".join(outcome.result.text.split()))
            doc.bullet(text)
            continue
        text = Text(f"{name} ({who}) — score {fmt(outcome.score)}\n", "bold")
        text.append(" ".join(outcome.result.text.split()))
        doc.bullet(text, mark=f"{RESULT_WORDS[outcome.result.result]:<4}")
    return doc.render()


def history_text(game: Game) -> Group:
    scenario = game.scenario
    ending_id = game.state.ending
    assert ending_id is not None
    ending = scenario.ending(ending_id)
    doc = Doc().heading("What really happened")
    for item, shown in zip(ending.debrief, game.ending_text.debrief, strict=True):
        text = Text(" ".join(shown.split()))
        text.append(cite(scenario, item.cites), "dim")
        doc.bullet(text)
    if not ending.debrief:
        doc.para("(this ending has no notes)", indent=2, style="italic")
    if scenario.model.debrief:  # the whole scenario's, whatever the ending
        doc.heading(SCENARIO_DEBRIEF)
        for item, shown in zip(scenario.model.debrief, game.ending_text.scenario_debrief,
                               strict=True):
            text = Text(" ".join(shown.split()))
            text.append(cite(scenario, item.cites), "dim")
            doc.bullet(text)
    doc.heading("Sources")
    for source in scenario.model.sources:
        date = f", {source.date.day} {source.date:%B %Y}" if source.date else ""
        text = Text(f"{source.title} — {source.publisher}{date}")
        if source.link:
            text.append(f"\n{source.link}", "dim")
        doc.bullet(text)
    return doc.render()


def discussion_text(game: Game) -> Group:
    model = game.scenario.model
    doc = Doc().heading("Questions to discuss")
    for number, question in enumerate(model.discussion_questions, 1):
        doc.bullet(question, mark=f"{number}.")
    if not model.discussion_questions:
        doc.para("(none in this scenario)", indent=2, style="italic")
    if model.learning_objectives:
        doc.heading("What this scenario is meant to show")
        for objective in model.learning_objectives:
            doc.bullet(objective)
    return doc.render()


class DebriefScreen(Screen[None]):
    """The end of a game."""

    BINDINGS = [
        Binding("1", "tab('outcome')", "Outcome", show=False),
        Binding("2", "tab('charts')", "Charts", show=False),
        Binding("3", "tab('history')", "History", show=False),
        Binding("4", "tab('discussion')", "Discuss", show=False),
        Binding("5", "tab('decided')", "Odds", show=False),
        Binding("6", "tab('timeline')", "Timeline", show=False),
        Binding("7", "tab('reference')", "Glossary and map", show=False),
        Binding("t", "transcript", "Transcript"),
        Binding("n", "app.new_game", "New game"),
    ]

    def __init__(self, config: GameConfig, game: Game, saver: Saver | None = None) -> None:
        super().__init__()
        self.config = config
        self.saver = saver
        self.game = game
        self.view = TurnView(game.scenario, (), tuple(game.states), tuple(game.records))
        self.title = f"The end: {game.scenario.model.title}"

    def compose(self) -> ComposeResult:
        lines = self.view.indicators()
        yield TitleBar()
        with TabbedContent(initial="outcome"):
            with TabPane("1 Outcome", id="outcome"):
                with VerticalScroll(id="outcome-page", classes="page"):
                    yield Static(outcome_text(self.game, self.config))
                yield MoreBelow("outcome-page", MORE_SCROLL)
            with TabPane("2 Charts", id="charts"), Horizontal(id="charts-row"):
                yield Menu(*[Option(self.chart_prompt(i), id=i.id) for i in lines],
                                 id="chart-list")
                yield Chart(lines[0] if lines else None, height=8, id="chart")
            with TabPane("3 History", id="history"):
                with VerticalScroll(id="history-page", classes="page"):
                    yield Static(history_text(self.game))
                yield MoreBelow("history-page", MORE_SCROLL)
            with TabPane("4 Discuss", id="discussion"):
                with VerticalScroll(id="discussion-page", classes="page"):
                    yield Static(discussion_text(self.game))
                yield MoreBelow("discussion-page", MORE_SCROLL)
            with TabPane("5 Odds", id="decided"):
                yield DecidedPanel(self.game, id="decided-panel")
            if self.game.scenario.timeline:
                with TabPane("6 Timeline", id="timeline"):
                    yield TimelinePage(self.game)
            if self.game.scenario.reference:  # kazsim.tui.screens.reference
                from kazsim.tui.screens.reference import ReferencePage

                with TabPane("7 Glossary", id="reference"):
                    yield ReferencePage(self.game.scenario)
        yield Footer()

    @staticmethod
    def chart_prompt(line: IndicatorLine) -> Text:
        text = Text(line.label + "\n")
        text.append(sparkline(line.history, line.lo, line.hi, 20))
        text.append(f" {fmt(line.history[0])}→{fmt(line.value)}", "dim")
        return text

    def action_transcript(self) -> None:
        if self.saver is None:
            self.notify("This game was not saved (the save folder could not be used), so "
                        "there is no transcript.", severity="warning")
            return
        from kazsim.tui.saving import write_transcript

        path, message = write_transcript(self.saver)
        self.notify(message, severity="information" if path else "error", timeout=8)

    def action_tab(self, tab: str) -> None:
        tabs = self.query_one(TabbedContent)
        if tabs.query(f"TabPane#{tab}"):  # the timeline, glossary tabs: only with them
            tabs.active = tab

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        # Move the keyboard into the tab's content, so the arrows scroll or choose.
        pane = event.pane
        for panel in pane.query(DecidedPanel):
            panel.start()  # worked out the first time the tab is shown, in a worker
        target = pane.query("#chart-list") or pane.query(VerticalScroll)
        if target:
            target.first().focus()

    @on(OptionList.OptionHighlighted, "#chart-list")
    def _show_chart(self, event: OptionList.OptionHighlighted) -> None:
        line = next((i for i in self.view.indicators() if i.id == event.option.id), None)
        chart = self.query_one("#chart", Chart)
        chart.line = line
        chart.border_title = line.label if line else ""
