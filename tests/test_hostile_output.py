"""Text from other people's files never reaches the terminal raw (issue 10).

A scenario whose title, names and texts hold terminal escape sequences (OSC
that retitles the window, CSI that clears the screen, C1 controls, a bidi
override, a bell, a carriage return), ids and a file name holding them, and
saves whose fields hold them, go through every command that prints. The
bytes each command writes, on stdout and stderr, must hold no control
character but the newline: what the file held is shown escaped (``\\e]0;...``).

Tabs are not in the payload: `kazsim.untrusted.printable` keeps them in
multi-line text on purpose (they move the cursor, nothing more).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from kazsim.analysis.watch import watch
from kazsim.scenario.load import validate_file

ROOT = Path(__file__).resolve().parent.parent
# What a hostile author puts in: retitle the window, clear the screen, a C1 CSI,
# a right-to-left override, NEL, a bell, a carriage return, DEL, and a line break
# that would forge a line of output where one line is expected.
PAYLOAD = "\x1b]0;owned\x07\x1b[2J\x9b31m\u202eevil\x85\x07\r\x7f\nforged: valid"
TEXT_KEYS = {"title", "label", "name", "summary", "text", "description", "publisher", "note",
             "briefing", "debrief", "unavailable_text", "author"}


def control_characters(data: bytes) -> list[str]:
    """Every character in `data` a terminal would act on, but the newline."""
    text = data.decode("utf-8", errors="replace")
    return sorted({f"U+{ord(c):04X}" for c in text
                   if c != "\n" and (unicodedata.category(c) in ("Cc", "Cf")
                                     or 0x80 <= ord(c) <= 0x9F)})


def assert_clean(result: subprocess.CompletedProcess[bytes]) -> None:
    for name, data in (("stdout", result.stdout), ("stderr", result.stderr)):
        assert b"Traceback" not in data, data.decode("utf-8", "replace")
        assert control_characters(data) == [], (name, data[:2000])


def poison(node: Any) -> Any:
    """The tutorial's data with the payload added to every text a player reads."""
    if isinstance(node, dict):
        return {k: (v + PAYLOAD if k in TEXT_KEYS and isinstance(v, str) else poison(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [poison(v) for v in node]
    return node


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with ./scenarios/hostile.yaml (valid) and an invalid one with hostile ids."""
    folder = tmp_path_factory.mktemp("hostile")
    data = yaml.safe_load((ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8"))
    data = poison(data)
    data["id"] = "hostile"
    (folder / "scenarios").mkdir()
    (folder / "saves").mkdir()
    # safe_dump writes the control characters as escapes in double-quoted strings.
    (folder / "scenarios" / "hostile.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    bad = dict(data)
    bad["id"] = "bad" + PAYLOAD
    bad["roles"] = [{**data["roles"][0], "id": "role" + PAYLOAD}, *data["roles"][1:]]
    bad[PAYLOAD] = 1  # an unknown field whose name is the payload
    (folder / f"bad{PAYLOAD.replace('/', '')}.yaml").write_text(yaml.safe_dump(bad),
                                                                encoding="utf-8")
    compiled, problems = validate_file(folder / "scenarios" / "hostile.yaml")
    assert compiled is not None, problems
    assert PAYLOAD in compiled.model.title
    return folder


def run(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "KAZSIM_SAVE_DIR": str(folder / "saves"), "PYTHONHASHSEED": "0"}
    result = subprocess.run([sys.executable, "-m", "kazsim", *args], cwd=folder, env=env,
                            capture_output=True, timeout=120)
    assert_clean(result)
    return result


def bad_file(folder: Path) -> str:
    return next(p.name for p in folder.glob("bad*.yaml"))


def test_validate_a_hostile_scenario(hostile: Path) -> None:
    result = run(hostile, "validate", "scenarios/hostile.yaml", "hostile")
    assert result.returncode == 0
    assert result.stdout.count(b"valid (Tutorial: The Bread Price Strike\\e]0;owned\\a") == 2


def test_validate_hostile_ids_and_a_hostile_file_name(hostile: Path) -> None:
    result = run(hostile, "validate", bad_file(hostile))
    assert result.returncode == 1
    assert b"\\e]0;owned\\a" in result.stdout  # the problems quote the ids, escaped
    assert b"bad\\e]0;owned\\a" in result.stderr  # the file's name, escaped


def test_list(hostile: Path) -> None:
    result = run(hostile, "list", "-v")
    assert result.returncode == 0
    line = next(x for x in result.stdout.splitlines() if x.startswith(b"hostile "))
    assert b"Tutorial: The Bread Price Strike\\e]0;owned\\a\\e[2J" in line
    assert b"\\nforged: valid" in line  # the title stays on its line
    assert not any(x.startswith(b"forged") for x in result.stdout.splitlines())


def test_play_auto(hostile: Path) -> None:
    result = run(hostile, "play", "hostile", "--auto", "--seed", "2", "--why")
    assert result.returncode == 0
    assert b"\\e]0;owned\\a" in result.stdout and "══ Ending: ".encode() in result.stdout


def test_error_messages(hostile: Path) -> None:
    assert run(hostile, "play", "no" + PAYLOAD, "--auto").returncode == 1
    assert run(hostile, "play", bad_file(hostile), "--auto").returncode == 1
    assert run(hostile, "check", bad_file(hostile)).returncode == 1
    assert run(hostile, "play", "hostile", "--auto", "--role", PAYLOAD).returncode == 2
    assert run(hostile, "check", "hostile", "--look-ahead", PAYLOAD).returncode == 2
    assert run(hostile, "new", "x" + PAYLOAD).returncode == 1
    assert run(hostile, "replay", "--verify", PAYLOAD + ".json").returncode == 1


@pytest.mark.parametrize("form", ["text", "markdown", "json"])
def test_check_report(hostile: Path, form: str) -> None:
    result = run(hostile, "check", "hostile", "--runs", "20", "--format", form)
    assert result.returncode == 0
    if form == "json":  # still JSON, and it still says what the file says
        report = json.loads(result.stdout)
        assert report["scenario"]["title"] == "Tutorial: The Bread Price Strike" + PAYLOAD
    else:
        assert b"\\e]0;owned\\a" in result.stdout


def test_check_report_written_to_a_file(hostile: Path) -> None:
    assert run(hostile, "check", "hostile", "--runs", "20", "-o", "report.txt").returncode == 0
    assert control_characters((hostile / "report.txt").read_bytes()) == []


def test_validate_watch(hostile: Path) -> None:
    out = io.StringIO()
    bad = str(hostile / bad_file(hostile))
    watch([str(hostile / "scenarios" / "hostile.yaml"), bad], validate_file, polls=0, out=out)
    assert control_characters(out.getvalue().encode()) == []
    assert "\\e]0;owned\\a" in out.getvalue()


# --- saves --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_save(hostile: Path) -> Path:
    result = run(hostile, "play", "hostile", "--auto", "--seed", "5")
    assert result.returncode == 0
    return hostile / "saves" / "hostile-seed5-1.json"


def edited(save: Path, name: str, change: Any) -> str:
    data = json.loads(save.read_text(encoding="utf-8"))
    change(data)
    target = save.parent.parent / name
    target.write_text(json.dumps(data), encoding="utf-8")
    return target.name


def test_a_save_of_a_hostile_scenario(hostile: Path, hostile_save: Path) -> None:
    result = run(hostile, "replay", "--verify", str(hostile_save))
    assert result.returncode == 0 and b"\\e]0;owned\\a" in result.stdout
    result = run(hostile, "export", str(hostile_save), "-o", "-")
    assert result.returncode == 0 and b"\\e]0;owned\\a" in result.stdout


def test_hostile_save_fields(hostile: Path, hostile_save: Path) -> None:
    def names(data: dict[str, Any]) -> None:
        data["name"] = "game" + PAYLOAD
        role = next(iter(data["players"]))
        data["players"][role] = {"kind": "human", "name": "Aigerim" + PAYLOAD}

    named = edited(hostile_save, "named.json", names)
    assert run(hostile, "export", named, "-o", "-").returncode == 0
    assert run(hostile, "play", "--auto", "--load", named, "--seed", "1").returncode == 0

    def decision(data: dict[str, Any]) -> None:
        turn = data["turns"][1]["decisions"]
        turn[next(iter(turn))] = "act" + PAYLOAD

    diverges = edited(hostile_save, "diverges.json", decision)
    assert run(hostile, "replay", "--verify", diverges).returncode == 1
    run(hostile, "export", diverges, "-o", "-")
    run(hostile, "play", "--auto", "--load", diverges)

    def scenario(data: dict[str, Any]) -> None:
        data["scenario"].update(id="s" + PAYLOAD, path="/nowhere/" + PAYLOAD,
                                title="t" + PAYLOAD, content_hash="0" * 64)

    lost = edited(hostile_save, "lost.json", scenario)
    assert run(hostile, "replay", "--verify", lost).returncode == 1
    assert run(hostile, "export", lost, "-o", "-").returncode == 1
    assert run(hostile, "play", "--auto", "--load", lost).returncode == 1

    def shape(data: dict[str, Any]) -> None:
        data["seed"] = "seed" + PAYLOAD
        data[PAYLOAD] = PAYLOAD

    broken = edited(hostile_save, "broken.json", shape)
    assert run(hostile, "replay", "--verify", broken).returncode == 1
    assert run(hostile, "export", broken, "-o", "-").returncode == 1


def test_the_command_line_escapes_what_a_message_forgot(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command but the game prints through EscapedText, and gets its streams back."""
    from kazsim import cli
    from kazsim.untrusted import EscapedText, raw_stream

    def careless(args: Any) -> int:
        print("title" + PAYLOAD)
        print("error" + PAYLOAD, file=sys.stderr)
        assert raw_stream(sys.stderr) is before[1]
        return 0

    before = sys.stdout, sys.stderr
    monkeypatch.setattr(cli, "cmd_schema", careless)
    assert cli.main(["schema"]) == 0
    assert (sys.stdout, sys.stderr) == before
    out, err = capsys.readouterr()
    assert out == "title\\e]0;owned\\a\\e[2J\\x9b31m\\u202eevil\\x85\\a\\r\\x7f\nforged: valid\n"
    assert control_characters(err.encode()) == [] and err.startswith("error\\e]0;")
    stream = io.StringIO()
    assert EscapedText(stream).write("a\x1bb") == 3 and stream.getvalue() == "a\\eb"
