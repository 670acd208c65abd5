"""Validated scenarios kept between runs, so that a game starts without re-validating.

Validating a file needs PyYAML and pydantic: about 70 ms of imports on a laptop
before the first line is read, most of the wait before a game's first screen.
A game only ever needs a scenario that has passed validation, so once a file
has been validated for play, its validated form (the `Scenario` dataclasses)
is kept here as JSON; the next game on the same bytes rebuilds it in a few
milliseconds, without importing either library.

* Where: ``scenarios/`` in `kazsim.places.cache_root()`: ``$KAZSIM_CACHE_DIR``,
  else the user's cache folder (``~/.cache/kazsim`` on Linux). Set
  ``KAZSIM_CACHE_DIR`` to an empty value to turn the cache off. Deleting the
  folder is always safe.
* An entry is plain data, never code: a SHA-256 of its bytes, then JSON of the
  scenario's fields, rebuilt into the format's dataclasses by `kazsim.plain`, a
  strict decoder driven by their type hints (exact types, the `Spec`
  constraints, no missing or extra keys). An entry is written only when it
  decodes back to exactly the validated scenario. Anything else (damaged,
  crafted, foreign) is a cache miss: the file is validated as usual, and the
  entry replaced.
* One entry per file, named after the file's absolute path, kazsim's version,
  the source of the modules that turn a file into a `Scenario` and the Python
  version. Inside, the entry records that path and the SHA-256 of the file's
  bytes, and a variant's entry every file it extends (where it was found and
  its hash); it is used only while all of them match.
* Entries are opened without following symlinks, only when they are regular
  files of at most `MAX_ENTRY_BYTES` owned by this user, with one link, that
  nobody else may change, in a folder of this user's that nobody else may
  write to (kazsim creates its folders 0700 and its entries 0600, whatever the
  umask). A FIFO, device, symlink or oversized file is a miss and start-up
  never waits on it. A folder of this user's that others could write to (as an
  earlier kazsim left it under umask 000) is never read; before an entry is
  written into it, it is closed to 0700 and emptied.
* The cache stays small: after each write the oldest entries go beyond
  `KEEP_ENTRIES` or `KEEP_BYTES`, and any unused for `KEEP_DAYS` (a game from
  the cache marks its entry used, at most once a day). Entries of the earlier
  format (``.pickle``) are deleted, never read.
* Only the game's loaders use it (`kazsim`, `kazsim play`, `replay`,
  `export`). `kazsim validate`, `check` and `--watch` always validate the file
  afresh: their job is to report every problem and warning.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import kazsim
from kazsim.places import cache_root
from kazsim.plain import from_plain, to_plain
from kazsim.scenario.compiled import CompiledScenario
from kazsim.scenario.errors import AuthorError
from kazsim.scenario.limits import MAX_BYTES
from kazsim.scenario.model import Scenario
from kazsim.untrusted import read_regular

if TYPE_CHECKING:
    pass

ENTRY_FORMAT = 2  # 1 was a pickle
MAX_ENTRY_BYTES = 16 << 20
KEEP_ENTRIES = 64
KEEP_BYTES = 64 << 20
KEEP_DAYS = 28
_DAY = 86_400
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.json")
# The modules whose code decides what a valid file turns into; this one and kazsim.plain too.
_LOADER_MODULES = ("model.py", "load.py", "yamlsafe.py", "variants.py", "catalog.py")
_HERE = Path(__file__).resolve().parent / "scenario"
_CODEC = Path(__file__).resolve().parent / "plain.py"
_TOP_KEYS = frozenset({"kazsim_cache", "for", "content_hash", "dependencies", "scenario"})
_HEX64 = re.compile(r"[0-9a-f]{64}")


def cache_dir() -> Path | None:
    """The folder of cached scenarios, or None when the cache is off."""
    root = cache_root()
    return None if root is None else root / "scenarios"


def entry_path(path: str | os.PathLike[str]) -> Path | None:
    """Where the entry for the scenario file `path` is kept (None when the cache is off)."""
    folder = cache_dir()
    return None if folder is None else folder / f"{_key(_where(str(path)))}.json"


def load_for_play(path: str | os.PathLike[str]) -> tuple[CompiledScenario | None,
                                                           list[AuthorError]]:
    """Like `kazsim.scenario.load.validate_file`, from the cache when the file is known.

    A cache hit returns no warnings (they were reported when the file was validated).
    """
    name = str(path)
    try:
        raw = read_regular(path, MAX_BYTES)
    except (OSError, ValueError):  # the loader says why, in its words
        return _validate(name, None, None, {})
    target = entry_path(name)
    if target is None:
        return _validate(name, raw, None, {})
    header = _header(name, raw)
    if _usable_folder(target.parent):
        found = _read(target, header, name)
        if found is not None:
            scenario, content_hash = found
            compiled = _compile(scenario, content_hash, name)
            if compiled is not None:
                return compiled, []
    return _validate(name, raw, target, header)


# --- what an entry is for ---------------------------------------------------------------------


def _where(name: str) -> str:
    """The file's absolute path as given (a variant's base is found next to it)."""
    try:
        return str(Path(name).absolute())
    except (OSError, ValueError):
        return name


@functools.cache
def _loader_fingerprint() -> str:
    digest = hashlib.sha256()
    for module in (*(_HERE / m for m in _LOADER_MODULES), Path(__file__), _CODEC):
        with contextlib.suppress(OSError):
            digest.update(module.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _key(where: str) -> str:
    """An entry's name: the file's path and the code that reads it (not its bytes, so that
    an edited file replaces its entry)."""
    digest = hashlib.sha256()
    for part in (where, f"kazsim {kazsim.__version__}", sys.implementation.cache_tag or "",
                 f"entry {ENTRY_FORMAT}", _loader_fingerprint()):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()


def _header(name: str, raw: bytes) -> dict[str, str]:
    """What an entry must say it is for: this file, these bytes, this code."""
    return {"path": _where(name), "sha256": hashlib.sha256(raw).hexdigest(),
            "kazsim": kazsim.__version__, "python": sys.implementation.cache_tag or "",
            "loader": _loader_fingerprint()}


# --- reading ----------------------------------------------------------------------------------


def _read(target: Path, header: dict[str, str], name: str) -> tuple[Scenario, str] | None:
    """The scenario and content hash in the entry at `target`, when it is sound and for
    this file; None otherwise (a miss)."""
    try:
        status = os.lstat(target)
    except (OSError, ValueError):
        return None
    if not (stat.S_ISREG(status.st_mode) and _private(status) and status.st_nlink == 1
            and status.st_size <= MAX_ENTRY_BYTES):
        return None
    try:
        stored = read_regular(target, MAX_ENTRY_BYTES, follow_symlinks=False)
    except (OSError, ValueError):
        return None
    found = decode_entry(stored, header, name)
    if found is not None and time.time() - status.st_mtime > _DAY:  # used: keep it longer
        with contextlib.suppress(OSError, NotImplementedError):
            os.utime(target, follow_symlinks=False)
    return found


def decode_entry(stored: bytes, header: dict[str, str],
                 name: str) -> tuple[Scenario, str] | None:
    """An entry's scenario and content hash when it is whole, for `header` and every file
    it extends is unchanged; None for anything else, never an exception."""
    check, newline, payload = stored.partition(b"\n")
    if not newline or check != hashlib.sha256(payload).hexdigest().encode():
        return None
    try:
        document = json.loads(payload.decode("utf-8"), parse_constant=_no_constant)
    except (ValueError, RecursionError):  # not JSON, NaN or Infinity, a 5,000-digit number
        return None
    if not (type(document) is dict and document.keys() == _TOP_KEYS
            and type(document["kazsim_cache"]) is int
            and document["kazsim_cache"] == ENTRY_FORMAT and document["for"] == header):
        return None
    content_hash = document["content_hash"]
    dependencies = document["dependencies"]
    if not (type(content_hash) is str and _HEX64.fullmatch(content_hash)
            and type(dependencies) is list):
        return None
    for dependency in dependencies:
        if not _unchanged(dependency, name):
            return None
    scenario = from_plain(Scenario, document["scenario"])
    return None if scenario is None else (scenario, content_hash)


def _no_constant(word: str) -> NoReturn:
    raise ValueError(f"{word} is not a number kazsim keeps")


def _unchanged(dependency: Any, name: str) -> bool:
    """Whether a file the variant extends is still found where it was, with the same bytes."""
    from kazsim.scenario.catalog import resolve_extends

    if not (type(dependency) is list and len(dependency) == 3
            and all(type(part) is str for part in dependency)):
        return False
    base, where, sha256 = (str(part) for part in dependency)
    try:
        data, found = resolve_extends(base, name)
    except (OSError, ValueError):
        return False
    return found == where and hashlib.sha256(data).hexdigest() == sha256


def _compile(scenario: Scenario, content_hash: str, name: str) -> CompiledScenario | None:
    from kazsim.scenario.checks import compile_scenario
    from kazsim.scenario.locator import unplaced

    compiled, _ = compile_scenario(scenario, unplaced(name), content_hash, name)
    return compiled


# --- the user's folder ------------------------------------------------------------------------


def _uid() -> int | None:
    getuid = getattr(os, "getuid", None)
    return None if getuid is None else int(getuid())


def _private(status: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else (Windows: the folder's ACLs apply)."""
    uid = _uid()
    return uid is None or (status.st_uid == uid and not status.st_mode & 0o022)


