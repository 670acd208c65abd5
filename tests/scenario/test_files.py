"""Scenario files that are not what they seem: endless, huge, or built to expand.

Every read of a scenario file (validate, the file a variant extends, `kazsim
list`, `validate --watch`) goes through `kazsim.untrusted.read_regular` with one
cap, `yamlsafe.MAX_BYTES`. The bounds here are counted, never timed: bytes read,
nodes sized or built, YAML events read. A subprocess with a generous timeout
guards the cases that used to hang (/dev/zero, a FIFO), and fails if one does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import kazsim.untrusted
from kazsim.analysis import watch
from kazsim.cache import load_for_play
from kazsim.scenario import validate_file, yamlsafe
from kazsim.scenario.catalog import MAX_LIST_EVENTS, list_scenarios, read_header
from kazsim.scenario.load import load_text
from kazsim.scenario.yamlsafe import MAX_BYTES, MAX_NODES, YamlProblem

from .test_corpus import BASE, CORPUS

ROOT = Path(__file__).resolve().parents[2]
HANG_GUARD = 120  # seconds: only ever reached if reading blocks or never ends
GIGABYTE = 1 << 30
TOO_LARGE = ("a scenario is a text file of a few hundred kilobytes at most: check that this is "
             "the right file")
NOT_A_FILE = ("give the path of a scenario's .yaml file; kazsim reads only ordinary files, not "
              "pipes or devices")


def run_kazsim(*args: str, cwd: Path = ROOT,
           env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kazsim", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=HANG_GUARD,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


@pytest.fixture
def bytes_read(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many bytes `read_regular` reads, call by call; and no file is read whole
    with `Path.read_bytes` (the unbounded read it replaces) meanwhile."""
    counts: list[int] = []
    real = os.read

    def counting(fd: int, n: int) -> bytes:
        chunk = real(fd, n)
        counts.append(len(chunk))
        return chunk

    def unbounded(self: Path) -> bytes:
        raise AssertionError(f"{self} was read whole, without a limit")

    monkeypatch.setattr(kazsim.untrusted.os, "read", counting)
    monkeypatch.setattr(Path, "read_bytes", unbounded)
    yield counts


def sparse(path: Path, size: int) -> Path:
    """A file of `size` bytes that takes no room on disk."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


# --- what is not a regular file ------------------------------------------------------------

@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_validate_dev_zero_is_refused_without_reading() -> None:
    result = run_kazsim("validate", "/dev/zero")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        f"/dev/zero:1:1: not a scenario file: it is a device, not a file — {NOT_A_FILE}")
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_validate_a_fifo_never_blocks(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = run_kazsim("validate", str(fifo))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        f"{fifo}:1:1: not a scenario file: it is a named pipe (FIFO), not a file — "
        f"{NOT_A_FILE}")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_list_passes_over_a_fifo_in_the_scenarios_folder(tmp_path: Path) -> None:
    (tmp_path / "scenarios").mkdir()
    os.mkfifo(tmp_path / "scenarios" / "pipe.yaml")
    result = run_kazsim("list", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if "pipe.yaml" in line)
    assert "(cannot be read: not a scenario file: it is a named pipe (FIFO), not a file)" in line


# --- files too large ---------------------------------------------------------------------

def test_a_gigabyte_file_is_refused_without_reading_it(tmp_path: Path,
                                                      bytes_read: list[int]) -> None:
    huge = sparse(tmp_path / "huge.yaml", GIGABYTE)
    _, problems = validate_file(huge)
    assert [str(p) for p in problems] == [
        f"{huge}:1:1: the file is too large ({GIGABYTE:,} bytes; the limit is {MAX_BYTES:,}) "
        f"— {TOO_LARGE}"]
    assert sum(bytes_read) == 0  # refused from its size alone


def test_a_file_at_the_limit_is_read_and_one_past_it_refused(tmp_path: Path,
                                                             bytes_read: list[int]) -> None:
    path = tmp_path / "padded.yaml"
    padding = MAX_BYTES - len(BASE.encode())
    path.write_bytes(BASE.encode() + b"#" * (padding - 1) + b"\n")
    compiled, problems = validate_file(path)
    assert compiled is not None and problems == []
    assert sum(bytes_read) == MAX_BYTES
    path.write_bytes(BASE.encode() + b"#" * padding + b"\n")
    _, problems = validate_file(path)
    assert [p.message for p in problems] == [
        f"the file is too large ({MAX_BYTES + 1:,} bytes; the limit is {MAX_BYTES:,})"]


def test_play_refuses_a_gigabyte_file_without_reading_it(
        tmp_path: Path, bytes_read: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    """`kazsim play` reads through the cache of validated scenarios, under the same limit."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    huge = sparse(tmp_path / "huge.yaml", GIGABYTE)
    compiled, problems = load_for_play(huge)
    assert compiled is None
    assert [p.message for p in problems] == [
        f"the file is too large ({GIGABYTE:,} bytes; the limit is {MAX_BYTES:,})"]
    assert sum(bytes_read) == 0


