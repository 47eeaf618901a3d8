"""The line under the search bar (reader/app/search_status.py)."""

from __future__ import annotations

from reader.app.search_status import filters_text, found_text


def test_found_text_says_how_sure_the_count_is() -> None:
    assert found_text(1, exact=True, partial=False, time_limit=2.0) == "1 result"
    assert found_text(12, exact=True, partial=False, time_limit=2.0) == "12 results"
    assert found_text(1200, exact=False, partial=False, time_limit=2.0) == "about 1200 results"
    partial = found_text(40, exact=False, partial=True, time_limit=2.5)
    assert partial.startswith("at least 40 results, partial:") and "2.5 s" in partial


def test_filters_text_is_one_line_whatever_the_outlet_holds() -> None:
    assert filters_text(None, None) == "lang: all (l) · outlet: all (o)"
    assert (
        filters_text("ar", "BBC", "3 results") == "3 results · lang: Arabic (l) · outlet: BBC (o)"
    )
    hostile = filters_text("en", "Evil\nOutlet\x1b[2J")
    assert "\n" not in hostile and "\x1b" not in hostile and "English" in hostile
