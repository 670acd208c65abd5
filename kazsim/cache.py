"""Validated scenarios kept between runs, so that a game starts without re-validating.

Validating a file needs PyYAML and pydantic: about 70 ms of imports on a laptop
before the first line is read, most of the wait before a game's first screen.
A game only ever needs a scenario that has passed validation, so once a file
has been validated for play, its validated form (the `Scenario` dataclasses)
is kept here; the next game on the same bytes compiles it from the cache in a
few milliseconds, without importing either library.

* Where: `$KAZSIM_CACHE_DIR`, else `$XDG_CACHE_HOME/kazsim`, else
  `~/.cache/kazsim`, in `scenarios/`. Set `KAZSIM_CACHE_DIR` to an empty value
  to turn the cache off. Deleting the folder is always safe.
* Key: a hash of the file's bytes and its full path, kazsim's version, the
  source of the modules that turn a file into a `Scenario` (so a changed loader
  never reads an old entry) and the Python version. A variant's entry also
  records every file it extends, where it was found and its hash, and is used
  only while each is still found there, unchanged.
* An entry is a pickle of plain dataclasses behind a SHA-256 of its bytes.
  It is written atomically by kazsim itself, in the user's own cache folder,
  like Python's `.pyc` files; it is never shipped with a scenario, and an entry
  owned by another account or writable by others is never read. A missing,
  truncated, corrupt or foreign entry is ignored and the file is validated as
  usual; a cache that cannot be written is skipped silently.
* Only the game's loaders use it (`kazsim`, `kazsim play`, `replay`,
  `export`). `kazsim validate`, `check` and `--watch` always validate the file
  afresh: their job is to report every problem and warning.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import kazsim
from kazsim.scenario.compiled import CompiledScenario
from kazsim.scenario.errors import AuthorError
from kazsim.scenario.limits import MAX_BYTES
from kazsim.scenario.model import Scenario
from kazsim.untrusted import read_regular

if TYPE_CHECKING:
    from kazsim.scenario.locator import Locator

ENTRY_FORMAT = 1
# The modules whose code decides what a valid file turns into.
_LOADER_MODULES = ("model.py", "load.py", "yamlsafe.py", "variants.py", "catalog.py")
_HERE = Path(__file__).resolve().parent / "scenario"


class Dependency(NamedTuple):
    """A file a variant extends, as it was found: (name, from_file) -> path with sha256."""

    name: str
    from_file: str
    path: str
    sha256: str


class Entry(NamedTuple):
    format: int
    scenario: Scenario
    content_hash: str
    dependencies: tuple[Dependency, ...]


def cache_dir() -> Path | None:
    """The folder of cached scenarios, or None when the cache is off."""
    configured = os.environ.get("KAZSIM_CACHE_DIR")
    if configured is not None:
        return Path(configured) / "scenarios" if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    try:
        root = Path(base) if base else Path.home() / ".cache"
    except RuntimeError:  # no home folder
        return None
    return root / "kazsim" / "scenarios"


def load_for_play(path: str | os.PathLike[str]) -> tuple[CompiledScenario | None,
                                                           list[AuthorError]]:
    """Like `kazsim.scenario.load.validate_file`, from the cache when the file is known.

    A cache hit returns no warnings (they were reported when the file was validated).
    """
    name = str(path)
    try:  # under the loader's limit, never blocking (FileRefusedError is a ValueError)
        raw = read_regular(path, MAX_BYTES)
    except (OSError, ValueError):
        raw = None
    folder = cache_dir()
    if raw is None or folder is None:
        return _validate(name, raw, None)
    entry_path = folder / f"{_key(raw, name)}.pickle"
    entry = _read(entry_path)
    if entry is not None:
        compiled = _compile(entry, name)
        if compiled is not None:
            return compiled, []
    return _validate(name, raw, entry_path)


def _validate(name: str, raw: bytes | None,
              entry_path: Path | None) -> tuple[CompiledScenario | None, list[AuthorError]]:
    """Validate the file as usual and, when it is valid, keep it at `entry_path`."""
    from kazsim.scenario.catalog import resolve_extends
    from kazsim.scenario.load import load_text, validate_file

    if raw is None:
        return validate_file(name)  # cannot be read: let it say why
    found: list[Dependency] = []

    def resolve(base: str, from_file: str) -> tuple[bytes, str]:
        data, where = resolve_extends(base, from_file)
        found.append(Dependency(base, from_file, where, hashlib.sha256(data).hexdigest()))
        return data, where

    compiled, problems = load_text(raw, name, resolve=resolve)
    if compiled is not None and entry_path is not None:
        _write(entry_path, Entry(ENTRY_FORMAT, compiled.model, compiled.content_hash,
                                 tuple(found)))
    return compiled, problems


def _key(raw: bytes, name: str) -> str:
    """The entry's name: the file's bytes and where it is (a variant's base is found
    relative to it), kazsim's version, the loader's source, the Python version."""
    digest = hashlib.sha256()
    try:
        where = str(Path(name).resolve())
    except (OSError, RuntimeError):
        where = name
    digest.update(where.encode("utf-8", "surrogateescape") + b"\0")
    for part in (f"kazsim {kazsim.__version__}", sys.implementation.cache_tag or "",
                 f"entry {ENTRY_FORMAT}"):
        digest.update(part.encode() + b"\0")
    for module in _LOADER_MODULES:
        with contextlib.suppress(OSError):
            digest.update((_HERE / module).read_bytes())
        digest.update(b"\0")
    digest.update(raw)
    return digest.hexdigest()


def _read(entry_path: Path) -> Entry | None:
    """The entry at `entry_path` when it is whole and current; None otherwise."""
    try:
        with open(entry_path, "rb") as stream:
            if not _ours(os.fstat(stream.fileno())):
                return None
            stored = stream.read()
    except OSError:
        return None
    check, _, payload = stored.partition(b"\n")
    if check != hashlib.sha256(payload).hexdigest().encode():
        return None
    try:
        entry = pickle.loads(payload)  # noqa: S301 - our own file, checked above
    except Exception:  # noqa: BLE001 - a broken cache is a miss, never a crash
        return None
    if not (isinstance(entry, Entry) and entry.format == ENTRY_FORMAT
            and isinstance(entry.scenario, Scenario) and isinstance(entry.content_hash, str)):
        return None
    for dependency in entry.dependencies:
        if not _unchanged(dependency):
            return None
    return entry


def _ours(status: os.stat_result) -> bool:
    """Only an entry this user wrote, and nobody else may change, is unpickled (a cache
    folder put somewhere shared must not let another account run code through it)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # pragma: no cover - Windows: the folder's own permissions apply
        return True
    return status.st_uid == getuid() and not status.st_mode & 0o022


