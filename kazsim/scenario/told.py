"""Text that follows the game: alternatives chosen by condition, and placeholders.

The one home of choosing what a player reads. Any text of the format
(`model.Told`, `model.MaybeTold`) and a role's result in an ending
(`model.ToldResult`) is written either as it reads, or as a list of
alternatives::

    text:
      - when: foreign_troops_arrived and violence > 50
        text: Foreign troops have fired on crowds.
      - text: Security forces have fired on crowds.

The first alternative whose `when` holds is shown; the last has no `when`, so
one always is. `compile_told` checks and compiles such a value once, at load
(the conditions as any other condition, the placeholders against the file's
roles and indicators), into an `Alternatives`; `Alternatives.pick(env)` gives
the index of the alternative shown and its text. Nothing else decides which
text is shown: the engine picks (every text of a turn against the state at the
end of that turn, the ending's against the final state, a briefing against the
state when it is shown) and records what it picked, and every face reads the
record.

Placeholders (files of `format: 2`): `{date}` the in-game date of the turn,
`{name:ROLE}` a role's name, `{leader:ROLE}` who leads a role now (its
`leader`, chosen against the same state as the text), `{value:INDICATOR}` an indicator's value as
players see it, `{{` and `}}` for braces. Who reads a text decides which
indicators it may show: a role's briefing and goals are read by that role, so
they may show what it can see; every other text is read by every player, so it
may show only indicators visible to all. In a file of format 1 (or one that
does not say) braces are text as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from kazsim.scenario.calendar import turn_date
from kazsim.scenario.effects import fmt
from kazsim.scenario.expr import Fn, suggest
from kazsim.scenario.model import Alternative, Calendar, ResultAlternative, Scenario

Piece = str | Callable[[Mapping[str, Any]], str]
P = tuple[str | int, ...]

# `{{`, `}}`, a placeholder, or a brace on its own.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
# What looks like a placeholder in a file of format 1 (which shows it as written).
_LOOKS_LIKE = re.compile(r"\{(?:date|name:[^{}]*|leader:[^{}]*|value:[^{}]*)\}")
PLACEHOLDERS = "{date}, {name:ROLE}, {leader:ROLE} and {value:INDICATOR}"


def _render(pieces: tuple[Piece, ...], env: Mapping[str, Any]) -> str:
    return "".join(p if isinstance(p, str) else p(env) for p in pieces)


@dataclass(frozen=True, slots=True)
class Alternatives:
    """A text (or a result) as compiled: its alternatives in file order."""

    key: str  # where it is in the file ("events.2.text"): names it in records and reports
    what: str  # in words, for reports: "the text of event 'riot'"
    whens: tuple[str | None, ...]  # each alternative's condition as written
    conditions: tuple[Fn | None, ...]
    texts: tuple[tuple[Piece, ...], ...]  # each alternative's text, placeholders as calls
    written: tuple[str, ...]  # each alternative's text as written
    fixed: str | None  # a single alternative without placeholders: its text

    @property
    def several(self) -> bool:
        """Whether there is anything to choose (more than one alternative)."""
        return len(self.texts) > 1

    @property
    def default(self) -> str:
        """The last alternative, as written: the text that names its owner in reports."""
        return self.written[-1]

    def pick(self, env: Mapping[str, Any]) -> tuple[int, str]:
        """The first alternative whose condition holds in `env`, and its text."""
        if self.fixed is not None:
            return 0, self.fixed
        last = len(self.texts) - 1
        for index, when in enumerate(self.conditions):
            if index == last or when is None or when(env):
                return index, _render(self.texts[index], env)
        return last, _render(self.texts[last], env)  # pragma: no cover - no alternatives


def plain(text: str) -> Alternatives:
    """A fixed text, for what the format does not let an author write (an action's label
    standing in for its missing news line)."""
    return Alternatives("", "", (None,), (None,), ((text,),), (text,), text)


class Checker(Protocol):
    """What compiling needs from the scenario's checks (`kazsim.scenario.checks`)."""

    def error(self, path: P, message: str, hint: str = "", **kw: Any) -> None: ...

    def warn(self, path: P, message: str, hint: str = "") -> None: ...

    def expr(self, text: Any, path: P, want: str, *, choices: bool = True,
             where: str = "this expression", shift: int = 0) -> Fn | None: ...


