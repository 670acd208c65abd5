"""A scenario's content hash: the one definition of "this exact scenario file".

A save records the content hash of the scenario it was played on, and replaying
looks for the file with that hash. Both sides compute it here:

* a scenario file: the SHA-256 (hex) of its bytes;
* a variant (a file with ``extends:``): the SHA-256 of its bytes followed by the
  content hash of the file it extends, so that editing the base changes the
  variant's hash too (a variant's base is never itself a variant).

The loader (`kazsim.scenario.load`) calls `content_hash` with the bytes it has
read; `file_content_hash` reads a file (and its base) from disk for whoever
must recognise a scenario file by its hash without compiling it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import os

__all__ = ["content_hash", "file_content_hash"]


def content_hash(raw: bytes, base_hash: str = "") -> str:
    """The content hash of a scenario file's bytes; `base_hash` is the content hash of
    the file a variant extends ('' for a scenario that extends nothing)."""
    return hashlib.sha256(raw + base_hash.encode("ascii")).hexdigest()


def file_content_hash(path: str | os.PathLike[str]) -> str:
    """The content hash of the scenario file at `path`, reading the file it extends if
    it is a variant, exactly as loading it would compute it.

    Only regular files of at most the scenario size limit are read (a FIFO or a
    device is refused at once, never waited on). Raises `OSError` or
    `kazsim.untrusted.FileRefusedError` (a `ValueError`) when a file cannot be
    read or the base of a variant cannot be found.
    """
    from kazsim.scenario.catalog import resolve_extends
    from kazsim.scenario.limits import MAX_BYTES
    from kazsim.untrusted import read_regular

    raw = read_regular(path, MAX_BYTES)
    target = _extends(raw)
    if target is None:
        return content_hash(raw)
    base, _ = resolve_extends(target, str(path))
    return content_hash(raw, content_hash(base))


def _extends(raw: bytes) -> str | None:
    """What a variant's `extends:` names, as the loader reads it; None for a scenario
    (or for text the loader could not read at all: it has no content hash then)."""
    if b"extends" not in raw:
        return None  # the quick answer for every file that is not a variant
    from kazsim.scenario.yamlsafe import YamlProblem, decode, read_yaml

    try:
        data = read_yaml(decode(raw)).data
    except YamlProblem:
        return None
    target = data.get("extends") if isinstance(data, Mapping) else None
    return target.strip() if isinstance(target, str) and target.strip() else None
