"""`kazsim play --auto`: the AI plays every role and the story is printed.

stdout carries only the story, so the same seed prints byte-identical text in
any process; anything run-dependent (where the game was saved, warnings) goes
to stderr. The game is autosaved after every turn like any other game
(`saves/<scenario>-seed<seed>-<n>.json`). With `--load FILE` the AI takes over
every role of a saved game and plays it to its end.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from kazsim.engine import Game, Level
from kazsim.scenario.compiled import CompiledScenario
from kazsim.session.model import Player, SaveError, ai
from kazsim.session.replay import load_session
from kazsim.session.session import Session
from kazsim.story import ending_story, turn_story


def autoplay(args: argparse.Namespace, scenario: CompiledScenario | None,
             save_dir: Path) -> int:
    """Play (or, with `args.load`, finish) a game with the AI in every role."""
    if args.load:
        return _resume(args, scenario)
    if scenario is None:
        print("kazsim: give a scenario (kazsim play SCENARIO --auto) or a save "
              "(kazsim play --auto --load FILE)", file=sys.stderr)
        return 2
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1_000_000)
    level: Level = args.ai_level
    players: dict[str, Player] = {r: ai(level) for r in scenario.role_ids}
    session: Session | None = None
    try:
        session = Session.new(scenario, seed, players, save_dir)
        game = session.game
    except SaveError as exc:
        print(f"kazsim: warning: this game will not be saved: {exc}", file=sys.stderr)
        game = Game(scenario, seed)
    print(f"{scenario.model.title} (version {scenario.model.version}) — seed {seed}")
    print("Roles: " + ", ".join(f"{r.model.name} (AI, {level})" for r in scenario.roles))
    print()
    return _play_out(args, game, players, session)


def _resume(args: argparse.Namespace, scenario: CompiledScenario | None) -> int:
    try:
        loaded = load_session(args.load, scenario=scenario)
    except SaveError as exc:
        print(f"kazsim: {exc}", file=sys.stderr)
        return 1
    if loaded.changed:
        print(f"kazsim: {loaded.notice()}", file=sys.stderr)
        if not loaded.can_continue:
            return 1
    try:
        session = Session.resume(loaded, accept_changes=True)
    except SaveError as exc:
        print(f"kazsim: {exc}", file=sys.stderr)
        return 1
    game = session.game
    scenario = game.scenario
    names = []
    for role in scenario.roles:
        player = session.players[role.id]
        if player.kind == "human":
            who = player.name or "a player"
            session.set_player(role.id, ai(args.ai_level))
            names.append(f"{role.model.name} ({who}, now the AI, {args.ai_level})")
        else:
            names.append(f"{role.model.name} (AI, {player.level})")
    print(f"{scenario.model.title} (version {scenario.model.version}) — seed {game.seed}")
    print("Roles: " + ", ".join(names))
    played = len(game.records)
    print(f"Resumed after turn {played}." if played else "Resumed before turn 1.")
    print()
    return _play_out(args, game, session.players, session)


def _play_out(args: argparse.Namespace, game: Game, players: dict[str, Player],
              session: Session | None) -> int:
    scenario = game.scenario
    levels: dict[str, Level] = {r: p.level for r, p in players.items() if p.kind == "ai"}
    while not game.over:
        record = game.play_ai_turn(levels)
        if session is not None and (note := session.autosave(record)):
            print(f"kazsim: {note}", file=sys.stderr)  # a failure, or saved again after one
        print(turn_story(scenario, record, why=args.why))
        print()
    assert game.state.ending is not None
    scores = {o.role: o.score for o in game.outcomes()}
    print(ending_story(scenario, game.state.ending, len(game.records), scores))
    sys.stdout.flush()
    if session is not None and session.failed is None:
        print(f"saved: {session.path}", file=sys.stderr)
    return 0