def _usable_folder(folder: Path) -> bool:
    """A real folder (not a symlink) of this user's that nobody else may write to."""
    try:
        status = os.lstat(folder)
    except (OSError, ValueError):
        return False
    return stat.S_ISDIR(status.st_mode) and _private(status)


def _make_private(folder: Path) -> bool:
    """Create `folder` and any missing parents 0700 whatever the umask; False when it
    cannot be, or when it exists and is not this user's."""
    missing: list[Path] = []
    here = folder
    while not os.path.lexists(here) and here.parent != here:
        missing.append(here)
        here = here.parent
    try:
        for part in reversed(missing):
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, 0o700)
                _close_folder(part)
        status = os.lstat(folder)
    except (OSError, ValueError):
        return False
    if not stat.S_ISDIR(status.st_mode) or (_uid() is not None and status.st_uid != _uid()):
        return False
    if status.st_mode & 0o077:
        try:
            _close_folder(folder)
        except OSError:
            return False
        if status.st_mode & 0o022:
            # Ours but others could write to it: left so by an earlier kazsim under
            # umask 000, or a chmod. Anything in it may have been planted: forget it all.
            _remove_all(folder)
    return _usable_folder(folder)


def _close_folder(folder: Path) -> None:
    """chmod 0700 the folder itself, never what a symlink in its place points to."""
    if not hasattr(os, "fchmod"):  # pragma: no cover - Windows
        os.chmod(folder, 0o700)
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0))
    try:
        if _uid() is not None and os.fstat(fd).st_uid != _uid():
            raise PermissionError(f"{folder} is not yours")
        os.fchmod(fd, 0o700)
    finally:
        os.close(fd)


