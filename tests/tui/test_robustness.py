"""Thousands of seeded random key presses and resizes never raise.

Starts at the title screen (and once straight in a hot-seat game of the main
scenario), presses keys a player could press, in any order, and resizes the
terminal now and then. Any exception inside the app fails the test (Pilot
re-raises it). When a random sequence quits the app, a new one starts.
A failing run prints its seed; rerun with that seed to reproduce it.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .helpers import key_event, make_app

KEYS = ["enter", "enter", "enter", "escape", "tab", "shift+tab", "up", "down", "down", "left",
        "right", "home", "end", "pageup", "pagedown", "space", "y", "y", "n", "w", "b", "r",
        "s", "i", "a", "l", "p", "t", "1", "2", "3", "4", "question_mark", "f1", "ctrl+p",
        "ctrl+s", "ctrl+n", "x", "backspace", "7"]
QUIT_KEYS = ["ctrl+q", "q"]  # rarer: a quit ends the run, and a new app takes a second
SIZES = [(80, 24), (100, 30), (60, 20), (132, 43), (40, 12), (80, 24)]
PRESSES = 1200


async def hammer(save_dir: Path, keys_seed: int, presses: int, **launch: Any) -> dict[str, int]:
    """Press `presses` random keys in bursts (faster than a person types), resizing at times.

    Pilot.press waits for the app to go idle after every key (~75 ms); a burst of
    keys posted at once and then one pause is both harsher and 10 times faster.
    """
    rng = random.Random(keys_seed)
    done = apps = resizes = 0
    while done < presses:
        app = make_app(save_dir, **(launch if apps == 0 else {}))
        apps += 1
        async with app.run_test(size=rng.choice(SIZES)) as pilot:
            while done < presses and app.is_running:
                if rng.random() < 0.05:
                    await pilot.resize_terminal(*rng.choice(SIZES))
                    resizes += 1
                burst = rng.randint(1, 16)
                for _ in range(burst):
                    keys = QUIT_KEYS if rng.random() < 0.004 else KEYS
                    app.post_message(key_event(rng.choice(keys)))
                    await asyncio.sleep(0)
                done += burst
                await pilot.pause(0.05 if rng.random() < 0.1 else None)
    return {"presses": done, "apps": apps, "resizes": resizes}


@pytest.mark.slow
async def test_random_keys_from_the_title_never_raise(
        save_dir: Path, only_scenarios: Callable[..., None]) -> None:
    only_scenarios("tutorial", "kazakhstan-2022")  # the same menu whatever is added later
    seed = 20260302
    started = time.perf_counter()
    stats = await hammer(save_dir, seed, PRESSES)
    print(f"seed {seed}: {stats} in {time.perf_counter() - started:.1f}s")
    assert stats["presses"] >= PRESSES


@pytest.mark.slow
async def test_random_keys_in_a_hot_seat_game_never_raise(save_dir: Path) -> None:
    seed = 7
    stats = await hammer(save_dir, seed, PRESSES // 2, scenario="kazakhstan-2022",
                         roles=("government", "protestors"), seed=3, level="hard")
    print(f"seed {seed}: {stats}")
    assert stats["presses"] >= PRESSES // 2


async def test_a_more_below_hint_whose_screen_closed_does_nothing() -> None:
    """The random keys closed a screen between a "More below" hint's resize and the refresh
    it asked for; the refresh then looked for its page on no screen (NoScreen)."""
    from textual.app import App, ComposeResult
    from textual.containers import VerticalScroll

    from kazsim.tui.widgets.more import MoreBelow

    class Page(App[None]):
        def compose(self) -> ComposeResult:
            yield VerticalScroll(id="page")
            yield MoreBelow("page")

    app = Page()
    async with app.run_test(size=(40, 10)) as pilot:
        hint = app.query_one(MoreBelow)
        await hint.remove()
        hint.refresh_hint()  # as the refresh queued before the screen closed would
        await pilot.pause()
