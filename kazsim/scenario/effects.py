"""Effects: the one home of every kind of change a scenario can make.

An effect is one entry under `effects:` of an action, an outcome, a rule, an
event or a drift: `heat: 5` (add), `heat: "= 50"` (set), `alarm: true` (a flag),
or a change written out: `heat: {add: [5, 15]}` (drawn between bounds),
`{add: 12, after: 2}` (delayed), `{add: 30, over: 3}` (spread). Each kind is
one class below, and that class is all kazsim knows about the kind:

- `claims` and `compile`: which of the author's entries are of this kind, their
  checks (file:line:column messages, through the loader's `Checker`) and the
  compiled form, made once when the file is loaded;
- `collect`: its part in the contributions applied all together at the end of
  the rules (actions, outcomes and rules: steps 2 to 4 of docs/design.md);
- `apply_now`: applied at once, one after another (events: step 5);
- `weigh`: how the AI's expectation counts it (`engine.ai.expected_gain`);
- `tell`: how its recorded amount reads in the "why" (`story.why_lines`, which
  the terminal renders);
- `land` (kinds that wait only): a part kept for a later turn (`Turn.wait`)
  joins step 4 of that turn.

The loader (`scenario.checks`), the resolution (`engine.resolve`), the AI
(`engine.ai`) and the story go through these methods and never decide anything
by kind; a `Contribution` records the kind's `mode`, and `kind_of` finds the
class again. A new kind is one new class here, placed in `KINDS`, and its tests.

The home is in the scenario floor because the loader compiles every effect
once and the scenario floor may not import the engine. A kind needs nothing
from the engine: it reads and writes the plain dictionaries the engine hands it
(`Turn`), and returns the amount the engine records.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from kazsim.scenario.expr import Compiled, Fn, Names, suggest
from kazsim.scenario.model import EffectDetail

P = tuple[str | int, ...]
UNBOUNDED = (-math.inf, math.inf)


class Checker(Protocol):
    """What the loader offers a kind while checking and compiling (`scenario.checks`)."""

    @property
    def names(self) -> Names: ...

    @property
    def ranges(self) -> Mapping[str, tuple[float, float]]:
        """Indicator id -> (min, max), for every indicator whose range is valid."""

    @property
    def last_turn(self) -> int:
        """The scenario's last turn."""

    def error(self, path: P, message: str, hint: str = "", **kw: Any) -> None: ...

    def warn(self, path: P, message: str, hint: str = "") -> None: ...

    def compile(self, text: Any, path: P, want: str, *, choices: bool = True,
                where: str = "this expression", shift: int = 0) -> Compiled | None: ...


class Turn(Protocol):
    """What the engine offers a kind while resolving a turn (`engine.resolve`)."""

    env: dict[str, Any]  # what expressions read: the state, this turn's choices
    adds: dict[str, float]  # step 4 adds these up, after the sets
    sets: dict[str, Any]  # step 4 sets these first; the last one written wins
    values: dict[str, Any]  # the new state's values (events change them at once)
    clamped: set[str]  # targets held at the edge of their range this turn
    number: int  # the turn being resolved

    def draw(self, target: str, low: float, high: float) -> float:
        """An amount drawn between `low` and `high` (one draw, keyed by the source being
        applied: `kazsim.engine.draws`), kept in the turn's record with that source."""

    def wait(self, due: int, target: str, mode: str, amount: Any) -> None:
        """Keep `amount` to land on `target` in step 4 of turn `due` (a later turn), with
        the source being applied; it lands through `kind_of(mode).land`."""


