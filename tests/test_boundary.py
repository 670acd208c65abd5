"""The floors of the house: the rules and the format stand on nothing above them.

`kazsim.scenario` and `kazsim.engine` (and the text rendering in `kazsim.story`)
must load without Textual, the session layer or the play-testing toolkit, and
must not reach for the clock, the operating system or global random state.
The first test imports them in a fresh interpreter; the second reads their
source.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE = sorted((ROOT / "kazsim" / "engine").glob("*.py")) + sorted(
    (ROOT / "kazsim" / "scenario").glob("*.py"))
FORBIDDEN_PACKAGES = ("textual", "kazsim.tui", "kazsim.session", "kazsim.analysis")
FORBIDDEN_MODULES = {"time", "os", "textual", "socket", "subprocess", "threading"}
ALLOWED_FROM_RANDOM = {"Random"}  # a generator that is passed in; never the global one
CLOCK_CALLS = {"now", "today", "utcnow", "time", "monotonic", "perf_counter"}

IMPORT_ALL = """
import json, sys
import kazsim.scenario, kazsim.engine, kazsim.story
import kazsim.scenario.catalog, kazsim.scenario.variants, kazsim.scenario.load
print(json.dumps(sorted(sys.modules)))
"""


def test_the_core_loads_no_interface_in_a_fresh_interpreter() -> None:
    result = subprocess.run([sys.executable, "-c", IMPORT_ALL], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    modules = json.loads(result.stdout)
    assert "kazsim.engine.resolve" in modules and "kazsim.scenario.expr" in modules
    loaded = [m for m in modules
              if any(m == p or m.startswith(p + ".") for p in FORBIDDEN_PACKAGES)]
    assert loaded == []


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Line numbers of imports under `if TYPE_CHECKING:` (they never run)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def problems_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_only(tree)
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    found: list[str] = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", 0) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top in FORBIDDEN_MODULES or _forbidden_package(alias.name):
                    found.append(f"{where}:{node.lineno}: imports {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module.split(".")[0] in FORBIDDEN_MODULES or _forbidden_package(module):
                found.append(f"{where}:{node.lineno}: imports from {module}")
            if module == "random":
                for alias in node.names:
                    if alias.name not in ALLOWED_FROM_RANDOM:
                        found.append(f"{where}:{node.lineno}: imports random.{alias.name}")
        elif isinstance(node, ast.Attribute):
            owner = node.value
            if (isinstance(owner, ast.Name) and owner.id == "random"
                    and node.attr not in ALLOWED_FROM_RANDOM):
                found.append(f"{where}:{node.lineno}: uses the global random.{node.attr}")
            if node.attr in CLOCK_CALLS and isinstance(owner, ast.Name | ast.Attribute):
                found.append(f"{where}:{node.lineno}: reads the clock (.{node.attr})")
    return found


def _forbidden_package(module: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in FORBIDDEN_PACKAGES)


@pytest.mark.parametrize("path", PURE, ids=[str(p.relative_to(ROOT)) for p in PURE])
def test_the_core_is_pure(path: Path) -> None:
    assert problems_in(path) == []


@pytest.mark.parametrize(("source", "problem"), [
    ("import random\nrandom.choice([1])\n", "uses the global random.choice"),
    ("from random import shuffle\n", "imports random.shuffle"),
    ("import time\n", "imports time"),
    ("import os.path\n", "imports os.path"),
    ("from os import environ\n", "imports from os"),
    ("import datetime\ndatetime.datetime.now()\n", "reads the clock (.now)"),
    ("import datetime as dt\ndt.date.today()\n", "reads the clock (.today)"),
    ("from textual.app import App\n", "imports from textual.app"),
    ("import kazsim.session.autoplay\n", "imports kazsim.session.autoplay"),
])
def test_the_scan_finds_what_it_looks_for(tmp_path: Path, source: str, problem: str) -> None:
    """The scan is not vacuous: each forbidden use in a sample file is reported."""
    sample = tmp_path / "sample.py"
    sample.write_text(source, encoding="utf-8")
    assert [p.split(": ", 1)[1] for p in problems_in(sample)] == [problem]


def test_type_checking_imports_and_a_passed_in_generator_are_allowed(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from typing import TYPE_CHECKING\nimport random\n"
                      "if TYPE_CHECKING:\n    import os\n"
                      "def f(rng: random.Random) -> float:\n    return rng.random()\n",
                      encoding="utf-8")
    assert problems_in(sample) == []


# --- no import cycles in the core -------------------------------------------------------------

CORE = ("kazsim.scenario", "kazsim.engine")


def _module_name(path: Path, root: Path = ROOT) -> str:
    return ".".join(path.relative_to(root).with_suffix("").parts)


def import_graph(paths: list[Path], root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the core modules it imports, counting every import: at the top, inside
    functions, and under `if TYPE_CHECKING:` (a cycle there still ties the modules together).
    Packages (`__init__`) are left out: theirs are lazy, and every module imports its package."""
    modules = {_module_name(p, root): p for p in paths if p.name != "__init__.py"}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                targets = [f"{node.module}.{alias.name}" for alias in node.names]
                targets.append(node.module)
            for target in targets:
                if target in modules and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first walk, each as the modules along it."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        path.append(name)
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                found.append([*path[path.index(target):], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    return found


def test_the_core_has_no_import_cycles() -> None:
    core = [p for p in PURE if _module_name(p).startswith(CORE)]
    assert cycles(import_graph(core)) == []


def test_the_cycle_finder_finds_a_cycle(tmp_path: Path) -> None:
    """Not vacuous: `a` imports `b` at the top, `b` imports `a` for typing only, and `c`
    imports `a` inside a function."""
    graph = {"kazsim.scenario.a": {"kazsim.scenario.b"}, "kazsim.scenario.b": {"kazsim.scenario.a"},
             "kazsim.scenario.c": {"kazsim.scenario.a"}}
    source = tmp_path / "kazsim" / "scenario"
    source.mkdir(parents=True)
    (source / "a.py").write_text("from kazsim.scenario import b\n", encoding="utf-8")
    (source / "b.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                 "    from kazsim.scenario.a import thing\n", encoding="utf-8")
    (source / "c.py").write_text("def f() -> None:\n    import kazsim.scenario.a\n",
                                 encoding="utf-8")
    found = import_graph(sorted(source.glob("*.py")), tmp_path)
    assert found == graph
    assert cycles(found) == [["kazsim.scenario.a", "kazsim.scenario.b", "kazsim.scenario.a"]]
