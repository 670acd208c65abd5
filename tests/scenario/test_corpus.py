"""The corpus of broken scenarios: each gives exactly the errors it promises.

Two kinds of cases, both asserting the exact ``file:line:column: message — hint``
lines that `validate_file`/`load_text` produce (and nothing else):

- whole files in tests/corpus/ (and tests/corpus/variants/), for problems that
  need a file of their own: YAML that cannot be read, unsafe or pathological
  content, encodings, variants. Each file starts with its expected problems as
  ``# expect: LINE:COL: message — hint`` comments (``# expect: OTHER.yaml:LINE:COL:
  ...`` for a problem reported in another file, ``# expect: valid`` for a file
  with none). tests/corpus/empty.yaml cannot hold a comment; its expectation is
  below.
- mutations of tests/corpus/variants/base.yaml (a small valid scenario): one
  edit each, for the problems found in the content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from kazsim.scenario import load_file, validate_file
from kazsim.scenario.errors import ScenarioError
from kazsim.scenario.load import load_text

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
BASE_FILE = CORPUS / "variants" / "base.yaml"
BASE = BASE_FILE.read_text(encoding="utf-8")
FILES = sorted(CORPUS.rglob("*.yaml"))
EXPECT = re.compile(r"^# expect: (?:(?P<file>[\w.-]+\.yaml):)?(?P<rest>\d+:\d+: .*)$")
# Files whose expectations cannot be written inside them.
OUTSIDE = {
    "empty.yaml": ["1:1: the file is empty — start from 'kazsim new NAME', which writes a "
                   "working scenario"],
}


def expectations(path: Path) -> list[str] | None:
    """The problems a corpus file promises, as full lines; None when it promises validity."""
    if path.name in OUTSIDE:
        return [f"{path}:{line}" for line in OUTSIDE[path.name]]
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    header = [line for line in lines if line.startswith("# expect:")]
    if header == ["# expect: valid"]:
        return None
    out = []
    for line in header:
        match = EXPECT.match(line)
        assert match, f"{path}: cannot read the expectation {line!r}"
        where = path.parent / match["file"] if match["file"] else path
        out.append(f"{where}:{match['rest']}")
    return out


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(CORPUS)) for p in FILES])
def test_corpus_file(path: Path) -> None:
    expected = expectations(path)
    compiled, problems = validate_file(path)
    if expected is None:
        assert compiled is not None and problems == [], [str(p) for p in problems]
        return
    assert expected, f"{path} promises nothing: add '# expect:' lines"
    assert [str(p) for p in problems] == expected
    assert compiled is None


def test_every_corpus_file_promises_something() -> None:
    assert len(FILES) >= 35
    for path in FILES:
        assert path.name in OUTSIDE or any(
            line.startswith("# expect:")
            for line in path.read_bytes().decode("utf-8", errors="replace").splitlines()
        ), path


def test_load_file_raises_with_every_problem() -> None:
    path = CORPUS / "many-check-errors.yaml"
    with pytest.raises(ScenarioError) as info:
        load_file(path)
    expected = [e for e in expectations(path) or [] if ": warning: " not in e]
    assert [str(e) for e in info.value.errors] == expected
    assert str(info.value) == f"{expected[0]} (and {len(expected) - 1} more)"


def test_many_problems_are_reported_in_one_run() -> None:
    """Type errors are all reported together, and so are the checks that follow them."""
    for name, at_least in (("many-type-errors.yaml", 5), ("many-check-errors.yaml", 8)):
        _, problems = validate_file(CORPUS / name)
        assert len(problems) >= at_least
        assert len({p.line for p in problems}) == len(problems)  # distinct places


# --- mutations of the base scenario ----------------------------------------------------


@dataclass(frozen=True)
class Mutation:
    name: str
    edits: list[tuple[str, str]]  # (text of the base, replacement); each must occur once
    expect: list[str]  # "LINE:COL: message — hint", in the order they are reported

    def text(self) -> str:
        text = BASE
        for old, new in self.edits:
            assert text.count(old) == 1, f"{self.name}: {old!r} must occur once in the base"
            text = text.replace(old, new)
        return text


M = Mutation
BELL = """\
  - id: bell
    title: The bell rings
    interrupted: true
    text: The lesson is over.
    roles:
      government: { result: draw, text: Time is up. }
      crowd: { result: draw, text: Time is up. }
"""  # an ending for a lesson stopped early
KIT = """glossary:
  - term: CSTO
    meaning: A military alliance.
  - term: csto
    meaning: The same again.
    cites: [scr]
places:
  - name: Almaty
    where: The south-east.
    text: Protests.
  - name: Almaty
    where: Still the south-east.
    text: Protests again.
content_warning: Real deaths.
"""  # a teacher's kit with mistakes
HUGE = "9" * 400  # a whole number too large for a float
TIMELINE = """timeline:
  - id: early
    date: 2021-01-02
    text: A year too early.
    happened: martial_law
    cites: [src]
  - id: half
    date: 2022-01-03
    text: A role without its action.
    role: government
    cites: [src]
  - id: wrong_role
    date: 2022-01-03
    text: Another role's action.
    role: government
    action: march
    cites: [src]
  - id: no_action
    date: 2022-01-03
    text: No such action.
    role: crowd
    action: marhc
    cites: [src]
  - id: no_role
    date: 2022-01-03
    text: No such role.
    role: army
    action: march
    cites: [src]
  - id: nothing
    date: 2022-01-04
    text: Nothing to match.
    cites: [src]
  - id: nothing
    date: 2022-01-04
    text: The same id again.
    happened: martial_law
    cites: [src]
