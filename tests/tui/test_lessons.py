"""A lesson in the terminal: its length chosen in the setup screen (or by --turns), the
status line, the briefing and the debrief saying so, the scenario's own debrief."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Select, Static

from kazsim.scenario.load import load_file
from kazsim.tui.app import KazsimApp
from kazsim.tui.config import lesson_lengths
from kazsim.tui.screens.debrief import DebriefScreen
from kazsim.tui.screens.play import PlayScreen
from kazsim.tui.screens.setup import SetupScreen

from .helpers import make_app, screen_text, settle, step_until

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
DEBRIEF = """
debrief:
  - text: Every real strike of this kind was settled by talks in the end.
    cites: [invented]
"""


def lesson_tutorial(folder: Path) -> Path:
    """The tutorial with suggested lessons of 2 and 3 turns, and a debrief of its own."""
    text = TUTORIAL.read_text(encoding="utf-8")
    assert "\n  turns: 5\n" in text
    path = folder / "lesson-tutorial.yaml"
    path.write_text(text.replace("\n  turns: 5\n", "\n  turns: 5\n  lesson_turns: [3, 2]\n")
                    + DEBRIEF, encoding="utf-8")
    return path


def set_up(app: KazsimApp) -> bool:
    """The setup screen is up, its length choice made."""
    return isinstance(app.screen, SetupScreen) and bool(app.screen.query("#turns")) and \
        app.screen.query_one("#turns", Select).value != Select.NULL


def test_the_suggested_lessons_come_first(tmp_path: Path) -> None:
    compiled = load_file(lesson_tutorial(tmp_path))
    assert lesson_lengths(compiled) == [
        ("2 turns (suggested)", 2), ("3 turns (suggested)", 3), ("Whole game (5 turns)", None),
        ("1 turn", 1), ("4 turns", 4)]
    assert [n for _, n in lesson_lengths(load_file(TUTORIAL))] == [None, 1, 2, 3, 4]


async def test_a_lesson_chosen_in_the_setup_screen_ends_with_the_full_debrief(
        tmp_path: Path, save_dir: Path) -> None:
    app = make_app(save_dir, scenario=str(lesson_tutorial(tmp_path)), seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: set_up(app))
        choice = app.screen.query_one("#turns", Select)
        assert choice.value == 0  # the whole game, unless asked
        await pilot.press("ctrl+l")  # in the footer: to the length, below the seats
        assert app.screen.focused is choice
        await pilot.press("enter", "up", "enter")  # the whole game's neighbour: 3 (suggested)
        assert choice.value == 3
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: any(isinstance(s, PlayScreen) for s in app.screen_stack))
        play = next(s for s in app.screen_stack if isinstance(s, PlayScreen))
        assert play.game.turn_limit == 3 and play.config.turns == 3
        await settle(pilot, lambda: "a lesson; the whole scenario has 5" in screen_text(app),
                     what="the briefing")
        await step_until(pilot, lambda a: isinstance(a.screen, PlayScreen)
                         and a.screen.view is not None and not a.screen.view.hidden)
        status = str(play.query_one("#status", Static).render())
        assert status.startswith("Turn 1 of 3 (lesson) · ")
        await step_until(pilot, lambda a: isinstance(a.screen, DebriefScreen))
        assert len(play.game.records) <= 3
        text = screen_text(app)
        assert f"After {len(play.game.records)} turns of a 3-turn lesson" in text
        await pilot.press("3")
        await pilot.pause(0.2)
        text = screen_text(app)
        assert "The real crisis" in text
        assert "Every real strike of this kind was settled by talks in the end." in text
    save = next(save_dir.glob("*.json"))
    assert '"turn_limit": 3' in save.read_text(encoding="utf-8")


async def test_turns_from_the_command_line(save_dir: Path) -> None:
    app = make_app(save_dir, scenario="tutorial", seed=7, turns=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: set_up(app))
        assert app.screen.query_one("#turns", Select).value == 2
    app = make_app(save_dir, scenario="tutorial", roles=("council",), seed=7, turns=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: any(isinstance(s, PlayScreen) for s in app.screen_stack))
        play = next(s for s in app.screen_stack if isinstance(s, PlayScreen))
        assert play.game.turn_limit == 2
    app = make_app(save_dir, scenario="tutorial", seed=7, turns=9)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: bool(app.problem))
    assert app.problem == "--turns: a game of 'tutorial' lasts from 1 to 5 turns, not 9"
