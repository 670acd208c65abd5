"""Many AI-vs-AI games of one scenario at once, as arrays: the same games as the reference.

A `Prepared` scenario holds every expression as numpy operations (`vexpr`), every
effect in its batch form (`KINDS`, keyed by the kind of `kazsim.scenario.effects`),
and what the batch engine cannot play (`reasons`). `play(prepared, seeds)` plays one
game per seed with the easy AI in every role, all games on the same turn at once:
the state is one array per indicator, flag, count and choice, one row per game, and
each turn follows `kazsim.engine.resolve`'s steps 1 to 6 in their order, each
game's arithmetic in the reference engine's order. The draws are the reference
engine's counter-based draws (`kazsim.engine.draws`), keyed by each game's seed.
`play_from(prepared, states, seeds)` plays on from a mid-game `GameState` for each
game instead (each its own state and turn, and optionally its first decisions), as a
`fork` of the game in the keyed draws plays on: the debrief's odds (`batch.odds`).

The result (`Games`) keeps, for every game and turn, the decisions, the chance
outcomes, the rules and events, the legal actions, the alternatives shown, the
values after each turn and the ending: what `kazsim check` counts, and what the
differential tests compare with the reference engine, game by game.

Not kept: the news texts, the "why" of every change, secret moves (which change
nothing but what is shown to whom) and the records the faces read; a game that
needs those is replayed by the reference engine from its seed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kazsim.batch import draws
from kazsim.batch.mirror import mirror
from kazsim.batch.vexpr import Unsupported, VFn, finite, vectorise
from kazsim.engine.draws import (
    source_action,
    source_ai,
    source_amount,
    source_event,
    source_rule,
)
from kazsim.engine.state import GameState
from kazsim.scenario import effects as fx
from kazsim.scenario.compiled import CompiledScenario
from kazsim.scenario.expr import Compiled, Names, compile_expr
from kazsim.scenario.told import Alternatives

# The kinds of effect with a batch form here (each written where it is used: `_Turn.collect`,
# `_Turn.apply_now`, `_weigh`); a scenario with another kind is played by the reference.
KINDS = frozenset({fx.SetFlag, fx.SetIndicator, fx.AddToIndicator, fx.Uncertain, fx.Delayed,
                   fx.Spread})

Env = dict[str, Any]


# --- preparing a scenario -----------------------------------------------------------------

@dataclass
class PEffect:
    kind: type[fx.Effect]
    target: str
    fn: VFn
    high: VFn | None = None
    after: int = 0
    over: int = 1
    lo: float = -math.inf
    hi: float = math.inf
    slot: int = -1  # the n-th amount its origin draws (uncertain amounts only)
    value: Any = None  # a flag's value


@dataclass
class PTold:
    key: str
    conditions: list[VFn | None]
    written: tuple[str, ...]

    @property
    def several(self) -> bool:
        return len(self.conditions) > 1


@dataclass
class PChance:
    chance: VFn
    effects: list[PEffect]
    text: PTold


@dataclass
class PAction:
    id: str
    index: int
    key: str  # role.action
    once: bool
    cooldown: int
    available: VFn | None
    weight: VFn
    effects: list[PEffect]
    outcomes: list[PChance]
    text: PTold
    offer: str | None
    blind: bool
    rules: list[PRule] = field(default_factory=list)  # the rules the AI weighs


@dataclass
class PRole:
    id: str
    actions: list[PAction]
    score: VFn
    greed: float
    randomness: float
    index: dict[str, int]
    # What accepted offers bind it to: (the accepting choice's "role.offer", the bound
    # action's index, turns, required), in `CompiledScenario.binds` order.
    binds: list[tuple[str, int, int, bool]] = field(default_factory=list)


@dataclass
class PRule:
    id: str
    index: int
    when: VFn
    requires: dict[str, list[int]]
    effects: list[PEffect]
    outcomes: list[PChance]
    text: PTold


@dataclass
class PDrift:
    id: str
    when: VFn | None
    effects: list[PEffect]


@dataclass
class PEvent:
    id: str
    index: int
    turn: int | None
    when: VFn | None
    chance: VFn
    repeat: bool
    effects: list[PEffect]
    outcomes: list[PChance]
    text: PTold


@dataclass
class POffer:
    id: str
    by: str
    to: str
    makers: list[int]
    accept: int  # the index of the accepting choice among `to`'s actions
    refused: list[PEffect]
    text: PTold


@dataclass
class PEnding:
    id: str
    index: int
    when: VFn | None
    text: PTold
    results: list[tuple[str, PTold, PTold]]
    debrief: list[PTold]


@dataclass
class PStep:
    id: str
    happened: VFn
    day_offset: list[int]  # by turn played (0..last): in-game day minus real date


@dataclass
class Prepared:
    """A scenario ready for the batch engine, or the reasons it is not (`reasons`)."""

    scenario: CompiledScenario
    reasons: list[str]
    numbers: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    roles: list[PRole] = field(default_factory=list)
    rules: list[PRule] = field(default_factory=list)
    drift: list[PDrift] = field(default_factory=list)
    events: list[PEvent] = field(default_factory=list)
    offers: list[POffer] = field(default_factory=list)
    endings: list[PEnding] = field(default_factory=list)
    running: list[PEnding] = field(default_factory=list)
    final: list[PEnding] = field(default_factory=list)
    debrief: list[PTold] = field(default_factory=list)
    steps: list[PStep] = field(default_factory=list)
    told_keys: list[str] = field(default_factory=list)


class _Maker:
    def __init__(self, scenario: CompiledScenario) -> None:
        self.mirror, self.kept = mirror(scenario)
        self.choices = {r.id: {a.id: j for j, a in enumerate(r.actions)}
                        for r in self.mirror.roles}
        self.told_keys: dict[str, None] = {}
        model = self.mirror.model
        # How large a value can be: an indicator its range, a flag 1, turns the last turn.
        self.sizes: dict[str, float] = {i.id: max(abs(float(i.min)), abs(float(i.max)))
                                        for i in model.indicators}
        self.sizes.update({f.id: 1.0 for f in model.flags})
        self.sizes.update(turn=float(scenario.last_turn + 1),
                          last_turn=float(scenario.last_turn + 1))
        self.names = Names(
            numbers=frozenset(i.id for i in model.indicators),
            flags=frozenset(f.id for f in model.flags),
            actions={r.id: frozenset(a.id for a in r.actions) for r in self.mirror.roles})

    def fn(self, f: Any, what: str) -> VFn:
        compiled: Compiled | None = self.kept.get(id(f))
        if compiled is None:
            raise Unsupported(f"{what}: an expression the batch engine cannot read")
        return vectorise(compiled, self.choices, self.sizes)

    def maybe(self, f: Any, what: str) -> VFn | None:
        return None if f is None else self.fn(f, what)

    def acceptance(self, action: Any, what: str) -> VFn:
        """An offer's "Accept: ..." choice is available when the offer was made last turn
        and its own `available` holds (as `checks._Compiler._acceptances` writes it)."""
        offer = next(o for o in self.mirror.offers if o.id == action.accepts)
        makers = sorted(self.choices[offer.by][a] for a in offer.makers)
        defaults: tuple[Any, ...] = getattr(action.available, "__defaults__", None) or ()
        test = defaults[2] if len(defaults) == 3 else None
        condition = None if test is None else self.fn(test, what)
        key = "<" + offer.by

        def available(env: Mapping[str, Any]) -> Any:
            made = _among(env.get(key, -1), makers)
            return made if condition is None else made & condition(env)

        return available

    def told(self, told: Alternatives, what: str) -> PTold:
        conditions = [None if c is None else self.fn(c, what) for c in told.conditions]
        if len(conditions) > 1:
            self.told_keys[told.key] = None
        return PTold(told.key, conditions, told.written)

    def effects(self, effects: Sequence[fx.Effect], what: str) -> list[PEffect]:
        out = []
        slot = 0
        for e in effects:
            kind = type(e)
            if kind not in KINDS:
                raise Unsupported(f"{what}: effects of kind '{kind.mode}'")
            if kind is fx.SetFlag:
                out.append(PEffect(kind, e.target, lambda env: None, value=e.fn({})))
                continue
            assert isinstance(e, fx._OnIndicator)
            p = PEffect(kind, e.target, self.fn(e.fn, what), lo=e.lo, hi=e.hi)
            if isinstance(e, fx._Written):
                p.after, p.over = e.after, e.over
                if e.high is not None:
                    p.high = self.fn(e.high, what)
                    p.slot = slot
                    slot += 1
            out.append(p)
        return out

    def chances(self, outcomes: Sequence[Any], what: str) -> list[PChance]:
        return [PChance(self.fn(o.chance, what), self.effects(o.effects, what),
                        self.told(o.text, what)) for o in outcomes]


def prepare(scenario: CompiledScenario) -> Prepared:
    """The batch form of `scenario`; its `reasons` say why it cannot be played (none: it
    can)."""
    try:
        return _prepare(scenario)
    except Unsupported as exc:
        return Prepared(scenario, [str(exc)])


def _prepare(scenario: CompiledScenario) -> Prepared:
    m = _Maker(scenario)
    s = m.mirror
    reasons: list[str] = []
    out = Prepared(scenario, reasons)
    out.numbers = [i.id for i in s.model.indicators]
    out.flags = [f.id for f in s.model.flags]
    rules = {}
    for j, rule in enumerate(s.rules):
        what = f"rule '{rule.id}'"
        rules[rule.id] = PRule(
            rule.id, j, m.fn(rule.when, what),
            {r: sorted(m.choices[r][a] for a in acts) for r, acts in rule.requires.items()},
            m.effects(rule.effects, what), m.chances(rule.outcomes, what),
            m.told(rule.text, what))
    out.rules = list(rules.values())
    for role in s.roles:
        actions = []
        for j, a in enumerate(role.actions):
            what = f"action '{role.id}.{a.id}'"
            available = (m.acceptance(a, what) if a.accepts is not None
                         else m.maybe(a.available, what))
            actions.append(PAction(
                a.id, j, f"{role.id}.{a.id}", a.once, a.cooldown,
                available, m.fn(a.weight, what),
                m.effects(a.effects, what), m.chances(a.outcomes, what),
                m.told(a.text, what), a.model.offer, (role.id, a.id) in s.ai_blind,
                [rules[r.id] for r in s.ai_rules[role.id][a.id]]))
        ai = role.model.ai
        binds = [(f"{role.id}.{offer.id}", m.choices[role.id][action], turns, required)
                 for offer, action, turns, required in s.binds.get(role.id, ())]
        out.roles.append(PRole(role.id, actions, m.fn(role.score, f"the score of '{role.id}'"),
                               ai.greed, ai.randomness, m.choices[role.id], binds))
    for drift in s.drift:
        what = f"drift '{drift.id}'"
        out.drift.append(PDrift(drift.id, m.maybe(drift.when, what),
                                m.effects(drift.effects, what)))
    for j, event in enumerate(s.events):
        what = f"event '{event.id}'"
        out.events.append(PEvent(event.id, j, event.turn, m.maybe(event.when, what),
                                 m.fn(event.chance, what), event.repeat,
                                 m.effects(event.effects, what),
                                 m.chances(event.outcomes, what), m.told(event.text, what)))
    for offer in s.offers:
        what = f"offer '{offer.id}'"
        by = m.choices[offer.by]
        out.offers.append(POffer(offer.id, offer.by, offer.to,
                                 sorted(by[a] for a in offer.makers),
                                 m.choices[offer.to].get(offer.id, -1),
                                 m.effects(offer.refused, what), m.told(offer.refused_text, what)))
    by_id = {}
    for j, ending in enumerate(s.endings):
        what = f"ending '{ending.id}'"
        p = PEnding(ending.id, j, m.maybe(ending.when, what), m.told(ending.text, what),
                    [(r, m.told(res, what), m.told(told, what))
                     for r, (res, told) in ending.results.items()],
                    [m.told(d, what) for d in ending.debrief])
        out.endings.append(p)
        by_id[ending.id] = p
    out.running = [by_id[e.id] for e in s.running_endings]
    out.final = [by_id[e.id] for e in s.final_endings]
    out.debrief = [m.told(d, "the scenario's debrief") for d in s.debrief]
    if s.timeline:
        from kazsim.engine.timeline import turn_day

        for step in s.timeline:
            offsets = [(turn_day(s, max(t, 1)) - step.date).days
                       for t in range(s.last_turn + 1)]
            if id(step.happened) in m.kept or step.model.happened is not None:
                happened = m.fn(step.happened, f"step '{step.id}'")
            else:  # the real actor's action, as the checks write it
                happened = vectorise(compile_expr(f"chose({step.role}, {step.action})",
                                                  m.names, "bool"), m.choices, m.sizes)
            out.steps.append(PStep(step.id, happened, offsets))
    out.told_keys = list(m.told_keys)
    return out


def supports(scenario: CompiledScenario, levels: Mapping[str, str] | None = None) -> list[str]:
    """Why the batch engine cannot play `scenario`'s AI games exactly as the reference
    engine does (at `levels`: role -> AI level, easy by default); empty when it can."""
    reasons = [f"the {level} AI ('{role}')" for role, level in (levels or {}).items()
               if level != "easy"]
    return reasons + prepare(scenario).reasons


# --- the games --------------------------------------------------------------------------

@dataclass
class Games:
    """What happened in each game (one row per game, in the order of `seeds`).

    Per turn t (index t - 1) and game: `decisions[role]` the action index (-1: the
    game was over), `outcomes[role]` the chance outcome drawn (-1: none), `rules` and
    `events` (turn, game, index) booleans, `legal[role]` (turn, game, action) what
    could be chosen, `shown[key]` the alternative shown (-1: not shown). `values[id]`
    (turn 0..last, game): the value after each turn (the start at 0; a game that
    ended keeps its last). `ending` the ending's index in `Prepared.endings`,
    `played` the turns each game lasted, `results[role]` the result each role got
    (index in `RESULTS`), `step_turn[step]` the first turn the real step held
    (-1: never)."""

    prepared: Prepared
    seeds: list[int]
    decisions: dict[str, np.ndarray]
    outcomes: dict[str, np.ndarray]
    rules: np.ndarray
    events: np.ndarray
    legal: dict[str, np.ndarray]
    shown: dict[str, np.ndarray]
    values: dict[str, np.ndarray]
    ending: np.ndarray
    played: np.ndarray
    results: dict[str, np.ndarray]
    step_turn: dict[str, np.ndarray]
    counts: dict[str, np.ndarray]  # "role.action" -> times chosen, at the end
    fired: dict[str, np.ndarray]  # event id -> times fired, at the end

    def __len__(self) -> int:
        return len(self.seeds)

    def final_scores(self, a: int = 0, b: int | None = None) -> dict[str, np.ndarray]:
        """Each role's score at the end of games `a` to `b` (read as the reference reads
        it: the final state's environment, `turn` one past the last turn played)."""
        p = self.prepared
        b = len(self.seeds) if b is None else b
        played = self.played[a:b]
        out = {r.id: np.zeros(b - a) for r in p.roles}
        with np.errstate(all="ignore"):
            for turns in np.unique(played).tolist():
                rows = np.nonzero(played == turns)[0] + a
                env: Env = {k: self.values[k][turns, rows] for k in (*p.numbers, *p.flags)}
                env["turn"] = turns + 1
                env["last_turn"] = p.scenario.last_turn
                for key, c in self.counts.items():
                    env["#" + key] = c[rows]
                if turns:
                    for r in p.roles:
                        env["<" + r.id] = self.decisions[r.id][turns - 1, rows].astype(np.int64)
                for r in p.roles:
                    out[r.id][rows - a] = _full(r.score(env), len(rows))
        return out


