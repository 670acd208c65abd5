"""Counter-based random draws: each draw is a pure function of where it is used.

A game's randomness is keyed, not sequential: the uniform number in [0, 1) used by one
draw is `unit(seed, turn, source_id(source), slot)`, whatever other draws were made
before it. So a draw never depends on how many draws came first, which lets two
engines that walk a turn in different orders (the reference engine one game at a time,
the batch engine many games as arrays) play exactly the same games, and lets a forked
or resumed game draw exactly what the straight game drew.

The function is SplitMix64's finaliser chained over the four key parts, all 64-bit
unsigned integers (`MASK`): seeds are read modulo 2**64 (a save's seed is a signed
64-bit integer, so no two seeds a save can hold share their draws). In numpy the same
chain on `uint64` arrays gives the same bits (`mix` and `unit` are written so that
the batch engine can copy them operation for operation).

The sources (one home for their names, `source_*` below):

- ``action:ROLE``: the chance outcome of ROLE's chosen action (slot 0);
- ``rule:RULE``: the chance outcome of a rule that applies (slot 0);
- ``event:EVENT``: slot 0 against the event's chance, slot 1 picks its outcome;
- ``amount:KIND:SOURCE:ROLE``: the uncertain amounts of the effects of one origin
  (an action, outcome, rule, event...; ROLE empty when none), slot n for the n-th
  amount that origin draws in the turn;
- ``ai:ROLE:SALT``: one AI decision's draws, slot n for its n-th draw.
"""

from __future__ import annotations

from functools import lru_cache
from hashlib import blake2b

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15  # added before each mix, so a zero key part still mixes
M1 = 0xBF58476D1CE4E5B9
M2 = 0x94D049BB133111EB
TWO_TO_MINUS_53 = 1.0 / (1 << 53)


def mix(z: int) -> int:
    """SplitMix64's finaliser on a 64-bit unsigned integer."""
    z = ((z ^ (z >> 30)) * M1) & MASK
    z = ((z ^ (z >> 27)) * M2) & MASK
    return z ^ (z >> 31)


def key(seed: int, turn: int, source: int, slot: int) -> int:
    """The 64-bit key of one draw (`source` is a `source_id`)."""
    h = mix(((seed & MASK) + GOLDEN) & MASK)
    h = mix(((h ^ (turn & MASK)) + GOLDEN) & MASK)
    h = mix(((h ^ source) + GOLDEN) & MASK)
    return mix(((h ^ (slot & MASK)) + GOLDEN) & MASK)


def unit(seed: int, turn: int, source: int, slot: int = 0) -> float:
    """The draw's uniform number in [0, 1): the key's top 53 bits."""
    return (key(seed, turn, source, slot) >> 11) * TWO_TO_MINUS_53


@lru_cache(maxsize=8192)
def source_id(name: str) -> int:
    """A source's name as a 64-bit integer (BLAKE2b of its UTF-8 bytes): the same in
    every process and under any PYTHONHASHSEED. Memoised; the function is pure."""
    digest = blake2b(name.encode("utf-8"), digest_size=8, person=b"kazsim-draw").digest()
    return int.from_bytes(digest, "big")


def source_action(role: str) -> str:
    return f"action:{role}"


def source_rule(rule: str) -> str:
    return f"rule:{rule}"


def source_event(event: str) -> str:
    return f"event:{event}"


def source_amount(kind: str, source: str, role: str | None) -> str:
    return f"amount:{kind}:{source}:{role or ''}"


def source_ai(role: str, salt: str = "") -> str:
    return f"ai:{role}:{salt}"


class Stream:
    """Successive draws of one source in one turn (slot 0, 1, 2...): `random()` like
    `random.Random`, so it can stand where a generator is expected (the AI's draws)."""

    __slots__ = ("_base", "_slot")

    def __init__(self, seed: int, turn: int, source: str) -> None:
        h = mix(((seed & MASK) + GOLDEN) & MASK)
        h = mix(((h ^ (turn & MASK)) + GOLDEN) & MASK)
        self._base = mix(((h ^ source_id(source)) + GOLDEN) & MASK)
        self._slot = 0

    def random(self) -> float:
        z = mix(((self._base ^ self._slot) + GOLDEN) & MASK)
        self._slot += 1
        return (z >> 11) * TWO_TO_MINUS_53
