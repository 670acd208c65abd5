"""What a play-test found: a tally of games turned into facts and warnings.

`Findings` is plain data (everything the three report formats show), built
once from a `Tally` and the scenario (with the exploit finder's strategies
and a variant's comparison, when they were played). The warning thresholds
live here, and every report states them.
"""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from kazsim.analysis import alternatives
from kazsim.analysis.compare import Comparison
from kazsim.analysis.exploits import MARGIN as EXPLOIT_MARGIN
from kazsim.analysis.exploits import Exploit, Strategy
from kazsim.analysis.reads import read_ids
from kazsim.analysis.simulate import Tally
from kazsim.analysis.whynot import WhyNot, explain_all
from kazsim.scenario.compiled import CompiledScenario
from kazsim.story import turn_date

DOMINANT_SHARE = 0.60  # an ending reached in more than this share of games dominates
RARE_SHARE = 0.02  # content seen in fewer than this share of games (but some) is rare (--rare)
BOUND_SHARE = 0.50  # an indicator at its min or max in more than this share of turns
SINGLE_CHOICE_SHARE = 0.20  # a seat with one choice on more than this share of its turns
#                             has nothing to decide (--single-choice)
HABIT_SHARE = 0.97  # an action taken at one early turn in at least this share of the games
#                     in which the role had a choice then is a habit
NO_EXPLOITS = "--no-exploits"  # `exploits_skipped` when the user asked to skip them
HABIT_MIN_GAMES = 20  # ... counted only at a turn where the role had a choice in this many
#                       games, and in at least half of the games that played that turn


@dataclass(frozen=True)
class EndingStat:
    id: str
    title: str
    count: int
    share: float
    mean_turns: float | None  # average length of the games that ended this way


@dataclass(frozen=True)
class ActionStat:
    role: str
    id: str
    label: str
    chosen: int
    share: float  # of the role's decisions
    games: float  # share of games in which it was chosen at least once
    ever_available: bool
    chosen_games: int = 0  # games in which it was chosen at least once
    available_games: int = 0  # games in which it was available at least once
    available_turns: int = 0  # turns at which it was available


@dataclass(frozen=True)
class FiredStat:
    """A rule or event: how many turns it applied, and in how many games."""

    id: str
    title: str
    times: int
    games: int


@dataclass(frozen=True)
class TurnRange:
    turn: int  # 0 = the start; t = after turn t
    games: int  # games still going at that point
    low: float
    mean: float
    high: float


@dataclass(frozen=True)
class IndicatorStat:
    id: str
    label: str
    min: float
    max: float
    start: float
    moved: bool
    read: bool  # some condition, score, weight, chance or amount reads it
    at_min: float  # share of turn ends at the lower bound
    at_max: float
    turns: tuple[TurnRange, ...]


@dataclass(frozen=True)
class FlagStat:
    id: str
    label: str
    start: bool
    changed: bool
    read: bool
    on_at_end: float  # share of games where it is on when the game ends


@dataclass(frozen=True)
class RoleStat:
    id: str
    name: str
    mean_score: float
    min_score: float
    max_score: float
    wins: int
    draws: int
    losses: int


@dataclass(frozen=True)
class SeatStat:
    """How many actions a role could choose from before each turn it played."""

    id: str
    name: str
    turns: int
    median: float
    fewest: int
    most: int
    single: float  # share of its turns with a single choice


@dataclass(frozen=True)
class Habit:
    """An action the AI takes at one early turn in nearly every game."""

    role: str
    id: str
    label: str
    turn: int
    date: str  # the real date the turn stands for
    share: float  # of the games in which the role had a choice at that turn
    games: int  # those games


@dataclass(frozen=True)
class ExploitSearch:
    """The exploit finder's samples (None in `Findings` when it was not run)."""

    repeat_runs: int
    look_ahead_runs: int
    strategies: tuple[Strategy, ...]
    exploits: tuple[Exploit, ...]


@dataclass(frozen=True)
class Finding:
    """One warning: what kind (for JSON), and a sentence that says what to look at."""

    kind: str
    subject: str
    message: str


