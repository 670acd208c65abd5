"""The real timeline: matching a game's turns, day differences, decisions with no real
counterpart, the history seat, and spoiler-free source lists."""

from __future__ import annotations

import datetime as dt

import pytest

from kazsim.engine import Game
from kazsim.engine.ai import choose_history
from kazsim.engine.timeline import compare, due_steps, step_turn
from kazsim.scenario.load import load_text
from kazsim.story import known_sources, step_verdict, timeline_story

from .support import scenario

# Two roles; the government's real steps are on 3 and 5 January, the street's on 4.
# The calendar starts on 2 January, one day a turn, six turns.
BODY = """\
indicators:
  - {id: heat, label: Heat, start: 10}
flags:
  - {id: emergency, label: Emergency}
roles:
  - id: gov
    name: The government
    briefing: Rule.
    score: "100 - heat"
    actions:
      - {id: wait, label: Wait, ai: {weight: 5}}
      - {id: caps, label: Restore caps, once: true, effects: {heat: -2}}
      - id: declare
        label: Declare an emergency
        once: true
        available: "heat >= 20"
        effects: {emergency: true}
  - id: street
    name: The street
    briefing: Protest.
    score: heat
    actions:
      - {id: stay, label: Stay home}
      - {id: march, label: March, effects: {heat: 15}}
timeline:
  - id: protests
    date: 2022-01-02
    text: The first protest.
    happened: "heat > 0"
    cites: [src]
  - id: caps_back
    date: 2022-01-03
    text: The caps come back.
    role: gov
    action: caps
    cites: [src]
  - id: big_march
    date: 2022-01-04
    text: A big march.
    role: street
    action: march
    cites: [src]
  - id: hot
    date: 2022-01-04
    text: The streets are hot.
    happened: "heat >= 20"
    cites: [src]
  - id: emergency_declared
    date: 2022-01-05
    text: The emergency.
    role: gov
    action: declare
    cites: [src]
"""


def play(decisions: list[dict[str, str]], turns: int = 6) -> Game:
    game = Game(scenario(BODY, turns), seed=1)
    for d in decisions:
        game.play(d)
    return game


def test_matching_picks_the_first_turn_and_counts_the_days() -> None:
    game = play([{"gov": "wait", "street": "stay"},     # 2 Jan
                 {"gov": "wait", "street": "march"},    # 3 Jan: heat 25
                 {"gov": "declare", "street": "stay"},  # 4 Jan
                 {"gov": "caps", "street": "march"}])   # 5 Jan
    result = {m.step.id: (m.turn, m.date, m.days) for m in
              compare(game.scenario, game.states, game.records).steps}
    assert result == {
        "protests": (0, dt.date(2022, 1, 2), 0),  # already so at the start
        "caps_back": (4, dt.date(2022, 1, 5), 2),
        "big_march": (2, dt.date(2022, 1, 3), -1),  # the first march, not the second
        "hot": (2, dt.date(2022, 1, 3), -1),
        "emergency_declared": (3, dt.date(2022, 1, 4), -1),
    }


def test_a_step_that_never_happens_says_so() -> None:
    game = play([{"gov": "wait", "street": "stay"}] * 6)
    comparison = compare(game.scenario, game.states, game.records)
    missing = [m.step.id for m in comparison.steps if not m.happened]
    assert missing == ["caps_back", "big_march", "hot", "emergency_declared"]
    assert step_verdict(comparison.steps[1]) == "Not in your game."
    assert step_verdict(comparison.steps[1], finished=False) == "Not in your game so far."


def test_decisions_no_step_names_are_listed_with_their_turns() -> None:
    game = play([{"gov": "wait", "street": "stay"}, {"gov": "caps", "street": "stay"},
                 {"gov": "wait", "street": "march"}])
    unmatched = compare(game.scenario, game.states, game.records).unmatched
    assert [(u.role, u.action, u.turns) for u in unmatched] == [
        ("gov", "wait", (1, 3)), ("street", "stay", (1, 2))]
    text = timeline_story(game.scenario, compare(game.scenario, game.states, game.records))
    assert "The government: Wait — 2 times (2 January 2022, 4 January 2022)" in text
    assert "The street: Stay home — 2 times (2 January 2022, 3 January 2022)" in text
    assert "In your game: 3 January 2022 (turn 2), the same day as in reality." in text


def test_a_chose_condition_names_its_action_and_sees_that_turns_choice() -> None:
    body = BODY.replace("""    role: street
    action: march
""", """    happened: "chose(street, march) and heat >= 30"
""")
    game = Game(scenario(body, 6), seed=1)
    for street in ("march", "stay", "march"):
        game.play({"gov": "wait", "street": street})
    comparison = compare(game.scenario, game.states, game.records)
    march = next(m for m in comparison.steps if m.step.id == "big_march")
    assert march.turn == 3  # heat 25 after turn 1, 40 after turn 3 (home on turn 2)
    assert ("street", "march") not in {(u.role, u.action) for u in comparison.unmatched}


