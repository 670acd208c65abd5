"""The teacher's dashboard: `kazsim host SCENARIO` without --headless.

One Textual screen over the running server (both in the app's event loop): every
table's code, turn, who has joined, how many of its people have decided (never
what), how long the turn has been open, and whether it is paused or over; below,
the seats of the table under the cursor. Keys (all in the footer): p pauses or
resumes the table, P every table; n nudges the seat under the cursor (from the
tables: every seat of the table that has not decided) with a gentle "the class is
waiting for you"; a gives the seat under the cursor to the AI (freeing it for
whoever joins next), h gives it back to a person; e ends every table after turn N
(asked for): each table's game becomes a lesson of N turns, with its ending and
debrief (`Classroom.set_end_at`). When every table is over, and on quit, the class
report is written next to the class file (`ClassServer.stop`), and the host says
where.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Static

from kazsim.classroom.host import Classroom, Table
from kazsim.classroom.server import ClassServer, url_for
from kazsim.classroom.web import WebServer, http_url
from kazsim.story import a_lesson


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def table_state(room: Classroom, table: Table) -> str:
    if table.game.over:
        return f"over: {table.game.state.ending}"
    if room.stopped(table):
        return f"ended after turn {len(table.game.records)}"
    return "paused" if table.paused else "playing"


def table_row(room: Classroom, table: Table, now: float) -> tuple[str, ...]:
    seats = table.seats.values()
    people = [s for s in seats if s.human]
    joined = sum(1 for s in people if s.token_hash is not None)
    online = sum(1 for s in seats if s.connected)
    decided = sum(1 for s in people if s.role in table.pending)
    finished = room.finished(table)
    return (str(table.n), table.code, f"{table.turn if not finished else '—'}"
            f"/{table.game.last_turn}", f"{joined}/{len(people)} ({online} online)",
            f"{decided}/{len(people)}", "—" if finished else _clock(now - table.opened),
            table_state(room, table))


def seat_row(room: Classroom, table: Table, role: str) -> tuple[str, ...]:
    seat = table.seats[role]
    if not seat.human:
        who = f"AI ({room.level})"
    elif seat.token_hash is None:
        who = "waiting for a person"
    else:
        who = seat.name or "a person"
    decided = "yes" if role in table.pending else ("—" if not seat.human else "no")
    return (room.scenario.role(role).model.name, who, "online" if seat.connected else "",
            decided)


class EndAtScreen(ModalScreen[int | None]):
    """Ask for the lesson's last turn."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, last_turn: int) -> None:
        super().__init__()
        self.last_turn = last_turn

    def compose(self) -> ComposeResult:
        with Vertical(id="end-at"):
            yield Static(f"End every table after turn (1–{self.last_turn}; empty: play to "
                         "the end), then Enter:")
            yield Input(id="end-at-turn", type="integer")
        yield Footer()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.dismiss(0)
            return
        turn = int(text)
        if 1 <= turn <= self.last_turn:
            self.dismiss(turn)
        else:
            self.notify(f"A turn from 1 to {self.last_turn}.", severity="error")

    def action_cancel(self) -> None:
        self.dismiss(None)


