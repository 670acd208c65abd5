"""Read YAML text into plain data, remembering where every value came from.

PyYAML's C composer (libyaml) builds the node tree quickly and every node
carries its line and column; we construct plain Python values from it
ourselves instead of using a Loader's constructor, so we can refuse what a
scenario file should never contain, with a message an author can act on:

- tags (``!!python/object`` and friends): only plain YAML values are read;
- duplicate keys (PyYAML would silently keep the last one);
- alias bombs: anchors may be reused, but the expanded document is capped;
- very deep nesting, binary or non-UTF-8 files, empty files, and a top level
  that is not a mapping.

The positions map a path of keys and list indexes, e.g. ``("roles", 0, "id")``,
to a 1-based (line, column) pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path = tuple[str | int, ...]
Positions = dict[Path, tuple[int, int]]

MAX_BYTES = 5_000_000
MAX_DEPTH = 60
MAX_NODES = 500_000

_STR = "tag:yaml.org,2002:str"
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass(frozen=True)
class YamlProblem(Exception):
    """The text cannot be read as a scenario document."""

    message: str
    line: int = 1
    column: int = 1
    hint: str = ""


def decode(data: bytes) -> str:
    """Bytes of a file to text, refusing binary and non-UTF-8 content."""
    if len(data) > MAX_BYTES:
        raise YamlProblem(f"file is too large ({len(data):,} bytes; the limit is {MAX_BYTES:,})")
    if b"\x00" in data[:8192]:
        raise YamlProblem("this is a binary file, not a YAML text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlProblem(
            "the file is not UTF-8 text", line, column,
            "save it as UTF-8 (most editors have this under 'Save with encoding')",
        ) from None
    return text


class _Builder:
    """Constructs plain values from composed nodes, recording positions."""

    def __init__(self) -> None:
        self.positions: Positions = {}
        self.styles: dict[Path, str | None] = {}
        self.count = 0
        self._scalar = _Loader("")  # only used to resolve implicit scalar values

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlProblem(
                f"the document expands to more than {MAX_NODES:,} values",
                node.start_mark.line + 1, node.start_mark.column + 1,
                "this usually means anchors/aliases (&name / *name) that repeat each other",
            )
        if depth > MAX_DEPTH:
            raise YamlProblem(f"nested more than {MAX_DEPTH} levels deep",
                              node.start_mark.line + 1, node.start_mark.column + 1)
        self.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if node.tag not in _PLAIN_TAGS:
            raise YamlProblem(
                f"the tag '{node.tag}' is not allowed",
                node.start_mark.line + 1, node.start_mark.column + 1,
                "scenario files hold plain values only: remove the '!' tag",
            )
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise YamlProblem("merge keys ('<<') are not supported",
                                      key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                      "write the keys out in full")
                if not isinstance(key_node, yaml.ScalarNode):
                    raise YamlProblem("a key must be a plain word",
                                      key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                key = self.scalar(key_node)
                if not isinstance(key, str):
                    key = str(key).lower() if isinstance(key, bool) else str(key)
                if key in result:
                    first = self.positions.get((*path, key), (0, 0))[0]
                    raise YamlProblem(
                        f"duplicate key '{key}' (first given on line {first})",
                        key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                        "a key may appear only once in the same mapping: remove one of them",
                    )
                self.positions[(*path, key)] = (key_node.start_mark.line + 1,
                                                key_node.start_mark.column + 1)
                result[key] = self.build(value_node, (*path, key), depth + 1)
                # Point errors about a value at the value itself.
                self.positions[(*path, key)] = (value_node.start_mark.line + 1,
                                                value_node.start_mark.column + 1)
                self.positions[(*path, key, "<key>")] = (key_node.start_mark.line + 1,
                                                         key_node.start_mark.column + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        self.styles[path] = node.style
        return self.scalar(node)

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _STR:
            return node.value
        return self._scalar.construct_object(node)


@dataclass(frozen=True)
class Document:
    """Plain data read from a YAML file, and where each part was."""

    data: dict[str, Any]
    positions: Positions
    # Quoting style of each scalar ('"', "'", '|', '>' or None for plain), so a
    # column inside an expression can be mapped to the file exactly.
    styles: dict[Path, str | None]


def read_yaml(text: str) -> Document:
    """Parse YAML text into a `Document`, or raise `YamlProblem`."""
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise YamlProblem("the file is empty", 1, 1,
                          "start from 'kazsim new NAME', which writes a working scenario")
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        hint = ""
        if "mapping values are not allowed" in problem:
            hint = "a value containing ': ' must be put in quotes"
        elif "found character '\\t'" in problem:
            hint = "indent with spaces, not tabs"
        elif "could not find expected ':'" in problem:
            hint = "every line in a mapping needs 'key: value'"
        raise YamlProblem(f"YAML syntax error: {problem}", line, column, hint) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML error: {exc}") from None
    except RecursionError:
        raise YamlProblem(f"nested more than {MAX_DEPTH} levels deep") from None
    if root is None:
        raise YamlProblem("the file is empty", 1, 1)
    if not isinstance(root, yaml.MappingNode):
        raise YamlProblem("the top level must be a mapping of 'key: value' lines",
                          root.start_mark.line + 1, root.start_mark.column + 1,
                          "a scenario starts with lines such as 'id: my_scenario'")
    builder = _Builder()
    try:
        data = builder.build(root, (), 0)
    except RecursionError:
        raise YamlProblem(f"nested more than {MAX_DEPTH} levels deep") from None
    return Document(data, builder.positions, builder.styles)

