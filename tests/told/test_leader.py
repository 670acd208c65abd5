"""A role's leader follows the state (issue 12): chosen like a briefing, against the
state when the role is named, and shown wherever its player sees the role named."""

from __future__ import annotations

import dataclasses
import json

import yaml
from rich.console import Console, Group

from kazsim.engine import Game, GameState, play_ai_game
from kazsim.engine.game import leader
from kazsim.plain import from_plain, to_plain
from kazsim.scenario import CompiledScenario
from kazsim.scenario.load import load_text
from kazsim.scenario.model import Scenario
from kazsim.story import briefing_story, ending_story
from kazsim.tui.config import GameConfig, default_seats
from kazsim.tui.screens.debrief import outcome_text
from kazsim.tui.view import TurnView
from tests.docs.guide import blocks, final_stage, merge

BEKOVA = "Governor Amina Bekova"
SADYKOV = "Acting Governor Timur Sadykov"


def guide_scenario() -> CompiledScenario:
    """docs/authoring.md's example of a leader, merged into the worked example."""
    [block] = [b for b in blocks() if b.tag == "fragment" and "    leader:" in b.text]
    data = merge(final_stage().data(), yaml.safe_load(block.text))
    scenario, problems = load_text(yaml.safe_dump(data, sort_keys=False), "guide.yaml")
    assert scenario is not None and problems == [], [str(p) for p in problems]
    return scenario


def with_standing(state: GameState, standing: float) -> GameState:
    return dataclasses.replace(state, values={**state.values, "standing": standing})


def rendered(group: Group) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(group)
    return console.export_text()


def test_the_leader_is_chosen_against_the_state() -> None:
    scenario = guide_scenario()
    game = Game(scenario, 1)
    assert game.state.values["standing"] >= 20
    assert game.leader("governor") == BEKOVA
    assert leader(scenario, with_standing(game.state, 19), "governor") == SADYKOV
    assert leader(scenario, with_standing(game.state, 20), "governor") == BEKOVA
    assert game.leader("residents") == ""  # no leader: the role's name alone


def test_the_placeholder_reads_the_leader_of_the_state_of_its_text() -> None:
    scenario = guide_scenario()
    text = scenario.compiled_ending("long_summer").text
    env = Game(scenario, 1).state.env(scenario.last_turn)
    assert text.pick(env)[1] == f"{BEKOVA} still has no answer for The residents' committee."
    assert text.pick({**env, "standing": 5})[1] == (
        f"{SADYKOV} still has no answer for The residents' committee.")


def test_every_face_names_the_role_with_its_leader_now() -> None:
    scenario = guide_scenario()
    for seed in range(60):  # a game where the governor's standing fell below 20
        game = play_ai_game(scenario, seed)
        if game.state.values["standing"] < 20:
            break
    else:
        raise AssertionError("no game ended with the governor's standing below 20")
    start = Game(scenario, seed)
    situation, goals = start.briefing("governor")
    story = briefing_story(scenario, "governor", situation, goals,
                           leader=start.leader("governor"))
    assert story.splitlines()[0] == f"── Briefing: The governor — {BEKOVA} ──"
    view = TurnView(scenario, ("governor",), (start.state,), (), deciding="governor")
    assert view.role_heading("governor") == f"The governor — {BEKOVA}"
    assert view.role_heading("residents") == "The residents' committee"
    end = TurnView(scenario, ("governor",), tuple(game.states), tuple(game.records))
    assert end.role_heading("governor") == f"The governor — {SADYKOV}"
    scores = {r: game.score(r) for r in scenario.role_ids}
    leaders = {r: game.leader(r) for r in scenario.role_ids}
    told = ending_story(scenario, game.ending_text, len(game.records), scores, leaders)
    assert f"  The governor — {SADYKOV} — " in told
    assert BEKOVA not in told
    config = GameConfig(seed, default_seats(scenario, ["governor"]))
    fared = rendered(outcome_text(game, config))
    assert f"The governor — {SADYKOV} (" in fared and BEKOVA not in fared


def test_a_leader_round_trips_through_plain_data() -> None:
    model = guide_scenario().model
    assert model.roles[0].leader != ""
    back = from_plain(Scenario, json.loads(json.dumps(to_plain(model))))
    assert back == model and repr(back) == repr(model)


def test_without_a_leader_nothing_changes() -> None:
    scenario = load_text(final_stage().text, "dry_taps.yaml")[0]
    assert scenario is not None
    assert all(r.leader is None for r in scenario.roles)
    game = Game(scenario, 1)
    situation, goals = game.briefing("governor")
    assert briefing_story(scenario, "governor", situation, goals).splitlines()[0] == (
        "── Briefing: The governor ──")
