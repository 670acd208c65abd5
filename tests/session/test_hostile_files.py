"""Saves and save folders that other people made: nothing hangs, nothing crashes.

A save's timestamps may be out of the range UTC can hold; its scenario path may
point at /dev/zero, a symbolic link to it, or a FIFO; the save folder may hold a
FIFO. Each is run in a fresh interpreter with a time limit and a memory limit,
so that a regression fails the test instead of hanging or eating the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kazsim.cli import main
from kazsim.scenario import CompiledScenario
from kazsim.session.model import SaveError
from kazsim.session.replay import load_session
from kazsim.session.store import list_saves, read_save

from .support import ROOT, ai_session, edit

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
OUT_OF_RANGE = "0001-01-01T00:00:00+01:00"  # the year 0 in UTC


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def bounded(script: str, *args: str, cwd: Path, timeout: float = 60
            ) -> subprocess.CompletedProcess[str]:
    """Run `script` in a fresh interpreter with at most 1 GB of memory; a hang fails."""
    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("KAZSIM_SAVE_DIR", None)
    try:
        return subprocess.run([sys.executable, "-c", script, *args], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=timeout,
                              preexec_fn=limit if sys.platform != "win32" else None)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"hung: still running after {timeout} s") from None


def in_a_thread(call: Callable[[], Any], timeout: float = 30) -> Any:
    """`call()` in a daemon thread: a call that blocks for good fails the test, and the
    stuck thread does not keep the test run from ending."""
    result: list[Any] = []
    worker = threading.Thread(target=lambda: result.append(call()), daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise AssertionError(f"hung: still running after {timeout} s")
    assert result, "the call raised (see the thread's traceback above)"
    return result[0]


# --- timestamps out of range ----------------------------------------------------------------

@pytest.mark.parametrize("field", ["updated", "created"])
def test_a_timestamp_out_of_range_is_a_clear_error_in_verify(
        tutorial: CompiledScenario, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        field: str) -> None:
    session = ai_session(tutorial, 3, tmp_path, turns=2)
    edit(session.path, lambda d: d.update({field: OUT_OF_RANGE}))
    status, out, err = run(["replay", str(session.path), "--verify"], capsys)
    assert (status, out) == (1, "")
    assert err.startswith(f"kazsim: {session.path}:") and err.count("\n") == 1
    assert f"{field}: the timestamp is out of range" in err
    with pytest.raises(SaveError, match="out of range"):
        load_session(session.path)


def test_the_load_list_shows_a_save_with_a_timestamp_out_of_range_as_unreadable(
        tutorial: CompiledScenario, tmp_path: Path) -> None:
    good = ai_session(tutorial, 1, tmp_path, turns=1)
    bad = ai_session(tutorial, 2, tmp_path, turns=1)
    edit(bad.path, lambda d: d.update(updated=OUT_OF_RANGE))
    entries = list_saves(tmp_path)
    assert [(e.path.name, bool(e.problem)) for e in entries] == [
        (good.path.name, False), (bad.path.name, True)]
    assert "updated: the timestamp is out of range" in entries[1].problem


async def _load_game_screen(folder: Path) -> tuple[list[Any], str, bool]:
    """Open Load game in the real app: (its entries, its text, whether the app still runs)."""
    from kazsim.tui.app import KazsimApp, LaunchRequest
    from kazsim.tui.screens.load_game import LoadGameScreen, save_prompt

    app = KazsimApp(LaunchRequest(save_dir=folder))
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(1000):
            if type(app.screen).__name__ == "TitleScreen":
                break
            await pilot.pause(0.02)
        app.action_load_game()
        for _ in range(1000):
            if isinstance(app.screen, LoadGameScreen) and app.screen.entries:
                break
            await pilot.pause(0.02)
        screen = app.screen
        assert isinstance(screen, LoadGameScreen)
        text = "\n".join(str(save_prompt(e)) for e in screen.entries)
        await pilot.press("down", "up")  # the list goes on working
        return screen.entries, text, app.is_running and app.screen is screen


async def test_the_load_game_screen_lists_a_save_with_a_timestamp_out_of_range(
        tutorial: CompiledScenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    good = ai_session(tutorial, 1, tmp_path / "saves", turns=1)
    bad = ai_session(tutorial, 2, tmp_path / "saves", turns=1)
    edit(bad.path, lambda d: d.update(updated=OUT_OF_RANGE))
    entries, text, running = await _load_game_screen(tmp_path / "saves")
    assert running, "the app left the Load game screen"
    assert [e.path.name for e in entries] == [good.path.name, bad.path.name]
    assert f"✗ {bad.path.name}\n  cannot be loaded: " in text and "out of range" in text


# --- a save's scenario path: /dev/zero, a link to it, a FIFO ---------------------------------

EVERY_DOOR = """
import sys
from kazsim.cli import main
from kazsim.tui.saving import load
save = sys.argv[1]
loaded, problem = load(save)
print("@tui", loaded is not None and not loaded.changed, problem, flush=True)
# play --auto --load last: it writes the save again, with the path of the file it found.
for argv in (["replay", save, "--verify"], ["export", save, "-o", "-"],
             ["play", "--auto", "--load", save]):
    print("@" + argv[0], main(argv), flush=True)
