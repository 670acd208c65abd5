"""Every message the validator can give is produced by a test and shown in docs/errors.md.

`messages.templates()` reads the messages from the loader's source. A new
message without a corpus case, or without an example in the reference for
authors, fails here.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from kazsim.scenario import validate_file
from kazsim.scenario.load import load_text
from kazsim.scenario.yamlsafe import MAX_BYTES, MAX_NODES, read_file

from .messages import ROOT, Template, templates
from .test_corpus import FILES, MUTATIONS
from .test_expr import HOSTILE, NAME_ERRORS, POWERS, SYNTAX, TYPE_ERRORS, refused

DOCS = ROOT / "docs" / "errors.md"
# Guards no known input reaches (see "Messages you should not see" in docs/errors.md).
UNREACHABLE = {"YAML error: {}", "cannot read this expression ({})"}
OUTPUT_LINE = re.compile(r"^\S+:\d+:\d+: (?:warning: )?(?P<message>.*?)(?: — .*)?$")
TEMPLATES = templates()


def produced() -> list[str]:
    """Messages the test suite's cases produce."""
    out: list[str] = []
    for path in FILES:
        out += [p.message for p in validate_file(path)[1]]
    for mutation in MUTATIONS:
        out += [p.message for p in load_text(mutation.text(), "base.yaml")[1]]
    for table in (HOSTILE, POWERS, NAME_ERRORS, SYNTAX):
        out += [message for _, message, _, _ in table]
    out += [message for _, _, message, _, _ in TYPE_ERRORS]
    for text, want in (("...", "number"), ("", "bool"), ("x" * 2001, "bool"),
                       ("(" * 41 + "1" + ")" * 41, "number"), ("not " * 200 + "true", "bool"),
                       ("trust\x00", "bool"), ("min(1)", "number"), ("1e13", "number"),
                       ("1e12 * 10", "number"), ("trust", "bool")):
        out.append(refused(text, want)[0])
    out.append(refused("chose(crowd, march)", "bool", allow_choices=False)[0])
    out += [p.message for p in validate_file(Path("no-such-file.yaml"))[1]]
    out += [p.message for p in validate_file(ROOT / "scenarios")[1]]
    out += [p.message for p in validate_file("bad\x00name.yaml")[1]]
    out += [p.message for p in load_text(b"#" * (MAX_BYTES + 1), "huge.yaml")[1]]
    out += [p.message for p in load_text("extends: base.yaml\nid: v\n", "v.yaml")[1]]

    def refuse(name: str, from_file: str) -> tuple[bytes, str]:
        raise PermissionError(13, "Permission denied")

    out += [p.message for p in load_text("extends: b.yaml\nid: v\n", "v.yaml", resolve=refuse)[1]]
    many = "id: many\nvalues: [" + "1, " * MAX_NODES + "1]\n"  # see test_files.py
    out += [p.message for p in load_text(many, "many.yaml")[1]]
    if Path("/dev/zero").exists():  # a device: refused unread (see test_files.py)
        out += [p.message for p in validate_file("/dev/zero")[1]]
    with tempfile.TemporaryDirectory() as folder:  # a variant of a file over the limit
        base = Path(folder) / "base.yaml"
        with base.open("wb") as handle:
            handle.truncate(MAX_BYTES + 1)

        def too_large(name: str, from_file: str) -> tuple[bytes, str]:
            return read_file(base), str(base)

        out += [p.message for p in load_text("extends: base.yaml\nid: v\n", "v.yaml",
                                             resolve=too_large)[1]]
    return out


def documented() -> list[str]:
    """Messages shown in docs/errors.md's examples."""
    out: list[str] = []
    in_block = False
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_block = line.strip() == "```text"
            continue
        match = OUTPUT_LINE.match(line) if in_block else None
        if match:
            out.append(match["message"])
    return out


def test_the_source_has_the_messages_we_expect() -> None:
    assert len(TEMPLATES) >= 100
    texts = {t.text for t in TEMPLATES}
    assert "the file is empty" in texts and "unknown name '{}'" in texts


@pytest.mark.parametrize("template", TEMPLATES, ids=[f"{t.file}:{t.line}" for t in TEMPLATES])
def test_every_message_is_produced_by_a_test(template: Template) -> None:
    if template.text in UNREACHABLE:
        pytest.skip(f"a guard no known input reaches: {template.text}")
    assert any(template.pattern.match(m) for m in _PRODUCED), (
        f"no test produces {template}: add a corpus file or a mutation")


def test_the_unreachable_messages_are_still_unreached() -> None:
    unreached = {t.text for t in TEMPLATES if not any(t.pattern.match(m) for m in _PRODUCED)}
    assert unreached == UNREACHABLE


@pytest.mark.parametrize("template", TEMPLATES, ids=[f"{t.file}:{t.line}" for t in TEMPLATES])
def test_every_message_is_documented(template: Template) -> None:
    if template.text in UNREACHABLE:
        prefix = template.text.split("{}")[0]
        assert f"`{prefix}" in DOCS.read_text(encoding="utf-8")
        return
    assert any(template.pattern.match(m) for m in _DOCUMENTED), (
        f"docs/errors.md shows no example of {template}")


_PRODUCED = produced()
_DOCUMENTED = documented()
