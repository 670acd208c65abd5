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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

Value = float | int | bool
Env = Mapping[str, Any]
Fn = Callable[[Env], Any]
Kind = Literal["number", "bool"]

MAX_LENGTH = 2_000
MAX_DEPTH = 40
MAX_MAGNITUDE = 1e12

FUNCTIONS = ("min", "max", "clamp", "abs", "round", "chose", "times", "previous")
CHOICE_FUNCTIONS = ("chose", "times", "previous")
BUILTIN_NAMES = {"turn": "number", "last_turn": "number"}


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

    def __call__(self, env: Env) -> Any:
        return self.fn(env)


def suggest(name: str, candidates: Iterable[str]) -> str:
    """A 'did you mean' hint for a misspelt id, or an empty string."""
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def _describe(kind: Kind) -> str:
    return "a number" if kind == "number" else "a true/false condition"


@dataclass
class _Checker:
    """Walks a parsed tree, checking it and building the closures."""

    names: Names
    allow_choices: bool
    where: str
    used: set[str] = field(default_factory=set)
    uses_choices: bool = False
    choice_roles: set[str] = field(default_factory=set)

    def fail(self, node: ast.AST, message: str, hint: str = "") -> ExprError:
        return ExprError(message, getattr(node, "col_offset", 0), hint)

    def build(self, node: ast.AST, depth: int = 0) -> tuple[Kind, Fn, Value | None]:
        """Returns (kind, closure, constant value or None)."""
        if depth > MAX_DEPTH:
            raise self.fail(node, f"expression nested more than {MAX_DEPTH} levels deep")
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise self.fail(node, self._not_allowed(node))
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
            "Tuple": "a comma here makes a tuple; did you mean 'and'?",
            "Dict": "dictionaries cannot be used in expressions",
            "Set": "sets cannot be used in expressions",
            "IfExp": "'x if c else y' is not supported; use min/max/clamp or two effects",
            "NamedExpr": "':=' is not part of the scenario language",
            "Await": "'await' is not part of the scenario language",
            "ListComp": "comprehensions are not part of the scenario language",
            "GeneratorExp": "comprehensions are not part of the scenario language",
        }
        return what.get(type(node).__name__, f"'{type(node).__name__}' is not allowed here")

    def expect(self, node: ast.AST, want: Kind, depth: int) -> tuple[Fn, Value | None]:
        kind, fn, const = self.build(node, depth)
        if kind != want:
            hint = ""
            if want == "bool" and kind == "number":
                hint = "compare it with something, e.g. 'protest_size > 50'"
            raise self.fail(node, f"expected {_describe(want)} here, found {_describe(kind)}", hint)
        return fn, const

    # --- leaves -----------------------------------------------------------------
    def _Constant(self, node: ast.Constant, depth: int) -> tuple[Kind, Fn, Value | None]:
        value = node.value
        if isinstance(value, bool):
            return "bool", (lambda env, v=value: v), value
        if isinstance(value, int | float) and not isinstance(value, complex):
            if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
                raise self.fail(node, f"number too large (the limit is {MAX_MAGNITUDE:g})")
            return "number", (lambda env, v=value: v), value
        if isinstance(value, str):
            raise self.fail(node, "text (strings) cannot be used in expressions",
                            "ids are written without quotes, e.g. chose(government, crackdown)")
        raise self.fail(node, f"'{value!r}' cannot be used in expressions")

    def _Name(self, node: ast.Name, depth: int) -> tuple[Kind, Fn, Value | None]:
        name = node.id
        if name in ("true", "True"):
            return "bool", (lambda env: True), True
        if name in ("false", "False"):
            return "bool", (lambda env: False), False
        if name.startswith("_"):
            raise self.fail(node, f"names starting with '_' are not allowed ('{name}')")
        kind: Kind
        if name in self.names.numbers or name in BUILTIN_NAMES:
            kind = "number"
        elif name in self.names.flags:
            kind = "bool"
        elif name in FUNCTIONS:
            raise self.fail(node, f"'{name}' is a function: call it with (...)")
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
            f, c = self.expect(node.operand, "number", depth)
            sign = -1 if isinstance(node.op, ast.USub) else 1
            if c is not None:
                value = sign * c
                return "number", (lambda env, v=value: v), value
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
        lf, lc = self.expect(node.left, "number", depth)
        rf, rc = self.expect(node.right, "number", depth)
        if lc is not None and rc is not None:
            value = op(lc, rc)
            if abs(value) > MAX_MAGNITUDE:
                raise self.fail(node, f"number too large (the limit is {MAX_MAGNITUDE:g})")
            return "number", (lambda env, v=value: v), value
        if rc is not None:  # the common "x / 2", "x - 10": one closure call fewer
            k = rc
            if isinstance(node.op, ast.Add):
                return "number", (lambda env: lf(env) + k), None
            if isinstance(node.op, ast.Sub):
                return "number", (lambda env: lf(env) - k), None
            if isinstance(node.op, ast.Mult):
                return "number", (lambda env: lf(env) * k), None
            if k:
                return "number", (lambda env: lf(env) / k), None
            return "number", (lambda env: 0.0), None
        if lc is not None:
            k = lc
            if isinstance(node.op, ast.Add):
                return "number", (lambda env: k + rf(env)), None
            if isinstance(node.op, ast.Sub):
                return "number", (lambda env: k - rf(env)), None
            if isinstance(node.op, ast.Mult):
                return "number", (lambda env: k * rf(env)), None
        if isinstance(node.op, ast.Add):
            return "number", (lambda env: lf(env) + rf(env)), None
        if isinstance(node.op, ast.Sub):
            return "number", (lambda env: lf(env) - rf(env)), None
        if isinstance(node.op, ast.Mult):
            return "number", (lambda env: lf(env) * rf(env)), None

        def div(env: Env) -> Any:
            d = rf(env)
            return lf(env) / d if d else 0.0

        return "number", div, None

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
                raise self.fail(node, f"'{type(op).__name__}' comparisons are not allowed",
                                "use < <= > >= == !=")
            left_kind, right_kind = built[i][0], built[i + 1][0]
            if left_kind != right_kind:
                raise self.fail(operands[i + 1], f"cannot compare {_describe(left_kind)} "
                                f"with {_describe(right_kind)}")
            if left_kind == "bool" and not isinstance(op, ast.Eq | ast.NotEq):
                raise self.fail(operands[i], "true/false values can only be compared with "
                                "== or !=")
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
                k = consts[1]
                return "bool", (lambda env: cmp(a(env), k)), None
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
            raise self.fail(node, f"{name}() takes no named arguments")
        if name in CHOICE_FUNCTIONS:
            return self._choice(node, name)
        if name not in FUNCTIONS:
            raise self.fail(node.func, f"unknown function '{name}'",
                            suggest(name, FUNCTIONS)
                            or "the functions are: " + ", ".join(FUNCTIONS))
        args = [self.expect(a, "number", depth) for a in node.args]
        fns = [a[0] for a in args]
        arity = {"abs": (1, 1), "round": (1, 1), "clamp": (3, 3), "min": (2, 20), "max": (2, 20)}
        lo, hi = arity[name]
        if not lo <= len(args) <= hi:
            expected = f"{lo}" if lo == hi else f"at least {lo}"
            raise self.fail(node, f"{name}() takes {expected} argument(s), got {len(args)}")
        impls: dict[str, Callable[..., Any]] = {
            "abs": abs,
            "round": lambda x: float(round(x)),
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
                            suggest(action, self.names.actions[role]))
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


