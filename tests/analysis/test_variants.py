"""Variants (`extends:`) through `kazsim validate` and `kazsim check`, and where errors point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kazsim.cli import main
from kazsim.scenario.load import validate_file

from .support import SCENARIOS

VARIANTS = sorted((SCENARIOS / "variants").glob("*.yaml"))


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(SCENARIOS / "tutorial.yaml", tmp_path / "tutorial.yaml")
    return tmp_path


def variant(folder: Path, text: str) -> Path:
    path = folder / "variant.yaml"
    path.write_text("extends: tutorial.yaml\n" + text, encoding="utf-8")
    return path


@pytest.mark.parametrize("path", VARIANTS, ids=[p.name for p in VARIANTS])
def test_bundled_variants_validate_and_check(path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(path)]) == 0
    assert ": valid (" in capsys.readouterr().out
    assert main(["check", str(path), "--runs", "40", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert sum(e["count"] for e in report["endings"].values()) == 40


def test_a_variant_changes_only_what_it_says(folder: Path) -> None:
    path = variant(folder, "id: rich\nindicators:\n  - id: council_reserves\n    start: 90\n"
                           "roles:\n  - id: council\n    actions:\n      - id: arrest_leaders\n"
                           "        remove: true\n")
    compiled, problems = validate_file(path)
    assert compiled is not None, problems
    base, _ = validate_file(folder / "tutorial.yaml")
    assert base is not None
    assert compiled.initial["council_reserves"] == 90
    assert [a.id for a in compiled.role("council").actions] == ["hold_firm", "subsidise"]
    reserves = next(i for i in compiled.model.indicators if i.id == "council_reserves")
    assert reserves.label == "Council reserves"  # kept from the base
    assert compiled.model.title == base.model.title


def test_an_empty_list_empties_it(folder: Path) -> None:
    compiled, problems = validate_file(variant(folder, "events: []\n"))
    assert compiled is not None, problems
    assert compiled.events == ()


def test_errors_point_into_the_file_that_holds_the_value(folder: Path) -> None:
    path = variant(folder, "roles:\n  - id: council\n    actions:\n      - id: subsidise\n"
                           "        remove: true\n      - id: hold_firm\n"
                           "        available: \"strike_size >> 3\"\n")
    compiled, problems = validate_file(path)
    assert compiled is None
    by_message = {p.message: p for p in problems}
    operator = by_message["operator '>>' is not part of the scenario language"]
    assert (Path(operator.file).name, operator.line) == ("variant.yaml", 8)
    # The rule in the base still names the removed action: reported at the variant's
    # 'remove:' line, naming the line of the base that uses it.
    base_lines = lines_of(folder / "tutorial.yaml")
    rule = next(p for p in problems if p.message.endswith(
        ": role 'council' has no action 'subsidise'"))
    assert (Path(rule.file).name, rule.line) == ("variant.yaml", 6)
    where = rule.message.removeprefix("removing 'subsidise' breaks tutorial.yaml:")
    assert "chose(council, subsidise)" in base_lines[int(where.split(":")[0]) - 1]
    # No action left that can always be chosen: the base's 'actions:' line, named the same way.
    always = next(p for p in problems if "no action it can always take" in p.message)
    assert (Path(always.file).name, always.line) == ("variant.yaml", 6)
    where = always.message.removeprefix("removing 'subsidise' breaks tutorial.yaml:")
    assert base_lines[int(where.split(":")[0]) - 1].strip() == "actions:"


def test_removing_an_id_the_base_does_not_have(folder: Path) -> None:
    path = variant(folder, "rules:\n  - id: talks_with_subsidy\n    remove: true\n"
                           "  - id: no_such_rule\n    remove: true\n")
    compiled, problems = validate_file(path)
    assert compiled is None
    assert [(p.line, p.message) for p in problems] == [
        (5, "cannot remove 'no_such_rule': the scenario this extends has no 'no_such_rule' "
            "here")]


def test_a_variant_of_a_variant_and_a_missing_base(folder: Path) -> None:
    first = variant(folder, "id: first\n")
    second = folder / "second.yaml"
    second.write_text(f"extends: {first.name}\n", encoding="utf-8")
    _, problems = validate_file(second)
    assert "is itself a variant" in problems[0].message
    missing = folder / "missing.yaml"
    missing.write_text("extends: nowhere.yaml\n", encoding="utf-8")
    _, problems = validate_file(missing)
    assert problems[0].message == "cannot find the scenario 'nowhere.yaml' to extend"


def test_a_bundled_scenario_can_be_extended_by_id(tmp_path: Path) -> None:
    path = tmp_path / "v.yaml"
    path.write_text("extends: tutorial\nid: by_id\n", encoding="utf-8")
    compiled, problems = validate_file(path)
    assert compiled is not None, problems
    assert compiled.id == "by_id"
