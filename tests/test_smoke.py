"""The tutorial scenario loads and an AI game reaches an ending."""

from kazsim.engine import play_ai_game


def test_tutorial_plays_to_an_ending(tutorial):
    game = play_ai_game(tutorial, seed=1)
    assert game.over
    assert game.state.ending in {e.id for e in tutorial.model.endings}
    assert len(game.records) <= tutorial.last_turn
