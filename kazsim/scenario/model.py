"""The scenario format: what a teacher writes, as frozen dataclasses.

These classes describe a scenario file and nothing else: they know nothing about
how a game is played (that is `kazsim.engine`) or how a file is read (that is
`kazsim.scenario.load`). Expressions are kept as text here; the loader compiles
and type-checks them once, with positions, into `kazsim.scenario.compiled`.

They are plain standard-library dataclasses, so a game can hold a scenario
without importing pydantic (a scenario read from the cache, see
`kazsim.cache`, starts a game in a fraction of the time). pydantic
validates files against them (`kazsim.scenario.load`, through a `TypeAdapter`)
and writes the JSON Schema from them: the `Spec` in each annotation carries the
field's description and constraints, which pydantic reads when it builds the
schema; `FORMAT_CONFIG` on each class forbids unknown keys and strips text
(but not ids, which are taken as written).

Every field carries a description: it is shown in the JSON Schema that editors
use for completion, and the authoring guide (docs/authoring.md) explains each.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema

# 2: placeholders in text ({date}, {name:ROLE}, {value:INDICATOR}); a file of format 1
# (or one that does not say) reads braces as they are written.
FORMAT_VERSION = 2
FORMATS = (1, 2)


class Spec:
    """A field's description and constraints, applied by pydantic when it builds a schema.

    Constraints use pydantic-core's names: `ge`, `le` for numbers, `min_length`,
    `max_length` for text and lists, `pattern` for text. `numbers` are JSON Schema
    keywords for the field's plain-number form only (e.g. a chance's 0 to 1), for rules
    that the checks after pydantic enforce with their own messages
    (`kazsim.scenario.checks`): they go into the schema editors read, not into pydantic.
    """

    __slots__ = ("constraints", "description", "numbers")

    def __init__(self, description: str = "", *, numbers: dict[str, Any] | None = None,
                 **constraints: Any) -> None:
        self.description = description
        self.numbers = numbers or {}
        self.constraints = constraints

    def __get_pydantic_core_schema__(self, source: Any,
                                     handler: GetCoreSchemaHandler) -> CoreSchema:
        schema = handler(source)
        inner: Any = schema
        while inner.get("type") == "nullable":  # `int | None`: constrain the int
            inner = inner["schema"]
        inner.update(self.constraints)
        return schema

    def __get_pydantic_json_schema__(self, schema: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        generated = handler(schema)
        if self.description:
            generated["description"] = self.description
        for branch in [generated, *generated.get("anyOf", ())]:
            if branch.get("type") in ("integer", "number"):
                branch.update(self.numbers)
        return generated

    def __repr__(self) -> str:
        return f"Spec({self.description!r}, numbers={self.numbers!r}, **{self.constraints!r})"


class _IsoDate:
    """A date written YYYY-MM-DD, and nothing else that pydantic would turn into a date.

    YAML 1.2 has no dates: `2022-01-02` is text, as it is to editors, whose schema says
    a date is text in that form. pydantic alone would also take a number (seconds since
    1970) or a date and time; those are refused here, as the schema refuses them.
    """

    __slots__ = ()

    def __get_pydantic_core_schema__(self, source: Any,
                                     handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import PydanticCustomError, core_schema

        def written_out(value: Any) -> Any:
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                return value
            if isinstance(value, str) and _DATE.fullmatch(value):
                return value  # pydantic checks that the day exists
            raise PydanticCustomError("date_parsing", "expected a date written YYYY-MM-DD")

        return core_schema.no_info_before_validator_function(written_out, handler(source))


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
Date = Annotated[dt.date, _IsoDate()]


# The pydantic configuration of every part of the format (a plain dict: pydantic's
# ConfigDict is a TypedDict): unknown keys are errors, text is stripped (`Id` opts out).
FORMAT_CONFIG: dict[str, Any] = {"extra": "forbid", "str_strip_whitespace": True}

Part = TypeVar("Part")


def part(cls: type[Part]) -> type[Part]:
    """Make a class a part of the format: a frozen, keyword-only dataclass."""
    cls.__pydantic_config__ = FORMAT_CONFIG  # type: ignore[attr-defined]
    return dataclass(frozen=True, kw_only=True)(cls)


# An id is taken exactly as written: ' trust' (in quotes, with a space) is not the id
# 'trust', so it is refused rather than quietly stripped. Text is stripped at both ends.
Id = Annotated[
    str,
    Spec(
        "A short name used to refer to this thing elsewhere in the file: lower-case "
        "letters, digits and _, starting with a letter (for example protest_size).",
        pattern=r"^[a-z][a-z0-9_]{0,39}$", strip_whitespace=False,
    ),
]
Text = Annotated[str, Spec(min_length=1, max_length=20_000)]
Expression = Annotated[
    str,
    Spec("An expression in the scenario language (see docs/authoring.md).",
         min_length=1, max_length=2_000),
]
# Whole numbers, numbers and true/false are taken only as written: pydantic's
# default would quietly read `turn: "1"` as turn 1 or `once: 1` as true. (YAML 1.2
# itself reads `yes`, `no`, `on` and `off` as text, see kazsim.scenario.yamlsafe.)
Whole = Annotated[int, Spec(strict=True)]
YesNo = Annotated[bool, Spec(strict=True)]
# A whole number is a number too; .inf and .nan are numbers to YAML, not to a scenario.
Real = Annotated[float, Spec(strict=True, allow_inf_nan=False)]
Number = Whole | Real
# An amount drawn at random between two bounds (numbers or expressions), smaller first.
Bounds = Annotated[
    list[Number | Expression],
    Spec("Two bounds, [low, high]: the amount is drawn at random between them, from the "
         "game's seeded generator, each time the effect happens.",
         min_length=2, max_length=2),
]


@part
class EffectDetail:
    """An indicator's change written out: an uncertain amount, a delay, a spread."""

    add: Annotated[Number | Expression | Bounds, Spec(
        "How much the indicator changes: a number, an expression, or two bounds [low, "
        "high] to draw the amount between.")]
    after: Annotated[Whole, Spec(
        "Turns to wait before it lands: 1 is the next turn; 0 (the default) this turn.",
        ge=0, le=200)] = 0
    over: Annotated[Whole, Spec(
        "Turns it is spread over, in equal parts, the first on the turn it lands; 1 (the "
        "default) is all at once.", ge=1, le=200)] = 1