@dataclass(frozen=True, slots=True)
class Effect(ABC):
    """One compiled change to one indicator or flag."""

    target: str
    fn: Fn  # the amount or value, read from the environment
    text: str  # as the author wrote it, for explanations
    reads: frozenset[str]  # indicator and flag ids the amount reads
    mode: ClassVar[str]  # the kind's name, as recorded in a `Contribution`

    @classmethod
    @abstractmethod
    def claims(cls, target: str, value: Any, names: Names) -> bool:
        """Whether the author's `target: value` is of this kind (the first in `KINDS` wins)."""

    @classmethod
    @abstractmethod
    def compile(cls, target: str, value: Any, path: P, checker: Checker) -> Effect | None:
        """Check and compile a claimed entry; None when a problem was reported."""

    @abstractmethod
    def collect(self, turn: Turn) -> Any:
        """Add this effect to the turn's contributions applied together (steps 2-4).

        Returns the amount to record, or None when nothing is to be recorded now."""

    @abstractmethod
    def apply_now(self, turn: Turn) -> Any:
        """Apply this effect at once (events); returns the amount to record, or None."""

    @abstractmethod
    def weigh(self, env: dict[str, Any], weight: float) -> None:
        """The AI's expectation: change `env` as if the effect happened with probability
        `weight` (1 for certain)."""

    @staticmethod
    @abstractmethod
    def tell(amount: Any) -> str:
        """A recorded amount in words, for the "why": "+5", "set to 50"."""

    @classmethod
    def land(cls, turn: Turn, target: str, amount: Any) -> None:
        """Apply, in step 4, an amount this kind kept waiting (`Turn.wait`); only kinds
        that wait have it."""
        raise TypeError(f"{cls.__name__} effects never wait")


@dataclass(frozen=True, slots=True)
class SetFlag(Effect):
    """`alarm: true`: a flag is set to yes or no."""

    mode: ClassVar[str] = "flag"

    @classmethod
    def claims(cls, target: str, value: Any, names: Names) -> bool:
        return target in names.flags

    @classmethod
    def compile(cls, target: str, value: Any, path: P, checker: Checker) -> Effect | None:
        if not isinstance(value, bool):
            checker.error(path, f"'{target}' is a flag: set it to true or false",
                          "flags are yes/no facts; to count something, make it an indicator")
            return None
        flag_value: bool = value

        def set_flag(env: Any, v: bool = flag_value) -> bool:
            return v

        return cls(target, set_flag, str(value).lower(), frozenset())

    def collect(self, turn: Turn) -> Any:
        value = self.fn(turn.env)
        turn.sets[self.target] = value
        return value

    def apply_now(self, turn: Turn) -> Any:
        value = self.fn(turn.env)
        turn.values[self.target] = value
        turn.env[self.target] = value
        return value

    def weigh(self, env: dict[str, Any], weight: float) -> None:
        if weight >= 0.5:
            env[self.target] = self.fn(env)

    @staticmethod
    def tell(amount: Any) -> str:
        return "set to " + fmt(bool(amount))


def within(value: Any, lo: float, hi: float) -> Any:
    """An indicator's new value held inside its range [lo, hi], whatever the arithmetic
    gave: past an end it is that end, and nan (which no comparison catches) is `lo`.

    The one place indicators are kept finite and in range (the engine's resolution
    and the AI's weighing call it); expressions already give finite numbers
    (`kazsim.scenario.expr.finite`), so nan here would come only from adding up
    their results, and is handled all the same.
    """
    if lo <= value <= hi:
        return value
    return hi if value > hi else lo


@dataclass(frozen=True, slots=True)
class _OnIndicator(Effect):
    """What the kinds that change an indicator share: its range, known when compiled."""

    lo: float
    hi: float

    def _land(self, turn: Turn, new: Any) -> None:
        """Store a value at once, held within the range."""
        lo, hi = self.lo, self.hi
        if not lo <= new <= hi:  # nan too, which no comparison catches
            turn.clamped.add(self.target)
            new = within(new, lo, hi)
        turn.values[self.target] = new
        turn.env[self.target] = new


