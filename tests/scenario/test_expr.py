"""The scenario expression language: what it accepts, what it refuses, and where it says so.

Expressions are compiled against a small fixed set of names (two indicators, a
flag, two roles) and evaluated against plain dictionaries shaped like the
engine's environment (see `kazsim.scenario.expr`'s docstring).
"""

from __future__ import annotations

import ast
import math
import os
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kazsim.scenario.expr import (
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_TREE_DEPTH,
    Compiled,
    ExprError,
    Names,
    _magnitude,
    compile_expr,
)

NAMES = Names(
    numbers=frozenset({"protest_size", "trust"}),
    flags=frozenset({"martial_law"}),
    actions={"government": frozenset({"crackdown", "talk", "wait"}),
             "crowd": frozenset({"march", "rest"})},
)
ENV: dict[str, Any] = {"protest_size": 40, "trust": 70, "martial_law": False, "turn": 3,
                       "last_turn": 10}
LANGUAGE = ("expressions use ids, numbers, + - * /, comparisons, and/or/not and the functions "
            "min, max, clamp, abs, round, chose, times, previous")
SPLIT = "split it into simpler parts, for example two rules or a flag"
COMPARE = "compare it with something, e.g. 'protest_size > 50'"
NUMBER = "this needs a number or a calculation, e.g. 10 or 'trust / 2'"
FUNCS = "the functions are: min, max, clamp, abs, round, chose, times, previous"


def compiled(text: str | int | float | bool, want: str = "number", **kw: Any) -> Compiled:
    return compile_expr(text, NAMES, want, **kw)  # type: ignore[arg-type]


def value(text: str, env: dict[str, Any] | None = None, want: str = "number") -> Any:
    return compiled(text, want)({**ENV, **(env or {})})


def refused(text: str, want: str = "bool", **kw: Any) -> tuple[str, int, str]:
    with pytest.raises(ExprError) as info:
        compile_expr(text, NAMES, want, **kw)  # type: ignore[arg-type]
    return info.value.message, info.value.offset, info.value.hint


# --- hostile input: nothing reaches Python -------------------------------------------------

HOSTILE = [
    ("().__class__", "'.' (attribute access) is not part of the scenario language", 0, LANGUAGE),
    ("().__class__.__bases__[0].__subclasses__()", "only the built-in functions can be called",
     0, FUNCS),
    ("().__class__.__bases__", "'.' (attribute access) is not part of the scenario language",
     0, LANGUAGE),
    ("trust.real", "'.' (attribute access) is not part of the scenario language", 0, LANGUAGE),
    ("__import__('os').system('true')", "only the built-in functions can be called", 0, FUNCS),
    ("__import__('os')", "unknown function '__import__'", 0, FUNCS),
    ("__builtins__", "names starting with '_' are not allowed ('__builtins__')", 0,
     "ids start with a lower-case letter, e.g. protest_size"),
    ("_secret > 1", "names starting with '_' are not allowed ('_secret')", 0,
     "ids start with a lower-case letter, e.g. protest_size"),
    ("eval('1')", "unknown function 'eval'", 0, FUNCS),
    ("open('/etc/passwd')", "unknown function 'open'", 0, FUNCS),
    ("import os", "syntax error: cannot read this", 0,
     "check for a missing operator, bracket or comma, or a misspelt word near here"),
    ("lambda: 1", "'lambda' is not part of the scenario language", 0, LANGUAGE),
    ("(lambda: trust)()", "only the built-in functions can be called", 0, FUNCS),
    ("'text'", "text (strings) cannot be used in expressions", 0,
     "ids are written without quotes, e.g. chose(government, crackdown)"),
    ("b'bytes'", "text (strings) cannot be used in expressions", 0,
     "ids are written without quotes, e.g. chose(government, crackdown)"),
    ("f'{trust}'", "text (strings) cannot be used in expressions", 0, LANGUAGE),
    ("trust[0]", "'[...]' (indexing) is not part of the scenario language", 0, LANGUAGE),
    ("(x := 1)", "':=' is not part of the scenario language", 1, LANGUAGE),
    ("[t for t in trust]", "comprehensions are not part of the scenario language", 0, LANGUAGE),
    ("any(t for t in trust)", "unknown function 'any'", 0, FUNCS),
    ("{t for t in trust}", "comprehensions are not part of the scenario language", 0, LANGUAGE),
    ("{1}", "sets cannot be used in expressions", 0, LANGUAGE),
    ("{1: 2}", "dictionaries cannot be used in expressions", 0, LANGUAGE),
    ("[1, 2]", "lists cannot be used in expressions", 0, LANGUAGE),
    ("(1, 2)", "a comma cannot separate values here; to combine conditions use 'and' or 'or'",
     0, LANGUAGE),
    ("1 if martial_law else 2",
     "'x if c else y' is not supported; use min/max/clamp or two effects", 0, LANGUAGE),
    ("await trust", "'await' is not part of the scenario language", 0, LANGUAGE),
    ("None", "'None' cannot be used in expressions", 0, "write a number, or true/false"),
    ("...", "'Ellipsis' cannot be used in expressions", 0, LANGUAGE),
    ("2j", "complex numbers cannot be used in expressions", 0,
     "write a plain number such as 2 or 0.5"),
    ("min(*trust, 1)", "'*' unpacking is not part of the scenario language", 4, LANGUAGE),
    ("min(trust, key=abs)", "min() takes no named arguments", 0,
     "give the values in order, e.g. min(trust, 50)"),
    ("trust(2)", "'trust' is not a function", 0, "to multiply, write '*', e.g. 2 * (a + b)"),
    ("yield trust", "syntax error: cannot read this", 0,
     "check for a missing operator, bracket or comma, or a misspelt word near here"),
]


