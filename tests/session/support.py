"""Helpers for the session tests: a fixed clock, games played with the AI, subprocesses."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from kazsim.engine import Game
from kazsim.engine.draws import KEYED
from kazsim.scenario import CompiledScenario
from kazsim.session.model import Player, ai, human
from kazsim.session.session import Session

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
MONDAY = dt.datetime(2025, 1, 6, 9, 30, tzinfo=dt.UTC)


def clock_at(moment: dt.datetime = MONDAY) -> Any:
    return lambda: moment


def players_for(scenario: CompiledScenario, first_name: str = "Aigerim") -> dict[str, Player]:
    """The first role is a named human, the others the AI (easy, then hard)."""
    out: dict[str, Player] = {}
    for index, role in enumerate(scenario.role_ids):
        out[role] = human(first_name) if index == 0 else ai("easy" if index % 2 else "hard")
    return out


def ai_session(scenario: CompiledScenario, seed: int, folder: Path, *, turns: int | None = None,
               name: str | None = None, scheme: int = KEYED) -> Session:
    """A session saved in `folder`, the AI deciding for everyone, `turns` turns (or to the end);
    `scheme`: how the game draws (`SEQUENTIAL`: as a game saved before the keyed draws)."""
    session = Session.for_game(Game(scenario, seed, scheme=scheme), players_for(scenario),
                               folder, name=name, clock=clock_at())
    while not session.game.over and (turns is None or len(session.game.records) < turns):
        game = session.game
        session.play({r: game.ai_decision(r, "easy") for r in scenario.role_ids})
    return session


def edit(path: Path, change: Any) -> None:
    """Apply `change(document)` to a save file's JSON, in place (a hand edit)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def kazsim(args: list[str], cwd: Path, *, hashseed: str = "0",
           env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a fresh interpreter."""
    environment = {k: v for k, v in os.environ.items() if k != "KAZSIM_SAVE_DIR"}
    environment.update({"PYTHONHASHSEED": hashseed, **(env or {})})
    return subprocess.run([sys.executable, "-m", "kazsim", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=120)
