"""A lesson: a game stopped after fewer turns than the scenario's calendar.

Numbered after the rules of a turn (tests/engine/test_rules.py, 1 to 32); each
docstring names the rule (docs/design.md, "A lesson: a game cut short").
"""

from __future__ import annotations

import pytest

from kazsim.engine import Game, GameOverError, play_ai_game

from .support import play, scenario
from .test_rules import ENDINGS, PUSH_AND_WAIT

BELL = """
  - id: bell
    title: The bell rings
    interrupted: true
    text: The lesson is over.
    roles: {a: {result: draw, text: d}, b: {result: draw, text: d}}
"""
WAIT = {"a": "wait", "b": "wait"}


def test_33_a_lesson_stops_after_its_last_turn() -> None:
    """Rule 6 in a lesson: the game is over after the lesson's last turn, with the
    ending marked 'interrupted' in place of the at_last_turn ones."""
    compiled = scenario(ENDINGS + BELL, turns=5)
    game = Game(compiled, 0, turns=2)
    assert game.last_turn == 2 and game.turn_limit == 2
    assert compiled.last_turn == 5  # the scenario itself is not changed
    game.play(WAIT)
    assert not game.over
    game.play({"a": "wait", "b": "shout"})  # heat 55: late_and_hot would hold at the end
    assert game.state.ending == "bell" and game.records[-1].ending == "bell"
    with pytest.raises(GameOverError):
        game.play(WAIT)
    assert [o.result.result for o in game.outcomes()] == ["draw", "draw"]


def test_34_without_an_interrupted_ending_the_lesson_ends_as_at_the_last_turn() -> None:
    """Rule 6 in a lesson: with no ending marked 'interrupted', the lesson's last turn is
    the last turn: the at_last_turn endings apply there, by priority."""
    compiled = scenario(ENDINGS, turns=5)
    game = Game(compiled, 0, turns=2)
    game.play(WAIT)
    game.play({"a": "wait", "b": "shout"})  # heat 55
    assert game.state.ending == "late_and_hot"  # priority 3 beats the fallback
    game = play(compiled, WAIT, WAIT)
    assert not game.over  # the whole game goes on


def test_35_an_ending_that_holds_ends_a_lesson_as_it_would_any_game() -> None:
    """Rule 6 in a lesson: the endings with a 'when' (and no at_last_turn) are checked as
    always, on the lesson's last turn too; by priority against the interrupted one."""
    compiled = scenario(ENDINGS + BELL, turns=5)
    game = Game(compiled, 0, turns=2)
    game.play({"a": "push", "b": "wait"})  # heat 60 after turn 1
    assert game.state.ending == "hot" and len(game.records) == 1
    game = Game(compiled, 0, turns=1)
    game.play({"a": "push", "b": "wait"})  # the last turn: hot (priority 1) over the bell (0)
    assert game.state.ending == "hot"
    low = scenario(ENDINGS + BELL.replace("interrupted: true", "interrupted: true\n"
                                          "    priority: 2"), turns=5)
    game = Game(low, 0, turns=1)
    game.play({"a": "push", "b": "wait"})  # the bell, priority 2, over hot
    assert game.state.ending == "bell"


def test_36_the_interrupted_ending_never_ends_a_whole_game() -> None:
    """Rule 6: a game played to the calendar's end never takes the interrupted ending."""
    compiled = scenario(ENDINGS + BELL, turns=3)
    game = play(compiled, WAIT, WAIT, WAIT)
    assert game.state.ending == "time_up"
    for turns in (None, 3, 4, 200):  # none, or not shorter than the game: the whole game
        game = Game(compiled, 0, turns=turns)
        assert game.turn_limit is None and game.last_turn == 3
        assert game.scenario is compiled
    with pytest.raises(ValueError, match="at least 1 turn"):
        Game(compiled, 0, turns=0)


