"""One turn's resolution: every role's decision in, the new state and its record out.

The order is fixed and documented in docs/design.md ("How a turn is resolved"):

1. Decisions are checked (`legal_actions`) and revealed together; earlier secret
   moves whose `revealed` holds now are revealed (`_unveil`).
2. Each role's action, in the scenario's role order: its effects are computed
   against the state at the start of the turn, then one chance outcome is drawn.
   Then each offer made last turn and not accepted now is refused (file order).
3. Every rule whose condition holds (read against the same start-of-turn state
   plus this turn's decisions) contributes its effects, in file order; then every
   drift whose condition holds, in file order (no news line).
4. The parts of delayed and spread effects due this turn join in, then all
   contributions are applied at once: "set" effects first, then the sum of
   changes; each indicator is clamped to its range.
5. Events due this turn (scripted for it, or whose condition holds now) roll
   their chance, in file order, and apply one after another.
6. Endings are checked, highest priority first; on the last turn the
   `at_last_turn` endings join in, so every game ends by then. (A lesson cut
   short ends on its own last turn, `CompiledScenario.last_turn`, where an
   ending marked `interrupted` takes the place of the `at_last_turn` ones.)

Each step is one function below (`_reveal`, `_unveil`, `_actions`, `_rules`, `_drift`,
`_land`, `_apply_together`, `_events`, `_ending`); what an effect does in steps 2 to 5
is up to its kind (`kazsim.scenario.effects`).

The resolution is pure: same scenario, state, decisions and draws, same result.
Every draw is keyed by what it is for (`kazsim.engine.draws`, `GameDraws`), never by
how many draws came before it: the chance outcome of each chosen action that has
outcomes (its role), of each rule that applies and has outcomes (the rule), each due
event's draw against its chance (slot 0) and, if it fires and has outcomes, the one
that picks its outcome (slot 1), and each uncertain amount of an effect that happens
(its origin, and how many that origin drew before it this turn: `_Turn.draw`). The
draws of saves made before the keyed draws (`SequentialDraws`) are asked in the same
order, which is the order their generator was drawn from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kazsim.engine.draws import GameDraws
from kazsim.engine.state import (
    Change,
    Contribution,
    Draw,
    EndingText,
    Fared,
    GameState,
    NewsItem,
    Pending,
    Secret,
    SourceKind,
    TurnRecord,
)
from kazsim.scenario.compiled import CAction, Chance, CompiledScenario
from kazsim.scenario.effects import Effect, kind_of, within
from kazsim.scenario.expr import finite
from kazsim.scenario.told import Alternatives

# A news line waiting for its text: kind, source, its alternatives, role, title.
_Pending = tuple[SourceKind, str, Alternatives, str | None, str]


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
    # For an action whose `available` is false: the parts that failed, in words ("needs
    # Heat at least 60 (now 50)"); `reason` holds it too, beside any `unavailable_text`.
    why: str = ""


def action_statuses(scenario: CompiledScenario, state: GameState, role_id: str,
                    env: Mapping[str, Any] | None = None) -> list[ActionStatus]:
    """Every action of a role with whether it is available this turn."""
    role = scenario.role(role_id)
    env = env if env is not None else state.env(scenario.last_turn)
    out: list[ActionStatus] = []
    bound = _bound(scenario, state, role_id) if role_id in scenario.binds else None
    for action in role.actions:
        key = f"{role_id}.{action.id}"
        if action.accepts is not None and not (action.available is None
                                               or action.available(env)):
            continue  # no such offer to answer this turn: no choice to show
        if bound is not None and _forbidden(action.id, bound, legal_actions(
                scenario, state, role_id, env, bind=False)):
            out.append(ActionStatus(action, False, bound[action.id][1]
                                    if action.id in bound else _required_reason(bound)))
            continue
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
            why = ""
            if action.why_not is not None:
                why = action.why_not(env, [n for n in action.why_not.reads()
                                           if not scenario.visible(n, role_id)])
            text = action.model.unavailable_text
            if text and why:  # the author's words, then what the condition says
                stop = "" if text.rstrip()[-1:] in ".!?" else "."
                reason = f"{text.rstrip()}{stop} {why[0].upper()}{why[1:]}."
            else:
                reason = text or why or "not possible in the present situation"
            out.append(ActionStatus(action, False, reason, why))
            continue
        out.append(ActionStatus(action, True))
    return out


def _bound(scenario: CompiledScenario, state: GameState,
           role_id: str) -> dict[str, tuple[bool, str]]:
    """What accepted offers bind the role to this turn: action -> (required, why)."""
    out: dict[str, tuple[bool, str]] = {}
    for offer, action, turns, required in scenario.binds[role_id]:
        accepted = state.last_chosen.get(f"{role_id}.{offer.id}")
        if accepted is not None and state.turn <= accepted + turns:
            left = accepted + turns - state.turn + 1
            out[action] = (required, f"bound by the accepted offer '{offer.model.label}' "
                           f"({'required' if required else 'ruled out'} for {left} more "
                           f"turn{'s' if left > 1 else ''})")
    return out


def _forbidden(action_id: str, bound: Mapping[str, tuple[bool, str]],
               free: list[str]) -> bool:
    """Whether a binding rules the action out, given what is legal without bindings
    (`free`): a required action that is legal rules out every other; a binding never
    leaves a role without a choice."""
    required = [a for a, (req, _) in bound.items() if req and a in free]
    if required:
        return action_id not in required
    if action_id in bound and not bound[action_id][0]:
        return any(a not in bound or bound[a][0] for a in free)
    return False


def _required_reason(bound: Mapping[str, tuple[bool, str]]) -> str:
    return next(why for req, why in bound.values() if req)


def legal_actions(scenario: CompiledScenario, state: GameState, role_id: str,
                  env: Mapping[str, Any] | None = None, *, bind: bool = True) -> list[str]:
    """Ids of the actions a role may choose this turn (never empty).

    The same test as `action_statuses`, without the reasons: this runs in the
    engine's and the AI's hot loop. `bind=False`: as if no accepted offer bound it.
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
    if bind and role_id in scenario.binds:
        bound = _bound(scenario, state, role_id)
        if bound:
            return [a for a in legal if not _forbidden(a, bound, legal)]
    return legal


