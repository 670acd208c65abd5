"""The rules of effects that take time, uncertain amounts and drift, one per test.

This continues the rulebook of test_rules.py (numbered from 41, so that the two
files never share a number); the rulebook is docs/design.md, "How a turn is
resolved", and docs/authoring.md explains each form to authors.
"""

from __future__ import annotations

import hashlib
import json
import random
from typing import Any

import pytest

from kazsim.engine import Game, GameState, initial_state, resolve
from kazsim.engine.ai import expected_gain, guess_env
from kazsim.engine.draws import (
    SEQUENTIAL,
    SequentialDraws,
    source_action,
    source_amount,
    source_id,
    unit,
)
from kazsim.engine.state import Pending
from kazsim.scenario.effects import DELAY_DISCOUNT, parts
from kazsim.story import landed_lines, news_lines, turn_story, upcoming_lines, why_lines

from .support import check_turns, play, scenario

TIME = """
indicators:
  - {id: heat, label: Heat, start: 50}
  - {id: cold, label: Cold, start: 0, visible_to: [b]}
roles:
  - id: a
    name: A
    briefing: b
    score: heat
    actions:
      - {id: wait, label: Wait}
      - {id: promise, label: Promise, effects: {heat: {add: 12, after: 2}}}
      - {id: spread, label: Spread, effects: {heat: {add: 10, over: 3}}}
      - {id: late_spread, label: Late spread, effects: {heat: {add: -9, after: 1, over: 3}}}
      - {id: secret, label: Secret, effects: {cold: {add: 5, after: 1}, heat: {add: 1, after: 1}}}
      - id: gamble
        label: Gamble
        effects: {heat: {add: [5, 15]}}
        outcomes:
          - {chance: 0.5, text: Lucky., effects: {heat: {add: [1, 2]}}}
  - id: b
    name: B
    briefing: b
    score: cold
    actions:
      - {id: wait, label: Wait}
"""
STORM = """
events:
  - {id: storm, title: Storm, text: A storm., turn: 2, effects: {heat: {add: 4, after: 1}}}
"""

WAIT = {"a": "wait", "b": "wait"}


def test_41_a_delayed_effect_lands_after_its_delay() -> None:
    """`after: 2` on turn 1: nothing on turns 1 and 2, the change in step 4 of turn 3,
    under its source in the why, and told in the story."""
    compiled = scenario(TIME, turns=5)
    game = play(compiled, {"a": "promise", "b": "wait"})
    assert game.state.values["heat"] == 50
    assert game.state.pending == (Pending(3, "heat", "later", 12, "action", "promise", "a", 1),)
    assert game.records[0].why("heat") == []
    game.play(WAIT)
    assert game.state.values["heat"] == 50
    record = game.play(WAIT)
    assert game.state.values["heat"] == 62
    assert game.state.pending == ()
    assert record.landed == (Pending(3, "heat", "later", 12, "action", "promise", "a", 1),)
    assert why_lines(compiled, record, "heat") == ["+12 (delayed)  A: Promise"]
    assert landed_lines(compiled, record) == [
        "Taking effect now, from two turns ago (A: Promise): Heat +12 (delayed)"]
    assert "Taking effect now, from two turns ago" in turn_story(compiled, record)
    check_turns(compiled, game.states, game.records)


def test_42_a_spread_lands_in_parts_that_sum_exactly() -> None:
    """`over: 3`: the first part on the turn itself, one a turn after; whole amounts in
    whole parts, the larger first; `after` and `over` together start later."""
    compiled = scenario(TIME, turns=6)
    game = play(compiled, {"a": "spread", "b": "wait"}, WAIT, WAIT, WAIT)
    heat = [s.values["heat"] for s in game.states]
    assert heat == [50, 54, 57, 60, 60]
    assert sum(c.amount for r in game.records for c in r.why("heat")) == 10
    game = play(compiled, {"a": "late_spread", "b": "wait"}, WAIT, WAIT, WAIT, WAIT)
    assert [s.values["heat"] for s in game.states] == [50, 50, 47, 44, 41, 41]
    assert parts(10, 3) == [4, 3, 3] and parts(-10, 3) == [-3, -3, -4]
    assert parts(10.0, 4) == [3.0, 3.0, 2.0, 2.0] and sum(parts(1.0, 3)) == 1.0
    assert parts(0.5, 2) == [0.25, 0.25]
    check_turns(compiled, game.states, game.records)


def test_43_an_events_delayed_effect_lands_in_step_4_of_a_later_turn() -> None:
    compiled = scenario(TIME + STORM, turns=4)
    game = play(compiled, WAIT, WAIT)
    assert game.records[1].events == ("storm",)
    assert game.state.values["heat"] == 50
    record = game.play(WAIT)
    assert game.state.values["heat"] == 54
    assert why_lines(compiled, record, "heat") == ["+4 (delayed)  event: Storm"]
    check_turns(compiled, game.states, game.records)


