"""The TUI's one door to `kazsim.session`: start, autosave, save as, load, transcripts.

Screens call these helpers and get either a result or a one-line message to
show; no `SaveError` reaches the screen. Seats (the TUI's players) and the
session's `Player` records are converted here.

A new game's save file is created just after its first screen is shown
(`Saver.begin`, called by the game screen), not before: the save format's
validation imports pydantic, which would otherwise delay that screen by a
third. The session modules are imported here on first use for the same reason.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from kazsim.engine.game import Game
from kazsim.session.clock import Clock, utc_now
from kazsim.tui.config import GameConfig, Seat

if TYPE_CHECKING:
    from kazsim.engine.state import TurnRecord
    from kazsim.scenario.compiled import CompiledScenario
    from kazsim.session.model import Player
    from kazsim.session.replay import LoadedSession
    from kazsim.session.session import Session

def shown(path: str | os.PathLike[str]) -> str:
    """A save file or the save folder as the player reads it: the full path (wherever
    kazsim was started, there is no doubt which folder it is), control characters
    escaped. Every screen shows save paths through this one function."""
    from kazsim.untrusted import printable_line

    return printable_line(os.path.abspath(path))


def players_of(config: GameConfig) -> dict[str, Player]:
    from kazsim.session.model import ai, human

    return {s.role: human(s.name) if s.human else ai(s.level) for s in config.seats}


def config_of(seed: int, players: Mapping[str, Player], roles: tuple[str, ...],
              turns: int | None = None) -> GameConfig:
    seats = []
    for role in roles:
        player = players[role]
        if player.kind == "human":
            seats.append(Seat(role, True, player.name))
        else:
            seats.append(Seat(role, False, "", player.level))
    return GameConfig(seed, tuple(seats), turns)


class Saver:
    """A game being played and saved: autosaves after every turn, saves under a name.

    A new game has no file until `begin()` creates it; a resumed one has its session.
    """

    def __init__(self, game: Game, *, session: Session | None = None,
                 begin: Callable[[], Session] | None = None) -> None:
        self.game = game
        self._session = session
        self._begin = begin
        self._unsaved = False  # begin() could not create the save file

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the save file is created by begin(), which has not run")
        return self._session

    @property
    def path(self) -> Path | None:
        """The save file, once there is one."""
        return self._session.path if self._session is not None else None

    def begin(self) -> str:
        """Create the save file of a new game; '' when done, else the problem in one line
        (the game then goes on unsaved)."""
        from kazsim.session.model import SaveError

        if self._session is not None or self._begin is None:
            return ""
        begin, self._begin = self._begin, None
        try:
            self._session = begin()
        except (SaveError, OSError) as exc:
            self._unsaved = True
            return f"Games cannot be saved: {exc}. This game will not be saved."
        return ""

    def autosave(self, record: TurnRecord) -> str:
        """Save after a turn; '' when saved, else one line for the player: the problem
        (the next turn tries again), or that the game is saved again after one.
        `failing` says which."""
        problem = self.begin()
        if problem:
            return problem
        return self.session.autosave(record)

    @property
    def failing(self) -> bool:
        """Whether the last autosave failed (the next one will try again), or the save
        file could not be created at all."""
        if self._session is None:
            return self._unsaved
        return self._session.failed is not None

    def save_as(self, name: str, *, overwrite: bool = False) -> tuple[bool, str]:
        """(saved, message): not saved with a message when the name is taken or unusable."""
        from kazsim.session.model import SaveError

        problem = self.begin()
        if problem:
            return False, problem
        try:
            path = self.session.save_as(name, overwrite=overwrite)
        except SaveError as exc:
            return False, exc.message or str(exc)
        except OSError as exc:
            return False, f"cannot write the save: {exc}"
        return True, f"Saved as {shown(path)}"

    def name_taken(self, name: str) -> bool:
        from kazsim.session.model import SaveError
        from kazsim.session.store import safe_name

        if self._session is None:
            return False
        try:
            target = self._session.path.parent / f"{safe_name(name)}.json"
        except SaveError:
            return False
        return target.exists() and target != self._session.path


def start(scenario: CompiledScenario, config: GameConfig, folder: Path,
          clock: Clock = utc_now) -> Saver:
    """A new game, saved in `folder` from `Saver.begin()` on."""
    game = Game(scenario, config.seed, turns=config.turns)

    def begin() -> Session:
        from kazsim.session.session import Session

        folder.mkdir(parents=True, exist_ok=True)
        return Session.for_game(game, players_of(config), folder, clock=clock)

    return Saver(game, begin=begin)


def load(path: str | Path, *, scenario: CompiledScenario | None = None
         ) -> tuple[LoadedSession | None, str]:
    """A save read and replayed (on `scenario`, by default the save's own), or (None,
    the problem in one line)."""
    from kazsim.session.model import SaveError
    from kazsim.session.replay import load_session

    try:
        return load_session(path, scenario=scenario), ""
    except SaveError as exc:
        return None, str(exc)
    except OSError as exc:
        return None, f"{path}: cannot be read: {exc.strerror or exc}"


def resume(loaded: LoadedSession, clock: Clock = utc_now) -> tuple[Saver | None, str]:
    """Go on with a loaded game (accepting a changed scenario, which the player confirmed)."""
    from kazsim.session.model import SaveError
    from kazsim.session.session import Session

    try:
        session = Session.resume(loaded, accept_changes=True, clock=clock)
    except (SaveError, OSError) as exc:
        return None, str(exc)
    return Saver(session.game, session=session), ""


def write_transcript(saver: Saver) -> tuple[Path | None, str]:
    """The game's Markdown transcript, next to its save (same name, .md; an earlier
    transcript of the game is replaced, never a save or anything but a regular file)."""
    from kazsim.session import transcript

    problem = saver.begin()
    if problem:
        return None, problem
    target = saver.session.path.with_suffix(".md")
    try:
        transcript.write_transcript(target, transcript.transcript_of(saver.session),
                                    force=True)
    except OSError as exc:
        return None, f"{target}: cannot write the transcript: {exc.strerror or exc}"
    return target, f"Transcript saved: {shown(target)}"
