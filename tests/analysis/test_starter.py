"""`kazsim new NAME`: a starter that validates, plays, and tells the editor where the schema is."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kazsim.analysis.findings import build
from kazsim.analysis.schema import SCHEMA_FILE, schema_text
from kazsim.analysis.simulate import run_games
from kazsim.analysis.starter import MODELINE, starter_text, suggest_id, template_text
from kazsim.cli import main
from kazsim.engine import play_ai_game
from kazsim.scenario.load import load_text, validate_file


def new(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["new", *args])
    out, err = capsys.readouterr()
    return status, out, err


def schema_path(scenario: Path) -> Path:
    first = scenario.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(MODELINE)
    return scenario.parent / first[len(MODELINE):]


def test_the_starter_validates_plays_and_is_balanced(capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    status, out, _ = new(capsys, "water_crisis", "-d", str(tmp_path / "scenarios"))
    assert status == 0
    path = tmp_path / "scenarios" / "water_crisis.yaml"
    assert out.startswith(f"wrote {path} (and {tmp_path / 'scenarios' / SCHEMA_FILE}")
    compiled, problems = validate_file(path)
    assert compiled is not None and problems == [], problems
    assert compiled.id == "water_crisis"
    assert f"kazsim check {path}" in path.read_text(encoding="utf-8")
    for seed in range(10):
        assert play_ai_game(compiled, seed).over
    tally, _ = run_games(compiled, 500, jobs=1)
    assert build(compiled, tally, 0, "easy").warnings == ()
    model = compiled.model
    assert len(model.roles) == 2 and len(model.rules) >= 1 and len(model.events) >= 1
    assert len(model.endings) >= 2 and all(len(r.actions) >= 2 for r in model.roles)


def test_the_modeline_points_at_the_current_schema(capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path) -> None:
    new(capsys, "first", "-d", str(tmp_path))
    schema = schema_path(tmp_path / "first.yaml")
    assert schema.read_text(encoding="utf-8") == schema_text()
    # An old schema written by kazsim is refreshed; a foreign file is left alone.
    schema.write_text('{"title": "kazsim scenario", "old": true}', encoding="utf-8")
    new(capsys, "second", "-d", str(tmp_path))
    assert schema.read_text(encoding="utf-8") == schema_text()
    schema.write_text('{"title": "something else"}', encoding="utf-8")
    status, _, err = new(capsys, "third", "-d", str(tmp_path))
    assert status == 0 and "left" in err and "alone" in err
    assert schema.read_text(encoding="utf-8") == '{"title": "something else"}'


def test_in_a_checkout_the_committed_schema_is_used(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / SCHEMA_FILE).write_text(schema_text(), encoding="utf-8")
    new(capsys, "mine", "-d", str(tmp_path / "scenarios"))
    path = tmp_path / "scenarios" / "mine.yaml"
    assert schema_path(path).resolve() == (tmp_path / "docs" / SCHEMA_FILE).resolve()
    assert not (tmp_path / "scenarios" / SCHEMA_FILE).exists()


def test_never_overwrites_without_force(capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("my work\n", encoding="utf-8")
    status, out, err = new(capsys, "mine", "-d", str(tmp_path))
    assert status == 1 and out == ""
    assert "already exists; nothing was written" in err and "--force" in err
    assert path.read_text(encoding="utf-8") == "my work\n"
    status, _, _ = new(capsys, "mine", "-d", str(tmp_path), "--force")
    assert status == 0 and "id: mine" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "suggestion"), [
    ("Water Crisis", "water_crisis"), ("Water-Crisis", "water_crisis"),
    ("2022_riots", "s_2022_riots"), ("!!!", "my_crisis")])
def test_a_name_that_is_not_an_id(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                  name: str, suggestion: str) -> None:
    status, _, err = new(capsys, name, "-d", str(tmp_path))
    assert status == 1
    assert f"'kazsim new {suggestion}'" in err
    assert suggest_id(name) == suggestion
    assert list(tmp_path.iterdir()) == []


def test_the_template_itself_is_valid() -> None:
    compiled, problems = load_text(template_text(), "starter_template.yaml")
    assert compiled is not None and problems == []
    text = starter_text("abc", "x/y.json", "here/abc.yaml")
    assert text.startswith(f"{MODELINE}x/y.json\n")
    assert "\nid: abc " in text and "kazsim play here/abc.yaml --auto" in text


def test_an_unwritable_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    status, _, err = new(capsys, "mine", "-d", str(blocker))
    assert status == 1 and "cannot write" in err


# --- issue 10: where `new` writes, names with hyphens, permissions ---------------------------

@pytest.fixture()
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_new_then_validate_from_an_empty_folder(capsys: pytest.CaptureFixture[str],
                                                empty: Path) -> None:
    status, out, err = new(capsys, "x")
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == f"wrote {empty / 'x.yaml'} (and {empty / SCHEMA_FILE}, for your editor)"
    assert "  kazsim validate x.yaml " in out and "'kazsim docs'" in out
    for name in ("x.yaml", "x"):
        assert main(["validate", name]) == 0
        assert capsys.readouterr().out.endswith("valid (The Fees Occupation, 2 roles, 6 turns)\n")
    assert main(["play", "x", "--auto", "--no-save", "--seed", "1"]) == 0


def test_new_writes_into_scenarios_when_the_folder_has_one(
        capsys: pytest.CaptureFixture[str], empty: Path) -> None:
    (empty / "scenarios").mkdir()
    status, out, _ = new(capsys, "y")
    assert status == 0 and (empty / "scenarios" / "y.yaml").is_file()
    assert out.startswith(f"wrote {empty / 'scenarios' / 'y.yaml'}")
    assert "kazsim validate scenarios/y.yaml" in out
    assert main(["validate", "y"]) == 0


def test_a_name_with_hyphens_is_the_file_name_and_gives_the_id(
        capsys: pytest.CaptureFixture[str], empty: Path) -> None:
    status, out, _ = new(capsys, "my-class")
    assert status == 0 and "The scenario's id is my_class." in out
    compiled, problems = validate_file(empty / "my-class.yaml")
    assert compiled is not None and compiled.id == "my_class", problems
    for name in ("my-class", "my_class"):
        assert main(["validate", name]) == 0


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_files_get_the_users_normal_permissions(capsys: pytest.CaptureFixture[str],
                                                empty: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        assert new(capsys, "perms")[0] == 0
    finally:
        os.umask(old)
    assert (empty / "perms.yaml").stat().st_mode & 0o777 == mode
    assert (empty / SCHEMA_FILE).stat().st_mode & 0o777 == mode
    (empty / "perms.yaml").chmod(0o600)  # a file replaced with --force keeps its mode
    assert new(capsys, "perms", "--force")[0] == 0
    assert (empty / "perms.yaml").stat().st_mode & 0o777 == 0o600


def test_an_id_kazsim_already_has_is_refused(capsys: pytest.CaptureFixture[str],
                                             empty: Path) -> None:
    status, out, err = new(capsys, "tutorial")
    assert status == 1 and out == "" and list(empty.iterdir()) == []
    assert "already has a scenario with the id 'tutorial'" in err


# --- issue 12: the new constructs, commented out and ready to uncomment ----------------------

TRY_BLOCKS = ("delayed effect", "secret move", "offer", "timeline step", "lesson", "leader")


def uncommented(text: str, name: str) -> str:
    """The template with every `# Try it (NAME)` block's lines uncommented, as a reader would."""
    out: list[str] = []
    inside: str | None = None  # the indentation of the block being uncommented
    found = 0
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        indent = line[:len(line) - len(stripped)]
        if stripped.startswith("# Try it ("):
            inside = indent if stripped.startswith(f"# Try it ({name}):") else None
            found += inside is not None
            out.append(line)
        elif inside is not None and indent == inside and stripped.startswith("# "):
            out.append(indent + stripped[2:])
        else:
            inside = None
            out.append(line)
    assert found, f"no block 'Try it ({name})'"
    return "\n".join(out)


