"""`Session`: the file a game is saved to, autosaved after every turn."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kazsim.engine import Game
from kazsim.scenario import CompiledScenario
from kazsim.session.model import SaveError, ai
from kazsim.session.replay import load_session
from kazsim.session.session import Session
from kazsim.session.store import read_save

from .support import MONDAY, ai_session, clock_at, players_for


def ai_turn(session: Session) -> None:
    game = session.game
    session.play({r: game.ai_decision(r) for r in game.scenario.role_ids})


def test_a_new_game_is_saved_at_once_under_the_first_free_name(
        tutorial: CompiledScenario, tmp_path: Path) -> None:
    first = Session.new(tutorial, 42, players_for(tutorial), tmp_path, clock=clock_at())
    second = Session.new(tutorial, 42, players_for(tutorial), tmp_path, clock=clock_at())
    other = Session.new(tutorial, 7, players_for(tutorial), tmp_path, clock=clock_at())
    assert [s.path.name for s in (first, second, other)] == [
        "tutorial-seed42-1.json", "tutorial-seed42-2.json", "tutorial-seed7-1.json"]
    save = read_save(first.path)
    assert save.turns == [] and save.ending is None and save.seed == 42


def test_every_turn_is_autosaved(tutorial: CompiledScenario, tmp_path: Path) -> None:
    session = Session.new(tutorial, 3, players_for(tutorial), tmp_path, clock=clock_at())
    while not session.game.over:
        ai_turn(session)
        save = read_save(session.path)
        assert len(save.turns) == len(session.game.records)
        assert save.turns[-1].checksum == session.game.state.checksum()
        assert save.ending == session.game.state.ending


def test_record_takes_only_the_turn_just_played(tutorial: CompiledScenario,
                                                tmp_path: Path) -> None:
    session = ai_session(tutorial, 3, tmp_path, turns=1)
    elsewhere = Game(tutorial, 3)
    record = elsewhere.play({r: elsewhere.ai_decision(r) for r in tutorial.role_ids})
    with pytest.raises(ValueError, match="record\\(\\) takes the record"):
        session.record(record)
    game = session.game
    mine = game.play({r: game.ai_decision(r) for r in tutorial.role_ids})
    assert session.record(mine) == session.path
    assert len(read_save(session.path).turns) == 2


def test_players_must_cover_every_role(tutorial: CompiledScenario, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"missing \['province'\], unknown \['mayor'\]"):
        Session.new(tutorial, 1, {"council": ai(), "union": ai(), "mayor": ai()}, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_timestamps_come_from_the_sessions_clock(tutorial: CompiledScenario,
                                                 tmp_path: Path) -> None:
    now = [MONDAY]
    session = Session.new(tutorial, 3, players_for(tutorial), tmp_path, clock=lambda: now[0])
    now[0] = MONDAY + dt.timedelta(days=2, hours=1)
    ai_turn(session)
    save = read_save(session.path)
    assert (save.created, save.updated) == ("2025-01-06T09:30:00Z", "2025-01-08T10:30:00Z")
    now[0] = dt.datetime(2025, 1, 8, 16, 30, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    ai_turn(session)
    assert read_save(session.path).updated == "2025-01-08T11:30:00Z"


def test_save_as_moves_later_autosaves_and_keeps_the_old_file(tutorial: CompiledScenario,
                                                              tmp_path: Path) -> None:
    session = ai_session(tutorial, 5, tmp_path, turns=1)
    auto = session.path
    assert session.save_as("  Monday class ") == tmp_path / "Monday class.json"
    ai_turn(session)
    assert len(read_save(auto).turns) == 1
    named = read_save(tmp_path / "Monday class.json")
    assert named.name == "Monday class" and len(named.turns) == 2


def test_save_as_never_replaces_another_save_unless_asked(tutorial: CompiledScenario,
                                                          tmp_path: Path) -> None:
    theirs = ai_session(tutorial, 1, tmp_path, turns=2, name="Group B")
    before = theirs.path.read_bytes()
    mine = ai_session(tutorial, 2, tmp_path, turns=1)
    with pytest.raises(SaveError, match="a save with this name already exists"):
        mine.save_as("Group B")
    assert theirs.path.read_bytes() == before and mine.name is None
    assert mine.path.name == "tutorial-seed2-1.json"
    mine.save_as("Group B", overwrite=True)
    assert read_save(theirs.path).seed == 2
    with pytest.raises(SaveError, match="a save with this name already exists"):
        Session.new(tutorial, 3, players_for(tutorial), tmp_path, name="Group B")


def test_resume_goes_on_in_the_same_file(tutorial: CompiledScenario, tmp_path: Path) -> None:
    first = ai_session(tutorial, 8, tmp_path, turns=2, name="Class 7")
    later = dt.datetime(2025, 1, 8, 9, 0, tzinfo=dt.UTC)
    session = Session.resume(load_session(first.path), clock=clock_at(later))
    assert session.path == first.path and session.name == "Class 7"
    assert session.players == first.players
    ai_turn(session)
    save = read_save(first.path)
    assert (save.created, save.updated) == ("2025-01-06T09:30:00Z", "2025-01-08T09:00:00Z")
    assert [t.checksum for t in save.turns[:2]] == [t.checksum for t in
                                                   first.document().turns]
    assert len(save.turns) == 3
    assert load_session(first.path).divergence is None


def test_a_resumed_game_plays_as_the_uninterrupted_one(tutorial: CompiledScenario,
                                                       tmp_path: Path) -> None:
    whole = ai_session(tutorial, 13, tmp_path / "a")
    half = ai_session(tutorial, 13, tmp_path / "b", turns=2)
    resumed = Session.resume(load_session(half.path), clock=clock_at())
    while not resumed.game.over:
        ai_turn(resumed)
    assert resumed.game.records == whole.game.records
    assert read_save(resumed.path).turns == read_save(whole.path).turns
