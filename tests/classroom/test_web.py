"""`kazsim host --web` without a browser: the join screen, the `look` message, the web
driver past the terminal check, the page and its limits (textual-serve's server)."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, OptionList
from tui.helpers import screen_text, settle
from websockets.asyncio.client import connect

from kazsim.classroom.remote import RemoteSeat
from kazsim.classroom.web import http_url, player_command
from kazsim.cli import main
from kazsim.scenario import CompiledScenario
from kazsim.tui import launch
from kazsim.tui.app import KazsimApp, LaunchRequest
from kazsim.tui.screens.join import JoinScreen, typed_code

from .support import hello, recv, running_class, seat


def look(code: str, protocol: int = 1) -> str:
    return json.dumps({"type": "look", "protocol": protocol, "code": code})


# --- the look message -------------------------------------------------------------------------

async def test_look_lists_the_seats_and_who_may_take_them(tutorial: CompiledScenario,
                                                          tmp_path: Path) -> None:
    async with running_class(tutorial, tmp_path) as (room, _, url):
        code = room.tables[1].code
        room.set_person(1, "union", True)  # waits for a person
        await seat(url, code, "council")
        async with connect(url) as ws:
            await ws.send(look(code.lower()))
            seats = await recv(ws)
        assert seats["type"] == "seats" and seats["table"] == 1
        assert seats["scenario"]["content_hash"] == tutorial.content_hash
        assert [(s["role"], s["state"]) for s in seats["seats"]] == [
            ("council", "taken"), ("union", "free"), ("province", "ai")]
        assert seats["seats"][0]["name"] == tutorial.role("council").model.name


async def test_look_with_a_wrong_code_is_refused_in_the_hellos_words(
        tutorial: CompiledScenario, tmp_path: Path) -> None:
    async with running_class(tutorial, tmp_path) as (room, _, url):
        async with connect(url) as ws:
            await ws.send(look("ZZZZZZ"))
            refused = await recv(ws)
            await ws.send(hello("ZZZZZZ", "council"))
            also = await recv(ws)
        assert refused["type"] == "error" and refused["code"] == "refused"
        assert refused["message"] == also["message"]
        async with connect(url) as ws:  # an old client's protocol: told, then closed
            await ws.send(look(room.tables[1].code, protocol=0))
            assert (await recv(ws))["code"] == "version"


async def test_look_changes_nothing_and_a_seated_connection_cannot_look(
        tutorial: CompiledScenario, tmp_path: Path) -> None:
    async with running_class(tutorial, tmp_path) as (room, _, url):
        code = room.tables[1].code
        before = room.store.db.execute("SELECT * FROM seats ORDER BY role").fetchall()
        async with connect(url) as ws:
            await ws.send(look(code))
            await recv(ws)
        assert room.store.db.execute("SELECT * FROM seats ORDER BY role").fetchall() == before
        ws, _, _ = await seat(url, code, "council")
        await ws.send(look(code))
        reply = await recv(ws, "error")
        assert reply["code"] == "malformed" and "already has its seat" in reply["message"]


# --- the join screen ----------------------------------------------------------------------------

async def test_the_role_asked_for_on_the_command_line_is_highlighted(
        tutorial: CompiledScenario, tmp_path: Path) -> None:
    async with running_class(tutorial, tmp_path) as (room, _, url):
        app = KazsimApp(LaunchRequest(save_dir=tmp_path / "local",
                                      seat=RemoteSeat(url, None, role="province")))
        async with app.run_test(size=(80, 24)) as pilot:
            sides = app.screen.query_one("#join-sides", OptionList)
            await pilot.press(*room.tables[1].code, "enter")
            await settle(pilot, lambda: app.screen.focused is sides, what="the sides")
            assert sides.highlighted == 2


def test_a_typed_code_is_cleaned() -> None:
    assert typed_code(" k7pm-3x ") == "K7PM3X"


async def test_the_join_screen_takes_a_code_and_a_free_side(tutorial: CompiledScenario,
                                                            tmp_path: Path) -> None:
    async with running_class(tutorial, tmp_path) as (room, _, url):
        table = room.tables[1]
        await seat(url, table.code, "council")
        app = KazsimApp(LaunchRequest(save_dir=tmp_path / "local", seat=RemoteSeat(url, None)))
        async with app.run_test(size=(80, 24)) as pilot:
            join = app.screen
            assert isinstance(join, JoinScreen)
            assert join.focused is join.query_one("#join-code", Input)  # typing works at once
            await pilot.press(*"wrong1", "enter")
            await settle(pilot, lambda: "not right" in screen_text(app), what="the refusal")
            assert isinstance(app.screen, JoinScreen)
            join.query_one("#join-code", Input).value = ""
            await pilot.press(*table.code.lower(), "tab", *"Dana", "enter")
            sides = join.query_one("#join-sides", OptionList)
            await settle(pilot, lambda: sides.display and join.focused is sides,
                         what="the sides")
            assert [o.disabled for o in sides.options] == [True, False, False]  # council taken
            assert "taken by another player" in screen_text(app)
            assert sides.highlighted == 1  # the first free side
            await pilot.press("down", "enter")  # the province
            await settle(pilot, lambda: type(app.screen).__name__ == "BriefingScreen",
                         what="the briefing")
            assert table.seats["province"].token_hash is not None
            assert table.seats["province"].name == "Dana"


async def test_the_join_screen_says_when_every_side_is_taken(tutorial: CompiledScenario,
                                                             tmp_path: Path) -> None:
    async with running_class(tutorial, tmp_path) as (room, _, url):
        code = room.tables[1].code
        for role in tutorial.role_ids:
            await seat(url, code, role)
        app = KazsimApp(LaunchRequest(save_dir=tmp_path / "local", seat=RemoteSeat(url, None)))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press(*code, "enter")
            await settle(pilot, lambda: "every side is taken" in screen_text(app),
                         what="the note")
            assert all(o.disabled for o in app.screen.query_one("#join-sides",
                                                                 OptionList).options)


async def test_a_blurred_start_still_focuses_the_first_screen(tmp_path: Path) -> None:
    """Textual's web driver starts the app blurred, before the first screen takes its
    AUTO_FOCUS: when the focus comes (the page's, or a first key), the screen takes it."""
    app = KazsimApp(LaunchRequest(save_dir=tmp_path, seat=RemoteSeat("ws://127.0.0.1:9", None)))
    async with app.run_test(size=(80, 24)) as pilot:
        app.app_focus = False  # as the web driver leaves it
        app.screen.set_focus(None)
        app._last_focused_on_app_blur = None  # the blur came before anything had the focus
        await pilot.pause()
        app.post_message(events.AppFocus())
        await pilot.pause()
        assert app.screen.focused is app.screen.query_one("#join-code", Input)
        app.app_focus = False
        app.screen.set_focus(None)
        app._last_focused_on_app_blur = None
        await pilot.press("k")  # a key, with no focus event first
        assert app.screen.query_one("#join-code", Input).value == "k"


# --- the web driver and the terminal check ------------------------------------------------------

def test_only_textuals_web_driver_passes_the_terminal_check(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert launch.web_driver()
    for other in ("", "textual.drivers.headless_driver:HeadlessDriver", "web_driver"):
        monkeypatch.setenv("TEXTUAL_DRIVER", other)
        assert not launch.web_driver()
    monkeypatch.delenv("TEXTUAL_DRIVER")
    assert launch.run_tui(seat=RemoteSeat("ws://127.0.0.1:9", None)) == 2  # pytest: no tty
    assert "needs a terminal" in capsys.readouterr().err


# --- the command line and the page --------------------------------------------------------------

def test_only_this_computers_names_are_served() -> None:
    import socket

    from kazsim.classroom.web import host_ok

    for good in ("127.0.0.1:8080", "192.168.1.20:8080", "[::1]:8080", "localhost:8080",
                 "localhost", f"{socket.gethostname()}:8080"):
        assert host_ok(good), good
    for bad in ("evil.example", "evil.example:8080", "", "a b", "127.0.0.1.nip.io:8080"):
        assert not host_ok(bad), bad


def test_the_players_command_is_the_hosts_own() -> None:
    command = player_command("ws://127.0.0.1:8765", scenario_file="scenarios/tutorial.yaml")
    assert command[:5] == [sys.executable, "-m", "kazsim", "join", "ws://127.0.0.1:8765"]
    assert command[5:] == ["--scenario", str(Path("scenarios/tutorial.yaml").resolve())]
    assert http_url("0.0.0.0", 8080) == "http://127.0.0.1:8080"
    assert http_url("::1", 8080) == "http://[::1]:8080"


@pytest.mark.parametrize("args", [
    ["host", "tutorial", "--web-port", "9000"],
    ["host", "tutorial", "--web", "--web-port", "70000"],
    ["join", "ws://127.0.0.1:9", "--auto"],
])
def test_web_options_are_checked(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    assert capsys.readouterr().err.startswith("kazsim: --")


async def test_the_page_and_its_limits(tmp_path: Path) -> None:
    pytest.importorskip("textual_serve")
    import aiohttp

    from kazsim.classroom.web import WebServer

    command = [sys.executable, "-c", "import time; time.sleep(30)"]  # never reached below
    web = WebServer(command, title="kazsim · test", max_players=0)
    port = await web.start("127.0.0.1", 0)
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(base + "/") as r:  # the class is full (0 here)
                assert r.status == 503 and "class is full" in await r.text()
            web.max_players = 1
            async with http.get(base + "/?fontsize=999", headers={"Host": "10.1.2.3:8080"}) as r:
                page = await r.text()
                assert r.status == 200
            assert "fonts.googleapis.com" not in page  # nothing from outside the host
            assert "ws://10.1.2.3:8080/ws" in page  # the address the browser used
            assert "font-size=\"40\"" in page  # within reason
            assert "focusTheGame" in page and "kazsim · test" in page
            for bad in ("<script>x", "evil.example:8080", "127.0.0.1.evil.example"):
                async with http.get(base + "/", headers={"Host": bad}) as r:
                    assert r.status in (400, 421) and "ws://" not in await r.text()
            async with http.get(base + "/", headers={"Host": "[::1]:8080"}) as r:
                assert "ws://[::1]:8080/ws" in await r.text()
            async with http.get(base + "/ws", headers={"Origin": "http://evil.example"}) as r:
                assert r.status == 403
            web.max_players = 0
            async with http.get(base + "/ws") as r:  # the class is full
                assert r.status == 503 and "full" in await r.text()
            async with http.get(base + "/static/js/textual.js") as r:
                assert r.status == 200
            async with http.get(base + "/download/x") as r:
                assert r.status == 404
        assert web.refused == 1 and web.started == 0 and web.players == 0
    finally:
        await web.stop()
    await asyncio.sleep(0)


def test_without_textual_serve_the_host_says_how_to_add_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from kazsim.classroom.web import WebServer, WebUnavailable

    monkeypatch.setitem(sys.modules, "textual_serve.server", None)  # as if not installed
    with pytest.raises(WebUnavailable, match=r"--web needs textual-serve: .*\.\[web\]"):
        WebServer(["true"])


async def test_a_browser_tab_plays_its_seat_and_nothing_else(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The tab's kazsim runs on the teacher's computer: no local games, no saves there."""
    from kazsim.tui.screens.title import TitleScreen

    monkeypatch.setattr(KazsimApp, "is_web", property(lambda self: True))
    app = KazsimApp(LaunchRequest(save_dir=tmp_path, seat=RemoteSeat("ws://127.0.0.1:9", None)))
    async with app.run_test(size=(80, 24)) as pilot:
        names = [c.title for c in app.get_system_commands(app.screen)]
        assert "Help" in names and "New game" not in names and "Load game" not in names
        await app.run_action("app.new_game")
        await app.run_action("app.load_game")
        await pilot.pause()
        assert isinstance(app.screen, JoinScreen)
        assert not any(isinstance(s, TitleScreen) for s in app.screen_stack)
    monkeypatch.setattr(KazsimApp, "is_web", property(lambda self: False))
    app = KazsimApp(LaunchRequest(save_dir=tmp_path, seat=RemoteSeat("ws://127.0.0.1:9", None)))
    async with app.run_test(size=(80, 24)):
        assert "New game" in [c.title for c in app.get_system_commands(app.screen)]


async def test_a_side_taken_meanwhile_is_said_and_the_sides_are_shown_again(
        tutorial: CompiledScenario, tmp_path: Path) -> None:
    from kazsim.tui.screens.message import MessageScreen

    async with running_class(tutorial, tmp_path) as (room, _, url):
        code = room.tables[1].code
        app = KazsimApp(LaunchRequest(save_dir=tmp_path / "local", seat=RemoteSeat(url, None)))
        async with app.run_test(size=(80, 24)) as pilot:
            join = app.screen
            sides = join.query_one("#join-sides", OptionList)
            await pilot.press(*code, "enter")
            await settle(pilot, lambda: join.focused is sides, what="the sides")
            await seat(url, code, "council")  # another student is quicker
            await pilot.press("enter")
            await settle(pilot, lambda: isinstance(app.screen, MessageScreen),
                         what="the problem box")
            assert "not right" in screen_text(app)
            await pilot.press("enter")
            await settle(pilot, lambda: app.screen is join and join.focused is sides
                         and sides.options[0].disabled, what="the sides, again")
            assert sides.highlighted == 1


@pytest.mark.slow
async def test_random_keys_on_the_join_screen_never_raise(tutorial: CompiledScenario,
                                                          tmp_path: Path) -> None:
    from tui.test_robustness import PRESSES, hammer

    async with running_class(tutorial, tmp_path) as (_, _, url):
        stats = await hammer(tmp_path / "saves-here", 14, PRESSES // 4,
                             seat=RemoteSeat(url, None))
    assert stats["presses"] >= PRESSES // 4


async def test_the_dashboard_serves_the_page_and_shows_its_address(
        tutorial: CompiledScenario, tmp_path: Path) -> None:
    pytest.importorskip("textual_serve")
    import aiohttp
    from textual.widgets import Static

    from kazsim.classroom.dashboard import Dashboard
    from kazsim.classroom.host import Classroom

    room, _ = Classroom.open(tmp_path / "class.sqlite", tutorial, tables=1, seed=3,
                             save_dir=tmp_path / "saves")
    try:
        app = Dashboard(room, "127.0.0.1", 0, web_port=0)
        async with app.run_test(size=(100, 24)) as pilot:
            await settle(pilot, lambda: app.web is not None and app.web.port != 0,
                         what="the web page")
            assert app.web is not None
            heading = str(app.query_one("#heading", Static).render())
            assert f"browsers: http://127.0.0.1:{app.web.port}" in heading
            assert app.web.command[3:5] == ["join", f"ws://127.0.0.1:{app.port}"]
            assert app.web.max_players == 2 * 3 + 4  # twice the seats people may play, + 4
            async with aiohttp.ClientSession() as http, \
                    http.get(f"http://127.0.0.1:{app.web.port}/") as r:
                assert r.status == 200 and "kazsim · Tutorial" in await r.text()
    finally:
        room.close()