RESULTS = ("win", "draw", "loss")


def _full(value: Any, n: int) -> np.ndarray:
    """One value per game: `value` itself, or a value shared by all, repeated."""
    if isinstance(value, np.ndarray) and value.shape == (n,):
        return value
    return np.full(n, value)


def _among(choice: Any, indexes: Sequence[int]) -> Any:
    """Whether each game's choice (an action index) is one of `indexes`."""
    choice = np.asarray(choice)
    out: Any = np.zeros(choice.shape, dtype=bool)
    for index in indexes:
        out = out | (choice == index)
    return out


def _within(v: Any, lo: float, hi: float) -> Any:
    return np.where((lo <= v) & (v <= hi), v, np.where(v > hi, hi, lo))


def _exactly(fn: Callable[[float], float], x: np.ndarray) -> np.ndarray:
    """`fn` (from `math`) on each number, as the reference engine computes it (numpy's
    own exp and log may differ by an ulp): once per distinct number, many games share
    them."""
    if not x.size:
        return x.astype(np.float64)
    distinct, where = np.unique(x, return_inverse=True)
    values = np.fromiter(map(fn, distinct.tolist()), np.float64, len(distinct))
    out: np.ndarray = values[where.reshape(x.shape)]
    return out


def _exp(x: np.ndarray) -> np.ndarray:
    return _exactly(math.exp, x)


