"""Two people at one keyboard: a curtain between them, and nothing of one shown to the other."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kazsim.tui.app import KazsimApp
from kazsim.tui.screens.curtain import CurtainScreen
from kazsim.tui.screens.debrief import DebriefScreen

from .helpers import deciding_view, make_app, play_through, screen_text

pytestmark = pytest.mark.slow  # a whole hot-seat game through the keyboard


async def test_hot_seat_curtain_and_privacy(save_dir: Path) -> None:
    app = make_app(save_dir, scenario="tutorial", roles=("council", "union"), seed=5)
    picks = random.Random(5)
    events: list[tuple[str, int, str]] = []  # ("curtain"|"turn", turn, role or text)
    leaks: list[str] = []

    def watch(now: KazsimApp) -> None:
        screen = now.screen
        if isinstance(screen, CurtainScreen):
            events.append(("curtain", screen.turn, screen.role_name))
            text = screen_text(now)
            scenario = next(s for s in now.screen_stack if hasattr(s, "scenario")).scenario
            for ind in scenario.model.indicators:
                if ind.label in text:
                    leaks.append(f"the curtain shows {ind.label}")
            return
        view = deciding_view(now)
        if view is None:
            return
        events.append(("turn", view.turn, view.deciding or ""))
        text = screen_text(now)
        if view.deciding == "union":
            # The council's secret indicator and briefing never reach the union's screen,
            # and neither does the council's choice this turn.
            council = view.scenario.role("council").model
            if "Council reserves" in text:
                leaks.append(f"turn {view.turn}: the union sees the council's reserves")
            if council.secret in text:
                leaks.append(f"turn {view.turn}: the union sees the council's secret")
            chosen = [c for c in choices if c[0] == view.turn and c[1] == "council"]
            label = view.scenario.role("council").by_id[chosen[0][2]].model.label
            if label in text:
                leaks.append(f"turn {view.turn}: the union sees the council chose {label}")
            if any(i.id == "council_reserves" for i in view.indicators()):
                leaks.append(f"turn {view.turn}: the union's view holds the reserves")

    choices: list[tuple[int, str, str]] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await play_through(pilot, lambda view: picks.randrange(3), on_screen=watch,
                           chosen=choices)
        assert isinstance(app.screen, DebriefScreen)
        turns = len(app.screen.game.records)
    assert not leaks, leaks
    assert turns >= 2
    # Every turn: curtain for the council, the council's turn, curtain for the union, its turn.
    per_turn = [e for e in events if e[0] == "curtain" or e[0] == "turn"]
    expected = []
    for turn in range(1, turns + 1):
        expected += [("curtain", turn, "The town council"), ("turn", turn, "council"),
                     ("curtain", turn, "The bakers' union"), ("turn", turn, "union")]
    deduped = [e for i, e in enumerate(per_turn) if i == 0 or per_turn[i - 1] != e]
    assert deduped == expected
