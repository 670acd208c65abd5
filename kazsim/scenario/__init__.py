"""Scenario files: the format (dataclasses), the loader, the expression language.

Pure except `load_file`/`validate_file` (which read the named file) and
`catalog` (which lists the scenario folders). The names below are imported on
first use, so that a game started from the cache of validated scenarios
(`kazsim.cache`) never imports the loader, nor with it pydantic and PyYAML.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kazsim.scenario.compiled import CompiledScenario
    from kazsim.scenario.errors import AuthorError, ScenarioError
    from kazsim.scenario.load import load_file, load_text, validate_file
    from kazsim.scenario.model import Scenario

_HOMES = {
    "CompiledScenario": "kazsim.scenario.compiled",
    "AuthorError": "kazsim.scenario.errors",
    "ScenarioError": "kazsim.scenario.errors",
    "load_file": "kazsim.scenario.load",
    "load_text": "kazsim.scenario.load",
    "validate_file": "kazsim.scenario.load",
    "Scenario": "kazsim.scenario.model",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'kazsim.scenario' has no attribute '{name}'")
    return getattr(importlib.import_module(home), name)


__all__ = ["AuthorError", "CompiledScenario", "Scenario", "ScenarioError", "load_file",
           "load_text", "validate_file"]
