"""Protocol abuse changes nothing: oversize, malformed, replayed, out of turn, wrong code or
token (refused in the same words), an old protocol, a flood."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from kazsim.classroom.protocol import MAX_MESSAGE, parse_client
from kazsim.classroom.server import BURST, Bucket
from kazsim.scenario import CompiledScenario

from .support import hello, recv, running_class, seat


def snapshot(room) -> tuple:
    """Everything stored and every table's state: must not move on abuse."""
    rows = room.store.db.execute("SELECT * FROM decisions ORDER BY tbl, turn, role").fetchall()
    seats = room.store.db.execute("SELECT * FROM seats ORDER BY tbl, role").fetchall()
    return rows, seats, [(t.turn, dict(t.pending)) for t in room.tables.values()]


async def test_oversize_message_closes_the_connection(tutorial: CompiledScenario,
                                                      tmp_path: Path) -> None:
    async with running_class(tutorial, tmp_path, wait=True) as (room, _, url):
        ws, _, _ = await seat(url, room.tables[1].code, "council")
        before = snapshot(room)
        await ws.send(json.dumps({"type": "decide", "seq": 1, "turn": 1,
                                  "action": "x" * (MAX_MESSAGE + 10)}))
        with pytest.raises(ConnectionClosed) as info:
            await recv(ws)
        assert info.value.rcvd is not None and info.value.rcvd.code == 1009
        assert snapshot(room) == before


@pytest.mark.parametrize("raw", [
    "not json", "[1, 2]", '{"type": "decide"}', '{"type": "shout", "seq": 1}',
    '{"type": "decide", "seq": 1, "turn": 1, "action": "hold_firm", "extra": 1}',
    '{"type": "decide", "seq": "1", "turn": 1, "action": "hold_firm"}',
    '{"type": "decide", "seq": 1, "turn": 1, "action": "../../etc/passwd"}',
    '{"type": "decide", "seq": 0, "turn": 1, "action": "hold_firm"}',
    '{"type": "decide", "seq": 1, "turn": 1, "action": "no_such_action"}',
    "[" * 5000,
    b"\xff\xfe binary",
])
async def test_malformed_messages_get_an_error_and_change_nothing(
        tutorial: CompiledScenario, tmp_path: Path, raw: str | bytes) -> None:
    async with running_class(tutorial, tmp_path, wait=True) as (room, _, url):
        ws, _, _ = await seat(url, room.tables[1].code, "council")
        before = snapshot(room)
        await ws.send(raw if len(raw) < MAX_MESSAGE else raw[:MAX_MESSAGE - 1])
        reply = await recv(ws)
        assert reply["type"] == "error" and reply["code"] in ("malformed", "illegal")
        assert snapshot(room) == before
        # the connection still works
        await ws.send('{"type":"ping","seq":5}')
        assert (await recv(ws))["type"] == "pong"


async def test_replayed_and_out_of_turn_messages(tutorial: CompiledScenario,
                                                 tmp_path: Path) -> None:
    async with running_class(tutorial, tmp_path, wait=True) as (room, _, url):
        ws, _, _ = await seat(url, room.tables[1].code, "council")
        decide = '{"type":"decide","seq":%d,"turn":%d,"action":"%s"}'
        await ws.send(decide % (1, 1, "hold_firm"))
        assert (await recv(ws))["type"] == "ack"
        before = snapshot(room)
        # the same message again (a resend after a lost acknowledgement): the same ack
        await ws.send(decide % (1, 1, "hold_firm"))
        assert (await recv(ws, "ack"))["seq"] == 1
        # an old number with other content: replayed
        await ws.send(decide % (1, 1, "subsidise"))
        assert (await recv(ws, "error"))["code"] == "replayed"
        # a second decision this turn, and one for another turn: out of turn
        await ws.send(decide % (2, 1, "subsidise"))
        assert (await recv(ws, "error"))["code"] == "out_of_turn"
        await ws.send(decide % (3, 2, "subsidise"))
        assert (await recv(ws, "error"))["code"] == "out_of_turn"
        # a second hello on a seated connection
        await ws.send(hello(room.tables[1].code, "union"))
        assert (await recv(ws, "error"))["code"] == "malformed"
        assert snapshot(room) == before


