"""Conditions ruled out by the indicators' ranges: found when they are, never wrongly."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kazsim.scenario.expr import ExprError, Names, compile_expr
from kazsim.scenario.ranges import never_true

RANGES = {"anger": (0.0, 100.0), "swing": (-5.0, 5.0)}
LAST_TURN = 6
NAMES = Names(numbers=frozenset(RANGES), flags=frozenset({"curfew", "strike"}),
              actions={"crowd": frozenset({"march"})})


@pytest.mark.parametrize(("condition", "why"), [
    ("anger > 100", "'anger > 100' is never true: 'anger' stays between 0 and 100"),
    ("anger < 0", "'anger < 0' is never true: 'anger' stays between 0 and 100"),
    ("turn > 6", "'turn > 6' is never true: 'turn' stays between 1 and 6"),
    ("anger >= 50 and turn == 7", "'turn == 7' is never true: 'turn' stays between 1 and 6"),
    ("anger + swing > 105", "'anger + swing > 105' is never true: 'anger' stays between 0 "
     "and 100; 'swing' stays between -5 and 5"),
    ("min(anger, 40) > 40", "'min(anger, 40) > 40' is never true: 'anger' stays between 0 "
     "and 100"),
    ("abs(swing) > 5", "'abs(swing) > 5' is never true: 'swing' stays between -5 and 5"),
    ("anger / 2 > 50", "'anger / 2 > 50' is never true: 'anger' stays between 0 and 100"),
    ("curfew and anger > 100", "'anger > 100' is never true: 'anger' stays between 0 and "
     "100"),
    ("(anger > 100 or swing > 5) and curfew", "'anger > 100' is never true: 'anger' stays "
     "between 0 and 100"),
    ("0 < anger < 0", "'0 < anger < 0' is never true: 'anger' stays between 0 and 100"),
    # parts of an 'and' that cannot both be true, each possible alone
    ("anger <= 10 and anger >= 90", "'anger <= 10' and 'anger >= 90' cannot both be true"),
    ("turn >= 6 and turn < 4", "'turn >= 6' and 'turn < 4' cannot both be true"),
    ("curfew and not curfew", "'curfew' and 'not curfew' cannot both be true"),
    ("anger < 50 and 50 < anger", "'anger < 50' and '50 < anger' cannot both be true"),
    ("anger > 50 and curfew and (turn > 1 and anger == 50)",
     "'anger > 50' and 'anger == 50' cannot both be true"),
    ("anger >= swing + 20 and anger < 15", "'anger >= swing + 20' and 'anger < 15' cannot "
     "both be true"),
    ("chose(crowd, march) and anger > 1 and not chose(crowd, march)",
     "'chose(crowd, march)' and 'not chose(crowd, march)' cannot both be true"),
    ("(anger < 3 and anger > 4) or (curfew and not curfew)",
     "'anger < 3' and 'anger > 4' cannot both be true"),
    ("(curfew and not curfew) or turn > 6", "'curfew' and 'not curfew' cannot both be true"),
])
def test_a_comparison_beyond_the_ranges_is_named(condition: str, why: str) -> None:
    found = never_true(condition, RANGES, LAST_TURN)
    assert found is not None and found.explain() == why


@pytest.mark.parametrize("condition", [
    "anger >= 100", "anger <= 0", "turn == 6", "anger > 100 or curfew",
    "chose(crowd, march) and anger > 99", "times(crowd, march) > 1000",
    "anger / swing > 1000",  # swing can be 0 (x / 0 is 0) or tiny: anything goes
    "not (anger > 100) and anger > 0", "clamp(anger, 60, 50) > 55", "round(swing) == 5",
    "anger * swing < -499",
    "anger <= 50 and anger >= 50", "anger < 50 and anger != 49", "curfew and not strike",
    "(anger < 10 or anger > 90) and anger > 50", "not (curfew and not curfew)",
    "anger > swing and anger < 1", "(anger > 100 or anger < 50) or (turn < 2 and turn > 1)",
    "last_turn < 3",  # a lesson may stop early (kazsim play --turns 2): last_turn is 2
])
def test_what_some_game_could_make_true_is_left_alone(condition: str) -> None:
    assert never_true(condition, RANGES, LAST_TURN) is None


FLAGS = NAMES.flags


@pytest.mark.parametrize(("condition", "why"), [
    ("anger - 10 * curfew < -10", "'anger - 10 * curfew < -10' is never true: 'anger' stays "
     "between 0 and 100"),
    ("curfew + strike > 2", "'curfew + strike > 2' is never true: its numbers never change"),
    ("anger + (swing > 0) > 101", "'anger + (swing > 0) > 101' is never true: 'anger' stays "
     "between 0 and 100; 'swing' stays between -5 and 5"),
    ("anger * (1 - curfew) > 100", "'anger * (1 - curfew) > 100' is never true: 'anger' "
     "stays between 0 and 100"),
])
def test_a_flag_in_arithmetic_is_0_or_1(condition: str, why: str) -> None:
    compile_expr(condition, NAMES, "bool")  # a condition the language accepts
    found = never_true(condition, RANGES, LAST_TURN, FLAGS)
    assert found is not None and found.explain() == why


@pytest.mark.parametrize("condition", [
    "anger - 10 * curfew < 0", "curfew + strike == 2", "curfew + strike >= 1",
    "anger + (swing > 0) > 100", "10 * chose(crowd, march) > 5", "true + curfew == 2",
])
def test_a_flag_in_arithmetic_can_make_it_true(condition: str) -> None:
    compile_expr(condition, NAMES, "bool")
    assert never_true(condition, RANGES, LAST_TURN, FLAGS) is None


def _corners() -> list[dict[str, float]]:
    values = {name: [lo, hi, (lo + hi) / 2, lo + (hi - lo) / 3] for name, (lo, hi) in
              RANGES.items()}
    # the constants SIMPLE compares with, and the values on either side of them
    values["anger"] += [0.5, 1, 3, 3.5, 4, 4.5, 5, 10, 50, 89.5, 90]
    values["swing"] += [-4.5, 0, 0.5, 1, 3, 4, 4.5]
    values["turn"] = [1.0, 2.0, 3.0, 4.0, 5.0, float(LAST_TURN)]
    names = list(values)
    return [dict(zip(names, combo, strict=True)) for combo in
            itertools.product(*(values[n] for n in names))]


NUMBER = st.deferred(lambda: st.one_of(
    st.sampled_from(["anger", "swing", "turn", "last_turn", "0", "1", "2", "5", "50", "100",
                     "-3", "0.5", "curfew", "(1 - strike)", "(anger > 50)"]),
    st.tuples(NUMBER, st.sampled_from(["+", "-", "*", "/"]), NUMBER).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"),
    st.tuples(st.sampled_from(["min", "max"]), NUMBER, NUMBER).map(
        lambda t: f"{t[0]}({t[1]}, {t[2]})"),
    st.tuples(NUMBER, NUMBER, NUMBER).map(lambda t: f"clamp({t[0]}, {t[1]}, {t[2]})"),
    st.tuples(st.sampled_from(["abs", "round", "-"]), NUMBER).map(
        lambda t: f"{t[0]}({t[1]})"),
))
OPERATOR = st.sampled_from(["<", "<=", ">", ">=", "==", "!="])
# Comparisons of one number with a constant or another number: the parts that an 'and'
# narrows together, so that conjunctions close to impossible are common.
SIMPLE = st.tuples(st.sampled_from(["anger", "swing", "turn"]), OPERATOR,
                   st.sampled_from(["0", "1", "3", "4", "5", "-5", "10", "50", "90", "100",
                                    "swing", "anger", "(swing + 5)"])).map(" ".join)
FLAG = st.sampled_from(["curfew", "strike", "not curfew", "not strike"])
CONDITION = st.deferred(lambda: st.one_of(
    st.tuples(NUMBER, OPERATOR, NUMBER).map(" ".join),
    SIMPLE, FLAG,
    st.lists(st.one_of(SIMPLE, FLAG, CONDITION), min_size=2, max_size=4).map(
        lambda parts: "(" + " and ".join(parts) + ")"),
    st.tuples(CONDITION, st.sampled_from(["and", "or"]), CONDITION).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"),
    CONDITION.map(lambda c: f"not {c}"),
))


@pytest.mark.slow
@settings(max_examples=600, deadline=None)
@given(CONDITION, st.integers(0, 2**32))
def test_never_true_is_never_wrong(condition: str, seed: int) -> None:
    """Whenever a condition is called impossible, no value in the ranges makes it true."""
    try:
        compiled = compile_expr(condition, NAMES, "bool")
    except ExprError:
        return  # too large a number, and the like: the loader refuses it anyway
    if never_true(condition, RANGES, LAST_TURN, FLAGS) is None:
        return
    rng = random.Random(seed)
    envs = _corners() + [
        {"anger": rng.uniform(0, 100), "swing": rng.uniform(-5, 5),
         "turn": float(rng.randint(1, LAST_TURN))} for _ in range(50)]
    for env in envs:
        # a lesson may stop after any turn (kazsim play --turns N): last_turn is then N
        lesson = float(rng.randint(1, LAST_TURN))
        for curfew, strike, last in itertools.product((False, True), (False, True),
                                                      (float(LAST_TURN), lesson)):
            full = {**env, "last_turn": last, "curfew": curfew, "strike": strike}
            try:
                result = compiled(full)
            except (OverflowError, ZeroDivisionError):
                continue
            assert result is False or (isinstance(result, float) and math.isnan(result)), (
                f"{condition} was called impossible but is true at {full}")
