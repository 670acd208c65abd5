"""Rewrite the outputs shown in docs/authoring.md's console blocks from real runs.

    .venv/bin/python tests/docs/update_guide.py

For each ```console block, every command is run in a folder holding the worked
example as it stands at that point, and the lines under it are replaced by
the real output. Where the block shows only the beginning of an output
(ending with a '...' line), the same number of lines is kept, then '...'.
Run it after an intended change in kazsim's output, then reread the prose
around the blocks: the tests check the numbers, not the sentences about them.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docs.guide import GUIDE, Block, commands, run, walk, write_stage  # noqa: E402


def new_output(block: Block, folder: Path) -> list[str]:
    lines: list[str] = []
    for command in commands(block):
        _, actual = run(command.argv, folder)
        lines.append("$ kazsim " + " ".join(command.argv))
        shown = [line for line in command.expected]
        while shown and not shown[-1]:
            shown.pop()
        if shown and shown[-1] == "...":
            keep = len(shown) - 1
            lines += actual[:keep] + (["..."] if len(actual) > keep else [])
        else:
            lines += actual
    return lines


def main() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    source = text.splitlines()
    replacements: list[tuple[int, int, list[str]]] = []
    for block, stage in walk():
        if block.lang != "console":
            continue
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            write_stage(stage, folder)
            body = new_output(block, folder)
        start = block.line  # the fence is line `start` (1-based): body starts after it
        end = start + len(block.text.splitlines())
        replacements.append((start, end, body))
    for start, end, body in reversed(replacements):
        source[start:end] = body
    GUIDE.write_text("\n".join(source) + "\n", encoding="utf-8")
    print(f"updated {len(replacements)} console blocks in {GUIDE}")


if __name__ == "__main__":
    main()
