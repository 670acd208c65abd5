"""Load a scenario: YAML text -> validated `Scenario` -> `CompiledScenario`.

Every problem is reported as an `AuthorError` with file, line and column, and
as many problems as can be found are reported in one go: YAML problems stop the
reading (nothing below them can be trusted), but type errors from pydantic and
the checks on ids and expressions that follow are all collected.

`load_text` is pure (text in, scenario or errors out); `load_file` is the one
function here that reads a file.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from kazsim.scenario import checks
from kazsim.scenario.catalog import resolve_extends
from kazsim.scenario.compiled import CompiledScenario
from kazsim.scenario.contenthash import content_hash as scenario_content_hash
from kazsim.scenario.errors import (
    AuthorError,
    ScenarioError,
    invisible,
    invisible_hint,
    number_text,
    plain_form,
    plain_hint,
)
from kazsim.scenario.expr import MAX_MAGNITUDE, suggest
from kazsim.scenario.locator import Locator
from kazsim.scenario.model import Scenario
from kazsim.scenario.variants import merge_variant
from kazsim.scenario.yamlsafe import Path as DocPath
from kazsim.scenario.yamlsafe import YamlProblem, decode, read_file, read_yaml

if TYPE_CHECKING:
    import os


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
        scenario = scenario_adapter().validate_python(data)
    except ValidationError as exc:
        return None, sorted(set(pydantic_errors(exc, data, loc)))
    content_hash = scenario_content_hash(raw, loc.base_hash)
    compiled, problems = checks.compile_scenario(scenario, loc, content_hash, filename)
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
        raw = read_file(path)
    except YamlProblem as problem:
        return None, [AuthorError(name, problem.line, problem.column, problem.message,
                                  problem.hint)]
    except FileNotFoundError:
        return None, [AuthorError(name, 1, 1, "file not found",
                                  "check the path, or run 'kazsim list' to see scenario ids")]
    except (OSError, ValueError) as exc:  # ValueError: a NUL character in the name
        reason = getattr(exc, "strerror", None) or str(exc)
        return None, [AuthorError(name, 1, 1, f"cannot read the file: {reason}",
                                  "check the path and that you may read the file")]
    return load_text(raw, name, resolve=resolve_extends)


@functools.cache
def scenario_adapter() -> TypeAdapter[Scenario]:
    """pydantic's validator (and JSON Schema maker) for the format, built once."""
    return TypeAdapter(Scenario)


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
    "dataclass_type": "a mapping ('key: value' lines)",
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


def _step(annotation: Any, part: str | int) -> Any:
    """The type one step inside `annotation` (a model, list or dict), or None."""
    candidates = [annotation]
    while candidates:
        t = candidates.pop(0)
        origin = typing.get_origin(t)
        if origin is typing.Annotated:
            candidates.insert(0, typing.get_args(t)[0])
        elif origin in (typing.Union, types.UnionType):
            candidates[:0] = list(typing.get_args(t))
        elif isinstance(part, int) and origin is list:
            return typing.get_args(t)[0]
        elif isinstance(part, str) and origin is dict:
            return typing.get_args(t)[1]
        elif isinstance(part, str) and dataclasses.is_dataclass(t) and isinstance(t, type):
            return typing.get_type_hints(t, include_extras=True).get(part)
    return None


def _field_names(path: tuple[str | int, ...]) -> list[str]:
    """The keys allowed in the mapping at `path`, for 'did you mean' hints on unknown keys."""
    annotation: Any = Scenario
    for part in path:
        annotation = _step(annotation, part)
    for t in [annotation, *typing.get_args(annotation)]:
        if isinstance(t, type) and dataclasses.is_dataclass(t):
            return [f.name for f in dataclasses.fields(t)]
    return []


_EXPRESSION_FIELDS = {"when", "available", "score", "weight", "revealed"}
_NUMBER_WORDS = {"int": "a whole number", "float": "a number"}


