"""The save file format: strict pydantic models, format versions and migrations.

A save is data, never a pickle: the scenario it was played on (id, version,
hash of the file's bytes), the seed, who played which role, every turn's
decisions and the checksum of the state after it. Loading is replaying
(`kazsim.session.session`); this module only says what a well-formed document
looks like and turns older documents into the current shape.

Format versions:

* 0 — the first draft, before players were recorded: `scenario` held `id`, `version`, `hash`;
  `roles` mapped each role to "human" or "ai" with one `ai_level` for all the
  computer players (no names, no levels per role); one `saved` timestamp.
* 1 — `players` records each human's name and each AI's level;
  `created`/`updated` timestamps; the scenario's title and path hint; and,
  added later without a new version, an optional `turn_limit`: the game stops after that turn
  (`kazsim play --turns N`). It is written only when set, so a save of a whole
  game is exactly what it was, and a save without it is a whole game: every
  version-1 save still loads and verifies unchanged, with no new version.
* 2 — current: `draws` says how the game draws (`kazsim.engine.draws`): 2 for
  the keyed draws of every game started since they came, 1 for the sequential
  generator of the games before. A version-1 save becomes version 2 with
  `draws: 1`, and replays as it was played. An older kazsim refuses a version-2
  save as a newer format (it could not replay its draws).

`MIGRATIONS[n]` turns a valid version-n document into a version n+1 one.
A document newer than `FORMAT_VERSION` is refused with a message naming both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

FORMAT: Literal["kazsim-save"] = "kazsim-save"
FORMAT_VERSION: Literal[2] = 2
MIN_FORMAT_VERSION = 0
# From this version on a document has the current shape, but for fields added since:
# what is wrong in it is said as for a current one (no "(format N)", with its position).
SAME_SHAPE = 1
MAX_TURNS = 1000  # scenarios have at most 200; anything beyond is not a real save

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Hash = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Checksum = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")]
ShortText = Annotated[str, StringConstraints(max_length=200)]
Timestamp = Annotated[str, StringConstraints(max_length=40)]
Level = Literal["easy", "hard", "history"]


class SaveError(ValueError):
    """A save file cannot be read or does not replay: one line, with file and place."""

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}" if where else message)


class Strict(BaseModel):
    """Base: unknown keys are errors, types are not coerced, values are immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _OutOfRange(ValueError):
    pass


def parse_timestamp(value: str) -> dt.datetime:
    """An ISO 8601 timestamp with a time zone (as written by `format_timestamp`), in UTC;
    `ValueError` for anything else, including a moment UTC cannot hold."""
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("a timestamp needs a time zone (write it ending in Z)")
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:  # 0001-01-01T00:00:00+01:00 is in the year 0 in UTC
        raise _OutOfRange("the timestamp is out of range: in UTC it falls before the "
                          "year 1 or after 9999") from None


def format_timestamp(moment: dt.datetime) -> str:
    """2025-01-06T09:30:00Z: seconds, UTC."""
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _check_timestamp(value: str) -> str:
    try:
        parse_timestamp(value)
    except _OutOfRange:
        raise
    except ValueError as exc:
        raise ValueError(f"not an ISO 8601 timestamp ({exc})") from None
    return value


# --- version 2 (current) and 1 -----------------------------------------------------------------

class HumanPlayer(Strict):
    """A person at the keyboard ('' when no name was given)."""

    kind: Literal["human"]
    name: ShortText = ""


class AiPlayer(Strict):
    """The computer, at a level."""

    kind: Literal["ai"]
    level: Level


Player = Annotated[HumanPlayer | AiPlayer, Field(discriminator="kind")]


def human(name: str = "") -> HumanPlayer:
    """A human player; the name is trimmed to what a save keeps (200 characters)."""
    return HumanPlayer(kind="human", name=" ".join(name.split())[:200])


def ai(level: Level = "easy") -> AiPlayer:
    return AiPlayer(kind="ai", level=level)


class ScenarioRef(Strict):
    """Which scenario, and which exact version of its file."""

    id: Id
    title: ShortText
    version: ShortText
    path: Annotated[str, StringConstraints(max_length=1000)] | None = None  # a hint only
    content_hash: Hash


class TurnEntry(Strict):
    """One resolved turn: every role's decision and the state's checksum after it."""

    turn: int = Field(ge=1, le=MAX_TURNS)
    decisions: dict[Id, Id] = Field(min_length=1, max_length=64)
    checksum: Checksum