@dataclass(frozen=True)
class Context:
    """What placeholders may name: the file's format, calendar, roles and indicators."""

    format: int
    calendar: Calendar
    roles: Mapping[str, str]  # role id -> name
    indicators: Mapping[str, str | list[str]]  # indicator id -> visible_to
    flags: frozenset[str]
    led: frozenset[str] = frozenset()  # the roles with a `leader`
    # Each led role's leader as compiled, filled once the roles are (`{leader:ROLE}`
    # reads it when a text is shown, so texts compiled before it may name it).
    leaders: dict[str, Alternatives] = field(default_factory=dict)
    in_leader: bool = False  # compiling a leader itself, which may not name a leader

    @classmethod
    def of(cls, scenario: Scenario) -> Context:
        return cls(scenario.format, scenario.calendar,
                   {r.id: r.name for r in scenario.roles},
                   {i.id: i.visible_to for i in scenario.indicators},
                   frozenset(f.id for f in scenario.flags),
                   frozenset(r.id for r in scenario.roles if r.leader))


def _key(path: P) -> str:
    return ".".join(str(p) for p in path)


def compile_told(value: str | list[Alternative] | None, path: P, checker: Checker,
                 context: Context, *, what: str, reader: str | None = None,
                 choices: bool = True, required: bool = True) -> Alternatives | None:
    """Check and compile one text; None when it has an error (each one reported).

    `reader`: the one role that reads it (a briefing), or None when every player does.
    `choices`: whether its conditions may use `chose()` (not where nobody has decided).
    `required`: whether an alternative's text may be empty (it then shows nothing).
    """
    if value is None:
        return None
    if isinstance(value, str):
        pieces = _pieces(value, path, checker, context, reader)
        if pieces is None:
            return None
        return _made(path, what, [None], [None], [pieces], [value])
    whens: list[str | None] = []
    conditions: list[Fn | None] = []
    texts: list[tuple[Piece, ...]] = []
    ok = _order(value, path, checker, what)
    last = len(value) - 1
    for j, alternative in enumerate(value):
        p: P = (*path, j)
        when = None
        if alternative.when is not None:
            when = checker.expr(alternative.when, (*p, "when"), "bool", choices=choices,
                                where=f"alternative {j + 1} of {what}")
            ok = ok and when is not None
        if required and not alternative.text:
            checker.error((*p, "text"), f"alternative {j + 1} of {what} has no text",
                          "write what players read, or remove the alternative", key=True)
            ok = False
        pieces = _pieces(alternative.text, (*p, "text"), checker, context, reader)
        ok = ok and pieces is not None
        whens.append(alternative.when if j < last else None)
        conditions.append(when)
        texts.append(pieces or ())
    if not ok:
        return None
    return _made(path, what, whens, conditions, texts, [a.text for a in value])


def compile_result(value: str | list[ResultAlternative], path: P, checker: Checker, *,
                   what: str) -> Alternatives | None:
    """A role's result in an ending (`win`, `draw`, `loss`), written out or chosen."""
    if isinstance(value, str):
        return _made(path, what, [None], [None], [(value,)], [value])
    ok = _order(value, path, checker, what)
    conditions: list[Fn | None] = []
    for j, alternative in enumerate(value):
        when = None
        if alternative.when is not None:
            when = checker.expr(alternative.when, (*path, j, "when"), "bool",
                                where=f"alternative {j + 1} of {what}")
            ok = ok and when is not None
        conditions.append(when)
    if not ok:
        return None
    last = len(value) - 1
    return _made(path, what, [a.when if j < last else None for j, a in enumerate(value)],
                 conditions, [(a.result,) for a in value], [a.result for a in value])


def _order(value: Sequence[Alternative | ResultAlternative], path: P, checker: Checker,
           what: str) -> bool:
    """Every alternative but the last has a condition, and the last has none."""
    ok = True
    last = len(value) - 1
    for j, alternative in enumerate(value[:-1]):
        if alternative.when is None:
            checker.error((*path, j), f"alternative {j + 1} of {what} has no 'when', so "
                          "the alternatives after it are never shown",
                          "give it a condition, or make it the last one", key=True)
            ok = False
    if value and value[-1].when is not None:
        checker.error((*path, last, "when"), f"the last alternative of {what} has a 'when'",
                      "the last alternative is shown when no condition holds: remove its "
                      "'when', or add an alternative without one after it")
        ok = False
    return ok


def _made(path: P, what: str, whens: Sequence[str | None], conditions: Sequence[Fn | None],
          texts: Sequence[tuple[Piece, ...]], written: Sequence[str]) -> Alternatives:
    fixed = None
    if len(texts) == 1 and all(isinstance(p, str) for p in texts[0]):
        fixed = "".join(p for p in texts[0] if isinstance(p, str))
    return Alternatives(_key(path), what, tuple(whens), tuple(conditions), tuple(texts),
                        tuple(written), fixed)


