"""`kazsim new NAME`: a starter that validates, plays, and tells the editor where the schema is."""

from __future__ import annotations

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
