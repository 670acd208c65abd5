"""Saves and the two draws schemes: a save made before the keyed draws (format 1) still
loads, verifies and goes on with its sequential draws; a new save draws keyed, and a
game resumed from it mid-way draws what the straight game drew."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kazsim.engine import Game, play_ai_game
from kazsim.engine.draws import KEYED, SEQUENTIAL
from kazsim.scenario import CompiledScenario, load_file
from kazsim.session.model import FORMAT_VERSION, ai
from kazsim.session.replay import load_session
from kazsim.session.session import Session
from kazsim.session.store import read_save

from .support import ai_session, clock_at, edit, kazsim

BEFORE = Path(__file__).resolve().parent / "data" / "before-keyed-draws"
# A game of the Kazakhstan scenario saved (format 1) by kazsim before the keyed draws,
# with the scenario file it was played on.
OLD_SAVE = BEFORE / "kazakhstan_2022-seed930126-1.json"
OLD_SCENARIO = BEFORE / "kazakhstan-2022.yaml"
VERIFIED = "OK: 7 turns verified, ending regime_falls (The regime falls)\n"


@pytest.fixture()
def old_save(tmp_path: Path) -> Path:
    target = tmp_path / OLD_SAVE.name
    shutil.copyfile(OLD_SAVE, target)
    return target


@pytest.mark.parametrize("hashseed", ["0", "1", "4242"])
def test_a_save_made_before_the_keyed_draws_verifies(old_save: Path, hashseed: str) -> None:
    assert json.loads(OLD_SAVE.read_text(encoding="utf-8"))["format_version"] == 1
    result = kazsim(["replay", str(old_save), "--verify", "--scenario", str(OLD_SCENARIO)],
                    old_save.parent, hashseed=hashseed)
    assert (result.returncode, result.stdout) == (0, VERIFIED), result.stderr
    assert old_save.read_bytes() == OLD_SAVE.read_bytes()  # verifying writes nothing


def test_it_replays_with_the_sequential_draws_and_not_the_keyed_ones(old_save: Path) -> None:
    save = read_save(old_save)
    assert (save.format_version, save.draws) == (FORMAT_VERSION, 1)
    loaded = load_session(old_save, scenario=OLD_SCENARIO)
    assert loaded.game.draws.scheme == SEQUENTIAL and loaded.game.state.ending == "regime_falls"
    edit(old_save, lambda d: d.update(format_version=2, draws=2))  # as if drawn keyed
    result = kazsim(["replay", str(old_save), "--verify", "--scenario", str(OLD_SCENARIO)],
                    old_save.parent)
    assert result.returncode == 1 and "checksum differs" in result.stdout


def test_an_old_save_resumed_mid_way_goes_on_drawing_as_it_was_played(old_save: Path) -> None:
    """Cut after turn 4, resumed, the rest of the recorded decisions played: the same
    checksums as the whole save; written back as format 2 with `draws: 1`, it verifies."""
    whole = json.loads(old_save.read_text(encoding="utf-8"))
    rest = whole["turns"][4:]
    edit(old_save, lambda d: d.update(turns=d["turns"][:4], ending=None))
    session = Session.resume(load_session(old_save, scenario=OLD_SCENARIO), clock=clock_at())
    for entry in rest:
        session.play(entry["decisions"])
    data = json.loads(old_save.read_text(encoding="utf-8"))
    assert (data["format_version"], data["draws"]) == (2, 1)
    assert [t["checksum"] for t in data["turns"]] == [t["checksum"] for t in whole["turns"]]
    assert data["ending"] == whole["ending"]
    result = kazsim(["replay", str(old_save), "--verify", "--scenario", str(OLD_SCENARIO)],
                    old_save.parent)
    assert (result.returncode, result.stdout) == (0, VERIFIED), result.stderr


def test_the_old_scenario_file_still_validates() -> None:
    """The save's scenario file (an older version of the bundled one) is a valid scenario."""
    assert load_file(OLD_SCENARIO).id == "kazakhstan_2022"


def test_a_new_save_draws_keyed_and_verifies(tutorial: CompiledScenario, tmp_path: Path) -> None:
    session = ai_session(tutorial, 8, tmp_path)
    data = json.loads(session.path.read_text(encoding="utf-8"))
    assert (data["format_version"], data["draws"]) == (2, 2)
    result = kazsim(["replay", str(session.path), "--verify"], tmp_path, hashseed="4242")
    assert result.returncode == 0 and result.stdout.startswith("OK: "), result.stderr
    assert load_session(session.path).game.draws.scheme == KEYED


@pytest.mark.parametrize("cut", [1, 3, 6])
def test_played_straight_or_resumed_from_a_save_mid_way_the_same_draws(
        tmp_path: Path, cut: int) -> None:
    """The Kazakhstan scenario with the AI everywhere: saved after `cut` turns, loaded and
    played on by the same AI, it is the straight game turn for turn, draw for draw."""
    scenario = load_file(Path(__file__).resolve().parents[2] / "scenarios" /
                         "kazakhstan-2022.yaml")
    for seed in (2, 930126):
        straight = play_ai_game(scenario, seed)
        players = {r: ai("easy") for r in scenario.role_ids}
        folder = tmp_path / f"{seed}-{cut}"
        session = Session.for_game(Game(scenario, seed), players, folder, clock=clock_at())
        while len(session.game.records) < cut and not session.game.over:
            session.game.play_ai_turn({})
            session.record(session.game.records[-1])
        resumed = Session.resume(load_session(session.path), clock=clock_at())
        game = resumed.game
        while not game.over:
            resumed.record(game.play_ai_turn({}))
        assert game.records == straight.records
        assert [d for r in game.records for d in r.draws] == [
            d for r in straight.records for d in r.draws]
        result = kazsim(["replay", str(resumed.path), "--verify"], folder)
        assert result.returncode == 0, result.stdout + result.stderr
