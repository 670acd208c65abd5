"""Time from command to first frame, in a pseudo-terminal, next to a bare Textual app.

    .venv/bin/python benchmarks/bench_startup.py [--runs N] [--scenario ID]

Each command runs in its own pseudo-terminal (80x24, TERM=xterm-256color);
the clock stops when a string that only the wanted frame contains arrives on
the terminal, not when the process exits (Textual's shutdown alone takes a
quarter of a second). Prints, as medians of N runs interleaved:

- the floor: a bare Textual app (Header, Static, Footer) measured in this run;
- `kazsim` to its title screen, and the ratio to the floor (target <= 1.25);
- `kazsim play SCENARIO --role R` to the game's first screen with the
  scenario loaded (the role's briefing), and its ratio (target <= 2.0): the
  scenario comes from the cache of validated scenarios (`kazsim.cache`), as it
  does from the second game on a file;
- the same with the cache turned off (the first game on a new or edited file:
  the file is validated, which imports PyYAML and pydantic), for information;
- the resident memory of that game after three turns played through the
  keyboard (target < 120 MB), with the peak.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE_APP = '''
from textual.app import App
from textual.widgets import Footer, Header, Static


class Bare(App):
    def compose(self):
        yield Header()
        yield Static("BARE APP READY")
        yield Footer()


Bare().run()
'''
TITLE_TARGET = 1.25
GAME_TARGET = 2.0
MEMORY_TARGET_MB = 120.0


class Terminal:
    """A command running in a pseudo-terminal, its output read as it comes."""

    def __init__(self, argv: Sequence[str], cwd: Path, size: tuple[int, int] = (80, 24),
                 env: dict[str, str] | None = None) -> None:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: exec the command in the terminal
            os.chdir(cwd)
            env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(size[0]),
                       LINES=str(size[1]), **(env or {}))
            env.pop("NO_COLOR", None)
            # As on a player's machine, compiled modules are cached (.pyc) after the first
            # run; some sandboxes turn that off, which would time the compiler instead.
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            os.execvpe(argv[0], list(argv), env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.output = b""

    def wait_for(self, *markers: str, timeout: float = 20.0) -> float:
        """Seconds from the start until one of `markers` has been written to the terminal."""
        wanted = [marker.encode() for marker in markers]
        marker = " or ".join(markers)
        deadline = time.perf_counter() + timeout
        while not any(w in self.output for w in wanted):
            left = deadline - time.perf_counter()
            if left <= 0:
                tail = self.output[-400:].decode(errors="replace")
                raise TimeoutError(f"{marker!r} never appeared; last output: {tail!r}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:  # the child closed the terminal
                    raise TimeoutError(f"the command ended before {marker!r}") from None
                self.output += chunk
        return time.perf_counter() - self.started

    def type(self, keys: str, *then: str) -> None:
        """Type keys (as a terminal sends them) and wait for one of `then` to appear."""
        time.sleep(0.3)  # let the screen settle (focus, workers) as a person would
        self.output = b""
        os.write(self.fd, keys.encode())
        self.wait_for(*then)

    def memory_mb(self) -> tuple[float, float]:
        """(resident, peak resident) memory of the command, in MB."""
        fields = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            fields[key] = value.strip()
        return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def first_frame(argv: Sequence[str], marker: str, cwd: Path,
                env: dict[str, str] | None = None) -> float:
    terminal = Terminal(argv, cwd, env=env)
    try:
        return terminal.wait_for(marker)
    finally:
        terminal.close()


def game_memory(argv: Sequence[str], cwd: Path, env: dict[str, str],
                turns: int = 3) -> tuple[float, float]:
    """Play up to `turns` turns with the keyboard (first action each time), then read
    the memory (a short scenario may reach its ending first)."""
    terminal = Terminal(argv, cwd, env=env)
    try:
        terminal.wait_for("The situation")
        terminal.type("\x1b", "Your actions")  # Esc: past the rest of the briefing
        for _ in range(turns):
            terminal.type("\r", "Confirm")  # choose the highlighted action
            terminal.type("y", "what happened")  # confirm; the turn resolves
            terminal.type("\x1b", "Playing:", "The end")  # the next turn, or the ending
            if b"The end" in terminal.output:
                break
        time.sleep(0.3)
        return terminal.memory_mb()
    finally:
        terminal.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each command (median)")
    parser.add_argument("--scenario", default="kazakhstan-2022")
    parser.add_argument("--role", default="government")
    args = parser.parse_args(argv)

    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "bare.py").write_text(BARE_APP)
        saves = str(work / "saves")
        cached = {"KAZSIM_CACHE_DIR": str(work / "cache")}
        game = [python, "-m", "kazsim", "play", args.scenario, "--role", args.role,
                "--seed", "1", "--save-dir", saves]
        commands = {
            "bare": ([python, str(work / "bare.py")], "BARE APP READY", cached),
            "title": ([python, "-m", "kazsim", "--save-dir", saves], "Choose a scenario",
                      cached),
            "game": (game, "The situation", cached),
            "uncached": (game, "The situation", {"KAZSIM_CACHE_DIR": ""}),
        }
        env_cwd = ROOT  # the scenarios folder is found from here, as from a clone
        for argv_, marker, env in commands.values():  # warm the caches (.pyc, disk) once
            first_frame(argv_, marker, env_cwd, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, (argv_, marker, env) in commands.items():
                times[name].append(first_frame(argv_, marker, env_cwd, env))
        rss, peak = game_memory(game, env_cwd, cached)

    median = {name: statistics.median(values) for name, values in times.items()}
    floor = median["bare"]
    print(f"first frame in an 80x24 pseudo-terminal, median of {args.runs} runs")
    print(f"  floor: bare Textual app (Header, Static, Footer)  {floor * 1000:7.0f} ms")
    rows = [("title", "kazsim -> title screen", TITLE_TARGET),
            ("game", f"kazsim play {args.scenario} -> briefing", GAME_TARGET)]
    status = 0
    for name, label, target in rows:
        ratio = median[name] / floor
        verdict = "ok" if ratio <= target else "OVER TARGET"
        status |= ratio > target
        print(f"  {label:<46}{median[name] * 1000:7.0f} ms  {ratio:5.2f}x "
              f"(target <= {target}x: {verdict})")
    ratio = median["uncached"] / floor
    print(f"  {'  the same, first game on the file (no cache)':<46}"
          f"{median['uncached'] * 1000:7.0f} ms  {ratio:5.2f}x (for information)")
    verdict = "ok" if rss < MEMORY_TARGET_MB else "OVER TARGET"
    status |= rss >= MEMORY_TARGET_MB
    print(f"resident memory of a {args.scenario} game in progress (3 turns played, or to "
          f"its end): {rss:.0f} MB "
          f"(peak {peak:.0f} MB; target < {MEMORY_TARGET_MB:.0f} MB: {verdict})")
    return int(status)


if __name__ == "__main__":
    raise SystemExit(main())
