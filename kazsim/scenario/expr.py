"""The scenario expression language: parsed once, type-checked, compiled to closures.

Teachers write conditions and amounts such as ``protest_size > 50 and not
cabinet_dismissed`` or ``chose(government, crackdown)``. The text is parsed with
Python's own parser (so positions and operator precedence are familiar), then
every node is checked against a short whitelist: numbers, true/false, names
of the scenario's indicators and flags, ``turn``/``last_turn``, arithmetic,
comparisons, and/or/not, and a few functions. Anything else (attributes,
subscripts, lambdas, strings, ``**``, keyword arguments...) is refused with a
message that points at the column. Nothing is ever passed to ``eval``: the
checked tree is turned into nested Python closures that read one dictionary.

The evaluation dictionary (built by the engine) maps:
- indicator and flag ids to their values, ``"turn"`` and ``"last_turn"``;
- ``"@" + role`` to the action chosen by that role this turn (absent before);
- ``"<" + role`` to the action chosen on the previous turn;
- ``"#" + role + "." + action`` to how many turns it has been chosen so far.
"""

from __future__ import annotations

import ast
import difflib
import math
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from kazsim.scenario.errors import invisible, invisible_hint, plain_form, plain_hint

Value = float | int | bool
Env = Mapping[str, Any]
Fn = Callable[[Env], Any]
Kind = Literal["number", "bool"]

MAX_LENGTH = 2_000
MAX_DEPTH = 40  # brackets inside brackets
MAX_TREE_DEPTH = 100  # operations inside operations (a + b + c counts one per '+')
MAX_MAGNITUDE = 1e12

FUNCTIONS = ("min", "max", "clamp", "abs", "round", "chose", "times", "previous")
CHOICE_FUNCTIONS = ("chose", "times", "previous")
BUILTIN_NAMES = {"turn": "number", "last_turn": "number"}
LANGUAGE_HINT = ("expressions use ids, numbers, + - * /, comparisons, and/or/not and the "
                 "functions " + ", ".join(FUNCTIONS))
NESTING_HINT = "split it into simpler parts, for example two rules or a flag"


