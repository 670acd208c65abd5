"""The real moment each turn stands for: the one home of the calendar's arithmetic.

Turn 1 starts on the calendar's `start` date; each turn is one `turn_length`
later (a fixed word, or a number of days the author labels: `TurnSpan`). Python's
dates end on 31 December 9999, so a calendar that starts late enough runs off their
end: `turn_moment` says so with None, and the validator
refuses such a calendar (the turn after the last must still have a date, since
a finished game shows it).
"""

from __future__ import annotations

import datetime as dt

from kazsim.scenario.model import Calendar, TurnSpan

_STEPS = {"hour": dt.timedelta(hours=1), "half_day": dt.timedelta(hours=12),
          "day": dt.timedelta(days=1), "week": dt.timedelta(weeks=1),
          "fortnight": dt.timedelta(weeks=2)}


def turn_span(calendar: Calendar) -> str:
    """How long a turn is, in words, as it reads after 'each': "a day", "a half-day",
    "a fortnight", or the label the author wrote ("three days")."""
    length = calendar.turn_length
    if isinstance(length, TurnSpan):
        return length.label
    return "a " + length.replace("_", "-")


def turn_moment(calendar: Calendar, turn: int) -> dt.datetime | None:
    """When turn `turn` (from 1) begins; None when that is after 31 December 9999.

    A turn of days, weeks, a fortnight or a month begins at midnight (a month turn on
    the 1st); a half-day turn at midnight or noon; an hour turn on the hour.
    """
    n = turn - 1
    start = dt.datetime(calendar.start.year, calendar.start.month, calendar.start.day)
    length = calendar.turn_length
    try:
        if isinstance(length, TurnSpan):
            return start + dt.timedelta(days=length.days) * n
        if length == "month":
            months = calendar.start.month - 1 + n
            return dt.datetime(calendar.start.year + months // 12, months % 12 + 1, 1)
        return start + _STEPS[length] * n
    except (OverflowError, ValueError):
        return None


def turn_of(calendar: Calendar, day: dt.date) -> int | None:
    """The turn whose span holds the start (midnight) of `day`; None before turn 1 or
    after the last turn."""
    midnight = dt.datetime(day.year, day.month, day.day)
    first = turn_moment(calendar, 1)
    if first is None or midnight < first:
        return None
    low, high = 1, calendar.turns  # the last turn that begins at or before midnight
    while low < high:
        middle = (low + high + 1) // 2
        moment = turn_moment(calendar, middle)
        if moment is not None and moment <= midnight:
            low = middle
        else:
            high = middle - 1
    after = turn_moment(calendar, low + 1)
    return low if after is None or midnight < after else None
def turn_date(calendar: Calendar, turn: int) -> str:
    """The real date (and time of day where it matters) a turn stands for, in words."""
    moment = turn_moment(calendar, turn)
    if moment is None:  # the validator refuses such a calendar
        return "after 31 December 9999"
    if calendar.turn_length in ("day", "half_day") or isinstance(
            calendar.turn_length, TurnSpan) or calendar.turn_length == "fortnight":
        half = (f", {'morning' if moment.hour < 12 else 'evening'}"
                * (calendar.turn_length == "half_day"))
        return f"{moment:%A} {moment.day} {moment:%B %Y}{half}"
    if calendar.turn_length == "hour":
        return f"{moment:%A} {moment.day} {moment:%B %Y}, {moment:%H}:00"
    if calendar.turn_length == "week":
        return f"week of {moment.day} {moment:%B %Y}"
    return moment.strftime("%B %Y")
