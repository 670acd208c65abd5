"""A play-test's findings as readable text, as Markdown, or as JSON.

Nothing here depends on the run (no time, no process count), so the same
scenario and seeds give byte-identical reports.
"""

from __future__ import annotations

import json
import re
import shlex
import textwrap
from dataclasses import asdict
from typing import Any

from kazsim.analysis import alternatives
from kazsim.analysis.chart import indicator_chart, num
from kazsim.analysis.compare import Comparison
from kazsim.analysis.exploits import MARGIN, REPEAT_RUNS
from kazsim.analysis.findings import (
    BOUND_SHARE,
    DOMINANT_SHARE,
    HABIT_SHARE,
    NO_EXPLOITS,
    RARE_SHARE,
    SINGLE_CHOICE_SHARE,
    Findings,
    FlagStat,
    IndicatorStat,
    early_turns,
)

TEXT_WIDTH = 92  # sentences in the text report are wrapped to this width


def pct(share: float) -> str:
    """A share as a percentage; a share that is not zero never reads as 0.0%."""
    if 0 < share < 0.0005:
        return "<0.1%"
    return f"{share * 100:.1f}%"


def thresholds_sentence(f: Findings) -> str:
    sentence = (f"an ending in more than {DOMINANT_SHARE:.0%} of games dominates; an ending, "
                f"action, rule or event in fewer than {pct(f.rare).removesuffix('.0%') + '%'} "
                f"of games is rare; an indicator at its minimum or maximum in more than "
                f"{BOUND_SHARE:.0%} of turns sits at a bound; a role with a single choice on "
                f"more than {f.single_choice:.0%} of its turns has nothing to decide; an "
                f"action taken at one turn up to {early_turns(f.last_turn)} in at least "
                f"{HABIT_SHARE:.0%} of the games where the role had a choice then is a habit")
    if f.exploit_search is not None:
        sentence += (f"; a strategy is an exploit when the 95% interval of its win (or "
                     f"win-or-draw) share minus the ordinary AI's lies above "
                     f"{MARGIN * 100:.0f} points")
    return sentence


def _signed(x: float) -> str:
    return f"{x * 100:+.1f}"


def _comparison_rows(c: Comparison) -> list[list[str]]:
    return [[f"{e.title} ({e.id})", pct(e.base), pct(e.variant), _signed(e.difference),
             f"{_signed(e.low)} to {_signed(e.high)}",
             f"only in the {e.only_in}" if e.only_in else ("changed" if e.clear else "")]
            for e in c.endings]


def _comparison_intro(f: Findings, c: Comparison) -> str:
    return (f"Against the original, {c.base_title} (version {c.base_version}, "
            f"{c.base_name}): both played on the same {c.runs:,} seeds. Difference: the "
            "variant's share minus the original's, in percentage points, with its 95% "
            "interval from the seed-by-seed differences; \"changed\" where the interval "
            f"leaves out 0. Average length {num(c.base_mean_turns)} turns in the original, "
            f"{num(c.variant_mean_turns)} in the variant.")


def _seat_rows(f: Findings) -> list[list[str]]:
    return [[s.name, num(s.median), f"{s.fewest} to {s.most}", pct(s.single),
             "nothing to decide" if s.single > f.single_choice else ""] for s in f.seats]


def _exploit_rows(f: Findings) -> list[list[str]]:
    assert f.exploit_search is not None
    flagged = {x.strategy for x in f.exploit_search.exploits}
    ordinary = {r.id: r for r in f.roles}
    rows = []
    for role in f.roles:
        mine = [s for s in f.exploit_search.strategies if s.role == role.id]
        if not mine:
            continue
        o = ordinary[role.id]
        rows.append([role.name, "the ordinary AI", str(f.runs), pct(o.wins / f.runs),
                     pct((o.wins + o.draws) / f.runs), num(f.mean_turns), ""])
        look = [s for s in mine if s.action is None]
        best = max((s for s in mine if s.action is not None),
                   key=lambda s: (s.not_lost, s.wins), default=None)
        shown = [*look, *(s for s in mine if s in flagged and s.action is not None)]
        if best is not None and best not in shown:
            shown.append(best)
        for s in shown:
            rows.append(["", s.label, str(s.runs), pct(s.wins / s.runs),
                         pct(s.not_lost / s.runs), num(s.mean_turns),
                         "exploit" if s in flagged else ""])
    return rows


def _games_line(f: Findings) -> str:
    last = f.first_seed + f.runs - 1
    players = f"the AI ({f.level}) in every role"
    if f.look_ahead is not None:
        players = (f"{_role_name(f, f.look_ahead)} played by the look-ahead AI (hard), the AI "
                   f"({f.level}) in every other role")
    return (f"{f.runs} games (seeds {f.first_seed} to {last}), {players}. "
            f"Average length {num(f.mean_turns)} of {f.last_turn} turns; "
            f"{f.full_length} games reached the last turn.")


