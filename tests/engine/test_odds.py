"""The odds of each ending after every turn, and the turning points (kazsim.engine.odds)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kazsim.engine import Game, play_ai_game
from kazsim.engine.draws import KEYED
from kazsim.engine.odds import (
    continuation_seed,
    odds,
    odds_work,
    point_counts,
    turning_points,
    turning_turns,
    what_decided,
)
from kazsim.scenario import CompiledScenario, load_file
from kazsim.story import odds_line, percent, turning_point_lines

from .support import play, scenario

ROOT = Path(__file__).resolve().parents[2]

# Role a may arm the device on turn 1 only; once armed, it goes off when turn 2 ends.
FORCED = """
indicators:
  - {id: heat, label: Heat, start: 0}
flags:
  - {id: armed, label: Armed}
roles:
  - id: a
    name: A
    briefing: b
    score: heat
    actions:
      - {id: arm, label: Arm the device, available: "turn == 1", effects: {armed: true}}
      - {id: wait, label: Wait}
  - id: b
    name: B
    briefing: b
    score: heat
    actions:
      - {id: wait, label: Wait}
endings:
  - id: boom
    title: Boom
    when: "armed and turn >= 2"
    text: It went off.
    roles: {a: {result: win, text: w}, b: {result: loss, text: l}}
  - id: time_up
    title: Time is up
    at_last_turn: true
    text: Time is up.
    roles: {a: {result: draw, text: d}, b: {result: draw, text: d}}
"""

# The fire can be lit on turn 2 only, by role a; b's shouting changes nothing. A storm
# on turn 2 may light it too (with `STORM`).
FIRE = """
indicators:
  - {id: noise, label: Noise, start: 0}
flags:
  - {id: lit, label: Lit}
roles:
  - id: a
    name: The arsonist
    briefing: b
    score: noise
    actions:
      - {id: wait, label: Wait}
      - {id: ignite, label: Light the fire, available: "turn == 2", effects: {lit: true}}
  - id: b
    name: B
    briefing: b
    score: noise
    actions:
      - {id: wait, label: Wait}
      - {id: shout, label: Shout, effects: {noise: 1}}
endings:
  - id: fire
    title: Fire
    when: "lit and turn >= 3"
    text: It burns.
    roles: {a: {result: win, text: w}, b: {result: loss, text: l}}
  - id: calm
    title: Calm
    at_last_turn: true
    text: Nothing burned.
    roles: {a: {result: loss, text: l}, b: {result: win, text: w}}
"""

STORM = """
events:
  - id: storm
    title: A lightning storm
    turn: 2
    chance: 0.5
    text: Lightning strikes.
    effects: {lit: true}
"""


def test_a_forced_game_has_certain_odds_from_the_decision_on() -> None:
    compiled = scenario(FORCED, turns=3)
    armed = play(compiled, {"a": "arm", "b": "wait"}, {"a": "wait", "b": "wait"})
    assert armed.state.ending == "boom"
    result = odds(armed, runs=60)
    assert result.endings == ("boom", "time_up")
    assert 0 < result.chance(0, "boom") < 1  # before turn 1 the AI may or may not arm it
    assert result.series("boom")[1:] == [1.0, 1.0]
    assert result.series("time_up")[1:] == [0.0, 0.0]
    assert [p.runs for p in result.points] == [60, 60, 0]  # the last point: the game is over

    waited = play(compiled, {"a": "wait", "b": "wait"}, {"a": "wait", "b": "wait"},
                  {"a": "wait", "b": "wait"})
    assert waited.state.ending == "time_up"
    result = odds(waited, runs=60)
    assert 0 < result.chance(0, "boom") < 1
    assert result.series("boom")[1:] == [0.0, 0.0, 0.0]
    assert result.series("time_up")[1:] == [1.0, 1.0, 1.0]


def test_progress_counts_every_continuation_and_may_stop_the_work() -> None:
    compiled = scenario(FORCED, turns=3)
    game = play(compiled, {"a": "wait", "b": "wait"})  # a saved game, not over
    seen: list[tuple[int, int]] = []
    odds(game, runs=7, progress=lambda done, total: seen.append((done, total)))
    assert odds_work(game, 7) == 14
    assert seen == [(n, 14) for n in range(1, 15)]

    class Stop(Exception):
        pass

    def stop(done: int, total: int) -> None:
        if done == 3:
            raise Stop

    try:
        odds(game, runs=7, progress=stop)
    except Stop:
        pass
    else:
        raise AssertionError("the progress callback did not stop the work")


def test_continuations_split_any_way_add_up_to_the_same_counts(tutorial: CompiledScenario
                                                               ) -> None:
    game = play_ai_game(tutorial, 5)
    whole = point_counts(game, 1, range(30))
    parts = [point_counts(game, 1, ks) for ks in (range(0, 7), range(7, 19), range(19, 30))]
    assert whole == [sum(column) for column in zip(*parts, strict=True)]
    assert odds(game, runs=30).points[1].counts == tuple(whole)
    assert continuation_seed(5, 1, 0) != continuation_seed(5, 1, 1) != continuation_seed(5, 2, 1)


SCRIPT = """
import json, sys
from kazsim.engine import play_ai_game
from kazsim.engine.odds import what_decided
from kazsim.scenario import load_file
compiled = load_file(sys.argv[1])
decided = what_decided(play_ai_game(compiled, 11), runs=25, otherwise_runs=10)
print(json.dumps({"points": [p.counts for p in decided.odds.points],
                  "turning": [[t.turn, t.same, sorted(t.otherwise.items())]
                              for t in decided.turning_points]}))
