"""Whole games played through the interface with Pilot, as a student would."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from kazsim.tui.screens.debrief import DebriefScreen
from kazsim.tui.screens.play import PlayScreen
from kazsim.tui.screens.resolution import ResolutionScreen

from .helpers import make_app, play_through, screen_text, settle

SEED = 11


@pytest.mark.slow
@pytest.mark.parametrize("role", ["council", "union", "province"])
async def test_a_human_plays_a_whole_game_as_each_role(save_dir: Path, role: str) -> None:
    """Every human choice reaches the engine and the save; the debrief shows the ending."""
    app = make_app(save_dir, scenario="tutorial", roles=(role,), seed=SEED)
    picks = random.Random(role)
    resolutions = 0

    def count(app_now: object) -> None:
        nonlocal resolutions
        if isinstance(getattr(app_now, "screen", None), ResolutionScreen):
            resolutions += 1

    async with app.run_test(size=(80, 24)) as pilot:
        chosen = await play_through(pilot, lambda view: picks.randrange(3), on_screen=count)
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        game = debrief.game
        assert game.over
        ending = game.scenario.ending(game.state.ending or "")
        assert ending.title in screen_text(app)
        assert [c[1] for c in chosen] == [role] * len(game.records)
        assert [r.decisions[role] for r in game.records] == [c[2] for c in chosen]
        assert resolutions == len(game.records)
    saves = list(save_dir.glob("*.json"))
    assert len(saves) == 1
    saved = json.loads(saves[0].read_text())
    assert saved["seed"] == SEED and saved["ending"] == game.state.ending
    assert [t["decisions"][role] for t in saved["turns"]] == [c[2] for c in chosen]
    assert saved["players"][role]["kind"] == "human"


async def test_the_setup_screen_starts_the_chosen_game(save_dir: Path) -> None:
    """Title -> scenario -> setup (seed typed in, second role human) -> the game."""
    app = make_app(save_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: "Tutorial" in screen_text(app), what="the scenario list")
        await pilot.press("enter")  # the tutorial is listed first
        await settle(pilot, lambda: type(app.screen).__name__ == "SetupScreen")
        await pilot.press("tab", "tab", "enter", "up", "enter")  # the union: Human
        await pilot.press("tab", "B", "o", "b")  # the union player's name
        await pilot.press("tab", "tab", *"4242")  # the seed (typing replaces it)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: any(isinstance(s, PlayScreen) for s in app.screen_stack))
        play = next(s for s in app.screen_stack if isinstance(s, PlayScreen))
        assert play.game.seed == 4242
        assert play.config.humans == ("council", "union")
        assert play.config.seat("union").name == "Bob"
        assert play.config.hot_seat
