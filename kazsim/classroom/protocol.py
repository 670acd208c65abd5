"""The classroom protocol: JSON messages over one WebSocket per client, as pydantic models.

A client's first message is `Hello` (the protocol version, the table's join code,
and the role it wants, or the token it was given), or `Look`, which asks which
of a table's seats are free (the join screen's list) and gets `Seats`; to a
hello the host answers `Welcome` and then sends the seat its own `View` after
every change (and a `Nudge` when the teacher reminds the seat that the class is
waiting for it). A client then sends `Decide` (and `Ping`); each carries `seq`, a
number that grows with every message of that seat, so a replayed message is
recognised and changes nothing. Every refusal is an `ErrorReply` naming a
`code`; a wrong join code and a wrong token get the same one (`refused`) and the
same words.

Nothing a client sends becomes a path, a command or code: the fields are short
strings matched against the scenario's ids and the host's own codes and tokens.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError

PROTOCOL_VERSION = 1
MAX_MESSAGE = 4096  # bytes: the largest message a client may send (the host closes at more)
MAX_VIEW = 4 * 2**20  # bytes: what a client accepts from the host (a long game's history)

Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,12}$")]
RoleId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Token = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{16,64}$")]
Name = Annotated[str, StringConstraints(max_length=60)]
Seq = Annotated[int, Field(ge=1, le=2**53)]
Turn = Annotated[int, Field(ge=1, le=10_000)]


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- client to host ---------------------------------------------------------------------------

class Hello(Message):
    type: Literal["hello"]
    protocol: int
    code: Code
    role: RoleId | None = None  # the seat wanted (None: the first free seat a person may play)
    token: Token | None = None  # given by an earlier Welcome: the seat comes back
    claim: Token | None = None  # the client's own secret, in case a Welcome is lost
    name: Name = ""


class Look(Message):
    """Before joining: which seats of the table with this code are free."""

    type: Literal["look"]
    protocol: int
    code: Code


class Decide(Message):
    type: Literal["decide"]
    seq: Seq
    turn: Turn
    action: RoleId


class Ping(Message):
    type: Literal["ping"]
    seq: Seq


ClientMessage = Annotated[Hello | Look | Decide | Ping, Field(discriminator="type")]
_CLIENT: TypeAdapter[Hello | Look | Decide | Ping] = TypeAdapter(ClientMessage)

# --- host to client ---------------------------------------------------------------------------

ErrorCode = Literal["malformed", "version", "refused", "replayed", "out_of_turn", "illegal",
                    "rate", "not_yours"]


class ErrorReply(Message):
    type: Literal["error"] = "error"
    code: ErrorCode
    message: str
    seq: int | None = None  # the message it answers, when it had one


class ScenarioInfo(Message):
    id: str
    title: str
    version: str
    content_hash: str


class Welcome(Message):
    type: Literal["welcome"] = "welcome"
    protocol: int = PROTOCOL_VERSION
    table: int
    role: str
    token: str
    scenario: ScenarioInfo
    draws: int  # this seat's own random key, for a client AI (never the game's seed)
    last_seq: int  # the last message of this seat the host accepted


SeatState = Literal["free", "ai", "taken", "computer"]
"""free: waiting for a person; ai: the AI plays it until a person joins; taken: a person
has it; computer: the scenario lets only the AI play it."""


class SeatInfo(Message):
    role: str
    name: str
    state: SeatState


class Seats(Message):
    type: Literal["seats"] = "seats"
    table: int
    scenario: ScenarioInfo
    seats: list[SeatInfo]


class Ack(Message):
    type: Literal["ack"] = "ack"
    seq: int
    turn: int
    action: str


class Pong(Message):
    type: Literal["pong"] = "pong"
    seq: int


class Nudge(Message):
    """The teacher's gentle reminder to a seat that has not decided yet (the dashboard's
    `n`); the client shows `message` as a line of its own, and nothing else changes."""

    type: Literal["nudge"] = "nudge"
    table: int
    turn: int
    message: str


def parse_client(raw: str | bytes) -> Hello | Look | Decide | Ping:
    """A client's message, or raise ValueError with a short reason (never the input)."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("not UTF-8 text") from None
    if len(raw) > MAX_MESSAGE:
        raise ValueError("too long")
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, RecursionError):
        raise ValueError("not JSON") from None
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    try:
        return _CLIENT.validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"][:2]) or "message"
        raise ValueError(f"{where}: {first['msg']}"[:120]) from None


def dump(message: Message | dict[str, Any]) -> str:
    """One message as the JSON text that goes on the wire."""
    if isinstance(message, Message):
        return message.model_dump_json()
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
