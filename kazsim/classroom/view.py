"""What the host sends one seat: its own view of its table, and nothing more.

Built from the engine's states and records, filtered through the scenario's
`visible_to`: an indicator or flag the role may not see is left out of every
state, change and contribution (its id never appears); of the counts and the
chance outcomes only the role's own are sent; another seat's decision is sent
only once the turn is resolved (the story tells every decision then), never
while it is pending. `tests/classroom/test_hidden.py` records every message a
seat receives and checks this.
"""

from __future__ import annotations

from typing import Any

from kazsim.engine import Game
from kazsim.scenario.compiled import CompiledScenario


def visible_ids(scenario: CompiledScenario, role: str) -> list[str]:
    model = scenario.model
    ids = [i.id for i in model.indicators] + [f.id for f in model.flags]
    return [i for i in ids if scenario.visible(i, role)]


def seat_view(scenario: CompiledScenario, game: Game, role: str, *, table: int,
              decided: str | None, person: bool, paused: bool, stopped: bool,
              end_at: int | None) -> dict[str, Any]:
    """The `view` message for `role` at its table now (JSON-ready)."""
    seen = visible_ids(scenario, role)
    shown = set(seen)
    mine = f"{role}."
    states = [{"turn": s.turn,
               "values": {k: s.values[k] for k in seen},
               "ending": s.ending} for s in game.states]
    records = []
    for r in game.records:
        records.append({
            "turn": r.turn,
            "decisions": dict(r.decisions),
            "outcome": r.outcomes.get(role),
            "news": [[n.kind, n.source, n.text, n.role, n.title] for n in r.news],
            "changes": [[c.target, c.before, c.after, c.clamped] for c in r.changes
                        if c.target in shown],
            "contributions": [[c.target, c.mode, c.amount, c.kind, c.source, c.role]
                              for c in r.contributions if c.target in shown],
            "ending": r.ending,
        })
    state = game.state
    statuses = []
    if not game.over and not stopped:
        statuses = [{"action": s.action.id, "available": s.available, "reason": s.reason}
                    for s in game.statuses(role)]
    outcomes = None
    if game.over:
        outcomes = {o.role: {"result": o.result.result, "score": o.score}
                    for o in game.outcomes()}
    return {
        "type": "view",
        "table": table,
        "role": role,
        "turn": state.turn,
        "last_turn": scenario.last_turn,
        "over": game.over,
        "ending": state.ending,
        "stopped": stopped,
        "end_at": end_at,
        "paused": paused,
        "person": person,
        "decided": decided,
        "counts": {k: v for k, v in state.counts.items() if k.startswith(mine)},
        "last_chosen": {k: v for k, v in state.last_chosen.items() if k.startswith(mine)},
        "states": states,
        "records": records,
        "statuses": statuses,
        "outcomes": outcomes,
    }
