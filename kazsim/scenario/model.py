"""The scenario format: what a teacher writes, as strict pydantic models.

These models describe a scenario file and nothing else: they know nothing about
how a game is played (that is `kazsim.engine`) or how a file is read (that is
`kazsim.scenario.load`). Expressions are kept as text here; the loader compiles
and type-checks them once, with positions, into `kazsim.scenario.compiled`.

Every field carries a description: it is shown in the JSON Schema that editors
use for completion, and the authoring guide (docs/authoring.md) explains each.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

FORMAT_VERSION = 1

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$"),
    Field(
        description=(
            "A short name used to refer to this thing elsewhere in the file: lower-case "
            "letters, digits and _, starting with a letter (for example protest_size)."
        )
    ),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Expression = Annotated[
    str,
    StringConstraints(min_length=1, max_length=2_000),
    Field(description="An expression in the scenario language (see docs/authoring.md)."),
]
Number = int | float
# An effect on one indicator or flag:
#   a number or an expression -> the indicator changes by that much;
#   "= expression"            -> the indicator is set to that value;
#   true / false              -> the flag is set or cleared.
EffectValue = bool | Number | Expression
Effects = Annotated[
    dict[str, EffectValue],
    Field(
        description=(
            "What changes. Each key is an indicator or flag id. A number or expression "
            "changes an indicator by that much (use a minus sign to lower it); a string "
            "starting with '=' sets it; true/false sets a flag."
        )
    ),
]


class Model(BaseModel):
    """Base for every part of the format: strict keys, immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(Model):
    """A published source the scenario's facts come from."""

    id: Id
    title: Text
    publisher: Text
    date: dt.date | None = Field(None, description="Publication date, as YYYY-MM-DD.")
    link: str | None = Field(None, description="A web address where the source can be read.")
    note: str | None = Field(None, description="Anything a reader should know about it.")


class Calendar(Model):
    """How game time maps onto the real calendar."""

    start: dt.date = Field(description="The real date of turn 1, as YYYY-MM-DD.")
    turn_length: Literal["hour", "half_day", "day", "week", "month"] = Field(
        "day", description="How much time one turn stands for."
    )
    turns: int = Field(ge=1, le=200, description="The last turn: the game ends by then.")


class Indicator(Model):
    """A number that describes the state of the crisis (protest size, trust...)."""

    id: Id
    label: Text = Field(description="The name players see.")
    description: str = Field("", description="What it measures, in a sentence or two.")
    min: Number = Field(0, description="The lowest value it can take.")
    max: Number = Field(100, description="The highest value it can take.")
    start: Number = Field(description="Its value on turn 1.")
    visible_to: Literal["all"] | list[Id] = Field(
        "all", description="'all', or the list of role ids that may see it."
    )
    high_is: Literal["good", "bad", "neutral"] = Field(
        "neutral", description="Whether a high value is good or bad news, for display."
    )
    cites: list[Id] = Field(default_factory=list, description="Source ids backing it.")


class Flag(Model):
    """A yes/no fact about the crisis (the cabinet has been dismissed...)."""

    id: Id
    label: Text
    description: str = ""
    start: bool = False
    visible_to: Literal["all"] | list[Id] = "all"
    cites: list[Id] = Field(default_factory=list)


class Outcome(Model):
    """One possible result of an action or event, drawn by chance."""

    chance: Number | Expression = Field(
        description="Probability from 0 to 1 (or an expression giving one)."
    )
    text: Text = Field(description="What players read when this happens.")
    effects: Effects = Field(default_factory=dict)


class AiHint(Model):
    """How attractive an action is to the computer player, before it looks ahead."""

    weight: Number | Expression = Field(
        1, description="How much the AI likes this action (0 = never). Can be an expression."
    )


class Action(Model):
    """Something a role can choose to do on its turn."""

    id: Id
    label: Text = Field(description="A short name for the button (a few words).")
    description: str = Field("", description="What it means, shown before choosing.")
    available: Expression | None = Field(
        None, description="When it can be chosen; always, if left out."
    )
    unavailable_text: str | None = Field(
        None, description="Why it cannot be chosen, shown when 'available' is false."
    )
    effects: Effects = Field(default_factory=dict)
    outcomes: list[Outcome] = Field(
        default_factory=list, description="Chance-based results, on top of 'effects'."
    )
    text: str | None = Field(None, description="The news line when this action is taken.")
    once: bool = Field(False, description="Can be chosen only once per game.")
    cooldown: int = Field(0, ge=0, description="Turns to wait before choosing it again.")
    ai: AiHint = Field(default_factory=AiHint)
    cites: list[Id] = Field(default_factory=list, description="Source ids backing it.")


