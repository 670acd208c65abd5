"""`kazsim validate --watch`: checks again after each save, stops cleanly on Ctrl-C."""

from __future__ import annotations

import io
import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kazsim.analysis.watch import base_of, watch
from kazsim.cli import main
from kazsim.scenario.load import validate_file

from .support import SCENARIOS

FIXED = time.struct_time((2026, 7, 6, 14, 3, 22, 0, 187, 0))


def touch(path: Path, text: str, bump: int) -> None:
    """Save `text`, with a modification time `bump` seconds later than before."""
    before = path.stat().st_mtime_ns if path.exists() else time.time_ns()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + bump * 1_000_000_000, before + bump * 1_000_000_000))


def saving(edits: list[Callable[[], None]]) -> Callable[[float], None]:
    """A `sleep` that makes the next edit instead of waiting."""
    queue = list(edits)

    def sleep(_: float) -> None:
        if queue:
            queue.pop(0)()

    return sleep


def test_checks_again_after_every_save(tmp_path: Path) -> None:
    path = tmp_path / "tutorial.yaml"
    shutil.copy(SCENARIOS / "tutorial.yaml", path)
    good = path.read_text(encoding="utf-8")
    bad = good.replace("turns: 5", "turns: five")
    out = io.StringIO()
    status = watch([str(path)], validate_file, polls=4, out=out, now=lambda: FIXED,
                   sleep=saving([lambda: touch(path, bad, 1), lambda: None,
                                 lambda: touch(path, good, 2)]))
    assert status == 0
    text = out.getvalue()
    assert text.startswith("watching 1 file; press Ctrl-C to stop\n")
    assert text.count(f"── 14:03:22  {path} ──") == 3  # at the start and after two saves
    first, second, third = text.split("── 14:03:22")[1:]
    assert "valid (Tutorial: The Bread Price Strike" in first
    assert "expected a whole number" in second and "1 error" in second
    assert "valid (" in third


def test_ctrl_c_stops_with_status_zero(tmp_path: Path) -> None:
    path = tmp_path / "tutorial.yaml"
    shutil.copy(SCENARIOS / "tutorial.yaml", path)

    def interrupt(_: float) -> None:
        raise KeyboardInterrupt

    out = io.StringIO()
    assert watch([str(path)], validate_file, sleep=interrupt, out=out) == 0
    assert out.getvalue().endswith("stopped watching\n")


def test_a_stop_event_ends_the_loop(tmp_path: Path) -> None:
    path = tmp_path / "tutorial.yaml"
    shutil.copy(SCENARIOS / "tutorial.yaml", path)
    stop = threading.Event()
    stop.set()
    out = io.StringIO()
    assert watch([str(path)], validate_file, stop=stop, out=out, sleep=lambda _: None) == 0
    assert out.getvalue().count("──") == 2  # one header: the first check only


def test_a_deleted_file_is_reported_and_watched_until_it_returns(tmp_path: Path) -> None:
    path = tmp_path / "tutorial.yaml"
    shutil.copy(SCENARIOS / "tutorial.yaml", path)
    text = path.read_text(encoding="utf-8")
    out = io.StringIO()
    watch([str(path)], validate_file, polls=2, out=out, now=lambda: FIXED,
          sleep=saving([path.unlink, lambda: touch(path, text, 5)]))
    checks = out.getvalue().split("── 14:03:22")[1:]
    assert len(checks) == 3 and "file not found" in checks[1] and "valid (" in checks[2]


def test_a_variant_is_checked_again_when_its_base_is_saved(tmp_path: Path) -> None:
    base = tmp_path / "tutorial.yaml"
    shutil.copy(SCENARIOS / "tutorial.yaml", base)
    variant = tmp_path / "rich.yaml"
    variant.write_text("extends: tutorial.yaml\nid: rich\n", encoding="utf-8")
    assert base_of(variant) == base
    assert base_of(base) is None
    broken = base.read_text(encoding="utf-8").replace("start: 130", "start: 1300")
    out = io.StringIO()
    watch([str(variant)], validate_file, polls=1, out=out, now=lambda: FIXED,
          sleep=saving([lambda: touch(base, broken, 1)]))
    checks = out.getvalue().split("── 14:03:22")[1:]
    assert len(checks) == 2 and "outside the range" in checks[1]


def test_the_cli_runs_the_watch_loop(monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    def interrupt(_: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(time, "sleep", interrupt)
    assert main(["validate", "--watch", str(SCENARIOS / "tutorial.yaml")]) == 0
    assert "stopped watching" in capsys.readouterr().out
