"""The rules of a turn, one per test, each with the scenario it needs written inline.

Numbered like a rulebook; each docstring names the rule (docs/design.md, "How a
turn is resolved", is the rulebook). Roles are `a` and `b` unless said otherwise.
"""

from __future__ import annotations

import pytest

from kazsim.engine import Change, Game, GameOverError, IllegalDecisionError
from kazsim.engine.draws import SEQUENTIAL, SequentialDraws

from .support import check_turns, play, scenario

HEAT = """
indicators:
  - {id: heat, label: Heat, start: 50}
  - {id: cold, label: Cold, start: 0}
flags:
  - {id: alarm, label: Alarm}
"""

PUSH_AND_WAIT = HEAT + """
roles:
  - id: a
    name: A
    briefing: b
    score: heat
    actions:
      - {id: wait, label: Wait}
      - {id: push, label: Push, effects: {heat: 10}}
      - {id: reset, label: Reset, effects: {heat: "= 20"}}
      - {id: ring, label: Ring, effects: {alarm: true}}
  - id: b
    name: B
    briefing: b
    score: cold
    actions:
      - {id: wait, label: Wait}
      - {id: pull, label: Pull, effects: {heat: -10}}
      - {id: copy, label: Copy, effects: {cold: "= heat"}}
      - {id: shout, label: Shout, effects: {heat: 5}}
      - {id: set_high, label: Set high, effects: {heat: "= 80"}}
"""


def test_01_an_action_changes_an_indicator_by_its_effect() -> None:
    """Rule 2: an action's effects are applied when it is chosen."""
    game = play(scenario(PUSH_AND_WAIT), {"a": "push", "b": "wait"})
    assert game.state.values["heat"] == 60
    assert game.records[0].changes == (Change("heat", 50, 60, False),)
    assert game.records[0].decisions == {"a": "push", "b": "wait"}


def test_02_effects_are_computed_against_the_start_of_the_turn() -> None:
    """Rule 2: no role gains by going first: b copies heat as it was when the turn began."""
    game = play(scenario(PUSH_AND_WAIT), {"a": "push", "b": "copy"})
    assert game.state.values["heat"] == 60
    assert game.state.values["cold"] == 50


def test_03_role_order_does_not_matter() -> None:
    """Rule 2: swapping the roles' order in the file gives the same turn."""
    body = PUSH_AND_WAIT
    a_block = body[body.index("  - id: a"):body.index("  - id: b")]
    b_block = body[body.index("  - id: b"):]
    swapped = body[:body.index("  - id: a")] + b_block + a_block
    for decisions in ({"a": "push", "b": "copy"}, {"a": "reset", "b": "shout"},
                      {"a": "push", "b": "pull"}):
        first = play(scenario(body), decisions).state.values
        second = play(scenario(swapped), decisions).state.values
        assert first == second


def test_04_sets_apply_before_changes() -> None:
    """Rule 4: '= value' effects are applied first, then every change is added."""
    game = play(scenario(PUSH_AND_WAIT), {"a": "reset", "b": "shout"})
    assert game.state.values["heat"] == 25  # set to 20, then +5


def test_05_the_last_set_written_wins() -> None:
    """Rule 4: two roles setting the same indicator: the later in role order wins."""
    game = play(scenario(PUSH_AND_WAIT), {"a": "reset", "b": "set_high"})
    assert game.state.values["heat"] == 80
    assert [(c.source, c.amount) for c in game.records[0].why("heat")] == [
        ("reset", 20), ("set_high", 80)]


def test_06_changes_are_summed_before_clamping() -> None:
    """Rule 4: +10 and -10 on an indicator at 95 of 100 leave it at 95, not 90."""
    body = PUSH_AND_WAIT.replace("{id: heat, label: Heat, start: 50}",
                                 "{id: heat, label: Heat, start: 95}")
    game = play(scenario(body), {"a": "push", "b": "pull"})
    assert game.state.values["heat"] == 95
    assert game.records[0].changes == ()


def test_07_indicators_are_clamped_to_their_range() -> None:
    """Rule 4: an indicator never leaves its range; the change says it was clamped."""
    body = PUSH_AND_WAIT.replace("{id: heat, label: Heat, start: 50}",
                                 "{id: heat, label: Heat, start: 95}")
    game = play(scenario(body), {"a": "push", "b": "shout"})
    assert game.state.values["heat"] == 100
    assert game.records[0].changes == (Change("heat", 95, 100, True),)
    assert sum(c.amount for c in game.records[0].why("heat")) == 15  # the reasons, unclamped
    game.play({"a": "push", "b": "wait"})
    # Pushed against the bound it does not move: no change is listed ("100 -> 100"
    # would only confuse a reader), but the reason is still on the record.
    assert game.records[1].changes == ()
    assert [c.source for c in game.records[1].why("heat")] == ["push"]


