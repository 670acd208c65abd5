"""The teacher's nudge reaches the seats that have not decided, and nobody else; the host
writes the class report next to the class file when every table is over, and on quit."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from kazsim.classroom.client import SeatClient, play_auto
from kazsim.classroom.host import NUDGE
from kazsim.scenario import CompiledScenario

from .support import recv, running_class, seat


async def test_a_nudge_reaches_the_seats_still_deciding(tutorial: CompiledScenario,
                                                        tmp_path: Path) -> None:
    async with running_class(tutorial, tmp_path, wait=True) as (room, server, url):
        table = room.tables[1]
        council, _, _ = await seat(url, table.code, "council")
        union, _, _ = await seat(url, table.code, "union")
        await council.send('{"type":"decide","seq":1,"turn":1,"action":"hold_firm"}')
        assert (await recv(council))["type"] == "ack"
        # the province has nobody yet, the council has decided: only the union is nudged
        assert await server.nudge(table) == ["union"]
        nudge = await recv(union, "nudge")
        assert nudge == {"type": "nudge", "table": 1, "turn": 1, "message": NUDGE}
        heard = []
        try:
            while True:
                heard.append(json.loads(await asyncio.wait_for(council.recv(), 0.3)))
        except TimeoutError:
            pass
        assert not any(m["type"] == "nudge" for m in heard)
        # one seat by its role; a seat that has decided is not nudged
        assert await server.nudge(table, "council") == []
        assert await server.nudge(table, "union") == ["union"]
        assert (await recv(union, "nudge"))["message"] == NUDGE
        for ws in (council, union):
            await ws.close()


async def test_the_client_tells_its_player(tutorial: CompiledScenario, tmp_path: Path) -> None:
    async with running_class(tutorial, tmp_path, wait=True) as (room, server, url):
        table = room.tables[1]
        told: list[str] = []
        seen: list[dict] = []
        client = SeatClient(url, table.code, role="union", on_view=lambda c, v: seen.append(v),
                            on_nudge=told.append)
        task = asyncio.create_task(client.run())
        while not seen:
            await asyncio.sleep(0.01)
        assert await server.nudge(table) == ["union"]
        while not told:
            await asyncio.sleep(0.01)
        assert told == [NUDGE]
        task.cancel()


async def test_the_host_writes_the_class_report_when_every_table_is_over(
        tutorial: CompiledScenario, tmp_path: Path) -> None:
    said: list[str] = []
    async with running_class(tutorial, tmp_path, tables=2, end_at=2, report=True) as (
            room, server, url):
        server.on_report = said.append
        await asyncio.wait_for(asyncio.gather(
            *(play_auto(url, t.code, role="council", quiet=True)
              for t in room.tables.values())), 60)
        await asyncio.wait_for(server.wait_report(), 60)
        page = tmp_path / "class-report.html"
        assert said and str(page.resolve()) in said[0] and "every table is over" in said[0]
        text = page.read_text(encoding="utf-8")
        assert "table 1" in text and "table 2" in text and "a lesson of 2 turns" in text
        assert (tmp_path / "class-report.md").read_text(encoding="utf-8").startswith(
            "# Class report")
    # on quit: nothing changed since, so it is not written again, only said where it is
    assert len(said) == 2 and said[1].startswith(f"the class report is in {page.resolve()}")


async def test_the_host_writes_the_report_on_quit(tutorial: CompiledScenario,
                                                  tmp_path: Path) -> None:
    said: list[str] = []
    async with running_class(tutorial, tmp_path, tables=1, report=True) as (room, server, url):
        server.on_report = said.append
        table = room.tables[1]
        ws, _, _ = await seat(url, table.code, "council")
        await ws.send('{"type":"decide","seq":1,"turn":1,"action":"hold_firm"}')
        assert (await recv(ws))["type"] == "ack"
        while table.turn == 1:
            await asyncio.sleep(0.01)
        await ws.close()
    assert said[0] == "writing the class report (1 table)…"
    assert said[1].startswith("the class report is in")
    text = (tmp_path / "class-report.html").read_text(encoding="utf-8")
    assert "in progress after turn 1" in text