def _unchanged(dependency: Dependency) -> bool:
    from kazsim.scenario.catalog import resolve_extends

    try:
        data, where = resolve_extends(dependency.name, dependency.from_file)
    except OSError:
        return False
    return where == dependency.path and hashlib.sha256(data).hexdigest() == dependency.sha256


def _compile(entry: Entry, name: str) -> CompiledScenario | None:
    from kazsim.scenario.checks import compile_scenario

    compiled, _ = compile_scenario(entry.scenario, _unplaced(name), entry.content_hash, name)
    return compiled


def _write(entry_path: Path, entry: Entry) -> None:
    try:
        payload = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return
    data = hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
    try:
        entry_path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=entry_path.parent, prefix=".", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(temporary, entry_path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


class _Unplaced:
    """A stand-in for the loader's `Locator` when compiling a cached scenario.

    The scenario passed validation before it was cached, so the checks find no
    errors; should they (a check changed since), the file is validated afresh and
    the errors come with their positions.
    """

    def __init__(self, filename: str) -> None:
        self.filename = filename

    def error(self, path: Any, message: str, hint: str = "", *, key: bool = False,
              offset: int | None = None, severity: str = "error") -> AuthorError:
        return AuthorError(self.filename, 1, 1, message, hint,
                           "warning" if severity == "warning" else "error")


def _unplaced(filename: str) -> Locator:
    return _Unplaced(filename)  # type: ignore[return-value]


__all__ = ["cache_dir", "load_for_play"]
