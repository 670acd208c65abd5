"""Game setup: for each role a human (with a name) or the AI (at a level), the length
of the game, and the seed.

The length is the whole game or a lesson that stops after fewer turns (the
scenario's suggested lessons are listed first). The seed is random by default
and always shown, so a class can replay the same game: same seed and same
decisions, same story.
"""

from __future__ import annotations

import random

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Select, Static

from kazsim.scenario.compiled import CompiledScenario
from kazsim.tui.config import (
    GameConfig,
    Level,
    Seat,
    allowed,
    default_seats,
    lesson_lengths,
    random_seed,
)
from kazsim.tui.messages import StartGame
from kazsim.tui.screens.common import close
from kazsim.tui.widgets.title_bar import TitleBar

INTRO = ("Who plays each side? Choose Human for every side played at this keyboard; "
         "with several humans you take turns (hot seat). The computer plays the rest.")
SEED_HINT = ("The seed fixes every roll of chance: the same seed and the same choices "
             "give the same game. Write it down to replay this game with a class.")
LENGTH_HINT = ("A shorter game fits a class period: it stops after that turn and ends as "
               "the scenario says for a game cut short, with the full debrief.")
WHOLE = 0  # the length choice for the whole game (a Select value cannot be None)
CHOICES: list[tuple[str, str]] = [("Human", "human"), ("AI (easy)", "easy"),
                                  ("AI (hard)", "hard"), ("History", "history")]
HISTORY_HINT = ("History plays a side as the real actor did: its steps of this scenario's "
                "real timeline on their dates, where the game allows them, and the easy AI "
                "otherwise.")


class SetupScreen(Screen[None]):
    """Choose the players and the seed, then start."""

    AUTO_FOCUS = "Select"

    BINDINGS = [
        Binding("ctrl+s", "start", "Start", key_display="^s"),
        Binding("ctrl+n", "new_seed", "New seed", key_display="^n"),
        Binding("ctrl+l", "length", "Length", key_display="^l"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, scenario: CompiledScenario, *, seed: int | None = None,
                 level: Level = "easy", rng: random.Random | None = None,
                 turns: int | None = None) -> None:
        super().__init__()
        self.scenario = scenario
        self.lengths = [(label, n or WHOLE) for label, n in lesson_lengths(scenario)]
        self.turns = turns if turns is not None and turns < scenario.model.calendar.turns \
            else WHOLE
        self.rng = rng
        self.seed = seed if seed is not None else random_seed(rng)
        self.seats = default_seats(scenario, level=level)
        self.started = False
        self.title = f"New game: {scenario.model.title}"

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="setup", classes="page"):
            yield Static(INTRO, classes="hint")
            for seat in self.seats:
                human_ok, ai_ok = allowed(self.scenario, seat.role)
                choices = [(label, value) for label, value in CHOICES
                           if (value == "human" and human_ok)
                           or (value != "human" and ai_ok
                               and (value != "history" or self.has_history(seat.role)))]
                values = [value for _, value in choices]
                level = seat.level if seat.level in values else "easy"
                with Horizontal(classes="seat-row"):
                    yield Static(self.scenario.role(seat.role).model.name, classes="seat-name")
                    yield Select(choices, value="human" if seat.human else level,
                                 allow_blank=False, compact=True, id=f"who-{seat.role}",
                                 classes="seat-who")
                    yield Input(placeholder="player's name", compact=True, max_length=30,
                                id=f"name-{seat.role}", classes="seat-player",
                                disabled=not seat.human)
            with Horizontal(classes="seat-row"):
                yield Static("Seed", classes="seat-name")
                yield Input(str(self.seed), type="integer", max_length=9, compact=True,
                            id="seed", classes="seat-who")
                yield Button("New seed (^n)", id="new-seed", compact=True)
            yield Static(SEED_HINT, classes="hint")
            if any(self.has_history(s.role) for s in self.seats):
                yield Static(HISTORY_HINT, classes="hint")
            with Horizontal(classes="seat-row"):
                yield Static("Length", classes="seat-name")
                yield Select(self.lengths, value=self.turns, allow_blank=False, compact=True,
                             id="turns", classes="length-choice")
            yield Static(LENGTH_HINT, classes="hint")
            yield Button("Start the game (^s)", id="start", variant="primary")
        yield Footer()

    @on(Select.Changed)
    def _who_changed(self, event: Select.Changed) -> None:
        role = (event.select.id or "").removeprefix("who-")
        for name in self.query(f"#name-{role}").results(Input):
            name.disabled = event.value != "human"

    def has_history(self, role: str) -> bool:
        """Whether the real timeline names an action of `role` (so History can differ
        from the easy AI)."""
        return any(step.role == role and step.action for step in self.scenario.timeline)

    def config(self) -> GameConfig:
        seats = []
        for seat in self.seats:
            who = self.query_one(f"#who-{seat.role}", Select).value
            name = self.query_one(f"#name-{seat.role}", Input).value.strip()
            if who == "human":
                seats.append(Seat(seat.role, True, name))
            else:
                level: Level = ("hard" if who == "hard" else
                                "history" if who == "history" else "easy")
                seats.append(Seat(seat.role, False, "", level))
        text = self.query_one("#seed", Input).value.strip().lstrip("-")
        seed = int(text) if text.isdigit() else random_seed(self.rng)
        length = self.query_one("#turns", Select).value
        turns = length if isinstance(length, int) and length != WHOLE else None
        return GameConfig(seed, tuple(seats), turns)

    def action_start(self) -> None:
        # Once: a second Ctrl+S (or Enter) typed before the game appears starts nothing.
        if self.is_active and not self.started:
            self.started = True
            self.post_message(StartGame(self.scenario, self.config(), origin=self))

    def action_length(self) -> None:
        """Go to the game's length (below the seats, out of sight with many roles)."""
        choice = self.query_one("#turns", Select)
        choice.focus()
        choice.scroll_visible()

    def action_new_seed(self) -> None:
        self.query_one("#seed", Input).value = str(random_seed(self.rng))

    def action_back(self) -> None:
        close(self, None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "start":
            self.action_start()
        elif event.button.id == "new-seed":
            self.action_new_seed()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()
