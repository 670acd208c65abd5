"""The classroom over loopback: from a turn's last decision to every seat having its story.

    .venv/bin/python benchmarks/bench_classroom.py [--tables N] [--scenario ID]

A class of N tables (default 4) of the scenario (default kazakhstan-2022), every
seat a person's seat played by the easy AI through `kazsim.classroom.client`
in this process, all seats waiting for people (`--wait`), plays to the end on
a host in this process. For each turn of each table it measures, on one clock,
from the moment the last decision of the turn is sent to the moment the last
seat of that table has the view with the turn's story. Printed: the median and
the 99th percentile, next to a floor measured in the same run: a bare
`websockets` server that answers one message by sending a message of the same
size to as many clients (no validation, no store, no engine); then the ratio.
Also the resident memory the class added, per table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kazsim.classroom.client import SeatClient, play_auto  # noqa: E402
from kazsim.classroom.host import Classroom  # noqa: E402
from kazsim.classroom.server import ClassServer  # noqa: E402
from kazsim.scenario.load import validate_file  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def class_latencies(scenario_id: str, tables: int) -> tuple[list[float], int, int]:
    compiled, _ = validate_file(ROOT / "scenarios" / f"{scenario_id}.yaml")
    assert compiled is not None
    people = [r.id for r in compiled.roles if "human" in r.model.players]
    sent: dict[tuple[int, int], float] = {}  # (table, turn) -> last decision sent
    got: dict[tuple[int, int], list[float]] = {}
    view_size = [0]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory() as folder:
        room, _ = Classroom.open(Path(folder) / "c.sqlite", compiled, tables=tables, seed=1,
                                 wait=True)
        server = ClassServer(room)
        port = await server.start("127.0.0.1", 0)
        url = f"ws://127.0.0.1:{port}"
        clients = []
        for table in room.tables.values():
            for role in people:
                client = SeatClient(url, table.code, role=role)
                original = client.decide

                def timed(turn: int, action: str, n: int = table.n,
                          original: Any = original) -> None:
                    sent[(n, turn)] = time.perf_counter()  # the last one sent wins
                    original(turn, action)

                client.decide = timed  # type: ignore[method-assign]
                clients.append(client)

        def watch(client: SeatClient, view: dict[str, Any]) -> None:
            if view["records"]:
                got.setdefault((view["table"], view["records"][-1]["turn"]), []).append(
                    time.perf_counter())
                view_size[0] = max(view_size[0], len(json.dumps(view)))

        runs = []
        for client in clients:
            run = play_auto(url, client.code, role=client.role, quiet=True, client=client)
            runs.append(run)
        tasks = [asyncio.ensure_future(r) for r in runs]
        # play_auto sets its own on_view: wrap it to record arrival times
        await asyncio.sleep(0)
        for client in clients:
            inner = client.on_view

            def both(c: SeatClient, v: dict[str, Any], inner: Any = inner) -> None:
                watch(c, v)
                inner(c, v)

            client.on_view = both
        await asyncio.gather(*tasks)
        await server.stop()
        room.close()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    latencies = [max(got[key][:len(people)]) - sent[key] for key in sent if key in got]
    return latencies, view_size[0], (after - before) // max(1, tables)


async def floor_latencies(clients: int, size: int, rounds: int) -> list[float]:
    """A bare server: one message in, one message of `size` bytes out to every client."""
    sockets: list[Any] = []
    payload = "x" * size

    async def handler(ws: Any) -> None:
        sockets.append(ws)
        async for _ in ws:
            await asyncio.gather(*(s.send(payload) for s in list(sockets)))

    async with serve(handler, "127.0.0.1", 0, max_size=2**22) as server:
        port = server.sockets[0].getsockname()[1]
        conns = [await connect(f"ws://127.0.0.1:{port}", max_size=2**22)
                 for _ in range(clients)]
        await asyncio.sleep(0.05)
        out = []
        for _ in range(rounds):
            start = time.perf_counter()
            await conns[0].send("go")
            await asyncio.gather(*(c.recv() for c in conns))
            out.append(time.perf_counter() - start)
        for c in conns:
            await c.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, default=4)
    parser.add_argument("--scenario", default="kazakhstan-2022")
    args = parser.parse_args()
    latencies, size, memory = asyncio.run(class_latencies(args.scenario, args.tables))
    compiled, _ = validate_file(ROOT / "scenarios" / f"{args.scenario}.yaml")
    assert compiled is not None
    seats = sum(1 for r in compiled.roles if "human" in r.model.players)
    floor = asyncio.run(floor_latencies(seats, size, max(20, len(latencies))))
    med, p99 = statistics.median(latencies), percentile(latencies, 99)
    fmed, fp99 = statistics.median(floor), percentile(floor, 99)
    print(f"{args.scenario}: {args.tables} tables of {seats} seats, {len(latencies)} turns")
    print(f"last decision -> every seat has the story: median {med * 1000:.1f} ms, "
          f"p99 {p99 * 1000:.1f} ms")
    print(f"floor (bare websockets, {seats} clients, {size} bytes): median "
          f"{fmed * 1000:.1f} ms, p99 {fp99 * 1000:.1f} ms")
    print(f"ratio: median {med / fmed:.1f}x, p99 {p99 / fp99:.1f}x")
    print(f"resident memory added per table: {memory / 1024:.1f} MB (ru_maxrss)")


if __name__ == "__main__":
    main()
