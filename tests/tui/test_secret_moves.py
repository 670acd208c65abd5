"""Secret moves in the terminal: each seat's story shows only its own; the replay (the
debrief) and transcripts everything, marked '(secret)'."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from kazsim.engine import Game
from kazsim.session.model import human
from kazsim.session.transcript import transcript
from kazsim.story import SECRET
from kazsim.tui.app import KazsimApp
from kazsim.tui.render import story_text, turn_text
from kazsim.tui.view import TurnView
from kazsim.tui.widgets.news import news_text
from tests.engine.support import scenario
from tests.engine.test_rules_secret import QUIET, SECRETS


def _plain(renderable: object) -> str:
    console = Console(width=100, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def _view(game: Game, viewers: tuple[str, ...]) -> TurnView:
    return TurnView(game.scenario, viewers, tuple(game.states), tuple(game.records))


def test_each_seat_sees_only_its_own_secret_moves() -> None:
    game = Game(scenario(SECRETS), 2)
    game.play({"army": "move", **QUIET})
    record = game.records[0]
    army = _plain(story_text(_view(game, ("army",)), record))
    assert "Move troops" in army and SECRET in army and "Troops move north" in army
    for viewers in (("press",), ("army", "press")):  # one seat; the shared screen
        text = _plain(turn_text(_view(game, viewers), record, why=True))
        assert "Move troops" not in text and "Troops move" not in text
        assert "Something is afoot." in text and "a move kept secret" in text
        assert "Troops move" not in _plain(news_text(_view(game, viewers)))
    replay = _plain(turn_text(_view(game, ()), record, why=True))
    assert f"Move troops {SECRET}" in replay


def test_a_transcript_tells_every_secret_move_marked() -> None:
    game = Game(scenario(SECRETS), 2)
    game.play({"army": "move", **QUIET})
    text = transcript(game, {r: human() for r in ("army", "press", "ally")})
    assert f"The army: Move troops {SECRET}" in text
    assert f"Troops move north at night. {SECRET}" in text


@pytest.mark.slow  # a whole hot-seat game through the keyboard
async def test_hot_seat_keeps_a_secret_move_from_the_other_seat(tmp_path: Path) -> None:
    from kazsim.tui.screens.resolution import ResolutionScreen

    from .helpers import deciding_view, make_app, play_through, screen_text

    path = tmp_path / "secret.yaml"
    path.write_text(_file_text(), encoding="utf-8")
    app = make_app(tmp_path / "saves", scenario=str(path), roles=("army", "press"), seed=4)
    leaks: list[str] = []
    seen: list[str] = []

    def watch(now: KazsimApp) -> None:
        text = screen_text(now)
        view = deciding_view(now)
        shared = isinstance(now.screen, ResolutionScreen)
        press = view is not None and view.deciding == "press"
        if (press or shared) and ("Troops move" in text or "Move troops" in text):
            leaks.append(f"{now.screen}: {text[:200]}")
        if view is not None and view.deciding == "army" and view.turn == 2:
            seen.append(text)

    def choose(view: TurnView) -> int:  # the army moves its troops on turn 1, then waits
        return 1 if view.deciding == "army" and view.turn == 1 else 0

    async with app.run_test(size=(80, 24)) as pilot:
        await play_through(pilot, choose, on_screen=watch)
    assert not leaks
    assert any("Troops move north" in text for text in seen)  # the army's own news panel


def _file_text() -> str:
    from tests.engine.support import HEADER

    body = SECRETS + ("endings:\n  - {id: e, title: E, at_last_turn: true, text: T, roles: "
                      "{army: {result: draw, text: t}, press: {result: draw, text: t}, "
                      "ally: {result: draw, text: t}}}\n")
    return HEADER % 3 + body
