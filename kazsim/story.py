"""Turn records told as plain text: the shared voice of the CLI, transcripts and TUI.

Pure functions from a scenario and records to strings. Nothing here depends on
the wall clock or the process, so the same game always reads the same. How
each kind of effect reads, and how values read (`fmt`, `signed`, re-exported
here), is said by the effects' home, `kazsim.scenario.effects`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kazsim.engine.state import Contribution, EndingText, TurnRecord
from kazsim.scenario.calendar import turn_date as calendar_date
from kazsim.scenario.compiled import CompiledScenario
from kazsim.scenario.effects import fmt as fmt  # re-exported: how values read
from kazsim.scenario.effects import kind_of
from kazsim.scenario.effects import signed as signed
from kazsim.scenario.model import Flag, Indicator


def turn_date(scenario: CompiledScenario, turn: int) -> str:
    """The real date (and time of day where it matters) a turn stands for."""
    return calendar_date(scenario.model.calendar, turn)


def label_of(scenario: CompiledScenario, target: str) -> str:
    items: list[Indicator | Flag] = [*scenario.model.indicators, *scenario.model.flags]
    for item in items:
        if item.id == target:
            return item.label
    return target


def source_name(scenario: CompiledScenario, c: Contribution,
                record: TurnRecord | None = None) -> str:
    """Who or what caused a contribution, in words (a rule by its news line as shown in
    `record`, the turn the contribution belongs to)."""
    if c.kind in ("action", "outcome") and c.role:
        role = scenario.role(c.role)
        action = role.by_id[c.source].model.label
        suffix = " (chance outcome)" if c.kind == "outcome" else ""
        return f"{role.model.name}: {action}{suffix}"
    if c.kind in ("rule", "rule_outcome"):
        rule = next(r for r in scenario.rules if r.id == c.source)
        shown = next((n.text for n in record.news if n.kind == "rule" and n.source == rule.id),
                     "") if record is not None else rule.text.default
        return f"rule: {shown or rule.id}"
    event = next(e for e in scenario.events if e.id == c.source)
    return f"event: {event.model.title}"


def why_lines(scenario: CompiledScenario, record: TurnRecord, target: str) -> list[str]:
    """Each reason one indicator or flag changed this turn."""
    lines = []
    for c in record.why(target):
        lines.append(f"{kind_of(c.mode).tell(c.amount)}  {source_name(scenario, c, record)}")
    change = next((ch for ch in record.changes if ch.target == target), None)
    if change is not None and change.clamped:
        lines.append("(held at the edge of its range)")
    return lines


def decision_lines(scenario: CompiledScenario, record: TurnRecord) -> list[str]:
    return [f"{scenario.role(r).model.name}: {scenario.role(r).by_id[a].model.label}"
            for r, a in record.decisions.items()]


def news_lines(record: TurnRecord) -> list[str]:
    lines = []
    for item in record.news:
        if item.kind == "event":
            lines.append(f"{item.title}. {item.text}".strip() if item.text else item.title)
        else:
            lines.append(item.text)
    return [line for line in lines if line]


def change_lines(scenario: CompiledScenario, record: TurnRecord,
                 viewer: str | None = None) -> list[str]:
    """Indicator changes a viewer may see (None = everything)."""
    rows = []
    width = max((len(label_of(scenario, c.target)) for c in record.changes), default=0)
    for change in record.changes:
        if not scenario.visible(change.target, viewer):
            continue
        label = label_of(scenario, change.target).ljust(width)
        if isinstance(change.after, bool):
            rows.append(f"{label}  {fmt(change.before)} → {fmt(change.after)}")
        else:
            delta = float(change.after) - float(change.before)
            rows.append(f"{label}  {fmt(change.before)} → {fmt(change.after)}  ({signed(delta)})")
    return rows


def turn_story(scenario: CompiledScenario, record: TurnRecord, *, viewer: str | None = None,
               why: bool = False) -> str:
    """One turn, as a short story: decisions, what happened, what changed."""
    out = [f"── Turn {record.turn} · {turn_date(scenario, record.turn)} ──", "Decisions"]
    out += [f"  {line}" for line in decision_lines(scenario, record)]
    out.append("What happened")
    out += [f"  • {line}" for line in news_lines(record)]
    changes = change_lines(scenario, record, viewer)
    if changes:
        out.append("Changes")
        for change, line in zip(
            [c for c in record.changes if scenario.visible(c.target, viewer)], changes,
            strict=True,
        ):
            out.append(f"  {line}")
            if why:
                out += [f"      {w}" for w in why_lines(scenario, record, change.target)]
    return "\n".join(out)


def ending_story(scenario: CompiledScenario, ended: EndingText, turn: int,
                 scores: Mapping[str, float]) -> str:
    """The ending reached, its texts as chosen (`Game.ending_text`, a record's `ended`)."""
    ending = scenario.ending(ended.ending)
    out = [f"══ Ending: {ending.title} (after turn {turn}) ══", ended.text.strip(), ""]
    for role in scenario.roles:
        result = ended.roles[role.id]
        out.append(f"  {role.model.name} — {result.result.upper()} (score {fmt(scores[role.id])})"
                   f": {result.text}")
    if ending.debrief:
        out += ["", "What really happened"]
        out += [f"  - {text.strip()}{cite(scenario, item.cites)}"
                for item, text in zip(ending.debrief, ended.debrief, strict=True)]
    return "\n".join(out)


def cite(scenario: CompiledScenario, ids: Iterable[str]) -> str:
    wanted = set(ids)
    names = list(dict.fromkeys(s.publisher for s in scenario.model.sources if s.id in wanted))
    return f" [{'; '.join(names)}]" if names else ""
