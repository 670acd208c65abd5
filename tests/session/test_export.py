"""`kazsim export -o PATH` writes only where it may: never over a save, a device, a FIFO or
a symbolic link, and over an existing file only with --force.

The devices and pipes here are FIFOs and links made in a temporary folder,
never the system's own /dev/null.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kazsim.cli import main
from kazsim.scenario import CompiledScenario
from kazsim.session.model import SaveError
from kazsim.session.session import Session
from kazsim.session.store import read_save

from .support import ai_session

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture()
def game(tutorial: CompiledScenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
         ) -> Session:
    monkeypatch.chdir(tmp_path)
    return ai_session(tutorial, 2, tmp_path / "saves", name="Monday class")


@needs_fifo
@pytest.mark.parametrize("force", [[], ["--force"]])
def test_export_never_replaces_a_fifo(game: Session, tmp_path: Path, force: list[str],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    pipe = tmp_path / "null"  # what -o /dev/null did to the system's /dev/null
    os.mkfifo(pipe)
    status, out, err = run(["export", str(game.path), "-o", str(pipe), *force], capsys)
    assert (status, out) == (1, "")
    assert err == (f"kazsim: {pipe}: not written: it is a named pipe (FIFO), and kazsim only "
                   "ever replaces a regular file: choose another name\n")
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null", "saves"]


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_export_never_replaces_a_symbolic_link(game: Session, tmp_path: Path,
                                               force: list[str],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path / "precious.md"
    elsewhere.write_text("a teacher's notes\n")
    link = tmp_path / "link.md"
    link.symlink_to(elsewhere)
    status, _, err = run(["export", str(game.path), "-o", str(link), *force], capsys)
    assert status == 1 and "it is a symbolic link, and kazsim only ever replaces a regular " \
        "file" in err
    assert link.is_symlink() and os.readlink(link) == str(elsewhere)
    assert elsewhere.read_text() == "a teacher's notes\n"


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_export_never_writes_a_transcript_over_its_own_save(
        game: Session, force: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    before = game.path.read_bytes()
    status, out, err = run(["export", str(game.path), "-o", str(game.path), *force], capsys)
    assert (status, out) == (1, "")
    assert err == (f"kazsim: {game.path}: not written: a .json name is for saved games, and a "
                   "transcript is Markdown: give a name ending in .md\n")
    assert game.path.read_bytes() == before
    read_save(game.path)


def test_a_save_is_recognised_by_its_content_whatever_its_name(
        game: Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "monday.md"  # a save, renamed
    copy.write_bytes(game.path.read_bytes())
    cut = tmp_path / "cut.md"  # a save cut off: still someone's game
    cut.write_bytes(game.path.read_bytes()[:300])
    for target in (copy, cut):
        before = target.read_bytes()
        status, _, err = run(["export", str(game.path), "-o", str(target), "--force"], capsys)
        assert status == 1
        assert err == (f"kazsim: {target}: not written: it is a saved game, and kazsim never "
                       "writes over a save: choose another name\n")
        assert target.read_bytes() == before


def test_an_existing_file_is_replaced_only_with_force(
        game: Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("my notes\n")
    status, out, err = run(["export", str(game.path), "-o", "notes.md"], capsys)
    assert (status, out) == (1, "")
    assert err == (f"kazsim: {notes}: already exists; give --force to replace it, or another "
                   "name with -o\n")
    assert notes.read_text() == "my notes\n"
    status, out, err = run(["export", str(game.path), "-o", "notes.md", "--force"], capsys)
    assert (status, out, err) == (0, f"wrote {notes}\n", "")
    assert notes.read_text().startswith("# Monday class\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md", "saves"]


def test_export_beside_the_save_twice_needs_force_the_second_time(
        game: Session, capsys: pytest.CaptureFixture[str]) -> None:
    target = game.path.with_suffix(".md")
    assert run(["export", str(game.path)], capsys) == (0, f"wrote {target}\n", "")
    first = target.read_bytes()
    status, _, err = run(["export", str(game.path)], capsys)
    assert status == 1 and "already exists; give --force" in err
    assert run(["export", str(game.path), "--force"], capsys) == (0, f"wrote {target}\n", "")
    assert target.read_bytes() == first


def test_a_new_json_name_is_refused_for_a_transcript(
        game: Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(["export", str(game.path), "-o", "new.json"], capsys)
    assert status == 1 and "a .json name is for saved games" in err
    assert not (tmp_path / "new.json").exists()


@needs_fifo
def test_the_terminal_games_transcript_never_replaces_a_fifo(
        tutorial: CompiledScenario, tmp_path: Path) -> None:
    from kazsim.tui.saving import Saver, write_transcript

    session = ai_session(tutorial, 2, tmp_path)
    saver = Saver(session.game, session=session)
    path, message = write_transcript(saver)  # beside the save; again: replaced
    assert path == session.path.with_suffix(".md") and message == f"Transcript saved: {path}"
    assert write_transcript(saver) == (path, message)
    path.unlink()
    os.mkfifo(path)
    assert write_transcript(saver)[0] is None
    assert stat.S_ISFIFO(os.lstat(path).st_mode)


@needs_fifo
def test_a_save_replaced_by_a_fifo_is_not_written_over(tutorial: CompiledScenario,
                                                       tmp_path: Path) -> None:
    session = ai_session(tutorial, 2, tmp_path, turns=1)
    session.path.unlink()
    os.mkfifo(session.path)
    with pytest.raises(SaveError, match=r"cannot write the save: it is a named pipe \(FIFO\)"):
        session.play({r: session.game.ai_decision(r) for r in tutorial.role_ids})
    assert stat.S_ISFIFO(os.lstat(session.path).st_mode)