# An effect on one indicator or flag:
#   a number or an expression -> the indicator changes by that much;
#   "= expression"            -> the indicator is set to that value;
#   true / false              -> the flag is set or cleared;
#   {add: ..., after: N, over: N} -> a change drawn between bounds, delayed or spread.
EffectValue = YesNo | Number | Expression | EffectDetail
Effects = Annotated[
    dict[str, EffectValue],
    Spec(
        "What changes. Each key is an indicator or flag id. A number or expression "
        "changes an indicator by that much (use a minus sign to lower it); a string "
        "starting with '=' sets it; true/false sets a flag; a mapping {add: AMOUNT, after: "
        "TURNS, over: TURNS} delays or spreads a change, and add: [LOW, HIGH] draws its "
        "amount between two bounds."
    ),
]
Cites = Annotated[list[Id], Spec("Ids of the sources (under 'sources:') that back it.")]
VisibleTo = Annotated[Literal["all"] | list[Id],
                      Spec("'all', or the list of role ids that may see it.")]
Result = Literal["win", "draw", "loss"]


@part
class Alternative:
    """One way a text can read: the first alternative whose condition holds is shown."""

    when: Annotated[Expression | None, Spec(
        "Shown when this holds, if no alternative before it does; the last alternative "
        "has none. Read at the end of the turn (see docs/authoring.md).")] = None
    text: Annotated[str, Spec("What players read when this alternative is shown.",
                              max_length=20_000)]


@part
class ResultAlternative:
    """One possible result of a role in an ending: the first whose condition holds."""

    when: Annotated[Expression | None, Spec(
        "This result when it holds at the end of the game, if no alternative before it "
        "does; the last alternative has none.")] = None
    result: Annotated[Result, Spec("A win, a draw or a loss for the role.")]


_CHOSEN = ("Alternatives chosen by condition: the first whose 'when' holds is shown, and "
           "the last has no 'when' (see 'Text that follows the game' in docs/authoring.md).")
Alternatives = Annotated[list[Alternative], Spec(_CHOSEN, min_length=1)]
# Every text a player reads: written out, or as alternatives chosen by condition. The
# one home of choosing is kazsim.scenario.told; a new text field opts in by taking this
# type (or MaybeTold, for a text that may be empty and then shows nothing).
Told = Text | Alternatives
MaybeTold = str | Alternatives
# A role's result in an ending: written out, or alternatives chosen the same way.
ToldResult = Result | Annotated[list[ResultAlternative], Spec(
    "Results chosen by condition: the first whose 'when' holds is the result, and the "
    "last has no 'when'.", min_length=1)]


