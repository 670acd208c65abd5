"""Snapshots of every screen (pytest-textual-snapshot), seeds and clock pinned.

Update after an intended change with `pytest tests/tui --snapshot-update` and
look at the pictures in the report before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from kazsim.tui.app import KazsimApp

from .helpers import deciding_view, make_app, no_blink, screen_text, settle, step_until

ROOT = Path(__file__).resolve().parents[2]
Before = Callable[[Pilot[Any]], Awaitable[None]]


@pytest.fixture(autouse=True)
def pinned_scenarios(only_scenarios: Callable[..., None]) -> None:
    """Only the tutorial: the title and setup pictures do not change when scenarios
    are added to the repository."""
    only_scenarios("tutorial")


@pytest.fixture(autouse=True)
def pinned_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    """Save paths are shown in full; each test's folder differs, so the pictures show
    them as if kazsim had been started in /home/teacher (like the pinned clock)."""
    import os

    from kazsim.tui import saving

    monkeypatch.setattr(saving, "shown", lambda path: "/home/teacher/" + os.path.relpath(path))


def is_screen(name: str) -> Callable[[KazsimApp], bool]:
    return lambda app: type(app.screen).__name__ == name


def turn(n: int, role: str = "council") -> Callable[[KazsimApp], bool]:
    def at(app: KazsimApp) -> bool:
        view = deciding_view(app)
        return view is not None and view.turn == n and view.deciding == role
    return at


def tutorial(save_dir: Path, *roles: str) -> KazsimApp:
    return make_app(save_dir, scenario="tutorial", roles=roles or ("council",), seed=7)


def then(stop: Callable[[KazsimApp], bool], *keys: str, pick: int = 0) -> Before:
    """Play until `stop`, then press `keys` and let the app settle."""
    async def run(pilot: Pilot[Any]) -> None:
        await step_until(pilot, stop, pick=pick)
        if keys:
            await pilot.press(*keys)
        await pilot.pause(0.2)
        assert isinstance(pilot.app, KazsimApp)
        no_blink(pilot.app)
    return run


async def title_ready(pilot: Pilot[Any]) -> None:
    app = pilot.app
    assert isinstance(app, KazsimApp)
    await settle(pilot, lambda: "Sides:" in screen_text(app), what="the scenario list")


def test_title(snap_compare: Any, save_dir: Path) -> None:
    assert snap_compare(make_app(save_dir), run_before=title_ready)


def test_setup(snap_compare: Any, save_dir: Path) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await title_ready(pilot)
        await pilot.press("enter")
        assert isinstance(pilot.app, KazsimApp)
        app = pilot.app
        await settle(pilot, lambda: is_screen("SetupScreen")(app))
        await pilot.pause(0.2)
        no_blink(pilot.app)
    assert snap_compare(make_app(save_dir), run_before=run)


def test_briefing(snap_compare: Any, save_dir: Path) -> None:
    assert snap_compare(tutorial(save_dir), run_before=then(is_screen("BriefingScreen")))


def test_turn_screen(snap_compare: Any, save_dir: Path) -> None:
    assert snap_compare(tutorial(save_dir), run_before=then(turn(2)))


def test_turn_screen_wide(snap_compare: Any, save_dir: Path) -> None:
    assert snap_compare(tutorial(save_dir), run_before=then(turn(2)), terminal_size=(100, 30))


def test_confirm_decision(snap_compare: Any, save_dir: Path) -> None:
    assert snap_compare(tutorial(save_dir), run_before=then(turn(1), "down", "enter"))


def test_resolution_with_why(snap_compare: Any, save_dir: Path) -> None:
    assert snap_compare(tutorial(save_dir),
                        run_before=then(is_screen("ResolutionScreen"), "w"))


def test_why_of_an_indicator(snap_compare: Any, save_dir: Path) -> None:
    assert snap_compare(tutorial(save_dir),
                        run_before=then(turn(2), "i", "down", "enter"))


def test_curtain(snap_compare: Any, save_dir: Path) -> None:
    app = tutorial(save_dir, "council", "union")
    assert snap_compare(app, run_before=then(is_screen("CurtainScreen")))


@pytest.mark.slow
def test_debrief_outcome(snap_compare: Any, save_dir: Path) -> None:
    assert snap_compare(tutorial(save_dir), run_before=then(is_screen("DebriefScreen")))


@pytest.mark.slow
def test_debrief_charts(snap_compare: Any, save_dir: Path) -> None:
    assert snap_compare(tutorial(save_dir),
                        run_before=then(is_screen("DebriefScreen"), "2", "down"))


@pytest.mark.slow
def test_debrief_what_really_happened(snap_compare: Any, save_dir: Path) -> None:
    assert snap_compare(tutorial(save_dir), run_before=then(is_screen("DebriefScreen"), "3"))


@pytest.mark.slow
def test_debrief_discussion(snap_compare: Any, save_dir: Path) -> None:
    assert snap_compare(tutorial(save_dir), run_before=then(is_screen("DebriefScreen"), "4"))


def test_command_palette(snap_compare: Any, save_dir: Path) -> None:
    assert snap_compare(tutorial(save_dir), run_before=then(turn(1), "ctrl+p", *"save"))


def test_turn_screen_without_colour(snap_compare: Any, save_dir: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR: what the colours said is still there, in shapes and words."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(tutorial(save_dir), run_before=then(turn(2), "down"))


def test_help(snap_compare: Any, save_dir: Path) -> None:
    assert snap_compare(tutorial(save_dir), run_before=then(turn(1), "question_mark"))


def test_quit_confirmation(snap_compare: Any, save_dir: Path) -> None:
    assert snap_compare(tutorial(save_dir), run_before=then(turn(2), "ctrl+q"))


@pytest.mark.slow
def test_save_as(snap_compare: Any, save_dir: Path) -> None:
    assert snap_compare(tutorial(save_dir), run_before=then(turn(2), "s", *"class 2"))


def make_saves(save_dir: Path) -> tuple[Path, Path]:
    """A finished game (AI everywhere, named) and one in progress, saved at a fixed time."""
    from kazsim.scenario import load_file
    from kazsim.session.model import ai, human
    from kazsim.session.session import Session

    from .helpers import fixed_clock

    scenario = load_file(ROOT / "scenarios" / "tutorial.yaml")
    levels = {r: ai("easy") for r in scenario.role_ids}
    done = Session.new(scenario, 3, levels, save_dir, name="Monday class", clock=fixed_clock)
    while not done.game.over:
        done.record(done.game.play_ai_turn({}))
    going = Session.new(scenario, 9, {**levels, "union": human("Aigerim")}, save_dir,
                        clock=fixed_clock)
    going.record(going.game.play_ai_turn({}))
    return done.path, going.path


def test_load_game(snap_compare: Any, save_dir: Path) -> None:
    make_saves(save_dir)

    async def run(pilot: Pilot[Any]) -> None:
        await title_ready(pilot)
        await pilot.press("l")
        app = pilot.app
        assert isinstance(app, KazsimApp)
        await settle(pilot, lambda: "Monday class" in screen_text(app), what="the saves")
    assert snap_compare(make_app(save_dir), run_before=run)


def test_replay(snap_compare: Any, save_dir: Path) -> None:
    finished, _ = make_saves(save_dir)

    async def run(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, KazsimApp)
        await settle(pilot, lambda: is_screen("ReplayScreen")(app), what="the replay viewer")
        await settle(pilot, lambda: getattr(app.screen, "decided", None) is not None,
                     what="the odds")
        await pilot.press("right", "right", "w")
        await pilot.pause(0.2)
    assert snap_compare(make_app(save_dir, replay=str(finished)), run_before=run)


def test_scenario_problems(snap_compare: Any, save_dir: Path) -> None:
    """A scenario with a mistake, chosen from the title: every problem in a box."""
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text()
    broken = text.replace("id: tutorial", "id: broken_copy", 1).replace(
        "title: \"Tutorial: The Bread Price Strike\"", "title: \"A broken copy\"", 1).replace(
        "council_trust - strike_size / 2", "council_trust - strik_size / 2", 1)
    Path("scenarios").mkdir()
    Path("scenarios/broken.yaml").write_text(broken)

    async def run(pilot: Pilot[Any]) -> None:
        await title_ready(pilot)
        app = pilot.app
        assert isinstance(app, KazsimApp)
        await settle(pilot, lambda: "A broken copy" in screen_text(app))
        await pilot.press("down", "enter")  # the tutorial is first, then "A broken copy"
        await settle(pilot, lambda: is_screen("MessageScreen")(app), what="the problems")
    assert snap_compare(make_app(save_dir), run_before=run)
