"""The indicator panel: each visible indicator with its value, a bar and a trend line.

An `OptionList`, so indicators can be walked with the arrow keys or the mouse;
choosing one (Enter or click) asks for its history and the reasons it moved
(`ShowWhy`). Facts (flags) that hold are listed after the indicators, then the
delayed effects still to come that the viewers may see (`TurnView.upcoming`).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.events import Resize
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kazsim.story import fmt
from kazsim.tui.messages import ShowWhy
from kazsim.tui.text import bar, judgement, sparkline, trend
from kazsim.tui.view import FlagLine, IndicatorLine, TurnView
from kazsim.tui.widgets.menu import Menu

JUDGEMENT_STYLE = {"better": "green", "worse": "red", "": ""}


def indicator_prompt(line: IndicatorLine, width: int) -> Text:
    """Two lines: label and value; bar, change since last turn, sparkline."""
    width = max(20, width)
    value = fmt(line.value)
    label = line.label if len(line.label) <= width - len(value) - 1 else \
        line.label[: width - len(value) - 2] + "…"
    text = Text()
    text.append(label, "bold")
    text.append(" " * max(1, width - len(label) - len(value)))
    text.append(value + "\n", "bold")
    change = trend(line.delta) if len(line.history) > 1 else ""
    verdict = judgement(line.delta, line.high_is)
    spark = sparkline(line.history, line.lo, line.hi, min(12, max(0, width // 4)))
    tail = len(change) + (len(verdict) + 1 if verdict else 0) + (len(spark) + 2 if spark else 0)
    text.append(bar(line.value, line.lo, line.hi, max(4, width - tail - 1)) + " ")
    text.append(change)
    if verdict:
        text.append(" " + verdict, JUDGEMENT_STYLE[verdict])
    if spark:
        text.append("  " + spark)
    return text


def flag_prompt(line: FlagLine) -> Text:
    text = Text("✓ " if line.value else "✗ ")
    text.append(line.label)
    if line.changed:
        text.append(" (new)" if line.value else " (no longer)", "italic")
    return text


class IndicatorPanel(Menu):
    """Indicators and facts of the bound `TurnView`, as the viewers may see them."""

    view: reactive[TurnView | None] = reactive(None)

    def watch_view(self) -> None:
        self.rebuild()

    def on_resize(self, event: Resize) -> None:
        self.rebuild()

    def rebuild(self) -> None:
        view = self.view
        keep = self.highlighted
        self.clear_options()
        if view is None or view.hidden:
            return
        width = self.scrollable_content_region.width - 2
        options: list[Option | None] = [
            Option(indicator_prompt(line, width), id=line.id) for line in view.indicators()]
        facts = [f for f in view.flags() if f.value or f.changed]
        if facts or view.flags():
            options.append(None)
            options.append(Option(Text("Facts", "bold"), id="-facts", disabled=True))
            if not facts:
                options.append(Option(Text("(none yet)", "italic"), id="-none", disabled=True))
            options += [Option(flag_prompt(f), id=f.id) for f in facts]
        coming = view.upcoming()
        if coming:
            options.append(None)
            options.append(Option(Text("Coming", "bold"), id="-coming", disabled=True))
            options += [Option(Text(line), id=f"-coming-{n}", disabled=True)
                        for n, line in enumerate(coming)]
        self.add_options(options)
        if keep is not None and keep < self.option_count:
            self.highlighted = keep

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and not event.option.id.startswith("-"):
            self.post_message(ShowWhy(event.option.id))
