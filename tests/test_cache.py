"""The cache of validated scenarios: the same game as a fresh load, and never a wrong one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kazsim.cache import cache_dir, load_for_play
from kazsim.engine import play_ai_game
from kazsim.scenario.load import validate_file

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KAZSIM_CACHE_DIR", str(folder))
    return folder / "scenarios"


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle")) if folder.is_dir() else []


def test_a_cached_scenario_plays_exactly_like_a_freshly_validated_one(cache: Path) -> None:
    path = SCENARIOS / "kazakhstan-2022.yaml"
    fresh, _ = validate_file(path)
    first, _ = load_for_play(path)  # validates and fills the cache
    assert len(entries(cache)) == 1
    cached, problems = load_for_play(path)  # from the cache
    assert fresh is not None and first is not None and cached is not None
    assert problems == []
    assert cached.model == fresh.model
    assert (cached.content_hash, cached.path) == (fresh.content_hash, fresh.path)
    for seed in (1, 2, 3):
        a, b = play_ai_game(fresh, seed), play_ai_game(cached, seed)
        assert a.state.checksum() == b.state.checksum()
        assert [r.decisions for r in a.records] == [r.decisions for r in b.records]


def test_a_game_from_the_cache_imports_neither_pydantic_nor_yaml(cache: Path) -> None:
    path = SCENARIOS / "tutorial.yaml"
    load_for_play(path)
    code = ("import json, sys\nfrom kazsim.cache import load_for_play\n"
            f"compiled, _ = load_for_play({str(path)!r})\n"
            "print(json.dumps([compiled.id, 'pydantic' in sys.modules, 'yaml' in sys.modules]))")
    env = {**os.environ, "KAZSIM_CACHE_DIR": str(cache.parent)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT, env=env).stdout
    assert json.loads(out) == ["tutorial", False, False]


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_a_damaged_entry_is_ignored_and_replaced(cache: Path, damage: str) -> None:
    path = SCENARIOS / "tutorial.yaml"
    expected, _ = validate_file(path)
    load_for_play(path)
    [entry] = entries(cache)
    data = entry.read_bytes()
    broken = {"truncate": data[: len(data) // 2],
              "flip": data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:],
              "garbage": b"not a cache entry\n\x00\x01",
              "empty": b""}[damage]
    entry.write_bytes(broken)
    compiled, _ = load_for_play(path)
    assert compiled is not None and expected is not None
    assert compiled.model == expected.model
    assert entry.read_bytes() == data  # validated again and written back whole


def test_an_edited_file_is_validated_again(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    text = (SCENARIOS / "tutorial.yaml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    first, _ = load_for_play(path)
    path.write_text(text.replace('title: "', 'title: "Edited ', 1), encoding="utf-8")
    second, _ = load_for_play(path)
    assert first is not None and second is not None
    assert second.model.title.startswith("Edited ")
    assert second.content_hash != first.content_hash
    assert len(entries(cache)) == 2


def test_errors_are_reported_with_positions_and_nothing_is_cached(cache: Path,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    text = (SCENARIOS / "tutorial.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("turns: ", "turns: -", 1), encoding="utf-8")
    compiled, problems = load_for_play(path)
    assert compiled is None
    assert [p for p in problems if p.severity == "error"]
    assert all(p.line > 1 for p in problems)
    assert entries(cache) == []


def test_a_variant_is_validated_again_when_its_base_changes(cache: Path,
                                                            tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    text = (SCENARIOS / "tutorial.yaml").read_text(encoding="utf-8")
    base.write_text(text, encoding="utf-8")
    variant = tmp_path / "variant.yaml"
    variant.write_text("extends: base.yaml\nid: tutorial_variant\nversion: '2'\n",
                       encoding="utf-8")
    first, _ = load_for_play(variant)
    again, _ = load_for_play(variant)
    assert first is not None and again is not None
    assert again.content_hash == first.content_hash
    base.write_text(text.replace('title: "', 'title: "Changed ', 1), encoding="utf-8")
    changed, _ = load_for_play(variant)
    assert changed is not None
    assert changed.model.title.startswith("Changed ")
    assert changed.content_hash != first.content_hash


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KAZSIM_CACHE_DIR", "")
    assert cache_dir() is None
    compiled, _ = load_for_play(SCENARIOS / "tutorial.yaml")
    assert compiled is not None


def test_the_default_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KAZSIM_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "kazsim" / "scenarios"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "kazsim" / "scenarios"


def test_a_cache_that_cannot_be_written_loses_nothing(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("KAZSIM_CACHE_DIR", str(blocker))
    compiled, _ = load_for_play(SCENARIOS / "tutorial.yaml")
    assert compiled is not None
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_missing_file_gets_the_loaders_message(cache: Path, tmp_path: Path) -> None:
    compiled, problems = load_for_play(tmp_path / "nothing.yaml")
    assert compiled is None
    assert [p.message for p in problems] == ["file not found"]


def test_a_copied_variant_is_not_mistaken_for_the_original(cache: Path, tmp_path: Path) -> None:
    """The same variant file in another folder extends that folder's base, not the first."""
    text = (SCENARIOS / "tutorial.yaml").read_text(encoding="utf-8")
    variant = "extends: base.yaml\nid: tutorial_variant\nversion: '2'\n"
    for folder, title in (("one", "One"), ("two", "Two")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "base.yaml").write_text(
            text.replace('title: "', f'title: "{title} ', 1), encoding="utf-8")
        (tmp_path / folder / "variant.yaml").write_text(variant, encoding="utf-8")
    first, _ = load_for_play(tmp_path / "one" / "variant.yaml")
    second, _ = load_for_play(tmp_path / "two" / "variant.yaml")
    assert first is not None and second is not None
    assert first.model.title.startswith("One ") and second.model.title.startswith("Two ")


def test_an_entry_others_could_have_written_is_not_read(cache: Path) -> None:
    path = SCENARIOS / "tutorial.yaml"
    load_for_play(path)
    [entry] = entries(cache)
    assert entry.stat().st_mode & 0o077 == 0  # written for this user only
    entry.chmod(0o666)
    before = entry.stat().st_mtime_ns
    compiled, _ = load_for_play(path)  # not read: validated again, written afresh
    assert compiled is not None
    assert entry.stat().st_mode & 0o022 == 0 and entry.stat().st_mtime_ns >= before
