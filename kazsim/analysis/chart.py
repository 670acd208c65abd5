"""Turn-by-turn indicator ranges drawn as text: one row per turn, min to max, mean marked.

    Protest size (0 to 100)
      turn  games   min  mean   max  0                                      100
         0   1000    20    20    20  │       ●                                │
         1   1000    18  24.5    31  │      ─●──                              │

Plain characters only, so the chart reads the same in a terminal, a Markdown
code block and a text file.
"""

from __future__ import annotations

from kazsim.analysis.findings import IndicatorStat, TurnRange

WIDTH = 40  # cells between the two borders
MAX_ROWS = 30  # longer games show every k-th turn (and always the last)


def num(value: float) -> str:
    """A number for a report: whole numbers plain, others with one decimal."""
    if value != value or value in (float("inf"), float("-inf")):  # NaN or infinite
        return "-"
    rounded = round(value, 1) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}"


def _cell(value: float, lo: float, hi: float) -> int:
    if hi <= lo:
        return 0
    position = (value - lo) / (hi - lo) * (WIDTH - 1)
    return max(0, min(WIDTH - 1, round(position)))


def rows_shown(turns: tuple[TurnRange, ...]) -> list[TurnRange]:
    """Every turn, or every k-th (keeping the first and last) when there are many."""
    if len(turns) <= MAX_ROWS:
        return list(turns)
    step = -(-len(turns) // MAX_ROWS)
    shown = list(turns[::step])
    if shown[-1] is not turns[-1]:
        shown.append(turns[-1])
    return shown


def bar(row: TurnRange, lo: float, hi: float) -> str:
    cells = [" "] * WIDTH
    for i in range(_cell(row.low, lo, hi), _cell(row.high, lo, hi) + 1):
        cells[i] = "─"
    cells[_cell(row.mean, lo, hi)] = "●"
    return "│" + "".join(cells) + "│"


def indicator_chart(ind: IndicatorStat) -> list[str]:
    """The chart of one indicator, as lines without trailing newlines."""
    lo_label, hi_label = num(ind.min), num(ind.max)
    scale = lo_label + " " * max(1, WIDTH + 2 - len(lo_label) - len(hi_label)) + hi_label
    lines = [f"{ind.label} ({lo_label} to {hi_label})",
             f"  turn  games    min   mean    max  {scale}"]
    for row in rows_shown(ind.turns):
        lines.append(f"  {row.turn:>4}  {row.games:>5}  {num(row.low):>5}  {num(row.mean):>5}  "
                     f"{num(row.high):>5}  {bar(row, ind.min, ind.max)}")
    return lines