@part
class Source:
    """A published source the scenario's facts come from."""

    id: Id
    title: Annotated[Text, Spec("The title of the article, report or book.")]
    publisher: Annotated[Text, Spec("Who published it: a newspaper, agency, organisation.")]
    date: Annotated[Date | None, Spec("Publication date, as YYYY-MM-DD.")] = None
    link: Annotated[str | None, Spec("A web address where the source can be read.")] = None
    note: Annotated[str | None, Spec("Anything a reader should know about it.")] = None


TurnWord = Literal["hour", "half_day", "day", "week", "fortnight", "month"]


@part
class TurnSpan:
    """A turn length the author writes: a number of days, and what players read."""

    days: Annotated[Whole, Spec("How many days one turn stands for.", ge=1, le=366)]
    label: Annotated[Text, Spec(
        "The length in words, as it reads after 'each' ('10 turns, each three days'), "
        "e.g. 'three days'.")]


@part
class Calendar:
    """How game time maps onto the real calendar."""

    start: Annotated[Date, Spec("The real date of turn 1, as YYYY-MM-DD.")]
    turn_length: Annotated[TurnWord | TurnSpan, Spec(
        "How much time one turn stands for: hour, half_day, day, week, fortnight or month, "
        "or a number of days with its label, e.g. {days: 3, label: three days}.")] = "day"
    turns: Annotated[Whole, Spec("The last turn: the game ends by then.", ge=1, le=200)]
    lesson_turns: Annotated[list[Annotated[Whole, Spec(ge=1, le=200)]], Spec(
        "Suggested lengths of a shorter game, for a class period: each a number of turns "
        "below 'turns'. The setup screen offers them first; a game stopped after one "
        "ends as the endings say for an interrupted game.", max_length=10)
                            ] = field(default_factory=list)


@part
class Indicator:
    """A number that describes the state of the crisis (protest size, trust...)."""

    id: Id
    label: Annotated[Text, Spec("The name players see.")]
    description: Annotated[str, Spec("What it measures, in a sentence or two.")] = ""
    min: Annotated[Number, Spec("The lowest value it can take.")] = 0
    max: Annotated[Number, Spec("The highest value it can take.")] = 100
    start: Annotated[Number, Spec("Its value on turn 1.")]
    visible_to: VisibleTo = "all"
    high_is: Annotated[Literal["good", "bad", "neutral"],
                       Spec("Whether a high value is good or bad news, for display.")
                       ] = "neutral"
    cites: Cites = field(default_factory=list)


@part
class Flag:
    """A yes/no fact about the crisis (the cabinet has been dismissed...)."""

    id: Id
    label: Annotated[Text, Spec("The name players see.")]
    description: Annotated[str, Spec("What it means, in a sentence or two.")] = ""
    start: Annotated[YesNo, Spec("Whether it holds on turn 1: true or false.")] = False
    visible_to: VisibleTo = "all"
    cites: Cites = field(default_factory=list)


@part
class Outcome:
    """One possible result of an action or event, drawn by chance."""

    chance: Annotated[Number | Expression,
                      Spec("Probability from 0 to 1 (or an expression giving one).",
                           numbers={"minimum": 0, "maximum": 1})]
    text: Annotated[Told, Spec("What players read when this happens.")]
    effects: Effects = field(default_factory=dict)


Outcomes = Annotated[list[Outcome], Spec(
    "Chance-based results, on top of 'effects': at most one of them happens.")]


@part
class AiHint:
    """How attractive an action is to the computer player, before it looks ahead."""

    weight: Annotated[Number | Expression, Spec(
        "How much the AI likes this action (0 = never). Can be an expression.")] = 1


