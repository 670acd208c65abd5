"""Checks that need the whole scenario, and compilation of every expression.

Pydantic has already checked each field's type; here we check what ties the
file together: ids are unique and every reference exists, ranges contain their
start, every expression parses and has the right type, nothing is unreachable
because a condition can never be true, and every game can end.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kazsim.scenario.calendar import turn_moment, turn_of, turn_span
from kazsim.scenario.compiled import (
    CAction,
    CDrift,
    CEnding,
    CEvent,
    Chance,
    COffer,
    CompiledScenario,
    CRole,
    CRule,
    CStep,
    Fn,
    Reference,
)
from kazsim.scenario.effects import Effect, compile_effects
from kazsim.scenario.errors import AuthorError, number_text
from kazsim.scenario.expr import (
    BUILTIN_NAMES,
    FUNCTIONS,
    MAX_MAGNITUDE,
    Compiled,
    ExprError,
    Names,
    compile_expr,
    suggest,
)
from kazsim.scenario.locator import Locator
from kazsim.scenario.model import (
    Action,
    Calendar,
    Event,
    Flag,
    Indicator,
    Outcome,
    Place,
    Role,
    Rule,
    Scenario,
    Term,
)
from kazsim.scenario.ranges import never_true
from kazsim.scenario.told import Alternatives, Context, compile_result, compile_told, plain
from kazsim.scenario.whynot import Words, why_not

P = tuple[str | int, ...]
RESERVED = set(BUILTIN_NAMES) | set(FUNCTIONS) | {"true", "false", "and", "or", "not"}


def _ordinary(value: float) -> bool:
    """Finite and within the numbers a scenario uses (abs() first: math.isfinite
    overflows on a whole number of hundreds of digits; nan compares false)."""
    return abs(value) <= MAX_MAGNITUDE


def _chance_hint(value: float) -> str:
    """What to write for a chance outside 0..1: a percentage (50) is read as one (0.5)."""
    if 1 < value <= 100 and float(value).is_integer():
        return (f"did you mean {value / 100:g}? A chance is written between 0 and 1 (0.25 "
                "for one in four, 1 for always)")
    return "write 0.25 for a one-in-four chance, or 1 for always"


# The fields of what an `effects:` mapping belongs to: an author who indents one of them
# under `effects:` (`once: true`) is told to move it, not that no indicator is called so.
_OWNER_TYPES: tuple[tuple[str, str, Any], ...] = (
    ("actions", "action", Action), ("rules", "rule", Rule), ("events", "event", Event),
    ("outcomes", "outcome", Outcome))
_OWNERS: dict[str, tuple[str, frozenset[str]]] = {
    kind: (word, frozenset(f.name for f in dataclasses.fields(cls)) - {"effects", "id"})
    for kind, word, cls in _OWNER_TYPES
}


def _turns(count: int) -> str:
    return f"{count} turn{'s' if count != 1 else ''}"


class _Compiler:
    def __init__(self, scenario: Scenario, loc: Locator) -> None:
        self.s = scenario
        self.loc = loc
        self.problems: list[AuthorError] = []
        self.names = Names(
            numbers=frozenset(i.id for i in scenario.indicators),
            flags=frozenset(f.id for f in scenario.flags),
            actions={r.id: frozenset(a.id for a in r.actions) | frozenset(
                o.id for o in scenario.offers if o.to == r.id) for r in scenario.roles},
        )
        self.role_ids = list(dict.fromkeys(r.id for r in scenario.roles))
        # Where each indicator can be (a range that is itself wrong is reported elsewhere).
        self.ranges = {i.id: (float(i.min), float(i.max)) for i in scenario.indicators
                       if _ordinary(i.min) and _ordinary(i.max) and i.min <= i.max}
        self.source_ids = {s.id for s in scenario.sources}
        self.context = Context.of(scenario)
        self.told_texts: list[Alternatives] = []  # every text with several alternatives
        self.last_turn = scenario.calendar.turns
        self.words = Words(
            labels={**{i.id: i.label for i in scenario.indicators},
                    **{f.id: f.label for f in scenario.flags}},
            roles={r.id: r.name for r in scenario.roles},
            actions={**{(o.to, o.id): f"Accept: {o.label}" for o in scenario.offers},
                     **{(r.id, a.id): a.label for r in scenario.roles for a in r.actions}})

    def error(self, path: P, message: str, hint: str = "", **kw: Any) -> None:
        self.problems.append(self.loc.error(path, message, hint, **kw))

    def warn(self, path: P, message: str, hint: str = "") -> None:
        self.problems.append(self.loc.error(path, message, hint, severity="warning"))

    # --- ids and references ---------------------------------------------------------------
    def unique(self, items: Sequence[Any], path: P, what: str) -> None:
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.id in seen:
                self.error((*path, i, "id"), f"duplicate {what} id '{item.id}' "
                           f"(already used by {what} number {seen[item.id] + 1})",
                           "every id must be different: rename one of them")
            else:
                seen[item.id] = i

    def cites(self, ids: Iterable[str], path: P) -> None:
        for j, source in enumerate(ids):
            if source not in self.source_ids:
                self.error((*path, "cites", j), f"unknown source '{source}'",
                           suggest(source, self.source_ids) or
                           "list it under 'sources:' first, with its title and publisher")

    def visible(self, value: Any, path: P) -> None:
        if isinstance(value, list):
            for j, role in enumerate(value):
                if role not in self.role_ids:
                    self.error((*path, "visible_to", j), f"unknown role '{role}'",
                               suggest(role, self.role_ids) or "roles are: " +
                               ", ".join(self.role_ids))

    def secret(self, action: Action, role: str,
               path: P) -> tuple[frozenset[str] | None, Fn | None]:
        """A secret move's viewers (its own role and `seen_by`) and its `revealed`."""
        if not action.secret:
            for key in ("seen_by", "revealed"):
                if getattr(action, key):
                    self.error((*path, key), f"'{key}' is for secret moves, and action "
                               f"'{action.id}' is not one", "add 'secret: true' to the "
                               f"action, or remove '{key}'", key=True)
            return None, None
        for j, other in enumerate(action.seen_by):
            if other not in self.role_ids:
                self.error((*path, "seen_by", j), f"unknown role '{other}'",
                           suggest(other, self.role_ids) or "roles are: " +
                           ", ".join(self.role_ids))
            elif other == role:
                self.error((*path, "seen_by", j), f"role '{role}' always sees its own "
                           "secret moves", "list only the other roles that see it")
        revealed = None
        if action.revealed is not None:
            revealed = self.expr(action.revealed, (*path, "revealed"), "bool",
                                 where=f"the 'revealed' of action '{action.id}'")
        return frozenset((role, *action.seen_by)), revealed

    # --- expressions -----------------------------------------------------------------------
    def expr(self, text: Any, path: P, want: str, *, choices: bool = True,
             where: str = "this expression", shift: int = 0) -> Fn | None:
        compiled = self.compile(text, path, want, choices=choices, where=where, shift=shift)
        return compiled.fn if compiled is not None else None

    def compile(self, text: Any, path: P, want: str, *, choices: bool = True,
                where: str = "this expression", shift: int = 0) -> Compiled | None:
        """Compile one expression; `shift`: characters before `text` in the file's value."""
        try:
            compiled = compile_expr(text, self.names, want,  # type: ignore[arg-type]
                                    allow_choices=choices, where=where,
                                    chance=path[-1:] == ("chance",))
        except ExprError as exc:
            self.error(path, exc.message, exc.hint, offset=exc.offset + shift)
            return None
        if want == "bool" and compiled.constant is False and not isinstance(text, bool):
            self.error(path, f"this condition is always false, so {where} can never happen",
                       "check the comparison, or remove it")
        elif want == "bool" and compiled.tree is not None:  # flags too: 'f and not f'
            impossible = never_true(compiled.tree, self.ranges, self.s.calendar.turns,
                                    self.names.flags)
            if impossible is not None:
                self.error(path, f"this condition can never be true, so {where} can never "
                           "happen", f"{impossible.explain()}; check the comparison")
        return compiled

    def told(self, value: Any, path: P, what: str, *, reader: str | None = None,
             choices: bool = True, required: bool = True) -> Alternatives:
        """A text a player reads, checked and compiled (`kazsim.scenario.told`)."""
        compiled = compile_told(value, path, self, self.context, what=what, reader=reader,
                                choices=choices, required=required)
        return self._kept(compiled)

    def result(self, value: Any, path: P, what: str) -> Alternatives:
        return self._kept(compile_result(value, path, self, what=what))

    def _kept(self, compiled: Alternatives | None) -> Alternatives:
        if compiled is None:  # an error was reported: the scenario will not be returned
            return plain("")
        if compiled.several:
            self.told_texts.append(compiled)
        return compiled

    def effects(self, effects: dict[str, Any], path: P, under: str = "effects"
                ) -> tuple[Effect, ...]:
        owner = _OWNERS.get(next((p for p in reversed(path) if isinstance(p, str)), ""))
        misplaced = [key for key in effects if owner is not None and key in owner[1]
                     and key not in self.names.numbers and key not in self.names.flags]
        for key in misplaced:
            assert owner is not None
            self.error((*path, "effects", key), f"'{key}' is not an indicator or flag: it "
                       f"belongs to the {owner[0]}, one level up", f"move '{key}:' out of "
                       "'effects:', so that it lines up with 'effects:'", key=True)
        if misplaced:
            effects = {k: v for k, v in effects.items() if k not in misplaced}
        return compile_effects(effects, path, self, under)

    def outcomes(self, outcomes: list[Outcome], path: P, owner: str) -> tuple[Chance, ...]:
        out: list[Chance] = []
        total = 0.0
        constant = True
        for j, outcome in enumerate(outcomes):
            p = (*path, "outcomes", j)
            chance = outcome.chance
            fn = None
            if isinstance(chance, int | float):
                if not 0 <= chance <= 1:
                    self.error((*p, "chance"), f"chance {number_text(chance)} is not between "
                               "0 and 1", _chance_hint(chance))
                    constant = False  # the sum would only repeat it
                if abs(chance) <= MAX_MAGNITUDE:  # a number of 400 digits is no float
                    total += chance
            else:
                constant = False
            if not isinstance(chance, int | float) or 0 <= chance <= 1:
                fn = self.expr(chance, (*p, "chance"), "number", where="this outcome's chance")
            effects = self.effects(outcome.effects, p)
            text = self.told(outcome.text, (*p, "text"), f"the text of outcome {j + 1} of "
                             f"{owner}")
            if fn is not None:
                out.append(Chance(fn, text, effects))
        if constant and total > 1 + 1e-9:
            self.error((*path, "outcomes"), f"the chances add up to {total:g}, more than 1",
                       "outcomes are exclusive: at most one happens, so their chances must "
                       "add up to 1 or less")
        return tuple(out)

    def chance(self, value: Any, path: P, where: str) -> Fn | None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            if not 0 <= value <= 1:
                self.error(path, f"chance {number_text(value)} is not between 0 and 1",
                           _chance_hint(value))
                return None
            if value == 0:
                self.error(path, f"a chance of 0 means {where} can never happen",
                           "give a chance above 0, or remove it")
        return self.expr(value, path, "number", where=where)

    # --- the whole scenario ----------------------------------------------------------------
    def run(self) -> None:
        s = self.s
        self.unique(s.sources, ("sources",), "source")
        self.unique(s.roles, ("roles",), "role")
        self.unique(s.rules, ("rules",), "rule")
        self.unique(s.events, ("events",), "event")
        self.unique(s.endings, ("endings",), "ending")
        seen: dict[str, str] = {}
        items: list[tuple[str, int, Indicator | Flag]] = [
            *(("indicators", i, x) for i, x in enumerate(s.indicators)),
            *(("flags", i, x) for i, x in enumerate(s.flags)),
        ]
        for kind, i, item in items:
            if item.id in RESERVED:
                self.error((kind, i, "id"), f"'{item.id}' is a reserved word",
                           "choose another id")
            if item.id in seen:
                self.error((kind, i, "id"), f"duplicate id '{item.id}' (already used by "
                           f"{seen[item.id]})", "indicators and flags share one set of ids")
            seen.setdefault(item.id, f"an entry in {kind}")
            self.visible(item.visible_to, (kind, i))
            self.cites(item.cites, (kind, i))
        for i, ind in enumerate(s.indicators):
            odd = [(k, v) for k, v in (("min", ind.min), ("max", ind.max), ("start", ind.start))
                   if not _ordinary(v)]
            for key, value in odd:
                self.error(("indicators", i, key), f"'{key}' must be an ordinary number, "
                           f"found {number_text(value)}", f"numbers in a scenario stay between "
                           f"-{MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g}")
            if odd:
                continue
            if ind.min >= ind.max:
                self.error(("indicators", i, "max"), f"max ({ind.max}) must be greater than "
                           f"min ({ind.min})", "make max larger than min (the default range "
                           "is 0 to 100)")
            elif not ind.min <= ind.start <= ind.max:
                self.error(("indicators", i, "start"), f"start value {ind.start} is outside "
                           f"the range {ind.min} to {ind.max}",
                           "make start lie between min and max")
        calendar = s.calendar
        if turn_moment(calendar, calendar.turns + 1) is None:
            self.error(("calendar", "start"), f"with {calendar.turns} turns of "
                       f"{_one(calendar)} from {calendar.start}, the "
                       "game runs past 31 December 9999, the last date kazsim can show",
                       "start the calendar earlier, or give fewer turns or shorter ones")
        seen_lengths: set[int] = set()
        for j, length in enumerate(calendar.lesson_turns):
            where: P = ("calendar", "lesson_turns", j)
            if length >= calendar.turns:
                self.error(where, f"a lesson of {_turns(length)} is not shorter than the "
                           f"whole game ({_turns(calendar.turns)})",
                           f"give a number of turns from 1 to {calendar.turns - 1}: every "
                           "game can be played whole anyway" if calendar.turns > 1 else
                           "a game of one turn cannot be shortened: remove 'lesson_turns'")
            elif length in seen_lengths:
                self.error(where, f"the lesson length {length} is listed twice",
                           "list each length once")
            seen_lengths.add(length)
        for j, note in enumerate(s.debrief):
            self.cites(note.cites, ("debrief", j))
        for j, source in enumerate(s.sources):
            if source.link is not None and not source.link.startswith(("http://", "https://")):
                self.warn(("sources", j, "link"), "a link should start with https:// or http://",
                          "write the full address, e.g. https://www.example.com/page")

    def compile_roles(self) -> tuple[CRole, ...]:
        roles: list[CRole] = []
        for i, role in enumerate(self.s.roles):
            path: P = ("roles", i)
            if role.id in self.names.numbers or role.id in self.names.flags:
                self.error((*path, "id"), f"role id '{role.id}' is also an indicator or flag id",
                           "use different ids so expressions are not ambiguous")
            self.cites(role.cites, path)
            if not role.players:
                self.error((*path, "players"), "'players' must allow human or ai (or both)",
                           "write players: [human, ai], or leave it out")
            self.unique(role.actions, (*path, "actions"), "action")
            score = self.compile(role.score, (*path, "score"), "number", choices=False,
                                 where="the score")
            briefing = self.told(role.briefing, (*path, "briefing"),
                                 f"the briefing of role '{role.id}'", reader=role.id,
                                 choices=False)
            leader = self.leader(role, path)
            goals = tuple(self.told(goal, (*path, "goals", k), f"goal {k + 1} of role "
                                    f"'{role.id}'", reader=role.id, choices=False)
                          for k, goal in enumerate(role.goals))
            actions: list[CAction] = []
            always = False
            for j, action in enumerate(role.actions):
                ap: P = (*path, "actions", j)
                self.cites(action.cites, ap)
                available = None
                why = None
                if action.available is not None:
                    condition = self.compile(action.available, (*ap, "available"), "bool",
                                             choices=False, where=f"action '{action.id}'")
                    available = condition.fn if condition is not None else None
                    if condition is not None and condition.tree is not None:
                        why = why_not(condition.tree, self.names, self.words)
                elif not action.once and not action.cooldown:
                    always = True
                weight = self.expr(action.ai.weight, (*ap, "ai", "weight"), "number",
                                   choices=False, where="the AI weight")
                effects = self.effects(action.effects, ap)
                outcomes = self.outcomes(action.outcomes, ap, f"action '{action.id}'")
                text = (plain(action.label) if action.text is None else
                        self.told(action.text, (*ap, "text"), f"the news line of action "
                                  f"'{action.id}'", required=False))
                seen_by, revealed = self.secret(action, role.id, ap)
                if weight is None:
                    continue
                touches = frozenset(e.target for e in effects) | frozenset(
                    e.target for o in outcomes for e in o.effects)
                if action.offer is not None:
                    self._offer_made(role.id, action.offer, (*ap, "offer"), seen_by)
                actions.append(CAction(action.id, role.id, available, effects, outcomes,
                                       action.once, action.cooldown, weight, action, touches,
                                       text, why, seen_by, revealed))
            actions.extend(self._acceptances(role.id, {a.id for a in role.actions}))
            if not always:
                self.error((*path, "actions"), f"role '{role.id}' has no action it can always "
                           "take", "add one with no 'available', 'once' or 'cooldown', such as "
                           "'wait and watch', so there is always something to choose", key=True)
            if score is not None:
                roles.append(CRole(role.id, tuple(actions), {a.id: a for a in actions},
                                   score.fn, role, score.names, briefing, goals, leader))
            if leader is not None:
                self.context.leaders[role.id] = leader
        return tuple(roles)

    def leader(self, role: Role, path: P) -> Alternatives | None:
        """A role's leader, read by every player wherever the role is named; None when it
        has none (or an error, reported). Chosen when shown, so not counted by `check`."""
        if not role.leader:
            return None
        return compile_told(role.leader, (*path, "leader"), self,
                            dataclasses.replace(self.context, in_leader=True),
                            what=f"the leader of role '{role.id}'", choices=False)

    # --- offers between sides (docs/authoring.md, "Offers between sides") -------------------
    def _offer_made(self, role: str, offer_id: str, p: P,
                    seen_by: frozenset[str] | None = None) -> None:
        """`seen_by`: the viewers of the action making it, if it is a secret move."""
        offers = {o.id: o for o in self.s.offers}
        offer = offers.get(offer_id)
        if offer is None:
            self.error(p, f"unknown offer '{offer_id}'", suggest(offer_id, offers) or
                       "list it under 'offers:' first, with 'by', 'to' and 'label'")
        elif offer.by != role:
            self.error(p, f"offer '{offer_id}' is made by '{offer.by}', not by '{role}'",
                       f"move this action to role '{offer.by}', or write by: {role} in the "
                       "offer")
        elif seen_by is not None and offer.to not in seen_by:
            # The receiver's "Accept: ..." choice next turn would give the secret away.
            self.error(p, f"this secret move makes offer '{offer_id}' to '{offer.to}', who "
                       "does not see it: the choice 'Accept: ...' on their next turn would "
                       "tell them", f"add {offer.to} to this action's seen_by, or make the "
                       "offer from an action that is not secret")

    def _acceptances(self, role: str, own: set[str]) -> list[CAction]:
        """The receiver's choices "Accept: ...", one per offer made to `role`."""
        out: list[CAction] = []
        for i, offer in enumerate(self.s.offers):
            if offer.to != role:
                continue
            p: P = ("offers", i)
            if offer.id in own:
                self.error((*p, "id"), f"offer id '{offer.id}' is also an action of "
                           f"'{role}', the role it is made to",
                           "rename the offer: accepting it is a choice of that role, named "
                           "by the offer's id")
                continue
            makers = frozenset(a.id for r in self.s.roles if r.id == offer.by
                               for a in r.actions if a.offer == offer.id)
            condition = None
            if offer.available is not None:
                condition = self.compile(offer.available, (*p, "available"), "bool",
                                         choices=False, where=f"offer '{offer.id}'")
            weight = self.expr(offer.ai.weight, (*p, "ai", "weight"), "number",
                               choices=False, where="the AI weight")
            effects = self.effects(offer.effects, p)
            text = (plain(f"{self.words.roles.get(role, role)} accepts: {offer.label}.")
                    if offer.text is None else
                    self.told(offer.text, (*p, "text"), f"the news line of offer '{offer.id}'",
                              required=False))
            if weight is None or (offer.available is not None and condition is None):
                continue
            key = "<" + offer.by
            test = condition.fn if condition is not None else None

            def available(env: Mapping[str, Any], key: str = key, makers: frozenset[str] = makers,
                          test: Fn | None = test) -> bool:
                return env.get(key) in makers and (test is None or bool(test(env)))

            make: Any = Action  # a part's fields are the decorator's (mypy cannot see them)
            model = make(id=offer.id, label=f"Accept: {offer.label}",
                         description=offer.description, effects=offer.effects, ai=offer.ai,
                         cites=offer.cites)
            out.append(CAction(offer.id, role, available, effects, (), False, 0, weight, model,
                               frozenset(e.target for e in effects), text, None,
                               accepts=offer.id))
        return out

    def compile_offers(self) -> tuple[COffer, ...]:
        out: list[COffer] = []
        self.unique(self.s.offers, ("offers",), "offer")
        actions = {r.id: {a.id for a in r.actions} for r in self.s.roles}
        for i, offer in enumerate(self.s.offers):
            p: P = ("offers", i)
            self.cites(offer.cites, p)
            ok = True
            for key in ("by", "to"):
                role = getattr(offer, key)
                if role not in self.role_ids:
                    self.error((*p, key), f"unknown role '{role}'", suggest(role, self.role_ids)
                               or "roles are: " + ", ".join(self.role_ids))
                    ok = False
            if ok and offer.by == offer.to:
                self.error((*p, "to"), f"offer '{offer.id}' is made by '{offer.by}' to itself",
                           "an offer goes to another role: give 'to' another role's id")
                ok = False
            makers = frozenset(a.id for r in self.s.roles if r.id == offer.by
                               for a in r.actions if a.offer == offer.id)
            if ok and not makers:
                self.warn(p, f"no action of '{offer.by}' makes offer '{offer.id}'",
                          f"give an action of '{offer.by}' the line offer: {offer.id}")
            binds: list[tuple[str, int, bool]] = []
            for j, bind in enumerate(offer.binds):
                if ok and bind.action not in actions.get(offer.to, set()):
                    self.error((*p, "binds", j, "action"), f"role '{offer.to}' has no action "
                               f"'{bind.action}'", suggest(bind.action, actions[offer.to]) or
                               f"its actions are: {', '.join(sorted(actions[offer.to]))}")
                    continue
                binds.append((bind.action, bind.turns, bind.required))
            refused = self.effects(offer.refused, p, under="refused")
            refused_text = (plain(f"{self.words.roles.get(offer.to, offer.to)} refuses: "
                                  f"{offer.label}.") if offer.refused_text is None else
                            self.told(offer.refused_text, (*p, "refused_text"),
                                      f"the refusal line of offer '{offer.id}'",
                                      required=False))
            if ok:
                out.append(COffer(offer.id, offer.by, offer.to, makers, refused, refused_text,
                                  tuple(binds), offer))
        return tuple(out)

    def compile_rules(self) -> tuple[CRule, ...]:
        rules: list[CRule] = []
        for i, rule in enumerate(self.s.rules):
            p: P = ("rules", i)
            self.cites(rule.cites, p)
            when = self.compile(rule.when, (*p, "when"), "bool", where=f"rule '{rule.id}'")
            effects = self.effects(rule.effects, p)
            outcomes = self.outcomes(rule.outcomes, p, f"rule '{rule.id}'")
            text = self.told(rule.text, (*p, "text"), f"the text of rule '{rule.id}'",
                             required=False)
            if not rule.effects and not rule.outcomes and not rule.text:
                self.warn(p, f"rule '{rule.id}' has no effects, outcomes or text",
                          "it changes nothing; add effects or remove it")
            if when is not None:
                rules.append(CRule(rule.id, when.fn, effects, outcomes, rule, when.choice_roles,
                                   when.requires, text))
        return tuple(rules)

    def compile_events(self) -> tuple[CEvent, ...]:
        events: list[CEvent] = []
        last = self.s.calendar.turns
        for i, event in enumerate(self.s.events):
            p: P = ("events", i)
            self.cites(event.cites, p)
            if event.turn is None and event.when is None:
                self.error(p, f"event '{event.id}' has neither 'turn' nor 'when'",
                           "give 'turn: N' for a scripted event or 'when:' for a triggered one",
                           key=True)
                continue
            if event.turn is not None and event.turn > last:
                self.error((*p, "turn"), f"turn {number_text(event.turn)} is after the last "
                           f"turn ({last}), "
                           "so this event never happens",
                           f"give a turn from 1 to {last}, or raise 'turns' under 'calendar:'")
            when = None
            if event.when is not None:
                when = self.expr(event.when, (*p, "when"), "bool", where=f"event '{event.id}'")
                if when is None:
                    continue
            chance = self.chance(event.chance, (*p, "chance"), f"event '{event.id}'")
            effects = self.effects(event.effects, p)
            outcomes = self.outcomes(event.outcomes, p, f"event '{event.id}'")
            text = self.told(event.text, (*p, "text"), f"the text of event '{event.id}'",
                             required=False)
            if chance is not None:
                events.append(CEvent(event.id, event.turn, when, chance, event.repeat, effects,
                                     outcomes, event, text))
        return tuple(events)

    def compile_drift(self) -> tuple[CDrift, ...]:
        out: list[CDrift] = []
        self.unique(self.s.drift, ("drift",), "drift")
        for i, drift in enumerate(self.s.drift):
            p: P = ("drift", i)
            self.cites(drift.cites, p)
            when = None
            if drift.when is not None:
                when = self.expr(drift.when, (*p, "when"), "bool", where=f"drift '{drift.id}'")
                if when is None:
                    continue
            if not drift.effects:
                self.warn(p, f"drift '{drift.id}' has no effects",
                          "it changes nothing; add effects or remove it")
            out.append(CDrift(drift.id, when, self.effects(drift.effects, p), drift))
        return tuple(out)

    def compile_endings(self) -> tuple[CEnding, ...]:
        endings: list[CEnding] = []
        fallback = False
        interrupted: str | None = None  # the ending marked for a lesson stopped early
        for i, ending in enumerate(self.s.endings):
            p: P = ("endings", i)
            self.cites(ending.cites, p)
            for j, item in enumerate(ending.debrief):
                self.cites(item.cites, (*p, "debrief", j))
            text = self.told(ending.text, (*p, "text"), f"the text of ending '{ending.id}'")
            results = {
                role: (self.result(ending.roles[role].result, (*p, "roles", role, "result"),
                                   f"the result of '{role}' in ending '{ending.id}'"),
                       self.told(ending.roles[role].text, (*p, "roles", role, "text"),
                                 f"what '{role}' reads in ending '{ending.id}'"))
                for role in self.role_ids if role in ending.roles}
            debrief = tuple(self.told(item.text, (*p, "debrief", j, "text"),
                                      f"debrief item {j + 1} of ending '{ending.id}'")
                            for j, item in enumerate(ending.debrief))
            for role in ending.roles:
                if role not in self.role_ids:
                    self.error((*p, "roles", role), f"unknown role '{role}'",
                               suggest(role, self.role_ids) or "roles are: " +
                               ", ".join(self.role_ids), key=True)
            missing = [r for r in self.role_ids if r not in ending.roles]
            if missing:
                self.error((*p, "roles"), f"ending '{ending.id}' does not say how "
                           f"{', '.join(repr(m) for m in missing)} fared",
                           "add an entry under 'roles:' for every role", key=True)
            when = None
            if ending.interrupted:
                if interrupted is not None:
                    self.error((*p, "interrupted"), f"ending '{ending.id}' is the second "
                               f"marked 'interrupted' (ending '{interrupted}' already is)",
                               "a lesson stopped early ends one way: keep 'interrupted: true' "
                               "on one ending")
                interrupted = interrupted or ending.id
                if ending.when is not None:
                    self.error((*p, "when"), f"ending '{ending.id}' is marked 'interrupted', "
                               "so it must end every lesson stopped early, whatever happened: "
                               "it cannot have a 'when'",
                               "remove the 'when'; to end some lessons another way, give "
                               "that ending its 'when' and a higher 'priority'")
                    continue
            if ending.when is None:
                if ending.at_last_turn:
                    fallback = True
                elif not ending.interrupted:
                    self.error(p, f"ending '{ending.id}' has no 'when', so it would end the "
                               "game after the first turn",
                               "add a 'when:' condition, or 'at_last_turn: true' to make it "
                               "the ending when time runs out", key=True)
                    continue
            else:
                when = self.expr(ending.when, (*p, "when"), "bool", where=f"ending '{ending.id}'")
                if when is None:
                    continue
            endings.append(CEnding(ending.id, when, ending.at_last_turn, ending.priority, ending,
                                   text, results, debrief, ending.interrupted))
        if not fallback:
            self.error(("endings",), "no ending is sure to apply when the last turn is played",
                       "add an ending with 'at_last_turn: true' and no 'when', so every game "
                       "ends", key=True)
        order = {e.id: k for k, e in enumerate(endings)}
        return tuple(sorted(endings, key=lambda e: (-e.priority, order[e.id])))

    def compile_timeline(self) -> tuple[CStep, ...]:
        """The real timeline: each step's role and action, its date against the calendar,
        its condition (see docs/authoring.md, "The real timeline")."""
        steps: list[CStep] = []
        self.unique(self.s.timeline, ("timeline",), "timeline step")
        first, last = game_days(self.s)
        length = (last - first).days + 1
        for i, step in enumerate(self.s.timeline):
            p: P = ("timeline", i)
            self.cites(step.cites, p)
            ok = True
            if step.date < first - dt.timedelta(days=length) or (
                    step.date > last + dt.timedelta(days=length)):
                self.error((*p, "date"), f"{_day(step.date)} is far outside the game's "
                           f"calendar ({_day(first)} to {_day(last)})",
                           f"a step may lie at most {length} day{'s' * (length > 1)} (the "
                           "game's own length) before its first day or after its last: check "
                           "the year, or the calendar's start")
            if (step.role is None) != (step.action is None):
                given, missing = ("role", "action") if step.action is None else ("action",
                                                                                 "role")
                self.error((*p, given), f"timeline step '{step.id}' gives '{given}' without "
                           f"'{missing}'", "give both the real actor's role and the action "
                           "it took, or neither")
                ok = False
            elif step.role is not None and step.action is not None:
                ok = self._real_action(step.role, step.action, p)
            names: set[tuple[str, str]] = set()
            if step.role is not None and step.action is not None and ok:
                names.add((step.role, step.action))
            if step.happened is not None:
                happened = self.compile(step.happened, (*p, "happened"), "bool",
                                        where=f"timeline step '{step.id}'")
                if happened is None:
                    continue
                if happened.tree is not None:
                    names.update(_chosen(happened.tree))
                fn = happened.fn
            elif step.action is not None or step.role is not None:
                if not ok or step.role is None or step.action is None:
                    continue  # already reported
                fn = compile_expr(f"chose({step.role}, {step.action})", self.names,
                                  "bool").fn
            else:
                self.error(p, f"timeline step '{step.id}' has no way to match a game",
                           "give 'happened:' (what counts as the same step in a game), or "
                           "'role:' and 'action:' (the action the real actor took)", key=True)
                continue
            if ok:
                steps.append(CStep(step.id, step.date, turn_of(self.s.calendar, step.date), fn,
                                   step.role, step.action, frozenset(names), step))
        order = {id(c): k for k, c in enumerate(steps)}
        return tuple(sorted(steps, key=lambda c: (c.date, order[id(c)])))

    def compile_reference(self) -> Reference:
        """A teacher's kit: the glossary, the places, the content warning (see
        docs/authoring.md, "A teacher's kit")."""
        s = self.s
        parts: tuple[tuple[str, Sequence[Term | Place], str, str], ...] = (
            ("glossary", s.glossary, "term", "term"), ("places", s.places, "place", "name"))
        for kind, items, what, key in parts:
            seen: dict[str, tuple[int, str]] = {}  # a name, case and spaces aside
            for i, item in enumerate(items):
                self.cites(item.cites, (kind, i))
                name = getattr(item, key)
                folded = " ".join(name.casefold().split())
                if folded in seen:
                    number, first = seen[folded]
                    self.error((kind, i, key), f"the {what} '{name}' is listed twice ({what} "
                               f"number {number + 1} is '{first}')",
                               f"give each {what} once: merge the two entries")
                else:
                    seen[folded] = (i, name)
        glossary = tuple(sorted(s.glossary, key=lambda t: (t.term.casefold(), t.term)))
        return Reference(glossary, tuple(s.places), s.content_warning)

    def _real_action(self, role: str, action: str, p: P) -> bool:
        if role not in self.role_ids:
            self.error((*p, "role"), f"unknown role '{role}'",
                       suggest(role, self.role_ids) or "roles are: " + ", ".join(self.role_ids))
            return False
        if action in self.names.actions.get(role, ()):
            return True
        owners = [r for r in self.role_ids if action in self.names.actions.get(r, ())]
        if owners:
            self.error((*p, "action"), f"'{action}' is an action of role '{owners[0]}', "
                       f"not of '{role}'", f"write role: {owners[0]}, or give an action "
                       f"of '{role}'")
        else:
            self.error((*p, "action"), f"role '{role}' has no action '{action}'",
                       suggest(action, self.names.actions.get(role, ())) or
                       f"its actions are: {', '.join(sorted(self.names.actions[role]))}")
        return False


