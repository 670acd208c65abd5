"""The batch engine's games set beside the reference engine's, game by game."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Any

from kazsim.batch import RESULTS, Games, play, prepare
from kazsim.engine import Game, legal_actions, play_ai_game
from kazsim.engine.timeline import compare
from kazsim.scenario.compiled import CompiledScenario


def bits(value: Any) -> Any:
    """A value as the bits of its float (flags as themselves); -0.0 and 0.0 alike, as a
    whole number 0 in the reference engine has no sign."""
    if isinstance(value, bool):
        return value
    return struct.pack("<d", float(value) + 0.0)


def differences(scenario: CompiledScenario, games: Games, index: int, game: Game) -> list[str]:
    """How game `index` of the batch differs from the reference's `game` (none: equal)."""
    p = games.prepared
    out: list[str] = []
    records = game.records
    if games.played[index] != len(records):
        out.append(f"turns played: {games.played[index]} != {len(records)}")
    for t, record in enumerate(records[:games.played[index]]):
        for role in p.roles:
            got = role.actions[games.decisions[role.id][t, index]].id
            if got != record.decisions[role.id]:
                out.append(f"turn {t + 1}: {role.id} chose {got}, not "
                           f"{record.decisions[role.id]}")
            outcome = int(games.outcomes[role.id][t, index])
            want = record.outcomes.get(role.id, -1)
            if outcome != want:
                out.append(f"turn {t + 1}: {role.id}'s outcome {outcome} != {want}")
            legal = {a.id for j, a in enumerate(role.actions)
                     if games.legal[role.id][t, index, j]}
            want_legal = set(legal_actions(scenario, game.states[t], role.id))
            if legal != want_legal:
                out.append(f"turn {t + 1}: {role.id} legal {sorted(legal)} != "
                           f"{sorted(want_legal)}")
        rules = tuple(r.id for r in p.rules if games.rules[t, index, r.index])
        if rules != record.rules:
            out.append(f"turn {t + 1}: rules {rules} != {record.rules}")
        events = tuple(e.id for e in p.events if games.events[t, index, e.index])
        if events != record.events:
            out.append(f"turn {t + 1}: events {events} != {record.events}")
        shown = {k: int(v[t, index]) for k, v in games.shown.items() if v[t, index] >= 0}
        if shown != dict(record.shown):
            out.append(f"turn {t + 1}: shown {shown} != {dict(record.shown)}")
        state = game.states[t + 1]
        for key in (*p.numbers, *p.flags):
            got = games.values[key][t + 1, index]
            if bits(got.item()) != bits(state.values[key]):
                out.append(f"after turn {t + 1}: {key} = {got!r}, not "
                           f"{state.values[key]!r}")
    ending = p.endings[games.ending[index]].id if games.ending[index] >= 0 else None
    if ending != game.state.ending:
        out.append(f"ending {ending} != {game.state.ending}")
    ended = records[-1].ended if records else None
    if ended is not None:
        for role_id, fared in ended.roles.items():
            got = RESULTS[games.results[role_id][index]]
            if got != fared.result:
                out.append(f"{role_id}'s result {got} != {fared.result}")
    if scenario.timeline:
        for match in compare(scenario, game.states, game.records).steps:
            got = int(games.step_turn[match.step.id][index])
            if got != (-1 if match.turn is None else match.turn):
                out.append(f"step {match.step.id}: turn {got} != {match.turn}")
    return out


def assert_same_games(scenario: CompiledScenario, seeds: Sequence[int]) -> None:
    prepared = prepare(scenario)
    assert not prepared.reasons, prepared.reasons
    games = play(prepared, seeds)
    for index, seed in enumerate(seeds):
        found = differences(scenario, games, index, play_ai_game(scenario, seed))
        assert not found, f"seed {seed}:\n" + "\n".join(found[:20])
