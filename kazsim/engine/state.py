"""The state of a game and the record of one resolved turn, as plain values.

`GameState` is immutable: resolving a turn returns a new one. `TurnRecord` is
what happened and why; every face (terminal, saves, transcripts, play-testing)
is built from these records, never from the engine's internals.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from kazsim.scenario.compiled import CompiledScenario

SourceKind = Literal["action", "outcome", "rule", "event", "event_outcome", "rule_outcome",
                     "drift", "refusal"]


class Pending(NamedTuple):
    """A part of a delayed or spread effect, waiting to land in step 4 of turn `due`."""

    due: int  # the turn it lands on
    target: str
    mode: str  # the kind that lands it (`kazsim.scenario.effects.kind_of(mode).land`)
    amount: Any  # the change it makes when it lands
    kind: SourceKind  # its source, as in a `Contribution`
    source: str
    role: str | None
    made: int  # the turn the effect happened


class Secret(NamedTuple):
    """A secret move not yet revealed, waiting for its action's `revealed` to hold."""

    turn: int  # the turn it was made
    role: str
    action: str


class Draw(NamedTuple):
    """An amount drawn between two bounds (an uncertain effect), in the order drawn (each
    keyed by its origin, `kind`, `source` and `role`, and how many it drew before)."""

    target: str
    value: float
    low: float
    high: float
    kind: SourceKind
    source: str
    role: str | None


@dataclass(frozen=True, slots=True)
class GameState:
    """Everything that decides what happens next (with the game's draws, keyed by its
    seed and `turn`: `kazsim.engine.draws`)."""

    turn: int  # the turn about to be played, from 1; after the last, last turn + 1
    values: Mapping[str, Any]  # indicator id -> number, flag id -> bool
    counts: Mapping[str, int] = field(default_factory=dict)  # "role.action" -> times chosen
    last_chosen: Mapping[str, int] = field(default_factory=dict)  # "role.action" -> turn
    previous: Mapping[str, str] = field(default_factory=dict)  # role -> last turn's action
    fired: Mapping[str, int] = field(default_factory=dict)  # event id -> times fired
    ending: str | None = None
    pending: tuple[Pending, ...] = ()  # delayed parts of effects, in the order made
    # Secret moves with a `revealed` condition that has not held yet, in the order made.
    secrets: tuple[Secret, ...] = ()

    @property
    def over(self) -> bool:
        return self.ending is not None

    def env(self, last_turn: int) -> dict[str, Any]:
        """The dictionary expressions read (see `kazsim.scenario.expr`)."""
        env: dict[str, Any] = dict(self.values)
        env["turn"] = self.turn
        env["last_turn"] = last_turn
        for key, n in self.counts.items():
            env["#" + key] = n
        for role, action in self.previous.items():
            env["<" + role] = action
        return env

    def to_data(self) -> dict[str, Any]:
        """A canonical, JSON-ready form (floats as floats, keys sorted).

        Pending effects (and secret moves) are in it only when there are some, so a state
        without any (every game of a scenario without delays) has the checksum it always
        had."""
        data: dict[str, Any] = {
            "turn": self.turn,
            "values": {k: (v if isinstance(v, bool) else float(v))
                       for k, v in sorted(self.values.items())},
            "counts": dict(sorted(self.counts.items())),
            "last_chosen": dict(sorted(self.last_chosen.items())),
            "previous": dict(sorted(self.previous.items())),
            "fired": dict(sorted(self.fired.items())),
            "ending": self.ending,
        }
        if self.pending:
            data["pending"] = [{**p._asdict(), "amount": float(p.amount)} for p in self.pending]
        if self.secrets:  # likewise: a game without secret moves keeps its checksums
            data["secrets"] = [s._asdict() for s in self.secrets]
        return data

    def checksum(self) -> str:
        """A short digest of the state: equal states give equal checksums in any process."""
        text = json.dumps(self.to_data(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def initial_state(scenario: CompiledScenario) -> GameState:
    return GameState(turn=1, values=dict(scenario.initial))


class Contribution(NamedTuple):
    """One reason an indicator or flag moved: who or what, and by how much.

    (Records' small parts are named tuples: immutable and cheap to build, which
    matters in the engine's hot loop.)"""

    target: str
    mode: str  # the kind of effect (`kazsim.scenario.effects.kind_of`): "add", "set", ...
    amount: Any  # as the kind records it: the change for "add", the new value for "set"
    kind: SourceKind
    source: str  # action, rule or event id
    role: str | None = None  # the role whose action it was


class Change(NamedTuple):
    """An indicator's or flag's value before and after the turn."""

    target: str
    before: Any
    after: Any
    clamped: bool = False  # the sum of contributions went past the range


class NewsItem(NamedTuple):
    """One line of the turn's story, in the order things happened.

    `text` is the text shown: where it was written as alternatives, the one chosen at
    the end of the turn (`kazsim.scenario.told`; the record's `shown` says which)."""

    kind: SourceKind
    source: str
    text: str
    role: str | None = None
    title: str = ""


class Fared(NamedTuple):
    """How one role fared in the ending reached, as chosen at the end of the game."""

    result: str  # "win", "draw" or "loss"
    text: str


@dataclass(frozen=True, slots=True)
class EndingText:
    """The ending's texts as shown: each chosen against the final state."""

    ending: str  # the ending's id
    text: str
    roles: Mapping[str, Fared]  # role id -> its result and text, in role order
    debrief: tuple[str, ...]  # one per debrief item of the ending, in order
    scenario_debrief: tuple[str, ...] = ()  # one per item of the scenario's own debrief


@dataclass(frozen=True, slots=True)
class TurnRecord:
    """What happened in one turn and why."""

    turn: int
    decisions: Mapping[str, str]  # role -> action id
    outcomes: Mapping[str, int]  # role -> index of the chance outcome drawn
    rules: tuple[str, ...]  # ids of rules that applied
    events: tuple[str, ...]  # ids of events that fired
    news: tuple[NewsItem, ...]
    contributions: tuple[Contribution, ...]
    changes: tuple[Change, ...]  # only what actually changed
    ending: str | None
    # Of every text (and result) written as several alternatives that was shown this
    # turn, the index of the one shown, by its key (`told.Alternatives.key`).
    shown: Mapping[str, int] = field(default_factory=dict)
    ended: EndingText | None = None  # the ending's texts, when this turn ended the game
    draws: tuple[Draw, ...] = ()  # amounts drawn between bounds, in the order drawn
    landed: tuple[Pending, ...] = ()  # delayed parts that landed this turn (step 4)
    revealed: tuple[Secret, ...] = ()  # earlier secret moves revealed this turn (step 1)

    def why(self, target: str) -> list[Contribution]:
        """Every contribution to one indicator's or flag's change this turn."""
        return [c for c in self.contributions if c.target == target]