def _log(x: np.ndarray) -> np.ndarray:
    return _exactly(math.log, x)


def _parts(total: np.ndarray, over: int) -> list[np.ndarray]:
    """`effects.parts` game by game: whole totals in whole parts, the larger first."""
    if over == 1:
        return [total]
    total = np.asarray(total, dtype=np.float64)
    whole = (np.floor(total) == total) & (np.abs(total) < 2.0 ** 53)
    safe = np.where(whole, total, 0.0)
    q = np.floor_divide(safe, over)
    r = safe - q * over
    share = total / over
    out = []
    for k in range(over):
        part = share if k < over - 1 else total - share * (over - 1)
        out.append(np.where(whole, np.where(k < r, q + 1, q), part))
    return out


@dataclass
class _Pending:
    due: int
    target: str
    mask: np.ndarray  # over every game of the batch
    amount: np.ndarray


class _Turn:
    """One turn of the games still going (`rows`: their indexes in the batch)."""

    def __init__(self, env: Env, rows: np.ndarray, number: int, turn_key: np.ndarray,
                 total: int, waiting: list[_Pending]) -> None:
        self.env = env
        self.rows = rows
        self.n = len(rows)
        self.number = number
        self.key = turn_key
        self.total = total
        self.sets: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.adds: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.waiting = waiting

    def amount(self, e: PEffect, origin: tuple[str, str, str | None]) -> np.ndarray:
        env = self.env
        low = _full(e.fn(env), self.n)
        if e.high is None:
            return low
        high = _full(e.high(env), self.n)
        swap = high < low
        low, high = np.where(swap, high, low), np.where(swap, low, high)
        x = draws.unit(self.key, source_amount(*origin), e.slot)
        value = finite(low * (1.0 - x) + high * x)
        return np.where(value < low, low, np.where(value > high, high, value))

    def share(self, e: PEffect, m: np.ndarray, origin: tuple[str, str, str | None]) -> Any:
        """The part due now (0 where none), the later ones kept waiting."""
        here: Any = 0
        for k, part in enumerate(_parts(self.amount(e, origin), e.over)):
            due = self.number + e.after + k
            if due == self.number:
                here = part
            else:
                wait = m & (part != 0)
                if wait.any():
                    mask = np.zeros(self.total, dtype=bool)
                    mask[self.rows] = wait
                    amount = np.zeros(self.total)
                    amount[self.rows] = np.where(wait, part, 0.0)
                    self.waiting.append(_Pending(due, e.target, mask, amount))
        return here

    def add(self, target: str, m: np.ndarray, value: Any) -> None:
        touched, total = self.adds.get(target, (np.zeros(self.n, dtype=bool),
                                                np.zeros(self.n)))
        self.adds[target] = (touched | m, np.where(m, total + value, total))

    def collect(self, effects: list[PEffect], m: np.ndarray,
                origin: tuple[str, str, str | None]) -> None:
        if not effects or not m.any():
            return
        env = self.env
        for e in effects:
            kind = e.kind
            if kind is fx.SetFlag or kind is fx.SetIndicator:
                value = e.value if kind is fx.SetFlag else e.fn(env)
                had, old = self.sets.get(e.target, (np.zeros(self.n, dtype=bool),
                                                    np.zeros(self.n, dtype=bool if kind
                                                             is fx.SetFlag else np.float64)))
                self.sets[e.target] = (had | m, np.where(m, value, old))
            elif kind is fx.AddToIndicator:
                value = _full(e.fn(env), self.n)
                self.add(e.target, m & (value != 0), value)
            else:
                value = _full(self.share(e, m, origin), self.n)
                self.add(e.target, m & (value != 0), value)

    def apply_now(self, effects: list[PEffect], m: np.ndarray,
                  origin: tuple[str, str, str | None]) -> None:
        if not effects or not m.any():
            return
        env = self.env
        for e in effects:
            kind = e.kind
            t = e.target
            if kind is fx.SetFlag:
                env[t] = np.where(m, e.value, env[t])
            elif kind is fx.SetIndicator:
                env[t] = np.where(m, _within(_full(e.fn(env), self.n), e.lo, e.hi), env[t])
            else:
                if kind is fx.AddToIndicator:
                    value = _full(e.fn(env), self.n)
                else:
                    value = _full(self.share(e, m, origin), self.n)
                go = m & (value != 0)
                env[t] = np.where(go, _within(env[t] + value, e.lo, e.hi), env[t])

    def roll(self, outcomes: list[PChance], m: np.ndarray, draw: np.ndarray) -> np.ndarray:
        """`resolve._Turn.roll` for every game: the outcome index (-1: none)."""
        acc: Any = 0.0
        index = np.full(self.n, -1, dtype=np.int64)
        for j, outcome in enumerate(outcomes):
            c = _full(outcome.chance(self.env), self.n)
            acc = acc + np.where(c < 0, 0.0, np.where(c > 1, 1.0, c))
            index = np.where((index < 0) & (draw < acc), j, index)
        return np.where(m, index, -1)


