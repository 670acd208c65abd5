"""Helpers every screen shares."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import Screen
from textual.widget import Widget

ResultType = TypeVar("ResultType")
W = TypeVar("W", bound=Widget)


def titled(widget: W, title: str) -> W:
    """`widget` with a title in its border (set before it mounts)."""
    widget.border_title = title
    return widget


def close(screen: Screen[ResultType], result: ResultType) -> None:
    """Dismiss `screen` with `result`, once: a second key press or button message
    arriving after it closed (keys typed faster than the screen updates) is ignored."""
    if screen.is_active:
        screen.dismiss(result)
