"""The loader beyond single broken files: reading from disk, variants, bundled scenarios.

The exact messages for broken content are in test_corpus.py; these are the
cases that need the file system or the API (a resolver, a file too large to
keep in the repository) and the properties of what a successful load returns.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from kazsim.scenario import CompiledScenario, load_file, validate_file
from kazsim.scenario.catalog import find_scenario
from kazsim.scenario.load import load_text
from kazsim.scenario.yamlsafe import MAX_BYTES

from .test_corpus import BASE, CORPUS

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted(
    (ROOT / "scenarios" / "variants").glob("*.yaml"))


def messages(name: str | Path) -> list[str]:
    return [str(p) for p in validate_file(name)[1]]


def test_file_not_found(tmp_path: Path) -> None:
    path = tmp_path / "missing.yaml"
    assert messages(path) == [f"{path}:1:1: file not found — check the path, or run 'kazsim "
                              "list' to see scenario ids"]


def test_a_folder(tmp_path: Path) -> None:
    assert messages(tmp_path) == [f"{tmp_path}:1:1: this is a folder, not a scenario file — "
                                  "give the path of a .yaml file inside it"]


def test_unreadable_names() -> None:
    hint = "check the path and that you may read the file"
    assert messages("a\x00b.yaml") == [  # shown escaped: a message is one line of text
        f"a\\0b.yaml:1:1: cannot read the file: embedded null byte — {hint}"]
    long = "x" * 300 + ".yaml"
    assert messages(long) == [f"{long}:1:1: cannot read the file: File name too long — {hint}"]


def test_a_file_too_large() -> None:
    data = b"# " + b"x" * MAX_BYTES
    _, problems = load_text(data, "huge.yaml")
    assert [str(p) for p in problems] == [
        f"huge.yaml:1:1: the file is too large ({MAX_BYTES + 2:,} bytes; the limit is "
        f"{MAX_BYTES:,}) — a scenario is a text file of a few hundred kilobytes at most: "
        "check that this is the right file"]


def test_a_byte_order_mark_is_accepted() -> None:
    compiled, problems = load_text(b"\xef\xbb\xbf" + BASE.encode(), "bom.yaml")
    assert compiled is not None and problems == []


def test_windows_line_endings_are_accepted() -> None:
    compiled, problems = load_text(BASE.replace("\n", "\r\n"), "crlf.yaml")
    assert compiled is not None and problems == []


def test_a_variant_needs_a_file() -> None:
    _, problems = load_text("extends: base.yaml\nid: v\n", "v.yaml")
    assert [str(p) for p in problems] == [
        "v.yaml:1:10: a variant can only be loaded from a file"
        " — save it as a .yaml file next to the scenario it extends"]


def test_a_resolver_that_cannot_read() -> None:
    def resolve(name: str, from_file: str) -> tuple[bytes, str]:
        raise PermissionError(13, "Permission denied")

    _, problems = load_text("extends: base.yaml\nid: v\n", "v.yaml", resolve=resolve)
    assert [str(p) for p in problems] == [
        "v.yaml:1:10: cannot read 'base.yaml': Permission denied"
        " — check the path, and that you may read the file"]


def test_a_variant_of_a_bundled_scenario_by_id(tmp_path: Path) -> None:
    path = tmp_path / "rich.yaml"
    path.write_text("extends: tutorial\nid: rich\ntitle: Rich\nindicators:\n"
                    "  - id: council_reserves\n    start: 90\n", encoding="utf-8")
    compiled = load_file(path)
    assert compiled.id == "rich" and compiled.model.title == "Rich"
    assert compiled.initial["council_reserves"] == 90
    tutorial = load_file(ROOT / "scenarios" / "tutorial.yaml")
    assert compiled.role_ids == tutorial.role_ids
    assert compiled.initial["strike_size"] == tutorial.initial["strike_size"]


def test_a_variant_merges_items_by_id() -> None:
    compiled = load_file(CORPUS / "variants" / "longer.yaml")
    assert compiled.last_turn == 5
    assert compiled.model.title == "Base, one turn longer"
    assert [r.id for r in compiled.roles] == ["government", "crowd"]


def test_content_hash_identifies_the_bytes() -> None:
    compiled, _ = load_text(BASE, "base.yaml")
    assert compiled is not None
    assert compiled.content_hash == hashlib.sha256(BASE.encode()).hexdigest()
    other, _ = load_text(BASE + "\n# a comment\n", "base.yaml")
    assert other is not None and other.content_hash != compiled.content_hash


def test_what_a_load_returns() -> None:
    compiled, _ = load_text(BASE, "base.yaml")
    assert isinstance(compiled, CompiledScenario)
    assert compiled.id == "base" and compiled.last_turn == 4
    assert compiled.role_ids == ("government", "crowd")
    assert compiled.bounds == {"protest_size": (0.0, 100.0), "trust": (0.0, 100.0)}
    assert compiled.initial == {"protest_size": 20, "trust": 50, "martial_law": False}
    assert [e.id for e in compiled.endings] == ["uprising", "stalemate"]
    assert compiled.visible("trust", "government") and not compiled.visible("trust", "crowd")
    assert compiled.visible("trust", None) and compiled.visible("protest_size", "crowd")
    assert compiled.role("crowd").by_id["march"].touches == frozenset({"protest_size"})


def test_endings_are_ordered_by_priority_then_file_order() -> None:
    text = BASE.replace("  - id: stalemate\n", "  - id: calm\n    title: Calm\n"
                        "    when: \"protest_size < 5\"\n    priority: 5\n    text: Calm.\n"
                        "    roles:\n      government: { result: win, text: w }\n"
                        "      crowd: { result: loss, text: l }\n  - id: stalemate\n")
    compiled, problems = load_text(text, "base.yaml")
    assert compiled is not None, problems
    assert [e.id for e in compiled.endings] == ["calm", "uprising", "stalemate"]


@pytest.mark.parametrize("path", BUNDLED, ids=[p.name for p in BUNDLED])
def test_every_bundled_scenario_is_found_and_valid(path: Path) -> None:
    compiled, problems = validate_file(path)
    assert compiled is not None, "\n".join(str(p) for p in problems)
    assert [p for p in problems if p.severity == "error"] == []
    if path.parent.name == "scenarios":
        found = find_scenario(compiled.id)
        assert found is not None and found.resolve() == path.resolve()


def test_a_variant_changes_identity_when_its_base_changes(tmp_path) -> None:
    """Saves find their scenario by content hash: editing a variant's base must show."""
    from kazsim.scenario import validate_file

    base = (Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml").read_text()
    (tmp_path / "base.yaml").write_text(base)
    (tmp_path / "v.yaml").write_text("extends: base.yaml\nid: v\ntitle: A variant\n")
    first, _ = validate_file(tmp_path / "v.yaml")
    (tmp_path / "base.yaml").write_text(base.replace("start: 130", "start: 140", 1))
    second, _ = validate_file(tmp_path / "v.yaml")
    assert first is not None and second is not None
    assert first.content_hash != second.content_hash


# --- any value in any field: a message, never an exception ---------------------------------

_FIELD = re.compile(r"^(?P<lead>\s*(?:- )?[a-z_]+: )(?P<value>[^{\[\n].*)$")
ODD_VALUES = ["9" * 400, "-" + "9" * 400, "9" * 4400, "1e400", "-.inf", ".nan", "[a, [b]]",
              "{id: [x]}", '"a\\nb\\e[2J"', "ｔｒｕｓｔ"]


@pytest.mark.parametrize("odd", ODD_VALUES)
def test_an_odd_value_in_any_field_gives_messages(odd: str) -> None:
    """Every plain value of the base scenario replaced, one at a time, by numbers too large
    for a float (or for int()), infinities, lists, mappings and escape codes: each time the
    loader answers with one-line messages (400-digit numbers once overflowed building them,
    list ids once crashed the variant merge)."""
    lines = BASE.splitlines()
    fields = [i for i, line in enumerate(lines) if _FIELD.match(line)]
    assert len(fields) > 50
    for i in fields:
        match = _FIELD.match(lines[i])
        assert match
        text = "\n".join([*lines[:i], match["lead"] + odd, *lines[i + 1:]]) + "\n"
        compiled, problems = load_text(text, "base.yaml")
        for problem in problems:
            assert "\n" not in str(problem) and str(problem).isprintable(), str(problem)
        assert compiled is not None or problems, lines[i]


@pytest.mark.parametrize("odd", ["[a, b]", "{x: 1}", "9" * 400])
def test_an_odd_id_in_a_variant_gives_messages(odd: str, tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    for section in ("indicators", "flags", "sources", "events", "endings", "rules"):
        variant = tmp_path / f"{section}.yaml"
        variant.write_text(f"extends: base.yaml\nid: v\n{section}:\n  - id: {odd}\n"
                           "    remove: true\n", encoding="utf-8")
        compiled, problems = validate_file(variant)
        assert compiled is None and problems
        assert all(str(p).isprintable() for p in problems)
