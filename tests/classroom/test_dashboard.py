"""The teacher's dashboard: every table's state, and the teacher's keys reach the class."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import DataTable

from kazsim.classroom.dashboard import Dashboard, finish
from kazsim.classroom.host import Classroom
from kazsim.scenario import CompiledScenario

from .support import recv, seat


async def until(pilot, done, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not done():
        assert loop.time() < end, "timed out"
        await pilot.pause(0.05)


def cells(app: Dashboard, table_id: str) -> list[list[str]]:
    widget = app.query_one(f"#{table_id}", DataTable)
    return [[str(c) for c in widget.get_row_at(i)] for i in range(widget.row_count)]


async def test_the_dashboard_shows_and_steers_every_table(tutorial: CompiledScenario,
                                                          tmp_path: Path, capsys) -> None:
    room, _ = Classroom.open(tmp_path / "c.sqlite", tutorial, tables=2, wait=True)
    app = Dashboard(room, "127.0.0.1", 0)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.port != 0 and cells(app, "tables"))
        url = f"ws://127.0.0.1:{app.port}"
        rows = cells(app, "tables")
        assert [r[:3] for r in rows] == [["1", room.tables[1].code, "1/5"],
                                         ["2", room.tables[2].code, "1/5"]]
        ws, _, _ = await seat(url, room.tables[1].code, "council")
        await ws.send('{"type":"decide","seq":1,"turn":1,"action":"hold_firm"}')
        assert (await recv(ws))["type"] == "ack"
        await until(pilot, lambda: cells(app, "tables")[0][3:5] == ["1/3 (1 online)", "1/3"])
        assert cells(app, "seats")[0][1:] == ["a person", "online", "yes"]
        # p pauses table 1 (its players hear of it), p again resumes it
        await pilot.press("p")
        assert room.tables[1].paused
        while not (await recv(ws, "view"))["paused"]:
            pass
        await pilot.press("p")
        assert not room.tables[1].paused
        # P pauses every table
        await pilot.press("P")
        assert all(t.paused for t in room.tables.values())
        await pilot.press("P")
        assert not any(t.paused for t in room.tables.values())
        # the union's and the province's seats to the AI: the turn resolves
        await pilot.press("tab", "down", "a", "down", "a")
        await until(pilot, lambda: room.tables[1].turn == 2)
        assert [r[1] for r in cells(app, "seats")] == ["a person", "AI (easy)", "AI (easy)"]
        # h gives the province back to a person: the next turn waits for one
        await pilot.press("h")
        assert room.tables[1].seats["province"].human
        # e: end every table after turn 3
        await pilot.press("e")
        await pilot.press("3", "enter")
        await until(pilot, lambda: room.end_at == 3)
        assert room.store.meta()["end_at"] == "3"
        await ws.close()
    # on quit, the class report is written beside the class file, and the host says where
    report = tmp_path / "c-report.html"
    assert not report.exists() and app.reports == []
    capsys.readouterr()
    finish(app, room)
    out, err = capsys.readouterr()
    assert out.splitlines()[0].startswith("table 1: ")
    assert err.splitlines() == ["kazsim: writing the class report (2 tables)…",
                                f"kazsim: the class report is in {report.resolve()} (and "
                                "c-report.md beside it)"]
    assert "table 1" in report.read_text(encoding="utf-8")
    room.close()


async def test_n_nudges_the_seats_still_deciding(tutorial: CompiledScenario,
                                                 tmp_path: Path) -> None:
    room, _ = Classroom.open(tmp_path / "c.sqlite", tutorial, tables=1, wait=True)
    app = Dashboard(room, "127.0.0.1", 0)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.port != 0 and cells(app, "tables"))
        url = f"ws://127.0.0.1:{app.port}"
        council, _, _ = await seat(url, room.tables[1].code, "council")
        union, _, _ = await seat(url, room.tables[1].code, "union")
        await council.send('{"type":"decide","seq":1,"turn":1,"action":"hold_firm"}')
        assert (await recv(council))["type"] == "ack"
        await until(pilot, lambda: cells(app, "tables")[0][4] == "1/3")
        # from the tables: every seat of the table that has not decided
        await pilot.press("n")
        nudge = await recv(union, "nudge")
        assert "waiting for you" in nudge["message"] and nudge["turn"] == 1
        # from the seats: the seat under the cursor only (the council has decided)
        await pilot.press("tab")
        await pilot.press("n")
        await pilot.pause(0.2)
        assert any("nobody to nudge" in n.message for n in app._notifications)
        await pilot.press("down", "n")
        assert (await recv(union, "nudge"))["type"] == "nudge"
        for ws in (council, union):
            await ws.close()
    room.close()
