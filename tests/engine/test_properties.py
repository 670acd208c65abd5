"""Property: any sequence of legal decisions keeps the game sound and ends it in time.

Hypothesis picks the seed and, every turn, one of each role's legal actions.
Whatever it picks, every indicator stays in its range, every flag stays a
flag, the record explains every change, and the game ends by the last turn
(with an `at_last_turn` ending only on the last turn).

Hypothesis also builds scenarios whose arithmetic overflows and whose calendars
end near 31 December 9999: each is refused for its calendar, or plays with every
value finite and in range and every turn printable.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kazsim.engine import Game
from kazsim.scenario import CompiledScenario, validate_file
from kazsim.scenario.calendar import turn_moment
from kazsim.scenario.load import load_text
from kazsim.scenario.model import Calendar
from kazsim.story import ending_story, turn_date, turn_story

from .support import check_turns

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted(
    (ROOT / "scenarios" / "variants").glob("*.yaml")) + [ROOT / "tests" / "engine" / "in_time.yaml"]
_LOADED: dict[Path, CompiledScenario] = {}


def scenario_at(path: Path) -> CompiledScenario:
    if path not in _LOADED:
        compiled, problems = validate_file(path)
        if compiled is None:
            first = next(str(p) for p in problems if p.severity == "error")
            pytest.skip(f"{path.name} does not validate yet ({first})")
        _LOADED[path] = compiled
    return _LOADED[path]


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_any_legal_play_stays_in_range_and_ends_in_time(path: Path) -> None:
    compiled = scenario_at(path)

    @settings(max_examples=150, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(seed=st.integers(0, 2**32 - 1), data=st.data())
    def play(seed: int, data: st.DataObject) -> None:
        game = Game(compiled, seed)
        while not game.over:
            assert game.turn <= compiled.last_turn, "the game went past its last turn"
            decisions = {}
            for role in compiled.role_ids:
                legal = game.legal(role)
                assert legal, f"{role} has nothing it may do on turn {game.turn}"
                assert legal == [s.action.id for s in game.statuses(role) if s.available]
                decisions[role] = data.draw(st.sampled_from(legal), label=role)
            game.play(decisions)
        check_turns(compiled, game.states, game.records)
        assert len(game.records) <= compiled.last_turn
        ending = compiled.ending(game.state.ending or "")
        if ending.at_last_turn:
            assert len(game.records) == compiled.last_turn
        assert [r.ending for r in game.records[:-1]] == [None] * (len(game.records) - 1)
        assert {o.role for o in game.outcomes()} == set(compiled.role_ids)

    play()


# --- scenarios built to break the arithmetic and the calendar -------------------------------
#
# Each is valid (or refused only for its calendar), and its expressions multiply
# indicators near +-1e12 into numbers no float holds: whole numbers of hundreds
# of digits (where '/' and round() used to fail), infinities, and inf - inf = nan
# (which clamping never caught, until printing the turn failed). Every value must
# stay finite and in its range, and every turn must print.

_THIRTEEN = "(" + " * ".join(["a"] * 13) + ")"  # 1e156 when a is 1e12: two overflow
_HUGE = "(" + " * ".join(["b"] * 26) + ")"  # 1e312 when b is 1e12: past every float
_LEAVES = ["a", "b", "c", "turn", "(a * 1000000000000)", "(b / 0.000000000001)", _THIRTEEN,
           "(c - a)", "times(r, push)", _HUGE, f"({_HUGE} - {_HUGE})", f"({_HUGE} / 3)",
           f"round({_HUGE})", f"({_HUGE} * 0.5)"]
ARITHMETIC = st.recursive(
    st.sampled_from(_LEAVES),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["round", "abs", "-"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"clamp({t[0]}, {t[1]}, {t[2]})"),
    ),
    max_leaves=6,
)
# (min, max) pairs: whole numbers at the limit, floats at the limit, a narrow float range.
RANGES = st.sampled_from([(-10**12, 10**12), (-1e12, 1e12), (0, 10**12), (0.25, 0.5), (0, 100)])
STARTS = st.sampled_from(["min", "max", "mid"])
CALENDARS = st.tuples(
    st.one_of(st.dates(dt.date(9999, 1, 1), dt.date(9999, 12, 31)),
              st.dates(dt.date(1, 1, 1), dt.date(1, 1, 31)), st.just(dt.date(2022, 1, 2))),
    st.sampled_from(["hour", "half_day", "day", "week", "fortnight", "month"]),
    st.integers(1, 8),
)


def _indicator(name: str, bounds: tuple[float, float], start: str) -> str:
    lo, hi = bounds
    value = {"min": lo, "max": hi, "mid": (lo + hi) / 2}[start]
    return (f"  - {{id: {name}, label: {name.upper()}, min: {lo!r}, max: {hi!r}, "
            f"start: {value!r}}}\n")


@st.composite
def extreme_scenarios(draw: st.DrawFn) -> tuple[str, dt.date, str, int]:
    start, length, turns = draw(CALENDARS)
    e = [draw(ARITHMETIC) for _ in range(8)]
    text = (
        "id: extreme\ntitle: Extreme\nversion: '1'\nsummary: Built to overflow.\n"
        "author: kazsim tests\nsources: [{id: src, title: Source, publisher: Publisher}]\n"
        f"calendar: {{start: {start.isoformat()}, turn_length: {length}, turns: {turns}}}\n"
        "indicators:\n"
        + "".join(_indicator(n, draw(RANGES), draw(STARTS)) for n in "abc")
        + "roles:\n  - id: r\n    name: R\n    briefing: Push.\n"
        f"    score: '{e[0]}'\n"
        "    actions:\n      - id: wait\n        label: Wait\n"
        f"        ai: {{weight: '{e[1]}'}}\n"
        "      - id: push\n        label: Push\n"
        f"        effects: {{a: '{e[2]}', b: '= {e[3]}'}}\n"
        f"        outcomes: [{{chance: '{e[4]}', text: Lucky, effects: {{c: '{e[5]}'}}}}]\n"
        "rules:\n  - id: swing\n    when: chose(r, push)\n    text: It swings.\n"
        f"    effects: {{a: '{e[6]}', c: '= {e[6]}'}}\n"
        "events:\n  - id: storm\n    title: Storm\n    when: a > b or a <= b\n"
        f"    repeat: true\n    text: A storm.\n    effects: {{b: '{e[7]}', a: '{e[7]}'}}\n"
        "endings:\n  - id: end\n    title: The end\n    at_last_turn: true\n    text: Over.\n"
        "    roles: {r: {result: draw, text: Done.}}\n"
    )
    return text, start, length, turns


@settings(max_examples=120, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(case=extreme_scenarios(), seed=st.integers(0, 2**32 - 1), data=st.data())
def test_extreme_arithmetic_and_calendars_stay_finite_and_print(
        case: tuple[str, dt.date, str, int], seed: int, data: st.DataObject) -> None:
    text, start, length, turns = case
    compiled, problems = load_text(text, "extreme.yaml")
    calendar = Calendar(start=start, turn_length=length, turns=turns)  # type: ignore[arg-type]
    runs_out = turn_moment(calendar, turns + 1) is None
    if runs_out:  # refused for its calendar, and for nothing else
        assert compiled is None
        assert [p.message.split(",")[1] for p in problems] == [
            " the game runs past 31 December 9999"]
        return
    assert compiled is not None, [str(p) for p in problems]
    game = Game(compiled, seed)
    while not game.over:
        use_ai = data.draw(st.booleans(), label="ai")
        if use_ai:
            game.play_ai_turn({"r": data.draw(st.sampled_from(["easy", "hard"]), label="level")})
        else:
            game.play({"r": data.draw(st.sampled_from(game.legal("r")), label="r")})
        record, state = game.records[-1], game.state
        for key, value in state.values.items():
            lo, hi = compiled.bounds[key]
            assert math.isfinite(value) and lo <= value <= hi, (record.turn, key, value)
        for contribution in record.contributions:
            assert math.isfinite(contribution.amount), contribution
        assert turn_story(compiled, record, why=True)
        assert turn_date(compiled, state.turn) != "after 31 December 9999"
    check_turns(compiled, game.states, game.records)
    scores = {o.role: o.score for o in game.outcomes()}
    assert all(math.isfinite(s) for s in scores.values())
    assert ending_story(compiled, game.ending_text, len(game.records), scores)