def test_every_try_it_block_is_named_and_known() -> None:
    names = {line.split("# Try it (", 1)[1].split(")", 1)[0]
             for line in template_text().splitlines() if line.lstrip().startswith("# Try it (")}
    assert names == set(TRY_BLOCKS)


@pytest.mark.parametrize("name", TRY_BLOCKS)
def test_each_try_it_block_validates_and_plays_when_uncommented(name: str) -> None:
    text = uncommented(template_text(), name)
    assert text != template_text()
    compiled, problems = load_text(text, "starter.yaml")
    assert compiled is not None and problems == [], [str(p) for p in problems]
    for seed in range(5):
        assert play_ai_game(compiled, seed).over
    model = compiled.model
    if name == "secret move":
        assert any(a.secret for a in model.roles[0].actions)
    elif name == "offer":
        assert len(model.offers) == 1
    elif name == "timeline step":
        assert len(model.timeline) == 1
    elif name == "lesson":
        assert model.calendar.lesson_turns and any(e.interrupted for e in model.endings)
    elif name == "leader":
        assert model.roles[0].leader is not None


def test_all_try_it_blocks_together_validate() -> None:
    text = template_text()
    for name in TRY_BLOCKS:
        text = uncommented(text, name)
    assert "# Try it" in text and "\n# offers:" not in text
    compiled, problems = load_text(text, "starter.yaml")
    assert compiled is not None and problems == [], [str(p) for p in problems]
