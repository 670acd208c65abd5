"""The cache of validated scenarios: the same game as a fresh load, and never a wrong one.

Each attack of issue 10 has a test here: a symlink named after a key (to a file
of the user's with chosen bytes, or to another scenario's entry), a FIFO, a
1 GB file, a folder others can write to (umask 000); and the cache is pruned.
"""

from __future__ import annotations

import copy
import dataclasses
import glob
import hashlib
import json
import os
import pickle
import re
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Annotated, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kazsim.cache as cache_module
from kazsim.cache import cache_dir, encode_entry, entry_path, load_for_play, prune
from kazsim.engine import play_ai_game
from kazsim.plain import from_plain, to_plain
from kazsim.scenario.load import scenario_adapter, validate_file
from kazsim.scenario.model import Role, Scenario, Spec

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
TUTORIAL = SCENARIOS / "tutorial.yaml"
CSTO = SCENARIOS / "csto-decision.yaml"
VALID_FILES = sorted(
    path for path in [*SCENARIOS.glob("**/*.yaml"), ROOT / "tests" / "engine" / "in_time.yaml",
                      *(Path(p) for p in glob.glob(str(ROOT / "tests/corpus/**/*.yaml"),
                                                   recursive=True))]
    if validate_file(path)[0] is not None)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KAZSIM_CACHE_DIR", str(folder))
    return folder / "scenarios"


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def key_of(path: Path) -> Path:
    where = entry_path(path)
    assert where is not None
    return where


def model_of(path: Path) -> Scenario:
    compiled, _ = validate_file(path)
    assert compiled is not None
    return compiled.model


def forge(path: Path, model: Scenario) -> bytes:
    """A well-formed entry for `path` (its path, its bytes' hash) holding `model`: what
    an attacker who can write the folder would plant. Were it read, `model` would play."""
    header = cache_module._header(str(path), path.read_bytes())
    stored = encode_entry(model, "0" * 64, header, [])
    assert stored is not None
    return stored


def assert_exactly(compiled: Any, path: Path) -> None:
    """`compiled` is the file at `path`, exactly as validation gives it."""
    expected = model_of(path)
    assert compiled is not None
    assert compiled.model == expected and repr(compiled.model) == repr(expected)


def in_thread(function: Any, timeout: float = 30.0) -> Any:
    """`function()`, failing (instead of hanging the tests) when it does not return."""
    result: list[Any] = []
    worker = threading.Thread(target=lambda: result.append(function()), daemon=True)
    worker.start()
    worker.join(timeout)
    assert not worker.is_alive(), f"still waiting after {timeout} s"
    return result[0]


# --- the cache gives the same game ------------------------------------------------------------


def test_a_cached_scenario_plays_exactly_like_a_freshly_validated_one(cache: Path) -> None:
    path = SCENARIOS / "kazakhstan-2022.yaml"
    fresh, _ = validate_file(path)
    first, _ = load_for_play(path)  # validates and fills the cache
    assert len(entries(cache)) == 1
    cached, problems = load_for_play(path)  # from the cache
    assert fresh is not None and first is not None and cached is not None
    assert problems == []
    assert cached.model == fresh.model and repr(cached.model) == repr(fresh.model)
    assert (cached.content_hash, cached.path) == (fresh.content_hash, fresh.path)
    for seed in (1, 2, 3):
        a, b = play_ai_game(fresh, seed), play_ai_game(cached, seed)
        assert a.state.checksum() == b.state.checksum()
        assert [r.decisions for r in a.records] == [r.decisions for r in b.records]


