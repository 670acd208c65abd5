"""`kazsim report`: a class's games side by side, as a standalone HTML page or Markdown.

The games come in as `ClassGame`s (an engine `Game` replayed from a class file or a
save, with who played each side); reading those files is the classroom's job
(`kazsim.classroom.gather`: this floor reads neither saves nor class files). For each
scenario (and lesson length) the report tells:

* how the games ended, beside the shares of `kazsim check` on the same scenario
  (`CHECK_RUNS` games with the easy AI in every role, seeds 0, 1, 2... unless told
  otherwise), as bars;
* the scores and results of every side in every game;
* the decisions most often taken, per role;
* each game against the real timeline (`kazsim.engine.timeline.compare`), as a grid
  of real steps by game, when the scenario has a timeline;
* each game's turning points (`kazsim.batch.odds.what_decided`, with `ODDS_RUNS`
  continuations from each point: fewer than the debrief's, and the page says so).

Everything is deterministic (no clock, no path made absolute): the same games give
the same bytes. Every text from a file (names, labels, paths, the scenario's own
words) is escaped for its form: control characters shown as escapes
(`kazsim.untrusted.printable_line`), then HTML-escaped on the page, or
backslash-escaped in Markdown. The page needs nothing from the network: its style is
inline, its charts are CSS bars, it has no script, and its Content-Security-Policy
forbids loading anything.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kazsim import __version__
from kazsim.analysis.timeline_report import TimelineTally
from kazsim.analysis.timeline_report import stats as timeline_stats
from kazsim.engine import Game, play_ai_game
from kazsim.engine.timeline import Comparison, StepMatch, compare
from kazsim.scenario.compiled import CompiledScenario
from kazsim.story import day_text, percent, turning_point_lines
from kazsim.untrusted import printable_line

CHECK_RUNS = 200  # games for the `kazsim check` shares beside the class's
ODDS_RUNS = 40  # continuations from each point for the turning points (the debrief: 200)
TOP_DECISIONS = 5  # decisions shown per role


@dataclass(frozen=True)
class ClassGame:
    """One game of the class: where it came from and the engine's game, replayed."""

    label: str  # "table 3", or the save's name
    source: str  # the file it was read from, as given
    game: Game
    players: dict[str, str]  # role -> "Aigerim", "a person", "AI (easy)"
    note: str = ""  # e.g. "stopped by the host after turn 5 (no ending)"


# --- what the report says ---------------------------------------------------------------------

@dataclass(frozen=True)
class EndingRow:
    id: str
    title: str
    games: int
    share: float  # of the finished games
    check: float | None  # the share in `kazsim check`'s games


@dataclass(frozen=True)
class DecisionRow:
    label: str
    times: int
    share: float  # of the role's decisions
    games: int  # games in which it was chosen at least once


@dataclass(frozen=True)
class GameRow:
    label: str
    source: str
    ending: str  # its title, or "in progress after turn N"
    turns: int
    results: list[tuple[str, str, str, float]]  # (role name, played by, result, score)
    comparison: Comparison | None
    turning: list[str]
    note: str


@dataclass
class Group:
    """The games of one scenario (one exact file) and lesson length."""

    scenario: CompiledScenario
    games: list[ClassGame] = field(default_factory=list)
    endings: list[EndingRow] = field(default_factory=list)
    unfinished: int = 0
    decisions: list[tuple[str, list[DecisionRow]]] = field(default_factory=list)
    rows: list[GameRow] = field(default_factory=list)
    check_runs: int = 0
    # Per real step: the share of check's games in which it happened (`timeline_report`).
    check_steps: dict[str, float] = field(default_factory=dict)

    @property
    def title(self) -> str:
        model = self.scenario.model
        lesson = (f", a lesson of {self.scenario.turn_limit} turns"
                  if self.scenario.turn_limit is not None else "")
        return f"{model.title} (version {model.version}{lesson})"


@dataclass
class Report:
    groups: list[Group]
    problems: list[str]  # files left out, and why
    check_runs: int
    odds_runs: int
    files: int  # files read


