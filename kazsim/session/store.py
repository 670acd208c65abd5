"""Save files on disk: safe reading, atomic writing, names, and the folder listing.

Reading never trusts the file: its size is capped before anything is parsed,
the bytes must be UTF-8 JSON without duplicate keys and nested at most a few
levels, older format versions are migrated, and the result is validated by the
strict models of `kazsim.session.model`. Every problem becomes a one-line
`SaveError` ("file:line:column: where: what").

Writing is atomic: a temporary file in the same folder is written, flushed and
fsynced, then renamed over the target (or hard-linked to a new name, which
never replaces an existing file; where there are no hard links, renamed to it
under a claim), and the folder is fsynced. A crash or kill at any moment
leaves either the old save or the new one, never a mixture, and never an empty
file under the final name. Only a regular file is ever replaced; saves and
transcripts are written the same way (`write_atomic`).
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kazsim.session.jsonpos import json_path, locate
from kazsim.session.model import (
    SAME_SHAPE,
    SaveError,
    SaveFile,
    header,
    json_type,
    migrate,
    parse_timestamp,
)
from kazsim.untrusted import FileTooLargeError, NotARegularFileError, kind_of, read_regular

MAX_BYTES = 4 * 1024 * 1024  # a real save of 200 turns and 20 roles is under 200 KB
MAX_DEPTH = 12  # a save document is 5 levels deep


# --- reading ----------------------------------------------------------------------------------

def read_save(path: str | os.PathLike[str]) -> SaveFile:
    """Read, check, migrate and validate a save file, or raise `SaveError`.

    Only a regular file of at most `MAX_BYTES` is read: a FIFO, a device or a
    folder is refused at once (never waited on), a larger file before it is read.
    """
    where = str(path)
    try:
        raw = read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        raise SaveError(where, "no such file") from None
    except NotARegularFileError as exc:
        if exc.reason.startswith("it is a folder"):
            raise SaveError(where, "this is a folder, not a save file") from None
        raise SaveError(where, f"not a save file: {exc.reason}") from None
    except FileTooLargeError as exc:
        raise SaveError(where, _too_big(exc.size)) from None
    except OSError as exc:
        raise SaveError(where, f"cannot read the file: {exc.strerror or exc}") from None
    except ValueError as exc:  # a NUL character in the name
        raise SaveError(where, f"cannot read the file: {exc}") from None
    return parse_save(raw, where)


def _too_big(size: int) -> str:
    return (f"the file is {size / 1e6:.1f} MB; a save is never more than "
            f"{MAX_BYTES // 2**20} MB, so this is not a kazsim save or it is damaged")


def parse_save(raw: bytes, where: str = "<save>") -> SaveFile:
    """The bytes of a save file as a current-version `SaveFile`, or `SaveError`."""
    text = _decode(raw, where)
    data = _parse_json(text, where)
    try:
        version = header(data)
    except ValueError as exc:
        raise SaveError(where, str(exc)) from None
    try:
        current = migrate(data, version)
    except ValidationError as exc:
        shape = "" if version >= SAME_SHAPE else f" (format {version})"
        raise SaveError(*_explain(exc, text, where, shape)) from None
    try:
        return SaveFile.model_validate(current)
    except ValidationError as exc:
        # A migrated document has no positions of its own in the text.
        located = text if version >= SAME_SHAPE else ""
        raise SaveError(*_explain(exc, located, where, "")) from None


CUT_OFF = " — the file ends too early: it was cut off (a copy or a write that did not finish)"


def _decode(raw: bytes, where: str) -> str:
    if not raw.strip(b" \t\r\n\x00"):
        raise SaveError(where, "the file is empty (it may have been cut off while copying)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        rest = raw[exc.end:]
        if exc.reason == "unexpected end of data" or (rest and not rest.strip(b"\x00")):
            # A letter of several bytes lost its last ones (and only zeros follow, if
            # anything): the end of the file is gone.
            raise SaveError(f"{where}:{line}:{column}", f"not valid text{CUT_OFF}") from None
        raise SaveError(f"{where}:{line}:{column}",
                        "not UTF-8 text, so not a kazsim save (or it is damaged)") from None


def _cut_off(text: str, exc: json.JSONDecodeError) -> bool:
    """Whether a JSON error means the text stops in the middle of the document: at its
    end, inside a string that never closes, in a word such as `null` or a number that
    stops short, or where only zero bytes (a write that never finished) follow."""
    rest = text[exc.pos:].rstrip(" \t\r\n\x00")
    if not rest or exc.msg.startswith("Unterminated string"):
        return True
    return any(word.startswith(rest) for word in ("null", "true", "false")) or rest == "-"


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Duplicate(key)
        out[key] = value
    return out


class _Duplicate(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class _Constant(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise _Constant(f"{name} is not a number JSON allows")


def _parse_json(text: str, where: str) -> Any:
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        hint = CUT_OFF if _cut_off(text, exc) else ""
        raise SaveError(f"{where}:{exc.lineno}:{exc.colno}",
                        f"not valid JSON: {exc.msg}{hint}") from None
    except _Duplicate as exc:
        raise SaveError(where, f"the key \"{exc.key}\" appears twice in one object "
                        "(the file was edited by hand?)") from None
    except RecursionError:
        raise SaveError(where, "nested far too deeply to be a kazsim save") from None
    except ValueError as exc:  # a number of thousands of digits, NaN, Infinity
        what = str(exc) if isinstance(exc, _Constant) else "a number far too long"
        raise SaveError(where, f"not valid JSON: {what}") from None
    if _depth(data) > MAX_DEPTH:
        raise SaveError(where, f"nested more than {MAX_DEPTH} levels deep; a kazsim save "
                        "never is")
    return data


def _depth(data: Any) -> int:
    """How deeply lists and objects nest (iterative: safe on any input)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            if deepest > MAX_DEPTH:
                return deepest
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, level + 1) for child in children)
    return deepest