class _Turn:
    """One turn being resolved: what effects read and write (`scenario.effects.Turn`),
    the contributions recorded and the news to tell (its texts are chosen once the
    turn is over, `_tell`)."""

    __slots__ = ("_drawn", "_from", "adds", "clamped", "contributions", "draws", "env", "keyed",
                 "news", "number", "sets", "values", "waiting")

    def __init__(self, env: dict[str, Any], values: Mapping[str, Any], number: int,
                 keyed: GameDraws) -> None:
        self.env = env
        self.adds: dict[str, float] = {}
        self.sets: dict[str, Any] = {}
        self.values = dict(values)
        self.clamped: set[str] = set()
        self.contributions: list[Contribution] = []
        self.news: list[_Pending] = []
        self.number = number
        self.keyed = keyed  # the game's draws
        self.draws: list[Draw] = []  # the amounts drawn, for the record
        self._drawn: dict[tuple[SourceKind, str, str | None], int] = {}  # origin -> amounts
        self.waiting: list[Pending] = []  # parts of effects made this turn, for later turns
        self._from: tuple[SourceKind, str, str | None] = ("action", "", None)

    def collect(self, effects: tuple[Effect, ...], kind: SourceKind, source: str,
                role: str | None = None) -> None:
        """Effects applied together in step 4 (actions, outcomes, rules, drift)."""
        contributions = self.contributions
        self._from = (kind, source, role)
        for effect in effects:
            amount = effect.collect(self)
            if amount is not None:
                contributions.append(
                    Contribution(effect.target, effect.mode, amount, kind, source, role))

    def apply_now(self, effects: tuple[Effect, ...], kind: SourceKind, source: str) -> None:
        """Effects applied immediately, one after another (events)."""
        contributions = self.contributions
        self._from = (kind, source, None)
        for effect in effects:
            amount = effect.apply_now(self)
            if amount is not None:
                contributions.append(Contribution(effect.target, effect.mode, amount, kind,
                                                  source))

    def draw(self, target: str, low: float, high: float) -> float:
        """An amount between the bounds (either order), drawn for the origin being applied:
        the n-th it draws this turn has slot n (`kazsim.engine.draws.source_amount`)."""
        if high < low:
            low, high = high, low
        origin = self._from
        n = self._drawn.get(origin, 0)
        self._drawn[origin] = n + 1
        x = self.keyed.amount(self.number, origin[0], origin[1], origin[2], n)
        value = float(finite(low * (1.0 - x) + high * x))
        value = low if value < low else high if value > high else value
        self.draws.append(Draw(target, value, low, high, *self._from))
        return value

    def wait(self, due: int, target: str, mode: str, amount: Any) -> None:
        self.waiting.append(Pending(due, target, mode, amount, *self._from, self.number))

    def roll(self, outcomes: tuple[Chance, ...], draw: float) -> int | None:
        """One draw (in [0, 1)) picks at most one outcome (chances stacked in file order)."""
        acc = 0.0
        for index, outcome in enumerate(outcomes):
            chance = outcome.chance(self.env)
            acc += 0.0 if chance < 0 else 1.0 if chance > 1 else chance
            if draw < acc:
                return index
        return None


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
            draws: GameDraws) -> tuple[GameState, TurnRecord]:
    """Resolve one turn with the game's `draws` (`kazsim.engine.draws.game_draws(seed)`).
    Raises `IllegalDecisionError` or `GameOverError` on bad input."""
    env = state.env(scenario.last_turn)
    check_decisions(scenario, state, decisions, env)
    return resolve_legal(scenario, state, decisions, draws=draws, env=env)


