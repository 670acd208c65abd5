"""What decided a game, on screen: the odds of each ending over the turns, the turning points.

The numbers come from `kazsim.engine.odds.what_decided` (thousands of seeded
continuations, played by the batch engine where it can: `kazsim.batch.odds`, the
same numbers), worked out in a thread worker (`start_decided`) that reports its
progress and stops when cancelled; the interface never waits for it.
`DecidedPanel` is the debrief's tab; the replay viewer uses `start_decided`
and `odds_line` for its line of odds at each step.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.widgets import ProgressBar, Static
from textual.worker import Worker, get_current_worker

from kazsim.engine.game import Game
from kazsim.engine.odds import RUNS, Decided, Odds
from kazsim.story import NO_TURNING_POINTS, ending_title, percent, turning_point_lines
from kazsim.tui.doc import Doc
from kazsim.tui.text import SPARKS, axis_labels
from kazsim.tui.widgets.more import MORE_SCROLL, MoreBelow

LABEL_WIDTH = 24  # columns an ending's title may be cut to, to give the turns two columns


class _Stopped(Exception):
    """Raised in the worker's progress callback once the worker is cancelled."""


def start_decided(node: DOMNode, game: Game, runs: int,
                  progress: Callable[[int, int], None],
                  done: Callable[[Decided], None]) -> Worker[None]:
    """Work out what decided `game` in a thread worker of `node`: `progress(done, total)`
    and, at the end, `done(decided)` are called on the UI thread. Cancelling the worker
    (or removing `node`) stops the work at the next continuation."""

    def work() -> None:
        worker = get_current_worker()
        shown = [-1]

        def step(finished: int, total: int) -> None:
            if worker.is_cancelled:
                raise _Stopped
            permille = 1000 * finished // total if total else 1000
            if permille != shown[0]:  # at most a thousand updates, however many runs
                shown[0] = permille
                node.app.call_from_thread(progress, finished, total)

        # The batch engine where it can, else the reference: the same numbers. Imported
        # here, in the worker: numpy is not loaded by the terminal game's start.
        from kazsim.batch.odds import what_decided

        try:
            decided = what_decided(game, runs, progress=step)
        except _Stopped:
            return
        if not worker.is_cancelled:
            node.app.call_from_thread(done, decided)

    return node.run_worker(work, thread=True, exclusive=True, group="odds",
                           name="what decided it")


def cell(chance: float) -> str:
    """One point of an ending's row: · when no continuation reached the ending, else a
    block as high as the chance."""
    if chance <= 0.0:
        return "·"
    return SPARKS[min(len(SPARKS) - 1, max(0, round(chance * (len(SPARKS) - 1))))]


def odds_chart(game: Game, odds: Odds, width: int, turning: tuple[int, ...] = ()) -> Text:
    """Each ending's chance over the turns, one row each (the game's ending marked ▶),
    the turns underneath (0 = the start) and the turning points marked ▲."""
    scenario = game.scenario
    columns = len(odds.points)
    longest = max(len(ending_title(scenario, e)) for e in odds.endings) + 2
    column_width = 2 if min(longest, LABEL_WIDTH) + 1 + 2 * columns <= width else 1
    label_width = max(8, min(longest, width - 1 - column_width * columns))
    text = Text()
    for ending in odds.endings:
        mine = ending == game.state.ending
        title = ending_title(scenario, ending)
        if len(title) > label_width - 2:
            title = title[: label_width - 3] + "…"
        text.append(("▶ " if mine else "  ") + title.ljust(label_width - 2) + " ",
                    "bold" if mine else "")
        row = "".join(cell(c) * column_width for c in odds.series(ending))
        text.append(row + "\n", "bold" if mine else "")
    gutter = " " * (label_width + 1)
    text.append(gutter + axis_labels(columns, column_width) + "\n", "dim")
    if turning:
        marks = [" "] * (columns * column_width)
        for turn in turning:
            marks[turn * column_width] = "▲"
        text.append(gutter + "".join(marks).rstrip() + "\n")
    text.append("Columns: the start (0), then after each turn (▲ a turning point).\n"
                "The taller the column, the likelier the ending; · in no continuation.",
                "dim italic")
    return text