@pytest.mark.parametrize("path", VALID_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_valid_file_comes_back_from_its_entry_exactly(cache: Path, path: Path) -> None:
    expected = model_of(path)
    plain = json.loads(json.dumps(to_plain(expected)))
    back = from_plain(Scenario, plain)
    assert back == expected and repr(back) == repr(expected)  # 1 vs 1.0 vs True too
    load_for_play(path)
    assert key_of(path).is_file()
    cached, _ = load_for_play(path)
    assert_exactly(cached, path)


def test_a_game_from_the_cache_imports_neither_pydantic_nor_yaml_nor_pickle(cache: Path) -> None:
    load_for_play(TUTORIAL)
    code = ("import json, sys\nfrom kazsim.cache import load_for_play\n"
            f"compiled, _ = load_for_play({str(TUTORIAL)!r})\n"
            "print(json.dumps([compiled.id, *(m in sys.modules for m in "
            "('pydantic', 'yaml', 'pickle'))]))")
    env = {**os.environ, "KAZSIM_CACHE_DIR": str(cache.parent)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT, env=env).stdout
    assert json.loads(out) == ["tutorial", False, False, False]


# --- damaged and stale entries ----------------------------------------------------------------


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_a_damaged_entry_is_ignored_and_replaced(cache: Path, damage: str) -> None:
    load_for_play(TUTORIAL)
    [entry] = entries(cache)
    data = entry.read_bytes()
    broken = {"truncate": data[: len(data) // 2],
              "flip": data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:],
              "garbage": b"not a cache entry\n\x00\x01",
              "empty": b""}[damage]
    entry.write_bytes(broken)
    compiled, _ = load_for_play(TUTORIAL)
    assert_exactly(compiled, TUTORIAL)
    assert entry.read_bytes() == data  # validated again and written back whole


def rewrite(entry: Path, change: Any) -> None:
    """Change the entry's JSON with `change(document)` and store it with a valid checksum."""
    document = json.loads(entry.read_bytes().partition(b"\n")[2])
    text = change(document)
    payload = (text if isinstance(text, str) else json.dumps(document)).encode()
    entry.write_bytes(hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)


def _set(document: dict[str, Any], keys: tuple[Any, ...], value: Any) -> None:
    node = document
    for key in keys[:-1]:
        node = node[key]
    node[keys[-1]] = value


def _number(document: dict[str, Any], field: str, written: str) -> str:
    """The document as JSON text with the first number of `field` written as `written`."""
    text, found = re.subn(rf'("{field}": )-?[0-9.]+', rf"\g<1>{written}", json.dumps(document),
                          count=1)
    assert found == 1
    return text


MALFORMED: dict[str, Any] = {
    "wrong type": lambda d: _set(d, ("scenario", "calendar", "turns"), "12"),
    "a whole number for a number": lambda d: _set(
        d, ("scenario", "roles", 0, "ai", "randomness"), 0),
    "true for a whole number": lambda d: _set(
        d, ("scenario", "roles", 0, "actions", 0, "cooldown"), True),
    "true for a number": lambda d: _set(d, ("scenario", "indicators", 0, "start"), True),
    "over the upper bound": lambda d: _set(d, ("scenario", "calendar", "turns"), 201),
    "under the lower bound": lambda d: _set(d, ("scenario", "calendar", "turns"), 0),
    "too short": lambda d: _set(d, ("scenario", "roles"), []),
    "not an id": lambda d: _set(d, ("scenario", "indicators", 0, "id"), "Not An Id"),
    "text with spaces around": lambda d: _set(d, ("scenario", "title"), " Tutorial "),
    "a date that is not one": lambda d: _set(d, ("scenario", "calendar", "start"),
                                             "2022-02-30"),
    "missing field": lambda d: d["scenario"].pop("flags"),
    "extra field": lambda d: _set(d, ("scenario", "calendar", "extra"), 1),
    "extra top-level key": lambda d: _set(d, ("note",), "hello"),
    "not a list": lambda d: _set(d, ("scenario", "roles"), {"0": 1}),
    "another format": lambda d: _set(d, ("kazsim_cache",), 1),
    "another file": lambda d: _set(d, ("for", "path"), str(CSTO)),
    "other bytes": lambda d: _set(d, ("for", "sha256"), "0" * 64),
    "a bad content hash": lambda d: _set(d, ("content_hash",), 5),
    "a dependency that is not there": lambda d: _set(
        d, ("dependencies",), [["nothing.yaml", "nothing.yaml", "0" * 64]]),
    "a number too big for a float": lambda d: _number(d, "start", "1e400"),
    "infinity": lambda d: _number(d, "start", "Infinity"),
    "not a number": lambda d: _number(d, "start", "NaN"),
    "five thousand digits": lambda d: _number(d, "turns", "9" * 5000),
    "deep nesting": lambda d: "[" * 100_000 + "]" * 100_000,
    "not a document": lambda d: "[]",
}


@pytest.mark.parametrize("change", list(MALFORMED), ids=list(MALFORMED))
def test_a_malformed_entry_is_a_miss_never_an_error(cache: Path, change: str) -> None:
    load_for_play(TUTORIAL)
    entry = key_of(TUTORIAL)
    rewrite(entry, MALFORMED[change])
    document = entry.read_bytes().partition(b"\n")[2]
    header = cache_module._header(str(TUTORIAL), TUTORIAL.read_bytes())
    assert cache_module.decode_entry(entry.read_bytes(), header, str(TUTORIAL)) is None, document
    compiled, _ = load_for_play(TUTORIAL)
    assert_exactly(compiled, TUTORIAL)


def test_an_edited_file_replaces_its_entry(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    text = TUTORIAL.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    first, _ = load_for_play(path)
    path.write_text(text.replace('title: "', 'title: "Edited ', 1), encoding="utf-8")
    second, _ = load_for_play(path)
    assert first is not None and second is not None
    assert second.model.title.startswith("Edited ")
    assert second.content_hash != first.content_hash
    assert entries(cache) == [key_of(path)]  # one entry per file: the cache does not grow
    again, _ = load_for_play(path)
    assert again is not None and again.model == second.model


def test_errors_are_reported_with_positions_and_nothing_is_cached(cache: Path,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    text = TUTORIAL.read_text(encoding="utf-8")
    path.write_text(text.replace("turns: ", "turns: -", 1), encoding="utf-8")
    compiled, problems = load_for_play(path)
    assert compiled is None
    assert [p for p in problems if p.severity == "error"]
    assert all(p.line > 1 for p in problems)
    assert entries(cache) == []


def test_a_variant_is_validated_again_when_its_base_changes(cache: Path,
                                                            tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    text = TUTORIAL.read_text(encoding="utf-8")
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


def test_a_copied_variant_is_not_mistaken_for_the_original(cache: Path, tmp_path: Path) -> None:
    """The same variant file in another folder extends that folder's base, not the first."""
    text = TUTORIAL.read_text(encoding="utf-8")
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


# --- where it lives ---------------------------------------------------------------------------


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KAZSIM_CACHE_DIR", "")
    assert cache_dir() is None and entry_path(TUTORIAL) is None
    compiled, _ = load_for_play(TUTORIAL)
    assert compiled is not None


def test_the_default_folder_is_the_users_cache_folder(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    monkeypatch.delenv("KAZSIM_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if sys.platform.startswith("linux"):
        assert cache_dir() == tmp_path / "kazsim" / "scenarios"
    from kazsim.places import cache_root

    assert cache_dir() == cache_root() / "scenarios"  # type: ignore[operator]


def test_a_cache_that_cannot_be_written_loses_nothing(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("KAZSIM_CACHE_DIR", str(blocker))
    compiled, _ = load_for_play(TUTORIAL)
    assert compiled is not None
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_missing_file_gets_the_loaders_message(cache: Path, tmp_path: Path) -> None:
    compiled, problems = load_for_play(tmp_path / "nothing.yaml")
    assert compiled is None
    assert [p.message for p in problems] == ["file not found"]


def test_the_scenario_size_limit_is_the_loaders() -> None:
    from kazsim.scenario.yamlsafe import MAX_BYTES

    assert cache_module.MAX_BYTES == MAX_BYTES


# --- attacks (issue 10) -----------------------------------------------------------------------


class _Plant:
    """Unpickling this creates a marker file: proof that the entry ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.marker,))


def _old_entry(marker: Path) -> bytes:
    """An entry of the earlier format (checksum line, then a pickle) that runs code."""
    payload = pickle.dumps(_Plant(marker))
    return hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


@pytest.mark.parametrize("how", ["symlink", "hard link"])
def test_a_link_to_a_users_file_with_chosen_bytes_is_not_followed(cache: Path, tmp_path: Path,
                                                                  how: str) -> None:
    """The attack of issue 10: a symlink (or a hard link) named after the tutorial's key,
    to a file the victim owns with the attacker's bytes (code to run, or another scenario)."""
    marker = tmp_path / "the-attackers-code-ran"
    for chosen in (_old_entry(marker), forge(TUTORIAL, model_of(CSTO))):
        cache.mkdir(parents=True, exist_ok=True)
        target = tmp_path / "downloaded-by-the-victim"
        target.unlink(missing_ok=True)
        target.write_bytes(chosen)
        target.chmod(0o600)
        key = key_of(TUTORIAL)
        key.unlink(missing_ok=True)
        if how == "symlink":
            key.symlink_to(target)
        else:
            os.link(target, key)
        compiled, _ = load_for_play(TUTORIAL)
        assert_exactly(compiled, TUTORIAL)  # not the CSTO scenario
        assert not marker.exists()
        assert not key.is_symlink() and key.is_file()  # replaced by a real entry
        assert not key.samefile(target)
        assert target.read_bytes() == chosen  # and what it pointed to is untouched


def test_the_forged_entry_would_have_been_read_in_place(cache: Path) -> None:
    """The forgery the attack tests use is good enough to be read when it is not planted
    (else those tests would prove nothing)."""
    load_for_play(TUTORIAL)
    key_of(TUTORIAL).write_bytes(forge(TUTORIAL, model_of(CSTO)))
    compiled, _ = load_for_play(TUTORIAL)
    assert compiled is not None and compiled.id == "csto_decision"


@pytest.mark.parametrize("how", ["symlink", "copy", "hard link"])
def test_a_key_pointing_at_another_scenarios_entry_does_not_start_it(cache: Path,
                                                                     how: str) -> None:
    load_for_play(CSTO)
    other = key_of(CSTO)
    key = key_of(TUTORIAL)
    if how == "symlink":
        key.symlink_to(other)
    elif how == "copy":
        key.write_bytes(other.read_bytes())
        key.chmod(0o600)
    else:
        os.link(other, key)
    valid, _ = validate_file(TUTORIAL)
    assert valid is not None and valid.id == "tutorial"
    compiled, _ = load_for_play(TUTORIAL)
    assert_exactly(compiled, TUTORIAL)
    assert_exactly(load_for_play(CSTO)[0], CSTO)  # the other entry still serves its file


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_after_a_key_does_not_hang_start_up(cache: Path) -> None:
    cache.mkdir(parents=True)
    os.mkfifo(key_of(TUTORIAL), 0o600)
    compiled, _ = in_thread(lambda: load_for_play(TUTORIAL))
    assert_exactly(compiled, TUTORIAL)
    assert stat.S_ISREG(os.lstat(key_of(TUTORIAL)).st_mode)


@pytest.mark.parametrize("how", ["symlink", "in place"])
def test_a_huge_file_named_after_a_key_is_never_read(cache: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     how: str) -> None:
    cache.mkdir(parents=True)
    huge = tmp_path / "huge" if how == "symlink" else key_of(TUTORIAL)
    with open(huge, "wb") as stream:  # sparse: 1 GB that takes no disk
        stream.truncate(1 << 30)
    huge.chmod(0o600)
    if how == "symlink":
        key_of(TUTORIAL).symlink_to(huge)
    reads: list[tuple[str, int]] = []
    real = cache_module.read_regular

    def spy(path: Any, limit: int, **options: Any) -> bytes:
        reads.append((os.fspath(path), limit))
        return real(path, limit, **options)

    monkeypatch.setattr(cache_module, "read_regular", spy)
    compiled, _ = load_for_play(TUTORIAL)
    assert_exactly(compiled, TUTORIAL)
    assert (str(key_of(TUTORIAL)), cache_module.MAX_ENTRY_BYTES) not in reads  # never opened
    assert all(limit <= cache_module.MAX_ENTRY_BYTES for _, limit in reads)


def test_an_oversized_entry_is_refused_by_its_size(cache: Path) -> None:
    load_for_play(TUTORIAL)
    entry = key_of(TUTORIAL)
    with open(entry, "ab") as stream:
        stream.truncate(cache_module.MAX_ENTRY_BYTES + 1)
    header = cache_module._header(str(TUTORIAL), TUTORIAL.read_bytes())
    assert cache_module._read(entry, header, str(TUTORIAL)) is None
    assert_exactly(load_for_play(TUTORIAL)[0], TUTORIAL)


def test_folders_are_private_whatever_the_umask(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    root = tmp_path / "shared" / "deeper" / "kazsim"
    monkeypatch.setenv("KAZSIM_CACHE_DIR", str(root))
    before = os.umask(0)
    try:
        compiled, _ = load_for_play(TUTORIAL)
    finally:
        os.umask(before)
    assert compiled is not None
    for folder in (tmp_path / "shared", tmp_path / "shared" / "deeper", root,
                   root / "scenarios"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    [entry] = entries(root / "scenarios")
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


def test_a_folder_others_could_write_to_is_not_read_then_closed_and_emptied(
        cache: Path, tmp_path: Path) -> None:
    """As an earlier kazsim left it under umask 000: 0777, with an entry planted in it."""
    load_for_play(TUTORIAL)
    key_of(TUTORIAL).write_bytes(forge(TUTORIAL, model_of(CSTO)))
    planted = cache / "planted-by-someone"
    planted.write_text("anything")
    cache.chmod(0o777)
    compiled, _ = load_for_play(TUTORIAL)
    assert_exactly(compiled, TUTORIAL)  # the folder was not trusted
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert not planted.exists()
    assert_exactly(load_for_play(TUTORIAL)[0], TUTORIAL)  # and now serves the real entry


def test_an_entry_others_could_have_written_is_not_read(cache: Path) -> None:
    load_for_play(TUTORIAL)
    entry = key_of(TUTORIAL)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600  # written for this user only
    entry.write_bytes(forge(TUTORIAL, model_of(CSTO)))
    entry.chmod(0o666)
    compiled, _ = load_for_play(TUTORIAL)  # not read: validated again, written afresh
    assert_exactly(compiled, TUTORIAL)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


needs_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="giving a file to another account needs root")


@needs_root
def test_an_entry_of_another_account_is_not_read(cache: Path) -> None:
    load_for_play(TUTORIAL)
    entry = key_of(TUTORIAL)
    entry.write_bytes(forge(TUTORIAL, model_of(CSTO)))
    os.chown(entry, 65534, 65534)
    assert_exactly(load_for_play(TUTORIAL)[0], TUTORIAL)


@needs_root
def test_a_folder_of_another_account_is_neither_read_nor_written(cache: Path) -> None:
    load_for_play(TUTORIAL)
    key_of(TUTORIAL).write_bytes(forge(TUTORIAL, model_of(CSTO)))
    os.chown(cache, 65534, 65534)
    before = key_of(TUTORIAL).read_bytes()
    assert_exactly(load_for_play(TUTORIAL)[0], TUTORIAL)
    assert key_of(TUTORIAL).read_bytes() == before


def test_old_pickle_entries_are_deleted_never_read(cache: Path, tmp_path: Path) -> None:
    marker = tmp_path / "the-pickle-ran"
    cache.mkdir(parents=True)
    old = cache / (hashlib.sha256(b"an entry of kazsim 0.1").hexdigest() + ".pickle")
    old.write_bytes(_old_entry(marker))
    old.chmod(0o600)
    assert_exactly(load_for_play(TUTORIAL)[0], TUTORIAL)
    assert_exactly(load_for_play(TUTORIAL)[0], TUTORIAL)
    assert not marker.exists() and not old.exists()


# --- pruning ----------------------------------------------------------------------------------


def _fake(folder: Path, n: int, age_days: float, now: float, size: int = 10) -> Path:
    path = folder / (hashlib.sha256(str(n).encode()).hexdigest() + ".json")
    path.write_bytes(b"x" * size)
    os.utime(path, (now - age_days * 86_400, now - age_days * 86_400))
    return path


def test_pruning_keeps_the_most_recently_used_and_removes_the_rest(tmp_path: Path) -> None:
    now = time.time()
    keep = cache_module.KEEP_ENTRIES
    recent = [_fake(tmp_path, n, age_days=n / 100, now=now) for n in range(keep + 10)]
    stale = _fake(tmp_path, 10_000, age_days=cache_module.KEEP_DAYS + 1, now=now)
    old_pickle = tmp_path / "abc.pickle"
    old_pickle.write_bytes(b"old")
    crashed = tmp_path / ".abc.tmp"
    crashed.write_bytes(b"half")
    os.utime(crashed, (now - 7200, now - 7200))
    writing = tmp_path / ".def.tmp"  # another kazsim may be writing it right now
    writing.write_bytes(b"half")
    unrelated = tmp_path / "notes.txt"
    unrelated.write_text("mine")
    prune(tmp_path, now)
    assert sorted(tmp_path.glob("*.json")) == sorted(recent[:keep])
    assert not stale.exists() and not old_pickle.exists() and not crashed.exists()
    assert writing.exists() and unrelated.exists()


def test_pruning_bounds_the_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "KEEP_BYTES", 250)
    now = time.time()
    made = [_fake(tmp_path, n, age_days=n, now=now, size=100) for n in range(5)]
    prune(tmp_path, now)
    assert sorted(tmp_path.glob("*.json")) == sorted(made[:2])


def test_writing_an_entry_prunes_the_folder(cache: Path, tmp_path: Path) -> None:
    cache.mkdir(parents=True)
    stale = _fake(cache, 1, age_days=cache_module.KEEP_DAYS + 1, now=time.time())
    load_for_play(TUTORIAL)
    assert entries(cache) == [key_of(TUTORIAL)] and not stale.exists()


def test_a_game_from_the_cache_marks_its_entry_used(cache: Path) -> None:
    load_for_play(TUTORIAL)
    entry = key_of(TUTORIAL)
    long_ago = time.time() - 10 * 86_400
    os.utime(entry, (long_ago, long_ago))
    load_for_play(TUTORIAL)  # a hit
    assert entry.stat().st_mtime > long_ago + 9 * 86_400
    yesterday_evening = time.time() - 3600
    os.utime(entry, (yesterday_evening, yesterday_evening))
    load_for_play(TUTORIAL)  # used within the day: not written to again
    assert entry.stat().st_mtime == pytest.approx(yesterday_evening, abs=0.01)


# --- properties -------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_any_damage_to_an_entry_gives_the_right_scenario_or_a_miss(
        cache: Path, data: st.DataObject) -> None:
    load_for_play(TUTORIAL)
    entry = key_of(TUTORIAL)
    stored = bytearray(entry.read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(stored)))
        how = data.draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        if how == "flip" and at < len(stored):
            stored[at] ^= data.draw(st.integers(1, 255))
        elif how == "insert":
            stored[at:at] = data.draw(st.binary(min_size=1, max_size=8))
        elif how == "delete":
            del stored[at:at + data.draw(st.integers(1, 8))]
        else:
            del stored[at:]
    entry.write_bytes(bytes(stored))
    compiled, _ = load_for_play(TUTORIAL)
    assert_exactly(compiled, TUTORIAL)


_JSON_LEAVES = (st.none() | st.booleans() | st.integers() | st.integers(-10**30, 10**30)
                | st.floats(allow_nan=True, allow_infinity=True)
                | st.text(max_size=12) | st.sampled_from(
                    ["all", "human", "ai", "good", "day", " x", "x ", "", "2022-01-05",
                     "2022-13-01", "turn > 1", "a_b", "A"]))
_JSON = st.recursive(_JSON_LEAVES, lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)
_TUTORIAL_PLAIN: list[Any] = []


def _tutorial_plain() -> Any:
    if not _TUTORIAL_PLAIN:
        _TUTORIAL_PLAIN.append(to_plain(model_of(TUTORIAL)))
    return copy.deepcopy(_TUTORIAL_PLAIN[0])


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_decoder_accepts_only_what_validation_accepts_and_gives_the_same(
        data: st.DataObject) -> None:
    """Mutate the plain data anywhere (a value replaced, a key removed or added, a value
    wrapped); the decoder then refuses it, or gives exactly what pydantic validates it to.
    It never raises."""
    plain = _tutorial_plain()
    for _ in range(data.draw(st.integers(1, 3))):
        node, key = None, None
        here: Any = plain
        while isinstance(here, dict | list) and here and data.draw(st.integers(0, 3)) > 0:
            keys = list(here) if isinstance(here, dict) else list(range(len(here)))
            node, key = here, data.draw(st.sampled_from(keys))
            here = here[key]
        if node is None:
            continue
        how = data.draw(st.sampled_from(["replace", "remove", "add", "wrap"]))
        if how == "replace":
            node[key] = data.draw(_JSON)
        elif how == "remove":
            del node[key]
        elif how == "wrap":
            node[key] = [node[key]]
        elif isinstance(node, dict):
            node[data.draw(st.text(max_size=8))] = data.draw(_JSON)
        else:
            node.insert(key, data.draw(_JSON))
    decoded = from_plain(Scenario, plain)  # never raises
    if decoded is not None:
        validated = scenario_adapter().validate_python(copy.deepcopy(plain))
        assert validated == decoded and repr(validated) == repr(decoded)


@dataclasses.dataclass(frozen=True)
class _Even:
    n: Annotated[int, Spec(multiple_of=2)]


@dataclasses.dataclass(frozen=True)
class _Unknown:
    items: set[int]


@pytest.mark.parametrize("cls", [_Even, _Unknown])
def test_the_decoder_refuses_what_it_cannot_check(cls: type) -> None:
    """A constraint or an annotation kazsim.plain does not know is never taken on trust:
    nothing decodes (the test above shows that every bundled scenario does)."""
    assert from_plain(cls, {"items": [1]} if cls is _Unknown else {"n": 2}) is None


def test_the_decoder_works_on_any_part_of_the_format() -> None:
    role = model_of(TUTORIAL).roles[0]
    assert from_plain(Role, to_plain(role)) == role
    assert from_plain(Role, {**to_plain(role), "ai": to_plain(role.ai.__class__())}) == \
        dataclasses.replace(role, ai=role.ai.__class__())


def test_the_attack_of_issue_10_through_kazsim_play_auto(tmp_path: Path) -> None:
    """End to end, as reported: a symlink planted under the tutorial's entry's name, to a
    file of the victim's with chosen bytes; `kazsim play tutorial --auto` plays the
    tutorial and runs nothing."""
    folder = tmp_path / "cache"
    env = {**os.environ, "KAZSIM_CACHE_DIR": str(folder)}
    play = [sys.executable, "-m", "kazsim", "play", "tutorial", "--auto", "--seed", "1",
            "--save-dir", str(tmp_path / "saves")]
    first = subprocess.run(play, capture_output=True, text=True, cwd=ROOT, env=env,
                           timeout=120, check=True).stdout
    [entry] = list((folder / "scenarios").iterdir())
    first_entry = entry.read_bytes()
    marker = tmp_path / "the-attackers-code-ran"
    for chosen in (_old_entry(marker), b"forged"):
        if chosen == b"forged":  # an entry for the very file played, holding the CSTO's
            played = json.loads(first_entry.partition(b"\n")[2])["for"]["path"]
            chosen = forge(Path(played), model_of(CSTO))
        target = tmp_path / "chosen"
        target.write_bytes(chosen)
        target.chmod(0o600)
        entry.unlink()
        entry.symlink_to(target)
        again = subprocess.run(play, capture_output=True, text=True, cwd=ROOT, env=env,
                               timeout=120, check=True).stdout
        assert again == first and again.startswith("Tutorial:")
        assert not marker.exists()


@pytest.mark.parametrize("odd", [float("nan"), float("inf"), (1, 2), b"bytes"])
def test_a_scenario_that_would_not_come_back_exactly_is_not_cached(odd: Any) -> None:
    """Validation lets none of these through; should one ever get by, it is not kept."""
    model = model_of(TUTORIAL)
    indicator = dataclasses.replace(model.indicators[0], max=odd)
    odd_model = dataclasses.replace(model, indicators=[indicator, *model.indicators[1:]])
    header = cache_module._header(str(TUTORIAL), TUTORIAL.read_bytes())
    assert encode_entry(odd_model, "0" * 64, header, []) is None
    assert encode_entry(model, "0" * 64, header, []) is not None
