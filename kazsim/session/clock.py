"""The wall clock, for save timestamps: the one place the session layer reads it.

A module of its own, importing nothing heavy, so that the terminal game can hand
the clock to a game before the save format (pydantic) is loaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
