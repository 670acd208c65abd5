"""`kazsim check`: how often the AI's games follow the scenario's real timeline.

For each real step (`timeline:`, see `kazsim.engine.timeline`): the share of games
in which it happened, and the median difference in days from its real date among
those games. The counts are kept per game in `TimelineTally` (part of the play-test's
`kazsim.analysis.simulate.Tally`, merged in seed order like the rest, so the numbers do
not depend on `--jobs`), and added to the report in each of its formats by
`with_timeline`. A scenario without a timeline gets the report it always had.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kazsim.engine.timeline import compare

if TYPE_CHECKING:
    from kazsim.engine.game import Game
    from kazsim.scenario.compiled import CompiledScenario


@dataclass
class TimelineTally:
    """Per step id: games in which it happened, and how many had each day difference."""

    happened: dict[str, int] = field(default_factory=dict)
    days: dict[str, dict[int, int]] = field(default_factory=dict)

    def count(self, game: Game) -> None:
        scenario = game.scenario
        if not scenario.timeline:
            return
        for match in compare(scenario, game.states, game.records).steps:
            if match.days is None:
                continue
            step = match.step.id
            self.happened[step] = self.happened.get(step, 0) + 1
            by_day = self.days.setdefault(step, {})
            by_day[match.days] = by_day.get(match.days, 0) + 1

    def merge(self, other: TimelineTally) -> None:
        for step, n in other.happened.items():
            self.happened[step] = self.happened.get(step, 0) + n
        for step, by_day in other.days.items():
            mine = self.days.setdefault(step, {})
            for day, n in by_day.items():
                mine[day] = mine.get(day, 0) + n


def median(by_day: dict[int, int]) -> float | None:
    """The median of the day differences counted in `by_day` (None if there are none)."""
    values = sorted(by_day)
    total = sum(by_day.values())
    if not total:
        return None

    def nth(k: int) -> int:  # the k-th value (from 0) in sorted order
        for value in values:
            k -= by_day[value]
            if k < 0:
                return value
        return values[-1]

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


@dataclass(frozen=True)
class StepStat:
    id: str
    date: str  # YYYY-MM-DD
    text: str
    games: int  # games in which it happened
    share: float
    median_days: float | None


def stats(scenario: CompiledScenario, tally: TimelineTally, runs: int) -> list[StepStat]:
    out = []
    for step in scenario.timeline:
        games = tally.happened.get(step.id, 0)
        out.append(StepStat(step.id, step.date.isoformat(), " ".join(step.model.text.split()),
                            games, games / runs if runs else 0.0,
                            median(tally.days.get(step.id, {}))))
    return out


def _days(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:+g}" if value else "0"


def _pct(share: float) -> str:
    return f"{share * 100:.1f}%"


def text_section(rows: list[StepStat]) -> list[str]:
    out = ["", "The real timeline (share of games in which each real step happened; median "
           "difference in days from its real date, + later, - earlier)"]
    width = max(len(r.id) for r in rows)
    for r in rows:
        out.append(f"  {r.date}  {r.id.ljust(width)}  {_pct(r.share):>6}  "
                   f"{_days(r.median_days):>6}")
    return out


def markdown_section(rows: list[StepStat]) -> list[str]:
    out = ["", "## The real timeline", "",
           "Share of games in which each real step happened, and the median difference in "
           "days from its real date (+ later, - earlier) in those games.", "",
           "| date | step | games | share | median days |", "| --- | --- | ---: | ---: | ---: |"]
    for r in rows:
        text = r.text.replace("|", "\\|")
        out.append(f"| {r.date} | {r.id}: {text} | {r.games} | "
                   f"{_pct(r.share)} | {_days(r.median_days)} |")
    return out


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # as analysis.render


def with_timeline(report: str, form: str, scenario: CompiledScenario,
                  tally: TimelineTally, runs: int) -> str:
    """`report` (in `form`: text, markdown or json) with the timeline's section added."""
    if not scenario.timeline:
        return report
    rows = stats(scenario, tally, runs)
    if form == "json":
        data: dict[str, Any] = json.loads(report)
        data["timeline"] = {r.id: {"date": r.date, "games": r.games, "share": r.share,
                                   "median_days": r.median_days} for r in rows}
        text = json.dumps(data, indent=2, ensure_ascii=False)
        return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n"
    lines = markdown_section(rows) if form == "markdown" else text_section(rows)
    return report.rstrip("\n") + "\n" + "\n".join(lines) + "\n"
