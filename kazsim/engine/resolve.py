"""One turn's resolution: every role's decision in, the new state and its record out.

The order is fixed and documented in docs/design.md ("How a turn is resolved"):

1. Decisions are checked (`legal_actions`) and revealed together.
2. Each role's action, in the scenario's role order: its effects are computed
   against the state at the start of the turn, then one chance outcome is drawn.
3. Every rule whose condition holds (read against the same start-of-turn state
   plus this turn's decisions) contributes its effects, in file order.
4. All contributions are applied at once: "set" effects first, then the sum of
   changes; each indicator is clamped to its range.
5. Events due this turn (scripted for it, or whose condition holds now) roll
   their chance, in file order, and apply one after another.
6. Endings are checked, highest priority first; on the last turn the
   `at_last_turn` endings join in, so every game ends by then.

The function is pure: same scenario, state, decisions and generator state, same
result. The generator is drawn from in a fixed pattern (one draw per action or
rule with outcomes, one per due event), whatever the values.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kazsim.engine.state import (
    Change,
    Contribution,
    GameState,
    NewsItem,
    SourceKind,
    TurnRecord,
    within,
)
from kazsim.scenario.compiled import CAction, Chance, CompiledScenario, Effect


class IllegalDecisionError(ValueError):
    """A decision names an unknown role or action, or one not available now."""


class GameOverError(ValueError):
    """A turn was played after the game ended."""


@dataclass(frozen=True, slots=True)
class ActionStatus:
    """Whether an action can be chosen now, and if not, why."""

    action: CAction
    available: bool
    reason: str = ""


def action_statuses(scenario: CompiledScenario, state: GameState, role_id: str,
                    env: Mapping[str, Any] | None = None) -> list[ActionStatus]:
    """Every action of a role with whether it is available this turn."""
    role = scenario.role(role_id)
    env = env if env is not None else state.env(scenario.last_turn)
    out: list[ActionStatus] = []
    for action in role.actions:
        key = f"{role_id}.{action.id}"
        if action.once and state.counts.get(key):
            out.append(ActionStatus(action, False, "already used (once per game)"))
            continue
        if action.cooldown and key in state.last_chosen:
            ready = state.last_chosen[key] + action.cooldown + 1
            if state.turn < ready:
                wait = ready - state.turn
                out.append(ActionStatus(action, False, f"available again in {wait} turn"
                                        f"{'s' if wait > 1 else ''}"))
                continue
        if action.available is not None and not action.available(env):
            reason = action.model.unavailable_text or "not possible in the present situation"
            out.append(ActionStatus(action, False, reason))
            continue
        out.append(ActionStatus(action, True))
    return out


def legal_actions(scenario: CompiledScenario, state: GameState, role_id: str,
                  env: Mapping[str, Any] | None = None) -> list[str]:
    """Ids of the actions a role may choose this turn (never empty).

    The same test as `action_statuses`, without the reasons: this runs in the
    engine's and the AI's hot loop.
    """
    env = env if env is not None else state.env(scenario.last_turn)
    counts, last_chosen, turn = state.counts, state.last_chosen, state.turn
    legal = []
    for action in scenario.role(role_id).actions:
        if action.once or action.cooldown:
            key = f"{role_id}.{action.id}"
            if action.once and counts.get(key):
                continue
            if action.cooldown and turn <= last_chosen.get(key, -999) + action.cooldown:
                continue
        if action.available is not None and not action.available(env):
            continue
        legal.append(action.id)
    return legal


class _Turn:
    """Accumulates one turn's contributions and news."""

    def __init__(self, scenario: CompiledScenario, env: dict[str, Any]) -> None:
        self.scenario = scenario
        self.env = env
        self.adds: dict[str, float] = {}
        self.sets: dict[str, Any] = {}
        self.contributions: list[Contribution] = []
        self.news: list[NewsItem] = []

    def collect(self, effects: tuple[Effect, ...], kind: SourceKind, source: str,
                role: str | None = None) -> None:
        env = self.env
        for effect in effects:
            value = effect.fn(env)
            if effect.mode == "add":
                if value:
                    self.adds[effect.target] = self.adds.get(effect.target, 0) + value
            else:
                self.sets[effect.target] = value
            self.contributions.append(
                Contribution(effect.target, effect.mode, value, kind, source, role))

    def roll(self, outcomes: tuple[Chance, ...], rng: random.Random) -> int | None:
        draw = rng.random()
        acc = 0.0
        for index, outcome in enumerate(outcomes):
            chance = outcome.chance(self.env)
            acc += 0.0 if chance < 0 else 1.0 if chance > 1 else chance
            if draw < acc:
                return index
        return None

    def apply_now(self, effects: tuple[Effect, ...], values: dict[str, Any], kind: SourceKind,
                  source: str, clamped: set[str]) -> None:
        """Apply effects immediately (events happen one after another)."""
        bounds = self.scenario.bounds
        env = self.env
        for effect in effects:
            value = effect.fn(env)
            target = effect.target
            if effect.mode == "add":
                if not value:
                    continue
                new = values[target] + value
            else:
                new = value
            if effect.mode != "flag":
                lo, hi = bounds[target]
                if not lo <= new <= hi:
                    clamped.add(target)
                    new = within(new, lo, hi)
            values[target] = new
            env[target] = new
            self.contributions.append(Contribution(target, effect.mode, value, kind, source))