def test_steps_land_on_the_turn_whose_span_holds_their_date() -> None:
    half = scenario(BODY, 6).model.calendar
    compiled = scenario(BODY.replace("roles:", "roles:", 1), 6)
    assert [step_turn(compiled, dt.date(2022, 1, d)) for d in (1, 2, 7, 8)] == [
        None, 1, 6, None]
    text = load_text(
        (HALF_HEADER + BODY), "half.yaml")[0]
    assert text is not None and half.turn_length == "day"
    assert [step_turn(text, dt.date(2022, 1, d)) for d in (2, 3, 4)] == [1, 3, 5]


HALF_HEADER = """\
id: half
title: Half days
version: "1"
summary: Half-day turns.
author: kazsim tests
sources: [{id: src, title: Source, publisher: Publisher}]
calendar: {start: 2022-01-02, turn_length: half_day, turns: 6}
endings:
  - id: time_up
    title: Time is up
    at_last_turn: true
    text: Time is up.
    roles: {gov: {result: draw, text: x}, street: {result: draw, text: x}}
"""


def history_game(turns: int = 6, seed: int = 3) -> Game:
    game = Game(scenario(BODY, turns), seed=seed)
    while not game.over:
        game.play_ai_turn({"gov": "history", "street": "history"})
    return game


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_the_history_seat_reproduces_the_real_sequence(seed: int) -> None:
    game = history_game(seed=seed)
    decisions = [(r.turn, dict(r.decisions)) for r in game.records]
    assert decisions[1][1]["gov"] == "caps"       # 3 January
    assert decisions[2][1]["street"] == "march"   # 4 January: heat 25
    assert decisions[3][1]["gov"] == "declare"    # 5 January, legal once heat >= 20
    # The easy AI plays the other turns, and never takes early what came later.
    assert "caps" not in [d["gov"] for _, d in decisions[:1]]
    assert "march" not in [d["street"] for _, d in decisions[:2]]
    comparison = compare(game.scenario, game.states, game.records)
    assert [m.days for m in comparison.steps] == [0, 0, 0, 0, 0]


def test_a_step_not_legal_on_its_day_is_played_when_it_becomes_legal() -> None:
    # The emergency needs heat >= 20; if the street never marches, it never comes;
    # with the march a day late (played here by hand) it comes the turn after.
    game = Game(scenario(BODY, 6), seed=1)
    for street in ("stay", "stay", "stay", "march"):
        gov = choose_history(game.scenario, game.state, "gov", _Fixed())
        game.play({"gov": gov, "street": street})
    assert [r.decisions["gov"] for r in game.records] == ["wait", "caps", "wait", "wait"]
    assert [s.id for s in due_steps(game.scenario, game.state, "gov")] == [
        "emergency_declared"]
    assert choose_history(game.scenario, game.state, "gov", _Fixed()) == "declare"


class _Fixed:
    def random(self) -> float:
        return 0.0


def test_sources_dated_after_today_are_not_listed() -> None:
    body = BODY.replace("timeline:", "timeline: []\nx_:", 1).split("x_:")[0]
    text = (HEADER_WITH_SOURCES + body)
    compiled, problems = load_text(text, "sources.yaml")
    assert compiled is not None, problems
    assert [s.id for s in known_sources(compiled, 1)] == ["undated", "early"]
    assert [s.id for s in known_sources(compiled, 3)] == ["undated", "early", "later"]
    assert [s.id for s in known_sources(compiled, 3, ["later", "latest"])] == ["later"]
    assert "latest" not in [s.id for s in known_sources(compiled, 5)]
    assert [s.id for s in known_sources(compiled, 6)] == ["undated", "early", "later",
                                                          "latest"]


HEADER_WITH_SOURCES = """\
id: sources
title: Sources
version: "1"
summary: Dated sources.
author: kazsim tests
sources:
  - {id: undated, title: A, publisher: P}
  - {id: early, title: B, publisher: P, date: 2022-01-02}
  - {id: later, title: C, publisher: P, date: 2022-01-04}
  - {id: latest, title: D, publisher: P, date: 2022-01-07}
calendar: {start: 2022-01-02, turns: 6}
endings:
  - id: time_up
    title: Time is up
    at_last_turn: true
    text: Time is up.
    roles: {gov: {result: draw, text: x}, street: {result: draw, text: x}}
"""