@dataclass(frozen=True, slots=True)
class SetIndicator(_OnIndicator):
    """`heat: "= 50"` (or `= heat / 2`): an indicator is set to a value."""

    mode: ClassVar[str] = "set"

    @classmethod
    def claims(cls, target: str, value: Any, names: Names) -> bool:
        return target in names.numbers and isinstance(value, str) and value.startswith("=")

    @classmethod
    def compile(cls, target: str, value: Any, path: P, checker: Checker) -> Effect | None:
        text = value[1:]
        if not text.strip():
            checker.error(path, "'=' must be followed by a value",
                          "write '= 50' to set it to 50, or a plain number to change it by "
                          "that much")
            return None
        compiled = checker.compile(text, path, "number", where=f"the effect on '{target}'",
                                   shift=1)
        if compiled is None:
            return None
        lo, hi = checker.ranges.get(target, UNBOUNDED)
        return cls(target, compiled.fn, str(value), compiled.names, lo, hi)

    def collect(self, turn: Turn) -> Any:
        value = self.fn(turn.env)
        turn.sets[self.target] = value
        return value

    def apply_now(self, turn: Turn) -> Any:
        value = self.fn(turn.env)
        self._land(turn, value)
        return value

    def weigh(self, env: dict[str, Any], weight: float) -> None:
        target = self.target
        new = env[target] + (self.fn(env) - env[target]) * weight
        lo, hi = self.lo, self.hi
        env[target] = within(new, lo, hi)

    @staticmethod
    def tell(amount: Any) -> str:
        return f"set to {fmt(amount)}"


@dataclass(frozen=True, slots=True)
class AddToIndicator(_OnIndicator):
    """`heat: 5` (or `-5`, or `heat / 10`): an indicator changes by an amount."""

    mode: ClassVar[str] = "add"

    @classmethod
    def claims(cls, target: str, value: Any, names: Names) -> bool:
        return target in names.numbers

    @classmethod
    def compile(cls, target: str, value: Any, path: P, checker: Checker) -> Effect | None:
        if isinstance(value, bool):
            checker.error(path, f"'{target}' is an indicator: give a number, not "
                          f"{str(value).lower()}",
                          "write an amount such as 5 or -5, or '= 50' to set it; for a "
                          "yes/no fact, declare a flag under 'flags:'")
            return None
        compiled = checker.compile(value, path, "number", where=f"the effect on '{target}'")
        if compiled is None:
            return None
        lo, hi = checker.ranges.get(target, UNBOUNDED)
        return cls(target, compiled.fn, str(value), compiled.names, lo, hi)

    def collect(self, turn: Turn) -> Any:
        value = self.fn(turn.env)
        if value:
            adds = turn.adds
            adds[self.target] = adds.get(self.target, 0) + value
        return value

    def apply_now(self, turn: Turn) -> Any:
        value = self.fn(turn.env)
        if not value:
            return None
        self._land(turn, turn.values[self.target] + value)
        return value

    def weigh(self, env: dict[str, Any], weight: float) -> None:
        value = self.fn(env)
        if not value:
            return
        target = self.target
        new = env[target] + value * weight
        lo, hi = self.lo, self.hi
        env[target] = within(new, lo, hi)

    @staticmethod
    def tell(amount: Any) -> str:
        return signed(float(amount))


# --- the written-out form: {add: AMOUNT or [LOW, HIGH], after: TURNS, over: TURNS} -------

DELAY_DISCOUNT = 0.9  # the AI counts a change that lands N turns later at 0.9**N


def parts(total: Any, over: int) -> list[Any]:
    """A spread's parts, the first landing first, adding up to `total`: a whole total in
    whole parts, the larger first (10 over 3: 4, 3, 3); any other in equal shares, the
    last taking what rounding left."""
    if over == 1:
        return [total]
    if isinstance(total, int) or (isinstance(total, float) and total.is_integer()
                                  and abs(total) < 2.0 ** 53):
        q, r = divmod(int(total), over)
        cast = int if isinstance(total, int) else float
        return [cast(q + 1)] * r + [cast(q)] * (over - r)
    share = total / over
    return [share] * (over - 1) + [total - share * (over - 1)]


