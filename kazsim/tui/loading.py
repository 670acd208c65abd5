"""Finding and compiling a scenario for the game, with problems as one message.

Run in a worker thread: this is where pydantic and the YAML loader are first
imported, after the first frame is on screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kazsim.scenario.compiled import CompiledScenario


def compile_scenario(name: str) -> tuple[CompiledScenario | None, str]:
    """A scenario by id or path, compiled; or (None, every problem, one per line)."""
    from kazsim.scenario.catalog import find_scenario
    from kazsim.scenario.load import errors_text, validate_file

    path = find_scenario(name)
    if path is None:
        return None, (f"no scenario called '{name}': run 'kazsim list' to see them, "
                      "or give the path of a .yaml file")
    compiled, problems = validate_file(shown(path))
    if compiled is None:
        return None, errors_text(problems)
    return compiled, ""


def shown(path: Path) -> Path:
    """A path as a player would type it: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path
