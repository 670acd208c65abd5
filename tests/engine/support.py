"""Small scenarios written inline, games driven turn by turn, and a record checker."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from kazsim.engine import Game, GameState, TurnRecord
from kazsim.scenario import CompiledScenario
from kazsim.scenario.load import load_text

HEADER = """\
id: rule_test
title: Rule test
version: "1"
summary: A scenario written for one engine test.
author: kazsim tests
sources: [{id: src, title: Source, publisher: Publisher}]
calendar: {start: 2022-01-02, turns: %d}
"""


def scenario(body: str, turns: int = 3) -> CompiledScenario:
    """Compile a scenario from the parts a test cares about.

    `body` holds indicators, flags, roles, rules, events and endings as YAML; the
    header is added, and so is a fallback ending ('time_up', a draw for everyone)
    when `body` has no endings.
    """
    body = textwrap.dedent(body)
    data = yaml.safe_load(body)
    if "endings" not in data:
        roles = "".join(f"      {r['id']}: {{result: draw, text: Time is up.}}\n"
                        for r in data["roles"])
        body += ("endings:\n  - id: time_up\n    title: Time is up\n    at_last_turn: true\n"
                 "    text: Time is up.\n    roles:\n" + roles)
    compiled, problems = load_text(HEADER % turns + body, "rule_test.yaml")
    assert compiled is not None, "\n".join(str(p) for p in problems)
    return compiled


def play(compiled: CompiledScenario, *turns: Mapping[str, str], seed: int = 0) -> Game:
    """A game with the given decisions played, one mapping per turn."""
    game = Game(compiled, seed)
    for decisions in turns:
        game.play(decisions)
    return game


def explain(compiled: CompiledScenario, before: GameState, record: TurnRecord) -> dict[str, Any]:
    """The values after a turn, worked out from the record's contributions alone.

    Follows docs/design.md "How a turn is resolved": actions, outcomes and rules
    are applied together (sets first, the last one written wins, then the sum of
    changes, then clamping); events and their outcomes one after another.
    """
    values = dict(before.values)
    landed = record.contributions[_first_landed(record):][:len(record.landed)]
    now = [c for c in record.contributions if c.kind.startswith("event")]
    now = [c for c in now if not any(c is x for x in landed)]
    together = [c for c in record.contributions if not any(c is x for x in now)]
    sets: dict[str, Any] = {}
    adds: dict[str, float] = {}
    for c in together:
        if c.mode in ("set", "flag"):
            sets[c.target] = c.amount
        else:  # a change: added, drawn, delayed or spread
            adds[c.target] = adds.get(c.target, 0) + c.amount
    for target in {*sets, *adds}:
        value = sets.get(target, values[target]) + adds.get(target, 0)
        values[target] = _clamp(compiled, target, value)
    for c in now:
        value = c.amount if c.mode in ("set", "flag") else values[c.target] + c.amount
        values[c.target] = _clamp(compiled, c.target, value)
    return values


def _first_landed(record: TurnRecord) -> int:
    """Where the landed parts' contributions start: one block, after those of steps 2 and
    3 and before any event's (docs/design.md: they land first in step 4)."""
    parts = [(p.target, p.mode, p.amount, p.kind, p.source, p.role) for p in record.landed]
    for k in range(len(record.contributions) - len(parts) + 1):
        if [tuple(c) for c in record.contributions[k:k + len(parts)]] == parts:
            return k
    raise AssertionError(f"turn {record.turn}: the landed parts are not recorded")


def _clamp(compiled: CompiledScenario, target: str, value: Any) -> Any:
    if target not in compiled.bounds:
        return value
    lo, hi = compiled.bounds[target]
    return lo if value < lo else hi if value > hi else value


def check_turns(compiled: CompiledScenario, states: Sequence[GameState],
                records: Sequence[TurnRecord]) -> None:
    """Invariants of every turn played: ranges, explanations, and the changes listed."""
    for before, record, after in zip(states[:-1], records, states[1:], strict=True):
        for key, value in after.values.items():
            if key in compiled.bounds:
                lo, hi = compiled.bounds[key]
                assert lo <= value <= hi, (record.turn, key, value)
            else:
                assert isinstance(value, bool), (record.turn, key, value)
        expected = explain(compiled, before, record)
        for key, value in after.values.items():
            assert value == expected[key] or abs(value - expected[key]) < 1e-9, (
                record.turn, key, value, expected[key])
        changed = {c.target for c in record.changes}
        assert {k for k in after.values if after.values[k] != before.values[k]} <= changed
        for change in record.changes:
            assert change.before == before.values[change.target]
            assert change.after == after.values[change.target]
            assert record.why(change.target), f"no reason given for {change.target}"
