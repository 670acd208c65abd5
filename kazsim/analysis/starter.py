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

Where the scenario goes: ``./scenarios`` when the current folder has one (a
checkout does, and `kazsim list` shows what is there), else the current
folder, so that ``kazsim new x`` then ``kazsim validate x`` (or ``x.yaml``)
works from any folder. NAME may use hyphens: ``kazsim new my-class`` writes
``my-class.yaml`` with the id ``my_class``. Files get the user's normal
permissions (what their umask gives), like any file they create.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
import tempfile
from importlib import resources
from pathlib import Path

from kazsim.analysis.schema import SCHEMA_FILE, schema_text
from kazsim.untrusted import printable_line

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
            print(f"kazsim new: left {printable_line(str(target.absolute()))} alone (it is "
                  "not a kazsim schema); editors will not check this file until you run "
                  "'kazsim schema -o FILE' and fix the first line", file=sys.stderr)
            return SCHEMA_FILE, None
    _write(target, current)
    return SCHEMA_FILE, target


def _mode_for(path: Path) -> int:
    """The permissions a new file gets from the umask (a file replaced keeps its own)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def _write(path: Path, text: str) -> None:
    """Write through a temporary file, so a failure never leaves half a file.

    The temporary file is private (mkstemp makes it 0600); the file put in
    place has the permissions the user's other files get.
    """
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def default_folder() -> Path:
    """Where `kazsim new` writes without -d: ./scenarios if it exists, else here."""
    return Path("scenarios") if Path("scenarios").is_dir() else Path(".")


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def new_command(name: str, directory: str | None = None, force: bool = False) -> int:
    """`kazsim new NAME [-d DIR] [--force]`; returns the exit status.

    NAME is the file's name and, with hyphens as underscores, the scenario's id.
    """
    scenario_id = name.replace("-", "_")
    if not ID_PATTERN.match(scenario_id):
        print(f"kazsim new: '{printable_line(name)}' cannot be a scenario name — use "
              "lower-case letters, digits, _ and -, starting with a letter, at most 40 "
              f"characters: for example 'kazsim new {suggest_id(name)}'", file=sys.stderr)
        return 1
    folder = Path(directory) if directory is not None else default_folder()
    target = folder / f"{name}.yaml"
    full = target.absolute()
    if target.is_dir():
        print(f"kazsim new: {printable_line(str(full))} is a folder", file=sys.stderr)
        return 1
    if target.exists() and not force:
        print(f"kazsim new: {printable_line(str(full))} already exists; nothing was written. "
              "Choose another name, or add --force to replace it", file=sys.stderr)
        return 1
    clash = _bundled_clash(scenario_id, full)
    if clash is not None:
        print(f"kazsim new: kazsim already has a scenario with the id '{scenario_id}' "
              f"({printable_line(str(clash))}), so 'kazsim play {scenario_id}' would not "
              "open yours; choose another name", file=sys.stderr)
        return 1
    path = shown(target)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        schema_ref, schema_written = place_schema(folder)
        _write(target, starter_text(scenario_id, schema_ref, path))
    except OSError as exc:
        print(f"kazsim new: cannot write {printable_line(str(full))}: {exc.strerror}",
              file=sys.stderr)
        return 1
    also = (f" (and {printable_line(str(schema_written.absolute()))}, for your editor)"
            if schema_written else "")
    command = shlex.quote(path)
    print(f"wrote {printable_line(str(full))}{also}")
    print(f"The scenario's id is {scenario_id}. Next:")
    print(f"  kazsim validate {command}           check it (again after every change)")
    print(f"  kazsim validate --watch {command}   check it again on every save")
    print(f"  kazsim play {command} --auto        watch the computer play it")
    print(f"  kazsim check {command}              play-test it 1,000 times")
    print("The authoring guide explains every field: 'kazsim docs' says where it is.")
    return 0


def _bundled_clash(scenario_id: str, target: Path) -> Path | None:
    """A scenario kazsim ships (or ./scenarios holds) whose id is `scenario_id`, if not
    `target` itself."""
    from kazsim.scenario.catalog import list_scenarios

    for entry in list_scenarios():
        if entry.id == scenario_id and entry.path.resolve() != target.resolve():
            return entry.path
    return None