def build(games: Sequence[ClassGame], problems: Sequence[str] = (), *,
          check_runs: int = CHECK_RUNS, odds_runs: int = ODDS_RUNS, files: int = 0,
          progress: Callable[[str], None] | None = None) -> Report:
    """The report's numbers and words for `games` (in the order given)."""
    groups: dict[tuple[str, int | None], Group] = {}
    for item in games:
        scenario = item.game.scenario
        key = (scenario.content_hash, scenario.turn_limit)
        groups.setdefault(key, Group(scenario)).games.append(item)
    for group in groups.values():
        _fill(group, check_runs, odds_runs, progress)
    return Report(list(groups.values()), list(problems), check_runs, odds_runs, files)


def _fill(group: Group, check_runs: int, odds_runs: int,
          progress: Callable[[str], None] | None) -> None:
    scenario = group.scenario
    finished = [g for g in group.games if g.game.over]
    group.unfinished = len(group.games) - len(finished)
    shares: dict[str, float] = {}
    if check_runs > 0:
        if progress is not None:
            progress(f"playing {check_runs} games of '{scenario.id}' for check's shares")
        shares, steps = check_games(scenario, check_runs)
        group.check_runs = check_runs
        group.check_steps = {r.id: r.share for r in timeline_stats(scenario, steps, check_runs)}
    counts: dict[str, int] = {}
    for g in finished:
        reached = g.game.state.ending
        assert reached is not None
        counts[reached] = counts.get(reached, 0) + 1
    for ending in scenario.model.endings:
        n = counts.get(ending.id, 0)
        check = shares.get(ending.id) if check_runs > 0 else None
        if n or (check or 0) > 0:
            group.endings.append(EndingRow(ending.id, ending.title, n,
                                           n / len(finished) if finished else 0.0, check))
    for role in scenario.roles:
        times: dict[str, int] = {}
        games: dict[str, int] = {}
        total = 0
        for g in group.games:
            chosen = [r.decisions[role.id] for r in g.game.records]
            total += len(chosen)
            for action in chosen:
                times[action] = times.get(action, 0) + 1
            for action in set(chosen):
                games[action] = games.get(action, 0) + 1
        order = {a.id: i for i, a in enumerate(role.actions)}
        ranked = sorted(times, key=lambda a: (-times[a], order.get(a, len(order))))
        group.decisions.append((role.model.name, [
            DecisionRow(role.by_id[a].model.label if a in role.by_id else a, times[a],
                        times[a] / total if total else 0.0, games[a])
            for a in ranked[:TOP_DECISIONS]]))
    for n, g in enumerate(group.games, 1):
        if progress is not None and odds_runs > 0:
            progress(f"turning points of {g.label} ({n} of {len(group.games)})")
        group.rows.append(_game_row(scenario, g, odds_runs))


def check_games(scenario: CompiledScenario,
                runs: int) -> tuple[dict[str, float], TimelineTally]:
    """Each ending's share in `runs` games with the easy AI in every role, seeds 0, 1, 2...
    (the games `kazsim check SCENARIO --runs N` plays, `simulate.tally_games`; for a
    lesson, the same games stopped after its last turn), and their real steps counted as
    `kazsim check` counts them."""
    counts: dict[str, int] = {}
    steps = TimelineTally()
    for seed in range(runs):
        game = play_ai_game(scenario, seed, turns=scenario.turn_limit)
        ending = game.state.ending
        assert ending is not None  # every game is played to an ending
        counts[ending] = counts.get(ending, 0) + 1
        steps.count(game)
    return {e: n / runs for e, n in counts.items()}, steps


def check_shares(scenario: CompiledScenario, runs: int) -> dict[str, float]:
    """Each ending's share in check's games (`check_games`)."""
    return check_games(scenario, runs)[0]


