"""Any terminal size renders something sensible: the screen, or a "make the window larger" note.

Every main screen is opened at 80x24 and then squeezed to tiny sizes and back.
Below `MIN_SIZE` the screen shows only the note (and the game goes on behind it);
from `MIN_SIZE` up, the screen itself, without the note. Nothing may raise (Pilot
re-raises what the app raises). At 10x5 the title screen used to crash in
Textual's text wrapping (ValueError: range() arg 3 must not be zero).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Size
from textual.pilot import Pilot

import kazsim.tui.app
from kazsim.tui.app import MIN_SIZE, TOO_SMALL, KazsimApp

from .helpers import deciding_view, make_app, screen_text, settle, step_until

SIZES = [(10, 5), (20, 8), (1, 1), (39, 24), (80, 9), (40, 10), (41, 11), (80, 24)]


def is_screen(name: str) -> Callable[[KazsimApp], bool]:
    return lambda app: type(app.screen).__name__ == name


def showing(app: KazsimApp, name: str) -> Callable[[], bool]:
    return lambda: type(app.screen).__name__ == name


async def squeeze(pilot: Pilot[Any], seen: list[str]) -> None:
    """Resize through SIZES; at each, the note shows exactly when the terminal is too small."""
    app = pilot.app
    screen = app.screen
    seen.append(type(screen).__name__)
    for width, height in SIZES:
        await pilot.resize_terminal(width, height)
        await pilot.pause()
        assert app.screen is screen
        cramped = width < MIN_SIZE.width or height < MIN_SIZE.height
        notes = list(screen.query("#too-small"))
        shown = [w for w in screen.children if w.display]
        where = f"{type(screen).__name__} at {width}x{height}"
        if cramped:
            assert [w.id for w in shown] == ["too-small"], where
        else:
            assert all(not note.display for note in notes), where
            assert shown, where
    assert (width, height) == (80, 24)


async def title_ready(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, KazsimApp)
    await settle(pilot, lambda: "Sides:" in screen_text(app), what="the scenario list")


@pytest.mark.slow
async def test_the_title_and_its_menus_at_any_size(
        save_dir: Path, only_scenarios: Callable[..., None]) -> None:
    only_scenarios("tutorial", "kazakhstan-2022")
    seen: list[str] = []
    app = make_app(save_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await title_ready(pilot)
        await squeeze(pilot, seen)
        for key, screen in [("l", "LoadGameScreen"), ("question_mark", "HelpScreen"),
                            ("ctrl+p", "Palette"), ("ctrl+q", "QuitScreen")]:
            await pilot.press(key)
            await settle(pilot, showing(app, screen), what=screen)
            await squeeze(pilot, seen)
            await pilot.press("escape")
            await settle(pilot, showing(app, "TitleScreen"), what="the title again")
        await pilot.press("enter")  # the tutorial: its setup screen
        await settle(pilot, showing(app, "SetupScreen"), what="the setup screen")
        await squeeze(pilot, seen)
    assert seen == ["TitleScreen", "LoadGameScreen", "HelpScreen", "Palette", "QuitScreen",
                    "SetupScreen"]


@pytest.mark.slow
async def test_a_whole_game_at_any_size(save_dir: Path) -> None:
    seen: list[str] = []
    app = make_app(save_dir, scenario="tutorial", roles=("council",), seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await step_until(pilot, is_screen("BriefingScreen"))
        await squeeze(pilot, seen)
        await step_until(pilot, lambda a: deciding_view(a) is not None)
        await squeeze(pilot, seen)  # the turn screen
        await pilot.press("enter")
        await settle(pilot, showing(app, "ConfirmScreen"), what="the confirmation")
        await squeeze(pilot, seen)
        await pilot.press("y")
        await settle(pilot, showing(app, "ResolutionScreen"), what="the resolution")
        await squeeze(pilot, seen)
        await pilot.press("w")  # why: the reasons
        await squeeze(pilot, seen)
        await step_until(pilot, is_screen("DebriefScreen"))
        for page in "1234":
            await pilot.press(page)
            await squeeze(pilot, seen)
    assert seen[:4] == ["BriefingScreen", "PlayScreen", "ConfirmScreen", "ResolutionScreen"]
    assert seen[-4:] == ["DebriefScreen"] * 4


@pytest.mark.slow
async def test_a_replay_at_any_size(save_dir: Path) -> None:
    app = make_app(save_dir, scenario="tutorial", roles=("council",), seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await step_until(pilot, is_screen("DebriefScreen"))
    [save] = list(save_dir.glob("*.json"))
    seen: list[str] = []
    app = make_app(save_dir, replay=str(save))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, showing(app, "ReplayScreen"), what="the replay")
        await squeeze(pilot, seen)
        await pilot.press("right")
        await squeeze(pilot, seen)
    assert seen == ["ReplayScreen", "ReplayScreen"]


def test_the_note_names_the_size_it_needs() -> None:
    assert f"{MIN_SIZE.width} × {MIN_SIZE.height}" in TOO_SMALL
    assert TOO_SMALL.startswith("Make the window larger")


@pytest.mark.parametrize("size", [(10, 5), (9, 5), (11, 6), (12, 5), (8, 3)])
async def test_a_list_squeezed_to_no_column_does_not_crash(
        size: tuple[int, int], save_dir: Path, only_scenarios: Callable[..., None],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the note the title's menu itself is laid out at 10x5: its options had no
    column left to wrap in, and Textual's wrapping divided by zero (app.tcss keeps a list
    a few columns wide instead)."""
    only_scenarios("tutorial", "kazakhstan-2022")
    monkeypatch.setattr(kazsim.tui.app, "MIN_SIZE", Size(0, 0))
    app = make_app(save_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await title_ready(pilot)
        await pilot.resize_terminal(*size)
        await pilot.pause()
        assert not app.screen.has_class("-cramped")
        assert app.screen.query_one("#menu").display


async def test_screens_opened_while_the_terminal_is_too_small_show_the_note(
        save_dir: Path) -> None:
    """Launched at 10x5, the game loads and opens its screens behind the note; help opened
    then shows it too; once the terminal is large enough, the game is there, keys work."""
    app = make_app(save_dir, scenario="tutorial", roles=("council",), seed=7)
    async with app.run_test(size=(10, 5)) as pilot:
        await settle(pilot, showing(app, "BriefingScreen"), what="the briefing")
        await pilot.pause()
        for name in ["BriefingScreen", "HelpScreen"]:
            assert type(app.screen).__name__ == name
            shown = [w.id for w in app.screen.children if w.display]
            assert shown == ["too-small"], name
            app.action_help()
            await settle(pilot, showing(app, "HelpScreen"), what="the help")
            await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot, showing(app, "BriefingScreen"), what="the briefing again")
        assert not [w for w in app.screen.query("#too-small") if w.display]
        await step_until(pilot, lambda a: deciding_view(a) is not None)
