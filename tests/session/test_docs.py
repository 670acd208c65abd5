"""docs/saves.md describes the format as it is: its example parses, its table lists every field."""

from __future__ import annotations

import re

from kazsim.session.model import SaveFile, ScenarioRef, TurnEntry
from kazsim.session.store import parse_save

from .support import ROOT

DOC = (ROOT / "docs" / "saves.md").read_text(encoding="utf-8")


def test_the_example_in_the_docs_is_a_valid_save() -> None:
    example = re.search(r"```json\n(.*?)```", DOC, re.S)
    assert example is not None
    save = parse_save(example.group(1).encode(), "docs/saves.md")
    assert save.name == "Monday class" and len(save.turns) == 1


def test_the_field_table_names_every_field() -> None:
    table = DOC[DOC.index("| field | what it holds |"):DOC.index("Nothing else is allowed")]
    named = set(re.findall(r"`([a-z_.\[\]]+)`", table))
    expected = {*(f for f in SaveFile.model_fields if f != "scenario"),
                *(f"scenario.{f}" for f in ScenarioRef.model_fields),
                *(f"turns[].{f}" for f in TurnEntry.model_fields if f == "checksum")}
    assert expected <= named, expected - named