class ExprError(ValueError):
    """An expression a scenario author wrote cannot be used; says where and why."""

    def __init__(self, message: str, offset: int = 0, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


@dataclass(frozen=True)
class Names:
    """What an expression may refer to: the scenario's ids, by kind."""

    numbers: frozenset[str]
    flags: frozenset[str]
    actions: Mapping[str, frozenset[str]]  # role id -> its action ids

    def all_values(self) -> list[str]:
        return sorted(self.numbers | self.flags | set(BUILTIN_NAMES))


@dataclass(frozen=True)
class Compiled:
    """A checked expression, ready to evaluate against an environment dictionary."""

    text: str
    kind: Kind
    fn: Fn
    constant: Value | None = None
    names: frozenset[str] = field(default_factory=frozenset)
    uses_choices: bool = False
    # Roles whose choice THIS turn the value depends on (through chose/times).
    choice_roles: frozenset[str] = field(default_factory=frozenset)
    # For a condition "chose(r, a) and (chose(s, b) or chose(s, c)) and ...": the
    # choices it requires (role -> the actions that allow it). When a role chose
    # none of them the condition is false, so the engine and the AI skip it.
    requires: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # The checked syntax tree, for further static checks (kazsim.scenario.ranges).
    tree: ast.expr | None = field(default=None, compare=False, repr=False)

    def __call__(self, env: Env) -> Any:
        return self.fn(env)


def suggest(name: str, candidates: Iterable[str]) -> str:
    """A 'did you mean' hint for a misspelt id, or an empty string."""
    hidden = invisible(name)
    if hidden is not None:
        return f"it contains {hidden[1]}; {invisible_hint(name)}"
    plain = plain_form(name)
    if plain is not None:
        return plain_hint(plain)
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def _describe(kind: Kind) -> str:
    return "a number" if kind == "number" else "a true/false condition"


def _type_hint(want: Kind) -> str:
    if want == "bool":
        return "compare it with something, e.g. 'protest_size > 50'"
    return "this needs a number or a calculation, e.g. 10 or 'trust / 2'"


_SMALLER = f"numbers in a scenario stay between -{MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g}"
_EXAMPLES = {
    "min": "min(trust, 50)", "max": "max(0, trust - 10)", "clamp": "clamp(trust, 0, 100)",
    "abs": "abs(trust - 50)", "round": "round(trust / 3)",
    "chose": "chose(government, crackdown)", "times": "times(government, crackdown)",
    "previous": "previous(government, crackdown)",
}


def _round(x: float) -> float:
    """The nearest whole number, halves away from zero (2.5 -> 3), as teachers expect;
    Python's round() would give 2. Infinity and nan stay as they are (`finite` settles
    them), rather than failing."""
    if not abs(x) < _WHOLE:  # already whole (floats from 2**52 up are), infinite or nan
        return x if isinstance(x, float) else _to_float(x)
    return float(math.copysign(math.floor(abs(x) + 0.5), x)) + 0.0  # never -0.0


# --- numbers that stay numbers --------------------------------------------------------------
#
# Indicators stay within +-1e12, and so do the numbers an author writes, but arithmetic
# on them need not: a product of whole numbers grows without limit (Python's integers
# have no maximum, and one of hundreds of digits makes '/' and round() fail: "integer
# division result too large for a float"), and floats overflow to infinity, where
# inf - inf is nan, which no comparison catches. So a product of whole numbers that is
# not exact as a float becomes a float (infinity when it is larger than any float), and
# every number expression that may leave the exact numbers is settled by `finite`: nan
# counts as 0, and an infinity as the largest float of its sign. Which ones may is
# worked out from the tree (`_magnitude`): `trust - protest_size / 2` provably stays
# small and is left as it is. The engine then holds each indicator inside its range
# (`kazsim.scenario.effects.within`).

_WHOLE = 2**52  # from here on every float is a whole number
_EXACT = 2**53  # whole numbers up to here are exact as floats
LARGEST = 1.7976931348623157e308  # sys.float_info.max


def _to_float(x: int) -> float:
    """A whole number as a float: infinity when it is larger than any float."""
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def _times(a: Any, b: Any) -> Any:
    """``a * b``, a float when a product of whole numbers is not exact as one."""
    product = a * b
    if product.__class__ is int and not -_EXACT <= product <= _EXACT:
        return _to_float(product)
    return product


def finite(value: Any) -> Any:
    """A number expression's value as a finite number: nan is 0, infinity the largest float."""
    if value.__class__ is float and not -LARGEST <= value <= LARGEST:
        return 0.0 if value != value else math.copysign(LARGEST, value)
    return value


def _magnitude(node: ast.AST, depth: int = 0) -> float:
    """An upper bound on the size of a number expression's values (inf: none known).

    Indicators stay within +-`MAX_MAGNITUDE` (the validator refuses wider ranges and
    the engine clamps), and so do `turn`, `last_turn` and `times()`; sums and products
    of bounds bound sums and products. Only a quotient by something other than a
    constant has no bound: what it divides by may be as small as a number gets. (A
    tree too deep for the checker has none either: the checker refuses it.)
    """
    depth += 1
    if depth > MAX_TREE_DEPTH + 1:
        return math.inf
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            return 1.0
        return float(abs(value)) if isinstance(value, int | float) and (
            abs(value) <= MAX_MAGNITUDE) else math.inf
    if isinstance(node, ast.Name):
        return MAX_MAGNITUDE
    if isinstance(node, ast.UnaryOp):  # ('not x' is 0 or 1 as a number)
        return max(1.0, _magnitude(node.operand, depth))
    if isinstance(node, ast.BinOp):
        left = _magnitude(node.left, depth)
        if isinstance(node.op, ast.Add | ast.Sub):
            return left + _magnitude(node.right, depth)
        if isinstance(node.op, ast.Mult):
            return left * _magnitude(node.right, depth)
        if isinstance(node.op, ast.Div) and isinstance(node.right, ast.Constant) and (
                isinstance(node.right.value, int | float) and node.right.value):
            return left / abs(node.right.value)
        return math.inf
    if isinstance(node, ast.Compare):  # a condition: how large the numbers it compares are
        return max(1.0, *(_magnitude(part, depth) for part in [node.left, *node.comparators]))
    if isinstance(node, ast.BoolOp):  # (as a number, a condition is 0 or 1)
        return max(1.0, *(_magnitude(part, depth) for part in node.values))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id in CHOICE_FUNCTIONS:
            return MAX_MAGNITUDE
        return max((_magnitude(arg, depth) for arg in node.args), default=0.0) + 1.0  # round: +0.5
    return math.inf


def _settled(fn: Fn) -> Fn:
    def settled(env: Env) -> Any:
        return finite(fn(env))

    return settled


def _constant(value: Value) -> Fn:
    def get(env: Env) -> Value:
        return value

    return get


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    return deepest


def _char_offset(text: str, byte_offset: int) -> int:
    """Python's parser counts columns in UTF-8 bytes; authors count characters."""
    if text.isascii():
        return byte_offset
    return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))


