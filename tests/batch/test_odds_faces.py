"""The faces work out what decided a game with the batch engine (the same numbers):
`kazsim export`'s section and the debrief's worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from session.support import ai_session

from kazsim.batch import odds as batch
from kazsim.cli import main
from kazsim.engine.odds import what_decided
from kazsim.scenario import CompiledScenario
from kazsim.session.store import read_save
from kazsim.session.transcript import transcript


@pytest.fixture
def save_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh working directory; games are saved in ./saves (as tests/tui's)."""
    monkeypatch.chdir(tmp_path)
    return Path("saves")


def counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    played: list[int] = []
    real = batch.play_from

    def play_from(prepared: Any, states: Any, seeds: Any, *args: Any) -> Any:
        played.append(len(seeds))
        return real(prepared, states, seeds, *args)

    monkeypatch.setattr(batch, "play_from", play_from)
    return played


def test_the_export_plays_its_continuations_as_batches(
        tutorial: CompiledScenario, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    played = counting(monkeypatch)
    session = ai_session(tutorial, 3, tmp_path / "saves", name="Monday class")
    status = main(["export", str(session.path), "-o", "-", "--odds-runs", "30"])
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    decided = what_decided(session.game, 30)
    assert sum(played) == sum(p.runs for p in decided.odds.points) + sum(
        30 * (1 + len(t.otherwise)) // 2 for t in decided.turning_points)
    assert out == transcript(session.game, session.players, name="Monday class",
                             saved=read_save(session.path).updated, decided=decided)


async def test_the_debriefs_tab_plays_its_continuations_as_batches(
        save_dir: Path, tutorial: CompiledScenario, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.helpers import make_app, settle

    from kazsim.engine import play_ai_game
    from kazsim.tui.config import GameConfig, default_seats
    from kazsim.tui.screens.debrief import DebriefScreen
    from kazsim.tui.widgets.odds import DecidedPanel

    played = counting(monkeypatch)
    game = play_ai_game(tutorial, 3)
    app = make_app(save_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(DebriefScreen(GameConfig(3, default_seats(tutorial)), game))
        panel = app.screen.query_one(DecidedPanel)
        panel.runs = 20
        await pilot.press("5")
        await settle(pilot, lambda: panel.decided is not None, what="the odds")
        assert panel.decided == what_decided(game, 20)
    assert played and sum(played) >= sum(p.runs for p in panel.decided.odds.points)
