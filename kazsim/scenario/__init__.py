"""Scenario files: the format (pydantic models), the loader, the expression language.

Pure except `load_file`/`validate_file` (which read the named file) and
`catalog` (which lists the scenario folders).
"""

from kazsim.scenario.compiled import CompiledScenario
from kazsim.scenario.errors import AuthorError, ScenarioError
from kazsim.scenario.load import load_file, load_text, validate_file
from kazsim.scenario.model import Scenario

__all__ = ["AuthorError", "CompiledScenario", "Scenario", "ScenarioError", "load_file",
           "load_text", "validate_file"]
