"""The save folder: atomic writes that never replace by accident, safe names, the listing."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from kazsim.scenario import CompiledScenario
from kazsim.session.model import SaveError
from kazsim.session.store import LEFTOVER_AGE, list_saves, safe_name, write_atomic

from .support import ai_session, edit


def test_write_atomic_replaces_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "folder" / "a.json"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.json"]


def test_leftovers_of_killed_writers_are_swept_when_they_are_old(tmp_path: Path) -> None:
    target = tmp_path / "game.json"
    old = tmp_path / ".game.json.k1ll3d.tmp"  # what a writer killed mid-write leaves
    fresh = tmp_path / ".game.json.wr1t1ng.tmp"  # maybe another writer, right now
    other = tmp_path / ".other.json.k1ll3d.tmp"  # another save's, never saved again
    transcript = tmp_path / ".other.md.k1ll3d.tmp"  # a transcript's
    foreign = tmp_path / ".notes.txt.k1ll3d.tmp"  # not kazsim's: not a save's name
    for leftover in (old, fresh, other, transcript, foreign):
        leftover.write_bytes(b"{half a sav")
    long_ago = target.parent.stat().st_mtime - LEFTOVER_AGE - 60
    for leftover in (old, other, transcript, foreign):
        os.utime(leftover, (long_ago, long_ago))
    write_atomic(target, b"whole")
    assert target.read_bytes() == b"whole"
    assert not old.exists() and not other.exists() and not transcript.exists()
    assert fresh.exists() and foreign.exists()


def test_an_exclusive_write_never_replaces_a_file(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    target.write_bytes(b"precious")
    with pytest.raises(FileExistsError):
        write_atomic(target, b"new", exclusive=True)
    assert target.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    write_atomic(target, b"one")
    assert target.stat().st_mode & 0o777 == 0o644
    target.chmod(0o600)
    write_atomic(target, b"two")
    assert target.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(("typed", "expected"), [
    ("Monday class", "Monday class"),
    ("  Группа 7Б / Tuesday  ", "Группа 7Б - Tuesday"),
    ("../../etc/passwd", "etc-passwd"),
    (".hidden", "hidden"),
    ("a\\b:c*d?e\"f<g>h|i", "a-b-c-d-e-f-g-h-i"),
    ("tab\there\nnewline", "tab-here-newline"),
    ("game.json", "game"),
    ("nul", "nul_"),
    ("x" * 300, "x" * 80),
])
def test_names_players_type_become_safe_file_names(typed: str, expected: str) -> None:
    assert safe_name(typed) == expected


@pytest.mark.parametrize("typed", ["", "   ", "../..", "///", "..."])
def test_names_without_letters_are_refused(typed: str) -> None:
    with pytest.raises(SaveError, match="use letters or digits"):
        safe_name(typed)


def test_list_saves_for_a_load_game_screen(tutorial: CompiledScenario, tmp_path: Path) -> None:
    finished = ai_session(tutorial, 1, tmp_path)
    started = ai_session(tutorial, 2, tmp_path, turns=2, name="Monday class")
    edit(started.path, lambda d: d.update(updated="2025-01-07T10:00:00Z"))
    (tmp_path / "broken.json").write_text('{"format": "kazsim-save", ')
    (tmp_path / ".broken.json.abc.tmp").write_text("half a save")  # a writer was killed
    (tmp_path / "notes.txt").write_text("not a save")
    entries = list_saves(tmp_path)
    assert [e.path.name for e in entries] == ["Monday class.json", finished.path.name,
                                              "broken.json"]
    first, second, broken = entries
    assert (first.name, first.turns, first.ending, first.updated) == (
        "Monday class", 2, None, "2025-01-07T10:00:00Z")
    assert first.scenario_id == "tutorial" and first.scenario_title == tutorial.model.title
    assert first.players == {"council": "Aigerim", "union": "AI (easy)", "province": "AI (hard)"}
    assert second.name == finished.path.stem and second.ending == finished.game.state.ending
    assert not first.problem and not second.problem
    assert broken.problem.startswith("1:27: not valid JSON") and broken.turns == 0


def test_list_saves_of_a_missing_folder_is_empty(tmp_path: Path) -> None:
    assert list_saves(tmp_path / "none") == []


def test_a_full_disk_is_a_clear_error_and_keeps_the_last_save(
        tutorial: CompiledScenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = ai_session(tutorial, 3, tmp_path, turns=1)
    before = session.path.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("kazsim.session.store.os.fsync", full)
    with pytest.raises(SaveError, match=r"cannot write the save: No space left on device$"):
        session.play({r: session.game.ai_decision(r) for r in tutorial.role_ids})
    assert session.path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [session.path.name]


def test_a_file_in_place_of_the_folder_is_a_clear_error(tutorial: CompiledScenario,
                                                        tmp_path: Path) -> None:
    blocker = tmp_path / "saves"
    blocker.write_text("I am a file")
    with pytest.raises(SaveError, match=r"cannot write the save: not a folder"):
        ai_session(tutorial, 3, blocker, turns=1)
    assert blocker.read_text() == "I am a file"
