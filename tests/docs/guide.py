"""Read docs/authoring.md's examples and replay its worked example, for the tests.

The guide tags its fenced blocks so the test suite can check every example:

- ```` ```yaml step ````: the worked example, one step at a time. The file the
  reader builds is these blocks joined in order, exactly as pasted at the end
  of an empty file.
- ```` ```yaml change ````: an edit to the worked example, written the way a
  variant is (mappings merge, lists of things with an id merge by id). Applied
  in order after the steps before it.
- ```` ```yaml complete ````: the whole worked example; must equal the steps and
  changes before it.
- ```` ```yaml scenario file=NAME.yaml ````: a complete file (or a variant) that
  must validate; it is saved under NAME next to the worked example.
- ```` ```yaml fragment ````: a snippet, merged as a variant into the finished
  worked example; the result must validate.
- ```` ```yaml invalid ````: the same, but must fail, with the message given in
  its first line (``# kazsim validate says: ...``).
- ```` ```console ````: commands (``$ kazsim ...``) and their output, run in a
  folder holding the worked example as it stands at that point of the guide;
  a line ``...`` stands for any number of lines.

Other blocks (```` ```text ````, plain ```` ```yaml ````) are not checked and the
guide uses them only for things that are not scenario files.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "authoring.md"
WORKED_FILE = "dry_taps.yaml"
CHECKED = {"step", "change", "complete", "scenario", "fragment", "invalid"}


@dataclass(frozen=True)
class Block:
    lang: str
    tag: str
    attrs: dict[str, str]
    text: str
    line: int  # line of the opening fence in the guide

    @property
    def where(self) -> str:
        return f"docs/authoring.md:{self.line}"


def blocks(text: str | None = None) -> list[Block]:
    """Every fenced block of the guide, in order."""
    source = GUIDE.read_text(encoding="utf-8") if text is None else text
    out: list[Block] = []
    lines = source.splitlines()
    i = 0
    while i < len(lines):
        match = re.match(r"^```(\S*)\s*(.*)$", lines[i])
        if not match or not match.group(1):
            i += 1
            continue
        lang, info = match.group(1), match.group(2).split()
        tag = info[0] if info and "=" not in info[0] else ""
        attrs = dict(part.split("=", 1) for part in info if "=" in part)
        start = i
        i += 1
        body: list[str] = []
        while i < len(lines) and lines[i] != "```":
            body.append(lines[i])
            i += 1
        out.append(Block(lang, tag, attrs, "\n".join(body) + "\n", start + 1))
        i += 1
    return out


def merge(base: Any, over: Any) -> Any:
    """The variant rules: mappings key by key, lists of things with an id by id."""
    if isinstance(base, dict) and isinstance(over, dict):
        result = dict(base)
        for key, value in over.items():
            result[key] = merge(base[key], value) if key in base else value
        return result
    keyed = (isinstance(base, list) and base
             and all(isinstance(v, dict) and "id" in v for v in base))
    if keyed and isinstance(over, list) and over:
        items = list(base)
        index = {item["id"]: i for i, item in enumerate(base)}
        drop = set()
        for item in over:
            if item.get("id") in index:
                if item.get("remove") is True:
                    drop.add(index[item["id"]])
                else:
                    items[index[item["id"]]] = merge(base[index[item["id"]]], item)
            else:
                items.append(item)
        return [item for i, item in enumerate(items) if i not in drop]
    return over


@dataclass
class Stage:
    """The worked example's file at one point of the guide, and the files beside it."""

    text: str = ""
    files: dict[str, str] = field(default_factory=dict)
    steps: int = 0
    changes: int = 0

    def data(self) -> Any:
        return yaml.safe_load(self.text) if self.text.strip() else {}


def dump(data: Any) -> str:
    head = "# yaml-language-server: $schema=scenario.schema.json\n"
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88)


def walk(items: list[Block] | None = None) -> Iterator[tuple[Block, Stage]]:
    """Each block with the worked example as it stands once the block is applied."""
    stage = Stage()
    for block in items if items is not None else blocks():
        if block.lang == "yaml" and block.tag == "step":
            joiner = "\n" if stage.text else ""
            stage = Stage(stage.text + joiner + block.text, dict(stage.files),
                          stage.steps + 1, stage.changes)
        elif block.lang == "yaml" and block.tag == "change":
            merged = merge(stage.data(), yaml.safe_load(block.text))
            stage = Stage(dump(merged), dict(stage.files), stage.steps, stage.changes + 1)
        elif block.lang == "yaml" and block.tag == "scenario" and "file" in block.attrs:
            stage = Stage(stage.text, {**stage.files, block.attrs["file"]: block.text},
                          stage.steps, stage.changes)
        yield block, stage


def final_stage() -> Stage:
    last = Stage()
    for _, stage in walk():
        last = stage
    return last


def write_stage(stage: Stage, folder: Path) -> None:
    """Put the worked example and the guide's other files in `folder`."""
    from kazsim.analysis.schema import schema_text

    (folder / "scenario.schema.json").write_text(schema_text(), encoding="utf-8")
    if stage.text:
        (folder / WORKED_FILE).write_text(stage.text, encoding="utf-8")
    for name, text in stage.files.items():
        (folder / name).write_text(text, encoding="utf-8")


# --- console blocks ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Command:
    argv: list[str]
    expected: list[str]


def commands(block: Block) -> list[Command]:
    out: list[Command] = []
    for line in block.text.splitlines():
        if line.startswith("$ "):
            argv = shlex.split(line[2:])
            assert argv[0] == "kazsim", f"{block.where}: only kazsim commands are run"
            out.append(Command(argv[1:], []))
        elif out:
            out[-1].expected.append(line.rstrip())
    return out


def run(argv: list[str], folder: Path) -> tuple[int, list[str]]:
    """Run a kazsim command in `folder`; its stdout then stderr, as lines."""
    from kazsim.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            status = main(argv)
    finally:
        os.chdir(cwd)
    text = stdout.getvalue() + stderr.getvalue()
    return status, [line.rstrip() for line in text.rstrip("\n").splitlines()]


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line, where a line '...' matches any number of lines."""
    while expected and not expected[-1]:
        expected = expected[:-1]
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and matches(expected[1:], actual[1:])
