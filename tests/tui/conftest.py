"""Fixtures for the terminal game's tests: a save folder, and pinned scenario folders."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kazsim.scenario import catalog

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture
def save_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh working directory; games are saved in ./saves (a short, stable path)."""
    monkeypatch.chdir(tmp_path)
    return Path("saves")


@pytest.fixture
def only_scenarios(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Make the game find only copies of the named bundled scenarios (plus ./scenarios),
    so a scenario added to the repository does not change what these tests see."""
    def use(*names: str) -> None:
        folder = tmp_path / "bundled"
        folder.mkdir()
        for name in names:
            shutil.copy(SCENARIOS / f"{name}.yaml", folder)

        def dirs() -> list[Path]:
            local = Path.cwd() / "scenarios"
            return [folder, *([local.resolve()] if local.is_dir() else [])]
        monkeypatch.setattr(catalog, "scenario_dirs", dirs)
    return use
