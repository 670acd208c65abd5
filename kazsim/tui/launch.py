"""`run_tui`: start the terminal game as the command line asked, return an exit status.

Called by `kazsim` (title screen), `kazsim play [SCENARIO] [--role ...]`,
`kazsim play --load FILE`, `kazsim replay FILE` and `kazsim join URL CODE`. Imports only Textual and
the title screen before the first frame; a problem found while loading (no
such scenario, an invalid file, a save that does not replay) closes the app
and is printed here as one line, with exit status 1 (escaped: it may quote a
scenario's or a save's text), followed by where the guides it names are installed.

A browser tab of `kazsim host --web` runs the game too: textual-serve starts it
with Textual's web driver (the `TEXTUAL_DRIVER` environment variable, which
Textual reads to choose its driver), whose standard input and output are pipes
to the web server, not a terminal. Only that driver passes the terminal check.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kazsim.tui.table import RemoteSeat


WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


def web_driver() -> bool:
    """Whether Textual will draw through its web driver (textual-serve sets it, as
    `module:Class` in TEXTUAL_DRIVER, the variable Textual's `App.get_driver_class` reads)."""
    return os.environ.get("TEXTUAL_DRIVER", "").strip() == WEB_DRIVER


def run_tui(*, scenario: str | None = None, roles: Sequence[str] = (), seed: int | None = None,
            level: str = "easy", load: str | None = None, replay: str | None = None,
            save_dir: Path | str | None = None, turns: int | None = None,
            seat: RemoteSeat | None = None) -> int:
    """Run the app until the player quits. 0 when they quit, 1 on a launch problem.

    `turns`: a lesson's length, chosen in the setup screen (or at once with `roles`).

    `save_dir`: see `kazsim.places.save_dir` (None: the default folder). `seat`: a
    seat at a table on a host (`kazsim join URL CODE`), played instead of a local game.
    """
    from kazsim.places import docs_note
    from kazsim.places import save_dir as chosen_save_dir
    from kazsim.tui.app import KazsimApp, LaunchRequest
    from kazsim.untrusted import printable

    if level not in ("easy", "hard", "history"):
        print(f"kazsim: unknown AI level '{level}' (easy, hard or history)", file=sys.stderr)
        return 2
    if not web_driver() and (not sys.stdout.isatty() or not sys.stdin.isatty()):
        print("kazsim: the game needs a terminal; for text output use "
              "'kazsim play SCENARIO --auto'", file=sys.stderr)
        return 2
    request = LaunchRequest(save_dir=chosen_save_dir(save_dir), scenario=scenario,
                            roles=tuple(roles), seed=seed,
                            level="hard" if level == "hard" else
                            "history" if level == "history" else "easy", load=load,
                            replay=replay, turns=turns, seat=seat)
    app = KazsimApp(request)
    app.run()
    if app.problem:
        note = docs_note(app.problem)
        print(f"kazsim: {printable(app.problem)}" + (f"\n{note}" if note else ""),
              file=sys.stderr)
    return app.return_code or (1 if app.problem else 0)
