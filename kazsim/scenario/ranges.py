"""Conditions that the indicators' ranges make impossible, found before any game is played.

An indicator never leaves its range (the engine clamps it after every change,
and its start must lie inside), so `anger > 100` when anger's `max` is 100 can
never be true, however the game goes: the ending or action it guards can never
happen. This module evaluates an already checked condition over intervals — each
indicator its [min, max], `turn` [1, last turn] — and says which comparison
rules it out. It is sound, not complete: "can never" is only reported when no
game can make the condition true; anything it cannot follow (choices, counts,
division by a range that holds 0) is "unknown".

The parts of an `and` are also taken together: each comparison of an indicator
(or `turn`) with something narrows the values it may take, so `grip <= 10 and
grip >= 90` is impossible even though each part alone is not; a flag, or any
other true/false part such as `chose(...)`, and its `not` in the same `and` are
impossible together too. An `or` is impossible when all its parts are.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Interval = tuple[float, float]
UNKNOWN: Interval = (-math.inf, math.inf)


@dataclass(frozen=True)
class Impossible:
    """Why a condition can never be true: the comparison, and the ranges behind it."""

    comparison: str
    ranges: tuple[tuple[str, Interval], ...]
    # Two parts of an 'and' that cannot both be true (each alone may be), in the order
    # they are written; empty when `comparison` alone is never true.
    together: tuple[str, ...] = ()

    def explain(self) -> str:
        if self.together:
            first, second = self.together
            return f"'{first}' and '{second}' cannot both be true"
        parts = [f"'{name}' stays between {_fmt(lo)} and {_fmt(hi)}"
                 for name, (lo, hi) in self.ranges]
        why = "; ".join(parts) if parts else "its numbers never change"
        return f"'{self.comparison}' is never true: {why}"


def never_true(condition: str | ast.expr, bounds: Mapping[str, Interval],
               last_turn: int, flags: Iterable[str] = ()) -> Impossible | None:
    """Why the condition can never hold, or None if some game could make it true.

    `condition` is the text of a condition that passed `expr.compile_expr`, or the
    tree it keeps (`Compiled.tree`: nothing to parse again). `flags`: the ids of the
    scenario's flags, which arithmetic counts as 0 or 1 (`grip - 10 * curfew`).
    """
    if isinstance(condition, str):
        try:
            node = ast.parse(condition.replace("\n", " ").strip(), mode="eval").body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
    else:
        node = condition
    # A lesson can stop after any turn (`kazsim play --turns N`), and `last_turn` is then
    # the lesson's: anything from 1 to the calendar's last turn.
    ranges = {**bounds, "turn": (1.0, float(last_turn)),
              "last_turn": (1.0, float(last_turn))}
    walker = _Walker(ranges, frozenset(flags))
    try:
        verdict = walker.truth(node)
    except RecursionError:
        return None
    if verdict is not False:
        return None
    return walker.first_false or Impossible(ast.unparse(node), walker.names_in(node))


def _fmt(x: float) -> str:
    return f"{x:g}"


class _Walker:
    def __init__(self, ranges: Mapping[str, Interval], flags: frozenset[str]) -> None:
        self.ranges = ranges
        self.flags = flags
        self.first_false: Impossible | None = None

    # --- true / false / unknown ---------------------------------------------------------------
    def truth(self, node: ast.AST) -> bool | None:
        if isinstance(node, ast.BoolOp):
            before = self.first_false
            verdict = self._bool_op(node)
            if verdict is not False:  # a part that was ruled out did not decide: forget it
                self.first_false = before
            return verdict
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = _Walker(self.ranges, self.flags).truth(node.operand)  # "why" inverted
            return None if inner is None else not inner
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return node.value
        if isinstance(node, ast.Name) and node.id in ("true", "True", "false", "False"):
            return node.id in ("true", "True")
        return None  # a flag, chose(...), previous(...)

    def _bool_op(self, node: ast.BoolOp) -> bool | None:
        verdicts = [self.truth(v) for v in node.values]
        if isinstance(node.op, ast.Or):
            return True if True in verdicts else False if all(
                v is False for v in verdicts) else None
        if False in verdicts:
            return False
        if all(verdicts):
            return True
        clash = _Facts(self).clash(node)
        if clash is None:
            return None
        if self.first_false is None:  # an earlier part of an 'or' was ruled out first
            self.first_false = clash
        return False

    def compare(self, node: ast.Compare) -> bool | None:
        left = self.interval(node.left)
        verdicts: list[bool | None] = []
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.interval(right_node)
            verdicts.append(_compare(type(op), left, right))
            left = right
        if False in verdicts:
            if self.first_false is None:
                self.first_false = Impossible(ast.unparse(node), self.names_in(node))
            return False
        return True if all(v is True for v in verdicts) else None

    def names_in(self, node: ast.AST) -> tuple[tuple[str, Interval], ...]:
        seen: dict[str, Interval] = {}
        for child in ast.walk(node):
            if isinstance(child, ast.Name) and child.id in self.ranges:
                seen.setdefault(child.id, self.ranges[child.id])
        return tuple(seen.items())

    # --- numbers as intervals -----------------------------------------------------------------
    def interval(self, node: ast.AST) -> Interval:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value), float(node.value)  # true is 1, false is 0
        if isinstance(node, ast.Name):
            if node.id in self.flags:
                return 0.0, 1.0
            if node.id in ("true", "True", "false", "False"):
                one = float(node.id in ("true", "True"))
                return one, one
            return self.ranges.get(node.id, UNKNOWN)
        if isinstance(node, ast.Compare | ast.BoolOp) or (
                isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)) or (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in ("chose", "previous")):
            return 0.0, 1.0  # a yes/no value in arithmetic
        if isinstance(node, ast.UnaryOp):
            lo, hi = self.interval(node.operand)
            if isinstance(node.op, ast.USub):
                return -hi, -lo
            if isinstance(node.op, ast.UAdd):
                return lo, hi
            return UNKNOWN
        if isinstance(node, ast.BinOp):
            return _binop(type(node.op), self.interval(node.left), self.interval(node.right))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            args = [self.interval(a) for a in node.args]
            return _call(node.func.id, args)
        return UNKNOWN


# A bound on one number: (value, strict). A lower bound (v, True) means "> v", (v, False)
# ">= v"; an upper bound likewise "< v" or "<= v".
Bound = tuple[float, bool]
_FLIPPED: dict[type, type] = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt,
                              ast.GtE: ast.LtE, ast.Eq: ast.Eq}


class _Facts:
    """What the parts of one 'and' say together: the values each number may take, and the
    true/false parts (flags, chose(...)) that must be true or false.

    Sound because each part only narrows: 'x < e' means x is below e's highest value,
    'x >= e' that x is at least e's lowest, 'x == e' both; a part it cannot read
    ('x != e', an 'or', arithmetic on both sides) says nothing.
    """

    def __init__(self, walker: _Walker) -> None:
        self.walker = walker
        # number -> (lower bound, the part that gave it, upper bound, the part that gave it);
        # None for a bound that comes from the number's own range.
        self.numbers: dict[str, tuple[Bound, str | None, Bound, str | None]] = {}
        self.atoms: dict[str, tuple[bool, str]] = {}

    def clash(self, node: ast.BoolOp) -> Impossible | None:
        for part in _conjuncts(node):
            found = self._add(part)
            if found is not None:
                return found
        return None

    def _add(self, part: ast.expr) -> Impossible | None:
        text = ast.unparse(part)
        if isinstance(part, ast.Compare):
            left = part.left
            for op, right in zip(part.ops, part.comparators, strict=True):
                kind = type(op)
                if kind in _FLIPPED:
                    for name, other, op_kind in ((left, right, kind),
                                                 (right, left, _FLIPPED[kind])):
                        if isinstance(name, ast.Name) and name.id in self.walker.ranges:
                            found = self._narrow(name.id, op_kind,
                                                 self.walker.interval(other), text)
                            if found is not None:
                                return found
                left = right
            return None
        value = True
        if isinstance(part, ast.UnaryOp) and isinstance(part.op, ast.Not):
            value, part = False, part.operand
        if isinstance(part, ast.Call) or (
                isinstance(part, ast.Name) and part.id not in self.walker.ranges
                and part.id not in ("true", "True", "false", "False")):
            key = ast.unparse(part)
            seen = self.atoms.setdefault(key, (value, text))
            if seen[0] != value:
                return Impossible(text, (), (seen[1], text))
        return None

    def _narrow(self, name: str, op: type, other: Interval, text: str) -> Impossible | None:
        lo, hi = self.walker.ranges[name]
        low, low_by, high, high_by = self.numbers.get(name, ((lo, False), None,
                                                             (hi, False), None))
        olo, ohi = other
        if op in (ast.Gt, ast.GtE, ast.Eq) and olo > -math.inf:
            new = (olo, op is ast.Gt)
            if new[0] > low[0] or (new[0] == low[0] and new[1] and not low[1]):
                low, low_by = new, text
        if op in (ast.Lt, ast.LtE, ast.Eq) and ohi < math.inf:
            new = (ohi, op is ast.Lt)
            if new[0] < high[0] or (new[0] == high[0] and new[1] and not high[1]):
                high, high_by = new, text
        self.numbers[name] = (low, low_by, high, high_by)
        empty = low[0] > high[0] or (low[0] == high[0] and (low[1] or high[1]))
        if not empty:
            return None
        earlier = low_by if high_by == text else high_by
        if earlier is None or earlier == text:  # this part alone is ruled out
            return Impossible(text, self.walker.names_in(ast.parse(text, mode="eval").body))
        return Impossible(text, (), (earlier, text))


def _conjuncts(node: ast.expr) -> list[ast.expr]:
    """The parts of an 'and', nested 'and's flattened, in the order they are written."""
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        return [part for value in node.values for part in _conjuncts(value)]
    return [node]


def _compare(op: type, a: Interval, b: Interval) -> bool | None:
    (alo, ahi), (blo, bhi) = a, b
    if op is ast.Lt:
        return True if ahi < blo else False if alo >= bhi else None
    if op is ast.LtE:
        return True if ahi <= blo else False if alo > bhi else None
    if op is ast.Gt:
        return True if alo > bhi else False if ahi <= blo else None
    if op is ast.GtE:
        return True if alo >= bhi else False if ahi < blo else None
    disjoint = ahi < blo or bhi < alo
    same_point = alo == ahi == blo == bhi
    if op is ast.Eq:
        return False if disjoint else True if same_point else None
    if op is ast.NotEq:
        return True if disjoint else False if same_point else None
    return None


def _binop(op: type, a: Interval, b: Interval) -> Interval:
    (alo, ahi), (blo, bhi) = a, b
    if op is ast.Add:
        return alo + blo, ahi + bhi
    if op is ast.Sub:
        return alo - bhi, ahi - blo
    if op is ast.Mult:
        if math.inf in (abs(alo), abs(ahi), abs(blo), abs(bhi)):
            return UNKNOWN  # inf * 0 has no value: give up rather than guess
        products = [alo * blo, alo * bhi, ahi * blo, ahi * bhi]
        return min(products), max(products)
    if op is ast.Div:
        if blo <= 0 <= bhi or math.inf in (abs(alo), abs(ahi), abs(blo), abs(bhi)):
            return UNKNOWN  # x / 0 is 0 in the language, and near 0 anything goes
        quotients = [alo / blo, alo / bhi, ahi / blo, ahi / bhi]
        return min(quotients), max(quotients)
    return UNKNOWN


def _call(name: str, args: list[Interval]) -> Interval:
    if name == "min" and args:
        return min(a[0] for a in args), min(a[1] for a in args)
    if name == "max" and args:
        return max(a[0] for a in args), max(a[1] for a in args)
    if name == "clamp" and len(args) == 3:
        (xlo, xhi), (alo, ahi), (blo, bhi) = args
        if ahi <= blo:  # clamp(x, a, b) is then min(max(x, a), b): monotone in each
            return min(max(xlo, alo), blo), min(max(xhi, ahi), bhi)
        return min(xlo, alo, blo), max(xhi, ahi, bhi)  # it is always one of x, a, b
    if name == "abs" and len(args) == 1:
        lo, hi = args[0]
        if lo >= 0:
            return lo, hi
        if hi <= 0:
            return -hi, -lo
        return 0.0, max(-lo, hi)
    if name == "round" and len(args) == 1:
        lo, hi = args[0]
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return lo, hi
        return math.floor(lo), math.ceil(hi)  # a little wider than needed: still sound
    return UNKNOWN  # times(...), previous(...): counts the ranges do not bound
