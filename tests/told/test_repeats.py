"""News told once: an event that says again what it said the turn before is only named,
on one 'Still: ...' line (story.news_lines with `before`), everywhere the news is told."""

from __future__ import annotations

from pathlib import Path

from kazsim.engine import play_ai_game
from kazsim.scenario.load import load_file
from kazsim.session.model import ai
from kazsim.session.transcript import transcript
from kazsim.story import STILL, news_lines, repeated_events, turn_story

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def test_no_event_is_told_twice_running_in_the_same_words() -> None:
    # The tutorial's tired pickets repeat in the same words (the Kazakhstan scenario's
    # second edition tells its daily news once, with alternatives and drift).
    scenario = load_file(SCENARIOS / "tutorial.yaml")
    folded = 0
    for seed in range(1000):
        game = play_ai_game(scenario, seed)
        told_before: set[str] = set()
        for n, record in enumerate(game.records):
            before = game.records[n - 1] if n else None
            lines = news_lines(record, scenario, before=before)
            repeated = repeated_events(record, before)
            for k in repeated:  # folded: it fired the turn before with the same text
                item = record.news[k]
                assert before is not None and any(
                    b.kind == "event" and b.source == item.source and b.text == item.text
                    for b in before.news)
            still = [line for line in lines if line.startswith(f"{STILL}: ")]
            assert len(still) == (1 if repeated else 0)
            if repeated:
                folded += 1
                assert still[0] == lines[-1]
                for k in repeated:
                    assert record.news[k].title in still[0]
            for line in lines:  # nothing told whole that was told whole just before
                if not line.startswith(f"{STILL}: ") and line in told_before:
                    events = [i for i in record.news if i.kind == "event"
                              and f"{i.title}. {i.text}".strip() == line]
                    assert not events, (seed, record.turn, line)
            told_before = set(lines)
    assert folded > 30  # the rule is exercised


def test_an_event_with_an_outcome_this_turn_is_told_whole() -> None:
    scenario = load_file(SCENARIOS / "kazakhstan-2022.yaml")  # events with outcomes
    for seed in range(100):
        game = play_ai_game(scenario, seed)
        for n, record in enumerate(game.records[1:], start=1):
            with_outcome = {i.source for i in record.news if i.kind == "event_outcome"}
            for k in repeated_events(record, game.records[n - 1]):
                assert record.news[k].source not in with_outcome


def test_the_story_the_transcript_and_the_first_turn() -> None:
    scenario = load_file(SCENARIOS / "tutorial.yaml")
    game = next(g for g in (play_ai_game(scenario, s) for s in range(500))
                if any(repeated_events(r, g.records[n - 1])
                       for n, r in enumerate(g.records) if n))
    first = game.records[0]
    assert repeated_events(first, None) == set()
    assert f"{STILL}:" not in turn_story(scenario, first)
    stories = [turn_story(scenario, r, before=game.records[n - 1] if n else None)
               for n, r in enumerate(game.records)]
    assert any(f"• {STILL}: " in s for s in stories)
    written = transcript(game, {r: ai() for r in scenario.role_ids})
    assert f"- {STILL}: " in written
    # Without the turn before, every line is told whole (a turn read on its own).
    assert all(f"{STILL}:" not in turn_story(scenario, r) for r in game.records)


def test_the_terminal_news_feed_and_turn_story_name_the_repeats() -> None:
    from rich.console import Console

    from kazsim.tui.render import story_text
    from kazsim.tui.view import TurnView
    from kazsim.tui.widgets.news import news_text

    scenario = load_file(SCENARIOS / "tutorial.yaml")
    game = next(g for g in (play_ai_game(scenario, s) for s in range(500))
                if any(repeated_events(r, g.records[n - 1])
                       for n, r in enumerate(g.records) if n))
    view = TurnView(scenario, (), tuple(game.states), tuple(game.records))
    console = Console(width=78, color_system=None, record=True)
    console.print(news_text(view))
    feed = console.export_text()
    n = next(k for k, r in enumerate(game.records) if k and repeated_events(r, game.records[k - 1]))
    console.print(story_text(view, game.records[n]))
    story = console.export_text()
    assert f"{STILL}: " in feed and f"{STILL}: " in story
    assert view.record_before(game.records[0]) is None
    assert view.record_before(game.records[n]) is game.records[n - 1]


def test_an_event_whose_chosen_alternative_is_empty_tells_nothing(tmp_path: Path) -> None:
    """The tutorial's tired pickets, told only while the strike is large: below that the
    empty alternative is chosen and no line (not even the title) is told."""
    text = (SCENARIOS / "tutorial.yaml").read_text(encoding="utf-8")
    old = "    text: Some strikers, out of money, drift back to work.\n"
    assert old in text
    quiet = tmp_path / "quiet.yaml"
    quiet.write_text(text.replace(old, (
        "    text:\n"
        "      - when: \"strike_size > 70\"\n"
        "        text: Some strikers, out of money, drift back to work.\n"
        "      - text: \"\"\n")), encoding="utf-8")
    scenario = load_file(quiet)
    told = silent = 0
    for seed in range(300):
        for record in play_ai_game(scenario, seed).records:
            for item in record.news:
                if item.kind != "event" or item.source != "tired_pickets":
                    continue
                lines = news_lines(record, scenario)
                if item.text:
                    told += 1
                    assert any("Tired pickets. Some strikers" in line for line in lines)
                else:
                    silent += 1
                    assert not any("Tired pickets" in line for line in lines)
    assert told and silent, (told, silent)