def test_08_flags_are_set_by_effects() -> None:
    """Rule 4: 'flag: true' sets a flag; flags are never clamped."""
    game = play(scenario(PUSH_AND_WAIT), {"a": "ring", "b": "wait"})
    assert game.state.values["alarm"] is True
    assert game.records[0].changes == (Change("alarm", False, True, False),)


RULES = PUSH_AND_WAIT + """
rules:
  - id: both
    when: "chose(a, push) and chose(b, shout)"
    text: Both at once.
    effects: {cold: 7}
  - id: late
    when: "heat >= 55 and chose(a, push)"
    effects: {cold: 100}
  - id: second
    when: "chose(a, push)"
    text: Push noticed.
    effects: {cold: 1}
"""


@pytest.mark.parametrize(("a", "b", "fires"), [
    ("push", "shout", True), ("push", "wait", False), ("wait", "shout", False),
    ("wait", "wait", False)])
def test_09_a_rule_on_two_choices_fires_only_when_both_are_made(a: str, b: str,
                                                                fires: bool) -> None:
    """Rule 3: a rule on a combination of choices needs every part of it."""
    record = play(scenario(RULES), {"a": a, "b": b}).records[0]
    assert ("both" in record.rules) is fires


def test_10_rules_read_the_start_of_the_turn() -> None:
    """Rule 3: a rule's condition sees the state before this turn's effects."""
    game = play(scenario(RULES), {"a": "push", "b": "wait"})
    assert game.state.values["heat"] == 60
    assert "late" not in game.records[0].rules
    game.play({"a": "push", "b": "wait"})
    assert "late" in game.records[1].rules  # heat was 60 when turn 2 began


def test_11_rules_apply_in_file_order_after_actions() -> None:
    """Rules 2-3: the story lists the actions in role order, then rules in file order."""
    record = play(scenario(RULES), {"a": "push", "b": "shout"}).records[0]
    assert record.rules == ("both", "second")
    assert [(n.kind, n.source) for n in record.news] == [
        ("action", "push"), ("action", "shout"), ("rule", "both"), ("rule", "second")]
    assert record.changes == (Change("heat", 50, 65, False), Change("cold", 0, 8, False))


OUTCOMES = PUSH_AND_WAIT.replace(
    "      - {id: push, label: Push, effects: {heat: 10}}",
    """      - id: gamble
        label: Gamble
        outcomes:
          - {chance: 0.5, text: Won., effects: {heat: 20}}
          - {chance: 0.5, text: Lost., effects: {heat: -20}}
      - {id: push, label: Push, effects: {heat: 10}}""") + """
rules:
  - id: maybe
    when: "chose(b, shout)"
    outcomes:
      - {chance: 0.25, text: It works., effects: {cold: 10}}
"""


def test_12_exactly_one_of_exclusive_outcomes_happens() -> None:
    """Rule 2: one draw picks at most one outcome; here the chances add up to 1."""
    seen = set()
    for seed in range(40):
        game = play(scenario(OUTCOMES), {"a": "gamble", "b": "wait"}, seed=seed)
        index = game.records[0].outcomes["a"]
        assert game.state.values["heat"] == (70 if index == 0 else 30)
        assert [n.text for n in game.records[0].news if n.kind == "outcome"] == [
            ["Won.", "Lost."][index]]
        seen.add(index)
    assert seen == {0, 1}


def test_13_a_rule_outcome_happens_with_its_chance() -> None:
    """Rule 3: a rule's outcome is drawn like an action's; 0.25 happens about a quarter of
    the time."""
    compiled = scenario(OUTCOMES)
    hits = sum(play(compiled, {"a": "wait", "b": "shout"}, seed=seed).state.values["cold"] == 10
               for seed in range(400))
    assert 60 <= hits <= 140