@dataclass(frozen=True)
class Findings:
    scenario_id: str
    title: str
    version: str
    content_hash: str
    runs: int
    first_seed: int
    level: str
    last_turn: int
    mean_turns: float
    full_length: int  # games that lasted to the last turn
    endings: tuple[EndingStat, ...]
    actions: tuple[ActionStat, ...]
    rules: tuple[FiredStat, ...]
    events: tuple[FiredStat, ...]
    indicators: tuple[IndicatorStat, ...]
    flags: tuple[FlagStat, ...]
    roles: tuple[RoleStat, ...]
    warnings: tuple[Finding, ...] = field(default=())
    name: str = ""  # how the scenario was named on the command line (default: its id)
    look_ahead: str | None = None  # a role played by the look-ahead AI (--look-ahead)
    texts: tuple[alternatives.TextStat, ...] = ()  # texts written as alternatives
    rare: float = RARE_SHARE
    single_choice: float = SINGLE_CHOICE_SHARE
    seats: tuple[SeatStat, ...] = ()
    habits: tuple[Habit, ...] = ()
    why_not: tuple[WhyNot, ...] = ()
    uncited: tuple[str, ...] = ()  # sources nothing cites
    exploit_search: ExploitSearch | None = None
    exploits_skipped: str = ""  # why the exploit finder did not run, if it did not
    comparison: Comparison | None = None
    against: str = ""  # --against, as given

    @property
    def thresholds(self) -> dict[str, float]:
        return {"dominant_ending_share": DOMINANT_SHARE, "rare_share": self.rare,
                "rare_ending_share": self.rare,
                "indicator_at_bound_share": BOUND_SHARE,
                "single_choice_share": self.single_choice, "habit_share": HABIT_SHARE,
                "habit_min_games": HABIT_MIN_GAMES, "habit_last_turn": early_turns(self.last_turn),
                "exploit_margin": EXPLOIT_MARGIN}

    def why(self, role: str, action: str) -> WhyNot | None:
        return next((w for w in self.why_not if w.role == role and w.id == action), None)


