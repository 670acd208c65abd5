"""The Textual app: which screen comes when, loading in workers, app-wide keys.

Screens do the showing; the app moves between them (title -> setup -> play ->
debrief, load game, replay) and loads scenarios and saves in worker threads
so the interface never waits on pydantic or the disk. Only Textual and the
title screen are imported before the first frame.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import get_current_worker

from kazsim.tui import escape
from kazsim.tui.messages import JoinTable, OpenSave, OpenScenario, StartGame
from kazsim.tui.screens.title import TitleScreen
from kazsim.tui.warm import warm_up

if TYPE_CHECKING:
    from kazsim.scenario.compiled import CompiledScenario
    from kazsim.session.replay import LoadedSession
    from kazsim.tui.config import GameConfig, Level
    from kazsim.tui.saving import Saver
    from kazsim.tui.table import RemoteSeat


MIN_SIZE = Size(40, 10)  # columns, lines: below this, every screen shows TOO_SMALL instead
TOO_SMALL = f"Make the window larger (at least {MIN_SIZE.width} × {MIN_SIZE.height})."


@dataclass(frozen=True)
class LaunchRequest:
    """What the command line asked for (see `kazsim.tui.launch.run_tui`)."""

    save_dir: Path
    scenario: str | None = None
    roles: tuple[str, ...] = ()
    seed: int | None = None
    level: Level = "easy"
    load: str | None = None
    replay: str | None = None
    turns: int | None = None  # a lesson (`kazsim play --turns N`)
    clock: Callable[[], dt.datetime] | None = field(default=None, compare=False)
    seat: RemoteSeat | None = field(default=None, compare=False)  # `kazsim join URL CODE`


class KazsimApp(App[None]):
    """kazsim in the terminal."""

    CSS_PATH = "app.tcss"
    TITLE = "kazsim"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", key_display="^q", priority=True),
        Binding("f1,question_mark", "help", "Help", key_display="?"),
    ]

    def __init__(self, request: LaunchRequest, *, rng: random.Random | None = None) -> None:
        super().__init__()
        self.request = request
        self.rng = rng  # for seeds drawn by the setup screen (tests pin it)
        self.problem = ""  # a launch problem, printed by run_tui after the app closes
        self.focus_before: weakref.WeakKeyDictionary[Screen[Any], Widget] = (
            weakref.WeakKeyDictionary())  # while the terminal is too small (see `fit`)
        if os.environ.get("NO_COLOR"):
            self.add_class("-monochrome")  # see app.tcss: shapes and reverse video, not colour
        escape.install()  # a file's control characters are shown escaped, never sent raw

    # --- where it starts ------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        """The bottom of the screen stack: the title, or while a launch loads, the loading
        screen (lighter: no scenario list to read); "new game" returns to the title."""
        request = self.request
        what = request.replay or request.load or request.scenario
        if request.seat is not None and request.seat.code is None:
            from kazsim.tui.screens.join import JoinScreen

            return JoinScreen(request.seat)  # `kazsim join URL`: asks for the code
        if request.seat is not None:
            from kazsim.tui.screens.loading import LoadingScreen

            return LoadingScreen("the host")
        if not what:
            return TitleScreen()
        from kazsim.tui.screens.loading import LoadingScreen

        return LoadingScreen(Path(what).name)

    def on_mount(self) -> None:
        self.screen_change_signal.subscribe(self, lambda screen: self.fit(screen, self.size))
        self.fit(self.screen, self.size)
        request = self.request
        if request.seat is not None:
            if request.seat.code is not None:
                self.open_seat(request.seat)
        elif request.replay:
            self.load_save(request.replay, replay=True, launch=True)
        elif request.load:
            self.load_save(request.load, replay=False, launch=True)
        elif request.scenario:
            self.load_scenario(request.scenario, launch=True)

    def fail(self, message: str, *, launch: bool, title: str = "Cannot open it") -> None:
        """A problem: at launch, quit and print it; from a menu, show it in a box."""
        if launch:
            self.problem = message
            self.exit(return_code=1)
            return
        from kazsim.tui.screens.message import MessageScreen

        self.push_screen(MessageScreen(title, message))

    # --- tiny terminals ------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        for screen in self.screen_stack:
            self.fit(screen, event.size)

    def fit(self, screen: Screen[Any], size: Size) -> None:
        """Below MIN_SIZE a screen shows only the TOO_SMALL note (app.tcss: `-cramped`); the
        note is added to a screen the first time it is needed, and the game goes on."""
        cramped = size.width < MIN_SIZE.width or size.height < MIN_SIZE.height
        was = screen.has_class("-cramped")
        screen.set_class(cramped, "-cramped")
        if cramped and not was and screen.focused is not None:
            self.focus_before[screen] = screen.focused
        elif was and not cramped:  # hidden widgets lost the focus: give it back
            widget = self.focus_before.pop(screen, None)
            if widget is not None:
                screen.call_after_refresh(self.refocus, screen, widget)
        if cramped and screen.is_attached and not screen.query("#too-small"):
            screen.mount(Static(TOO_SMALL, id="too-small", markup=False))

    # --- in a browser ---------------------------------------------------------------------

    def watch_app_focus(self, focus: bool) -> None:
        """Textual's web driver (a browser tab of `kazsim host --web`) starts the app
        blurred, so the first screen cannot take its AUTO_FOCUS and Textual has nothing to
        give the focus back to: when the app gets the focus (the page's, or a first key),
        a screen with nothing focused takes it now, and arrows and Enter work at once."""
        if focus and self.screen_stack:
            self.auto_focus(self.screen)

    @property
    def one_seat(self) -> bool:
        """A browser tab of `kazsim host --web`: it plays its seat at the class and nothing
        else (no local games, no saves: the process runs on the teacher's computer)."""
        return self.request.seat is not None and self.is_web

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in ("new_game", "load_game") and self.one_seat)

    def auto_focus(self, screen: Screen[Any]) -> None:
        selector = screen.AUTO_FOCUS if screen.AUTO_FOCUS is not None else self.AUTO_FOCUS
        if screen.focused is not None or not selector:
            return
        for widget in screen.query(selector):
            if widget.focusable:
                screen.set_focus(widget)
                return

    @staticmethod
    def refocus(screen: Screen[Any], widget: Widget) -> None:
        if widget.is_attached and screen.focused is None:
            screen.set_focus(widget)

    # --- scenarios ------------------------------------------------------------------------

    @on(OpenScenario)
    def _open_scenario(self, message: OpenScenario) -> None:
        self.load_scenario(message.path, launch=False)

    @work(thread=True, exclusive=True, group="load")
    def load_scenario(self, name: str, *, launch: bool) -> None:
        from kazsim.tui.loading import compile_scenario

        compiled, problem = compile_scenario(name)
        straight_in = launch and bool(self.request.roles)
        warm_up(setup=not straight_in)
        if get_current_worker().is_cancelled:
            return  # another scenario was chosen meanwhile
        if launch and compiled is not None and self.request.turns is not None and (
                lesson := compiled.lesson_problem(self.request.turns)):
            self.call_from_thread(self.fail, f"--turns: {lesson}", launch=True)
        elif compiled is None:
            self.call_from_thread(self.fail, problem, launch=launch,
                                  title="This scenario has problems")
        elif straight_in:
            self.start_from_command_line(compiled)
        else:
            self.call_from_thread(self.scenario_ready, compiled, launch)

    def start_from_command_line(self, scenario: CompiledScenario) -> None:
        """`kazsim play SCENARIO --role R...`: straight into the game (in the worker thread,
        save file included, so the UI thread only has to show it)."""
        from kazsim.tui.config import GameConfig, SetupError, default_seats, random_seed
        from kazsim.tui.saving import start

        request = self.request
        try:
            seats = default_seats(scenario, request.roles, request.level)
        except SetupError as exc:
            self.call_from_thread(self.fail, str(exc), launch=True)
            return
        seed = request.seed if request.seed is not None else random_seed(self.rng)
        config = GameConfig(seed, seats, request.turns)
        saver = start(scenario, config, request.save_dir, self.clock())
        self.call_from_thread(self.play, scenario, config, saver)

    def scenario_ready(self, scenario: CompiledScenario, launch: bool) -> None:
        from kazsim.tui.screens.setup import SetupScreen

        request = self.request
        setup = SetupScreen(scenario, seed=request.seed if launch else None,
                            level=request.level, rng=self.rng,
                            turns=request.turns if launch else None)
        if launch:
            self.push_screen(TitleScreen())  # so that Esc in the setup leads to the title
        self.push_screen(setup)

    @on(StartGame)
    def _start(self, message: StartGame) -> None:
        self.start_game(message.scenario, message.config, instead_of=message.origin)

    def start_game(self, scenario: CompiledScenario, config: GameConfig, *,
                   instead_of: object = None) -> None:
        from kazsim.tui.saving import start

        saver = start(scenario, config, self.request.save_dir, self.clock())
        self.play(scenario, config, saver, instead_of=instead_of)

    def play(self, scenario: CompiledScenario, config: GameConfig, saver: Saver | None, *,
             instead_of: object = None) -> None:
        """Show the game in place of `instead_of` (the setup or loading screen) or the top."""
        from kazsim.tui.screens.play import PlayScreen

        if instead_of in self.screen_stack:
            while self.screen_stack[-1] is not instead_of:
                self.pop_screen()  # e.g. the help, opened while the game was being set up
        self.replace_top(PlayScreen(scenario, config, saver=saver))

    def replace_top(self, screen: Screen[Any]) -> None:
        """Put `screen` in place of the top one; the bottom screen stays (Textual cannot
        switch it), so over the loading screen of a launch the new one is pushed."""
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def clock(self) -> Callable[[], dt.datetime]:
        from kazsim.session.clock import utc_now

        return self.request.clock or utc_now

    # --- a seat at a table on a host (kazsim join) ------------------------------------------

    @on(JoinTable)
    def _join_table(self, message: JoinTable) -> None:
        self.open_seat(message.seat, launch=False)

    @work(exclusive=True, group="load")
    async def open_seat(self, seat: RemoteSeat, *, launch: bool = True) -> None:
        """Connect to the host (its client lives in this app's event loop) and play; from
        the join screen (not `launch`), a problem is shown there in a box."""
        opened = await seat.open(self)
        if isinstance(opened, str):
            self.fail(opened, launch=launch, title="Cannot join")
            return
        from kazsim.tui.screens.play import PlayScreen
        from kazsim.tui.table import remote_config

        scenario, role, table = opened
        self.replace_top(PlayScreen(scenario, remote_config(scenario, role, seat.name),
                                    table=table))

    async def on_unmount(self) -> None:
        if self.request.seat is not None:  # its connection closes while the loop runs
            await self.request.seat.close()

    # --- saves ----------------------------------------------------------------------------

    @on(OpenSave)
    def _open_save(self, message: OpenSave) -> None:
        self.load_save(message.path, replay=message.replay, launch=False)

    @work(thread=True, exclusive=True, group="load")
    def load_save(self, path: str, *, replay: bool, launch: bool) -> None:
        from kazsim.tui.saving import load

        scenario = None
        if launch and self.request.scenario:  # `replay FILE --scenario S`, `play S --load FILE`
            from kazsim.tui.loading import compile_scenario

            scenario, problem = compile_scenario(self.request.scenario)
            if scenario is None:
                self.call_from_thread(self.fail, problem, launch=True)
                return
        loaded, problem = load(path, scenario=scenario)
        warm_up()
        if get_current_worker().is_cancelled:
            return
        if loaded is None:
            self.call_from_thread(self.fail, problem, launch=launch,
                                  title="This save cannot be loaded")
        else:
            self.call_from_thread(self.save_ready, loaded, replay, launch)

    def save_ready(self, loaded: LoadedSession, replay: bool, launch: bool) -> None:
        from kazsim.tui.saving import config_of

        config = config_of(loaded.save.seed, loaded.save.players, loaded.scenario.role_ids,
                           loaded.game.turn_limit)
        if replay or loaded.game.over:
            from kazsim.tui.screens.replay import ReplayScreen

            name = loaded.save.name or loaded.path.stem
            if launch:
                self.push_screen(TitleScreen())  # Esc in the viewer leads to the title
            self.push_screen(ReplayScreen(loaded.game, config, name))
            if loaded.changed:
                self.notify(loaded.notice(), title="The scenario has changed",
                            severity="warning", timeout=15)
            return
        if loaded.changed:
            from kazsim.tui.screens.confirm import ConfirmScreen

            if not loaded.can_continue:
                self.fail(loaded.notice(), launch=launch, title="This save cannot go on")
                return
            self.push_screen(ConfirmScreen("The scenario has changed since this save",
                                           loaded.notice() + "\n\nContinue on the new version?",
                                           yes="Continue", no="Back"),
                             lambda yes: self.resume(loaded, config) if yes else None)
            return
        self.resume(loaded, config)

    def resume(self, loaded: LoadedSession, config: GameConfig) -> None:
        from kazsim.tui.saving import resume

        saver, problem = resume(loaded, self.clock())
        if saver is None:
            self.fail(problem, launch=False, title="This save cannot go on")
            return
        self.play(saver.game.scenario, config, saver)

    # --- app-wide actions -----------------------------------------------------------------

    def action_help(self) -> None:
        from kazsim.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        from kazsim.tui.screens.confirm import QuitScreen

        if isinstance(self.screen, QuitScreen):
            self.exit()
            return
        self.push_screen(QuitScreen(self.quit_note()), lambda yes: self.exit() if yes else None)

    def quit_note(self) -> str:
        saver = getattr(self.screen_stack[-1], "saver", None) or next(
            (s.saver for s in reversed(self.screen_stack) if getattr(s, "saver", None)), None)
        if saver is None:
            return "Nothing is lost: no game is in progress."
        if saver.path is None:
            return "This game has no save file: it is lost when you quit."
        from kazsim.tui.saving import shown

        return (f"The game is saved after every turn, in {shown(saver.path)}. Choices made in "
                "this turn are not saved yet. Load it again from the title screen.")

    def action_command_palette(self) -> None:
        # Help or Quit can open over the palette; a second palette would clash with it.
        if self.use_command_palette and not any(
                isinstance(screen, CommandPalette) for screen in self.screen_stack):
            from kazsim.tui.widgets.palette import Palette

            self.push_screen(Palette(id="--command-palette"))

    def action_load_game(self) -> None:
        from kazsim.tui.screens.load_game import LoadGameScreen

        self.push_screen(LoadGameScreen(self.request.save_dir))

    def action_new_game(self) -> None:
        """Back to the title screen (asking first if a game is in progress)."""
        from kazsim.tui.screens.play import PlayScreen

        playing = any(isinstance(s, PlayScreen) and not s.game.over for s in self.screen_stack)
        if not playing:
            self.go_home()
            return
        from kazsim.tui.screens.confirm import ConfirmScreen

        self.push_screen(ConfirmScreen("Leave this game?", self.quit_note(), yes="Leave",
                                       no="Stay"),
                         lambda yes: self.go_home() if yes else None)

    def go_home(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        if not isinstance(self.screen_stack[0], TitleScreen):
            self.push_screen(TitleScreen())  # launched straight into a game: no title below

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield SystemCommand("Help", "How to play, and every key", self.action_help)
        if not self.one_seat:
            yield SystemCommand("New game", "Back to the title screen to choose a scenario",
                                self.action_new_game)
            yield SystemCommand("Load game", "Resume or replay a saved game",
                                self.action_load_game)
        if getattr(screen, "saver", None) is not None and hasattr(screen, "action_save"):
            yield SystemCommand("Save game", "Save this game under a name", screen.action_save)
        yield from super().get_system_commands(screen)
