"""A class plays to the end over loopback, every table's save verifies, the teacher's
switches work, and a class file reopened goes on exactly where it was."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest

from kazsim.classroom.client import SeatClient, play_auto
from kazsim.classroom.host import Classroom
from kazsim.engine import play_ai_game
from kazsim.scenario import CompiledScenario
from kazsim.session.verify import verify_command

from .support import ROOT, HostProcess, free_port, kazsim, recv, running_class, seat


async def test_two_tables_of_auto_clients_play_to_the_end(tutorial: CompiledScenario,
                                                          tmp_path: Path, capsys) -> None:
    async with running_class(tutorial, tmp_path, tables=2, wait=True) as (room, _, url):
        clients = [play_auto(url, table.code, role=role, quiet=True)
                   for table in room.tables.values() for role in tutorial.role_ids]
        views = await asyncio.wait_for(asyncio.gather(*clients), 60)
        for table in room.tables.values():
            assert table.game.over
            assert all(s.human for s in table.seats.values())
            assert all(s.connected == 0 for s in table.seats.values())
        assert all(v["over"] for v in views)
        assert {v["ending"] for v in views if v["table"] == 1} == {
            room.tables[1].game.state.ending}
        saves = sorted((tmp_path / "saves").glob("*.json"))
        assert [p.name for p in saves] == ["class-table1.json", "class-table2.json"]
        capsys.readouterr()
        for path in saves:
            assert verify_command(path) == 0
        out = capsys.readouterr().out
        assert out.count("OK: ") == 2 and "ending" in out


async def test_empty_seats_are_played_by_the_ai(tutorial: CompiledScenario,
                                                tmp_path: Path) -> None:
    async with running_class(tutorial, tmp_path) as (room, _, url):
        table = room.tables[1]
        view = await asyncio.wait_for(play_auto(url, table.code, role="union", quiet=True), 60)
        assert view["over"]
        records = table.game.records
        ai_rows = room.store.db.execute(
            "SELECT DISTINCT role FROM decisions WHERE by = 'ai'").fetchall()
        assert sorted(r for (r,) in ai_rows) == ["council", "province"]
        assert [r.decisions["union"] for r in records] == [
            a for (a,) in room.store.db.execute(
                "SELECT action FROM decisions WHERE role = 'union' AND by = 'person' "
                "ORDER BY turn")]


async def test_the_teacher_gives_a_seat_to_the_ai_and_back(tutorial: CompiledScenario,
                                                           tmp_path: Path) -> None:
    async with running_class(tutorial, tmp_path, wait=True) as (room, server, url):
        table = room.tables[1]
        ws, welcome, view = await seat(url, table.code, "council")
        assert view["person"] and view["turn"] == 1
        # the other two seats wait for people: nothing resolves
        await ws.send('{"type":"decide","seq":1,"turn":1,"action":"hold_firm"}')
        assert (await recv(ws))["type"] == "ack"
        assert (await recv(ws, "view"))["decided"] == "hold_firm"
        assert table.turn == 1
        await server.changed(table, lambda: room.set_person(1, "union", False) and None)
        assert table.turn == 1  # the province still waits for a person
        assert (await recv(ws, "view"))["turn"] == 1
        await server.changed(table, lambda: room.set_person(1, "province", False) and None)
        view = await recv(ws, "view")
        assert view["turn"] == 2 and view["decided"] is None
        # the council's seat goes to the AI: its player may no longer decide
        await server.changed(table, lambda: room.set_person(1, "council", False) and None)
        assert (await recv(ws, "view"))["person"] is False
        await ws.send('{"type":"decide","seq":2,"turn":2,"action":"hold_firm"}')
        reply = await recv(ws, "error")
        assert reply["code"] in ("not_yours", "out_of_turn")
        # ...and the seat is free: the next one to join takes it (a new token)
        ws2, welcome2, _ = await seat(url, table.code, "council")
        assert welcome2["token"] != welcome["token"]
        await ws.close()
        await ws2.close()


async def test_pause_holds_a_table_and_resume_resolves(tutorial: CompiledScenario,
                                                       tmp_path: Path) -> None:
    async with running_class(tutorial, tmp_path, tables=2) as (room, server, url):
        room.set_paused(1, True)
        ws, _, view = await seat(url, room.tables[1].code, "council")
        assert view["paused"]
        await ws.send('{"type":"decide","seq":1,"turn":1,"action":"hold_firm"}')
        assert (await recv(ws))["type"] == "ack"
        await asyncio.sleep(0.05)
        assert room.tables[1].turn == 1  # paused: the decision is kept, the turn waits
        await server.changed(room.tables[1], lambda: room.set_paused(1, False) and None)
        view = await recv(ws, "view")
        while view["turn"] == 1:
            view = await recv(ws, "view")
        assert view["turn"] == 2 and not view["paused"]
        assert room.tables[2].turn == 1  # nobody at table 2: it waits
        await ws.close()


def test_a_reopened_class_file_goes_on_where_it_was(tutorial: CompiledScenario,
                                                    tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    room, resumed = Classroom.open(path, tutorial, tables=2, seed=3, wait=True)
    assert not resumed
    t1 = room.tables[1]
    seats = {}
    for role in tutorial.role_ids:
        _, s, token = room.join(t1.code, role, None)
        seats[role] = (s, token)
    for turn in (1, 2):
        for seq_role in tutorial.role_ids:
            s = seats[seq_role][0]
            room.decide(t1, s, turn, turn, t1.game.legal(seq_role)[0])
            room.advance(t1)
    s = seats["council"][0]
    third = t1.game.legal("council")[-1]
    room.decide(t1, s, 3, 3, third)  # turn 3: one decision so far
    states = [st.checksum() for st in t1.game.states]
    codes = {n: t.code for n, t in room.tables.items()}
    room.close()

    again, resumed = Classroom.open(path, tutorial, tables=5)
    assert resumed and len(again.tables) == 2  # the class file says how many tables
    t1 = again.tables[1]
    assert [st.checksum() for st in t1.game.states] == states
    assert t1.pending == {"council": third} and t1.turn == 3
    assert {n: t.code for n, t in again.tables.items()} == codes
    _, s, _ = again.join(t1.code, "union", seats["union"][1])
    assert s.role == "union" and s.last_seq == 2
    again.close()


def test_a_class_file_of_another_scenario_is_refused(tutorial: CompiledScenario,
                                                     tmp_path: Path) -> None:
    from kazsim.classroom.store import ClassFileError
    from kazsim.scenario import load_file

    path = tmp_path / "c.sqlite"
    Classroom.open(path, tutorial)[0].close()
    other = load_file(ROOT / "scenarios" / "csto-decision.yaml")
    with pytest.raises(ClassFileError, match="tutorial"):
        Classroom.open(path, other)


def test_the_ai_alone_plays_as_the_engine_does(tutorial: CompiledScenario,
                                               tmp_path: Path) -> None:
    """A table whose people all leave to the AI plays the engine's AI game."""
    room, _ = Classroom.open(tmp_path / "c.sqlite", tutorial, seed=11, wait=True)
    table = room.tables[1]
    for role in tutorial.role_ids[1:]:
        room.set_person(1, role, False)
    while not table.game.over:
        room.decide(table, table.seats["council"], table.turn, table.turn,
                    table.game.ai_decision("council"))
        room.advance(table)
    reference = play_ai_game(tutorial, 11)
    assert [r.decisions for r in table.game.records] == [r.decisions for r in reference.records]
    room.close()