def decided_text(game: Game, decided: Decided) -> Group:
    """The turning points, in words, under the chart."""
    doc = Doc()
    points = decided.turning_points
    if points:
        title = ending_title(game.scenario, points[0].ending)
        doc.heading(f"The turning points for “{title}”")
        for number, line in enumerate(turning_point_lines(game.scenario, points,
                                                          game.records), 1):
            doc.bullet(line, mark=f"{number}.")
    else:
        doc.para(NO_TURNING_POINTS)
    first, last = decided.odds.points[0], decided.odds.points[-1]
    ending = points[0].ending if points else None
    if ending is not None:
        index = decided.odds.endings.index(ending)
        doc.para(f"At the start its chance was {percent(first.chance(index))}; after the last "
                 f"turn, {percent(last.chance(index))}.", style="dim")
    doc.para(f"Each chance: the game played on {decided.odds.runs} times from that point, "
             "the computer (easy) in every role. The same game always gives the same numbers.",
             style="dim italic")
    return doc.render()


class DecidedPanel(Vertical):
    """The debrief's "What decided it": progress while it is worked out, then the chart
    and the turning points. `start()` begins the work (the debrief calls it when the tab
    is first shown); x stops it, r starts it again."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    BINDINGS = [
        Binding("x", "stop", "Stop working it out"),
        Binding("r", "start", "Work it out"),
    ]

    def __init__(self, game: Game, runs: int | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.game = game
        self.runs = runs if runs is not None else RUNS
        self.decided: Decided | None = None
        self.worker: Worker[None] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="decided-status")
        yield ProgressBar(total=None, show_eta=False, id="decided-progress")
        with VerticalScroll(id="decided-page", classes="page"):
            yield Static(id="decided-chart")
            yield Static(id="decided-text")
        yield MoreBelow("decided-page", MORE_SCROLL)

    def on_mount(self) -> None:
        self.query_one("#decided-status", Static).update(
            "Press r to work out what decided this game (or open this tab).")
        self.query_one(ProgressBar).display = False

    @property
    def running(self) -> bool:
        return self.worker is not None and self.worker.is_running

    def start(self) -> None:
        """Begin working it out, unless it is done or under way."""
        if self.decided is not None or self.running:
            return
        self.query_one("#decided-status", Static).update(
            f"Working out what decided this game: playing it on {self.runs} times from "
            "every turn… (x to stop)")
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.worker = start_decided(self, self.game, self.runs, self._progress, self._done)
        self.refresh_bindings()

    def _progress(self, done: int, total: int) -> None:
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)

    def _done(self, decided: Decided) -> None:
        self.decided = decided
        self.query_one(ProgressBar).display = False
        self.query_one("#decided-status", Static).update(
            Text("The chance of each ending after each turn", "bold"))
        self._draw()
        self.refresh_bindings()

    def _draw(self) -> None:
        if self.decided is None:
            return
        chart = self.query_one("#decided-chart", Static)
        width = self.query_one("#decided-page").size.width or 78
        turning = tuple(p.turn for p in self.decided.turning_points)
        chart.update(odds_chart(self.game, self.decided.odds, max(40, width - 2), turning))
        self.query_one("#decided-text", Static).update(decided_text(self.game, self.decided))

    def on_resize(self) -> None:
        self._draw()

    def action_stop(self) -> None:
        if self.running and self.worker is not None:
            self.worker.cancel()
            self.worker = None
            self.query_one(ProgressBar).display = False
            self.query_one("#decided-status", Static).update(
                "Stopped. Press r to work it out again.")
            self.refresh_bindings()

    def action_start(self) -> None:
        self.start()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop":
            return self.running
        if action == "start":
            return self.decided is None and not self.running
        return True
