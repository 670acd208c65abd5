"""`kazsim host` and `kazsim join`: from the command line's options to a running class.

`host` opens (or resumes) the class file, prints one line per table (`table N:
CODE`) and the address to join, then serves until interrupted: headless, or
under the teacher's dashboard (`kazsim.classroom.dashboard`). It listens on
127.0.0.1 by default, so only this computer can join; `--bind 0.0.0.0` opens it
to the room's network (then give the students this computer's address).
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


def announce(room: Classroom, bind: str, port: int) -> None:
    for table in room.tables.values():
        print(f"table {table.n}: {table.code}")
    url = url_for(bind, port)
    print(f"url: {url}")
    sys.stdout.flush()
    if bind in ("127.0.0.1", "localhost", "::1"):
        print("kazsim: only this computer can join (127.0.0.1); to open the class to the "
              "room's network, start again with --bind 0.0.0.0 and give the students this "
              "computer's address instead of 127.0.0.1", file=sys.stderr)
    print(f"kazsim: students join with: kazsim join {url} CODE [--role ROLE]", file=sys.stderr)


async def serve_headless(room: Classroom, bind: str, port: int) -> int:
    server = ClassServer(room)
    try:
        actual = await server.start(bind, port)
    except OSError as exc:
        print(f"kazsim: cannot listen on {printable_line(bind)}:{port}: "
              f"{printable_line(exc.strerror or str(exc))}", file=sys.stderr)
        return 1
    announce(room, bind, actual)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await server.stop()
    return 0


def host_command(scenario: CompiledScenario, *, tables: int, port: int, bind: str,
                 class_file: Path | None, headless: bool, seed: int | None, wait: bool,
                 level: Level, save_dir: Path | None, end_at: int | None) -> int:
    path = class_file or default_class_file(scenario)
    room = open_class(scenario, class_file=path, tables=tables, seed=seed, wait=wait,
                      level=level, save_dir=save_dir, end_at=end_at)
    if room is None:
        return 1
    try:
        if headless:
            status: int = asyncio.run(serve_headless(room, bind, port))
            return status
        from kazsim.classroom.dashboard import run_dashboard

        return run_dashboard(room, bind, port)
    finally:
        room.close()
