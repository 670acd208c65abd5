"""Generated scenarios (hypothesis): the batch engine's games are the reference's.

Each scenario mixes the constructs at random: indicators with whole and fractional
ranges, a flag, two roles whose actions add, set, draw between bounds, delay and
spread, once and with cooldowns, conditions of availability, chance outcomes,
rules on the choices with outcomes, drift, events (on a turn, on a condition,
repeating, with outcomes), endings by priority, and texts written as
alternatives. And the engine tests' scenarios built to overflow the arithmetic:
each one the batch engine either plays to the same games or refuses, saying why.
"""

from __future__ import annotations

from engine.test_properties import extreme_scenarios
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kazsim.batch import prepare
from kazsim.scenario.load import load_text

from .support import assert_same_games

NAMES = ["a", "b", "c"]
LEAF = st.one_of(st.sampled_from(NAMES + ["turn", "times(r, push)", "times(s, hold)"]),
                 st.integers(-20, 20).map(str),
                 st.sampled_from(["0.5", "1.5", "2.25", "-0.75", "3"]))
NUMBER = st.recursive(
    LEAF,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["round", "abs", "-"]), inner).map(
            lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"clamp({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(st.sampled_from(["f", "not f"]), inner).map(lambda t: f"({t[1]} * {t[0]})"
                                                              .replace("* not f", "* (not f)")),
    ),
    max_leaves=4,
)
COMPARE = st.tuples(NUMBER, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), NUMBER).map(
    lambda t: f"{t[0]} {t[1]} {t[2]}")
CONDITION = st.recursive(
    st.one_of(COMPARE, st.sampled_from(["f", "not f", "chose(r, push)", "chose(s, hold)",
                                        "previous(r, wait)", "previous(s, strike)"])),
    lambda inner: st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"),
    max_leaves=3,
)
CHANCE = st.one_of(st.sampled_from(["0.3", "0.5", "1", "0", "1.2"]),
                   NUMBER.map(lambda e: f"{e} / 40"))
NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)  # a failure is shown as found
RANGES = st.sampled_from([(0, 100), (-50, 50), (0.0, 1.0), (0, 10), (-1000, 1000)])


def q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@st.composite
def effect_map(draw: st.DrawFn, turns: int) -> str:
    out = []
    for name in draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=3)):
        form = draw(st.sampled_from(["add", "set", "between", "later", "spread"]))
        if form == "add":
            out.append(f"{name}: {q(draw(NUMBER))}")
        elif form == "set":
            out.append(f"{name}: {q('= ' + draw(NUMBER))}")
        elif form == "between":
            out.append(f"{name}: {{add: [{q(draw(NUMBER))}, {q(draw(NUMBER))}]}}")
        elif form == "later":
            amount = draw(st.one_of(NUMBER.map(q), st.just(f"[{q(draw(NUMBER))}, 7]")))
            out.append(f"{name}: {{add: {amount}, after: {draw(st.integers(1, turns - 1))}}}")
        else:
            amount = draw(st.one_of(NUMBER.map(q), st.sampled_from(["10", "7.5", "-11"])))
            out.append(f"{name}: {{add: {amount}, over: {draw(st.integers(2, 4))}}}")
    if draw(st.booleans()):
        out.append(f"f: {draw(st.sampled_from(['true', 'false']))}")
    return "{" + ", ".join(out) + "}"


@st.composite
def told(draw: st.DrawFn, word: str) -> str:
    if not draw(st.booleans()):
        return q(word)
    return (f"[{{when: {q(draw(CONDITION))}, text: {word} one}}, "
            f"{{text: {word} two}}]")


@st.composite
def action(draw: st.DrawFn, name: str, turns: int, free: bool = False) -> str:
    """One action (`free`: always available, as every role needs one)."""
    lines = [f"      - id: {name}", f"        label: {name.title()}",
             f"        text: {draw(told(name))}",
             f"        effects: {draw(effect_map(turns))}",
             f"        ai: {{weight: {q(draw(st.one_of(NUMBER, st.sampled_from(['1', '0']))))}}}"]
    if not free and draw(st.booleans()):
        lines.append(f"        available: {q(draw(CONDITION.filter(lambda c: 'chose' not in c)))}")
    if free:
        pass
    elif draw(st.integers(0, 4)) == 0:
        lines.append("        once: true")
    elif draw(st.integers(0, 3)) == 0:
        lines.append(f"        cooldown: {draw(st.integers(1, 2))}")
    if draw(st.booleans()):
        lines.append("        outcomes:")
        for j in range(draw(st.integers(1, 2))):
            lines.append(f"          - {{chance: {q(draw(CHANCE))}, text: {name} luck {j}, "
                         f"effects: {draw(effect_map(turns))}}}")
    return "\n".join(lines)


