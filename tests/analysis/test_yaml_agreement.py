"""`kazsim validate` and the JSON Schema that editors use agree on what a file may say.

Each variation changes one value of a small valid scenario (tests/corpus/variants/
base.yaml). It is checked twice: by kazsim's own validator, and by the committed schema
(docs/scenario.schema.json, the one yaml-language-server reads) through jsonschema over
ruamel.yaml, an independent YAML 1.2 reader. Both must give the verdict the variation
expects: both accept or both refuse. So an editor that underlines nothing means
`kazsim validate` finds nothing of these kinds either, and the other way round.

Only what JSON Schema can express is varied: a value's type, form and range. What needs
the whole file (that a cited id exists, that an expression makes sense, that a start
lies between min and max) is kazsim's alone, and no variation depends on it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from kazsim.scenario.load import load_text, validate_file

from .support import ROOT

jsonschema = pytest.importorskip("jsonschema")
ruamel_yaml = pytest.importorskip("ruamel.yaml")

BASE = (ROOT / "tests" / "corpus" / "variants" / "base.yaml").read_text(encoding="utf-8")
SCHEMA = json.loads((ROOT / "docs" / "scenario.schema.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Variation:
    name: str
    old: str  # text of the base, which must occur once
    new: str
    valid: bool

    def text(self) -> str:
        assert BASE.count(self.old) == 1, f"{self.name}: {self.old!r} must occur once"
        return BASE.replace(self.old, self.new)


V = Variation
ONCE = "        once: true"
TURNS = "  turns: 4"
START = "    start: 20\n"  # of the indicator protest_size (0 to 100)
EFFECT = "          protest_size: 10"
PAYDAY = "    turn: 2\n"
WAIT = "        label: Wait\n"
CROWD = "    score: protest_size\n"
TITLE = "title: Base scenario"
CAL = "  start: 2022-01-02"

VARIATIONS = [
    # true/false: the YAML 1.2 core schema's words only.
    V("once-yes", ONCE, "        once: yes", False),
    V("once-no", ONCE, "        once: no", False),
    V("once-on", ONCE, "        once: on", False),
    V("once-off", ONCE, "        once: off", False),
    V("once-y", ONCE, "        once: y", False),
    V("once-True", ONCE, "        once: True", True),
    V("once-TRUE", ONCE, "        once: TRUE", True),
    V("once-False", ONCE, "        once: False", True),
    V("once-tRUE", ONCE, "        once: tRUE", False),
    V("once-quoted-true", ONCE, '        once: "true"', False),
    V("once-one", ONCE, "        once: 1", False),
    V("flag-start-off", "    label: Martial law\n", "    label: Martial law\n    start: off\n",
      False),
    V("repeat-false", PAYDAY, "    turn: 2\n    repeat: false\n", True),
    # ...so yes, no, on and off are text where text goes.
    V("title-No", TITLE, "title: No", True),
    V("rule-text-yes", "    text: Police and marchers clash.", "    text: yes", True),
    V("label-On", WAIT, "        label: On\n", True),
    # Whole numbers: decimal (a leading zero is not octal), 0o octal and 0x hex.
    V("turns-leading-zero", TURNS, "  turns: 0123", True),
    V("turns-octal", TURNS, "  turns: 0o17", True),
    V("turns-hex", TURNS, "  turns: 0x1F", True),
    V("turns-octal-too-many", TURNS, "  turns: 0o777", False),
    V("turns-inf", TURNS, "  turns: .inf", False),
    V("turns-quoted", TURNS, '  turns: "4"', False),
    V("turns-plus", TURNS, "  turns: +4", True),
    V("cooldown-minus", "        cooldown: 1", "        cooldown: -1", False),
    # Numbers: any ordinary number; .inf and .nan are refused.
    V("start-exponent", START, "    start: 2e1\n", True),
    V("start-trailing-point", START, "    start: 20.\n", True),
    V("start-leading-point", START, "    start: .5\n", True),
    V("start-inf", START, "    start: .inf\n", False),
    V("start-minus-inf", START, "    start: -.inf\n", False),
    V("start-nan", START, "    start: .nan\n", False),
    V("start-huge", START, "    start: 1e300\n", False),
    V("start-huge-integer", START, "    start: 10000000000000\n", False),
    V("effect-exponent", EFFECT, "          protest_size: 1e1", True),
    V("effect-inf", EFFECT, "          protest_size: .Inf", False),
    V("effect-nan", EFFECT, "          protest_size: .NaN", False),
    V("effect-null", EFFECT, "          protest_size: ~", False),
    V("greed-nan", CROWD, CROWD + "    ai: {greed: .nan}\n", False),
    V("greed-inf", CROWD, CROWD + "    ai: {greed: .inf}\n", False),
    V("randomness-half", CROWD, CROWD + "    ai: {randomness: 0.5}\n", True),
    V("weight-inf", WAIT, WAIT + "        ai: {weight: .inf}\n", False),
    V("weight-negative", WAIT, WAIT + "        ai: {weight: -1}\n", True),
    # Chances: from 0 to 1; an event's must be above 0.
    V("event-chance-half", PAYDAY, PAYDAY + "    chance: 0.5\n", True),
    V("event-chance-zero", PAYDAY, PAYDAY + "    chance: 0\n", False),
    V("event-chance-too-high", PAYDAY, PAYDAY + "    chance: 1.5\n", False),
    V("event-chance-nan", PAYDAY, PAYDAY + "    chance: .nan\n", False),
    V("outcome-chance-zero", WAIT, WAIT + "        outcomes: [{chance: 0, text: Nothing.}]\n",
      True),
    V("outcome-chance-negative", WAIT,
      WAIT + "        outcomes: [{chance: -0.5, text: Nothing.}]\n", False),
    # null: null, Null, NULL, ~ or nothing, where a field may be left out.
    V("available-null", WAIT, WAIT + "        available: null\n", True),
    V("available-Null", WAIT, WAIT + "        available: Null\n", True),
    V("available-NULL", WAIT, WAIT + "        available: NULL\n", True),
    V("available-tilde", WAIT, WAIT + "        available: ~\n", True),
    V("available-empty", WAIT, WAIT + "        available:\n", True),
    V("action-text-null", WAIT, WAIT + "        text: null\n", True),
    V("title-null", TITLE, "title: null", False),
    V("title-tilde", TITLE, "title: ~", False),
    # Quoted or not: text must be text.
    V("version-number", 'version: "1"', "version: 1", False),
    V("version-point", 'version: "1"', "version: 1.0", False),
    V("version-single-quotes", 'version: "1"', "version: '1.10'", True),
    V("title-number", TITLE, "title: 12", False),
    V("title-quoted-number", TITLE, 'title: "12"', True),
    V("title-true", TITLE, "title: true", False),
    V("title-date-like", TITLE, "title: 2022-01-02", True),
    # Spaces at the ends: ids are taken as written, text is stripped.
    V("id-space-before", "id: base\n", 'id: " base"\n', False),
    V("id-space-after", "id: base\n", "id: 'base '\n", False),
    V("id-leading-zero", "id: base\n", "id: 0123\n", False),
    V("id-quoted-digits", "id: base\n", 'id: "0123"\n', False),
    V("cite-with-space", "        cites: [src]", '        cites: [" src"]', False),
    V("ending-role-with-space", "      crowd: { result: win, text: You won. }",
      '      " crowd": { result: win, text: You won. }', False),
    V("ending-role-not-an-id", "      crowd: { result: win, text: You won. }",
      "      Crowd: { result: win, text: You won. }", False),
    V("title-spaces-around", TITLE, 'title: "  Base scenario  "', True),
    V("title-only-spaces", TITLE, 'title: "   "', False),
    V("label-only-spaces", WAIT, '        label: "  "\n', False),
    V("score-only-spaces", 'score: "trust - protest_size / 2"', 'score: "  "', False),
    # Dates: YYYY-MM-DD, quoted or not, and a day that exists.
    V("date-quoted", CAL, '  start: "2022-01-02"', True),
    V("date-impossible", CAL, "  start: 2022-02-30", False),
    V("date-seconds", CAL, "  start: 1641081600", False),
    V("date-and-time", CAL, "  start: 2022-01-02 10:00:00", False),
    V("date-short", CAL, "  start: 2022-1-2", False),
    V("source-date", "    publisher: A publisher",
      "    publisher: A publisher\n    date: 2022-01-05", True),
]

# JSON Schema sees numbers, not how they are written: to it, 5.0 is the whole number 5
# (JSON Schema 2020-12, "integer"; yaml-language-server agrees). kazsim refuses a whole
# number written with a point or an exponent, with a hint to write 5. These are the only
# differences, and they are pinned here so that a new one cannot hide among them.
WHOLE_NUMBERS_WITH_A_POINT = [
    V("turns-with-point", TURNS, "  turns: 5.0", False),
    V("turns-exponent", TURNS, "  turns: 1e2", False),
    V("event-turn-with-point", PAYDAY, "    turn: 2.0\n", False),
]


class _Core12Resolver(ruamel_yaml.resolver.VersionedResolver):  # type: ignore[misc]
    """ruamel.yaml's YAML 1.2 resolution, without its dates (JSON and editors have none)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        tag = super().resolve(kind, value, implicit)
        return self.DEFAULT_SCALAR_TAG if str(tag).endswith(":timestamp") else tag