"""
MUTATIONS = [
    M("revealed-not-secret",
      [("        label: Wait\n", "        label: Wait\n        revealed: \"turn > 2\"\n")],
      ["33:9: 'revealed' is for secret moves, and action 'wait' is not one — add 'secret: "
       "true' to the action, or remove 'revealed'"]),
    M("secret-seen-by-its-own-role",
      [("        label: Wait\n", "        label: Wait\n        secret: true\n"
        "        seen_by: [government, crwd]\n        revealed: \"chose(crowd, march)\"\n")],
      ["34:19: role 'government' always sees its own secret moves — list only the other "
       "roles that see it",
       "34:31: unknown role 'crwd' — did you mean 'crowd'?"]),
    M("title-is-a-number",
      [("title: Base scenario", "title: 12")],
      ["3:8: expected text for 'title', found 12 — put it in quotes: \"12\""]),
    M("title-is-a-list",
      [("title: Base scenario", "title: [a, b]")],
      ["3:8: expected text for 'title', found a list"]),
    M("title-is-empty",
      [("title: Base scenario", "title:")],
      [("3:7: expected text for 'title', found nothing — give a value after the ':', or "
       "delete the line")]),
    M("title-is-blank",
      [("title: Base scenario", "title: ''")],
      ["3:8: 'title' must not be empty — write some text here"]),
    M("title-too-long",
      [("title: Base scenario", "title: " + "x" * 20_001)],
      ["3:8: 'title' is too long (20,001 characters; the limit is 20,000) — shorten it"]),
    M("missing-top-level-field",
      [("title: Base scenario\n", "")],
      ["2:1: missing field 'title' — add it (see docs/authoring.md for every field)"]),
    M("missing-field-in-item",
      [("    label: Trust\n", "")],
      [("18:5: missing field 'label' in 'trust' — add it (see docs/authoring.md for every "
       "field)")]),
    M("unknown-top-level-field",
      [("author: kazsim tests", "author: kazsim tests\nauthr: me")],
      ["7:1: unknown field 'authr' — did you mean 'author'?"]),
    M("unknown-field-in-indicator",
      [("    label: Trust\n", "    label: Trust\n    lable: x\n")],
      ["20:5: unknown field 'lable' in 'trust' — did you mean 'label'?"]),
    M("unknown-field-in-action",
      [("        label: Wait\n", "        label: Wait\n        efects: {trust: 1}\n")],
      ["33:9: unknown field 'efects' in 'government' / 'wait' — did you mean 'effects'?"]),
    M("unknown-field-in-role-ai",
      [("    score: protest_size\n", "    score: protest_size\n    ai: {randomnes: 0.1}\n")],
      ["45:10: unknown field 'randomnes' in 'crowd' — did you mean 'randomness'?"]),
    M("unknown-field-in-action-ai",
      [("        label: Wait\n", "        label: Wait\n        ai: {wieght: 2}\n")],
      ["33:14: unknown field 'wieght' in 'government' / 'wait' — did you mean 'weight'?"]),
    M("unknown-field-in-calendar",
      [("  turns: 4", "  turns: 4\n  turn: 3")],
      ["14:3: unknown field 'turn' — did you mean 'turns'?"]),
    M("unknown-field-in-ending-role",
      [("crowd: { result: win, text: You won. }",
       "crowd: { result: win, text: You won., reslt: x }")],
      ["72:45: unknown field 'reslt' in 'uprising' — did you mean 'result'?"]),
    M("comma-inside-braces",
      [("crowd: { result: win, text: You won. }",
       "crowd: { result: win, text: You won, really. }")],
      [("72:44: unknown field 'really.' in 'uprising' — this looks like part of a "
       "sentence: inside { ... } a comma ends a value, so put text that contains a comma "
       "in quotes")]),
    M("bad-id",
      [("  - id: trust\n", "  - id: Trust\n")],
      [("18:9: 'Trust' is not a valid id — ids use lower-case letters, digits and _, start "
       "with a letter, and are at most 40 characters (e.g. protest_size)")]),
    M("bad-id-in-list",
      [("        cites: [src]", "        cites: [Src]")],
      [("40:17: 'Src' is not a valid id in 'government' / 'crackdown' — ids use lower-case "
       "letters, digits and _, start with a letter, and are at most 40 characters (e.g. "
       "protest_size)")]),
    M("literal-not-allowed",
      [("  turns: 4", "  turns: 4\n  turn_length: fortnite")],
      [("14:16: 'fortnite' is not allowed for 'turn_length' — use one of 'hour', "
       "'half_day', 'day', 'week', 'fortnight' or 'month', or a number of days with its "
       "label: {days: 3, label: three days}")]),
    M("turn-length-of-no-days",
      [("  turns: 4", "  turns: 4\n  turn_length: {days: 0, label: no time}")],
      ["14:23: 'days' must be at least 1, found 0"]),
    M("turn-length-without-a-label",
      [("  turns: 4", "  turns: 4\n  turn_length: {days: 3}")],
      ["14:3: missing field 'label' — add it (see docs/authoring.md for every field)"]),
    M("turn-lengths-that-are-fine",
      [("  turns: 4", "  turns: 4\n  turn_length: {days: 3, label: three days}")],
      []),
    M("literal-in-list",
      [("    score: protest_size\n", "    score: protest_size\n    players: [robot]\n")],
      ["45:15: 'robot' is not allowed in 'players' in 'crowd' — use one of 'human' or 'ai'"]),
    M("visible-to-not-a-list",
      [("    visible_to: [government]", "    visible_to: everyone")],
      [("21:17: expected 'all' or a list of role ids for 'visible_to' in 'trust', found "
       "'everyone' — for example visible_to: [government]")]),
    M("format-3",
      [("id: base\n", "format: 3\nid: base\n")],
      ["2:9: 3 is not allowed for 'format' — use one of 1 or 2"]),
    M("empty-list",
      [("sources:\n  - id: src\n    title: A source\n    publisher: A publisher\n",
       "sources: []\n")],
      ["7:10: 'sources' must not be empty — add at least one entry"]),
    M("turns-zero",
      [("  turns: 4", "  turns: 0")],
      ["13:10: 'turns' must be at least 1, found 0"]),
    M("turns-too-many",
      [("  turns: 4", "  turns: 500")],
      ["13:10: 'turns' must be at most 200, found 500"]),
    M("turns-is-text",
      [("  turns: 4", "  turns: four")],
      ["13:10: expected a whole number for 'turns', found 'four'"]),
    M("turns-is-fraction",
      [("  turns: 4", "  turns: 4.5")],
      ["13:10: expected a whole number for 'turns', found 4.5"]),
    M("turns-is-written-with-a-point",
      [("  turns: 4", "  turns: 4.0")],
      ["13:10: expected a whole number for 'turns', found 4.0 — write it without the decimal "
       "point: 4"]),
    M("turns-is-true",
      [("  turns: 4", "  turns: true")],
      ["13:10: expected a whole number for 'turns', found true — write a number here (true "
       "and false are for yes/no fields)"]),
    M("turns-is-yes",
      [("  turns: 4", "  turns: yes")],
      ["13:10: expected a whole number for 'turns', found 'yes'"]),
    M("start-is-true",
      [("    start: 20", "    start: true")],
      ["17:12: expected a number for 'start' in 'protest_size', found true — write a number "
       "here (true and false are for yes/no fields)"]),
    M("once-is-one",
      [("        once: true", "        once: 1")],
      [("39:15: expected true or false for 'once' in 'government' / 'crackdown', found 1 — "
       "write true or false, without quotes")]),
    M("once-is-quoted",
      [("        once: true", "        once: 'yes'")],
      [("39:15: expected true or false for 'once' in 'government' / 'crackdown', found "
       "'yes' — write true or false, without quotes")]),
    M("start-is-text",
      [("    start: 20", "    start: lots")],
      ["17:12: expected a number for 'start' in 'protest_size', found 'lots'"]),
    M("date-is-text",
      [("  start: 2022-01-02", "  start: January")],
      ["12:10: expected a date written YYYY-MM-DD for 'start', found 'January'"]),
    M("date-does-not-exist",
      [("  start: 2022-01-02", "  start: 2022-02-30")],
      ["12:10: expected a date written YYYY-MM-DD for 'start', found '2022-02-30'"]),
    M("once-is-text",
      [("        once: true", "        once: maybe")],
      [("39:15: expected true or false for 'once' in 'government' / 'crackdown', found "
       "'maybe'")]),
    # YAML 1.2 values (kazsim.scenario.yamlsafe): yes/no/on/off are words, .inf and .nan
    # are numbers a scenario cannot use, ids are taken as written, dates as YYYY-MM-DD.
    M("once-is-yes",
      [("        once: true", "        once: yes")],
      [("39:15: expected true or false for 'once' in 'government' / 'crackdown', found "
       "'yes' — write true instead: yes, no, on and off are words, not true/false (YAML "
       "1.2)")]),
    M("flag-start-is-off",
      [("    label: Martial law\n", "    label: Martial law\n    start: off\n")],
      [("25:12: expected true or false for 'start' in 'martial_law', found 'off' — write "
       "false instead: yes, no, on and off are words, not true/false (YAML 1.2)")]),
    M("effect-is-infinite",
      [("          protest_size: 10", "          protest_size: .inf")],
      [("49:25: 'protest_size' in 'crowd' / 'march' must be an ordinary number, found inf — "
       "numbers in a scenario stay between -1e+12 and 1e+12")]),
    M("event-chance-is-nan",
      [("    turn: 2\n", "    turn: 2\n    chance: .nan\n")],
      [("63:13: 'chance' in 'payday' must be an ordinary number, found nan — numbers in a "
       "scenario stay between -1e+12 and 1e+12")]),
    M("ai-weight-is-infinite",
      [("        label: Wait\n", "        label: Wait\n        ai: {weight: -.inf}\n")],
      [("33:22: 'weight' in 'government' / 'wait' must be an ordinary number, found -inf — "
       "numbers in a scenario stay between -1e+12 and 1e+12")]),
    M("id-is-a-number",
      [("id: base\n", "id: 0123\n")],
      [("2:5: expected text for 'id', found 123 — an id starts with a lower-case letter, "
       "e.g. protest_size or round_2")]),
    M("id-with-a-space",
      [("  - id: trust\n", "  - id: 'trust '\n")],
      [("18:9: 'trust ' is not a valid id — remove the spaces at its start or end: an id is "
       "a single word such as protest_size")]),
    M("cited-id-with-a-space",
      [("        cites: [src]", "        cites: [' src']")],
      [("40:17: ' src' is not a valid id in 'government' / 'crackdown' — remove the spaces "
       "at its start or end: an id is a single word such as protest_size")]),
    M("title-is-only-spaces",
      [("title: Base scenario", "title: '   '")],
      ["3:8: 'title' must not be empty — write some text here"]),
    M("date-is-a-number",
      [("  start: 2022-01-02", "  start: 1641081600")],
      ["12:10: expected a date written YYYY-MM-DD for 'start', found 1641081600"]),
    M("date-with-a-time",
      [("  start: 2022-01-02", "  start: 2022-01-02 10:00:00")],
      ["12:10: expected a date written YYYY-MM-DD for 'start', found '2022-01-02 10:00:00'"]),
    M("whole-number-in-octal-and-hex",
      [("  turns: 4", "  turns: 0o17"), ("        cooldown: 1", "        cooldown: 0x10"),
       ("    turn: 2\n", "    turn: 016\n")],  # 16, not octal 14
      ["62:11: turn 16 is after the last turn (15), so this event never happens — give a "
       "turn from 1 to 15, or raise 'turns' under 'calendar:'"]),
    M("effects-is-a-list",
      [("        effects:\n          protest_size: 10", "        effects: [1, 2]")],
      [("48:18: expected a mapping ('key: value' lines) for 'effects' in 'crowd' / "
       "'march', found a list")]),
    M("effect-is-a-list",
      [("          protest_size: 10", "          protest_size: [10]")],
      [("49:25: expected a number, an expression in quotes, or true/false for "
       "'protest_size' in 'crowd' / 'march', found a list — to draw the amount between two "
       "bounds, write {add: [5, 15]}")]),
    M("effect-is-empty",
      [("          protest_size: 10", "          protest_size:")],
      [("49:24: expected a number, an expression in quotes, or true/false for "
       "'protest_size' in 'crowd' / 'march', found nothing — give a value after the ':', "
       "or delete the line")]),
    M("randomness-above-1",
      [("    score: protest_size\n", "    score: protest_size\n    ai: {randomness: 2}\n")],
      ["45:22: 'randomness' in 'crowd' must be at most 1, found 2"]),
    M("cooldown-negative",
      [("        cooldown: 1", "        cooldown: -1")],
      ["52:19: 'cooldown' in 'crowd' / 'rest' must be at least 0, found -1"]),
    M("event-turn-zero",
      [("    turn: 2\n", "    turn: 0\n")],
      ["62:11: 'turn' in 'payday' must be at least 1, found 0"]),
    M("condition-is-false-literal",
      [('    when: "protest_size >= 90"', "    when: false")],
      [("68:11: expected an expression in quotes for 'when' in 'uprising', found false — "
       'write a condition such as "protest_size > 50"; to leave it out, delete the line')]),
    M("score-is-a-number",
      [('score: "trust - protest_size / 2"', "score: 100")],
      [("29:12: expected an expression in quotes for 'score' in 'government', found 100 — "
       "put it in quotes: '100'")]),
    M("expression-too-long",
      [('available: "protest_size > 10"',
       'available: "' + "protest_size + " * 150 + '1 > 10"')],
      [("35:20: 'available' in 'government' / 'crackdown' is too long (2,256 characters; "
       "the limit is 2,000) — split it into simpler parts, for example two rules or a flag")]),
    M("duplicate-source",
      [("sources:\n", "sources:\n  - {id: src, title: B, publisher: C}\n")],
      [("9:9: duplicate source id 'src' (already used by source number 1) — every id must "
       "be different: rename one of them")]),
    M("duplicate-role",
      [("  - id: crowd\n", "  - id: government\n")],
      [("41:9: duplicate role id 'government' (already used by role number 1) — every id "
       "must be different: rename one of them"),
      ("55:30: role 'government' has no action 'crackdown' — the actions of 'government' "
       "are: march, rest"),
      "72:7: unknown role 'crowd' — roles are: government",
      "79:7: unknown role 'crowd' — roles are: government"]),
    M("duplicate-action",
      [("      - id: rest\n", "      - id: march\n")],
      [("50:13: duplicate action id 'march' (already used by action number 1) — every id "
       "must be different: rename one of them")]),
    M("duplicate-rule",
      [("rules:\n", "rules:\n  - {id: clash, when: 'trust > 1', text: x}\n")],
      [("55:9: duplicate rule id 'clash' (already used by rule number 1) — every id must "
       "be different: rename one of them")]),
    M("duplicate-event",
      [("events:\n", "events:\n  - {id: payday, title: x, turn: 1}\n")],
      [("61:9: duplicate event id 'payday' (already used by event number 1) — every id "
       "must be different: rename one of them")]),
    M("duplicate-ending",
      [("  - id: stalemate\n", "  - id: uprising\n")],
      [("73:9: duplicate ending id 'uprising' (already used by ending number 1) — every id "
       "must be different: rename one of them")]),
    M("indicator-and-flag-share-an-id",
      [("  - id: martial_law\n", "  - id: trust\n")],
      [("23:9: duplicate id 'trust' (already used by an entry in indicators) — indicators "
       "and flags share one set of ids"),
      ("38:18: 'trust' is a flag: set it to true or false — flags are yes/no facts; to "
       "count something, make it an indicator"),
      ("58:14: 'trust' is a flag: set it to true or false — flags are yes/no facts; to "
       "count something, make it an indicator")]),
    M("reserved-id",
      [("  - id: martial_law\n", "  - id: turn\n")],
      ["23:9: 'turn' is a reserved word — choose another id"]),
    M("role-id-is-an-indicator",
      [("  - id: crowd\n", "  - id: trust\n")],
      [("41:9: role id 'trust' is also an indicator or flag id — use different ids so "
       "expressions are not ambiguous"),
      "55:51: unknown role 'crowd' — roles are: government, trust",
      ("70:5: ending 'uprising' does not say how 'trust' fared — add an entry under "
       "'roles:' for every role"),
      "72:7: unknown role 'crowd' — roles are: government, trust",
      ("77:5: ending 'stalemate' does not say how 'trust' fared — add an entry under "
       "'roles:' for every role"),
      "79:7: unknown role 'crowd' — roles are: government, trust"]),
    M("unknown-source",
      [("        cites: [src]", "        cites: [srd]")],
      ["40:17: unknown source 'srd' — did you mean 'src'?"]),
    M("unknown-source-no-match",
      [("        cites: [src]", "        cites: [wikipedia]")],
      [("40:17: unknown source 'wikipedia' — list it under 'sources:' first, with its "
       "title and publisher")]),
    M("visible-to-unknown-role",
      [("    visible_to: [government]", "    visible_to: [goverment]")],
      ["21:18: unknown role 'goverment' — did you mean 'government'?"]),
    M("ending-names-unknown-role",
      [("      crowd: { result: win, text: You won. }",
       ("      crowd: { result: win, text: You won. }\n      crowds: { result: win, text: "
        "x }"))],
      ["73:7: unknown role 'crowds' — did you mean 'crowd'?"]),
    M("ending-names-no-such-role",
      [("      crowd: { result: win, text: You won. }",
       "      crowd: { result: win, text: You won. }\n      army: { result: win, text: x }")],
      ["73:7: unknown role 'army' — roles are: government, crowd"]),
    M("ending-missing-a-role",
      [("      crowd: { result: draw, text: You were heard. }\n", "")],
      [("77:5: ending 'stalemate' does not say how 'crowd' fared — add an entry under "
       "'roles:' for every role")]),
    M("players-empty",
      [("    score: protest_size\n", "    score: protest_size\n    players: []\n")],
      [("45:14: 'players' must allow human or ai (or both) — write players: [human, ai], "
       "or leave it out")]),
    M("min-equals-max",
      [("    label: Trust\n", "    label: Trust\n    min: 10\n    max: 10\n")],
      [("21:10: max (10) must be greater than min (10) — make max larger than min (the "
       "default range is 0 to 100)")]),
    M("start-outside-range",
      [("    start: 50\n", "    start: 150\n")],
      [("20:12: start value 150 is outside the range 0 to 100 — make start lie between min "
       "and max")]),
    M("infinite-max",
      [("    label: Trust\n", "    label: Trust\n    max: .inf\n")],
      [("20:10: 'max' in 'trust' must be an ordinary number, found inf — numbers in a "
       "scenario stay between -1e+12 and 1e+12")]),
    M("start-not-a-number",
      [("    start: 50\n", "    start: .nan\n")],
      [("20:12: 'start' in 'trust' must be an ordinary number, found nan — numbers in a "
       "scenario stay between -1e+12 and 1e+12")]),
    M("huge-start",
      [("    start: 50\n", "    start: 1.0e+300\n")],
      [("20:12: 'start' must be an ordinary number, found 1e+300 — numbers in a scenario "
       "stay between -1e+12 and 1e+12")]),
    M("unknown-name",
      [('score: "trust - protest_size / 2"', 'score: "trust - protest_sise / 2"')],
      ["29:21: unknown name 'protest_sise' — did you mean 'protest_size'?"]),
    M("unknown-name-plain",
      [("    score: protest_size\n", "    score: trust + protest_sise\n")],
      ["44:20: unknown name 'protest_sise' — did you mean 'protest_size'?"]),
    M("unknown-name-single-quoted",
      [("    score: protest_size\n", "    score: 'trust + protest_sise'\n")],
      ["44:21: unknown name 'protest_sise' — did you mean 'protest_size'?"]),
    M("unknown-name-after-spaces",
      [("    score: protest_size\n", "    score: '  trust + protest_sise'\n")],
      ["44:23: unknown name 'protest_sise' — did you mean 'protest_size'?"]),
    M("unknown-name-in-block-text",
      [("    score: protest_size\n", "    score: >\n      trust + protest_sise\n")],
      ["44:12: unknown name 'protest_sise' — did you mean 'protest_size'?"]),
    M("unknown-name-in-set-effect",
      [("      trust: -10", "      trust: '= trust + protest_sise'")],
      ["58:25: unknown name 'protest_sise' — did you mean 'protest_size'?"]),
    M("unknown-name-in-add-effect",
      [("      trust: -10", "      trust: 'trsut * 2'")],
      ["58:15: unknown name 'trsut' — did you mean 'trust'?"]),
    M("syntax-error-at-end",
      [('    when: "protest_size >= 90"', '    when: "protest_size >= "')],
      [("68:27: syntax error: the expression stops too early — something is missing at the "
       "end, such as a number after an operator or a closing ')'")]),
    M("syntax-error-single-equals",
      [('    when: "protest_size >= 90"', '    when: "protest_size = 90"')],
      ["68:25: syntax error: cannot read this — to compare, write '==' (two equals signs)"]),
    M("score-is-a-condition",
      [('score: "trust - protest_size / 2"', 'score: "trust > 2"')],
      [("29:13: expected a number, but this is a true/false condition — this needs a "
       "number or a calculation, e.g. 10 or 'trust / 2'")]),
    M("chance-is-a-condition",
      [("    turn: 2\n", "    turn: 2\n    chance: protest_size > 2\n")],
      [("63:13: expected a number, but this is a true/false condition — this needs a "
       "number or a calculation, e.g. 10 or 'trust / 2'")]),
    M("effect-is-a-condition",
      [("      trust: -10", "      trust: 'trust > 2'")],
      [("58:15: expected a number, but this is a true/false condition — this needs a "
       "number or a calculation, e.g. 10 or 'trust / 2'")]),
    M("outcome-chance-is-a-condition",
      [("      trust: -10\n",
       "      trust: -10\n    outcomes:\n      - {chance: 'chose(crowd, rest)', text: a}\n")],
      [("60:19: expected a number, but this is a true/false condition — this needs a "
       "number or a calculation, e.g. 10 or 'trust / 2'")]),
    M("chose-in-available",
      [('available: "protest_size > 10"', 'available: "chose(crowd, march)"')],
      [("35:21: chose() cannot be used in action 'crackdown': nobody has decided yet when "
       "it is checked — use previous(role, action) or times(role, action) instead")]),
    M("chose-in-score",
      [('score: "trust - protest_size / 2"', 'score: "chose(crowd, march)"')],
      [("29:13: chose() cannot be used in the score: nobody has decided yet when it is "
       "checked — use previous(role, action) or times(role, action) instead")]),
    M("chose-in-ai-weight",
      [("        label: Wait\n",
       "        label: Wait\n        ai: {weight: 'chose(crowd, march)'}\n")],
      [("33:23: chose() cannot be used in the AI weight: nobody has decided yet when it is "
       "checked — use previous(role, action) or times(role, action) instead")]),
    M("unknown-action-in-chose",
      [('    when: "chose(government, crackdown) and chose(crowd, march)"',
       '    when: "chose(government, crackdown) and chose(crowd, marhc)"')],
      ["55:58: role 'crowd' has no action 'marhc' — did you mean 'march'?"]),
    M("ending-never-true",
      [('    when: "protest_size >= 90"', '    when: "1 > 2"')],
      [("68:11: this condition is always false, so ending 'uprising' can never happen — "
       "check the comparison, or remove it")]),
    M("ending-beyond-the-range",
      [('    when: "protest_size >= 90"', '    when: "protest_size > 100"')],
      [("68:11: this condition can never be true, so ending 'uprising' can never happen — "
       "'protest_size > 100' is never true: 'protest_size' stays between 0 and 100; check "
       "the comparison")]),
    M("action-after-the-last-turn",
      [('available: "protest_size > 10"', 'available: "protest_size > 10 and turn > 4"')],
      [("35:20: this condition can never be true, so action 'crackdown' can never happen — "
       "'turn > 4' is never true: 'turn' stays between 1 and 4; check the comparison")]),
    # parts of an 'and' that are each possible but never true together (issue 12)
    M("and-of-two-ranges-that-never-meet",
      [('    when: "protest_size >= 90"', '    when: "protest_size <= 10 and protest_size >= 90"')],
      [("68:11: this condition can never be true, so ending 'uprising' can never happen — "
       "'protest_size <= 10' and 'protest_size >= 90' cannot both be true; check the "
       "comparison")]),
    M("and-of-two-turns-that-never-meet",
      [('    when: "protest_size >= 90"', '    when: "turn >= 3 and turn < 2"')],
      [("68:11: this condition can never be true, so ending 'uprising' can never happen — "
       "'turn >= 3' and 'turn < 2' cannot both be true; check the comparison")]),
    M("and-of-a-flag-and-its-negation",
      [('    when: "protest_size >= 90"', '    when: "martial_law and not martial_law"')],
      [("68:11: this condition can never be true, so ending 'uprising' can never happen — "
       "'martial_law' and 'not martial_law' cannot both be true; check the comparison")]),
    M("or-of-impossible-ands",
      [('available: "protest_size > 10"',
        'available: "(turn > 3 and turn < 3) or (martial_law and not martial_law)"')],
      [("35:20: this condition can never be true, so action 'crackdown' can never happen — "
       "'turn > 3' and 'turn < 3' cannot both be true; check the comparison")]),
    M("action-never-available",
      [('available: "protest_size > 10"', 'available: "false and protest_size > 10"')],
      [("35:20: this condition is always false, so action 'crackdown' can never happen — "
       "check the comparison, or remove it")]),
    M("rule-never-fires",
      [('    when: "chose(government, crackdown) and chose(crowd, march)"',
       '    when: "chose(crowd, march) and 2 < 1"')],
      [("55:11: this condition is always false, so rule 'clash' can never happen — check "
       "the comparison, or remove it")]),
    M("event-never-fires",
      [("    turn: 2\n", "    when: not true\n")],
      [("62:11: this condition is always false, so event 'payday' can never happen — check "
       "the comparison, or remove it")]),
    M("event-without-turn-or-when",
      [("    turn: 2\n", "")],
      [("60:5: event 'payday' has neither 'turn' nor 'when' — give 'turn: N' for a "
       "scripted event or 'when:' for a triggered one")]),
    M("event-after-last-turn",
      [("    turn: 2\n", "    turn: 9\n")],
      [("62:11: turn 9 is after the last turn (4), so this event never happens — give a "
       "turn from 1 to 4, or raise 'turns' under 'calendar:'")]),
    M("event-chance-above-1",
      [("    turn: 2\n", "    turn: 2\n    chance: 1.5\n")],
      [("63:13: chance 1.5 is not between 0 and 1 — write 0.25 for a one-in-four chance, "
       "or 1 for always")]),
    M("event-chance-zero",
      [("    turn: 2\n", "    turn: 2\n    chance: 0\n")],
      [("63:13: a chance of 0 means event 'payday' can never happen — give a chance above "
       "0, or remove it")]),
    M("outcome-chances-sum-above-1",
      [("      trust: -10\n",
       ("      trust: -10\n    outcomes:\n      - {chance: 0.7, text: a}\n      - {chance: "
        "0.6, text: b}\n"))],
      [("60:7: the chances add up to 1.3, more than 1 — outcomes are exclusive: at most "
       "one happens, so their chances must add up to 1 or less")]),
    M("outcome-chance-above-1",
      [("      trust: -10\n",
       "      trust: -10\n    outcomes:\n      - {chance: 1.7, text: a}\n")],
      [("60:18: chance 1.7 is not between 0 and 1 — write 0.25 for a one-in-four chance, "
       "or 1 for always")]),
    M("outcome-chance-negative",
      [("      trust: -10\n",
       "      trust: -10\n    outcomes:\n      - {chance: -0.5, text: a}\n")],
      [("60:18: chance -0.5 is not between 0 and 1 — write 0.25 for a one-in-four chance, "
       "or 1 for always")]),
    M("no-fallback-ending",
      [("    at_last_turn: true\n", "    when: turn >= 4\n")],
      [("65:1: no ending is sure to apply when the last turn is played — add an ending "
       "with 'at_last_turn: true' and no 'when', so every game ends")]),
    M("ending-without-when",
      [("    at_last_turn: true\n", "")],
      [("65:1: no ending is sure to apply when the last turn is played — add an ending "
       "with 'at_last_turn: true' and no 'when', so every game ends"),
      ("73:5: ending 'stalemate' has no 'when', so it would end the game after the first "
       "turn — add a 'when:' condition, or 'at_last_turn: true' to make it the ending "
       "when time runs out")]),
    M("lesson-not-shorter-than-the-game",
      [("  turns: 4\n", "  turns: 4\n  lesson_turns: [2, 4]\n")],
      [("14:21: a lesson of 4 turns is not shorter than the whole game (4 turns) — give a "
        "number of turns from 1 to 3: every game can be played whole anyway")]),
    M("lesson-of-a-one-turn-game",
      [("  turns: 4\n", "  turns: 1\n  lesson_turns: [1]\n"), ("    turn: 2\n", "    turn: 1\n")],
      [("14:18: a lesson of 1 turn is not shorter than the whole game (1 turn) — a game of "
        "one turn cannot be shortened: remove 'lesson_turns'")]),
    M("lesson-length-twice",
      [("  turns: 4\n", "  turns: 4\n  lesson_turns: [2, 2]\n")],
      ["14:21: the lesson length 2 is listed twice — list each length once"]),
    M("lesson-length-zero",
      [("  turns: 4\n", "  turns: 4\n  lesson_turns: [0]\n")],
      ["14:18: an entry of 'lesson_turns' must be at least 1, found 0"]),
    M("interrupted-ending-with-when",
      [("endings:\n", "endings:\n" + BELL.replace("    interrupted: true\n",
                                                  "    interrupted: true\n"
                                                  "    when: protest_size > 50\n"))],
      [("69:11: ending 'bell' is marked 'interrupted', so it must end every lesson stopped "
        "early, whatever happened: it cannot have a 'when' — remove the 'when'; to end some "
        "lessons another way, give that ending its 'when' and a higher 'priority'")]),
    M("two-interrupted-endings",
      [("endings:\n", "endings:\n" + BELL + BELL.replace("bell", "bell2"))],
      [("75:18: ending 'bell2' is the second marked 'interrupted' (ending 'bell' already is) "
        "— a lesson stopped early ends one way: keep 'interrupted: true' on one ending")]),
    M("scenario-debrief-cites-an-unknown-source",
      [("endings:\n", "debrief:\n  - text: It happened.\n    cites: [srx]\nendings:\n")],
      ["67:13: unknown source 'srx' — did you mean 'src'?"]),
    M("role-without-an-always-available-action",
      [("      - id: rest\n        label: Rest\n        cooldown: 1",
       ("      - id: rest\n        label: Rest\n        cooldown: 1\n        available: "
        "trust > 0")),
      ("      - id: march\n        label: March\n",
       "      - id: march\n        label: March\n        once: true\n")],
      [("45:5: role 'crowd' has no action it can always take — add one with no "
       "'available', 'once' or 'cooldown', such as 'wait and watch', so there is always "
       "something to choose")]),
    M("effect-on-unknown-target",
      [("      trust: -10", "      trst: -10")],
      ["58:7: unknown indicator or flag 'trst' — did you mean 'trust'?"]),
    M("effect-on-unknown-target-no-match",
      [("      trust: -10", "      money: -10")],
      [("58:7: unknown indicator or flag 'money' — effects can only change indicators and "
       "flags")]),
    M("flag-set-to-a-number",
      [("      trust: -10", "      martial_law: 1")],
      [("58:20: 'martial_law' is a flag: set it to true or false — flags are yes/no facts; "
       "to count something, make it an indicator")]),
    M("flag-set-to-an-expression",
      [("      trust: -10", "      martial_law: '= true'")],
      [("58:20: 'martial_law' is a flag: set it to true or false — flags are yes/no facts; "
       "to count something, make it an indicator")]),
    M("indicator-set-to-true",
      [("      trust: -10", "      trust: true")],
      [("58:14: 'trust' is an indicator: give a number, not true — write an amount such as "
       "5 or -5, or '= 50' to set it; for a yes/no fact, declare a flag under 'flags:'")]),
    M("set-without-a-value",
      [("      trust: -10", "      trust: '='")],
      [("58:14: '=' must be followed by a value — write '= 50' to set it to 50, or a plain "
       "number to change it by that much")]),
    M("rule-that-does-nothing",
      [("    text: Police and marchers clash.\n    effects:\n      trust: -10\n", "")],
      [("54:5: warning: rule 'clash' has no effects, outcomes or text — it changes "
       "nothing; add effects or remove it")]),
    M("link-without-https",
      [("    publisher: A publisher\n",
       "    publisher: A publisher\n    link: www.example.com\n")],
      [("11:11: warning: a link should start with https:// or http:// — write the full "
       "address, e.g. https://www.example.com/page")]),
    # --- inputs that once crashed the validator or the game (issue 10) ---
    M("calendar-past-9999",
      [("  start: 2022-01-02", "  start: 9999-12-30")],
      [("12:10: with 4 turns of one day from 9999-12-30, the game runs past 31 December "
       "9999, the last date kazsim can show — start the calendar earlier, or give fewer "
       "turns or shorter ones")]),
    M("calendar-past-9999-in-months",
      [("  turns: 4", "  turns: 4\n  turn_length: month"),
       ("  start: 2022-01-02", "  start: 9999-10-02")],
      [("12:10: with 4 turns of one month from 9999-10-02, the game runs past 31 December "
       "9999, the last date kazsim can show — start the calendar earlier, or give fewer "
       "turns or shorter ones")]),
    M("calendar-ends-on-the-last-day",  # the game is over on 31 December 9999: valid
      [("  start: 2022-01-02", "  start: 9999-12-27")],
      []),
    M("huge-integer-for-turns",
      [("  turns: 4", "  turns: " + HUGE)],
      ["13:10: 'turns' must be at most 200, found 999...999 (400 digits)"]),
    M("huge-integer-for-text",
      [("title: Base scenario", "title: " + HUGE)],
      ["3:8: expected text for 'title', found 999...999 (400 digits)"]),
    M("huge-integer-for-a-yes-no-field",
      [("        once: true", "        once: " + HUGE)],
      [("39:15: expected true or false for 'once' in 'government' / 'crackdown', found "
       "999...999 (400 digits)")]),
    M("huge-integer-for-start",
      [("    start: 20", "    start: " + HUGE)],
      [("17:12: 'start' must be an ordinary number, found 999...999 (400 digits) — numbers "
       "in a scenario stay between -1e+12 and 1e+12")]),
    M("huge-negative-integer-for-min",
      [("    label: Trust\n", "    label: Trust\n    min: -" + HUGE + "\n")],
      [("20:10: 'min' must be an ordinary number, found -999...999 (400 digits) — numbers "
       "in a scenario stay between -1e+12 and 1e+12")]),
    M("huge-integer-for-a-chance",
      [("    turn: 2\n", "    turn: 2\n    chance: " + HUGE + "\n")],
      [("63:13: chance 999...999 (400 digits) is not between 0 and 1 — write 0.25 for a "
       "one-in-four chance, or 1 for always")]),
    M("huge-integer-for-an-outcome-chance",
      [("      trust: -10\n",
       "      trust: -10\n    outcomes:\n      - {chance: " + HUGE + ", text: a}\n")],
      [("60:18: chance 999...999 (400 digits) is not between 0 and 1 — write 0.25 for a "
       "one-in-four chance, or 1 for always")]),
    M("huge-integer-for-an-event-turn",
      [("    turn: 2\n", "    turn: " + HUGE + "\n")],
      [("62:11: turn 999...999 (400 digits) is after the last turn (4), so this event never "
       "happens — give a turn from 1 to 4, or raise 'turns' under 'calendar:'")]),
    M("huge-integer-for-an-effect",
      [("          protest_size: 10", "          protest_size: " + HUGE)],
      [("49:25: number too large (the limit is 1e+12) — numbers in a scenario stay between "
       "-1e+12 and 1e+12")]),
    M("huge-integer-for-a-condition",
      [('    when: "protest_size >= 90"', "    when: " + HUGE)],
      [("68:11: expected an expression in quotes for 'when' in 'uprising', found 999...999 "
       "(400 digits)")]),
    M("effect-too-long",
      [("          protest_size: 10",
        "          protest_size: '" + "protest_size + " * 140 + "1'")],
      [("49:25: 'protest_size' in 'crowd' / 'march' is too long (2,101 characters; the "
       "limit is 2,000) — split it into simpler parts, for example two rules or a flag")]),
    M("id-with-a-newline",
      [("  - id: trust\n", '  - id: "tr\\nust"\n')],
      [("18:9: 'tr\\nust' is not a valid id — ids use lower-case letters, digits and _, "
       "start with a letter, and are at most 40 characters (e.g. protest_size)")]),
    M("id-with-escape-codes",
      [("  - id: trust\n", '  - id: "\\e[2Jtrust\\u202e"\n')],
      [("18:9: '\\e[2Jtrust\\u202e' is not a valid id — ids use lower-case letters, digits "
       "and _, start with a letter, and are at most 40 characters (e.g. protest_size)")]),
    M("key-with-a-newline",
      [("author: kazsim tests", 'author: kazsim tests\n"a\\nb": 1')],
      ["7:1: unknown field 'a\\nb' — remove it, or check its indentation"]),
    M("full-width-id",
      [("  - id: trust\n", "  - id: ｔｒｕｓｔ\n")],
      ["18:9: 'ｔｒｕｓｔ' is not a valid id — write it in plain letters and signs: 'trust'"]),
    M("full-width-name-in-an-expression",
      [('score: "trust - protest_size / 2"', 'score: "ｔｒｕｓｔ - protest_size / 2"')],
      [("29:13: 'ｔｒｕｓｔ' is written in look-alike characters (full-width or similar) — "
       "write it in plain letters and signs: 'trust'")]),
    M("full-width-effect-target",
      [("      trust: -10", "      ｔｒｕｓｔ: -10")],
      [("58:7: unknown indicator or flag 'ｔｒｕｓｔ' — write it in plain letters and signs: "
       "'trust'")]),
    M("full-width-field",
      [("title: Base scenario", "ｔｉｔｌｅ: Base scenario")],
      ["2:1: missing field 'title' — add it (see docs/authoring.md for every field)",
       "3:1: unknown field 'ｔｉｔｌｅ' — write it in plain letters and signs: 'title'"]),
    # Text that follows the game (kazsim.scenario.told): alternatives and placeholders.
    M('alternative-without-when-first',
      [('    text: Police and marchers clash.',
        '    text:\n      - text: Clash.\n      - text: Calm.')],
      [("57:9: alternative 1 of the text of rule 'clash' has no 'when', so the alternatives "
        'after it are never shown — give it a condition, or make it the last one')]),
    M('last-alternative-with-when',
      [('    text: Police and marchers clash.',
        '    text:\n      - when: trust > 5\n        text: Clash.')],
      [("57:15: the last alternative of the text of rule 'clash' has a 'when' — the last "
        "alternative is shown when no condition holds: remove its 'when', or add an "
        'alternative without one after it')]),
    M('alternative-without-text',
      [('    text: The crowd wins.',
        "    text:\n      - when: trust > 5\n        text: ''\n      - text: The crowd wins.")],
      [("71:9: alternative 1 of the text of ending 'uprising' has no text — write what "
        'players read, or remove the alternative')]),
    M('alternative-text-may-be-empty',
      [('    text: Police and marchers clash.',
        "    text:\n      - when: trust > 5\n        text: ''\n      - text: Clash.")],
      []),
    M('alternatives-empty',
      [('    text: The crowd wins.',
        '    text: []')],
      ["69:11: 'text' in 'uprising' must not be empty — add at least one entry"]),
    M('alternative-unknown-key',
      [('    text: The crowd wins.',
        '    text:\n      - when: trust > 5\n        txt: Won.\n      - text: The crowd wins.')],
      [("70:9: missing field 'text' in 'uprising' — add it (see docs/authoring.md for every "
        'field)'),
       "71:9: unknown field 'txt' in 'uprising' — did you mean 'text'?"]),
    M('alternative-bad-condition',
      [('    text: The crowd wins.',
        ('    text:\n      - when: trust > 500\n        text: Won.\n'
         '      - text: The crowd wins.'))],
      [('70:15: this condition can never be true, so alternative 1 of the text of ending '
        "'uprising' can never happen — 'trust > 500' is never true: 'trust' stays between 0 "
        'and 100; check the comparison')]),
    M('alternative-unknown-name',
      [('    text: The crowd wins.',
        '    text:\n      - when: trst > 5\n        text: Won.\n      - text: The crowd wins.')],
      ["70:15: unknown name 'trst' — did you mean 'trust'?"]),
    M('alternative-chose-in-briefing',
      [('    briefing: Keep order.',
        ('    briefing:\n      - when: chose(crowd, march)\n        text: Marchers.\n'
         '      - text: Keep order.'))],
      [('29:15: chose() cannot be used in alternative 1 of the briefing of role '
        "'government': nobody has decided yet when it is checked — use previous(role, "
        'action) or times(role, action) instead')]),
    M('alternative-as-a-mapping',
      [('    text: The crowd wins.',
        '    text: { when: trust > 5, text: Won. }')],
      [("69:11: expected text for 'text' in 'uprising', found a mapping — to write a text as "
        "alternatives, give a list of them, each '- when: ...' with its 'text:' (an entry of "
        'a list, such as a goal, is then a list inside the list)')]),
    M('result-alternatives',
      [('      government: { result: loss, text: You fell. }',
        ('      government: { result: [{when: trust > 5, result: draw}, {result: loss}], '
         'text: You fell. }'))],
      []),
    M('result-alternative-not-allowed',
      [('      government: { result: loss, text: You fell. }',
        ('      government: { result: [{when: trust > 5, result: lost}, {result: loss}], '
         'text: You fell. }'))],
      [("71:56: 'lost' is not allowed for 'result' in 'uprising' — use one of 'win', 'draw' "
        "or 'loss'")]),
    M('result-last-with-when',
      [('      government: { result: loss, text: You fell. }',
        '      government: { result: [{when: trust > 5, result: draw}], text: You fell. }')],
      [("71:37: the last alternative of the result of 'government' in ending 'uprising' has "
        "a 'when' — the last alternative is shown when no condition holds: remove its "
        "'when', or add an alternative without one after it")]),
    M('placeholder-unknown',
      [('id: base\n',
        'format: 2\nid: base\n'),
       ('    text: The crowd wins.',
        '    text: The crowd wins on {day}.')],
      [("70:29: unknown placeholder '{day}' — placeholders are {date}, {name:ROLE}, "
        '{leader:ROLE} and {value:INDICATOR}; write {{ and }} for a brace')]),
    M('placeholder-lone-brace',
      [('id: base\n',
        'format: 2\nid: base\n'),
       ('    text: The crowd wins.',
        '    text: The crowd wins } today.')],
      [("70:26: a lone '}' in text — write {{ or }} for a brace, or a placeholder: {date}, "
        '{name:ROLE}, {leader:ROLE} and {value:INDICATOR}')]),
    M('placeholder-leader-of-a-role-without-one',
      [('id: base\n',
        'format: 2\nid: base\n'),
       ('    text: The crowd wins.',
        "    text: '{leader:crowd} wins.'")],
      [("70:12: role 'crowd' has no leader, so '{leader:crowd}' has nothing to show — give "
        "role 'crowd' a 'leader', or write {name:crowd} for its name")]),
    M('placeholder-leader-in-a-leader',
      [('id: base\n',
        'format: 2\nid: base\n'),
       ('    name: Government\n',
        "    name: Government\n    leader: 'Deputy of {leader:government}'\n")],
      [("29:24: a leader cannot name a leader — write the leader's name as it reads, or "
        "{name:government} for the role's name")]),
    M('placeholder-unknown-role',
      [('id: base\n',
        'format: 2\nid: base\n'),
       ('    text: The crowd wins.',
        "    text: '{name:crwd} wins.'")],
      ["70:12: unknown role 'crwd' in a placeholder — did you mean 'crowd'?"]),
    M('placeholder-unknown-indicator',
      [('id: base\n',
        'format: 2\nid: base\n'),
       ('    text: The crowd wins.',
        '    text: Protests at {value:protest}.')],
      ["70:23: unknown indicator 'protest' in a placeholder — did you mean 'protest_size'?"]),
    M('placeholder-of-a-flag',
      [('id: base\n',
        'format: 2\nid: base\n'),
       ('    text: The crowd wins.',
        '    text: Martial law {value:martial_law}.')],
      [("70:23: unknown indicator 'martial_law' in a placeholder — 'martial_law' is a flag, "
        "and placeholders show indicators; to tell a flag, write alternatives with 'when: "
        "martial_law'")]),
    M('placeholder-hidden-indicator',
      [('id: base\n',
        'format: 2\nid: base\n'),
       ('    text: The crowd wins.',
        '    text: Trust at {value:trust}.')],
      [("70:20: '{value:trust}' shows an indicator that some readers of this text may not "
        "see — this text is read by every player, and 'trust' is visible to government only: "
        'show it in the briefing of a role that sees it, or make it visible_to: all')]),
    M('placeholder-in-format-1',
      [('    text: The crowd wins.',
        '    text: The crowd wins on {date}.')],
      [("69:11: warning: '{date}' looks like a placeholder, but placeholders need 'format: "
        "2' — add 'format: 2' at the top of the file; until then braces are shown as written")]),
    M('placeholders-that-are-fine',
      [('id: base\n',
        'format: 2\nid: base\n'),
       ('    text: The crowd wins.',
        "    text: '{name:crowd} wins on {date} at {value:protest_size} {{sic}}.'"),
       ('    briefing: Keep order.',
        '    briefing: Trust is {value:trust}.')],
      []),
    M("python-warning-in-an-expression",
      [('    when: "protest_size >= 90"', '    when: "protest_size >= 90if true else 1"')],
      [("68:29: syntax error: invalid decimal literal — put a space between a number and "
       "the word after it")]),
    M("timeline-steps",
      [("      crowd: { result: draw, text: You were heard. }\n",
        "      crowd: { result: draw, text: You were heard. }\n" + TIMELINE)],
      [("82:11: 2 January 2021 is far outside the game's calendar (2 January 2022 to 5 "
        "January 2022) — a step may lie at most 4 days (the game's own length) before its"
        " first day or after its last: check the year, or the calendar's start"),
       ("89:11: timeline step 'half' gives 'role' without 'action' — give both the real "
        "actor's role and the action it took, or neither"),
       ("95:13: 'march' is an action of role 'crowd', not of 'government' — write role: "
        "crowd, or give an action of 'government'"),
       "101:13: role 'crowd' has no action 'marhc' — did you mean 'march'?",
       "106:11: unknown role 'army' — roles are: government, crowd",
       ("109:5: timeline step 'nothing' has no way to match a game — give 'happened:' "
        "(what counts as the same step in a game), or 'role:' and 'action:' (the action "
        "the real actor took)"),
       ("113:9: duplicate timeline step id 'nothing' (already used by timeline step "
        "number 6) — every id must be different: rename one of them")]),
    # Effects written out: delays, spreads, uncertain amounts (docs/authoring.md), drift.
    M("effect-delayed-past-the-end",
      [("          protest_size: 10", "          protest_size: {add: 10, after: 4}")],
      [("49:42: an effect delayed 4 turns lands after the last turn (4) even when it "
        "happens on turn 1, so it never happens — give 'after' a value below 4, or raise "
        "'turns' under 'calendar:'")]),
    M("effect-bounds-reversed",
      [("          protest_size: 10", "          protest_size: {add: [15, 5]}")],
      ["49:31: the lower bound 15 is above the upper bound 5 — write the lower one first: "
       "[5, 15]"]),
    M("effect-bounds-equal",
      [("          protest_size: 10", "          protest_size: {add: [5, 5]}")],
      ["49:31: warning: both bounds are 5, so the amount is always that — write the amount "
       "itself: add: 5"]),
    M("effect-detail-unknown-field",
      [("          protest_size: 10", "          protest_size: {add: 10, aftr: 2}")],
      ["49:35: unknown field 'aftr' in 'crowd' / 'march' — did you mean 'after'?"]),
    M("effect-one-bound",
      [("          protest_size: 10", "          protest_size: {add: [10]}")],
      [("49:31: expected a number or an expression in quotes for 'add' in 'crowd' / "
        "'march', found a list — give two bounds, the lower first: add: [5, 15]")]),
    M("effect-detail-without-add",
      [("          protest_size: 10", "          protest_size: {after: 2}")],
      [("49:11: missing field 'add' in 'crowd' / 'march' — add it (see docs/authoring.md "
        "for every field)")]),
    M("effect-bound-unknown-name",
      [("          protest_size: 10", "          protest_size: {add: [5, trst]}")],
      ["49:35: unknown name 'trst' — did you mean 'trust'?"]),
    M("effect-detail-on-a-flag",
      [("          protest_size: 10", "          martial_law: {add: 1, after: 1}")],
      [("49:24: 'martial_law' is a flag: set it to true or false — flags are yes/no facts; "
        "to count something, make it an indicator")]),
    M("drift-without-effects",
      [("endings:\n", "drift:\n  - id: fatigue\n    name: Fatigue\nendings:\n")],
      [("66:5: warning: drift 'fatigue' has no effects — it changes nothing; add effects or "
        "remove it")]),
    M("drift-duplicate-id",
      [("endings:\n", "drift:\n  - {id: fatigue, name: Fatigue, effects: {trust: -1}}\n"
        "  - {id: fatigue, name: Tiredness, effects: {trust: -1}}\nendings:\n")],
      [("67:10: duplicate drift id 'fatigue' (already used by drift number 1) — every id "
        "must be different: rename one of them")]),
    M("drift-without-a-name",
      [("endings:\n", "drift:\n  - {id: fatigue, effects: {trust: -1}}\nendings:\n")],
      [("66:5: missing field 'name' in 'fatigue' — add it (see docs/authoring.md for every "
        "field)")]),
    # --- offers between sides ---
    M('offer-unknown-role',
      [('endings:\n',
        'offers:\n  - {id: truce, by: crwd, to: government, label: A truce}\nendings:\n')],
      [("66:21: unknown role 'crwd' — did you mean 'crowd'?")]),
    M('offer-to-itself',
      [('endings:\n',
        'offers:\n  - {id: truce, by: crowd, to: crowd, label: A truce}\nendings:\n')],
      [("66:32: offer 'truce' is made by 'crowd' to itself — an offer goes to another role: "
        "give 'to' another role's id")]),
    M('offer-never-made',
      [('endings:\n',
        'offers:\n  - {id: truce, by: crowd, to: government, label: A '
        'truce}\nendings:\n')],
      [("66:5: warning: no action of 'crowd' makes offer 'truce' — give an action of 'crowd' "
        'the line offer: truce')]),
    M('offer-id-is-an-action',
      [('endings:\n',
        'offers:\n  - {id: wait, by: crowd, to: government, label: A truce}\nendings:\n')],
      [("66:5: warning: no action of 'crowd' makes offer 'wait' — give an action of 'crowd' "
        'the line offer: wait'),
       ("66:10: offer id 'wait' is also an action of 'government', the role it is made to — "
        "rename the offer: accepting it is a choice of that role, named by the offer's id")]),
    M('offer-binds-unknown-action',
      [('endings:\n',
        'offers:\n  - {id: truce, by: crowd, to: government, label: A truce, binds: '
        '[{action: crackdwn, turns: 2}]}\nendings:\n')],
      [("66:5: warning: no action of 'crowd' makes offer 'truce' — give an action of 'crowd' "
        'the line offer: truce'),
       ("66:77: role 'government' has no action 'crackdwn' — did you mean 'crackdown'?")]),
    M('offer-duplicate-id',
      [('endings:\n',
        'offers:\n  - {id: truce, by: crowd, to: government, label: A truce}\n  - {id: '
        'truce, by: crowd, to: government, label: A pact}\nendings:\n')],
      [("66:5: warning: no action of 'crowd' makes offer 'truce' — give an action of 'crowd' "
        'the line offer: truce'),
       ("67:5: warning: no action of 'crowd' makes offer 'truce' — give an action of 'crowd' "
        'the line offer: truce'),
       ("67:10: duplicate offer id 'truce' (already used by offer number 1) — every id must "
        'be different: rename one of them')]),
    M('action-offers-unknown',
      [('        cooldown: 1\n',
        '        cooldown: 1\n        offer: truse\n'),
       ('endings:\n',
        'offers:\n  - {id: truce, by: crowd, to: government, label: A '
        'truce}\nendings:\n')],
      [("53:16: unknown offer 'truse' — did you mean 'truce'?"),
       ("67:5: warning: no action of 'crowd' makes offer 'truce' — give an action of 'crowd' "
        'the line offer: truce')]),
    M('action-offers-for-another-role',
      [('        label: Wait\n',
        '        label: Wait\n        offer: truce\n'),
       ('endings:\n',
        'offers:\n  - {id: truce, by: crowd, to: government, label: A '
        'truce}\nendings:\n')],
      [("33:16: offer 'truce' is made by 'crowd', not by 'government' — move this action to "
        "role 'crowd', or write by: government in the offer"),
       ("67:5: warning: no action of 'crowd' makes offer 'truce' — give an action of 'crowd' "
        'the line offer: truce')]),
    M('secret-move-offers-to-a-role-that-does-not-see-it',
      [('        cooldown: 1\n',
        '        cooldown: 1\n        secret: true\n        offer: truce\n'),
       ('endings:\n',
        'offers:\n  - {id: truce, by: crowd, to: government, label: A '
        'truce}\nendings:\n')],
      [("54:16: this secret move makes offer 'truce' to 'government', who does not see it: "
        "the choice 'Accept: ...' on their next turn would tell them — add government to "
        "this action's seen_by, or make the offer from an action that is not secret")]),
    # --- messages a teacher tripped on (issue 12) ---
    M('quote-at-start-of-text',
      [('    text: Police and marchers clash.', '    text: "Gota go home" chant outside.')],
      [('56:11: YAML syntax error: text that starts with a quote ends at its closing quote — '
        'put the whole text in quotes: text: \'"Gota go home" chant outside.\'')]),
    M('apostrophe-in-single-quotes',
      [('    text: Police and marchers clash.', "    text: 'China's ship docks.'")],
      [('56:11: YAML syntax error: an apostrophe inside this quoted text ends it early — '
        'quote it so that the apostrophe is part of the text: text: "China\'s ship docks."')]),
    M('apostrophe-in-single-quotes-in-braces',
      [('crowd: { result: win, text: You won. }', "crowd: { result: win, text: 'It's yours.' }")],
      [('72:35: YAML syntax error: an apostrophe inside this quoted text ends it early — '
        'quote it so that the apostrophe is part of the text: text: "It\'s yours."')]),
    M('percent-in-a-condition',
      [('    when: "protest_size >= 90"', '    when: "protest_size >= 60%"')],
      [("68:28: '60%': a percent sign is not part of the scenario language — percentages are "
        "written as plain numbers: 60 for an indicator measured in percent, 0.6 for a chance")]),
    M('percent-in-an-effect',
      [('          protest_size: 10', '          protest_size: 10%')],
      [("49:25: '10%': a percent sign is not part of the scenario language — percentages are "
        "written as plain numbers: 10 for an indicator measured in percent, 0.1 for a chance")]),
    M('percent-in-a-chance',
      [('    turn: 2\n', "    turn: 2\n    chance: '60%'\n")],
      [("63:14: '60%': a percent sign is not part of the scenario language — a chance is a "
        "plain number between 0 and 1: write 0.6 for 60%")]),
    M('chance-written-as-a-percentage',
      [('    turn: 2\n', '    turn: 2\n    chance: 50\n')],
      [('63:13: chance 50 is not between 0 and 1 — did you mean 0.5? A chance is written '
        'between 0 and 1 (0.25 for one in four, 1 for always)')]),
    M('outcome-chances-written-as-percentages',
      [('      trust: -10\n',
        '      trust: -10\n    outcomes:\n      - {chance: 50, text: a}\n'
        '      - {chance: 50, text: b}\n')],
      [('60:18: chance 50 is not between 0 and 1 — did you mean 0.5? A chance is written '
        'between 0 and 1 (0.25 for one in four, 1 for always)'),
       ('61:18: chance 50 is not between 0 and 1 — did you mean 0.5? A chance is written '
        'between 0 and 1 (0.25 for one in four, 1 for always)')]),
    M('non-breaking-space-after-a-colon',
      [('    title: Payday', '    title:\xa0Payday')],
      [('61:11: YAML syntax error: this line contains a non-breaking space (U+00A0), often '
        'pasted from a web page — YAML does not read it as a space: delete it and type an '
        'ordinary space (or none)')]),
    M('non-breaking-space-in-indentation',
      [('    title: Payday', '\xa0   title: Payday')],
      [('61:1: YAML syntax error: this line contains a non-breaking space (U+00A0), often '
        'pasted from a web page — YAML does not read it as a space: delete it and type an '
        'ordinary space (or none)')]),
    M('non-breaking-space-in-a-condition',
      [('    when: "protest_size >= 90"', '    when: "protest_size\xa0>= 90"')],
      [('68:24: the expression contains a non-breaking space (U+00A0), often pasted from a '
        'web page — delete it and type an ordinary space (or none)')]),
    M('zero-width-space-in-a-condition',
      [('    when: "protest_size >= 90"', '    when: "protest_size\u200b >= 90"')],
      [('68:24: the expression contains a zero-width space (U+200B), often pasted from a web '
        'page — delete it (most editors do not show it: move over it with the arrow keys)')]),
    M('non-breaking-space-after-an-id',
      [('  - id: trust\n', '  - id: trust\xa0\n')],
      [("18:9: 'trust\\u00a0' is not a valid id — it contains a non-breaking space (U+00A0), "
        "often pasted from a web page; delete it and type an ordinary space (or none)")]),
    M('non-breaking-space-after-a-number',
      [('  turns: 4', '  turns: 4\xa0')],
      [("13:10: expected a whole number for 'turns', found '4\\u00a0' — it contains a "
        "non-breaking space (U+00A0), often pasted from a web page; delete it and type an "
        "ordinary space (or none)")]),
    M('zero-width-space-in-an-effect-target',
      [('      trust: -10', '      trust\u200b: -10')],
      [("58:7: unknown indicator or flag 'trust\\u200b' — it contains a zero-width space "
        "(U+200B), often pasted from a web page; delete it (most editors do not show it: "
        "move over it with the arrow keys)")]),
    M('zero-width-space-in-a-field',
      [('author: kazsim tests', 'author\u200b: kazsim tests')],
      ["2:1: missing field 'author' — add it (see docs/authoring.md for every field)",
       ("6:1: unknown field 'author\\u200b' — it contains a zero-width space (U+200B), often "
        "pasted from a web page; delete it (most editors do not show it: move over it with "
        "the arrow keys)")]),
    M('once-under-effects',
      [('          protest_size: 10', '          protest_size: 10\n          once: true')],
      [("50:11: 'once' is not an indicator or flag: it belongs to the action, one level up — "
        "move 'once:' out of 'effects:', so that it lines up with 'effects:'")]),
    M('cooldown-under-effects',
      [('          protest_size: -10\n          trust: -5\n',
        '          protest_size: -10\n          trust: -5\n          cooldown: 2\n')],
      [("39:11: 'cooldown' is not an indicator or flag: it belongs to the action, one level "
        "up — move 'cooldown:' out of 'effects:', so that it lines up with 'effects:'")]),
    M('text-under-effects-of-a-rule',
      [('      trust: -10', '      trust: -10\n      text: Clash.')],
      [("59:7: 'text' is not an indicator or flag: it belongs to the rule, one level up — "
        "move 'text:' out of 'effects:', so that it lines up with 'effects:'")]),
    M('text-is-capital-false',
      [('    text: Police and marchers clash.', '    text: False')],
      ['56:11: expected text for \'text\' in \'clash\', found false — put it in quotes: "False"']),
    M('text-is-no',
      [('    text: Police and marchers clash.', '    text: No')],
      []),
    M('text-is-a-number-in-exponent-form',
      [('    text: Police and marchers clash.', '    text: 1e3')],
      ['56:11: expected text for \'text\' in \'clash\', found 1000.0 — put it in quotes: "1e3"']),
    M('text-is-null',
      [('    text: Police and marchers clash.', '    text: Null')],
      [('56:11: expected text for \'text\' in \'clash\', found nothing — \'Null\' means '
        'nothing in YAML: to write the word, put it in quotes: "Null"')]),
    # A teacher's kit (docs/authoring.md): the glossary, the places, the content warning.
    M("kit-listed-twice",
      [("      crowd: { result: draw, text: You were heard. }\n",
        "      crowd: { result: draw, text: You were heard. }\n" + KIT)],
      [("83:11: the term 'csto' is listed twice (term number 1 is 'CSTO') — give each "
        "term once: merge the two entries"),
       "85:13: unknown source 'scr' — did you mean 'src'?",
       ("90:11: the place 'Almaty' is listed twice (place number 1 is 'Almaty') — give "
        "each place once: merge the two entries")]),
    M("kit-empty-where",
      [("      crowd: { result: draw, text: You were heard. }\n",
        "      crowd: { result: draw, text: You were heard. }\n"
        "places:\n  - name: Almaty\n    where: ''\n    text: Protests.\n")],
      ["82:12: 'where' must not be empty — write some text here"]),
    M("kit-unknown-field",
      [("      crowd: { result: draw, text: You were heard. }\n",
        "      crowd: { result: draw, text: You were heard. }\n"
        "glossary:\n  - term: CSTO\n    meaning: An alliance.\n    meanig: typo\n")],
      ["83:5: unknown field 'meanig' — did you mean 'meaning'?"]),
]


def test_the_base_is_valid() -> None:
    compiled, problems = load_text(BASE, "base.yaml")
    assert compiled is not None and problems == []


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.name for m in MUTATIONS])
def test_mutation(mutation: Mutation) -> None:
    compiled, problems = load_text(mutation.text(), "base.yaml")
    assert [str(p) for p in problems] == [f"base.yaml:{e}" for e in mutation.expect]
    errors = [p for p in problems if p.severity == "error"]
    assert (compiled is None) == bool(errors)


def test_mutation_names_are_unique() -> None:
    assert len({m.name for m in MUTATIONS}) == len(MUTATIONS)


def test_warnings_do_not_stop_loading() -> None:
    mutation = next(m for m in MUTATIONS if m.name == "link-without-https")
    compiled, problems = load_text(mutation.text(), "base.yaml")
    assert compiled is not None
    assert [p.severity for p in problems] == ["warning"]
