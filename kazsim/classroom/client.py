"""A seat's client: one WebSocket to the host, reconnecting by itself, with backoff.

`SeatClient.run()` connects, says hello (the first time with the join code and the
role, after that with the token the host gave), and hands every `view` to its
`on_view`; `decide()` sends a decision and sends it again after a reconnection
until the host acknowledges it (the host answers a resent message with the same
acknowledgement, so nothing is played twice). `auto_choice` is the easy AI
deciding from the seat's own view (what it may not see, it takes to be as the
scenario started); `join_auto` is `kazsim join URL CODE --auto`.
"""

from __future__ import annotations

import asyncio
import json
import random
import secrets
import sys
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from kazsim.classroom.protocol import MAX_VIEW, PROTOCOL_VERSION, dump
from kazsim.engine import GameState, ai_rng, choose
from kazsim.scenario.compiled import CompiledScenario
from kazsim.untrusted import printable_line


class JoinRefused(Exception):
    """The host refused the seat (a wrong code or token, a version mismatch)."""


def backoff(first: float = 0.2, factor: float = 1.6, most: float = 5.0) -> Generator[float]:
    """Delays between attempts: a little random at first (not every client at once)."""
    jitter = random.SystemRandom()
    yield jitter.random() * 0.3
    delay = first
    while True:
        yield delay * (0.75 + jitter.random() / 2)
        delay = min(most, delay * factor)


@dataclass
class Pending:
    seq: int
    turn: int
    action: str


class SeatClient:
    """One seat at a table on a host."""

    def __init__(self, url: str, code: str, *, role: str | None = None, name: str = "",
                 on_view: Callable[[SeatClient, dict[str, Any]], None] | None = None,
                 on_note: Callable[[str], None] | None = None,
                 reconnect: Callable[[], Generator[float]] = backoff,
                 on_nudge: Callable[[str], None] | None = None) -> None:
        self.url, self.code, self.role, self.name = url, code, role, name
        self.on_view = on_view or (lambda client, view: None)
        self.on_note = on_note or (lambda note: None)
        # The teacher's reminder (a `nudge` message); by default told like a note.
        self.on_nudge = on_nudge or (lambda text: self.on_note(text))
        self.reconnect = reconnect
        self.token: str | None = None
        self.claim = secrets.token_urlsafe(24)  # our own secret, if a welcome is lost
        self.welcome: dict[str, Any] | None = None
        self.view: dict[str, Any] | None = None
        self.seq = 0
        self.pending: Pending | None = None  # sent, not acknowledged yet
        self.ws: ClientConnection | None = None
        self.received: list[str] = []  # every message, as text, when `record` is on
        self.record = False
        self.connections = 0
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def done(self) -> bool:
        view = self.view
        return view is not None and bool(view["over"] or view["stopped"])

    async def run(self) -> dict[str, Any]:
        """Play until the table's game ends; the last view. Raises JoinRefused."""
        async for ws in connect(self.url, max_size=MAX_VIEW, open_timeout=10,
                                reconnect_delays=self.reconnect, ping_interval=10,
                                ping_timeout=10):
            self.ws = ws
            try:
                await self._session(ws)
            except ConnectionClosed:
                self.on_note("connection to the host lost: trying again…")
                continue
            finally:
                self.ws = None
            if self.done:
                break
        assert self.view is not None
        return self.view

    async def _session(self, ws: ClientConnection) -> None:
        hello: dict[str, Any] = {"type": "hello", "protocol": PROTOCOL_VERSION,
                                 "code": self.code, "name": self.name}
        if self.token:
            hello["token"] = self.token
            hello["role"] = self.role
        else:
            hello["claim"] = self.claim
            if self.role:
                hello["role"] = self.role
        await ws.send(dump(hello))
        async for raw in ws:
            text = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
            if self.record:
                self.received.append(text)
            message = json.loads(text)
            kind = message.get("type")
            if kind == "welcome":
                self.welcome = message
                self.token, self.role = message["token"], message["role"]
                self.seq = max(self.seq, int(message["last_seq"]))
                self.connections += 1
                if self.pending is not None:  # not acknowledged before the line went down
                    await self._send_pending(ws)
            elif kind == "error":
                await self._error(ws, message)
            elif kind == "ack":
                if self.pending is not None and message["seq"] == self.pending.seq:
                    self.pending = None
            elif kind == "nudge":
                self.on_nudge(printable_line(str(message.get("message", "")))[:200])
            elif kind == "view":
                self.view = message
                self.on_view(self, message)
                if self.done:
                    await ws.close()
                    return

    async def _error(self, ws: ClientConnection, message: dict[str, Any]) -> None:
        code = message.get("code")
        text = printable_line(str(message.get("message", "")))
        if self.welcome is None or code in ("refused", "version"):
            if self.connections and code == "refused":
                text = ("this seat is no longer yours (the teacher gave it to the AI or to "
                        "someone else); join again to take a free seat")
            await ws.close()
            raise JoinRefused(text)
        if self.pending is not None and message.get("seq") == self.pending.seq \
                and code != "rate":
            self.pending = None  # refused for good (out of turn, no longer ours)
        self.on_note(text)

    async def _send_pending(self, ws: ClientConnection) -> None:
        p = self.pending
        if p is not None:
            with _quiet():
                await ws.send(dump({"type": "decide", "seq": p.seq, "turn": p.turn,
                                    "action": p.action}))

    def decide(self, turn: int, action: str) -> None:
        """Send a decision (again after a reconnection, until it is acknowledged)."""
        self.seq += 1
        self.pending = Pending(self.seq, turn, action)
        if self.ws is not None:
            task = asyncio.get_running_loop().create_task(self._send_pending(self.ws))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)