def _pick(told: PTold, env: Env, n: int) -> np.ndarray:
    """`Alternatives.pick`'s index for every game."""
    last = len(told.conditions) - 1
    index = np.full(n, last, dtype=np.int64)
    for j in range(last - 1, -1, -1):
        cond = told.conditions[j]
        if cond is not None:
            index = np.where(_full(cond(env), n), j, index)
    return index


# --- the easy AI ------------------------------------------------------------------------------

def _weigh(effects: list[PEffect], env: Env, weight: Any, m: Any, n: int) -> None:
    """`Effect.weigh` of each effect for every game where `m` holds."""
    for e in effects:
        t = e.target
        kind = e.kind
        if kind is fx.SetFlag:
            env[t] = np.where(m & (weight >= 0.5), e.value, env[t])
        elif kind is fx.SetIndicator:
            old = env[t]
            new = _within(old + (e.fn(env) - old) * weight, e.lo, e.hi)
            env[t] = np.where(m, new, old)
        elif kind is fx.AddToIndicator:
            value = e.fn(env)
            old = env[t]
            env[t] = np.where(m & (np.asarray(value) != 0),
                              _within(old + value * weight, e.lo, e.hi), old)
        else:
            total = e.fn(env) if e.high is None else (e.fn(env) + e.high(env)) / 2
            first = env["turn"] + e.after
            left = env["last_turn"] - first + 1
            if left <= 0:
                continue
            share = total / e.over
            gain = sum(fx.DELAY_DISCOUNT ** (e.after + k) for k in range(min(left, e.over)))
            old = env[t]
            env[t] = np.where(m & (np.asarray(total) != 0),
                              _within(old + share * gain * weight, e.lo, e.hi), old)


def _possible(rule: PRule, env: Env) -> Any:
    out: Any = True
    for role, actions in rule.requires.items():
        out = out & _among(env.get("@" + role, -1), actions)
    return out


