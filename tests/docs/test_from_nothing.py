"""A teacher follows the guide: from an empty file to a scenario that plays.

Like a reader, the test starts with an empty file, pastes each step of the
worked example at its end, and runs `kazsim validate` after every step: the
file is incomplete (exit 1, every problem with a line number) until the
endings are in, then valid. Then it plays with `kazsim play --auto`,
play-tests with `kazsim check`, applies the guide's balance changes, and
checks again.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .guide import WORKED_FILE, blocks, final_stage, run


def test_a_scenario_written_the_way_the_guide_teaches(tmp_path: Path) -> None:
    steps = [b for b in blocks() if b.lang == "yaml" and b.tag == "step"]
    path = tmp_path / WORKED_FILE
    path.write_text("", encoding="utf-8")
    status, out = run(["validate", WORKED_FILE], tmp_path)
    assert status == 1 and out[0].startswith(f"{WORKED_FILE}:1:1: the file is empty")

    for number, step in enumerate(steps, start=1):
        text = path.read_text(encoding="utf-8")
        path.write_text(text + ("\n" if text else "") + step.text, encoding="utf-8")
        status, out = run(["validate", WORKED_FILE], tmp_path)
        if number < len(steps):
            assert status == 1, f"after step {number} the file should still be incomplete"
            problems = [line for line in out if re.match(rf"{WORKED_FILE}:\d+:\d+: ", line)]
            assert problems and out[-1] == f"{WORKED_FILE}: {len(problems)} error" + (
                "s" if len(problems) > 1 else "")
        else:
            assert status == 0, "\n".join(out)
            assert out == [f"{WORKED_FILE}: valid (Dry Taps: the Korvel water protest, "
                           "2 roles, 7 turns)"]

    status, out = run(["play", WORKED_FILE, "--auto", "--seed", "7"], tmp_path)
    assert status == 0
    assert any(line.startswith("══ Ending: ") for line in out)

    status, out = run(["check", WORKED_FILE, "--runs", "300", "--format", "json"], tmp_path)
    assert status == 0
    first = json.loads("\n".join(line for line in out if not line.startswith("played ")))
    assert sum(e["count"] for e in first["endings"].values()) == 300

    path.write_text(final_stage().text, encoding="utf-8")  # the balance changes, applied
    status, out = run(["check", WORKED_FILE, "--runs", "300", "--format", "json"], tmp_path)
    assert status == 0
    final = json.loads("\n".join(line for line in out if not line.startswith("played ")))
    shares = [e["share"] for e in final["endings"].values()]
    assert max(shares) < max(e["share"] for e in first["endings"].values())
    assert all(share > 0 for share in shares)