@pytest.mark.parametrize(("text", "message", "offset", "hint"), HOSTILE,
                         ids=[h[0][:30] for h in HOSTILE])
def test_hostile_input_is_refused_with_a_message(text: str, message: str, offset: int,
                                                 hint: str) -> None:
    assert refused(text, "number") == (message, offset, hint)


def test_refused_code_is_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    for text in (f"__import__('os').system('touch {marker}')",
                 f"open('{marker}', 'w')",
                 f"().__class__.__base__.__subclasses__()[0]('{marker}')"):
        with pytest.raises(ExprError):
            compiled(text)
    assert not marker.exists()
    assert "ran" not in os.listdir(tmp_path)


POWERS = [
    ("2 ** 3", "operator '**' is not part of the scenario language", 0, "use + - * / only"),
    ("10**10**10", "operator '**' is not part of the scenario language", 0, "use + - * / only"),
    ("trust % 2", "operator '%' is not part of the scenario language", 0, "use + - * / only"),
    ("trust // 2", "operator '//' is not part of the scenario language", 0, "use + - * / only"),
    ("trust << 2", "operator '<<' is not part of the scenario language", 0, "use + - * / only"),
    ("trust @ 2", "operator '@' is not part of the scenario language", 0, "use + - * / only"),
    ("trust & 2", "operator '&' is not part of the scenario language", 0, "use 'and' / 'or'"),
    ("trust | 2", "operator '|' is not part of the scenario language", 0, "use 'and' / 'or'"),
    ("~trust", "'~' is not part of the scenario language", 0, "use 'not' for conditions"),
]


@pytest.mark.parametrize(("text", "message", "offset", "hint"), POWERS,
                         ids=[p[0] for p in POWERS])
def test_operators_outside_the_language(text: str, message: str, offset: int,
                                        hint: str) -> None:
    assert refused(text, "number") == (message, offset, hint)


LIMIT = "numbers in a scenario stay between -1e+12 and 1e+12"


@pytest.mark.parametrize("text", ["1e13", "1e400", "10000000000000", "1e12 * 10",
                                  "1e12 + 1"])
def test_huge_numbers_are_refused(text: str) -> None:
    assert refused(text, "number") == ("number too large (the limit is 1e+12)", 0, LIMIT)


def test_a_5000_digit_literal_is_refused_before_parsing() -> None:
    assert refused("9" * 5000, "number") == (
        f"expression longer than {MAX_LENGTH} characters", 0, SPLIT)


def test_a_1999_digit_literal_is_too_large() -> None:
    assert refused("9" * 1999, "number") == ("number too large (the limit is 1e+12)", 0, LIMIT)


def test_the_largest_number_is_accepted() -> None:
    assert compiled("1e12").constant == 1e12
    assert compiled("-1e12").constant == -1e12


