"""Effects have one home (`kazsim.scenario.effects`): every kind of effect is checked,
collected, applied at once, weighed by the AI and told in the "why" by its own class,
and nothing else in kazsim decides anything by kind.

The registry is listed and every kind is driven through the loader, the resolution
(actions and events), the AI and the story; then a kind written only in this file is
plugged into the registry and the whole game handles it, which is what "a new kind
is added in one place" promises.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest

from kazsim.engine import Contribution, Game
from kazsim.engine.ai import expected_gain, guess_env
from kazsim.scenario import effects
from kazsim.scenario.effects import (
    KINDS,
    AddToIndicator,
    Checker,
    Effect,
    P,
    SetFlag,
    SetIndicator,
    Turn,
    kind_of,
)
from kazsim.scenario.expr import Names
from kazsim.scenario.load import load_text
from kazsim.story import why_lines

from .support import HEADER, scenario

ROOT = Path(__file__).resolve().parents[2]

# One example of every kind: target, the author's value, the value it leaves (from
# heat 50 or alarm off), and how its amount reads in the "why".
EXAMPLES: dict[str, tuple[str, Any, Any, str]] = {
    "add": ("heat", 10, 60, "+10"),
    "set": ("heat", "= heat - 30", 20, "set to 20"),
    "flag": ("alarm", True, True, "set to yes"),
    "between": ("heat", {"add": [10, 10]}, 60, "+10 (drawn by chance)"),
    "later": ("heat", {"add": 10, "after": 1}, 60, "+10 (delayed)"),
    "spread": ("heat", {"add": 20, "over": 2}, 60, "+10 (part of a spread)"),
}
# Turns a kind's first change waits (the turn it happens counts 0).
WAITS = {"later": 1}


def kind_game(target: str, value: Any) -> str:
    """Role a's action `go` and the event `storm` (turn 2) carry the effect."""
    yaml_value = f'"{value}"' if isinstance(value, str) else str(value).lower()
    return f"""
indicators:
  - {{id: heat, label: Heat, start: 50}}
  - {{id: cold, label: Cold, start: 0}}
flags:
  - {{id: alarm, label: Alarm}}
roles:
  - id: a
    name: A
    briefing: b
    score: cold
    actions:
      - {{id: wait, label: Wait}}
      - {{id: go, label: Go, effects: {{{target}: {yaml_value}, cold: 1}}}}
  - id: b
    name: B
    briefing: b
    score: cold
    actions:
      - {{id: wait, label: Wait}}
events:
  - {{id: storm, title: Storm, text: A storm., turn: 2, effects: {{{target}: {yaml_value}}}}}
"""


def test_the_registry_lists_complete_kinds_with_distinct_names() -> None:
    assert [k.mode for k in KINDS] == ["flag", "spread", "later", "between", "set", "add"]
    for kind in KINDS:
        assert issubclass(kind, Effect)
        assert not kind.__abstractmethods__, f"{kind.__name__} misses {kind.__abstractmethods__}"
        assert kind_of(kind.mode) is kind
    assert set(EXAMPLES) == {k.mode for k in KINDS}, "every kind needs an example here"


