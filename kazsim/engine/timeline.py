"""A game set beside the real timeline: when each real step happened in it, if at all.

Pure functions of a scenario's compiled `timeline` (`kazsim.scenario.compiled.CStep`)
and a game's states and records, shared by every face (the debrief's timeline tab,
`kazsim export`, the end of `play --auto`, `kazsim check`), and by the history seat
(`kazsim.engine.ai`), which plays the real actor's step on the turn its date falls in.

A step's `happened` condition is read once against the starting state (a step that
already holds when the game begins is "before your game began", turn 0; `turn` reads
0 there), then after every turn against the end-of-turn state with that turn's
choices (`chose(...)` is that turn's decision, `turn` the turn just played). The
first turn it holds is when it happened in the game; the difference in days is the
in-game date of that turn minus the real date (positive: later than in reality).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kazsim.engine.state import GameState, TurnRecord
from kazsim.scenario.calendar import turn_moment, turn_of
from kazsim.scenario.compiled import CompiledScenario, CStep

CATCH_UP_DAYS = 7  # how late the history seat may still play a real step (see ai.py)


@dataclass(frozen=True, slots=True)
class StepMatch:
    """One real step and when, if ever, it happened in a game."""

    step: CStep
    turn: int | None  # first turn after which it held; 0: at the start; None: never
    date: dt.date | None  # the in-game date of that turn (the calendar's start for 0)
    days: int | None  # in-game date minus real date, in days (positive: later)

    @property
    def happened(self) -> bool:
        return self.turn is not None


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A decision the players made that no real step stands for, with the turns."""

    role: str
    action: str
    turns: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    steps: tuple[StepMatch, ...]  # in real order
    unmatched: tuple[Unmatched, ...]  # in the order first chosen
    # The real day of the last turn played (None before the first): a step dated after
    # it did not fail to happen, the game stopped first.
    last_day: dt.date | None = None


def turn_day(scenario: CompiledScenario, turn: int) -> dt.date:
    """The real day a turn stands for (the day it begins)."""
    moment = turn_moment(scenario.model.calendar, turn)
    if moment is None:  # the validator refuses such a calendar
        return dt.date.max
    return moment.date()


def step_turn(scenario: CompiledScenario, day: dt.date) -> int | None:
    """The turn whose span holds the start (midnight) of `day`; None outside the game."""
    return turn_of(scenario.model.calendar, day)


def happened_env(scenario: CompiledScenario, after: GameState,
                 record: TurnRecord | None) -> dict[str, Any]:
    """What a step's condition reads: the state after a turn and that turn's choices
    (`record` None: the starting state, before anyone has chosen)."""
    env = after.env(scenario.last_turn)
    env["turn"] = 0  # the turn just played: none yet
    if record is not None:
        env["turn"] = record.turn
        for role, action in record.decisions.items():
            env["@" + role] = action
    return env


def compare(scenario: CompiledScenario, states: Sequence[GameState],
            records: Sequence[TurnRecord]) -> Comparison:
    """Each real step's first turn in the game, and the decisions no step stands for.

    `states`: the state before the first turn, then after each (`Game.states`).
    """
    first: dict[str, int] = {}
    pending = list(scenario.timeline)
    if states:
        env = happened_env(scenario, states[0], None)
        for step in pending:
            if step.happened(env):
                first[step.id] = 0
        pending = [s for s in pending if s.id not in first]
    for record, after in zip(records, states[1:], strict=False):
        if not pending:
            break
        env = happened_env(scenario, after, record)
        for step in pending:
            if step.happened(env):
                first[step.id] = record.turn
        pending = [s for s in pending if s.id not in first]
    matches = []
    for step in scenario.timeline:
        turn = first.get(step.id)
        if turn is None:
            matches.append(StepMatch(step, None, None, None))
            continue
        day = turn_day(scenario, max(turn, 1))
        matches.append(StepMatch(step, turn, day, (day - step.date).days))
    named = {pair for step in scenario.timeline for pair in step.names}
    chosen: dict[tuple[str, str], list[int]] = {}
    for record in records:
        for role, action in record.decisions.items():
            if (role, action) not in named:
                chosen.setdefault((role, action), []).append(record.turn)
    unmatched = tuple(Unmatched(r, a, tuple(t)) for (r, a), t in chosen.items())
    last_day = turn_day(scenario, len(records)) if records else None
    return Comparison(tuple(matches), unmatched, last_day)


def due_steps(scenario: CompiledScenario, state: GameState, role_id: str) -> list[CStep]:
    """The real steps the history seat may play for `role_id` this turn, oldest first.

    A step is due from the turn its real date falls in; it stays due until the role
    has chosen its action on or after that turn, for at most `CATCH_UP_DAYS` days after
    its date (a step dated before turn 1 is the game's starting point, never played; one
    after the last turn, never reached).
    """
    out = []
    today = turn_day(scenario, state.turn)
    for step in scenario.timeline:
        if step.role != role_id or step.action is None:
            continue
        due = step.turn
        if due is None or due > state.turn or (today - step.date).days > CATCH_UP_DAYS:
            continue
        if state.last_chosen.get(f"{role_id}.{step.action}", 0) >= due:
            continue  # already played
        out.append(step)
    return out


def later_actions(scenario: CompiledScenario, state: GameState, role_id: str) -> frozenset[str]:
    """Actions of `role_id` that a real step names for a later turn than this one (the
    history seat does not take them early)."""
    out = set()
    for step in scenario.timeline:
        if (step.role == role_id and step.action is not None and step.turn is not None
                and step.turn > state.turn):
            out.add(step.action)
    return frozenset(out)
