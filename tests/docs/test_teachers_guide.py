"""The Kazakhstan teacher's guide (docs/scenarios/kazakhstan-2022.md) names only what the
scenario has: every id in backticks in its appendix is a source, role, action, event,
rule, ending, indicator or flag of the scenario; its sources table lists every source
once; its endings table has a row for every ending, by title."""

from __future__ import annotations

import re
from pathlib import Path

from kazsim.scenario.load import load_file

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "scenarios" / "kazakhstan-2022.md"
SCENARIO = ROOT / "scenarios" / "kazakhstan-2022.yaml"


def _appendix() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    return text[text.index("## Appendix"):]


def _ids() -> set[str]:
    model = load_file(SCENARIO).model
    ids = {s.id for s in model.sources} | {r.id for r in model.roles}
    ids |= {a.id for r in model.roles for a in r.actions}
    ids |= {e.id for e in model.events} | {r.id for r in model.rules}
    ids |= {e.id for e in model.endings} | {i.id for i in model.indicators}
    ids |= {f.id for f in model.flags} | {o.id for o in model.offers}
    ids |= {d.id for d in model.drift} | {s.id for s in model.timeline}
    return ids


def test_every_id_the_appendix_names_is_in_the_scenario() -> None:
    named = set(re.findall(r"`([a-z][a-z0-9_]*)`", _appendix()))
    unknown = sorted(named - _ids())
    assert not unknown, f"the guide names what the scenario does not have: {unknown}"


def test_the_sources_table_lists_every_source_once() -> None:
    model = load_file(SCENARIO).model
    rows = re.findall(r"^\| `([a-z0-9_]+)` \|", _appendix(), flags=re.M)
    sources = [s.id for s in model.sources]
    assert sorted(rows) == sorted(sources), (set(sources) ^ set(rows))


def test_the_endings_table_has_every_ending() -> None:
    model = load_file(SCENARIO).model
    table = _appendix()
    missing = [e.title for e in model.endings if f"**{e.title}**" not in table]
    assert not missing, missing
