"""The Kazakhstan scenario's history: every claim cites a listed source, and the texts a
player can read keep to the record.

Read from the loaded scenario (every text and every alternative of it, as the engine
would show it), not from the YAML as written, so a text moved or rewritten as
alternatives is still checked:

- every `cites` names a listed source, every listed source is cited, and every source
  says who published it and when (so no list in the game gives away a later one);
- no text calls Tajikistan a neighbour of Kazakhstan (they share no border), and none
  repeats the unsourced "over two thousand kilometres";
- the two inventions of the first edition (Moscow's advice and equipment for the
  crackdown, Western energy companies working quietly with the authorities) are never
  told as fact: each text that tells them says it is a what-if, and the debrief says
  there is no public evidence of either;
- the narrator never calls Nazarbayev "the old man": the words appear only inside a
  quotation (the protesters' chant);
- the debrief gives more than the official figures (the rights groups' findings, the
  detentions and the amnesty, the observers' view of the elections), each with a
  named source; the timeline's dates are the ones the sources give.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kazsim.scenario import CompiledScenario, load_file
from kazsim.scenario.model import Scenario

ROOT = Path(__file__).resolve().parents[2]
KAZAKHSTAN = ROOT / "scenarios" / "kazakhstan-2022.yaml"

# Fields that hold conditions, amounts or references, not text a player reads.
NOT_TEXT = {"id", "when", "available", "revealed", "happened", "score", "weight", "chance",
            "link", "cites", "role", "action", "by", "to", "offer", "seen_by", "visible_to",
            "high_is", "players", "language", "version", "format", "result"}


@pytest.fixture(scope="module")
def scenario() -> CompiledScenario:
    return load_file(KAZAKHSTAN)


@pytest.fixture(scope="module")
def model(scenario: CompiledScenario) -> Scenario:
    return scenario.model


def walk(value: Any, path: str = "") -> Iterator[tuple[str, str, Any]]:
    """Every (path, field name, value) below `value`, dataclasses and lists opened."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            child = getattr(value, f.name)
            yield f"{path}.{f.name}", f.name, child
            yield from walk(child, f"{path}.{f.name}")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield f"{path}[{i}]", "", item
            yield from walk(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield f"{path}.{key}", "", item
            yield from walk(item, f"{path}.{key}")


def texts(model: Scenario, *, sources: bool = False) -> list[tuple[str, str]]:
    """Every text of the scenario and of each of its alternatives, with where it is.
    The sources' own titles and notes are left out unless asked for: they describe a
    publication, they are not the game telling a story."""
    out = []
    for path, name, value in walk(model):
        if not isinstance(value, str) or name in NOT_TEXT or not value.strip():
            continue
        if path.startswith(".sources") and not sources:
            continue
        if re.search(r"\.(effects|refused)\.", path + "."):
            continue  # an effect's amount
        out.append((path, value))
    return out


def cited(model: Scenario) -> list[tuple[str, str]]:
    return [(path, c) for path, name, value in walk(model) if name == "cites"
            for c in value]


def unquoted(text: str) -> str:
    """The text with what is inside double quotes (and the project's 'scare quotes')
    taken out: what the narrator says in its own voice."""
    text = re.sub(r'"[^"]*"', '""', text)
    return re.sub(r"(?<![A-Za-z])'[^']*'(?![A-Za-z])", "''", text)


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?;:])\s+", " ".join(text.split())) if s]


# -- sources ----------------------------------------------------------------------------

def test_every_citation_names_a_listed_source(model: Scenario) -> None:
    ids = {s.id for s in model.sources}
    unknown = [(path, c) for path, c in cited(model) if c not in ids]
    assert unknown == []


def test_every_listed_source_is_cited(model: Scenario) -> None:
    used = {c for _, c in cited(model)}
    assert [s.id for s in model.sources if s.id not in used] == []


def test_every_source_but_the_article_is_dated_and_published(model: Scenario) -> None:
    for source in model.sources:
        assert source.publisher.strip(), source.id
        if source.id != "article":  # the article's date is given in its note
            assert source.date is not None, source.id


def test_the_article_is_never_the_only_source_of_what_it_does_not_say(
        model: Scenario) -> None:
    """The first edition cited the article alone for Aktau, the curfew, the oil strikes,
    Western firms and Russian help in Kazakhstan's crackdown: none of them is in it."""
    article = (ROOT.parent / "shared" / "sources" / "kazakhstan-2022-article.txt")
    if not article.exists():
        article = Path("/work/shared/sources/kazakhstan-2022-article.txt")
    words = article.read_text(encoding="utf-8").lower() if article.exists() else None
    claims = ("aktau", "curfew", "strike", "chevron", "energy compan", "fairer share")
    if words is not None:  # the premise: none of these is in the article
        assert not [c for c in claims if c in words]
    own = re.compile(r"\.(text|title|description|label)(\[\d+\]\.text)?$")
    checked = 0
    for path, name, value in walk(model):
        if name != "cites" or list(value) != ["article"]:
            continue
        owner = path.rsplit(".cites", 1)[0]
        told = " ".join(t for p, t in texts(model)
                        if p.startswith(owner + ".") and own.fullmatch(p[len(owner):])
                        and not HYPOTHETICAL.search(t))  # a what-if claims no fact
        for claim in claims:
            assert claim not in told.lower(), (owner, claim)
        checked += 1
    assert checked > 0


# -- geography and figures --------------------------------------------------------------

