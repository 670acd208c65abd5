"""The debrief's timeline tab, the setup screen's History seat, and briefings that
list no source from the game's future (Textual pilot, at 80x24)."""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll
from textual.widgets import Select, Static, TabbedContent

from kazsim.engine import play_ai_game
from kazsim.engine.timeline import compare
from kazsim.scenario.load import load_file
from kazsim.story import step_heading, step_verdict
from kazsim.tui.config import GameConfig, default_seats
from kazsim.tui.render import briefing_text
from kazsim.tui.screens.debrief import DebriefScreen
from kazsim.tui.screens.setup import SetupScreen
from kazsim.tui.view import TurnView

from .helpers import make_app

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


async def test_the_timeline_tab_shows_each_step_beside_the_game(save_dir: Path) -> None:
    scenario = load_file(SCENARIOS / "kazakhstan-2022.yaml")
    game = play_ai_game(scenario, 5, {r: "history" for r in scenario.role_ids})
    app = make_app(save_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(DebriefScreen(GameConfig(5, default_seats(scenario)), game))
        await pilot.press("6")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one(TabbedContent).active == "timeline"
        page = screen.query_one("#timeline-page", VerticalScroll)
        assert page.has_focus  # the arrows scroll it
        text = _render(page.query_one(Static).content)
        for match in compare(scenario, game.states, game.records).steps:
            assert " ".join(step_heading(match).split()) in text
            assert step_verdict(match) in text
        assert "Decisions with no real counterpart" in text


async def test_a_scenario_without_a_timeline_has_no_tab(save_dir: Path) -> None:
    scenario = load_file(SCENARIOS / "tutorial.yaml")
    game = play_ai_game(scenario, 5)
    app = make_app(save_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(DebriefScreen(GameConfig(5, default_seats(scenario)), game))
        await pilot.press("6")  # nothing to show: stays where it is
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "outcome"
        assert not app.screen.query("#timeline")


async def test_the_setup_screen_offers_history_where_the_timeline_names_a_role(
        save_dir: Path) -> None:
    scenario = load_file(SCENARIOS / "kazakhstan-2022.yaml")
    app = make_app(save_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(SetupScreen(scenario, seed=3))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        russia = screen.query_one("#who-russia", Select)
        west = screen.query_one("#who-west", Select)
        assert "history" in [v for _, v in russia._options]
        assert "history" not in [v for _, v in west._options]  # no real step of its own
        russia.value = "history"
        await pilot.pause()
        assert screen.config().seat("russia").level == "history"


def test_the_opening_briefing_lists_no_later_source() -> None:
    scenario = load_file(SCENARIOS / "kazakhstan-2022.yaml")
    game = play_ai_game(scenario, 1)
    opening = TurnView(scenario, ("government",), (game.states[0],), ())
    console_text = _render(briefing_text(opening, "government"))
    assert "death toll to 225" not in console_text
    assert "begin withdrawing" not in console_text
    assert "listed in the debrief, after the game" in console_text
    later = TurnView(scenario, ("government",), tuple(game.states), tuple(game.records))
    assert "death toll to 225" in _render(briefing_text(later, "government"))


def _render(renderable: object) -> str:
    import io

    from rich.console import Console

    console = Console(width=200, record=True, file=io.StringIO())
    console.print(renderable)
    return " ".join(console.export_text().split())
