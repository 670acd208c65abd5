"""Why doesn't the AI choose X? The easy AI's own numbers, at the turns X was there.

For an action the play-test saw rarely or never chosen, the games are played
again to the turns where it was available beside another choice (the first
`simulate.SAMPLES` of them, kept by the tally), and the engine's easy AI is
asked what it weighed there (`engine.ai.easy_weighing`, the very numbers
`choose_easy` draws from). That says what the action loses against — the
action the AI favoured most often at those turns —, by how much (the weights,
and the expected score gains the role's `score` gives each), and what would
change it: the `ai.weight` (a constant) or the extra score gain with which the
AI's average chance of choosing it at those turns would reach `TARGET_SHARE`.
The turns are those of the games as played, so the prediction is about those
situations: once the action is chosen more, the games go differently (the
tests measure how close it comes).

For an action never available, its `available` condition is split at its
top-level `and`s and each part is tried at the turns where it was not
available: the part false most often is the one to look at.
"""

from __future__ import annotations

import ast
import math
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from kazsim.analysis.simulate import Tally, replay_states
from kazsim.engine import legal_actions
from kazsim.engine.ai import easy_probabilities, easy_weighing
from kazsim.scenario.compiled import CompiledScenario
from kazsim.scenario.expr import ExprError, Names, compile_expr

TARGET_SHARE = 1 / 3  # the change suggested makes it chosen in about this share of its turns
MAX_WEIGHT = 1e6  # beyond this, "no weight would do"


@dataclass(frozen=True)
class Rival:
    """What the action loses against at its turns."""

    id: str
    label: str
    favoured: float  # share of the action's turns at which the AI favoured the rival most
    weight: float  # median weight at those turns
    gain_gap: float  # median of (the action's expected gain - the rival's), in score points


@dataclass(frozen=True)
class WhyNot:
    role: str
    id: str
    label: str
    available_games: int
    available_turns: int
    chosen_games: int
    chosen_turns: int
    turns_checked: int  # decision points replayed (available, with another choice)
    chance: float  # the AI's average chance of choosing it at those turns
    weight: float | None  # its median weight there
    greed: float
    rival: Rival | None
    weight_needed: float | None  # a constant weight reaching TARGET_SHARE (None: none would)
    gain_needed: float | None  # extra expected score gain reaching it (None: greed 0 / none)
    condition_part: str | None = None  # never available: the part of 'available' false most
    condition_false: float = 0.0  # share of the unavailable turns checked where it was false

    @property
    def message(self) -> str:
        """Its explanation, in the words `explain` gives (after "action X of R ")."""
        return explain(self)


def _mean_chance(points: list[tuple[list[float], list[float], int]], greed: float,
                 randomness: float, weight: float | None = None, extra: float = 0.0) -> float:
    """The average chance of the action at `points` (weights, gains, its index) with its
    weight replaced by `weight` and `extra` added to its gain."""
    total = 0.0
    for weights, gains, index in points:
        if weight is not None:
            weights = [*weights[:index], weight, *weights[index + 1:]]
        if extra:
            gains = [*gains[:index], gains[index] + extra, *gains[index + 1:]]
        total += easy_probabilities(weights, gains, greed, randomness)[index]
    return total / len(points)


def _solve(f: Callable[[float], float], low: float, high: float, *,
           log: bool) -> float | None:
    """The x in [low, high] where the increasing f(x) reaches TARGET_SHARE, or None."""
    if f(high) < TARGET_SHARE:
        return None
    if f(low) >= TARGET_SHARE:
        return low
    for _ in range(60):
        mid = math.sqrt(low * high) if log else (low + high) / 2
        if f(mid) < TARGET_SHARE:
            low = mid
        else:
            high = mid
    return high


def explain_action(scenario: CompiledScenario, tally: Tally, key: str,
                   names: Names) -> WhyNot:
    """The why-not for one action ("role.action") of a role played by the easy AI."""
    role_id, action_id = key.split(".", 1)
    role = scenario.role(role_id)
    action = role.by_id[action_id]
    ai = role.model.ai
    counts = (role_id, action_id, action.model.label, tally.available_games[key],
              tally.available_turns[key], tally.chosen_games[key], tally.chosen[key])
    if not tally.samples[key]:
        part, share = _failing_part(scenario, tally, key, names)
        return WhyNot(*counts, turns_checked=0, chance=0.0, weight=None, greed=ai.greed,
                      rival=None, weight_needed=None, gain_needed=None, condition_part=part,
                      condition_false=share)
    points: list[tuple[list[float], list[float], int]] = []
    favourite: Counter[str] = Counter()
    own_weights: list[float] = []
    by_rival: dict[str, list[tuple[float, float]]] = {}
    for state in replay_states(scenario, tally.samples[key]):
        env = state.env(scenario.last_turn)
        legal = legal_actions(scenario, state, role_id, env)
        weights, gains = easy_weighing(scenario, env, role_id, legal)
        index = legal.index(action_id)
        points.append((weights, gains, index))
        own_weights.append(weights[index])
        chances = easy_probabilities(weights, gains, ai.greed, ai.randomness)
        best = max((i for i in range(len(legal)) if i != index), key=chances.__getitem__)
        favourite[legal[best]] += 1
        for i, other in enumerate(legal):
            if i != index:
                by_rival.setdefault(other, []).append((weights[i], gains[index] - gains[i]))
    rival_id, times = favourite.most_common(1)[0]
    pairs = by_rival[rival_id]
    rival = Rival(rival_id, role.by_id[rival_id].model.label, times / len(points),
                  statistics.median(w for w, _ in pairs), statistics.median(g for _, g in pairs))
    chance = _mean_chance(points, ai.greed, ai.randomness)
    weight_needed = _solve(lambda w: _mean_chance(points, ai.greed, ai.randomness, weight=w),
                           1e-6, MAX_WEIGHT, log=True)
    gain_needed = None
    if ai.greed:
        spread = max((abs(g) for _, gains, _ in points for g in gains), default=0.0) or 1.0
        gain_needed = _solve(lambda x: _mean_chance(points, ai.greed, ai.randomness, extra=x),
                             0.0, 1000.0 * spread, log=False)
    return WhyNot(*counts, turns_checked=len(points), chance=chance,
                  weight=statistics.median(own_weights), greed=ai.greed, rival=rival,
                  weight_needed=weight_needed, gain_needed=gain_needed)