EVENTS = PUSH_AND_WAIT + """
events:
  - {id: scripted, title: Scripted, turn: 2, effects: {cold: 1}}
  - {id: hot_once, title: Hot once, when: "heat >= 60", effects: {cold: 10}}
  - {id: hot_again, title: Hot again, when: "heat >= 60", repeat: true, effects: {cold: 100}}
  - {id: alarm_raised, title: Alarm, when: "cold >= 100", effects: {alarm: true}}
  - {id: after_alarm, title: After the alarm, when: "alarm", effects: {heat: 1000}}
"""


def test_14_a_scripted_event_fires_on_its_turn_only() -> None:
    """Rule 5: an event with 'turn: N' fires on turn N."""
    game = play(scenario(EVENTS, turns=4), *[{"a": "wait", "b": "wait"}] * 4)
    assert [("scripted" in r.events) for r in game.records] == [False, True, False, False]


def test_15_a_triggered_event_sees_this_turns_effects() -> None:
    """Rule 5: 'when' is read after the actions and rules are applied."""
    game = play(scenario(EVENTS), {"a": "push", "b": "wait"})
    assert "hot_once" in game.records[0].events


def test_16_events_fire_once_unless_they_repeat() -> None:
    """Rule 5: an event fires once; 'repeat: true' lets it fire again on later turns."""
    game = play(scenario(EVENTS, turns=4), {"a": "push", "b": "wait"},
                *[{"a": "wait", "b": "wait"}] * 2)
    assert [("hot_once" in r.events) for r in game.records] == [True, False, False]
    assert [("hot_again" in r.events) for r in game.records] == [True, True, True]
    assert game.state.fired["hot_once"] == 1 and game.state.fired["hot_again"] == 3


def test_17_events_apply_one_after_another() -> None:
    """Rule 5: a later event sees an earlier one's effects in the same turn, and clamps."""
    record = play(scenario(EVENTS), {"a": "push", "b": "wait"}).records[0]
    assert record.events == ("hot_once", "hot_again", "alarm_raised", "after_alarm")
    assert record.changes == (Change("heat", 50, 100, True), Change("cold", 0, 100, True),
                              Change("alarm", False, True, False))


def test_18_an_event_fires_with_its_chance() -> None:
    """Rule 5: a due event draws against its chance, which may be an expression."""
    body = PUSH_AND_WAIT + """
events:
  - {id: coin, title: Coin, turn: 1, chance: 0.5, effects: {cold: 1}}
  - {id: scaled, title: Scaled, turn: 1, chance: "heat / 200", effects: {cold: 10}}
"""
    compiled = scenario(body)
    colds = [play(compiled, {"a": "wait", "b": "wait"}, seed=s).state.values["cold"]
             for s in range(400)]
    coin = sum(c % 10 == 1 for c in colds)
    scaled = sum(c >= 10 for c in colds)
    assert 160 <= coin <= 240  # about a half
    assert 60 <= scaled <= 140  # about a quarter (heat 50 / 200)


ENDINGS = PUSH_AND_WAIT + """
events:
  - {id: storm, title: Storm, turn: 1, when: "chose(b, shout)", effects: {cold: 60}}
endings:
  - id: hot
    title: Hot
    when: "heat >= 60"
    priority: 1
    text: Hot.
    roles: {a: {result: win, text: w}, b: {result: loss, text: l}}
  - id: very_hot
    title: Very hot
    when: "heat >= 70"
    priority: 5
    text: Very hot.
    roles: {a: {result: win, text: w}, b: {result: loss, text: l}}
  - id: also_hot
    title: Also hot
    when: "heat >= 60"
    priority: 1
    text: Also hot.
    roles: {a: {result: draw, text: d}, b: {result: draw, text: d}}
  - id: stormy
    title: Stormy
    when: "cold >= 60"
    text: Stormy.
    roles: {a: {result: draw, text: d}, b: {result: draw, text: d}}
  - id: time_up
    title: Time is up
    at_last_turn: true
    text: Over.
    roles: {a: {result: draw, text: d}, b: {result: draw, text: d}}
  - id: late_and_hot
    title: Late and hot
    at_last_turn: true
    when: "heat >= 55"
    priority: 3
    text: Late and hot.
    roles: {a: {result: win, text: w}, b: {result: loss, text: l}}
"""


def test_19_the_highest_priority_ending_wins() -> None:
    """Rule 6: of the endings that hold, the highest priority ends the game."""
    game = play(scenario(ENDINGS), {"a": "push", "b": "wait"})  # heat 60: hot, also_hot
    assert game.state.ending == "hot"  # equal priorities: the first in the file
    assert game.records[0].ending == "hot"
    warm = ENDINGS.replace("{id: heat, label: Heat, start: 50}",
                           "{id: heat, label: Heat, start: 60}")
    game = play(scenario(warm), {"a": "push", "b": "wait"})  # heat 70: all three hold
    assert game.state.ending == "very_hot"  # priority 5 over 1


