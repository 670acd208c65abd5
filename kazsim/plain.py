"""The format's dataclasses as plain JSON data, and back, without pydantic.

`to_plain` turns a validated part of the format (a `Scenario`, a `Role`...)
into JSON data: every field of every dataclass, dates as YYYY-MM-DD.
`from_plain` rebuilds it, or says it cannot (None, never an exception). It is
what lets the scenario cache (`kazsim.cache`) keep validated scenarios as data,
never code, and rebuild them at start-up without importing pydantic.

The decoder is driven by the dataclasses' type hints, so a change to the format
needs no change here, and it accepts only what validation could have produced:

* exact JSON types: ``1``, ``1.0`` and ``true`` stay apart, a number field
  takes no text, finite numbers only;
* every field present and no other, lists and mappings as annotated, the
  members of a `Literal`, text without surrounding spaces (the format strips
  it), dates as YYYY-MM-DD;
* the bounds a field's `Spec` sets (``ge``, ``le``, ``gt``, ``lt``,
  ``min_length``, ``max_length``, ``pattern``). A `Spec` with any other
  constraint, or an annotation of a kind it does not know, is refused when the
  decoder is built (a test decodes every bundled scenario, so it shows).

The tests show that whatever it accepts, pydantic validates to the same value.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import math
import re
import types
import typing
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

from kazsim.scenario.model import Spec

Part = TypeVar("Part")


def to_plain(value: Any) -> Any:
    """A part of the format as JSON data: dataclasses as objects of every field, dates as
    YYYY-MM-DD. Raises TypeError for anything else."""
    kind = type(value)
    if kind in (str, int, float, bool) or value is None:
        return value
    if kind is list:
        return [to_plain(item) for item in value]
    if kind is dict:
        if not all(type(key) is str for key in value):
            raise TypeError("a mapping with keys that are not text")
        return {key: to_plain(item) for key, item in value.items()}
    if kind is dt.date:
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    raise TypeError(f"{kind.__name__} is not part of the format")


def from_plain(cls: type[Part], plain: Any) -> Part | None:
    """The `cls` (a dataclass of the format) that `plain` describes, exactly as validation
    would give it; None when it is not one (wrong types, missing or extra keys, out of
    bounds...). Never raises for any data."""
    try:
        part: Part = _decoder_of(typing.cast(type, cls))(plain)
    except (_MissError, ValueError, TypeError, RecursionError):
        return None
    return part


class _MissError(Exception):
    """The data does not describe a valid part of the format."""


_Decode = Callable[[Any], Any]
# `strip_whitespace` and `allow_inf_nan` need no check of their own: every text is refused
# with surrounding spaces (the format strips them, and an id that keeps them fails its
# pattern), and every number must be finite.
_CONSTRAINTS = frozenset({"strict", "ge", "le", "gt", "lt", "min_length", "max_length",
                          "pattern", "strip_whitespace", "allow_inf_nan"})


def _miss() -> NoReturn:
    raise _MissError


@functools.cache
def _decoder_of(cls: type) -> _Decode:
    """The decoder of a dataclass of the format, from its type hints."""
    hints = typing.get_type_hints(cls, include_extras=True)
    fields = tuple((f.name, _decoder(hints[f.name])) for f in dataclasses.fields(cls))
    names = frozenset(name for name, _ in fields)

    def decode(value: Any) -> Any:
        if type(value) is not dict or value.keys() != names:
            _miss()
        return cls(**{name: part(value[name]) for name, part in fields})

    return decode


_DECODERS: dict[Any, _Decode] = {}


def _decoder(hint: Any) -> _Decode:
    """A decoder for one annotation: exact JSON types, no conversion but dates."""
    key = (hint, typing.get_args(hint))  # the arguments' order too: int | str != str | int
    try:
        return _DECODERS[key]
    except KeyError:
        decode = _DECODERS[key] = _new_decoder(hint)
        return decode
    except TypeError:  # an annotation that cannot be a key
        return _new_decoder(hint)


def _new_decoder(hint: Any) -> _Decode:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Annotated:
        decode = _decoder(args[0])
        for extra in args[1:]:
            if isinstance(extra, Spec):
                decode = _constrained(decode, extra.constraints)
        return decode
    if origin is typing.Literal:
        allowed = tuple((type(v), v) for v in args)
        return lambda value: value if (type(value), value) in allowed else _miss()
    if origin in (typing.Union, types.UnionType):
        return _union(hint)
    if origin is list:
        item = _decoder(args[0])
        return lambda value: [item(v) for v in value] if type(value) is list else _miss()
    if origin is dict:
        key, item = _decoder(args[0]), _decoder(args[1])
        return lambda value: ({key(k): item(v) for k, v in value.items()}
                              if type(value) is dict else _miss())
    if hint is str:
        return lambda value: value if type(value) is str and value.strip() == value else _miss()
    if hint is float:
        return lambda value: value if type(value) is float and math.isfinite(value) else _miss()
    if hint in (int, bool, type(None)):
        return lambda value: value if type(value) is hint else _miss()
    if hint is dt.date:
        return _date
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _decoder_of(hint)  # the format has no recursive parts
    raise TypeError(f"kazsim.plain cannot decode {hint!r}: teach it")


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date(value: Any) -> dt.date:
    if type(value) is not str or not _ISO_DATE.fullmatch(value):
        _miss()
    return dt.date.fromisoformat(value)  # ValueError (a miss) for 2022-02-30


def _json_kinds(hint: Any) -> frozenset[type]:
    """The JSON value types an annotation can be decoded from."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Annotated:
        return _json_kinds(args[0])
    if origin is typing.Literal:
        return frozenset(type(v) for v in args)
    if origin in (typing.Union, types.UnionType):
        return frozenset().union(*(_json_kinds(a) for a in args))
    if origin is list:
        return frozenset({list})
    if origin is dict or dataclasses.is_dataclass(hint):
        return frozenset({dict})
    return frozenset({str}) if hint is dt.date else frozenset({hint})


