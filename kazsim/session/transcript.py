"""A saved game as a Markdown transcript, for class discussion or grading.

`transcript(game, players, ...)` returns the Markdown (the terminal's ending
screen saves it from a live `Session` with `transcript_of(session)`);
`export_command` is `kazsim export FILE [-o OUT] [--scenario OLD.yaml]`. The
text is built from `kazsim.story`, the same words the game shows, and is the
narrator's view: every indicator, including those some roles cannot see.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from kazsim.engine import Game, TurnRecord
from kazsim.engine.odds import RUNS, Decided
from kazsim.engine.timeline import compare
from kazsim.scenario.compiled import CompiledScenario
from kazsim.session.model import Player, SaveError
from kazsim.session.session import Session
from kazsim.story import (
    NO_TURNING_POINTS,
    SCENARIO_DEBRIEF,
    cite,
    decision_lines,
    ending_title,
    fmt,
    label_of,
    landed_lines,
    news_lines,
    percent,
    signed,
    step_heading,
    step_verdict,
    timeline_summary,
    turn_date,
    turning_point_lines,
    unmatched_line,
    why_lines,
)


def transcript(game: Game, players: Mapping[str, Player], *, name: str | None = None,
               saved: str | None = None, decided: Decided | None = None) -> str:
    """The whole game so far as Markdown: turns, ending, debriefs (the ending's and the
    scenario's), what decided it (when `decided` is given: `kazsim.engine.odds.what_decided`),
    learning objectives, questions, the real timeline, indicators."""
    scenario = game.scenario
    model = scenario.model
    title = name or f"{model.title} — seed {game.seed}"
    out = [f"# {_inline(title)}", ""]
    facts = [f"**Scenario:** {_inline(model.title)} (`{scenario.id}`, version "
             f"{_inline(model.version)})", f"**Seed:** {game.seed}",
             f"**Turns played:** {len(game.records)} of {scenario.last_turn}"
             + (f" (a lesson; the whole scenario has {model.calendar.turns})"
                if game.turn_limit is not None else "")]
    if saved:
        facts.append(f"**Saved:** {saved}")
    out += [" · ".join(facts), "", _inline(model.summary), ""]
    out += ["## Players", "", "| Role | Played by |", "| --- | --- |"]
    for role in scenario.roles:
        out.append(f"| {_cell(role.model.name)} | {_cell(player_text(players[role.id]))} |")
    out.append("")
    for n, record in enumerate(game.records):
        out += _turn(scenario, record, game.records[n - 1] if n else None)
    out += _ending(game)
    if model.learning_objectives:
        out += ["## Learning objectives", ""]
        out += [f"- {_inline(o)}" for o in model.learning_objectives]
        out.append("")
    out += _timeline(game)
    if decided is not None:
        out += _decided(game, decided)
    if model.discussion_questions:
        out += ["## Discussion questions", ""]
        out += [f"{n}. {_inline(q)}" for n, q in enumerate(model.discussion_questions, 1)]
        out.append("")
    out += _indicator_table(game)
    return "\n".join(out).rstrip() + "\n"


def transcript_of(session: Session) -> str:
    """The transcript of a live `Session` (the game so far)."""
    return transcript(session.game, session.players, name=session.name)


def player_text(player: Player) -> str:
    if player.kind == "human":
        return player.name or "a player"
    return f"the computer ({player.level})"


def _turn(scenario: CompiledScenario, record: TurnRecord,
          before: TurnRecord | None = None) -> list[str]:
    out = [f"## Turn {record.turn} · {turn_date(scenario, record.turn)}", "", "**Decisions**", ""]
    out += [f"- {_inline(line)}" for line in decision_lines(scenario, record)]
    news = news_lines(record, scenario, before=before) + landed_lines(scenario, record)
    if news:
        out += ["", "**What happened**", ""]
        out += [f"- {_inline(line)}" for line in news]
    if record.changes:
        out += ["", "**Changes**", "", "| | Before | After | Why |", "| --- | --- | --- | --- |"]
        for change in record.changes:
            after = fmt(change.after)
            if not isinstance(change.after, bool):
                after += f" ({signed(float(change.after) - float(change.before))})"
            why = "; ".join(why_lines(scenario, record, change.target))
            out.append(f"| {_cell(label_of(scenario, change.target))} | {fmt(change.before)} | "
                       f"{after} | {_cell(why)} |")
    out.append("")
    return out


def _ending(game: Game) -> list[str]:
    scenario = game.scenario
    if game.state.ending is None:
        return ["## The game is not over", "",
                f"Saved after turn {len(game.records)}; it goes on from turn {game.turn}.", ""]
    ending = scenario.ending(game.state.ending)
    shown = game.ending_text  # the texts as chosen at the end of the game
    out = [f"## Ending: {_inline(ending.title)} (after turn {len(game.records)})", "",
           _inline(shown.text.strip()), ""]
    if ending.scores:
        out += ["| Role | Result | Score | |", "| --- | --- | --- | --- |"]
        for outcome in game.outcomes():
            role = scenario.role(outcome.role)
            out.append(f"| {_cell(role.model.name)} | {outcome.result.result} | "
                       f"{fmt(outcome.score)} | {_cell(outcome.result.text)} |")
    else:  # an ending of mass killing: no result or score beside it
        out += ["| Role | |", "| --- | --- |"]
        out += [f"| {_cell(scenario.role(o.role).model.name)} | {_cell(o.result.text)} |"
                for o in game.outcomes()]
    out.append("")
    if ending.debrief:
        out += ["### What really happened", ""]
        out += [f"- {_inline(text.strip() + cite(scenario, item.cites))}"
                for item, text in zip(ending.debrief, shown.debrief, strict=True)]
        out.append("")
    if scenario.model.debrief:  # the whole scenario's, whatever the ending
        out += [f"### {SCENARIO_DEBRIEF}", ""]
        out += [f"- {_inline(text.strip() + cite(scenario, item.cites))}"
                for item, text in zip(scenario.model.debrief, shown.scenario_debrief,
                                      strict=True)]
        out.append("")
    if ending.debrief or scenario.model.debrief:
        cited = {c for item in [*ending.debrief, *scenario.model.debrief] for c in item.cites}
        sources = [s for s in scenario.model.sources if s.id in cited]
        if sources:
            out += ["### Sources", ""]
            for source in sources:
                when = f", {source.date.isoformat()}" if source.date else ""
                link = f" <{source.link}>" if source.link else ""
                out.append(f"- {_inline(source.title)} — {_inline(source.publisher)}"
                           f"{when}{link}")
            out.append("")
    return out


def _timeline(game: Game) -> list[str]:
    """Each real step beside this game, then the decisions with no real counterpart."""
    scenario = game.scenario
    if not scenario.timeline:
        return []
    comparison = compare(scenario, game.states, game.records)
    out = ["## Your crisis and the real one", "", timeline_summary(comparison), ""]
    for match in comparison.steps:
        out.append(f"- **{_inline(step_heading(match))}**"
                   f"{_inline(cite(scenario, match.step.model.cites))}  ")
        out.append(f"  {step_verdict(match, finished=game.over, last_day=comparison.last_day)}")
    out += ["", "### Decisions with no real counterpart", ""]
    out += [f"- {_inline(unmatched_line(scenario, u))}" for u in comparison.unmatched]
    if not comparison.unmatched:
        out.append("(none)")
    return out


def _decided(game: Game, decided: Decided) -> list[str]:
    """The odds of each ending after each turn, and the turning points."""
    scenario = game.scenario
    odds = decided.odds
    out = ["## What decided it", "",
           f"The chance of each ending from each point on, estimated by playing the game on "
           f"{odds.runs} times from there with the computer (easy) in every role. The same "
           "save always gives the same numbers.", ""]
    heads = [_cell(ending_title(scenario, e)) for e in odds.endings]
    out += ["| After turn | " + " | ".join(heads) + " |",
            "| --- |" + " ---: |" * len(heads)]
    for point in odds.points:
        when = "the start" if point.played == 0 else str(point.played)
        if point.runs == 0:
            when += " (the end)"
        cells = [percent(point.chance(i)) for i in range(len(odds.endings))]
        out.append(f"| {when} | " + " | ".join(cells) + " |")
    out.append("")
    out += ["### Turning points", ""]
    if decided.turning_points:
        ending = _inline(ending_title(scenario, decided.turning_points[0].ending))
        out += [f"For “{ending}”:", ""]
        out += [f"- {_inline(line)}" for line in
                turning_point_lines(scenario, decided.turning_points, game.records)]
    else:
        out.append(NO_TURNING_POINTS)
    out.append("")
    return out


def _indicator_table(game: Game) -> list[str]:
    scenario = game.scenario
    if not game.records:
        return []
    heads = ["Start", *(f"T{r.turn}" for r in game.records)]
    out = ["## Indicators turn by turn", "",
           "Values at the start and after each turn.", "",
           "| | " + " | ".join(heads) + " |", "| --- |" + " --- |" * len(heads)]
    ids = [i.id for i in scenario.model.indicators] + [f.id for f in scenario.model.flags]
    for target in ids:
        values = [fmt(state.values[target]) for state in game.states]
        if len(set(values)) == 1 and target in {f.id for f in scenario.model.flags}:
            continue  # a flag that never changed says nothing
        out.append(f"| {_cell(label_of(scenario, target))} | " + " | ".join(values) + " |")
    out.append("")
    return out


def _inline(text: str) -> str:
    """Scenario text on one Markdown line (authors' line breaks become spaces)."""
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _inline(text).replace("|", "\\|")


def _progress_on_terminal() -> Callable[[int, int], None] | None:
    """How far the odds are, on stderr when it is a terminal (else nothing)."""
    if not sys.stderr.isatty():
        return None
    shown = [-1]

    def progress(done: int, total: int) -> None:
        percent_done = 100 * done // total if total else 100
        if percent_done != shown[0]:
            shown[0] = percent_done
            end = "\n" if done >= total else ""
            print(f"\rworking out what decided the game: {percent_done}%", end=end,
                  file=sys.stderr, flush=True)

    return progress


def write_transcript(target: Path, text: str, *, force: bool) -> None:
    """Write a transcript to `target` atomically, or raise `OSError` saying why not.

    A transcript never replaces a saved game (recognised by its content; a .json
    name is refused too, as saves have those), nor anything but a regular file
    (a FIFO, a device, a symbolic link: `TargetRefusedError`), nor, unless
    `force`, any existing file (`FileExistsError`).
    """
    from kazsim.session.store import TargetRefusedError, write_atomic

    if target.suffix.lower() == ".json":
        raise TargetRefusedError(target, "a .json name is for saved games, and a transcript "
                                 "is Markdown: give a name ending in .md")
    write_atomic(target, text.encode("utf-8"), exclusive=not force, keep_saves=True)


def export_command(path: str | os.PathLike[str], output: str | None,
                   scenario: str | None = None, *, force: bool = False,
                   odds_runs: int | None = RUNS) -> int:
    """Write the transcript of a save: next to it (.md), to `output`, or '-' for stdout.

    An existing file is replaced only with `force` (`--force`), and never if it is a
    save or not a regular file (see `write_transcript`). With `odds_runs` (None: not),
    it includes what decided the game, from that many continuations per turn.
    """
    from kazsim.session.replay import load_session

    try:
        loaded = load_session(path, scenario=scenario)
    except SaveError as exc:
        print(f"kazsim: {exc}", file=sys.stderr)
        return 1
    if loaded.changed:
        print(f"kazsim: {path}: {loaded.notice()}", file=sys.stderr)
        return 1
    save = loaded.save
    decided = None
    if odds_runs is not None:
        from kazsim.batch.odds import what_decided  # numpy is imported only here

        decided = what_decided(loaded.game, odds_runs, progress=_progress_on_terminal())
    text = transcript(loaded.game, save.players, name=save.name, saved=save.updated,
                      decided=decided)
    if output == "-":
        sys.stdout.write(text)
        return 0
    target = Path(os.path.abspath(output if output else Path(path).with_suffix(".md")))
    from kazsim.session.store import TargetRefusedError

    try:
        write_transcript(target, text, force=force)
    except TargetRefusedError as exc:
        print(f"kazsim: {target}: not written: {exc.strerror}", file=sys.stderr)
        return 1
    except FileExistsError:
        print(f"kazsim: {target}: already exists; give --force to replace it, or another "
              "name with -o", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"kazsim: {target}: not written: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {target}")
    return 0