def _failing_part(scenario: CompiledScenario, tally: Tally, key: str,
                  names: Names) -> tuple[str | None, float]:
    """The part of the action's `available` condition false most often where it was
    not available, and that share."""
    role_id, action_id = key.split(".", 1)
    text = scenario.role(role_id).by_id[action_id].model.available
    points = tally.unavailable[key]
    if text is None or isinstance(text, bool) or not points:
        return None, 0.0
    try:
        whole = compile_expr(text, names, "bool")
    except ExprError:  # cannot happen in a loaded scenario
        return None, 0.0
    tree = whole.tree
    parts = ([ast.unparse(v) for v in tree.values]
             if isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And)
             else [str(text).strip()])
    compiled = []
    for part in parts:
        try:
            compiled.append((part, compile_expr(part, names, "bool")))
        except ExprError:
            continue
    if not compiled:
        return None, 0.0
    envs = [s.env(scenario.last_turn) for s in replay_states(scenario, points)]
    false = [(sum(1 for env in envs if not fn(env)), part) for part, fn in compiled]
    count, part = max(false, key=lambda x: x[0])  # the first of the most often false
    return part, count / len(envs)


def scenario_names(scenario: CompiledScenario) -> Names:
    model = scenario.model
    return Names(numbers=frozenset(i.id for i in model.indicators),
                 flags=frozenset(f.id for f in model.flags),
                 actions={r.id: frozenset(a.id for a in r.actions) for r in model.roles})


def _n(x: float) -> str:
    """A number as a teacher reads it: two significant figures, no exponent."""
    if x == 0:
        return "0"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    text = f"{x:.{max(0, 1 - math.floor(math.log10(abs(x))))}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _times(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _chance(share: float) -> str:
    return "under 0.1%" if 0 < share < 0.001 else f"{share:.1%}"


def explain(w: WhyNot) -> str:
    """The explanation in plain words, with the numbers: a sentence that follows
    "action X of R " (its availability, what it loses against, the change to make)."""
    if w.available_turns == 0:
        out = "is never available"
        if w.condition_part is not None:
            out += (f": the part '{w.condition_part}' of its condition was false at "
                    f"{w.condition_false:.0%} of the turns checked; loosen it, or make what "
                    "it reads reach it")
        return out + "."
    chosen = ("never chosen" if not w.chosen_turns else
              f"chosen in only {_times(w.chosen_games, 'game')} "
              f"({_times(w.chosen_turns, 'turn')})")
    out = (f"is available in {_times(w.available_games, 'game')} "
           f"({_times(w.available_turns, 'turn')}) but {chosen}")
    if w.rival is None:  # never beside another choice: nothing to lose against
        return out + "; it is never beside another choice, so this is no AI preference."
    r = w.rival
    gap = ("its score gain is the same" if abs(r.gain_gap) < 0.05 else
           f"its score gain is {_n(abs(r.gain_gap))} point{'s' if abs(r.gain_gap) != 1 else ''} "
           f"{'lower' if r.gain_gap < 0 else 'higher'}")
    if not w.greed:
        gap = "the score does not count: greed is 0"
    out += (f": it loses to '{r.label}' ({r.id}) (weight {_n(r.weight)} against its "
            f"{_n(w.weight or 0.0)}; {gap}); at the {_times(w.turns_checked, 'turn')} "
            f"checked, the AI's chance of choosing it was {_chance(w.chance)} on average.")
    fixes = []
    if w.weight_needed is not None:
        fixes.append(f"a weight of about {_n(w.weight_needed)}")
    if w.gain_needed is not None:
        fixes.append(f"effects worth about {_n(w.gain_needed)} more points in the role's "
                     "score")
    if fixes:
        out += (f" {' or '.join(fixes).capitalize()} would make it chosen in about a third "
                "of the turns it is available.")
    else:
        out += " No weight alone would make it chosen in a third of its turns; make it pay off "
        out += "in the role's score."
    return out


def explain_all(scenario: CompiledScenario, tally: Tally, keys: list[str]) -> list[WhyNot]:
    """The why-not of each of `keys`, for a tally of games with the easy AI in every
    role (the games are replayed so)."""
    names = scenario_names(scenario)
    return [explain_action(scenario, tally, key, names) for key in keys]
