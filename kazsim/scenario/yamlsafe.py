"""Read YAML text into plain data, remembering where every value came from.

PyYAML's C composer (libyaml) builds the node tree quickly and every node
carries its line and column; we construct plain Python values from it
ourselves instead of using a Loader's constructor, so we can refuse what a
scenario file should never contain, with a message an author can act on:

- tags (``!!python/object`` and friends): only plain YAML values are read;
- duplicate keys (PyYAML would silently keep the last one);
- alias bombs: anchors may be reused, but the expanded document is capped, and
  its size is worked out from the composed nodes (each counted once) before
  anything is built, so refusing a bomb costs no more than reading the file;
- files that are not regular files (a FIFO, /dev/zero) or larger than
  `MAX_BYTES`: `read_file` reads at most that much, through
  `kazsim.untrusted.read_regular`;
- very deep nesting, binary or non-UTF-8 files, empty files, and a top level
  that is not a mapping.

The positions map a path of keys and list indexes, e.g. ``("roles", 0, "id")``,
to a 1-based (line, column) pair.
"""

from __future__ import annotations

import pathlib
import re
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from kazsim.scenario.errors import INVISIBLE, invisible, invisible_hint
from kazsim.scenario.limits import MAX_BYTES as MAX_BYTES  # the one limit, kept apart
from kazsim.untrusted import FileTooLargeError, NotARegularFileError, read_regular

if TYPE_CHECKING:
    from os import PathLike

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path = tuple[str | int, ...]
Positions = dict[Path, tuple[int, int]]

MAX_DEPTH = 60
MAX_NODES = 200_000  # the largest bundled scenario has about 3,300 values

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"
_MAP = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG
_SEQ = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
_ESCAPE_HINT = "write '\\\\' for a backslash, or put the text in single quotes instead"
_DEEP_HINT = ("a scenario needs only a few levels of indentation: check for a runaway "
              "indentation or brackets that are opened and never closed")
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


