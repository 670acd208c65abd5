"""Random legal games survive save -> load -> replay unchanged, in any process.

Hypothesis draws a scenario, a seed, who plays each role, how many turns to
play and every decision (any legal action, not only what the AI would pick);
the game is autosaved, read back and replayed: every record and checksum must
be equal. Then saves are replayed in fresh interpreters with different
PYTHONHASHSEED values.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kazsim.scenario import CompiledScenario, load_file
from kazsim.session.model import SaveError, ai, human
from kazsim.session.replay import load_session
from kazsim.session.session import Session
from kazsim.session.store import read_save

from .support import ROOT, SCENARIOS, ai_session, clock_at

SCENARIO_FILES = ["tutorial.yaml", "csto-decision.yaml", "kazakhstan-2022.yaml"]
LOADED: dict[str, CompiledScenario] = {}


def scenario(name: str) -> CompiledScenario:
    if name not in LOADED:
        LOADED[name] = load_file(SCENARIOS / name)
    return LOADED[name]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(SCENARIO_FILES), seed=st.integers(-(2**63), 2**63 - 1),
       data=st.data())
def test_random_games_save_reload_and_replay_identically(name: str, seed: int,
                                                         data: st.DataObject) -> None:
    compiled = scenario(name)
    players = {role: data.draw(st.one_of(st.builds(human, st.text(max_size=20)),
                                         st.builds(ai, st.sampled_from(["easy", "hard"]))))
               for role in compiled.role_ids}
    stop = data.draw(st.integers(0, compiled.last_turn))
    with tempfile.TemporaryDirectory() as folder:
        session = Session.new(compiled, seed, players, folder, clock=clock_at())
        game = session.game
        while not game.over and len(game.records) < stop:
            decisions = {role: data.draw(st.sampled_from(game.legal(role)))
                         for role in compiled.role_ids}
            session.play(decisions)
        loaded = load_session(session.path, scenario=compiled)
        assert not loaded.changed and loaded.divergence is None
        assert loaded.game.records == game.records
        assert [s.checksum() for s in loaded.game.states] == [s.checksum() for s in game.states]
        assert loaded.players == session.players
        saved = read_save(session.path)
        assert saved == session.document()
        assert saved.ending == game.state.ending


def replay_in_fresh_process(path: Path, hashseed: str) -> list[str]:
    code = ("import json, sys\n"
            "from kazsim.session.replay import load_session\n"
            "loaded = load_session(sys.argv[1])\n"
            "print(json.dumps([s.checksum() for s in loaded.game.states]))\n")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120,
                          env={"PYTHONHASHSEED": hashseed, "PYTHONPATH": str(ROOT),
                               "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    checksums: list[str] = json.loads(done.stdout)
    return checksums


@pytest.mark.parametrize("name", ["kazakhstan-2022.yaml", "tutorial.yaml"])
def test_replaying_in_new_processes_with_any_hash_seed_gives_the_same_checksums(
        name: str, tmp_path: Path) -> None:
    session = ai_session(scenario(name), 20220102, tmp_path)
    expected = [s.checksum() for s in session.game.states]
    assert [t.checksum for t in read_save(session.path).turns] == expected[1:]
    for hashseed in ("0", "1", "4242"):
        assert replay_in_fresh_process(session.path, hashseed) == expected


SAMPLE: dict[str, bytes] = {}


def sample_save() -> bytes:
    if "raw" not in SAMPLE:
        with tempfile.TemporaryDirectory() as folder:
            session = ai_session(scenario("tutorial.yaml"), 3, Path(folder), turns=3)
            SAMPLE["raw"] = session.path.read_bytes()
    return SAMPLE["raw"]


@settings(max_examples=300, deadline=None)
@given(cuts=st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 40), st.binary(max_size=8)),
                     min_size=1, max_size=4))
def test_any_damage_to_a_save_gives_a_save_error_or_a_valid_game(
        cuts: list[tuple[int, int, bytes]]) -> None:
    """Bytes cut, replaced or inserted anywhere: a clean `SaveError`, never a crash."""
    raw = bytearray(sample_save())
    for at, length, insert in cuts:
        at = at % (len(raw) + 1)
        raw[at:at + length] = insert
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "damaged.json"
        path.write_bytes(bytes(raw))
        try:
            loaded = load_session(path, scenario=scenario("tutorial.yaml"))
        except SaveError as exc:
            assert "\n" not in str(exc) and str(exc).startswith(str(path))
        else:
            assert loaded.divergence is None
        assert path.read_bytes() == bytes(raw)
