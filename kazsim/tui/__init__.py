"""The terminal game (Textual): screens, widgets and styles.

Entry point: `kazsim.tui.launch.run_tui`. The app renders engine values and
sends decisions; every rule comes from `kazsim.engine` and every sentence of
the story from `kazsim.story`.
"""