@dataclass(frozen=True, slots=True)
class _Written(_OnIndicator):
    """What the written-out kinds share: an amount that may be drawn between two bounds
    (`fn` is then the lower one, `high` the upper), and when its parts land."""

    high: Fn | None  # the upper bound, or None for an amount known in advance
    after: int  # turns before the first part lands
    over: int  # how many parts, one a turn

    @classmethod
    def claims(cls, target: str, value: Any, names: Names) -> bool:
        if target not in names.numbers or not isinstance(value, EffectDetail):
            return False
        return cls._shape(value)

    @classmethod
    def _shape(cls, value: EffectDetail) -> bool:
        raise NotImplementedError

    @classmethod
    def compile(cls, target: str, value: Any, path: P, checker: Checker) -> Effect | None:
        after, over, add = value.after, value.over, value.add
        last = checker.last_turn
        if after + 1 > last:
            checker.error((*path, "after"), f"an effect delayed {after} turns lands after "
                          f"the last turn ({last}) even when it happens on turn 1, so it never "
                          "happens", f"give 'after' a value below {last}, or raise 'turns' "
                          "under 'calendar:'")
            return None
        lo, hi = checker.ranges.get(target, UNBOUNDED)
        where = f"the effect on '{target}'"
        if not isinstance(add, list):
            amount = checker.compile(add, (*path, "add"), "number", where=where)
            if amount is None:
                return None
            if after == 0 and over == 1:  # {add: 5}: the short form, written out
                return AddToIndicator(target, amount.fn, str(add), amount.names, lo, hi)
            return cls(target, amount.fn, _text(value), amount.names, lo, hi, None, after, over)
        low = checker.compile(add[0], (*path, "add", 0), "number",
                              where=f"the lower bound of {where}")
        high = checker.compile(add[1], (*path, "add", 1), "number",
                               where=f"the upper bound of {where}")
        if low is None or high is None:
            return None
        if low.constant is not None and high.constant is not None:
            if low.constant > high.constant:
                checker.error((*path, "add"), f"the lower bound {fmt(low.constant)} is above "
                              f"the upper bound {fmt(high.constant)}",
                              f"write the lower one first: [{fmt(high.constant)}, "
                              f"{fmt(low.constant)}]")
                return None
            if low.constant == high.constant:
                checker.warn((*path, "add"), f"both bounds are {fmt(low.constant)}, so the "
                             "amount is always that", f"write the amount itself: add: "
                             f"{fmt(low.constant)}")
        return cls(target, low.fn, _text(value), low.names | high.names, lo, hi, high.fn,
                    after, over)

    def _amount(self, turn: Turn) -> Any:
        """The whole amount: read from the environment, or drawn between the bounds."""
        env = turn.env
        if self.high is None:
            return self.fn(env)
        return turn.draw(self.target, self.fn(env), self.high(env))

    def _mean(self, env: dict[str, Any]) -> Any:
        """What the AI expects of the amount: the middle of the bounds if it is drawn."""
        if self.high is None:
            return self.fn(env)
        return (self.fn(env) + self.high(env)) / 2

    def _share(self, turn: Turn) -> Any:
        """The amount, split into its parts: those due later wait, the one due this turn
        (if any) is returned for the caller to apply now."""
        here = None
        number = turn.number
        for k, part in enumerate(parts(self._amount(turn), self.over)):
            due = number + self.after + k
            if due == number:
                here = part
            elif part:
                turn.wait(due, self.target, self.mode, part)
        return here

    def collect(self, turn: Turn) -> Any:
        value = self._share(turn)
        if value:
            adds = turn.adds
            adds[self.target] = adds.get(self.target, 0) + value
        return value

    def apply_now(self, turn: Turn) -> Any:
        value = self._share(turn)
        if not value:
            return None
        self._land(turn, turn.values[self.target] + value)
        return value

    def weigh(self, env: dict[str, Any], weight: float) -> None:
        """Each part counts `DELAY_DISCOUNT` less for every turn it waits, and not at all
        if it would land after the last turn."""
        total = self._mean(env)
        if not total:
            return
        first = env["turn"] + self.after
        left = env["last_turn"] - first + 1  # parts that land by the last turn
        if left <= 0:
            return
        share = total / self.over
        gain = sum(DELAY_DISCOUNT ** (self.after + k) for k in range(min(left, self.over)))
        target = self.target
        env[target] = within(env[target] + share * gain * weight, self.lo, self.hi)

    @classmethod
    def land(cls, turn: Turn, target: str, amount: Any) -> None:
        adds = turn.adds
        adds[target] = adds.get(target, 0) + amount


