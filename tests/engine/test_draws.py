"""The game's generator is drawn from in the documented pattern (docs/design.md,
"Determinism"): one draw for each chosen action with outcomes, one for each rule
that applies and has outcomes, one for each due event, and one more for each event
that fires and has outcomes, whatever the values."""

from __future__ import annotations

import random

import pytest

from kazsim.engine import initial_state, resolve

from .support import scenario

DRAWS = """
indicators:
  - {id: heat, label: Heat, start: 50}
  - {id: cold, label: Cold, start: 0}
roles:
  - id: a
    name: A
    briefing: b
    score: heat
    actions:
      - {id: wait, label: Wait}
      - id: gamble
        label: Gamble
        outcomes:
          - {chance: 0.5, text: Won., effects: {heat: 5}}
  - id: b
    name: B
    briefing: b
    score: heat
    actions:
      - {id: wait, label: Wait}
rules:
  - id: reckless
    when: chose(a, gamble)
    outcomes:
      - {chance: 0.5, text: Noticed., effects: {heat: 1}}
  - id: calm
    when: chose(a, wait)
    effects: {heat: -1}
events:
  - id: storm
    title: Storm
    text: A storm.
    turn: 1
    outcomes:
      - {chance: 0.5, text: Floods., effects: {heat: -5}}
  - {id: maybe, title: Maybe, text: Maybe., turn: 1, chance: cold, effects: {heat: 1}}
  - {id: later, title: Later, text: Later., turn: 2, effects: {heat: 1}}
"""


class Counting(random.Random):
    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.draws = 0

    def random(self) -> float:
        self.draws += 1
        return super().random()


@pytest.mark.parametrize(("choice", "draws"), [
    # gamble: its outcomes, the rule's outcomes, storm fires (2), maybe is due (1)
    ("gamble", 1 + 1 + 2 + 1),
    # wait: a rule without outcomes draws nothing; later is not due
    ("wait", 2 + 1),
])
def test_draws_follow_the_documented_pattern(choice: str, draws: int) -> None:
    compiled = scenario(DRAWS)
    for seed in range(20):
        rng = Counting(seed)
        _, record = resolve(compiled, initial_state(compiled), {"a": choice, "b": "wait"},
                            rng=rng)
        assert record.events == ("storm",)  # maybe's chance is 0: drawn for, never fires
        assert rng.draws == draws, seed
