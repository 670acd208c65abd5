"""Secret moves in the terminal: each seat's story shows only its own; the replay (the
debrief) and transcripts everything, marked '(secret)'."""

from __future__ import annotations

from rich.console import Console

from kazsim.engine import Game
from kazsim.session.model import human
from kazsim.session.transcript import transcript
from kazsim.story import SECRET
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
