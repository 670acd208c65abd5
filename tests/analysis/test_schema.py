"""`kazsim schema`: the committed schema is the generator's, and it fits real files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from kazsim.analysis.schema import scenario_schema, schema_text
from kazsim.analysis.starter import template_text
from kazsim.cli import main
from kazsim.scenario.model import Scenario

from .support import ROOT, SCENARIOS

COMMITTED = ROOT / "docs" / "scenario.schema.json"


def test_the_committed_schema_is_up_to_date() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), (
        "docs/scenario.schema.json is stale: run 'kazsim schema -o docs/scenario.schema.json'")


def test_the_command_prints_or_writes_it(capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == schema_text()
    target = tmp_path / "s.json"
    assert main(["schema", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == schema_text()
    assert main(["schema", "-o", str(tmp_path / "no" / "s.json")]) == 1
    assert "cannot write" in capsys.readouterr().err


def test_it_describes_scenarios_and_variants() -> None:
    schema = scenario_schema()
    defs = schema["$defs"]
    assert schema["title"] == "kazsim scenario" and "docs/authoring.md" in schema["description"]
    assert schema["then"] == {"$ref": "#/$defs/Variant"}
    assert schema["else"] == {"$ref": "#/$defs/Scenario"}
    assert set(defs["Scenario"]["properties"]) == {f.name for f in dataclasses.fields(Scenario)}
    variant = defs["Variant"]
    assert variant["required"] == ["extends"]
    fields = [f.name for f in dataclasses.fields(Scenario)]
    assert set(variant["properties"]) == {"extends", *fields}
    assert variant["properties"]["roles"]["items"] == {"$ref": "#/$defs/PartialRole"}
    assert defs["PartialRole"]["required"] == ["id"]
    assert "remove" in defs["PartialAction"]["properties"]
    assert "required" not in defs["PartialCalendar"]
    # Lists without ids replace the original's whole, so their items stay complete.
    outcomes = defs["PartialAction"]["properties"]["outcomes"]["items"]
    assert outcomes == {"$ref": "#/$defs/Outcome"}


def _plain(value: Any) -> Any:
    """YAML data as an editor sees it: dates are text."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


FILES = sorted(SCENARIOS.glob("*.yaml")) + sorted((SCENARIOS / "variants").glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_shipped_files_satisfy_the_schema(path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json.loads(schema_text()))
    data = _plain(yaml.safe_load(path.read_text(encoding="utf-8")))
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)]
    assert not errors


def test_the_schema_catches_what_an_editor_should() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json.loads(schema_text()))
    jsonschema.Draft202012Validator.check_schema(json.loads(schema_text()))
    starter = _plain(yaml.safe_load(template_text()))
    assert not list(validator.iter_errors(starter))
    starter["indicators"][0]["lable"] = "typo"
    assert any("lable" in e.message for e in validator.iter_errors(starter))
    partial = {"extends": "x.yaml", "roles": [{"id": "a", "actions": [{"id": "b",
                                                                       "remove": True}]}]}
    assert not list(validator.iter_errors(partial))
    assert list(validator.iter_errors({"extends": "x.yaml", "roles": [{"name": "no id"}]}))
    assert list(validator.iter_errors({"title": "not a variant, and incomplete"}))
