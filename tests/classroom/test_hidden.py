"""Hidden information: every message a seat's client receives is recorded, and none carries
an indicator or flag its role may not see, nor another seat's pending decision."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from kazsim.classroom.client import SeatClient, play_auto
from kazsim.classroom.view import visible_ids
from kazsim.scenario import CompiledScenario, load_file

from .support import SCENARIOS, recv, running_class, seat


def hidden_ids(scenario: CompiledScenario, role: str) -> set[str]:
    model = scenario.model
    every = {i.id for i in model.indicators} | {f.id for f in model.flags}
    return every - set(visible_ids(scenario, role))


async def test_no_seat_receives_what_its_role_may_not_see(tmp_path: Path) -> None:
    scenario = load_file(SCENARIOS / "kazakhstan-2022.yaml")
    people = [r.id for r in scenario.roles if "human" in r.model.players]
    assert hidden_ids(scenario, "protestors")  # the test needs secrets to keep
    async with running_class(scenario, tmp_path, wait=True) as (room, _, url):
        code = room.tables[1].code
        clients = {role: SeatClient(url, code, role=role) for role in people}
        for client in clients.values():
            client.record = True
        await asyncio.wait_for(asyncio.gather(
            *(play_auto(url, code, role=role, quiet=True, client=c)
              for role, c in clients.items())), 120)
        game = room.tables[1].game
        assert game.over
    checked = 0
    for role, client in clients.items():
        secret = hidden_ids(scenario, role)
        assert client.received
        for text in client.received:
            if '"over":true' in text:
                continue  # the debrief: the whole story, as in local play (checked below)
            for item in secret:
                assert f'"{item}"' not in text, (role, item)
            message = json.loads(text)
            if message["type"] != "view":
                continue
            checked += 1
            for state in message["states"]:
                assert set(state["values"]) == set(visible_ids(scenario, role))
            for record in message["records"]:
                assert {c[0] for c in record["changes"]} <= set(visible_ids(scenario, role))
                assert record["turn"] < message["turn"] or message["over"]
            assert all(k.startswith(f"{role}.") for k in message["counts"])
            # the seat's own decision only, and only that turn's
            assert message["decided"] is None or message["decided"] in {
                s["action"] for s in message["statuses"]}
    assert checked > len(people) * game.turn // 2
    # the last view of each seat is the debrief's: everything, with the seed
    for client in clients.values():
        last = json.loads(client.received[-1])
        assert last["over"] and last["seed"] == game.seed
        assert set(last["states"][-1]["values"]) == set(visible_ids(scenario, None))


async def test_a_pending_decision_never_reaches_another_seat(tutorial: CompiledScenario,
                                                             tmp_path: Path) -> None:
    async with running_class(tutorial, tmp_path, wait=True) as (room, _, url):
        code = room.tables[1].code
        council, _, _ = await seat(url, code, "council")
        union, _, first = await seat(url, code, "union")
        province, _, _ = await seat(url, code, "province")
        seen_by_union = [json.dumps(first)]
        await council.send('{"type":"decide","seq":1,"turn":1,"action":"subsidise"}')
        assert (await recv(council))["type"] == "ack"
        await province.send('{"type":"decide","seq":1,"turn":1,"action":"lend_flour"}')
        assert (await recv(province))["type"] == "ack"
        # everything the union receives until it decides itself
        try:
            while True:
                seen_by_union.append(await asyncio.wait_for(union.recv(), 0.3))
        except TimeoutError:
            pass
        assert not any("subsidise" in t or "lend_flour" in t for t in seen_by_union)
        await union.send('{"type":"decide","seq":1,"turn":1,"action":"march"}')
        assert (await recv(union))["type"] == "ack"
        view = await recv(union, "view")
        while view["turn"] == 1:
            view = await recv(union, "view")
        # once the turn is resolved, the story tells every decision, as in local play
        assert view["records"][0]["decisions"] == {
            "council": "subsidise", "union": "march", "province": "lend_flour"}
        for ws in (council, union, province):
            await ws.close()


async def test_a_secret_move_reaches_no_other_seat_until_revealed(tmp_path: Path) -> None:
    """Whole games of the every-construct scenario played by `join --auto` clients: the
    governor's secret move (seen by the capital, an AI seat) is in no message the
    residents' seat receives, unless that message reveals it, or is the debrief."""
    path = SCENARIOS.parent / "tests" / "docs" / "data" / "every_construct.yaml"
    scenario = load_file(path)
    secret_seen = 0
    for seed in (1, 2, 3):
        folder = tmp_path / str(seed)
        folder.mkdir()
        async with running_class(scenario, folder, wait=True, seed=seed) as (room, _, url):
            code = room.tables[1].code
            clients = {role: SeatClient(url, code, role=role)
                       for role in ("governor", "residents")}
            clients["residents"].record = True
            await asyncio.wait_for(asyncio.gather(
                *(play_auto(url, code, role=role, quiet=True, client=c, scenario_file=str(path))
                  for role, c in clients.items())), 60)
            game = room.tables[1].game
            made = [r.turn for r in game.records if r.decisions["governor"] == "pay_informers"]
            secret_seen += bool(made)
        for text in clients["residents"].received:
            message = json.loads(text)
            if message["type"] != "view" or message["over"]:
                continue
            revealed = any(x[2] == "pay_informers" for r in message["records"]
                           for x in r["revealed"])
            assert revealed or "pay_informers" not in text, seed
            assert "pays informers" not in text  # its news line: never before the debrief
    assert secret_seen  # the AI made the secret move in at least one of these games
