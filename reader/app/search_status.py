"""The line under the search bar: how many results were found and which filters are on.

Plain text, built here so the app only shows it (it is shown as a ``rich.text.Text``, never as
markup, and made one line: an outlet name comes from untrusted sidecars).
"""

from __future__ import annotations

from reader.app.widgets.bidi_text import name_text
from reader.core.text.sanitize import one_line

LANGUAGE_FILTERS: dict[str | None, str] = {None: "all", "en": "English", "ar": "Arabic"}


def found_text(total: int, exact: bool, partial: bool, time_limit: float) -> str:
    """``12 results``, ``about 1200 results`` (an estimate) or ``at least 40 results, partial:
    ...`` when the search stopped at ``time_limit`` seconds."""
    about = "at least " if partial else "" if exact else "about "
    plural = "s" if total != 1 else ""
    found = f"{about}{total} result{plural}"
    if partial:
        found += f", partial: the search stopped after {time_limit:g} s ([search] time_limit)"
    return found


def filters_text(language: str | None, outlet: str | None, extra: str = "") -> str:
    """``extra · lang: English (l) · outlet: all (o)`` on one line."""
    parts = [extra] if extra else []
    parts.append(f"lang: {LANGUAGE_FILTERS.get(language, language)} (l)")
    parts.append(f"outlet: {name_text(outlet) if outlet else 'all'} (o)")
    return one_line(" · ".join(parts))
