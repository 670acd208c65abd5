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


# --- a full disk ------------------------------------------------------------------------------

def full_disk_on(calls: set[int], monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make the `calls`-th writes of a file (counting from 1) fail as on a full disk."""
    import errno

    from kazsim.session import session as module

    real = module.write_atomic
    count = [0]

    def write(path: Path, data: bytes, **options: bool) -> None:
        count[0] += 1
        if count[0] in calls:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, data, **options)

    monkeypatch.setattr(module, "write_atomic", write)
    return count


def test_autosave_after_a_full_disk_tries_again_every_turn_and_says_when_it_worked(
        tutorial: CompiledScenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = ai_session(tutorial, 5, tmp_path, turns=1)  # a game of 5 turns
    full_disk_on({1, 2}, monkeypatch)

    def turn() -> str:
        game = session.game
        return session.autosave(game.play({r: game.ai_decision(r) for r in tutorial.role_ids}))

    assert turn() == (f"The game could not be saved: {session.path}: cannot write the save: "
                      "No space left on device. It goes on; the next turn tries to save it "
                      "again.")
    assert len(read_save(session.path).turns) == 1  # the last good save, whole
    assert turn().startswith("The game could not be saved again: ")
    assert session.failed is not None
    assert turn() == f"The game is saved again, every turn so far, in {session.path}."
    assert len(read_save(session.path).turns) == 4 and session.failed is None
    assert turn() == ""
    assert load_session(session.path).divergence is None


def test_the_terminal_game_is_told_and_tries_again(tutorial: CompiledScenario, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from kazsim.tui.saving import Saver

    session = ai_session(tutorial, 5, tmp_path, turns=1)
    saver = Saver(session.game, session=session)
    full_disk_on({1}, monkeypatch)
    game = session.game
    notes = []
    for _ in range(3):
        notes.append((saver.autosave(game.play_ai_turn({})), saver.failing))
    assert [failing for _, failing in notes] == [True, False, False]
    assert "No space left on device. It goes on; the next turn tries" in notes[0][0]
    assert notes[1][0] == f"The game is saved again, every turn so far, in {session.path}."
    assert notes[2][0] == ""
    assert len(read_save(session.path).turns) == 4


def test_auto_play_goes_on_saving_after_a_full_disk(
        tutorial: CompiledScenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from kazsim.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "saves").mkdir()
    full_disk_on({2, 3}, monkeypatch)  # 1 creates the file; 2 and 3: turns 1 and 2
    assert main(["play", "tutorial", "--auto", "--seed", "4"]) == 0
    err = capsys.readouterr().err.splitlines()
    path = tmp_path / "saves" / "tutorial-seed4-1.json"
    assert err == [
        f"kazsim: The game could not be saved: {path}: cannot write the save: No space left "
        "on device. It goes on; the next turn tries to save it again.",
        f"kazsim: The game could not be saved again: {path}: cannot write the save: No space "
        "left on device. It goes on; the next turn tries to save it again.",
        f"kazsim: The game is saved again, every turn so far, in {path}.",
        f"saved: {path}"]
    save = read_save(path)
    assert save.ending is not None and load_session(path).divergence is None


# --- long names -------------------------------------------------------------------------------

@pytest.mark.parametrize("letters", ["日本語の授業", "中文课堂讨论", "Группа"])
@pytest.mark.parametrize("count", [66, 78, 79, 80, 200])
def test_long_names_in_any_alphabet_can_be_saved(tutorial: CompiledScenario, tmp_path: Path,
                                                 letters: str, count: int) -> None:
    typed = (letters * count)[:count]
    session = ai_session(tutorial, 1, tmp_path, turns=1)
    path = session.save_as(typed)
    assert path.is_file() and len(path.name.encode("utf-8")) <= 205
    assert typed.startswith(path.stem)
    assert read_save(path).name == typed  # the save keeps the whole name
    ai_turn(session)
    assert len(read_save(path).turns) == 2
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_name_the_file_system_finds_too_long_is_a_clear_message(
        tutorial: CompiledScenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from kazsim.session import session as module

    session = ai_session(tutorial, 1, tmp_path, turns=1)

    def too_long(path: Path, data: bytes, **options: bool) -> None:
        raise OSError(errno.ENAMETOOLONG, "File name too long", str(path))

    monkeypatch.setattr(module, "write_atomic", too_long)  # e.g. an encrypted home folder
    with pytest.raises(SaveError, match="the name is too long for this folder's file system; "
                                        "choose a shorter name$"):
        session.save_as("Monday class")
