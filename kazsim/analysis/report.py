"""`kazsim check`: play-test a scenario with the AI in every role and report.

Three sets of games: the main sample (`--runs`, the AI in every role); the
exploit finder's smaller samples (`exploits`, unless `--no-exploits`); and,
for a variant (or with `--against BASE`), the original on the same seeds
(`compare`). All of a scenario's games share one pool of workers.

The report goes to stdout (or `-o FILE`) and depends only on the scenario (and
its original), the options and the seeds; the time taken and the number of
processes go to stderr. The report quotes the scenario's ids and
texts, so the text and Markdown reports are passed through `printable` (the
JSON report escapes the same characters as JSON escapes), whether they go to
the terminal or to a file someone will `cat`. Ctrl-C or SIGTERM stops the
run with one line (exit status 130 or 143).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from kazsim.analysis import exploits
from kazsim.analysis.compare import compare
from kazsim.analysis.findings import NO_EXPLOITS, ExploitSearch, build
from kazsim.analysis.progress import Progress
from kazsim.analysis.render import RENDERERS
from kazsim.analysis.simulate import CheckError, CheckStopped, Plan, Tally, run_plans
from kazsim.analysis.timeline_report import with_timeline
from kazsim.analysis.watch import base_of
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
    rare: float = getattr(args, "rare", 0.02)
    single: float = getattr(args, "single_choice", 0.2)
    for option, value in (("--rare", rare), ("--single-choice", single)):
        if not 0 <= value <= 1:
            print(f"kazsim check: {option} is a share of games or turns, from 0 to 1 "
                  f"(e.g. 0.02 for 2%), not {value:g}", file=sys.stderr)
            return 2
    repeat_runs: int = getattr(args, "exploit_runs", exploits.REPEAT_RUNS)
    if repeat_runs < 1:
        print("kazsim check: --exploit-runs must be at least 1 (or skip the search with "
              "--no-exploits)", file=sys.stderr)
        return 2
    base, base_name, against = None, "", getattr(args, "against", None) or ""
    base_path = Path(against) if against else base_of(Path(scenario.path))
    if against and not Path(against).is_file():
        from kazsim.scenario.catalog import find_scenario

        base_path = find_scenario(against)
    if base_path is not None:
        from kazsim.scenario.load import validate_file

        base_name = os.path.normpath(base_path)
        base, problems = validate_file(base_path)
        if base is None:
            first = next((p for p in problems if p.severity == "error"), None)
            print(f"kazsim check: the original, {printable_line(base_name)}, has problems: "
                  f"{printable_line(str(first))}", file=sys.stderr)
            return 1
    elif against:
        print(f"kazsim check: --against: no scenario called '{printable_line(against)}'",
              file=sys.stderr)
        return 2
    skipped = ""
    if getattr(args, "no_exploits", False):
        skipped = NO_EXPLOITS
    elif args.ai_level == "hard":
        skipped = "every role is already played by the look-ahead AI (--ai-level hard)"
    elif look_ahead is not None:
        skipped = "one role is played by the look-ahead AI (--look-ahead)"
    look_runs = exploits.look_ahead_runs(repeat_runs)
    extra = [] if skipped else exploits.plans(scenario, args.seed, min(repeat_runs, runs),
                                               min(look_runs, runs))
    plans = [(Plan(args.ai_level, look_ahead), args.seed, runs), *extra]
    total = sum(n for _, _, n in plans) + (runs if base is not None else 0)
    progress = Progress(total)
    started = time.perf_counter()
    base_tally: Tally | None = None
    try:
        engine = "reference" if getattr(args, "reference_engine", False) else "auto"
        tallies, workers = run_plans(scenario, plans, jobs, progress=progress, engine=engine)
        if base is not None:
            offset = sum(n for _, _, n in plans)
            [base_tally], _ = run_plans(base, [(Plan(args.ai_level, look_ahead), args.seed,
                                                runs)], jobs,
                                        progress=lambda n: progress(offset + n),
                                        engine=engine)
    except CheckError as exc:
        print(f"kazsim check: {printable(str(exc))}", file=sys.stderr)
        return 1
    except CheckStopped as exc:
        progress.close()  # before the message, on a line of its own
        how = "interrupted" if exc.signum == signal.SIGINT else "terminated"
        print(f"kazsim check: {how} after {exc.done:,} of {total:,} games; no report written",
              file=sys.stderr)
        return 128 + exc.signum
    finally:
        progress.close()
    elapsed = time.perf_counter() - started
    tally = tallies[0]
    search = None
    if not skipped:
        found = exploits.strategies(scenario, extra, tallies[1:])
        search = ExploitSearch(min(repeat_runs, runs), min(look_runs, runs), tuple(found),
                               tuple(exploits.exploits(scenario, found, tally)))
    comparison = (compare(base, base_tally, scenario, tally, base_name)
                  if base is not None and base_tally is not None else None)
    findings = build(scenario, tally, args.seed, args.ai_level, name=args.scenario,
                     look_ahead=look_ahead, rare=rare, single_choice=single,
                     exploit_search=search, exploits_skipped=skipped, comparison=comparison,
                     against=against)
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
    more = []
    if extra:
        more.append(f"{sum(n for _, _, n in extra):,} to look for exploits")
    if base is not None:
        more.append(f"{runs:,} of the original")
    also = f" and {' and '.join(more)}" if more else ""
    print(f"played {runs:,} games{also} in {elapsed:.1f} s ({total / elapsed:,.0f} games/s, "
          f"{processes})", file=sys.stderr)
    return 0


def _same_file(output: str, scenario_path: str) -> bool:
    try:
        return Path(output).resolve() == Path(scenario_path).resolve()
    except OSError:
        return False