def resolve_legal(scenario: CompiledScenario, state: GameState, decisions: Mapping[str, str],
                  *, draws: GameDraws,
                  env: dict[str, Any] | None = None) -> tuple[GameState, TurnRecord]:
    """`resolve` for decisions known to be legal (the AI picks from `legal_actions`).

    `env`: `state.env(...)`, if at hand; it is changed as the turn is resolved.
    """
    env = env if env is not None else state.env(scenario.last_turn)
    counts, last_chosen = _reveal(scenario, state, decisions, env)
    revealed, secrets = _unveil(scenario, state, decisions, env)
    turn = _Turn(env, state.values, state.turn, draws)
    outcomes = _actions(scenario, decisions, turn)
    rules = _rules(scenario, turn)
    if scenario.drift:
        _drift(scenario, turn)
    landed, waiting = _land(state, turn) if state.pending else ((), ())
    _apply_together(scenario, turn)
    fired, events = _events(scenario, state, turn)
    ending = _ending(scenario, state, env)
    shown: dict[str, int] = {}
    news = _tell(turn, shown)
    ended = _ending_text(scenario, ending, env, shown) if ending is not None else None

    values = turn.values
    clamped = turn.clamped
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
        pending=(*waiting, *turn.waiting),
        secrets=secrets,
    )
    record = TurnRecord(
        turn=state.turn,
        decisions={r.id: decisions[r.id] for r in scenario.roles},
        outcomes=outcomes,
        rules=rules,
        events=events,
        news=news,
        contributions=tuple(turn.contributions),
        changes=changes,
        ending=ending,
        shown=shown,
        ended=ended,
        draws=tuple(turn.draws),
        landed=landed,
        revealed=revealed,
    )
    return new_state, record


def _reveal(scenario: CompiledScenario, state: GameState, decisions: Mapping[str, str],
            env: dict[str, Any]) -> tuple[dict[str, int], dict[str, int]]:
    """Step 1: the decisions are revealed together; returns the new counts and turns
    last chosen, and lets expressions read the choices (`chose`, `times`)."""
    counts = dict(state.counts)
    last_chosen = dict(state.last_chosen)
    for role in scenario.roles:
        action_id = decisions[role.id]
        key = f"{role.id}.{action_id}"
        counts[key] = counts.get(key, 0) + 1
        last_chosen[key] = state.turn
        env["@" + role.id] = action_id
        env["#" + key] = counts[key]
    return counts, last_chosen