def _union(hint: Any) -> _Decode:
    """A union: the alternatives that take the value's JSON type, tried in order."""
    alternatives = [(_json_kinds(a), _decoder(a)) for a in typing.get_args(hint)]
    table: dict[type, list[_Decode]] = {}
    for kinds, alternative in alternatives:
        for kind in kinds:
            table.setdefault(kind, []).append(alternative)
    single = {kind: found[0] for kind, found in table.items() if len(found) == 1}
    several = {kind: tuple(found) for kind, found in table.items() if len(found) > 1}

    def decode(value: Any) -> Any:
        kind = type(value)
        if kind in single:
            return single[kind](value)
        for option in several.get(kind, ()):
            with contextlib.suppress(_MissError):
                return option(value)
        _miss()

    return decode


def _constrained(decode: _Decode, constraints: dict[str, Any]) -> _Decode:
    """`decode`, then the bounds pydantic applies from a `Spec` (None is never bounded)."""
    unknown = set(constraints) - _CONSTRAINTS
    if unknown:
        raise TypeError(f"kazsim.plain cannot check {sorted(unknown)}: teach it")
    low, high = constraints.get("ge"), constraints.get("le")
    above, below = constraints.get("gt"), constraints.get("lt")
    shortest, longest = constraints.get("min_length"), constraints.get("max_length")
    pattern = constraints.get("pattern")
    search = re.compile(pattern).search if pattern is not None else None
    if all(c is None for c in (low, high, above, below, shortest, longest, search)):
        return decode  # only `strict`: the decoders take exact types anyway

    def check(value: Any) -> Any:
        value = decode(value)
        if value is None:
            return value
        if ((low is not None and not value >= low) or (high is not None and not value <= high)
                or (above is not None and not value > above)
                or (below is not None and not value < below)
                or (shortest is not None and len(value) < shortest)
                or (longest is not None and len(value) > longest)
                or (search is not None and not search(value))):
            _miss()
        return value

    return check


__all__ = ["from_plain", "to_plain"]
