"""Load a scenario: YAML text -> validated `Scenario` -> `CompiledScenario`.

Every problem is reported as an `AuthorError` with file, line and column, and
as many problems as can be found are reported in one go: YAML problems stop the
reading (nothing below them can be trusted), but type errors from pydantic and
the checks on ids and expressions that follow are all collected.

`load_text` is pure (text in, scenario or errors out); `load_file` is the one
function here that reads a file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kazsim.scenario import checks
from kazsim.scenario.compiled import CompiledScenario
from kazsim.scenario.errors import AuthorError, ScenarioError
from kazsim.scenario.expr import suggest
from kazsim.scenario.model import Scenario
from kazsim.scenario.variants import merge_variant
from kazsim.scenario.yamlsafe import Document, YamlProblem, decode, read_yaml
from kazsim.scenario.yamlsafe import Path as DocPath


class Locator:
    """Turns a path inside the document into a file position."""

    def __init__(self, filename: str, doc: Document) -> None:
        self.filename = filename
        self.doc = doc
        self.default_file = filename
        self.origins: dict[DocPath, str] = {}

    def retarget(self, doc: Document, default_file: str, origins: dict[DocPath, str]) -> None:
        """Point at a merged variant: paths come from `origins` files, else the base."""
        self.doc = doc
        self.default_file = default_file
        self.origins = origins

    def file_for(self, path: tuple[str | int, ...]) -> str:
        while True:
            if path in self.origins:
                return self.origins[path]
            if not path:
                return self.default_file
            path = path[:-1]

    def position(self, path: Iterable[str | int], *, key: bool = False) -> tuple[int, int]:
        parts = tuple(path)
        if key and (*parts, "<key>") in self.doc.positions:
            return self.doc.positions[(*parts, "<key>")]
        while parts and parts not in self.doc.positions:
            parts = parts[:-1]
        return self.doc.positions.get(parts, (1, 1))

    def error(self, path: Iterable[str | int], message: str, hint: str = "", *,
              key: bool = False, offset: int = 0, severity: str = "error") -> AuthorError:
        parts = tuple(path)
        line, column = self.position(parts, key=key)
        if offset:
            style = self.doc.styles.get(parts)
            if style in (None, "", '"', "'"):
                column += offset + (1 if style in ('"', "'") else 0)
        return AuthorError(self.file_for(parts), line, column, message, hint,
                           "warning" if severity == "warning" else "error")


def load_text(
    text: str | bytes,
    filename: str = "<text>",
    *,
    resolve: Any = None,
) -> tuple[CompiledScenario | None, list[AuthorError]]:
    """Validate and compile scenario text. Returns (scenario or None, problems).

    Problems include warnings; the scenario is None when any problem is an error.
    `resolve(name, from_file)` returns (bytes, filename) of a scenario named by
    `extends:`; without it, variants cannot be loaded from text.
    """
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    try:
        doc = read_yaml(decode(raw))
    except YamlProblem as problem:
        return None, [AuthorError(filename, problem.line, problem.column, problem.message,
                                  problem.hint)]
    loc = Locator(filename, doc)
    data: Mapping[str, Any] = doc.data
    if "extends" in data:
        merged, errors = merge_variant(doc, loc, resolve)
        if merged is None:
            return None, errors
        data = merged
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        return None, sorted(set(pydantic_errors(exc, data, loc)))
    compiled, problems = checks.compile_scenario(scenario, loc, _hash(raw), filename)
    problems.sort(key=lambda e: (e.line, e.column, e.message))
    if any(p.severity == "error" for p in problems):
        return None, problems
    return compiled, problems


def load_file(path: str | os.PathLike[str]) -> CompiledScenario:
    """Read and compile a scenario file, or raise `ScenarioError` with every problem."""
    compiled, problems = validate_file(path)
    if compiled is None:
        raise ScenarioError([p for p in problems if p.severity == "error"])
    return compiled


def validate_file(
    path: str | os.PathLike[str],
) -> tuple[CompiledScenario | None, list[AuthorError]]:
    """Like `load_text`, reading the file (and any file it extends) from disk."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return None, [AuthorError(name, 1, 1, "file not found",
                                  "check the path, or run 'kazsim list' to see scenario ids")]
    except IsADirectoryError:
        return None, [AuthorError(name, 1, 1, "this is a folder, not a scenario file")]
    except OSError as exc:
        return None, [AuthorError(name, 1, 1, f"cannot read the file: {exc.strerror}")]
    return load_text(raw, name, resolve=_file_resolver)


def _file_resolver(name: str, from_file: str) -> tuple[bytes, str]:
    """Find the file a variant extends: a path relative to the variant, or a bundled id."""
    candidate = Path(from_file).parent / name
    if candidate.is_file():
        return candidate.read_bytes(), str(candidate)
    from kazsim.scenario.catalog import find_scenario  # local: catalog imports load

    found = find_scenario(name)
    if found is None:
        raise FileNotFoundError(name)
    return found.read_bytes(), str(found)


def _hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


# --- pydantic errors -> author errors -----------------------------------------------------

