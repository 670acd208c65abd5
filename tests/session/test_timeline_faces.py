"""The real timeline in `kazsim export` and at the end of `kazsim play --auto`, and a
history seat recorded in a save."""

from __future__ import annotations

from pathlib import Path

import pytest

from kazsim.cli import main
from kazsim.engine.timeline import compare
from kazsim.scenario import load_file
from kazsim.session.model import ai
from kazsim.session.replay import load_session
from kazsim.session.session import Session
from kazsim.session.transcript import transcript
from kazsim.story import step_verdict

from .support import ai_session, clock_at

KAZAKHSTAN = Path(__file__).resolve().parents[2] / "scenarios" / "kazakhstan-2022.yaml"


def test_auto_ends_with_the_timeline(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["play", str(KAZAKHSTAN), "--auto", "--seed", "4", "--no-save",
                 "--ai-level", "history"]) == 0
    out = capsys.readouterr().out
    ending = out.index("══ Ending:")
    section = out.index("══ Your crisis and the real one ══")
    assert ending < section
    tail = out[section:]
    assert "  - 5 January 2022: Tokayev accepts the resignation of the whole cabinet." in tail
    assert "In your game: 5 January 2022 (turn 4), the same day as in reality." in tail
    assert "Decisions with no real counterpart" in tail
    assert "Roles: The government (President Tokayev's administration) (AI, history)" in out


def test_auto_on_a_scenario_without_a_timeline_prints_no_section(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["play", "tutorial", "--auto", "--seed", "4", "--no-save"]) == 0
    assert "Your crisis and the real one" not in capsys.readouterr().out


def test_export_has_the_timeline_section(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    scenario = load_file(KAZAKHSTAN)
    session = ai_session(scenario, 6, tmp_path / "saves")
    assert main(["export", str(session.path), "-o", "-"]) == 0
    out = capsys.readouterr().out
    assert "## Your crisis and the real one" in out
    assert "### Decisions with no real counterpart" in out
    comparison = compare(scenario, session.game.states, session.game.records)
    for match in comparison.steps:
        assert f"  {step_verdict(match, last_day=comparison.last_day)}" in out
    assert out.index("## Your crisis and the real one") < out.index("## Indicators turn by")


def test_an_unfinished_game_says_so_far(tmp_path: Path) -> None:
    scenario = load_file(KAZAKHSTAN)
    session = ai_session(scenario, 6, tmp_path / "saves", turns=2)
    text = transcript(session.game, session.players)
    # Two turns: 2 and 3 January. Later steps are not missing, the game has not got there.
    assert "Later than your game so far (it has reached 3 January 2022)." in text
    assert "  Not in your game.\n" not in text
    assert "up to 3 January 2022 happened in your game;" in text


def test_a_lesson_that_stopped_before_a_step_says_so(tmp_path: Path) -> None:
    scenario = load_file(KAZAKHSTAN)
    session = Session.new(scenario, 6, {r: ai("easy") for r in scenario.role_ids},
                          tmp_path / "saves", clock=clock_at(), turns=4)  # a 4-turn lesson
    while not session.game.over:
        game = session.game
        session.play({r: game.ai_decision(r) for r in scenario.role_ids})
    assert session.game.over and len(session.game.records) == 4
    comparison = compare(session.game.scenario, session.game.states, session.game.records)
    text = transcript(session.game, session.players)
    # Steps dated after the lesson's last day: some may have come early in this game;
    # the others are not missing, the lesson stopped before their day.
    later = [m for m in comparison.steps
             if m.step.date.isoformat() > "2022-01-05" and not m.happened]
    assert later
    assert text.count("After your game ended (its last day was 5 January 2022).") == len(later)
    assert (f"real steps up to 5 January 2022 happened in your game; {len(later)} more came "
            "after that day in reality.") in text


def test_a_history_seat_is_saved_and_replays(tmp_path: Path) -> None:
    scenario = load_file(KAZAKHSTAN)
    players = {r: ai("history") for r in scenario.role_ids}
    session = Session.new(scenario, 9, players, tmp_path / "saves", clock=clock_at())
    while not session.game.over:
        game = session.game
        session.play({r: game.ai_decision(r, "history") for r in scenario.role_ids})
    loaded = load_session(session.path)
    assert loaded.players["government"] == ai("history")
    assert [r.decisions for r in loaded.game.records] == [
        r.decisions for r in session.game.records]
