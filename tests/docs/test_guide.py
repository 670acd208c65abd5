"""Every example in docs/authoring.md works: the guide cannot go stale.

The block tags are described in tests/docs/guide.py and in the guide's last
section. Each example is its own test, named by its line in the guide.
"""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path

import pytest
import yaml

from kazsim.analysis.findings import build
from kazsim.analysis.simulate import run_games
from kazsim.engine import play_ai_game
from kazsim.scenario import model as m
from kazsim.scenario.expr import BUILTIN_NAMES, FUNCTIONS
from kazsim.scenario.load import load_text, validate_file

from .guide import GUIDE, Block, Stage, blocks, commands, final_stage, matches, run, walk
from .guide import write_stage as write_stage

ALL = blocks()
STAGES = list(walk(ALL))


def of(tag: str, lang: str = "yaml") -> list[Block]:
    return [b for b in ALL if b.lang == lang and b.tag == tag]


def ids(items: list[Block]) -> list[str]:
    return [f"line{b.line}" for b in items]


def stage_at(block: Block) -> Stage:
    return next(stage for b, stage in STAGES if b is block)


def errors_of(text: str, base: Stage) -> list[str]:
    """Problems of `text` merged as a variant into the finished worked example."""
    def resolve(name: str, from_file: str) -> tuple[bytes, str]:
        assert name == "dry_taps.yaml"
        return base.text.encode(), "dry_taps.yaml"

    compiled, problems = load_text("extends: dry_taps.yaml\n" + text, "example.yaml",
                                   resolve=resolve)
    return [str(p) for p in problems if p.severity == "error" or compiled is None]


def test_the_guide_has_every_kind_of_example() -> None:
    assert len(of("step")) >= 8
    assert len(of("change")) >= 4
    assert len(of("complete")) == 1
    assert len(of("fragment")) >= 10
    assert len(of("invalid")) >= 8
    assert len(of("scenario")) >= 1
    assert len([b for b in ALL if b.lang == "console"]) >= 5
    unknown = [b for b in ALL if b.lang == "yaml" and b.tag and b.tag not in
               {"step", "change", "complete", "scenario", "fragment", "invalid"}]
    assert not unknown, f"unknown tags: {[(b.tag, b.where) for b in unknown]}"


def test_the_steps_alone_make_a_scenario_that_plays() -> None:
    last_step = of("step")[-1]
    stage = stage_at(last_step)
    assert stage.changes == 0
    compiled, problems = load_text(stage.text, "dry_taps.yaml")
    assert compiled is not None, [str(p) for p in problems]
    assert play_ai_game(compiled, 1).over


def test_the_finished_example_is_valid_and_plays() -> None:
    compiled, problems = load_text(final_stage().text, "dry_taps.yaml")
    assert compiled is not None, [str(p) for p in problems]
    for seed in range(20):
        game = play_ai_game(compiled, seed)
        assert game.over and len(game.records) <= compiled.last_turn


def test_the_complete_file_is_the_steps_and_changes() -> None:
    (complete,) = of("complete")
    built = stage_at(complete)
    assert yaml.safe_load(complete.text) == built.data(), (
        f"{complete.where}: the complete file differs from the steps and changes before it")
    compiled, problems = load_text(complete.text, "dry_taps.yaml")
    assert compiled is not None, [str(p) for p in problems]


def test_the_balance_story_holds() -> None:
    """The prose of steps 10-11: first a dominant and a rare ending and an
    unread indicator; after the changes, no ending is dominant, rare or unreached, and
    what is left is the unread flag and the governor's first-day habit (the exploits,
    played by `kazsim check` itself, are in the console blocks)."""
    first = stage_at(of("step")[-1])
    last = final_stage()
    kinds = []
    for stage in (first, last):
        compiled, _ = load_text(stage.text, "dry_taps.yaml")
        assert compiled is not None
        tally, _ = run_games(compiled, 1000, 0, jobs=1)
        findings = build(compiled, tally, 0, "easy")
        kinds.append({(w.kind, w.subject) for w in findings.warnings})
    assert ("ending_dominant", "long_summer") in kinds[0]
    assert ("ending_rare", "governor_replaced") in kinds[0]
    assert ("indicator_never_read", "anger") in kinds[0]
    assert ("action_never_chosen", "governor.send_tankers") in kinds[0]
    assert not {k for k in kinds[1] if k[0].startswith("ending_")}
    assert ("ai_habit", "governor.clear_highway") in kinds[0]
    assert kinds[1] == {("flag_never_read", "tankers_sent"),
                        ("ai_habit", "governor.clear_highway")}


