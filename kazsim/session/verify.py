"""`kazsim replay FILE --verify`: re-run a saved game headless and check every turn.

Prints one line: "OK: N turns verified, ending X" (exit 0), or the first turn
that does not replay and why (exit 1). A file that cannot be read, or whose
scenario cannot be found or has changed, is a one-line message and exit 1.
"""

from __future__ import annotations

import os
import sys

from kazsim.session.model import SaveError
from kazsim.session.replay import replay, scenario_for
from kazsim.session.store import read_save
from kazsim.story import a_lesson


def verify_command(path: str | os.PathLike[str], scenario: str | None = None) -> int:
    """Verify one save; `scenario` is the scenario file to use instead of the save's own."""
    from pathlib import Path

    try:
        save = read_save(path)
        compiled = scenario_for(save, scenario, Path(path))
    except SaveError as exc:
        print(f"kazsim: {exc}", file=sys.stderr)
        return 1
    if compiled.content_hash != save.scenario.content_hash:
        ref = save.scenario
        print(f"kazsim: {path}: the scenario file {compiled.path} is not the one this save was "
              f"made with (version {ref.version}, content {ref.content_hash[:12]}...; this file "
              f"is version {compiled.model.version}, content {compiled.content_hash[:12]}...); "
              "give the original with --scenario FILE", file=sys.stderr)
        return 1
    game, divergence = replay(compiled, save)
    if divergence is not None:
        print(str(divergence))
        return 1
    turns = len(game.records)
    noun = "turn" if turns == 1 else "turns"
    if game.turn_limit is not None:
        noun += f" of {a_lesson(game.turn_limit)}"
    if game.state.ending is None:
        print(f"OK: {turns} {noun} verified, game in progress (next: turn {game.turn})")
    else:
        title = compiled.ending(game.state.ending).title
        print(f"OK: {turns} {noun} verified, ending {game.state.ending} ({title})")
    return 0