# The YAML 1.2 core schema's plain scalars (yaml.org/spec/1.2.2, section 10.3.2): only
# these words are true/false or null, and numbers are decimal, 0o octal or 0x hex. So
# `yes`, `no`, `on`, `off`, `y` and `n` are text, `0123` is 123 (not octal), `1e3` is a
# number, `1_000`, `0b11` and `1:30` are text, and a date is text that the format reads.
# Editors (yaml-language-server) and other YAML 1.2 readers give the same values.
_CORE: tuple[tuple[str, re.Pattern[str]], ...] = (
    (_NULL, re.compile(r"(?:null|Null|NULL|~)?")),
    (_BOOL, re.compile(r"true|True|TRUE|false|False|FALSE")),
    (_INT, re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")),
    (_FLOAT, re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")),
)


def core_tag(value: str) -> str:
    """The YAML 1.2 core schema's tag for a plain (unquoted) scalar."""
    if value == "<<":
        return _MERGE  # YAML 1.1's merge key: kept apart so that it can be refused
    for tag, pattern in _CORE:
        if pattern.fullmatch(value):
            return tag
    return _STR


class _ScenarioLoader(_Loader):
    """libyaml's loader with the YAML 1.2 core schema's choice of each plain scalar's type.

    PyYAML resolves types by YAML 1.1's rules (`yes` is true, `0123` is octal 83), which
    editors and other YAML 1.2 readers do not share. `resolve` answers quoted text at
    once and remembers the answer for each plain value within one file (the same words
    recur).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._tags: dict[str, str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not yaml.ScalarNode:
            return _MAP if kind is yaml.MappingNode else _SEQ
        if not implicit[0]:
            return _STR
        tag = self._tags.get(value)
        if tag is None:
            tag = self._tags[value] = core_tag(value)
        return tag


def _core_int(text: str) -> int:
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text, 10)  # '0123' is 123: YAML 1.2 has no leading-zero octal


def _core_float(text: str) -> float:
    lowered = text.lower()
    if lowered.endswith((".inf", ".nan")):
        return float(lowered.replace(".", ""))  # '-.inf' -> float('-inf'), '.nan' -> nan
    return float(text)


def _core_bool(text: str) -> bool:
    return text.lower() == "true"


def _core_null(text: str) -> None:
    return None


# What each tag's text must look like, whether the tag is implied or written out
# (`!!bool yes` is not a boolean in YAML 1.2 either): text that does not fit is kept as
# text, and the field's type decides.
_CONSTRUCT: dict[str, tuple[re.Pattern[str], Callable[[str], Any]]] = {
    _NULL: (_CORE[0][1], _core_null),
    _BOOL: (_CORE[1][1], _core_bool),
    _INT: (_CORE[2][1], _core_int),
    _FLOAT: (_CORE[3][1], _core_float),
}


@dataclass(frozen=True)
class YamlProblem(Exception):
    """The text cannot be read as a scenario document."""

    message: str
    line: int = 1
    column: int = 1
    hint: str = ""


def _too_large(size: int) -> YamlProblem:
    return YamlProblem(f"the file is too large ({size:,} bytes; the limit is {MAX_BYTES:,})",
                       1, 1, "a scenario is a text file of a few hundred kilobytes at most: "
                       "check that this is the right file")


def read_file(path: str | PathLike[str]) -> bytes:
    """The bytes of a scenario file: a regular file of at most `MAX_BYTES`.

    Raises `YamlProblem` for a file kazsim will not read (a folder, a FIFO, a
    device, a file over the limit: never more than the limit is read, and a FIFO
    never blocks), and `OSError` (no such file, permission denied...) or
    `ValueError` (a NUL character in the name) as `open` would.
    """
    try:
        return read_regular(path, MAX_BYTES)
    except FileTooLargeError as exc:
        raise _too_large(exc.size) from None
    except NotARegularFileError as exc:
        if pathlib.Path(path).is_dir():
            raise YamlProblem("this is a folder, not a scenario file", 1, 1,
                              "give the path of a .yaml file inside it") from None
        raise YamlProblem(f"not a scenario file: {exc.reason}", 1, 1,
                          "give the path of a scenario's .yaml file; kazsim reads only "
                          "ordinary files, not pipes or devices") from None


def decode(data: bytes) -> str:
    """Bytes of a file to text, refusing binary and non-UTF-8 content."""
    if len(data) > MAX_BYTES:
        raise _too_large(len(data))
    if b"\x00" in data[:8192]:
        raise YamlProblem("this is a binary file, not a YAML text file", 1, 1,
                          "give the path of a scenario's .yaml file (a text file)")
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
        self.written: dict[Path, str] = {}
        loader = _Loader("")  # only used to construct an explicit '!!timestamp'
        self._timestamp = loader.construct_yaml_timestamp

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        mark = node.start_mark
        if depth > MAX_DEPTH:
            raise YamlProblem(f"nested more than {MAX_DEPTH} levels deep",
                              mark.line + 1, mark.column + 1, _DEEP_HINT)
        positions = self.positions
        positions[path] = (mark.line + 1, mark.column + 1)
        tag = node.tag
        if tag not in _PLAIN_TAGS:
            raise YamlProblem(
                f"the tag '{tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed",
                mark.line + 1, mark.column + 1,
                "scenario files hold plain values only: remove the '!' tag",
            )
        if tag == _STR and isinstance(node, yaml.ScalarNode):
            self.styles[path] = node.style
            return node.value
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key_mark = key_node.start_mark
                if key_node.tag == _MERGE:
                    raise YamlProblem("merge keys ('<<') are not supported",
                                      key_mark.line + 1, key_mark.column + 1,
                                      "write the keys out in full")
                if not isinstance(key_node, yaml.ScalarNode):
                    raise YamlProblem("a key must be a plain word",
                                      key_mark.line + 1, key_mark.column + 1,
                                      "write keys as simple names, such as 'title:'")
                key = self.scalar(key_node)
                if not isinstance(key, str):
                    key = str(key).lower() if isinstance(key, bool) else str(key)
                child = (*path, key)
                if key in result:
                    first = positions.get((*child, "<key>"), (0, 0))[0]
                    raise YamlProblem(
                        f"duplicate key '{key}' (first given on line {first})",
                        key_mark.line + 1, key_mark.column + 1,
                        "a key may appear only once in the same mapping: remove one of them",
                    )
                positions[(*child, "<key>")] = (key_mark.line + 1, key_mark.column + 1)
                # The value's own position (set by build) is where errors about it point.
                result[key] = self.build(value_node, child, depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        self.styles[path] = node.style
        value = self.scalar(node)
        if not isinstance(value, str):
            self.written[path] = node.value
        return value

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        core = _CONSTRUCT.get(tag)
        try:
            if core is not None:
                pattern, construct = core
                return construct(node.value) if pattern.fullmatch(node.value) else node.value
            if tag == "tag:yaml.org,2002:timestamp":  # only when written out: not in YAML 1.2
                return self._timestamp(node)
        except (ValueError, OverflowError):
            # A value that looks like a date or number but is not one (2022-02-30, an
            # integer of 5,000 digits): keep the text, and let the field's type decide.
            pass
        return node.value


@dataclass(frozen=True)
class Document:
    """Plain data read from a YAML file, and where each part was."""

    data: dict[str, Any]
    positions: Positions
    # Quoting style of each scalar ('"', "'", '|', '>' or None for plain), so a
    # column inside an expression can be mapped to the file exactly.
    styles: dict[Path, str | None]
    # The text of each value YAML read as something other than text (``False``, ``1e3``,
    # ``~``), so that a hint can quote it as the author wrote it.
    written: dict[Path, str] = field(default_factory=dict)


# libyaml's wording of a problem -> (clearer wording or None to keep it, a hint, whether
# to point at where the unfinished part starts rather than where reading stopped).
_SYNTAX_HINTS: tuple[tuple[str, str | None, str, bool], ...] = (
    ("mapping values are not allowed", None,
     "a value containing ': ' must be put in quotes; otherwise check this line's indentation",
     False),
    ("tab character", "a tab is used for indentation", "indent with spaces, not tabs", False),
    ("found character '\\t'", "a tab is used for indentation", "indent with spaces, not tabs",
     False),
    ("could not find expected ':'", None, "every line in a mapping needs 'key: value'", False),
    ("did not find expected key", None,
     "check the indentation of this line: it must line up with the keys above it", False),
    ("did not find expected '-' indicator", None,
     "check the indentation of this line: items of a list line up under each other", False),
    ("did not find expected ',' or ']'", "this '[' is never closed",
     "add the missing ']' (or a ',' between items)", True),
    ("did not find expected ',' or '}'", "this '{' is never closed",
     "add the missing '}' (or a ',' between items)", True),
    ("found unexpected end of stream", "this quoted text is never closed",
     "add the closing quote", True),
    ("found undefined alias", None,
     "an alias '*name' repeats a value marked '&name' earlier in the file; add the '&name' "
     "or write the value out", False),
    ("cannot start any token", None,
     "a value that starts with @ ` % ! & * | > or a similar sign must be put in quotes", False),
    ("found another document", "the file holds more than one YAML document",
     "a scenario is a single document: remove the '---' or '...' line", False),
    ("exceeded maximum nesting depth", f"nested more than {MAX_DEPTH} levels deep",
     _DEEP_HINT, False),
    ("found unknown escape character", "a backslash in double quotes starts an escape code",
     _ESCAPE_HINT, False),
    ("did not find expected hexdecimal number",
     "a backslash in double quotes starts an escape code", _ESCAPE_HINT, False),
)


def _unclosed_bracket(text: str) -> tuple[str, int, int] | None:
    """The last '[' or '{' that is never closed: (bracket, line, column), 1-based.

    A plain scan that skips quoted text and comments: enough to point at the
    bracket when libyaml only says that the file ended inside one.
    """
    stack: list[tuple[str, int, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        quote = ""
        for column, char in enumerate(line, start=1):
            if quote:
                if char == quote:
                    quote = ""
            elif char in "'\"":
                quote = char
            elif char == "#" and (column == 1 or line[column - 2] in " \t"):
                break
            elif char in "[{":
                stack.append((char, number, column))
            elif char in "]}" and stack:
                stack.pop()
    return stack[-1] if stack else None


_QUOTED_VALUE = re.compile(r"(?P<key>[^\s{},\[\]#'\"-][^:#{},]*?):[ ]+(?P<quote>['\"])")


def _quote_problem(line: str, column: int) -> YamlProblem | None:
    """Text in quotes that goes on after its closing quote, stopped at `column` (0-based).

    ``text: "Gota go home" chant`` (text that starts with a quote) and ``text:
    'China's ship'`` (an apostrophe inside single quotes): YAML ends the value at
    the second quote and cannot read what follows. Returns the problem with the
    line written as it should be, or None when the line is not like that.
    """
    before = line[:column].rstrip()
    if not before or before[-1] not in "'\"":
        return None
    for match in reversed(list(_QUOTED_VALUE.finditer(line))):
        quote = match["quote"]
        if match.end() > len(before) or line.find(quote, match.end()) != len(before) - 1:
            continue
        rest = line[match.start("quote"):]
        last = rest.rfind(quote)
        if last > len(before) - 1 - match.start("quote"):  # a closing quote further on
            value = rest[:last + 1]
        else:
            value = re.split(r"[,}\]]| #", rest[len(before) - match.start("quote"):])[0]
            value = (rest[:len(before) - match.start("quote")] + value).rstrip()
        quoted = len(value) > 1 and value.endswith(quote)
        inner = value[1:-1] if quoted else value
        if '"' not in inner and "\\" not in inner:
            fixed = f'"{inner}"'
        else:
            fixed = "'" + inner.replace("'", "''") + "'"
        key = match["key"].strip()
        line_no = 0  # the caller knows the line
        if quoted:
            word = "an apostrophe" if quote == "'" else "a double quote"
            return YamlProblem(f"YAML syntax error: {word} inside this quoted text ends it "
                               "early", line_no, match.start("quote") + 1,
                               f"quote it so that the {word.split()[-1]} is part of the text: "
                               f"{key}: {fixed}")
        return YamlProblem("YAML syntax error: text that starts with a quote ends at its "
                           "closing quote", line_no, match.start("quote") + 1,
                           f"put the whole text in quotes: {key}: {fixed}")
    return None


def _invisible_problem(lines: list[str], numbers: list[int]) -> YamlProblem | None:
    """A look-alike space where YAML needs a real one (indentation, after ':').

    YAML reads a non-breaking space as a letter, so ``title:\u00a0Payday`` is no
    key and value, and the error shows on a later line: the lines in `numbers`
    (0-based) are searched in order.
    """
    for number in numbers:
        line = lines[number] if 0 <= number < len(lines) else ""
        found = invisible(line)
        while found is not None:
            index = found[0]
            structural = (not line[:index].strip() or line[index - 1] in ":-"
                          or line[index + 1:index + 2] == ":")
            if structural:
                return YamlProblem(f"YAML syntax error: this line contains {found[1]}",
                                   number + 1, index + 1,
                                   "YAML does not read it as a space: " + invisible_hint(line))
            rest = invisible(line[index + 1:])
            found = (index + 1 + rest[0], rest[1]) if rest is not None else None
    return None


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    """A libyaml error as a one-line message with a hint."""
    mark = exc.problem_mark or exc.context_mark
    problem = " ".join((exc.problem or "invalid YAML").split())
    if mark is not None and not text.isascii() and any(c in text for c in INVISIBLE):
        lines = text.splitlines()
        numbers = [mark.line, mark.line - 1]
        if exc.context_mark is not None:
            numbers.append(exc.context_mark.line)
        found = _invisible_problem(lines, numbers)
        if found is not None:
            return found
    if mark is not None and problem.startswith("did not find expected"):
        lines = text.splitlines()
        quoted = _quote_problem(lines[mark.line] if mark.line < len(lines) else "",
                                mark.column)
        if quoted is not None:
            return YamlProblem(quoted.message, mark.line + 1, quoted.column, quoted.hint)
    if problem == "did not find expected node content" and mark is not None:
        at_end = not text[mark.index:].strip() if mark.index <= len(text) else True
        bracket = _unclosed_bracket(text) if at_end else None
        if bracket is not None:
            char, line, column = bracket
            closing = "]" if char == "[" else "}"
            return YamlProblem(f"YAML syntax error: this '{char}' is never closed", line,
                               column, f"add the missing '{closing}' (or a ',' between items)")
        return YamlProblem(
            "YAML syntax error: a value is missing here", mark.line + 1, mark.column + 1,
            "give the value, or put it in quotes if it starts with a sign YAML reserves, "
            "such as , [ ] { } or #")
    if mark is not None:
        lines = text.splitlines()
        where = lines[mark.line] if mark.line < len(lines) else ""
        if "\t" in where[: len(where) - len(where.lstrip())]:
            problem = "found a tab character"  # libyaml words tabs in several ways
    hint = ""
    for fragment, wording, advice, at_start in _SYNTAX_HINTS:
        if fragment in problem:
            problem, hint = wording or problem, advice
            if at_start and exc.context_mark is not None:
                mark = exc.context_mark
            break
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return YamlProblem(f"YAML syntax error: {problem}", line, column, hint)


def _reading_problem(exc: Exception, text: str) -> YamlProblem:
    """What libyaml (or Python) said while reading `text`, as a `YamlProblem`."""
    if isinstance(exc, yaml.MarkedYAMLError):
        return _syntax_problem(exc, text)
    if isinstance(exc, yaml.reader.ReaderError):
        data = text.encode("utf-8")  # libyaml's reader counts bytes, not characters
        line = data.count(b"\n", 0, exc.position) + 1
        start = data.rfind(b"\n", 0, exc.position) + 1
        column = len(data[start:exc.position].decode("utf-8", errors="ignore")) + 1
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1])
        return YamlProblem(f"the file contains a control character (U+{char:04X}) that YAML "
                           "does not allow", line, column,
                           "delete it: it is invisible in most editors, and often comes from "
                           "copying text out of a terminal or a word processor")
    if isinstance(exc, yaml.YAMLError):
        return YamlProblem(f"YAML error: {' '.join(str(exc).split())}")
    return YamlProblem(f"nested more than {MAX_DEPTH} levels deep", 1, 1, _DEEP_HINT)


_READING_ERRORS = (yaml.YAMLError, RecursionError)


def parse_events(text: str) -> Generator[yaml.Event, None, None]:
    """The YAML events of `text`, one at a time, or `YamlProblem`.

    For readers that need a few values and must not pay for the rest (`kazsim
    list`): nothing is built, and an alias is one event, never expanded.
    """
    loader = _ScenarioLoader(text)
    try:
        while True:
            try:
                event = loader.get_event() if loader.check_event() else None
            except _READING_ERRORS as exc:
                raise _reading_problem(exc, text) from None
            if event is None:
                return
            yield event
    finally:
        loader.dispose()


def _values(node: yaml.Node) -> list[yaml.Node]:
    """The nodes the builder makes values of, in order (a mapping's keys are not counted)."""
    if isinstance(node, yaml.MappingNode):
        return [value for _, value in node.value]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_size(root: yaml.Node) -> None:
    """Refuse a document that, its aliases expanded, holds more than `MAX_NODES` values.

    An alias is the very node its anchor names, so each distinct node is sized
    once, from its children's sizes: the work is that of the composed file,
    however often the aliases repeat each other (an alias bomb of a few hundred
    bytes is refused at once). The problem points where a walk in document
    order, as the builder makes it, passes the limit.
    """
    over = MAX_NODES + 1
    sizes: dict[int, int] = {}
    pending: list[tuple[yaml.Node, bool]] = [(root, False)]
    while pending:
        node, children_done = pending.pop()
        if children_done:
            sizes[id(node)] = min(over, 1 + sum(sizes[id(c)] for c in _values(node)))
            continue
        if id(node) in sizes:
            continue
        sizes[id(node)] = -1  # being sized: meeting it again below means it contains itself
        pending.append((node, True))
        for child in _values(node):
            size = sizes.get(id(child))
            if size == -1:
                mark = child.start_mark
                raise YamlProblem(f"nested more than {MAX_DEPTH} levels deep", mark.line + 1,
                                  mark.column + 1, "an alias '*name' is used inside the value "
                                  "its '&name' marks, so the value contains itself: write it "
                                  "out instead")
            if size is None:
                pending.append((child, False))
    if sizes[id(root)] <= MAX_NODES:
        return
    seen, node = 0, root
    while seen + 1 <= MAX_NODES:
        seen += 1
        for child in _values(node):
            if seen + sizes[id(child)] <= MAX_NODES:
                seen += sizes[id(child)]
            else:
                node = child
                break
    mark = node.start_mark
    if len(sizes) > MAX_NODES:  # as many values written out: no alias is to blame
        raise YamlProblem(f"the file holds more than {MAX_NODES:,} values", mark.line + 1,
                          mark.column + 1, "a scenario holds a few thousand values at most: "
                          "check that this is the right file")
    raise YamlProblem(f"the document expands to more than {MAX_NODES:,} values",
                      mark.line + 1, mark.column + 1,
                      "this comes from anchors and aliases (&name / *name) that repeat each "
                      "other; write the values out instead")


def read_yaml(text: str) -> Document:
    """Parse YAML text into a `Document`, or raise `YamlProblem`."""
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise YamlProblem("the file is empty", 1, 1,
                          "start from 'kazsim new NAME', which writes a working scenario")
    try:
        root = yaml.compose(text, Loader=_ScenarioLoader)
    except _READING_ERRORS as exc:
        raise _reading_problem(exc, text) from None
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag == _NULL
                        and not root.value):
        raise YamlProblem("the file is empty", 1, 1,
                          "start from 'kazsim new NAME', which writes a working scenario")
    if not isinstance(root, yaml.MappingNode):
        raise YamlProblem("the top level must be a mapping of 'key: value' lines",
                          root.start_mark.line + 1, root.start_mark.column + 1,
                          "a scenario starts with lines such as 'id: my_scenario'")
    _check_size(root)
    builder = _Builder()
    try:
        data = builder.build(root, (), 0)
    except RecursionError:
        raise YamlProblem(f"nested more than {MAX_DEPTH} levels deep", 1, 1, _DEEP_HINT) from None
    return Document(data, builder.positions, builder.styles, builder.written)