@pytest.mark.parametrize("block", of("fragment"), ids=ids(of("fragment")))
def test_fragment(block: Block) -> None:
    problems = errors_of(block.text, final_stage())
    assert not problems, f"{block.where}: " + "\n".join(problems)


@pytest.mark.parametrize("block", of("invalid"), ids=ids(of("invalid")))
def test_invalid_example(block: Block) -> None:
    first = block.text.splitlines()[0]
    prefix = "# kazsim validate says: "
    assert first.startswith(prefix), f"{block.where}: first line must be '{prefix}...'"
    expected = first[len(prefix):]
    problems = errors_of(block.text, final_stage())
    assert problems, f"{block.where}: this example is meant to fail, but it is valid"
    assert any(expected in p for p in problems), (
        f"{block.where}: expected '{expected}' in:\n" + "\n".join(problems))


@pytest.mark.parametrize("block", of("scenario"), ids=ids(of("scenario")))
def test_scenario_example(block: Block, tmp_path: Path) -> None:
    write_stage(final_stage(), tmp_path)
    name = block.attrs.get("file", "example.yaml")
    (tmp_path / name).write_text(block.text, encoding="utf-8")
    compiled, problems = validate_file(tmp_path / name)
    assert compiled is not None, f"{block.where}: " + "\n".join(map(str, problems))
    assert play_ai_game(compiled, 1).over


CONSOLE = [b for b in ALL if b.lang == "console"]


@pytest.mark.parametrize("block", CONSOLE, ids=ids(CONSOLE))
def test_console_example(block: Block, tmp_path: Path) -> None:
    write_stage(stage_at(block), tmp_path)
    for command in commands(block):
        status, actual = run(command.argv, tmp_path)
        assert status in (0, 1), f"{block.where}: kazsim {' '.join(command.argv)} -> {status}"
        assert matches(command.expected, actual), (
            f"{block.where}: the output of 'kazsim {' '.join(command.argv)}' changed; if "
            "that is intended, run 'python tests/docs/update_guide.py'. It is now:\n"
            + "\n".join(actual))


def _fields(part: type, seen: set[type]) -> set[str]:
    names = {f.name for f in dataclasses.fields(part)}
    seen.add(part)
    for annotation in typing.get_type_hints(part).values():
        for candidate in m.PARTS:
            if candidate not in seen and candidate.__name__ in str(annotation):
                names |= _fields(candidate, seen)
    return names


def test_every_field_and_function_is_explained() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    fields = _fields(m.Scenario, set())
    missing = sorted(f for f in fields if f"`{f}`" not in text)
    assert not missing, f"fields the guide never names: {missing}"
    words = [*FUNCTIONS, *BUILTIN_NAMES]
    missing = sorted(w for w in words if f"`{w}" not in text)
    assert not missing, f"names of the expression language the guide never shows: {missing}"


@pytest.mark.parametrize("block", of("change"), ids=ids(of("change")))
def test_a_change_is_a_variant(block: Block) -> None:
    """The guide says changes are written the way variants are: merging the change as
    a real variant gives the same scenario as the file the guide's steps build."""
    index = next(i for i, (b, _) in enumerate(STAGES) if b is block)
    before, after = STAGES[index - 1][1], STAGES[index][1]

    def resolve(name: str, from_file: str) -> tuple[bytes, str]:
        return before.text.encode(), "dry_taps.yaml"

    as_variant, problems = load_text("extends: dry_taps.yaml\n" + block.text, "change.yaml",
                                     resolve=resolve)
    as_file, _ = load_text(after.text, "dry_taps.yaml")
    if as_file is None:  # an intermediate state may be invalid; then both must be
        assert as_variant is None
        return
    assert as_variant is not None, [str(p) for p in problems]
    assert as_variant.model == as_file.model


def test_matching_console_output() -> None:
    assert matches(["a", "...", "z"], ["a", "b", "c", "z"])
    assert matches(["a", "..."], ["a"])
    assert not matches(["a", "b"], ["a", "b", "c"])
    assert not matches(["a", "...", "y"], ["a", "b", "z"])


def test_reading_tagged_blocks() -> None:
    text = "intro\n```yaml fragment\nid: x\n```\n```yaml scenario file=a.yaml\nid: y\n```\n"
    first, second = blocks(text)
    assert (first.tag, first.text, first.line) == ("fragment", "id: x\n", 2)
    assert (second.tag, second.attrs, second.line) == ("scenario", {"file": "a.yaml"}, 5)
