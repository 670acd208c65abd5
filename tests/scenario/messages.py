"""Every message the validator can give, read from its source code.

The loader's modules report problems by calling a handful of functions
(`YamlProblem(...)`, `ExprError(...)`, `AuthorError(...)`, and the `error`,
`warn` and `fail` helpers). This module finds those calls with `ast` and turns
each literal message into a pattern, so tests can check that every message is
produced by some corpus case and documented in docs/errors.md.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "kazsim" / "scenario" / name
           for name in ("yamlsafe.py", "load.py", "checks.py", "expr.py", "variants.py",
                        "told.py", "effects.py")]
# Where the message is among a call's positional arguments.
MESSAGE_ARG = {"YamlProblem": 0, "ExprError": 0, "AuthorError": 3, "error": 1, "warn": 1,
               "fail": 1}


@dataclass(frozen=True)
class Template:
    """One message as written in the source: literal text with holes for values."""

    file: str
    line: int
    text: str  # the literal parts, holes shown as {}
    pattern: re.Pattern[str]

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.text}"


def _parts(node: ast.expr) -> list[str | None] | None:
    """Literal pieces of a message (None for a hole), or None if it is not a literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        out: list[str | None] = []
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                out.append(value.value)
            else:
                out.append(None)
        return out
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _parts(node.left), _parts(node.right)
        if left is not None and right is not None:
            return left + right
        if left is not None:
            return [*left, None]
    return None


def templates() -> list[Template]:
    found: list[Template] = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            index = MESSAGE_ARG.get(name)
            if index is None:
                continue
            if any(isinstance(a, ast.Starred) for a in node.args[:index]):
                index -= 1  # AuthorError(file, *position, message): the position is two
            if len(node.args) > index:
                found.extend(_template(path, node.args[index]))
        for node in ast.walk(tree):  # expr.py's table of refused constructs
            if isinstance(node, ast.FunctionDef) and node.name == "_not_allowed":
                for item in ast.walk(node):
                    if isinstance(item, ast.Dict):
                        for value in item.values:
                            found.extend(_template(path, value))
    return found


def _template(path: Path, node: ast.expr) -> list[Template]:
    parts = _parts(node)
    if parts is None or not any(parts):  # not a literal, or nothing but holes
        return []
    regex = "".join(".*?" if p is None else re.escape(p) for p in parts)
    text = "".join("{}" if p is None else p for p in parts)
    return [Template(path.name, node.lineno, text, re.compile(regex + r"\Z", re.DOTALL))]