@st.composite
def scenarios(draw: st.DrawFn) -> str:
    turns = draw(st.integers(2, 7))
    indicators = []
    for name in NAMES:
        lo, hi = draw(RANGES)
        start = draw(st.sampled_from([lo, hi, (lo + hi) / 2 if isinstance(lo, float)
                                      else (lo + hi) // 2]))
        indicators.append(f"  - {{id: {name}, label: {name.upper()}, min: {lo!r}, "
                          f"max: {hi!r}, start: {start!r}}}")
    roles = []
    for role, acts, other in (("r", ["wait", "push", "talk"], "s"),
                              ("s", ["hold", "strike", "yield"], "r")):
        del other
        greed = draw(st.sampled_from([0, 0.5, 1, 2]))
        randomness = draw(st.sampled_from([0, 0.3, 1]))
        roles.append("\n".join([
            f"  - id: {role}", f"    name: {role.upper()}", "    briefing: Play.",
            f"    score: {q(draw(NUMBER))}",
            f"    ai: {{greed: {greed}, randomness: {randomness}}}",
            "    actions:", *[draw(action(a, turns, free=j == 0))
                                for j, a in enumerate(acts)]]))
    rules = []
    for j in range(draw(st.integers(0, 3))):
        rule = [f"  - id: rule{j}", f"    when: {q(draw(CONDITION))}",
                f"    text: {draw(told('rule'))}", f"    effects: {draw(effect_map(turns))}"]
        if draw(st.booleans()):
            rule.append(f"    outcomes: [{{chance: {q(draw(CHANCE))}, text: rule luck, "
                        f"effects: {draw(effect_map(turns))}}}]")
        rules.append("\n".join(rule))
    events = []
    for j in range(draw(st.integers(0, 3))):
        event = [f"  - id: event{j}", f"    title: Event {j}", f"    text: {draw(told('event'))}",
                 f"    chance: {q(draw(CHANCE))}", f"    effects: {draw(effect_map(turns))}"]
        if draw(st.booleans()):
            event.append(f"    turn: {draw(st.integers(1, turns))}")
        else:
            event.append(f"    when: {q(draw(CONDITION.filter(lambda c: 'chose' not in c)))}")
        if draw(st.booleans()):
            event.append("    repeat: true")
        if draw(st.booleans()):
            event.append(f"    outcomes: [{{chance: {q(draw(CHANCE))}, text: event luck, "
                         f"effects: {draw(effect_map(turns))}}}]")
        events.append("\n".join(event))
    drift = []
    if draw(st.booleans()):
        drift.append(f"  - id: drift0\n    name: Drift\n    effects: {draw(effect_map(turns))}")
    endings = []
    for j in range(draw(st.integers(0, 2))):
        endings.append(f"  - id: end{j}\n    title: End {j}\n    priority: {j}\n"
                       f"    when: {q(draw(CONDITION.filter(lambda c: 'chose' not in c)))}\n"
                       f"    text: {draw(told('over'))}\n"
                       "    roles: {r: {result: win, text: Won.}, s: {result: loss, text: Lost.}}")
    endings.append("  - id: last\n    title: Last\n    at_last_turn: true\n"
                   f"    text: {draw(told('last'))}\n"
                   "    roles: {r: {result: draw, text: Even.}, s: {result: draw, text: Even.}}")
    text = (
        "id: generated\ntitle: Generated\nversion: '1'\nsummary: Made by hypothesis.\n"
        "author: kazsim tests\nsources: [{id: src, title: Source, publisher: Publisher}]\n"
        f"calendar: {{start: 2022-01-02, turn_length: day, turns: {turns}}}\n"
        "indicators:\n" + "\n".join(indicators) + "\n"
        "flags:\n  - {id: f, label: F, start: false}\n"
        "roles:\n" + "\n".join(roles) + "\n"
        + ("rules:\n" + "\n".join(rules) + "\n" if rules else "")
        + ("events:\n" + "\n".join(events) + "\n" if events else "")
        + ("drift:\n" + "\n".join(drift) + "\n" if drift else "")
        + "endings:\n" + "\n".join(endings) + "\n"
    )
    return text


@settings(max_examples=80, deadline=None, derandomize=True, phases=NO_SHRINK,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(text=scenarios())
def test_generated_scenarios_play_the_same_games(text: str) -> None:
    compiled, problems = load_text(text, "generated.yaml")
    if compiled is None:  # an impossible condition, say: the checks refuse it
        return
    reasons = prepare(compiled).reasons
    assert not reasons, reasons
    assert_same_games(compiled, range(40))


@settings(max_examples=40, deadline=None, derandomize=True, phases=NO_SHRINK,
          suppress_health_check=[HealthCheck.too_slow])
@given(case=extreme_scenarios())
def test_overflowing_scenarios_play_the_same_games_or_are_refused(
        case: tuple[str, object, str, int]) -> None:
    compiled, _ = load_text(case[0], "extreme.yaml")
    if compiled is None:
        return
    reasons = prepare(compiled).reasons
    if reasons:
        assert all("2**53" in r for r in reasons), reasons
        return
    assert_same_games(compiled, range(20))
