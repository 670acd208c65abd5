"""The batch engine's odds (`kazsim.batch.odds`) are the reference's, every number."""

from __future__ import annotations

from pathlib import Path

import pytest

from kazsim.batch import odds as batch
from kazsim.engine import Game, play_ai_game
from kazsim.engine import odds as reference
from kazsim.engine.draws import SEQUENTIAL
from kazsim.scenario.load import load_file

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted(
    (ROOT / "scenarios" / "variants").glob("*.yaml"))
EVERY_CONSTRUCT = ROOT / "tests" / "docs" / "data" / "every_construct.yaml"
PATHS = [*BUNDLED, EVERY_CONSTRUCT]
MAIN = ROOT / "scenarios" / "kazakhstan-2022.yaml"


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_the_odds_are_the_references(path: Path) -> None:
    scenario = load_file(path)
    for seed in (0, 7):
        game = play_ai_game(scenario, seed)
        assert batch.reasons(game) == []
        assert batch.odds(game, 30) == reference.odds(game, 30)


def test_the_odds_of_a_lesson_and_of_a_game_not_over() -> None:
    scenario = load_file(MAIN)
    lesson = play_ai_game(scenario, 3, turns=4)
    assert batch.reasons(lesson) == []
    assert batch.odds(lesson, 25) == reference.odds(lesson, 25)
    going = Game(scenario, 11)
    for _ in range(3):
        going.play_ai_turn({})
    assert not going.over
    assert batch.odds(going, 25) == reference.odds(going, 25)


def test_several_blocks_add_up(monkeypatch: pytest.MonkeyPatch) -> None:
    game = play_ai_game(load_file(MAIN), 2)
    want = reference.odds(game, 20)
    monkeypatch.setattr(batch, "BLOCK", 7)
    assert batch.odds(game, 20) == want


def test_progress_moves_to_the_total_and_may_stop_the_work() -> None:
    game = play_ai_game(load_file(MAIN), 4)
    seen: list[tuple[int, int]] = []
    batch.odds(game, 20, lambda done, total: seen.append((done, total)))
    total = reference.odds_work(game, 20)
    assert seen[-1] == (total, total)
    assert len({done for done, _ in seen}) > 3
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert all(t == total for _, t in seen)

    class Stop(Exception):
        pass

    def stop(done: int, total: int) -> None:
        raise Stop

    with pytest.raises(Stop):
        batch.odds(game, 20, stop)


def test_an_old_save_s_sequential_draws_fall_back_to_the_reference() -> None:
    scenario = load_file(ROOT / "scenarios" / "tutorial.yaml")
    game = Game(scenario, 5, scheme=SEQUENTIAL)
    while not game.over:
        game.play_ai_turn({})
    assert batch.reasons(game) != []
    assert batch.odds(game, 15) == reference.odds(game, 15)


def test_a_state_the_batch_cannot_start_from_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    game = play_ai_game(load_file(ROOT / "scenarios" / "tutorial.yaml"), 1)
    monkeypatch.setattr(batch, "start_reasons", lambda prepared, state: ["not this one"])
    assert batch.reasons(game) == ["not this one"]
    called = []

    def refuse(*args: object) -> None:
        called.append(args)
        raise AssertionError("the batch engine played")

    monkeypatch.setattr(batch, "play_from", refuse)
    assert batch.odds(game, 10) == reference.odds(game, 10)
    assert not called


def test_what_decided_is_the_references() -> None:
    game = play_ai_game(load_file(MAIN), 0)
    steps: list[tuple[int, int]] = []
    want_steps: list[tuple[int, int]] = []
    got = batch.what_decided(game, 20, progress=lambda d, t: steps.append((d, t)))
    want = reference.what_decided(game, 20, progress=lambda d, t: want_steps.append((d, t)))
    assert got == want
    assert steps[-1] == want_steps[-1]


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_the_turning_points_are_the_references(path: Path) -> None:
    scenario = load_file(path)
    for seed in (1, 4):
        game = play_ai_game(scenario, seed)
        result = reference.odds(game, 30)
        want = reference.turning_points(game, result, 16)
        assert batch.turning_points(game, result, 16) == want
        assert batch.turning_points(game, result, 8, first=16) == \
            reference.turning_points(game, result, 8, first=16)


def test_turning_points_of_an_old_save_fall_back() -> None:
    scenario = load_file(ROOT / "scenarios" / "tutorial.yaml")
    game = Game(scenario, 2, scheme=SEQUENTIAL)
    while not game.over:
        game.play_ai_turn({})
    result = reference.odds(game, 15)
    assert batch.turning_points(game, result, 6) == reference.turning_points(game, result, 6)


def test_a_first_decision_that_is_not_legal_is_refused() -> None:
    from kazsim.batch.engine import play_from, prepare

    scenario = load_file(MAIN)
    game = play_ai_game(scenario, 0)
    decisions = dict(game.records[0].decisions)
    role = scenario.role_ids[0]
    with pytest.raises(ValueError, match="cannot choose"):
        play_from(prepare(scenario), [game.states[0]], [1], first=[decisions | {role: "x"}])