def _old_checksum(state: GameState) -> str:
    """The checksum as it was before pending effects existed (the data without them)."""
    data = {"turn": state.turn,
            "values": {k: (v if isinstance(v, bool) else float(v))
                       for k, v in sorted(state.values.items())},
            "counts": dict(sorted(state.counts.items())),
            "last_chosen": dict(sorted(state.last_chosen.items())),
            "previous": dict(sorted(state.previous.items())),
            "fired": dict(sorted(state.fired.items())), "ending": state.ending}
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def test_44_pending_effects_are_in_the_checksum_only_when_there_are_some() -> None:
    compiled = scenario(TIME, turns=5)
    game = play(compiled, WAIT, {"a": "promise", "b": "wait"}, WAIT, WAIT)
    with_pending = [s for s in game.states if s.pending]
    without = [s for s in game.states if not s.pending]
    assert with_pending and without
    for state in without:
        assert "pending" not in state.to_data()
        assert state.checksum() == _old_checksum(state)
    for state in with_pending:
        assert state.checksum() != _old_checksum(state)
        emptied = GameState(state.turn, state.values, state.counts, state.last_chosen,
                            state.previous, state.fired, state.ending)
        assert emptied.checksum() == _old_checksum(state) != state.checksum()
        data = state.to_data()
        assert json.loads(json.dumps(data)) == data


def test_45_uncertain_amounts_are_drawn_by_key_recorded_and_replayed() -> None:
    """One draw per uncertain amount, keyed by its origin and how many that origin drew
    before it this turn (`source_amount`), where its effect is in the order of
    resolution: the action's amount, then its outcome's draw (keyed by the role), then
    the outcome's amount; recorded in the turn record, the same on every replay."""
    compiled = scenario(TIME, turns=3)
    for seed in range(10):
        game = Game(compiled, seed)
        record = game.play({"a": "gamble", "b": "wait"})
        x = unit(seed, 1, source_id(source_amount("action", "gamble", "a")), 0)
        first = 5 * (1 - x) + 15 * x
        lucky = unit(seed, 1, source_id(source_action("a")), 0) < 0.5
        drawn = [(d.target, d.source, d.kind, d.low, d.high) for d in record.draws]
        assert record.draws[0].value == first
        if lucky:
            y = unit(seed, 1, source_id(source_amount("outcome", "gamble", "a")), 0)
            assert record.draws[1].value == 1 * (1 - y) + 2 * y
            assert drawn[1] == ("heat", "gamble", "outcome", 1, 2)
        assert drawn[0] == ("heat", "gamble", "action", 5, 15)
        assert len(record.draws) == 1 + lucky
        assert game.state.values["heat"] == 50 + sum(d.value for d in record.draws)
        again = play(compiled, {"a": "gamble", "b": "wait"}, seed=seed)
        assert again.records == game.records and again.state == game.state
        assert why_lines(compiled, record, "heat")[0].endswith("(drawn by chance)  A: Gamble")
        check_turns(compiled, game.states, game.records)


def test_45b_the_sequential_draws_of_older_saves_keep_their_order() -> None:
    """The draws of a save made before the keyed ones: one generator, drawn from in the
    order of resolution (the action's amount, its outcome, the outcome's amount)."""
    compiled = scenario(TIME, turns=3)
    for seed in range(10):
        game = Game(compiled, seed, scheme=SEQUENTIAL)
        record = game.play({"a": "gamble", "b": "wait"})
        rng = random.Random(seed)
        first = 5 * (1 - (x := rng.random())) + 15 * x
        lucky = rng.random() < 0.5
        assert record.draws[0].value == first
        if lucky:
            y = rng.random()
            assert record.draws[1].value == 1 * (1 - y) + 2 * y
        assert len(record.draws) == 1 + lucky


def test_46_an_uncertain_amount_keeps_the_draw_pattern_of_other_scenarios() -> None:
    """A scenario without uncertain amounts draws exactly as before: none are recorded,
    and the sequential generator of older saves is not drawn from."""
    compiled = scenario(TIME, turns=4)
    game = play(compiled, {"a": "promise", "b": "wait"}, WAIT, {"a": "spread", "b": "wait"})
    assert all(r.draws == () for r in game.records)
    draws = SequentialDraws(0)
    state = initial_state(compiled)
    for decisions in ({"a": "promise", "b": "wait"}, WAIT):
        state, _ = resolve(compiled, state, decisions, draws=draws)
    assert draws.rng.getstate() == random.Random(0).getstate()  # no event due, nothing drawn