class RoleAi(Model):
    """How the computer plays this role."""

    personality: str = Field("", description="A sentence describing how the AI behaves.")
    randomness: float = Field(
        0.3, ge=0, le=1, description="0 always picks its favourite; 1 picks almost at random."
    )
    greed: float = Field(
        1.0, ge=0, le=10, description="How much it chases its immediate score."
    )


class Role(Model):
    """A side in the crisis: a human or the computer plays it."""

    id: Id
    name: Text
    briefing: Text = Field(description="The situation as this role sees it at the start.")
    secret: str = Field("", description="What only this role knows.")
    goals: list[Text] = Field(default_factory=list, description="What this role wants.")
    score: Expression = Field(
        description="A number saying how well this role is doing; higher is better."
    )
    players: list[Literal["human", "ai"]] = Field(
        default_factory=lambda: ["human", "ai"],  # type: ignore[arg-type]
        description="Who may play it.",
    )
    ai: RoleAi = Field(default_factory=RoleAi)
    actions: list[Action] = Field(min_length=1)
    cites: list[Id] = Field(default_factory=list)


class Rule(Model):
    """Effects that follow from a combination of what the roles chose this turn."""

    id: Id
    when: Expression = Field(description="The combination, e.g. chose(government, crackdown).")
    text: str = Field("", description="The news line when it applies.")
    effects: Effects = Field(default_factory=dict)
    outcomes: list[Outcome] = Field(default_factory=list)
    cites: list[Id] = Field(default_factory=list)


class Event(Model):
    """Something that happens on its own: on a given turn, or when a condition holds."""

    id: Id
    title: Text
    text: str = ""
    turn: int | None = Field(None, ge=1, description="Fires on this turn (scripted event).")
    when: Expression | None = Field(None, description="Fires when this holds (triggered event).")
    chance: Number | Expression = Field(1, description="Probability it fires when due.")
    repeat: bool = Field(False, description="Can fire again on later turns.")
    effects: Effects = Field(default_factory=dict)
    outcomes: list[Outcome] = Field(default_factory=list)
    cites: list[Id] = Field(default_factory=list)


class RoleResult(Model):
    """How one role fared in an ending."""

    result: Literal["win", "draw", "loss"]
    text: Text


class DebriefItem(Model):
    """One thing that really happened, with where it is documented."""

    text: Text
    cites: list[Id] = Field(default_factory=list)


class Ending(Model):
    """A way the game can end, with what it means for every role."""

    id: Id
    title: Text
    when: Expression | None = Field(
        None, description="Ends the game when this holds (checked after every turn)."
    )
    at_last_turn: bool = Field(
        False, description="Only considered once the last turn has been played."
    )
    priority: int = Field(0, description="When several endings hold, the highest wins.")
    text: Text = Field(description="What players read.")
    roles: dict[Id, RoleResult] = Field(description="How each role fared.")
    debrief: list[DebriefItem] = Field(
        default_factory=list, description="What really happened, to compare with."
    )
    cites: list[Id] = Field(default_factory=list)


class Scenario(Model):
    """A whole scenario file."""

    format: Literal[1] = Field(1, description="The version of this file format.")
    id: Id
    title: Text
    version: str = Field(description="The scenario's own version, e.g. '1.0'.")
    summary: Text
    author: Text
    language: str = "en"
    sources: list[Source] = Field(min_length=1)
    learning_objectives: list[Text] = Field(default_factory=list)
    discussion_questions: list[Text] = Field(default_factory=list)
    calendar: Calendar
    indicators: list[Indicator] = Field(min_length=1)
    flags: list[Flag] = Field(default_factory=list)
    roles: list[Role] = Field(min_length=1)
    rules: list[Rule] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    endings: list[Ending] = Field(min_length=1)
