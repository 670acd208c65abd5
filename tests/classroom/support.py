"""Helpers for the classroom tests: a class in this process, raw clients, a host process."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from kazsim.classroom.host import Classroom
from kazsim.classroom.protocol import PROTOCOL_VERSION
from kazsim.classroom.server import ClassServer
from kazsim.scenario import CompiledScenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"


@contextlib.asynccontextmanager
async def running_class(scenario: CompiledScenario, folder: Path, *, tables: int = 1,
                        seed: int = 7, wait: bool = False,
                        end_at: int | None = None, report: bool = False,
                        ) -> AsyncIterator[tuple[Classroom, ClassServer, str]]:
    """A class served in this process (`report`: write the class report at the end, as
    the host does; off by default, since the turning points take a while)."""
    room, _ = Classroom.open(folder / "class.sqlite", scenario, tables=tables, seed=seed,
                             wait=wait, save_dir=folder / "saves", end_at=end_at)
    server = ClassServer(room, report_at_end=report)
    port = await server.start("127.0.0.1", 0)
    try:
        yield room, server, f"ws://127.0.0.1:{port}"
    finally:
        await server.stop()
        room.close()


def hello(code: str, role: str | None = None, token: str | None = None,
          protocol: int = PROTOCOL_VERSION) -> str:
    message: dict[str, Any] = {"type": "hello", "protocol": protocol, "code": code}
    if role is not None:
        message["role"] = role
    if token is not None:
        message["token"] = token
    return json.dumps(message)


async def recv(ws: ClientConnection, kind: str | None = None,
               timeout: float = 10.0) -> dict[str, Any]:
    """The next message (of `kind`, skipping others)."""
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout)
        message: dict[str, Any] = json.loads(raw)
        if kind is None or message["type"] == kind:
            return message


async def seat(url: str, code: str, role: str | None = None
               ) -> tuple[ClientConnection, dict[str, Any], dict[str, Any]]:
    """A raw connection that has taken a seat: (connection, welcome, first view)."""
    ws = await connect(url, max_size=2**22)
    await ws.send(hello(code, role))
    welcome = await recv(ws)
    assert welcome["type"] == "welcome", welcome
    view = await recv(ws, "view")
    return ws, welcome, view


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def kazsim(*args: str) -> list[str]:
    return [sys.executable, "-m", "kazsim", *args]


class HostProcess:
    """`kazsim host ... --headless` in a process of its own (killed with SIGKILL)."""

    def __init__(self, scenario: str, class_file: Path, save_dir: Path, port: int,
                 *extra: str) -> None:
        self.args = kazsim("--save-dir", str(save_dir), "host", scenario, "--headless",
                           "--port", str(port), "--class-file", str(class_file), *extra)
        self.proc: subprocess.Popen[str] | None = None
        self.codes: dict[int, str] = {}
        self.url = ""

    def start(self) -> HostProcess:
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, cwd=ROOT, env={**os.environ})
        assert self.proc.stdout is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError(f"host ended: {self.proc.stderr.read()}")  # type: ignore[union-attr]
            if m := re.fullmatch(r"table (\d+): (\w+)\n", line):
                self.codes[int(m[1])] = m[2]
            elif line.startswith("url: "):
                self.url = line[5:].strip()
                return self
        raise AssertionError("the host did not start")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