class _SaveBody(Strict):
    """What versions 1 and 2 share (in the order written)."""

    format: Literal["kazsim-save"]
    format_version: int
    kazsim_version: ShortText
    name: ShortText | None = None
    created: Timestamp
    updated: Timestamp
    scenario: ScenarioRef
    seed: int = Field(ge=-(2**63), le=2**63 - 1)
    players: dict[Id, Player] = Field(min_length=1, max_length=64)
    turns: list[TurnEntry] = Field(max_length=MAX_TURNS)
    ending: Id | None = None
    # A lesson: the game stops after this turn (None: the whole game). Written only when set.
    turn_limit: int | None = Field(default=None, ge=1, le=MAX_TURNS)

    _stamps = field_validator("created", "updated")(_check_timestamp)

    @model_validator(mode="after")
    def _consistent(self) -> _SaveBody:
        for index, entry in enumerate(self.turns):
            if entry.turn != index + 1:
                raise ValueError(f"turns[{index}] is turn {entry.turn}, expected {index + 1} "
                                 "(turns must run 1, 2, 3... without gaps)")
            if set(entry.decisions) != set(self.players):
                raise ValueError(f"turns[{index}] has decisions for "
                                 f"{', '.join(sorted(entry.decisions))} but the players are "
                                 f"{', '.join(sorted(self.players))}")
        if self.ending is not None and not self.turns:
            raise ValueError("an ending is recorded but no turn was played")
        if self.turn_limit is not None and len(self.turns) > self.turn_limit:
            raise ValueError(f"{len(self.turns)} turns are recorded but the game stops after "
                             f"turn {self.turn_limit} (its \"turn_limit\")")
        return self


class SaveFileV1(_SaveBody):
    """Format version 1: the same without `draws` (every such game drew sequentially)."""

    format_version: Literal[1]


class SaveFile(_SaveBody):
    """A whole save file, format version 2."""

    format_version: Literal[2]
    # How the game draws (`kazsim.engine.draws.SCHEMES`): 2 keyed, 1 sequential (the
    # games of version-1 saves).
    draws: Literal[1, 2]

    def to_json(self) -> str:
        """The document as written to disk: indented, keys in a fixed order (`turn_limit`
        only when there is one, so a whole game's save reads as before lessons)."""
        exclude = {"turn_limit"} if self.turn_limit is None else None
        return self.model_dump_json(indent=2, exclude=exclude) + "\n"


# --- version 0 and the migrations ---------------------------------------------------------

class ScenarioRefV0(Strict):
    id: Id
    version: ShortText
    hash: Hash


class TurnEntryV0(Strict):
    turn: int = Field(ge=1, le=MAX_TURNS)
    decisions: dict[Id, Id] = Field(min_length=1, max_length=64)
    checksum: Checksum


class SaveFileV0(Strict):
    """Format version 0: roles were 'human' or 'ai', one AI level for all."""

    format: Literal["kazsim-save"]
    format_version: Literal[0]
    kazsim_version: ShortText
    saved: Timestamp
    scenario: ScenarioRefV0
    seed: int = Field(ge=-(2**63), le=2**63 - 1)
    roles: dict[Id, Literal["human", "ai"]] = Field(min_length=1, max_length=64)
    ai_level: Level
    turns: list[TurnEntryV0] = Field(max_length=MAX_TURNS)
    ending: Id | None = None

    _stamp = field_validator("saved")(_check_timestamp)


def _migrate_0_to_1(data: dict[str, Any]) -> dict[str, Any]:
    old = SaveFileV0.model_validate(data)
    players: dict[str, dict[str, str]] = {
        role: ({"kind": "human", "name": ""} if kind == "human"
               else {"kind": "ai", "level": old.ai_level})
        for role, kind in old.roles.items()
    }
    return {
        "format": FORMAT,
        "format_version": 1,
        "kazsim_version": old.kazsim_version,
        "name": None,
        "created": old.saved,
        "updated": old.saved,
        "scenario": {"id": old.scenario.id, "title": old.scenario.id,
                     "version": old.scenario.version, "path": None,
                     "content_hash": old.scenario.hash},
        "seed": old.seed,
        "players": players,
        "turns": [t.model_dump() for t in old.turns],
        "ending": old.ending,
    }


def _migrate_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    """A version-1 game drew sequentially: the same document with `draws: 1`."""
    old = SaveFileV1.model_validate(data)
    exclude = {"turn_limit"} if old.turn_limit is None else None
    return {**old.model_dump(exclude=exclude), "format_version": 2, "draws": 1}


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _migrate_0_to_1,
                                                                    1: _migrate_1_to_2}


def header(data: Any) -> int:
    """The document's format version, after checking it is a kazsim save at all.

    Raises `ValueError` with a message for the user.
    """
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object at the top, found {json_type(data)}")
    if data.get("format") != FORMAT:
        raise ValueError(f"not a kazsim save (its \"format\" is not \"{FORMAT}\")")
    version = data.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValueError("\"format_version\" must be a whole number")
    if version > FORMAT_VERSION:
        raise ValueError(f"this save was made by a newer kazsim (format {version}); this "
                         f"version reads up to {FORMAT_VERSION} — upgrade kazsim")
    if version < MIN_FORMAT_VERSION:
        raise ValueError(f"format {version} is older than any kazsim release could write")
    return version


def migrate(data: dict[str, Any], version: int) -> dict[str, Any]:
    """Bring a version-`version` document to the current version, one step at a time.

    Each step validates its input with that version's model, so a malformed old
    document raises pydantic's `ValidationError` with paths in the old shape.
    """
    while version < FORMAT_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    return data


def json_type(value: Any) -> str:
    """A JSON value's kind, in words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"
