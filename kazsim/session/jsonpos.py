"""Where a value sits in a JSON text: for messages that point at a line and column.

`json.loads` keeps no positions, so when validation fails the path pydantic
reports (('turns', 3, 'decisions')) is found again by scanning the text; this
only runs on a document already known to parse.
"""

from __future__ import annotations

import json
from typing import Any


def json_path(loc: tuple[Any, ...]) -> str:
    """('turns', 3, 'decisions') -> 'turns[3].decisions' (union tags left out)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("human", "ai") and out.startswith("players."):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


def locate(text: str, loc: tuple[Any, ...]) -> tuple[int, int] | None:
    """Line and column of the value at `loc` in JSON `text` (already known to parse)."""
    decoder = json.JSONDecoder()
    index = _skip(text, 0)
    for part in loc:
        if part in ("human", "ai") and index < len(text) and text[index] == "{":
            continue
        found = _child(text, index, part, decoder)
        if found is None:
            break
        index = found
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n\ufeff":
        index += 1
    return index


def _child(text: str, index: int, part: Any, decoder: json.JSONDecoder) -> int | None:
    """Where the member `part` of the object or list at `index` starts."""
    opener = text[index] if index < len(text) else ""
    if opener not in "{[" or not opener:
        return None
    index = _skip(text, index + 1)
    position = 0
    while index < len(text) and text[index] not in "}]":
        if opener == "{":
            key, index = json.decoder.scanstring(text, index + 1)  # type: ignore[attr-defined]
            index = _skip(text, _skip(text, index) + 1)  # past ':'
            if key == part:
                return index
        elif position == part:
            return index
        _, index = decoder.raw_decode(text, index)
        index = _skip(text, index)
        if index < len(text) and text[index] == ",":
            index = _skip(text, index + 1)
        position += 1
    return None
