"""The game never sends a file's control characters to the terminal (kazsim.tui.escape).

A scenario whose title, role names, labels and texts hold escape sequences is
played in the real app; what the app would write to the terminal for each
screen (the compositor's full update, as the driver writes it) holds none of
them raw, and shows them escaped as the command line does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.text import Text
from test_hostile_output import PAYLOAD, poison  # tests/
from textual.content import Content

from kazsim.tui import escape
from kazsim.tui.app import KazsimApp

from .helpers import make_app, settle

ROOT = Path(__file__).resolve().parents[2]
# What must never be written raw: the OSC, the CSI that clears, C1, the bidi override.
RAW = ["\x1b]0;owned", "\x1b[2J", "\x9b", "\x85", "\u202e", "\x07"]


def terminal_output(app: KazsimApp) -> str:
    """What the app writes to the terminal to draw its current screen from scratch."""
    update: Any = app.screen._compositor.render_update(full=True)
    text: str = update.render_segments(app.console)
    return text


@pytest.fixture()
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = poison(yaml.safe_load((ROOT / "scenarios" / "tutorial.yaml").read_text("utf-8")))
    data["id"] = "hostile"
    (tmp_path / "scenarios").mkdir()
    path = tmp_path / "scenarios" / "hostile.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return path


def test_rich_and_textual_escape_what_printable_escapes() -> None:
    escape.install()
    assert Text("a" + PAYLOAD).plain == "a\\e]0;owned\\a\\e[2J\\x9b31m\\u202eevil\\x85\\a\\r\\x7f" \
                                        "\nforged: valid"
    assert Content("t\x1b[2J\tx").plain == "t\\e[2J\tx"  # tabs and newlines are laid out
    assert Text("plain text, nothing to escape").plain == "plain text, nothing to escape"


async def test_a_hostile_scenario_on_every_screen(
        save_dir: Path, hostile: Path, only_scenarios: Callable[..., None]) -> None:
    only_scenarios()  # the title screen lists ./scenarios/hostile.yaml alone
    app = make_app(save_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, lambda: "owned" in terminal_output(app), what="the scenario list")
        screens = [terminal_output(app)]
        await pilot.press("enter")  # the hostile scenario
        await settle(pilot, lambda: type(app.screen).__name__ == "SetupScreen")
        screens.append(terminal_output(app))
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: type(app.screen).__name__ in ("BriefingScreen",
                                                                  "PlayScreen"))
        screens.append(terminal_output(app))
        await pilot.press("enter")
        await pilot.pause(0.2)
        screens.append(terminal_output(app))
    for output in screens:
        assert [raw for raw in RAW if raw in output] == []
        assert "\\e]0;owned\\a" in output