def variant_of_a_huge_base(folder: Path) -> Path:
    sparse(folder / "base.yaml", GIGABYTE)
    variant = folder / "variant.yaml"
    variant.write_text("extends: base.yaml\nid: v\ntitle: V\n", encoding="utf-8")
    assert variant.stat().st_size < 40  # the 37-byte variant of the issue
    return variant


def test_a_variant_of_a_gigabyte_file(tmp_path: Path, bytes_read: list[int]) -> None:
    variant = variant_of_a_huge_base(tmp_path)
    _, problems = validate_file(variant)
    assert [str(p) for p in problems] == [
        f"{variant}:1:10: cannot use 'base.yaml': the file is too large ({GIGABYTE:,} bytes; "
        f"the limit is {MAX_BYTES:,}) — {TOO_LARGE}"]
    assert sum(bytes_read) == variant.stat().st_size  # the variant, and nothing of its base


def test_list_reads_nothing_of_a_gigabyte_base(tmp_path: Path, bytes_read: list[int],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "scenarios").mkdir()
    variant = variant_of_a_huge_base(tmp_path / "scenarios")
    monkeypatch.chdir(tmp_path)
    before = sum(bytes_read)
    entries = {e.path.name: e for e in list_scenarios() if e.path.parent == variant.parent}
    assert set(entries) == {"base.yaml", "variant.yaml"}
    assert entries["variant.yaml"].problem == (
        f"base.yaml: the file is too large ({GIGABYTE:,} bytes; the limit is {MAX_BYTES:,})")
    assert entries["base.yaml"].problem.startswith("the file is too large")
    # Every file once, a variant's base once more: none of the gigabyte.
    bundled = sum(p.stat().st_size for p in (ROOT / "scenarios").glob("**/*.yaml"))
    assert sum(bytes_read) - before <= 2 * (bundled + variant.stat().st_size)


def test_watch_reads_a_variant_through_the_same_cap(tmp_path: Path,
                                                    bytes_read: list[int]) -> None:
    variant = variant_of_a_huge_base(tmp_path)
    assert watch.base_of(variant) == tmp_path / "base.yaml"
    assert watch.base_of(tmp_path / "base.yaml") is None  # too large: not read, no base
    assert sum(bytes_read) == variant.stat().st_size


# --- alias bombs -------------------------------------------------------------------------

