"""Every input the fuzzers (or people) ever found crashing kazsim, replayed in every run.

Files live under regressions/<target>/ (target: scenario, save, expression). A
case whose fix is not merged yet is listed in KNOWN with the crash it shows; it is
an xfail(strict=True) so that it fails once fixed: then delete its line here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from . import targets

KNOWN: dict[str, str] = {
    "scenario/huge-integer-where-a-list-belongs.yaml":
        "OverflowError: int too large to convert to float, in kazsim/scenario/load.py "
        "_shown (f'{value:.3g}' of a 400-digit integer in the message for a wrong type)",
    "expression/syntax-warning-1e999or.txt":
        "Python's parser prints '<unknown>:1: SyntaxWarning: invalid decimal literal' to "
        "the terminal (kazsim/scenario/expr.py calls ast.parse without silencing warnings; "
        "`kazsim validate` shows it too)",
}

CASES = sorted(p for p in targets.REGRESSIONS.glob("*/*") if p.parent.name in targets.TARGETS)


def _param(path: Path) -> object:
    name = f"{path.parent.name}/{path.name}"
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN[name])] if name in KNOWN else []
    return pytest.param(path, id=name, marks=marks)


@pytest.mark.parametrize("path", [_param(p) for p in CASES])
def test_a_crash_found_once_never_comes_back(path: Path) -> None:
    targets.TARGETS[path.parent.name](path.read_bytes())


def test_every_known_crash_has_its_file() -> None:
    assert sorted(KNOWN) == sorted(k for k in KNOWN
                                   if (targets.REGRESSIONS / k).is_file())
