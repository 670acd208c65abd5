"""Loading is replaying: unchanged scenarios replay exactly, changed ones say where they part.

The changed scenarios here are the tutorial with one edit each, written to a
temporary folder: an action made unavailable (the saved decision becomes
illegal), a shorter calendar (the game ends earlier), a comment (same rules,
different file).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kazsim.engine import play_ai_game
from kazsim.scenario import CompiledScenario, load_file
from kazsim.session.model import SaveError, ai
from kazsim.session.replay import load_session, replay
from kazsim.session.session import Session
from kazsim.session.store import read_save

from .support import SCENARIOS, ai_session, clock_at, players_for

TUTORIAL = SCENARIOS / "tutorial.yaml"


def variant(folder: Path, old: str, new: str, *, version: str = "1.1",
            name: str = "tutorial-changed.yaml") -> Path:
    text = TUTORIAL.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new).replace('version: "1.0"', f'version: "{version}"')
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def subsidy_game(scenario: CompiledScenario, folder: Path) -> Session:
    """Two turns: the council holds firm, then subsidises."""
    session = Session.new(scenario, 7, players_for(scenario), folder, clock=clock_at())
    game = session.game
    session.play({**{r: game.ai_decision(r) for r in scenario.role_ids}, "council": "hold_firm"})
    assert "subsidise" in game.legal("council")
    session.play({**{r: game.ai_decision(r) for r in scenario.role_ids}, "council": "subsidise"})
    return session


def test_an_unchanged_save_replays_every_turn(tutorial: CompiledScenario, tmp_path: Path) -> None:
    session = ai_session(tutorial, 11, tmp_path)
    loaded = load_session(session.path)
    assert not loaded.changed and loaded.divergence is None and loaded.notice() == ""
    assert loaded.game.records == session.game.records
    assert [s.checksum() for s in loaded.game.states] == [
        s.checksum() for s in session.game.states]
    assert loaded.kept == len(session.game.records)
    assert not loaded.can_continue  # it ended


def test_a_decision_made_illegal_is_reported_with_the_reason(tutorial: CompiledScenario,
                                                             tmp_path: Path) -> None:
    session = subsidy_game(tutorial, tmp_path)
    changed = variant(tmp_path, 'available: "council_reserves >= 20"',
                      'available: "council_reserves >= 100"')
    before = session.path.read_bytes()
    loaded = load_session(session.path, scenario=changed)
    assert loaded.changed and loaded.kept == 1 and loaded.can_continue
    assert loaded.divergence is not None and loaded.divergence.kind == "illegal"
    assert str(loaded.divergence) == (
        "turn 2: The town council (council) chose 'Subsidise bread' (subsidise), which is not "
        "available: The reserves are too low. Needs Council reserves at least 100 (now 50).")
    notice = loaded.notice()
    assert notice.startswith("This save was made with 'Tutorial: The Bread Price Strike' "
                             "version 1.0; the file is now version 1.1.")
    assert "replay up to turn 1 of 2; turn 2: The town council" in notice
    assert session.path.read_bytes() == before


def test_a_game_that_ends_earlier_on_the_new_version(tutorial: CompiledScenario,
                                                     tmp_path: Path) -> None:
    seed = next(s for s in range(100) if len(play_ai_game(tutorial, s).records) == 5)
    session = ai_session(tutorial, seed, tmp_path)
    shorter = variant(tmp_path, "turns: 5", "turns: 3")
    loaded = load_session(session.path, scenario=load_file(shorter))
    assert loaded.divergence is not None and loaded.divergence.kind == "ended"
    assert loaded.kept == 3 and loaded.game.over and not loaded.can_continue
    ending = load_file(shorter).ending(loaded.game.state.ending or "").title
    assert str(loaded.divergence) == f"turn 4: the game already ended after turn 3 ('{ending}')"


def test_an_edit_that_keeps_the_version_number_is_still_noticed(tutorial: CompiledScenario,
                                                                tmp_path: Path) -> None:
    session = ai_session(tutorial, 2, tmp_path, turns=3)
    edited = tmp_path / "tutorial-edited.yaml"
    edited.write_text(TUTORIAL.read_text(encoding="utf-8") + "\n# a teacher's note\n")
    loaded = load_session(session.path, scenario=edited)
    assert loaded.changed and loaded.divergence is None and loaded.kept == 3
    assert "version 1.0, and the file has been edited since (same version number)" in (
        loaded.notice())
    assert "All 3 saved turns are still legal" in loaded.notice()


def test_continuing_on_a_changed_scenario_must_be_asked_and_keeps_the_old_save(
        tutorial: CompiledScenario, tmp_path: Path) -> None:
    session = subsidy_game(tutorial, tmp_path)
    session.save_as("Monday class")
    original = session.path.read_bytes()
    changed = load_file(variant(tmp_path, 'available: "council_reserves >= 20"',
                                'available: "council_reserves >= 100"'))
    loaded = load_session(session.path, scenario=changed)
    with pytest.raises(SaveError, match="the file is now version 1.1"):
        Session.resume(loaded)
    resumed = Session.resume(loaded, accept_changes=True, clock=clock_at())
    assert resumed.path != session.path and resumed.path.parent == session.path.parent
    assert session.path.read_bytes() == original
    new = read_save(resumed.path)
    assert new.name == "Monday class (on version 1.1)"
    assert new.scenario.content_hash == changed.content_hash and len(new.turns) == 1
    assert load_session(resumed.path, scenario=changed).divergence is None


def test_the_old_file_replays_exactly_and_is_found_by_its_hash(tutorial: CompiledScenario,
                                                               tmp_path: Path) -> None:
    old = load_file(variant(tmp_path, "turns: 5", "turns: 4", name="old.yaml"))
    session = ai_session(old, 4, tmp_path / "saves")
    assert not load_session(session.path).changed  # found by the path in the save
    moved = tmp_path / "saves" / "tutorial-as-we-played-it.yaml"
    Path(old.path).rename(moved)
    loaded = load_session(session.path)  # found beside the save, by its content
    assert not loaded.changed and loaded.scenario.path == str(moved)
    moved.unlink()
    loaded = load_session(session.path)  # only the bundled tutorial is left
    assert loaded.changed and loaded.scenario.content_hash == tutorial.content_hash


def test_a_checksum_that_does_not_match_is_an_error(tutorial: CompiledScenario,
                                                    tmp_path: Path) -> None:
    session = ai_session(tutorial, 9, tmp_path, turns=3)
    text = session.path.read_text()
    second = read_save(session.path).turns[1].checksum
    session.path.write_text(text.replace(second, "0123456789abcdef"))
    with pytest.raises(SaveError) as info:
        load_session(session.path)
    assert str(info.value) == (
        f"{session.path}: turn 2: checksum differs (expected 0123456789abcdef, got {second}) "
        "— the save was edited, or made by a different kazsim engine")


def test_an_illegal_decision_in_an_unchanged_scenario_is_an_error(
        tutorial: CompiledScenario, tmp_path: Path) -> None:
    session = ai_session(tutorial, 9, tmp_path, turns=3)
    text = session.path.read_text()
    first = read_save(session.path).turns[0].decisions["union"]
    session.path.write_text(text.replace(f'"union": "{first}"', '"union": "fly_away"', 1))
    with pytest.raises(SaveError, match=r"turn 1: The bakers' union \(union\) has no action "
                                        r"'fly_away'$"):
        load_session(session.path)


def test_roles_that_differ_cannot_continue(tutorial: CompiledScenario, tmp_path: Path) -> None:
    save = read_save(ai_session(tutorial, 9, tmp_path, turns=0).path)
    odd = save.model_copy(update={"players": {"council": ai(), "union": ai(), "mayor": ai()}})
    game, divergence = replay(tutorial, odd)
    assert divergence is not None and divergence.kind == "roles" and not game.records
    assert divergence.message == ("the roles differ: role mayor no longer in the scenario; "
                                  "new role province not in the save")


def test_a_save_for_another_scenario_or_a_missing_one(tutorial: CompiledScenario,
                                                      tmp_path: Path) -> None:
    session = ai_session(tutorial, 9, tmp_path, turns=1)
    with pytest.raises(SaveError, match="this save is for the scenario 'tutorial', not "
                                        "'csto_decision'"):
        load_session(session.path, scenario=SCENARIOS / "csto-decision.yaml")
    text = session.path.read_text().replace('"id": "tutorial"', '"id": "atlantis"')
    session.path.write_text(text.replace(tutorial.content_hash, "0" * 64))
    with pytest.raises(SaveError, match=r"the scenario 'atlantis' \(version 1.0\) is not "
                                        "installed: give its file"):
        load_session(session.path)
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [")
    with pytest.raises(SaveError, match=r"the scenario cannot be loaded: .*broken\.yaml:1:5: "
                                        "YAML syntax error: this '\\[' is never closed"):
        load_session(session.path, scenario=broken)


def test_a_once_only_action_chosen_twice_is_named_with_the_reason(
        tutorial: CompiledScenario, tmp_path: Path) -> None:
    session = Session.new(tutorial, 3, players_for(tutorial), tmp_path, clock=clock_at())
    game = session.game
    assert "arrest_leaders" in game.legal("council")
    session.play({**{r: game.ai_decision(r) for r in tutorial.role_ids},
                  "council": "arrest_leaders"})
    session.play({r: game.ai_decision(r) for r in tutorial.role_ids})
    text = session.path.read_text()
    second = read_save(session.path).turns[1].decisions["council"]
    head, tail = text.split('"turn": 2', 1)
    session.path.write_text(head + '"turn": 2' + tail.replace(
        f'"council": "{second}"', '"council": "arrest_leaders"', 1))
    with pytest.raises(SaveError, match=r"turn 2: The town council \(council\) chose "
                                        r"'.*' \(arrest_leaders\), which is not available: "
                                        r"already used \(once per game\)$"):
        load_session(session.path)


def a_variant(folder: Path, *, start: int = 90) -> Path:
    """A copy of the bundled variant and of the tutorial it extends, in `folder`, under an
    id no scenario folder has (so only its content can find it)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tutorial.yaml").write_bytes(TUTORIAL.read_bytes())
    text = (SCENARIOS / "variants" / "tutorial-rich-council.yaml").read_text(encoding="utf-8")
    text = text.replace("extends: ../tutorial.yaml", "extends: tutorial.yaml")
    text = text.replace("id: tutorial_rich_council", "id: our_rich_council")
    text = text.replace("start: 90", f"start: {start}")
    path = folder / "rich.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_variants_save_finds_its_exact_file(tmp_path: Path) -> None:
    """A variant's content hash includes its base; replay once hashed only the file,
    so a variant's save never recognised its own file."""
    played = load_file(a_variant(tmp_path / "course"))
    session = ai_session(played, 4, tmp_path / "saves", turns=2)
    loaded = load_session(session.path)  # by the path in the save
    assert not loaded.changed and loaded.scenario.path == played.path
    # Edited where it was played; the original kept beside the save (with its base).
    kept = a_variant(tmp_path / "saves")
    a_variant(tmp_path / "course", start=80)
    loaded = load_session(session.path)
    assert not loaded.changed and loaded.scenario.path == str(kept)
    assert loaded.divergence is None and loaded.kept == 2
    # The base edited too: the variant is no longer the one played.
    (tmp_path / "saves" / "tutorial.yaml").write_bytes(TUTORIAL.read_bytes() + b"\n# edited\n")
    with pytest.raises(SaveError, match="'our_rich_council'.*is not installed"):
        load_session(session.path)


def test_the_content_hash_has_one_definition(tutorial: CompiledScenario, tmp_path: Path) -> None:
    """What the loader records and what replay looks for are the same function's."""
    import hashlib

    from kazsim.scenario.contenthash import content_hash, file_content_hash

    variant_file = a_variant(tmp_path)
    compiled = load_file(variant_file)
    assert file_content_hash(variant_file) == compiled.content_hash
    assert compiled.content_hash == content_hash(variant_file.read_bytes(),
                                                 content_hash(TUTORIAL.read_bytes()))
    assert file_content_hash(TUTORIAL) == tutorial.content_hash == content_hash(
        TUTORIAL.read_bytes()) == hashlib.sha256(TUTORIAL.read_bytes()).hexdigest()
