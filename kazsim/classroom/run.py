"""`kazsim host` and `kazsim join`: from the command line's options to a running class.

`host` opens (or resumes) the class file, prints one line per table (`table N:
CODE`) and the address to join, then serves until interrupted: headless, or
under the teacher's dashboard (`kazsim.classroom.dashboard`). It listens on
127.0.0.1 by default, so only this computer can join; `--bind 0.0.0.0` opens it
to the room's network (then give the students this computer's address).
With `--web` it also serves the game to browsers (`kazsim.classroom.web`), on
the same address, at `--web-port` (default 8080), and prints that address too.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from pathlib import Path

from kazsim.classroom.host import Classroom
from kazsim.classroom.server import ClassServer, url_for
from kazsim.classroom.store import ClassFileError
from kazsim.classroom.web import WebServer, WebUnavailable, http_url, player_command
from kazsim.engine import Level
from kazsim.scenario.compiled import CompiledScenario
from kazsim.untrusted import printable_line


def default_class_file(scenario: CompiledScenario) -> Path:
    return Path(f"{scenario.id}-class.sqlite")


def open_class(scenario: CompiledScenario, *, class_file: Path, tables: int,
               seed: int | None, wait: bool, level: Level, save_dir: Path | None,
               end_at: int | None) -> Classroom | None:
    try:
        room, resumed = Classroom.open(class_file, scenario, tables=tables, seed=seed, wait=wait,
                                       level=level, save_dir=save_dir, end_at=end_at)
    except ClassFileError as exc:
        print(f"kazsim: {printable_line(str(exc))}", file=sys.stderr)
        return None
    what = "resumed" if resumed else "new"
    print(f"kazsim: class file {printable_line(str(class_file.resolve()))} ({what})",
          file=sys.stderr)
    return room


DEFAULT_WEB_PORT = 8080


def web_server(room: Classroom, bind: str, port: int) -> WebServer:
    """The browsers' server for this class: every tab runs `kazsim join` on this host."""
    scenario = room.scenario
    path = Path(scenario.path)
    people = sum(1 for table in room.tables.values() for role in table.seats
                 if "human" in scenario.role(role).model.players)
    return WebServer(player_command(url_for(bind, port),
                                    scenario_file=str(path) if path.is_file() else None),
                     title=f"kazsim · {scenario.model.title}", max_players=2 * people + 4)


async def start_web(room: Classroom, bind: str, port: int, web_port: int) -> WebServer | str:
    """Start the browsers' server (after the class's own, whose port it needs), or say in
    one line why it cannot."""
    try:
        web = web_server(room, bind, port)
        await web.start(bind, web_port)
    except WebUnavailable as exc:
        return str(exc)
    except OSError as exc:
        return (f"cannot serve the web page on {printable_line(bind)}:{web_port}: "
                f"{printable_line(exc.strerror or str(exc))}")
    return web


def announce(room: Classroom, bind: str, port: int, web_port: int | None = None) -> None:
    for table in room.tables.values():
        print(f"table {table.n}: {table.code}")
    url = url_for(bind, port)
    print(f"url: {url}")
    if web_port is not None:
        print(f"web: {http_url(bind, web_port)}")
    sys.stdout.flush()
    if bind in ("127.0.0.1", "localhost", "::1"):
        print("kazsim: only this computer can join (127.0.0.1); to open the class to the "
              "room's network, start again with --bind 0.0.0.0 and give the students this "
              "computer's address instead of 127.0.0.1", file=sys.stderr)
    print(f"kazsim: students join with: kazsim join {url} CODE [--role ROLE]", file=sys.stderr)
    if web_port is not None:
        print(f"kazsim: or open {http_url(bind, web_port)} in a browser, type the code and "
              "pick a side", file=sys.stderr)


async def serve_headless(room: Classroom, bind: str, port: int,
                         web_port: int | None = None) -> int:
    server = ClassServer(room)
    try:
        actual = await server.start(bind, port)
    except OSError as exc:
        print(f"kazsim: cannot listen on {printable_line(bind)}:{port}: "
              f"{printable_line(exc.strerror or str(exc))}", file=sys.stderr)
        return 1
    web = None
    if web_port is not None:
        started = await start_web(room, bind, actual, web_port)
        if isinstance(started, str):
            print(f"kazsim: {started}", file=sys.stderr)
            await server.stop()
            return 1
        web = started
    announce(room, bind, actual, web.port if web is not None else None)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    if web is not None:
        await web.stop()
    await server.stop()
    return 0


def host_command(scenario: CompiledScenario, *, tables: int, port: int, bind: str,
                 class_file: Path | None, headless: bool, seed: int | None, wait: bool,
                 level: Level, save_dir: Path | None, end_at: int | None,
                 web_port: int | None = None) -> int:
    """`web_port`: also serve the game to browsers there (None: not)."""
    path = class_file or default_class_file(scenario)
    room = open_class(scenario, class_file=path, tables=tables, seed=seed, wait=wait,
                      level=level, save_dir=save_dir, end_at=end_at)
    if room is None:
        return 1
    try:
        if headless:
            status: int = asyncio.run(serve_headless(room, bind, port, web_port))
            return status
        from kazsim.classroom.dashboard import run_dashboard

        return run_dashboard(room, bind, port, web_port=web_port)
    finally:
        room.close()