def _game_row(scenario: CompiledScenario, item: ClassGame, odds_runs: int) -> GameRow:
    game = item.game
    played = len(game.records)
    if game.over and game.state.ending is not None:
        ending = scenario.ending(game.state.ending).title
        results = [(scenario.role(o.role).model.name, item.players.get(o.role, ""),
                    o.result.result, o.score) for o in game.outcomes()]
    else:
        ending = f"in progress after turn {played}" if played else "not started"
        results = [(scenario.role(r).model.name, item.players.get(r, ""), "—", game.score(r))
                   for r in scenario.role_ids]
    comparison = compare(game.scenario, game.states, game.records) if scenario.timeline \
        else None
    turning: list[str] = []
    if odds_runs > 0 and played:
        from kazsim.batch.odds import what_decided as batch_decided  # numpy only here

        decided = batch_decided(game, runs=odds_runs)  # the reference's numbers, faster
        turning = turning_point_lines(game.scenario, decided.turning_points, game.records)
    return GameRow(item.label, item.source, ending, played, results, comparison, turning,
                   item.note)


# --- small words ------------------------------------------------------------------------------

def _pct(share: float) -> str:
    """A share as a whole percentage that never shows 0% or 100% unless it is one."""
    return percent(share)


def _score(value: float) -> str:
    return f"{value:.1f}"


def step_cell(match: StepMatch, comparison: Comparison) -> tuple[str, str]:
    """A real step in one game, in a few words, and its kind (for the page's colours):
    same, later, earlier, start, never, after."""
    if match.turn is None or match.days is None:
        last = comparison.last_day
        if last is not None and match.step.date > last:
            return "after the game's end", "after"
        return "not in this game", "never"
    if match.turn == 0:
        return "so from the start", "start"
    if match.days == 0:
        return f"turn {match.turn}, same day", "same"
    n = abs(match.days)
    side = "later" if match.days > 0 else "earlier"
    return f"turn {match.turn}, {n} day{'s' * (n != 1)} {side}", side


# --- Markdown ---------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~!{}])")


def md(text: str) -> str:
    """Text from a file, safe in Markdown: controls escaped, markup characters too."""
    return _MD_SPECIAL.sub(r"\\\1", printable_line(" ".join(str(text).split())))


def markdown(report: Report) -> str:
    out = ["# Class report", "", _summary(report, md), ""]
    for group in report.groups:
        out += _md_group(report, group)
    if report.problems:
        out += ["## Files left out", ""]
        out += [f"- {md(p)}" for p in report.problems]
        out.append("")
    out += ["---", "", md(_made_by(report)), ""]
    return "\n".join(out)


def _summary(report: Report, esc: Callable[[str], str]) -> str:
    n = sum(len(g.games) for g in report.groups)
    files = f" from {report.files} file{'s' * (report.files != 1)}" if report.files else ""
    left = (f"; {len(report.problems)} left out (see the end)" if report.problems else "")
    return esc(f"{n} game{'s' * (n != 1)}{files}{left}.")


def _made_by(report: Report) -> str:
    check = (f"the shares of kazsim check are from {report.check_runs} games with the easy "
             f"AI in every role (seeds 0 to {report.check_runs - 1}, as "
             f"'kazsim check SCENARIO --runs {report.check_runs}' plays them; for a lesson, "
             "the same games stopped after its last turn)"
             if report.check_runs > 0 else "without kazsim check's shares (--runs 0)")
    odds = (f"turning points from {report.odds_runs} continuations with the easy AI from "
            "each point of each game (the debrief uses 200: these are rougher)"
            if report.odds_runs > 0 else "without turning points (--odds-runs 0)")
    return f"Made by kazsim {__version__}: {check}; {odds}."


