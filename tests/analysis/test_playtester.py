"""What the play-tester tells the teacher: choices per seat, rare content, habits, uncited
sources, exploits, why the AI does not choose an action, and a variant against its
original. Each finding has a scenario built to trigger it and one that must not."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from kazsim.analysis import exploits
from kazsim.analysis.findings import HABIT_SHARE, Findings, build
from kazsim.analysis.simulate import Plan, run_games, run_plans
from kazsim.analysis.whynot import TARGET_SHARE
from kazsim.cli import main

from .support import SCENARIOS, compile_data, mini

RUNS = 300


def check(data: dict[str, Any], runs: int = RUNS, **options: Any) -> Findings:
    scenario = compile_data(data)
    tally, _ = run_games(scenario, runs, 0, jobs=1)
    return build(scenario, tally, 0, "easy", **options)


def kinds(findings: Findings) -> set[tuple[str, str]]:
    return {(w.kind, w.subject) for w in findings.warnings}


def of_kind(findings: Findings, kind: str) -> set[str]:
    return {w.subject for w in findings.warnings if w.kind == kind}


def role(data: dict[str, Any], role_id: str) -> dict[str, Any]:
    return next(r for r in data["roles"] if r["id"] == role_id)


def action(data: dict[str, Any], role_id: str, action_id: str) -> dict[str, Any]:
    return next(a for a in role(data, role_id)["actions"] if a["id"] == action_id)


# --- choices per seat -------------------------------------------------------------------------

def test_a_seat_with_a_single_choice_most_turns() -> None:
    data = mini()
    action(data, "blue", "ring")["available"] = "turn == 1"  # then only 'cool' is left
    findings = check(data)
    blue = next(s for s in findings.seats if s.id == "blue")
    assert blue.single == pytest.approx(1 - findings.runs / blue.turns)  # all but turn 1
    assert blue.median == 1 and (blue.fewest, blue.most) == (1, 2)
    assert of_kind(findings, "seat_single_choice") == {"blue"}
    # The threshold is an option: above the share seen, no warning.
    assert "blue" not in of_kind(check(data, single_choice=0.9), "seat_single_choice")


def test_seats_with_a_choice_every_turn() -> None:
    findings = check(mini())
    assert [(s.id, s.median, s.single) for s in findings.seats] == [("red", 2, 0.0),
                                                                    ("blue", 2, 0.0)]
    assert not of_kind(findings, "seat_single_choice")


def test_every_seat_of_the_main_scenario_has_something_to_decide(
        capsys: pytest.CaptureFixture[str]) -> None:
    """The CSTO of kazakhstan-2022 once had one choice on three turns in four; since its
    second edition no seat has a single choice on more than 20% of its turns."""
    status = main(["check", str(SCENARIOS / "kazakhstan-2022.yaml"), "--runs", "200",
                   "--no-exploits", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert status == 0
    assert data["seats"]["csto"]["median_choices"] >= 3
    assert all(seat["single_choice_share"] <= 0.2 for seat in data["seats"].values())
    assert "seat_single_choice" not in {w["kind"] for w in data["warnings"]}


# --- rare content -----------------------------------------------------------------------------

def rare_data() -> dict[str, Any]:
    data = mini()
    data["events"].append({"id": "comet", "title": "Comet", "when": "heat > 0",
                           "chance": 0.002, "text": "A comet.", "effects": {"heat": 0}})
    data["rules"].append({"id": "freak", "when": "chose(red, rest)", "text": "Freak."})
    action(data, "red", "rest")["ai"] = {"weight": 0.17}  # chance 0.17^(1/0.3): 0.3%
    return data


def test_rare_events_rules_and_actions() -> None:
    runs = 1000
    findings = check(rare_data(), runs)
    comet = next(e for e in findings.events if e.id == "comet")
    assert 0 < comet.games < 0.02 * runs
    assert "comet" in of_kind(findings, "event_rare")
    freak = next(r for r in findings.rules if r.id == "freak")
    assert 0 < freak.games < 0.02 * runs
    assert "freak" in of_kind(findings, "rule_rare")
    rest = next(a for a in findings.actions if a.id == "rest")
    assert 0 < rest.chosen_games < 0.02 * runs
    assert "red.rest" in of_kind(findings, "action_rare")
    # The threshold is an option.
    assert not {"event_rare", "rule_rare", "action_rare"} & {
        k for k, _ in kinds(check(rare_data(), runs, rare=0.001))}


def test_common_content_is_not_rare() -> None:
    findings = check(mini())
    assert not {k for k, _ in kinds(findings)} & {"event_rare", "rule_rare", "action_rare",
                                                    "ending_rare"}


# --- AI habits -----------------------------------------------------------------------------

def test_an_action_taken_at_the_same_early_turn_in_nearly_every_game() -> None:
    data = mini()
    action(data, "red", "push")["ai"] = {"weight": "max(1, 1000 * (2 - turn))"}
    findings = check(data)
    habit = next(h for h in findings.habits if h.id == "push")
    assert habit.turn == 1 and habit.share >= HABIT_SHARE and habit.games == RUNS
    assert "red.push" in of_kind(findings, "ai_habit")


def test_no_habit_when_the_ai_varies_its_opening() -> None:
    findings = check(mini())
    assert findings.habits == ()
    # Forced choices are not habits: they are the seat's business.
    data = mini()
    action(data, "blue", "ring")["available"] = "turn >= 3"
    assert "blue.cool" not in of_kind(check(data), "ai_habit")


# --- sources ------------------------------------------------------------------------------

def test_a_source_nothing_cites() -> None:
    data = mini()
    data["sources"].append({"id": "forgotten", "title": "Forgotten", "publisher": "P"})
    assert of_kind(check(data, runs=20), "source_uncited") == {"forgotten"}
    assert not of_kind(check(mini(), runs=20), "source_uncited")


# --- exploits ---------------------------------------------------------------------------------

def exploitable() -> dict[str, Any]:
    """Red's 'gamble', which its AI hardly ever takes, wins at once."""
    data = mini()
    data["flags"].append({"id": "bet", "label": "Bet"})
    red = role(data, "red")
    red["actions"].append({"id": "gamble", "label": "Gamble", "ai": {"weight": 0.001},
                           "effects": {"bet": True}})
    data["endings"].insert(0, {
        "id": "jackpot", "title": "Jackpot", "when": "bet", "priority": 10,
        "text": "Jackpot.", "roles": {"red": {"result": "win", "text": "w"},
                                      "blue": {"result": "loss", "text": "l"}}})
    return data