@pytest.mark.parametrize("mode", list(EXAMPLES))
def test_each_kind_goes_through_its_class_everywhere(mode: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Loader, resolution (collected, applied at once), AI and story all call the kind."""
    kind = kind_of(mode)
    target, value, after, told = EXAMPLES[mode]
    calls: list[str] = []
    for hook in ("collect", "apply_now", "weigh"):
        original = getattr(kind, hook)

        def spy(self: Effect, *args: Any, _hook: str = hook, _original: Any = original) -> Any:
            if self.target == target:
                calls.append(_hook)
            return _original(self, *args)

        monkeypatch.setattr(kind, hook, spy)
    told_with: list[Any] = []
    original_tell = kind.tell

    def tell(amount: Any) -> str:
        told_with.append(amount)
        return original_tell(amount)

    monkeypatch.setattr(kind, "tell", staticmethod(tell))

    compiled = scenario(kind_game(target, value))
    go = compiled.role("a").by_id["go"]
    assert [type(e) for e in go.effects] == [kind, AddToIndicator]

    game = Game(compiled, 0)
    start = game.state.values[target]
    guess = guess_env(compiled, game.state.env(compiled.last_turn), "a")
    assert expected_gain(compiled, guess, "a", go, 0.0) == 1.0
    assert calls == ["weigh"]

    wait = WAITS.get(mode, 0)
    record = game.play({"a": "go", "b": "wait"})
    assert calls == ["weigh", "collect"]
    for _ in range(wait):
        assert game.state.values[target] == start
        record = game.play({"a": "wait", "b": "wait"})
    assert game.state.values[target] == after
    assert record.why(target) == [Contribution(target, mode, record.why(target)[0].amount,
                                               "action", "go", "a")]
    assert why_lines(compiled, record, target) == [f"{told}  A: Go"]
    assert told_with == [record.why(target)[0].amount]

    calls.clear()
    game = Game(compiled, 0)
    game.play({"a": "wait", "b": "wait"})
    record = game.play({"a": "wait", "b": "wait"})
    assert calls == ["apply_now"]
    assert record.events == ("storm",)
    for _ in range(wait):
        record = game.play({"a": "wait", "b": "wait"})
    assert game.state.values[target] == after != start
    assert [c.kind for c in record.why(target)] == ["event"]
    assert why_lines(compiled, record, target) == [f"{told}  event: Storm"]


def _go_effect(target: str, value: Any) -> Effect:
    compiled = scenario(kind_game(target, value))
    return next(e for e in compiled.role("a").by_id["go"].effects if e.target == target)


def test_the_ai_weighs_each_kind_by_its_probability() -> None:
    """`weigh`: a change counts in proportion to its chance; a flag only if likely."""
    env: dict[str, Any] = {"heat": 50.0, "cold": 0.0, "alarm": False}
    _go_effect("heat", 10).weigh(env, 0.5)
    assert env["heat"] == 55.0
    _go_effect("heat", 80).weigh(env, 1.0)
    assert env["heat"] == 100.0  # held at the top of its range
    setter = _go_effect("heat", "= 90")
    setter.weigh(env, 0.25)
    assert env["heat"] == 100.0 + (90 - 100.0) * 0.25
    setter.weigh(env, 1.0)
    assert env["heat"] == 90
    flag = _go_effect("alarm", True)
    flag.weigh(env, 0.4)
    assert env["alarm"] is False
    flag.weigh(env, 0.5)
    assert env["alarm"] is True


def test_kinds_claim_in_registry_order() -> None:
    names = Names(numbers=frozenset({"heat"}), flags=frozenset({"alarm"}), actions={})
    claimed = {value: next(k for k in KINDS if k.claims(target, value, names))
               for target, value in [("heat", 5), ("heat", "= 5"), ("heat", "heat / 2"),
                                     ("alarm", True)]}
    assert claimed == {5: AddToIndicator, "= 5": SetIndicator, "heat / 2": AddToIndicator,
                       True: SetFlag}
    assert not any(k.claims("nothing", 5, names) for k in KINDS)


# --- a new kind, in one place ---------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Scale(effects._OnIndicator):
    """`heat: "*2"`: an indicator is multiplied (written only for this test)."""

    mode: ClassVar[str] = "scale"

    @classmethod
    def claims(cls, target: str, value: Any, names: Names) -> bool:
        return target in names.numbers and isinstance(value, str) and value.startswith("*")

    @classmethod
    def compile(cls, target: str, value: Any, path: P, checker: Checker) -> Effect | None:
        compiled = checker.compile(value[1:], path, "number", where="the factor", shift=1)
        if compiled is None:
            return None
        lo, hi = checker.ranges[target]
        return cls(target, compiled.fn, value, compiled.names, lo, hi)

    def collect(self, turn: Turn) -> Any:
        factor = self.fn(turn.env)
        turn.sets[self.target] = turn.env[self.target] * factor
        return factor

    def apply_now(self, turn: Turn) -> Any:
        factor = self.fn(turn.env)
        new = min(max(turn.values[self.target] * factor, self.lo), self.hi)
        turn.values[self.target] = turn.env[self.target] = new
        return factor

    def weigh(self, env: dict[str, Any], weight: float) -> None:
        env[self.target] *= 1 + (self.fn(env) - 1) * weight

    @staticmethod
    def tell(amount: Any) -> str:
        return f"times {effects.fmt(amount)}"


def test_a_kind_added_to_the_registry_works_everywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(effects, "KINDS", (Scale, *KINDS))
    monkeypatch.setitem(effects._BY_MODE, "scale", Scale)
    compiled = scenario(kind_game("heat", "*0.5").replace("score: cold", "score: heat", 1))
    go = compiled.role("a").by_id["go"]
    assert type(go.effects[0]) is Scale
    game = Game(compiled, 0)
    guess = guess_env(compiled, game.state.env(compiled.last_turn), "a")
    assert expected_gain(compiled, guess, "a", go, 50.0) == -25.0
    record = game.play({"a": "go", "b": "wait"})
    assert game.state.values["heat"] == 25
    assert why_lines(compiled, record, "heat") == ["times 0.5  A: Go"]
    record = game.play({"a": "wait", "b": "wait"})
    assert game.state.values["heat"] == 12.5
    assert why_lines(compiled, record, "heat") == ["times 0.5  event: Storm"]

    text = HEADER % 3 + kind_game("heat", "*nothing") + (
        "endings:\n  - {id: t, title: T, at_last_turn: true, text: T, roles: "
        "{a: {result: draw, text: T}, b: {result: draw, text: T}}}\n")
    broken, problems = load_text(text, "kind.yaml")
    assert broken is None
    lines = text.splitlines()
    assert [(p.message, p.column) for p in problems] == [
        ("unknown name 'nothing'", lines[p.line - 1].index("nothing") + 1) for p in problems]
    assert [lines[p.line - 1].split(",")[0] for p in problems] == [
        "      - {id: go", "  - {id: storm"]


# --- nothing else decides by kind -----------------------------------------------------------

def _modules() -> list[Path]:
    return [p for p in sorted((ROOT / "kazsim").rglob("*.py"))
            if p != ROOT / "kazsim" / "scenario" / "effects.py"]


def test_no_module_but_the_home_decides_by_kind() -> None:
    """No comparison with an effect's or contribution's `mode`, no '=' prefix test."""
    found = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare) and any(
                    isinstance(n, ast.Attribute) and n.attr == "mode"
                    for n in (node.left, *node.comparators)):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: compares .mode")
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "startswith" and node.args
                    and isinstance(node.args[0], ast.Constant) and node.args[0].value == "="):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: tests an '=' prefix")
    assert found == []


def test_the_scenario_floor_imports_nothing_from_the_engine() -> None:
    """Why the home can be one module in the scenario floor (docs/design.md)."""
    found = []
    for path in sorted((ROOT / "kazsim" / "scenario").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.name}: {n}" for n in names
                      if n.startswith(("kazsim.engine", "kazsim.story"))]
    assert found == []
