"""The batch engine plays on from a mid-game state exactly as the reference engine's
`fork(game, state, seed)` with the easy AI does, game by game: the same decisions, the
same ending, the same final values to the bit, for every bundled scenario (and variant),
the every-construct scenario (waiting parts, offers, secret moves) and lessons."""

from __future__ import annotations

from pathlib import Path

import pytest

from kazsim.batch.engine import Games, play_from, prepare, start_reasons
from kazsim.engine import Game, play_ai_game
from kazsim.engine.odds import continuation_seed, fork
from kazsim.engine.state import GameState
from kazsim.scenario.load import load_file

from .support import bits

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted(
    (ROOT / "scenarios" / "variants").glob("*.yaml"))
EVERY_CONSTRUCT = ROOT / "tests" / "docs" / "data" / "every_construct.yaml"
PATHS = [*BUNDLED, EVERY_CONSTRUCT]


def reference(game: Game, state: GameState, seed: int) -> Game:
    forked = fork(game, state, seed)
    while not forked.over:
        forked.play_ai_turn({})
    return forked


def differences(games: Games, i: int, want: Game) -> list[str]:
    p = games.prepared
    out = []
    start = want.states[0].turn
    if int(games.played[i]) != want.state.turn - 1:
        out.append(f"played to turn {games.played[i]}, not {want.state.turn - 1}")
    for t, record in enumerate(want.records, start):
        for role in p.roles:
            got = role.actions[games.decisions[role.id][t - 1, i]].id
            if got != record.decisions[role.id]:
                out.append(f"turn {t}: {role.id} chose {got}, not {record.decisions[role.id]}")
    ending = p.endings[games.ending[i]].id if games.ending[i] >= 0 else None
    if ending != want.state.ending:
        out.append(f"ending {ending}, not {want.state.ending}")
    last = int(games.played[i])
    for key in (*p.numbers, *p.flags):
        got = games.values[key][last, i].item()
        if bits(got) != bits(want.state.values[key]):
            out.append(f"{key} = {got!r}, not {want.state.values[key]!r}")
    if start > 1 and last >= start and (games.decisions[p.roles[0].id][:start - 1, i] >= 0).any():
        out.append("decisions before the start")
    return out


def check(game: Game, points: list[int], runs: int) -> int:
    """Continuations from several points of `game` at once (one batch); the number
    compared."""
    states, seeds = [], []
    for played in points:
        for k in range(runs):
            states.append(game.states[played])
            seeds.append(continuation_seed(game.seed, played, k))
    games = play_from(prepare(game.scenario), states, seeds)
    for i, (state, seed) in enumerate(zip(states, seeds, strict=True)):
        found = differences(games, i, reference(game, state, seed))
        assert not found, f"game {game.seed}, from turn {state.turn}, seed {seed}:\n" + \
            "\n".join(found[:20])
    return len(states)


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_continuations_from_mid_game_states_are_the_reference_ones(path: Path) -> None:
    scenario = load_file(path)
    compared = 0
    for seed in (0, 1, 2, 3):
        game = play_ai_game(scenario, seed)
        going = [p for p, st in enumerate(game.states) if not st.over]
        points = sorted({going[0], going[len(going) // 2], going[-1]})
        compared += check(game, points, 12)
    assert compared >= 4 * 12


def test_waiting_parts_and_secret_moves_are_carried_over() -> None:
    """The every-construct scenario's states do carry waiting parts and secret moves, so
    the test above covers them."""
    scenario = load_file(EVERY_CONSTRUCT)
    states = [st for seed in range(6) for st in play_ai_game(scenario, seed).states
              if not st.over]
    assert any(st.pending for st in states)
    assert any(st.secrets for st in states)
    assert any(st.fired for st in states)


@pytest.mark.parametrize("turns", [2, 4])
def test_continuations_of_a_lesson(turns: int) -> None:
    scenario = load_file(ROOT / "scenarios" / "kazakhstan-2022.yaml")
    for seed in (0, 5):
        game = play_ai_game(scenario, seed, turns=turns)
        check(game, [p for p, st in enumerate(game.states) if not st.over], 10)


def test_what_the_batch_cannot_continue_says_why() -> None:
    scenario = load_file(ROOT / "scenarios" / "tutorial.yaml")
    game = play_ai_game(scenario, 0)
    prepared = prepare(scenario)
    assert start_reasons(prepared, game.states[1]) == []
    assert start_reasons(prepared, game.state) != []  # over
    broken = GameState(turn=2, values=game.states[1].values, previous={})
    assert start_reasons(prepared, broken) != []
    with pytest.raises(ValueError, match="cannot play on"):
        play_from(prepared, [game.state], [1])
    with pytest.raises(ValueError):
        play_from(prepared, [game.states[1]], [1, 2])


def test_a_waiting_part_of_a_kind_the_batch_does_not_land_is_refused() -> None:
    scenario = load_file(EVERY_CONSTRUCT)
    state = next(st for seed in range(6) for st in play_ai_game(scenario, seed).states
                 if st.pending and not st.over)
    prepared = prepare(scenario)
    assert start_reasons(prepared, state) == []
    odd = state.pending[0]._replace(mode="set")
    strange = GameState(state.turn, state.values, state.counts, state.last_chosen,
                        state.previous, state.fired, None, (odd,), state.secrets)
    assert any("waiting part of kind 'set'" in r for r in start_reasons(prepared, strange))
