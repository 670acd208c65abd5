"""`kazsim join URL CODE`: the same terminal game as local play, bound to one seat."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from tui.helpers import play_through, screen_text, settle

from kazsim.classroom.client import play_auto
from kazsim.classroom.remote import RemoteSeat, RemoteTable
from kazsim.scenario import CompiledScenario
from kazsim.tui.app import KazsimApp, LaunchRequest
from kazsim.tui.screens.debrief import DebriefScreen
from kazsim.tui.screens.play import PlayScreen

from .support import running_class


async def test_a_seat_plays_its_game_in_the_terminal(tutorial: CompiledScenario,
                                                     tmp_path: Path) -> None:
    async with running_class(tutorial, tmp_path, wait=True) as (room, _, url):
        table = room.tables[1]
        room.set_person(1, "province", False)
        council = asyncio.create_task(play_auto(url, table.code, role="council", quiet=True))
        app = KazsimApp(LaunchRequest(save_dir=tmp_path / "local",
                                      seat=RemoteSeat(url, table.code, role="union",
                                                      name="Bob")))
        screens: list[str] = []

        def look(app_now: KazsimApp) -> None:
            screens.append(type(app_now.screen).__name__)

        async with app.run_test(size=(80, 24)) as pilot:
            picks = random.Random(3)
            chosen = await play_through(pilot, lambda view: picks.randrange(3), on_screen=look)
            debrief = app.screen
            assert isinstance(debrief, DebriefScreen)
            game = table.game
            assert game.over and debrief.game.state.ending == game.state.ending
            assert [r.decisions["union"] for r in game.records] == [c[2] for c in chosen]
            assert {c[1] for c in chosen} == {"union"}
            text = screen_text(app)
            assert game.scenario.ending(game.state.ending or "").title in text
            assert f"seed {game.seed}" in text
            # who played: the council a person at the host, the province the AI
            assert "(another player)" in text and "(AI, easy)" in text and "(Bob)" in text
        await asyncio.wait_for(council, 30)
    assert "ResolutionScreen" in screens and "BriefingScreen" in screens


async def test_the_screen_says_who_it_waits_for(tutorial: CompiledScenario,
                                                tmp_path: Path) -> None:
    from kazsim.tui.screens.resolution import ResolutionScreen

    from .support import recv, seat

    async with running_class(tutorial, tmp_path, wait=True) as (room, _, url):
        table = room.tables[1]
        room.set_person(1, "province", False)
        council, _, _ = await seat(url, table.code, "council")
        app = KazsimApp(LaunchRequest(save_dir=tmp_path / "local",
                                      seat=RemoteSeat(url, table.code, role="union")))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, lambda: type(app.screen).__name__ == "BriefingScreen")
            await pilot.press("escape")
            play = next(s for s in app.screen_stack if isinstance(s, PlayScreen))
            await settle(pilot, lambda: play.view is not None and play.view.deciding == "union")
            await pilot.press("enter", "y")
            name = tutorial.role("council").model.name.removeprefix("The ")
            await settle(pilot, lambda: play.view is not None and play.view.hidden
                         and name in play.view.waiting_text, what="the waiting line")
            line = play.view.waiting_text
            assert line.startswith("Waiting for ") and line.endswith("…")
            assert tutorial.role("province").model.name not in line  # the AI's seat
            assert table.turn == 1
            await council.send('{"type":"decide","seq":1,"turn":1,"action":"hold_firm"}')
            assert (await recv(council))["type"] == "ack"
            await settle(pilot, lambda: isinstance(app.screen, ResolutionScreen),
                         what="the turn's story")
            assert table.turn == 2
        await council.close()


async def test_the_screen_only_knows_the_table_interface(tutorial: CompiledScenario,
                                                         tmp_path: Path) -> None:
    """The play screen drives a remote table through the same calls as a local one, and
    its game shows only what the seat may see."""
    async with running_class(tutorial, tmp_path) as (room, _, url):
        app = KazsimApp(LaunchRequest(save_dir=tmp_path / "local",
                                      seat=RemoteSeat(url, room.tables[1].code,
                                                      role="union")))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, lambda: type(app.screen).__name__ == "BriefingScreen")
            play = next(s for s in app.screen_stack if isinstance(s, PlayScreen))
            assert isinstance(play.table, RemoteTable) and play.saver is None
            assert "council_reserves" not in play.game.state.values  # the council's secret
            assert play.config.humans == ("union",) and not play.config.hot_seat


async def test_a_wrong_code_ends_the_game_with_one_line(tutorial: CompiledScenario,
                                                        tmp_path: Path) -> None:
    async with running_class(tutorial, tmp_path) as (_, _, url):
        app = KazsimApp(LaunchRequest(save_dir=tmp_path, seat=RemoteSeat(url, "WRONG1")))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, lambda: bool(app.problem), what="the problem")
        assert app.problem == "refused: the join code or the token is not right"
        assert app.return_code == 1


async def test_the_end_of_the_lesson_reaches_the_screen(tutorial: CompiledScenario,
                                                        tmp_path: Path) -> None:
    from kazsim.tui.screens.resolution import ResolutionScreen

    async with running_class(tutorial, tmp_path, end_at=1) as (room, _, url):
        app = KazsimApp(LaunchRequest(save_dir=tmp_path / "local",
                                      seat=RemoteSeat(url, room.tables[1].code,
                                                      role="union")))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, lambda: type(app.screen).__name__ == "BriefingScreen")
            await pilot.press("escape")
            play = next(s for s in app.screen_stack if isinstance(s, PlayScreen))
            await settle(pilot, lambda: play.view is not None and play.view.deciding == "union")
            await pilot.press("enter", "y")
            await settle(pilot, lambda: isinstance(app.screen, ResolutionScreen))
            while isinstance(app.screen, ResolutionScreen):
                await pilot.press("enter")
                await pilot.pause()
            # the lesson's end is the game's: its ending and debrief, as in local play
            await settle(pilot, lambda: isinstance(app.screen, DebriefScreen),
                         what="the debrief")
            assert room.tables[1].game.over and room.tables[1].game.turn_limit == 1
            assert "1-turn lesson" in screen_text(app)


async def test_a_nudge_reaches_the_players_screen(tutorial: CompiledScenario,
                                                  tmp_path: Path) -> None:
    from kazsim.classroom.host import NUDGE

    async with running_class(tutorial, tmp_path, wait=True) as (room, server, url):
        app = KazsimApp(LaunchRequest(save_dir=tmp_path / "local",
                                      seat=RemoteSeat(url, room.tables[1].code,
                                                      role="union")))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, lambda: type(app.screen).__name__ == "BriefingScreen")
            assert await server.nudge(room.tables[1]) == ["union"]
            await settle(pilot, lambda: any(n.message == NUDGE for n in app._notifications),
                         what="the nudge")
            shown = next(n for n in app._notifications if n.message == NUDGE)
            assert shown.title == "Your teacher" and shown.severity == "information"
