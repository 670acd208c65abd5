"""A validated scenario with every expression compiled, ready for the engine.

The `Scenario` dataclasses stay the source of truth for names and labels; this
module adds plain, slotted records holding the compiled closures so the
engine's hot loop never touches them. Effects, of every kind, have their own
home: `kazsim.scenario.effects`; every text a player reads is compiled into an
`Alternatives` (`kazsim.scenario.told`), which chooses what is shown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kazsim.scenario.effects import Effect
from kazsim.scenario.model import (
    Action,
    Drift,
    Ending,
    Event,
    Offer,
    Place,
    Role,
    Rule,
    Scenario,
    Term,
    TimelineStep,
)
from kazsim.scenario.told import Alternatives
from kazsim.scenario.whynot import WhyNot

Fn = Callable[[Mapping[str, Any]], Any]


@dataclass(frozen=True, slots=True)
class Chance:
    """One chance-based outcome."""

    chance: Fn
    text: Alternatives
    effects: tuple[Effect, ...]


@dataclass(frozen=True, slots=True)
class CAction:
    id: str
    role: str
    available: Fn | None
    effects: tuple[Effect, ...]
    outcomes: tuple[Chance, ...]
    once: bool
    cooldown: int
    weight: Fn
    model: Action
    touches: frozenset[str]  # ids its effects and outcomes can change
    text: Alternatives  # its news line (its label when it has none)
    # Which parts of `available` fail, in words (kazsim.scenario.whynot); None without one.
    why_not: WhyNot | None = None
    # A secret move: the roles that see it when made (its own and `seen_by`); None: public.
    seen_by: frozenset[str] | None = None
    revealed: Fn | None = None  # when every role learns of it (a secret move's `revealed`)
    # The offer this choice accepts ("Accept: ..."; kazsim.scenario.model.Offer), made by
    # the checks for its receiver; None for the author's own actions.
    accepts: str | None = None

    def seen(self, viewers: Iterable[str]) -> bool:
        """Whether every one of `viewers` (none: the narrator) sees it when it is made."""
        return self.seen_by is None or all(v in self.seen_by for v in viewers)


@dataclass(frozen=True, slots=True)
class CRole:
    id: str
    actions: tuple[CAction, ...]
    by_id: Mapping[str, CAction]
    score: Fn
    model: Role
    score_names: frozenset[str]  # indicator and flag ids the score reads
    briefing: Alternatives
    goals: tuple[Alternatives, ...]
    leader: Alternatives | None = None  # who leads it, chosen when shown (its `leader`)


@dataclass(frozen=True, slots=True)
class CRule:
    id: str
    when: Fn
    effects: tuple[Effect, ...]
    outcomes: tuple[Chance, ...]
    model: Rule
    roles: frozenset[str]  # roles whose choice this turn the condition depends on
    requires: Mapping[str, frozenset[str]]  # choices the condition needs (expr.Compiled)
    text: Alternatives  # its news line (empty: none)

    def possible(self, choices: Mapping[str, Any]) -> bool:
        """False when a choice the condition requires was not made (a shortcut)."""
        for role, actions in self.requires.items():  # noqa: SIM110 - faster than all() here
            if choices.get("@" + role) not in actions:
                return False
        return True


@dataclass(frozen=True, slots=True)
class CEvent:
    id: str
    turn: int | None
    when: Fn | None
    chance: Fn
    repeat: bool
    effects: tuple[Effect, ...]
    outcomes: tuple[Chance, ...]
    model: Event
    text: Alternatives  # the story under its title


@dataclass(frozen=True, slots=True)
class CDrift:
    """A silent change, collected every turn its condition holds (no news line)."""

    id: str
    when: Fn | None
    effects: tuple[Effect, ...]
    model: Drift


@dataclass(frozen=True, slots=True)
class COffer:
    """A deal: made by one of `makers` (actions of `by`), pending on the next turn, when
    `to` accepts it (its choice `id`, a `CAction` with `accepts`) or refuses it."""

    id: str
    by: str
    to: str
    makers: frozenset[str]  # the actions of `by` that make it
    refused: tuple[Effect, ...]
    refused_text: Alternatives
    binds: tuple[tuple[str, int, bool], ...]  # (action of `to`, turns, required)
    model: Offer

    def pending(self, env: Mapping[str, Any]) -> bool:
        """Whether it was made last turn, so that `to` answers it this turn."""
        return env.get("<" + self.by) in self.makers


@dataclass(frozen=True, slots=True)
class CEnding:
    id: str
    when: Fn | None
    at_last_turn: bool
    priority: int
    model: Ending
    text: Alternatives
    # role id -> (its result: win, draw or loss; what its player reads), in role order
    results: Mapping[str, tuple[Alternatives, Alternatives]]
    debrief: tuple[Alternatives, ...]  # one per debrief item
    interrupted: bool = False  # the ending of a lesson stopped before the calendar's end


@dataclass(frozen=True, slots=True)
class CStep:
    """One step of the real timeline (`kazsim.engine.timeline` compares a game with it)."""

    id: str
    date: dt.date
    turn: int | None  # the turn whose span holds its date (None: outside the game)
    happened: Fn  # the author's `happened`, or chose(role, action)
    role: str | None
    action: str | None  # the real actor's action, played by the history seat
    names: frozenset[tuple[str, str]]  # (role, action) pairs it stands for
    model: TimelineStep


@dataclass(frozen=True, slots=True)
class Reference:
    """A teacher's kit: what the game, the debrief and `kazsim sheets` show beside play.

    The glossary in alphabetical order (as a class looks a word up), the places in the
    author's order (a route, west to east, reads as written), the content warning.
    """

    glossary: tuple[Term, ...] = ()
    places: tuple[Place, ...] = ()
    content_warning: str = ""

    def __bool__(self) -> bool:
        """Whether there is a glossary or a map to show (the warning is shown apart)."""
        return bool(self.glossary or self.places)


@dataclass(frozen=True)
class CompiledScenario:
    """Everything the engine needs, derived once from a valid `Scenario`."""

    model: Scenario
    role_ids: tuple[str, ...]
    # For each role and action, the rules whose condition depends on the role's
    # choice and may hold with that action: the only ones that can make one of its
    # actions better than another (used by the AI).
    ai_rules: Mapping[str, Mapping[str, tuple[CRule, ...]]]
    content_hash: str  # identifies this exact file (and base): kazsim.scenario.contenthash
    path: str  # where it was loaded from ("<text>" when not from a file)
    bounds: Mapping[str, tuple[float, float]]  # indicator id -> (min, max)
    initial: Mapping[str, Any]  # indicator and flag ids -> starting value
    roles: tuple[CRole, ...]
    rules: tuple[CRule, ...]
    events: tuple[CEvent, ...]
    endings: tuple[CEnding, ...]  # highest priority first, then file order
    # Every text (and result) written as several alternatives, by key, in file order:
    # what `kazsim check` counts.
    told: Mapping[str, Alternatives]
    timeline: tuple[CStep, ...] = ()  # by real date, then file order
    drift: tuple[CDrift, ...] = ()  # in file order
    # A lesson's length, when the game stops before the calendar's last turn (`shortened`).
    turn_limit: int | None = None
    debrief: tuple[Alternatives, ...] = ()  # the scenario's own debrief, one per item
    offers: tuple[COffer, ...] = ()  # in file order
    reference: Reference = Reference()  # the glossary, the map, the warning

    @functools.cached_property
    def binds(self) -> Mapping[str, tuple[tuple[COffer, str, int, bool], ...]]:
        """role id -> what the offers it may accept bind it to: (offer, action, turns,
        required); only roles with some."""
        out: dict[str, list[tuple[COffer, str, int, bool]]] = {}
        for offer in self.offers:
            for action, turns, required in offer.binds:
                out.setdefault(offer.to, []).append((offer, action, turns, required))
        return {role: tuple(items) for role, items in out.items()}

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def last_turn(self) -> int:
        """The game's last turn: the lesson's when it is shortened, else the calendar's.

        The one place a shortened game differs: `last_turn` in expressions, the AI's
        horizon, the end of the game and which endings apply then all read it.
        """
        return self.turn_limit if self.turn_limit is not None else self.model.calendar.turns

    def shortened(self, turns: int | None) -> CompiledScenario:
        """This scenario played as a lesson of `turns` turns (None, or at least the
        calendar's length: the whole game, this very object)."""
        if turns is None or turns >= self.model.calendar.turns:
            return self if self.turn_limit is None else dataclasses.replace(self, turn_limit=None)
        if turns < 1:
            raise ValueError(f"a game lasts at least 1 turn, not {turns}")
        return dataclasses.replace(self, turn_limit=turns)

    def lesson_problem(self, turns: int) -> str:
        """Why a game of this scenario cannot stop after `turns` turns ('' when it can; the
        scenario's whole length is the whole game)."""
        whole = self.model.calendar.turns
        if 1 <= turns <= whole:
            return ""
        suggested = ", ".join(map(str, sorted(self.model.calendar.lesson_turns)))
        return (f"a game of '{self.id}' lasts from 1 to {whole} turns, not {turns}"
                + (f" (suggested lessons: {suggested})" if suggested else ""))

    @functools.cached_property
    def running_endings(self) -> tuple[CEnding, ...]:
        """The endings considered after every turn but the last (in order)."""
        return tuple(e for e in self.endings if not e.at_last_turn and not e.interrupted)

    @functools.cached_property
    def final_endings(self) -> tuple[CEnding, ...]:
        """The endings considered after the last turn (in order): the running ones, and
        the interrupted ending in a shortened game if the scenario has one, else the
        `at_last_turn` ones."""
        cut = self.turn_limit is not None and any(e.interrupted for e in self.endings)
        return tuple(e for e in self.endings if (not e.at_last_turn and not e.interrupted)
                     or (e.interrupted if cut else e.at_last_turn))

    @functools.cached_property
    def ai_blind(self) -> frozenset[tuple[str, str]]:
        """(role, action) pairs whose effects cannot move the role's score at all."""
        return frozenset((r.id, a.id) for r in self.roles for a in r.actions
                         if not a.touches & r.score_names)

    def role(self, role_id: str) -> CRole:
        return self._roles[role_id]

    @functools.cached_property
    def _roles(self) -> dict[str, CRole]:
        return {role.id: role for role in self.roles}

    def ending(self, ending_id: str) -> Ending:
        for ending in self.model.endings:
            if ending.id == ending_id:
                return ending
        raise KeyError(ending_id)

    def compiled_ending(self, ending_id: str) -> CEnding:
        for ending in self.endings:
            if ending.id == ending_id:
                return ending
        raise KeyError(ending_id)

    def visible(self, item_id: str, role_id: str | None) -> bool:
        """Whether `role_id` may see an indicator or flag (None = the narrator)."""
        visible_to = self._visibility[item_id]
        return role_id is None or visible_to == "all" or role_id in visible_to

    @functools.cached_property
    def _visibility(self) -> dict[str, str | list[str]]:
        table: dict[str, str | list[str]] = {i.id: i.visible_to for i in self.model.indicators}
        table.update({f.id: f.visible_to for f in self.model.flags})
        return table