def _command(f: Findings) -> str:
    seed = f" --seed {f.first_seed}" if f.first_seed else ""
    level = f" --ai-level {f.level}" if f.level != "easy" else ""
    name = shlex.quote(f.name or f.scenario_id)
    look = f" --look-ahead {f.look_ahead}" if f.look_ahead else ""
    against = f" --against {shlex.quote(f.against)}" if f.against else ""
    rare = f" --rare {f.rare:g}" if f.rare != RARE_SHARE else ""
    single = (f" --single-choice {f.single_choice:g}"
              if f.single_choice != SINGLE_CHOICE_SHARE else "")
    exploits = ""
    if f.exploit_search is None and f.exploits_skipped == NO_EXPLOITS:
        exploits = " --no-exploits"
    elif f.exploit_search is not None and f.exploit_search.repeat_runs != REPEAT_RUNS:
        exploits = f" --exploit-runs {f.exploit_search.repeat_runs}"
    return (f"kazsim check {name} --runs {f.runs}{seed}{level}{look}{against}{rare}{single}"
            f"{exploits}")


def _role_name(f: Findings, role_id: str) -> str:
    return next(r.name for r in f.roles if r.id == role_id)


def _scale(share: float, width: int = 20) -> str:
    return "█" * round(share * width)


# --- text ---------------------------------------------------------------------------------

def _table(rows: list[list[str]], right: set[int], indent: str = "  ") -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [c.rjust(widths[i]) if i in right else c.ljust(widths[i])
                 for i, c in enumerate(row)]
        out.append((indent + "  ".join(cells)).rstrip())
    return out


