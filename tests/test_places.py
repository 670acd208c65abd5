"""Where kazsim keeps saves, its cache and its docs (kazsim.places)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kazsim import places


def test_save_dir_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("KAZSIM_SAVE_DIR", raising=False)
    assert places.save_dir() == tmp_path / "data" / "kazsim" / "saves"
    (tmp_path / "saves").mkdir()
    assert places.save_dir() == tmp_path / "saves"
    monkeypatch.setenv("KAZSIM_SAVE_DIR", "from-env")
    assert places.save_dir() == tmp_path / "from-env"
    assert places.save_dir("given") == tmp_path / "given"


def test_cache_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAZSIM_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c"))
    assert places.cache_root() == tmp_path / "c" / "kazsim"
    monkeypatch.setenv("KAZSIM_CACHE_DIR", "")
    assert places.cache_root() is None
    monkeypatch.setenv("KAZSIM_CACHE_DIR", str(tmp_path / "mine"))
    assert places.cache_root() == tmp_path / "mine"


def test_docs_are_found() -> None:
    assert places.doc("authoring.md").is_file()
    assert places.doc("scenario.schema.json").is_file()
