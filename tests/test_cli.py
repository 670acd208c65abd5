"""The command line: help everywhere, validate's exit codes and output, list, play --auto.

Most tests call `kazsim.cli.main` in this process; two run the real command in
a subprocess (the entry point itself, and `validate` over the whole corpus, to
prove no input produces a traceback).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest
from scenario.test_corpus import FILES, MUTATIONS, expectations  # tests/scenario

from kazsim import places
from kazsim.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent


def subcommands() -> list[str]:
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(actions[0].choices)


def test_the_commands_we_expect_exist() -> None:
    assert {"play", "list", "validate"} <= set(subcommands())


@pytest.mark.parametrize("command", [[], *([c] for c in subcommands())],
                         ids=["kazsim", *subcommands()])
def test_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([*command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: kazsim") and len(out.splitlines()) > 3


def test_python_dash_m_kazsim_runs() -> None:
    result = subprocess.run([sys.executable, "-m", "kazsim", "--help"], capture_output=True,
                            text=True, cwd=ROOT)
    assert result.returncode == 0 and result.stdout.startswith("usage: kazsim")
    assert "validate" in result.stdout and result.stderr == ""


def test_validate_a_valid_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(ROOT / "scenarios" / "tutorial.yaml")]) == 0
    out, err = capsys.readouterr()
    assert out == (f"{ROOT / 'scenarios' / 'tutorial.yaml'}: valid (Tutorial: The Bread Price "
                   "Strike, 3 roles, 5 turns)\n")
    assert err == ""


def test_validate_an_invalid_file(capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOT / "tests" / "corpus" / "many-type-errors.yaml"
    assert main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == expectations(path)
    assert err == f"{path}: 6 errors\n"


def test_validate_every_corpus_file_without_a_traceback(tmp_path: Path) -> None:
    """One run over every corpus file and every mutation: messages, never a traceback."""
    names = [str(p) for p in FILES]
    for mutation in MUTATIONS:
        path = tmp_path / f"{mutation.name}.yaml"
        path.write_text(mutation.text(), encoding="utf-8")
        names.append(str(path))
    result = subprocess.run([sys.executable, "-m", "kazsim", "validate", *names],
                            capture_output=True, text=True, cwd=ROOT)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert result.returncode == 1
    out = result.stdout.splitlines()
    for path in FILES:
        expected = expectations(path)
        if expected is None:
            assert any(line.startswith(f"{path}: valid (") for line in out), path
        else:
            assert set(expected) <= set(out), path
            assert f"{path}: {len(expected)} error" in result.stderr
    for mutation in MUTATIONS:
        path = tmp_path / f"{mutation.name}.yaml"
        assert {f"{path}:{e}" for e in mutation.expect} <= set(out), mutation.name


def test_list_shows_the_tutorial(capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert any(line.startswith("tutorial ") and "Tutorial: The Bread Price Strike" in line
               and "[5 turns, 3 roles]" in line for line in out.splitlines())


def test_list_verbose_names_the_role_ids_that_play_takes(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["list", "-v"]) == 0
    lines = [line.strip() for line in capsys.readouterr().out.splitlines()]
    assert "government: The government (President Tokayev's administration)" in lines
    assert "west: Western governments and fuel buyers (the computer only)" in lines
    assert "council: The town council" in lines  # the tutorial: every role playable
    assert not any(line.startswith("council:") and "computer only" in line for line in lines)


def test_play_auto_is_deterministic_and_reaches_an_ending(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    monkeypatch.setenv("KAZSIM_SAVE_DIR", str(tmp_path))
    stories = []
    for _ in range(2):
        assert main(["play", "tutorial", "--auto", "--seed", "3"]) == 0
        stories.append(capsys.readouterr().out)
    assert stories[0] == stories[1]
    assert stories[0].startswith("Tutorial: The Bread Price Strike (version 1.0) — seed 3\n")
    assert "══ Ending: " in stories[0]
    assert main(["play", "tutorial", "--auto", "--seed", "4"]) == 0
    assert capsys.readouterr().out != stories[0]


def test_play_an_unknown_scenario(capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KAZSIM_SAVE_DIR", str(tmp_path))
    assert main(["play", "no_such_scenario", "--auto", "--seed", "1"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == ("kazsim: no scenario called 'no_such_scenario': run 'kazsim list' to see "
                   "them, or give the path of a .yaml file\n")


def test_play_an_invalid_scenario(capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KAZSIM_SAVE_DIR", str(tmp_path))
    path = ROOT / "tests" / "corpus" / "yaml-tab-indent.yaml"
    assert main(["play", str(path), "--auto", "--seed", "1"]) == 1
    err = capsys.readouterr().err
    assert err == f"kazsim: {path} has problems:\n{expectations(path)[0]}\n"  # type: ignore[index]


# --- issue 10: folders in --help, validate by id, docs, --auto's options ----------------------

def test_help_names_the_folders_and_their_variables(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for words in ("KAZSIM_SAVE_DIR", "KAZSIM_CACHE_DIR", "~/.local/share/kazsim/saves",
                  "~/.cache/kazsim", "./saves", "kazsim docs"):
        assert words in out, words


def test_validate_takes_scenario_ids_as_play_and_check_do(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "tutorial", "kazakhstan-2022"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (f"{ROOT / 'scenarios' / 'tutorial.yaml'}: valid (Tutorial: The Bread "
                      "Price Strike, 3 roles, 5 turns)")
    assert out[1].startswith(f"{ROOT / 'scenarios' / 'kazakhstan-2022.yaml'}: valid (")
    assert main(["validate", "no_such_scenario"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("no_such_scenario:1:1: file not found")
    assert err == "no_such_scenario: 1 error\n"


def test_docs_prints_where_the_guides_are(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"kazsim's guides and the scenario schema are in {places.docs_dir()}:"
    paths = [Path(line.split()[0]) for line in lines[1:]]
    assert places.doc("authoring.md") in paths and places.doc("scenario.schema.json") in paths
    assert all(p.is_file() for p in paths) and len(paths) == 6
    assert main(["docs", "--path"]) == 0
    assert capsys.readouterr().out == f"{places.docs_dir()}\n"


def test_auto_refuses_a_role_the_scenario_does_not_have(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    monkeypatch.setenv("KAZSIM_SAVE_DIR", str(tmp_path))
    assert main(["play", "tutorial", "--auto", "--role", "mayor", "--seed", "1"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and list(tmp_path.iterdir()) == []
    assert err == ("kazsim: --role: no role called 'mayor' in tutorial: the roles are "
                   "council, union, province\n")
    assert main(["play", "tutorial", "--auto", "--role", "union", "--seed", "1"]) == 0
    assert "══ Ending: " in capsys.readouterr().out


def test_auto_no_save_saves_nothing(capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KAZSIM_SAVE_DIR", str(tmp_path / "saves"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert main(["play", "tutorial", "--auto", "--no-save", "--seed", "3"]) == 0
    out, err = capsys.readouterr()
    assert "══ Ending: " in out and err == ""
    assert list(tmp_path.iterdir()) == []
    assert main(["play", "tutorial", "--no-save"]) == 2
    assert "--no-save goes with --auto" in capsys.readouterr().err


def test_a_message_naming_a_guide_says_where_it_is_installed(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    """Installed, the guides are in the package (tests/test_wheel.py checks the real
    wheel); here a package folder of its own stands for one."""
    path = tmp_path / "broken.yaml"
    path.write_text("format: 1\nid: broken\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert capsys.readouterr().err == f"{path}: 9 errors\n"  # a checkout: docs/ is its own
    installed = tmp_path / "site-packages" / "kazsim"
    (installed / "docs").mkdir(parents=True)
    (installed / "docs" / "authoring.md").write_text("# guide\n", encoding="utf-8")
    monkeypatch.setattr(places, "PACKAGE_DIR", installed)
    note = f"docs/authoring.md is {installed / 'docs' / 'authoring.md'}"
    assert main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "(see docs/authoring.md for every field)" in out
    assert err == f"{path}: 9 errors\n{note}\n"
    assert main(["play", str(path), "--auto"]) == 1
    err = capsys.readouterr().err
    assert "see docs/authoring.md" in err and err.endswith(f"\n{note}\n")
    assert places.docs_note("nothing to see") == ""
    assert places.docs_note("see docs/nowhere.md") == ""  # only guides that exist


def test_the_game_gets_the_full_path_of_the_save_folder(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """From a folder without ./saves, the game (and its Load game screen) uses the user's
    data folder, by its full path; --save-dir is made absolute too."""
    import kazsim.tui.launch

    seen: list[Path] = []

    def run_tui(**kwargs: object) -> int:
        seen.append(kwargs["save_dir"])  # type: ignore[arg-type]
        return 0

    monkeypatch.setattr(kazsim.tui.launch, "run_tui", run_tui)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KAZSIM_SAVE_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert main([]) == 0 and main(["play", "tutorial"]) == 0
    assert main(["--save-dir", "mine", "replay", "x.json"]) == 0
    assert seen == [tmp_path / "data" / "kazsim" / "saves"] * 2 + [tmp_path / "mine"]


def test_auto_load_with_no_save_leaves_the_save_as_it_was(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    from kazsim.scenario import load_file
    from kazsim.session.model import ai, human
    from kazsim.session.session import Session

    tutorial = load_file(ROOT / "scenarios" / "tutorial.yaml")
    players = {"council": human("Aigerim"), "union": ai("easy"), "province": ai("easy")}
    half = Session.new(tutorial, 6, players, tmp_path)
    for _ in range(2):
        half.play({r: half.game.ai_decision(r, "easy") for r in tutorial.role_ids})
    before = half.path.read_bytes()
    assert main(["play", "--auto", "--load", str(half.path), "--no-save"]) == 0
    out, err = capsys.readouterr()
    assert "Resumed after turn 2." in out and "══ Ending: " in out and err == ""
    assert half.path.read_bytes() == before and list(tmp_path.iterdir()) == [half.path]
    assert main(["play", "--auto", "--load", str(half.path), "--role", "mayor"]) == 2
    assert "no role called 'mayor'" in capsys.readouterr().err