def compile_expr(
    text: str | int | float | bool,
    names: Names,
    want: Kind,
    *,
    allow_choices: bool = True,
    where: str = "this expression",
) -> Compiled:
    """Parse, check and compile one expression, or raise `ExprError`."""
    if isinstance(text, bool | int | float):
        source = str(text).lower() if isinstance(text, bool) else repr(text)
    else:
        source = text
    if len(source) > MAX_LENGTH:
        raise ExprError(f"expression longer than {MAX_LENGTH} characters")
    stripped = source.strip()
    if not stripped:
        raise ExprError("empty expression")
    lead = len(source) - len(source.lstrip())
    if source.count("(") > MAX_DEPTH or source.count("[") > MAX_DEPTH:
        raise ExprError(f"expression nested more than {MAX_DEPTH} levels deep")
    try:
        tree = ast.parse(stripped, mode="eval")
    except SyntaxError as exc:
        offset = max((exc.offset or 1) - 1, 0) + lead
        message = (exc.msg or "syntax error").replace("invalid syntax", "cannot read this")
        hint = ""
        if "=" in stripped and "==" not in stripped and not any(c in stripped for c in "<>!"):
            hint = "to compare, write '==' (two equals signs)"
        raise ExprError(f"syntax error: {message}", offset, hint) from None
    except (ValueError, RecursionError, MemoryError, OverflowError) as exc:
        raise ExprError(f"cannot read this expression ({type(exc).__name__})") from None
    checker = _Checker(names, allow_choices, where)
    try:
        kind, fn, const = checker.build(tree.body)
    except ExprError as exc:
        exc.offset += lead
        raise
    except RecursionError:
        raise ExprError(f"expression nested more than {MAX_DEPTH} levels deep") from None
    if kind != want:
        hint = "compare it with something, e.g. 'protest_size > 50'" if want == "bool" else ""
        raise ExprError(f"expected {_describe(want)}, but this is {_describe(kind)}", lead, hint)
    return Compiled(source, kind, fn, const, frozenset(checker.used), checker.uses_choices,
                    frozenset(checker.choice_roles))
