"""Lessons in saves, replays, `play --auto` and transcripts; saves made before lessons.

tests/session/data/before-lessons/ holds a save and the `--auto` story that kazsim
wrote before lessons existed (commit decdfaf), with the scenario file they were
made on: the save must still load, verify and write back byte for byte, and the
story must be today's minus what was added by design (the briefings before it,
the learning objectives and questions after it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kazsim.cli import main
from kazsim.scenario import CompiledScenario
from kazsim.session.model import SaveFile
from kazsim.session.replay import load_session
from kazsim.session.session import Session
from kazsim.session.store import read_save
from kazsim.session.transcript import transcript

from .support import clock_at, edit, players_for
from .test_cli import in_tmp as in_tmp  # the fixture: a working folder with its own ./saves

BEFORE = Path(__file__).resolve().parent / "data" / "before-lessons"
OLD_SAVE = BEFORE / "tutorial-seed11.json"
OLD_SCENARIO = BEFORE / "tutorial.yaml"


def lesson(scenario: CompiledScenario, folder: Path, turns: int, seed: int = 3) -> Session:
    session = Session.new(scenario, seed, players_for(scenario), folder, clock=clock_at(),
                          turns=turns)
    while not session.game.over:
        game = session.game
        session.play({r: game.ai_decision(r) for r in scenario.role_ids})
    return session


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def test_a_lesson_is_saved_with_its_limit_and_replays_as_a_lesson(
        tutorial: CompiledScenario, tmp_path: Path) -> None:
    session = lesson(tutorial, tmp_path, 2)
    data = json.loads(session.path.read_text(encoding="utf-8"))
    assert data["turn_limit"] == 2 and len(data["turns"]) == 2
    assert list(data)[-2:] == ["turn_limit", "draws"]  # after every field a save had before
    loaded = load_session(session.path)
    assert loaded.game.turn_limit == 2 and loaded.game.over
    assert loaded.game.state.ending == session.game.state.ending
    assert read_save(session.path).to_json() == session.path.read_text(encoding="utf-8")


def test_a_whole_game_writes_no_limit(tutorial: CompiledScenario, tmp_path: Path) -> None:
    session = lesson(tutorial, tmp_path, 5)  # the scenario's length: the whole game
    assert "turn_limit" not in json.loads(session.path.read_text(encoding="utf-8"))
    assert load_session(session.path).game.turn_limit is None


def test_a_save_made_before_lessons_loads_verifies_and_writes_back_the_same(
        capsys: pytest.CaptureFixture[str]) -> None:
    text = OLD_SAVE.read_text(encoding="utf-8")
    assert "turn_limit" not in text
    save = read_save(OLD_SAVE)
    # Written back as format 2, the same but for the version and its draws: sequential.
    assert text.count('"format_version": 1,') == 1 and text.endswith('"\n}\n')
    again = text.replace('"format_version": 1,', '"format_version": 2,').removesuffix(
        "\n}\n") + ',\n  "draws": 1\n}\n'
    assert save.turn_limit is None and save.draws == 1 and save.to_json() == again
    loaded = load_session(OLD_SAVE, scenario=OLD_SCENARIO)
    assert not loaded.changed and loaded.game.turn_limit is None and loaded.game.over
    status, out, _ = run(["replay", str(OLD_SAVE), "--verify", "--scenario", str(OLD_SCENARIO)],
                         capsys)
    assert status == 0 and out.startswith("OK: ") and "lesson" not in out


def test_the_limit_is_part_of_what_verifies(tutorial: CompiledScenario, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    session = lesson(tutorial, tmp_path, 2)
    status, out, _ = run(["replay", str(session.path), "--verify"], capsys)
    assert status == 0
    assert out.startswith("OK: 2 turns of a 2-turn lesson verified, ending ")
    edit(session.path, lambda d: d.pop("turn_limit"))  # the same turns as a whole game
    status, out, _ = run(["replay", str(session.path), "--verify"], capsys)
    assert status == 1 and out.startswith("turn 2: ")  # the ending came too early
    edit(session.path, lambda d: d.update(turn_limit=1))
    status, _, err = run(["replay", str(session.path), "--verify"], capsys)
    assert status == 1
    assert "2 turns are recorded but the game stops after turn 1" in err
    for bad in (0, True, "2", 2.0):
        edit(session.path, lambda d, bad=bad: d.update(turn_limit=bad))
        status, _, err = run(["replay", str(session.path), "--verify"], capsys)
        assert status == 1 and "turn_limit" in err and "Traceback" not in err


def test_a_limit_of_the_whole_game_or_more_is_no_limit(tutorial: CompiledScenario,
                                                       tmp_path: Path) -> None:
    session = lesson(tutorial, tmp_path, 2)
    edit(session.path, lambda d: d.update(turn_limit=900))
    with pytest.raises(ValueError, match="turn 2: "):  # replays as the whole game: differs
        load_session(session.path)
    assert SaveFile.model_fields["turn_limit"].default is None


def test_auto_plays_a_lesson_and_load_goes_on_with_it(
        in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, whole, _ = run(["play", "tutorial", "--auto", "--seed", "3", "--turns", "3"],
                           capsys)
    assert status == 0
    assert "A lesson of 3 turns (the whole scenario has 5).\n" in whole
    assert "── Turn 3 " in whole and "── Turn 4 " not in whole
    assert "══ Ending: " in whole and "(after turn 3)" in whole
    save = next(Path("saves").glob("*.json"))
    data = json.loads(save.read_text(encoding="utf-8"))
    assert data["turn_limit"] == 3
    edit(save, lambda d: (d["turns"].pop(), d.update(ending=None)))
    status, rest, err = run(["play", "--auto", "--load", str(save), "--no-save"], capsys)
    assert status == 0, err
    assert "A lesson of 3 turns" in rest and "Resumed after turn 2." in rest
    assert "── Briefing" not in rest  # the game had begun
    assert rest.split("── Turn 3 ")[1] == whole.split("── Turn 3 ")[1]


@pytest.mark.parametrize(("args", "message"), [
    (["--turns", "0"], "kazsim: --turns: a game lasts at least 1 turn, not 0\n"),
    (["--turns", "6"], "kazsim: --turns: a game of 'tutorial' lasts from 1 to 5 turns, not 6\n"),
    (["--turns", "2", "--load", "x.json"], "kazsim: --turns starts a new game: a saved game "
     "keeps the length it was started with\n"),
])
def test_turns_that_cannot_be(in_tmp: Path, capsys: pytest.CaptureFixture[str],
                              args: list[str], message: str) -> None:
    status, out, err = run(["play", "tutorial", "--auto", *args], capsys)
    assert (status, out, err) == (2, "", message)


def test_no_briefings_goes_with_auto(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(["play", "tutorial", "--no-briefings"], capsys)
    assert status == 2 and "--no-briefings goes with --auto" in err


def test_auto_adds_briefings_and_the_lesson_to_the_story_it_told_before(
        in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The story of seed 11, as kazsim told it before lessons, is still the middle of it
    (re-pinned when the keyed draws changed which game a seed plays)."""
    before = (BEFORE / "story.txt").read_text(encoding="utf-8")
    status, plain, _ = run(["play", str(OLD_SCENARIO), "--auto", "--seed", "11", "--no-save",
                            "--no-briefings"], capsys)
    assert status == 0
    closing = ("\n\nWhat this scenario is meant to show\n"
               "  - See how each side's choice changes the result of the others' choices.\n"
               "  - Notice how concessions, pressure and outside help interact.\n\n"
               "Questions to discuss\n"
               "  1. Which turn decided the outcome, and why?\n"
               "  2. Would the strike have ended differently without the neighbour?\n")
    assert plain == before.removesuffix("\n") + closing
    status, full, _ = run(["play", str(OLD_SCENARIO), "--auto", "--seed", "11", "--no-save"],
                          capsys)
    head, rest = before.split("\n\n", 1)
    briefings = full.removeprefix(head + "\n\n").removesuffix(rest.removesuffix("\n") + closing)
    assert [b.splitlines()[0] for b in briefings.strip().split("\n\n")] == [
        "── Briefing: The town council ──", "── Briefing: The bakers' union ──",
        "── Briefing: The neighbouring province ──"]
    assert "Your reserves can pay for a subsidy once, perhaps twice." in briefings  # secret
    assert all(len(line) <= 78 for line in briefings.splitlines())