def _gain(p: Prepared, role: PRole, action: PAction, guess: Env, base: Any,
          n: int) -> Any:
    """`ai.expected_gain` for every game."""
    offered: Any = _offer_gain(p, role, action, guess, n) if action.offer else 0.0
    if not action.rules and action.blind:
        return offered
    trial = dict(guess)
    trial["@" + role.id] = np.full(n, action.index)
    key = "#" + action.key
    trial[key] = trial.get(key, 0) + 1
    before = dict(trial)
    ones: Any = True
    _weigh(action.effects, trial, 1.0, ones, n)
    for outcome in action.outcomes:
        c = outcome.chance(before)
        _weigh(outcome.effects, trial, np.where(c > 1.0, 1.0, c), c > 0, n)
    for rule in action.rules:
        holds = _possible(rule, before) & rule.when(before)
        _weigh(rule.effects, trial, 1.0, holds, n)
        for outcome in rule.outcomes:
            c = outcome.chance(before)
            _weigh(outcome.effects, trial, np.where(c > 1.0, 1.0, c), holds & (c > 0), n)
    return role.score(trial) - base + offered


def _offer_gain(p: Prepared, role: PRole, action: PAction, guess: Env, n: int) -> Any:
    offer = next((o for o in p.offers if o.id == action.offer), None)
    if offer is None or offer.accept < 0:
        return 0.0
    receiver = next(r for r in p.roles if r.id == offer.to)
    accept = receiver.actions[offer.accept]
    accepted, refused = dict(guess), dict(guess)
    ones: Any = True
    _weigh(accept.effects, accepted, 1.0, ones, n)
    _weigh(offer.refused, refused, 1.0, ones, n)
    take = receiver.score(accepted) >= receiver.score(refused)
    mine = role.score
    return fx.DELAY_DISCOUNT * (np.where(take, mine(accepted), mine(refused)) - mine(guess))


def _decide(p: Prepared, role: PRole, env: Env, legal: np.ndarray,
            turn_key: np.ndarray, n: int) -> np.ndarray:
    """`ai.choose_easy` for every game: the index of the action chosen."""
    k = len(role.actions)
    only = legal.sum(axis=1) == 1
    if only.all():  # nothing to weigh: no draw either
        out: np.ndarray = legal.argmax(axis=1)
        return out
    weights = np.zeros((n, k))
    gains = np.zeros((n, k))
    somewhere = np.asarray(legal.any(axis=0))  # an action no game may take weighs nothing
    for j, action in enumerate(role.actions):
        if not somewhere[j]:
            continue
        w = _full(action.weight(env), n)
        weights[:, j] = np.where(w > 0.0, w, 0.0)
    if role.greed:
        base = role.score(env)
        guess = dict(env)
        for other in p.roles:
            if other is not role and "<" + other.id in env:
                guess["@" + other.id] = env["<" + other.id]
        for j, action in enumerate(role.actions):
            if somewhere[j]:
                gains[:, j] = _full(_gain(p, role, action, guess, base, n), n)
        for offer in p.offers:
            if offer.to == role.id and offer.refused and "<" + offer.by in env:
                pending = _among(env["<" + offer.by], offer.makers)
                if not pending.any():
                    continue
                trial = dict(guess)
                _weigh(offer.refused, trial, 1.0, True, n)
                cost = _full(role.score(trial) - base, n)
                for j in range(k):
                    if j != offer.accept:
                        gains[:, j] = np.where(pending, gains[:, j] + cost, gains[:, j])
    # `ai._relative`, over the legal actions of each game only.
    weights = np.where(legal, weights, 0.0)
    none = ~(weights != 0).any(axis=1)
    weights = np.where(none[:, None] & legal, 1.0, weights)
    scale = np.where(legal, np.abs(gains), -np.inf).max(axis=1)
    scale = np.where(scale != 0, scale, 1.0)  # `or 1.0`
    tau = max(role.randomness, 0.02)
    positive = legal & (weights > 0)
    logs = np.zeros((n, k))
    if positive.any():
        logs[positive] = _log(weights[positive])
    utilities = np.where(positive, (logs + 3.0 * role.greed * gains / scale[:, None]) / tau,
                         -np.inf)
    top = np.where(legal, utilities, -np.inf).max(axis=1)
    relative = np.zeros((n, k))
    live = utilities > -np.inf
    if live.any():
        relative[live] = _exp((utilities - top[:, None])[live])
    total: Any = 0
    for j in range(k):
        total = np.where(legal[:, j], total + relative[:, j], total)
    pick = draws.unit(turn_key, source_ai(role.id)) * total
    chosen = np.full(n, -1, dtype=np.int64)
    for j in range(k):
        pick = np.where(legal[:, j], pick - relative[:, j], pick)
        chosen = np.where((chosen < 0) & legal[:, j] & (pick < 0), j, chosen)
    # No pick below 0 (rounding): the most likely, the first of equals.
    best = np.where(legal, relative, -1.0).argmax(axis=1)
    chosen = np.where(chosen < 0, best, chosen)
    return np.where(only, legal.argmax(axis=1), chosen)


def _legal(role: PRole, env: Env, counts: Mapping[str, np.ndarray],
           last: Mapping[str, np.ndarray], rows: np.ndarray, turn: int, n: int) -> np.ndarray:
    out = np.ones((n, len(role.actions)), dtype=bool)
    for j, a in enumerate(role.actions):
        ok = np.ones(n, dtype=bool)
        if a.once:
            ok &= counts[a.key][rows] == 0
        if a.cooldown:
            ok &= ~(turn <= last[a.key][rows] + a.cooldown)
        if a.available is not None:
            ok &= _full(a.available(env), n)
        out[:, j] = ok
    if role.binds:
        out = _unbound(role, out, counts, last, rows, turn, n)
    return out