def test_20_endings_are_checked_after_events() -> None:
    """Rule 6: an event on this turn can bring an ending about."""
    game = play(scenario(ENDINGS), {"a": "wait", "b": "shout"})
    assert game.records[0].events == ("storm",)
    assert game.state.ending == "stormy" and game.over


def test_21_at_last_turn_endings_wait_for_the_last_turn() -> None:
    """Rule 6: 'at_last_turn' endings are only considered after the last turn."""
    compiled = scenario(ENDINGS, turns=3)
    game = play(compiled, {"a": "wait", "b": "wait"}, {"a": "wait", "b": "shout"})
    assert game.state.values["heat"] == 55
    assert not game.over  # late_and_hot holds, but it is not the last turn yet
    game.play({"a": "wait", "b": "wait"})
    assert game.state.ending == "late_and_hot"  # priority 3 beats the fallback


def test_22_every_game_ends_by_the_last_turn() -> None:
    """Rule 6: the fallback ending applies on the last turn, so the game always ends."""
    game = play(scenario(ENDINGS, turns=3), *[{"a": "wait", "b": "pull"}] * 3)
    assert game.state.ending == "time_up" and len(game.records) == 3
    with pytest.raises(GameOverError):
        game.play({"a": "wait", "b": "wait"})
    assert len(game.records) == 3


LIMITS = HEAT + """
roles:
  - id: a
    name: A
    briefing: b
    score: heat
    actions:
      - {id: wait, label: Wait}
      - {id: once, label: Once, once: true}
      - {id: cool, label: Cool down, cooldown: 2}
      - id: hot_only
        label: Only when hot
        available: "heat >= 60"
        unavailable_text: Not hot enough.
      - {id: push, label: Push, effects: {heat: 10}}
      - id: after_push
        label: After a push
        available: "previous(a, push) and times(a, push) < 2"
  - id: b
    name: B
    briefing: b
    score: cold
    actions:
      - {id: wait, label: Wait}
rules:
  - {id: second_push, when: "times(a, push) >= 2", effects: {cold: 1}}
"""
WAIT = {"b": "wait"}


def statuses(game, role: str = "a") -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {s.action.id: ("" if s.available else s.reason) for s in game.statuses(role)}


def test_23_once_per_game() -> None:
    """Rule 1: a 'once' action cannot be chosen again."""
    game = play(scenario(LIMITS), {"a": "once", **WAIT})
    assert "once" not in game.legal("a")
    assert statuses(game)["once"] == "already used (once per game)"
    with pytest.raises(IllegalDecisionError, match="action 'once' is not available to 'a' on "
                                                   "turn 2"):
        game.play({"a": "once", **WAIT})


def test_24_cooldown() -> None:
    """Rule 1: after a 'cooldown: 2' action, two turns pass before it can be chosen again."""
    game = play(scenario(LIMITS, turns=5), {"a": "cool", **WAIT})
    assert statuses(game)["cool"] == "available again in 2 turns"
    game.play({"a": "wait", **WAIT})
    assert statuses(game)["cool"] == "available again in 1 turn"
    assert "cool" not in game.legal("a")
    game.play({"a": "wait", **WAIT})
    assert "cool" in game.legal("a") and statuses(game)["cool"] == ""
    game.play({"a": "cool", **WAIT})


def test_25_available_conditions() -> None:
    """Rule 1: an action is available only while its condition holds, and says why not."""
    game = play(scenario(LIMITS))
    assert "hot_only" not in game.legal("a")
    assert statuses(game)["hot_only"] == "Not hot enough. Needs Heat at least 60 (now 50)."
    assert statuses(game)["after_push"] == "needs A to have chosen 'Push' last turn"
    game.play({"a": "push", **WAIT})
    assert {"hot_only", "after_push"} <= set(game.legal("a"))


def test_26_previous_and_times() -> None:
    """previous() is last turn's choice; times() counts choices, this turn's included."""
    game = play(scenario(LIMITS, turns=5), {"a": "push", **WAIT})
    assert "after_push" in game.legal("a")
    game.play({"a": "push", **WAIT})
    assert game.records[-1].rules == ("second_push",)  # times(a, push) is 2 during turn 2
    assert "after_push" not in game.legal("a")  # times() is 2 now
    game.play({"a": "wait", **WAIT})
    assert game.state.counts == {"a.push": 2, "b.wait": 3, "a.wait": 1}
    assert game.state.previous == {"a": "wait", "b": "wait"}


