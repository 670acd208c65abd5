"""`kazsim host --web` in a real browser: the system's Chromium, driven by Playwright.

The host runs as a process (`--headless --web`); the page is opened in headless
Chromium, the table joined by keyboard only (no click: keys must work at once),
an action chosen, and the turn's story read from the page's terminal. The host's
class file and save then show the decision, and the process the page started
runs the host's own command line, whatever the page's address carried.

Skipped, saying why, where Chromium, Playwright or textual-serve is missing
(`.ci/run` installs Debian's chromium when it can; `.[test]` brings the others).
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .support import ROOT, kazsim

CHROMIUM = os.environ.get("KAZSIM_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

# textual-serve's page keeps its xterm.js terminal in a closure; this catches it when the
# page's code sets `this.terminal = new Terminal(...)`, so the test can read its screen.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  get() { return undefined; },
  set(value) {
    Object.defineProperty(this, "terminal",
                          {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && value.buffer.active) { window.__kazsimTerminal = value; }
  },
});
"""
READ_SCREEN = """() => {
  const t = window.__kazsimTerminal;
  if (!t) { return ""; }
  const b = t.buffer.active, lines = [];
  for (let i = 0; i < t.rows; i++) {
    const line = b.getLine(b.viewportY + i);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
}"""

pytestmark = pytest.mark.slow


def _requirements() -> str:
    if not Path(CHROMIUM).exists():
        return (f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does it as "
                "root), so the browser test cannot run")
    for module, package in (("playwright", "playwright"), ("textual_serve", "textual-serve")):
        try:
            __import__(module)
        except ImportError:
            return f"{package} is not installed (pip install -e '.[test]')"
    return ""


class WebHost:
    """`kazsim host tutorial --headless --web` as a process, on ports it chose."""

    def __init__(self, folder: Path) -> None:
        self.class_file = folder / "class.sqlite"
        self.save_dir = folder / "saves"
        self.args = kazsim("--save-dir", str(self.save_dir), "host", "tutorial", "--tables",
                           "1", "--headless", "--web", "--port", "0", "--web-port", "0",
                           "--seed", "7", "--class-file", str(self.class_file))
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, cwd=ROOT,
                                     env={**os.environ}, start_new_session=True)
        self.code = self.url = self.web = ""
        assert self.proc.stdout is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not self.web:
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError(f"the host ended: {self.proc.stderr.read()}")  # type: ignore[union-attr]
            if m := re.fullmatch(r"table 1: (\w+)\n", line):
                self.code = m[1]
            elif line.startswith("url: "):
                self.url = line[5:].strip()
            elif line.startswith("web: "):
                self.web = line[5:].strip()
        assert self.code and self.url and self.web.startswith("http://127.0.0.1:")

    def players(self) -> list[tuple[int, list[str]]]:
        """The kazsim processes started for browser tabs: (pid, argv)."""
        found = []
        for pid in _descendants(self.proc.pid):
            try:
                argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:-1]
            except OSError:
                continue
            args = [a.decode() for a in argv]
            if "-m" in args and "kazsim" in args and "join" in args:
                found.append((pid, args))
        return found

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                out.append(child)
                todo.append(child)
    return out


@pytest.fixture
def web_host(tmp_path: Path) -> Iterator[WebHost]:
    why = _requirements()
    if why:
        pytest.skip(why)
    host = WebHost(tmp_path)
    try:
        yield host
    finally:
        host.stop()


def wait_for(read: Callable[[], str], wanted: str, what: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = read()
        if wanted in text:
            return text
        time.sleep(0.1)
    raise AssertionError(f"{what}: {wanted!r} never showed; the page showed:\n{text}")


def test_a_student_plays_a_turn_in_the_browser(web_host: WebHost, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 620})
            page.add_init_script(CATCH_TERMINAL)
            # Whatever the address carries stays in the page: the tab's kazsim runs the
            # host's own command line.
            page.goto(web_host.web + "/?fontsize=15&cmd=;touch+pwned&code=" + web_host.code)

            def screen() -> str:
                text: Any = page.evaluate(READ_SCREEN)
                return str(text)

            wait_for(screen, "join code", "the join screen")
            page.wait_for_function("document.body.classList.contains('-first-byte')")
            page.keyboard.type(web_host.code.lower())  # no click first: keys work at once
            page.keyboard.press("Tab")
            # Tab moves the focus once it has bubbled up to the screen: keys typed at once
            # after it (faster than a person types) would still reach the code box
            page.wait_for_timeout(500)
            page.keyboard.type("Aigerim")
            page.keyboard.press("Enter")
            wait_for(screen, "Choose your side", "the sides of the table")
            sides = screen()
            assert "The town council · free" in sides and "The bakers' union" in sides
            page.keyboard.press("Enter")  # the first free side: the town council
            wait_for(screen, "Briefing: The town council", "the briefing")
            page.keyboard.press("Escape")
            # the action list has the focus (its heavy border) once the turn's view is up
            wait_for(screen, "┏━ Your actions", "the play screen, its actions focused")
            page.keyboard.press("ArrowDown")  # Hold firm -> Subsidise bread
            page.keyboard.press("Enter")
            wait_for(screen, "Confirm (y)", "the confirmation")
            page.keyboard.press("y")
            story = wait_for(screen, "Turn 1: what happened", "the turn's story")
            assert "The town council: Subsidise bread" in story
            page.screenshot(path=str(tmp_path / "turn1.png"))

            players = web_host.players()
            assert len(players) == 1, players
            pid, argv = players[0]
            assert argv[:5] == [sys.executable, "-m", "kazsim", "join", web_host.url]
            assert argv[5:] == ["--scenario", str(ROOT / "scenarios" / "tutorial.yaml")]
            assert not any("pwned" in a or web_host.code in a for a in argv)
        finally:
            browser.close()

    with sqlite3.connect(web_host.class_file) as db:
        decision = db.execute("SELECT action FROM decisions WHERE tbl = 1 AND turn = 1 AND "
                              "role = 'council'").fetchone()
        name = db.execute("SELECT name, token_hash IS NOT NULL FROM seats WHERE tbl = 1 AND "
                          "role = 'council'").fetchone()
    assert decision == ("subsidise",)
    assert name == ("Aigerim", 1)
    save = json.loads((web_host.save_dir / "class-table1.json").read_text(encoding="utf-8"))
    assert save["turns"][0]["decisions"]["council"] == "subsidise"
    assert not (ROOT / "pwned").exists() and not Path("pwned").exists()

    web_host.stop()  # the tab's kazsim goes with the host
    assert web_host.proc.returncode == 0
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{pid}").exists(), "the browser tab's kazsim outlived the host"