def _unveil(scenario: CompiledScenario, state: GameState, decisions: Mapping[str, str],
            env: dict[str, Any]) -> tuple[tuple[Secret, ...], tuple[Secret, ...]]:
    """Step 1, after the reveal: each earlier secret move whose `revealed` holds now
    (read like a rule's condition) is revealed this turn; this turn's secret moves with a
    `revealed` join those still waiting. Returns the revealed and the waiting. No draw."""
    revealed: list[Secret] = []
    waiting: list[Secret] = []
    for secret in state.secrets:
        test = scenario.role(secret.role).by_id[secret.action].revealed
        if test is None or not test(env):
            waiting.append(secret)
        else:
            revealed.append(secret)
    for role in scenario.roles:
        action = role.by_id[decisions[role.id]]
        if action.revealed is not None:
            waiting.append(Secret(state.turn, role.id, action.id))
    return tuple(revealed), tuple(waiting)


def _actions(scenario: CompiledScenario, decisions: Mapping[str, str],
             turn: _Turn) -> dict[str, int]:
    """Step 2: each role's action, in role order, against the start-of-turn state; one
    draw for each action with outcomes (keyed by its role). Returns role -> index of the
    outcome drawn."""
    outcomes: dict[str, int] = {}
    news = turn.news
    for role in scenario.roles:
        action = role.by_id[decisions[role.id]]
        news.append(("action", action.id, action.text, role.id, action.model.label))
        turn.collect(action.effects, "action", action.id, role.id)
        if action.outcomes:
            index = turn.roll(action.outcomes, turn.keyed.action(turn.number, role.id))
            if index is not None:
                outcomes[role.id] = index
                chosen = action.outcomes[index]
                news.append(("outcome", action.id, chosen.text, role.id, ""))
                turn.collect(chosen.effects, "outcome", action.id, role.id)
    for offer in scenario.offers:  # then the offers made last turn and not accepted
        if offer.pending(turn.env) and decisions[offer.to] != offer.id:
            news.append(("refusal", offer.id, offer.refused_text, offer.to, ""))
            turn.collect(offer.refused, "refusal", offer.id, offer.to)
    return outcomes


def _rules(scenario: CompiledScenario, turn: _Turn) -> tuple[str, ...]:
    """Step 3: every rule whose condition holds, in file order; one draw for each such
    rule with outcomes (keyed by the rule). Returns the ids of the rules that applied."""
    env = turn.env
    fired: list[str] = []
    for rule in scenario.rules:
        if not (rule.possible(env) and rule.when(env)):
            continue
        fired.append(rule.id)
        turn.news.append(("rule", rule.id, rule.text, None, ""))
        turn.collect(rule.effects, "rule", rule.id)
        if rule.outcomes:
            index = turn.roll(rule.outcomes, turn.keyed.rule(turn.number, rule.id))
            if index is not None:
                chosen = rule.outcomes[index]
                turn.news.append(("rule_outcome", rule.id, chosen.text, None, ""))
                turn.collect(chosen.effects, "rule_outcome", rule.id)
    return tuple(fired)


def _drift(scenario: CompiledScenario, turn: _Turn) -> None:
    """Step 3, after the rules: every drift whose condition holds (read, like the rules',
    against the start of the turn), in file order, adds its effects; no news line."""
    env = turn.env
    for drift in scenario.drift:
        if drift.when is None or drift.when(env):
            turn.collect(drift.effects, "drift", drift.id)


def _land(state: GameState, turn: _Turn) -> tuple[tuple[Pending, ...], tuple[Pending, ...]]:
    """Step 4, first: the waiting parts due this turn join what steps 2 and 3 collected,
    each recorded under its own source, in the order they were made. Returns those that
    landed and those still waiting."""
    landed: list[Pending] = []
    waiting: list[Pending] = []
    contributions = turn.contributions
    for part in state.pending:
        if part.due > turn.number:
            waiting.append(part)
            continue
        kind_of(part.mode).land(turn, part.target, part.amount)
        landed.append(part)
        contributions.append(Contribution(part.target, part.mode, part.amount, part.kind,
                                          part.source, part.role))
    return tuple(landed), tuple(waiting)


