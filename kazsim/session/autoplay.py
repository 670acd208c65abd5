"""`kazsim play --auto`: the AI plays every role and the story is printed.

stdout carries only the story, so the same seed prints byte-identical text in
any process; anything run-dependent goes to stderr.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from kazsim.engine import Game
from kazsim.scenario.compiled import CompiledScenario
from kazsim.story import ending_story, turn_story


def autoplay(args: argparse.Namespace, scenario: CompiledScenario, save_dir: Path) -> int:
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1_000_000)
    game = Game(scenario, seed)
    level = args.ai_level
    print(f"{scenario.model.title} (version {scenario.model.version}) — seed {seed}")
    print("Roles: " + ", ".join(f"{r.model.name} (AI, {level})" for r in scenario.roles))
    print()
    while not game.over:
        record = game.play_ai_turn({r: level for r in scenario.role_ids})
        print(turn_story(scenario, record, why=args.why))
        print()
    assert game.state.ending is not None
    scores = {o.role: o.score for o in game.outcomes()}
    print(ending_story(scenario, game.state.ending, len(game.records), scores))
    return 0
