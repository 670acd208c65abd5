"""Turn lengths beyond the five fixed words (issue 12): a fortnight, and a number of days
with a label the author writes. The calendar's arithmetic (kazsim.scenario.calendar)
and every place the length is shown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kazsim.engine import Game
from kazsim.scenario.calendar import turn_date, turn_moment, turn_of, turn_span
from kazsim.scenario.load import load_text
from kazsim.scenario.model import Calendar, TurnSpan
from kazsim.tui.render import briefing_text
from kazsim.tui.view import TurnView
from tests.docs.guide import blocks, final_stage, merge

ROOT = Path(__file__).resolve().parents[2]
BASE = (ROOT / "tests" / "corpus" / "variants" / "base.yaml").read_text(encoding="utf-8")
START = dt.date(2022, 1, 2)


def calendar(length: str | TurnSpan, turns: int = 6) -> Calendar:
    return Calendar(start=START, turn_length=length, turns=turns)  # type: ignore[arg-type]


def test_a_fortnight_is_fourteen_days_and_shown_by_its_first_day() -> None:
    c = calendar("fortnight")
    assert turn_moment(c, 3) == dt.datetime(2022, 1, 30)
    assert turn_date(c, 2) == "Sunday 16 January 2022"
    assert turn_of(c, dt.date(2022, 1, 15)) == 1 and turn_of(c, dt.date(2022, 1, 16)) == 2
    assert turn_of(c, dt.date(2022, 3, 27)) is None  # the day turn 7 would begin
    assert turn_span(c) == "a fortnight"


def test_a_span_of_days_counts_its_days_and_says_its_label() -> None:
    c = calendar(TurnSpan(days=3, label="three days"))
    assert [turn_date(c, t) for t in (1, 2, 3)] == [
        "Sunday 2 January 2022", "Wednesday 5 January 2022", "Saturday 8 January 2022"]
    assert turn_of(c, dt.date(2022, 1, 4)) == 1 and turn_of(c, dt.date(2022, 1, 5)) == 2
    assert turn_of(c, dt.date(2022, 1, 20)) is None  # after turn 6's three days
    assert turn_span(c) == "three days"


@pytest.mark.parametrize(("length", "span", "second"), [
    ("hour", "a hour", "Sunday 2 January 2022, 01:00"),
    ("half_day", "a half-day", "Sunday 2 January 2022, evening"),
    ("day", "a day", "Monday 3 January 2022"),
    ("week", "a week", "week of 9 January 2022"),
    ("month", "a month", "February 2022"),
])
def test_the_five_words_read_as_before(length: str, span: str, second: str) -> None:
    assert turn_date(calendar(length), 2) == second
    assert turn_span(calendar(length)) == span


def test_the_briefing_says_the_label_after_each() -> None:
    text = BASE.replace("  turns: 4", "  turns: 4\n  turn_length: {days: 3, label: three days}")
    scenario, problems = load_text(text, "base.yaml")
    assert scenario is not None and problems == [], [str(p) for p in problems]
    game = Game(scenario, 1)
    view = TurnView(scenario, ("government",), (game.state,), ())
    from rich.console import Console

    console = Console(width=200, record=True, color_system=None)
    console.print(briefing_text(view, "government"))
    assert "4 turns, each three days, from Sunday 2 January 2022" in console.export_text()
    game.play({"government": "wait", "crowd": "march"})
    assert game.records[-1].turn == 1 and turn_date(scenario.model.calendar, 2) == (
        "Wednesday 5 January 2022")


def test_a_span_that_runs_past_the_last_date_says_so_in_its_words() -> None:
    text = BASE.replace("  turns: 4", "  turns: 4\n  turn_length: {days: 300, label: "
                        "three hundred days}").replace("2022-01-02", "9998-01-02")
    assert "2022-01-02" not in text
    scenario, problems = load_text(text, "base.yaml")
    assert scenario is None
    assert [p.message for p in problems] == [
        "with 4 turns of three hundred days each from 9998-01-02, the game runs past 31 "
        "December 9999, the last date kazsim can show"]


def test_the_guides_turn_lengths_load_and_play() -> None:
    found = [b for b in blocks() if b.tag == "fragment" and "turn_length:" in b.text
             and ("fortnight" in b.text or "label:" in b.text)]
    assert len(found) == 2
    for block in found:
        import yaml

        data = merge(final_stage().data(), yaml.safe_load(block.text))
        scenario, problems = load_text(yaml.safe_dump(data, sort_keys=False), "guide.yaml")
        assert scenario is not None and problems == [], [str(p) for p in problems]
        assert turn_moment(scenario.model.calendar, 2) is not None
        if "label:" in block.text:  # what the guide says the briefing reads
            view = TurnView(scenario, ("governor",), (Game(scenario, 1).state,), ())
            from rich.console import Console

            console = Console(width=200, record=True, color_system=None)
            console.print(briefing_text(view, "governor"))
            assert "7 turns, each three days, from Monday 6 July 2026" in (
                console.export_text())


def test_a_span_round_trips_through_plain_data() -> None:
    import json

    from kazsim.plain import from_plain, to_plain
    from kazsim.scenario.model import Scenario

    for length in ("fortnight", "{days: 3, label: three days}"):
        scenario, _ = load_text(BASE.replace("  turns: 4", f"  turns: 4\n  turn_length: {length}"),
                                "base.yaml")
        assert scenario is not None
        back = from_plain(Scenario, json.loads(json.dumps(to_plain(scenario.model))))
        assert back == scenario.model and repr(back) == repr(scenario.model)