def _md_group(report: Report, group: Group) -> list[str]:
    out = [f"## {md(group.title)}", ""]
    finished = len(group.games) - group.unfinished
    out += ["### How the games ended", ""]
    head = f"{finished} finished game{'s' * (finished != 1)}"
    if group.unfinished:
        head += f" and {group.unfinished} not finished"
    out += [md(head + "."), ""]
    if group.endings:
        check = f" | kazsim check ({group.check_runs} games)" if group.check_runs else ""
        out += [f"| ending | this class{check} |",
                "| --- | ---: |" + (" ---: |" if group.check_runs else "")]
        for e in group.endings:
            cell = f"{e.games} ({_pct(e.share)})" if finished else "0"
            extra = f" | {_pct(e.check)}" if e.check is not None else ""
            out.append(f"| {md(e.title)} | {cell}{extra} |")
        out.append("")
    out += ["### Scores", ""]
    names = [name for name, _ in group.decisions]
    out += ["| game | ending | " + " | ".join(md(n) for n in names) + " |",
            "| --- | --- |" + " --- |" * len(names)]
    for row in group.rows:
        cells = [f"{md(r[2])} {_score(r[3])}" + (f" ({md(r[1])})" if r[1] else "")
                 for r in row.results]
        out.append(f"| {md(row.label)} | {md(row.ending)} | " + " | ".join(cells) + " |")
    out += ["", "### Decisions most often taken", ""]
    for name, rows in group.decisions:
        out.append(f"**{md(name)}**")
        out.append("")
        if not rows:
            out += ["- no turn played", ""]
            continue
        out += [f"- {md(r.label)}: {r.times} time{'s' * (r.times != 1)} ({_pct(r.share)} of "
                f"its decisions), in {r.games} game{'s' * (r.games != 1)}" for r in rows]
        out.append("")
    if group.scenario.timeline:
        out += _md_timeline(group)
    out += ["### Each game", ""]
    for row in group.rows:
        out += [f"#### {md(row.label)}", "",
                md(f"{row.source}: {row.ending}, {row.turns} turn"
                   f"{'s' * (row.turns != 1)} played.") + (f" {md(row.note)}" if row.note else ""),
                ""]
        if report.odds_runs > 0:
            out += ["Turning points:", ""]
            out += [f"- {md(t)}" for t in row.turning] or ["- none that the estimates can "
                                                           "tell apart from chance"]
            out.append("")
    return out


def _step_share(group: Group, index: int) -> str:
    """In how many of the class's games a real step happened."""
    happened = sum(1 for r in group.rows if r.comparison is not None
                   and r.comparison.steps[index].turn is not None)
    return f"{happened} of {len(group.rows)}"


_TIMELINE_NOTE = ("When each real step happened in each game (the turn, and how many days "
                  "earlier or later than in reality); in how many of the class's games it "
                  "happened, and in what share of kazsim check's.")


def _md_timeline(group: Group) -> list[str]:
    out = ["### Against the real timeline", "", md(_TIMELINE_NOTE), ""]
    check = " kazsim check |" if group.check_runs else ""
    out += ["| real date | what happened | " + " | ".join(md(r.label) for r in group.rows)
            + f" | this class |{check}",
            "| --- | --- |" + " --- |" * len(group.rows) + " ---: |"
            + (" ---: |" if check else "")]
    for i, step in enumerate(group.scenario.timeline):
        cells = []
        for row in group.rows:
            assert row.comparison is not None
            cells.append(md(step_cell(row.comparison.steps[i], row.comparison)[0]))
        cells.append(_step_share(group, i))
        if check:
            cells.append(percent(group.check_steps.get(step.id, 0.0)))
        out.append(f"| {md(day_text(step.date))} | {md(step.model.text)} | "
                   + " | ".join(cells) + " |")
    out.append("")
    return out


# --- HTML -------------------------------------------------------------------------------------

def h(text: str) -> str:
    """Text from a file, safe in HTML: controls escaped, then every markup character."""
    return html.escape(printable_line(" ".join(str(text).split())), quote=True)


_STYLE = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa;
  --class: #2f6fb3; --check: #b7c3cf; --same: #1a7f37; --near: #8fbf5a; --far: #d4a72c;
  --never: #cf222e; --after: #8c959f; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); margin: 0; background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 22px; margin: 36px 0 8px; padding-bottom: 6px;
  border-bottom: 2px solid var(--line); }
