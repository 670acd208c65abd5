"""Computer players, driven by what the scenario says each role wants.

Two levels:

- ``easy`` weighs each available action by the author's ``ai.weight`` and by
  how much the action's own effects (and expected chance outcomes) would
  raise the role's score right now; the role's ``ai.randomness`` sets how
  sharply it prefers the best, ``ai.greed`` how much the score counts.
- ``hard`` looks ahead: for each available action it plays a few short
  futures (everyone else, and itself afterwards, played by ``easy``) and
  keeps the action whose futures score best, counting an ending reached on
  the way as a win, draw or loss for the role.
- ``history`` plays the real actor: on the turn whose dates hold a step of the
  scenario's real timeline that names this role's action, it chooses that action
  if it is legal; a step it could not play on its day it plays at the first turn
  it is legal, up to ``CATCH_UP_DAYS`` days late, oldest first (so the real order
  is kept when the game allows one action a turn and history did several in a day).
  Otherwise it plays as ``easy`` does, but never takes early an action the real
  actor took later (`kazsim.engine.timeline.due_steps`, `later_actions`).

Randomness comes from the draws passed in (`rng`: one decision's, a
`kazsim.engine.draws.Stream` of the source ``ai:ROLE:SALT``), never from the
draws that resolve turns, so that replaying the recorded decisions of a game
reproduces it exactly. The hard AI's futures draw as a game does, each keyed by
a seed taken from the decision's stream (`GameDraws.future`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal

from kazsim.engine.draws import GameDraws, KeyedDraws, Stream, Uniform, source_ai
from kazsim.engine.resolve import legal_actions, resolve_legal
from kazsim.engine.state import GameState, TurnRecord
from kazsim.engine.timeline import due_steps, later_actions
from kazsim.scenario.compiled import CAction, CompiledScenario
from kazsim.scenario.effects import DELAY_DISCOUNT, Effect

Level = Literal["easy", "hard", "history"]
LEVELS: tuple[Level, ...] = ("easy", "hard", "history")

RESULT_VALUE = {"win": 1.0, "draw": 0.0, "loss": -1.0}
ROLLOUTS = 6  # futures the hard AI plays for each candidate action
DEPTH = 5  # turns each future looks ahead
ENDING_WEIGHT = 50.0  # an ending counts as this many score points (scores are ~0-100)
_KEYED = KeyedDraws(0)  # makes keyed futures (a keyed future's seed is its own)


Draws = Uniform  # where the AI's randomness comes from: a `Stream`, or any `random.Random`


def ai_rng(seed: int, turn: int, role_id: str, salt: str = "") -> Stream:
    """The AI's draws for one decision of a game (or any other key, such as a classroom
    seat's): `Stream(seed, turn, source_ai(role_id, salt))`, the same as `Game.draws.ai`
    gives a new game. Cheap to make: three mixes of SplitMix64."""
    return Stream(seed, turn, source_ai(role_id, salt))


def _apply(effects: tuple[Effect, ...], env: dict[str, Any], weight: float) -> None:
    """Change `env` as if `effects` happened with probability `weight` (each kind
    says how: `Effect.weigh`)."""
    for effect in effects:
        effect.weigh(env, weight)


def guess_env(scenario: CompiledScenario, env: Mapping[str, Any], role_id: str) -> dict[str, Any]:
    """The AI's picture of this turn: the others repeat what they did last turn."""
    guess = dict(env)
    for other in scenario.role_ids:
        if other != role_id and "<" + other in env:
            guess["@" + other] = env["<" + other]
    return guess


def expected_gain(scenario: CompiledScenario, guess: Mapping[str, Any], role_id: str,
                  action: CAction, base: float) -> float:
    """How much the role's score would move with this action, relative to `base`.

    Counts the action's effects, its chance outcomes weighted by their chance, and
    the rules its choice would trigger (`guess` says what the others choose). Rules
    that do not depend on this role's choice move every action's score alike, so
    they are left out: only differences between actions matter.
    """
    offered = _offer_gain(scenario, guess, role_id, action) if action.model.offer else 0.0
    rules = scenario.ai_rules[role_id][action.id]
    if not rules and (role_id, action.id) in scenario.ai_blind:
        return offered
    trial = dict(guess)
    trial["@" + role_id] = action.id
    key = f"#{role_id}.{action.id}"
    trial[key] = trial.get(key, 0) + 1
    # Chances and rule conditions read the turn as it starts: keep a copy if needed.
    before = dict(trial) if action.outcomes or rules else trial
    _apply(action.effects, trial, 1.0)
    for outcome in action.outcomes:
        chance = outcome.chance(before)
        if chance > 0:
            _apply(outcome.effects, trial, min(chance, 1.0))
    for rule in rules:
        if rule.possible(before) and rule.when(before):
            _apply(rule.effects, trial, 1.0)
            for outcome in rule.outcomes:
                chance = outcome.chance(before)
                if chance > 0:
                    _apply(outcome.effects, trial, min(chance, 1.0))
    return float(scenario.role(role_id).score(trial)) - base + offered