def search(data: dict[str, Any], runs: int = 200) -> list[exploits.Exploit]:
    scenario = compile_data(data)
    plans = [(Plan(), 0, runs), *exploits.plans(scenario, 0, 30, 5)]
    tallies, _ = run_plans(scenario, plans, jobs=1)
    found = exploits.strategies(scenario, plans[1:], tallies[1:])
    return exploits.exploits(scenario, found, tallies[0])


def test_repeating_one_action_that_wins_is_an_exploit() -> None:
    found = search(exploitable())
    gamble = [x for x in found if x.strategy.action == "gamble"]
    assert len(gamble) == 1
    x = gamble[0]
    assert x.strategy.role == "red" and x.measure == "wins"
    assert x.share == 1.0 and x.strategy.ending == "jackpot" and x.strategy.mean_turns == 1
    assert x.low > exploits.MARGIN and x.low <= x.share - x.ordinary <= x.high


def test_no_exploit_when_nothing_a_role_does_decides() -> None:
    data = mini()
    data["endings"] = [data["endings"][-1]]  # every game ends at the last turn in a draw
    data["endings"][0]["roles"] = {"red": {"result": "draw", "text": "d"},
                                   "blue": {"result": "draw", "text": "d"}}
    assert search(data, runs=100) == []


def test_the_interval_of_a_difference() -> None:
    assert exploits.difference(15, 30, 200, 1000)[0] > exploits.MARGIN  # 50% against 20%
    low, _ = exploits.difference(9, 30, 200, 1000)
    assert low < 0  # 30% against 20%: within the uncertainty
    # Agresti–Caffo: one game of each kind added to each sample.
    p, q = 16 / 32, 201 / 1002
    se = math.sqrt(p * (1 - p) / 32 + q * (1 - q) / 1002)
    assert exploits.difference(15, 30, 200, 1000) == pytest.approx(
        (p - q - 1.959964 * se, p - q + 1.959964 * se))


