"""The story screens' text: a turn's resolution, an indicator's why, a briefing.

Pure functions from a `TurnView` (and records) to renderables, built on
`kazsim.story`, so the resolution screen and the replay viewer tell a turn
the same way and show only what the viewers may see.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from kazsim.engine.game import briefing
from kazsim.engine.state import TurnRecord
from kazsim.scenario.calendar import turn_span
from kazsim.scenario.model import Flag, Indicator
from kazsim.story import (
    decision_lines,
    fmt,
    known_sources,
    label_of,
    landed_lines,
    news_lines,
    why_lines,
)
from kazsim.tui.doc import Doc
from kazsim.tui.text import judgement, trend
from kazsim.tui.view import TurnView

JUDGEMENT_STYLE = {"better": "green", "worse": "red", "": ""}


def high_is(view: TurnView, target: str) -> str:
    for ind in view.scenario.model.indicators:
        if ind.id == target:
            return ind.high_is
    return "neutral"


def change_text(view: TurnView, target: str, before: object, after: object,
                width: int = 0) -> Text:
    """"Strike size  20 → 34  ▲ +14" (and "worse"/"better" where it is either)."""
    text = Text(f"{label_of(view.scenario, target).ljust(width)}  ", "bold")
    text.append(f"{fmt(before)} → {fmt(after)}")
    if not isinstance(after, bool) and not isinstance(before, bool):
        delta = float(after) - float(before)  # type: ignore[arg-type]
        text.append(f"  {trend(delta)}")
        verdict = judgement(delta, high_is(view, target))
        if verdict:
            text.append(f" {verdict}", JUDGEMENT_STYLE[verdict])
    return text


def shown(before: object, after: object) -> bool:
    """Whether a change shows at the precision players read (0.04 reads as 0)."""
    return fmt(before) != fmt(after)


def turn_doc(view: TurnView, record: TurnRecord, *, why: bool, doc: Doc | None = None) -> Doc:
    """One resolved turn: decisions, what happened, and each visible change (with why)."""
    return changes_doc(view, record, why=why, doc=story_doc(view, record, doc=doc))


def story_doc(view: TurnView, record: TurnRecord, *, doc: Doc | None = None) -> Doc:
    """One resolved turn's decisions and what happened."""
    doc = doc or Doc()
    doc.heading("Decisions")
    for line in decision_lines(view.scenario, record, view.viewers):
        doc.para(line, indent=2)
    doc.heading("What happened")
    lines = (news_lines(record, view.scenario, view.viewers, view.record_before(record))
             + landed_lines(view.scenario, record, view.viewers))
    for line in lines:
        doc.bullet(line)
    if not lines:
        doc.para("(nothing else)", indent=2, style="italic")
    return doc


def changes_doc(view: TurnView, record: TurnRecord, *, why: bool,
                doc: Doc | None = None) -> Doc:
    """Each change of the turn the viewers may see, with its reasons when `why`."""
    doc = doc or Doc()
    changes = [c for c in record.changes if view.may_see(c.target) and shown(c.before, c.after)]
    doc.heading("Changes" + ("" if why or not changes else "   (w: why)"))
    width = min(30, max((len(label_of(view.scenario, c.target)) for c in changes), default=0))
    for change in changes:
        doc.para(change_text(view, change.target, change.before, change.after, width),
                 indent=2)
        if why:
            for reason in why_lines(view.scenario, record, change.target, view.viewers):
                doc.bullet(reason, indent=4, mark="·", style="italic")
    if not changes:
        doc.para("Nothing you can see changed.", indent=2, style="italic")
    return doc


def turn_text(view: TurnView, record: TurnRecord, *, why: bool) -> Group:
    return turn_doc(view, record, why=why).render()


def story_text(view: TurnView, record: TurnRecord) -> Group:
    return story_doc(view, record).render()


def changes_text(view: TurnView, record: TurnRecord, *, why: bool) -> Group:
    return changes_doc(view, record, why=why).render()


def about_text(view: TurnView, target: str) -> Group:
    """What an indicator or flag measures, which way is good, and who can see it."""
    scenario = view.scenario
    items: list[Indicator | Flag] = [*scenario.model.indicators, *scenario.model.flags]
    model = next((i for i in items if i.id == target), None)
    doc = Doc()
    if model is None:
        return doc.render()
    if model.description:
        doc.para(model.description)
    kind = getattr(model, "high_is", None)
    if kind in ("good", "bad"):
        doc.para(f"A high value is {kind} news.", style="italic")
    if model.visible_to != "all":
        names = ", ".join(view.role_name(r) for r in model.visible_to)
        doc.para(f"Only these sides can see it: {names}.", style="italic")
    return doc.render()


def why_text(view: TurnView, target: str) -> Group:
    """Where an indicator or flag started, then every turn's change and its reasons."""
    doc = Doc().para(Text(f"At the start: {fmt(view.states[0].values[target])}", "bold"))
    changed = False
    for record in view.records:
        change = next((c for c in record.changes if c.target == target), None)
        if change is None:
            continue
        changed = True
        doc.para(Text(f"Turn {record.turn} ({view.date(record.turn)}): "
                      f"{fmt(change.before)} → {fmt(change.after)}", "bold"))
        for reason in why_lines(view.scenario, record, target, view.viewers):
            doc.bullet(reason, indent=2, mark="·")
    if not changed:
        doc.para("It has not changed yet.", style="italic")
    return doc.render()


def briefing_text(view: TurnView, role_id: str) -> Group:
    """What a role knows at the start: situation, goals, secret, actions, sources."""
    scenario = view.scenario
    role = scenario.role(role_id).model
    calendar = scenario.model.calendar
    doc = Doc()
    lesson = (f" (a lesson; the whole scenario has {calendar.turns})"
              if scenario.turn_limit is not None else "")
    doc.para(Text(f"{scenario.model.title} · {scenario.last_turn} turns{lesson}, each "
                  f"{turn_span(calendar)}, from {view.date(1)}", "italic"))
    situation, goals = briefing(scenario, view.state, role_id)  # as shown now
    doc.heading("The situation").para(situation)
    if goals:
        doc.heading("Your goals")
        for goal in goals:
            doc.bullet(goal)
    if role.secret:
        doc.heading("Only you know").para(role.secret)
    doc.heading("Your actions")
    for action in role.actions:
        text = Text(action.label, "bold")
        if action.description:
            text.append(": " + " ".join(action.description.split()))
        doc.bullet(text)
    cited = set(role.cites) | {c for a in role.actions for c in a.cites}
    # Only sources dated on or before today in the game: later ones would tell the
    # future (the debrief lists them all).
    sources = (known_sources(scenario, view.turn, cited)
               or known_sources(scenario, view.turn))
    doc.heading("Sources")
    for source in sources:
        date = f", {source.date.day} {source.date:%B %Y}" if source.date else ""
        text = Text(f"{source.title} — {source.publisher}{date}")
        if source.link:
            text.append(f"\n{source.link}", "dim")
        doc.bullet(text)
    later = len(scenario.model.sources) - len(known_sources(scenario, view.turn))
    if later:
        doc.para(f"{later} source{'s' * (later > 1)} published after {view.date()} "
                 f"{'are' if later > 1 else 'is'} listed in the debrief, after the game.",
                 indent=2, style="italic")
    return doc.render()
