"""A chunk of the batch engine's games counted as `kazsim check` counts games.

`fill_tally` gives the play-test's tally (`kazsim.analysis.simulate.Tally`) of a run
of consecutive games of a batch the very numbers `tally_games` gives for the
reference engine's games of the same seeds: the same counts, the sums of floats
added in seed order, the decision points kept in the same order. It fills the tally
it is handed (this layer is below the analysis and does not import it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from kazsim.batch.engine import RESULTS, Games


def fill_tally(tally: Any, games: Games, a: int, b: int, tally_key: Callable[[str, int], str],
               samples: int, per_game: int) -> None:
    """Count games `a` to `b` of `games` into `tally` (a fresh
    `kazsim.analysis.simulate.Tally`), as `tally_games` counts the reference engine's
    games of the same seeds: `tally_key` names an alternative shown, `samples` and
    `per_game` bound the decision points kept."""
    p = games.prepared
    scenario = p.scenario
    seeds = games.seeds[a:b]
    played = games.played[a:b]
    ending = games.ending[a:b]
    n = b - a
    tally.runs = n
    tally.turns = int(played.sum())
    names = [e.id for e in p.endings]
    for index in ending.tolist():
        tally.game_endings.append(names[index])
    for e in p.endings:
        hit = ending == e.index
        tally.endings[e.id] += int(hit.sum())
        tally.ending_turns[e.id] += int(played[hit].sum())
    turns = played.max() if n else 0
    alive = np.arange(1, turns + 1)[:, None] <= played[None, :]  # (turn, game)
    # How many actions each role could choose from before each turn, and which.
    for role in p.roles:
        legal = games.legal[role.id][:turns, a:b] & alive[:, :, None]  # (turn, game, act)
        many = legal.sum(axis=2)
        histogram = tally.choices[role.id]
        seen = many.T[alive.T]  # game by game, turn by turn, as the reference counts them
        counts, first, times = np.unique(seen, return_index=True, return_counts=True)
        for j in np.argsort(first, kind="stable").tolist():
            histogram[int(counts[j])] = histogram.get(int(counts[j]), 0) + int(times[j])
        open_now = (many > 1) & alive
        tally.open_at[role.id][:turns] = [x + int(y) for x, y in zip(
            tally.open_at[role.id][:turns], open_now.sum(axis=1), strict=True)]
        decided = games.decisions[role.id][:turns, a:b]
        for action in role.actions:
            key = action.key
            can = legal[:, :, action.index]
            tally.available_turns[key] += int(can.sum())
            tally.available_games[key] += int(can.any(axis=0).sum())
            chosen_open = (open_now & (decided == action.index)).sum(axis=1)
            at = tally.chosen_at[key]
            for t in np.nonzero(chosen_open)[0].tolist():
                at[t] += int(chosen_open[t])
            _samples(tally.samples[key], can & (many > 1), seeds, samples, per_game)
            _samples(tally.unavailable[key], ~can & alive, seeds, samples, per_game)
            chose = (decided == action.index) & alive
            tally.chosen[key] += int(chose.sum())
            tally.chosen_games[key] += int(chose.any(axis=0).sum())
    for rule in p.rules:
        applied = games.rules[:turns, a:b, rule.index]
        tally.rules[rule.id] += int(applied.sum())
        tally.rule_games[rule.id] += int(applied.any(axis=0).sum())
    for event in p.events:
        fired = games.events[:turns, a:b, event.index]
        tally.events[event.id] += int(fired.sum())
        tally.event_games[event.id] += int(fired.any(axis=0).sum())
    # The alternatives shown, and each role's result.
    for key, column in games.shown.items():
        picked = column[:turns, a:b]
        for index, times in zip(*np.unique(picked[picked >= 0], return_counts=True),
                                strict=True):
            name = tally_key(key, int(index))
            tally.shown[name] = tally.shown.get(name, 0) + int(times)
    for role in p.roles:
        got = games.results[role.id][a:b]
        for j, word in enumerate(RESULTS):
            tally.results[f"{role.id}.{word}"] += int((got == j).sum())
    # Indicator ranges and flags, turn by turn (sums in seed order, as game by game).
    bounds = {i.id: (float(i.min), float(i.max)) for i in scenario.model.indicators}
    living = np.arange(turns + 1)[:, None] <= played[None, :]  # states 0..played
    tally.alive[:turns + 1] = [x + int(y) for x, y in zip(
        tally.alive[:turns + 1], living.sum(axis=1), strict=True)]
    for key, (lo, hi) in bounds.items():
        values = games.values[key][:turns + 1, a:b]
        low, high, total = tally.low[key], tally.high[key], tally.total[key]
        for t in range(turns + 1):
            here = values[t][living[t]]
            if not len(here):
                continue
            low[t] = min(low[t], float(here.min()))
            high[t] = max(high[t], float(here.max()))
            total[t] = float(np.cumsum(np.concatenate(([total[t]], here)))[-1])
        later = values[1:][living[1:]]
        tally.at_min[key] += int((later <= lo).sum())
        tally.at_max[key] += int(((later > lo) & (later >= hi)).sum())
    for key in p.flags:
        values = games.values[key][:turns + 1, a:b]
        on = (values & living).sum(axis=1)
        tally.flag_on[key][:turns + 1] = [x + int(y) for x, y in zip(
            tally.flag_on[key][:turns + 1], on, strict=True)]
        tally.flag_final[key] += int(values[played, np.arange(n)].sum())
    # The real timeline: steps and day differences counted in the order the reference
    # meets them (game by game, each game's steps in real order).
    met = []
    for order, step in enumerate(p.steps):
        happened = games.step_turn[step.id][a:b] >= 0
        if happened.any():
            met.append((int(happened.argmax()), order, step, happened))
    for _, _, step, happened in sorted(met, key=lambda m: (m[0], m[1])):
        timeline = tally.timeline
        timeline.happened[step.id] = timeline.happened.get(step.id, 0) + int(happened.sum())
        by_day = timeline.days.setdefault(step.id, {})
        days = np.array(step.day_offset)[games.step_turn[step.id][a:b][happened]]
        distinct, first, times = np.unique(days, return_index=True, return_counts=True)
        for k in np.argsort(first, kind="stable").tolist():
            day = int(distinct[k])
            by_day[day] = by_day.get(day, 0) + int(times[k])
    # The final scores, in seed order.
    final = games.final_scores(a, b)
    for role in p.roles:
        scores = final[role.id]
        for score in scores.tolist():
            tally.scores[role.id] += score
        if n:
            tally.score_min[role.id] = min(tally.score_min[role.id], float(scores.min()))
            tally.score_max[role.id] = max(tally.score_max[role.id], float(scores.max()))
    tally.available = {k for k, v in tally.available_games.items() if v}


def _samples(kept: list[tuple[int, int]], where: Any, seeds: list[int], samples: int,
             per_game: int) -> None:
    """The first `samples` (seed, turn) where `where` (turn, game) holds, at most
    `per_game` from one game, in seed order then turn order (as `_count_choices`)."""
    if len(kept) >= samples or not where.any():
        return
    by_game = where.T  # (game, turn)
    first = by_game & (np.cumsum(by_game, axis=1) <= per_game)  # each game's first ones
    games, turns = np.nonzero(first)  # by game, then turn
    left = samples - len(kept)
    kept.extend((seeds[g], t + 1) for g, t in zip(games[:left].tolist(), turns[:left].tolist(),
                                                  strict=True))