def game_days(scenario: Scenario) -> tuple[dt.date, dt.date]:
    """The first and the last real day a game's turns stand for."""
    calendar = scenario.calendar
    after = turn_moment(calendar, calendar.turns + 1)
    if after is None:  # refused elsewhere: the calendar runs past 9999
        return calendar.start, dt.date.max
    return calendar.start, max(calendar.start, (after - dt.timedelta(microseconds=1)).date())


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _chosen(tree: ast.AST) -> set[tuple[str, str]]:
    """The (role, action) pairs a condition's chose() calls name."""
    out: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "chose" and len(node.args) == 2
                and all(isinstance(a, ast.Name) for a in node.args)):
            role, action = (a.id for a in node.args if isinstance(a, ast.Name))
            out.add((role, action))
    return out


def compile_scenario(scenario: Scenario, loc: Locator, content_hash: str,
                     path: str) -> tuple[CompiledScenario | None, list[AuthorError]]:
    """Check everything and compile; returns (scenario or None if any error, problems)."""
    c = _Compiler(scenario, loc)
    c.run()
    roles = c.compile_roles()
    rules = c.compile_rules()
    events = c.compile_events()
    drift = c.compile_drift()
    offers = c.compile_offers()
    endings = c.compile_endings()
    timeline = c.compile_timeline()
    reference = c.compile_reference()
    debrief = tuple(c.told(item.text, ("debrief", j, "text"),
                           f"item {j + 1} of the scenario's debrief")
                    for j, item in enumerate(scenario.debrief))
    if any(p.severity == "error" for p in c.problems):
        return None, c.problems
    compiled = CompiledScenario(
        model=scenario,
        role_ids=tuple(r.id for r in roles),
        ai_rules={r.id: {a.id: tuple(rule for rule in rules if r.id in rule.roles
                                     and a.id in rule.requires.get(r.id, (a.id,)))
                         for a in r.actions}
                  for r in roles},
        content_hash=content_hash,
        path=path,
        bounds={i.id: (float(i.min), float(i.max)) for i in scenario.indicators},
        initial={**{i.id: i.start for i in scenario.indicators},
                 **{f.id: f.start for f in scenario.flags}},
        roles=roles,
        rules=rules,
        events=events,
        endings=endings,
        timeline=timeline,
        told={t.key: t for t in c.told_texts},
        debrief=debrief,
        drift=drift,
        offers=offers,
        reference=reference,
    )
    return compiled, c.problems


def _one(calendar: Calendar) -> str:
    """A turn's length after 'turns of': "one day" (a fixed word), "three days each"."""
    if isinstance(calendar.turn_length, str):
        return "one " + calendar.turn_length.replace("_", "-")
    return f"{turn_span(calendar)} each"
