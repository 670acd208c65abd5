"""Every message about saves names the save folder in full, wherever kazsim was started.

"No saved games in saves yet." said nothing about which folder that was; the
Load game screen, "Saved as", the autosave messages and `kazsim export` give
the absolute path.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kazsim.scenario import CompiledScenario
from kazsim.tui.config import GameConfig, default_seats


async def _tagline_and_list(folder: Path) -> tuple[str, list[str]]:
    """Open Load game in the real app: its tagline and the lines of its list."""
    from textual.widgets import OptionList, Static

    from kazsim.tui.app import KazsimApp, LaunchRequest
    from kazsim.tui.screens.load_game import LoadGameScreen

    def lines(screen: object) -> list[str]:
        if not isinstance(screen, LoadGameScreen) or not screen.query("#saves"):
            return []
        options = screen.query_one("#saves", OptionList)
        return [str(options.get_option_at_index(i).prompt)
                for i in range(options.option_count)]

    app = KazsimApp(LaunchRequest(save_dir=folder))
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(1000):
            if type(app.screen).__name__ == "TitleScreen":
                break
            await pilot.pause(0.02)
        app.action_load_game()
        for _ in range(1000):
            if lines(app.screen) and "Reading" not in lines(app.screen)[0]:
                break
            await pilot.pause(0.02)
        tagline = str(app.screen.query_one("#tagline", Static).render())
        return tagline, lines(app.screen)


async def test_the_load_game_screen_names_the_folder_in_full(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    tagline, options = await _tagline_and_list(Path("saves"))
    folder = tmp_path / "saves"
    assert tagline.startswith(f"Saved games in {folder}. Enter resumes a game")
    assert options == [f"No saved games in {folder} yet."]


def test_saved_as_names_the_file_in_full(tutorial: CompiledScenario, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from kazsim.tui.saving import start

    monkeypatch.chdir(tmp_path)
    saver = start(tutorial, GameConfig(4, default_seats(tutorial)), Path("saves"))
    assert saver.begin() == ""
    assert saver.path == tmp_path / "saves" / "tutorial-seed4-1.json"
    assert saver.save_as("Monday class") == (
        True, f"Saved as {tmp_path / 'saves' / 'Monday class.json'}")