def _wrap(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(text, TEXT_WIDTH, initial_indent=first, subsequent_indent=rest,
                         break_on_hyphens=False)


def to_text(f: Findings) -> str:
    out = [f"Play-test of {f.title} (version {f.version})", *_wrap(_games_line(f), "", ""), ""]
    out.append(f"Warnings ({len(f.warnings)})")
    for w in f.warnings:
        out += _wrap(w.message, "  ! ", "    ")
    if not f.warnings:
        out.append("  none")
    out += _wrap(f"Thresholds: {thresholds_sentence(f)}.", "  ", "  ")
    if f.comparison is not None:
        out += ["", "Compared with the original"]
        out += _wrap(_comparison_intro(f, f.comparison), "  ", "  ")
        out += _table([["", "original", "variant", "difference", "95% interval", ""]]
                      + _comparison_rows(f.comparison), {1, 2, 3, 4})
    out += ["", "Endings"]
    out += _table([[f"{e.title} ({e.id})", str(e.count), pct(e.share), _scale(e.share),
                    f"after {num(e.mean_turns)} turns" if e.mean_turns is not None else ""]
                   for e in f.endings], {1, 2})
    out += ["", "Roles (final score; result)"]
    out += _table([["", "average", "lowest", "highest", "win", "draw", "loss"]] +
                  [[r.name, num(r.mean_score), num(r.min_score), num(r.max_score),
                    pct(r.wins / f.runs), pct(r.draws / f.runs), pct(r.losses / f.runs)]
                   for r in f.roles], {1, 2, 3, 4, 5, 6})
    out += ["", "Choices per seat (actions to choose from before each turn)"]
    out += _table([["", "median", "range", "single choice", ""]] + _seat_rows(f),
                  {1, 2, 3})
    out += _exploit_text(f)
    out += ["", "Actions (share of the role's decisions; share of games where chosen)"]
    for role in f.roles:
        out.append(f"  {role.name}")
        out += _table([[f"{a.label} ({a.id})", pct(a.share), pct(a.games),
                        _action_note(a.chosen, a.ever_available)]
                       for a in f.actions if a.role == role.id], {1, 2}, "    ")
    for title, items in (("Rules", f.rules), ("Events", f.events)):
        if items:
            what = "turns it applied" if title == "Rules" else "times it fired"
            out += ["", f"{title} ({what}; games)"]
            out += _table([[i.id, str(i.times), str(i.games),
                            "never" if not i.times else ""] for i in items], {1, 2})
    out += alternatives.text_lines(f.texts)
    out += ["", "Indicators (range, start; share of turns at the minimum / maximum)"]
    out += _table([[f"{i.label} ({i.id})", f"{num(i.min)} to {num(i.max)}",
                    f"start {num(i.start)}", pct(i.at_min), pct(i.at_max), _ind_note(i)]
                   for i in f.indicators], {3, 4})
    if f.flags:
        out += ["", "Flags (share of games ending with it on)"]
        out += _table([[f"{fl.label} ({fl.id})", pct(fl.on_at_end), _flag_note(fl)]
                       for fl in f.flags], {1})
    out += ["", "Indicator ranges by turn (turn 0 is the start; ─ from lowest to highest, "
            "● the average)"]
    for ind in f.indicators:
        out += [""] + ["  " + line for line in indicator_chart(ind)]
    return "\n".join(out) + "\n"


def _exploit_text(f: Findings) -> list[str]:
    if f.exploit_search is None:
        return ["", f"Exploits: not searched ({f.exploits_skipped})."] if f.exploits_skipped \
            else []
    x = f.exploit_search
    out = ["", "Exploits (each role played another way, the others by the ordinary AI; "
           "its best repeated action and every exploit shown)"]
    out += _wrap(f"{x.look_ahead_runs} games per role with the look-ahead AI, "
                 f"{x.repeat_runs} per action repeated on every turn it is available; "
                 "seeds from the first of the main sample.", "  ", "  ")
    out += _table([["", "played", "games", "win", "win or draw", "turns", ""]]
                  + _exploit_rows(f), {2, 3, 4, 5})
    return out


def _ind_note(i: IndicatorStat) -> str:
    notes = ([] if i.moved else ["never moves"]) + ([] if i.read else ["never read"])
    return ", ".join(notes)


def _flag_note(fl: FlagStat) -> str:
    notes = ([] if fl.changed else ["never changes"]) + ([] if fl.read else ["never read"])
    return ", ".join(notes)


def _action_note(chosen: int, available: bool) -> str:
    if not available:
        return "never available"
    return "never chosen" if chosen == 0 else ""


# --- Markdown -----------------------------------------------------------------------------

def _md_table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    align = ["---:" if i in right else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    return lines


def to_markdown(f: Findings) -> str:
    out = [f"# Play-test: {f.title}", "",
           f"Scenario `{f.scenario_id}`, version {f.version}. {_games_line(f)}", "",
           f"Made with `{_command(f)}`; the same command gives the same report.", "",
           "## Warnings", ""]
    out += [f"- {w.message}" for w in f.warnings] or ["None."]
    out += ["", f"Thresholds: {thresholds_sentence(f)}.", ""]
    if f.comparison is not None:
        out += ["## Compared with the original", "", _comparison_intro(f, f.comparison), ""]
        out += _md_table(["ending", "original", "variant", "difference", "95% interval",
                          "note"], _comparison_rows(f.comparison), {1, 2, 3, 4})
        out += [""]
    out += ["## Endings", ""]
    out += _md_table(["ending", "games", "share", "average length"],
                     [[f"{e.title} (`{e.id}`)", str(e.count), pct(e.share),
                       f"{num(e.mean_turns)} turns" if e.mean_turns is not None else "-"]
                      for e in f.endings], {1, 2, 3})
    out += ["", "## Roles", ""]
    out += _md_table(["role", "average score", "lowest", "highest", "win", "draw", "loss"],
                     [[r.name, num(r.mean_score), num(r.min_score), num(r.max_score),
                       pct(r.wins / f.runs), pct(r.draws / f.runs), pct(r.losses / f.runs)]
                      for r in f.roles], {1, 2, 3, 4, 5, 6})
    out += ["", "## Choices per seat", "",
            "How many actions each role could choose from before each turn it played.", ""]
    out += _md_table(["role", "median", "range", "single choice", "note"], _seat_rows(f),
                     {1, 2, 3})
    if f.exploit_search is not None:
        x = f.exploit_search
        out += ["", "## Exploits", "",
                f"Each role played another way, the others by the ordinary AI: "
                f"{x.look_ahead_runs} games per role with the look-ahead AI, {x.repeat_runs} "
                "per action repeated on every turn it is available (its best, and every "
                "exploit, shown); seeds "
                "from the first of the main sample.", ""]
        out += _md_table(["role", "played", "games", "win", "win or draw", "turns", "note"],
                         _exploit_rows(f), {2, 3, 4, 5})
    elif f.exploits_skipped:
        out += ["", "## Exploits", "", f"Not searched ({f.exploits_skipped})."]
    out += ["", "## Actions", "",
            "Decisions: share of the role's decisions. Games: share of games in which it was "
            "chosen at least once.", ""]
    out += _md_table(["role", "action", "decisions", "games", "note"],
                     [[_role_name(f, a.role), f"{a.label} (`{a.id}`)", pct(a.share),
                       pct(a.games), _action_note(a.chosen, a.ever_available)]
                      for a in f.actions], {2, 3})
    for title, items in (("Rules", f.rules), ("Events", f.events)):
        if items:
            out += ["", f"## {title}", ""]
            what = "turns it applied" if title == "Rules" else "times it fired"
            out += _md_table(["id", what, "games"],
                             [[f"`{i.id}`", str(i.times), str(i.games)] for i in items], {1, 2})
    out += alternatives.markdown_lines(f.texts)
    out += ["", "## Indicators", ""]
    out += _md_table(["indicator", "range", "start", "at minimum", "at maximum", "note"],
                     [[f"{i.label} (`{i.id}`)", f"{num(i.min)} to {num(i.max)}", num(i.start),
                       pct(i.at_min), pct(i.at_max), _ind_note(i)]
                      for i in f.indicators], {2, 3, 4})
    if f.flags:
        out += ["", "## Flags", ""]
        out += _md_table(["flag", "games ending with it on", "note"],
                         [[f"{fl.label} (`{fl.id}`)", pct(fl.on_at_end), _flag_note(fl)]
                          for fl in f.flags], {1})
    out += ["", "## Indicator ranges by turn", "",
            "Turn 0 is the start. `─` spans the lowest to the highest value, `●` marks the "
            "average.", ""]
    for ind in f.indicators:
        out += ["```text", *indicator_chart(ind), "```", ""]
    return "\n".join(out).rstrip("\n") + "\n"


# --- JSON ---------------------------------------------------------------------------------

def to_data(f: Findings) -> dict[str, Any]:
    """Every number in the report, keyed by id (JSON-ready)."""
    return {
        "scenario": {"id": f.scenario_id, "title": f.title, "version": f.version,
                     "content_hash": f.content_hash},
        "runs": f.runs,
        "first_seed": f.first_seed,
        "ai_level": f.level,
        "look_ahead": f.look_ahead,
        "last_turn": f.last_turn,
        "mean_turns": f.mean_turns,
        "games_reaching_last_turn": f.full_length,
        "thresholds": f.thresholds,
        "endings": {e.id: {"title": e.title, "count": e.count, "share": e.share,
                           "mean_turns": e.mean_turns} for e in f.endings},
        "roles": {r.id: {"name": r.name, "mean_score": r.mean_score, "min_score": r.min_score,
                         "max_score": r.max_score, "wins": r.wins, "draws": r.draws,
                         "losses": r.losses, "win_rate": r.wins / f.runs if f.runs else 0.0}
                  for r in f.roles},
        "actions": {f"{a.role}.{a.id}": {"role": a.role, "action": a.id, "chosen": a.chosen,
                                         "share": a.share, "games_share": a.games,
                                         "ever_available": a.ever_available}
                    for a in f.actions},
        "rules": {r.id: {"times": r.times, "games": r.games} for r in f.rules},
        "events": {e.id: {"times": e.times, "games": e.games} for e in f.events},
        "indicators": {i.id: {"min": i.min, "max": i.max, "start": i.start, "moved": i.moved,
                              "read": i.read,
                              "at_min_share": i.at_min, "at_max_share": i.at_max,
                              "by_turn": [asdict(t) for t in i.turns]}
                       for i in f.indicators},
        "flags": {fl.id: {"start": fl.start, "changed": fl.changed, "read": fl.read,
                          "on_at_end_share": fl.on_at_end} for fl in f.flags},
        "seats": {st.id: {"turns": st.turns, "median_choices": st.median,
                          "fewest": st.fewest, "most": st.most, "single_choice_share": st.single}
                  for st in f.seats},
        "habits": [asdict(h) for h in f.habits],
        "why_not": [{**asdict(w), "message": w.message} for w in f.why_not],
        "uncited_sources": list(f.uncited),
        "exploits": None if f.exploit_search is None else {
            "repeat_runs": f.exploit_search.repeat_runs,
            "look_ahead_runs": f.exploit_search.look_ahead_runs,
            "strategies": [asdict(st) for st in f.exploit_search.strategies],
            "found": [asdict(x) for x in f.exploit_search.exploits]},
        "exploits_skipped": f.exploits_skipped or None,
        "comparison": None if f.comparison is None else asdict(f.comparison),
        "warnings": [asdict(w) for w in f.warnings],
        **alternatives.data(f.texts),
    }


# Characters a terminal acts on that json.dumps leaves as they are (it escapes the
# C0 controls itself): DEL, the C1 controls, the bidirectional overrides and isolates.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def to_json(f: Findings) -> str:
    text = json.dumps(to_data(f), indent=2, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n"


RENDERERS = {"text": to_text, "markdown": to_markdown, "json": to_json}