def test_host_and_join_commands(tmp_path: Path) -> None:
    """The real commands: a headless host, two `kazsim join --auto` clients."""
    host = HostProcess("tutorial", tmp_path / "c.sqlite", tmp_path / "saves", free_port(),
                       "--tables", "2", "--seed", "5").start()
    try:
        joins = [subprocess.Popen(kazsim("join", host.url, code, "--role", "union", "--auto"),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  cwd=ROOT) for code in host.codes.values()]
        outs = [j.communicate(timeout=120) for j in joins]
        assert [j.returncode for j in joins] == [0, 0], outs
        assert all("the game ended" in out for out, _ in outs)
        for n in (1, 2):
            run = subprocess.run(kazsim("replay", "--verify",
                                        str(tmp_path / "saves" / f"c-table{n}.json")),
                                 capture_output=True, text=True, cwd=ROOT, timeout=60)
            assert run.returncode == 0 and run.stdout.startswith("OK: "), run
    finally:
        host.stop()


def test_join_refused_says_so(tmp_path: Path) -> None:
    host = HostProcess("tutorial", tmp_path / "c.sqlite", tmp_path / "saves",
                       free_port()).start()
    try:
        run = subprocess.run(kazsim("join", host.url, "WRONG1", "--auto"), capture_output=True,
                             text=True, cwd=ROOT, timeout=60)
        assert run.returncode == 1
        assert "join code or the token is not right" in run.stderr
    finally:
        host.stop()


async def test_client_keeps_its_seat_across_a_reconnection(tutorial: CompiledScenario,
                                                           tmp_path: Path) -> None:
    async with running_class(tutorial, tmp_path, wait=True) as (room, server, url):
        table = room.tables[1]
        seen: list[dict] = []
        client = SeatClient(url, table.code, role="council",
                            on_view=lambda c, v: seen.append(v))
        task = asyncio.create_task(client.run())
        while not seen:
            await asyncio.sleep(0.01)
        for ws in list(server.connections[(1, "council")]):
            await ws.close()
        while client.connections < 2:
            await asyncio.sleep(0.02)
        assert table.seats["council"].token_hash is not None
        assert client.role == "council"
        task.cancel()
