"""Turn records told as plain text: the shared voice of the CLI, transcripts and TUI.

Pure functions from a scenario and records to strings. Nothing here depends on
the wall clock or the process, so the same game always reads the same. How
each kind of effect reads, and how values read (`fmt`, `signed`, re-exported
here), is said by the effects' home, `kazsim.scenario.effects`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping

from kazsim.engine.state import Contribution, TurnRecord
from kazsim.scenario.calendar import turn_moment
from kazsim.scenario.compiled import CompiledScenario
from kazsim.scenario.effects import fmt as fmt  # re-exported: how values read
from kazsim.scenario.effects import kind_of
from kazsim.scenario.effects import signed as signed
from kazsim.scenario.model import Flag, Indicator


def turn_date(scenario: CompiledScenario, turn: int) -> str:
    """The real date (and time of day where it matters) a turn stands for."""
    cal = scenario.model.calendar
    moment = turn_moment(cal, turn)
    if moment is None:  # the validator refuses such a calendar
        return "after 31 December 9999"
    if cal.turn_length in ("day", "half_day"):
        half = f", {'morning' if moment.hour < 12 else 'evening'}" * (cal.turn_length == "half_day")
        return f"{moment:%A} {moment.day} {moment:%B %Y}{half}"
    if cal.turn_length == "hour":
        return f"{moment:%A} {moment.day} {moment:%B %Y}, {moment:%H}:00"
    if cal.turn_length == "week":
        return f"week of {moment.day} {moment:%B %Y}"
    return moment.strftime("%B %Y")


def label_of(scenario: CompiledScenario, target: str) -> str:
    items: list[Indicator | Flag] = [*scenario.model.indicators, *scenario.model.flags]
    for item in items:
        if item.id == target:
            return item.label
    return target


def source_name(scenario: CompiledScenario, c: Contribution) -> str:
    """Who or what caused a contribution, in words."""
    if c.kind in ("action", "outcome") and c.role:
        role = scenario.role(c.role)
        action = role.by_id[c.source].model.label
        suffix = " (chance outcome)" if c.kind == "outcome" else ""
        return f"{role.model.name}: {action}{suffix}"
    if c.kind in ("rule", "rule_outcome"):
        rule = next(r for r in scenario.rules if r.id == c.source)
        return f"rule: {rule.model.text or rule.id}"
    event = next(e for e in scenario.events if e.id == c.source)
    return f"event: {event.model.title}"


def why_lines(scenario: CompiledScenario, record: TurnRecord, target: str) -> list[str]:
    """Each reason one indicator or flag changed this turn."""
    lines = []
    for c in record.why(target):
        lines.append(f"{kind_of(c.mode).tell(c.amount)}  {source_name(scenario, c)}")
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


def ending_story(scenario: CompiledScenario, ending_id: str, turn: int,
                 scores: Mapping[str, float]) -> str:
    ending = scenario.ending(ending_id)
    out = [f"══ Ending: {ending.title} (after turn {turn}) ══", ending.text.strip(), ""]
    for role in scenario.roles:
        result = ending.roles[role.id]
        out.append(f"  {role.model.name} — {result.result.upper()} (score {fmt(scores[role.id])})"
                   f": {result.text}")
    if ending.debrief:
        out += ["", "What really happened"]
        out += [f"  - {item.text.strip()}{cite(scenario, item.cites)}" for item in ending.debrief]
    if scenario.model.debrief:  # the whole scenario's, whatever the ending
        out += ["", SCENARIO_DEBRIEF]
        out += [f"  - {item.text.strip()}{cite(scenario, item.cites)}"
                for item in scenario.model.debrief]
    return "\n".join(out)


SCENARIO_DEBRIEF = "The real crisis"  # the heading of the scenario's own debrief, everywhere
OBJECTIVES = "What this scenario is meant to show"
QUESTIONS = "Questions to discuss"


def lesson_note(scenario: CompiledScenario) -> str:
    """'' for a whole game; for a lesson, how long it is against the whole scenario."""
    if scenario.turn_limit is None:
        return ""
    return (f"A lesson of {scenario.turn_limit} turn{'s' if scenario.turn_limit != 1 else ''}"
            f" (the whole scenario has {scenario.model.calendar.turns}).")


def _paragraphs(text: str, width: int, indent: str) -> list[str]:
    """Scenario text wrapped to `width`, its blank-line paragraphs kept."""
    out: list[str] = []
    for paragraph in text.strip().split("\n\n"):
        words = " ".join(paragraph.split())
        if words:
            if out:
                out.append("")
            out += textwrap.wrap(words, width, initial_indent=indent, subsequent_indent=indent,
                                 break_on_hyphens=False)
    return out


def _bullets(items: Iterable[str], width: int, *, numbered: bool = False) -> list[str]:
    out: list[str] = []
    for n, item in enumerate(items, 1):
        mark = f"{n}." if numbered else "-"
        out += textwrap.wrap(" ".join(item.split()), width, initial_indent=f"  {mark} ",
                             subsequent_indent=" " * (len(mark) + 3), break_on_hyphens=False)
    return out


def briefing_story(scenario: CompiledScenario, role_id: str, *, width: int = 78) -> str:
    """A role's briefing as the narrator reads it out: the situation, its goals and what
    only it knows (sources are left to the faces, which know the game's date)."""
    role = scenario.role(role_id).model
    out = [f"── Briefing: {role.name} ──", *_paragraphs(role.briefing, width, "")]
    if role.goals:
        out += ["Goals", *_bullets(role.goals, width)]
    if role.secret:
        out += ["Only this side knows", *_paragraphs(role.secret, width, "  ")]
    return "\n".join(out)


def lesson_story(scenario: CompiledScenario, *, width: int = 78) -> str:
    """The learning objectives and the discussion questions ('' when there are none)."""
    model = scenario.model
    out: list[str] = []
    if model.learning_objectives:
        out += [OBJECTIVES, *_bullets(model.learning_objectives, width)]
    if model.discussion_questions:
        if out:
            out.append("")
        out += [QUESTIONS, *_bullets(model.discussion_questions, width, numbered=True)]
    return "\n".join(out)


def cite(scenario: CompiledScenario, ids: Iterable[str]) -> str:
    wanted = set(ids)
    names = list(dict.fromkeys(s.publisher for s in scenario.model.sources if s.id in wanted))
    return f" [{'; '.join(names)}]" if names else ""