@part
class Action:
    """Something a role can choose to do on its turn."""

    id: Id
    label: Annotated[Text, Spec("A short name for the button (a few words).")]
    description: Annotated[str, Spec("What it means, shown before choosing.")] = ""
    available: Annotated[Expression | None,
                         Spec("When it can be chosen; always, if left out.")] = None
    unavailable_text: Annotated[str | None, Spec(
        "Why it cannot be chosen, shown when 'available' is false.")] = None
    effects: Effects = field(default_factory=dict)
    outcomes: Outcomes = field(default_factory=list)
    text: Annotated[MaybeTold | None, Spec("The news line when this action is taken.")
                    ] = None
    once: Annotated[YesNo, Spec("Can be chosen only once per game.")] = False
    cooldown: Annotated[Whole, Spec("Turns to wait before choosing it again.", ge=0)] = 0
    secret: Annotated[YesNo, Spec(
        "A secret move: only its own role (and those in 'seen_by') sees the decision and "
        "its news lines, until 'revealed' holds; the debrief shows it to everyone.")] = False
    seen_by: Annotated[list[Id], Spec(
        "Other roles that see this secret move when it is made.")] = field(
        default_factory=list)
    revealed: Annotated[Expression | None, Spec(
        "When every role learns of this secret move: read at the start of each later turn "
        "(with that turn's decisions, like a rule); the turn it first holds, its story says "
        "'Revealed: ...'. Never, if left out (until the debrief).")] = None
    ai: Annotated[AiHint, Spec("How keen the computer player is on it.")
                  ] = field(default_factory=AiHint)
    cites: Cites = field(default_factory=list)
    offer: Annotated[Id | None, Spec(
        "The id of an offer (under 'offers:') this action makes: the other side sees it on "
        "its next turn and accepts or refuses it.")] = None


@part
class Bind:
    """A later choice an accepted offer binds its receiver to."""

    action: Annotated[Id, Spec("An action of the role that accepted the offer.")]
    turns: Annotated[Whole, Spec("For how many turns after accepting it holds.", ge=1)]
    required: Annotated[YesNo, Spec(
        "true: the role must take this action (when it is available); false: it cannot.")
                        ] = False


@part
class Offer:
    """A deal one role offers another: made by an action, accepted or refused next turn."""

    id: Id
    by: Annotated[Id, Spec("The role that makes the offer (with an action's 'offer:').")]
    to: Annotated[Id, Spec("The role that receives it and accepts or refuses it.")]
    label: Annotated[Text, Spec(
        "The deal in a few words; the receiver's choice reads 'Accept: <label>'.")]
    description: Annotated[str, Spec("What the deal means, shown before choosing.")] = ""
    available: Annotated[Expression | None, Spec(
        "When the receiver may accept it (read on its turn); always, if left out.")] = None
    text: Annotated[MaybeTold | None, Spec(
        "The news line when it is accepted.")] = None
    refused_text: Annotated[MaybeTold | None, Spec(
        "The news line when it is refused (or ignored).")] = None
    effects: Effects = field(default_factory=dict)  # what accepting it does
    refused: Effects = field(default_factory=dict)  # what refusing (or ignoring) it does
    binds: Annotated[list[Bind], Spec(
        "Later choices of the receiver that accepting it forbids or requires.")
                     ] = field(default_factory=list)
    ai: Annotated[AiHint, Spec("How keen the computer player is to accept it.")
                  ] = field(default_factory=AiHint)
    cites: Cites = field(default_factory=list)


@part
class RoleAi:
    """How the computer plays this role."""

    personality: Annotated[str, Spec("A sentence describing how the AI behaves.")] = ""
    randomness: Annotated[Real, Spec(
        "0 always picks its favourite; 1 picks almost at random.", ge=0, le=1)] = 0.3
    greed: Annotated[Real, Spec("How much it chases its immediate score.", ge=0, le=10)
                     ] = 1.0


def _both() -> list[Literal["human", "ai"]]:
    return ["human", "ai"]


@part
class Role:
    """A side in the crisis: a human or the computer plays it."""

    id: Id
    name: Annotated[Text, Spec("The name players see, e.g. 'The government'.")]
    leader: Annotated[MaybeTold, Spec(
        "Who leads this side, shown with its name; may follow the state, e.g. "
        "[{when: not pm_resigned, text: President Gotabaya Rajapaksa}, "
        "{text: President Ranil Wickremesinghe}].")] = ""
    briefing: Annotated[Told, Spec("The situation as this role sees it at the start.")]
    secret: Annotated[str, Spec("What only this role knows.")] = ""
    goals: Annotated[list[Told], Spec("What this role wants.")] = field(default_factory=list)
    score: Annotated[Expression, Spec(
        "A number saying how well this role is doing; higher is better.")]
    players: Annotated[list[Literal["human", "ai"]], Spec("Who may play it.")
                       ] = field(default_factory=_both)
    ai: Annotated[RoleAi, Spec("How the computer plays this role when no one else does.")
                  ] = field(default_factory=RoleAi)
    actions: Annotated[list[Action], Spec("What this role can choose to do: at least one.",
                                          min_length=1)]
    cites: Cites = field(default_factory=list)


