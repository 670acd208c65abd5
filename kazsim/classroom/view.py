"""What the host sends one seat: its own view of its table, and nothing more.

Built from the engine's states and records, filtered through the scenario's
`visible_to`: an indicator or flag the role may not see is left out of every
state, change and contribution (its id never appears); of the counts and the
chance outcomes only the role's own are sent; another seat's decision is sent
only once the turn is resolved (the story tells every decision then), never
while it is pending; a secret move (its decision, news lines and contributions) only
to the seats that see it (`CAction.seen`), the turn's revealed secrets to all. Once
the game is over, the debrief shows everything (as it does in local play), so the
last view holds the whole history.
`tests/classroom/test_hidden.py` records every message a seat receives and
checks this.
"""

from __future__ import annotations

from typing import Any

from kazsim.engine import Game
from kazsim.scenario.compiled import CompiledScenario


def visible_ids(scenario: CompiledScenario, role: str | None) -> list[str]:
    model = scenario.model
    ids = [i.id for i in model.indicators] + [f.id for f in model.flags]
    return [i for i in ids if scenario.visible(i, role)]


def seat_view(scenario: CompiledScenario, game: Game, role: str, *, table: int,
              decided: str | None, person: bool, paused: bool, stopped: bool,
              end_at: int | None, players: dict[str, str]) -> dict[str, Any]:
    """The `view` message for `role` at its table now (JSON-ready).

    `players`: role -> "person" or "ai:LEVEL". Which seats people play is no secret
    (the waiting line names them); whether they have decided yet is never sent."""
    # Once the game is over the debrief tells everything, as in local play: the whole
    # history goes to every seat then, with the seed (for a replay) and who played.
    reveal = game.over
    seen = visible_ids(scenario, role) if not reveal else visible_ids(scenario, None)
    shown = set(seen)
    mine = f"{role}." if not reveal else ""
    states = [{"turn": s.turn,
               "values": {k: s.values[k] for k in seen},
               "ending": s.ending} for s in game.states]
    viewers = () if reveal else (role,)

    def told(who: str | None, action: str) -> bool:  # a secret move only where seen
        found = scenario.role(who).by_id.get(action) if who is not None else None
        return found is None or found.seen(viewers)

    records = []
    for r in game.records:
        records.append({
            "turn": r.turn,
            "decisions": {k: a for k, a in r.decisions.items() if told(k, a)},
            "outcome": r.outcomes.get(role) if not reveal else None,
            "news": [[n.kind, n.source, n.text, n.role, n.title] for n in r.news
                     if n.kind not in ("action", "outcome") or told(n.role, n.source)],
            "changes": [[c.target, c.before, c.after, c.clamped] for c in r.changes
                        if c.target in shown],
            "contributions": [[c.target, c.mode, c.amount, c.kind, c.source, c.role]
                              for c in r.contributions if c.target in shown
                              and (c.kind not in ("action", "outcome")
                                   or told(c.role, c.source))],
            "revealed": [list(x) for x in r.revealed],
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
        "last_turn": game.last_turn,
        "turn_limit": game.turn_limit,  # the lesson's length (None: the whole game)
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
        "people": [r for r, p in players.items() if p == "person" and r != role],
        "seed": game.seed if reveal else None,
        "draws": game.draws.scheme if reveal else None,  # how the game drew (with the seed)
        "players": players if reveal else None,
    }
