"""The scenario's expressions as numpy operations over many games at once.

`vectorise(compiled)` turns the checked tree of a `kazsim.scenario.expr.Compiled` into
a function of a batch environment: a mapping from the same names the reference
engine's environment has (indicator and flag ids, ``turn``, ``last_turn``,
``@role``, ``<role``, ``#role.action``) to one value per game (a numpy array), or to
one value shared by every game (``turn`` and ``last_turn``: the games of a batch are
all on the same turn). Choices are action indexes (`-1`: none).

Each node computes, game by game, exactly what the reference closure computes, with
the same operations in the same order, so the results are the same floats:

- ``a / b`` is 0 where ``b`` is 0; min and max keep the first of equals (and, as
  Python's do, the running value against a nan); ``round`` rounds halves away from
  zero; a number expression that may leave the exact numbers is settled as
  `expr.finite` settles it (nan is 0, an infinity the largest float);
- true and false count as 1 and 0 in arithmetic, as in Python.

Python computes on whole numbers exactly and numpy on floats: the two agree while
every whole-number result stays within 2**53. An expression whose whole-number
arithmetic could go beyond that (a sum of large products) is refused
(`Unsupported`), and the batch engine then says it cannot play the scenario.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from kazsim.scenario.expr import _EXACT, _WHOLE, LARGEST, Compiled, _magnitude

VEnv = Mapping[str, Any]
VFn = Callable[[VEnv], Any]


class Unsupported(Exception):
    """Something the batch engine cannot play exactly as the reference engine does."""


def vectorise(compiled: Compiled, choices: Mapping[str, Mapping[str, int]],
              sizes: Mapping[str, float] | None = None) -> VFn:
    """The batch form of one compiled expression (`choices`: role -> action -> index;
    `sizes`: how large each name's value can be, for the whole-number check)."""
    if compiled.constant is not None:
        value = compiled.constant
        return lambda env: value
    if compiled.tree is None:
        raise Unsupported(f"the expression '{compiled.text}' has no syntax tree")
    fn, _ = _Builder(choices, sizes or {}).build(compiled.tree)
    guarded = not _magnitude(compiled.tree) <= _EXACT
    if compiled.kind == "number" and guarded:
        inner = fn
        return lambda env: finite(inner(env))
    return fn


def finite(value: Any) -> Any:
    """`expr.finite` on every game: nan is 0, an infinity the largest float of its sign."""
    if isinstance(value, np.ndarray):
        if value.dtype == np.float64:
            bad = ~np.isfinite(value)
            if bad.any():
                value = np.where(np.isnan(value), 0.0,
                                 np.where(bad, np.copysign(LARGEST, value), value))
        return value
    if isinstance(value, float) and not -LARGEST <= value <= LARGEST:
        return 0.0 if value != value else float(np.copysign(LARGEST, value))
    return value


def _number(value: Any) -> Any:
    """A condition used as a number (true is 1): a float array, or the value itself."""
    if isinstance(value, np.ndarray) and value.dtype == np.bool_:
        return value.astype(np.float64)
    if isinstance(value, bool):
        return int(value)
    return value


def _div(a: Any, b: Any) -> Any:
    if isinstance(b, np.ndarray):
        zero = b == 0
        return np.where(zero, 0.0, np.divide(a, np.where(zero, 1.0, b)))
    if b:
        return np.divide(a, b) if isinstance(a, np.ndarray) else a / b
    return np.zeros_like(a, dtype=np.float64) if isinstance(a, np.ndarray) else 0.0


def _round(x: Any) -> Any:
    if not isinstance(x, np.ndarray):
        from kazsim.scenario.expr import _round as scalar_round

        return scalar_round(x)
    x = x.astype(np.float64, copy=False)
    rounded = np.copysign(np.floor(np.abs(x) + 0.5), x) + 0.0
    return np.where(np.abs(x) < _WHOLE, rounded, x)


def _min(values: list[Any]) -> Any:
    """Python's min: the running value, replaced by each later one strictly smaller."""
    out = values[0]
    for v in values[1:]:
        out = np.where(v < out, v, out)
    return out


def _max(values: list[Any]) -> Any:
    out = values[0]
    for v in values[1:]:
        out = np.where(v > out, v, out)
    return out


def _clamp(x: Any, a: Any, b: Any) -> Any:
    return np.where(x < a, a, np.where(x > b, b, x))


_ARITH: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: _div,
}
_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Lt: lambda a, b: a < b, ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b,
}


