"""A teacher's kit in the terminal: the content warning once before play, the glossary
and the map one key away (and in the footer), and in the debrief."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Footer, TabbedContent

from kazsim.tui.screens.briefing import BriefingScreen
from kazsim.tui.screens.debrief import DebriefScreen
from kazsim.tui.screens.play import PlayScreen
from kazsim.tui.screens.reference import ReferenceScreen, WarningScreen
from kazsim.tui.screens.resolution import ResolutionScreen

from .helpers import deciding_view, make_app, past_the_warning, screen_text, settle, step_until


def footer_keys(app: object) -> list[str]:
    """The descriptions of the keys the footer of the current screen shows."""
    screen = app.screen  # type: ignore[attr-defined]
    screen.query_one(Footer)
    return [binding.description for (_, binding, enabled, _) in
            screen.active_bindings.values() if binding.show and enabled]


async def test_the_warning_comes_first_once_then_the_glossary_is_one_key_away(
        save_dir: Path) -> None:
    app = make_app(save_dir, scenario="kazakhstan-2022", roles=("government",), seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, WarningScreen))
        text = screen_text(app)
        assert "Before you play" in text and "Qandy Qantar" in text
        assert "Continue" in footer_keys(app)
        await pilot.press("enter")  # Enter goes on (the warning fits on one screen)
        await settle(pilot, lambda: isinstance(app.screen, BriefingScreen))
        await pilot.press("escape")
        await settle(pilot, lambda: deciding_view(app) is not None)
        assert "Glossary" in footer_keys(app)
        await pilot.press("g")
        await settle(pilot, lambda: isinstance(app.screen, ReferenceScreen))
        text = screen_text(app)
        for term in ("CSTO", "Article 4", "KNB", "Elbasy", "akimat", "Mazhilis", "LPG",
                     "tenge"):
            assert term in text
        assert app.screen.query_one(TabbedContent).active == "glossary"
        await pilot.press("m")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "map"
        assert app.focused is not None and app.focused.id == "map-page"  # arrows scroll it
        await pilot.press("escape")
        await settle(pilot, lambda: deciding_view(app) is not None)
        # a whole turn later the warning is not said again
        await step_until(pilot, lambda a: isinstance(a.screen, ResolutionScreen))
        await step_until(pilot, lambda a: deciding_view(a) is not None
                         and isinstance(a.screen, PlayScreen) and a.screen.game.turn == 2)
        assert not any(isinstance(s, WarningScreen) for s in app.screen_stack)


async def test_every_key_of_a_turn_fits_the_footer_at_80_columns(save_dir: Path) -> None:
    app = make_app(save_dir, scenario="kazakhstan-2022", roles=("government",), seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await step_until(pilot, lambda a: deciding_view(a) is not None)
        await pilot.pause()
        line = app.screen.query_one(Footer)
        shown = " ".join(str(w.render()) for w in line.query("*"))
        for key in ("Briefing", "Last turn", "Save", "Glossary", "Quit", "Help"):
            assert key in shown
        right = max(w.region.right for w in line.query("FooterKey"))
        assert right <= 80


async def test_a_scenario_without_a_kit_has_no_warning_and_no_glossary_key(
        save_dir: Path) -> None:
    app = make_app(save_dir, scenario="tutorial", roles=("council",), seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await step_until(pilot, lambda a: deciding_view(a) is not None)
        assert not any(isinstance(s, WarningScreen) for s in app.screen_stack)
        assert "Glossary" not in footer_keys(app)
        await pilot.press("g")
        await pilot.pause()
        assert deciding_view(app) is not None  # nothing opened


async def test_the_reference_reads_at_60_by_20(save_dir: Path) -> None:
    app = make_app(save_dir, scenario="kazakhstan-2022", roles=("government",), seed=3)
    async with app.run_test(size=(60, 20)) as pilot:
        await past_the_warning(pilot, app)
        await step_until(pilot, lambda a: deciding_view(a) is not None)
        await pilot.press("g")
        await settle(pilot, lambda: isinstance(app.screen, ReferenceScreen))
        await pilot.press("m")
        await pilot.pause()
        page = app.screen.query_one("#map-page")
        assert page.max_scroll_y > 0  # the map is longer than the screen: PgDn reads on
        await pilot.press("pagedown")
        await pilot.pause()
        assert page.scroll_y > 0


async def test_the_debrief_has_the_glossary_and_map_in_tab_7(save_dir: Path) -> None:
    app = make_app(save_dir, scenario="kazakhstan-2022", roles=("government",), seed=3,
                   turns=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await step_until(pilot, lambda a: isinstance(a.screen, DebriefScreen))
        await pilot.press("7")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "reference"
        text = screen_text(app)
        assert "Zhanaozen" in text and "Elbasy" in text and "Places: a text map" in text
