"""The save file format: its fields, the migrations from formats 0 and 1, and hostile files.

Every bad file must give one line naming the file (and the place where it can
be known), never a traceback, and must be left exactly as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kazsim.engine.draws import KEYED, SEQUENTIAL
from kazsim.scenario import CompiledScenario
from kazsim.session.model import FORMAT_VERSION, SaveError, SaveFile
from kazsim.session.replay import load_session
from kazsim.session.store import MAX_BYTES, read_save

from .support import ai_session, edit


@pytest.fixture()
def saved(tutorial: CompiledScenario, tmp_path: Path) -> Path:
    return ai_session(tutorial, 5, tmp_path).path


def test_a_save_is_small_readable_json_with_every_field(saved: Path,
                                                       tutorial: CompiledScenario) -> None:
    text = saved.read_text(encoding="utf-8")
    data = json.loads(text)
    assert text.startswith('{\n  "format": "kazsim-save",\n  "format_version": 2,')
    assert list(data) == ["format", "format_version", "kazsim_version", "name", "created",
                          "updated", "scenario", "seed", "players", "turns", "ending", "draws"]
    assert data["draws"] == 2  # the keyed draws of every new game
    assert data["scenario"] == {"id": "tutorial", "title": tutorial.model.title,
                                "version": tutorial.model.version,
                                "path": str(Path(tutorial.path).resolve()),
                                "content_hash": tutorial.content_hash}
    assert data["created"] == data["updated"] == "2025-01-06T09:30:00Z"
    assert data["players"]["council"] == {"kind": "human", "name": "Aigerim"}
    assert data["players"]["union"] == {"kind": "ai", "level": "easy"}
    assert [t["turn"] for t in data["turns"]] == list(range(1, len(data["turns"]) + 1))
    assert all(set(t) == {"turn", "decisions", "checksum"} for t in data["turns"])
    assert data["ending"] in {e.id for e in tutorial.model.endings}
    assert len(text) < 3000


def test_the_checksums_are_the_engines(saved: Path, tutorial: CompiledScenario) -> None:
    save = read_save(saved)
    loaded = load_session(saved)
    assert [t.checksum for t in save.turns] == [s.checksum() for s in loaded.game.states[1:]]


# --- format versions ------------------------------------------------------------------------

def as_version_0(data: dict[str, Any]) -> dict[str, Any]:
    """The same game written the way format 0 wrote it."""
    return {
        "format": "kazsim-save",
        "format_version": 0,
        "kazsim_version": "0.0.9",
        "saved": "2024-12-01T08:00:00Z",
        "scenario": {"id": data["scenario"]["id"], "version": data["scenario"]["version"],
                     "hash": data["scenario"]["content_hash"]},
        "seed": data["seed"],
        "roles": {role: p["kind"] for role, p in data["players"].items()},
        "ai_level": "hard",
        "turns": data["turns"],
        "ending": data["ending"],
    }


@pytest.fixture()
def saved_before_keyed_draws(tutorial: CompiledScenario, tmp_path: Path) -> Path:
    """A game played with the sequential draws, as every game saved before the keyed ones."""
    return ai_session(tutorial, 5, tmp_path, scheme=SEQUENTIAL).path


def as_version_1(data: dict[str, Any]) -> dict[str, Any]:
    """The same game written the way format 1 wrote it: the same, without `draws`."""
    assert data["draws"] == 1
    return {k: (1 if k == "format_version" else v) for k, v in data.items() if k != "draws"}


def test_format_0_is_migrated_and_still_replays(saved_before_keyed_draws: Path) -> None:
    saved = saved_before_keyed_draws
    old = as_version_0(json.loads(saved.read_text()))
    saved.write_text(json.dumps(old, indent=2))
    save = read_save(saved)
    assert save.format_version == FORMAT_VERSION
    assert save.created == save.updated == "2024-12-01T08:00:00Z"
    assert save.scenario.content_hash == old["scenario"]["hash"]
    assert save.players["council"].model_dump() == {"kind": "human", "name": ""}
    assert save.players["union"].model_dump() == {"kind": "ai", "level": "hard"}
    assert [t.model_dump() for t in save.turns] == old["turns"]
    assert save.draws == 1
    loaded = load_session(saved)
    assert loaded.kept == len(old["turns"]) and not loaded.changed


def test_format_1_is_migrated_to_the_sequential_draws_and_still_replays(
        saved_before_keyed_draws: Path, saved: Path) -> None:
    """A format-1 save (every save before the keyed draws) replays with the sequential
    draws it was played with; the same decisions do not replay with the keyed ones."""
    old = as_version_1(json.loads(saved_before_keyed_draws.read_text()))
    saved_before_keyed_draws.write_text(json.dumps(old, indent=2))
    save = read_save(saved_before_keyed_draws)
    assert (save.format_version, save.draws) == (FORMAT_VERSION, 1)
    assert [t.model_dump() for t in save.turns] == old["turns"]
    loaded = load_session(saved_before_keyed_draws)
    assert loaded.kept == len(old["turns"]) and loaded.game.draws.scheme == SEQUENTIAL
    edit(saved_before_keyed_draws, lambda d: d.update(format_version=2, draws=2))
    with pytest.raises(SaveError, match=r"checksum differs"):
        load_session(saved_before_keyed_draws)
    assert load_session(saved).game.draws.scheme == KEYED  # a new save's own


def test_a_format_1_file_is_explained_as_before(saved_before_keyed_draws: Path) -> None:
    """A problem in a format-1 save is said with its place, as when 1 was current."""
    old = as_version_1(json.loads(saved_before_keyed_draws.read_text()))
    old["turns"][1]["decisions"]["council"] = 7
    saved_before_keyed_draws.write_text(json.dumps(old, indent=2))
    with pytest.raises(SaveError) as info:
        read_save(saved_before_keyed_draws)
    assert re.fullmatch(r".*\.json:\d+:\d+: turns\[1\]\.decisions\.council: expected text, "
                        r"found a number", str(info.value)), str(info.value)
    old["turns"][1]["decisions"]["council"] = "subsidise"
    old["draws"] = 1  # format 1 had no such field
    saved_before_keyed_draws.write_text(json.dumps(old, indent=2))
    with pytest.raises(SaveError, match=r'unknown field "draws"'):
        read_save(saved_before_keyed_draws)


@pytest.mark.parametrize("value", [0, 3, "2", None])
def test_the_draws_field_is_checked(saved: Path, value: Any) -> None:
    edit(saved, lambda d: d.update(draws=value))
    with pytest.raises(SaveError, match=r"draws: "):
        read_save(saved)
    edit(saved, lambda d: d.pop("draws"))
    with pytest.raises(SaveError, match=r'missing field "draws"'):
        read_save(saved)


def test_a_malformed_format_0_file_names_the_old_field(saved: Path) -> None:
    old = as_version_0(json.loads(saved.read_text()))
    old["roles"]["union"] = "robot"
    saved.write_text(json.dumps(old, indent=2))
    with pytest.raises(SaveError, match=r"roles\.union \(format 0\): \"robot\" is not allowed"):
        read_save(saved)


def test_a_newer_format_is_refused_clearly(saved: Path) -> None:
    edit(saved, lambda d: d.update(format_version=3))
    with pytest.raises(SaveError) as info:
        read_save(saved)
    assert str(info.value) == (f"{saved}: this save was made by a newer kazsim (format 3); "
                               "this version reads up to 2 — upgrade kazsim")


# --- hostile and damaged files ----------------------------------------------------------------

def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
    return change


EDITS: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "seed as text": (_set(("seed",), "5"), r":\d+:\d+: seed: expected a whole number, found text"),
    "seed as float": (_set(("seed",), 5.0), r"seed: expected a whole number, found a number"),
    "decision as number": (_set(("turns", 1, "decisions", "union"), 7),
                           r"turns\[1\]\.decisions\.union: expected text"),
    "bad checksum text": (_set(("turns", 0, "checksum"), "xyz"),
                          r"turns\[0\]\.checksum: \"xyz\" is not a checksum"),
    "unknown field": (_set(("cheat",), True), r"cheat: unknown field \"cheat\""),
    "missing seed": (lambda d: d.pop("seed"), r"missing field \"seed\""),
    "player kind": (_set(("players", "union", "kind"), "robot"),
                    r"players\.union: \"robot\" is not a kind of player"),
    "bad level": (_set(("players", "union", "level"), "godlike"),
                  r"players\.union\.level: \"godlike\" is not allowed"),
    "turn gap": (_set(("turns", 1, "turn"), 9), r"turns\[1\] is turn 9, expected 2"),
    "missing decision": (lambda d: d["turns"][0]["decisions"].pop("union"),
                         r"turns\[0\] has decisions for council, province but the players are"),
    "bad timestamp": (_set(("updated",), "yesterday"), r"updated: not an ISO 8601 timestamp"),
    "not a save": (_set(("format",), "something-else"), r"not a kazsim save"),
    "format missing": (lambda d: d.pop("format"), r"not a kazsim save"),
    "version as text": (_set(("format_version",), "1"), r"\"format_version\" must be a whole"),
    "ending without turns": (_set(("turns",), []), r"an ending is recorded but no turn"),
    "turn limit as text": (_set(("turn_limit",), "3"), r"turn_limit: expected a whole number"),
    "turn limit zero": (_set(("turn_limit",), 0), r"turn_limit: .*at least 1"),
    "turns past the limit": (_set(("turn_limit",), 2),
                             r"\d+ turns are recorded but the game stops after turn 2"),
}


@pytest.mark.parametrize("case", list(EDITS))
def test_hand_edited_files_give_one_clear_line(saved: Path, case: str) -> None:
    change, pattern = EDITS[case]
    edit(saved, change)
    before = saved.read_bytes()
    with pytest.raises(SaveError) as info:
        load_session(saved)
    message = str(info.value)
    assert message.startswith(str(saved)) and "\n" not in message
    assert re.search(pattern, message), message
    assert saved.read_bytes() == before


def test_the_place_of_a_bad_value_is_its_line_and_column(saved: Path) -> None:
    edit(saved, _set(("turns", 2, "decisions", "province"), 12))
    lines = saved.read_text().splitlines()
    with pytest.raises(SaveError) as info:
        read_save(saved)
    where = info.value.where.split(":")
    line, column = int(where[-2]), int(where[-1])
    assert lines[line - 1][column - 1:].startswith("12")
    assert '"province"' in lines[line - 1]


BAD_BYTES: dict[str, tuple[bytes, str]] = {
    "empty": (b"", "the file is empty"),
    "blank": (b"  \n\n", "the file is empty"),
    "not json": (b"<html>hello</html>", ":1:1: not valid JSON"),
    "truncated": (b'{\n  "format": "kazsim-save",\n  "format_version": 1,\n  "turns": [',
                  "the file ends too early: it was cut off"),
    "not utf-8": (b'{"format": "kazsim-save", "name": "\xff\xfe"}', ":1:36: not UTF-8 text"),
    "deep nesting": (b"[" * 100_000 + b"]" * 100_000, "nested"),
    "moderately deep": (b'{"a":' * 40 + b"1" + b"}" * 40, "nested more than 12 levels"),
    "duplicate key": (b'{"format": "kazsim-save", "format": "kazsim-save"}',
                      'the key "format" appears twice'),
    "huge number": (b'{"format": "kazsim-save", "seed": ' + b"9" * 10_000 + b"}",
                    "not valid JSON"),
    "NaN seed": (b'{"format": "kazsim-save", "format_version": 1, "seed": NaN}',
                 "not valid JSON"),
    "a bare string": (b'"kazsim-save"', "expected a JSON object at the top, found text"),
}


@pytest.mark.parametrize("case", list(BAD_BYTES))
def test_damaged_files_give_one_clear_line(tmp_path: Path, case: str) -> None:
    raw, expected = BAD_BYTES[case]
    path = tmp_path / "damaged.json"
    path.write_bytes(raw)
    with pytest.raises(SaveError) as info:
        load_session(path)
    message = str(info.value)
    assert message.startswith(str(path)) and "\n" not in message
    assert expected in message, message
    assert path.read_bytes() == raw


def test_a_100_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(SaveError, match=r"the file is 104\.9 MB; a save is never more than 4 MB"):
        read_save(path)
    assert path.stat().st_size == 100 * 1024 * 1024
    assert MAX_BYTES == 4 * 1024 * 1024


def test_missing_files_and_folders(tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="no such file"):
        read_save(tmp_path / "nothing.json")
    with pytest.raises(SaveError, match="this is a folder"):
        read_save(tmp_path)


def test_every_field_checked_is_in_the_model() -> None:
    """The docs list these fields; the model is strict about exactly them."""
    assert set(SaveFile.model_fields) == {"format", "format_version", "kazsim_version", "name",
                                          "created", "updated", "scenario", "seed", "players",
                                          "turns", "ending", "turn_limit", "draws"}
    assert SaveFile.model_config.get("extra") == "forbid"
    assert SaveFile.model_config.get("strict") is True


def test_writing_a_parsed_save_again_gives_the_same_bytes(saved: Path) -> None:
    save = read_save(saved)
    assert save.to_json() == saved.read_text(encoding="utf-8")


def test_a_save_cut_off_anywhere_says_it_looks_cut_off(tutorial: CompiledScenario,
                                                       tmp_path: Path) -> None:
    """A copy that did not finish (a USB stick pulled out) or a write a crash left as
    zeros: at every length the message says the file was cut off."""
    from kazsim.session.store import parse_save

    whole = ai_session(tutorial, 5, tmp_path, name="Урок 7 · 日本語の授業").path.read_bytes()
    assert whole.endswith(b"}\n") and b"\xd0" in whole and b"\xe6" in whole
    missed = []
    for length in range(len(whole) - 2):  # the last two bytes are "}\n"
        for cut in (whole[:length], whole[:length] + b"\0" * 512):
            try:
                parse_save(cut, "game.json")
            except SaveError as exc:
                if "cut off" not in exc.message:
                    missed.append((length, exc.message))
            else:
                missed.append((length, "read as a whole save"))
    assert missed == []
    path = tmp_path / "cut.json"
    path.write_bytes(whole[:whole.index(b'"turns"') + 20])
    with pytest.raises(SaveError) as info:
        read_save(path)
    assert str(info.value).endswith("the file ends too early: it was cut off (a copy or a "
                                    "write that did not finish)")


def test_a_damaged_save_that_was_not_cut_off_does_not_say_so(saved: Path) -> None:
    from kazsim.session.store import parse_save

    text = saved.read_bytes()
    for damaged in (text.replace(b'"turns"', b'"turns" "', 1), text.replace(b"null", b"nul", 1),
                    b'{"format": "kazsim-save", "name": "\xff"}'):
        with pytest.raises(SaveError) as info:
            parse_save(damaged, "game.json")
        assert "cut off" not in info.value.message, info.value.message
