"""Paths and a small scenario to vary, for the toolkit's tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kazsim.scenario import CompiledScenario
from kazsim.scenario.load import load_text

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"


def mini(**changes: Any) -> dict[str, Any]:
    """A two-role scenario, as data, that check finds nothing wrong with; `changes`
    replace top-level keys."""
    data: dict[str, Any] = {
        "id": "mini", "title": "Mini", "version": "1", "summary": "A test.", "author": "t",
        "sources": [{"id": "src", "title": "Source", "publisher": "P"}],
        "calendar": {"start": "2026-01-01", "turns": 4},
        "indicators": [{"id": "heat", "label": "Heat", "start": 50}],
        "flags": [{"id": "alarm", "label": "Alarm"}],
        "roles": [
            {"id": "red", "name": "Red", "briefing": "b", "score": "heat",
             "ai": {"greed": 0},
             "actions": [{"id": "push", "label": "Push", "effects": {"heat": 10}},
                         {"id": "rest", "label": "Rest", "effects": {"heat": -5}}]},
            {"id": "blue", "name": "Blue", "briefing": "b", "score": "100 - heat",
             "ai": {"greed": 0},
             "actions": [{"id": "cool", "label": "Cool", "effects": {"heat": -10}},
                         {"id": "ring", "label": "Ring", "effects": {"alarm": True}}]},
        ],
        "rules": [{"id": "both_push", "when": "chose(red, push) and chose(blue, cool)",
                   "text": "Stalemate."}],
        "events": [{"id": "noon", "title": "Noon", "turn": 2, "effects": {"heat": 1},
                    "cites": ["src"]}],
        "endings": [
            {"id": "hot", "title": "Hot", "when": "heat >= 70 and alarm", "text": "Hot.",
             "roles": {"red": {"result": "win", "text": "w"},
                       "blue": {"result": "loss", "text": "l"}}},
            {"id": "cold", "title": "Cold", "when": "heat <= 40", "text": "Cold.",
             "roles": {"red": {"result": "loss", "text": "l"},
                       "blue": {"result": "win", "text": "w"}}},
            {"id": "end", "title": "End", "at_last_turn": True, "text": "End.",
             "roles": {"red": {"result": "draw", "text": "d"},
                       "blue": {"result": "draw", "text": "d"}}},
        ],
    }
    data.update(changes)
    return data


def compile_data(data: dict[str, Any]) -> CompiledScenario:
    compiled, problems = load_text(yaml.safe_dump(data, sort_keys=False), "mini.yaml")
    assert compiled is not None, [str(p) for p in problems]
    return compiled
