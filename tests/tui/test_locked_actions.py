"""Unavailable actions are reached by the keyboard, and say why (80x24, no mouse)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, Static

from kazsim.tui.screens.confirm import ConfirmScreen
from kazsim.tui.screens.play import PlayScreen

from .helpers import deciding_view, make_app, step_until


async def test_the_arrow_keys_reach_a_locked_action_and_its_reason(save_dir: Path) -> None:
    app = make_app(save_dir, scenario="kazakhstan-2022", roles=("csto",), seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await step_until(pilot, lambda a: deciding_view(a) is not None)
        view = deciding_view(app)
        assert view is not None
        locked = [s for s in view.statuses if not s.available]
        assert locked, "the CSTO has actions that are locked on turn 1"
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        options = screen.query_one("#action-list", OptionList)
        assert app.focused is options
        usable = sum(s.available for s in view.statuses)
        await pilot.press(*["down"] * usable)  # past the available ones, over the line
        await pilot.pause()
        highlighted = options.get_option_at_index(options.highlighted or 0)
        assert highlighted.id == locked[0].action.id
        detail = str(screen.query_one("#action-detail", Static).content)
        assert f"Unavailable: {locked[0].reason}" in detail
        await pilot.press("enter")  # choosing it only says why again
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        notes = list(app._notifications)
        assert notes and locked[0].reason in notes[-1].message


async def test_the_debrief_of_an_ending_without_scores_shows_none(save_dir: Path,
                                                                  tmp_path: Path) -> None:
    """An ending marked `scores: false` (here the every-construct riot, made to come at
    once): the debrief lists each side's text, with no WIN/LOSS and no score."""
    from kazsim.engine import play_ai_game
    from kazsim.scenario.load import load_file
    from kazsim.tui.config import GameConfig, default_seats
    from kazsim.tui.screens.debrief import DebriefScreen

    from .helpers import screen_text

    source = Path(__file__).resolve().parents[1] / "docs" / "data" / "every_construct.yaml"
    riot = tmp_path / "riot.yaml"
    riot.write_text(source.read_text(encoding="utf-8").replace(
        'when: "anger >= 70"', 'when: "anger >= 0"'), encoding="utf-8")
    scenario = load_file(riot)
    game = play_ai_game(scenario, 2)
    assert game.state.ending == "riot"
    app = make_app(save_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(DebriefScreen(GameConfig(2, default_seats(scenario)), game))
        await pilot.pause()
        shown = screen_text(app)
        assert "The town riots" in shown and "The capital recalls you." in shown
        assert "score" not in shown.lower().replace("scores", "")
        assert not any(w in shown for w in ("WIN ", "LOSS", "DRAW"))
