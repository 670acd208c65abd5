"""Plain values are read by the YAML 1.2 core schema's rules, as editors read them.

PyYAML on its own follows YAML 1.1, where `yes` and `on` are true, `0123` is octal 83
and `1e3` is text; kazsim.scenario.yamlsafe gives every plain value the type the YAML
1.2 core schema gives it (yaml.org/spec/1.2.2, section 10.3.2), and so the type
yaml-language-server and ruamel.yaml give it.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from kazsim.scenario.load import load_text
from kazsim.scenario.yamlsafe import read_yaml

from .test_corpus import BASE

# (as written, the value read): the core schema's table, and the YAML 1.1 words it drops.
CORE = [
    ("true", True), ("True", True), ("TRUE", True),
    ("false", False), ("False", False), ("FALSE", False),
    ("tRUE", "tRUE"), ("yes", "yes"), ("Yes", "Yes"), ("no", "no"), ("NO", "NO"),
    ("on", "on"), ("off", "off"), ("y", "y"), ("n", "n"),
    ("null", None), ("Null", None), ("NULL", None), ("~", None), ("", None),
    ("nULL", "nULL"), ("None", "None"),
    ("0", 0), ("-0", 0), ("+12", 12), ("-12", -12), ("0123", 123), ("007", 7),
    ("0o17", 15), ("0x1F", 31), ("0x1f", 31),
    ("-0o17", "-0o17"), ("0b11", "0b11"), ("1_000", "1_000"), ("1:30", "1:30"), ("0x", "0x"),
    ("5.0", 5.0), ("5.", 5.0), (".5", 0.5), ("-.5", -0.5), ("1e3", 1000.0), ("1E3", 1000.0),
    ("1.5e-2", 0.015), ("+2.5", 2.5), ("012.5", 12.5),
    (".inf", math.inf), (".Inf", math.inf), (".INF", math.inf), ("+.inf", math.inf),
    ("-.inf", -math.inf), ("inf", "inf"), ("infinity", "infinity"), (".", "."),
    ("2022-01-02", "2022-01-02"), ("2022-01-02 10:00:00", "2022-01-02 10:00:00"),
]


def _read(written: str) -> Any:
    return read_yaml(f"a: {written}\n").data["a"]


@pytest.mark.parametrize(("written", "value"), CORE, ids=[w or "empty" for w, _ in CORE])
def test_plain_values_follow_the_core_schema(written: str, value: Any) -> None:
    got = _read(written)
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize("written", [".nan", ".NaN", ".NAN"])
def test_nan_is_a_number(written: str) -> None:
    got = _read(written)
    assert isinstance(got, float) and math.isnan(got)
    assert _read("-.nan") == "-.nan"


def test_quoted_values_are_text() -> None:
    assert read_yaml("a: 'true'\nb: \"0123\"\nc: '~'\n").data == {
        "a": "true", "b": "0123", "c": "~"}


def test_written_out_tags_need_the_core_form() -> None:
    data = read_yaml("a: !!bool yes\nb: !!int 12\nc: !!float 5\nd: !!str 5\n").data
    assert data == {"a": "yes", "b": 12, "c": 5.0, "d": "5"}
    assert type(data["c"]) is float


def test_keys_are_read_as_values_too() -> None:
    assert read_yaml("yes: 1\non: 2\ntrue: 3\n0123: 4\n").data == {
        "yes": 1, "on": 2, "true": 3, "123": 4}


def test_ruamel_reads_the_same_values() -> None:
    """The YAML 1.2 reader the agreement test uses gives the same values (dates aside)."""
    ruamel_yaml = pytest.importorskip("ruamel.yaml")
    reader = ruamel_yaml.YAML(typ="safe", pure=True)
    # ruamel.yaml also reads 1_000, 0b11 and -0o17 as numbers, and dates as dates:
    # extensions of its own, not part of the core schema.
    for written, value in CORE:
        if written in ("1_000", "0b11", "-0o17") or written.startswith("2022"):
            continue
        got = reader.load(f"a: {written}\n")["a"]
        assert got == value and type(got) is type(value), written


def test_yes_and_no_are_kept_as_text_where_text_goes() -> None:
    text = (BASE.replace("title: Base scenario", "title: No")
            .replace("    text: Police and marchers clash.", "    text: yes")
            .replace("        label: Wait\n", "        label: On\n"))
    compiled, problems = load_text(text, "base.yaml")
    assert problems == [] and compiled is not None
    scenario = compiled.model
    assert scenario.title == "No"
    assert scenario.rules[0].text == "yes"
    assert scenario.roles[0].actions[0].label == "On"


@pytest.mark.parametrize("written", ["No", "no", "Yes", "off", "On", "y", "N"])
def test_a_text_field_keeps_a_yes_no_word_as_written(written: str) -> None:
    """`text: No` is the text 'No' (YAML 1.2), shown as written, never false."""
    text = BASE.replace("    text: Police and marchers clash.", f"    text: {written}")
    compiled, problems = load_text(text, "base.yaml")
    assert compiled is not None and problems == []
    assert compiled.model.rules[0].text == written


@pytest.mark.parametrize(("written", "found"), [
    ("False", "false"), ("TRUE", "true"), ("1e3", "1000.0"), ("0x10", "16"), ("007", "7"),
    (".5", "0.5"), ("10.50", "10.5"),
])
def test_a_hint_quotes_a_text_field_as_it_was_written(written: str, found: str) -> None:
    """The hint for a value YAML read as true/false or a number keeps the author's text."""
    text = BASE.replace("    text: Police and marchers clash.", f"    text: {written}")
    _, problems = load_text(text, "base.yaml")
    assert [str(p) for p in problems] == [
        f"base.yaml:56:11: expected text for 'text' in 'clash', found {found} — put it in "
        f"quotes: \"{written}\""]