def _apply_together(scenario: CompiledScenario, turn: _Turn) -> None:
    """Step 4: what steps 2 and 3 collected, at once: the sets (the last one written
    wins), then the sum of changes; each indicator is clamped to its range."""
    values = turn.values
    bounds = scenario.bounds
    for target, value in turn.sets.items():
        values[target] = value
    for target, delta in turn.adds.items():
        values[target] = values[target] + delta
    for target in (*turn.sets, *turn.adds):
        if target in bounds:
            lo, hi = bounds[target]
            value = values[target]
            if not lo <= value <= hi:  # nan too
                turn.clamped.add(target)
                values[target] = within(value, lo, hi)
    turn.env.update(values)


def _events(scenario: CompiledScenario, state: GameState,
            turn: _Turn) -> tuple[dict[str, int], tuple[str, ...]]:
    """Step 5: the events due now, in file order, each applied at once. A due event draws
    once against its chance (its slot 0) and, if it fires and has outcomes, once more to
    pick one (slot 1). Returns the new times each event fired, and the ids of this turn's."""
    env = turn.env
    keyed, number = turn.keyed, turn.number
    fired = dict(state.fired)
    fired_now: list[str] = []
    for event in scenario.events:
        if not event.repeat and fired.get(event.id):
            continue
        if event.turn is not None and event.turn != state.turn:
            continue
        if event.when is not None and not event.when(env):
            continue
        if keyed.event(number, event.id, 0) >= event.chance(env):
            continue
        fired[event.id] = fired.get(event.id, 0) + 1
        fired_now.append(event.id)
        turn.news.append(("event", event.id, event.text, None, event.model.title))
        turn.apply_now(event.effects, "event", event.id)
        if event.outcomes:
            index = turn.roll(event.outcomes, keyed.event(number, event.id, 1))
            if index is not None:
                chosen = event.outcomes[index]
                turn.news.append(("event_outcome", event.id, chosen.text, None, ""))
                turn.apply_now(chosen.effects, "event_outcome", event.id)
    return fired, tuple(fired_now)


def _ending(scenario: CompiledScenario, state: GameState, env: Mapping[str, Any]) -> str | None:
    """Step 6: the first ending whose condition holds, highest priority first; the
    `at_last_turn` endings only once the last turn has been played (in a lesson cut
    short, its last turn: the interrupted ending instead, if the scenario has one)."""
    last = state.turn >= scenario.last_turn
    for candidate in scenario.final_endings if last else scenario.running_endings:
        if candidate.when is None or candidate.when(env):
            return candidate.id
    return None


def _tell(turn: _Turn, shown: dict[str, int]) -> tuple[NewsItem, ...]:
    """The turn's news, each text chosen against the state at the end of the turn (after
    every effect and event, with this turn's choices visible to `chose()`). Records in
    `shown` which alternative each text written as several showed."""
    env = turn.env
    news: list[NewsItem] = []
    for kind, source, told, role, title in turn.news:
        index, text = told.pick(env)
        if told.several:
            shown[told.key] = index
        if kind == "action":
            news.append(NewsItem(kind, source, text or title, role, title))
        elif kind != "rule" or text:  # a rule with no text (this time) tells nothing
            news.append(NewsItem(kind, source, text, role, title))
    return tuple(news)


def _ending_text(scenario: CompiledScenario, ending_id: str, env: dict[str, Any],
                 shown: dict[str, int]) -> EndingText:
    """The ending's texts, every role's result and the debrief, chosen against the final
    state (the one its `when` was read against)."""
    ending = scenario.compiled_ending(ending_id)

    def pick(told: Alternatives) -> str:
        index, text = told.pick(env)
        if told.several:
            shown[told.key] = index
        return text

    text = pick(ending.text)
    roles = {role: Fared(pick(result), pick(told))
             for role, (result, told) in ending.results.items()}
    return EndingText(ending_id, text, roles, tuple(pick(item) for item in ending.debrief),
                      tuple(pick(item) for item in scenario.debrief))