def _shown(value: Any) -> str:
    """A value as an error message quotes it."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else f"'{value[:37]}...'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    return type(value).__name__


def _expected(kind: str, branches: set[str], field: str | int, in_effects: bool) -> str:
    """What a field wanted, in words, from pydantic's error type and union branches."""
    if in_effects:
        return "a number, an expression in quotes, or true/false"
    if field == "visible_to":
        return "'all' or a list of role ids"
    strs = {b for b in branches if b.endswith("str")}
    if strs and branches & {"int", "float"}:
        return "a number or an expression in quotes"
    if branches and branches <= {"int", "float"}:
        return "a number"
    if field in _EXPRESSION_FIELDS and kind == "string_type":
        return "an expression in quotes"
    return _TYPE_WORDS.get(kind, "a different kind of value")


def _alternatives_at(loc: tuple[Any, ...]) -> int | None:
    """Where a pydantic location enters the alternatives branch of a union, if it does."""
    return next((i for i, part in enumerate(loc)
                 if isinstance(part, str) and part.endswith("Alternative]")), None)


def _one_branch(raw: list[Any], data: Any) -> list[Any]:
    """Of a text or result that may be written as alternatives (`model.Told`,
    `model.ToldResult`), only the errors of the form the author chose: the alternatives'
    when the value is a list (located in it, as if there were no union), else the rest."""
    unions = {tuple(err["loc"])[:at] for err in raw
              if (at := _alternatives_at(tuple(err["loc"]))) is not None}

    def a_list(path: tuple[Any, ...]) -> bool:
        real, rest = _split_loc(path, data)
        node: Any = data
        for part in real:
            node = node[part]
        return not rest and isinstance(node, list)

    out = []
    for err in raw:
        loc = tuple(err["loc"])
        at = _alternatives_at(loc)
        if at is not None:
            if a_list(loc[:at]):
                out.append({**err, "loc": loc[:at] + loc[at + 1:]})
        elif not (loc[:-1] in unions and a_list(loc[:-1])):
            out.append(err)
    return out


# Parts of the format that a union takes as a mapping (an effect written out): when the
# author wrote a mapping there, only that branch's errors are said, as if it were alone.
_MAPPING_BRANCHES = frozenset({"EffectDetail", "TurnSpan"})
# Of those, the ones that are no candidate for a value that is not a mapping: its errors
# there go, so a misspelt word is told the words it may be (`turn_length: fortnite`).
_ONLY_MAPPINGS = frozenset({"TurnSpan"})


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _mapping_branch(raw: list[Any], data: Any) -> list[Any]:
    """pydantic's errors with a mapping branch of a union (`_MAPPING_BRANCHES`) taken alone
    where the author wrote a mapping: the other branches' errors go, and the branch's tag
    leaves the location."""
    tagged: list[tuple[tuple[str | int, ...], bool, Any]] = []
    mapped: set[tuple[str | int, ...]] = set()
    for err in raw:
        real, rest = _split_loc(tuple(err["loc"]), data)
        ours = bool(rest) and rest[0] in _MAPPING_BRANCHES and isinstance(_at(data, real),
                                                                          Mapping)
        if rest and rest[0] in _ONLY_MAPPINGS and not isinstance(_at(data, real), Mapping):
            continue
        if ours:
            mapped.add(real)
            err = {**err, "loc": (*real, *rest[1:])}
        tagged.append((real, ours, err))
    if not mapped:
        return [err for _, _, err in tagged]
    return [err for real, ours, err in tagged if ours or real not in mapped]