def _explain(exc: ValidationError, text: str, where: str, shape: str) -> tuple[str, str]:
    """The first validation problem as (file:line:column, message)."""
    errors = exc.errors(include_url=False)
    err = errors[0]
    loc = tuple(err["loc"])
    path = json_path(loc)
    kind = err["type"]
    value = err.get("input")
    if kind == "missing":
        message = f"missing field \"{loc[-1]}\""
        path, loc = json_path(loc[:-1]), loc[:-1]
    elif kind == "extra_forbidden":
        message = f"unknown field \"{loc[-1]}\""
    elif kind == "string_pattern_mismatch":
        message = f"{_show(value)} is not {_pattern_words(str(loc[-1]) if loc else '')}"
    elif kind == "union_tag_invalid":
        tag = err.get("ctx", {}).get("tag", "")
        message = f"{_show(tag)} is not a kind of player (expected \"human\" or \"ai\")"
    elif kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        message = f"{_show(value)} is not allowed here (expected {expected})"
    elif kind in ("greater_than_equal", "less_than_equal"):
        ctx = err.get("ctx", {})
        bound = ctx.get("ge", ctx.get("le"))
        message = (f"must be {'at least' if kind == 'greater_than_equal' else 'at most'} "
                   f"{bound}, found {_show(value)}")
    elif kind.endswith("_type") or kind in ("int_from_float", "union_tag_not_found"):
        message = f"expected {_TYPES.get(kind, err['msg'].lower())}, found {json_type(value)}"
    else:
        message = err["msg"].removeprefix("Value error, ")
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" \
        if len(errors) > 1 else ""
    position = locate(text, loc) if text and loc else None
    place = f"{where}:{position[0]}:{position[1]}" if position else where
    inside = f"{path}{shape}: " if path else (f"format{shape[:-1]}: " if shape else "")
    return place, f"{inside}{message}{more}"


_TYPES = {
    "string_type": "text", "int_type": "a whole number", "int_from_float": "a whole number",
    "bool_type": "true or false", "dict_type": "an object", "list_type": "a list",
    "model_type": "an object", "model_attributes_type": "an object",
    "union_tag_not_found": "an object with \"kind\": \"human\" or \"ai\"",
}


def _pattern_words(field_name: str) -> str:
    if field_name == "checksum":
        return "a checksum (16 hexadecimal digits)"
    if field_name in ("content_hash", "hash"):
        return "a content hash (64 hexadecimal digits)"
    return "a valid id (lower-case letters, digits and _, starting with a letter)"