"""


@pytest.mark.parametrize("hint", ["/dev/zero", "zero.yaml", "fifo.yaml"])
def test_a_scenario_path_to_a_device_or_a_fifo_is_passed_over(
        tutorial: CompiledScenario, tmp_path: Path, hint: str) -> None:
    if hint == "/dev/zero" and not Path(hint).exists():
        pytest.skip("no /dev/zero here")
    if hint == "zero.yaml":
        if not Path("/dev/zero").exists():
            pytest.skip("no /dev/zero here")
        (tmp_path / hint).symlink_to("/dev/zero")
    if hint == "fifo.yaml":
        if not hasattr(os, "mkfifo"):
            pytest.skip("needs FIFOs")
        os.mkfifo(tmp_path / hint)
    session = ai_session(tutorial, 5, tmp_path / "saves", turns=2)
    where = hint if hint.startswith("/") else str(tmp_path / hint)
    edit(session.path, lambda d: d["scenario"].update(path=where))
    done = bounded(EVERY_DOOR, str(session.path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # Every door finds the bundled tutorial by its content and replays the game exactly.
    assert [line for line in done.stdout.splitlines() if line.startswith("@")] == [
        "@tui True ", "@replay 0", "@export 0", "@play 0"]
    assert "Traceback" not in done.stderr


# --- a FIFO in the save folder ---------------------------------------------------------------

@needs_fifo
def test_a_fifo_as_a_save_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "game.json"
    os.mkfifo(fifo)
    done = bounded("import sys\nfrom kazsim.cli import main\n"
                   "sys.exit(main(['replay', sys.argv[1], '--verify']))", str(fifo),
                   cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == (f"kazsim: {fifo}: not a save file: it is a named pipe (FIFO), "
                           "not a file\n")
    with pytest.raises(SaveError, match="named pipe"):
        read_save(fifo)


@needs_fifo
def test_a_fifo_beside_a_save_does_not_hang_verify(tutorial: CompiledScenario,
                                                   tmp_path: Path) -> None:
    session = ai_session(tutorial, 5, tmp_path / "saves", turns=2)
    edit(session.path, lambda d: d["scenario"].update(path=None))  # look beside it
    os.mkfifo(tmp_path / "saves" / "a-pipe.yaml")
    done = bounded("import sys\nfrom kazsim.cli import main\n"
                   "sys.exit(main(['replay', sys.argv[1], '--verify']))", str(session.path),
                   cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "OK: 2 turns verified, game in progress (next: turn 3)\n"


APP_WITH_A_FIFO = """
import asyncio, sys
from pathlib import Path
from kazsim.tui.app import KazsimApp, LaunchRequest
from kazsim.tui.screens.load_game import LoadGameScreen

async def main():
    app = KazsimApp(LaunchRequest(save_dir=Path(sys.argv[1])))
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(1000):
            if type(app.screen).__name__ == "TitleScreen":
                break
            await pilot.pause(0.02)
        app.action_load_game()
        for _ in range(1000):
            if isinstance(app.screen, LoadGameScreen) and app.screen.entries:
                break
            await pilot.pause(0.02)
        for entry in app.screen.entries:
            print(entry.path.name, "|", entry.problem, flush=True)
        app.exit()
    print("exited", flush=True)

asyncio.run(main())
"""


@needs_fifo
def test_a_fifo_in_the_save_folder_is_listed_and_the_app_still_exits(
        tutorial: CompiledScenario, tmp_path: Path) -> None:
    session = ai_session(tutorial, 5, tmp_path / "saves", turns=1)
    os.mkfifo(tmp_path / "saves" / "pipe.json")
    entries = in_a_thread(lambda: list_saves(tmp_path / "saves"))
    assert [(e.path.name, e.problem) for e in entries] == [
        (session.path.name, ""), ("pipe.json", "not a save file: it is a named pipe (FIFO), "
                                               "not a file")]
    done = bounded(APP_WITH_A_FIFO, str(tmp_path / "saves"), cwd=tmp_path, timeout=90)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"{session.path.name} | ", "pipe.json | not a save file: it is a named pipe (FIFO), "
                                   "not a file", "exited"]