def pydantic_errors(exc: ValidationError, data: Any, loc: Locator) -> list[AuthorError]:
    """pydantic's validation errors as author errors: one per place, in the author's words."""
    raw = _one_branch(_mapping_branch(exc.errors(include_url=False), data), data)
    branches: dict[tuple[str | int, ...], set[str]] = {}
    for err in raw:
        real, rest = _split_loc(tuple(err["loc"]), data)
        if rest and err["type"] != "missing":
            branches.setdefault(real, set()).add(str(rest[0]))
    # .inf and .nan are numbers to YAML, but not numbers a scenario can use.
    infinite = {_split_loc(tuple(err["loc"]), data)[0] for err in raw
                if err["type"] == "finite_number"}
    # Text that is too long is wrong for that reason, not for not being a number: of a
    # union's errors (an effect is true/false, a number or an expression), say that one.
    too_long = {_split_loc(tuple(err["loc"]), data)[0]: i for i, err in enumerate(raw)
                if err["type"] == "string_too_long" and isinstance(err.get("input"), str)}
    out: dict[tuple[str | int, ...], AuthorError] = {}
    for number, err in enumerate(raw):
        real, rest = _split_loc(tuple(err["loc"]), data)
        if too_long.get(real, number) != number:
            continue
        kind = err["type"]
        value = err.get("input")
        ctx = err.get("ctx") or {}
        field = real[-1] if real else ""
        parent = next((p for p in reversed(real) if isinstance(p, str)), "")
        name = f"'{field}'" if isinstance(field, str) else f"an entry of '{parent}'"
        # The context names the enclosing items, not the one whose id is wrong.
        context = _describe_path(real[:-2] if field == "id" else real[:-1], data)
        if kind == "missing" and rest:
            error = loc.error(real, f"missing field '{rest[0]}'{_describe_path(real, data)}",
                              "add it (see docs/authoring.md for every field)", key=True)
        elif kind == "unexpected_keyword_argument":  # a key the format does not have
            field_text = str(field) if real else "?"
            if (hidden := invisible(field_text)) is not None:
                hint = f"it contains {hidden[1]}; {invisible_hint(field_text)}"
            elif " " in field_text or (value is None and not _ID.fullmatch(field_text)):
                hint = ("this looks like part of a sentence: inside { ... } a comma ends a value, "
                        "so put text that contains a comma in quotes")
            else:
                hint = (suggest(field_text, _field_names(real[:-1]))
                        or "remove it, or check its indentation")
            error = loc.error(real, f"unknown field '{field_text}'{context}", hint, key=True)
        elif real in infinite:
            error = loc.error(real, f"{name}{context} must be an ordinary number, found "
                              f"{_shown(value)}", f"numbers in a scenario stay between "
                              f"-{MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g}")
        elif kind == "string_pattern_mismatch":
            padded = isinstance(value, str) and value != value.strip() and bool(value.strip())
            plain = plain_form(value) if isinstance(value, str) else None
            if isinstance(value, str) and (hidden := invisible(value)) is not None:
                id_hint = f"it contains {hidden[1]}; {invisible_hint(value)}"
            elif padded:
                id_hint = ("remove the spaces at its start or end: an id is a single word "
                           "such as protest_size")
            elif plain is not None and _ID.fullmatch(plain):
                id_hint = plain_hint(plain)
            else:
                id_hint = ("ids use lower-case letters, digits and _, start with a letter, "
                           "and are at most 40 characters (e.g. protest_size)")
            error = loc.error(real, f"{_shown(value)} is not a valid id{context}", id_hint)
        elif kind == "literal_error" and len(branches.get(real, ())) <= 1:
            place = f"for {name}" if isinstance(field, str) else f"in '{parent}'"
            span = (", or a number of days with its label: {days: 3, label: three days}"
                    if field == "turn_length" else "")
            error = loc.error(real, f"{_shown(value)} is not allowed {place}{context}",
                              f"use one of {ctx.get('expected', '')}{span}")
        elif kind in ("too_short", "string_too_short"):
            hint = ("add at least one entry" if kind == "too_short"
                    else "write an expression, such as 'trust > 50'"
                    if field in _EXPRESSION_FIELDS else "write some text here")
            error = loc.error(real, f"{name}{context} must not be empty", hint)
        elif kind == "string_too_long":
            limit = ctx.get("max_length", 0)
            length = len(value) if isinstance(value, str) else 0
            hint = (_expr_hint if field in _EXPRESSION_FIELDS or limit == 2_000
                    else "shorten it")
            error = loc.error(real, f"{name}{context} is too long ({length:,} characters; the "
                              f"limit is {limit:,})", hint)
        elif kind in _BOUNDS:
            word, key_name = _BOUNDS[kind]
            limit = ctx.get(key_name)
            shown_limit = f"{limit:g}" if isinstance(limit, float) else str(limit)
            error = loc.error(real, f"{name}{context} must be {word} {shown_limit}, found "
                              f"{_shown(value)}")
        elif kind in _TYPE_WORDS or rest:
            in_effects = len(real) > 1 and real[-2] == "effects"
            word = _expected(kind, branches.get(real, set()), field, in_effects)
            hint = ""
            if field in _EXPRESSION_FIELDS and isinstance(value, bool):
                hint = ("write a condition such as \"protest_size > 50\"; to leave it out, "
                        "delete the line")
            elif word.startswith("an expression") and isinstance(value, int | float) and (
                    "digits)" not in _shown(value)):
                hint = f"put it in quotes: '{_shown(value)}'"
            elif value is None and word == "text" and loc.doc.written.get(real):
                hint = (f"'{loc.doc.written[real]}' means nothing in YAML: to write the word, "
                        f"put it in quotes: \"{loc.doc.written[real]}\"")
            elif value is None:
                hint = "give a value after the ':', or delete the line"
            elif in_effects and isinstance(value, list):
                hint = "to draw the amount between two bounds, write {add: [5, 15]}"
            elif field == "add" and isinstance(value, list):
                hint = "give two bounds, the lower first: add: [5, 15]"
            elif isinstance(value, str) and (hidden := invisible(value)) is not None:
                hint = f"it contains {hidden[1]}; {invisible_hint(value)}"
            elif field == "visible_to":
                hint = "for example visible_to: [government]"
            elif word == "text" and isinstance(value, Mapping) and "text" in value:
                hint = ("to write a text as alternatives, give a list of them, each "
                        "'- when: ...' with its 'text:' (an entry of a list, such as a goal, "
                        "is then a list inside the list)")
            elif word == "text" and field == "id" and isinstance(value, bool | int | float):
                hint = "an id starts with a lower-case letter, e.g. protest_size or round_2"
            elif word == "text" and isinstance(value, bool | int | float):
                # Quote what the author wrote (False, 1e3, 0x10), not what YAML read.
                written = loc.doc.written.get(real, _shown(value))
                hint = f"put it in quotes: \"{written}\"" if len(written) <= 60 else ""
            elif word == "a whole number" and isinstance(value, float) and value.is_integer():
                hint = f"write it without the decimal point: {int(value)}"
            elif word in ("a whole number", "a number") and isinstance(value, bool):
                hint = "write a number here (true and false are for yes/no fields)"
            elif (word == "true or false" and isinstance(value, str)
                  and value.lower() in _YES_NO and loc.doc.styles.get(real, "?") in (None, "")):
                hint = (f"write {_YES_NO[value.lower()]} instead: yes, no, on and off are "
                        "words, not true/false (YAML 1.2)")
            elif word == "true or false" and (
                    (isinstance(value, int) and not isinstance(value, bool) and value in (0, 1))
                    or (isinstance(value, str)
                        and value.lower() in (*_YES_NO, "true", "false"))):
                hint = "write true or false, without quotes"
            where = f" for {name}" if isinstance(field, str) and field else ""
            error = loc.error(real, f"expected {word}{where}{context}, found {_shown(value)}",
                              hint)
        else:
            error = loc.error(real, f"{err['msg']}{context}",
                              "see docs/authoring.md for what this field takes")
        out.setdefault(real + ((rest[0],) if kind == "missing" and rest else ()), error)
    return list(out.values())


def _other_branches(branches: set[str], value: Any) -> set[str]:
    """A union's branches that could have taken `value`: a list of alternatives
    (`model.Told`, `model.ToldResult`) is no candidate for a value that is not a list."""
    return branches if isinstance(value, list) else {
        b for b in branches if not b.endswith("Alternative]")}


_ID = re.compile(r"[a-z_][a-z0-9_]*")
# Words that YAML 1.1 read as true/false; YAML 1.2 (and kazsim) reads them as text.
_YES_NO = {"yes": "true", "y": "true", "on": "true", "no": "false", "n": "false",
           "off": "false"}
_BOUNDS = {
    "greater_than_equal": ("at least", "ge"),
    "less_than_equal": ("at most", "le"),
    "greater_than": ("greater than", "gt"),
    "less_than": ("less than", "lt"),
}
_expr_hint = "split it into simpler parts, for example two rules or a flag"


def errors_text(problems: list[AuthorError]) -> str:
    """All problems, one per line, for the terminal."""
    return "\n".join(str(p) for p in problems)


__all__ = ["ScenarioError", "DocPath", "Locator", "load_file", "load_text", "validate_file",
           "errors_text"]