@pytest.mark.parametrize(("decisions", "message"), [
    ({"a": "wait"}, "no decision for role 'b'"),
    ({"a": "wait", "b": "wait", "c": "wait"}, "unknown role 'c'"),
    ({"a": "fly", "b": "wait"}, "role 'a' has no action 'fly'"),
    ({"a": "hot_only", "b": "wait"}, "action 'hot_only' is not available to 'a' on turn 1"),
])
def test_27_illegal_decisions_are_refused_and_change_nothing(decisions: dict[str, str],
                                                             message: str) -> None:
    """Rule 1: an illegal decision raises IllegalDecisionError and changes nothing (not
    even the generator of the sequential draws; keyed draws have no state to change)."""
    game = Game(scenario(LIMITS), 0, scheme=SEQUENTIAL)
    assert isinstance(game.draws, SequentialDraws)
    before = game.state
    state_of_rng = game.draws.rng.getstate()
    with pytest.raises(IllegalDecisionError) as info:
        game.play(decisions)
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)
    assert game.state is before and game.records == [] and game.draws.rng.getstate() == state_of_rng


def test_28_turn_and_last_turn() -> None:
    """Expressions read 'turn' (the turn being played) and 'last_turn'."""
    body = PUSH_AND_WAIT + """
events:
  - {id: late, title: Late, when: "turn == last_turn - 1", effects: {cold: 5}}
"""
    game = play(scenario(body, turns=4), *[{"a": "wait", "b": "wait"}] * 4)
    assert [r.events for r in game.records] == [(), (), ("late",), ()]


def test_29_division_by_zero_gives_zero() -> None:
    """Dividing by zero in an amount gives 0 rather than stopping the game."""
    body = PUSH_AND_WAIT.replace("effects: {cold: \"= heat\"}", "effects: {cold: \"heat / cold\"}")
    game = play(scenario(body), {"a": "wait", "b": "copy"})
    assert game.state.values["cold"] == 0


def test_30_resolving_a_turn_leaves_the_old_state_alone() -> None:
    """States are values: playing a turn returns a new one and leaves the old one as it was."""
    game = play(scenario(RULES))
    first = game.state
    values, counts = dict(first.values), dict(first.counts)
    game.play({"a": "push", "b": "shout"})
    assert game.states[0] is first and first.values == values and first.counts == counts
    assert first.turn == 1 and game.state.turn == 2
    with pytest.raises(AttributeError):
        first.turn = 5  # type: ignore[misc]


def test_31_the_record_explains_every_change() -> None:
    """Every change is the sum of the record's contributions (rules 4 and 5)."""
    for body in (RULES, EVENTS, OUTCOMES, ENDINGS, LIMITS):
        compiled = scenario(body, turns=4)
        for seed in range(10):
            game = play(compiled, seed=seed)
            while not game.over:
                game.play({r: game.legal(r)[(seed + game.turn) % len(game.legal(r))]
                           for r in compiled.role_ids})
            check_turns(compiled, game.states, game.records)


def test_32_contributions_name_who_did_what() -> None:
    """A contribution says which action, rule or event moved an indicator, and whose."""
    record = play(scenario(RULES), {"a": "push", "b": "shout"}).records[0]
    assert [(c.kind, c.source, c.role, c.target, c.amount) for c in record.contributions] == [
        ("action", "push", "a", "heat", 10), ("action", "shout", "b", "heat", 5),
        ("rule", "both", None, "cold", 7), ("rule", "second", None, "cold", 1)]


FLAG_AMOUNTS = HEAT + """
roles:
  - id: a
    name: A
    briefing: b
    score: "heat - 10 * alarm"
    actions:
      - {id: wait, label: Wait}
      - {id: ring, label: Ring, effects: {alarm: true}}
      - {id: push, label: Push, effects: {heat: "10 - 5 * alarm"}}
  - id: b
    name: B
    briefing: b
    score: cold
    actions:
      - {id: wait, label: Wait}
rules:
  - {id: chill, when: "cold + 3 * alarm >= 3", effects: {cold: "1 + alarm"}}
"""


