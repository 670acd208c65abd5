"""Finding and compiling a scenario for the game, with problems as one message.

Run in a worker thread, after the first frame is on screen: this is where the
scenario is read (from the cache of validated scenarios when the file is known,
else validated, which imports pydantic and PyYAML).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kazsim.scenario.compiled import CompiledScenario


def compile_scenario(name: str) -> tuple[CompiledScenario | None, str]:
    """A scenario by id or path, compiled; or (None, every problem, one per line)."""
    from kazsim.cache import load_for_play
    from kazsim.scenario.catalog import find_scenario

    path = find_scenario(name)
    if path is None:
        return None, (f"no scenario called '{name}': run 'kazsim list' to see them, "
                      "or give the path of a .yaml file")
    compiled, problems = load_for_play(shown(path))
    if compiled is None:
        return None, "\n".join(str(p) for p in problems)
    return compiled, ""


def shown(path: Path) -> Path:
    """A path as a player would type it: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path