@dataclass
class _Checker:
    """Walks a parsed tree, checking it and building the closures."""

    names: Names
    allow_choices: bool
    where: str
    used: set[str] = field(default_factory=set)
    uses_choices: bool = False
    choice_roles: set[str] = field(default_factory=set)
    # Closures that only read one name, and sums flattened so far (see _combine).
    lookups: dict[Fn, str] = field(default_factory=dict)
    sums: dict[Fn, tuple[Fn, tuple[tuple[bool, Fn], ...]]] = field(default_factory=dict)
    # Whether a product may leave the exact whole numbers (see `_magnitude`): only then
    # is it computed by `_times` (the engine's hot loop pays for no check it needs not).
    guarded: bool = True

    def fail(self, node: ast.AST, message: str, hint: str = "") -> ExprError:
        return ExprError(message, getattr(node, "col_offset", 0), hint)

    def build(self, node: ast.AST, depth: int = 0) -> tuple[Kind, Fn, Value | None]:
        """Returns (kind, closure, constant value or None)."""
        if depth > MAX_TREE_DEPTH:
            raise self.fail(node, f"expression too complex (more than {MAX_TREE_DEPTH} "
                            "operations inside each other)", NESTING_HINT)
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise self.fail(node, self._not_allowed(node), LANGUAGE_HINT)
        result: tuple[Kind, Fn, Value | None] = method(node, depth + 1)
        return result

    def _not_allowed(self, node: ast.AST) -> str:
        what = {
            "Attribute": "'.' (attribute access) is not part of the scenario language",
            "Subscript": "'[...]' (indexing) is not part of the scenario language",
            "Lambda": "'lambda' is not part of the scenario language",
            "Starred": "'*' unpacking is not part of the scenario language",
            "JoinedStr": "text (strings) cannot be used in expressions",
            "List": "lists cannot be used in expressions",
            "Tuple": "a comma cannot separate values here; to combine conditions use 'and' "
                     "or 'or'",
            "Dict": "dictionaries cannot be used in expressions",
            "Set": "sets cannot be used in expressions",
            "IfExp": "'x if c else y' is not supported; use min/max/clamp or two effects",
            "NamedExpr": "':=' is not part of the scenario language",
            "Await": "'await' is not part of the scenario language",
            "ListComp": "comprehensions are not part of the scenario language",
            "GeneratorExp": "comprehensions are not part of the scenario language",
            "SetComp": "comprehensions are not part of the scenario language",
            "DictComp": "comprehensions are not part of the scenario language",
        }
        return what.get(type(node).__name__,
                        f"'{type(node).__name__}' is not part of the scenario language")

    def expect(self, node: ast.AST, want: Kind, depth: int, *,
               counts: bool = False) -> tuple[Fn, Value | None]:
        """Build `node`, which must be of kind `want`; `counts`: a yes/no value is a number
        here (true is 1, false is 0), as in arithmetic: `grip - 10 * troops_arrived`."""
        kind, fn, const = self.build(node, depth)
        if counts and want == "number" and kind == "bool":
            return fn, const
        if kind != want:
            raise self.fail(node, f"expected {_describe(want)} here, found {_describe(kind)}",
                            _type_hint(want))
        return fn, const

    # --- leaves -----------------------------------------------------------------
    def _Constant(self, node: ast.Constant, depth: int) -> tuple[Kind, Fn, Value | None]:
        value = node.value
        if isinstance(value, bool):
            return "bool", (lambda env, v=value: v), value
        if isinstance(value, int | float) and not isinstance(value, complex):
            # abs() first: math.isfinite() overflows on an integer of hundreds of digits.
            if abs(value) > MAX_MAGNITUDE or not math.isfinite(value):
                raise self.fail(node, f"number too large (the limit is {MAX_MAGNITUDE:g})",
                                _SMALLER)
            return "number", (lambda env, v=value: v), value
        if isinstance(value, str):
            raise self.fail(node, "text (strings) cannot be used in expressions",
                            "ids are written without quotes, e.g. chose(government, crackdown)")
        if isinstance(value, bytes):
            raise self.fail(node, "text (strings) cannot be used in expressions",
                            "ids are written without quotes, e.g. chose(government, crackdown)")
        if value is None:
            raise self.fail(node, "'None' cannot be used in expressions",
                            "write a number, or true/false")
        if isinstance(value, complex):
            raise self.fail(node, "complex numbers cannot be used in expressions",
                            "write a plain number such as 2 or 0.5")
        raise self.fail(node, f"'{value!r}' cannot be used in expressions", LANGUAGE_HINT)

    def _Name(self, node: ast.Name, depth: int) -> tuple[Kind, Fn, Value | None]:
        name = node.id
        if name in ("true", "True"):
            return "bool", (lambda env: True), True
        if name in ("false", "False"):
            return "bool", (lambda env: False), False
        if name.startswith("_"):
            raise self.fail(node, f"names starting with '_' are not allowed ('{name}')",
                            "ids start with a lower-case letter, e.g. protest_size")
        kind: Kind
        if name in self.names.numbers or name in BUILTIN_NAMES:
            kind = "number"
        elif name in self.names.flags:
            kind = "bool"
        elif name in FUNCTIONS:
            raise self.fail(node, f"'{name}' is a function: call it with (...)",
                            f"for example {_EXAMPLES[name]}")
        elif name in self.names.actions:
            raise self.fail(node, f"'{name}' is a role; use chose({name}, action) to test "
                            "what it chose")
        else:
            raise self.fail(node, f"unknown name '{name}'",
                            suggest(name, self.names.all_values()) or
                            "names must be indicator or flag ids, turn or last_turn")
        self.used.add(name)

        def get(env: Env, n: str = name) -> Any:
            return env[n]

        self.lookups[get] = name
        return kind, get, None

    # --- operators --------------------------------------------------------------
    def _BoolOp(self, node: ast.BoolOp, depth: int) -> tuple[Kind, Fn, Value | None]:
        parts = [self.expect(v, "bool", depth) for v in node.values]
        fns = [p[0] for p in parts]
        consts = [p[1] for p in parts]
        if isinstance(node.op, ast.And):
            if any(c is False for c in consts):
                return "bool", (lambda env: False), False
            if all(c is True for c in consts):
                return "bool", (lambda env: True), True
            if len(fns) == 2:
                a, b = fns
                return "bool", (lambda env: a(env) and b(env)), None
            return "bool", (lambda env: all(f(env) for f in fns)), None
        if any(c is True for c in consts):
            return "bool", (lambda env: True), True
        if all(c is False for c in consts):
            return "bool", (lambda env: False), False
        if len(fns) == 2:
            a, b = fns
            return "bool", (lambda env: a(env) or b(env)), None
        return "bool", (lambda env: any(f(env) for f in fns)), None

    def _UnaryOp(self, node: ast.UnaryOp, depth: int) -> tuple[Kind, Fn, Value | None]:
        if isinstance(node.op, ast.Not):
            f, c = self.expect(node.operand, "bool", depth)
            if c is not None:
                return "bool", (lambda env, v=not c: v), not c
            return "bool", (lambda env: not f(env)), None
        if isinstance(node.op, ast.USub | ast.UAdd):
            kind, f, c = self.build(node.operand, depth)
            if kind != "number":
                f, c = self.expect(node.operand, "number", depth, counts=True)
            sign = -1 if isinstance(node.op, ast.USub) else 1
            if c is not None:
                value = sign * c
                return "number", (lambda env, v=value: v), value
            if sign == 1 and kind == "bool":
                return "number", (lambda env: +f(env)), None  # +true is 1, not true
            if sign == 1:
                return "number", f, None
            return "number", (lambda env: -f(env)), None
        raise self.fail(node, "'~' is not part of the scenario language",
                        "use 'not' for conditions")

    _ARITH: ClassVar[dict[type, tuple[str, Callable[[Any, Any], Any]]]] = {
        ast.Add: ("+", lambda a, b: a + b),
        ast.Sub: ("-", lambda a, b: a - b),
        ast.Mult: ("*", lambda a, b: a * b),
        ast.Div: ("/", lambda a, b: a / b if b else 0.0),
    }

    def _BinOp(self, node: ast.BinOp, depth: int) -> tuple[Kind, Fn, Value | None]:
        entry = self._ARITH.get(type(node.op))
        if entry is None:
            symbol = {ast.Pow: "**", ast.Mod: "%", ast.FloorDiv: "//", ast.BitAnd: "&",
                      ast.BitOr: "|", ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>",
                      ast.MatMult: "@"}.get(type(node.op), "?")
            hint = "use 'and' / 'or'" if symbol in ("&", "|") else "use + - * / only"
            raise self.fail(node, f"operator '{symbol}' is not part of the scenario language", hint)
        _, op = entry
        lf, lc = self.expect(node.left, "number", depth, counts=True)
        rf, rc = self.expect(node.right, "number", depth, counts=True)
        if lc is not None and rc is not None:
            value = op(lc, rc)
            if abs(value) > MAX_MAGNITUDE:
                raise self.fail(node, f"number too large (the limit is {MAX_MAGNITUDE:g})",
                                _SMALLER)
            return "number", (lambda env, v=value: v), value
        return "number", self._combine(type(node.op), lf, lc, rf, rc), None

    def _combine(self, op: type, lf: Fn, lc: Value | None, rf: Fn, rc: Value | None) -> Fn:
        """The closure for one arithmetic operation, specialised for speed.

        Every shape computes exactly what ``lf(env) <op> rf(env)`` computes, in
        the same order, so results are bit-identical: a name next to a constant
        reads the dictionary directly, and chains of + and - run in one loop
        instead of one nested call per operator.
        """
        ln, rn = self.lookups.get(lf), self.lookups.get(rf)
        if rc is not None:
            k = rc
            if ln is not None:
                n = ln
                if op is ast.Add:
                    return lambda env: env[n] + k
                if op is ast.Sub:
                    return lambda env: env[n] - k
                if op is ast.Mult:
                    if not self.guarded:
                        return lambda env: env[n] * k
                    return lambda env: _times(env[n], k)
                if k:
                    return lambda env: env[n] / k
                return lambda env: 0.0
            if op is ast.Add:
                return lambda env: lf(env) + k
            if op is ast.Sub:
                return lambda env: lf(env) - k
            if op is ast.Mult:
                if not self.guarded:
                    return lambda env: lf(env) * k
                return lambda env: _times(lf(env), k)
            if k:
                return lambda env: lf(env) / k
            return lambda env: 0.0
        if lc is not None:
            k = lc
            if rn is not None:
                n = rn
                if op is ast.Add:
                    return lambda env: k + env[n]
                if op is ast.Sub:
                    return lambda env: k - env[n]
                if op is ast.Mult:
                    if not self.guarded:
                        return lambda env: k * env[n]
                    return lambda env: _times(k, env[n])
            if op is ast.Add:
                return lambda env: k + rf(env)
            if op is ast.Sub:
                return lambda env: k - rf(env)
            if op is ast.Mult:
                if not self.guarded:
                    return lambda env: k * rf(env)
                return lambda env: _times(k, rf(env))
        if op is ast.Add or op is ast.Sub:
            base, terms = self.sums.get(lf, (lf, ()))
            terms = (*terms, (op is ast.Add, rf))
            if len(terms) == 1:
                fn: Fn = ((lambda env: lf(env) + rf(env)) if op is ast.Add
                          else (lambda env: lf(env) - rf(env)))
            else:
                def fn(env: Env, base: Fn = base,
                       terms: tuple[tuple[bool, Fn], ...] = terms) -> Any:
                    total = base(env)
                    for add, term in terms:
                        total = total + term(env) if add else total - term(env)
                    return total
            self.sums[fn] = (base, terms)
            return fn
        if op is ast.Mult:
            if not self.guarded:
                return lambda env: lf(env) * rf(env)
            return lambda env: _times(lf(env), rf(env))

        def div(env: Env) -> Any:
            d = rf(env)
            return lf(env) / d if d else 0.0

        return div

    _COMPARE: ClassVar[dict[type, Callable[[Any, Any], bool]]] = {
        ast.Lt: lambda a, b: a < b,
        ast.LtE: lambda a, b: a <= b,
        ast.Gt: lambda a, b: a > b,
        ast.GtE: lambda a, b: a >= b,
        ast.Eq: lambda a, b: a == b,
        ast.NotEq: lambda a, b: a != b,
    }

    def _Compare(self, node: ast.Compare, depth: int) -> tuple[Kind, Fn, Value | None]:
        operands = [node.left, *node.comparators]
        built = [self.build(o, depth) for o in operands]
        ops: list[Callable[[Any, Any], bool]] = []
        for i, op in enumerate(node.ops):
            fn = self._COMPARE.get(type(op))
            if fn is None:
                word = {"In": "in", "NotIn": "not in", "Is": "is", "IsNot": "is not"}.get(
                    type(op).__name__, type(op).__name__)
                raise self.fail(node, f"'{word}' comparisons are not part of the scenario "
                                "language", "compare with < <= > >= == or !=")
            left_kind, right_kind = built[i][0], built[i + 1][0]
            if left_kind != right_kind:
                raise self.fail(operands[i + 1], f"cannot compare {_describe(left_kind)} "
                                f"with {_describe(right_kind)}",
                                "compare numbers with numbers, and flags with true or false")
            if left_kind == "bool" and not isinstance(op, ast.Eq | ast.NotEq):
                raise self.fail(operands[i], "true/false values can only be compared with "
                                "== or !=", "to test a flag, write its id alone, or 'not' "
                                "and its id")
            ops.append(fn)
        fns = [b[1] for b in built]
        consts = [b[2] for b in built]
        if all(c is not None for c in consts):
            value = all(ops[i](consts[i], consts[i + 1]) for i in range(len(ops)))
            return "bool", (lambda env, v=value: v), value
        if len(ops) == 1:
            a, b, cmp = fns[0], fns[1], ops[0]
            # Specialise the common shapes for speed (this runs in the engine's hot loop).
            if consts[1] is not None:
                return "bool", _compare_constant(type(node.ops[0]), a, self.lookups.get(a),
                                                 consts[1]), None
            return "bool", (lambda env: cmp(a(env), b(env))), None

        def chain(env: Env) -> bool:
            values = [f(env) for f in fns]
            return all(ops[i](values[i], values[i + 1]) for i in range(len(ops)))

        return "bool", chain, None

    # --- function calls ---------------------------------------------------------
    def _Call(self, node: ast.Call, depth: int) -> tuple[Kind, Fn, Value | None]:
        if not isinstance(node.func, ast.Name):
            raise self.fail(node, "only the built-in functions can be called",
                            "the functions are: " + ", ".join(FUNCTIONS))
        name = node.func.id
        if node.keywords:
            raise self.fail(node, f"{name}() takes no named arguments",
                            f"give the values in order, e.g. {_EXAMPLES.get(name, name + '(x)')}")
        if name in CHOICE_FUNCTIONS:
            return self._choice(node, name)
        if name not in FUNCTIONS:
            if name in self.names.numbers or name in self.names.flags or name in BUILTIN_NAMES:
                raise self.fail(node.func, f"'{name}' is not a function",
                                "to multiply, write '*', e.g. 2 * (a + b)")
            raise self.fail(node.func, f"unknown function '{name}'",
                            suggest(name, FUNCTIONS)
                            or "the functions are: " + ", ".join(FUNCTIONS))
        arity = {"abs": (1, 1), "round": (1, 1), "clamp": (3, 3), "min": (2, 20), "max": (2, 20)}
        lo, hi = arity[name]
        if not lo <= len(node.args) <= hi:
            expected = f"{lo} value{'s' if lo > 1 else ''}" if lo == hi else f"{lo} to {hi} values"
            raise self.fail(node, f"{name}() takes {expected}, got {len(node.args)}",
                            f"for example {_EXAMPLES[name]}")
        args = [self.expect(a, "number", depth) for a in node.args]
        fns = [a[0] for a in args]
        impls: dict[str, Callable[..., Any]] = {
            "abs": abs,
            "round": _round,
            "clamp": lambda x, a, b: a if x < a else b if x > b else x,
            "min": min,
            "max": max,
        }
        impl = impls[name]
        consts = [a[1] for a in args]
        if all(c is not None for c in consts):
            value = impl(*consts)
            return "number", (lambda env, v=value: v), value
        if len(fns) == 1:
            (f,) = fns
            return "number", (lambda env: impl(f(env))), None
        if len(fns) == 2:
            f, g = fns
            return "number", (lambda env: impl(f(env), g(env))), None
        return "number", (lambda env: impl(*[f(env) for f in fns])), None

    def _choice(self, node: ast.Call, name: str) -> tuple[Kind, Fn, Value | None]:
        usage = f"{name}(role, action), e.g. {name}(government, crackdown)"
        if len(node.args) != 2 or not all(isinstance(a, ast.Name) for a in node.args):
            raise self.fail(node, f"{name}() takes a role id and an action id", usage)
        role_node, action_node = node.args
        assert isinstance(role_node, ast.Name) and isinstance(action_node, ast.Name)
        role, action = role_node.id, action_node.id
        if role not in self.names.actions:
            raise self.fail(role_node, f"unknown role '{role}'",
                            suggest(role, self.names.actions) or
                            "roles are: " + ", ".join(sorted(self.names.actions)))
        if action not in self.names.actions[role]:
            raise self.fail(action_node, f"role '{role}' has no action '{action}'",
                            suggest(action, self.names.actions[role]) or
                            f"the actions of '{role}' are: "
                            + ", ".join(sorted(self.names.actions[role])))
        if name == "chose" and not self.allow_choices:
            raise self.fail(node, f"chose() cannot be used in {self.where}: nobody has "
                            "decided yet when it is checked",
                            "use previous(role, action) or times(role, action) instead")
        self.uses_choices = True
        if name != "previous":
            self.choice_roles.add(role)
        if name == "chose":
            key = "@" + role
            return "bool", (lambda env: env.get(key) == action), None
        if name == "previous":
            key = "<" + role
            return "bool", (lambda env: env.get(key) == action), None
        count_key = f"#{role}.{action}"
        return "number", (lambda env: env.get(count_key, 0)), None


