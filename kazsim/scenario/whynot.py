"""Why an action is unavailable, in plain words, read from its `available` condition.

An author may write `unavailable_text` by hand, but it can drift from the
condition. `why_not` compiles, once at load, each part of the condition that
must hold (the parts of an `and`) into a test and a phrase, so that when the
condition is false the engine can name the part or parts that failed:
"needs Protest size below 30 (now 42)" for ``protests < 30``, "needs State of
emergency" for a flag, "needs no Martial law" for ``not martial_law``.

Values a role may not see (an indicator or flag whose `visible_to` leaves it
out) are never shown: such a part reads "needs a condition you cannot see".
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass

from kazsim.scenario.effects import fmt
from kazsim.scenario.expr import Env, ExprError, Fn, Kind, Names, compile_expr

HIDDEN = "a condition you cannot see"
_OPS: dict[type, str] = {ast.Lt: "below", ast.LtE: "at most", ast.Gt: "above",
                         ast.GtE: "at least", ast.Eq: "equal to", ast.NotEq: "other than"}
_FLIP: dict[type, type] = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE,
                           ast.Eq: ast.Eq, ast.NotEq: ast.NotEq}


@dataclass(frozen=True)
class Words:
    """How the scenario's ids read: indicator and flag labels, role names, action labels."""

    labels: Mapping[str, str]
    roles: Mapping[str, str]
    actions: Mapping[tuple[str, str], str]


@dataclass(frozen=True, slots=True)
class _Part:
    holds: Fn
    words: Callable[[Env], str]
    reads: frozenset[str]


@dataclass(frozen=True, slots=True)
class WhyNot:
    """The parts of a condition that must all hold, each with its phrase."""

    parts: tuple[_Part, ...]

    def reads(self) -> frozenset[str]:
        """The ids the parts read (to find those a role may not see)."""
        return frozenset().union(*(p.reads for p in self.parts))

    def __call__(self, env: Env, hidden: Container[str] = ()) -> str:
        """The failing parts, as "needs A, and B"; empty when every part holds."""
        phrases: list[str] = []
        for part in self.parts:
            if part.holds(env):
                continue
            phrase = HIDDEN if any(n in hidden for n in part.reads) else part.words(env)
            if phrase not in phrases:
                phrases.append(phrase)
        return "needs " + ", and ".join(phrases) if phrases else ""


def _names_in(node: ast.AST) -> frozenset[str]:
    found = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            found.add(child.id)
        if isinstance(child, ast.Call) and isinstance(child.func, ast.Name):
            found.discard(child.func.id)
    return frozenset(found)


class _Builder:
    def __init__(self, names: Names, words: Words) -> None:
        self.names = names
        self.words = words

    def fn(self, node: ast.expr) -> Fn:
        text = ast.unparse(node)
        kinds: tuple[Kind, ...] = ("number", "bool")
        for kind in kinds:
            try:
                return compile_expr(text, self.names, kind, allow_choices=False).fn
            except ExprError:
                continue
        raise ValueError(f"not a checked expression: {text}")  # pragma: no cover

    def noun(self, node: ast.expr) -> str:
        """A value in words: a label, a number, or the expression as written."""
        if isinstance(node, ast.Name):
            if node.id == "turn":
                return "the turn"
            if node.id == "last_turn":
                return "the last turn"
            return self.words.labels.get(node.id, node.id)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return fmt(node.value)
        choice = self.choice(node)
        if choice is not None and choice[0] == "times":
            return f"the number of turns {choice[1]} chose '{choice[2]}'"
        return ast.unparse(node)

    def choice(self, node: ast.AST) -> tuple[str, str, str] | None:
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in ("previous", "times") and len(node.args) == 2
                and all(isinstance(a, ast.Name) for a in node.args)):
            role, action = (a.id for a in node.args)  # type: ignore[attr-defined]
            return (node.func.id, self.words.roles.get(role, role),
                    self.words.actions.get((role, action), action))
        return None

    def phrase(self, node: ast.expr) -> Callable[[Env], str]:
        """What must hold, in words (without "needs")."""
        if isinstance(node, ast.Name) and node.id in self.names.flags:
            label = self.words.labels.get(node.id, node.id)
            return lambda env: label
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = node.operand
            if isinstance(inner, ast.Name) and inner.id in self.names.flags:
                label = self.words.labels.get(inner.id, inner.id)
                return lambda env: f"no {label}"
            negated = self.choice(inner)
            if negated is not None and negated[0] == "previous":
                text = f"{negated[1]} not to have chosen '{negated[2]}' last turn"
                return lambda env: text
        choice = self.choice(node)
        if choice is not None and choice[0] == "previous":
            text = f"{choice[1]} to have chosen '{choice[2]}' last turn"
            return lambda env: text
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            return self.comparison(node.left, type(node.ops[0]), node.comparators[0])
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            options = [self.phrase(v) for v in node.values]
            return lambda env: "either " + " or ".join(o(env) for o in options)
        text = ast.unparse(node)
        return lambda env: f"'{text}'"

    def comparison(self, left: ast.expr, op: type, right: ast.expr) -> Callable[[Env], str]:
        if isinstance(left, ast.Constant) and not isinstance(right, ast.Constant):
            left, right, op = right, left, _FLIP[op]
        subject, word, target = self.noun(left), _OPS[op], self.noun(right)
        if isinstance(left, ast.Constant):  # nothing varies: no "now"
            return lambda env: f"{subject} {word} {target}"
        value = self.fn(left)
        return lambda env: f"{subject} {word} {target} (now {fmt(value(env))})"


def _conjuncts(node: ast.expr) -> list[ast.expr]:
    """The parts that must all hold: an `and`'s parts, a chain's comparisons."""
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        return [p for v in node.values for p in _conjuncts(v)]
    if isinstance(node, ast.Compare) and len(node.ops) > 1:
        operands = [node.left, *node.comparators]
        return [ast.Compare(operands[i], [op], [operands[i + 1]])
                for i, op in enumerate(node.ops)]
    return [node]


def why_not(tree: ast.expr, names: Names, words: Words) -> WhyNot:
    """Compile a checked condition's parts, each with the phrase that names it."""
    builder = _Builder(names, words)
    parts = []
    for node in _conjuncts(tree):
        ast.fix_missing_locations(node)
        reads = _names_in(node) & (names.numbers | names.flags)
        parts.append(_Part(builder.fn(node), builder.phrase(node), reads))
    return WhyNot(tuple(parts))