def early_turns(last_turn: int) -> int:
    """The last turn that counts as early for a habit: the first third of the calendar
    (at least turn 2)."""
    return max(2, last_turn // 3)


def cited(model: Any) -> Iterator[str]:
    """Every source id cited anywhere in the scenario's data."""
    if isinstance(model, list | tuple):
        for item in model:
            yield from cited(item)
    elif dataclasses.is_dataclass(model) and not isinstance(model, type):
        for f in dataclasses.fields(model):
            value = getattr(model, f.name)
            if f.name == "cites" and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            elif isinstance(value, list | tuple) or dataclasses.is_dataclass(value):
                yield from cited(value)
    elif isinstance(model, dict):
        for value in model.values():
            yield from cited(value)


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def build(scenario: CompiledScenario, tally: Tally, first_seed: int, level: str,
          name: str = "", look_ahead: str | None = None, *, rare: float = RARE_SHARE,
          single_choice: float = SINGLE_CHOICE_SHARE,
          exploit_search: ExploitSearch | None = None, exploits_skipped: str = "",
          comparison: Comparison | None = None, against: str = "") -> Findings:
    """Everything the report shows, from the totals of `tally.runs` games.

    `name` is how the scenario was given to `kazsim check` (shown in the command
    that reproduces the report); its id by default. The actions rarely or never
    chosen are explained (`whynot`) when the easy AI played every role.
    """
    runs = tally.runs
    model = scenario.model
    endings = tuple(
        EndingStat(e.id, e.title, tally.endings[e.id], _ratio(tally.endings[e.id], runs),
                   _ratio(tally.ending_turns[e.id], tally.endings[e.id])
                   if tally.endings[e.id] else None)
        for e in model.endings
        if e.at_last_turn or not e.interrupted)  # a lesson's own ending ends no whole game
    decisions = tally.turns  # each role decides once per turn played
    actions = tuple(
        ActionStat(role.id, a.id, a.model.label, tally.chosen[f"{role.id}.{a.id}"],
                   _ratio(tally.chosen[f"{role.id}.{a.id}"], decisions),
                   _ratio(tally.chosen_games[f"{role.id}.{a.id}"], runs),
                   f"{role.id}.{a.id}" in tally.available,
                   tally.chosen_games[f"{role.id}.{a.id}"],
                   tally.available_games[f"{role.id}.{a.id}"],
                   tally.available_turns[f"{role.id}.{a.id}"])
        for role in scenario.roles for a in role.actions)
    rules = tuple(FiredStat(r.id, r.text.default or r.id, tally.rules[r.id], tally.rule_games[r.id])
                  for r in scenario.rules)
    events = tuple(FiredStat(e.id, e.model.title, tally.events[e.id], tally.event_games[e.id])
                   for e in scenario.events)
    observed = sum(tally.alive[1:])  # turn ends, all games together
    read = read_ids(scenario)
    indicators = []
    for ind in model.indicators:
        low, high, total = tally.low[ind.id], tally.high[ind.id], tally.total[ind.id]
        turns = tuple(TurnRange(t, n, low[t], total[t] / n, high[t])
                      for t, n in enumerate(tally.alive) if n)
        moved = any(r.low != ind.start or r.high != ind.start for r in turns)
        indicators.append(IndicatorStat(
            ind.id, ind.label, float(ind.min), float(ind.max), float(ind.start), moved,
            ind.id in read,
            _ratio(tally.at_min[ind.id], observed), _ratio(tally.at_max[ind.id], observed),
            turns))
    flags = []
    for flag in model.flags:
        on = tally.flag_on[flag.id]
        changed = any(n != (tally.alive[t] if flag.start else 0) for t, n in enumerate(on))
        flags.append(FlagStat(flag.id, flag.label, flag.start, changed, flag.id in read,
                              _ratio(tally.flag_final[flag.id], runs)))
    roles = []
    for role in scenario.roles:
        results = {w: tally.results[f"{role.id}.{w}"] for w in alternatives.RESULTS}
        roles.append(RoleStat(role.id, role.model.name, _ratio(tally.scores[role.id], runs),
                              tally.score_min[role.id] if runs else 0.0,
                              tally.score_max[role.id] if runs else 0.0,
                              results["win"], results["draw"], results["loss"]))
    seats = []
    for role in scenario.roles:
        counts = tally.choices[role.id]
        seat_turns = sum(counts.values())
        values = sorted(counts)
        seats.append(SeatStat(
            role.id, role.model.name, seat_turns,
            float(statistics.median([n for n in values for _ in range(counts[n])]))
            if seat_turns else 0.0,
            values[0] if values else 0, values[-1] if values else 0,
            _ratio(counts.get(1, 0), seat_turns)))
    habits = []
    last_early = early_turns(scenario.last_turn)
    for role in scenario.roles:
        opened = tally.open_at[role.id]
        for a in role.actions:
            chosen_at = tally.chosen_at[f"{role.id}.{a.id}"]
            for t in range(1, min(last_early, scenario.last_turn) + 1):
                games = opened[t - 1]
                if (games >= HABIT_MIN_GAMES and 2 * games >= tally.alive[t - 1]
                        and chosen_at[t - 1] >= HABIT_SHARE * games):
                    habits.append(Habit(role.id, a.id, a.model.label, t,
                                        turn_date(scenario, t), chosen_at[t - 1] / games,
                                        games))
                    break
    rare_keys = [f"{a.role}.{a.id}" for a in actions
                 if a.ever_available and a.chosen_games < rare * runs]
    never_keys = [f"{a.role}.{a.id}" for a in actions if not a.ever_available]
    why_not: tuple[WhyNot, ...] = ()
    if level == "easy" and look_ahead is None and runs:
        why_not = tuple(explain_all(scenario, tally, rare_keys + never_keys))
    citations = set(cited(model))
    uncited = tuple(src.id for src in model.sources if src.id not in citations)
    findings = Findings(
        scenario_id=model.id, title=model.title, version=model.version,
        content_hash=scenario.content_hash, runs=runs, first_seed=first_seed, level=level,
        last_turn=scenario.last_turn, mean_turns=_ratio(tally.turns, runs),
        full_length=tally.alive[scenario.last_turn] if runs else 0,
        endings=endings, actions=actions, rules=rules, events=events,
        indicators=tuple(indicators), flags=tuple(flags), roles=tuple(roles),
        name=name or model.id, look_ahead=look_ahead, rare=rare, single_choice=single_choice,
        seats=tuple(seats), habits=tuple(habits), why_not=why_not, uncited=uncited,
        exploit_search=exploit_search, exploits_skipped=exploits_skipped,
        comparison=comparison, against=against,
        texts=alternatives.stats(scenario, tally.shown))
    return replace(findings, warnings=tuple(warnings(findings)))


def _games(n: int) -> str:
    return f"{n:,} game{'' if n == 1 else 's'}"


def warnings(f: Findings) -> list[Finding]:
    """Unreachable, rare and unused content, dominating outcomes, seats with nothing to
    decide, habits, exploits and uncited sources, each with what to look at."""
    out: list[Finding] = []
    if not f.runs:
        return out

    def add(kind: str, subject: str, message: str) -> None:
        out.append(Finding(kind, subject, message))

    rare = f.rare
    for e in f.endings:
        if e.count == 0:
            add("ending_unreached", e.id, f"ending '{e.id}' was never reached: compare its "
                "'when' with the indicator ranges by turn below")
        elif e.share > DOMINANT_SHARE:
            add("ending_dominant", e.id, f"ending '{e.id}' ends {e.share:.1%} of games (more "
                f"than {DOMINANT_SHARE:.0%}): the choices may matter too little; make the "
                "other endings easier to reach, or this one harder")
        elif e.share < rare:
            add("ending_rare", e.id, f"ending '{e.id}' ends only {e.share:.1%} of games "
                f"(fewer than {rare:.0%}): if it should happen more often, loosen its "
                "'when'")
    for seat in f.seats:
        if seat.single > f.single_choice:
            add("seat_single_choice", seat.id, f"role '{seat.id}' has a single action to "
                f"choose from on {seat.single:.1%} of its turns (more than "
                f"{f.single_choice:.0%}; a median of {seat.median:g} "
                f"choice{'' if seat.median == 1 else 's'} a turn): a "
                "player in this seat has nothing to decide then; give it an alternative "
                "that is available at those turns")
    for a in f.actions:
        subject = f"{a.role}.{a.id}"
        why = f.why(a.role, a.id)
        name = f"action '{a.id}' of '{a.role}'"
        advice = " Raise its ai.weight, or make it pay off in the role's score."
        if not a.ever_available:
            add("action_never_available", subject, f"{name} " + (
                why.message if why is not None else
                "was never available: its 'available' condition never held."))
        elif a.chosen == 0:
            add("action_never_chosen", subject, f"{name} " + (
                why.message if why is not None else
                "was available but the AI never chose it." + advice))
        elif a.games < rare:
            add("action_rare", subject, f"{name} is chosen in only {a.games:.1%} of games "
                f"(fewer than {rare:.0%}); it " + (
                    why.message if why is not None else
                    f"is available in {a.available_games:,} of them." + advice))
    for habit in f.habits:
        add("ai_habit", f"{habit.role}.{habit.id}", f"the AI of '{habit.role}' chooses "
            f"'{habit.id}' at turn {habit.turn} ({habit.date}) in {habit.share:.1%} of the "
            f"{_games(habit.games)} where it had another choice then (at least "
            f"{HABIT_SHARE:.0%}): the games all go the same way there; if the choice should "
            "be open, make the alternatives weigh more at that turn (an ai.weight that reads "
            "'turn'), or this one less")
    for r in f.rules:
        if r.times == 0:
            add("rule_never_matched", r.id, f"rule '{r.id}' never applied: its 'when' never "
                "held (are the actions it names ever chosen on the same turn?)")
        elif r.games < rare * f.runs:
            add("rule_rare", r.id, f"rule '{r.id}' applied in only {_games(r.games)} of "
                f"{f.runs:,} ({r.games / f.runs:.1%}, fewer than {rare:.0%}): if it should "
                "matter, loosen its 'when'")
    for ev in f.events:
        if ev.times == 0:
            add("event_never_fired", ev.id, f"event '{ev.id}' never fired: its 'turn' or 'when' "
                "never held when it was due, or its chance never came up")
        elif ev.games < rare * f.runs:
            add("event_rare", ev.id, f"event '{ev.id}' fired in only {_games(ev.games)} of "
                f"{f.runs:,} ({ev.games / f.runs:.1%}, fewer than {rare:.0%}): if it should "
                "happen more often, loosen its 'when' or raise its 'chance'")
    out += [Finding(*w) for w in alternatives.warnings(f.texts)]
    for i in f.indicators:
        if not i.moved:
            add("indicator_never_moves", i.id, f"indicator '{i.id}' never moved from its "
                f"start ({i.start:g}): no effect on it ever happened")
        if not i.read:
            add("indicator_never_read", i.id, f"indicator '{i.id}' is never read: no "
                "condition, score, AI weight, chance or amount uses it, so it cannot change "
                "how a game goes")
        for share, where, bound in ((i.at_min, "minimum", i.min), (i.at_max, "maximum", i.max)):
            if share > BOUND_SHARE and i.moved:
                add("indicator_at_bound", i.id, f"indicator '{i.id}' is at its {where} "
                    f"({bound:g}) in {share:.1%} of turns (more than {BOUND_SHARE:.0%}): if "
                    "that is not intended, its effects are too large for its range, or what "
                    "moves it away happens too rarely")
    for flag in f.flags:
        if not flag.changed:
            add("flag_never_changes", flag.id, f"flag '{flag.id}' never changed from "
                f"{'true' if flag.start else 'false'}: nothing that sets it ever happened")
        if not flag.read:
            add("flag_never_read", flag.id, f"flag '{flag.id}' is never read: no condition "
                "uses it, so it cannot change how a game goes")
    for role in f.roles:
        if role.wins == 0:
            add("role_never_wins", role.id, f"role '{role.id}' never won: no ending in which "
                "it wins was reached (ignore this if it is meant to be so)")
    if f.exploit_search is not None:
        for x in f.exploit_search.exploits:
            s = x.strategy
            add("exploit", f"{s.role}.{s.action}" if s.action else s.role,
                f"role '{s.role}' {x.measure} in {x.share:.0%} of {_games(s.runs)} when it "
                f"{s.label} (against {x.ordinary:.0%} with its ordinary AI; the difference's "
                f"95% interval is {x.low:.0%} to {x.high:.0%}), mostly with ending "
                f"'{s.ending}' after {s.mean_turns:.1f} turns on average: a player can do "
                "this on purpose; ask whether that ending should count so well for it, or "
                "what should stop it")
    for source in f.uncited:
        add("source_uncited", source, f"source '{source}' is cited by nothing: cite it "
            "where it backs a fact ('cites: [" + source + "]'), or remove it")
    return out
