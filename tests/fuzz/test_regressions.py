"""Every input the fuzzers (or people) ever found crashing kazsim, replayed in every run.

Files live under regressions/<target>/ (target: scenario, save, expression). A
case whose fix is not merged yet is listed in known.KNOWN with the crash it shows; it
is an xfail(strict=True) so that it fails once fixed: then delete its entry there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from . import targets
from .known import KNOWN

CASES = sorted(p for p in targets.REGRESSIONS.glob("*/*") if p.parent.name in targets.TARGETS)


def _param(path: Path) -> object:
    name = f"{path.parent.name}/{path.name}"
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN[name][0])] if name in KNOWN else []
    return pytest.param(path, id=name, marks=marks)


@pytest.mark.parametrize("path", [_param(p) for p in CASES])
def test_a_crash_found_once_never_comes_back(path: Path) -> None:
    targets.TARGETS[path.parent.name](path.read_bytes())


def test_every_known_crash_has_its_file_and_its_signature() -> None:
    from .known import known_crash

    for name in KNOWN:
        path = targets.REGRESSIONS / name
        assert path.is_file(), name
        with pytest.raises(BaseException) as info:  # any crash: its signature is checked
            targets.TARGETS[path.parent.name](path.read_bytes())
        assert known_crash(info.value) == name, info.value