def _pieces(text: str, path: P, checker: Checker, context: Context,
            reader: str | None) -> tuple[Piece, ...] | None:
    """A text's literal parts and placeholders; None when a placeholder is wrong."""
    if context.format < 2:
        looks = _LOOKS_LIKE.search(text)
        if looks:
            checker.warn(path, f"'{looks.group()}' looks like a placeholder, but "
                         "placeholders need 'format: 2'",
                         "add 'format: 2' at the top of the file; until then braces are "
                         "shown as written")
        return (text,)
    pieces: list[Piece] = []
    literal: list[str] = []
    ok = True
    at = 0
    for token in _TOKEN.finditer(text):
        literal.append(text[at:token.start()])
        at = token.end()
        word = token.group()
        if word in ("{{", "}}"):
            literal.append(word[0])
            continue
        if token.group(1) is None:
            checker.error(path, f"a lone '{word}' in text", "write {{ or }} for a brace, or "
                          f"a placeholder: {PLACEHOLDERS}", offset=token.start())
            ok = False
            continue
        piece = _placeholder(token.group(1), path, token.start(), checker, context, reader)
        if piece is None:
            ok = False
            continue
        if isinstance(piece, str):
            literal.append(piece)
        else:
            if literal:
                pieces.append("".join(literal))
                literal = []
            pieces.append(piece)
    literal.append(text[at:])
    if "".join(literal):
        pieces.append("".join(literal))
    return tuple(pieces) if ok else None


def _placeholder(inside: str, path: P, offset: int, checker: Checker, context: Context,
                 reader: str | None) -> Piece | None:
    """One `{...}`: a role's name (known at load), or a call that reads the game."""
    kind, _, name = inside.partition(":")
    if inside == "date":
        calendar = context.calendar
        return lambda env: turn_date(calendar, env["turn"])
    if kind == "name" and name:
        if name not in context.roles:
            checker.error(path, f"unknown role '{name}' in a placeholder",
                          suggest(name, context.roles) or "roles are: " +
                          ", ".join(context.roles), offset=offset)
            return None
        return context.roles[name]
    if kind == "leader" and name:
        return _leader(name, path, offset, checker, context)
    if kind == "value" and name:
        if name not in context.indicators:
            hint = (f"'{name}' is a flag, and placeholders show indicators; to tell a flag, "
                    f"write alternatives with 'when: {name}'" if name in context.flags
                    else suggest(name, context.indicators) or "indicators are: " +
                    ", ".join(context.indicators))
            checker.error(path, f"unknown indicator '{name}' in a placeholder", hint,
                          offset=offset)
            return None
        visible = context.indicators[name]
        if visible != "all" and (reader is None or reader not in visible):
            who = "every player" if reader is None else f"role '{reader}'"
            checker.error(path, f"'{{value:{name}}}' shows an indicator that some readers "
                          "of this text may not see",
                          f"this text is read by {who}, and '{name}' is visible to "
                          f"{', '.join(visible)} only: show it in the briefing of a role "
                          "that sees it, or make it visible_to: all", offset=offset)
            return None
        return lambda env: fmt(env[name])
    checker.error(path, f"unknown placeholder '{{{inside}}}'",
                  f"placeholders are {PLACEHOLDERS}; write {{{{ and }}}} for a brace",
                  offset=offset)
    return None


def _leader(role: str, path: P, offset: int, checker: Checker,
            context: Context) -> Piece | None:
    """`{leader:ROLE}`: the role's leader, chosen when the text is shown."""
    if role not in context.roles:
        checker.error(path, f"unknown role '{role}' in a placeholder",
                      suggest(role, context.roles) or "roles are: " + ", ".join(context.roles),
                      offset=offset)
        return None
    if context.in_leader:
        checker.error(path, "a leader cannot name a leader",
                      f"write the leader's name as it reads, or {{name:{role}}} for the "
                      "role's name", offset=offset)
        return None
    if role not in context.led:
        checker.error(path, f"role '{role}' has no leader, so '{{leader:{role}}}' has "
                      "nothing to show", f"give role '{role}' a 'leader', or write "
                      f"{{name:{role}}} for its name", offset=offset)
        return None
    leaders = context.leaders
    return lambda env: leaders[role].pick(env)[1]
