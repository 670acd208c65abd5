"""Conditions that the indicators' ranges make impossible, found before any game is played.

An indicator never leaves its range (the engine clamps it after every change,
and its start must lie inside), so `anger > 100` when anger's `max` is 100 can
never be true, however the game goes: the ending or action it guards can never
happen. This module evaluates an already checked condition over intervals — each
indicator its [min, max], `turn` [1, last turn] — and says which comparison
rules it out. It is sound, not complete: "can never" is only reported when no
game can make the condition true; anything it cannot follow (choices, counts,
division by a range that holds 0) is "unknown".
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping
from dataclasses import dataclass

Interval = tuple[float, float]
UNKNOWN: Interval = (-math.inf, math.inf)


@dataclass(frozen=True)
class Impossible:
    """Why a condition can never be true: the comparison, and the ranges behind it."""

    comparison: str
    ranges: tuple[tuple[str, Interval], ...]

    def explain(self) -> str:
        parts = [f"'{name}' stays between {_fmt(lo)} and {_fmt(hi)}"
                 for name, (lo, hi) in self.ranges]
        why = "; ".join(parts) if parts else "its numbers never change"
        return f"'{self.comparison}' is never true: {why}"


def never_true(condition: str | ast.expr, bounds: Mapping[str, Interval],
               last_turn: int) -> Impossible | None:
    """Why the condition can never hold, or None if some game could make it true.

    `condition` is the text of a condition that passed `expr.compile_expr`, or the
    tree it keeps (`Compiled.tree`: nothing to parse again).
    """
    if isinstance(condition, str):
        try:
            node = ast.parse(condition.replace("\n", " ").strip(), mode="eval").body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
    else:
        node = condition
    ranges = {**bounds, "turn": (1.0, float(last_turn)),
              "last_turn": (float(last_turn), float(last_turn))}
    walker = _Walker(ranges)
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
    def __init__(self, ranges: Mapping[str, Interval]) -> None:
        self.ranges = ranges
        self.first_false: Impossible | None = None

    # --- true / false / unknown ---------------------------------------------------------------
    def truth(self, node: ast.AST) -> bool | None:
        if isinstance(node, ast.BoolOp):
            verdicts = [self.truth(v) for v in node.values]
            if isinstance(node.op, ast.And):
                return False if False in verdicts else True if all(verdicts) else None
            return True if True in verdicts else False if all(
                v is False for v in verdicts) else None
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = _Walker(self.ranges).truth(node.operand)  # its "why" would be inverted
            return None if inner is None else not inner
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return node.value
        if isinstance(node, ast.Name) and node.id in ("true", "True", "false", "False"):
            return node.id in ("true", "True")
        return None  # a flag, chose(...), previous(...)

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
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not \
                isinstance(node.value, bool):
            return float(node.value), float(node.value)
        if isinstance(node, ast.Name):
            return self.ranges.get(node.id, UNKNOWN)
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