def _offer_gain(scenario: CompiledScenario, guess: Mapping[str, Any], role_id: str,
                action: CAction) -> float:
    """What the offer `action` makes is worth to its maker: the receiver is expected to
    accept when accepting scores at least as well for it as refusing (by its own score,
    from this turn's picture), and the maker counts what that answer does to its own
    score, a turn later (`DELAY_DISCOUNT`)."""
    offer = next((o for o in scenario.offers if o.id == action.model.offer), None)
    if offer is None:
        return 0.0
    receiver = scenario.role(offer.to)
    accept = receiver.by_id.get(offer.id)
    if accept is None:
        return 0.0
    accepted, refused = dict(guess), dict(guess)
    _apply(accept.effects, accepted, 1.0)
    _apply(offer.refused, refused, 1.0)
    answer = (accepted if float(receiver.score(accepted)) >= float(receiver.score(refused))
              else refused)
    mine = scenario.role(role_id).score
    return DELAY_DISCOUNT * (float(mine(answer)) - float(mine(guess)))


def easy_weighing(scenario: CompiledScenario, env: Mapping[str, Any], role_id: str,
                  legal: list[str]) -> tuple[list[float], list[float]]:
    """What the easy AI weighs for each of `legal`: its weight (a negative one counts
    as 0) and its expected score gain (`expected_gain`; all 0 when the role's greed
    is 0). `easy_probabilities` turns them into the chance of each choice."""
    role = scenario.role(role_id)
    by_id = role.by_id
    weights: list[float] = []
    gains: list[float] = []
    if role.model.ai.greed:
        base = float(role.score(env))
        guess = guess_env(scenario, env, role_id)
        for action_id in legal:
            action = by_id[action_id]
            weight = float(action.weight(env))
            weights.append(weight if weight > 0.0 else 0.0)
            gains.append(expected_gain(scenario, guess, role_id, action, base))
        for offer in scenario.offers:  # an offer not accepted is refused: its cost
            if offer.to == role_id and offer.refused and offer.pending(env):
                trial = dict(guess)
                _apply(offer.refused, trial, 1.0)
                cost = float(role.score(trial)) - base
                gains = [g if a == offer.id else g + cost
                         for a, g in zip(legal, gains, strict=True)]
    else:
        for action_id in legal:
            weight = float(by_id[action_id].weight(env))
            weights.append(weight if weight > 0.0 else 0.0)
            gains.append(0.0)
    return weights, gains


def _relative(weights: list[float], gains: list[float], greed: float,
              randomness: float) -> list[float]:
    """Each choice's chance, up to a common factor (the best one's is 1)."""
    if not any(weights):
        weights = [1.0] * len(weights)
    scale = max((abs(g) for g in gains), default=0.0) or 1.0
    tau = max(randomness, 0.02)
    utilities = [
        (math.log(w) + 3.0 * greed * g / scale) / tau if w > 0 else -math.inf
        for w, g in zip(weights, gains, strict=True)
    ]
    top = max(utilities)
    return [math.exp(u - top) if u > -math.inf else 0.0 for u in utilities]


def easy_probabilities(weights: list[float], gains: list[float], greed: float,
                       randomness: float) -> list[float]:
    """The easy AI's chance of taking each action, from what `easy_weighing` gives
    (and the role's `ai.greed` and `ai.randomness`): the numbers `choose_easy` draws
    from, so play-testing can explain and predict its choices."""
    if len(weights) == 1:
        return [1.0]
    relative = _relative(weights, gains, greed, randomness)
    total = sum(relative)
    return [p / total for p in relative]


