"""The commands: `play --auto` (autosave, --load), `replay --verify` and `export`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kazsim.cli import main
from kazsim.scenario import CompiledScenario
from kazsim.session.model import ai, human
from kazsim.session.replay import load_session
from kazsim.session.session import Session
from kazsim.session.store import read_save

from .support import SCENARIOS, ai_session, edit, kazsim


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture()
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with a ./saves of its own (never the user's data folder)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KAZSIM_SAVE_DIR", raising=False)
    (tmp_path / "saves").mkdir()
    return tmp_path


def test_auto_play_autosaves_and_its_story_does_not_depend_on_the_process(
        tmp_path: Path) -> None:
    (tmp_path / "saves").mkdir()
    runs = [kazsim(["play", "tutorial", "--auto", "--seed", "4"], tmp_path, hashseed=h)
            for h in ("0", "4242")]
    assert [r.returncode for r in runs] == [0, 0]
    assert runs[0].stdout == runs[1].stdout
    assert "saves" not in runs[0].stdout and "══ Ending: " in runs[0].stdout
    # The save's full path: "saves/..." would not say which folder it is in.
    assert runs[0].stderr == f"saved: {tmp_path / 'saves' / 'tutorial-seed4-1.json'}\n"
    assert runs[1].stderr == f"saved: {tmp_path / 'saves' / 'tutorial-seed4-2.json'}\n"
    for name in ("tutorial-seed4-1.json", "tutorial-seed4-2.json"):
        save = read_save(tmp_path / "saves" / name)
        assert save.seed == 4 and save.ending is not None
        assert all(p.kind == "ai" and p.level == "easy" for p in save.players.values())


def test_the_save_folder_option_beats_the_variable_beats_saves(
        in_tmp: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(in_tmp / "data"))
    (in_tmp / "saves").rmdir()  # no ./saves here: the user's data folder
    status, _, err = run(["play", "tutorial", "--auto", "--seed", "1"], capsys)
    data = in_tmp / "data" / "kazsim" / "saves" / "tutorial-seed1-1.json"
    assert status == 0 and err == f"saved: {data}\n" and data.is_file()
    (in_tmp / "saves").mkdir()
    run(["play", "tutorial", "--auto", "--seed", "1"], capsys)
    monkeypatch.setenv("KAZSIM_SAVE_DIR", str(in_tmp / "from-env"))
    run(["play", "tutorial", "--auto", "--seed", "1"], capsys)
    status, _, err = run(["--save-dir", "chosen", "play", "tutorial", "--auto", "--seed", "1"],
                         capsys)
    assert status == 0 and err == f"saved: {in_tmp / 'chosen' / 'tutorial-seed1-1.json'}\n"
    status, _, err = run(["play", "tutorial", "--auto", "--seed", "1", "--save-dir", "after"],
                         capsys)
    assert status == 0 and err == f"saved: {in_tmp / 'after' / 'tutorial-seed1-1.json'}\n"
    assert (in_tmp / "saves" / "tutorial-seed1-1.json").is_file()
    assert (in_tmp / "from-env" / "tutorial-seed1-1.json").is_file()


def test_auto_load_finishes_a_saved_game(tutorial: CompiledScenario, in_tmp: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    status, whole, _ = run(["play", "tutorial", "--auto", "--seed", "6"], capsys)
    players = {**{r: ai("easy") for r in tutorial.role_ids}, "council": human("Aigerim")}
    half = Session.new(tutorial, 6, players, in_tmp / "mine")
    for _ in range(2):
        half.play({r: half.game.ai_decision(r, "easy") for r in tutorial.role_ids})
    status, rest, err = run(["play", "--auto", "--load", str(half.path)], capsys)
    assert status == 0 and err == f"saved: {half.path}\n"
    lines = rest.splitlines()
    assert lines[1] == ("Roles: The town council (Aigerim, now the AI, easy), The bakers' "
                        "union (AI, easy), The neighbouring province (AI, easy)")
    assert lines[2] == "Resumed after turn 2."
    assert rest[rest.index("── Turn 3 "):] == whole[whole.index("── Turn 3 "):]
    save = read_save(half.path)
    assert save.ending is not None and save.players["council"].kind == "ai"
    assert load_session(half.path).divergence is None


def test_auto_load_of_a_bad_file(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "x.json").write_text("[]")
    status, out, err = run(["play", "--auto", "--load", "x.json"], capsys)
    assert (status, out) == (1, "")
    assert err == "kazsim: x.json: expected a JSON object at the top, found a list\n"
    status, out, err = run(["play", "--auto"], capsys)
    assert status == 2 and "give a scenario" in err


def test_auto_load_on_a_changed_scenario_says_so_and_writes_a_new_file(
        tutorial: CompiledScenario, in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    half = ai_session(tutorial, 6, in_tmp, turns=2)
    original = half.path.read_bytes()
    edit(half.path, lambda d: d["scenario"].update(
        content_hash="0" * 64, path=None, version="0.9"))
    status, out, err = run(["play", "--auto", "--load", str(half.path)], capsys)
    assert status == 0 and "Resumed after turn 2." in out
    notice, saved = err.splitlines()
    assert notice.startswith("kazsim: This save was made with 'Tutorial: The Bread Price "
                             "Strike' version 0.9; the file is now version 1.0.")
    assert saved == f"saved: {in_tmp / 'tutorial-seed6-2.json'}"
    assert json.loads(half.path.read_bytes())["turns"] == json.loads(original)["turns"]


# --- replay --verify ------------------------------------------------------------------------

def test_verify(tutorial: CompiledScenario, in_tmp: Path,
                capsys: pytest.CaptureFixture[str]) -> None:
    done = ai_session(tutorial, 2, in_tmp)
    ending = done.game.state.ending or ""
    turns = len(done.game.records)
    assert run(["replay", str(done.path), "--verify"], capsys) == (
        0, f"OK: {turns} turns verified, ending {ending} ({tutorial.ending(ending).title})\n",
        "")
    going = ai_session(tutorial, 2, in_tmp, turns=1)
    assert run(["replay", str(going.path), "--verify"], capsys) == (
        0, "OK: 1 turn verified, game in progress (next: turn 2)\n", "")


def test_verify_names_the_first_turn_that_differs(tutorial: CompiledScenario, in_tmp: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    session = ai_session(tutorial, 2, in_tmp, turns=3)
    real = read_save(session.path).turns[2].checksum
    edit(session.path, lambda d: d["turns"][2].update(checksum="ffffffffffffffff"))
    assert run(["replay", str(session.path), "--verify"], capsys) == (
        1, f"turn 3: checksum differs (expected ffffffffffffffff, got {real})\n", "")
    edit(session.path, lambda d: d["turns"][1]["decisions"].update(province="invade"))
    assert run(["replay", str(session.path), "--verify"], capsys) == (
        1, "turn 2: The neighbouring province (province) has no action 'invade'\n", "")


def test_verify_of_unreadable_files_and_changed_scenarios(
        tutorial: CompiledScenario, in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["replay", "nothing.json", "--verify"], capsys) == (
        1, "", "kazsim: nothing.json: no such file\n")
    session = ai_session(tutorial, 2, in_tmp, turns=3)
    old = in_tmp / "old.yaml"
    old.write_text((SCENARIOS / "tutorial.yaml").read_text() + "# old\n")
    edit(session.path, lambda d: d["scenario"].update(content_hash="0" * 64))
    status, out, err = run(["replay", str(session.path), "--verify"], capsys)
    assert (status, out) == (1, "")
    assert "is not the one this save was made with" in err
    assert err.endswith("give the original with --scenario FILE\n")
    status, out, err = run(["replay", str(session.path), "--verify", "--scenario", "old.yaml"],
                           capsys)
    assert status == 1 and "old.yaml is not the one" in err


# --- export ---------------------------------------------------------------------------------

def test_export_writes_a_markdown_transcript_next_to_the_save(
        tutorial: CompiledScenario, in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    session = ai_session(tutorial, 2, in_tmp, name="Monday class")
    status, out, err = run(["export", str(session.path)], capsys)
    target = session.path.with_suffix(".md")
    assert (status, out, err) == (0, f"wrote {target}\n", "")
    text = target.read_text(encoding="utf-8")
    game = session.game
    ending = tutorial.ending(game.state.ending or "")
    assert text.startswith("# Monday class\n\n**Scenario:** Tutorial: The Bread Price Strike "
                           "(`tutorial`, version 1.0) · **Seed:** 2 · **Turns played:** ")
    assert "| The town council | Aigerim |" in text
    assert "| The bakers' union | the computer (easy) |" in text
    for record in game.records:
        assert f"\n## Turn {record.turn} · " in text
    assert f"\n## Ending: {ending.title} (after turn {len(game.records)})\n" in text
    for outcome in game.outcomes():
        assert f"| {outcome.result.result} |" in text
    assert "\n### What really happened\n" in text and "\n## Discussion questions\n" in text
    table = text[text.index("## Indicators turn by turn"):].splitlines()
    header = next(line for line in table if line.startswith("| | Start"))
    assert header.count("|") == len(game.records) + 3
    bread = next(i.label for i in tutorial.model.indicators if i.id == "bread_price")
    row = next(line for line in table if line.startswith(f"| {bread} |"))
    assert row.split(" | ")[1] == str(tutorial.initial["bread_price"]).removesuffix(".0")
    assert run(["export", str(session.path), "-o", "-"], capsys) == (0, text, "")


def test_export_of_a_game_in_progress_and_of_a_bad_file(
        tutorial: CompiledScenario, in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    session = ai_session(tutorial, 2, in_tmp, turns=2)
    status, out, _ = run(["export", str(session.path), "-o", "-"], capsys)
    assert status == 0 and "## The game is not over" in out and "it goes on from turn 3" in out
    (in_tmp / "bad.json").write_bytes(b"\xff")
    assert run(["export", "bad.json"], capsys) == (
        1, "", "kazsim: bad.json:1:1: not UTF-8 text, so not a kazsim save (or it is damaged)\n")
    assert not (in_tmp / "bad.md").exists()