def test_33_a_yes_no_fact_counts_as_1_or_0_in_arithmetic() -> None:
    """In an amount or a comparison, a flag that is true is 1 and one that is false is 0."""
    compiled = scenario(FLAG_AMOUNTS, turns=4)
    game = play(compiled, {"a": "push", **WAIT})
    assert game.state.values["heat"] == 60 and game.state.values["cold"] == 0  # alarm is 0
    game.play({"a": "ring", **WAIT})
    assert game.state.values["alarm"] is True
    game.play({"a": "push", **WAIT})  # alarm is 1 now: +5, and the rule adds 1 + 1
    assert game.state.values["heat"] == 65 and game.state.values["cold"] == 2
    assert [type(c.amount) for c in game.records[-1].contributions] == [int, int]
    score = compiled.role("a").score(game.state.env(compiled.last_turn))
    assert score == 55 and not isinstance(score, bool)


WHY_NOT = """
indicators:
  - {id: heat, label: Heat, start: 50}
  - {id: secret, label: Secret, start: 5, visible_to: [b]}
flags:
  - {id: alarm, label: Alarm}
  - {id: curfew, label: Curfew, start: true}
roles:
  - id: a
    name: A
    briefing: b
    score: heat
    actions:
      - {id: wait, label: Wait}
      - {id: both, label: Both, available: "heat < 30 and alarm"}
      - {id: calm, label: Calm, available: "not curfew and heat >= 10"}
      - {id: band, label: Band, available: "60 <= heat < 80"}
      - {id: hidden, label: Hidden, available: "secret > 10 and heat > 90"}
      - {id: either, label: Either, available: "alarm or heat > 70"}
      - {id: sum, label: Sum, available: "heat + 10 * alarm >= 70"}
      - {id: after, label: After, available: "not previous(a, wait)"}
      - {id: often, label: Often, available: "times(a, wait) >= 2",
         unavailable_text: Not yet}
  - id: b
    name: B
    briefing: b
    score: heat
    actions:
      - {id: wait, label: Wait}
      - {id: peek, label: Peek, available: "secret > 10"}
"""


def test_34_an_unavailable_action_names_the_parts_that_failed() -> None:
    """Rule 1: the reason names each failing part of 'available', with the value now."""
    game = play(scenario(WHY_NOT, turns=4))
    why = {s.action.id: s.why for s in game.statuses("a") if not s.available}
    assert why == {
        "both": "needs Heat below 30 (now 50), and Alarm",
        "calm": "needs no Curfew",  # 'heat >= 10' holds: not named
        "band": "needs Heat at least 60 (now 50)",
        "hidden": "needs a condition you cannot see, and Heat above 90 (now 50)",
        "either": "needs either Alarm or Heat above 70 (now 50)",
        "sum": "needs heat + 10 * alarm at least 70 (now 50)",
        "often": "needs the number of turns A chose 'Wait' at least 2 (now 0)",
    }
    assert statuses(game)["often"] == "Not yet. Needs the number of turns A chose 'Wait' at " \
        "least 2 (now 0)."
    # 'b' sees 'secret': its value is named there
    assert statuses(game, "b")["peek"] == "needs Secret above 10 (now 5)"
    game.play({"a": "wait", "b": "wait"})
    assert statuses(game)["after"] == "needs A not to have chosen 'Wait' last turn"
    assert statuses(game)["often"].endswith("(now 1).")


def test_35_the_guides_unavailable_example_reads_as_the_guide_says() -> None:
    """docs/authoring.md, "Why an action is unavailable": the reasons it quotes are true."""
    body = """
indicators:
  - {id: blockade, label: Blockade, start: 42}
  - {id: water_hours, label: Water hours, start: 4}
flags:
  - {id: tankers_sent, label: Water tankers sent, start: true}
roles:
  - id: governor
    name: Governor
    briefing: b
    score: blockade
    actions:
      - {id: wait, label: Wait}
      - {id: talk, label: Talk, available: "blockade < 30 and not tankers_sent"}
      - id: ration_water
        label: Ration the water fairly
        available: "water_hours < 10 and not tankers_sent"
        unavailable_text: Rationing makes no sense while tankers supply the town.
"""
    reasons = statuses(play(scenario(body)), "governor")
    assert reasons["talk"] == "needs Blockade below 30 (now 42), and no Water tankers sent"
    assert reasons["ration_water"] == ("Rationing makes no sense while tankers supply the "
                                       "town. Needs no Water tankers sent.")
