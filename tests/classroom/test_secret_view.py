"""A secret move never leaves the host for a seat that does not see it (until the debrief)."""

from __future__ import annotations

import json

from kazsim.classroom.remote import RemoteGame
from kazsim.classroom.view import seat_view
from kazsim.engine import Game
from kazsim.story import SECRET, turn_story
from tests.engine.support import scenario
from tests.engine.test_rules_secret import QUIET, SECRETS

PLAYERS = {"army": "person", "press": "person", "ally": "person"}


def _view(game: Game, role: str) -> dict[str, object]:
    return seat_view(game.scenario, game, role, table=1, decided=None, person=True,
                     paused=False, stopped=False, end_at=None, players=PLAYERS)


def test_a_secret_move_reaches_only_the_seats_that_see_it() -> None:
    compiled = scenario(SECRETS, turns=4)
    game = Game(compiled, 1)
    game.play({"army": "move", **QUIET})
    press = json.dumps(_view(game, "press"))
    for word in ('"move"', "Troops move", "column", "Move troops"):
        assert word not in press, word
    assert "Something is afoot." in press  # the rule's line is public
    for role in ("army", "ally"):
        assert "Troops move north" in json.dumps(_view(game, role))
    # the press's client tells its story without the secret; the army's with it
    remote = RemoteGame(compiled, "press")
    remote.update(_view(game, "press"))
    story = turn_story(compiled, remote.records[0], viewer="press")
    assert "Move troops" not in story and "The press: Wait" in story
    # once revealed, every seat is told
    game.play({"army": "wait", "press": "dig", "ally": "wait"})
    remote.update(_view(game, "press"))
    assert "Revealed: The army chose Move troops on turn 1" in turn_story(
        compiled, remote.records[1], viewer="press")
    # the debrief: everything, to every seat
    while not game.over:
        game.play({"army": "wait", **QUIET})
    last = _view(game, "press")
    assert "Troops move north" in json.dumps(last)
    remote.update(last)
    assert f"Move troops {SECRET}" in turn_story(compiled, remote.records[0])
