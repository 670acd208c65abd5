"""`warm_up`: import the game's screens in a worker thread, before they are needed.

Its own module so that the app and the title screen can both call it without
importing each other (the title screen is imported by the app).
"""

from __future__ import annotations


def warm_up(*, setup: bool = True) -> None:
    """Import the game's screens here, in the loading worker, not on the UI thread.

    Importing them pulls in the engine, the story and the session layer; done
    in the worker while the loading screen shows, the game's first screen
    appears that much sooner (see benchmarks/bench_startup.py).
    """
    import kazsim.tui.saving  # noqa: F401
    import kazsim.tui.screens.briefing  # noqa: F401
    import kazsim.tui.screens.play  # noqa: F401

    if setup:
        import kazsim.tui.screens.setup  # noqa: F401
