"""`kazsim check` on texts written as alternatives: how often each one was shown.

A text (or a role's result) written as alternatives (`kazsim.scenario.told`)
shows one of them each time it is shown, and every turn record says which
(`TurnRecord.shown`). The play-test counts them (`count_game`, called for each
game by `kazsim.analysis.simulate`), `stats` turns the counts into one
`TextStat` per text shown in turns (briefings are read outside them, so they
are left out), and the report lists them and warns about alternatives
never shown while their text was: a condition that never held when it mattered,
or one that an earlier alternative always hides.

A scenario without alternatives adds nothing to the report.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from kazsim.engine.state import TurnRecord
from kazsim.scenario.compiled import CompiledScenario

RESULTS = ("win", "draw", "loss")


def tally_key(key: str, index: int) -> str:
    """How the tally names one alternative of one text."""
    return f"{key}:{index}"


def count_game(shown: dict[str, int], results: dict[str, int],
               records: Iterable[TurnRecord]) -> None:
    """Add one game: every alternative shown, and each role's result as chosen."""
    last = None
    for record in records:
        for key, index in record.shown.items():
            name = tally_key(key, index)
            shown[name] = shown.get(name, 0) + 1
        last = record
    if last is not None and last.ended is not None:
        for role, fared in last.ended.roles.items():
            name = f"{role}.{fared.result}"
            results[name] = results.get(name, 0) + 1


@dataclass(frozen=True)
class AlternativeStat:
    when: str | None  # None: the last alternative, shown when no condition holds
    text: str  # as written
    times: int
    share: float  # of the times its text was shown


@dataclass(frozen=True)
class TextStat:
    key: str  # where it is in the file, e.g. events.2.text
    what: str  # in words: "the text of event 'riot'"
    times: int  # times the text was shown, all games together
    alternatives: tuple[AlternativeStat, ...]


def stats(scenario: CompiledScenario, shown: dict[str, int]) -> tuple[TextStat, ...]:
    """One entry per text written as alternatives, in file order."""
    out = []
    for key, told in scenario.told.items():
        if not _in_games(key):
            continue
        counts = [shown.get(tally_key(key, i), 0) for i in range(len(told.written))]
        total = sum(counts)
        out.append(TextStat(key, told.what, total, tuple(
            AlternativeStat(when, text, n, n / total if total else 0.0)
            for when, text, n in zip(told.whens, told.written, counts, strict=True))))
    return tuple(out)


def _in_games(key: str) -> bool:
    """Whether the turn records show this text: a briefing and its goals are read when
    a player opens them, outside the turns, so a play-test of AI games never shows them."""
    parts = key.split(".")
    return not (parts[0] == "roles" and len(parts) > 2 and parts[2] in ("briefing", "goals"))


def warnings(texts: Iterable[TextStat]) -> Iterator[tuple[str, str, str]]:
    """(kind, subject, message) for each alternative never shown while its text was."""
    for text in texts:
        if not text.times:
            continue  # its event, rule, outcome or ending never came: warned about already
        for j, alternative in enumerate(text.alternatives):
            if alternative.times:
                continue
            if alternative.when is None:
                why = ("an earlier alternative's condition always held: check whether the "
                       "conditions leave room for it")
            else:
                why = (f"its condition ({alternative.when}) never held when the text was "
                       "shown, or an earlier alternative's always did")
            yield ("alternative_never_shown", f"{text.key}.{j}",
                   f"alternative {j + 1} of {text.what} was never shown (the text was shown "
                   f"{text.times:,} times): {why}")


def _label(j: int, alternative: AlternativeStat) -> str:
    return f"{j + 1}. " + (f"when {alternative.when}" if alternative.when is not None
                            else "otherwise")


def text_lines(texts: tuple[TextStat, ...]) -> list[str]:
    """The text report's section (nothing without alternatives)."""
    if not texts:
        return []
    out = ["", "Texts written as alternatives (share of the times the text was shown)"]
    for text in texts:
        out.append(f"  {text.what} ({text.key}), shown {text.times:,} times")
        rows = [[_label(j, a), str(a.times), _pct(a.share), "never shown" if not a.times
                 else ""] for j, a in enumerate(text.alternatives)]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            cells = [row[0].ljust(widths[0]), row[1].rjust(widths[1]),
                     row[2].rjust(widths[2]), row[3]]
            out.append(("    " + "  ".join(cells)).rstrip())
    return out


def markdown_lines(texts: tuple[TextStat, ...]) -> list[str]:
    """The Markdown report's section (nothing without alternatives)."""
    if not texts:
        return []
    out = ["", "## Texts written as alternatives", "",
           "Share of the times the text was shown.", ""]
    for text in texts:
        out += [f"- {text.what} (`{text.key}`), shown {text.times:,} times", ""]
        out += ["  | alternative | times | share |", "  | --- | ---: | ---: |"]
        out += ["  | " + _label(j, a).replace("|", "\\|") + f" | {a.times} | {_pct(a.share)} |"
                for j, a in enumerate(text.alternatives)]
        out.append("")
    return out[:-1]


def data(texts: tuple[TextStat, ...]) -> dict[str, Any]:
    """The JSON report's entry (nothing without alternatives)."""
    if not texts:
        return {}
    return {"alternatives": {t.key: {"what": t.what, "times": t.times,
                                     "alternatives": [asdict(a) for a in t.alternatives]}
                             for t in texts}}


def _pct(share: float) -> str:
    if 0 < share < 0.0005:
        return "<0.1%"
    return f"{share * 100:.1f}%"
