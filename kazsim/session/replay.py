"""Loading is replaying: a save's decisions played again on its scenario.

`replay` rebuilds `Game(scenario, seed)` (a lesson of the save's `turn_limit`, if it
has one, drawing as the save's `draws` says) and plays every logged turn, comparing
each state's checksum with the one saved. `load_session` reads a save file,
finds its scenario and replays it; it returns a `LoadedSession` that says
whether the scenario changed since the save was made:

* unchanged (same content hash): every turn must replay with the same
  checksum, else `SaveError` naming the turn;
* changed: the decisions are replayed on the new file without checksums, as
  far as they stay legal, and `divergence` says exactly where and why they
  stopped (a decision no longer available, an ending reached earlier, roles
  that differ). Nothing continues on the new version unless the caller asks
  (`Session.resume(loaded, accept_changes=True)`), and `notice()` tells the
  player in words. The other choice is to pass the old file as `scenario`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kazsim.engine import Game, IllegalDecisionError
from kazsim.scenario.compiled import CompiledScenario
from kazsim.session.model import Player, SaveError, SaveFile, TurnEntry
from kazsim.session.store import read_save

DivergenceKind = Literal["roles", "illegal", "ended", "checksum", "ending"]


@dataclass(frozen=True)
class Divergence:
    """The first turn of a save that does not replay, and why."""

    turn: int
    kind: DivergenceKind
    message: str

    def __str__(self) -> str:
        return f"turn {self.turn}: {self.message}"


def replay(scenario: CompiledScenario, save: SaveFile, *,
           check: bool = True) -> tuple[Game, Divergence | None]:
    """Play the save's decisions again; stop at the first turn that does not replay.

    With `check`, every state's checksum (and the recorded ending) must match the
    save's. The game returned holds every turn that replayed.
    """
    game = Game(scenario, save.seed, turns=save.turn_limit, scheme=save.draws)
    if set(save.players) != set(scenario.role_ids):
        return game, Divergence(1, "roles", _roles_differ(save, scenario))
    for entry in save.turns:
        if game.over:
            assert game.state.ending is not None
            title = scenario.ending(game.state.ending).title
            return game, Divergence(entry.turn, "ended", f"the game already ended after turn "
                                    f"{entry.turn - 1} ('{title}')")
        try:
            game.play(entry.decisions)
        except IllegalDecisionError:
            return game, Divergence(entry.turn, "illegal", _why_illegal(game, entry))
        if check:
            got = game.state.checksum()
            if got != entry.checksum:
                return game, Divergence(entry.turn, "checksum", f"checksum differs "
                                        f"(expected {entry.checksum}, got {got})")
    if check and save.ending != game.state.ending:
        turn = save.turns[-1].turn if save.turns else 1
        return game, Divergence(turn, "ending", f"the save records the ending "
                                f"{_ending(save.ending)} but the game replays to "
                                f"{_ending(game.state.ending)}")
    return game, None


def _ending(ending: str | None) -> str:
    return f"'{ending}'" if ending else "none (still in progress)"


def _roles_differ(save: SaveFile, scenario: CompiledScenario) -> str:
    gone = sorted(set(save.players) - set(scenario.role_ids))
    new = sorted(set(scenario.role_ids) - set(save.players))
    parts = []
    if gone:
        parts.append(f"role{'s' if len(gone) > 1 else ''} {', '.join(gone)} "
                     "no longer in the scenario")
    if new:
        parts.append(f"new role{'s' if len(new) > 1 else ''} {', '.join(new)} "
                     "not in the save")
    return "the roles differ: " + "; ".join(parts)


def _why_illegal(game: Game, entry: TurnEntry) -> str:
    """In words: which decision cannot be played on this turn, and why."""
    scenario = game.scenario
    for role_id in scenario.role_ids:
        role = scenario.role(role_id)
        action_id = entry.decisions[role_id]
        if action_id not in role.by_id:
            return f"{role.model.name} ({role_id}) has no action '{action_id}'"
        for status in game.statuses(role_id):
            if status.action.id == action_id and not status.available:
                return (f"{role.model.name} ({role_id}) chose '{status.action.model.label}' "
                        f"({action_id}), which is not available: {status.reason}")
    return "the decisions cannot be played"


@dataclass(frozen=True)
class LoadedSession:
    """A save read from disk and replayed on a scenario."""

    path: Path
    save: SaveFile
    scenario: CompiledScenario
    game: Game  # every turn that replayed
    changed: bool  # the scenario file is not the one the save was made with
    divergence: Divergence | None  # where replaying on a changed scenario stopped

    @property
    def players(self) -> dict[str, Player]:
        return dict(self.save.players)

    @property
    def kept(self) -> int:
        """How many of the saved turns replayed."""
        return len(self.game.records)

    @property
    def can_continue(self) -> bool:
        """Whether the game can go on from here (on the new scenario if it changed)."""
        return not self.game.over and (self.divergence is None
                                       or self.divergence.kind != "roles")

    def notice(self) -> str:
        """What a player must be told before continuing: '' when the scenario is unchanged."""
        if not self.changed:
            return ""
        ref = self.save.scenario
        now = self.scenario.model.version
        what = (f"version {ref.version}; the file is now version {now}" if ref.version != now
                else f"version {ref.version}, and the file has been edited since "
                     "(same version number)")
        lines = [f"This save was made with '{ref.title}' {what}."]
        total = len(self.save.turns)
        if self.divergence is None:
            lines.append(f"All {total} saved turn{'s' if total != 1 else ''} are still legal "
                         "on the new version (the results may differ).")
            if self.save.ending and not self.game.over:
                lines.append(f"The saved game had ended ('{self.save.ending}'); on the new "
                             "version it goes on.")
        elif self.divergence.kind == "roles":
            lines.append(f"It cannot continue on the new version: {self.divergence.message}.")
        else:
            lines.append(f"On the new version the saved decisions replay up to turn "
                         f"{self.kept} of {total}; {self.divergence}.")
        lines.append("To replay it exactly, give the old scenario file "
                     "(kazsim play OLD.yaml --load SAVE, or --scenario OLD.yaml).")
        return " ".join(lines)


def load_session(path: str | os.PathLike[str], *,
                 scenario: CompiledScenario | str | os.PathLike[str] | None = None
                 ) -> LoadedSession:
    """Read a save and replay it, or raise `SaveError` (one line).

    `scenario` is the scenario to replay on (compiled, or a file path); by
    default the save's own file is looked for by its content hash, then by id.
    """
    where = str(path)
    save = read_save(path)
    compiled = scenario_for(save, scenario, Path(path))
    changed = compiled.content_hash != save.scenario.content_hash
    game, divergence = replay(compiled, save, check=not changed)
    if divergence is not None and not changed:
        reason = (" — the save was edited, or made by a different kazsim engine"
                  if divergence.kind in ("checksum", "ending") else "")
        raise SaveError(where, f"{divergence}{reason}")
    return LoadedSession(Path(path), save, compiled, game, changed, divergence)


def scenario_for(save: SaveFile, given: CompiledScenario | str | os.PathLike[str] | None,
                 path: Path) -> CompiledScenario:
    """The scenario to replay `save` (read from `path`) on, or `SaveError`."""
    if isinstance(given, CompiledScenario):
        compiled = given
    elif given is not None:
        compiled = _compile(Path(given), str(path))
    else:
        found = _find_file(save, path.parent)
        if found is None:
            raise SaveError(str(path), f"the scenario '{save.scenario.id}' (version "
                            f"{save.scenario.version}) is not installed: give its file, "
                            "e.g. --scenario FILE.yaml")
        compiled = _compile(found, str(path))
    if compiled.id != save.scenario.id:
        raise SaveError(str(path), f"this save is for the scenario '{save.scenario.id}', "
                        f"not '{compiled.id}'")
    return compiled


def _compile(path: Path, where: str) -> CompiledScenario:
    from kazsim.cache import load_for_play

    compiled, problems = load_for_play(path)
    if compiled is None:
        first = next(p for p in problems if p.severity == "error")
        more = len([p for p in problems if p.severity == "error"]) - 1
        raise SaveError(where, f"the scenario cannot be loaded: {first}"
                        + (f" (and {more} more)" if more else ""))
    return compiled


def _find_file(save: SaveFile, save_folder: Path) -> Path | None:
    """The scenario file with the save's exact content, else the current one by id.

    Candidates: the path the save recorded (a hint from a file anyone may have
    written: followed only to a .yaml file), the .yaml files beside the save, and
    the scenario folders with their variants. Each is recognised by its content
    hash (`kazsim.scenario.contenthash`, a variant's including its base), read
    only if it is a regular file of a scenario's size: a FIFO or a device is
    passed over at once.
    """
    from kazsim.scenario.catalog import find_scenario, scenario_dirs
    from kazsim.scenario.contenthash import file_content_hash

    candidates: list[Path] = []
    hint = save.scenario.path
    if hint and Path(hint).suffix in (".yaml", ".yml"):
        candidates.append(Path(hint))
    for folder in [save_folder, *scenario_dirs()]:
        if folder.is_dir():
            candidates += sorted(folder.glob("*.yaml"))
            candidates += sorted(folder.glob("variants/*.yaml"))
    for candidate in candidates:
        try:
            if file_content_hash(candidate) == save.scenario.content_hash:
                return candidate
        except (OSError, ValueError):  # unreadable, refused, or a variant without its base
            continue
    return find_scenario(save.scenario.id)