def _compare_constant(op: type, f: Fn, name: str | None, k: Any) -> Fn:
    """``f(env) <op> k`` as one closure (reading the name directly when f only reads one)."""
    if name is not None:
        n = name
        table: dict[type, Fn] = {
            ast.Lt: lambda env: env[n] < k, ast.LtE: lambda env: env[n] <= k,
            ast.Gt: lambda env: env[n] > k, ast.GtE: lambda env: env[n] >= k,
            ast.Eq: lambda env: env[n] == k, ast.NotEq: lambda env: env[n] != k,
        }
    else:
        table = {
            ast.Lt: lambda env: f(env) < k, ast.LtE: lambda env: f(env) <= k,
            ast.Gt: lambda env: f(env) > k, ast.GtE: lambda env: f(env) >= k,
            ast.Eq: lambda env: f(env) == k, ast.NotEq: lambda env: f(env) != k,
        }
    return table[op]


def compile_expr(
    text: str | int | float | bool,
    names: Names,
    want: Kind,
    *,
    allow_choices: bool = True,
    where: str = "this expression",
    chance: bool = False,
) -> Compiled:
    """Parse, check and compile one expression, or raise `ExprError`.

    `chance`: the expression is a chance (a percentage in it is then read as a share).
    """
    if isinstance(text, int | float) and not isinstance(text, bool) and want == "number" and (
            abs(text) <= MAX_MAGNITUDE):
        # A plain number (most effects): nothing to parse. math.isfinite is checked by the
        # comparison above (nan compares false, inf is too large).
        return Compiled(repr(text), "number", _constant(text), text)
    if isinstance(text, int | float) and not isinstance(text, bool) and not (
            abs(text) <= MAX_MAGNITUDE):  # too large, inf or nan: no need to read it as text
        raise ExprError(f"number too large (the limit is {MAX_MAGNITUDE:g})", 0, _SMALLER)
    if isinstance(text, bool | int | float):
        source = str(text).lower() if isinstance(text, bool) else repr(text)
    else:
        source = text
    if len(source) > MAX_LENGTH:
        raise ExprError(f"expression longer than {MAX_LENGTH} characters", 0, NESTING_HINT)
    # Line breaks (from YAML block text) are spaces here; columns stay the same.
    flat = source.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    stripped = flat.strip()
    if not stripped:
        raise ExprError("empty expression", 0, "write a condition such as 'trust > 50', "
                        "or a number")
    lead = len(flat) - len(flat.lstrip())
    odd = _CONTROL.search(flat)
    if odd is not None:
        raise ExprError(f"the expression contains an invisible control character "
                        f"(U+{ord(odd.group()):04X})", odd.start(),
                        "delete it and type the text again")
    if not flat.isascii():
        hidden = invisible(flat)
        if hidden is not None:
            raise ExprError(f"the expression contains {hidden[1]}", hidden[0],
                            invisible_hint(flat))
        _refuse_look_alikes(flat)
    percent = _PERCENT.search(flat)
    if percent is not None:
        raise ExprError(f"'{percent.group()}': a percent sign is not part of the scenario "
                        "language", percent.start(), _percent_hint(percent, chance))
    if stripped.count("(") + stripped.count("[") + stripped.count("{") > MAX_DEPTH and (
            _bracket_depth(stripped) > MAX_DEPTH):
        raise ExprError(f"expression nested more than {MAX_DEPTH} levels deep", lead,
                        NESTING_HINT)
    try:
        with warnings.catch_warnings():
            # Python warns (on stderr) about some text it still reads, such as '1if' or an
            # escape in quotes; here each warning is a syntax error at its column instead.
            warnings.simplefilter("error")
            tree = ast.parse(stripped, mode="eval")
    except SyntaxError as exc:
        raise _syntax_error(exc, stripped, lead) from None
    except (ValueError, RecursionError, MemoryError, OverflowError) as exc:
        raise ExprError(f"cannot read this expression ({type(exc).__name__})", lead,
                        NESTING_HINT) from None
    # Most expressions provably stay small (`trust - protest_size / 2`): they need no guard.
    guarded = not _magnitude(tree.body) <= _EXACT
    checker = _Checker(names, allow_choices, where, guarded=guarded)
    try:
        kind, fn, const = checker.build(tree.body)
    except ExprError as exc:
        exc.offset = _char_offset(stripped, exc.offset) + lead
        raise
    except RecursionError:
        raise ExprError(f"expression too complex (more than {MAX_TREE_DEPTH} operations inside "
                        "each other)", lead, NESTING_HINT) from None
    if kind != want:
        raise ExprError(f"expected {_describe(want)}, but this is {_describe(kind)}", lead,
                        _type_hint(want))
    if kind == "number" and const is None and guarded:
        fn = _settled(fn)
    return Compiled(source, kind, fn, const, frozenset(checker.used), checker.uses_choices,
                    frozenset(checker.choice_roles), _required_choices(tree.body), tree.body)


