"""Shared fixtures: the repository's paths and loaded bundled scenarios."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from kazsim.scenario import CompiledScenario, load_file

# Scenarios validated for play are cached (kazsim.scenario.cache); the tests keep
# theirs in a folder of their own, removed at the end, never in the user's cache.
_CACHE = tempfile.mkdtemp(prefix="kazsim-test-cache-")
os.environ["KAZSIM_CACHE_DIR"] = _CACHE
# Games saved where there is no ./saves go to the user's data folder: for the
# tests, one of their own (XDG_DATA_HOME is what platformdirs reads on Linux).
_DATA = tempfile.mkdtemp(prefix="kazsim-test-data-")
os.environ["XDG_DATA_HOME"] = _DATA


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_CACHE, ignore_errors=True)
    shutil.rmtree(_DATA, ignore_errors=True)


ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="session")
def tutorial() -> CompiledScenario:
    return load_file(SCENARIOS / "tutorial.yaml")