def _text(value: Any) -> str:
    """The written-out form as the author wrote it, for explanations."""
    add = value.add
    amount = f"[{add[0]}, {add[1]}]" if isinstance(add, list) else str(add)
    extra = "".join(f", {k}: {v}" for k, v, d in (("after", value.after, 0),
                                                  ("over", value.over, 1)) if v != d)
    return f"{{add: {amount}{extra}}}"


@dataclass(frozen=True, slots=True)
class Uncertain(_Written):
    """`heat: {add: [5, 15]}`: an indicator changes by an amount drawn between two bounds,
    once each time the effect happens (one draw of the game's draws)."""

    mode: ClassVar[str] = "between"

    @classmethod
    def _shape(cls, value: EffectDetail) -> bool:
        return value.after == 0 and value.over == 1

    @staticmethod
    def tell(amount: Any) -> str:
        return f"{signed(float(amount))} (drawn by chance)"


@dataclass(frozen=True, slots=True)
class Delayed(_Written):
    """`heat: {add: 12, after: 2}`: the change lands in step 4 of the turn `after` turns
    later (the amount, drawn if it has bounds, is fixed when the effect happens)."""

    mode: ClassVar[str] = "later"

    @classmethod
    def _shape(cls, value: EffectDetail) -> bool:
        return value.after > 0 and value.over == 1

    @staticmethod
    def tell(amount: Any) -> str:
        return f"{signed(float(amount))} (delayed)"


@dataclass(frozen=True, slots=True)
class Spread(_Written):
    """`heat: {add: 30, over: 3}`: the change lands in parts over `over` turns, the first
    on the turn it happens (or `after` turns later)."""

    mode: ClassVar[str] = "spread"

    @classmethod
    def _shape(cls, value: EffectDetail) -> bool:
        return value.over > 1

    @staticmethod
    def tell(amount: Any) -> str:
        return f"{signed(float(amount))} (part of a spread)"


# Every kind, in the order they are asked to claim an entry: the most general last.
KINDS: tuple[type[Effect], ...] = (SetFlag, Spread, Delayed, Uncertain, SetIndicator,
                                   AddToIndicator)
_BY_MODE: dict[str, type[Effect]] = {kind.mode: kind for kind in KINDS}


def kind_of(mode: str) -> type[Effect]:
    """The kind whose `mode` a `Contribution` records."""
    return _BY_MODE[mode]


def compile_effects(effects: Mapping[str, Any], path: P, checker: Checker,
                    key: str = "effects") -> tuple[Effect, ...]:
    """Check and compile an `effects:` mapping (under `key` of `path`), in the author's
    order."""
    out: list[Effect] = []
    names = checker.names
    for target, value in effects.items():
        p = (*path, key, target)
        kind = next((k for k in KINDS if k.claims(target, value, names)), None)
        if kind is None:
            checker.error(p, f"unknown indicator or flag '{target}'",
                          suggest(target, names.numbers | names.flags) or
                          "effects can only change indicators and flags", key=True)
            continue
        effect = kind.compile(target, value, p, checker)
        if effect is not None:
            out.append(effect)
    return tuple(out)


# --- how values read (the story re-exports these) ------------------------------------------

def fmt(value: object) -> str:
    """A value as players read it: whole numbers without decimals, flags as yes/no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        value += 0.0  # -0.0 reads as 0
        text = f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"
        return "0" if text == "-0" else text
    return str(value)


def signed(value: float) -> str:
    text = fmt(abs(value))
    return f"+{text}" if value >= 0 else f"−{text}"
