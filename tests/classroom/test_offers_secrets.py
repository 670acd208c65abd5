"""Offers between sides and secret moves across screens (tests/docs/data/every_construct.yaml):
the seat an offer is made to sees it and accepts it, the binding reaches it; a secret
move never reaches a seat that does not see it until it is revealed."""

from __future__ import annotations

import json
from pathlib import Path

from websockets.asyncio.client import ClientConnection

from kazsim.classroom.remote import RemoteGame
from kazsim.scenario import load_file
from kazsim.story import turn_story

from .support import ROOT, running_class, seat

EVERY = ROOT / "tests" / "docs" / "data" / "every_construct.yaml"
SECRET_WORDS = ("pay_informers", "pays informers", "Pay informers")


async def _decide(ws: ClientConnection, seq: int, turn: int, action: str,
                  heard: list[str]) -> None:
    await ws.send(json.dumps({"type": "decide", "seq": seq, "turn": turn, "action": action}))
    while True:
        text = str(await ws.recv())
        heard.append(text)
        if json.loads(text)["type"] == "ack":
            return
        assert json.loads(text)["type"] == "view", text


async def _view_of(ws: ClientConnection, turn: int, heard: list[str]) -> dict[str, object]:
    while True:
        text = str(await ws.recv())
        heard.append(text)
        message = json.loads(text)
        if message["type"] == "view" and message["turn"] == turn:
            return message  # type: ignore[no-any-return]


async def test_an_offer_and_a_secret_move_across_screens(tmp_path: Path) -> None:
    scenario = load_file(EVERY)
    async with running_class(scenario, tmp_path, wait=True, seed=5) as (room, _, url):
        code = room.tables[1].code
        governor, _, _ = await seat(url, code, "governor")
        residents, _, first = await seat(url, code, "residents")
        heard: list[str] = [json.dumps(first)]  # everything the residents' seat receives
        mine: list[str] = []
        assert "repairs_for_road" not in {s["action"] for s in first["statuses"]}
        # turn 1: the governor makes the offer
        await _decide(governor, 1, 1, "offer_repairs", mine)
        await _decide(residents, 1, 1, "hold_blockade", heard)
        view = await _view_of(residents, 2, heard)
        record = view["records"][0]
        assert record["decisions"]["governor"] == "offer_repairs"
        assert any("offers to fund the pipe repairs" in n[2] for n in record["news"])
        # the seat it is made to sees it as a choice ("Accept: ..."), and accepts it
        offered = {s["action"]: s for s in view["statuses"]}["repairs_for_road"]
        assert offered["available"]
        remote = RemoteGame(scenario, "residents")
        remote.update(view)
        accept = next(s for s in remote.statuses("residents") if s.action.id ==
                      "repairs_for_road")
        assert accept.available and accept.action.model.label.startswith("Accept: ")
        # turn 2: the governor's secret move (seen by the capital only), the offer accepted
        await _decide(governor, 2, 2, "pay_informers", mine)
        await _decide(residents, 2, 2, "repairs_for_road", heard)
        view = await _view_of(residents, 3, heard)
        record = view["records"][1]
        assert record["decisions"]["residents"] == "repairs_for_road"
        assert "governor" not in record["decisions"]  # the secret move is not told
        assert any("accept the governor's deal" in n[2] for n in record["news"])
        for text in heard:
            for word in SECRET_WORDS:
                assert word not in text, word
        remote.update(view)
        story = turn_story(scenario, remote.records[1], viewer="residents")
        assert "Pay informers" not in story
        # the accepted offer binds the residents: the blockade is ruled out for 2 turns
        bound = {s["action"]: s for s in view["statuses"]}["hold_blockade"]
        assert not bound["available"] and "bound by the accepted offer" in bound["reason"]
        # the governor's own screen tells its secret move
        own = await _view_of(governor, 3, mine)
        assert own["records"][1]["decisions"]["governor"] == "pay_informers"
        assert "repairs_for_road" in json.dumps(own["records"][1])
        # turn 3: the residents march, which reveals the secret move to every seat
        await _decide(governor, 3, 3, "wait", mine)
        await _decide(residents, 3, 3, "march", heard)
        view = await _view_of(residents, 4, heard)
        assert view["records"][2]["revealed"] == [[2, "governor", "pay_informers"]]
        remote.update(view)
        assert "Revealed: The governor chose Pay informers on turn 2" in turn_story(
            scenario, remote.records[2], viewer="residents")
        for ws in (governor, residents):
            await ws.close()


async def test_an_offer_not_answered_is_refused(tmp_path: Path) -> None:
    scenario = load_file(EVERY)
    async with running_class(scenario, tmp_path, wait=True, seed=5) as (room, _, url):
        code = room.tables[1].code
        governor, _, _ = await seat(url, code, "governor")
        residents, _, _ = await seat(url, code, "residents")
        heard: list[str] = []
        await _decide(governor, 1, 1, "offer_repairs", [])
        await _decide(residents, 1, 1, "hold_blockade", heard)
        await _decide(governor, 2, 2, "wait", [])
        await _decide(residents, 2, 2, "go_home", heard)
        view = await _view_of(residents, 3, heard)
        record = view["records"][1]
        assert any(n[0] == "refusal" and "turn the governor's deal down" in n[2]
                   for n in record["news"])
        # no binding: the blockade is a choice again, and the offer is gone
        statuses = {s["action"]: s for s in view["statuses"]}
        assert statuses["hold_blockade"]["available"] and "repairs_for_road" not in statuses
        for ws in (governor, residents):
            await ws.close()
