"""Classroom play: `kazsim host` serves tables over WebSockets, `kazsim join` plays a seat.

A face beside the terminal game (`kazsim.tui`): it imports the session layer (each
table is an ordinary save), the engine and the scenario, never the TUI.
The command line puts the two together for `kazsim join` in the terminal.

* `kazsim.classroom.protocol` — the JSON messages (pydantic), `PROTOCOL_VERSION`,
  the size cap.
* `kazsim.classroom.store` — the class file (SQLite, WAL, synchronous=FULL).
* `kazsim.classroom.host` — `Classroom`: tables, seats, decisions, resolution,
  restart from the class file, saves; no network.
* `kazsim.classroom.view` — what one seat may be sent.
* `kazsim.classroom.server` — the WebSocket server (rate limits, hello, views).
* `kazsim.classroom.client` — a seat's client (reconnects with backoff), the AI
  at a seat, `kazsim join --auto`.
* `kazsim.classroom.remote` — `RemoteSeat`/`RemoteTable`/`RemoteGame`: a seat played
  in the terminal game (`kazsim join URL CODE`), behind `kazsim.tui.table.Table`.
* `kazsim.classroom.dashboard` — the teacher's dashboard (Textual, dashboard.tcss).
* `kazsim.classroom.run` — `kazsim host`.
* `kazsim.classroom.gather` — `kazsim report`: the games of class files and saves,
  read and replayed for the class report (`kazsim.analysis.classreport`), which the
  host also writes when every table is over and when it stops.

docs/classroom.md is the teacher's guide.
"""
