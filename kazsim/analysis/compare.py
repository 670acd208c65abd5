"""A variant against its original: the ending shares side by side, on the same seeds.

Both scenarios are played on the same seeds with the same AI. Seed by seed, a
game of each gives a difference for every ending (1 if only the variant's game
ended that way, -1 if only the original's, 0 otherwise); the difference of the
shares is the mean of these, and its 95% interval the normal one for a mean of
paired differences (the games of one seed share their random draws, so where
the change does not matter they agree, and the interval is narrower than for
two separate samples). When every pair agrees the interval is the single
point 0: the change made no difference in these games.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kazsim.analysis.simulate import Tally
from kazsim.scenario.compiled import CompiledScenario

Z = 1.959964  # the 95% normal quantile


@dataclass(frozen=True)
class EndingShift:
    id: str
    title: str
    base: float  # share of the original's games
    variant: float
    difference: float  # variant - base
    low: float  # its 95% interval
    high: float
    only_in: str = ""  # "original" or "variant" when the other scenario has no such ending

    @property
    def clear(self) -> bool:
        """Whether the interval excludes 0 (the change moved this ending)."""
        return self.low > 0 or self.high < 0


@dataclass(frozen=True)
class Comparison:
    base_name: str  # how the original is named (its path)
    base_title: str
    base_version: str
    runs: int
    endings: tuple[EndingShift, ...]
    base_mean_turns: float
    variant_mean_turns: float


def paired(a: list[str], b: list[str], ending: str) -> tuple[float, float, float]:
    """The mean of (b's game ended `ending`) - (a's did), seed by seed, and its interval."""
    d = [(y == ending) - (x == ending) for x, y in zip(a, b, strict=True)]
    n = len(d)
    mean = sum(d) / n
    var = sum((v - mean) ** 2 for v in d) / (n - 1) if n > 1 else 0.0
    half = Z * math.sqrt(var / n)
    return mean, mean - half, mean + half


def compare(base: CompiledScenario, base_tally: Tally, variant: CompiledScenario,
            variant_tally: Tally, base_name: str) -> Comparison:
    """The variant's endings against the original's, both over the same seeds."""
    titles = {e.id: e.title for e in base.model.endings}
    for e in variant.model.endings:
        titles.setdefault(e.id, e.title)
    a, b = base_tally.game_endings, variant_tally.game_endings
    n = len(a)
    shifts = []
    for ending_id, title in titles.items():
        mean, low, high = paired(a, b, ending_id)
        only = ("original" if ending_id not in variant_tally.endings else
                "variant" if ending_id not in base_tally.endings else "")
        shifts.append(EndingShift(ending_id, title, a.count(ending_id) / n,
                                  b.count(ending_id) / n, mean, low, high, only))
    return Comparison(base_name, base.model.title, base.model.version, n, tuple(shifts),
                      base_tally.turns / n, variant_tally.turns / n)
