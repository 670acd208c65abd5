"""Saves of games with effects still to land: they resume, verify and replay exactly.

The save holds only the decisions and each turn's checksum (docs/saves.md); the
pending effects are part of the state that the checksum covers whenever there
are some, so a save made with effects waiting is checked like any other.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from kazsim.cli import main
from kazsim.engine import play_ai_game
from kazsim.scenario import CompiledScenario, load_file
from kazsim.session.replay import load_session
from kazsim.session.session import Session
from kazsim.session.store import read_save

from .support import ai_session, clock_at, edit, kazsim

IN_TIME = Path(__file__).resolve().parents[1] / "engine" / "in_time.yaml"


@pytest.fixture(scope="module")
def in_time() -> CompiledScenario:
    return load_file(IN_TIME)


def _seed_with_pending(scenario: CompiledScenario, turns: int) -> int:
    for seed in range(50):
        game = play_ai_game(scenario, seed)
        if len(game.records) > turns and game.states[turns].pending:
            return seed
    raise AssertionError("no game has effects waiting")


def test_a_save_with_pending_effects_resumes_and_plays_as_the_whole_game(
        in_time: CompiledScenario, tmp_path: Path) -> None:
    seed = _seed_with_pending(in_time, 2)
    half = ai_session(in_time, seed, tmp_path / "half", turns=2)
    assert half.game.state.pending
    loaded = load_session(half.path)
    assert loaded.divergence is None
    assert loaded.game.state == half.game.state
    assert loaded.game.state.checksum() == read_save(half.path).turns[-1].checksum
    resumed = Session.resume(loaded, clock=clock_at())
    whole = ai_session(in_time, seed, tmp_path / "whole")
    while not resumed.game.over:
        game = resumed.game
        resumed.play({r: game.ai_decision(r, "easy") for r in in_time.role_ids})
    assert resumed.game.records == whole.game.records
    assert read_save(resumed.path).turns == read_save(whole.path).turns
    assert any(r.landed for r in whole.game.records)
    assert any(r.draws for r in whole.game.records)


def test_verify_checks_the_pending_effects(in_time: CompiledScenario, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    seed = _seed_with_pending(in_time, 1)
    session = ai_session(in_time, seed, tmp_path, turns=1)
    assert main(["replay", str(session.path), "--verify", "--scenario", str(IN_TIME)]) == 0
    assert capsys.readouterr().out == "OK: 1 turn verified, game in progress (next: turn 2)\n"
    # The same values and counts with nothing waiting give another checksum: the pending
    # effects are in it.
    state = session.game.state
    data = state.to_data()
    del data["pending"]
    emptied = json.dumps(data, sort_keys=True, separators=(",", ":"))
    other = hashlib.sha256(emptied.encode()).hexdigest()[:16]
    edit(session.path, lambda d: d["turns"][0].update(checksum=other))
    assert main(["replay", str(session.path), "--verify", "--scenario", str(IN_TIME)]) == 1
    assert f"turn 1: checksum differs (expected {other}, got {state.checksum()})" in (
        capsys.readouterr().out)


def test_auto_play_with_pending_effects_is_the_same_in_any_process(tmp_path: Path) -> None:
    """Same story bytes, same checksums, under different PYTHONHASHSEEDs."""
    (tmp_path / "saves").mkdir()
    runs = [kazsim(["play", str(IN_TIME), "--auto", "--seed", "5", "--why"], tmp_path,
                   hashseed=h) for h in ("0", "4242")]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr
    assert runs[0].stdout == runs[1].stdout
    assert "Coming\n" in runs[0].stdout and "Taking effect now" in runs[0].stdout
    saves = sorted((tmp_path / "saves").glob("*.json"))
    assert len(saves) == 2
    assert read_save(saves[0]).turns == read_save(saves[1]).turns
