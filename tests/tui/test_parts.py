"""The pure parts of the terminal game: glyphs, seats, what a role may see."""

from __future__ import annotations

import pytest

from kazsim.engine import Game
from kazsim.scenario.compiled import CompiledScenario
from kazsim.tui.config import SetupError, default_seats
from kazsim.tui.text import axis_labels, bar, column_chart, judgement, sparkline, trend
from kazsim.tui.view import TurnView


def test_bars_and_lines_carry_meaning_without_colour() -> None:
    assert bar(50, 0, 100, 10) == "█████░░░░░"
    assert bar(-5, 0, 100, 4) == "░░░░" and bar(500, 0, 100, 4) == "████"
    assert sparkline([0, 50, 100], 0, 100, 10) == "▁▅█"
    assert sparkline(range(20), 0, 19, 5) == "▇▇▇██"  # only the last five values
    assert trend(8) == "▲ +8" and trend(-2.5) == "▼ −2.5" and trend(0.01) == "= 0"
    assert judgement(5, "bad") == "worse" and judgement(-5, "bad") == "better"
    assert judgement(5, "neutral") == "" and judgement(0, "good") == ""


def test_column_chart_rows_and_axis() -> None:
    rows = column_chart([0, 50, 100], 0, 100, height=2)
    assert rows == ["  █", "▁██"]
    assert rows[1][0] == "▁"  # the floor still shows a sliver: every turn has a column
    assert rows[0][2] == "█" and rows[1][2] == "█"  # the top fills both rows
    assert rows[1][1] == "█" and rows[0][1] == " "  # half fills the bottom row
    assert axis_labels(12, 1) == "0    5    10"


def test_default_seats(tutorial: CompiledScenario) -> None:
    seats = default_seats(tutorial)
    assert [s.role for s in seats if s.human] == ["council"]  # the first role, by default
    seats = default_seats(tutorial, ["union", "province"], "hard")
    assert [(s.role, s.human, s.level) for s in seats] == [
        ("council", False, "hard"), ("union", True, "hard"), ("province", True, "hard")]
    with pytest.raises(SetupError, match="no role called 'mayor'"):
        default_seats(tutorial, ["mayor"])


def test_a_view_shows_only_what_its_viewers_may_see(tutorial: CompiledScenario) -> None:
    game = Game(tutorial, 1)
    game.play_ai_turn({})

    def ids(*viewers: str) -> list[str]:
        view = TurnView(tutorial, viewers, tuple(game.states), tuple(game.records))
        return [line.id for line in view.indicators()]

    assert "council_reserves" in ids("council")
    assert "council_reserves" not in ids("union")
    assert "council_reserves" not in ids("council", "union")  # hot seat: only what both see
    assert "council_reserves" in ids()  # the narrator (debrief, replay) sees everything
    view = TurnView(tutorial, ("union",), tuple(game.states), tuple(game.records))
    line = next(i for i in view.indicators() if i.id == "strike_size")
    assert line.history == tuple(float(s.values["strike_size"]) for s in game.states)
    assert line.delta == line.history[1] - line.history[0]