def _unbound(role: PRole, free: np.ndarray, counts: Mapping[str, np.ndarray],
             last: Mapping[str, np.ndarray], rows: np.ndarray, turn: int,
             n: int) -> np.ndarray:
    """`resolve.legal_actions`' bindings for every game: a required action that is legal
    rules out every other; an action ruled out is, unless nothing else is left."""
    k = free.shape[1]
    bound = np.zeros((n, k), dtype=bool)
    required = np.zeros((n, k), dtype=bool)
    for key, j, turns, req in role.binds:
        active = (counts[key][rows] > 0) & (turn <= last[key][rows] + turns)
        bound[:, j] |= active
        required[:, j] = np.where(active, req, required[:, j])
    if not bound.any():
        return free
    needed = bound & required & free
    has_needed = np.asarray(needed.any(axis=1))
    others = np.asarray((free & (~bound | required)).any(axis=1))
    forbidden = np.where(has_needed[:, None], ~needed,
                         bound & ~required & others[:, None])
    out: np.ndarray = free & ~forbidden
    return out


# --- playing -------------------------------------------------------------------------------

def play(prepared: Prepared, seeds: Sequence[int],
         progress: Callable[[int], None] | None = None) -> Games:
    """One game per seed, the easy AI in every role (raises `ValueError` if the scenario
    is not supported: see `supports`). `progress(turn)` after each turn."""
    if prepared.reasons:
        raise ValueError("the batch engine cannot play this scenario: "
                         + "; ".join(prepared.reasons))
    with np.errstate(all="ignore"):
        return _play(prepared, list(seeds), progress)


# --- playing on from a state of a game -------------------------------------------------------

# The kinds whose parts wait for a later turn and land as an addition (`_Turn.share`).
WAITING = frozenset(k for k in KINDS if issubclass(k, fx._Written))


def _waits(mode: str) -> bool:
    """Whether a waiting part of this kind (`Pending.mode`) lands as the batch lands it."""
    try:
        return fx.kind_of(mode) in WAITING
    except KeyError:
        return False


@dataclass
class Start:
    """The state each game of a batch starts from (`play_from`), as the arrays `_play`
    keeps: `begin` the turn each game starts on, the rest as in `_play`."""

    begin: np.ndarray
    state: dict[str, np.ndarray]
    counts: dict[str, np.ndarray]
    last: dict[str, np.ndarray]
    prev: dict[str, np.ndarray]
    fired: dict[str, np.ndarray]
    waiting: list[_Pending]
    # Each role's decision for the game's first turn, instead of the AI's (an action
    # index; -1: the AI decides), or None: the AI decides every turn of every game.
    first: dict[str, np.ndarray] | None = None


def start_reasons(prepared: Prepared, state: GameState) -> list[str]:
    """Why the batch engine cannot play on from `state` exactly as the reference engine
    does (`fork` of the game, the easy AI deciding); empty when it can."""
    out = list(prepared.reasons)
    s = prepared.scenario
    if state.over:
        out.append(f"the game is over ('{state.ending}')")
    if not 1 <= state.turn <= s.last_turn:
        out.append(f"turn {state.turn} is outside the game's turns 1 to {s.last_turn}")
    roles = {r.id: r for r in prepared.roles}
    if state.turn > 1 and set(state.previous) != set(roles):
        out.append("the last turn's decisions are not every role's")
    for role, action in state.previous.items():
        if role not in roles or action not in roles[role].index:
            out.append(f"an unknown last decision '{role}.{action}'")
    keys = {a.key for r in prepared.roles for a in r.actions}
    unknown = sorted((set(state.counts) | set(state.last_chosen)) - keys)
    if unknown:
        out.append(f"unknown actions counted: {', '.join(unknown)}")
    events = {e.id for e in prepared.events}
    if set(state.fired) - events:
        out.append("unknown events fired")
    if set(state.values) != {*prepared.numbers, *prepared.flags}:
        out.append("values that are not the scenario's indicators and flags")
    for part in state.pending:
        if not _waits(part.mode) or part.target not in prepared.numbers:
            out.append(f"a waiting part of kind '{part.mode}' on '{part.target}'")
        elif part.due < state.turn:
            out.append(f"a waiting part due on turn {part.due}, before turn {state.turn}")
    return out


def play_from(prepared: Prepared, states: Sequence[GameState], seeds: Sequence[int],
              watch: Callable[[int, np.ndarray], None] | None = None,
              first: Sequence[Mapping[str, str] | None] | None = None) -> Games:
    """Game `i` goes on from `states[i]` with `seeds[i]`, the easy AI in every role: what
    `fork(game, states[i], seeds[i])` of a game in the keyed draws plays with the easy AI
    (raises `ValueError` where `start_reasons` finds any). The states may differ from game
    to game, turns included. `watch(turn, ending)` after each turn: `ending` the ending
    index of every game so far (-1: not over). `first[i]`, when given and not None:
    every role's decision for game `i`'s first turn, instead of the AI's (as
    `kazsim.engine.odds.play_out`'s `first`; each must be legal there).

    In the result, a game's turns before its start are not its own: no decisions (-1),
    its start state as the values, `step_turn` only for the turns played here."""
    if len(states) != len(seeds):
        raise ValueError(f"{len(states)} states for {len(seeds)} seeds")
    distinct: dict[int, GameState] = {id(st): st for st in states}
    for st in distinct.values():
        reasons = start_reasons(prepared, st)
        if reasons:
            raise ValueError("the batch engine cannot play on from this state: "
                             + "; ".join(reasons))
    start = _start(prepared, states)
    if first is not None:
        start.first = _first(prepared, states, first)
    with np.errstate(all="ignore"):
        return _play(prepared, list(seeds), None, start, watch)


def _first(p: Prepared, states: Sequence[GameState],
           first: Sequence[Mapping[str, str] | None]) -> dict[str, np.ndarray]:
    from kazsim.engine.resolve import legal_actions

    if len(first) != len(states):
        raise ValueError(f"{len(first)} first decisions for {len(states)} states")
    out = {r.id: np.full(len(states), -1, dtype=np.int64) for r in p.roles}
    legal: dict[tuple[int, str], list[str]] = {}
    for i, (st, opening) in enumerate(zip(states, first, strict=True)):
        if opening is None:
            continue
        for r in p.roles:
            key = (id(st), r.id)
            if key not in legal:
                legal[key] = legal_actions(p.scenario, st, r.id)
            action = opening.get(r.id)
            if action not in legal[key]:
                raise ValueError(f"'{r.id}' cannot choose '{action}' on turn {st.turn}")
            out[r.id][i] = r.index[action]
    return out


