"""A one-line progress bar for long play-tests, drawn on stderr only when it is a terminal.

Redirected or piped output never gets the bar, so reports written to files or
read by scripts stay clean. The bar is kazsim's own terminal control, so it is
drawn on the stream under the command line's `EscapedText` (which would show
its carriage return as "\\r").
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from kazsim.untrusted import raw_stream

WIDTH = 30


class Progress:
    """Call with the number of games done; `close()` clears the line."""

    def __init__(self, total: int, stream: TextIO | None = None, *,
                 force: bool = False, every: float = 0.1) -> None:
        self.total = total
        self.stream = stream if stream is not None else raw_stream(sys.stderr)
        self.enabled = force or self.stream.isatty()
        self.every = every
        self._last = 0.0
        self._started = time.monotonic()
        self._drawn = False

    def __call__(self, done: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < self.total and now - self._last < self.every:
            return
        self._last = now
        filled = round(WIDTH * done / self.total) if self.total else WIDTH
        elapsed = now - self._started
        rate = f"  {done / elapsed:,.0f} games/s" if elapsed > 0 and done else ""
        self.stream.write(f"\rchecking [{'█' * filled}{'·' * (WIDTH - filled)}] "
                          f"{done:,}/{self.total:,}{rate} ")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._drawn = False
