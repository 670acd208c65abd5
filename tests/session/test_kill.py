"""A writer killed at any moment leaves a complete save, old or new.

A subprocess rewrites one save file in a loop, alternating two different
valid saves; it is killed with SIGKILL after a random short delay, many times.
After each kill the file must be exactly one of the two saves and load.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kazsim.scenario import load_file
from kazsim.session.store import list_saves, read_save

from .support import ROOT, SCENARIOS, ai_session

WRITER = """
import sys
from pathlib import Path
from kazsim.session.store import write_atomic
target = Path(sys.argv[1])
docs = [Path(name).read_bytes() for name in sys.argv[2:]]
print("ready", flush=True)
n = 0
while True:
    write_atomic(target, docs[n % 2])
    n += 1
"""

KILLS = 40


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killing_a_writer_never_leaves_a_broken_save(tmp_path: Path) -> None:
    small = ai_session(load_file(SCENARIOS / "tutorial.yaml"), 1, tmp_path / "a").path
    large = ai_session(load_file(SCENARIOS / "kazakhstan-2022.yaml"), 1, tmp_path / "b").path
    versions = {small.read_bytes(), large.read_bytes()}
    folder = tmp_path / "saves"
    folder.mkdir()
    target = folder / "game.json"
    target.write_bytes(small.read_bytes())
    rng = random.Random(20220105)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    seen: set[bytes] = set()
    for _ in range(KILLS):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(target), str(large),
                                   str(small)], stdout=subprocess.PIPE, env=env)
        assert writer.stdout is not None and writer.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.02))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
        data = target.read_bytes()
        assert data in versions, "the save is neither the old nor the new one"
        read_save(target)
        seen.add(data)
    leftovers = [p.name for p in folder.iterdir() if p.name != "game.json"]
    assert leftovers, "no kill landed inside a write: the test proved nothing"
    assert all(name.startswith(".game.json.") and name.endswith(".tmp") for name in leftovers)
    assert len(seen) == 2
    entries = list_saves(folder)
    assert [(e.path.name, e.problem) for e in entries] == [("game.json", "")]