def _reader() -> Any:
    reader = ruamel_yaml.YAML(typ="safe", pure=True)
    reader.Resolver = _Core12Resolver
    return reader


def kazsim_accepts(text: str) -> tuple[bool, list[str]]:
    compiled, problems = load_text(text, "base.yaml")
    return compiled is not None, [str(p) for p in problems if p.severity == "error"]


def schema_accepts(text: str) -> tuple[bool, list[str]]:
    validator = jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    errors = [f"{list(e.absolute_path)}: {e.message}"
              for e in validator.iter_errors(_reader().load(text))]
    return not errors, errors


def test_the_reader_is_yaml_1_2() -> None:
    data = _reader().load("a: yes\nb: 0123\nc: .inf\nd: 2022-01-02\ne: on\n")
    assert data == {"a": "yes", "b": 123, "c": float("inf"), "d": "2022-01-02", "e": "on"}
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_base_is_valid_to_both() -> None:
    assert kazsim_accepts(BASE) == (True, [])
    assert schema_accepts(BASE) == (True, [])


def test_there_are_enough_variations() -> None:
    assert len(VARIATIONS) >= 30
    assert len({v.name for v in VARIATIONS + WHOLE_NUMBERS_WITH_A_POINT}) == len(
        VARIATIONS) + len(WHOLE_NUMBERS_WITH_A_POINT)
    assert {v.valid for v in VARIATIONS} == {True, False}