DRIFT = """
indicators:
  - {id: heat, label: Heat, start: 50}
  - {id: cold, label: Cold, start: 0}
roles:
  - id: a
    name: A
    briefing: b
    score: heat
    actions:
      - {id: wait, label: Wait}
      - {id: push, label: Push, effects: {heat: 10}}
drift:
  - {id: inflation, name: Inflation, effects: {heat: 1}}
  - {id: frost, name: The long frost, when: "heat > 55 and chose(a, wait)",
     effects: {cold: {add: [1, 2]}}}
"""


def test_47_drift_is_in_the_why_and_not_in_the_news() -> None:
    """Every drift whose condition holds (start of the turn plus this turn's choices)
    adds its effects with the rules, in file order, under its name, with no news line."""
    compiled = scenario(DRIFT.replace("roles:", "roles:", 1), turns=4)
    game = play(compiled, {"a": "push"}, {"a": "wait"}, {"a": "push"})
    first, second, third = game.records
    assert [s.values["heat"] for s in game.states] == [50, 61, 62, 73]
    assert why_lines(compiled, first, "heat") == ["+10  A: Push", "+1  Inflation"]
    assert news_lines(first) == ["Push"] and news_lines(second) == ["Wait"]
    assert [c.source for c in second.why("cold")] == ["frost"]
    assert why_lines(compiled, second, "cold")[0].endswith("(drawn by chance)  The long frost")
    assert third.why("cold") == []  # frost needs a wait
    assert 1 <= game.state.values["cold"] <= 2
    check_turns(compiled, game.states, game.records)


def test_48_pending_effects_are_shown_only_to_the_roles_that_may_see_them() -> None:
    compiled = scenario(TIME, turns=4)
    game = play(compiled, {"a": "secret", "b": "wait"})
    assert upcoming_lines(compiled, game.state) == [
        "Turn 2 (Monday 3 January 2022): Cold +5 (delayed), Heat +1 (delayed) — A: Secret, turn 1"]
    assert upcoming_lines(compiled, game.state, ["a"]) == [
        "Turn 2 (Monday 3 January 2022): Heat +1 (delayed) — A: Secret, turn 1"]
    assert upcoming_lines(compiled, game.state, ["b"]) == [
        "Turn 2 (Monday 3 January 2022): Cold +5 (delayed), Heat +1 (delayed) — A: Secret, turn 1"]
    story = turn_story(compiled, game.records[0], viewer="a", after=game.state)
    assert story.endswith("Coming\n  Turn 2 (Monday 3 January 2022): Heat +1 (delayed) — "
                          "A: Secret, turn 1")
    assert "Coming" not in turn_story(compiled, game.records[0], viewer="a")
    record = game.play(WAIT)
    assert landed_lines(compiled, record, ["a"]) == [
        "Taking effect now, from last turn (A: Secret): Heat +1 (delayed)"]
    assert landed_lines(compiled, record, ["b"]) == [
        "Taking effect now, from last turn (A: Secret): Cold +5 (delayed), Heat +1 (delayed)"]


def test_49_a_delayed_effect_past_the_end_waits_for_ever() -> None:
    """What would land after the game's last turn never lands; the game ends as usual."""
    compiled = scenario(TIME, turns=3)
    game = play(compiled, WAIT, {"a": "promise", "b": "wait"}, WAIT)
    assert game.over and game.state.pending[0].due == 4
    assert game.state.values["heat"] == 50


def _gain(compiled: Any, action: str, turn: int = 1) -> float:
    game = Game(compiled, 0)
    for _ in range(turn - 1):
        game.play(WAIT)
    env = game.state.env(compiled.last_turn)
    base = float(compiled.role("a").score(env))
    return expected_gain(compiled, guess_env(compiled, env, "a"), "a",
                         compiled.role("a").by_id[action], base)


def test_50_the_ai_weighs_time_and_uncertainty_as_documented() -> None:
    """The mean of an uncertain amount; a delay discounted by DELAY_DISCOUNT a turn;
    nothing for what would land after the last turn."""
    compiled = scenario(TIME, turns=5)
    assert _gain(compiled, "gamble") == pytest.approx(10 + 0.5 * 1.5)
    assert _gain(compiled, "promise") == pytest.approx(12 * DELAY_DISCOUNT ** 2)
    assert _gain(compiled, "spread") == pytest.approx(
        10 / 3 * (1 + DELAY_DISCOUNT + DELAY_DISCOUNT ** 2))
    assert _gain(compiled, "spread", turn=4) == pytest.approx(10 / 3 * (1 + DELAY_DISCOUNT))
    assert _gain(compiled, "promise", turn=4) == 0.0
    game = Game(compiled, 3)
    assert game.ai_decision("a") in ("gamble", "promise", "spread")
