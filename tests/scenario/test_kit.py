"""A teacher's kit in the format: `glossary:`, `places:` and `content_warning:`.

Validated like the rest (a term or a place listed twice, unknown sources, empty or
too long text: see tests/scenario/test_corpus.py), compiled into
`CompiledScenario.reference`, kept by the cache, inherited by variants, and said by
`kazsim play --auto` before the briefings.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kazsim.cli import main
from kazsim.plain import from_plain, to_plain
from kazsim.scenario import load_file
from kazsim.scenario.load import load_text
from kazsim.scenario.model import Scenario

ROOT = Path(__file__).resolve().parents[2]
KAZ = ROOT / "scenarios" / "kazakhstan-2022.yaml"
VARIANT = ROOT / "scenarios" / "variants" / "kazakhstan-2022-csto-refuses.yaml"
BASE = (ROOT / "tests" / "corpus" / "variants" / "base.yaml").read_text(encoding="utf-8")


def _with(extra: str) -> str:
    return BASE + extra


def test_a_file_without_a_kit_has_an_empty_reference() -> None:
    compiled, problems = load_text(BASE, "base.yaml")
    assert compiled is not None and not problems
    assert not compiled.reference and compiled.reference.content_warning == ""
    assert compiled.reference.glossary == () and compiled.reference.places == ()


def test_the_glossary_is_alphabetical_and_the_places_keep_their_order() -> None:
    compiled, problems = load_text(_with(
        "glossary:\n"
        "  - {term: zebra, meaning: Last.}\n"
        "  - {term: Apple, meaning: First.}\n"
        "  - {term: banana, meaning: Second., cites: [src]}\n"
        "places:\n"
        "  - {name: West, where: The west., text: It began here.}\n"
        "  - {name: East, where: The east., text: It ended here.}\n"
        "content_warning: People died.\n"), "base.yaml")
    assert compiled is not None, [str(p) for p in problems]
    reference = compiled.reference
    assert [t.term for t in reference.glossary] == ["Apple", "banana", "zebra"]
    assert [p.name for p in reference.places] == ["West", "East"]
    assert reference.content_warning == "People died." and reference


def test_only_a_warning_is_no_reference_to_open() -> None:
    compiled, _ = load_text(_with("content_warning: People died.\n"), "base.yaml")
    assert compiled is not None
    assert not compiled.reference  # no glossary key in the game, but the warning is said


@pytest.mark.parametrize("extra, message", [
    ("glossary:\n  - {term: x, meaning: y, cites: [nope]}\n", "unknown source 'nope'"),
    ("places:\n  - {name: x, where: y, text: z, cites: [nope]}\n", "unknown source 'nope'"),
    ("glossary:\n  - {term: x, meaning: ''}\n", "'meaning' must not be empty"),
    ("content_warning: '" + "w" * 2001 + "'\n", "'content_warning' is too long"),
    ("places:\n  - {name: '" + "n" * 81 + "', where: y, text: z}\n", "'name' is too long"),
])
def test_a_kit_with_mistakes_is_refused(extra: str, message: str) -> None:
    compiled, problems = load_text(_with(extra), "base.yaml")
    assert compiled is None
    assert any(message in str(p) for p in problems), [str(p) for p in problems]


def test_the_cache_keeps_the_kit() -> None:
    model = load_file(KAZ).model
    again = from_plain(Scenario, to_plain(model))
    assert again == model and again is not None and again.glossary and again.places


def test_a_variant_inherits_the_kit() -> None:
    base, variant = load_file(KAZ), load_file(VARIANT)
    assert variant.reference == base.reference and variant.reference.glossary


def test_play_auto_says_the_warning_before_the_briefings(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["play", str(KAZ), "--auto", "--seed", "1", "--turns", "1", "--no-save"]
    assert main(args) == 0
    out = capsys.readouterr().out
    warning = out.index("── Before you play ──")
    assert "Qandy Qantar" in out[warning:warning + 300]
    assert warning < out.index("── Briefing:")
    assert out.count("── Before you play ──") == 1
    assert main([*args, "--no-briefings"]) == 0
    out = capsys.readouterr().out
    assert "Before you play" not in out and "── Briefing:" not in out
