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
from kazsim.session.store import LEFTOVER_AGE, list_saves, read_save

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



# --- a kill at every step of a write ----------------------------------------------------------

STEPS = """
import errno, json, os, signal, sys
from pathlib import Path
from kazsim.session.store import write_atomic

folder, how, at = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
new = Path(sys.argv[4]).read_bytes()
old = Path(sys.argv[5]).read_bytes() if len(sys.argv) > 5 else None
if how.startswith("new save without links"):  # a USB stick's file system: no hard links
    code = errno.ENOTSUP if how.endswith("(ENOTSUP)") else errno.EPERM
    def no_link(src, dst, *args, **kwargs):
        raise OSError(code, os.strerror(code))
    os.link = no_link
CALLS = ("open", "close", "fsync", "replace", "rename", "link", "unlink", "fchmod", "lstat",
         "stat", "listdir", "utime", "mkdir")
report = []
step = 1
while True:
    target = folder / ("game.json" if how == "replace" else f"game-{step}.json")
    if old is not None:
        target.write_bytes(old)
    pid = os.fork()
    if pid == 0:  # the writer, killed just before its step-th call to the system
        calls = [0]
        def counted(name, real):
            def call(*args, **kwargs):
                if at == "any" or name in ("replace", "rename"):
                    calls[0] += 1
                    if calls[0] == step:
                        os.kill(os.getpid(), signal.SIGKILL)
                return real(*args, **kwargs)
            return call
        for name in CALLS:
            setattr(os, name, counted(name, getattr(os, name)))
        write_atomic(target, new, exclusive=how != "replace")
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    there = target.read_bytes() if target.exists() else None
    final = ("none" if there is None else "new" if there == new else "old" if there == old
             else "empty" if not there else "partial")
    report.append({"step": step, "killed": os.WIFSIGNALED(status), "final": final})
    if not os.WIFSIGNALED(status) or at != "any":
        break
    step += 1
print(json.dumps(report))
"""


def kill_steps(folder: Path, how: str, new: Path, old: Path | None = None, *,
               at: str = "any") -> list[dict[str, object]]:
    """Write `new` with write_atomic in forked writers, each killed one step later than the
    one before, until one finishes (`at`="rename": one writer, killed at its rename)."""
    import json

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [str(folder), how, at, str(new), *([str(old)] if old else [])]
    done = subprocess.run([sys.executable, "-c", STEPS, *args], capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    report: list[dict[str, object]] = json.loads(done.stdout)
    return report


needs_fork = pytest.mark.skipif(not hasattr(os, "fork") or not hasattr(signal, "SIGKILL"),
                                reason="needs fork and SIGKILL")


@needs_fork
@pytest.mark.parametrize("how", ["new save without links (EPERM)",
                                 "new save without links (ENOTSUP)", "new save", "replace"])
def test_a_kill_at_any_step_never_leaves_a_partial_file_under_the_final_name(
        tmp_path: Path, how: str) -> None:
    """Where hard links are missing (FAT USB sticks) a new save once claimed its name
    with an empty file first: a kill then left a 0-byte save."""
    small = ai_session(load_file(SCENARIOS / "tutorial.yaml"), 1, tmp_path / "a").path
    large = ai_session(load_file(SCENARIOS / "kazakhstan-2022.yaml"), 1, tmp_path / "b").path
    folder = tmp_path / "saves"
    folder.mkdir()
    report = kill_steps(folder, how, large, small if how == "replace" else None)
    assert len(report) > 8 and not report[-1]["killed"], "the kills missed the write"
    allowed = {"new", "old"} if how == "replace" else {"new", "none"}
    assert [(r["step"], r["final"]) for r in report if r["final"] not in allowed] == [], \
        "a kill left the final name empty or half written"
    assert report[-1]["final"] == "new"
    assert {r["final"] for r in report} == allowed, "no kill landed before the rename"
    for path in folder.iterdir():  # under a save's name: only whole saves
        if not path.name.startswith("."):
            read_save(path)


@needs_fork
def test_what_a_kill_during_a_finished_games_last_save_leaves_is_removed_later(
        tmp_path: Path) -> None:
    """A finished game is never saved again, so no later save of its own can sweep what
    the kill left: listing the folder does, and so does saving any game there."""
    tutorial = load_file(SCENARIOS / "tutorial.yaml")
    folder = tmp_path / "saves"
    finished = ai_session(tutorial, 1, folder, turns=2)
    before = tmp_path / "before.json"
    before.write_bytes(finished.path.read_bytes())
    while not finished.game.over:
        finished.game.play({r: finished.game.ai_decision(r) for r in tutorial.role_ids})
    last = tmp_path / "last.json"
    last.write_bytes(finished.document().to_json().encode())
    finished.path.unlink()
    report = kill_steps(folder, "replace", last, before, at="rename")
    assert report == [{"step": 1, "killed": True, "final": "old"}]
    leftovers = [p for p in folder.iterdir() if p.name.startswith(".game.json.")]
    assert len(leftovers) == 1, "the kill left nothing behind: the test proved nothing"
    assert read_save(folder / "game.json").ending is None  # the old save, whole
    long_ago = time.time() - LEFTOVER_AGE - 60
    os.utime(leftovers[0], (long_ago, long_ago))
    assert [e.path.name for e in list_saves(folder)] == ["game.json"]
    assert not leftovers[0].exists(), "listing the saves did not sweep"
    leftovers[0].write_bytes(b"{half a sav")
    os.utime(leftovers[0], (long_ago, long_ago))
    ai_session(tutorial, 2, folder, turns=1)  # another game, in the same folder
    assert not leftovers[0].exists(), "a save in the folder did not sweep"