def test_length_limit_is_2000_characters() -> None:
    clauses = " and ".join(["protest_size > 0"] * (MAX_LENGTH // 21))
    text = clauses.rjust(MAX_LENGTH)
    assert len(text) == MAX_LENGTH
    assert compiled(text, "bool")({**ENV, "protest_size": 1}) is True
    assert refused(text + " ", "bool")[0] == f"expression longer than {MAX_LENGTH} characters"
    assert refused("x" * 2001, "bool") == (
        f"expression longer than {MAX_LENGTH} characters", 0, SPLIT)


def test_deep_brackets_are_refused() -> None:
    ok = "(" * MAX_DEPTH + "trust" + ")" * MAX_DEPTH
    assert value(ok) == 70
    deep = "(" * (MAX_DEPTH + 1) + "trust" + ")" * (MAX_DEPTH + 1)
    assert refused(deep, "number") == (
        f"expression nested more than {MAX_DEPTH} levels deep", 0, SPLIT)
    assert refused("(" * 999 + "1" + ")" * 999, "number")[0] == (
        f"expression nested more than {MAX_DEPTH} levels deep")
    assert refused("min(" * 41 + "1" + ", 2)" * 41, "number")[0] == (
        f"expression nested more than {MAX_DEPTH} levels deep")


def test_many_brackets_side_by_side_are_not_deep() -> None:
    text = " + ".join(["min(trust, 1)"] * 60)
    assert value(text) == 60


@pytest.mark.parametrize(("text", "want"), [
    ("not " * 450 + "true", "bool"),
    ("- " * 990 + "1", "number"),
    ("-" * 1999 + "1", "number"),
    (" + ".join(["trust"] * 200), "number"),
])
def test_long_chains_are_refused_as_too_complex(text: str, want: str) -> None:
    message, _, hint = refused(text, want)
    assert message == (f"expression too complex (more than {MAX_TREE_DEPTH} operations "
                       "inside each other)")
    assert hint == SPLIT


def test_moderate_chains_work() -> None:
    assert value("not " * 50 + "martial_law", want="bool") is False
    assert value("-" * 51 + "trust") == -70
    assert value(" + ".join(["trust"] * 90)) == 70 * 90


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_compiles_or_raises_expr_error(text: str) -> None:
    """Fuzz: whatever the text, the only failure is an `ExprError` with a sane offset."""
    for want in ("number", "bool"):
        try:
            compiled(text, want)
        except ExprError as exc:
            assert exc.message
            assert 0 <= exc.offset <= len(text)


TOKENS = st.sampled_from([
    "trust", "protest_size", "martial_law", "turn", "last_turn", "1", "0", "2.5", "(", ")",
    "+", "-", "*", "/", "<", ">", "<=", ">=", "==", "!=", "and", "or", "not", "min(", "max(",
    "clamp(", "abs(", "round(", ",", "chose(government, crackdown)", "times(crowd, march)",
    "previous(crowd, rest)", "true", "false", "__class__", ".", "[", "]", "**", "lambda",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(TOKENS, max_size=25))
def test_token_soup_compiles_or_raises_and_evaluates_safely(tokens: list[str]) -> None:
    """Fuzz from the language's own tokens: compiled results evaluate without error."""
    text = " ".join(tokens)
    env = {**ENV, "@government": "crackdown", "#crowd.march": 2, "<crowd": "rest"}
    for want in ("number", "bool"):
        try:
            result = compiled(text, want)
        except ExprError:
            continue
        got = result(env)
        if want == "bool":
            assert isinstance(got, bool)
        else:
            assert isinstance(got, int | float) and not isinstance(got, bool)


# --- types ------------------------------------------------------------------------------

TYPE_ERRORS = [
    ("protest_size", "bool", "expected a true/false condition, but this is a number", 0, COMPARE),
    ("trust + 1", "bool", "expected a true/false condition, but this is a number", 0, COMPARE),
    ("times(crowd, march)", "bool", "expected a true/false condition, but this is a number", 0,
     COMPARE),
    ("martial_law", "number", "expected a number, but this is a true/false condition", 0,
     NUMBER),
    ("trust > 1", "number", "expected a number, but this is a true/false condition", 0, NUMBER),
    ("not trust", "bool", "expected a true/false condition here, found a number", 4, COMPARE),
    ("martial_law and trust", "bool", "expected a true/false condition here, found a number",
     16, COMPARE),
    ("max(martial_law, 1)", "number", "expected a number here, found a true/false condition", 4,
     NUMBER),
    ("trust < martial_law", "bool", "cannot compare a number with a true/false condition", 8,
     "compare numbers with numbers, and flags with true or false"),
    ("martial_law < true", "bool", "true/false values can only be compared with == or !=", 0,
     "to test a flag, write its id alone, or 'not' and its id"),
    ("trust in protest_size", "bool", "'in' comparisons are not part of the scenario language",
     0, "compare with < <= > >= == or !="),
    ("trust is 1", "bool", "'is' comparisons are not part of the scenario language", 0,
     "compare with < <= > >= == or !="),
    ("trust is not 1", "bool", "'is not' comparisons are not part of the scenario language", 0,
     "compare with < <= > >= == or !="),
    ("trust not in trust", "bool",
     "'not in' comparisons are not part of the scenario language", 0,
     "compare with < <= > >= == or !="),
]


@pytest.mark.parametrize(("text", "want", "message", "offset", "hint"), TYPE_ERRORS,
                         ids=[t[0] for t in TYPE_ERRORS])
def test_type_errors(text: str, want: str, message: str, offset: int, hint: str) -> None:
    assert refused(text, want) == (message, offset, hint)


# --- names --------------------------------------------------------------------------------

NAME_ERRORS = [
    ("protest_sise > 1", "unknown name 'protest_sise'", 0, "did you mean 'protest_size'?"),
    ("trust + trsut", "unknown name 'trsut'", 8, "did you mean 'trust'?"),
    ("money > 1", "unknown name 'money'", 0,
     "names must be indicator or flag ids, turn or last_turn"),
    ("True and tru > 1", "unknown name 'tru'", 9, "did you mean 'trust'?"),
    ("trun > 1", "unknown name 'trun'", 0, "did you mean 'turn'?"),
    ("government", "'government' is a role; use chose(government, action) to test what it chose",
     0, ""),
    ("min > 1", "'min' is a function: call it with (...)", 0, "for example min(trust, 50)"),
    ("chose(govt, crackdown)", "unknown role 'govt'", 6, "roles are: crowd, government"),
    ("chose(goverment, crackdown)", "unknown role 'goverment'", 6,
     "did you mean 'government'?"),
    ("chose(government, crackdwn)", "role 'government' has no action 'crackdwn'", 18,
     "did you mean 'crackdown'?"),
    ("chose(crowd, sleep)", "role 'crowd' has no action 'sleep'", 13,
     "the actions of 'crowd' are: march, rest"),
    ("chose(government)", "chose() takes a role id and an action id", 0,
     "chose(role, action), e.g. chose(government, crackdown)"),
    ("times(1, 2) > 0", "times() takes a role id and an action id", 0,
     "times(role, action), e.g. times(government, crackdown)"),
    ("foo(1)", "unknown function 'foo'", 0, FUNCS),
    ("mni(1, 2) > 0", "unknown function 'mni'", 0, "did you mean 'min'?"),
    # Look-alike characters: Python reads 'ｔｒｕｓｔ' as 'trust' (NFKC), kazsim refuses it.
    ("ｔｒｕｓｔ > 1", "'ｔｒｕｓｔ' is written in look-alike characters (full-width or similar)",
     0, "write it in plain letters and signs: 'trust'"),
    ("trust > 1 and not ｍａｒｔｉａｌ_ｌａｗ",
     "'ｍａｒｔｉａｌ_ｌａｗ' is written in look-alike characters (full-width or similar)", 18,
     "write it in plain letters and signs: 'martial_law'"),
    ("chose(government, ｃｒａｃｋｄｏｗｎ)",
     "'ｃｒａｃｋｄｏｗｎ' is written in look-alike characters (full-width or similar)", 18,
     "write it in plain letters and signs: 'crackdown'"),
    ("trust ＞ 1", "'＞' is written in look-alike characters (full-width or similar)", 6,
     "write it in plain letters and signs: '>'"),
    ("trust > ﬁve", "'ﬁve' is written in look-alike characters (full-width or similar)", 8,
     "write it in plain letters and signs: 'five'"),
]


@pytest.mark.parametrize(("text", "message", "offset", "hint"), NAME_ERRORS,
                         ids=[n[0] for n in NAME_ERRORS])
def test_unknown_names(text: str, message: str, offset: int, hint: str) -> None:
    assert refused(text, "bool") == (message, offset, hint)


@pytest.mark.parametrize(("text", "message", "hint"), [
    ("min(1)", "min() takes 2 to 20 values, got 1", "for example min(trust, 50)"),
    ("max(" + ", ".join(["1"] * 21) + ")", "max() takes 2 to 20 values, got 21",
     "for example max(0, trust - 10)"),
    ("clamp(1, 2)", "clamp() takes 3 values, got 2", "for example clamp(trust, 0, 100)"),
    ("abs(1, 2)", "abs() takes 1 value, got 2", "for example abs(trust - 50)"),
    ("round()", "round() takes 1 value, got 0", "for example round(trust / 3)"),
])
def test_function_arity(text: str, message: str, hint: str) -> None:
    assert refused(text, "number") == (message, 0, hint)


# --- syntax errors and their columns -----------------------------------------------------

SYNTAX = [
    ("protest_size = 3", "syntax error: cannot read this", 13,
     "to compare, write '==' (two equals signs)"),
    ("protest_size >", "syntax error: the expression stops too early", 14,
     "something is missing at the end, such as a number after an operator or a closing ')'"),
    ("  trust + ", "syntax error: the expression stops too early", 9,
     "something is missing at the end, such as a number after an operator or a closing ')'"),
    ("trust trust", "syntax error: cannot read this", 6,
     "check for a missing operator, bracket or comma, or a misspelt word near here"),
    ("(trust > 1", "syntax error: '(' was never closed", 0, "add the missing ')'"),
    ("trust > 1)", "syntax error: unmatched ')'", 9,
     "remove the extra bracket, or add the one that opens it"),
    ("trust > 'a", "syntax error: unterminated string literal", 8,
     "ids are written without quotes, e.g. chose(government, crackdown)"),
    ("trust => 3", "syntax error: cannot read this", 6,
     "check for a missing operator, bracket or comma, or a misspelt word near here"),
    # Text Python reads with a SyntaxWarning (it would print on stderr): a syntax error here.
    ("1if trust > 1 else 2", "syntax error: invalid decimal literal", 0,
     "put a space between a number and the word after it"),
    ("trust > 0x1for", "syntax error: invalid hexadecimal literal", 11,
     "put a space between a number and the word after it"),
    ('trust > "\\d"', "syntax error: invalid escape sequence '\\d'", 8,
     "ids are written without quotes, e.g. chose(government, crackdown)"),
]


@pytest.mark.parametrize(("text", "message", "offset", "hint"), SYNTAX,
                         ids=[s[0] for s in SYNTAX])
def test_syntax_errors_point_at_the_column(text: str, message: str, offset: int,
                                           hint: str) -> None:
    assert refused(text, "bool") == (message, offset, hint)


def test_no_warning_escapes_from_reading_an_expression() -> None:
    """Python's SyntaxWarning (DeprecationWarning in 3.11) for '1if' or '\\d' would reach
    stderr; the loader turns each into a syntax error instead."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for text, *_ in SYNTAX:
            with pytest.raises(ExprError):
                compiled(text, "bool")
    assert [str(w.message) for w in caught] == []


def test_plain_text_is_not_a_look_alike() -> None:
    """Letters that are not look-alikes of plain ones are unknown names, as before."""
    assert refused("trust + протест", "number")[0] == "unknown name 'протест'"
    assert refused("trust > 1 and café", "bool")[0] == "unknown name 'café'"


@pytest.mark.parametrize(("text", "offset"), [
    ("trust + protest_sise", 8),
    ("   trust + protest_sise", 11),
    ("min(trust, max(1, protest_sise))", 18),
    ("trust > 1 and (martial_law or protest_sise > 2)", 30),
    ("trust + протест", 8),
    ("trust + 1 + протест + protest_sise", 12),
])
def test_offsets_are_columns_in_characters(text: str, offset: int) -> None:
    message, got, _ = refused(text, "number")
    assert got == offset, message
    assert text[offset:].startswith(message.split("'")[1])


def test_line_breaks_inside_an_expression_are_spaces() -> None:
    assert value("trust -\n  protest_size") == 30
    assert refused("trust -\n  protest_sise", "number")[1] == 10


def test_empty_expression() -> None:
    assert refused("   ", "bool") == ("empty expression", 0,
                                      "write a condition such as 'trust > 50', or a number")


# --- every function and operator ----------------------------------------------------------

VALUES = [
    ("trust + protest_size", 110), ("trust - protest_size", 30), ("trust * 2", 140),
    ("trust / 4", 17.5), ("trust / 0", 0.0), ("trust / (protest_size - 40)", 0.0),
    ("100 / trust", 100 / 70), ("-trust", -70), ("+trust", 70), ("2 + 3 * 4", 14),
    ("(2 + 3) * 4", 20), ("10 - 4 - 3", 3), ("24 / 4 / 2", 3.0),
    ("min(trust, protest_size)", 40), ("min(trust, protest_size, 5)", 5),
    ("max(trust, protest_size)", 70), ("max(1, 2, 3, 4, trust)", 70),
    ("clamp(trust, 0, 50)", 50), ("clamp(protest_size, 50, 100)", 50),
    ("clamp(trust, 0, 100)", 70), ("abs(protest_size - trust)", 30), ("abs(trust)", 70),
    ("round(trust / 3)", 23.0), ("round(2.5)", 3.0), ("round(-2.5)", -3.0),
    ("round(0.49)", 0.0), ("round(protest_size / 16)", 3.0), ("turn", 3), ("last_turn", 10),
    ("last_turn - turn", 7), ("times(crowd, march)", 0), ("times(crowd, march) * 2 + 1", 1),
]


# Yes/no facts count as numbers in arithmetic: true is 1, false is 0 (issue 12).
FLAG_NUMBERS = [
    ("trust - 10 * martial_law", False, 70), ("trust - 10 * martial_law", True, 60),
    ("martial_law + 1", True, 2), ("martial_law + 1", False, 1), ("-martial_law", True, -1),
    ("+martial_law", True, 1), ("martial_law * 0.5", True, 0.5), ("martial_law / 2", True, 0.5),
    ("(trust > 50) + (protest_size > 50)", False, 1), ("10 * (not martial_law)", False, 10),
    ("trust * (1 - martial_law)", True, 0), ("true + true", False, 2),
    ("10 * chose(crowd, march)", False, 0),
]


@pytest.mark.parametrize(("text", "flag", "expected"), FLAG_NUMBERS)
def test_yes_no_facts_count_as_one_or_zero_in_arithmetic(text: str, flag: bool,
                                                         expected: float) -> None:
    result = value(text, {"martial_law": flag})
    assert result == expected
    assert not isinstance(result, bool)  # a number, never true/false itself


@pytest.mark.parametrize(("text", "want", "message"), [
    ("martial_law", "number", "expected a number, but this is a true/false condition"),
    ("max(martial_law, 1)", "number", "expected a number here, found a true/false condition"),
    ("trust < martial_law", "bool", "cannot compare a number with a true/false condition"),
    ("martial_law + 1 > 0 and trust", "bool",
     "expected a true/false condition here, found a number"),
    ("martial_law + 1", "bool", "expected a true/false condition, but this is a number"),
])
def test_a_mix_that_is_surely_a_mistake_is_still_refused(text: str, want: str,
                                                         message: str) -> None:
    assert refused(text, want)[0] == message


@pytest.mark.parametrize(("text", "expected"), VALUES, ids=[v[0] for v in VALUES])
def test_numbers(text: str, expected: float) -> None:
    assert value(text) == pytest.approx(expected)


CONDITIONS = [
    ("trust > 50", True), ("trust > 70", False), ("trust >= 70", True), ("trust < 70", False),
    ("trust <= 70", True), ("trust == 70", True), ("trust != 70", False),
    ("10 < protest_size < 50", True), ("10 < protest_size < 40", False),
    ("protest_size < trust > 60", True),
    ("martial_law", False), ("not martial_law", True), ("martial_law == false", True),
    ("martial_law != true", True), ("trust > 50 and protest_size > 50", False),
    ("trust > 50 or protest_size > 50", True), ("not (trust > 50 and protest_size > 50)", True),
    ("trust > 1 and trust > 2 and trust > 3", True), ("trust > 99 or trust > 98 or turn > 1", True),
    ("true", True), ("false", False), ("True", True), ("False", False),
    ("not trust > 80", True), ("turn >= last_turn", False),
]


@pytest.mark.parametrize(("text", "expected"), CONDITIONS, ids=[c[0] for c in CONDITIONS])
def test_conditions(text: str, expected: bool) -> None:
    assert value(text, want="bool") is expected


def test_and_or_stop_early() -> None:
    """`and`/`or` do not read what they do not need (so a missing choice is never looked up)."""
    env = {"trust": 1}
    assert compiled("trust > 5 and protest_size > 1", "bool")(env) is False
    assert compiled("trust < 5 or protest_size > 1", "bool")(env) is True


# --- chose, times, previous ----------------------------------------------------------------

def test_chose_reads_this_turns_decision() -> None:
    test = compiled("chose(government, crackdown)", "bool")
    assert test({**ENV, "@government": "crackdown"}) is True
    assert test({**ENV, "@government": "talk"}) is False
    assert test(ENV) is False  # before anyone has decided


def test_previous_reads_last_turns_decision() -> None:
    test = compiled("previous(crowd, march)", "bool")
    assert test({**ENV, "<crowd": "march", "@crowd": "rest"}) is True
    assert test({**ENV, "<crowd": "rest", "@crowd": "march"}) is False
    assert test(ENV) is False  # on the first turn


def test_times_counts_choices() -> None:
    count = compiled("times(government, talk)")
    assert count(ENV) == 0
    assert count({**ENV, "#government.talk": 3}) == 3
    assert compiled("times(government, talk) >= 2", "bool")({**ENV, "#government.talk": 2})


def test_combinations_of_choices() -> None:
    both = compiled("chose(government, crackdown) and chose(crowd, march)", "bool")
    assert both({**ENV, "@government": "crackdown", "@crowd": "march"}) is True
    assert both({**ENV, "@government": "crackdown", "@crowd": "rest"}) is False
    assert both({**ENV, "@government": "talk", "@crowd": "march"}) is False


def test_what_an_expression_depends_on() -> None:
    c = compiled("chose(government, crackdown) and previous(crowd, march) and trust > 1 "
                 "and martial_law", "bool")
    assert c.uses_choices
    assert c.choice_roles == frozenset({"government"})  # previous() is known before deciding
    assert c.names == frozenset({"trust", "martial_law"})
    t = compiled("times(crowd, march) + protest_size")
    assert t.choice_roles == frozenset({"crowd"}) and t.names == frozenset({"protest_size"})
    plain = compiled("trust * 2")
    assert not plain.uses_choices and plain.choice_roles == frozenset()


@pytest.mark.parametrize("where", ["action 'wait'", "the score", "the AI weight"])
def test_chose_is_refused_where_nobody_has_decided(where: str) -> None:
    assert refused("trust > 1 and chose(crowd, march)", "bool", allow_choices=False,
                   where=where) == (
        f"chose() cannot be used in {where}: nobody has decided yet when it is checked", 14,
        "use previous(role, action) or times(role, action) instead")


def test_previous_and_times_are_allowed_where_nobody_has_decided() -> None:
    c = compiled("previous(crowd, march) and times(government, talk) < 2", "bool",
                 allow_choices=False)
    assert c({**ENV, "<crowd": "march", "#government.talk": 1}) is True


# --- constants --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "want", "constant"), [
    ("1 + 2 * 3", "number", 7), ("(10 - 4) / 3", "number", 2.0), ("-(-5)", "number", 5),
    ("min(3, max(1, 2))", "number", 2), ("clamp(150, 0, 100)", "number", 100),
    ("round(2.5)", "number", 3.0), ("10 / 0", "number", 0.0), ("abs(-4)", "number", 4),
    ("not true", "bool", False), ("1 < 2 and 3 > 4", "bool", False), ("1 < 2 < 3", "bool", True),
    ("trust > 1 and false", "bool", False), ("false and trust > 1", "bool", False),
    ("trust > 1 or true", "bool", True), ("true == false", "bool", False),
    ("not (1 > 2)", "bool", True),
])
def test_constant_folding(text: str, want: str, constant: Any) -> None:
    c = compiled(text, want)
    assert c.constant == constant and type(c.constant) is type(constant)
    assert c({}) == constant  # a constant reads nothing


@pytest.mark.parametrize(("text", "want"), [
    ("trust + 1", "number"), ("trust > 1 and true", "bool"), ("martial_law or false", "bool"),
    ("chose(crowd, march)", "bool"), ("turn * 0", "number"),
])
def test_not_constant(text: str, want: str) -> None:
    assert compiled(text, want).constant is None


def test_plain_values_compile() -> None:
    assert compiled(5).constant == 5
    assert compiled(-2.5).constant == -2.5
    assert compiled(1e-7).constant == 1e-7
    assert compiled(True, "bool").constant is True
    assert compiled(False, "bool").constant is False
    assert compiled(0.25)({}) == 0.25


def test_every_function_is_tested_here() -> None:
    """A new function in the language must get a test in VALUES or the chose/times tests."""
    covered = {f for f in FUNCTIONS if any(f + "(" in text for text, _ in VALUES)}
    covered |= {"chose", "previous"}  # see test_chose_reads_..., test_previous_reads_...
    assert covered == set(FUNCTIONS)


# --- arithmetic that leaves the ordinary numbers -------------------------------------------

BIG = " * ".join(["trust"] * 26)  # (1e12) ** 26 = 1e312: past the largest float
LARGEST = 1.7976931348623157e308
HALF = "(" + " * ".join(["trust"] * 13) + ")"  # 1e156: two of them overflow


@pytest.mark.parametrize(("text", "env", "expected"), [
    # Whole numbers: Python's integers grow without limit, and then '/' and round() fail.
    (f"({BIG}) / 3", {"trust": 10**12}, LARGEST),
    (f"round({BIG})", {"trust": 10**12}, LARGEST),
    (f"round(-({BIG}))", {"trust": 10**12}, -LARGEST),
    (f"({BIG}) * 0.5", {"trust": 10**12}, LARGEST),
    (f"({BIG}) - ({BIG})", {"trust": 10**12}, 0.0),
    # Floats: overflow to infinity, and infinity minus infinity is nan.
    (f"({BIG}) / 3", {"trust": 1e12}, LARGEST),
    (f"({BIG}) - ({BIG})", {"trust": 1e12}, 0.0),
    (f"({BIG}) * 0", {"trust": 1e12}, 0.0),
    (f"round(({BIG}) - ({BIG}))", {"trust": 1e12}, 0.0),
    (f"1 / (({BIG}) - ({BIG}))", {"trust": 1e12}, 0.0),
    ("trust / 0.000000000001 / 0.000000000001", {"trust": 1e12}, 1e36),
    (f"min({BIG}, 5) + max(-({BIG}), 1)", {"trust": 1e12}, 6),
    # Ordinary sizes are untouched: exact whole numbers stay whole.
    ("trust * trust * trust", {"trust": 10**5}, 10**15),
    ("round(trust * 2.5)", {"trust": 1}, 3.0),
])
def test_arithmetic_always_gives_a_finite_number(text: str, env: dict[str, Any],
                                                 expected: float) -> None:
    got = value(text, env)
    assert math.isfinite(got) and got == expected
    assert type(got) is type(expected)


ARITHMETIC = st.recursive(
    st.sampled_from(["trust", "protest_size", "1e12", "0.000001", "3", "0", HALF]),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["round", "abs", "-"]), inner).map(
            lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"),
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(ARITHMETIC, st.sampled_from([10**12, -10**12, 1e12, -1e12, 0, 0.0, 1e-300, 7]))
def test_any_arithmetic_on_any_values_is_finite(text: str, x: float) -> None:
    """Fuzz: products and quotients of extreme values never fail and never leave the
    finite numbers (or a whole number too large for a float)."""
    try:
        result = compiled(text, "number")
    except ExprError:  # constant parts too large, or too deep
        return
    got = result({**ENV, "trust": x, "protest_size": -x})
    assert isinstance(got, int | float) and not isinstance(got, bool)
    assert -LARGEST <= got <= LARGEST  # also refuses nan


@pytest.mark.parametrize(("text", "guarded"), [
    ("trust - protest_size / 2", False),
    ("min(trust, 50) * 3 + times(crowd, march)", False),
    ("trust * 2 > 50 and not martial_law", False),
    ("trust * protest_size", True),  # 1e12 * 1e12 is past the exact whole numbers
    ("trust / protest_size", True),  # protest_size may be as small as a number gets
    ("trust / 0.000000001", True),
])
def test_only_expressions_that_may_overflow_are_guarded(text: str, guarded: bool) -> None:
    """The check costs the engine's hot loop nothing where it cannot matter."""
    want = "bool" if ">" in text else "number"
    result = compiled(text, want)
    assert (result.fn.__name__ == "settled") == (guarded and want == "number")
    assert (not _magnitude(ast.parse(text, mode="eval").body) <= 2**53) == guarded
