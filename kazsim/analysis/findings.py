"""What a play-test found: a tally of games turned into facts and warnings.

`Findings` is plain data (everything the three report formats show), built
once from a `Tally` and the scenario. The warning thresholds live here, and
every report states them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from kazsim.analysis.reads import read_ids
from kazsim.analysis.simulate import Tally
from kazsim.scenario.compiled import CompiledScenario

DOMINANT_SHARE = 0.60  # an ending reached in more than this share of games dominates
RARE_SHARE = 0.02  # an ending reached in fewer than this share of games (but some) is rare
BOUND_SHARE = 0.50  # an indicator at its min or max in more than this share of turns


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

    @property
    def thresholds(self) -> dict[str, float]:
        return {"dominant_ending_share": DOMINANT_SHARE, "rare_ending_share": RARE_SHARE,
                "indicator_at_bound_share": BOUND_SHARE}


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def build(scenario: CompiledScenario, tally: Tally, first_seed: int, level: str,
          name: str = "", look_ahead: str | None = None) -> Findings:
    """Everything the report shows, from the totals of `tally.runs` games.

    `name` is how the scenario was given to `kazsim check` (shown in the command
    that reproduces the report); its id by default.
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
                   f"{role.id}.{a.id}" in tally.available)
        for role in scenario.roles for a in role.actions)
    rules = tuple(FiredStat(r.id, r.model.text or r.id, tally.rules[r.id], tally.rule_games[r.id])
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
        results = {"win": 0, "draw": 0, "loss": 0}
        for e in model.endings:
            results[e.roles[role.id].result] += tally.endings[e.id]
        roles.append(RoleStat(role.id, role.model.name, _ratio(tally.scores[role.id], runs),
                              tally.score_min[role.id] if runs else 0.0,
                              tally.score_max[role.id] if runs else 0.0,
                              results["win"], results["draw"], results["loss"]))
    findings = Findings(
        scenario_id=model.id, title=model.title, version=model.version,
        content_hash=scenario.content_hash, runs=runs, first_seed=first_seed, level=level,
        last_turn=scenario.last_turn, mean_turns=_ratio(tally.turns, runs),
        full_length=tally.alive[scenario.last_turn] if runs else 0,
        endings=endings, actions=actions, rules=rules, events=events,
        indicators=tuple(indicators), flags=tuple(flags), roles=tuple(roles),
        name=name or model.id, look_ahead=look_ahead)
    return replace(findings, warnings=tuple(warnings(findings)))


def warnings(f: Findings) -> list[Finding]:
    """Unreachable content and dominating or rare outcomes, each with what to look at."""
    out: list[Finding] = []
    if not f.runs:
        return out

    def add(kind: str, subject: str, message: str) -> None:
        out.append(Finding(kind, subject, message))

    for e in f.endings:
        if e.count == 0:
            add("ending_unreached", e.id, f"ending '{e.id}' was never reached: compare its "
                "'when' with the indicator ranges by turn below")
        elif e.share > DOMINANT_SHARE:
            add("ending_dominant", e.id, f"ending '{e.id}' ends {e.share:.1%} of games (more "
                f"than {DOMINANT_SHARE:.0%}): the choices may matter too little; make the "
                "other endings easier to reach, or this one harder")
        elif e.share < RARE_SHARE:
            add("ending_rare", e.id, f"ending '{e.id}' ends only {e.share:.1%} of games "
                f"(fewer than {RARE_SHARE:.0%}): if it should happen more often, loosen its "
                "'when'")
    for a in f.actions:
        subject = f"{a.role}.{a.id}"
        if not a.ever_available:
            add("action_never_available", subject, f"action '{a.id}' of '{a.role}' was never "
                "available: its 'available' condition never held")
        elif a.chosen == 0:
            add("action_never_chosen", subject, f"action '{a.id}' of '{a.role}' was available "
                "but the AI never chose it: raise its ai.weight, or make it pay off in the "
                "role's score")
    for r in f.rules:
        if r.times == 0:
            add("rule_never_matched", r.id, f"rule '{r.id}' never applied: its 'when' never "
                "held (are the actions it names ever chosen on the same turn?)")
    for ev in f.events:
        if ev.times == 0:
            add("event_never_fired", ev.id, f"event '{ev.id}' never fired: its 'turn' or 'when' "
                "never held when it was due, or its chance never came up")
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
    return out
