"""Each warning of `kazsim check`, one scenario per warning, and the numbers around them."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kazsim.analysis.findings import DOMINANT_SHARE, RARE_SHARE, Findings, build
from kazsim.analysis.reads import read_ids
from kazsim.analysis.simulate import run_games

from .support import compile_data, mini

RUNS = 300


def check(data: dict[str, Any], runs: int = RUNS) -> Findings:
    scenario = compile_data(data)
    tally, _ = run_games(scenario, runs, 0, jobs=1)
    return build(scenario, tally, 0, "easy")


def kinds(findings: Findings) -> set[tuple[str, str]]:
    return {(w.kind, w.subject) for w in findings.warnings}


def role(data: dict[str, Any], role_id: str) -> dict[str, Any]:
    return next(r for r in data["roles"] if r["id"] == role_id)


def test_the_small_scenario_has_nothing_to_warn_about() -> None:
    findings = check(mini())
    assert kinds(findings) == set()
    assert sum(e.count for e in findings.endings) == RUNS
    assert sum(e.share for e in findings.endings) == pytest.approx(1)
    red = next(r for r in findings.roles if r.id == "red")
    hot = next(e for e in findings.endings if e.id == "hot")
    assert red.wins == hot.count  # red wins only in 'hot'
    assert red.wins + red.draws + red.losses == RUNS


def test_an_ending_that_is_never_reached() -> None:
    data = mini()
    data["endings"][0]["when"] = "heat >= 99 and alarm"
    assert ("ending_unreached", "hot") in kinds(check(data))


def test_an_ending_that_dominates() -> None:
    data = mini()
    data["endings"][1]["when"] = "heat <= 55"  # 'cold' comes almost at once
    findings = check(data)
    cold = next(e for e in findings.endings if e.id == "cold")
    assert cold.share > DOMINANT_SHARE
    assert ("ending_dominant", "cold") in kinds(findings)


def test_an_ending_that_is_rare() -> None:
    data = mini()
    data["endings"][0]["when"] = "heat >= 85"
    findings = check(data)
    hot = next(e for e in findings.endings if e.id == "hot")
    assert 0 < hot.share < RARE_SHARE
    assert ("ending_rare", "hot") in kinds(findings)


def test_an_action_never_available_and_one_never_chosen() -> None:
    data = mini()
    red, blue = role(data, "red"), role(data, "blue")
    red["actions"].append({"id": "lock", "label": "Lock", "available": "times(red, rest) > 50"})
    blue["actions"].append({"id": "ignore", "label": "Ignore", "ai": {"weight": 0}})
    found = kinds(check(data))
    assert ("action_never_available", "red.lock") in found
    assert ("action_never_chosen", "blue.ignore") in found
    assert ("action_never_available", "blue.ignore") not in found


def test_a_rule_never_matched_and_an_event_never_fired() -> None:
    data = mini()
    data["rules"].append({"id": "odd", "when": "chose(red, rest) and times(red, rest) > 50",
                          "text": "Never."})
    data["events"].append({"id": "late", "title": "Late", "when": "times(red, rest) > 50"})
    found = kinds(check(data))
    assert ("rule_never_matched", "odd") in found
    assert ("event_never_fired", "late") in found


def test_an_indicator_that_never_moves_and_is_never_read() -> None:
    data = mini()
    data["indicators"].append({"id": "mood", "label": "Mood", "start": 10})
    found = kinds(check(data))
    assert ("indicator_never_moves", "mood") in found
    assert ("indicator_never_read", "mood") in found
    assert ("indicator_never_moves", "heat") not in found


def test_an_indicator_stuck_at_a_bound() -> None:
    data = mini()
    data["indicators"].append({"id": "fear", "label": "Fear", "start": 95})
    role(data, "red")["actions"][0]["effects"]["fear"] = 30
    role(data, "red")["actions"][1]["effects"]["fear"] = 30
    role(data, "red")["score"] = "heat + fear / 100"
    findings = kinds(check(data))
    assert ("indicator_at_bound", "fear") in findings
    assert ("indicator_never_read", "fear") not in findings


def test_a_flag_that_never_changes_and_is_never_read() -> None:
    data = mini()
    data["flags"].append({"id": "quiet", "label": "Quiet", "start": True})
    found = kinds(check(data))
    assert ("flag_never_changes", "quiet") in found
    assert ("flag_never_read", "quiet") in found
    assert ("flag_never_changes", "alarm") not in found


def test_a_role_that_never_wins() -> None:
    data = mini()
    data["endings"][0]["roles"]["red"]["result"] = "draw"
    assert ("role_never_wins", "red") in kinds(check(data))


def test_what_counts_as_read() -> None:
    data = mini()
    data["indicators"] += [
        {"id": "a", "label": "A", "start": 1}, {"id": "b", "label": "B", "start": 1},
        {"id": "c", "label": "C", "start": 1}, {"id": "d", "label": "D", "start": 1},
        {"id": "e", "label": "E", "start": 1}]
    red = role(data, "red")
    red["actions"][0]["ai"] = {"weight": "a / 2"}
    red["actions"][1]["outcomes"] = [{"chance": "b / 100", "text": "t",
                                      "effects": {"heat": "= c"}}]
    data["events"][0]["chance"] = "clamp(d, 0, 1)"
    found = read_ids(compile_data(data))
    assert {"heat", "alarm", "a", "b", "c", "d"} <= found
    assert "e" not in found


def test_ranges_by_turn_follow_the_games() -> None:
    findings = check(mini())
    heat = findings.indicators[0]
    assert heat.turns[0].low == heat.turns[0].high == heat.turns[0].mean == 50
    assert heat.turns[0].games == RUNS
    assert all(t.low <= t.mean <= t.high for t in heat.turns)
    assert [t.games for t in heat.turns] == sorted((t.games for t in heat.turns), reverse=True)
    assert findings.mean_turns == pytest.approx(
        sum(t.games for t in heat.turns[1:]) / RUNS)


def test_no_games_no_warnings() -> None:
    scenario = compile_data(copy.deepcopy(mini()))
    tally, _ = run_games(scenario, 0, 0, jobs=1)
    assert build(scenario, tally, 0, "easy").warnings == ()
