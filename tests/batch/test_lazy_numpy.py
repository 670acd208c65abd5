"""numpy is loaded only when the batch engine plays: never by the terminal game's start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

TUTORIAL = Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml"
STARTS = ["kazsim.cli", "kazsim.tui.app", "kazsim.analysis.simulate", "kazsim.analysis.report",
          "kazsim.engine", "kazsim.session", "kazsim.classroom.server"]


@pytest.mark.parametrize("module", STARTS)
def test_importing_does_not_load_numpy(module: str) -> None:
    code = f"import sys, {module}; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"


def test_playing_a_batch_does() -> None:
    code = ("import sys; from kazsim.analysis.simulate import run_games; "
            "from kazsim.scenario.load import load_file; "
            f"run_games(load_file({str(TUTORIAL)!r}), 20, jobs=1); "
            "print('numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "True"