@pytest.mark.parametrize("variation", VARIATIONS, ids=[v.name for v in VARIATIONS])
def test_kazsim_and_the_schema_agree(variation: Variation) -> None:
    text = variation.text()
    kazsim, kazsim_says = kazsim_accepts(text)
    schema, schema_says = schema_accepts(text)
    assert (kazsim, schema) == (variation.valid, variation.valid), (
        f"kazsim: {kazsim_says or 'valid'}; schema: {schema_says or 'valid'}")


@pytest.mark.parametrize("variation", WHOLE_NUMBERS_WITH_A_POINT,
                         ids=[v.name for v in WHOLE_NUMBERS_WITH_A_POINT])
def test_whole_numbers_with_a_point_are_kazsims_alone(variation: Variation) -> None:
    kazsim, kazsim_says = kazsim_accepts(variation.text())
    assert not kazsim and "write it without the decimal point" in kazsim_says[0]
    assert schema_accepts(variation.text()) == (True, [])


VARIANT = """extends: base.yaml
id: pruned
roles:
  - id: crowd
    actions:
      - {id: rest, remove: REMOVE}
"""


@pytest.mark.parametrize(("written", "valid"), [("true", True), ("True", True), ("yes", False),
                                                 ("on", False), ("false", False)])
def test_a_variant_removes_with_true_only(tmp_path: Any, written: str, valid: bool) -> None:
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    path = tmp_path / "pruned.yaml"
    path.write_text(VARIANT.replace("REMOVE", written), encoding="utf-8")
    compiled, problems = validate_file(path)
    schema, schema_says = schema_accepts(path.read_text(encoding="utf-8"))
    assert (compiled is not None, schema) == (valid, valid), (problems, schema_says)
