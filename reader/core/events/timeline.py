"""Events as a story over time: in date order, and those within a range of dates.

Pure: works on :class:`reader.core.events.event.Event` records as the library serves them.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date

from reader.core.events.event import Event

_DAY = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class DateError(ValueError):
    """A date that cannot be read; the message says what was given and what is expected."""


def parse_day(text: str, *, last: bool = False) -> date:
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` as a day: the first day of the month or year, or
    with ``last`` the last one (so ``--until 2020-06`` means up to 30 June). Raises DateError
    naming the text for anything else, or a day that does not exist."""
    match = _DAY.fullmatch(text.strip())
    if match is None:
        raise DateError(f"not a date: {text!r} (expected YYYY-MM-DD, YYYY-MM or YYYY)")
    year = int(match.group(1))
    month = int(match.group(2) or (12 if last else 1))
    try:
        if match.group(3) is not None:
            return date(year, month, int(match.group(3)))
        day = calendar.monthrange(year, month)[1] if last else 1
        return date(year, month, day)
    except (ValueError, calendar.IllegalMonthError) as exc:
        raise DateError(f"not a date: {text!r} ({exc})") from exc


def in_date_order(events: Iterable[Event]) -> list[Event]:
    """``events`` by start date, then end date; undated ones last; otherwise in the order
    given (the sort is stable)."""
    return sorted(
        events,
        key=lambda e: (e.start is None, e.start or date.min, e.end or e.start or date.min),
    )


def overlaps(event: Event, since: date | None, until: date | None) -> bool:
    """Whether ``event``'s span (start to end, a dated event with only one counting as both)
    overlaps ``since`` .. ``until`` (both days included; None: open). An undated event
    overlaps only a range open at both ends."""
    return span_overlaps(event.start, event.end, since, until)


def span_overlaps(
    start: date | None, end: date | None, since: date | None, until: date | None
) -> bool:
    """:func:`overlaps` for an event whose span is ``start`` to ``end``."""
    if since is None and until is None:
        return True
    start, end = start or end, end or start
    if start is None or end is None:
        return False
    return (since is None or end >= since) and (until is None or start <= until)