_PERCENT = re.compile(r"(?<![\w.])(\d+(?:\.\d*)?|\.\d+)\s*%")


def _percent_hint(match: re.Match[str], chance: bool) -> str:
    """How to write a percentage (`60%`) as the plain number the language reads."""
    number = float(match.group(1))
    share = f"{number / 100:g}"
    whole = f"{number:g}"
    if chance:
        return f"a chance is a plain number between 0 and 1: write {share} for {match.group()}"
    return (f"percentages are written as plain numbers: {whole} for an indicator measured "
            f"in percent, {share} for a chance")


_WORD_OR_SIGN = re.compile(r"\w+|[^\w\s]")


def _refuse_look_alikes(text: str) -> None:
    """Refuse names and signs written in look-alike characters (``ａｎｇｅｒ``, ``＋``).

    Python's parser reads ``ａｎｇｅｒ`` as ``anger``, so without this an
    expression would silently work while its text differs from the id it names.
    """
    for match in _WORD_OR_SIGN.finditer(text):
        plain = plain_form(match.group())
        if plain is not None:
            raise ExprError(f"'{match.group()}' is written in look-alike characters "
                            "(full-width or similar)", match.start(), plain_hint(plain))


def _chose_call(node: ast.AST) -> tuple[str, str] | None:
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "chose" and len(node.args) == 2):
        role, action = node.args
        if isinstance(role, ast.Name) and isinstance(action, ast.Name):
            return role.id, action.id
    return None