"""


def test_odds_are_the_same_in_other_processes_under_any_hash_seed() -> None:
    path = str(ROOT / "scenarios" / "tutorial.yaml")
    outputs = []
    for hash_seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run([sys.executable, "-c", SCRIPT, path], env=env, check=True,
                              capture_output=True, text=True, timeout=300)
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1]
    decided = what_decided(play_ai_game(load_file(path), 11), runs=25, otherwise_runs=10)
    here = {"points": [list(p.counts) for p in decided.odds.points],
            "turning": [[t.turn, t.same, [list(i) for i in sorted(t.otherwise.items())]]
                        for t in decided.turning_points]}
    assert outputs[0] == here
    assert len({tuple(p) for p in here["points"]}) > 1  # the odds did move


def fire_game(body: str) -> Game:
    return play(scenario(body, turns=3), {"a": "wait", "b": "wait"},
                {"a": "ignite", "b": "shout"}, {"a": "wait", "b": "wait"}, seed=0)


def test_the_turning_point_is_the_decision_that_settled_the_game() -> None:
    game = fire_game(FIRE)
    assert game.state.ending == "fire"
    result = odds(game, runs=80)
    assert turning_turns(result, "fire", 1) == [2]
    (point,) = turning_points(game, result, runs=40, count=1)
    assert (point.turn, point.after, point.same) == (2, 1.0, 1.0)
    assert point.otherwise == {"a": 0.0, "b": 1.0}  # shouting or not, it burns
    assert point.decisive == "a"
    (text,) = turning_point_lines(game.scenario, [point], game.records)
    assert text == (f"After the arsonist chose “Light the fire” on Monday 3 January 2022 "
                    f"(turn 2), the chance of “Fire” rose from {percent(point.before)} to "
                    f"100%; had it chosen otherwise, about 0%.")


def test_a_turning_point_made_by_luck_names_no_single_decision() -> None:
    # Nobody lights the fire; the storm does (seed chosen so that it strikes).
    compiled = scenario(FIRE + STORM, turns=3)
    game = next(g for g in (play(compiled, {"a": "wait", "b": "wait"},
                                 {"a": "wait", "b": "shout"}, {"a": "wait", "b": "wait"},
                                 seed=s) for s in range(50))
                if g.state.values["lit"])
    result = odds(game, runs=80)
    (point,) = turning_points(game, result, runs=40, count=1)
    assert point.turn == 2 and point.after == 1.0
    assert point.decisive is None  # a's other choice (lighting it) only raised it further
    (text,) = turning_point_lines(compiled, [point], game.records)
    assert "No single side's decision pushed it up by 5 percentage points or more" in text
    assert "The decisions: The arsonist: Wait; B: Shout" in text
    assert text.endswith("what happened: A lightning storm.")


def test_odds_in_words() -> None:
    assert [percent(c) for c in (0.0, 0.001, 0.994, 0.995, 0.999, 1.0, 0.125)] == [
        "0%", "<1%", "99%", ">99%", ">99%", "100%", "12%"]
    game = fire_game(FIRE)
    result = odds(game, runs=40)
    assert odds_line(game.scenario, result, len(game.records)) == "Fire 100%"
    line = odds_line(game.scenario, result, 0)
    assert line.startswith(("Fire ", "Calm ")) and " · " in line


def test_a_change_within_the_noise_is_no_turning_point() -> None:
    from kazsim.engine.odds import Odds, Point

    def point(played: int, hits: int, runs: int = 100) -> Point:
        return Point(played, (hits, runs - hits) if runs else (1, 0), runs)

    # 50% -> 55% is within two standard errors of 100 continuations each (about 14 points);
    # 55% -> 90% and 90% -> the ending (certain) are not.
    result = Odds(0, 100, ("x", "y"), (point(0, 50), point(1, 55), point(2, 90),
                                       point(3, 0, runs=0)))
    assert turning_turns(result, "x") == [2, 3]
    assert turning_turns(result, "y") == [2, 3]
    assert turning_turns(result, "x", 1) == [2]


def test_a_fork_keeps_the_game_and_has_its_own_seed_and_history(tutorial: CompiledScenario
                                                                ) -> None:
    from kazsim.engine.odds import fork

    game = play_ai_game(tutorial, 4)
    forked = fork(game, game.states[1], 99)
    assert forked.scenario is game.scenario  # (a lesson's shortened scenario, too)
    assert (forked.seed, forked.state, forked.states, forked.records) == (
        99, game.states[1], [game.states[1]], [])
    assert forked.draws.scheme == game.draws.scheme == KEYED
    assert [forked.draws.action(2, r) for r in tutorial.role_ids] == [
        Game(tutorial, 99).draws.action(2, r) for r in tutorial.role_ids]
    forked.play_ai_turn({})
    assert len(game.records) == len(game.states) - 1 and forked.states[0] is game.states[1]
