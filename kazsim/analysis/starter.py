"""`kazsim new NAME`: write a commented starter scenario that validates and plays as it is.

The starter (starter_template.yaml beside this module) is a small, complete,
invented crisis whose comments teach the format. Its first line is the editor
modeline ``# yaml-language-server: $schema=...``: editors with YAML support
(VS Code's YAML extension, and others using the same language server) then
complete and check fields as the teacher types.

Where the modeline points: a schema file in the same folder, written next to
the new scenario (``scenario.schema.json``) and refreshed if an older kazsim
wrote it there. In a kazsim checkout, where ``scenarios/../docs/`` already
holds the committed, current schema, that one is used instead of a copy.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from importlib import resources
from pathlib import Path

from kazsim.analysis.schema import SCHEMA_FILE, schema_text

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
TEMPLATE_ID = "fees_occupation"
MODELINE = "# yaml-language-server: $schema="


def template_text() -> str:
    """The starter file exactly as shipped (its id is `fees_occupation`)."""
    return resources.files("kazsim.analysis").joinpath("starter_template.yaml").read_text(
        encoding="utf-8")


def suggest_id(name: str) -> str:
    """A valid id close to what was typed ('Water Crisis-2' -> 'water_crisis_2')."""
    text = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    if not text or not text[0].isalpha():
        text = "s_" + text if text else "my_crisis"
    return text[:40].rstrip("_")


def starter_text(scenario_id: str, schema_ref: str, path: str = "") -> str:
    """The starter with its id, the modeline's schema path and its own path filled in."""
    text = template_text().replace("THIS_FILE", path or f"{scenario_id}.yaml")
    first, rest = text.split("\n", 1)
    assert first.startswith(MODELINE), "the template must start with the modeline"
    rest, count = re.subn(rf"^id: {TEMPLATE_ID}\b", f"id: {scenario_id}", rest, count=1,
                          flags=re.MULTILINE)
    assert count == 1, "the template must have a top-level 'id:' line"
    return f"{MODELINE}{schema_ref}\n{rest}"


def _is_ours(path: Path) -> bool:
    try:
        return '"title": "kazsim scenario"' in path.read_text(encoding="utf-8")[:4000]
    except (OSError, UnicodeDecodeError):
        return False


def place_schema(directory: Path) -> tuple[str, Path | None]:
    """Make sure a current schema sits where the modeline can find it.

    Returns (the path to write in the modeline, the schema file written or None).
    """
    current = schema_text()
    checkout = directory / ".." / "docs" / SCHEMA_FILE
    if checkout.is_file() and checkout.read_text(encoding="utf-8") == current:
        return f"../docs/{SCHEMA_FILE}", None
    target = directory / SCHEMA_FILE
    if target.is_file():
        if target.read_text(encoding="utf-8") == current:
            return SCHEMA_FILE, None
        if not _is_ours(target):
            print(f"kazsim new: left {target} alone (it is not a kazsim schema); editors "
                  "will not check this file until you run 'kazsim schema -o FILE' and "
                  "fix the first line", file=sys.stderr)
            return SCHEMA_FILE, None
    _write(target, current)
    return SCHEMA_FILE, target


def _write(path: Path, text: str) -> None:
    """Write through a temporary file, so a failure never leaves half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def new_command(name: str, directory: str, force: bool = False) -> int:
    """`kazsim new NAME [-d DIR] [--force]`; returns the exit status."""
    if not ID_PATTERN.match(name):
        print(f"kazsim new: '{name}' cannot be a scenario id — use lower-case letters, "
              f"digits and _, starting with a letter, at most 40 characters: for example "
              f"'kazsim new {suggest_id(name)}'", file=sys.stderr)
        return 1
    folder = Path(directory)
    target = folder / f"{name}.yaml"
    if target.exists() and not force:
        print(f"kazsim new: {target} already exists; nothing was written. Choose another "
              "name, or add --force to replace it", file=sys.stderr)
        return 1
    if target.is_dir():
        print(f"kazsim new: {target} is a folder", file=sys.stderr)
        return 1
    try:
        folder.mkdir(parents=True, exist_ok=True)
        schema_ref, schema_written = place_schema(folder)
        _write(target, starter_text(name, schema_ref, str(target)))
    except OSError as exc:
        print(f"kazsim new: cannot write {target}: {exc.strerror}", file=sys.stderr)
        return 1
    also = f" (and {schema_written}, for your editor)" if schema_written else ""
    print(f"wrote {target}{also}")
    print("Next:")
    print(f"  kazsim validate --watch {target}   check it again on every save")
    print(f"  kazsim play {target} --auto        watch the computer play it")
    print(f"  kazsim check {target}              play-test it 1,000 times")
    return 0
