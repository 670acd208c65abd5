"""The title screen's first frame imports nothing heavy (the startup benchmark's premise).

pydantic, YAML and the scenario package load in a worker after the first frame;
if a module-level import brings them into `kazsim.tui.app`, the title appears
later. Checked in a fresh interpreter, as the command runs it.
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pydantic", "yaml", "kazsim.scenario", "kazsim.engine", "kazsim.session")


def test_the_app_and_title_screen_import_nothing_heavy() -> None:
    code = ("import sys, kazsim.cli, kazsim.tui.launch, kazsim.tui.app, "
            "kazsim.tui.screens.title, kazsim.tui.screens.loading; "
            f"print([m for m in sys.modules if m.startswith({HEAVY!r})])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]", f"imported before the first frame: {out}"
