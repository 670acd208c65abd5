"""A class file records how its games draw (engine/draws.py): a new one the keyed
draws; one made before the keyed draws (no `draws` in its meta) resumes with the
sequential draws it was played with, every table replaying to its stored checksums;
a class file naming a scheme this kazsim does not know is refused with a message."""

from __future__ import annotations

from pathlib import Path

import pytest

from kazsim.classroom.host import Classroom
from kazsim.classroom.store import ClassFileError, ClassStore
from kazsim.engine import Game
from kazsim.engine.draws import KEYED, SEQUENTIAL
from kazsim.scenario import CompiledScenario

from .test_lesson import _play


def test_a_new_class_file_records_the_keyed_draws(tutorial: CompiledScenario,
                                                  tmp_path: Path) -> None:
    path = tmp_path / "class.sqlite"
    room, resumed = Classroom.open(path, tutorial, tables=1, seed=5)
    assert not resumed and room.store.meta()["draws"] == str(KEYED)
    assert room.tables[1].game.draws.scheme == KEYED
    _play(room, 1, 2)
    room.store.close()
    again, resumed = Classroom.open(path, tutorial)
    assert resumed and len(again.tables[1].game.records) == 2
    again.store.close()


def test_an_older_class_file_resumes_with_the_sequential_draws(tutorial: CompiledScenario,
                                                               tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    room, _ = Classroom.open(path, tutorial, tables=2, seed=11)
    room.store.close()
    store = ClassStore(path)  # as a class file of the kazsim before keyed draws
    store.db.execute("DELETE FROM meta WHERE key = 'draws'")
    store.close()
    old, _ = Classroom.open(path, tutorial)
    assert old.scheme == SEQUENTIAL
    _play(old, 1, 3)
    played = old.tables[1].game
    assert played.draws.scheme == SEQUENTIAL
    old.store.close()
    # the same decisions, played by the engine with the old draws, give the same game
    legacy = Game(tutorial, played.seed, scheme=SEQUENTIAL)
    for record in played.records:
        legacy.play(record.decisions)
    assert legacy.state.checksum() == played.state.checksum()
    resumed, _ = Classroom.open(path, tutorial)  # every stored checksum replays
    assert resumed.tables[1].game.state.checksum() == played.state.checksum()
    resumed.store.close()


def test_an_unknown_draws_scheme_is_refused(tutorial: CompiledScenario,
                                            tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    room, _ = Classroom.open(path, tutorial, tables=1, seed=1)
    room.store.set_meta("draws", "9")
    room.store.close()
    with pytest.raises(ClassFileError, match="draw in a way this kazsim does not know"):
        Classroom.open(path, tutorial)
