"""What decided it in the terminal: the debrief's tab and the replay viewer's odds."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import ProgressBar, Static

from kazsim.engine import Game, play_ai_game
from kazsim.engine.odds import what_decided
from kazsim.scenario import CompiledScenario
from kazsim.scenario.load import load_file
from kazsim.story import odds_line, turning_point_lines
from kazsim.tui.config import GameConfig, default_seats
from kazsim.tui.screens.debrief import DebriefScreen
from kazsim.tui.widgets import odds as odds_widget
from kazsim.tui.widgets.odds import DecidedPanel, odds_chart

from .helpers import make_app, screen_text, settle

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture
def tutorial() -> CompiledScenario:
    return load_file(SCENARIOS / "tutorial.yaml")


def finished(scenario: CompiledScenario, seed: int = 3) -> Game:
    return play_ai_game(scenario, seed)


async def test_the_tab_shows_progress_then_the_chart_and_turning_points(
        save_dir: Path, tutorial: CompiledScenario, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(odds_widget, "RUNS", 30)
    seen: list[tuple[bool, float | None, float]] = []
    real = DecidedPanel._progress

    def watched(self: DecidedPanel, done: int, total: int) -> None:
        real(self, done, total)
        bar = self.query_one(ProgressBar)
        seen.append((bool(bar.display), bar.total, bar.progress))

    monkeypatch.setattr(DecidedPanel, "_progress", watched)
    game = finished(tutorial)
    app = make_app(save_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(DebriefScreen(GameConfig(3, default_seats(tutorial)), game))
        panel = app.screen.query_one(DecidedPanel)
        assert panel.decided is None and panel.worker is None  # nothing until the tab opens
        await pilot.press("5")
        await settle(pilot, lambda: panel.decided is not None, what="the odds")
        await pilot.pause()
        assert seen and all(shown for shown, _, _ in seen)  # the bar showed the progress
        assert seen[-1][1] == seen[-1][2]  # and reached its end
        assert [p for _, _, p in seen] == sorted(p for _, _, p in seen)
        assert not panel.query_one(ProgressBar).display
        text = screen_text(app)
        ending = tutorial.ending(game.state.ending or "").title
        assert f"▶ {ending}" in text
        assert f"The turning points for “{ending}”" in text
        expected = what_decided(game, 30)
        assert panel.decided == expected
        for point in expected.turning_points:
            assert f"(turn {point.turn})" in text


async def test_the_work_can_be_stopped_and_started_again(
        save_dir: Path, tutorial: CompiledScenario) -> None:
    game = finished(tutorial)
    app = make_app(save_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(DebriefScreen(GameConfig(3, default_seats(tutorial)), game))
        panel = app.screen.query_one(DecidedPanel)
        panel.runs = 100_000  # far longer than the test
        await pilot.press("5")
        await pilot.pause()
        assert panel.running
        await pilot.press("x")
        await pilot.pause()
        assert not panel.running and panel.decided is None
        assert "Stopped. Press r" in str(panel.query_one("#decided-status", Static).content)
        panel.runs = 20
        await pilot.press("r")
        await settle(pilot, lambda: panel.decided is not None, what="the odds")
        assert panel.decided == what_decided(game, 20)


async def test_leaving_the_debrief_stops_the_work(
        save_dir: Path, tutorial: CompiledScenario) -> None:
    game = finished(tutorial)
    app = make_app(save_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(DebriefScreen(GameConfig(3, default_seats(tutorial)), game))
        panel = app.screen.query_one(DecidedPanel)
        panel.runs = 100_000
        await pilot.press("5")
        await pilot.pause()
        worker = panel.worker
        assert worker is not None and panel.running
        app.go_home()
        await settle(pilot, lambda: worker.is_finished, what="the worker to stop")
        assert worker.is_cancelled


async def test_the_replay_shows_the_odds_at_each_step(
        save_dir: Path, tutorial: CompiledScenario, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    from kazsim.session.model import ai
    from kazsim.session.session import Session
    from kazsim.tui.screens import replay

    monkeypatch.setattr(replay, "RUNS", 30)
    session = Session.new(tutorial, 3, {r: ai() for r in tutorial.role_ids}, tmp_path / "s")
    while not session.game.over:
        session.play({r: session.game.ai_decision(r) for r in tutorial.role_ids})
    game = session.game
    app = make_app(save_dir, replay=str(session.path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, replay.ReplayScreen))
        screen = app.screen
        assert isinstance(screen, replay.ReplayScreen)
        await settle(pilot, lambda: screen.decided is not None, what="the odds")
        expected = what_decided(game, 30)
        line = screen.query_one("#replay-odds", Static)
        for step in range(len(game.records)):
            await pilot.pause()
            shown = str(line.content)
            assert shown.startswith("Chances from here: " + odds_line(tutorial, expected.odds,
                                                                        step))
            turning = [p for p in expected.turning_points if p.turn == step]
            assert shown.endswith("★ a turning point") is bool(turning)
            story = screen_text(app)
            assert ("★ A turning point. " in story) is bool(turning), story
            for point in turning:
                sentence = turning_point_lines(tutorial, [point], game.records)[0]
                assert " ".join(sentence.split()[:8]) in " ".join(story.split())
            await pilot.press("right")
        await pilot.pause()
        ending = tutorial.ending(game.state.ending or "").title
        assert str(line.content) == f"The game ended here: {ending}."


def test_the_chart_fits_80_columns_and_marks_the_ending(tutorial: CompiledScenario) -> None:
    kazakhstan = load_file(SCENARIOS / "kazakhstan-2022.yaml")
    for scenario in (tutorial, kazakhstan):
        game = finished(scenario, 2)  # a seed whose games have turning points in both
        decided = what_decided(game, 10)
        assert decided.turning_points
        turning = tuple(p.turn for p in decided.turning_points)
        text = odds_chart(game, decided.odds, 76, turning).plain
        rows = text.splitlines()
        assert all(len(row) <= 76 for row in rows), rows
        mine = [row for row in rows if row.startswith("▶")]
        assert len(mine) == 1
        assert rows[len(scenario.model.endings) + 1].count("▲") == len(turning)
