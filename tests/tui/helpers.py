"""Driving the real app with Pilot: waiting for it to settle, reading the screen, playing.

Every helper acts through keys, the way a player does; the engine's state is
read only to check what the interface did.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events
from textual.pilot import Pilot

from kazsim.tui.app import KazsimApp, LaunchRequest
from kazsim.tui.view import TurnView

FIXED_NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def fixed_clock() -> dt.datetime:
    return FIXED_NOW


def make_app(save_dir: Path, **request: Any) -> KazsimApp:
    """The app as the command line would start it, with the clock and the seeds pinned."""
    return KazsimApp(LaunchRequest(save_dir=save_dir, clock=fixed_clock, **request),
                     rng=random.Random(0))


async def settle(pilot: Pilot[Any], done: Callable[[], bool], timeout: float = 15.0,
                 what: str = "the app to settle") -> None:
    """Pause until `done()` holds (workers finish, screens change), or fail."""
    waited = 0.0
    while not done():
        if waited > timeout:
            raise AssertionError(f"timed out waiting for {what}; screen: {pilot.app.screen}")
        await pilot.pause(0.02)
        waited += 0.02


def screen_text(app: KazsimApp) -> str:
    """All the text the current screen holds (scrolled out of view or not), as plain text.

    Stricter than a screenshot for privacy checks, and much faster.
    """
    from rich.console import Console
    from textual.widgets import Button, OptionList, Static

    console = Console(file=io.StringIO(), width=120, color_system=None)
    screen = app.screen
    parts = [str(screen.title or ""), str(screen.sub_title or "")]
    for widget in screen.query("*"):
        if widget.border_title:
            parts.append(str(widget.border_title))
        if isinstance(widget, Static):
            console.print(widget.content)
        elif isinstance(widget, OptionList):
            for option in widget.options:
                console.print(option.prompt)
        elif isinstance(widget, Button):
            console.print(widget.label)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(parts) + "\n" + str(output)


def deciding_view(app: KazsimApp) -> TurnView | None:
    """The play screen's view when a human is choosing on it (and it is on top)."""
    from kazsim.tui.screens.play import PlayScreen

    screen = app.screen
    if isinstance(screen, PlayScreen) and screen.view is not None and not screen.view.hidden \
            and screen.view.deciding is not None:
        return screen.view
    return None


def key_event(key: str) -> events.Key:
    """The event a terminal sends for `key` (as Pilot builds it)."""
    char = key if len(key) == 1 else {"space": " ", "question_mark": "?"}.get(key)
    return events.Key(key, char)


Chooser = Callable[[TurnView], int]  # how many available actions to skip from the first


async def play_through(pilot: Pilot[Any], chooser: Chooser, *, max_steps: int = 600,
                       on_screen: Callable[[KazsimApp], None] | None = None,
                       chosen: list[tuple[int, str, str]] | None = None
                       ) -> list[tuple[int, str, str]]:
    """Play to the debrief with the keyboard.

    Returns (turn, role, action) of every confirmed choice; `chosen`, if given,
    is filled as the game goes (so `on_screen` can look at earlier choices).
    """
    from kazsim.tui.screens.briefing import BriefingScreen
    from kazsim.tui.screens.confirm import ConfirmScreen
    from kazsim.tui.screens.curtain import CurtainScreen
    from kazsim.tui.screens.debrief import DebriefScreen
    from kazsim.tui.screens.loading import LoadingScreen
    from kazsim.tui.screens.play import PlayScreen
    from kazsim.tui.screens.reference import WarningScreen
    from kazsim.tui.screens.resolution import ResolutionScreen

    app = pilot.app
    assert isinstance(app, KazsimApp)
    chosen = [] if chosen is None else chosen
    pending: tuple[int, str, str] | None = None
    for _ in range(max_steps):
        await settle(pilot, lambda: not isinstance(app.screen, (PlayScreen, LoadingScreen))
                     or deciding_view(app) is not None, what="a screen that wants input")
        screen = app.screen
        if on_screen is not None:
            on_screen(app)
        if isinstance(screen, DebriefScreen):
            return chosen
        if isinstance(screen, (WarningScreen, CurtainScreen, BriefingScreen,
                               ResolutionScreen)):
            await pilot.press("enter")
        elif isinstance(screen, ConfirmScreen):
            assert pending is not None
            chosen.append(pending)
            await pilot.press("y")
        elif isinstance(screen, PlayScreen):
            view = deciding_view(app)
            assert view is not None and view.deciding is not None
            available = [s.action.id for s in view.statuses if s.available]
            skip = chooser(view) % len(available)
            await pilot.press(*["down"] * skip)
            pending = (view.turn, view.deciding, available[skip])
            await pilot.press("enter")
        else:
            raise AssertionError(f"unexpected screen {screen}")
        await pilot.pause()
    raise AssertionError("the game did not end")


async def step_until(pilot: Pilot[Any], stop: Callable[[KazsimApp], bool], *,
                     pick: int = 0, max_steps: int = 200) -> None:
    """Play with the keyboard (always the `pick`-th available action) until `stop(app)`."""
    from kazsim.tui.screens.briefing import BriefingScreen
    from kazsim.tui.screens.confirm import ConfirmScreen
    from kazsim.tui.screens.curtain import CurtainScreen
    from kazsim.tui.screens.loading import LoadingScreen
    from kazsim.tui.screens.play import PlayScreen
    from kazsim.tui.screens.reference import WarningScreen
    from kazsim.tui.screens.resolution import ResolutionScreen

    app = pilot.app
    assert isinstance(app, KazsimApp)
    for _ in range(max_steps):
        await settle(pilot, lambda: not isinstance(app.screen, (PlayScreen, LoadingScreen))
                     or deciding_view(app) is not None, what="a screen that wants input")
        if stop(app):
            return
        screen = app.screen
        if isinstance(screen, (WarningScreen, CurtainScreen, BriefingScreen,
                               ResolutionScreen)):
            await pilot.press("enter")
        elif isinstance(screen, ConfirmScreen):
            await pilot.press("y")
        elif isinstance(screen, PlayScreen):
            await pilot.press(*["down"] * pick, "enter")
        else:
            raise AssertionError(f"cannot step on from {screen}")
        await pilot.pause()
    raise AssertionError("never reached the wanted screen")


def no_blink(app: KazsimApp) -> None:
    """Pin text cursors (they blink on a timer) for stable screenshots."""
    from textual.widgets import Input

    for field in app.screen.query(Input):
        field.cursor_blink = False


async def past_the_warning(pilot: Pilot[Any], app: KazsimApp) -> None:
    """Wait for a scenario's content warning, said before the game, and go on (Enter)."""
    from kazsim.tui.screens.reference import WarningScreen

    await settle(pilot, lambda: isinstance(app.screen, WarningScreen),
                 what="the content warning")
    await pilot.press("enter")