def _required_choices(node: ast.AST) -> dict[str, frozenset[str]]:
    """What a condition's top-level conjuncts require of the choices.

    A conjunct ``chose(r, a)`` requires r to choose a; a conjunct
    ``chose(r, a) or chose(r, b)`` (one role) requires a or b.
    """
    parts = node.values if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And) else [node]
    required: dict[str, frozenset[str]] = {}
    for part in parts:
        options = [part]
        if isinstance(part, ast.BoolOp) and isinstance(part.op, ast.Or):
            options = list(part.values)
        calls = [_chose_call(o) for o in options]
        if not all(calls) or len({c[0] for c in calls if c}) != 1:
            continue
        role = calls[0][0]  # type: ignore[index]
        actions = frozenset(c[1] for c in calls if c)
        required[role] = required[role] & actions if role in required else actions
    return required


def _syntax_error(exc: SyntaxError, text: str, lead: int) -> ExprError:
    """Python's complaint about the text, in the author's words, at the right column."""
    message = exc.msg or "syntax error"
    if not exc.offset or (exc.lineno or 1) > 1 or exc.offset > len(text):
        # Python stopped at the end: something is missing there.
        return ExprError("syntax error: the expression stops too early", len(text) + lead,
                         "something is missing at the end, such as a number after an "
                         "operator or a closing ')'")
    offset = exc.offset - 1 + lead
    hint = "check for a missing operator, bracket or comma, or a misspelt word near here"
    if "=" in text and "==" not in text and not any(c in text for c in "<>!"):
        hint = "to compare, write '==' (two equals signs)"
    elif "never closed" in message:
        hint = "add the missing ')'"
    elif message.startswith("invalid") and message.endswith("literal"):
        hint = "put a space between a number and the word after it"
    elif "unmatched" in message:
        hint = "remove the extra bracket, or add the one that opens it"
    elif "unterminated string" in message or "'" in text or '"' in text:
        hint = "ids are written without quotes, e.g. chose(government, crackdown)"
    message = message.replace("invalid syntax", "cannot read this")
    message = message.split(" (detected at")[0]
    return ExprError(f"syntax error: {message}", offset, hint)