@part
class Rule:
    """Effects that follow from a combination of what the roles chose this turn."""

    id: Id
    when: Annotated[Expression,
                    Spec("The combination, e.g. chose(government, crackdown).")]
    text: Annotated[MaybeTold, Spec("The news line when it applies.")] = ""
    effects: Effects = field(default_factory=dict)
    outcomes: Outcomes = field(default_factory=list)
    cites: Cites = field(default_factory=list)


@part
class Event:
    """Something that happens on its own: on a given turn, or when a condition holds."""

    id: Id
    title: Annotated[Text, Spec("The headline players see when it happens.")]
    text: Annotated[MaybeTold, Spec("The news story under the headline.")] = ""
    turn: Annotated[Whole | None, Spec("Fires on this turn (scripted event).", ge=1)] = None
    when: Annotated[Expression | None, Spec("Fires when this holds (triggered event).")
                    ] = None
    chance: Annotated[Number | Expression,
                      Spec("Probability it fires when due, above 0 and at most 1 (or an "
                           "expression giving one).",
                           numbers={"exclusiveMinimum": 0, "maximum": 1})] = 1
    repeat: Annotated[YesNo, Spec("Can fire again on later turns.")] = False
    effects: Effects = field(default_factory=dict)
    outcomes: Outcomes = field(default_factory=list)
    cites: Cites = field(default_factory=list)


@part
class Drift:
    """A silent change: every turn (or every turn a condition holds), without a news line."""

    id: Id
    name: Annotated[Text, Spec(
        "What the 'why' calls it, e.g. 'Inflation'; it makes no news line of its own.")]
    when: Annotated[Expression | None, Spec(
        "It applies on every turn this holds (read at the start of the turn); every turn, "
        "if left out.")] = None
    effects: Effects = field(default_factory=dict)
    cites: Cites = field(default_factory=list)


@part
class RoleResult:
    """How one role fared in an ending."""

    result: Annotated[ToldResult,
                      Spec("Whether this ending is a win, a draw or a loss for the role.")]
    text: Annotated[Told, Spec("What this role's player reads about how it fared.")]


@part
class DebriefItem:
    """One thing that really happened, with where it is documented."""

    text: Annotated[Told, Spec("What happened, in a sentence or a paragraph.")]
    cites: Cites = field(default_factory=list)


@part
class Ending:
    """A way the game can end, with what it means for every role."""

    id: Id
    title: Annotated[Text, Spec("The ending's name, shown at the top of the debrief.")]
    when: Annotated[Expression | None, Spec(
        "Ends the game when this holds (checked after every turn).")] = None
    at_last_turn: Annotated[YesNo, Spec(
        "Only considered once the last turn has been played.")] = False
    interrupted: Annotated[YesNo, Spec(
        "The ending of a game stopped early (a lesson shorter than the calendar): "
        "considered after the lesson's last turn in place of the at_last_turn endings. "
        "At most one ending has it, and it has no 'when'.")] = False
    priority: Annotated[Whole, Spec("When several endings hold, the highest wins.")] = 0
    text: Annotated[Told, Spec("What players read.")]
    roles: Annotated[dict[Id, RoleResult], Spec("How each role fared.")]
    scores: Annotated[YesNo, Spec(
        "Show each role's result (win, draw, loss) and score beside this ending. Say no "
        "for an ending that tells of mass killing, where a score beside it reads as a "
        "prize: each role's text is still shown, without the result and the score.")] = True
    debrief: Annotated[list[DebriefItem], Spec("What really happened, to compare with.")
                       ] = field(default_factory=list)
    cites: Cites = field(default_factory=list)


@part
class TimelineStep:
    """One dated step of what really happened, to set beside the same step in a game."""

    id: Id
    date: Annotated[Date, Spec("The real date it happened, as YYYY-MM-DD.")]
    text: Annotated[Text, Spec("What really happened, in a sentence, in your own words.")]
    cites: Annotated[list[Id], Spec(
        "Ids of the sources (under 'sources:') that record it: at least one.", min_length=1)]
    happened: Annotated[Expression | None, Spec(
        "What counts as the same step in a game: a condition checked after every turn "
        "against the end-of-turn state and that turn's choices (a flag, "
        "chose(government, restore_price_caps), an indicator crossing a line). If left "
        "out, chose(role, action).")] = None
    role: Annotated[Id | None, Spec("The role of the real actor, given with 'action'.")] = None
    action: Annotated[Id | None, Spec(
        "The action (of 'role') the real actor took; the history seat plays it.")] = None


