"""The command line: the one entry point (`kazsim` and `python -m kazsim`).

This module only parses arguments, calls into the package and maps results to
exit codes: 0 success, 1 a problem with the user's input (an invalid scenario,
a save that does not verify), 2 a usage error, 130 interrupted. Heavy modules
(Textual, pydantic) are imported inside the commands that need them, so
`kazsim --help` and the game's first frame stay fast.

Text from other people's files (scenario titles, ids, save fields, the
problems found in them) may hold terminal escape sequences. Every command but
the terminal game prints through `kazsim.untrusted.EscapedText`, so nothing
from a file reaches the terminal raw even where a message forgot; one-line
messages also escape the newlines of what they quote (`printable_line`).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import textwrap
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kazsim import __version__
from kazsim.places import docs_note
from kazsim.untrusted import printable_line

if TYPE_CHECKING:
    from kazsim.scenario.compiled import CompiledScenario


ODDS_RUNS = 200  # kazsim.engine.odds.RUNS, kept here so `kazsim --help` imports no engine


class CliError(Exception):
    """A problem to report to the user in one line, with exit status 1."""


class UsageError(Exception):
    """Options that do not go together: reported in one line, with exit status 2."""


def _find(name: str) -> Path:
    """A scenario file by id or path, or raise `CliError` saying how to find one."""
    from kazsim.scenario.catalog import find_scenario

    path = find_scenario(name)
    if path is None:
        raise CliError(f"no scenario called '{printable_line(name)}': run 'kazsim list' to "
                       "see them, or give the path of a .yaml file")
    return path


def _scenario(name: str, *, to_play: bool = False) -> CompiledScenario:
    """Load a scenario by id or path, or raise `CliError` with every problem.

    `to_play`: from the cache of validated scenarios when the file is known there
    (`kazsim check` validates afresh).
    """
    from kazsim.cache import load_for_play
    from kazsim.scenario.load import errors_text, validate_file

    path = _find(name)
    compiled, problems = load_for_play(path) if to_play else validate_file(path)
    if compiled is None:
        text = errors_text(problems)
        note = docs_note(text)
        raise CliError(f"{printable_line(str(path))} has problems:\n{text}"
                       + (f"\n{note}" if note else ""))
    return compiled


def save_dir(args: argparse.Namespace) -> Path:
    """Where games are saved (see `kazsim.places.save_dir`)."""
    from kazsim.places import save_dir as chosen_save_dir

    return chosen_save_dir(getattr(args, "save_dir", None))


# --- commands -------------------------------------------------------------------------------

def cmd_list(args: argparse.Namespace) -> int:
    from kazsim.scenario.catalog import list_scenarios

    entries = list_scenarios()
    if not entries:
        print("No scenarios found. Put .yaml files in ./scenarios or give a path.")
        return 0
    ids = {e.path: printable_line(e.id) for e in entries}
    width = max(len(i) for i in ids.values())
    for entry in entries:
        shown_id = ids[entry.path].ljust(width)
        path = printable_line(str(entry.path))
        if entry.problem:
            print(f"{shown_id}  (cannot be read: {printable_line(entry.problem)})  {path}")
            continue
        turns = f"{entry.turns} turns" if entry.turns else "? turns"
        if entry.lessons:  # the lengths the scenario suggests for a class period
            turns += f" (lessons: {', '.join(map(str, entry.lessons))})"
        print(f"{shown_id}  {printable_line(entry.title)}  [{turns}, {len(entry.roles)} roles]")
        if args.verbose:
            pad = " " * (width + 2)
            print(f"{pad}roles (the id is what --role takes):")
            for role_id, name in zip(entry.role_ids, entry.roles, strict=False):
                ai = " (the computer only)" if role_id in entry.ai_only else ""
                print(f"{pad}  {printable_line(role_id)}: {printable_line(name)}{ai}")
            print(f"{pad}file: {path}")
            print(textwrap.fill(printable_line(" ".join(entry.summary.split())), 78,
                                initial_indent=pad, subsequent_indent=pad))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from kazsim.scenario.catalog import find_scenario
    from kazsim.scenario.load import validate_file

    # An id (or a file name from 'kazsim list') names its file, as for play and check;
    # anything else is validated as the path it is, so a missing file is reported as one.
    files = [str(find_scenario(name) or name) for name in args.files]
    if args.watch:
        from kazsim.analysis.watch import watch

        return watch(files, validate_file)
    status = 0
    mentioned = []
    for name in files:
        compiled, problems = validate_file(name)
        shown = printable_line(name)
        for problem in problems:  # one line each, whatever the file quoted
            print(printable_line(str(problem)))
            mentioned.append(str(problem))
        if compiled is None:
            status = 1
            errors = sum(p.severity == "error" for p in problems)
            print(f"{shown}: {errors} error{'s' if errors != 1 else ''}", file=sys.stderr)
        else:
            print(f"{shown}: valid ({printable_line(compiled.model.title)}, "
                  f"{len(compiled.roles)} roles, {compiled.last_turn} turns)")
    note = docs_note("\n".join(mentioned))
    if note:  # the guides the messages name, where this installation has them
        print(note, file=sys.stderr)
    return status


def cmd_play(args: argparse.Namespace) -> int:
    if args.turns is not None and args.load:
        raise UsageError("--turns starts a new game: a saved game keeps the length it was "
                         "started with")
    if args.turns is not None and args.turns < 1:
        raise UsageError(f"--turns: a game lasts at least 1 turn, not {args.turns}")
    if args.auto:
        from kazsim.session.autoplay import autoplay

        scenario = _scenario(args.scenario, to_play=True) if args.scenario else None
        if scenario is not None and args.turns is not None and (
                problem := scenario.lesson_problem(args.turns)):
            raise UsageError(f"--turns: {printable_line(problem)}")
        return autoplay(args, scenario, None if args.no_save else save_dir(args))
    if args.no_save:
        raise UsageError("--no-save goes with --auto (the game in the terminal always saves)")
    if not args.briefings:
        raise UsageError("--no-briefings goes with --auto (the game in the terminal shows "
                         "each player's briefing before their first turn)")
    from kazsim.tui.launch import run_tui

    return run_tui(scenario=args.scenario, roles=args.role, seed=args.seed,
                   level=args.ai_level, load=args.load, save_dir=save_dir(args),
                   turns=args.turns)


def cmd_title(args: argparse.Namespace) -> int:
    from kazsim.tui.launch import run_tui

    return run_tui(save_dir=save_dir(args))


def cmd_replay(args: argparse.Namespace) -> int:
    if args.verify:
        from kazsim.session.verify import verify_command

        return verify_command(Path(args.file), args.scenario)
    from kazsim.tui.launch import run_tui

    return run_tui(replay=args.file, scenario=args.scenario, save_dir=save_dir(args))


def cmd_export(args: argparse.Namespace) -> int:
    from kazsim.session.transcript import export_command

    if args.odds_runs < 1:
        print("kazsim export: --odds-runs must be 1 or more", file=sys.stderr)
        return 2
    return export_command(Path(args.file), args.output, args.scenario, force=args.force,
                          odds_runs=None if args.no_odds else args.odds_runs)


def cmd_check(args: argparse.Namespace) -> int:
    from kazsim.analysis.report import check_command

    return check_command(args, _scenario(args.scenario))


def cmd_report(args: argparse.Namespace) -> int:
    from kazsim.classroom.gather import report_command

    if args.runs < 0 or args.odds_runs < 0:
        raise UsageError("--runs and --odds-runs: 0 or more")
    if args.output is not None and args.output != "-" \
            and not args.output.endswith((".html", ".htm", ".md")):
        raise UsageError("-o: a file ending in .html or .md (or '-' for Markdown on stdout)")
    scenario = _scenario(args.scenario, to_play=True) if args.scenario else None
    return report_command(args.files, args.output, scenario=scenario, check_runs=args.runs,
                          odds_runs=args.odds_runs, force=args.force)


def cmd_new(args: argparse.Namespace) -> int:
    from kazsim.analysis.starter import new_command

    return new_command(args.name, args.directory, force=args.force)


def cmd_sheets(args: argparse.Namespace) -> int:
    from kazsim.analysis.sheets import sheets_command

    if Path(args.output).exists() and not Path(args.output).is_dir():
        raise CliError(f"-o {printable_line(args.output)} is a file: give a folder")
    try:
        return sheets_command(_scenario(args.scenario, to_play=True), args.output, args.format)
    except OSError as exc:
        raise CliError(f"cannot write the sheets: {printable_line(str(exc))}") from exc


def cmd_schema(args: argparse.Namespace) -> int:
    from kazsim.analysis.schema import schema_command

    return schema_command(args.output)


GUIDES = (
    ("playing.md", "how to play"),
    ("authoring.md", "how to write a scenario: every field, with examples"),
    ("errors.md", "what 'kazsim validate' says, and what to do"),
    ("saves.md", "the save file format"),
    ("design.md", "how kazsim is put together"),
    ("scenario.schema.json", "the JSON Schema of the scenario format, for editors"),
)


def cmd_docs(args: argparse.Namespace) -> int:
    from kazsim.places import docs_dir

    folder = docs_dir()
    present = [(folder / name, what) for name, what in GUIDES if (folder / name).is_file()]
    if not present:
        raise CliError(f"the guides are not installed (looked in {printable_line(str(folder))})")
    if args.path:
        print(folder)
        return 0
    print(f"kazsim's guides and the scenario schema are in {printable_line(str(folder))}:")
    width = max(len(str(path)) for path, _ in present)
    for path, what in present:
        print(f"  {str(path).ljust(width)}  {what}")
    return 0


# --- the parser -----------------------------------------------------------------------------

def cmd_host(args: argparse.Namespace) -> int:
    from kazsim.classroom.run import host_command

    if args.tables < 1 or args.tables > 50:
        raise UsageError("--tables: from 1 to 50")
    if not 0 <= args.port <= 65535:
        raise UsageError("--port: from 0 to 65535 (0: any free port)")
    if args.end_at is not None and args.end_at < 1:
        raise UsageError("--end-at: a turn, from 1")
    if args.web_port is not None and not args.web:
        raise UsageError("--web-port: only with --web")
    web_port = None
    if args.web:
        from kazsim.classroom.run import DEFAULT_WEB_PORT

        web_port = DEFAULT_WEB_PORT if args.web_port is None else args.web_port
        if not 0 <= web_port <= 65535:
            raise UsageError("--web-port: from 0 to 65535 (0: any free port)")
    scenario = _scenario(args.scenario, to_play=True)
    return host_command(scenario, tables=args.tables, port=args.port, bind=args.bind,
                        class_file=Path(args.class_file) if args.class_file else None,
                        headless=args.headless, seed=args.seed, wait=args.wait,
                        level=args.ai_level, save_dir=save_dir(args), end_at=args.end_at,
                        web_port=web_port)


def cmd_join(args: argparse.Namespace) -> int:
    if args.code is None and args.auto:
        raise UsageError("--auto: give the table's join code")
    if args.auto:
        from kazsim.classroom.client import join_auto

        return join_auto(args.url, args.code, role=args.role, name=args.name,
                         scenario_file=args.scenario)
    from kazsim.classroom.remote import RemoteSeat
    from kazsim.tui.launch import run_tui

    return run_tui(seat=RemoteSeat(args.url, args.code, role=args.role, name=args.name,
                                   scenario_file=args.scenario), save_dir=save_dir(args))


def _epilog() -> str:
    return textwrap.dedent("""\
        where kazsim keeps its files:
          saves   --save-dir DIR, else $KAZSIM_SAVE_DIR, else ./saves if the current
                  folder has one (a checkout does), else the user's data folder
                  (on Linux ~/.local/share/kazsim/saves)
          cache   $KAZSIM_CACHE_DIR (empty: no cache), else the user's cache folder
                  (on Linux ~/.cache/kazsim): validated scenarios, to start faster
          guides  'kazsim docs' prints where the guides and the scenario schema are
        """)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kazsim",
        description="A game about how a political crisis unfolds. With no command, "
                    "opens the game in the terminal.",
        epilog=_epilog(), formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kazsim {__version__}")
    parser.add_argument("--save-dir", metavar="DIR",
                        help="where games are saved (default: $KAZSIM_SAVE_DIR, else ./saves "
                             "if it exists, else the user's data folder; see below)")
    parser.set_defaults(func=cmd_title)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("play", help="play a scenario (in the terminal, or --auto)",
                       description="Play a scenario. Without --role every role is offered "
                                   "in the setup screen; --auto lets the AI play every "
                                   "role and prints the story.")
    p.add_argument("scenario", nargs="?", default=None,
                   help="a scenario id from 'kazsim list', or a path to a .yaml file (with "
                        "--load: the scenario file to go on with, if not the save's own)")
    p.add_argument("--role", action="append", default=[], metavar="ROLE",
                   help="a role you play yourself (repeat for hot seat); the AI plays the "
                        "rest (with --auto: the AI plays it too)")
    p.add_argument("--seed", type=int, default=None, help="the game's seed (default: random)")
    p.add_argument("--ai-level", choices=("easy", "hard", "history"), default="easy",
                   help="how well the AI plays (default: easy); history plays the real "
                        "actors' steps of the scenario's timeline on their dates")
    p.add_argument("--auto", action="store_true",
                   help="no screen: the AI plays every role and the story is printed")
    p.add_argument("--why", action="store_true",
                   help="with --auto: print why each indicator changed")
    p.add_argument("--no-save", action="store_true",
                   help="with --auto: save nothing (by default the game is saved after "
                        "every turn)")
    p.add_argument("--turns", type=int, default=None, metavar="N",
                   help="a lesson: stop the game after turn N, ending it as the scenario "
                        "says for a game cut short (default: every turn of the scenario)")
    p.add_argument("--no-briefings", dest="briefings", action="store_false",
                   help="with --auto: do not print each role's briefing first")
    p.add_argument("--load", metavar="FILE", help="resume a saved game")
    p.add_argument("--save-dir", metavar="DIR", help=argparse.SUPPRESS, default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_play)

    p = sub.add_parser("list", help="list the scenarios found",
                       description="List the scenarios found in the bundled folder and "
                                   "./scenarios.")
    p.add_argument("-v", "--verbose", action="store_true", help="show paths and summaries")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("validate", help="check scenario files and report every problem",
                       description="Check scenario files. Prints every problem as "
                                   "file:line:column: message. Exit status 0 when all are "
                                   "valid, 1 otherwise.")
    p.add_argument("files", nargs="+", metavar="SCENARIO",
                   help="a scenario id from 'kazsim list', or a path to a .yaml file")
    p.add_argument("--watch", action="store_true", help="check again every time a file changes")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("replay", help="step through a saved game, or --verify it",
                       description="Open a saved game in the replay viewer; with --verify, "
                                   "re-run it headless and check every turn's checksum.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--verify", action="store_true",
                   help="re-run headless; exit 1 naming the first turn that differs")
    p.add_argument("--scenario", metavar="FILE",
                   help="the scenario file to replay on (default: the save's own, found "
                        "by its content hash)")
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("export", help="write a saved game as a Markdown transcript",
                       description="Write a readable Markdown transcript of a saved game.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", metavar="OUT",
                   help="where to write it (default: next to the save, .md; '-' for stdout)")
    p.add_argument("--scenario", metavar="FILE",
                   help="the scenario file the game was played on, if it has changed since")
    p.add_argument("--force", action="store_true",
                   help="replace an existing file (never a save, nor anything but a file)")
    p.add_argument("--no-odds", action="store_true",
                   help="leave out 'What decided it' (the chance of each ending after each "
                        "turn, and the turning points): working it out plays the game on "
                        f"{ODDS_RUNS} times from every turn, and 100 more times for each "
                        "side's other choices at the 3 turning points; for a 14-turn game "
                        "of kazakhstan-2022 that is about 35,000 turns, 8 to 10 seconds on "
                        "one core of the project's machine (the tutorial: under a second)")
    p.add_argument("--odds-runs", type=int, default=ODDS_RUNS, metavar="N",
                   help=f"continuations from each turn for the odds (default: {ODDS_RUNS}; "
                        "the cost grows with N, the noise shrinks as 1/sqrt(N))")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("check", help="play-test a scenario with the AI in every role",
                       description="Play N complete games with the AI in every role and "
                                   "report endings, unused content and balance.")
    p.add_argument("scenario", help="a scenario id or path")
    p.add_argument("--runs", type=int, default=1000, help="games to play (default: 1000)")
    p.add_argument("--seed", type=int, default=0, help="first seed (default: 0)")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    p.add_argument("--jobs", type=int, default=0,
                   help="worker processes (default: one per core for large runs)")
    p.add_argument("--ai-level", choices=("easy", "hard", "history"), default="easy",
                   help="how well the AI plays every role (default: easy; history: the "
                        "real actors' steps on their dates)")
    p.add_argument("--look-ahead", metavar="ROLE",
                   help="play this one role with the look-ahead (hard) AI and the others at "
                        "--ai-level: how often does a player who plans ahead win?")
    p.add_argument("--reference-engine", action="store_true",
                   help="play every game with the reference engine, one game at a time, "
                        "instead of the batch engine (the same games and numbers, slower)")
    p.add_argument("--against", metavar="BASE",
                   help="also play this original scenario on the same seeds and show what "
                        "the change did (a variant is compared with the file it extends "
                        "without it)")
    p.add_argument("--rare", type=float, default=0.02, metavar="SHARE",
                   help="warn about an ending, action, rule or event seen in fewer than this "
                        "share of games (default: 0.02)")
    p.add_argument("--single-choice", type=float, default=0.2, metavar="SHARE",
                   help="warn about a role with a single choice on more than this share of "
                        "its turns (default: 0.2)")
    p.add_argument("--exploit-runs", type=int, default=30, metavar="N",
                   help="games per repeated action in the exploit search; a sixth as many "
                        "per role with the look-ahead AI (default: 30)")
    p.add_argument("--no-exploits", action="store_true",
                   help="skip the exploit search (faster)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the report to a file")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("new", help="write a commented starter scenario",
                       description="Write NAME.yaml: a commented starter scenario that "
                                   "validates and plays as it is. It goes in ./scenarios "
                                   "if the current folder has one (a checkout does), else "
                                   "in the current folder; -d chooses another folder.")
    p.add_argument("name", help="the new scenario's name, e.g. my-crisis (file my-crisis.yaml, "
                                "id my_crisis)")
    p.add_argument("-d", "--directory", default=None,
                   help="where to write it (default: ./scenarios if it exists, else .)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("sheets", help="write printable role sheets and a class handout",
                       description="Write printable sheets for a lesson into DIR: a role "
                                   "sheet for each side a person may play (its briefing, "
                                   "goals, what only it knows, its actions, the sources "
                                   "dated up to the start) and a class handout (the content "
                                   "warning, the days before the game, the glossary and a "
                                   "text map of the places). Nothing on them tells what "
                                   "happens in the game. HTML prints on A4, a sheet per page.")
    p.add_argument("scenario", help="a scenario id (see 'kazsim list') or a .yaml file")
    p.add_argument("-o", "--output", metavar="DIR", required=True,
                   help="the folder to write them in (made if missing)")
    p.add_argument("--format", choices=("html", "md", "both"), default="both",
                   help="HTML to print, Markdown to edit, or both (default)")
    p.set_defaults(func=cmd_sheets)

    p = sub.add_parser("schema", help="write the JSON Schema of the scenario format",
                       description="Write the JSON Schema of the scenario format, for "
                                   "editors that check YAML as you type.")
    p.add_argument("-o", "--output", metavar="FILE", default="-",
                   help="where to write it (default: stdout)")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("host", help="serve a class: one game per table, each side at its "
                                    "own screen",
                       description="Serve a class on this computer: N tables (one game each), "
                                   "each with a join code for the room, played with 'kazsim "
                                   "join' or (--web) in a browser. Every decision is "
                                   "kept in the class file; start again with the same "
                                   "--class-file to go on where the class was. Listens on "
                                   "127.0.0.1 (this computer only) unless --bind says "
                                   "otherwise: --bind 0.0.0.0 opens it to the room's network.")
    p.add_argument("scenario", help="a scenario id or path")
    p.add_argument("--tables", type=int, default=1, help="how many games (default: 1)")
    p.add_argument("--port", type=int, default=8765,
                   help="the port to listen on (default: 8765; 0: any free port)")
    p.add_argument("--bind", default="127.0.0.1", metavar="ADDR",
                   help="the address to listen on (default: 127.0.0.1, this computer only; "
                        "0.0.0.0: every network of this computer)")
    p.add_argument("--class-file", metavar="FILE",
                   help="the class's SQLite file (default: SCENARIO-class.sqlite here); an "
                        "existing one is resumed")
    p.add_argument("--headless", action="store_true",
                   help="no dashboard: print 'table N: CODE' lines and the URL, then serve")
    p.add_argument("--web", action="store_true",
                   help="also serve the game to browsers (needs textual-serve: kazsim's "
                        "'web' extra): students open the page, type their table's code and "
                        "pick a side")
    p.add_argument("--web-port", type=int, default=None, metavar="P",
                   help="the web page's port (default: 8080; 0: any free port)")
    p.add_argument("--seed", type=int, default=None,
                   help="table 1's seed, table 2 gets the next one... (default: random)")
    p.add_argument("--wait", action="store_true",
                   help="every seat waits for a person (the teacher gives absent ones to the "
                        "AI); by default an empty seat is played by the AI")
    p.add_argument("--ai-level", choices=("easy", "hard"), default="easy",
                   help="how well the AI plays the seats it has (default: easy)")
    p.add_argument("--end-at", type=int, default=None, metavar="N",
                   help="end every table after turn N (the lesson's length)")
    p.add_argument("--save-dir", metavar="DIR", help=argparse.SUPPRESS, default=argparse.SUPPRESS)
    p.set_defaults(func=cmd_host)

    p = sub.add_parser("join", help="play one side of a table served by 'kazsim host'",
                       description="Join a table of a class: the terminal game, bound to one "
                                   "seat; --auto lets the AI play the seat.")
    p.add_argument("url", help="the host's address, as 'kazsim host' prints it (ws://...)")
    p.add_argument("code", nargs="?", default=None,
                   help="the table's join code (without it, the game asks for it and shows "
                        "the sides still free)")
    p.add_argument("--role", default=None, metavar="ROLE",
                   help="the side to play (default: the first free one)")
    p.add_argument("--name", default="", help="your name, shown to the teacher")
    p.add_argument("--auto", action="store_true",
                   help="no screen: the easy AI plays the seat over the network")
    p.add_argument("--scenario", metavar="FILE",
                   help="the host's scenario file, if this computer does not have it")
    p.set_defaults(func=cmd_join)

    p = sub.add_parser("report", help="a class's games side by side (HTML or Markdown)",
                       description="Write the class report over class files (kazsim host's "
                                   "--class-file) and saves (or folders of them, hot-seat "
                                   "games from several computers too): how the games ended "
                                   "beside kazsim check's shares, each game against the real "
                                   "timeline, the decisions most often taken per role, each "
                                   "game's turning points and scores. A file that cannot be "
                                   "read is left out, with the reason.")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="class files, save files, or folders holding them")
    p.add_argument("-o", "--output", metavar="OUT", default=None,
                   help="report.html (a standalone page, the default: class-report.html "
                        "here) or report.md (Markdown; '-' for Markdown on stdout)")
    p.add_argument("--scenario", metavar="FILE",
                   help="the scenario the games were played on, if this computer does not "
                        "find it by itself")
    p.add_argument("--runs", type=int, default=200, metavar="N",
                   help="games kazsim check plays for the shares beside the class's "
                        "(default: 200; 0: none)")
    p.add_argument("--odds-runs", type=int, default=40, metavar="N",
                   help="continuations from each turn for the turning points (default: 40; "
                        "the debrief uses 200; 0: none)")
    p.add_argument("--force", action="store_true",
                   help="replace an existing report (never a save, nor anything but a file)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("docs", help="say where the guides and the scenario schema are",
                       description="Print where kazsim's guides (how to play, how to write "
                                   "a scenario, what validate's messages mean) and the JSON "
                                   "Schema of the scenario format are installed.")
    p.add_argument("--path", action="store_true", help="print only the folder")
    p.set_defaults(func=cmd_docs)
    return parser


def _opens_the_game(args: argparse.Namespace) -> bool:
    """Whether the command runs the Textual game (which draws the terminal itself)."""
    if args.func is cmd_title:
        return True
    if args.func is cmd_play:
        return not args.auto
    if args.func is cmd_host:
        return not args.headless
    if args.func is cmd_join:
        return not args.auto
    return args.func is cmd_replay and not args.verify


@contextlib.contextmanager
def _escaped_output() -> Iterator[None]:
    """stdout and stderr through `EscapedText` for as long as the block runs."""
    from kazsim.untrusted import EscapedText

    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = EscapedText(sys.stdout), EscapedText(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    with _escaped_output():
        args = parser.parse_args(argv)
        if not _opens_the_game(args):
            return _run(args)
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        status: int = args.func(args)
        return status
    except CliError as exc:
        print(f"kazsim: {exc}", file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"kazsim: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("kazsim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
