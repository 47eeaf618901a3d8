"""How far apart in time two articles are, and what that does to their similarity: the days
between their *when* dates (:func:`days_apart`) and the factor a pair's score is multiplied by
for them (:func:`date_factor`). Split from :mod:`reader.core.events.similarity`, which
re-exports them."""

from __future__ import annotations

from datetime import date

from reader.core.events.features import SAME_DAYS, Profile

DAYS_SCALE = 4.0  # beyond SAME_DAYS, the factor is 1 / (1 + extra days / DAYS_SCALE) ...
DATE_FLOOR = 0.05  # ... and never below this


def days_apart(a: Profile, b: Profile) -> int | None:
    """The fewest days between a *when* date of ``a`` and one of ``b`` (None if either has
    none)."""
    if a.when and b.when:
        return min(abs((x - y).days) for x in a.when for y in b.when)
    if not a.when and b.when:
        a, b = b, a
    if a.when:  # b has only a month and day: in the year nearest a's dates
        return (
            min(_nearest(md, x) for md in b.when_no_year for x in a.when)
            if b.when_no_year
            else None
        )
    # Neither has a year: compare within a leap year (31 Dec and 1 Jan are a day apart).
    return (
        min(_nearest(md, date(2000, *other)) for md in a.when_no_year for other in b.when_no_year)
        if a.when_no_year and b.when_no_year
        else None
    )


def _nearest(month_day: tuple[int, int], around: date) -> int:
    """Days between ``around`` and the nearest date with that month and day."""
    spans = []
    for year in (around.year - 1, around.year, around.year + 1):
        try:
            spans.append(abs((date(year, *month_day) - around).days))
        except ValueError:  # 29 February in a common year
            continue
    return min(spans, default=366)


def date_factor(days: int | None) -> float:
    """What a pair's score is multiplied by for articles ``days`` apart: 1 up to SAME_DAYS
    (and for an undated pair), then falling towards DATE_FLOOR; never above 1."""
    if days is None or days <= SAME_DAYS:
        return 1.0
    return max(DATE_FLOOR, 1 / (1 + (days - SAME_DAYS) / DAYS_SCALE))
