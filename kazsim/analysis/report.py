"""`kazsim check`: play-test a scenario with the AI in every role and report.

The report goes to stdout (or `-o FILE`) and depends only on the scenario, the
number of games, the first seed and the AI level; the time taken and the
number of processes go to stderr. The report quotes the scenario's ids and
texts, so the text and Markdown reports are passed through `printable` (the
JSON report escapes the same characters as JSON escapes), whether they go to
the terminal or to a file someone will `cat`. Ctrl-C or SIGTERM stops the
run with one line (exit status 130 or 143).
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

from kazsim.analysis.findings import build
from kazsim.analysis.progress import Progress
from kazsim.analysis.render import RENDERERS
from kazsim.analysis.simulate import CheckError, CheckStopped, run_games
from kazsim.analysis.timeline_report import with_timeline
from kazsim.scenario.compiled import CompiledScenario
from kazsim.untrusted import printable, printable_line


def check_command(args: argparse.Namespace, scenario: CompiledScenario) -> int:
    """Run `kazsim check` on a loaded scenario; returns the exit status."""
    runs: int = args.runs
    jobs: int = args.jobs
    output: str | None = args.output
    if runs < 1:
        print("kazsim check: --runs must be at least 1", file=sys.stderr)
        return 2
    if jobs < 0:
        print("kazsim check: --jobs must be 0 (automatic) or more", file=sys.stderr)
        return 2
    if output not in (None, "-") and _same_file(output, scenario.path):
        print(f"kazsim check: -o {printable_line(output)} would overwrite the scenario itself; "
              "give another file name, e.g. check-report.md", file=sys.stderr)
        return 2
    look_ahead = getattr(args, "look_ahead", None)
    if look_ahead is not None and look_ahead not in scenario.role_ids:
        print(f"kazsim check: --look-ahead: the scenario has no role "
              f"'{printable_line(look_ahead)}' (its roles: "
              f"{', '.join(printable_line(r) for r in scenario.role_ids)})", file=sys.stderr)
        return 2
    progress = Progress(runs)
    started = time.perf_counter()
    try:
        tally, workers = run_games(scenario, runs, args.seed, args.ai_level, jobs,
                                   progress=progress, look_ahead=look_ahead)
    except CheckError as exc:
        print(f"kazsim check: {printable(str(exc))}", file=sys.stderr)
        return 1
    except CheckStopped as exc:
        progress.close()  # before the message, on a line of its own
        how = "interrupted" if exc.signum == signal.SIGINT else "terminated"
        print(f"kazsim check: {how} after {exc.done:,} of {runs:,} games; no report written",
              file=sys.stderr)
        return 128 + exc.signum
    finally:
        progress.close()
    elapsed = time.perf_counter() - started
    findings = build(scenario, tally, args.seed, args.ai_level, name=args.scenario,
                     look_ahead=look_ahead)
    report = RENDERERS[args.format](findings)
    report = with_timeline(report, args.format, scenario, tally.timeline, tally.runs)
    if args.format != "json":
        report = printable(report)
    if output in (None, "-"):
        sys.stdout.write(report)
    else:
        try:
            Path(output).write_text(report, encoding="utf-8")
        except OSError as exc:
            print(f"kazsim check: cannot write {printable_line(output)}: {exc.strerror}",
                  file=sys.stderr)
            return 1
        print(f"wrote {printable_line(output)}", file=sys.stderr)
    processes = f"{workers} process{'es' if workers > 1 else ''}"
    print(f"played {runs:,} games in {elapsed:.1f} s ({runs / elapsed:,.0f} games/s, "
          f"{processes})", file=sys.stderr)
    return 0


def _same_file(output: str, scenario_path: str) -> bool:
    try:
        return Path(output).resolve() == Path(scenario_path).resolve()
    except OSError:
        return False
