"""Who plays which role, at which AI level, the seed and the length: a game's set-up.

Built by the setup screen (or from the command line's --role/--seed/--ai-level)
and read by the play screen; also what a save records as its players. Pure:
no Textual, no engine calls beyond reading the scenario's roles.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from kazsim.scenario.compiled import CompiledScenario

Level = Literal["easy", "hard", "history"]
SEED_LIMIT = 1_000_000  # random seeds stay short enough to read out to a class


class SetupError(ValueError):
    """A set-up the scenario does not allow (unknown role, a human in an AI-only role)."""


@dataclass(frozen=True)
class Seat:
    """One role's player: a named human, or the AI at a level."""

    role: str
    human: bool
    name: str = ""  # the human's name; empty means "use the role's name"
    level: Level = "easy"

    def label(self, role_name: str) -> str:
        """How the game addresses this seat: the player's name, or the role's."""
        if not self.human:
            return f"{role_name} (AI, {self.level})"
        return self.name or role_name


@dataclass(frozen=True)
class GameConfig:
    """Everything needed to start (or restart) the same game."""

    seed: int
    seats: tuple[Seat, ...]
    turns: int | None = None  # a lesson: the game stops after this turn (None: the whole game)

    @property
    def humans(self) -> tuple[str, ...]:
        return tuple(s.role for s in self.seats if s.human)

    @property
    def hot_seat(self) -> bool:
        """Several people share one keyboard: curtains between their turns."""
        return len(self.humans) > 1

    def seat(self, role: str) -> Seat:
        return next(s for s in self.seats if s.role == role)

    def levels(self) -> dict[str, Level]:
        return {s.role: s.level for s in self.seats if not s.human}


def lesson_lengths(scenario: CompiledScenario) -> list[tuple[str, int | None]]:
    """The lengths a game can be given, as (label, turns; None for the whole game): the
    scenario's suggested lessons first, then the whole game, then every other length."""
    whole = scenario.model.calendar.turns
    suggested = sorted(set(scenario.model.calendar.lesson_turns))
    out: list[tuple[str, int | None]] = [(f"{n} turns (suggested)" if n != 1 else
                                          "1 turn (suggested)", n) for n in suggested]
    out.append((f"Whole game ({whole} turn{'s' if whole != 1 else ''})", None))
    out += [(f"{n} turn{'s' if n != 1 else ''}", n) for n in range(1, whole)
            if n not in suggested]
    return out


def random_seed(rng: random.Random | None = None) -> int:
    """A fresh seed for a new game (shown, so the game can be replayed)."""
    return (rng or random.SystemRandom()).randrange(SEED_LIMIT)


def allowed(scenario: CompiledScenario, role: str) -> tuple[bool, bool]:
    """Whether a human, and whether the AI, may play a role."""
    players = scenario.role(role).model.players
    return "human" in players, "ai" in players


def default_seats(scenario: CompiledScenario, humans: Iterable[str] = (),
                  level: Level = "easy") -> tuple[Seat, ...]:
    """Seats for a new game: the named roles human (by default the first role a
    human may play), the others AI at `level`. Raises `SetupError` on a role that
    does not exist or cannot be played by a human."""
    wanted = list(dict.fromkeys(humans))
    ids = scenario.role_ids
    for role in wanted:
        if role not in ids:
            raise SetupError(f"no role called '{role}' in {scenario.id}: "
                             f"the roles are {', '.join(ids)}")
        if not allowed(scenario, role)[0]:
            raise SetupError(f"the role '{role}' is played by the computer only")
    if not wanted:
        wanted = [next((r for r in ids if allowed(scenario, r)[0]), ids[0])]
    seats = []
    for role in ids:
        ai_ok = allowed(scenario, role)[1]
        seats.append(Seat(role, role in wanted or not ai_ok, "", level))
    return tuple(seats)
