"""A tiny builder for wrapped, indented text: headings, paragraphs, bullets.

Rich wraps a `Text` at the widget's width but does not indent the lines
after the first; bullets and reasons here keep their hanging indent at any
width. `Hanging` does it by wrapping the text itself, which is several times
cheaper than a Rich table per bullet (it matters for the first frame of a
briefing: see benchmarks/bench_startup.py).
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.text import Text


class Hanging:
    """`mark` then `body`, every line after the first indented under the body."""

    def __init__(self, body: Text, *, indent: int = 0, mark: str = "") -> None:
        self.body = body
        self.first = " " * indent + (mark + " " if mark else "")
        self.rest = " " * len(self.first)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(8, options.max_width - len(self.first))
        for index, line in enumerate(self.body.wrap(console, width)):
            yield Text(self.first if index == 0 else self.rest) + line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((len(word) for word in self.body.plain.split()), default=0)
        return Measurement(len(self.first) + longest, len(self.first) + self.body.cell_len)


class Doc:
    """Append blocks, then `render()` them as one renderable for a `Static`."""

    def __init__(self) -> None:
        self.blocks: list[RenderableType] = []

    def __bool__(self) -> bool:
        return bool(self.blocks)

    def heading(self, title: str) -> Doc:
        if self.blocks:
            self.blocks.append(Text(""))
        self.blocks.append(Text(title, "bold underline"))
        return self

    def para(self, text: str | Text, *, indent: int = 0, style: str = "") -> Doc:
        body = text if isinstance(text, Text) else Text(" ".join(text.split()), style)
        self.blocks.append(Hanging(body, indent=indent) if indent else body)
        return self

    def bullet(self, text: str | Text, *, indent: int = 2, mark: str = "•",
               style: str = "") -> Doc:
        body = text if isinstance(text, Text) else Text(" ".join(text.split()), style)
        self.blocks.append(Hanging(body, indent=indent, mark=mark))
        return self

    def blank(self) -> Doc:
        self.blocks.append(Text(""))
        return self

    def render(self) -> Group:
        return Group(*self.blocks)
