"""A column chart of one indicator over the turns of a game, with its axis."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from kazsim.story import fmt
from kazsim.tui.text import axis_labels, column_chart
from kazsim.tui.view import IndicatorLine


def chart_text(line: IndicatorLine, width: int, height: int, columns: int = 0) -> Text:
    """The chart as text: the range on the left, turn numbers (0 = start) underneath."""
    columns = max(columns, len(line.history))
    top, bottom = fmt(line.hi), fmt(line.lo)
    gutter = max(len(top), len(bottom)) + 2
    column_width = 2 if gutter + 2 * columns <= width else 1
    rows = column_chart(line.history, line.lo, line.hi, height, column_width)
    text = Text()
    for index, row in enumerate(rows):
        label = top if index == 0 else bottom if index == len(rows) - 1 else ""
        text.append(label.rjust(gutter - 2) + (" ┤" if label else " │"), "dim")
        text.append(row[: max(0, width - gutter)] + "\n")
    text.append(" " * gutter + axis_labels(columns, column_width) + "\n", "dim")
    text.append(" " * gutter + "turns (0 = the start)", "dim italic")
    return text


class Chart(Widget):
    """One indicator's history; the width adapts to the space it is given."""

    DEFAULT_CSS = """
    Chart {
        height: auto;
    }
    """

    line: reactive[IndicatorLine | None] = reactive(None, layout=True)

    def __init__(self, line: IndicatorLine | None = None, *, height: int = 6,
                 columns: int = 0, id: str | None = None) -> None:
        super().__init__(id=id)
        self.chart_height = height
        self.columns = columns
        self.set_reactive(Chart.line, line)

    def render(self) -> Text:
        if self.line is None:
            return Text("")
        return chart_text(self.line, self.size.width, self.chart_height, self.columns)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.chart_height + 2
