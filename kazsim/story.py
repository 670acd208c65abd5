"""Turn records told as plain text: the shared voice of the CLI, transcripts and TUI.

Pure functions from a scenario and records to strings. Nothing here depends on
the wall clock or the process, so the same game always reads the same. How
each kind of effect reads, and how values read (`fmt`, `signed`, re-exported
here), is said by the effects' home, `kazsim.scenario.effects`.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable, Mapping, Sequence

from kazsim.engine.odds import DECISIVE, Odds, TurningPoint
from kazsim.engine.state import Contribution, EndingText, GameState, Pending, TurnRecord
from kazsim.engine.timeline import Comparison, StepMatch, Unmatched, turn_day
from kazsim.scenario.calendar import turn_date as calendar_date
from kazsim.scenario.compiled import CAction, CompiledScenario
from kazsim.scenario.effects import fmt as fmt  # re-exported: how values read
from kazsim.scenario.effects import kind_of
from kazsim.scenario.effects import signed as signed
from kazsim.scenario.model import Flag, Indicator, Source


def turn_date(scenario: CompiledScenario, turn: int) -> str:
    """The real date (and time of day where it matters) a turn stands for."""
    return calendar_date(scenario.model.calendar, turn)


def label_of(scenario: CompiledScenario, target: str) -> str:
    items: list[Indicator | Flag] = [*scenario.model.indicators, *scenario.model.flags]
    for item in items:
        if item.id == target:
            return item.label
    return target


SECRET = "(secret)"  # the mark of a secret move's lines, wherever they are shown
KEPT_SECRET = "a move kept secret"  # a secret move as a cause, to those who do not see it


def _secret(scenario: CompiledScenario, role: str | None, action: str) -> CAction | None:
    """The action if it is a secret move (None for everything else)."""
    if role is None:
        return None
    found = scenario.role(role).by_id.get(action)
    return found if found is not None and found.seen_by is not None else None


def source_name(scenario: CompiledScenario, c: Contribution,
                record: TurnRecord | None = None, viewers: Iterable[str] = ()) -> str:
    """Who or what caused a contribution, in words (a rule by its news line as shown in
    `record`, the turn the contribution belongs to); a secret move the viewers (every one
    of them; none = the narrator) do not see is only 'a move kept secret'."""
    if c.kind in ("action", "outcome") and c.role:
        secret = _secret(scenario, c.role, c.source)
        if secret is not None and not secret.seen(viewers):
            return KEPT_SECRET
        role = scenario.role(c.role)
        action = role.by_id[c.source].model.label
        suffix = " (chance outcome)" if c.kind == "outcome" else ""
        return f"{role.model.name}: {action}{suffix}"
    if c.kind in ("rule", "rule_outcome"):
        rule = next(r for r in scenario.rules if r.id == c.source)
        shown = next((n.text for n in record.news if n.kind == "rule" and n.source == rule.id),
                     "") if record is not None else rule.text.default
        return f"rule: {shown or rule.id}"
    if c.kind == "refusal":
        offer = next(o for o in scenario.offers if o.id == c.source)
        return f"{scenario.role(offer.to).model.name} refused: {offer.model.label}"
    if c.kind == "drift":
        return next(d for d in scenario.drift if d.id == c.source).model.name
    event = next(e for e in scenario.events if e.id == c.source)
    return f"event: {event.model.title}"


def why_lines(scenario: CompiledScenario, record: TurnRecord, target: str,
              viewers: Iterable[str] = ()) -> list[str]:
    """Each reason one indicator or flag changed this turn, as the viewers may know it."""
    viewers = tuple(viewers)
    lines = []
    for c in record.why(target):
        lines.append(f"{kind_of(c.mode).tell(c.amount)}  "
                     f"{source_name(scenario, c, record, viewers)}")
    change = next((ch for ch in record.changes if ch.target == target), None)
    if change is not None and change.clamped:
        lines.append("(held at the edge of its range)")
    return lines


_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def turns_text(n: int) -> str:
    """'one turn', 'two turns', '12 turns'."""
    word = _WORDS[n] if 0 <= n < len(_WORDS) else str(n)
    return f"{word} turn{'s' if n != 1 else ''}"


def _seen(scenario: CompiledScenario, target: str, viewers: Iterable[str]) -> bool:
    return all(scenario.visible(target, v) for v in viewers)


def _grouped(parts: Iterable[Pending]) -> dict[tuple[object, ...], list[Pending]]:
    groups: dict[tuple[object, ...], list[Pending]] = {}
    for part in parts:
        groups.setdefault((part.kind, part.source, part.role, part.made), []).append(part)
    return groups


def _amounts(scenario: CompiledScenario, parts: list[Pending]) -> str:
    return ", ".join(f"{label_of(scenario, p.target)} {kind_of(p.mode).tell(p.amount)}"
                     for p in parts)


def landed_lines(scenario: CompiledScenario, record: TurnRecord,
                 viewers: Iterable[str] = ()) -> list[str]:
    """Delayed effects that took effect this turn, by source, as the viewers (every one
    of them; none = the narrator) may see their targets."""
    viewers = tuple(viewers)
    seen = [p for p in record.landed if _seen(scenario, p.target, viewers)]
    lines = []
    for parts in _grouped(seen).values():
        first = parts[0]
        ago = record.turn - first.made
        when = "last turn" if ago == 1 else f"{turns_text(ago)} ago"
        source = source_name(scenario, Contribution(first.target, first.mode, first.amount,
                                                    first.kind, first.source, first.role),
                             viewers=viewers)
        lines.append(f"Taking effect now, from {when} ({source}): {_amounts(scenario, parts)}")
    return lines


def upcoming_lines(scenario: CompiledScenario, state: GameState,
                   viewers: Iterable[str] = ()) -> list[str]:
    """Delayed effects still to land, soonest first (then in the order made), by turn and
    source, as the viewers may see their targets."""
    viewers = tuple(viewers)
    seen = sorted((p for p in state.pending if _seen(scenario, p.target, viewers)),
                  key=lambda p: p.due)
    groups: dict[tuple[object, ...], list[Pending]] = {}
    for part in seen:
        groups.setdefault((part.due, part.kind, part.source, part.role, part.made),
                          []).append(part)
    lines = []
    for parts in groups.values():
        first = parts[0]
        source = source_name(scenario, Contribution(first.target, first.mode, first.amount,
                                                    first.kind, first.source, first.role),
                             viewers=viewers)
        lines.append(f"Turn {first.due} ({turn_date(scenario, first.due)}): "
                     f"{_amounts(scenario, parts)} — {source}, turn {first.made}")
    return lines


def decision_lines(scenario: CompiledScenario, record: TurnRecord,
                   viewers: Iterable[str] = ()) -> list[str]:
    """Each role's decision, as the viewers (every one of them; none = the narrator) may
    see it: a secret move only to those who see it, marked '(secret)'."""
    viewers = tuple(viewers)
    lines = []
    for r, a in record.decisions.items():
        secret = _secret(scenario, r, a)
        if secret is not None and not secret.seen(viewers):
            continue
        mark = f" {SECRET}" if secret is not None else ""
        lines.append(f"{scenario.role(r).model.name}: {scenario.role(r).by_id[a].model.label}"
                     f"{mark}")
    return lines


def revealed_lines(scenario: CompiledScenario, record: TurnRecord) -> list[str]:
    """Earlier secret moves revealed this turn, to everyone."""
    return [f"Revealed: {scenario.role(s.role).model.name} chose "
            f"{scenario.role(s.role).by_id[s.action].model.label} on turn {s.turn}"
            f" ({turn_date(scenario, s.turn)})" for s in record.revealed]


STILL = "Still"  # the line that names the events told in the same words the turn before


def repeated_events(record: TurnRecord, before: TurnRecord | None) -> set[int]:
    """The positions in `record.news` of the events that say again, word for word, what
    they said on the turn `before` (a repeating event such as a curfew's daily toll),
    leaving out those with a chance outcome this turn (that is news)."""
    if before is None or before.turn != record.turn - 1:
        return set()
    told = {(item.source, item.text) for item in before.news if item.kind == "event"}
    with_outcome = {item.source for item in record.news if item.kind == "event_outcome"}
    return {n for n, item in enumerate(record.news)
            if item.kind == "event" and (item.source, item.text) in told
            and item.source not in with_outcome}


def news_lines(record: TurnRecord, scenario: CompiledScenario | None = None,
               viewers: Iterable[str] = (), before: TurnRecord | None = None) -> list[str]:
    """The turn's news lines. Given the scenario: first the secret moves revealed this
    turn, and a secret move's lines only to the viewers who see it (every one of them;
    none = the narrator), marked '(secret)'. Given the turn `before`, an event that says
    again what it said then is not told again: its title joins one last line, 'Still:
    Curfew; Life without the internet.' (its effects are in the changes and the why).
    An event whose text alternative chosen this turn is empty is not told at all (an
    event with one plain text, even empty, is told by its title)."""
    viewers = tuple(viewers)
    lines = revealed_lines(scenario, record) if scenario is not None else []
    repeated = repeated_events(record, before)
    # An event whose text is alternatives tells nothing when the one chosen is empty.
    quiet = {e.id for e in scenario.events if not isinstance(e.model.text, str)} \
        if scenario is not None else set()
    still: list[str] = []
    for n, item in enumerate(record.news):
        secret = _secret(scenario, item.role, item.source) if (
            scenario is not None and item.kind in ("action", "outcome")) else None
        if secret is not None and not secret.seen(viewers):
            continue
        if item.kind == "event" and not item.text and item.source in quiet:
            continue
        if n in repeated:
            still.append(item.title.strip().rstrip(".") or item.source)
            continue
        if item.kind == "event":
            stop = "" if item.title.rstrip()[-1:] in (".", "?", "!") else "."
            line = f"{item.title}{stop} {item.text}".strip() if item.text else item.title
        else:
            line = item.text
        if line and secret is not None:
            line = f"{line} {SECRET}"
        lines.append(line)
    if still:
        lines.append(f"{STILL}: {'; '.join(still)}.")
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
               why: bool = False, after: GameState | None = None,
               before: TurnRecord | None = None) -> str:
    """One turn, as a short story: decisions, what happened, what changed, and (given
    the state `after` it) the delayed effects still to come; as `viewer` sees it (None:
    the narrator, who sees every secret move, marked '(secret)'). Given the turn
    `before`, events told in the same words then are only named (`news_lines`)."""
    viewers = () if viewer is None else (viewer,)
    out = [f"── Turn {record.turn} · {turn_date(scenario, record.turn)} ──", "Decisions"]
    out += [f"  {line}" for line in decision_lines(scenario, record, viewers)]
    out.append("What happened")
    out += [f"  • {line}" for line in news_lines(record, scenario, viewers, before)]
    out += [f"  • {line}" for line in landed_lines(scenario, record, viewers)]
    changes = change_lines(scenario, record, viewer)
    if changes:
        out.append("Changes")
        for change, line in zip(
            [c for c in record.changes if scenario.visible(c.target, viewer)], changes,
            strict=True,
        ):
            out.append(f"  {line}")
            if why:
                out += [f"      {w}" for w in why_lines(scenario, record, change.target,
                                                        viewers)]
    coming = upcoming_lines(scenario, after, viewers) if after is not None else []
    if coming:
        out.append("Coming")
        out += [f"  {line}" for line in coming]
    return "\n".join(out)


def ending_story(scenario: CompiledScenario, ended: EndingText, turn: int,
                 scores: Mapping[str, float], leaders: Mapping[str, str] | None = None) -> str:
    """The ending reached, its texts as chosen (`Game.ending_text`, a record's `ended`);
    `leaders`: who led each role at the end (`engine.game.leader`), when known."""
    ending = scenario.ending(ended.ending)
    out = [f"══ Ending: {ending.title} (after turn {turn}) ══", ended.text.strip(), ""]
    for role in scenario.roles:
        result = ended.roles[role.id]
        name = named(role.model.name, (leaders or {}).get(role.id, ""))
        if ending.scores:
            out.append(f"  {name} — {result.result.upper()} (score {fmt(scores[role.id])})"
                       f": {result.text}")
        else:  # an ending of mass killing: no result or score beside it
            out.append(f"  {name}: {result.text}")
    if ending.debrief:
        out += ["", "What really happened"]
        out += [f"  - {text.strip()}{cite(scenario, item.cites)}"
                for item, text in zip(ending.debrief, ended.debrief, strict=True)]
    if scenario.model.debrief:  # the whole scenario's, whatever the ending
        out += ["", SCENARIO_DEBRIEF]
        out += [f"  - {text.strip()}{cite(scenario, item.cites)}"
                for item, text in zip(scenario.model.debrief, ended.scenario_debrief,
                                      strict=True)]
    return "\n".join(out)


SCENARIO_DEBRIEF = "The real crisis"  # the heading of the scenario's own debrief, everywhere
OBJECTIVES = "What this scenario is meant to show"
QUESTIONS = "Questions to discuss"


def a_lesson(turns: int) -> str:
    """'a 6-turn lesson', 'an 8-turn lesson', 'an 11-turn lesson', 'an 18-turn lesson'."""
    spoken = str(turns)
    vowel = spoken.startswith("8") or spoken in ("11", "18") or (
        len(spoken) == 5 and spoken[:2] in ("11", "18"))  # eleven or eighteen thousand
    return f"{'an' if vowel else 'a'} {turns}-turn lesson"


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


def named(name: str, leader: str) -> str:
    """A role as its player sees it named: with who leads it now, when the scenario
    says (`engine.game.leader`)."""
    return f"{name} — {leader}" if leader else name


def briefing_story(scenario: CompiledScenario, role_id: str, situation: str,
                   goals: list[str], *, leader: str = "", width: int = 78) -> str:
    """A role's briefing as the narrator reads it out: the situation and its goals, as
    chosen now (`engine.game.briefing`), with who leads it now (`engine.game.leader`),
    and what only it knows (sources are left to the faces, which know the game's date)."""
    role = scenario.role(role_id).model
    out = [f"── Briefing: {named(role.name, leader)} ──", *_paragraphs(situation, width, "")]
    if goals:
        out += ["Goals", *_bullets(goals, width)]
    if role.secret:
        out += ["Only this side knows", *_paragraphs(role.secret, width, "  ")]
    return "\n".join(out)


CONTENT_WARNING = "Before you play"


def warning_story(scenario: CompiledScenario, *, width: int = 78) -> str:
    """The scenario's content warning, said once before a game starts ('' without one)."""
    warning = scenario.reference.content_warning
    if not warning:
        return ""
    return "\n".join([f"── {CONTENT_WARNING} ──", *_paragraphs(warning, width, "")])


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


# --- the real timeline beside the game (kazsim.engine.timeline) ----------------------------


def day_text(day: dt.date) -> str:
    """A real date as the timeline tells it: 5 January 2022."""
    return f"{day.day} {day:%B %Y}"


def _days(n: int) -> str:
    return f"{n} day{'s' * (n != 1)}"


def step_verdict(match: StepMatch, *, finished: bool = True,
                 last_day: dt.date | None = None) -> str:
    """When a real step happened in this game, against its real date (`finished`
    False: the game goes on, so a step not yet matched may still come; `last_day`: the
    real day of the last turn played, after which a step could not yet have come)."""
    if match.turn is None or match.date is None or match.days is None:
        if last_day is not None and match.step.date > last_day:
            if finished:
                return f"After your game ended (its last day was {day_text(last_day)})."
            return f"Later than your game so far (it has reached {day_text(last_day)})."
        return "Not in your game." if finished else "Not in your game so far."
    if match.turn == 0:
        return "Already so when your game began."
    when = f"In your game: {day_text(match.date)} (turn {match.turn})"
    if match.days == 0:
        return f"{when}, the same day as in reality."
    side = "later" if match.days > 0 else "earlier"
    return f"{when}, {_days(abs(match.days))} {side} than in reality."


def step_heading(match: StepMatch) -> str:
    """A real step: its date and what happened."""
    return f"{day_text(match.step.date)}: {' '.join(match.step.model.text.split())}"


def unmatched_line(scenario: CompiledScenario, item: Unmatched) -> str:
    """A decision of the players' that no real step stands for, and when it was made."""
    role = scenario.role(item.role)
    label = role.by_id[item.action].model.label
    days = [turn_day(scenario, t) for t in item.turns]
    times = "once" if len(days) == 1 else f"{len(days)} times"
    shown = ", ".join(day_text(d) for d in days[:4]) + (", …" if len(days) > 4 else "")
    return f"{role.model.name}: {label} — {times} ({shown})"


def timeline_summary(comparison: Comparison) -> str:
    """How many real steps happened in the game; the ones dated after its last turn
    (a lesson stopped early, a game that ended early) are counted apart."""
    matched = sum(1 for m in comparison.steps if m.turn is not None)
    last = comparison.last_day
    later = sum(1 for m in comparison.steps
                if m.turn is None and last is not None and m.step.date > last)
    within = len(comparison.steps) - later
    out = f"{matched} of {within} real step{'s' * (within != 1)}"
    if later and last is not None:
        out += (f" up to {day_text(last)} happened in your game; {later} more came after "
                "that day in reality.")
    else:
        out += " happened in your game."
    return out


def timeline_story(scenario: CompiledScenario, comparison: Comparison, *,
                   finished: bool = True) -> str:
    """Your crisis against the real one, as plain text (the end of `play --auto`)."""
    out = ["══ Your crisis and the real one ══", timeline_summary(comparison)]
    for match in comparison.steps:
        out += [f"  - {step_heading(match)}{cite(scenario, match.step.model.cites)}",
                f"    {step_verdict(match, finished=finished, last_day=comparison.last_day)}"]
    out += ["", "Decisions with no real counterpart"]
    out += [f"  - {unmatched_line(scenario, u)}" for u in comparison.unmatched] or ["  (none)"]
    return "\n".join(out)


def known_sources(scenario: CompiledScenario, turn: int,
                  ids: Iterable[str] | None = None) -> list[Source]:
    """The sources a player may see on `turn` (of `ids`, or all): those with no date or
    dated on or before the turn's day, so that no list in the game gives away what
    happens later (the debrief lists them all)."""
    today = turn_day(scenario, turn)
    wanted = None if ids is None else set(ids)
    return [s for s in scenario.model.sources
            if (wanted is None or s.id in wanted) and (s.date is None or s.date <= today)]


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