DEBRIEFED = """
debrief:
  - text: Every real strike of this kind was settled by talks in the end.
    cites: [invented]
"""


def test_the_transcript_has_the_objectives_and_the_scenarios_debrief(
        tutorial: CompiledScenario, tmp_path: Path) -> None:
    from kazsim.scenario.load import load_text

    text = Path(tutorial.path).read_text(encoding="utf-8")
    assert "\nsources:\n  - id: invented\n" in text
    compiled, problems = load_text(text + DEBRIEFED, "tutorial.yaml")
    assert compiled is not None, problems
    session = lesson(compiled, tmp_path, 2)
    markdown = transcript(session.game, session.players)
    assert "**Turns played:** 2 of 2 (a lesson; the whole scenario has 5)" in markdown
    assert ("## Learning objectives\n\n- See how each side's choice changes the result of "
            "the others' choices.\n") in markdown
    assert ("### The real crisis\n\n- Every real strike of this kind was settled by talks "
            "in the end. [") in markdown
    assert markdown.index("### The real crisis") < markdown.index("### Sources")
    assert markdown.index("## Learning objectives") < markdown.index("## Discussion questions")
    whole = transcript(lesson(tutorial, tmp_path, 5).game, session.players)
    assert "## Learning objectives" in whole and "The real crisis" not in whole
    assert "(a lesson" not in whole


def test_list_shows_the_suggested_lessons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    text = OLD_SCENARIO.read_text(encoding="utf-8")
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "lessons.yaml").write_text(
        text.replace("id: tutorial\n", "id: lessons\n").replace(
            "\n  turns: 5\n", "\n  turns: 5\n  lesson_turns: [3, 2]\n"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, out, _ = run(["list"], capsys)
    assert status == 0
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert lines["lessons"].endswith("[5 turns (lessons: 2, 3), 3 roles]")
    assert lines["tutorial"].endswith("[5 turns, 3 roles]")


def test_auto_shows_the_scenarios_debrief_whatever_the_ending(
        tmp_path: Path, in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "debriefed.yaml"
    path.write_text(OLD_SCENARIO.read_text(encoding="utf-8") + DEBRIEFED, encoding="utf-8")
    endings = set()
    for seed in range(6):
        status, out, _ = run(["play", str(path), "--auto", "--seed", str(seed), "--no-save",
                              "--no-briefings"], capsys)
        assert status == 0
        endings.add(out.split("══ Ending: ")[1].split(" (after")[0])
        story = out.split("══ Ending: ")[1]
        assert ("\nThe real crisis\n  - Every real strike of this kind was settled by talks "
                "in the end. [kazsim project]\n") in story
        assert story.index("What really happened") < story.index("The real crisis") \
            < story.index("What this scenario is meant to show")
    assert len(endings) > 1  # more than one ending, the same debrief
