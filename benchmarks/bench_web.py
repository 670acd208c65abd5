"""Memory per browser player of `kazsim host --web`: each tab is a kazsim process.

    .venv/bin/python benchmarks/bench_web.py [--players N] [--scenario ID]

A class of one table runs in this process (the classroom server and the web
server, as `kazsim host --web` runs them). N browser tabs (default 3, at most
the scenario's seats) are played over textual-serve's WebSocket as the page
would: each tab's kazsim opens on the join screen, gets the table's code and
Enter, then Enter on the first free side, and is measured once its screen has
been quiet for a second (the game on screen). For each tab's process: its
resident memory (VmRSS) and its proportional share (Pss, shared pages divided
among the processes that share them), from /proc.

The floor, measured in the same run and served the same way: a bare Textual
app (an empty `App`), the least any Textual program served to a browser costs.
Printed: the median per player, the floor, and the ratio. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kazsim.classroom.host import Classroom  # noqa: E402
from kazsim.classroom.server import ClassServer, url_for  # noqa: E402
from kazsim.classroom.web import WebServer, player_command  # noqa: E402
from kazsim.scenario.load import validate_file  # noqa: E402

BARE_APP = "from textual.app import App\nApp().run()\n"


def descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            out += children
            todo += children
    return out


def memory_kb(pid: int) -> tuple[int, int]:
    """(VmRSS, Pss) of a process, in kB."""
    rss = pss = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pss = rss
    return rss, pss


def pythons(marker: str) -> list[int]:
    """This process's descendants that run Python with `marker` in their command line."""
    found = []
    for pid in descendants(os.getpid()):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if argv and argv[0].decode().endswith(("python", "python3")) and \
                any(marker.encode() in a for a in argv):
            found.append(pid)
    return found


class Tab:
    """One browser tab, as textual-serve's page speaks to it."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.last = time.monotonic()
        self.bytes = 0
        self.ws: Any = None
        self.reader: asyncio.Task[None] | None = None

    async def open(self, session: Any) -> None:
        self.ws = await session.ws_connect(self.base + "/ws?width=100&height=30")
        self.reader = asyncio.ensure_future(self.read())

    async def read(self) -> None:
        async for message in self.ws:
            self.bytes += len(message.data or b"")
            self.last = time.monotonic()

    async def quiet(self, seconds: float = 1.0, timeout: float = 60.0) -> None:
        start = time.monotonic()
        while (time.monotonic() - self.last < seconds or not self.bytes) and \
                time.monotonic() - start < timeout:
            await asyncio.sleep(0.1)

    async def type(self, text: str) -> None:
        await self.ws.send_json(["stdin", text])
        await asyncio.sleep(0.3)

    async def close(self) -> None:
        await self.ws.close()
        if self.reader is not None:
            await self.reader


async def measure(command: list[str], tabs: int, marker: str,
                  play: Any = None) -> list[tuple[int, int]]:
    import aiohttp

    web = WebServer(command, max_players=tabs)
    port = await web.start("127.0.0.1", 0)
    base = f"http://127.0.0.1:{port}"
    opened = []
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(tabs):
                tab = Tab(base)
                await tab.open(session)
                await tab.quiet()
                if play is not None:
                    await play(tab)
                    await tab.quiet()
                opened.append(tab)
            found = pythons(marker)
            sizes = [memory_kb(pid) for pid in found]
            for tab in opened:
                await tab.close()
    finally:
        await web.stop()
    return sizes


async def run(scenario_id: str, players: int) -> None:
    compiled, _ = validate_file(ROOT / "scenarios" / f"{scenario_id}.yaml")
    assert compiled is not None
    seats = sum(1 for r in compiled.roles if "human" in r.model.players)
    players = max(1, min(players, seats))
    with tempfile.TemporaryDirectory() as folder:
        room, _ = Classroom.open(Path(folder) / "c.sqlite", compiled, tables=1, seed=1,
                                 save_dir=Path(folder))
        server = ClassServer(room)
        port = await server.start("127.0.0.1", 0)
        code = room.tables[1].code

        async def join(tab: Tab) -> None:
            await tab.type(code + "\r")
            await tab.quiet(0.5)
            await tab.type("\r")  # the first free side

        try:
            command = player_command(url_for("127.0.0.1", port),
                                     scenario_file=str(ROOT / "scenarios" /
                                                       f"{scenario_id}.yaml"))
            kazsim = await measure(command, players, "kazsim", join)
            joined = sum(1 for s in room.tables[1].seats.values() if s.token_hash)
        finally:
            await server.stop()
            room.close()
    bare = await measure([sys.executable, "-c", BARE_APP], 1, "App().run()")
    if len(kazsim) != players or not bare:
        raise SystemExit(f"found {len(kazsim)} kazsim processes for {players} tabs, "
                         f"{len(bare)} bare ones")
    rss = statistics.median(r for r, _ in kazsim) / 1024
    pss = statistics.median(p for _, p in kazsim) / 1024
    floor_rss, floor_pss = bare[0][0] / 1024, bare[0][1] / 1024
    print(f"{scenario_id}: {players} browser players ({joined} joined a seat), "
          "each a kazsim process")
    print(f"memory per browser player: median RSS {rss:.1f} MB, PSS {pss:.1f} MB")
    print(f"floor (a bare Textual app, served the same way): RSS {floor_rss:.1f} MB, "
          f"PSS {floor_pss:.1f} MB")
    print(f"ratio: RSS {rss / floor_rss:.2f}x, PSS {pss / floor_pss:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--players", type=int, default=3)
    parser.add_argument("--scenario", default="tutorial")
    args = parser.parse_args()
    asyncio.run(run(args.scenario, args.players))


if __name__ == "__main__":
    main()