def test_tajikistan_is_never_called_a_neighbour(model: Scenario) -> None:
    for path, text in texts(model):
        for sentence in sentences(text):
            if "Tajikistan" in sentence:
                assert not re.search(r"neighbou?r", sentence, re.I), (path, sentence)


def test_no_unsourced_distance_from_zhanaozen_to_almaty(model: Scenario) -> None:
    for path, text in texts(model):
        assert not re.search(r"kilomet|\bkm\b|two thousand", text, re.I), (path, text)


# -- the two inventions -----------------------------------------------------------------

INVENTIONS = {
    "moscow_riot_help": re.compile(r"(Russian|Moscow)\S*\s.*advice and equipment"
                                   r"|advice and equipment", re.I),
    "western_firms": re.compile(r"Western energy compan|Western buyers, worried|worried about "
                                r"supplies, Western buyers", re.I),
}
HYPOTHETICAL = re.compile(r"what if|what-if|no public (record|evidence)|none is on "
                          r"record|no such help", re.I)


def test_the_inventions_are_never_told_as_fact(model: Scenario) -> None:
    seen = {key: 0 for key in INVENTIONS}
    for path, text in texts(model):
        if path.startswith(".roles") and path.endswith(".description"):
            continue  # what a choice means, read before making it: not news
        for key, pattern in INVENTIONS.items():
            if pattern.search(text):
                seen[key] += 1
                assert HYPOTHETICAL.search(text), (path, text)
    # The game still offers both: it tells them as what-ifs, it does not hide them.
    assert all(seen.values()), seen


def test_the_debrief_says_there_is_no_public_evidence_of_either(model: Scenario) -> None:
    lines = [item.text if isinstance(item.text, str) else " ".join(a.text for a in item.text)
             for item in model.debrief]
    said = [line for line in lines if re.search(r"no public evidence", line, re.I)]
    assert said, lines
    assert any(re.search(r"Moscow|Russia", line) and re.search(r"energy compan", line)
               for line in said), said


# -- tone -------------------------------------------------------------------------------

def test_the_narrator_never_says_the_old_man(model: Scenario) -> None:
    for path, text in texts(model):
        assert not re.search(r"old man", unquoted(text), re.I), (path, text)


def test_the_old_man_is_heard_in_the_protesters_mouths(model: Scenario) -> None:
    quoted = [text for _, text in texts(model) if re.search(r'"[^"]*old man[^"]*"', text,
                                                            re.I)]
    assert quoted and all("Shal, ket!" in text for text in quoted)


def test_the_wests_personality_is_not_a_caricature(model: Scenario) -> None:
    west = next(r for r in model.roles if r.id == "west")
    assert "acts little" not in west.ai.personality
    assert "restraint" in west.ai.personality


# -- the debrief ------------------------------------------------------------------------

def debrief_cites(model: Scenario) -> set[str]:
    return {c for item in model.debrief for c in item.cites}


def test_the_debrief_gives_the_rights_groups_findings_beside_the_official_toll(
        model: Scenario) -> None:
    text = " ".join(item.text for item in model.debrief if isinstance(item.text, str))
    for must in ("Qandy Qantar", "238", "six", "Human Rights Watch", "amnesty",
                 "10,000", "ODIHR", "memorial", "color revolutions", "attempted coup",
                 "20,000", "Shal, ket!", "layer of wealthy people", "Mazhilis", "2021"):
        assert must in text, must
    by = {s.id: s.publisher for s in model.sources}
    publishers = {by[c] for c in debrief_cites(model)}
    assert "Human Rights Watch" in publishers
    assert any("ODIHR" in p for p in publishers)
    assert any("Radio Free Europe" in p for p in publishers)


def test_no_ending_calls_the_real_toll_smaller_than_feared(model: Scenario) -> None:
    for path, text in texts(model):
        assert "smaller than the worst fears" not in text, path
        assert "largely calm" not in text, path


# -- the timeline -----------------------------------------------------------------------

REAL_DATES = {
    "caps_lifted": "2022-01-01",
    "zhanaozen_protests": "2022-01-02",
    "price_caps_back": "2022-01-04",
    "security_council_taken": "2022-01-05",
    "terrorists_blamed": "2022-01-05",
    "csto_asked": "2022-01-05",
    "emergency_declared": "2022-01-05",
    "csto_agrees": "2022-01-06",
    "shoot_without_warning": "2022-01-07",
    "nazarbayev_backs_tokayev": "2022-01-08",
    "last_troops_leave": "2022-01-19",
}


def test_the_timeline_has_the_dates_the_sources_give(model: Scenario) -> None:
    steps = {step.id: step for step in model.timeline}
    for step_id, date in REAL_DATES.items():
        assert steps[step_id].date == dt.date.fromisoformat(date), step_id
    # The real order: caps, emergency and the 'terrorists' framing before the order to
    # shoot without warning, and the spokesman's backing after it.
    order = [s.id for s in sorted(model.timeline, key=lambda s: s.date)]
    assert order.index("terrorists_blamed") < order.index("shoot_without_warning")
    assert order.index("price_caps_back") < order.index("emergency_declared")


def test_every_timeline_step_cites_a_source_dated_no_earlier_than_it_needs(
        model: Scenario) -> None:
    """A step's sources may be published after it, never years before (the 2011 HRW
    report cannot record what happened in 2022)."""
    by = {s.id: s for s in model.sources}
    for step in model.timeline:
        for c in step.cites:
            date = by[c].date
            assert date is None or date >= step.date - dt.timedelta(days=1), (step.id, c)
