"""Stopping a multi-process `kazsim check`: one line, a non-zero status, no worker traceback.

The real command runs in its own process group with two workers; once both
workers are running games it gets SIGTERM (only the main process, as `kill
PID` does), SIGTERM to the whole group (as a closing terminal or `kill -- -PGID`
does), or SIGINT to the whole group (Ctrl-C).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux's /proc")
@pytest.mark.parametrize(("signum", "group", "status", "word"), [
    (signal.SIGTERM, False, 143, "terminated"),
    (signal.SIGTERM, True, 143, "terminated"),
    (signal.SIGINT, True, 130, "interrupted"),
], ids=["sigterm", "sigterm-group", "ctrl-c"])
def test_check_stops_cleanly(tmp_path: Path, signum: int, group: bool, status: int,
                             word: str) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "kazsim", "check", "tutorial", "--runs", "200000", "--jobs", "2",
             "--no-exploits"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while len(children(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(children(process.pid)) >= 2, "the workers did not start"
        time.sleep(1.0)  # the workers are playing games
        if group:
            os.killpg(process.pid, signum)
        else:
            process.send_signal(signum)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == status, err
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"kazsim check: {word} after ")
    assert lines[0].endswith(" of 200,000 games; no report written")


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux's /proc")
def test_a_worker_killed_ends_the_check_with_a_message(tmp_path: Path) -> None:
    """A worker killed from outside (SIGKILL, as the kernel's out-of-memory killer does)
    ends the check with one line, instead of waiting forever for the games it had."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kazsim", "check", "tutorial", "--runs", "200000", "--jobs", "2",
             "--no-exploits"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while len(children(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = children(process.pid)
        assert len(workers) >= 2, "the workers did not start"
        time.sleep(1.0)
        os.kill(workers[0], signal.SIGKILL)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode not in (0, None), err
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "a worker process ended unexpectedly (exit code -9)" in lines[0]
    assert len(children(process.pid)) == 0
