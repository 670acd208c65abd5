"""Shared fixtures: the repository's paths and loaded bundled scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest

from kazsim.scenario import CompiledScenario, load_file

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="session")
def tutorial() -> CompiledScenario:
    return load_file(SCENARIOS / "tutorial.yaml")
