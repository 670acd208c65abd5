"""The play-test tally: counts what the games did, the same with any number of processes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kazsim.analysis.findings import build
from kazsim.analysis.render import to_json
from kazsim.analysis.simulate import (
    CHUNK,
    CheckError,
    Tally,
    chunks,
    run_games,
    tally_games,
    worker_count,
)
from kazsim.engine import legal_actions, play_ai_game
from kazsim.scenario import load_file

from .support import SCENARIOS


def test_the_tally_counts_what_the_games_did(tutorial) -> None:
    """Every count equals one made the slow way, game by game, from the records."""
    seeds = range(40)
    tally = tally_games(tutorial, seeds)
    games = [play_ai_game(tutorial, seed) for seed in seeds]
    assert tally.runs == 40
    assert tally.turns == sum(len(g.records) for g in games)
    for ending in tutorial.model.endings:
        assert tally.endings[ending.id] == sum(g.state.ending == ending.id for g in games)
    for role in tutorial.roles:
        for action in role.actions:
            key = f"{role.id}.{action.id}"
            chosen = sum(r.decisions[role.id] == action.id for g in games for r in g.records)
            assert tally.chosen[key] == chosen
            in_games = sum(any(r.decisions[role.id] == action.id for r in g.records)
                           for g in games)
            assert tally.chosen_games[key] == in_games
            available = any(action.id in legal_actions(tutorial, state, role.id)
                            for g in games for state in g.states[:-1])
            assert (key in tally.available) == available
    for rule in tutorial.rules:
        assert tally.rules[rule.id] == sum(rule.id in r.rules for g in games for r in g.records)
    for event in tutorial.events:
        assert tally.event_games[event.id] == sum(
            any(event.id in r.events for r in g.records) for g in games)
    trust = [[g.states[t].values["council_trust"] for g in games if len(g.states) > t]
             for t in range(tutorial.last_turn + 1)]
    assert tally.alive == [len(values) for values in trust]
    assert tally.low["council_trust"] == [min(v) for v in trust]
    assert tally.high["council_trust"] == [max(v) for v in trust]
    assert tally.total["council_trust"] == pytest.approx([sum(v) for v in trust])
    scores = [o.score for g in games for o in g.outcomes() if o.role == "union"]
    assert tally.scores["union"] == pytest.approx(sum(scores))
    assert tally.score_min["union"] == min(scores)
    final_on = sum(bool(g.state.values["mediator_invited"]) for g in games)
    assert tally.flag_final["mediator_invited"] == final_on


def test_merging_adds_up(tutorial) -> None:
    whole = tally_games(tutorial, range(30))
    merged = Tally.empty(tutorial)
    merged.merge(tally_games(tutorial, range(0, 12)))
    merged.merge(tally_games(tutorial, range(12, 30)))
    assert merged.endings == whole.endings
    assert merged.chosen == whole.chosen
    assert merged.available == whole.available
    assert merged.low == whole.low and merged.high == whole.high
    assert merged.alive == whole.alive


def test_seeds_are_split_in_fixed_chunks() -> None:
    parts = chunks(5, 2 * CHUNK + 3)
    assert [(p.start, p.stop) for p in parts] == [
        (5, 5 + CHUNK), (5 + CHUNK, 5 + 2 * CHUNK), (5 + 2 * CHUNK, 8 + 2 * CHUNK)]
    assert worker_count(3, 10) == 1  # never more processes than chunks
    assert worker_count(1, 10_000) == 1
    assert worker_count(0, 10) == 1


def test_the_same_seed_gives_the_same_report_with_any_number_of_processes(tutorial) -> None:
    runs = 3 * CHUNK + 17
    one, used_one = run_games(tutorial, runs, 11, jobs=1)
    two, used_two = run_games(tutorial, runs, 11, jobs=2)
    assert (used_one, used_two) == (1, 2)
    assert to_json(build(tutorial, one, 11, "easy")) == to_json(build(tutorial, two, 11, "easy"))
    other, _ = run_games(tutorial, runs, 12, jobs=1)
    assert to_json(build(tutorial, other, 12, "easy")) != to_json(build(tutorial, one, 11, "easy"))


def test_progress_is_reported_chunk_by_chunk(tutorial) -> None:
    seen: list[int] = []
    run_games(tutorial, CHUNK + 5, jobs=1, progress=seen.append, engine="reference")
    assert seen == [CHUNK, CHUNK + 5]
    seen.clear()  # the batch engine plays them all at once: it reports turn by turn
    run_games(tutorial, CHUNK + 5, jobs=1, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == CHUNK + 5 and len(set(seen)) > 2


def test_a_worker_refuses_a_file_that_changed_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "tutorial.yaml"
    shutil.copy(SCENARIOS / "tutorial.yaml", path)
    scenario = load_file(path)
    path.write_text(path.read_text(encoding="utf-8").replace("turns: 5", "turns: 6"),
                    encoding="utf-8")
    with pytest.raises(CheckError, match="changed while checking"):
        run_games(scenario, 2 * CHUNK, jobs=2)


def test_a_worker_reports_a_file_that_broke_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "tutorial.yaml"
    shutil.copy(SCENARIOS / "tutorial.yaml", path)
    scenario = load_file(path)
    path.write_text("id: [", encoding="utf-8")
    with pytest.raises(CheckError, match="stopped being valid"):
        run_games(scenario, 2 * CHUNK, jobs=2)