def choose_easy(scenario: CompiledScenario, state: GameState, role_id: str,
                rng: Draws, env: Mapping[str, Any] | None = None,
                avoid: frozenset[str] = frozenset()) -> str:
    """The weighted, score-aware choice (never one of `avoid` while another is legal)."""
    env = env if env is not None else state.env(scenario.last_turn)
    legal = legal_actions(scenario, state, role_id, env)
    if avoid:
        legal = [a for a in legal if a not in avoid] or legal
    if len(legal) == 1:
        return legal[0]
    ai = scenario.role(role_id).model.ai
    weights, gains = easy_weighing(scenario, env, role_id, legal)
    probabilities = _relative(weights, gains, ai.greed, ai.randomness)
    pick = rng.random() * sum(probabilities)
    for action_id, p in zip(legal, probabilities, strict=True):
        pick -= p
        if pick < 0:
            return action_id
    return legal[max(range(len(legal)), key=probabilities.__getitem__)]


def _value(scenario: CompiledScenario, state: GameState, role_id: str,
           last: TurnRecord | None) -> float:
    """The role's score, and its result if `last` (the turn that led to `state`) ended
    the game."""
    env = state.env(scenario.last_turn)
    score = float(scenario.role(role_id).score(env))
    if last is not None and last.ended is not None:
        score += ENDING_WEIGHT * RESULT_VALUE[last.ended.roles[role_id].result]
    return score


def choose_hard(scenario: CompiledScenario, state: GameState, role_id: str,
                rng: Draws, *, rollouts: int = ROLLOUTS, depth: int = DEPTH,
                draws: GameDraws | None = None) -> str:
    """Look ahead: the action whose simulated futures are worth most to the role.

    Each future draws as a game does, keyed by its own seed taken from `rng`
    (`draws.future`: `draws` is the game's, whose scheme futures follow; None: the keyed
    draws of every new game). Its easy AI draws `future.ai(turn, role)`."""
    env = state.env(scenario.last_turn)
    legal = legal_actions(scenario, state, role_id, env)
    if len(legal) == 1:
        return legal[0]
    # Common random numbers: every candidate action is tried against the same
    # futures, so the comparison measures the action, not the luck of the draw.
    maker = draws if draws is not None else _KEYED
    futures = [maker.future(rng) for _ in range(rollouts)]
    best, best_value = legal[0], -math.inf
    for action_id in legal:
        total = 0.0
        for first in futures:
            sim = first.again()
            future = state
            last: TurnRecord | None = None
            for step in range(depth):
                if future.over:
                    break
                future_env = future.env(scenario.last_turn)
                turn = future.turn
                decisions = {
                    r: action_id if (step == 0 and r == role_id)
                    else choose_easy(scenario, future, r, sim.ai(turn, r), future_env)
                    for r in scenario.role_ids
                }
                future, last = resolve_legal(scenario, future, decisions, draws=sim,
                                             env=future_env)
            total += _value(scenario, future, role_id, last)
        value = total / rollouts
        if value > best_value + 1e-9:
            best, best_value = action_id, value
    return best


def choose(scenario: CompiledScenario, state: GameState, role_id: str, *, level: Level,
           rng: Draws, env: Mapping[str, Any] | None = None,
           draws: GameDraws | None = None) -> str:
    """The AI's decision for one role this turn (`env`: `state.env(...)`, if at hand;
    `draws`: the game's, which the hard AI's futures follow, see `choose_hard`)."""
    if level == "hard":
        return choose_hard(scenario, state, role_id, rng, draws=draws)
    if level == "history":
        return choose_history(scenario, state, role_id, rng, env)
    return choose_easy(scenario, state, role_id, rng, env)


def choose_history(scenario: CompiledScenario, state: GameState, role_id: str,
                   rng: Draws, env: Mapping[str, Any] | None = None) -> str:
    """The real actor's action when a step of the timeline is due and legal, else easy's,
    which does not take early what the real actor did later."""
    env = env if env is not None else state.env(scenario.last_turn)
    steps = due_steps(scenario, state, role_id)
    if steps:
        legal = legal_actions(scenario, state, role_id, env)
        for step in steps:
            if step.action in legal:
                return step.action
    return choose_easy(scenario, state, role_id, rng, env,
                       avoid=later_actions(scenario, state, role_id))
