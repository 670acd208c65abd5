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

A game's draws are a `GameDraws` (`game_draws(seed, scheme)`): the engine asks them by
what each draw is for. `KeyedDraws` (scheme 2, every new game) answers with the units
above; `SequentialDraws` (scheme 1) is kazsim's draws before them, one `random.Random`
drawn from in the order of resolution, kept so that the saves made then still replay.
"""

from __future__ import annotations

import random
from functools import lru_cache
from hashlib import blake2b
from typing import Protocol

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

    def bits(self) -> int:
        """The next slot's whole 64-bit key (a seed for something that draws on its own,
        such as a future the hard AI plays)."""
        z = mix(((self._base ^ self._slot) + GOLDEN) & MASK)
        self._slot += 1
        return z


# --- a game's draws: the keyed scheme, and the sequential one of older saves ---------------

KEYED = 2  # the scheme of every new game: the draws above
SEQUENTIAL = 1  # saves made before it: one `random.Random(seed)` drawn from in turn
SCHEME = KEYED
SCHEMES = (SEQUENTIAL, KEYED)


class Uniform(Protocol):
    """Anything that gives uniform numbers in [0, 1): a `Stream`, `AiDraws`, a
    `random.Random`."""

    def random(self) -> float: ...


class GameDraws(Protocol):
    """Where one game's randomness comes from, asked by what each draw is for.

    The engine asks in its order of resolution (docs/design.md) and names every draw
    by its key; `KeyedDraws` answers from the key alone, `SequentialDraws` (saves
    made before the keyed draws) ignores it and draws the next number of its generator,
    which in the same order of resolution is what the engine drew before.
    """

    scheme: int

    def action(self, turn: int, role: str) -> float:
        """The chance outcome of `role`'s chosen action."""

    def rule(self, turn: int, rule: str) -> float:
        """The chance outcome of a rule that applies."""

    def event(self, turn: int, event: str, slot: int) -> float:
        """A due event: slot 0 against its chance, slot 1 picks its outcome."""

    def amount(self, turn: int, kind: str, source: str, role: str | None, n: int) -> float:
        """The `n`-th uncertain amount (from 0) that one origin draws this turn."""

    def ai(self, turn: int, role: str, salt: str = "") -> Uniform:
        """The draws of one AI decision of `role` (`salt`: which of its decisions)."""

    def future(self, ai: Uniform) -> GameDraws:
        """The draws of a future the hard AI plays, its seed taken from the AI's draws
        (`ai`); the same `ai` draws give the same future."""

    def again(self) -> GameDraws:
        """The same draws from the start (a future tried again with another action)."""


class KeyedDraws:
    """A game's keyed draws (scheme 2): each one `unit(seed, turn, source_id(source),
    slot)` for the sources named above. The seed's and the last turn's parts of the key
    are kept, so a draw costs two mixes and a memoised source id."""

    __slots__ = ("_at", "_seed_base", "_turn_base", "seed")
    scheme = KEYED

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._seed_base = mix(((seed & MASK) + GOLDEN) & MASK)
        self._at = -1
        self._turn_base = 0

    def _turn(self, turn: int) -> int:
        """The seed's and the turn's part of every key of the turn (kept for the last)."""
        if turn != self._at:
            self._turn_base = mix(((self._seed_base ^ (turn & MASK)) + GOLDEN) & MASK)
            self._at = turn
        return self._turn_base

    def unit(self, turn: int, source: str, slot: int = 0) -> float:
        """`unit(seed, turn, source_id(source), slot)`."""
        h = mix(((self._turn(turn) ^ source_id(source)) + GOLDEN) & MASK)
        return (mix(((h ^ (slot & MASK)) + GOLDEN) & MASK) >> 11) * TWO_TO_MINUS_53

    def action(self, turn: int, role: str) -> float:
        return self.unit(turn, source_action(role))

    def rule(self, turn: int, rule: str) -> float:
        return self.unit(turn, source_rule(rule))

    def event(self, turn: int, event: str, slot: int) -> float:
        return self.unit(turn, source_event(event), slot)

    def amount(self, turn: int, kind: str, source: str, role: str | None, n: int) -> float:
        return self.unit(turn, source_amount(kind, source, role), n)

    def ai(self, turn: int, role: str, salt: str = "") -> Stream:
        """`Stream(seed, turn, source_ai(role, salt))`, from the kept part of the key."""
        stream = Stream.__new__(Stream)
        stream._base = mix(((self._turn(turn) ^ source_id(source_ai(role, salt))) + GOLDEN)
                           & MASK)
        stream._slot = 0
        return stream

    def future(self, ai: Uniform) -> KeyedDraws:
        """A future keyed by a seed of 64 bits from the AI's stream (53 from anything
        else that draws uniform numbers)."""
        if isinstance(ai, Stream):
            return KeyedDraws(ai.bits())
        return KeyedDraws(int(ai.random() * (1 << 53)))

    def again(self) -> KeyedDraws:
        return self  # a keyed draw depends on its key alone


class AiDraws:
    """The AI's draws of the sequential scheme (saves made before the keyed draws):
    uniform numbers in [0, 1) from BLAKE2b of the game seed, the turn, the role and a
    counter, so they never touch the game's generator."""

    __slots__ = ("_count", "_key")

    def __init__(self, key: str) -> None:
        self._key = key.encode()
        self._count = 0

    def random(self) -> float:
        digest = blake2b(self._key + self._count.to_bytes(4, "big"), digest_size=8).digest()
        self._count += 1
        return (int.from_bytes(digest, "big") >> 11) * TWO_TO_MINUS_53


class SequentialDraws:
    """A game's draws as kazsim made them before the keyed draws (scheme 1): one
    `random.Random(seed)` for the whole game, drawn from once per draw in the order of
    resolution (whatever the key), and the AI's draws from `AiDraws`. Saves made then
    replay with it. A future of the hard AI is one `random.Random` seeded with a number
    of the AI's draws, shared by that future's resolution and its easy AI."""

    __slots__ = ("_shared", "rng", "seed")
    scheme = SEQUENTIAL

    def __init__(self, seed: int | float, *, shared: bool = False) -> None:
        self.seed = seed  # a future's seed is a float
        self.rng = random.Random(seed)
        self._shared = shared

    def action(self, turn: int, role: str) -> float:
        return self.rng.random()

    def rule(self, turn: int, rule: str) -> float:
        return self.rng.random()

    def event(self, turn: int, event: str, slot: int) -> float:
        return self.rng.random()

    def amount(self, turn: int, kind: str, source: str, role: str | None, n: int) -> float:
        return self.rng.random()

    def ai(self, turn: int, role: str, salt: str = "") -> Uniform:
        if self._shared:
            return self.rng
        return AiDraws(f"kazsim-ai/{self.seed}/{turn}/{role}/{salt}")

    def future(self, ai: Uniform) -> SequentialDraws:
        return SequentialDraws(ai.random(), shared=True)

    def again(self) -> SequentialDraws:
        return SequentialDraws(self.seed, shared=self._shared)


def game_draws(seed: int, scheme: int = SCHEME) -> GameDraws:
    """A game's draws in `scheme` (`KEYED` for every new game; `SEQUENTIAL` for the
    saves made before). Raises `ValueError` for another scheme."""
    if scheme == KEYED:
        return KeyedDraws(seed)
    if scheme == SEQUENTIAL:
        return SequentialDraws(seed)
    raise ValueError(f"unknown draws scheme {scheme!r} (this kazsim knows "
                     f"{', '.join(map(str, SCHEMES))})")
