"""Numbers drawn as text: bars, trend arrows, sparklines and column charts.

Pure functions from values to strings, shared by the turn screen, the
resolution, the debrief and the replay viewer. Every glyph carries its meaning
without colour (filled █ against empty ░, ▲ up, ▼ down, words for better and
worse), so the game reads the same in a monochrome terminal.
"""

from __future__ import annotations

from collections.abc import Sequence

from kazsim.story import fmt

BLOCKS = " ▁▂▃▄▅▆▇█"  # eighths of a cell, index 0..8
SPARKS = "▁▂▃▄▅▆▇█"  # a sparkline never drops below the baseline glyph


def fraction(value: float, lo: float, hi: float) -> float:
    """Where `value` sits between `lo` and `hi`, from 0 to 1."""
    if hi <= lo:
        return 0.0
    return min(1.0, max(0.0, (value - lo) / (hi - lo)))


def bar(value: float, lo: float, hi: float, width: int) -> str:
    """A horizontal bar: █ for the filled part, ░ for the rest."""
    width = max(1, width)
    filled = round(fraction(value, lo, hi) * width)
    return "█" * filled + "░" * (width - filled)


def sparkline(values: Sequence[float], lo: float, hi: float, width: int) -> str:
    """The last `width` values as one line of rising blocks."""
    shown = list(values)[-width:] if width > 0 else []
    return "".join(SPARKS[round(fraction(v, lo, hi) * (len(SPARKS) - 1))] for v in shown)


def trend(delta: float) -> str:
    """A change as an arrow and a signed number: ▲ +8, ▼ −3, or = 0."""
    if abs(delta) < 0.05:
        return "= 0"
    return f"▲ +{fmt(delta)}" if delta > 0 else f"▼ −{fmt(-delta)}"


def judgement(delta: float, high_is: str) -> str:
    """'better', 'worse' or '' for a change of an indicator whose high end is good or bad."""
    if abs(delta) < 0.05 or high_is == "neutral":
        return ""
    return "better" if (delta > 0) == (high_is == "good") else "worse"


def column_chart(values: Sequence[float], lo: float, hi: float, height: int,
                 column_width: int = 1) -> list[str]:
    """A column chart, top row first: one column per value, `height` rows of eighths."""
    height = max(1, height)
    rows: list[list[str]] = [[] for _ in range(height)]
    for value in values:
        eighths = round(fraction(value, lo, hi) * height * 8)
        eighths = max(1, eighths)  # a sliver even at the floor, so every turn has a column
        for row in range(height):
            level = row  # 0 is the bottom row
            cell = max(0, min(8, eighths - level * 8))
            rows[height - 1 - row].append(BLOCKS[cell] * column_width)
    return ["".join(row) for row in rows]


def axis_labels(columns: int, column_width: int) -> str:
    """Numbers under a column chart: 0 (the start) and every fifth turn after it."""
    line = [" "] * (columns * column_width)
    for index in range(0, columns, 5):
        label = str(index)
        start = index * column_width
        if start + len(label) <= len(line):
            line[start:start + len(label)] = list(label)
    return "".join(line).rstrip()