def _remove_all(folder: Path) -> None:
    with contextlib.suppress(OSError), os.scandir(folder) as items:
        for item in items:
            if not item.is_dir(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(item.path)


# --- writing and pruning ----------------------------------------------------------------------


def _validate(name: str, raw: bytes | None, target: Path | None,
              header: dict[str, str]) -> tuple[CompiledScenario | None, list[AuthorError]]:
    """Validate the file as usual and, when it is valid, keep it at `target`."""
    from kazsim.scenario.catalog import resolve_extends
    from kazsim.scenario.load import load_text, validate_file

    if raw is None:
        return validate_file(name)  # cannot be read: let it say why
    found: list[list[str]] = []

    def resolve(base: str, from_file: str) -> tuple[bytes, str]:
        data, where = resolve_extends(base, from_file)
        found.append([base, where, hashlib.sha256(data).hexdigest()])
        return data, where

    compiled, problems = load_text(raw, name, resolve=resolve)
    if compiled is not None and target is not None:
        stored = encode_entry(compiled.model, compiled.content_hash, header, found)
        if stored is not None:
            _write(target, stored)
    return compiled, problems


def encode_entry(scenario: Scenario, content_hash: str, header: dict[str, str],
                 dependencies: list[list[str]]) -> bytes | None:
    """An entry's bytes, or None when the scenario would not come back exactly as it is
    (a number JSON cannot hold, a text that is not Unicode...): such a file is not cached."""
    try:
        document = {"kazsim_cache": ENTRY_FORMAT, "for": header, "content_hash": content_hash,
                    "dependencies": dependencies, "scenario": to_plain(scenario)}
        text = json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        payload = text.encode("utf-8")
    except (TypeError, ValueError):  # not plain data, a number JSON cannot hold, not Unicode
        return None
    if len(payload) + 65 > MAX_ENTRY_BYTES:
        return None
    back = from_plain(Scenario, json.loads(text)["scenario"])  # exactly as it will be read
    if back is None or back != scenario or repr(back) != repr(scenario):
        return None
    return hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def _write(target: Path, stored: bytes) -> None:
    """Write the entry atomically, 0600, in a private folder; then prune the folder."""
    folder = target.parent
    if not _make_private(folder):
        return
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")  # 0600
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(stored)
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return
    prune(folder)


def prune(folder: Path, now: float | None = None) -> None:
    """Keep the cache small: remove entries of the earlier format, temporary files left by
    a crash, entries unused for `KEEP_DAYS`, and the least recently used beyond
    `KEEP_ENTRIES` or `KEEP_BYTES`. Only files named as kazsim names them are touched."""
    now = time.time() if now is None else now
    kept: list[tuple[float, int, str]] = []
    try:
        with os.scandir(folder) as items:
            listing = list(items)
    except OSError:
        return
    for item in listing:
        try:
            status = item.stat(follow_symlinks=False)
        except OSError:
            continue
        age = now - status.st_mtime
        entry = _ENTRY_NAME.fullmatch(item.name) is not None
        if (item.name.endswith(".pickle")
                or (item.name.startswith(".") and item.name.endswith(".tmp") and age > 3600)
                or (entry and (not stat.S_ISREG(status.st_mode) or age > KEEP_DAYS * _DAY))):
            with contextlib.suppress(OSError):
                os.unlink(item.path)
        elif entry:
            kept.append((status.st_mtime, status.st_size, item.path))
    kept.sort(reverse=True)  # most recently used first
    total = 0
    for count, (_, size, where) in enumerate(kept):
        total += size
        if count >= KEEP_ENTRIES or total > KEEP_BYTES:
            with contextlib.suppress(OSError):
                os.unlink(where)


# --- compiling a cached scenario --------------------------------------------------------------


__all__ = ["cache_dir", "decode_entry", "encode_entry", "entry_path", "load_for_play", "prune"]
