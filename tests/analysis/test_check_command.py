"""`kazsim check` from the command line: formats, files, exit statuses, the progress bar."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from kazsim.analysis.chart import WIDTH, bar, indicator_chart, num, rows_shown
from kazsim.analysis.findings import IndicatorStat, TurnRange
from kazsim.analysis.progress import Progress
from kazsim.cli import main

from .support import SCENARIOS


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["check", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_json_names_every_ending_with_its_count(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = check(capsys, "tutorial", "--runs", "120", "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert set(data["endings"]) == {"deal", "general_strike", "stalemate"}
    assert sum(e["count"] for e in data["endings"].values()) == 120
    assert data["runs"] == 120 and data["first_seed"] == 0
    assert data["thresholds"]["dominant_ending_share"] == 0.6
    assert set(data["roles"]) == {"council", "union", "province"}
    assert "council.subsidise" in data["actions"]
    by_turn = data["indicators"]["strike_size"]["by_turn"]
    assert by_turn[0] == {"turn": 0, "games": 120, "low": 20, "mean": 20.0, "high": 20}
    assert "played 120 games" in err


def test_text_report(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = check(capsys, "tutorial", "--runs", "60", "--seed", "5")
    assert status == 0
    assert out.startswith("Play-test of Tutorial: The Bread Price Strike (version 1.0)\n"
                          "60 games (seeds 5 to 64)")
    for heading in ("Warnings", "Endings", "Roles", "Actions", "Rules", "Events",
                    "Indicators", "Flags", "Indicator ranges by turn"):
        assert f"\n{heading}" in out
    assert "Thresholds: an ending in more than 60% of games dominates" in out
    assert "Strike size (0 to 100)" in out


def test_markdown_report_to_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    status, out, err = check(capsys, "tutorial", "--runs", "50", "--format", "markdown",
                             "-o", str(target))
    assert status == 0 and out == ""
    assert f"wrote {target}" in err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Play-test: Tutorial: The Bread Price Strike\n")
    assert "Made with `kazsim check tutorial --runs 50`" in text
    assert "| ending | games | share | average length |" in text
    assert "```text\nBread price (80 to 200)" in text


def test_the_same_command_gives_the_same_report(capsys: pytest.CaptureFixture[str]) -> None:
    first = check(capsys, "tutorial", "--runs", "500", "--jobs", "2", "--format", "markdown")
    second = check(capsys, "tutorial", "--runs", "500", "--jobs", "1", "--format", "markdown")
    assert first[1] == second[1]
    assert "2 processes" in first[2] and "1 process)" in second[2]


def test_a_variant_can_be_checked(capsys: pytest.CaptureFixture[str]) -> None:
    path = SCENARIOS / "variants" / "tutorial-rich-council.yaml"
    status, out, _ = check(capsys, str(path), "--runs", "100", "--format", "json")
    assert status == 0
    assert json.loads(out)["scenario"]["id"] == "tutorial_rich_council"
    status, out, _ = check(capsys, str(path), "--runs", "100", "--format", "markdown")
    assert f"Made with `kazsim check {path} --runs 100`" in out


def test_bad_numbers_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert check(capsys, "tutorial", "--runs", "0")[0] == 2
    assert check(capsys, "tutorial", "--jobs", "-1")[0] == 2


def test_a_scenario_that_does_not_load(capsys: pytest.CaptureFixture[str],
                                       tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\n", encoding="utf-8")
    status, _, err = check(capsys, str(broken))
    assert status == 1 and "missing field" in err


def test_the_report_never_overwrites_the_scenario(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    path = tmp_path / "tutorial.yaml"
    shutil.copy(SCENARIOS / "tutorial.yaml", path)
    before = path.read_text(encoding="utf-8")
    status, _, err = check(capsys, str(path), "--runs", "10", "-o", str(path))
    assert status == 2 and "would overwrite the scenario" in err
    assert path.read_text(encoding="utf-8") == before


def test_an_unwritable_report_is_reported(capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path) -> None:
    status, _, err = check(capsys, "tutorial", "--runs", "10", "-o",
                           str(tmp_path / "missing" / "report.txt"))
    assert status == 1 and "cannot write" in err


def test_the_progress_bar_only_on_a_terminal() -> None:
    quiet = io.StringIO()
    bar_off = Progress(100, quiet)
    bar_off(50)
    bar_off.close()
    assert quiet.getvalue() == ""
    shown = io.StringIO()
    bar_on = Progress(100, shown, force=True, every=0)
    bar_on(50)
    bar_on(100)
    bar_on.close()
    text = shown.getvalue()
    assert "50/100" in text and "100/100" in text and text.endswith("\r\033[K")


def test_the_chart() -> None:
    turns = (TurnRange(0, 10, 50, 50, 50), TurnRange(1, 8, 0, 25, 100))
    ind = IndicatorStat("x", "X", 0, 100, 50, True, True, 0, 0, turns)
    lines = indicator_chart(ind)
    assert lines[0] == "X (0 to 100)"
    assert bar(turns[0], 0, 100) == "│" + " " * 20 + "●" + " " * 19 + "│"
    full = bar(turns[1], 0, 100)
    assert len(full) == WIDTH + 2 and full.count("●") == 1 and " " not in full
    many = tuple(TurnRange(t, 1, 0, 0, 0) for t in range(101))
    shown = rows_shown(many)
    assert len(shown) <= 31 and shown[0].turn == 0 and shown[-1].turn == 100
    assert (num(2.0), num(2.25), num(-0.01), num(float("inf"))) == ("2", "2.2", "0", "-")
