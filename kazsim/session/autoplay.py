"""`kazsim play --auto`: the AI plays every role and the story is printed.

stdout carries only the story, so the same seed prints byte-identical text in
any process; anything run-dependent (where the game was saved, warnings) goes
to stderr. The game is autosaved after every turn like any other game
(`<save folder>/<scenario>-seed<seed>-<n>.json`), unless `--no-save`. With
`--load FILE` the AI takes over every role of a saved game and plays it to its
end. `--role` names roles the AI plays anyway; a role the scenario does not
have is an error (exit status 2), as in the terminal game.

The story opens with every role's briefing (unless `--no-briefings`) and closes
with the ending, its debrief, and the scenario's learning objectives and
discussion questions. `--turns N` plays a lesson: the game stops after turn N
(see `kazsim.engine.game`); a save records it, so `--load` goes on with the same
lesson.

Everything printed from the scenario or the save goes through `printable`, so
a title or a story text holding escape sequences shows them, harmless.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from kazsim.engine import Game, Level
from kazsim.engine.timeline import compare
from kazsim.scenario.compiled import CompiledScenario
from kazsim.session.model import Player, SaveError, ai
from kazsim.session.replay import load_session
from kazsim.session.session import Session
from kazsim.story import (
    briefing_story,
    ending_story,
    lesson_note,
    lesson_story,
    timeline_story,
    turn_story,
    warning_story,
)
from kazsim.untrusted import printable, printable_line


def autoplay(args: argparse.Namespace, scenario: CompiledScenario | None,
             save_dir: Path | None) -> int:
    """Play (or, with `args.load`, finish) a game with the AI in every role.

    `save_dir` None: save nothing.
    """
    if args.load:
        return _resume(args, scenario, save=save_dir is not None)
    if scenario is None:
        print("kazsim: give a scenario (kazsim play SCENARIO --auto) or a save "
              "(kazsim play --auto --load FILE)", file=sys.stderr)
        return 2
    if not _roles_exist(args, scenario):
        return 2
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1_000_000)
    level: Level = args.ai_level
    players: dict[str, Player] = {r: ai(level) for r in scenario.role_ids}
    session: Session | None = None
    turns = getattr(args, "turns", None)
    game = Game(scenario, seed, turns=turns)
    if save_dir is not None:
        try:
            session = Session.new(scenario, seed, players, save_dir, turns=turns)
            game = session.game
        except SaveError as exc:
            print(f"kazsim: warning: this game will not be saved: {exc}", file=sys.stderr)
    print(f"{_line(scenario.model.title)} (version {_line(scenario.model.version)}) "
          f"— seed {seed}")
    print("Roles: " + ", ".join(f"{_line(r.model.name)} (AI, {level})"
                                for r in scenario.roles))
    if note := lesson_note(game.scenario):
        print(note)
    print()
    return _play_out(args, game, players, session)


def _line(text: str) -> str:
    return printable_line(" ".join(text.split()))


def _roles_exist(args: argparse.Namespace, scenario: CompiledScenario) -> bool:
    """Whether every `--role` is a role of `scenario` (if not, say so on stderr)."""
    unknown = [r for r in dict.fromkeys(args.role) if r not in scenario.role_ids]
    if unknown:
        print(f"kazsim: --role: no role called '{printable_line(unknown[0])}' in "
              f"{printable_line(scenario.id)}: the roles are "
              f"{', '.join(printable_line(r) for r in scenario.role_ids)}", file=sys.stderr)
    return not unknown


def _resume(args: argparse.Namespace, scenario: CompiledScenario | None, *,
            save: bool) -> int:
    try:
        loaded = load_session(args.load, scenario=scenario)
    except SaveError as exc:
        print(f"kazsim: {printable(str(exc))}", file=sys.stderr)
        return 1
    if loaded.changed:
        print(f"kazsim: {printable(loaded.notice())}", file=sys.stderr)
        if not loaded.can_continue:
            return 1
    if not _roles_exist(args, loaded.scenario):
        return 2
    session: Session | None = None
    if save:
        try:
            session = Session.resume(loaded, accept_changes=True)
        except SaveError as exc:
            print(f"kazsim: {printable(str(exc))}", file=sys.stderr)
            return 1
    game = session.game if session is not None else loaded.game
    players = dict(session.players if session is not None else loaded.players)
    scenario = game.scenario
    names = []
    for role in scenario.roles:
        player = players[role.id]
        if player.kind == "human":
            who = _line(player.name or "a player")
            players[role.id] = ai(args.ai_level)
            if session is not None:
                session.set_player(role.id, players[role.id])
            names.append(f"{_line(role.model.name)} ({who}, now the AI, {args.ai_level})")
        else:
            names.append(f"{_line(role.model.name)} (AI, {player.level})")
    print(f"{_line(scenario.model.title)} (version {_line(scenario.model.version)}) "
          f"— seed {game.seed}")
    print("Roles: " + ", ".join(names))
    if note := lesson_note(game.scenario):
        print(note)
    played = len(game.records)
    print(f"Resumed after turn {played}." if played else "Resumed before turn 1.")
    print()
    return _play_out(args, game, players, session)


def _play_out(args: argparse.Namespace, game: Game, players: dict[str, Player],
              session: Session | None) -> int:
    scenario = game.scenario
    levels: dict[str, Level] = {r: p.level for r, p in players.items() if p.kind == "ai"}
    if getattr(args, "briefings", True) and not game.records:
        if warning := warning_story(scenario):
            print(printable(warning))
            print()
        for role in scenario.role_ids:
            print(printable(briefing_story(scenario, role, *game.briefing(role),
                                             leader=game.leader(role))))
            print()
    while not game.over:
        record = game.play_ai_turn(levels)
        if session is not None and (note := session.autosave(record)):
            # a failure, or saved again after one
            print(f"kazsim: {printable(note)}", file=sys.stderr)
        before = game.records[-2] if len(game.records) > 1 else None
        print(printable(turn_story(scenario, record, why=args.why, after=game.state,
                                   before=before)))
        print()
    assert game.state.ending is not None
    scores = {o.role: o.score for o in game.outcomes()}
    leaders = {r: game.leader(r) for r in scenario.role_ids}
    print(printable(ending_story(scenario, game.ending_text, len(game.records), scores,
                                 leaders)))
    if scenario.timeline:
        comparison = compare(scenario, game.states, game.records)
        print()
        print(printable(timeline_story(scenario, comparison)))
    if closing := lesson_story(scenario):
        print()
        print(printable(closing))
    sys.stdout.flush()
    if session is not None and session.failed is None:
        print(f"saved: {printable_line(str(session.path))}", file=sys.stderr)
    return 0
