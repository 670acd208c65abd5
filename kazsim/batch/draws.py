"""`kazsim.engine.draws` on arrays: the same SplitMix64 chain on `uint64`, one key per game.

Every operation is the scalar one's (`draws.mix`, `draws.key`, `draws.unit`) on numpy
unsigned 64-bit integers, whose arithmetic wraps modulo 2**64 as the scalar code's
`& MASK` does, so each game's draw is bit for bit the reference engine's.
"""

from __future__ import annotations

import numpy as np

from kazsim.engine.draws import GOLDEN, M1, M2, MASK, TWO_TO_MINUS_53, source_id

_GOLDEN = np.uint64(GOLDEN)
_M1 = np.uint64(M1)
_M2 = np.uint64(M2)
_S30, _S27, _S31, _S11 = (np.uint64(n) for n in (30, 27, 31, 11))


def mix(z: np.ndarray) -> np.ndarray:
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    out: np.ndarray = z ^ (z >> _S31)
    return out


def seeds_key(seeds: np.ndarray | list[int]) -> np.ndarray:
    """The first link of the chain for each game's seed (seeds read modulo 2**64)."""
    raw = np.array([s & MASK for s in (int(x) for x in seeds)], dtype=np.uint64)
    return mix(raw + _GOLDEN)


def then(h: np.ndarray, part: int) -> np.ndarray:
    """The chain one key part further (a turn, a `source_id`, a slot)."""
    return mix((h ^ np.uint64(part & MASK)) + _GOLDEN)


def unit(turn_key: np.ndarray, source: str, slot: int = 0) -> np.ndarray:
    """Each game's uniform number in [0, 1) for (its seed, the turn, `source`, `slot`),
    from the chain already taken to the turn (`then(seeds_key(...), turn)`)."""
    key = then(then(turn_key, source_id(source)), slot)
    return (key >> _S11).astype(np.float64) * TWO_TO_MINUS_53
