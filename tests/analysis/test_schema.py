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


def _nodes(node: Any) -> Any:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


def test_every_field_is_described() -> None:
    """Editors show the description when completing or hovering over a field."""
    defs = scenario_schema()["$defs"]
    fields = [(name, key, prop) for name, schema in defs.items()
              for key, prop in schema.get("properties", {}).items()]
    assert len(fields) > 150
    assert [f"{name}.{key}" for name, key, prop in fields
            if len(prop.get("description", "")) < 10] == []


def test_completion_never_inserts_null() -> None:
    """A default is what an editor writes when it completes a field: never `null`."""
    schema = scenario_schema()
    assert [n for n in _nodes(schema) if "default" in n and n["default"] is None] == []
    action = schema["$defs"]["Action"]["properties"]
    assert "default" not in action["available"] and "default" not in action["text"]


def test_types_are_what_the_validator_accepts() -> None:
    defs = scenario_schema()["$defs"]
    for name, key in (("Calendar", "turns"), ("Action", "cooldown"), ("Ending", "priority")):
        assert defs[name]["properties"][key]["type"] == "integer", (name, key)
    turn = defs["Event"]["properties"]["turn"]["anyOf"]
    assert turn[0]["type"] == "integer" and turn[1] == {"type": "null"}
    start = defs["Indicator"]["properties"]["start"]
    assert (start["type"], start["minimum"], start["maximum"]) == ("number", -10**12, 10**12)
    assert "not" in start  # .nan
    chance = defs["Outcome"]["properties"]["chance"]["anyOf"]
    assert [b["type"] for b in chance] == ["number", "string"]
    assert (chance[0]["minimum"], chance[0]["maximum"]) == (0, 1)
    assert defs["Event"]["properties"]["chance"]["anyOf"][0]["exclusiveMinimum"] == 0
    title = defs["Scenario"]["properties"]["title"]
    assert title["pattern"] == r"\S" and title["minLength"] == 1
    assert defs["Scenario"]["properties"]["id"]["pattern"] == "^[a-z][a-z0-9_]{0,39}$"
    roles = defs["Ending"]["properties"]["roles"]
    assert roles["propertyNames"]["pattern"] == "^[a-z][a-z0-9_]{0,39}$"
    assert roles["additionalProperties"] == {"$ref": "#/$defs/RoleResult"}
    assert defs["PartialEnding"]["properties"]["roles"]["additionalProperties"] == {
        "$ref": "#/$defs/PartialRoleResult"}


def test_nan_is_refused_and_ordinary_numbers_are_not() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    start = scenario_schema()["$defs"]["Indicator"]["properties"]["start"]
    validator = jsonschema.Draft202012Validator(start)
    for number in (0, -1, 0.5, 1e12, -1e12, 10**12):
        assert validator.is_valid(number), number
    for number in (float("nan"), float("inf"), -float("inf"), 1e13, "5"):
        assert not validator.is_valid(number), number
