"""The command line: the one entry point (`kazsim` and `python -m kazsim`).

This module only parses arguments, calls into the package and maps results to
exit codes: 0 success, 1 a problem with the user's input (an invalid scenario,
a save that does not verify), 2 a usage error, 130 interrupted. Heavy modules
(Textual, pydantic) are imported inside the commands that need them, so
`kazsim --help` and the game's first frame stay fast.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kazsim import __version__

if TYPE_CHECKING:
    from kazsim.scenario.compiled import CompiledScenario


class CliError(Exception):
    """A problem to report to the user in one line, with exit status 1."""


def _scenario(name: str, *, to_play: bool = False) -> CompiledScenario:
    """Load a scenario by id or path, or raise `CliError` with every problem.

    `to_play`: from the cache of validated scenarios when the file is known there
    (`kazsim check` validates afresh).
    """
    from kazsim.cache import load_for_play
    from kazsim.scenario.catalog import find_scenario
    from kazsim.scenario.load import errors_text, validate_file

    path = find_scenario(name)
    if path is None:
        raise CliError(f"no scenario called '{name}': run 'kazsim list' to see them, "
                       "or give the path of a .yaml file")
    compiled, problems = load_for_play(path) if to_play else validate_file(path)
    if compiled is None:
        raise CliError(f"{path} has problems:\n{errors_text(problems)}")
    return compiled


def save_dir(args: argparse.Namespace) -> Path:
    """--save-dir, else $KAZSIM_SAVE_DIR, else ./saves."""
    chosen = getattr(args, "save_dir", None) or os.environ.get("KAZSIM_SAVE_DIR") or "saves"
    return Path(chosen)


# --- commands -------------------------------------------------------------------------------

def cmd_list(args: argparse.Namespace) -> int:
    from kazsim.scenario.catalog import list_scenarios

    entries = list_scenarios()
    if not entries:
        print("No scenarios found. Put .yaml files in ./scenarios or give a path.")
        return 0
    width = max(len(e.id) for e in entries)
    for entry in entries:
        if entry.problem:
            print(f"{entry.id.ljust(width)}  (cannot be read: {entry.problem})  {entry.path}")
            continue
        turns = f"{entry.turns} turns" if entry.turns else "? turns"
        print(f"{entry.id.ljust(width)}  {entry.title}  [{turns}, {len(entry.roles)} roles]")
        if args.verbose:
            pad = " " * (width + 2)
            print(f"{pad}roles: {', '.join(entry.roles)}")
            print(f"{pad}file: {entry.path}")
            print(textwrap.fill(" ".join(entry.summary.split()), 78, initial_indent=pad,
                                subsequent_indent=pad))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from kazsim.scenario.load import validate_file

    if args.watch:
        from kazsim.analysis.watch import watch

        return watch(args.files, validate_file)
    status = 0
    for name in args.files:
        compiled, problems = validate_file(name)
        for problem in problems:
            print(problem)
        if compiled is None:
            status = 1
            errors = sum(p.severity == "error" for p in problems)
            print(f"{name}: {errors} error{'s' if errors != 1 else ''}", file=sys.stderr)
        else:
            print(f"{name}: valid ({compiled.model.title}, {len(compiled.roles)} roles, "
                  f"{compiled.last_turn} turns)")
    return status


def cmd_play(args: argparse.Namespace) -> int:
    if args.auto:
        from kazsim.session.autoplay import autoplay

        scenario = _scenario(args.scenario, to_play=True) if args.scenario else None
        return autoplay(args, scenario, save_dir(args))
    from kazsim.tui.launch import run_tui

    return run_tui(scenario=args.scenario, roles=args.role, seed=args.seed,
                   level=args.ai_level, load=args.load, save_dir=save_dir(args))


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

    return export_command(Path(args.file), args.output, args.scenario, force=args.force)


def cmd_check(args: argparse.Namespace) -> int:
    from kazsim.analysis.report import check_command

    return check_command(args, _scenario(args.scenario))


def cmd_new(args: argparse.Namespace) -> int:
    from kazsim.analysis.starter import new_command

    return new_command(args.name, args.directory, force=args.force)


def cmd_schema(args: argparse.Namespace) -> int:
    from kazsim.analysis.schema import schema_command

    return schema_command(args.output)


# --- the parser -----------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kazsim",
        description="A game about how a political crisis unfolds. With no command, "
                    "opens the game in the terminal.",
    )
    parser.add_argument("--version", action="version", version=f"kazsim {__version__}")
    parser.add_argument("--save-dir", metavar="DIR",
                        help="where games are saved (default: $KAZSIM_SAVE_DIR or ./saves)")
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
                   help="a role you play yourself (repeat for hot seat); the AI plays the rest")
    p.add_argument("--seed", type=int, default=None, help="the game's seed (default: random)")
    p.add_argument("--ai-level", choices=("easy", "hard"), default="easy",
                   help="how well the AI plays (default: easy)")
    p.add_argument("--auto", action="store_true",
                   help="no screen: the AI plays every role and the story is printed")
    p.add_argument("--why", action="store_true",
                   help="with --auto: print why each indicator changed")
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
    p.add_argument("files", nargs="+", metavar="FILE")
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
    p.add_argument("--ai-level", choices=("easy", "hard"), default="easy",
                   help="how well the AI plays every role (default: easy)")
    p.add_argument("--look-ahead", metavar="ROLE",
                   help="play this one role with the look-ahead (hard) AI and the others at "
                        "--ai-level: how often does a player who plans ahead win?")
    p.add_argument("-o", "--output", metavar="FILE", help="write the report to a file")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("new", help="write a commented starter scenario",
                       description="Write NAME.yaml: a commented starter scenario that "
                                   "validates and plays as it is.")
    p.add_argument("name", help="the new scenario's id, e.g. my_crisis")
    p.add_argument("-d", "--directory", default="scenarios", help="where to write it")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("schema", help="write the JSON Schema of the scenario format",
                       description="Write the JSON Schema of the scenario format, for "
                                   "editors that check YAML as you type.")
    p.add_argument("-o", "--output", metavar="FILE", default="-",
                   help="where to write it (default: stdout)")
    p.set_defaults(func=cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.func(args)
        return status
    except CliError as exc:
        print(f"kazsim: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kazsim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