def check_decisions(scenario: CompiledScenario, state: GameState,
                    decisions: Mapping[str, str], env: Mapping[str, Any] | None = None) -> None:
    """Raise `IllegalDecisionError` or `GameOverError` unless every decision is legal."""
    if state.ending is not None:
        raise GameOverError(f"the game is over (ending '{state.ending}')")
    env = env if env is not None else state.env(scenario.last_turn)
    for role_id in decisions:
        if role_id not in scenario.role_ids:
            raise IllegalDecisionError(f"unknown role '{role_id}'")
    for role in scenario.roles:
        action_id = decisions.get(role.id)
        if action_id is None:
            raise IllegalDecisionError(f"no decision for role '{role.id}'")
        if action_id not in role.by_id:
            raise IllegalDecisionError(f"role '{role.id}' has no action '{action_id}'")
        if action_id not in legal_actions(scenario, state, role.id, env):
            raise IllegalDecisionError(
                f"action '{action_id}' is not available to '{role.id}' on turn {state.turn}")


def resolve(scenario: CompiledScenario, state: GameState, decisions: Mapping[str, str], *,
            rng: random.Random) -> tuple[GameState, TurnRecord]:
    """Resolve one turn. Raises `IllegalDecisionError` or `GameOverError` on bad input."""
    env = state.env(scenario.last_turn)
    check_decisions(scenario, state, decisions, env)
    return resolve_checked(scenario, state, decisions, rng=rng, env=env)


def resolve_checked(scenario: CompiledScenario, state: GameState, decisions: Mapping[str, str],
                    *, rng: random.Random,
                    env: dict[str, Any] | None = None) -> tuple[GameState, TurnRecord]:
    """`resolve` for decisions known to be legal (the AI picks from `legal_actions`)."""
    env = env if env is not None else state.env(scenario.last_turn)

    # 1. Reveal the decisions.
    counts = dict(state.counts)
    last_chosen = dict(state.last_chosen)
    for role in scenario.roles:
        action_id = decisions[role.id]
        key = f"{role.id}.{action_id}"
        counts[key] = counts.get(key, 0) + 1
        last_chosen[key] = state.turn
        env["@" + role.id] = action_id
        env["#" + key] = counts[key]
    turn = _Turn(scenario, env)

    # 2. Actions, against the start-of-turn state.
    outcomes: dict[str, int] = {}
    for role in scenario.roles:
        action = role.by_id[decisions[role.id]]
        text = action.model.text or action.model.label
        turn.news.append(NewsItem("action", action.id, text, role.id, action.model.label))
        turn.collect(action.effects, "action", action.id, role.id)
        if action.outcomes:
            index = turn.roll(action.outcomes, rng)
            if index is not None:
                outcomes[role.id] = index
                chosen = action.outcomes[index]
                turn.news.append(NewsItem("outcome", action.id, chosen.text, role.id))
                turn.collect(chosen.effects, "outcome", action.id, role.id)

    # 3. Rules on the combination of decisions.
    rules_fired: list[str] = []
    for rule in scenario.rules:
        if not (rule.possible(env) and rule.when(env)):
            continue
        rules_fired.append(rule.id)
        if rule.model.text:
            turn.news.append(NewsItem("rule", rule.id, rule.model.text))
        turn.collect(rule.effects, "rule", rule.id)
        if rule.outcomes:
            index = turn.roll(rule.outcomes, rng)
            if index is not None:
                chosen = rule.outcomes[index]
                turn.news.append(NewsItem("rule_outcome", rule.id, chosen.text))
                turn.collect(chosen.effects, "rule_outcome", rule.id)

    # 4. Apply everything at once.
    values = dict(state.values)
    clamped: set[str] = set()
    bounds = scenario.bounds
    for target, value in turn.sets.items():
        values[target] = value
    for target, delta in turn.adds.items():
        values[target] = values[target] + delta
    for target in (*turn.sets, *turn.adds):
        if target in bounds:
            lo, hi = bounds[target]
            value = values[target]
            if not lo <= value <= hi:
                clamped.add(target)
                values[target] = within(value, lo, hi)
    env.update(values)

    # 5. Events.
    fired = dict(state.fired)
    events_fired: list[str] = []
    for event in scenario.events:
        if not event.repeat and fired.get(event.id):
            continue
        if event.turn is not None and event.turn != state.turn:
            continue
        if event.when is not None and not event.when(env):
            continue
        if rng.random() >= event.chance(env):
            continue
        fired[event.id] = fired.get(event.id, 0) + 1
        events_fired.append(event.id)
        turn.news.append(NewsItem("event", event.id, event.model.text, None, event.model.title))
        turn.apply_now(event.effects, values, "event", event.id, clamped)
        if event.outcomes:
            index = turn.roll(event.outcomes, rng)
            if index is not None:
                chosen = event.outcomes[index]
                turn.news.append(NewsItem("event_outcome", event.id, chosen.text))
                turn.apply_now(chosen.effects, values, "event_outcome", event.id, clamped)

    # 6. Endings.
    ending = None
    is_last = state.turn >= scenario.last_turn
    for candidate in scenario.endings:
        if candidate.at_last_turn and not is_last:
            continue
        if candidate.when is None or candidate.when(env):
            ending = candidate.id
            break

    changes = tuple(
        Change(key, state.values[key], values[key], key in clamped)
        for key in values if values[key] != state.values[key]
    )
    new_state = GameState(
        turn=state.turn + 1,
        values=values,
        counts=counts,
        last_chosen=last_chosen,
        previous=dict(decisions),
        fired=fired,
        ending=ending,
    )
    record = TurnRecord(
        turn=state.turn,
        decisions={r.id: decisions[r.id] for r in scenario.roles},
        outcomes=outcomes,
        rules=tuple(rules_fired),
        events=tuple(events_fired),
        news=tuple(turn.news),
        contributions=tuple(turn.contributions),
        changes=changes,
        ending=ending,
    )
    return new_state, record
