"""The scenario compiled once more, keeping every expression's checked tree.

A `CompiledScenario` holds closures (`Fn`) made from the author's expressions; the
batch engine needs the trees they were made from. So the scenario's model is
compiled again by the very checks that made it (`kazsim.scenario.checks`), with
each `Compiled` kept as it is made: the parts of this second compilation are the
same, in the same order, as the first's, and each of their closures maps to its
expression. Nothing is decided twice: the checks remain the one home of how the
format compiles.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from kazsim.scenario import checks
from kazsim.scenario.compiled import CompiledScenario
from kazsim.scenario.expr import Compiled
from kazsim.scenario.locator import unplaced


class _Recording(checks._Compiler):
    """The checks, keeping each compiled expression by its closure's id."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.kept: dict[int, Compiled] = {}

    def compile(self, text: Any, path: Any, want: str, *, choices: bool = True,
                where: str = "this expression", shift: int = 0) -> Compiled | None:
        compiled = super().compile(text, path, want, choices=choices, where=where,
                                   shift=shift)
        if compiled is not None:
            self.kept[id(compiled.fn)] = compiled
        return compiled


def mirror(scenario: CompiledScenario) -> tuple[CompiledScenario, dict[int, Compiled]]:
    """`scenario` compiled again, and every closure in it (by id) -> its `Compiled`.

    The mirror is `scenario` with its compiled parts replaced by the second
    compilation's (the lesson's length and everything else as in `scenario`)."""
    c = _Recording(scenario.model, unplaced(scenario.path))
    c.run()
    roles = c.compile_roles()
    rules = c.compile_rules()
    events = c.compile_events()
    drift = c.compile_drift()
    offers = c.compile_offers()
    endings = c.compile_endings()
    timeline = c.compile_timeline()
    debrief = tuple(c.told(item.text, ("debrief", j, "text"),
                           f"item {j + 1} of the scenario's debrief")
                    for j, item in enumerate(scenario.model.debrief))
    errors = [p for p in c.problems if p.severity == "error"]
    if errors:
        raise ValueError(f"the scenario does not compile again: {errors[0]}")
    ai_rules = {r.id: {a.id: tuple(rule for rule in rules if r.id in rule.roles
                                     and a.id in rule.requires.get(r.id, (a.id,)))
                         for a in r.actions}
                for r in roles}
    copy = dataclasses.replace(
        scenario, roles=roles, rules=rules, events=events, drift=drift, offers=offers,
        endings=endings, timeline=timeline, debrief=debrief, ai_rules=ai_rules,
        told={t.key: t for t in c.told_texts})
    return copy, c.kept
