"""Sessions: saving, resuming, replaying and exporting games (files live here).

The API for faces (the TUI, the CLI), each in its own module so that importing
this package stays cheap:

* `kazsim.session.model` — `SaveFile` (the JSON format, pydantic, strict),
  `SaveError` (one-line message), `human(name)` / `ai(level)` players,
  format versions and migrations.
* `kazsim.session.store` — `read_save(path)` (regular files only),
  `write_atomic(path, data, *, exclusive=False, keep_saves=False)` (the one
  way saves and transcripts are written; only ever over a regular file),
  `list_saves(folder) -> list[SaveEntry]` for a "Load game" screen,
  `safe_name(name)`.
* `kazsim.session.replay` — `load_session(path, *, scenario=None) ->
  LoadedSession` (`.game`, `.changed`, `.divergence`, `.notice()`,
  `.can_continue`), `replay(scenario, save)`, `Divergence`.
* `kazsim.session.session` — `Session.new(...)`, `Session.for_game(game, ...)`,
  `Session.resume(loaded)`, `.record(record)` (autosave after each turn),
  `.autosave(record)` (the same, with a message for the player when a save
  failed or worked again), `.save_as(name)`.
* `kazsim.session.clock` — `utc_now()`, the wall clock for timestamps.
* `kazsim.session.verify` — `verify_command(path)` (`kazsim replay --verify`).
* `kazsim.session.transcript` — `transcript(game, players, name=...)` (Markdown),
  `write_transcript(target, text, force=...)` and
  `export_command(path, output, force=...)` (`kazsim export`).
* `kazsim.session.autoplay` — `kazsim play --auto [--load FILE]`.

docs/saves.md describes the format and the guarantees.
"""
