"""The TUI's one door to `kazsim.session`: start, autosave, save as, load, transcripts.

Screens call these helpers and get either a result or a one-line message to
show; no `SaveError` reaches the screen. Seats (the TUI's players) and the
session's `Player` records are converted here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kazsim.engine.game import Game
from kazsim.engine.state import TurnRecord
from kazsim.scenario.compiled import CompiledScenario
from kazsim.session.model import Player, SaveError, ai, human
from kazsim.session.replay import LoadedSession, load_session
from kazsim.session.session import Session, utc_now
from kazsim.tui.config import GameConfig, Seat

Clock = Callable[[], dt.datetime]


def players_of(config: GameConfig) -> dict[str, Player]:
    return {s.role: human(s.name) if s.human else ai(s.level) for s in config.seats}


def config_of(seed: int, players: Mapping[str, Player], roles: tuple[str, ...]) -> GameConfig:
    seats = []
    for role in roles:
        player = players[role]
        if player.kind == "human":
            seats.append(Seat(role, True, player.name))
        else:
            seats.append(Seat(role, False, "", player.level))
    return GameConfig(seed, tuple(seats))


@dataclass
class Saver:
    """A session being played: autosaves after every turn, saves under a name."""

    session: Session

    @property
    def game(self) -> Game:
        return self.session.game

    @property
    def path(self) -> Path:
        return self.session.path

    def autosave(self, record: TurnRecord) -> str:
        """Save after a turn; '' when saved, else the problem in one line."""
        try:
            self.session.record(record)
        except (SaveError, OSError) as exc:
            return f"The game could not be saved: {exc}"
        return ""

    def save_as(self, name: str, *, overwrite: bool = False) -> tuple[bool, str]:
        """(saved, message): not saved with a message when the name is taken or unusable."""
        try:
            path = self.session.save_as(name, overwrite=overwrite)
        except SaveError as exc:
            return False, exc.message or str(exc)
        except OSError as exc:
            return False, f"cannot write the save: {exc}"
        return True, f"Saved as {path}"

    def name_taken(self, name: str) -> bool:
        from kazsim.session.store import safe_name

        try:
            target = self.session.path.parent / f"{safe_name(name)}.json"
        except SaveError:
            return False
        return target.exists() and target != self.session.path


def start(scenario: CompiledScenario, config: GameConfig, folder: Path,
          clock: Clock = utc_now) -> tuple[Saver | None, str]:
    """A new saved game; (None, message) when the save folder cannot be used."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        session = Session.new(scenario, config.seed, players_of(config), folder, clock=clock)
    except (SaveError, OSError) as exc:
        return None, f"Games cannot be saved in {folder}: {exc}. This game will not be saved."
    return Saver(session), ""


def load(path: str | Path) -> tuple[LoadedSession | None, str]:
    """A save read and replayed, or (None, the problem in one line)."""
    try:
        return load_session(path), ""
    except SaveError as exc:
        return None, str(exc)
    except OSError as exc:
        return None, f"{path}: cannot be read: {exc.strerror or exc}"


def resume(loaded: LoadedSession, clock: Clock = utc_now) -> tuple[Saver | None, str]:
    """Go on with a loaded game (accepting a changed scenario, which the player confirmed)."""
    try:
        return Saver(Session.resume(loaded, accept_changes=True, clock=clock)), ""
    except (SaveError, OSError) as exc:
        return None, str(exc)


def write_transcript(saver: Saver) -> tuple[Path | None, str]:
    """The game's Markdown transcript, next to its save (same name, .md)."""
    from kazsim.session.store import write_atomic
    from kazsim.session.transcript import transcript_of

    target = saver.path.with_suffix(".md")
    try:
        write_atomic(target, transcript_of(saver.session).encode("utf-8"))
    except OSError as exc:
        return None, f"{target}: cannot write the transcript: {exc.strerror or exc}"
    return target, f"Transcript saved: {target}"
