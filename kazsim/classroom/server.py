"""The host's network side: one WebSocket per client (the `websockets` library).

A connection must say `hello` first (within `HELLO_TIMEOUT`): the protocol
version is checked, then the join code and the role or token (`Classroom.join`).
After that the connection is one seat's: it gets its `welcome`, then its own
`view` after every change at its table, and may send `decide` and `ping`.

Abuse changes nothing: a message over `MAX_MESSAGE` bytes closes the connection
(the library refuses it, close code 1009); a malformed, replayed or out-of-turn
message gets an `error` reply; a client sending more than `RATE` messages a
second (beyond a burst of `BURST`) gets `rate` errors, and one that keeps on is
disconnected; three refused hellos close the connection. The host listens on
127.0.0.1 unless told otherwise (`--bind`).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from kazsim.classroom.host import NUDGE, Classroom, Refusal, Seat, Table
from kazsim.classroom.protocol import (
    MAX_MESSAGE,
    PROTOCOL_VERSION,
    Ack,
    Decide,
    ErrorReply,
    Hello,
    Look,
    Nudge,
    Ping,
    Pong,
    ScenarioInfo,
    SeatInfo,
    Seats,
    Welcome,
    dump,
    parse_client,
)
from kazsim.untrusted import printable_line

HELLO_TIMEOUT = 10.0
RATE = 10.0  # messages a second, sustained
BURST = 30
DROP_AFTER = 200  # messages refused for the rate: then the connection is closed
HELLO_TRIES = 3


def url_for(bind: str, port: int) -> str:
    """The address to give the students (0.0.0.0 listens everywhere: shown as this computer)."""
    host = "127.0.0.1" if bind in ("0.0.0.0", "") else bind
    host = f"[{host}]" if ":" in host else host
    return f"ws://{host}:{port}"


class Bucket:
    """A token bucket: `take()` is False when the client is over its rate."""

    def __init__(self, rate: float = RATE, burst: int = BURST,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self.level = float(burst)
        self.at = clock()
        self.refused = 0

    def take(self) -> bool:
        now = self.clock()
        self.level = min(self.burst, self.level + (now - self.at) * self.rate)
        self.at = now
        if self.level >= 1:
            self.level -= 1
            return True
        self.refused += 1
        return False


class ClassServer:
    """The class's WebSocket server: connections, seats, views after every change."""

    def __init__(self, room: Classroom, *, on_change: Callable[[], None] | None = None,
                 on_report: Callable[[str], None] | None = None,
                 report_at_end: bool = True) -> None:
        self.room = room
        self.connections: dict[tuple[int, str], set[ServerConnection]] = {}
        self.on_change = on_change or (lambda: None)
        # Where the class report went, in words (by default a line on stderr).
        self.on_report = on_report or (lambda text: print(f"kazsim: {printable_line(text)}",
                                                          file=sys.stderr, flush=True))
        self.reporting: asyncio.Task[None] | None = None
        self.report_at_end = report_at_end
        self.server: Server | None = None
        self.info = ScenarioInfo(id=room.scenario.id, title=room.scenario.model.title[:200],
                                 version=room.scenario.model.version[:200],
                                 content_hash=room.scenario.content_hash)

    async def start(self, host: str, port: int) -> int:
        """Listen; the port actually used (port 0 picks a free one)."""
        self.server = await serve(self.handler, host, port, max_size=MAX_MESSAGE,
                                  max_queue=8, ping_interval=20, ping_timeout=20,
                                  close_timeout=2)
        return int(self.server.sockets[0].getsockname()[1])

    async def stop(self, *, report: bool | None = None) -> None:
        """Stop listening; then, with `report` (by default `report_at_end`), write the
        class report if a turn was played since it was last written, and say where."""
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
        if self.report_at_end if report is None else report:
            await self.wait_report()
            try:
                await asyncio.to_thread(self.room.report_on_quit, self.on_report)
            except OSError as exc:
                self.on_report(f"cannot write the class report: {exc.strerror or exc}")

    # --- one connection -----------------------------------------------------------------

    async def handler(self, ws: ServerConnection) -> None:
        bucket = Bucket()
        try:
            found = await self.greet(ws, bucket)
            if found is None:
                return
            table, seat = found
            key = (table.n, seat.role)
            self.connections.setdefault(key, set()).add(ws)
            seat.connected += 1
            self.on_change()
            try:
                await self.send(ws, self.room.view(table, seat.role))
                async for raw in ws:
                    if not bucket.take():
                        if bucket.refused > DROP_AFTER:
                            await ws.close(1008, "too many messages")
                            return
                        await self.error(ws, "rate", "too many messages: slow down")
                        continue
                    await self.serve_message(ws, table, seat, raw)
            finally:
                self.connections[key].discard(ws)
                seat.connected -= 1
                self.on_change()
        except ConnectionClosed:
            return

    async def greet(self, ws: ServerConnection,
                    bucket: Bucket) -> tuple[Table, Seat] | None:
        for _ in range(HELLO_TRIES):
            try:
                raw = await asyncio.wait_for(ws.recv(), HELLO_TIMEOUT)
            except TimeoutError:
                await ws.close(1008, "no hello")
                return None
            bucket.take()
            try:
                hello = parse_client(raw)
            except ValueError as exc:
                await self.error(ws, "malformed", f"not a message this host understands: {exc}")
                continue
            if not isinstance(hello, Hello | Look):
                await self.error(ws, "malformed", "say hello first")
                continue
            if hello.protocol != PROTOCOL_VERSION:
                await self.error(ws, "version", f"this host speaks protocol {PROTOCOL_VERSION}, "
                                 f"the client {hello.protocol}: use the same kazsim version")
                await ws.close(1008, "protocol version")
                return None
            if isinstance(hello, Look):
                await self.look(ws, hello)
                continue
            try:
                table, seat, token = self.room.join(hello.code, hello.role, hello.token,
                                                    hello.name, hello.claim)
            except Refusal as exc:
                await self.error(ws, exc.code, exc.message)
                continue
            await self.send(ws, Welcome(table=table.n, role=seat.role, token=token,
                                        scenario=self.info, draws=seat.draws,
                                        last_seq=seat.last_seq))
            return table, seat
        await ws.close(1008, "refused")
        return None

    async def look(self, ws: ServerConnection, look: Look) -> None:
        """Which seats are free, for the join screen (counts as one of the hello tries)."""
        try:
            table, seats = self.room.look(look.code)
        except Refusal as exc:
            await self.error(ws, exc.code, exc.message)
            return
        scenario = self.room.scenario
        await self.send(ws, Seats(table=table.n, scenario=self.info, seats=[
            SeatInfo(role=role, name=scenario.role(role).model.name[:200], state=state)
            for role, state in seats]))

    async def serve_message(self, ws: ServerConnection, table: Table, seat: Seat,
                            raw: str | bytes) -> None:
        try:
            message = parse_client(raw)
        except ValueError as exc:
            await self.error(ws, "malformed", f"not a message this host understands: {exc}")
            return
        if isinstance(message, Ping):
            await self.send(ws, Pong(seq=message.seq))
            return
        if isinstance(message, Hello | Look):
            await self.error(ws, "malformed", "this connection already has its seat")
            return
        assert isinstance(message, Decide)
        before = len(table.game.records)
        try:
            turn, action = self.room.decide(table, seat, message.seq, message.turn,
                                            message.action)
        except Refusal as exc:
            await self.error(ws, exc.code, exc.message, seq=message.seq)
            return
        await self.send(ws, Ack(seq=message.seq, turn=turn, action=action))
        self.room.advance(table)
        if len(table.game.records) != before:
            await self.broadcast(table)
        else:
            await self.send_view(table, seat.role)
        self.on_change()
        self.report_if_over()

    # --- the class report ---------------------------------------------------------------

    def report_if_over(self) -> None:
        """Once every table's game is over, write the class report (in a thread: the
        continuations for the turning points take a few seconds)."""
        if self.report_at_end and self.room.all_over() and self.reporting is None:
            self.reporting = asyncio.get_running_loop().create_task(self._report())

    async def _report(self) -> None:
        try:
            path = await asyncio.to_thread(self.room.write_report)
        except OSError as exc:
            self.on_report(f"cannot write the class report: {exc.strerror or exc}")
            return
        if path is not None:
            self.on_report(f"every table is over: the class report is in {path.resolve()} "
                           f"(and {path.with_suffix('.md').name} beside it)")

    async def wait_report(self) -> None:
        """Until the report started when every table ended is written."""
        if self.reporting is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(self.reporting)

    # --- the teacher's nudge ------------------------------------------------------------

    async def nudge(self, table: Table, role: str | None = None) -> list[str]:
        """Remind the seats that have not decided (or `role`'s) that the class waits for
        them; the roles reached (a seat without an open connection is not)."""
        roles = [r for r in self.room.nudge_roles(table, role)
                 if self.connections.get((table.n, r))]
        text = dump(Nudge(table=table.n, turn=table.turn, message=NUDGE))
        await asyncio.gather(*(self._send_text(ws, text) for r in roles
                               for ws in list(self.connections[(table.n, r)])))
        return roles

    # --- sending ------------------------------------------------------------------------

    async def send(self, ws: ServerConnection, message: Any) -> None:
        with contextlib.suppress(ConnectionClosed):
            await ws.send(dump(message))

    async def error(self, ws: ServerConnection, code: Any, message: str, *,
                    seq: int | None = None) -> None:
        await self.send(ws, ErrorReply(code=code, message=message, seq=seq))

    async def send_view(self, table: Table, role: str) -> None:
        sockets = list(self.connections.get((table.n, role), ()))
        if sockets:
            text = dump(self.room.view(table, role))
            await asyncio.gather(*(self._send_text(ws, text) for ws in sockets))

    async def _send_text(self, ws: ServerConnection, text: str) -> None:
        with contextlib.suppress(ConnectionClosed):
            await ws.send(text)

    async def broadcast(self, table: Table) -> None:
        """Every seat of the table gets its own new view."""
        await asyncio.gather(*(self.send_view(table, role) for role in table.seats))

    async def changed(self, table: Table, change: Callable[[], Awaitable[None] | None]) -> None:
        """Run a teacher's change, then tell the table."""
        result = change()
        if result is not None:
            await result
        await self.broadcast(table)
        self.on_change()
        self.report_if_over()