class _quiet:
    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: object, tb: object) -> bool:
        return isinstance(exc, ConnectionClosed)


# --- the AI at a seat ---------------------------------------------------------------------

def guessed_state(scenario: CompiledScenario, view: dict[str, Any]) -> GameState:
    """The state as the seat knows it: what it may not see is taken as it started."""
    values = dict(scenario.initial)
    values.update(view["states"][-1]["values"])
    previous = dict(view["records"][-1]["decisions"]) if view["records"] else {}
    return GameState(turn=int(view["turn"]), values=values, counts=dict(view["counts"]),
                     last_chosen=dict(view["last_chosen"]), previous=previous)


def auto_choice(scenario: CompiledScenario, view: dict[str, Any], draws: int) -> str:
    """The easy AI's choice for the view's seat, among what the host says is available."""
    role = str(view["role"])
    available = [str(s["action"]) for s in view["statuses"] if s["available"]]
    rng = ai_rng(draws, int(view["turn"]), role, "seat")
    choice = choose(scenario, guessed_state(scenario, view), role, level="easy", rng=rng)
    if choice in available:
        return str(choice)
    return available[int(rng.random() * len(available)) % len(available)]


def should_decide(client: SeatClient, view: dict[str, Any]) -> bool:
    pending = client.pending
    return bool(view["person"] and not view["over"] and not view["stopped"]
                and view["decided"] is None and view["statuses"]
                and (pending is None or pending.turn != view["turn"]))


async def look(url: str, code: str) -> dict[str, Any]:
    """The seats of the table with this code (the host's `Seats` message), for the join
    screen. Raises JoinRefused (a wrong code), OSError and websockets' errors."""
    async with connect(url, max_size=MAX_VIEW, open_timeout=10) as ws:
        await ws.send(dump({"type": "look", "protocol": PROTOCOL_VERSION, "code": code}))
        raw = await asyncio.wait_for(ws.recv(), 10)
    text = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
    message = json.loads(text)
    if not isinstance(message, dict) or message.get("type") not in ("seats", "error"):
        raise JoinRefused("the host did not answer as kazsim does")
    if message["type"] == "error":
        raise JoinRefused(printable_line(str(message.get("message", ""))))
    return message


def load_scenario(info: dict[str, Any], given: str | None) -> CompiledScenario:
    """The host's scenario from this computer's files (by id, or `given`), same content."""
    from kazsim.cache import load_for_play
    from kazsim.scenario.catalog import find_scenario

    name = given or str(info["id"])
    path = find_scenario(name)
    compiled = load_for_play(path)[0] if path is not None else None
    if compiled is None or compiled.content_hash != info["content_hash"]:
        raise JoinRefused(
            f"this computer does not have the host's scenario '{printable_line(info['id'])}' "
            f"(version {printable_line(info['version'])}, content "
            f"{printable_line(info['content_hash'][:12])}...): use the same kazsim version "
            "as the host, or give the scenario file with --scenario FILE")
    return compiled


async def play_auto(url: str, code: str, *, role: str | None = None, name: str = "",
                    scenario_file: str | None = None, quiet: bool = False,
                    client: SeatClient | None = None) -> dict[str, Any]:
    """Play a seat with the easy AI until the table's game ends; the last view."""
    state: dict[str, Any] = {"scenario": None}

    def note(text: str) -> None:
        if not quiet:
            print(f"kazsim: {text}", file=sys.stderr, flush=True)

    def on_view(c: SeatClient, view: dict[str, Any]) -> None:
        if state["scenario"] is None:
            assert c.welcome is not None
            state["scenario"] = load_scenario(c.welcome["scenario"], scenario_file)
        if should_decide(c, view):
            action = auto_choice(state["scenario"], view, int(c.welcome["draws"]))  # type: ignore[index]
            if not quiet:
                label = state["scenario"].role(view["role"]).by_id[action].model.label
                print(f"table {view['table']} · {view['role']} · turn {view['turn']}: "
                      f"{printable_line(label)}", flush=True)
            c.decide(int(view["turn"]), action)

    seat = client or SeatClient(url, code, role=role, name=name)
    seat.on_view, seat.on_note = on_view, note
    return await seat.run()


def join_auto(url: str, code: str, *, role: str | None, name: str,
              scenario_file: str | None) -> int:
    """`kazsim join URL CODE --auto`: 0 when the game ended, 1 when refused."""
    try:
        view = asyncio.run(play_auto(url, code, role=role, name=name,
                                     scenario_file=scenario_file))
    except JoinRefused as exc:
        print(f"kazsim: {exc}", file=sys.stderr)
        return 1
    except (InvalidURI, InvalidHandshake, OSError) as exc:
        print(f"kazsim: cannot join {printable_line(url)}: {printable_line(str(exc))}",
              file=sys.stderr)
        return 1
    if view["over"]:
        print(f"table {view['table']}: the game ended: {printable_line(str(view['ending']))}")
    else:
        print(f"table {view['table']}: the lesson ended after turn {len(view['records'])}")
    return 0
