"""`kazsim check --look-ahead ROLE`: one role played by the look-ahead AI."""

from __future__ import annotations

import json

import pytest

from kazsim.cli import main


def check_json(capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    assert main(["check", "tutorial", "--runs", "40", "--format", "json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_role_is_named_in_the_report_and_plays_better(
        capsys: pytest.CaptureFixture[str]) -> None:
    easy = check_json(capsys)
    ahead = check_json(capsys, "--look-ahead", "union")
    assert easy["look_ahead"] is None and ahead["look_ahead"] == "union"
    # Planning ahead pays for the union in the tutorial (see tests/engine/test_ai.py):
    # it plays for the ending's result as well as its score, and wins more often.
    assert ahead["roles"]["union"]["wins"] > easy["roles"]["union"]["wins"]
    assert main(["check", "tutorial", "--runs", "40", "--look-ahead", "union"]) == 0
    text = capsys.readouterr().out
    assert "The bakers' union played by the look-ahead AI (hard)" in text


def test_an_unknown_role_is_refused_with_the_roles_listed(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "tutorial", "--runs", "5", "--look-ahead", "bakers"]) == 2
    err = capsys.readouterr().err
    assert "no role 'bakers'" in err and "council, union, province" in err