def test_check_searches_for_exploits_by_default(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    path = tmp_path / "exploitable.yaml"
    path.write_text(yaml.safe_dump(exploitable(), sort_keys=False), encoding="utf-8")
    assert main(["check", str(path), "--runs", "100", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "role 'red' wins in 100% of 30 games when it repeats 'Gamble'" in out
    assert "Exploits (" in out
    assert main(["check", str(path), "--runs", "100", "--jobs", "1", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "## Choices per seat" in out and "## Exploits" in out
    assert "|  | repeats 'Gamble' | 30 | 100.0% | 100.0% | 1 | exploit |" in out
    assert main(["check", str(path), "--runs", "100", "--no-exploits"]) == 0
    out = capsys.readouterr().out
    assert "repeats 'Gamble'" not in out and "Exploits: not searched (--no-exploits)." in out


# --- why doesn't the AI choose X? ----------------------------------------------------------------

def whynot_data(rest_weight: float = 1, rest_heat: float = -5) -> dict[str, Any]:
    """Red's three actions have the same score gains every turn (the range is wide and no
    rule depends on red's choice), so the AI's chances are the same every turn."""
    data = mini()
    data["indicators"][0].update({"min": -1000, "max": 1000})
    data["endings"] = [data["endings"][-1]]
    data["rules"] = []
    red = role(data, "red")
    red["ai"] = {"greed": 1, "randomness": 0.3}
    red["actions"] = [
        {"id": "push", "label": "Push", "effects": {"heat": 10}},
        {"id": "rest", "label": "Rest", "ai": {"weight": rest_weight},
         "effects": {"heat": rest_heat}},
        {"id": "nudge", "label": "Nudge", "effects": {"heat": 2}},
    ]
    return data


def test_why_an_action_is_not_chosen_with_the_ai_s_own_numbers() -> None:
    findings = check(whynot_data())
    why = findings.why("red", "rest")
    assert why is not None and why.rival is not None
    assert why.rival.id == "push" and why.rival.favoured == 1
    assert (why.rival.weight, why.weight) == (1, 1)
    assert why.rival.gain_gap == pytest.approx(-15)  # -5 against +10
    # By hand: utilities (ln w + 3 g / 10) / 0.3 give push 10, nudge 2, rest -5 + ln(w) / 0.3;
    # rest has a third of the chances when w^(1/0.3) e^-5 = (e^10 + e^2) / 2.
    assert why.chance == pytest.approx(math.exp(-5) / (math.exp(10) + math.exp(2)
                                                       + math.exp(-5)))
    expected = math.exp(0.3 * (5 + math.log((math.exp(10) + math.exp(2)) / 2)))
    assert why.weight_needed == pytest.approx(expected, rel=1e-6)
    message = next(w.message for w in findings.warnings if w.subject == "red.rest")
    assert "it loses to 'Push' (push) (weight 1 against its 1; its score gain is 15 points " \
           "lower)" in message
    assert f"A weight of about {round(expected)}" in message
    assert "would make it chosen in about a third of the turns it is available" in message


@pytest.mark.parametrize("change", ["weight", "gain"])
def test_the_suggested_change_makes_it_chosen_in_about_a_third_of_its_turns(change: str
                                                                            ) -> None:
    why = check(whynot_data()).why("red", "rest")
    assert why is not None and why.weight_needed is not None and why.gain_needed is not None
    changed = (whynot_data(rest_weight=why.weight_needed) if change == "weight"
               else whynot_data(rest_heat=-5 + why.gain_needed))
    findings = check(changed, runs=400)
    rest = next(a for a in findings.actions if a.id == "rest")
    share = rest.chosen / rest.available_turns
    assert share == pytest.approx(TARGET_SHARE, abs=0.04)  # 1,600 decisions: 3 s.e. ~ 0.035


def test_an_action_never_available_names_the_part_of_its_condition_that_fails() -> None:
    data = mini()
    data["indicators"].append({"id": "calm", "label": "Calm", "start": 0})
    data["roles"][0]["score"] = "heat + calm"
    action(data, "blue", "ring")["available"] = "turn >= 2 and calm > 5"
    findings = check(data, runs=50)
    why = findings.why("blue", "ring")
    assert why is not None and why.available_turns == 0
    assert why.condition_part == "calm > 5" and why.condition_false == 1
    message = next(w.message for w in findings.warnings if w.subject == "blue.ring")
    assert "the part 'calm > 5' of its condition was false at 100% of the turns checked" \
        in message


def test_no_explanation_for_actions_chosen_often() -> None:
    findings = check(mini())
    assert findings.why_not == ()


# --- a variant against its original ---------------------------------------------------------------

def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def compare_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["check", *args, "--runs", "200", "--no-exploits", "--format", "json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_a_variant_is_compared_with_its_original_on_the_same_seeds(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    base = write(tmp_path / "base.yaml", mini())
    variant = write(tmp_path / "hotter.yaml", {
        "extends": "base.yaml", "id": "hotter", "title": "Hotter",
        "roles": [{"id": "red", "actions": [{"id": "push", "effects": {"heat": 20}}]}]})
    data = compare_json(capsys, str(variant))
    comparison = data["comparison"]
    assert comparison["base_name"] == str(base) and comparison["runs"] == 200
    by_id = {e["id"]: e for e in comparison["endings"]}
    alone = compare_json(capsys, str(base))
    for ending_id, e in by_id.items():
        assert e["base"] == alone["endings"][ending_id]["share"]
        assert e["variant"] == data["endings"][ending_id]["share"]
        assert e["difference"] == pytest.approx(e["variant"] - e["base"])
        assert e["low"] <= e["difference"] <= e["high"]
    assert by_id["hot"]["difference"] > 0 and by_id["hot"]["low"] > 0  # clearly more
    assert {e["only_in"] for e in comparison["endings"]} == {""}
    # An ending the variant removes is shown as the original's alone.
    fewer = write(tmp_path / "fewer.yaml", {"extends": "base.yaml", "id": "fewer",
                                             "title": "Fewer",
                                             "endings": [{"id": "cold", "remove": True}]})
    cold = next(e for e in compare_json(capsys, str(fewer))["comparison"]["endings"]
                if e["id"] == "cold")
    assert cold["only_in"] == "original" and cold["variant"] == 0 and cold["base"] > 0
    # --against gives the same comparison for any two files.
    other = write(tmp_path / "hotter_copy.yaml", {**copy.deepcopy(mini()), "id": "copy"})
    against = compare_json(capsys, str(other), "--against", str(base))
    assert all(e["difference"] == 0 and e["low"] == e["high"] == 0
               for e in against["comparison"]["endings"])  # the same games, seed by seed


def test_the_text_report_shows_the_endings_side_by_side(capsys: pytest.CaptureFixture[str],
                                                       tmp_path: Path) -> None:
    write(tmp_path / "base.yaml", mini())
    variant = write(tmp_path / "v.yaml", {"extends": "base.yaml", "id": "v", "title": "V"})
    assert main(["check", str(variant), "--runs", "100", "--no-exploits"]) == 0
    out = capsys.readouterr().out
    assert "Compared with the original" in out
    assert "original  variant  difference" in out
    assert main(["check", str(tmp_path / "base.yaml"), "--against", "nothing-here",
                 "--runs", "10"]) == 2
    assert "--against: no scenario called 'nothing-here'" in capsys.readouterr().err


def test_options_out_of_range_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["--rare", "2"], ["--single-choice", "-0.1"], ["--exploit-runs", "0"]):
        assert main(["check", "tutorial", "--runs", "10", *args]) == 2
        assert "kazsim check:" in capsys.readouterr().err
