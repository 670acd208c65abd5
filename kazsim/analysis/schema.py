"""`kazsim schema`: the JSON Schema of scenario files, for editors that check YAML as you type.

The schema is generated from the pydantic models (`Scenario.model_json_schema()`),
so it cannot disagree with the loader about which fields exist. One file covers
both kinds of scenario file:

- a complete scenario (`$defs/Scenario`, the models' own schema);
- a variant, recognised by its `extends:` key (`$defs/Variant`): the same
  fields, none required, because a variant gives only what differs. Items of
  lists matched by id (roles, actions, indicators...) still need their `id`
  and may say `remove: true`; lists of other things (outcomes, debrief, goals)
  replace the base's list whole, so their items stay complete.

The copy committed as docs/scenario.schema.json is checked against this
generator by the test suite.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

from kazsim.scenario.model import FORMAT_VERSION, Scenario

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILE = "scenario.schema.json"
REF = "#/$defs/"


def _ref_name(node: Any) -> str | None:
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref: str = node["$ref"]
        return ref[len(REF):] if ref.startswith(REF) else None
    return None


class _Partial:
    """Builds 'Partial' copies of model definitions for variants."""

    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs
        self.made: dict[str, Any] = {}

    def keyed(self, name: str) -> bool:
        return "id" in self.defs[name].get("properties", {})

    def of(self, name: str) -> str:
        """The name of the partial copy of `name`, creating it the first time."""
        partial = f"Partial{name}"
        if partial in self.made:
            return partial
        schema = copy.deepcopy(self.defs[name])
        self.made[partial] = schema
        schema["title"] = f"{schema.get('title', name)} (in a variant)"
        keyed = self.keyed(name)
        if keyed:
            schema["required"] = ["id"]
            schema["properties"]["remove"] = {
                "type": "boolean", "const": True,
                "description": "Drop the item with this id from the scenario being extended.",
            }
        else:
            schema.pop("required", None)
        for key, prop in schema.get("properties", {}).items():
            schema["properties"][key] = self.prop(prop)
        return partial

    def prop(self, prop: dict[str, Any]) -> dict[str, Any]:
        """Mappings merge key by key and lists of ided items merge by id: both go partial."""
        name = _ref_name(prop)
        if name is not None:
            return {**prop, "$ref": REF + self.of(name)}
        if prop.get("type") == "array":
            item = _ref_name(prop.get("items"))
            if item is not None and self.keyed(item):
                return {**prop, "items": {"$ref": REF + self.of(item)}}
        if prop.get("type") == "object":
            value = _ref_name(prop.get("additionalProperties"))
            if value is not None:
                return {**prop, "additionalProperties": {"$ref": REF + self.of(value)}}
            patterns = prop.get("patternProperties")
            if isinstance(patterns, dict):
                return {**prop, "patternProperties": {
                    pattern: ({"$ref": REF + self.of(name)}
                              if (name := _ref_name(value)) is not None else value)
                    for pattern, value in patterns.items()}}
        return prop


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file or a variant (a JSON-ready dict)."""
    generated = Scenario.model_json_schema()
    defs: dict[str, Any] = generated.pop("$defs")
    defs["Scenario"] = generated
    partial = _Partial(defs)
    variant = partial.made.pop(partial.of("Scenario"))
    del variant["properties"]["remove"]  # a whole scenario is not an item of a list
    variant["title"] = "Variant"
    variant["description"] = (
        "A variant: extends another scenario and gives only what differs. Mappings merge "
        "key by key, lists of things with an id merge by id (add new ids, 'remove: true' "
        "drops one), any other value replaces the original's."
    )
    variant["properties"] = {
        "extends": {
            "type": "string", "minLength": 1,
            "description": "The scenario this one changes: a path relative to this file, "
                           "or a scenario id from 'kazsim list'.",
        },
        **variant["properties"],
    }
    variant["required"] = ["extends"]
    defs["Variant"] = variant
    defs.update(partial.made)
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "kazsim scenario",
        "description": (
            f"A kazsim scenario file (format {FORMAT_VERSION}), or a variant of one (a file "
            "with 'extends:'). Every field is explained in docs/authoring.md; check a file "
            "with 'kazsim validate FILE'."
        ),
        "if": {"type": "object", "required": ["extends"]},
        "then": {"$ref": REF + "Variant"},
        "else": {"$ref": REF + "Scenario"},
        "$defs": dict(sorted(defs.items())),
    }


def schema_text() -> str:
    """The schema as the text written to files (stable: sorted definitions, 2-space indent)."""
    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"


def schema_command(output: str | None) -> int:
    """`kazsim schema [-o FILE]`: print the schema, or write it to FILE."""
    text = schema_text()
    if output in (None, "-"):
        sys.stdout.write(text)
        return 0
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"kazsim schema: cannot write {output}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {output}", file=sys.stderr)
    return 0
