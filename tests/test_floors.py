"""The pure floors load no interface and nothing that talks to the outside, as a command runs them.

`kazsim.scenario`, `kazsim.engine` and `kazsim.story` (with the base modules
`kazsim.untrusted` and `kazsim.places`) are imported, every module of them, in a
fresh interpreter; none of Textual, Rich, the faces above them, the cache or the
process and network modules may be loaded by that. The same rule, as written
import by import, is an import-linter contract (pyproject.toml, `lint-imports`),
which this test also runs.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ["scenario", "engine"]
FORBIDDEN = ("textual", "rich", "kazsim.tui", "kazsim.session", "kazsim.analysis",
             "kazsim.cache", "kazsim.cli", "socket", "subprocess")


def pure_modules() -> list[str]:
    names = ["kazsim.story", "kazsim.untrusted", "kazsim.places"]
    for floor in FLOORS:
        for path in sorted((ROOT / "kazsim" / floor).glob("*.py")):
            names.append(f"kazsim.{floor}" if path.stem == "__init__"
                         else f"kazsim.{floor}.{path.stem}")
    return names


def test_the_pure_floors_load_no_interface_in_a_fresh_interpreter() -> None:
    modules = pure_modules()
    code = ("import importlib, json, sys\n"
            f"for name in {modules!r}:\n    importlib.import_module(name)\n"
            "print(json.dumps(sorted(sys.modules)))\n")
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                       text=True, cwd=ROOT, check=True).stdout)
    assert set(modules) <= set(loaded)
    assert [m for m in loaded if any(m == f or m.startswith(f + ".") for f in FORBIDDEN)] == []


def test_the_import_contracts_are_kept() -> None:
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert command is not None, "import-linter is in the test extra: pip install -e '.[test]'"
    result = subprocess.run([command, "--no-cache"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