def _show(value: Any) -> str:
    text = json.dumps(value) if isinstance(value, str | int | float | bool) else json_type(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --- writing ----------------------------------------------------------------------------------

class TargetRefusedError(FileExistsError):
    """Something is at this path that kazsim will not write over (not a regular file, or
    a save); `strerror` says what, in words. For a new file, the name is taken."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(errno.EEXIST, reason, str(path))


def write_atomic(path: Path, data: bytes, *, exclusive: bool = False,
                 keep_saves: bool = False) -> None:
    """Write `data` to `path` so that readers only ever see the old or the new file.

    This is the one way kazsim writes a file (saves and transcripts alike). It
    only ever replaces a regular file: a FIFO, a device, a folder or a symbolic
    link at `path` is left alone and `TargetRefusedError` raised. With
    `exclusive`, nothing is replaced: `FileExistsError` if the name is taken.
    With `keep_saves`, a kazsim save (recognised by its content, whatever its
    name) is never replaced (`TargetRefusedError`).
    """
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file is in the way: not "the save's name is taken"
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(folder)) from None
    _check_target(path, exclusive=exclusive, keep_saves=keep_saves)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), _mode(path))
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            _link_new(tmp, path)
        else:
            # Again, just before the rename: what is there may have changed meanwhile.
            _check_target(path, exclusive=False, keep_saves=keep_saves)
            os.replace(tmp, path)
    except BaseException:
        with _quiet():
            os.unlink(tmp)
        raise
    _fsync_dir(folder)
    sweep_leftovers(folder, name=path.name)


def _check_target(path: Path, *, exclusive: bool, keep_saves: bool) -> None:
    """Refuse a target that must not be replaced (see `write_atomic`)."""
    try:
        info = os.lstat(path)
    except OSError:
        return  # nothing there (or nothing to see): the write itself will tell
    if not stat.S_ISREG(info.st_mode):
        raise TargetRefusedError(path, f"it is {kind_of(info.st_mode)}, and kazsim only ever "
                                 "replaces a regular file: choose another name")
    if keep_saves and is_save_file(path):
        raise TargetRefusedError(path, "it is a saved game, and kazsim never writes over a "
                                 "save: choose another name")
    if exclusive:
        raise FileExistsError(errno.EEXIST, "File exists", str(path))


_SAVE_MARK = re.compile(rb'"format"\s*:\s*"kazsim-save"')


def is_save_file(path: Path) -> bool:
    """Whether `path` holds a kazsim save, judged by its content (a damaged or cut-off
    save too: anything that says it is one), not by its name."""
    try:
        raw = read_regular(path, MAX_BYTES, follow_symlinks=False)
    except (OSError, ValueError):
        return False  # not a regular file, or larger than any save
    return _SAVE_MARK.search(raw, 0, 64 * 1024) is not None


LEFTOVER_AGE = 600.0  # seconds: older temporaries of a save belong to no running writer
CLAIM_AGE = 30.0  # seconds: a claim on a new name is held for a few milliseconds
_LEFTOVER = re.compile(r"^\..+\.(?:json|md)\.\w+\.tmp$")


def sweep_leftovers(folder: Path, *, name: str | None = None,
                    now: float | None = None) -> list[Path]:
    """Remove what writers killed mid-write left in `folder`: the hidden temporaries of
    saves and transcripts (`.NAME.json.*.tmp`, `.NAME.md.*.tmp`), and of `name`, older
    than `LEFTOVER_AGE` (a write takes milliseconds, so no live writer owns one).

    Every write calls it, and so does `list_saves`: a leftover of a game that is never
    saved again (a finished one) goes too. Returns what was removed; a file that
    cannot be removed is left alone.
    """
    moment = time.time() if now is None else now
    mine = f".{name}." if name else None
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    for entry in names:
        if not (_LEFTOVER.match(entry) or (mine and entry.startswith(mine)
                                           and entry.endswith(".tmp"))):
            continue
        leftover = folder / entry
        try:
            info = os.lstat(leftover)
            if stat.S_ISREG(info.st_mode) and moment - info.st_mtime > LEFTOVER_AGE:
                leftover.unlink()
                removed.append(leftover)
        except OSError:
            continue
    return removed


def _link_new(tmp: str, path: Path) -> None:
    """Give the written temporary file its final name, only if that name is free."""
    try:
        os.link(tmp, path)  # fails if the name is taken: never replaces anything
    except FileExistsError:
        raise
    except OSError:
        # No hard links here (some USB sticks, network drives).
        _rename_new(tmp, path)
        return
    os.unlink(tmp)


def _rename_new(tmp: str, path: Path) -> None:
    """Rename `tmp` to `path` if no file has that name, without hard links.

    The final name only ever appears complete (a rename): kazsim writers agree on
    who may take it by a claim, a hidden file `.NAME.claim.tmp` created exclusively,
    held for the check and the rename. A claim left by a killed writer is taken
    over once it is `CLAIM_AGE` old, and swept like any leftover.
    """
    claim = path.parent / f".{path.name}.claim.tmp"
    try:
        os.close(os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        try:
            stale = time.time() - os.lstat(claim).st_mtime > CLAIM_AGE
        except OSError:
            stale = False
        if not stale:
            raise FileExistsError(errno.EEXIST, "File exists (being written)",
                                  str(path)) from None
        with _quiet():
            os.unlink(claim)
        os.close(os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "File exists", str(path))
        os.rename(tmp, path)
    finally:
        with _quiet():
            os.unlink(claim)


def _mode(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o644


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # some systems cannot open folders; the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class _quiet:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return isinstance(exc[1], OSError)


# --- names ------------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff/\\:*?"<>|]+')
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
             *(f"lpt{i}" for i in range(10))}
MAX_NAME_CHARS = 80
# File systems allow 255 bytes (or UTF-16 units) in a name; a save's temporary file
# adds 19 (".NAME.json.XXXXXXXX.tmp"). 200 bytes of UTF-8 is 66 Chinese characters.
MAX_NAME_BYTES = 200


def safe_name(name: str) -> str:
    """A file name (without .json) for a name a player typed, or `SaveError`.

    No path separators, no hidden files, no control characters; letters of any
    alphabet are kept. A long name is shortened to 80 characters and 200 bytes
    of UTF-8 (what every file system accepts, with room for the temporary file
    of an atomic write); the save itself keeps the whole name.
    """
    cleaned = _UNSAFE.sub("-", name.strip())
    cleaned = re.sub(r"\s+", " ", cleaned).removesuffix(".json").strip(" .-")
    cleaned = cleaned[:MAX_NAME_CHARS]
    cleaned = cleaned.encode("utf-8")[:MAX_NAME_BYTES].decode("utf-8", "ignore")
    cleaned = cleaned.rstrip(" .-")
    if not cleaned or not any(ch.isalnum() for ch in cleaned):
        raise SaveError("", f"cannot save under the name {name!r}: use letters or digits")
    if cleaned.lower() in _RESERVED:
        cleaned += "_"
    return cleaned


def auto_names(folder: Path, scenario_id: str, seed: int) -> Iterator[Path]:
    """saves/<scenario>-seed<seed>-1.json, -2.json, ... (the caller takes the first free)."""
    n = 1
    while True:
        yield folder / f"{scenario_id}-seed{seed}-{n}.json"
        n += 1


# --- the folder -------------------------------------------------------------------------------

@dataclass(frozen=True)
class SaveEntry:
    """One file in the save folder, read cheaply (not replayed) for a 'Load game' list."""

    path: Path
    name: str  # the name given when saving, else the file name
    scenario_id: str = ""
    scenario_title: str = ""
    scenario_version: str = ""
    turns: int = 0  # turns played
    ending: str | None = None
    updated: str = ""  # ISO 8601 UTC
    players: dict[str, str] = field(default_factory=dict)  # role -> "Aigerim" / "AI (easy)"
    problem: str = ""  # why the file cannot be loaded; empty when it can


def list_saves(folder: str | os.PathLike[str]) -> list[SaveEntry]:
    """Every *.json save in `folder`: most recently updated first, unreadable ones last
    (each with its `problem`). A FIFO or a device named *.json is listed as one that
    cannot be loaded, never waited on. Old leftovers of killed writers are swept."""
    base = Path(folder)
    if not base.is_dir():
        return []
    sweep_leftovers(base)
    good: list[tuple[dt.datetime, SaveEntry]] = []
    bad: list[SaveEntry] = []
    for path in sorted(base.glob("*.json")):
        if path.name.startswith("."):
            continue
        try:
            save = read_save(path)
            updated = parse_timestamp(save.updated)
        except (SaveError, ValueError) as exc:
            problem = exc.message if isinstance(exc, SaveError) else str(exc)
            if isinstance(exc, SaveError) and exc.where != str(path):
                problem = str(exc).removeprefix(str(path)).lstrip(":")
            bad.append(SaveEntry(path, path.stem, problem=problem))
            continue
        good.append((updated, SaveEntry(
            path=path,
            name=save.name or path.stem,
            scenario_id=save.scenario.id,
            scenario_title=save.scenario.title,
            scenario_version=save.scenario.version,
            turns=len(save.turns),
            ending=save.ending,
            updated=save.updated,
            players={role: (p.name or "a player") if p.kind == "human" else f"AI ({p.level})"
                     for role, p in save.players.items()},
        )))
    good.sort(key=lambda pair: (pair[0], pair[1].name), reverse=True)
    return [entry for _, entry in good] + bad