# --- a teacher's kit: a glossary, a text map of the places, a content warning -------------
# Reference for the class: history, not the game, so plain text (no alternatives) that
# reads the same in every game; the terminal game, the debrief and `kazsim sheets` show it.


@part
class Term:
    """One word of the glossary, with what it means."""

    term: Annotated[Text, Spec("The word or abbreviation, as players meet it, e.g. CSTO.",
                               max_length=80)]
    meaning: Annotated[Text, Spec("What it means, in a sentence or two.", max_length=2_000)]
    cites: Cites = field(default_factory=list)


@part
class Place:
    """One place of the text map: where it is and what happened there."""

    name: Annotated[Text, Spec("The place's name, e.g. Zhanaozen.", max_length=80)]
    where: Annotated[Text, Spec(
        "Where it is, in words a class can find on a map: the region, the part of the "
        "country, what it is near.", max_length=400)]
    text: Annotated[Text, Spec("What happened there, in a sentence or a few.",
                               max_length=4_000)]
    cites: Cites = field(default_factory=list)


@part
class Scenario:
    """A whole scenario file."""

    format: Annotated[Literal[1, 2], Spec(
        "The version of this file format: 2 reads placeholders such as {date} in text; 1 "
        "(or leaving it out) takes braces as they are written.")] = 1
    id: Id
    title: Annotated[Text, Spec("The scenario's name, as players see it.")]
    version: Annotated[str, Spec("The scenario's own version, in quotes, e.g. '1.0'.")]
    summary: Annotated[Text, Spec("A paragraph shown before choosing the scenario.")]
    author: Annotated[Text, Spec("Who wrote it.")]
    language: Annotated[str, Spec("The language of its text, e.g. en.")] = "en"
    sources: Annotated[list[Source], Spec(
        "Where the facts come from: at least one; other parts cite them by id.",
        min_length=1)]
    learning_objectives: Annotated[list[Text], Spec(
        "What the class should take away, one item each.")] = field(default_factory=list)
    discussion_questions: Annotated[list[Text], Spec(
        "Questions for after the game, one item each.")] = field(default_factory=list)
    calendar: Annotated[Calendar, Spec("How turns map onto real dates.")]
    indicators: Annotated[list[Indicator], Spec(
        "The numbers that describe the crisis: at least one.", min_length=1)]
    flags: Annotated[list[Flag], Spec("The yes/no facts of the crisis.")
                     ] = field(default_factory=list)
    roles: Annotated[list[Role], Spec("The sides in the crisis: at least one.",
                                      min_length=1)]
    rules: Annotated[list[Rule], Spec(
        "What follows from combinations of the roles' choices.")] = field(default_factory=list)
    events: Annotated[list[Event], Spec("What happens on its own, on a turn or when a "
                                        "condition holds.")] = field(default_factory=list)
    offers: Annotated[list[Offer], Spec(
        "Deals one role can offer another (an action with 'offer:'); the receiver accepts "
        "or refuses on its next turn.")] = field(default_factory=list)
    drift: Annotated[list[Drift], Spec(
        "Silent changes that happen every turn (or while a condition holds), shown in the "
        "'why' under their name.")] = field(default_factory=list)
    endings: Annotated[list[Ending], Spec("How a game can end: at least one.",
                                          min_length=1)]
    timeline: Annotated[list[TimelineStep], Spec(
        "What really happened, step by step with dates, to compare a game with.")
                        ] = field(default_factory=list)
    debrief: Annotated[list[DebriefItem], Spec(
        "What really happened, shown after every game whatever its ending, beside the "
        "ending's own debrief.")] = field(default_factory=list)
    glossary: Annotated[list[Term], Spec(
        "Words a class may not know, with their meaning: shown in the game (the glossary "
        "key), the debrief and the class handout of 'kazsim sheets'.", max_length=200)
                        ] = field(default_factory=list)
    places: Annotated[list[Place], Spec(
        "A text map: the places of the crisis, where each is and what happened there; "
        "shown beside the glossary.", max_length=200)] = field(default_factory=list)
    content_warning: Annotated[str, Spec(
        "Shown once before a game starts (and on the handout): what the scenario depicts "
        "that may distress a player, e.g. deaths in real events.", max_length=2_000)] = ""


PARTS: tuple[type, ...] = (Scenario, Source, Calendar, Indicator, Flag, Outcome, AiHint,
                           Action, RoleAi, Role, Rule, Event, RoleResult, DebriefItem, Ending,
                           TimelineStep, Alternative, ResultAlternative, EffectDetail, Drift,
                           Offer, Bind, Term, Place)
