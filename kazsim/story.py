"""Turn records told as plain text: the shared voice of the CLI, transcripts and TUI.

Pure functions from a scenario and records to strings. Nothing here depends on
the wall clock or the process, so the same game always reads the same. How
each kind of effect reads, and how values read (`fmt`, `signed`, re-exported
here), is said by the effects' home, `kazsim.scenario.effects`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from kazsim.engine.odds import DECISIVE, Odds, TurningPoint
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
    return "\n".join(out)


def cite(scenario: CompiledScenario, ids: Iterable[str]) -> str:
    wanted = set(ids)
    names = list(dict.fromkeys(s.publisher for s in scenario.model.sources if s.id in wanted))
    return f" [{'; '.join(names)}]" if names else ""


# --- what decided it (the odds of each ending: kazsim.engine.odds) -----------------------------

def percent(chance: float) -> str:
    """A chance as a whole percentage that never rounds to a certainty it is not: 0% and
    100% only when exact, otherwise '<1%', '>99%' or the rounded number."""
    if chance <= 0.0:
        return "0%"
    if chance >= 1.0:
        return "100%"
    if chance < 0.005:
        return "<1%"
    if chance >= 0.995:
        return ">99%"
    return f"{round(chance * 100)}%"


def ending_title(scenario: CompiledScenario, ending_id: str) -> str:
    return scenario.ending(ending_id).title


def odds_line(scenario: CompiledScenario, odds: Odds, played: int, top: int = 3) -> str:
    """The likeliest endings at one point, e.g. 'Bloodbath 41% · Deal 30% · others 29%'."""
    point = odds.points[played]
    ranked = sorted(range(len(odds.endings)), key=lambda i: (-point.counts[i], i))
    shown = [i for i in ranked[:top] if point.counts[i] > 0]
    parts = [f"{ending_title(scenario, odds.endings[i])} {percent(point.chance(i))}"
             for i in shown]
    rest = sum(point.chance(i) for i in ranked if i not in shown)
    if rest > 0:
        parts.append(f"others {percent(rest)}")
    return " · ".join(parts)


def _role_phrase(name: str) -> str:
    """A role's name inside a sentence ('The protestors' -> 'the protestors')."""
    return "t" + name[1:] if name.startswith("The ") else name


def _moved(point: TurningPoint) -> str:
    verb = "rose" if point.change > 0 else "fell"
    return f"{verb} from {percent(point.before)} to {percent(point.after)}"


def turning_point_text(scenario: CompiledScenario, point: TurningPoint,
                       record: TurnRecord) -> str:
    """One turning point in words: the turn, its date, the decision that moved the chance
    of the ending (`TurningPoint.decisive`), or every decision and event when none did."""
    when = f"{turn_date(scenario, point.turn)} (turn {point.turn})"
    chance = f"the chance of “{ending_title(scenario, point.ending)}”"
    role_id = point.decisive
    if role_id is not None:
        role = scenario.role(role_id)
        label = role.by_id[point.decisions[role_id]].model.label
        return (f"After {_role_phrase(role.model.name)} chose “{label}” on {when}, {chance} "
                f"{_moved(point)}; had it chosen otherwise, about "
                f"{percent(point.otherwise[role_id])}.")
    direction = "up" if point.change > 0 else "down"
    decisions = "; ".join(decision_lines(scenario, record))
    points = round(DECISIVE * 100)
    text = (f"On {when}, {chance} {_moved(point)}. The decisions: {decisions}. No single "
            f"side's decision pushed it {direction} by {points} percentage points or more")
    titles = [ev.model.title for ev in scenario.events if ev.id in record.events]
    if titles:
        text += f"; what happened: {', '.join(titles)}"
    return text + "."


NO_TURNING_POINTS = ("No turn changed the chance of this ending by more than the estimates "
                     "can tell apart from chance (two standard errors).")


def turning_point_lines(scenario: CompiledScenario, points: Iterable[TurningPoint],
                        records: Sequence[TurnRecord]) -> list[str]:
    """Every turning point in words, in turn order."""
    return [turning_point_text(scenario, p, records[p.turn - 1]) for p in points]
