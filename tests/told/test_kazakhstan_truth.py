"""Every sentence of `kazakhstan-2022.yaml` is true in the game where it shows.

AI games are scanned, and every news line of every turn and every ending text (the
game's and each role's) is held against the state it was told in: the state at the end
of that turn (texts are chosen against it, see docs/authoring.md). Each check says, in
words, a claim a text makes and the state that would make it false; none names a seed
or a text by its id, so a new text that makes the same kind of claim is checked too.
The debrief (what really happened) is history, not a claim about the game, and is not
scanned.

The fast suite scans 100 games and a few short lessons; the slow one 1,000 games.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kazsim.engine import Game, play_ai_game
from kazsim.scenario import CompiledScenario, load_file

KAZAKHSTAN = Path(__file__).resolve().parents[2] / "scenarios" / "kazakhstan-2022.yaml"

Values = Mapping[str, Any]


@dataclass(frozen=True)
class Told:
    """One text as a player read it, with what the game knew when it was told."""

    text: str
    values: Values  # the state it was chosen against
    chosen: Mapping[str, tuple[str, ...]]  # every action each role chose so far
    where: str  # "turn 5 news", "ending text", "ending, russia"
    ending: bool


def times(told: Told, role: str, action: str) -> int:
    return told.chosen.get(role, ()).count(action)


def found(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.IGNORECASE) is not None


# Each check: (what a text claims, the pattern that makes the claim, a test of the
# state that says the claim is false, whether it applies to ending texts only).
Check = tuple[str, str, Callable[[Told], bool], bool]

FOREIGN_FORCE = (r"foreign (troops|soldiers|force)|CSTO (troops|force)|peacekeepers"
                 r"|your (troops|soldiers)")
NO_FOREIGN = (r"without (a |any )?foreign (troops|soldiers?)|no foreign (troops|soldiers?)"
              r"|foreign soldier on Kazakh soil")
RUSSIAN = (r"(?<!without )(Russian (troops|soldiers|guard)|your soldiers|your troops)"
           r"|most of them Russian")
DEATHS = r"\bdeaths?\b|\bdead\b|\bkill(ed|ing|ings)\b|shooting that"
COLLAPSE = (r"collapsed|brought down the regime|lost control of the country"
            r"|state (has given way|has broken|broke)")
EMPTY = (r"streets are empty|protests are over|crowds go home|streets have emptied"
         r"|streets are quiet")
LEFT = r"(troops|force) (have|has)( now)? gone home|saw the foreign troops leave|come and gone"
PUSHED_ASIDE = (r"stepped out of Nazarbayev's shadow|old guard pushed aside"
                r"|push your people out")


def no_force(t: Told) -> bool:
    """Not 'cleared by force': no order to shoot, and at most one crackdown."""
    return not t.values["shoot_to_kill_ordered"] and times(t, "government", "crackdown") < 2


def never_cleared(t: Told) -> bool:
    """Not 'the police cleared the streets': no order to shoot, and no crackdown."""
    return not t.values["shoot_to_kill_ordered"] and times(t, "government", "crackdown") == 0


CHECKS: list[Check] = [
    ("foreign troops are (or were) in the country", FOREIGN_FORCE,
     lambda t: not t.values["foreign_deployed"] and not found(NO_FOREIGN, t.text), True),
    ("no foreign soldier came", NO_FOREIGN, lambda t: bool(t.values["foreign_deployed"]), False),
    ("Russian soldiers were there", RUSSIAN, lambda t: not t.values["russia_committed"], True),
    ("people have died", DEATHS,
     lambda t: t.values["violence"] <= 0
     # (the killings of December 2011 in Zhanaozen are history the news recalls)
     and not found(r"without mass killing|before the killing|\b2011\b", t.text), False),
    ("a massacre happened", r"massacre|bloodbath|far beyond the toll",
     lambda t: t.values["violence"] < 65, True),
    ("the regime collapsed", COLLAPSE, lambda t: t.values["regime_control"] > 5, True),
    ("the regime holds", r"regime holds|kept your office|you are still in office",
     lambda t: t.values["regime_control"] <= 5, True),
    ("the crowds brought the regime down",
     r"crowds have outlasted|people on the streets brought down",
     lambda t: t.values["protest_size"] < 25, True),
    ("the streets are empty", EMPTY, lambda t: t.values["protest_size"] > 25, True),
    ("the protests go on",
     r"still on the streets|protests go on|flare and fade|still people come out",
     lambda t: t.values["protest_size"] < 10, True),
    ("the internet was cut", r"blackout",
     lambda t: times(t, "government", "cut_internet") == 0, True),
    ("the foreign troops have left", LEFT, lambda t: not t.values["troops_withdrawn"], True),
    ("fuel prices came down", r"lower prices",
     lambda t: not t.values["price_caps_restored"], True),
    ("the streets were cleared by force", r"cleared by force", no_force, True),
    ("the security forces cleared the streets",
     r"cleared the streets|streets were cleared(?! by force)", never_cleared, True),
    ("the order to shoot was given", r"order to shoot",
     lambda t: not t.values["shoot_to_kill_ordered"], True),
    ("Nazarbayev was pushed aside", PUSHED_ASIDE,
     lambda t: not t.values["nazarbayev_removed"] and t.values["nazarbayev_power"] > 35, True),
    ("the CSTO mission was short", r"short and ended as promised|quick and ended on time",
     lambda t: t.values["mission_days"] > 5, True),
    ("the CSTO force came", r"alliance's first (real )?mission",
     lambda t: not t.values["foreign_deployed"], True),
    ("the West called for restraint", r"calls for restraint went unheard",
     lambda t: times(t, "west", "call_restraint") == 0, True),
    ("Almaty has risen", r"\bAlmaty\b\.", lambda t: not t.values["almaty_rising"], False),
    ("buildings were burned", r"set (some of )?them on fire|set fire to the presidential residence",
     lambda t: not t.values["buildings_burned"], False),
]


def told_in(game: Game) -> Iterator[Told]:
    """Every text a player read in `game`, with the state it was chosen against."""
    chosen: dict[str, list[str]] = {r: [] for r in game.scenario.role_ids}
    for record, after in zip(game.records, game.states[1:], strict=True):
        for role, action in record.decisions.items():
            chosen[role].append(action)
        snapshot = {r: tuple(a) for r, a in chosen.items()}
        for item in record.news:
            yield Told(item.text, after.values, snapshot,
                       f"turn {record.turn} news ({item.source})", ending=False)
        if record.ended is not None:
            yield Told(record.ended.text, after.values, snapshot,
                       f"ending {record.ended.ending} text", ending=True)
            for role, fared in record.ended.roles.items():
                yield Told(fared.text, after.values, snapshot,
                           f"ending {record.ended.ending}, {role}", ending=True)


def contradictions(game: Game) -> list[str]:
    found_here: list[str] = []
    for told in told_in(game):
        for claim, pattern, false_now, ending_only in CHECKS:
            if ending_only and not told.ending:
                continue
            if found(pattern, told.text) and false_now(told):
                found_here.append(f"{told.where}: says {claim}, but the state says not: "
                                  f"{told.text!r}")
    return found_here


def ending_says_what_happened(game: Game) -> list[str]:
    """The ending names a massacre when there was one, and a collapse when there was
    one: a game can have both (the ending shown is only the one of higher priority)."""
    problems: list[str] = []
    ended = game.records[-1].ended
    assert ended is not None
    values = game.state.values
    everything = " ".join((ended.text, *(fared.text for fared in ended.roles.values())))
    if values["violence"] >= 40 and not found(r"kill|shoot|dead|blood|massacre", everything):
        problems.append(f"{ended.ending}: bloodshed {values['violence']:.0f}, not said: "
                        f"{ended.text!r}")
    if values["regime_control"] <= 5 and game.state.ending != "regime_falls" \
            and game.state.ending is not None and ended.ending != "lesson_over" \
            and not found(r"lost control|broke|collapse", ended.text):
        problems.append(f"{ended.ending}: control {values['regime_control']:.1f}, not said: "
                        f"{ended.text!r}")
    return problems


def filler_repeated(game: Game, most: int = 3) -> list[str]:
    """No event's news line is told more than `most` times in one game, the same words
    each time: filler is told once, or when something changed."""
    counts = Counter((item.source, item.text) for record in game.records
                     for item in record.news if item.kind == "event" and item.text)
    return [f"event {source} told {n} times: {text!r}"
            for (source, text), n in counts.items() if n > most]


@pytest.fixture(scope="module")
def kazakhstan() -> CompiledScenario:
    return load_file(KAZAKHSTAN)


def scan(scenario: CompiledScenario, games: Iterator[Game]) -> tuple[list[str], Counter[str]]:
    problems: list[str] = []
    endings: Counter[str] = Counter()
    for game in games:
        endings[game.state.ending or ""] += 1
        for problem in (*contradictions(game), *ending_says_what_happened(game),
                        *filler_repeated(game)):
            problems.append(f"seed {game.seed}: {problem}")
    return problems, endings


def whole_games(scenario: CompiledScenario, runs: int) -> Iterator[Game]:
    return (play_ai_game(scenario, seed) for seed in range(runs))


def lessons(scenario: CompiledScenario, runs: int) -> Iterator[Game]:
    """Lessons stopped early, of every length from 3 turns to 17."""
    return (play_ai_game(scenario, seed, turns=3 + seed % 15) for seed in range(runs))


def test_the_checks_can_fail() -> None:
    """Each check catches its contradiction: a text that claims it in a state that
    says not (so a passing scan means something)."""
    values = {"foreign_deployed": False, "russia_committed": False, "violence": 0,
              "regime_control": 50, "protest_size": 50, "troops_withdrawn": False,
              "price_caps_restored": False, "shoot_to_kill_ordered": False,
              "nazarbayev_removed": False, "nazarbayev_power": 60, "mission_days": 9,
              "almaty_rising": False, "buildings_burned": False}
    samples = {
        "foreign troops are (or were) in the country": "The foreign troops are still here.",
        "Russian soldiers were there": "Your troops showed what they can do.",
        "people have died": "News of arrests and deaths travels by word of mouth.",
        "a massacre happened": "This is the bloodbath the article feared.",
        "the regime collapsed": "The system has collapsed in days.",
        "the crowds brought the regime down": "The crowds have outlasted the state.",
        "the protests go on": "You are still on the streets.",
        "the streets are empty": "The streets are empty, at a terrible price.",
        "the internet was cut": "Concessions, emergency powers, a blackout.",
        "the foreign troops have left": "The troops have gone home.",
        "fuel prices came down": "Lower prices and real changes.",
        "Almaty has risen": "From the west to the south and Almaty.",
    }
    assert set(samples) <= {claim for claim, *_ in CHECKS}
    fewer = {"the crowds brought the regime down": 20, "the protests go on": 5}
    for claim, pattern, false_now, _ in CHECKS:
        if claim in samples:
            state = {**values, "protest_size": fewer.get(claim, values["protest_size"])}
            sample = Told(samples[claim], state, {}, "test", ending=True)
            assert found(pattern, sample.text) and false_now(sample), claim
    wrong = Told("Kazakhstan restored order without foreign troops.",
                 {**values, "foreign_deployed": True}, {}, "test", ending=True)
    assert any(found(p, wrong.text) and f(wrong) for c, p, f, _ in CHECKS
               if c == "no foreign soldier came")


def test_100_games_read_true(kazakhstan: CompiledScenario) -> None:
    problems, endings = scan(kazakhstan, whole_games(kazakhstan, 100))
    assert len(endings) >= 4, endings  # the scan saw most endings, not one kind of game
    assert problems == [], "\n".join(problems[:30])


def test_lessons_read_true(kazakhstan: CompiledScenario) -> None:
    problems, endings = scan(kazakhstan, lessons(kazakhstan, 45))
    assert endings["lesson_over"] > 0, endings
    assert problems == [], "\n".join(problems[:30])


@pytest.mark.slow
def test_1000_games_read_true(kazakhstan: CompiledScenario) -> None:
    problems, endings = scan(kazakhstan, whole_games(kazakhstan, 1000))
    assert len(endings) == 7, endings
    assert problems == [], "\n".join(problems[:30])
