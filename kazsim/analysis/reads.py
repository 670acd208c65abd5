"""Which indicators and flags the scenario ever reads.

An indicator that no condition, score, AI weight, chance or effect amount
reads can still be shown to players, but it cannot change how a game goes:
`kazsim check` points this out, because it is usually an oversight (the
number moves, and nothing follows from it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kazsim.scenario.compiled import CompiledScenario
from kazsim.scenario.effects import Effect
from kazsim.scenario.expr import ExprError, Names, compile_expr
from kazsim.scenario.model import Outcome


def _outcomes(outcomes: list[Outcome]) -> Iterator[tuple[Any, str]]:
    for outcome in outcomes:
        yield outcome.chance, "number"


def effects(scenario: CompiledScenario) -> Iterator[Effect]:
    """Every effect in the scenario, of every kind."""
    for role in scenario.roles:
        for action in role.actions:
            yield from action.effects
            for outcome in action.outcomes:
                yield from outcome.effects
    for part in (scenario.rules, scenario.events):
        for item in part:
            yield from item.effects
            for outcome in item.outcomes:
                yield from outcome.effects


def expressions(scenario: CompiledScenario) -> Iterator[tuple[Any, str]]:
    """Every expression in the scenario but the effects' (each effect knows what it
    reads: `Effect.reads`), with the kind of value it gives."""
    model = scenario.model
    for role in model.roles:
        yield role.score, "number"
        for action in role.actions:
            if action.available is not None:
                yield action.available, "bool"
            yield action.ai.weight, "number"
            yield from _outcomes(action.outcomes)
    for rule in model.rules:
        yield rule.when, "bool"
        yield from _outcomes(rule.outcomes)
    for event in model.events:
        if event.when is not None:
            yield event.when, "bool"
        yield event.chance, "number"
        yield from _outcomes(event.outcomes)
    for ending in model.endings:
        if ending.when is not None:
            yield ending.when, "bool"
    for told in scenario.told.values():  # texts written as alternatives
        for when in told.whens:
            if when is not None:
                yield when, "bool"


def read_ids(scenario: CompiledScenario) -> set[str]:
    """Ids of the indicators and flags some expression reads."""
    model = scenario.model
    names = Names(numbers=frozenset(i.id for i in model.indicators),
                  flags=frozenset(f.id for f in model.flags),
                  actions={r.id: frozenset(a.id for a in r.actions) for r in model.roles})
    read: set[str] = set()
    for effect in effects(scenario):
        read |= effect.reads
    for text, kind in expressions(scenario):
        if isinstance(text, bool) or not isinstance(text, str):
            continue
        try:
            read |= compile_expr(text, names, kind).names  # type: ignore[arg-type]
        except ExprError:  # cannot happen in a loaded scenario; never hide the rest
            continue
    return read