def bomb(levels: int, width: int = 9) -> str:
    """The classic bomb: each level a list of `width` aliases to the level below."""
    lines = ["id: bomb", "l0: &l0 [" + ", ".join(['"lol"'] * width) + "]"]
    for n in range(1, levels + 1):
        lines.append(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Nodes sized (each visit of a node's children) and values built while reading YAML."""
    counts = {"sized": 0, "built": 0}
    sized, built = yamlsafe._values, yamlsafe._Builder.build

    def counting_values(node: Any) -> Any:
        counts["sized"] += 1
        return sized(node)

    def counting_build(self: Any, *args: Any) -> Any:
        counts["built"] += 1
        return built(self, *args)

    monkeypatch.setattr(yamlsafe, "_values", counting_values)
    monkeypatch.setattr(yamlsafe._Builder, "build", counting_build)
    return counts


@pytest.mark.parametrize("levels", [8, 20, 60])
def test_an_alias_bomb_is_refused_before_anything_is_built(levels: int,
                                                           work: dict[str, int]) -> None:
    text = bomb(levels)
    assert len(text) < 70 * (levels + 2)  # a few hundred bytes that expand to 9**levels
    with pytest.raises(YamlProblem) as info:
        yamlsafe.read_yaml(text)
    assert info.value.message == f"the document expands to more than {MAX_NODES:,} values"
    assert work["built"] == 0
    distinct = 1 + (levels + 1) * 10  # the root, and each level's list and its 9 items
    assert work["sized"] <= 3 * distinct + 3 * levels  # each node sized once, then a descent


def test_the_bundled_alias_bomb_file(work: dict[str, int]) -> None:
    _, problems = validate_file(CORPUS / "alias-bomb.yaml")
    assert [p.message for p in problems] == [
        f"the document expands to more than {MAX_NODES:,} values"]
    assert work["built"] == 0 and work["sized"] < 400


def test_a_file_of_too_many_plain_values(work: dict[str, int]) -> None:
    text = "id: many\nvalues: [" + "1, " * MAX_NODES + "1]\n"
    assert len(text) < MAX_BYTES
    _, problems = load_text(text, "many.yaml")
    assert [str(p) for p in problems] == [
        f"many.yaml:2:{10 + 3 * (MAX_NODES - 3)}: the file holds more than {MAX_NODES:,} values "
        "— a scenario holds a few thousand values at most: check that this is the right file"]
    assert work["built"] == 0


def test_aliases_that_stay_under_the_limit_are_built() -> None:
    text = BASE + "\n".join(["x0: &x0 [1, 2, 3]", "x1: &x1 [*x0, *x0, *x0]"]) + "\n"
    doc = yamlsafe.read_yaml(text)
    assert doc.data["x1"] == [[1, 2, 3]] * 3


def test_list_pays_nothing_for_an_alias_bomb(monkeypatch: pytest.MonkeyPatch) -> None:
    """`kazsim list` reads the header from YAML events: an alias is one event."""
    events = 0
    real = yamlsafe.parse_events

    def counting(text: str) -> Iterator[Any]:
        nonlocal events
        for event in real(text):
            events += 1
            yield event

    monkeypatch.setattr(yamlsafe, "parse_events", counting)
    text = bomb(60).replace("id: bomb", "id: bomb\ntitle: A bomb\nroles: [{id: a, name: A}]")
    header = read_header(text.encode())
    assert header == {"id": "bomb", "title": "A bomb", "roles": [{"id": "a", "name": "A"}]}
    assert events < 1000  # 61 lines of 9 aliases


def test_list_stops_after_its_budget_of_events() -> None:
    many = "id: many\nvalues:\n" + "- 1\n" * (MAX_LIST_EVENTS + 10)
    with pytest.raises(YamlProblem) as info:
        read_header(many.encode())
    assert info.value.message == (
        f"too large to list (more than {MAX_LIST_EVENTS:,} YAML events)")


def test_list_shows_what_validate_would_refuse_to_read(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "bomb.yaml").write_text(bomb(60), encoding="utf-8")
    (tmp_path / "scenarios" / "broken.yaml").write_text("id: [x\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    entries = {e.path.name: e for e in list_scenarios() if e.path.parent.parent == tmp_path}
    assert (entries["bomb.yaml"].id, entries["bomb.yaml"].problem) == ("bomb", "")
    assert entries["broken.yaml"].problem == "YAML syntax error: this '[' is never closed"


# --- messages stay clean -----------------------------------------------------------------

def test_list_shows_no_control_character(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "odd.yaml").write_text(
        'id: "odd\\e]0;owned\\a"\ntitle: "Two\\nlines \\e[2J"\n'
        'roles: [{id: r, name: "R\\u202e"}]\ncalendar: {turns: 3}\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    entry = next(e for e in list_scenarios() if e.path.name == "odd.yaml")
    assert (entry.id, entry.title, entry.roles, entry.turns) == (
        "odd\\e]0;owned\\a", "Two\\nlines \\e[2J", ("R\\u202e",), 3)


def test_no_python_warning_reaches_stderr(tmp_path: Path) -> None:
    """Python warns about '90if' and '0x1for' (SyntaxWarning from 3.12, DeprecationWarning
    before, hidden by default): shown or not, none reaches stderr; each is a problem."""
    path = tmp_path / "warned.yaml"
    path.write_text(BASE.replace('when: "protest_size >= 90"', 'when: "protest_size >= 90if 1"')
                    .replace("    turn: 2\n", '    turn: 2\n    chance: "0x1for 1"\n'),
                    encoding="utf-8")
    result = run_kazsim("validate", str(path),
                    env={"PYTHONWARNINGS": "always::SyntaxWarning,always::DeprecationWarning"})
    assert result.returncode == 1
    assert [line.split(": ", 1)[1] for line in result.stdout.splitlines()] == [
        "syntax error: invalid hexadecimal literal — put a space between a number and the "
        "word after it",
        "syntax error: invalid decimal literal — put a space between a number and the word "
        "after it"]
    assert "Warning" not in result.stderr, result.stderr