_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list (lines starting with '- ')",
    "dict_type": "a mapping ('key: value' lines)",
    "model_type": "a mapping ('key: value' lines)",
    "date_type": "a date written YYYY-MM-DD",
    "date_parsing": "a date written YYYY-MM-DD",
    "date_from_datetime_parsing": "a date written YYYY-MM-DD",
}


def _split_loc(loc: tuple[Any, ...], data: Any) -> tuple[tuple[str | int, ...], tuple[Any, ...]]:
    """Split a pydantic location into the part that exists in the data and the rest."""
    real: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        in_map = isinstance(node, Mapping) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_map or in_list:
            node = node[part]
        else:
            return tuple(real), tuple(loc[i:])
        real.append(part)
    return tuple(real), ()


def _describe_path(path: tuple[str | int, ...], data: Any) -> str:
    """'in role 'government', action 'crackdown'' style context for messages."""
    words: list[str] = []
    node = data
    for part in path:
        node = node[part] if isinstance(node, Mapping | list) else None  # type: ignore[index]
        if isinstance(part, int) and isinstance(node, Mapping) and isinstance(node.get("id"), str):
            words.append(f"'{node['id']}'")
    return " in " + " / ".join(words) if words else ""


def _field_names(path: tuple[str | int, ...]) -> list[str]:
    """The allowed keys at a path, for 'did you mean' hints on unknown keys."""
    from kazsim.scenario import model as m

    by_list: dict[str, type[m.Model]] = {
               "sources": m.Source, "indicators": m.Indicator, "flags": m.Flag, "roles": m.Role,
               "actions": m.Action, "rules": m.Rule, "events": m.Event, "endings": m.Ending,
               "outcomes": m.Outcome, "debrief": m.DebriefItem}
    by_key: dict[str, type[m.Model]] = {"calendar": m.Calendar, "ai": m.RoleAi}
    cls: Any = m.Scenario
    names = [p for p in path if isinstance(p, str)]
    if names:
        last = names[-1]
        if last in by_list and path and isinstance(path[-1], int):
            cls = by_list[last]
        elif last == "ai" and "actions" in names:
            cls = m.AiHint
        elif last in by_key:
            cls = by_key[last]
        elif last == "roles" and len(names) > 1 and names[-2] != "roles":
            cls = m.RoleResult
    return list(cls.model_fields)


def pydantic_errors(exc: ValidationError, data: Any, loc: Locator) -> list[AuthorError]:
    out: dict[tuple[str | int, ...], AuthorError] = {}
    for err in exc.errors(include_url=False):
        real, rest = _split_loc(tuple(err["loc"]), data)
        kind = err["type"]
        context = _describe_path(real, data)
        if kind == "missing" and rest:
            field = rest[0]
            message = f"missing field '{field}'{context}"
            error = loc.error(real, message, "add it (see docs/authoring.md for every field)",
                              key=True)
        elif kind == "extra_forbidden":
            field = str(real[-1]) if real else "?"
            if " " in field:
                hint = ("this looks like part of a sentence: inside { ... } a comma ends a value, "
                        "so put text that contains a comma in quotes")
            else:
                hint = (suggest(field, _field_names(real[:-1]))
                        or "remove it, or check its indentation")
            error = loc.error(real, f"unknown field '{field}'{_describe_path(real[:-1], data)}",
                              hint, key=True)
        elif kind == "string_pattern_mismatch":
            value = err.get("input")
            error = loc.error(real, f"'{value}' is not a valid id{context}",
                              "ids use lower-case letters, digits and _, start with a letter, "
                              "and are at most 40 characters (e.g. protest_size)")
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            error = loc.error(real, f"'{err.get('input')}' is not allowed here{context}",
                              f"use one of {expected}")
        elif kind in ("too_short", "string_too_short"):
            error = loc.error(real, f"this must not be empty{context}")
        elif kind == "string_too_long":
            error = loc.error(real, f"this text is too long{context}")
        elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            error = loc.error(real, f"{err['msg'].lower().replace('input', 'value')}{context}")
        elif kind in _TYPE_WORDS or rest:
            word = _TYPE_WORDS.get(kind)
            field_path = real[-1] if real else ""
            if rest and kind not in _TYPE_WORDS:
                word = None
            if field_path == "effects" or (len(real) > 1 and real[-2] == "effects"):
                word = "a number, an expression in quotes, or true/false"
            elif rest and any(r in ("int", "float", "str", "bool") for r in rest):
                word = word or "a number or an expression"
            shown = err.get("input")
            shown_text = f" '{shown}'" if isinstance(shown, (str, int, float, bool)) else ""
            error = loc.error(real, f"expected {word or 'a different kind of value'}"
                              f"{context}, found{shown_text or ' ' + type(shown).__name__}")
        else:
            error = loc.error(real, f"{err['msg']}{context}")
        out.setdefault(real + ((rest[0],) if kind == "missing" and rest else ()), error)
    return list(out.values())


def errors_text(problems: list[AuthorError]) -> str:
    """All problems, one per line, for the terminal."""
    return "\n".join(str(p) for p in problems)


__all__ = ["ScenarioError", "DocPath", "load_file", "load_text", "validate_file", "errors_text"]