class _Builder:
    """Walks a checked tree (already accepted by `expr._Checker`) into numpy closures.

    `build` returns the closure and whether its values may be whole numbers in the
    reference engine (Python ints), whose arithmetic is exact there."""

    def __init__(self, choices: Mapping[str, Mapping[str, int]],
                 sizes: Mapping[str, float]) -> None:
        self.choices = choices
        self.sizes = sizes

    def size(self, node: ast.AST) -> float:
        """An upper bound on the size of a value (`expr._magnitude`, with each name's own
        range instead of the largest any indicator may have)."""
        if isinstance(node, ast.Name):
            return self.sizes.get(node.id, _magnitude(node))
        if isinstance(node, ast.Compare | ast.BoolOp) or (
                isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)) or (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in ("chose", "previous")):
            return 1.0  # true or false: 1 or 0 in arithmetic
        if isinstance(node, ast.UnaryOp):
            return max(1.0, self.size(node.operand))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult):
            left, right = self.size(node.left), self.size(node.right)
            return left + right if not isinstance(node.op, ast.Mult) else left * right
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and (
                node.func.id == "times"):
            return self.sizes.get("turn", _magnitude(node))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and (
                node.func.id in ("min", "max", "clamp", "abs", "round")):
            return max((self.size(a) for a in node.args), default=0.0) + 1.0
        return _magnitude(node)

    def build(self, node: ast.AST) -> tuple[VFn, bool]:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise Unsupported(f"'{type(node).__name__}' in an expression")
        result: tuple[VFn, bool] = method(node)
        return result

    def _Constant(self, node: ast.Constant) -> tuple[VFn, bool]:
        value = node.value
        return (lambda env: value), isinstance(value, int)

    def _Name(self, node: ast.Name) -> tuple[VFn, bool]:
        name = node.id
        if name in ("true", "True"):
            return (lambda env: True), True
        if name in ("false", "False"):
            return (lambda env: False), True
        return (lambda env: env[name]), True

    def _BoolOp(self, node: ast.BoolOp) -> tuple[VFn, bool]:
        fns = [self.build(v)[0] for v in node.values]
        combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or

        def boolop(env: VEnv) -> Any:
            out = fns[0](env)
            for f in fns[1:]:
                out = combine(out, f(env))
            return out

        return boolop, True

    def _UnaryOp(self, node: ast.UnaryOp) -> tuple[VFn, bool]:
        f, whole = self.build(node.operand)
        if isinstance(node.op, ast.Not):
            return (lambda env: np.logical_not(f(env))), True
        if isinstance(node.op, ast.USub):
            return (lambda env: -_number(f(env))), whole
        return (lambda env: _number(f(env))), whole

    def _BinOp(self, node: ast.BinOp) -> tuple[VFn, bool]:
        op = _ARITH.get(type(node.op))
        if op is None:
            raise Unsupported(f"the operator {type(node.op).__name__}")
        lf, lw = self.build(node.left)
        rf, rw = self.build(node.right)
        whole = lw and rw and not isinstance(node.op, ast.Div)
        if whole and isinstance(node.op, ast.Add | ast.Sub) and not self.size(node) <= _EXACT:
            # Python adds whole numbers exactly (a product beyond 2**53 becomes a float
            # there, as here); a sum of whole numbers beyond 2**53 would not.
            raise Unsupported("whole-number arithmetic that may go beyond 2**53")
        return (lambda env: op(_number(lf(env)), _number(rf(env)))), whole

    def _Compare(self, node: ast.Compare) -> tuple[VFn, bool]:
        fns = [self.build(o)[0] for o in [node.left, *node.comparators]]
        ops = [_COMPARE[type(o)] for o in node.ops]

        def compare(env: VEnv) -> Any:
            values = [f(env) for f in fns]
            out = ops[0](values[0], values[1])
            for i in range(1, len(ops)):
                out = np.logical_and(out, ops[i](values[i], values[i + 1]))
            return out

        return compare, True

    def _Call(self, node: ast.Call) -> tuple[VFn, bool]:
        assert isinstance(node.func, ast.Name)
        name = node.func.id
        if name in ("chose", "times", "previous"):
            role, action = (a.id for a in node.args if isinstance(a, ast.Name))
            if name == "times":
                key = f"#{role}.{action}"
                return (lambda env: env.get(key, 0)), True
            index = self.choices[role][action]
            prefix = "@" if name == "chose" else "<"
            choice_key = prefix + role
            return (lambda env: np.asarray(env.get(choice_key, -1)) == index), True
        built = [self.build(a) for a in node.args]
        fns = [b[0] for b in built]
        whole = all(b[1] for b in built)
        if name == "abs":
            f = fns[0]
            return (lambda env: np.abs(f(env))), whole
        if name == "round":
            f = fns[0]
            return (lambda env: _round(f(env))), False
        if name == "clamp":
            x, a, b = fns
            return (lambda env: _clamp(x(env), a(env), b(env))), whole
        pick = _min if name == "min" else _max
        return (lambda env: pick([f(env) for f in fns])), whole