class Dashboard(App[int]):
    """Every table of the class, live."""

    CSS_PATH = "dashboard.tcss"
    TITLE = "kazsim host"
    BINDINGS = [
        Binding("p", "pause", "Pause", tooltip="Pause or resume the table"),
        Binding("P", "pause_all", "Pause all", key_display="P",
                tooltip="Pause or resume every table"),
        Binding("n", "nudge", "Nudge", tooltip="Remind the seats still deciding"),
        Binding("a", "seat('ai')", "To AI", tooltip="Give the seat to the AI"),
        Binding("h", "seat('person')", "To person", tooltip="Give the seat back to a person"),
        Binding("e", "end_at", "End at N", tooltip="End every table after turn N"),
        Binding("tab", "focus_next", "Tables/seats", show=False),
        Binding("ctrl+q", "quit", "Quit", key_display="^q", priority=True),
    ]

    def __init__(self, room: Classroom, bind: str, port: int,
                 web_port: int | None = None) -> None:
        super().__init__()
        self.web_port = web_port  # also serve the game to browsers there (kazsim.classroom.web)
        self.web: WebServer | None = None
        self.room = room
        self.bind_address = bind
        self.port = port
        self.server = ClassServer(room, on_change=self.refresh_tables, on_report=self.reported)
        self.problem = ""
        self.reports: list[str] = []  # where the class report went (printed on exit too)

    def compose(self) -> ComposeResult:
        yield Static(id="heading", markup=False)
        yield DataTable(id="tables", cursor_type="row", zebra_stripes=True)
        yield Static("Seats of the table under the cursor", id="seats-title")
        yield DataTable(id="seats", cursor_type="row")
        yield Footer(compact=True)  # every key fits in 80 columns

    async def on_mount(self) -> None:
        tables = self.query_one("#tables", DataTable)
        tables.add_columns("Table", "Code", "Turn", "Joined", "Decided", "Open for", "State")
        self.query_one("#seats", DataTable).add_columns("Role", "Played by", "", "Decided")
        try:
            self.port = await self.server.start(self.bind_address, self.port)
        except OSError as exc:
            self.problem = f"cannot listen on {self.bind_address}:{self.port}: {exc.strerror}"
            self.exit(1)
            return
        url = url_for(self.bind_address, self.port)
        browsers = ""
        if self.web_port is not None:
            from kazsim.classroom.run import start_web

            started = await start_web(self.room, self.bind_address, self.port, self.web_port)
            if isinstance(started, str):
                self.problem = started
                self.exit(1)
                return
            self.web = started
            browsers = f" · browsers: {http_url(self.bind_address, started.port)}"
        local = self.bind_address in ("127.0.0.1", "localhost", "::1")
        note = ("only this computer can join: start with --bind 0.0.0.0 to open the class to "
                "the room" if local else "students use this computer's address")
        self.query_one("#heading", Static).update(
            f"{self.room.scenario.model.title} · students: kazsim join {url} CODE{browsers} · "
            f"{note}")
        self.refresh_tables()
        self.set_interval(1.0, self.refresh_tables)
        tables.focus()

    async def on_unmount(self) -> None:
        if self.web is not None:
            await self.web.stop()
        # The report on quit is written once the screen is given back (`finish`), where
        # the teacher can read that it is being written.
        await self.server.stop(report=False)

    def reported(self, text: str) -> None:
        self.reports.append(text)
        if self.is_running:
            self.notify(text, title="Class report", timeout=20)

    # --- showing ------------------------------------------------------------------------

    def refresh_tables(self) -> None:
        if not self.is_running:
            return
        now = time.monotonic()
        tables = self.query_one("#tables", DataTable)
        row = tables.cursor_row
        tables.clear()
        for table in self.room.tables.values():
            tables.add_row(*table_row(self.room, table, now), key=str(table.n))
        if self.room.tables:
            tables.move_cursor(row=min(max(row, 0), len(self.room.tables) - 1))
        self.refresh_seats()

    def refresh_seats(self) -> None:
        table = self.current()
        seats = self.query_one("#seats", DataTable)
        row = seats.cursor_row
        seats.clear()
        if table is None:
            return
        for role in table.seats:
            seats.add_row(*seat_row(self.room, table, role), key=role)
        seats.move_cursor(row=min(max(row, 0), len(table.seats) - 1))

    @on(DataTable.RowHighlighted, "#tables")
    def _table_moved(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_seats()

    def current(self) -> Table | None:
        tables = self.query_one("#tables", DataTable)
        if not self.room.tables or tables.cursor_row < 0:
            return None
        return list(self.room.tables.values())[min(tables.cursor_row,
                                                   len(self.room.tables) - 1)]

    # --- the teacher's actions ----------------------------------------------------------

    async def action_pause(self) -> None:
        table = self.current()
        if table is not None:
            await self.server.changed(table, lambda: self._pause(table, not table.paused))

    async def action_pause_all(self) -> None:
        pause = not all(t.paused for t in self.room.tables.values())
        for table in self.room.tables.values():
            await self.server.changed(table, self._pauser(table, pause))

    def _pauser(self, table: Table, paused: bool) -> Callable[[], None]:
        return lambda: self._pause(table, paused)

    def _pause(self, table: Table, paused: bool) -> None:
        self.room.set_paused(table.n, paused)

    async def action_nudge(self) -> None:
        table = self.current()
        if table is None:
            return
        seats = self.query_one("#seats", DataTable)
        role = None
        if seats.has_focus and 0 <= seats.cursor_row < len(table.seats):
            role = list(table.seats)[seats.cursor_row]
        reached = await self.server.nudge(table, role)
        names = [self.room.scenario.role(r).model.name for r in reached]
        if names:
            self.notify(f"Table {table.n}: nudged {', '.join(names)}.")
        else:
            self.notify(f"Table {table.n}: nobody to nudge (a nudge reaches a person online "
                        "who has not decided this turn).", severity="warning")

    async def action_seat(self, to: str) -> None:
        table = self.current()
        seats = self.query_one("#seats", DataTable)
        if table is None or seats.cursor_row < 0:
            return
        role = list(table.seats)[seats.cursor_row]
        try:
            await self.server.changed(table, lambda: self._seat(table, role, to == "person"))
        except ValueError as exc:
            self.notify(str(exc), severity="error")

    def _seat(self, table: Table, role: str, person: bool) -> None:
        self.room.set_person(table.n, role, person)

    def action_end_at(self) -> None:
        def chosen(turn: int | None) -> None:
            if turn is None:
                return
            failed = self.room.set_end_at(turn or None)
            for table in self.room.tables.values():
                self.run_worker(self.server.broadcast(table))
            self.notify(f"Every table ends after turn {turn} (a table already there: after "
                        "the turn it is playing), with its ending and debrief." if turn
                        else "Every table plays to its end.")
            if failed:
                self.notify(f"Table{'s' * (len(failed) > 1)} "
                            f"{', '.join(str(t.n) for t in failed)}: this scenario's turns "
                            f"so far would play differently as {a_lesson(turn)}, so the "
                            f"host stops {'them' if len(failed) > 1 else 'it'} after turn "
                            f"{turn}, without an ending.", severity="warning", timeout=20)
            self.server.report_if_over()
            self.refresh_tables()

        self.push_screen(EndAtScreen(self.room.scenario.last_turn), chosen)


def run_dashboard(room: Classroom, bind: str, port: int, *, web_port: int | None = None) -> int:
    import sys

    from kazsim.untrusted import printable_line

    if not sys.stdout.isatty() or not sys.stdin.isatty():
        print("kazsim: the dashboard needs a terminal; use --headless", file=sys.stderr)
        return 2
    app = Dashboard(room, bind, port, web_port)
    app.run()
    if app.problem:
        print(f"kazsim: {printable_line(app.problem)}", file=sys.stderr)
        return 1
    finish(app, room)
    return 0


def finish(app: Dashboard, room: Classroom) -> None:
    """After the dashboard: each table's state, then the class report (said where)."""
    import sys

    from kazsim.untrusted import printable_line

    def say(text: str) -> None:
        print(f"kazsim: {printable_line(text)}", file=sys.stderr, flush=True)

    for table in room.tables.values():
        print(f"table {table.n}: {table.code} — {table_state(room, table)}")
    for text in app.reports:  # a report that failed while the dashboard was open
        if text.startswith("cannot"):
            say(text)
    try:
        room.report_on_quit(say)
    except OSError as exc:
        say(f"cannot write the class report: {exc.strerror or exc}")
