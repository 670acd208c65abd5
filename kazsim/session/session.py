"""A game being played and its save file: the one handle faces use to persist games.

    session = Session.new(scenario, seed, {"government": human("Aigerim"),
                                           "protesters": ai("easy")}, save_folder)
    record = session.game.play(decisions)   # or session.play(decisions)
    session.record(record)                  # autosave: atomic, after every turn
    session.save_as("monday class")         # from now on, autosaves go there

    loaded = load_session(path)             # kazsim.session.replay
    if loaded.changed: show(loaded.notice())
    session = Session.resume(loaded, accept_changes=True)

A new session's file is created at once (`<scenario>-seed<seed>-<n>.json`, the
first free n, or the player's name for it), so the game is listed in "Load
game" from its first screen. A session resumed on a changed scenario writes a
new file: the original save is never overwritten.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from kazsim import __version__
from kazsim.engine import Game, TurnRecord
from kazsim.scenario.compiled import CompiledScenario
from kazsim.session.clock import Clock, utc_now
from kazsim.session.model import (
    FORMAT,
    FORMAT_VERSION,
    Player,
    SaveError,
    SaveFile,
    ScenarioRef,
    TurnEntry,
    format_timestamp,
)
from kazsim.session.replay import LoadedSession
from kazsim.session.store import TargetRefusedError, auto_names, safe_name, write_atomic


class Session:
    """A `Game`, who plays each role, and the file it is saved to after every turn."""

    def __init__(self, game: Game, players: Mapping[str, Player], path: Path, *,
                 name: str | None = None, created: str | None = None,
                 clock: Clock = utc_now) -> None:
        missing = [r for r in game.scenario.role_ids if r not in players]
        extra = [r for r in players if r not in game.scenario.role_ids]
        if missing or extra:
            raise ValueError(f"players must name every role exactly: missing {missing}, "
                             f"unknown {extra}")
        self.game = game
        self.players: dict[str, Player] = {r: players[r] for r in game.scenario.role_ids}
        self.path = Path(os.path.abspath(path))  # every message names the file in full
        self.name = name
        self.clock = clock
        self.created = created or format_timestamp(clock())
        self.failed: SaveError | None = None  # why the last autosave failed, if it did
        self._checksums: list[str] = []

    @property
    def scenario(self) -> CompiledScenario:
        return self.game.scenario

    # --- starting -----------------------------------------------------------------------------

    @classmethod
    def new(cls, scenario: CompiledScenario, seed: int, players: Mapping[str, Player],
            folder: str | os.PathLike[str], *, name: str | None = None,
            clock: Clock = utc_now, turns: int | None = None) -> Session:
        """Start a game (a lesson of `turns`, if given) and create its save file (never
        replacing an existing one)."""
        return cls.for_game(Game(scenario, seed, turns=turns), players, folder, name=name,
                            clock=clock)

    @classmethod
    def for_game(cls, game: Game, players: Mapping[str, Player],
                 folder: str | os.PathLike[str], *, name: str | None = None,
                 clock: Clock = utc_now) -> Session:
        """Create the save file of `game` (a new game, or one already under way)."""
        session = cls(game, players, Path(folder), name=name, clock=clock)
        session._create(session.path)
        return session

    @classmethod
    def resume(cls, loaded: LoadedSession, *, accept_changes: bool = False,
               clock: Clock = utc_now) -> Session:
        """Go on with a loaded game: in its own file, or a new one if the scenario changed.

        A changed scenario must be accepted explicitly (after showing
        `loaded.notice()`); the game then goes on from the last turn that replayed.
        """
        if loaded.changed and not accept_changes:
            raise SaveError(str(loaded.path), loaded.notice())
        if not loaded.can_continue and loaded.changed:
            raise SaveError(str(loaded.path), loaded.notice())
        save = loaded.save
        if not loaded.changed:
            session = cls(loaded.game, save.players, loaded.path, name=save.name,
                          created=save.created, clock=clock)
            session._checksums = [t.checksum for t in save.turns]
            return session
        name = (f"{save.name} (on version {loaded.scenario.model.version})"
                if save.name else None)
        session = cls(loaded.game, save.players, loaded.path.parent, name=name, clock=clock)
        session._create(session.path)
        return session

    # --- playing ------------------------------------------------------------------------------

    def play(self, decisions: Mapping[str, str]) -> TurnRecord:
        """Resolve a turn and autosave."""
        record = self.game.play(decisions)
        self.record(record)
        return record

    def record(self, record: TurnRecord) -> Path:
        """Autosave after `record`, the turn the game just resolved. Returns the path."""
        if not self.game.records or self.game.records[-1] is not record:
            raise ValueError("record() takes the record the session's game just returned")
        return self.save()

    def autosave(self, record: TurnRecord) -> str:
        """Autosave after `record`; what to tell the player, '' when there is nothing to say.

        A save that fails (a full disk, a folder that went away) stops nothing: the
        game goes on, the message says so, and every later turn tries again; the
        first that succeeds says that the game is saved again.
        """
        try:
            self.record(record)
        except SaveError as exc:
            first = self.failed is None
            self.failed = exc
            again = "" if first else " again"
            return (f"The game could not be saved{again}: {exc}. It goes on; the next turn "
                    "tries to save it again.")
        if self.failed is None:
            return ""
        self.failed = None
        return f"The game is saved again, every turn so far, in {self.path}."

    def set_player(self, role_id: str, player: Player) -> None:
        """Hand a role to someone else (e.g. the AI takes over a human's role)."""
        if role_id not in self.players:
            raise ValueError(f"unknown role '{role_id}'")
        self.players[role_id] = player

    # --- saving -------------------------------------------------------------------------------

    def document(self) -> SaveFile:
        """The save as it would be written now."""
        states = self.game.states
        for index in range(len(self._checksums), len(self.game.records)):
            self._checksums.append(states[index + 1].checksum())
        scenario = self.scenario
        path = scenario.path
        now = format_timestamp(self.clock())
        return SaveFile(
            format=FORMAT,
            format_version=FORMAT_VERSION,
            kazsim_version=__version__,
            name=self.name,
            created=self.created,
            updated=max(now, self.created),
            scenario=ScenarioRef(
                id=scenario.id, title=scenario.model.title[:200],
                version=scenario.model.version[:200],
                path=os.path.abspath(path) if path and not path.startswith("<") else None,
                content_hash=scenario.content_hash),
            seed=self.game.seed,
            players=dict(self.players),
            turns=[TurnEntry(turn=r.turn, decisions=dict(r.decisions), checksum=c)
                   for r, c in zip(self.game.records, self._checksums, strict=True)],
            ending=self.game.state.ending,
            turn_limit=self.game.turn_limit,
            draws=self._scheme(),
        )

    def _scheme(self) -> Literal[1, 2]:
        """How the game draws, as the save records it (`SaveFile.draws`)."""
        scheme = self.game.draws.scheme
        if scheme not in (1, 2):
            raise ValueError(f"a save cannot record the draws scheme {scheme}")
        return 1 if scheme == 1 else 2

    def save(self) -> Path:
        """Write the save atomically to its file (or raise `SaveError`)."""
        data = self.document().to_json().encode("utf-8")
        try:
            write_atomic(self.path, data)
        except OSError as exc:
            raise SaveError(str(self.path), _cannot_write(exc)) from None
        return self.path

    def save_as(self, name: str, *, overwrite: bool = False) -> Path:
        """Save under a name the player chose; later autosaves go to that file too.

        Raises `SaveError` if the name is unusable, or taken by another save and
        `overwrite` is false.
        """
        target = self.path.parent / f"{safe_name(name)}.json"
        previous = (self.path, self.name)
        self.name = name.strip()[:200]
        if target == self.path or overwrite:
            self.path = target
            try:
                return self.save()
            except SaveError:
                self.path, self.name = previous
                raise
        try:
            self._write_new(target)
        except TargetRefusedError as exc:
            self.name = previous[1]
            raise SaveError(str(target), f"cannot save here: {exc.strerror}") from None
        except FileExistsError:
            self.name = previous[1]
            raise SaveError(str(target), "a save with this name already exists: choose "
                            "another name, or replace it") from None
        except SaveError:
            self.name = previous[1]
            raise
        self.path = target
        return target

    def _create(self, folder: Path) -> None:
        """Give a new session a file of its own (first free auto name, or its name)."""
        if self.name:
            target = folder / f"{safe_name(self.name)}.json"
            try:
                self._write_new(target)
            except FileExistsError:
                raise SaveError(str(target), "a save with this name already exists") \
                    from None
            self.path = target
            return
        for candidate in auto_names(folder, self.scenario.id, self.game.seed):
            try:
                self._write_new(candidate)
            except FileExistsError:
                continue
            self.path = candidate
            return

    def _write_new(self, target: Path) -> None:
        data = self.document().to_json().encode("utf-8")
        try:
            write_atomic(target, data, exclusive=True)
        except FileExistsError:
            raise
        except OSError as exc:
            raise SaveError(str(target), _cannot_write(exc)) from None


def _cannot_write(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return ("cannot write the save: the name is too long for this folder's file system; "
                "choose a shorter name")
    return f"cannot write the save: {exc.strerror or exc}"
