"""`kill -9` of the host at random moments: restarted on the same class file, every table
finishes with the same result as an uninterrupted class with the same seeds; the clients
reconnect by themselves; nothing is lost or played twice; every table's save verifies."""

from __future__ import annotations

import asyncio
import random
import subprocess
from pathlib import Path

import pytest

from kazsim.classroom.client import SeatClient, play_auto
from kazsim.classroom.host import Classroom
from kazsim.scenario import load_file

from .support import ROOT, SCENARIOS, HostProcess, free_port, kazsim, running_class


def fast_backoff() -> object:
    def delays():  # type: ignore[no-untyped-def]
        while True:
            yield 0.05
    return delays


def results(room: Classroom) -> dict[int, tuple]:
    return {n: ([dict(r.decisions) for r in t.game.records], t.game.state.checksum(),
                t.game.state.ending)
            for n, t in room.tables.items()}


async def reference(scenario_file: Path, folder: Path, tables: int, seed: int) -> dict:
    scenario = load_file(scenario_file)
    people = [r.id for r in scenario.roles if "human" in r.model.players]
    async with running_class(scenario, folder, tables=tables, seed=seed, wait=True) as (
            room, _, url):
        await asyncio.wait_for(asyncio.gather(
            *(play_auto(url, t.code, role=role, quiet=True)
              for t in room.tables.values() for role in people)), 600)
        return results(room)


async def killed_class(scenario_file: Path, folder: Path, tables: int, seed: int,
                       kills: int, rng: random.Random) -> tuple[dict, list[SeatClient]]:
    scenario = load_file(scenario_file)
    people = [r.id for r in scenario.roles if "human" in r.model.players]
    port = free_port()
    args = ("--tables", str(tables), "--seed", str(seed), "--wait")
    host = HostProcess(str(scenario_file), folder / "class.sqlite", folder / "saves", port,
                       *args)
    await asyncio.to_thread(host.start)
    clients = [SeatClient(host.url, code, role=role, reconnect=fast_backoff())  # type: ignore[arg-type]
               for code in host.codes.values() for role in people]
    runs = asyncio.gather(*(play_auto(host.url, c.code, role=c.role, quiet=True, client=c)
                            for c in clients))
    try:
        for k in range(kills):
            # The first kill comes while the clients are still connecting or playing (a
            # fast machine can play a short class in well under a second); the others at
            # random moments, while the class is still on.
            await asyncio.sleep(rng.uniform(0.02, 0.15) if k == 0 else rng.uniform(0.05, 0.6))
            if runs.done():
                break
            host.kill()
            await asyncio.sleep(rng.uniform(0.0, 0.2))
            await asyncio.to_thread(host.start)
        await asyncio.wait_for(runs, 600)
    finally:
        host.stop()
    room, resumed = Classroom.open(folder / "class.sqlite", scenario)
    assert resumed
    try:
        return results(room), clients
    finally:
        room.close()


async def run_and_compare(tmp_path: Path, scenario_file: Path, tables: int, kills: int,
                          seed: int) -> None:
    (tmp_path / "reference").mkdir()
    expected = await reference(scenario_file, tmp_path / "reference", tables, seed)
    (tmp_path / "killed").mkdir()
    got, clients = await killed_class(scenario_file, tmp_path / "killed", tables, seed, kills,
                                      random.Random(seed))
    assert got == expected
    assert all(ending is not None for _, _, ending in got.values())
    assert sum(c.connections for c in clients) > len(clients)  # they did reconnect
    for n in range(1, tables + 1):
        save = tmp_path / "killed" / "saves" / f"class-table{n}.json"
        run = await asyncio.to_thread(
            subprocess.run, kazsim("replay", "--verify", str(save)), capture_output=True,
            text=True, cwd=ROOT, timeout=120)
        assert run.returncode == 0 and run.stdout.startswith("OK: "), run


async def test_a_few_kills_change_nothing(tmp_path: Path) -> None:
    await run_and_compare(tmp_path, SCENARIOS / "csto-decision.yaml", tables=2, kills=3,
                          seed=21)


@pytest.mark.slow
async def test_twenty_kills_in_a_class_of_eight_tables(tmp_path: Path) -> None:
    await run_and_compare(tmp_path, SCENARIOS / "kazakhstan-2022.yaml", tables=8, kills=20,
                          seed=40)