def _start(p: Prepared, states: Sequence[GameState]) -> Start:
    n = len(states)
    groups: dict[int, list[int]] = {}
    for i, st in enumerate(states):
        groups.setdefault(id(st), []).append(i)
    begin = np.ones(n, dtype=np.int64)
    state = {k: np.zeros(n) for k in p.numbers} | {k: np.zeros(n, dtype=bool)
                                                    for k in p.flags}
    counts = {a.key: np.zeros(n) for r in p.roles for a in r.actions}
    last = {a.key: np.full(n, -999.0) for r in p.roles for a in r.actions}
    prev = {r.id: np.full(n, -1, dtype=np.int64) for r in p.roles}
    fired = {e.id: np.zeros(n, dtype=np.int64) for e in p.events}
    waiting: list[_Pending] = []
    index = {r.id: r.index for r in p.roles}
    for members in groups.values():
        st = states[members[0]]
        rows = np.array(members, dtype=np.int64)
        begin[rows] = st.turn
        for k in p.numbers:
            state[k][rows] = float(st.values[k])
        for k in p.flags:
            state[k][rows] = bool(st.values[k])
        for key, times in st.counts.items():
            counts[key][rows] = float(times)
        for key, turn in st.last_chosen.items():
            last[key][rows] = float(turn)
        for role, action in st.previous.items():
            prev[role][rows] = index[role][action]
        for event, times in st.fired.items():
            fired[event][rows] = times
        for part in st.pending:
            mask = np.zeros(n, dtype=bool)
            mask[rows] = True
            amount = np.zeros(n)
            amount[rows] = float(part.amount)
            waiting.append(_Pending(part.due, part.target, mask, amount))
    return Start(begin, state, counts, last, prev, fired, waiting)


