"""Small words of the story: 'an 8-turn lesson', and no '?.' after a headline."""

from __future__ import annotations

from pathlib import Path

from kazsim.engine import play_ai_game
from kazsim.scenario.load import load_file
from kazsim.story import a_lesson, news_lines

ROOT = Path(__file__).resolve().parents[1]


def test_a_or_an_before_the_lesson_length() -> None:
    assert a_lesson(3) == "a 3-turn lesson" and a_lesson(8) == "an 8-turn lesson"
    assert a_lesson(11) == "an 11-turn lesson" and a_lesson(18) == "an 18-turn lesson"
    assert a_lesson(80) == "an 80-turn lesson" and a_lesson(10) == "a 10-turn lesson"
    assert a_lesson(111) == "a 111-turn lesson" and a_lesson(1) == "a 1-turn lesson"


def test_a_headline_that_ends_in_a_question_mark_takes_no_full_stop() -> None:
    scenario = load_file(ROOT / "scenarios" / "kazakhstan-2022.yaml")
    asked = [e for e in scenario.model.events if e.title.rstrip().endswith("?")]
    assert asked, "the scenario has headlines that ask"
    seen = 0
    for seed in range(100):
        for record in play_ai_game(scenario, seed).records:
            for line in news_lines(record, scenario):
                assert "?." not in line and "!." not in line and ".." not in line, line
                seen += any(line.startswith(e.title + " ") for e in asked)
    assert seen
