"""The rules of secret moves, one per test (numbered from 61, after test_rules_in_time.py).

docs/authoring.md, "Secret moves", explains them to authors; docs/design.md's "How a
turn is resolved" says where in the turn a secret is revealed (step 1).
"""

from __future__ import annotations

from kazsim.engine import Game, initial_state
from kazsim.scenario.load import load_text
from kazsim.story import KEPT_SECRET, SECRET, decision_lines, news_lines, turn_story

from .support import HEADER, play, scenario

SECRETS = """
indicators:
  - {id: heat, label: Heat, start: 50}
roles:
  - id: army
    name: The army
    briefing: b
    score: heat
    actions:
      - {id: wait, label: Wait}
      - id: move
        label: Move troops
        text: Troops move north at night.
        secret: true
        seen_by: [ally]
        revealed: chose(press, dig)
        effects: {heat: {add: 5}}
        outcomes:
          - {chance: 1, text: The column is not seen.}
      - {id: plot, label: Plot, secret: true, effects: {heat: {add: 1, after: 1}}}
  - id: press
    name: The press
    briefing: b
    score: heat
    actions:
      - {id: wait, label: Wait}
      - {id: dig, label: Dig}
  - id: ally
    name: The ally
    briefing: b
    score: heat
    actions:
      - {id: wait, label: Wait}
rules:
  - id: noticed
    when: chose(army, move)
    text: Something is afoot.
"""

QUIET = {"press": "wait", "ally": "wait"}


def test_61_a_secret_move_is_told_only_to_its_role_and_those_it_names() -> None:
    compiled = scenario(SECRETS)
    record = play(compiled, {"army": "move", **QUIET}).records[0]
    for viewer in ("army", "ally"):
        assert f"The army: Move troops {SECRET}" in decision_lines(compiled, record, (viewer,))
        news = news_lines(record, compiled, (viewer,))
        assert f"Troops move north at night. {SECRET}" in news
        assert f"The column is not seen. {SECRET}" in news
    press = "\n".join(decision_lines(compiled, record, ("press",))
                      + news_lines(record, compiled, ("press",)))
    assert "Move troops" not in press and "Troops move" not in press
    assert "column" not in press
    assert "The press: Wait" in press
    # a rule that reads the secret choice still tells its (public) news line
    assert "Something is afoot." in press
    # the effect still happens, and its cause is kept from the press
    story = turn_story(compiled, record, viewer="press", why=True)
    assert "Heat" in story and KEPT_SECRET in story and "Move troops" not in story
    # the narrator (the debrief, transcripts) sees everything, marked
    narrator = turn_story(compiled, record, why=True)
    assert f"The army: Move troops {SECRET}" in narrator
    assert "The army: Move troops" in narrator.split("Changes")[1]


def test_62_a_secret_is_revealed_the_turn_its_condition_holds() -> None:
    compiled = scenario(SECRETS, turns=5)
    game = play(compiled, {"army": "move", **QUIET}, {"army": "wait", **QUIET},
                {"army": "wait", "press": "dig", "ally": "wait"}, {"army": "wait", **QUIET})
    first, second, third, fourth = game.records
    assert first.revealed == second.revealed == fourth.revealed == ()
    assert [(s.turn, s.role, s.action) for s in third.revealed] == [(1, "army", "move")]
    line = "Revealed: The army chose Move troops on turn 1 (2 January 2022)"
    assert next(n for n in news_lines(third, compiled, ("press",)) if n.startswith("Revealed"))\
        .startswith("Revealed: The army chose Move troops on turn 1")
    assert line.split(" (")[0] in turn_story(compiled, third, viewer="press")
    assert game.states[1].secrets and game.states[3].secrets == ()


def test_63_a_secret_without_revealed_stays_out_of_the_state() -> None:
    compiled = scenario(SECRETS)
    game = play(compiled, {"army": "plot", **QUIET}, {"army": "wait", **QUIET})
    assert game.state.secrets == ()
    # its delayed effect lands next turn without naming it to the others
    story = turn_story(compiled, game.records[1], viewer="press")
    assert "Plot" not in story and KEPT_SECRET in story
    assert "Plot" in turn_story(compiled, game.records[1], viewer="army")


def test_64_a_game_without_secret_moves_keeps_its_checksums() -> None:
    compiled = scenario(SECRETS)
    state = initial_state(compiled)
    assert "secrets" not in state.to_data()
    game = Game(compiled, 3)
    game.play({"army": "move", **QUIET})
    assert "secrets" in game.state.to_data()


def _problems(body: str) -> list[str]:
    compiled, problems = load_text(HEADER % 3 + body, "secret.yaml")
    return [str(p) for p in problems if p.severity == "error"]


def test_65_secret_fields_are_checked_with_their_place() -> None:
    bad = SECRETS.replace("seen_by: [ally]", "seen_by: [aly, army]").replace(
        "id: plot, label: Plot, secret: true,", "id: plot, label: Plot, revealed: turn > 1,")
    text = "\n".join(_problems(bad + "endings:\n  - {id: e, title: E, at_last_turn: true, "
                                      "text: T, roles: {army: {result: draw, text: t}, "
                                      "press: {result: draw, text: t}, "
                                      "ally: {result: draw, text: t}}}\n"))
    assert "secret.yaml:" in text
    assert "unknown role 'aly'" in text and "ally" in text
    assert "always sees its own secret moves" in text
    assert "'revealed' is for secret moves" in text