def test_37_last_turn_in_expressions_is_the_lessons() -> None:
    """In a lesson, `last_turn` in every expression is the lesson's last turn."""
    body = PUSH_AND_WAIT + """
events:
  - {id: late, title: Late, when: "turn == last_turn - 1", effects: {cold: 5}}
  - {id: final, title: Final, when: "turn == last_turn", effects: {cold: 1}}
"""
    game = Game(scenario(body, turns=6), 0, turns=3)
    for _ in range(3):
        game.play(WAIT)
    assert [r.events for r in game.records] == [(), ("late",), ("final",)]
    assert game.state.env(game.last_turn)["last_turn"] == 3


def test_38_a_lesson_is_the_same_game_until_it_stops() -> None:
    """A lesson draws and resolves exactly as the whole game, turn for turn, until it
    stops (nothing reads the limit but `last_turn` and the endings)."""
    from kazsim.scenario.catalog import find_scenario
    from kazsim.scenario.load import load_file

    path = find_scenario("kazakhstan-2022")
    assert path is not None
    compiled = load_file(path)
    for seed in range(4):
        whole = Game(compiled, seed)
        lesson = Game(compiled, seed, turns=4)
        while not lesson.over:
            decisions = {r: whole.ai_decision(r) for r in compiled.role_ids}
            whole.play(decisions)
            lesson.play(decisions)
            if not lesson.over:
                assert lesson.state.checksum() == whole.state.checksum()
        assert len(lesson.records) <= 4
        assert lesson.state.values == whole.state.values


HORIZON = PUSH_AND_WAIT.replace(
    "      - {id: push, label: Push, effects: {heat: 10}}",
    "      - {id: push, label: Push, effects: {heat: 10}, ai: {weight: 0}}") + """
endings:
  - id: burnt
    title: Burnt
    when: "heat >= 60 and turn >= 2"
    text: Too hot.
    roles: {a: {result: loss, text: l}, b: {result: win, text: w}}
  - id: time_up
    title: Time is up
    at_last_turn: true
    text: Over.
    roles: {a: {result: draw, text: d}, b: {result: draw, text: d}}
""" + BELL


def test_39_the_ais_horizon_is_the_lessons_last_turn() -> None:
    """The look-ahead AI plays its futures to the lesson's end: a push that is punished
    on turn 2 of the whole game is worth it in a one-turn lesson (the bell rings first)."""
    compiled = scenario(HORIZON, turns=3)
    assert Game(compiled, 1).ai_decision("a", "hard") == "wait"
    assert Game(compiled, 1, turns=1).ai_decision("a", "hard") == "push"
    game = play_ai_game(compiled, 1, {"a": "hard"}, turns=1)
    assert game.state.ending == "bell" and game.state.values["heat"] == 60


def test_check_plays_whole_games_and_does_not_miss_the_lessons_ending() -> None:
    """`kazsim check` plays whole games: the interrupted ending is left out of its ending
    table and of its 'never reached' warnings (it ends only lessons)."""
    from kazsim.analysis.findings import build
    from kazsim.analysis.simulate import run_games

    compiled = scenario(ENDINGS + BELL, turns=3)
    tally, _ = run_games(compiled, 50, 0, jobs=1)
    findings = build(compiled, tally, 0, "easy")
    assert "bell" not in {e.id for e in findings.endings}
    assert "time_up" in {e.id for e in findings.endings}
    assert not [w for w in findings.warnings if w.subject == "bell"]
    assert tally.endings["bell"] == 0


@pytest.mark.parametrize("name", ["tutorial", "kazakhstan-2022", "csto-decision"])
def test_40_every_lesson_ends_by_its_last_turn(name: str) -> None:
    """Rule 6 in a lesson: whatever its length, a game is over after the lesson's last
    turn at the latest, and not before it unless an ending that holds ended it."""
    from kazsim.scenario.catalog import find_scenario
    from kazsim.scenario.load import load_file

    path = find_scenario(name)
    assert path is not None
    compiled = load_file(path)
    whole = compiled.last_turn
    for seed in range(12):
        turns = 1 + seed % (whole - 1)
        game = play_ai_game(compiled, seed, turns=turns)
        assert game.over and len(game.records) <= turns
        ending = compiled.ending(game.state.ending or "")
        if len(game.records) < turns:  # ended early: by an ending that held
            assert not ending.at_last_turn and not ending.interrupted
