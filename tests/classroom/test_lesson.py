"""The lesson's length on the host: `--end-at N` and the dashboard's `e` end every table
through the engine (`Game(..., turns=N)`), so each gets its ending and debrief; a table
already past turn N ends after the turn it is playing; a class file resumed (or of the
first schema) gets the same; every table's save verifies as a lesson."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from kazsim.classroom.client import play_auto
from kazsim.classroom.host import Classroom
from kazsim.engine import Game
from kazsim.scenario import CompiledScenario
from kazsim.session.verify import verify_command
from tests.engine.support import scenario

from .support import running_class


def _play(room: Classroom, n: int, turns: int) -> None:
    """`turns` turns at table n, a person deciding at every seat (the AI's choice)."""
    table = room.tables[n]
    for role in table.seats:
        if table.seats[role].token_hash is None:
            room.join(table.code, role, None)
    for _ in range(turns):
        turn = table.turn
        for role, seat in table.seats.items():
            room.decide(table, seat, seat.last_seq + 1, turn, table.game.ai_decision(role))
        room.advance(table)


async def test_end_at_gives_every_table_its_ending(tutorial: CompiledScenario,
                                                   tmp_path: Path, capsys) -> None:
    async with running_class(tutorial, tmp_path, tables=2, end_at=2) as (room, _, url):
        views = await asyncio.wait_for(asyncio.gather(
            *(play_auto(url, t.code, role="council", quiet=True)
              for t in room.tables.values())), 60)
        for view in views:
            assert view["over"] and not view["stopped"] and len(view["records"]) == 2
            assert view["turn_limit"] == 2 and view["last_turn"] == 2
            assert view["ending"] is not None and view["outcomes"]
        for table in room.tables.values():
            assert table.game.over and table.game.turn_limit == 2
            # as the engine plays a 2-turn lesson with the same decisions
            again = Game(tutorial, table.game.seed, turns=2)
            for record in table.game.records:
                again.play(record.decisions)
            assert again.state.ending == table.game.state.ending
            capsys.readouterr()
            path = room.save_path(table)
            assert path is not None and verify_command(path) == 0
            out = capsys.readouterr().out
            assert "OK: 2 turns" in out and "2-turn lesson" in out


def test_ending_the_lesson_while_the_class_plays(tutorial: CompiledScenario,
                                                 tmp_path: Path, capsys) -> None:
    path = tmp_path / "c.sqlite"
    room, _ = Classroom.open(path, tutorial, tables=3, seed=4, wait=True,
                             save_dir=tmp_path / "saves")
    _play(room, 2, 1)
    _play(room, 3, 3)
    checksums = {n: [s.checksum() for s in t.game.states] for n, t in room.tables.items()}
    assert room.set_end_at(2) == []
    # the turns played stay as they were; the games now stop as lessons
    for n, table in room.tables.items():
        assert [s.checksum() for s in table.game.states] == checksums[n]
    assert [room.tables[n].game.turn_limit for n in (1, 2, 3)] == [2, 2, 4]
    assert [room.limit_for(room.tables[n]) for n in (1, 2, 3)] == [2, 2, 4]
    for n in (1, 2, 3):
        _play(room, n, room.tables[n].game.last_turn - len(room.tables[n].game.records))
    for n, table in room.tables.items():
        assert table.game.over and not room.stopped(table), n
        assert len(table.game.records) == (2, 2, 4)[n - 1]
        assert table.game.ending_text.text  # the interrupted ending's words, with a debrief
    assert room.all_over()
    endings = {n: t.game.state.ending for n, t in room.tables.items()}
    room.close()
    # the class file keeps each table's lesson: reopened, every table is as it ended
    again, resumed = Classroom.open(path, tutorial, save_dir=tmp_path / "saves")
    assert resumed and {n: t.game.state.ending for n, t in again.tables.items()} == endings
    assert [again.tables[n].game.turn_limit for n in (1, 2, 3)] == [2, 2, 4]
    capsys.readouterr()
    for table in again.tables.values():
        save = again.save_path(table)
        assert save is not None and verify_command(save) == 0
    assert capsys.readouterr().out.count("OK: ") == 3
    again.close()


def test_play_to_the_end_again(tutorial: CompiledScenario, tmp_path: Path) -> None:
    room, _ = Classroom.open(tmp_path / "c.sqlite", tutorial, tables=1, seed=2, wait=True,
                             end_at=2)
    _play(room, 1, 1)
    assert room.tables[1].game.turn_limit == 2
    assert room.set_end_at(None) == []
    table = room.tables[1]
    assert table.game.turn_limit is None and table.game.last_turn == tutorial.last_turn
    _play(room, 1, 1)
    assert len(table.game.records) == 2
    assert not table.game.over or table.game.state.ending != "lesson_over"
    room.close()


def test_a_class_file_resumed_with_end_at_and_one_of_the_first_schema(
        tutorial: CompiledScenario, tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    room, _ = Classroom.open(path, tutorial, tables=2, seed=9, wait=True)
    _play(room, 1, 1)
    room.close()
    db = sqlite3.connect(path)  # as kazsim wrote it before lessons: no turn_limit column
    db.execute("ALTER TABLE tables DROP COLUMN turn_limit")
    db.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    db.commit()
    db.close()
    again, resumed = Classroom.open(path, tutorial, end_at=3)
    assert resumed
    assert [t.game.turn_limit for t in again.tables.values()] == [3, 3]
    assert len(again.tables[1].game.records) == 1
    _play(again, 1, 2)
    assert again.tables[1].game.over
    again.close()
    third, _ = Classroom.open(path, tutorial)  # the lesson's length is kept
    assert third.end_at == 3 and third.tables[1].game.over
    assert third.tables[2].game.turn_limit == 3
    third.close()


LATE = """
indicators:
  - {id: heat, label: Heat, min: 0, max: 100, start: 0}
roles:
  - id: a
    name: A
    briefing: A.
    score: "heat"
    actions:
      - {id: wait, label: Wait, text: A waits.}
  - id: b
    name: B
    briefing: B.
    score: "0 - heat"
    actions:
      - {id: wait, label: Wait, text: B waits.}
rules:
  - id: near_the_end
    when: "turn >= last_turn - 2"
    text: The end draws near.
    effects:
      heat: 10
"""


def test_a_game_that_would_play_differently_is_stopped_by_the_host(tmp_path: Path) -> None:
    """A scenario whose turns read `last_turn`: as a shorter lesson, the turns already
    played would not replay the same, so the host stops the table after turn N instead."""
    late = scenario(LATE, turns=6)
    room, _ = Classroom.open(tmp_path / "c.sqlite", late, tables=1, seed=1, wait=True)
    _play(room, 1, 2)  # the rule held on turn 2 only as a 3-turn lesson (2 >= 3 - 2)
    table = room.tables[1]
    assert room.set_end_at(3) == [table]
    assert table.game.turn_limit is None and table.cut == 3
    _play(room, 1, 1)
    assert room.stopped(table) and not table.game.over and room.finished(table)
    assert room.view(table, "a")["stopped"]
    room.close()