h3 { font-size: 17px; margin: 26px 0 8px; }
h4 { font-size: 15px; margin: 18px 0 4px; }
p.lead, p.muted, .muted { color: var(--muted); }
table { border-collapse: collapse; margin: 6px 0 12px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 10px; text-align: left;
  vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
table.scores td, table.scores th { min-width: 96px; }
table.scores td:nth-child(2) { min-width: 150px; }
table.timeline td:nth-child(2) { min-width: 280px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.scroll { overflow-x: auto; }
table.bars { width: 100%; max-width: 860px; table-layout: fixed; }
.bars td { border: none; padding: 3px 8px; }
.bars td.name { width: 38%; }
.roles { display: grid; grid-template-columns: repeat(auto-fill, minmax(430px, 1fr));
  gap: 4px 24px; }
.roles .bars td.name { width: 55%; }
.role h4 { margin-top: 10px; }
.bar { display: flex; align-items: center; gap: 8px; }
.bar .track { flex: 1; height: 12px; background: #eef1f4; border-radius: 3px;
  min-width: 120px; }
.bar .fill { height: 12px; border-radius: 3px; }
.bar .class { background: var(--class); }
.bar .check { background: var(--check); }
.bar .value { width: 64px; text-align: right; font-variant-numeric: tabular-nums; }
.legend { display: flex; gap: 18px; color: var(--muted); font-size: 13px; margin: 4px 0; }
.key { display: inline-block; width: 12px; height: 12px; border-radius: 2px;
  vertical-align: -1px; margin-right: 5px; }
.win { color: var(--same); font-weight: 600; }
.loss { color: var(--never); font-weight: 600; }
.draw { color: var(--far); font-weight: 600; }
.cell { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 13px;
  white-space: nowrap; }
.k-same { background: #dafbe1; color: #116329; }
.k-later, .k-earlier { background: #fff8c5; color: #7d4e00; }
.k-start { background: #ddf4ff; color: #0a3069; }
.k-never { background: #ffebe9; color: #a40e26; }
.k-after { background: var(--soft); color: var(--muted); }
.game { border: 1px solid var(--line); border-radius: 8px; padding: 6px 16px 10px;
  margin: 12px 0; }
.game ul { margin: 4px 0; padding-left: 20px; }
.problems li { color: #a40e26; }
footer { margin-top: 40px; color: var(--muted); font-size: 13px;
  border-top: 1px solid var(--line); padding-top: 10px; }
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'"


def page(report: Report) -> str:
    """The report as one HTML page: no script, nothing loaded from anywhere."""
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           "<title>Class report</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
           "<main>", "<h1>Class report</h1>", f'<p class="lead">{_summary(report, h)}</p>']
    for group in report.groups:
        out += _html_group(report, group)
    if report.problems:
        out += ["<h2>Files left out</h2>", '<ul class="problems">']
        out += [f"<li>{h(p)}</li>" for p in report.problems]
        out.append("</ul>")
    out += [f"<footer>{h(_made_by(report))}</footer>", "</main>", "</body>", "</html>", ""]
    return "\n".join(out)


def _bar(share: float, kind: str) -> str:
    width = max(0.0, min(100.0, share * 100))
    return (f'<div class="bar"><div class="track"><div class="fill {kind}" '
            f'style="width:{width:.1f}%"></div></div><span class="value">{_pct(share)}'
            "</span></div>")


def _result(result: str) -> str:
    kind = result if result in ("win", "loss", "draw") else "muted"
    return f'<span class="{kind}">{h(result)}</span>'


def _html_group(report: Report, group: Group) -> list[str]:
    out = [f"<h2>{h(group.title)}</h2>", "<h3>How the games ended</h3>"]
    finished = len(group.games) - group.unfinished
    head = f"{finished} finished game{'s' * (finished != 1)}"
    if group.unfinished:
        head += f" and {group.unfinished} not finished"
    out.append(f'<p class="muted">{h(head)}.</p>')
    if group.endings:
        legend = ['<div class="legend"><span><span class="key" '
                  'style="background:var(--class)"></span>this class</span>']
        if group.check_runs:
            stop = (f", stopped after turn {group.scenario.turn_limit}"
                    if group.scenario.turn_limit is not None else "")
            legend.append('<span><span class="key" style="background:var(--check)"></span>'
                          f"kazsim check, {group.check_runs} games with the AI{stop}</span>")
        out.append("".join(legend) + "</div>")
        out.append('<table class="bars">')
        for e in group.endings:
            count = f"{e.games} game{'s' * (e.games != 1)}"
            check = (_bar(e.check, "check") if e.check is not None else "")
            out.append(f'<tr><td class="name">{h(e.title)}<br><span class="muted">{count}'
                       f"</span></td><td>{_bar(e.share, 'class')}{check}</td></tr>")
        out.append("</table>")
    out += ["<h3>Scores</h3>", '<div class="scroll"><table class="scores">', "<tr><th>game</th>"
            "<th>ending</th>" + "".join(f"<th>{h(n)}</th>" for n, _ in group.decisions)
            + "</tr>"]
    for row in group.rows:
        cells = "".join(
            f'<td>{_result(r[2])} <span class="num">{_score(r[3])}</span>'
            + (f'<br><span class="muted">{h(r[1])}</span>' if r[1] else "") + "</td>"
            for r in row.results)
        out.append(f"<tr><td>{h(row.label)}</td><td>{h(row.ending)}</td>{cells}</tr>")
    out += ["</table></div>", "<h3>Decisions most often taken</h3>", '<div class="roles">']
    for name, rows in group.decisions:
        out.append(f'<div class="role"><h4>{h(name)}</h4>')
        if not rows:
            out.append('<p class="muted">No turn played.</p></div>')
            continue
        out.append('<table class="bars">')
        for r in rows:
            games = f"{r.times} time{'s' * (r.times != 1)}, in {r.games} game" \
                    f"{'s' * (r.games != 1)}"
            out.append(f'<tr><td class="name">{h(r.label)}<br><span class="muted">{games}'
                       f"</span></td><td>{_bar(r.share, 'class')}</td></tr>")
        out.append("</table></div>")
    out.append("</div>")
    if group.scenario.timeline:
        out += _html_timeline(group)
    out.append("<h3>Each game</h3>")
    for row in group.rows:
        out += ['<section class="game">', f"<h4>{h(row.label)}</h4>",
                f'<p class="muted">{h(row.source)}: {h(row.ending)}, {row.turns} turn'
                f"{'s' * (row.turns != 1)} played."
                + (f" {h(row.note)}" if row.note else "") + "</p>"]
        if report.odds_runs > 0:
            out.append("<strong>Turning points</strong><ul>")
            out += [f"<li>{h(t)}</li>" for t in row.turning] or [
                "<li>None that the estimates can tell apart from chance.</li>"]
            out.append("</ul>")
        out.append("</section>")
    return out


def _html_timeline(group: Group) -> list[str]:
    check = "<th>kazsim check</th>" if group.check_runs else ""
    out = ["<h3>Against the real timeline</h3>", f'<p class="muted">{h(_TIMELINE_NOTE)}</p>',
           '<div class="scroll"><table class="timeline">',
           "<tr><th>real date</th><th>what happened</th>"
           + "".join(f"<th>{h(r.label)}</th>" for r in group.rows)
           + f"<th>this class</th>{check}</tr>"]
    for i, step in enumerate(group.scenario.timeline):
        cells = []
        for row in group.rows:
            assert row.comparison is not None
            text, kind = step_cell(row.comparison.steps[i], row.comparison)
            cells.append(f'<td><span class="cell k-{kind}">{h(text)}</span></td>')
        cells.append(f'<td class="num">{_step_share(group, i)}</td>')
        if check:
            cells.append(f'<td class="num">{percent(group.check_steps.get(step.id, 0.0))}</td>')
        out.append(f'<tr><td class="num">{h(day_text(step.date))}</td>'
                   f"<td>{h(step.model.text)}</td>{''.join(cells)}</tr>")
    out.append("</table></div>")
    summary = [f"{h(r.label)}: {h(_matched(r.comparison))}" for r in group.rows
               if r.comparison is not None]
    out.append('<p class="muted">' + " · ".join(summary) + "</p>")
    return out


def _matched(comparison: Comparison) -> str:
    n = sum(1 for m in comparison.steps if m.turn is not None)
    return f"{n} of {len(comparison.steps)} real steps"
