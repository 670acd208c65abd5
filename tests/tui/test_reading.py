"""Reading at 80x24: nothing important hides below the fold, and Enter does what it says."""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll
from textual.widgets import Static

from kazsim.engine import Game
from kazsim.tui.config import default_seats
from kazsim.tui.saving import start
from kazsim.tui.screens.briefing import BriefingScreen
from kazsim.tui.screens.confirm import ConfirmScreen
from kazsim.tui.screens.play import PlayScreen
from kazsim.tui.screens.resolution import ResolutionScreen
from kazsim.tui.widgets.more import MORE, MoreBelow

from .helpers import deciding_view, make_app, past_the_warning, screen_text, settle, step_until


def hint(app: object) -> str:
    screen = app.screen  # type: ignore[attr-defined]
    return str(screen.query_one(MoreBelow).content)


async def test_enter_reads_a_long_briefing_to_its_end_before_the_game(save_dir: Path) -> None:
    app = make_app(save_dir, scenario="kazakhstan-2022", roles=("government",), seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await past_the_warning(pilot, app)
        await settle(pilot, lambda: isinstance(app.screen, BriefingScreen))
        await pilot.pause()
        page = app.screen.query_one("#briefing", VerticalScroll)
        assert page.max_scroll_y > 0 and hint(app) == MORE
        pages = 0
        while isinstance(app.screen, BriefingScreen) and app.screen.query(MoreBelow) \
                and hint(app) == MORE:
            before = page.scroll_y
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, BriefingScreen), "Enter skipped part of the briefing"
            assert page.scroll_y > before
            pages += 1
            assert pages < 20
        assert pages >= 1
        assert page.scroll_y == page.max_scroll_y and hint(app) == ""
        await pilot.press("enter")  # at the end, Enter goes on to the game
        await settle(pilot, lambda: deciding_view(app) is not None)