def _play(p: Prepared, seeds: list[int], progress: Callable[[int], None] | None,
          start: Start | None = None,
          watch: Callable[[int, np.ndarray], None] | None = None) -> Games:
    s = p.scenario
    N = len(seeds)
    last_turn = s.last_turn
    T = last_turn
    seed_key = draws.seeds_key(seeds)
    values: dict[str, np.ndarray] = {}
    state: dict[str, np.ndarray] = {}
    for i in p.numbers:
        state[i] = np.full(N, float(s.initial[i]))
    for f in p.flags:
        state[f] = np.full(N, bool(s.initial[f]))
    for key in (*p.numbers, *p.flags):
        values[key] = np.empty((T + 1, N), dtype=state[key].dtype)
        values[key][0] = state[key]
    counts = {a.key: np.zeros(N) for r in p.roles for a in r.actions}
    last = {a.key: np.full(N, -999.0) for r in p.roles for a in r.actions}
    prev = {r.id: np.full(N, -1, dtype=np.int64) for r in p.roles}
    fired = {e.id: np.zeros(N, dtype=np.int64) for e in p.events}
    ending = np.full(N, -1, dtype=np.int64)
    played = np.zeros(N, dtype=np.int64)
    decisions = {r.id: np.full((T, N), -1, dtype=np.int8) for r in p.roles}
    outcomes = {r.id: np.full((T, N), -1, dtype=np.int8) for r in p.roles}
    legal_all = {r.id: np.zeros((T, N, len(r.actions)), dtype=bool) for r in p.roles}
    rules_all = np.zeros((T, N, len(p.rules)), dtype=bool)
    events_all = np.zeros((T, N, len(p.events)), dtype=bool)
    shown = {key: np.full((T, N), -1, dtype=np.int8) for key in p.told_keys}
    results = {r.id: np.full(N, -1, dtype=np.int8) for r in p.roles}
    step_turn = {st.id: np.full(N, -1, dtype=np.int64) for st in p.steps}
    waiting: list[_Pending] = []
    begin = np.ones(N, dtype=np.int64)
    if start is not None:
        begin = start.begin
        state.update(start.state)
        for key in (*p.numbers, *p.flags):
            values[key][0] = state[key]
        counts.update(start.counts)
        last.update(start.last)
        prev.update(start.prev)
        fired.update(start.fired)
        waiting.extend(start.waiting)
        played = begin - 1
    if p.steps and start is None:
        env0: Env = {k: state[k] for k in (*p.numbers, *p.flags)}
        env0.update(turn=0, last_turn=last_turn)
        for name, c in counts.items():
            env0["#" + name] = c
        for st in p.steps:
            step_turn[st.id] = np.where(_full(st.happened(env0), N), 0, -1)
    for turn in range(int(begin.min(initial=T + 1)), T + 1):
        rows = np.nonzero((ending < 0) & (begin <= turn))[0]
        if not len(rows):
            if not ((ending < 0) & (begin > turn)).any():
                break
            continue
        n = len(rows)
        turn_key = draws.then(seed_key[rows], turn)
        env: Env = {k: state[k][rows] for k in (*p.numbers, *p.flags)}
        env["turn"] = turn
        env["last_turn"] = last_turn
        sub_counts = {k: c[rows] for k, c in counts.items()}
        for k, c in sub_counts.items():
            env["#" + k] = c
        if turn > 1:
            for r in p.roles:
                env["<" + r.id] = prev[r.id][rows]
        chosen: dict[str, np.ndarray] = {}
        for r in p.roles:
            legal = _legal(r, env, counts, last, rows, turn, n)
            legal_all[r.id][turn - 1, rows] = legal
            chosen[r.id] = _decide(p, r, env, legal, turn_key, n)
        if start is not None and start.first is not None:
            opening = begin[rows] == turn
            for r in p.roles:
                forced = start.first[r.id][rows]
                chosen[r.id] = np.where(opening & (forced >= 0), forced, chosen[r.id])
        # Step 1: the decisions revealed together.
        env = dict(env)
        for r in p.roles:
            env["@" + r.id] = chosen[r.id]
            for a in r.actions:
                hit = chosen[r.id] == a.index
                env["#" + a.key] = sub_counts[a.key] + hit
        t = _Turn(env, rows, turn, turn_key, N, waiting)
        news: list[tuple[PTold, np.ndarray]] = []
        # Step 2: each role's action, then the offers refused.
        for r in p.roles:
            for a in r.actions:
                m = chosen[r.id] == a.index
                if not m.any():
                    continue
                news.append((a.text, m))
                t.collect(a.effects, m, ("action", a.id, r.id))
                if a.outcomes:
                    index = t.roll(a.outcomes, m, draws.unit(turn_key, source_action(r.id)))
                    outcomes[r.id][turn - 1, rows] = np.where(m, index, outcomes[r.id][
                        turn - 1, rows])
                    for j, o in enumerate(a.outcomes):
                        mo = index == j
                        if mo.any():
                            news.append((o.text, mo))
                            t.collect(o.effects, mo, ("outcome", a.id, r.id))
        for offer in p.offers:
            if "<" + offer.by not in env:
                continue
            m = _among(env["<" + offer.by], offer.makers) & (chosen[offer.to] != offer.accept)
            if m.any():
                news.append((offer.text, m))
                t.collect(offer.refused, m, ("refusal", offer.id, offer.to))
        # Step 3: the rules, then the drift.
        for rule in p.rules:
            m = _full(_possible(rule, env) & rule.when(env), n)
            if not m.any():
                continue
            rules_all[turn - 1, rows, rule.index] = m
            news.append((rule.text, m))
            t.collect(rule.effects, m, ("rule", rule.id, None))
            if rule.outcomes:
                index = t.roll(rule.outcomes, m, draws.unit(turn_key, source_rule(rule.id)))
                for j, o in enumerate(rule.outcomes):
                    mo = index == j
                    if mo.any():
                        news.append((o.text, mo))
                        t.collect(o.effects, mo, ("rule_outcome", rule.id, None))
        for drift in p.drift:
            m = (np.ones(n, dtype=bool) if drift.when is None
                 else _full(drift.when(env), n))
            t.collect(drift.effects, m, ("drift", drift.id, None))
        # Step 4: the parts due now join in, then everything at once.
        for part in waiting:
            if part.due > turn:
                continue
            m = part.mask[rows]
            if m.any():
                t.add(part.target, m, part.amount[rows])
        waiting[:] = [w for w in waiting if w.due > turn]
        t.waiting = waiting
        bounds = s.bounds
        for target, (m, value) in t.sets.items():
            env[target] = np.where(m, value.astype(env[target].dtype), env[target])
        for target, (m, total) in t.adds.items():
            env[target] = np.where(m, env[target] + total, env[target])
        for target in (*t.sets, *t.adds):
            if target in bounds:
                lo, hi = bounds[target]
                env[target] = _within(env[target], lo, hi)
        # Step 5: the events due now, one after another.
        for event in p.events:
            if event.turn is not None and event.turn != turn:
                continue
            m = np.ones(n, dtype=bool)
            if not event.repeat:
                m &= fired[event.id][rows] == 0
            if event.when is not None:
                m &= _full(event.when(env), n)
            if not m.any():
                continue
            m &= ~(draws.unit(turn_key, source_event(event.id), 0)
                   >= _full(event.chance(env), n))
            if not m.any():
                continue
            fired[event.id][rows] += m
            events_all[turn - 1, rows, event.index] = m
            news.append((event.text, m))
            t.apply_now(event.effects, m, ("event", event.id, None))
            if event.outcomes:
                index = t.roll(event.outcomes, m, draws.unit(turn_key, source_event(event.id),
                                                             1))
                for j, o in enumerate(event.outcomes):
                    mo = index == j
                    if mo.any():
                        news.append((o.text, mo))
                        t.apply_now(o.effects, mo, ("event_outcome", event.id, None))
        # Step 6: the endings.
        found = np.full(n, -1, dtype=np.int64)
        for candidate in (p.final if turn >= last_turn else p.running):
            holds = (np.ones(n, dtype=bool) if candidate.when is None
                     else _full(candidate.when(env), n))
            found = np.where((found < 0) & holds, candidate.index, found)
        # The texts shown: against the state at the end of the turn.
        for told, m in news:
            if told.several:
                index = _pick(told, env, n)
                column = shown[told.key][turn - 1]
                column[rows] = np.where(m, index, column[rows])
        over = found >= 0
        if over.any():
            for candidate in p.endings:
                m = found == candidate.index
                if not m.any():
                    continue
                tolds = [candidate.text, *(x for _, res, told in candidate.results
                                           for x in (res, told)),
                         *candidate.debrief, *p.debrief]
                for told in tolds:
                    if told.several:
                        column = shown[told.key][turn - 1]
                        column[rows] = np.where(m, _pick(told, env, n), column[rows])
                for role_id, res, _ in candidate.results:
                    words = np.array([RESULTS.index(w) for w in res.written], dtype=np.int8)
                    got = words[_pick(res, env, n)]
                    results[role_id][rows] = np.where(m, got, results[role_id][rows])
        # The real timeline: the end-of-turn state with this turn's choices.
        if p.steps:
            tl = dict(env)
            for r in p.roles:
                tl["<" + r.id] = chosen[r.id]
            for st in p.steps:
                mine = step_turn[st.id][rows]
                new = (mine < 0) & _full(st.happened(tl), n)
                step_turn[st.id][rows] = np.where(new, turn, mine)
        # The new state.
        for r in p.roles:
            decisions[r.id][turn - 1, rows] = chosen[r.id]
            prev[r.id][rows] = chosen[r.id]
            for a in r.actions:
                hit = chosen[r.id] == a.index
                counts[a.key][rows] = sub_counts[a.key] + hit
                last[a.key][rows] = np.where(hit, turn, last[a.key][rows])
        for k in (*p.numbers, *p.flags):
            state[k][rows] = env[k]
        ending[rows] = found
        played[rows] = turn
        for k in (*p.numbers, *p.flags):
            values[k][turn] = state[k]
        if progress is not None:
            progress(turn)
        if watch is not None:
            watch(turn, ending)
    return Games(p, seeds, decisions, outcomes, rules_all, events_all, legal_all, shown,
                 values, ending, played, results, step_turn, counts, fired)