async def test_wrong_code_or_token_is_refused_in_the_same_words(tutorial: CompiledScenario,
                                                                tmp_path: Path) -> None:
    async with running_class(tutorial, tmp_path, tables=2, wait=True) as (room, _, url):
        code = room.tables[1].code
        ws, welcome, _ = await seat(url, code, "council")
        before = snapshot(room)
        replies = []
        for attempt in [
            hello("ZZZZZZ", "union"),  # no such table
            hello(code, "council", token="A" * 32),  # a wrong token
            hello(room.tables[2].code, "council", token=welcome["token"]),  # another table
            hello(code, "union", token=welcome["token"]),  # the right token, another seat
            hello(code, "council"),  # a seat taken by another person
            hello(code, "no_such_role"),
        ]:
            other = await connect(url)
            await other.send(attempt)
            replies.append(await recv(other))
            await other.close()
        assert {(r["type"], r["code"], r["message"]) for r in replies} == {
            ("error", "refused", "refused: the join code or the token is not right")}
        assert snapshot(room) == before
        # the right token brings the seat back
        back = await connect(url)
        await back.send(hello(code, "council", token=welcome["token"]))
        assert (await recv(back))["role"] == "council"
        await back.close()
        await ws.close()


async def test_three_refused_hellos_close_the_connection(tutorial: CompiledScenario,
                                                         tmp_path: Path) -> None:
    async with running_class(tutorial, tmp_path) as (_, _, url):
        ws = await connect(url)
        for _ in range(3):
            await ws.send(hello("WRONG1"))
            assert (await recv(ws))["code"] == "refused"
        with pytest.raises(ConnectionClosed):
            await recv(ws)


async def test_another_protocol_version_is_refused(tutorial: CompiledScenario,
                                                   tmp_path: Path) -> None:
    async with running_class(tutorial, tmp_path) as (room, _, url):
        ws = await connect(url)
        await ws.send(hello(room.tables[1].code, protocol=99))
        reply = await recv(ws)
        assert reply["code"] == "version" and "protocol 1" in reply["message"]
        with pytest.raises(ConnectionClosed):
            await recv(ws)
        assert all(s.token_hash is None for s in room.tables[1].seats.values())


async def test_a_flood_is_rate_limited_then_disconnected(tutorial: CompiledScenario,
                                                         tmp_path: Path) -> None:
    async with running_class(tutorial, tmp_path, wait=True) as (room, _, url):
        ws, _, _ = await seat(url, room.tables[1].code, "council")
        before = snapshot(room)
        codes = []
        try:
            for n in range(400):
                await ws.send(json.dumps({"type": "decide", "seq": n + 1, "turn": 9,
                                          "action": "hold_firm"}))
            while True:
                codes.append((await recv(ws, timeout=15))["code"])
        except (ConnectionClosed, TimeoutError):
            pass
        assert "out_of_turn" in codes and "rate" in codes
        assert codes.index("rate") >= BURST - 2
        assert ws.close_code == 1008
        assert snapshot(room) == before


def test_the_bucket_refills_with_time() -> None:
    now = [0.0]
    bucket = Bucket(rate=2, burst=3, clock=lambda: now[0])
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]
    now[0] += 1.0
    assert [bucket.take() for _ in range(3)] == [True, True, False]


def test_parse_refuses_without_echoing_the_input() -> None:
    with pytest.raises(ValueError) as info:
        parse_client('{"type": "hello", "protocol": 1, "code": "\\u001b[31mRED"}')
    assert "\x1b" not in str(info.value) and "RED" not in str(info.value)


async def test_a_silent_connection_is_closed(tutorial: CompiledScenario, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from kazsim.classroom import server

    monkeypatch.setattr(server, "HELLO_TIMEOUT", 0.2)
    async with running_class(tutorial, tmp_path) as (_, _, url):
        ws = await connect(url)
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
