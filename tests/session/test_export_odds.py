"""`kazsim export` says what decided the game, unless --no-odds."""

from __future__ import annotations

from pathlib import Path

import pytest

from kazsim import cli
from kazsim.cli import main
from kazsim.engine import odds as engine_odds
from kazsim.engine.odds import what_decided
from kazsim.scenario import CompiledScenario
from kazsim.session.store import read_save
from kazsim.session.transcript import transcript
from kazsim.story import ending_title, percent, turning_point_lines

from .support import ai_session


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_the_export_has_the_odds_and_turning_points(
        tutorial: CompiledScenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    session = ai_session(tutorial, 3, tmp_path / "saves", name="Monday class")
    game = session.game
    status, out, err = run(["export", str(session.path), "-o", "-", "--odds-runs", "40"],
                           capsys)
    assert (status, err) == (0, "")
    decided = what_decided(game, 40)
    section = out[out.index("\n## What decided it\n"):out.index("\n## Discussion questions")]
    assert "by playing the game on 40 times from there" in section
    heads = " | ".join(ending_title(tutorial, e) for e in decided.odds.endings)
    assert f"\n| After turn | {heads} |\n" in section
    rows = [line for line in section.splitlines() if line.startswith("| ")][2:]
    assert len(rows) == len(game.states)
    start = decided.odds.points[0]
    assert rows[0] == "| the start | " + " | ".join(
        percent(start.chance(i)) for i in range(len(decided.odds.endings))) + " |"
    assert rows[-1].startswith(f"| {len(game.records)} (the end) |")
    for line in turning_point_lines(tutorial, decided.turning_points, game.records):
        assert f"\n- {line}\n" in section
    assert out == transcript(game, session.players, name="Monday class",
                             saved=read_save(session.path).updated, decided=decided)


def test_no_odds_leaves_the_section_out(
        tutorial: CompiledScenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    session = ai_session(tutorial, 3, tmp_path / "saves", name="Monday class")
    status, out, _ = run(["export", str(session.path), "-o", "-", "--no-odds"], capsys)
    assert status == 0 and "What decided it" not in out
    assert out == transcript(session.game, session.players, name="Monday class",
                             saved=read_save(session.path).updated)
    status, _, err = run(["export", str(session.path), "-o", "-", "--odds-runs", "0"], capsys)
    assert (status, err) == (2, "kazsim export: --odds-runs must be 1 or more\n")


def test_a_game_in_progress_has_odds_too(
        tutorial: CompiledScenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    session = ai_session(tutorial, 2, tmp_path / "saves", turns=2)
    assert not session.game.over
    status, out, _ = run(["export", str(session.path), "-o", "-", "--odds-runs", "20"], capsys)
    assert status == 0 and "## The game is not over" in out and "## What decided it" in out
    assert "(the end)" not in out


def test_the_help_says_what_the_odds_cost(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.ODDS_RUNS == engine_odds.RUNS
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--no-odds" in text and f"plays the game on {engine_odds.RUNS} times" in text
    assert "seconds on one core" in text


def test_a_game_settled_from_the_start_has_no_turning_points() -> None:
    from engine.support import play, scenario  # tests/engine (tests/ is on the path)

    from kazsim.session.model import ai
    from kazsim.story import NO_TURNING_POINTS

    compiled = scenario("""
indicators:
  - {id: heat, label: Heat, start: 0}
roles:
  - id: a
    name: A
    briefing: b
    score: heat
    actions:
      - {id: wait, label: Wait}
""", turns=2)
    game = play(compiled, {"a": "wait"}, {"a": "wait"})
    decided = what_decided(game, 10)
    assert decided.turning_points == ()
    assert [p.counts for p in decided.odds.points] == [(10,), (10,), (1,)]
    text = transcript(game, {"a": ai()}, decided=decided)
    assert f"\n### Turning points\n\n{NO_TURNING_POINTS}\n" in text
    assert "| the start | 100% |" in text and "| 2 (the end) | 100% |" in text