async def test_escape_skips_the_rest_of_the_briefing(save_dir: Path) -> None:
    app = make_app(save_dir, scenario="kazakhstan-2022", roles=("government",), seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await past_the_warning(pilot, app)
        await settle(pilot, lambda: isinstance(app.screen, BriefingScreen))
        await pilot.press("escape")
        await settle(pilot, lambda: deciding_view(app) is not None)


async def test_why_brings_the_reasons_into_view(save_dir: Path) -> None:
    app = make_app(save_dir, scenario="kazakhstan-2022", roles=("government",), seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await step_until(pilot, lambda a: isinstance(a.screen, ResolutionScreen))
        screen = app.screen
        page = screen.query_one("#resolution", VerticalScroll)
        assert page.scroll_y == 0 and "    · " not in screen_text(app)
        await pilot.press("w")
        await pilot.pause()
        await pilot.pause()
        changes = screen.query_one("#resolution-changes", Static)
        assert page.scroll_y > 0
        assert changes.region.y - page.region.y <= 1  # the reasons start at the top
        assert "    · " in screen_text(app)  # each change now has its reasons


async def test_enter_in_the_description_chooses_the_highlighted_action(save_dir: Path) -> None:
    app = make_app(save_dir, scenario="tutorial", roles=("council",), seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await step_until(pilot, lambda a: deciding_view(a) is not None)
        await pilot.press("down", "tab")  # highlight the second action, then its description
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "action-detail-box"
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        body = str(app.screen.query_one(".dialog-body", Static).content)
        view = app.screen_stack[-2]
        assert isinstance(view, PlayScreen)
        second = view.scenario.role("council").actions[1].model
        assert second.label in body and " ".join(second.description.split())[:30] in body


def test_a_new_games_save_file_is_created_by_begin(tutorial: object, tmp_path: Path) -> None:
    from kazsim.scenario.compiled import CompiledScenario
    from kazsim.tui.config import GameConfig

    assert isinstance(tutorial, CompiledScenario)
    config = GameConfig(4, default_seats(tutorial))
    saver = start(tutorial, config, tmp_path / "saves")
    assert isinstance(saver.game, Game)
    assert saver.path is None and not (tmp_path / "saves").exists()
    assert saver.begin() == ""
    assert saver.path is not None and saver.path.is_file()
    first = saver.path
    assert saver.begin() == "" and saver.path == first  # once only


def test_an_autosave_before_begin_creates_the_file(tutorial: object, tmp_path: Path) -> None:
    from kazsim.scenario.compiled import CompiledScenario
    from kazsim.tui.config import GameConfig

    assert isinstance(tutorial, CompiledScenario)
    saver = start(tutorial, GameConfig(4, default_seats(tutorial)), tmp_path / "saves")
    record = saver.game.play({r: saver.game.legal(r)[0] for r in tutorial.role_ids})
    assert saver.autosave(record) == ""
    assert saver.path is not None
    assert '"turn": 1' in saver.path.read_text(encoding="utf-8")


def test_a_save_folder_that_cannot_be_used_is_reported_by_begin(tutorial: object,
                                                                tmp_path: Path) -> None:
    from kazsim.scenario.compiled import CompiledScenario
    from kazsim.tui.config import GameConfig

    assert isinstance(tutorial, CompiledScenario)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    saver = start(tutorial, GameConfig(4, default_seats(tutorial)), blocker)
    problem = saver.begin()
    assert problem.startswith("Games cannot be saved") and saver.path is None
    assert blocker.read_text(encoding="utf-8") == "not a folder"


async def test_a_replay_can_use_the_scenario_file_the_game_was_played_on(
        save_dir: Path, tmp_path: Path) -> None:
    """`kazsim replay FILE --scenario OLD.yaml` replays on the old file, not the edited one."""
    from kazsim.scenario.load import load_file
    from kazsim.session.model import ai
    from kazsim.session.session import Session
    from kazsim.tui.screens.replay import ReplayScreen

    source = (Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml")
    text = "# a teacher's copy\n" + source.read_text(encoding="utf-8")
    played_on = tmp_path / "mine.yaml"
    played_on.write_text(text, encoding="utf-8")
    old = tmp_path / "old.yaml"
    old.write_text(text, encoding="utf-8")
    scenario = load_file(played_on)
    session = Session.new(scenario, 5, {r: ai() for r in scenario.role_ids}, tmp_path / "s")
    for _ in range(2):
        session.play({r: session.game.ai_decision(r) for r in scenario.role_ids})
    played_on.write_text(text.replace('version: "1.0"', 'version: "1.1"', 1), encoding="utf-8")

    for extra, expected in (({}, False), ({"scenario": str(old)}, True)):
        app = make_app(save_dir, replay=str(session.path), **extra)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, lambda a=app: isinstance(a.screen, ReplayScreen))
            screen = app.screen
            assert isinstance(screen, ReplayScreen)
            same = screen.game.scenario.content_hash == scenario.content_hash
            assert same is expected


async def test_the_debrief_pages_say_when_there_is_more_below(save_dir: Path) -> None:
    from kazsim.engine import play_ai_game
    from kazsim.scenario.load import load_file
    from kazsim.tui.config import GameConfig
    from kazsim.tui.screens.debrief import DebriefScreen
    from kazsim.tui.widgets.more import MORE_SCROLL

    scenario = load_file(Path(__file__).resolve().parents[2] / "scenarios" /
                         "kazakhstan-2022.yaml")
    game = play_ai_game(scenario, 8)
    app = make_app(save_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(DebriefScreen(GameConfig(8, default_seats(scenario)), game))
        await pilot.press("3")  # what really happened, and the sources: longer than a screen
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        hint_line = screen.query_one("#history MoreBelow", MoreBelow)
        assert str(hint_line.content) == MORE_SCROLL
        page = screen.query_one("#history-page", VerticalScroll)
        page.scroll_end(animate=False)
        await pilot.pause()
        await pilot.pause()
        assert str(hint_line.content) == ""
