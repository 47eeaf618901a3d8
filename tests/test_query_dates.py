"""Whoosh's date plugin is made only for a query that names a date field, and every query
parses as it did when every query went through it."""

from __future__ import annotations

import pytest
from whoosh import query as wq
from whoosh.qparser import MultifieldParser
from whoosh.qparser.dateparse import DateParserPlugin

from reader.core.config import SearchLimits
from reader.core.search.index_build import make_schema
from reader.core.search.query import SEARCH_FIELDS, QueryParser
from reader.core.search.query_forms import OtherForms

WITHOUT_DATES = [
    "ceasefire",
    "Sirte AND ceasefire",
    '"national army" OR Haftar',
    "wor* -oil",
    "title:ceasefire lang:ar",
    "وقف إطلاق النار",
    "(a OR b) ANDNOT c",
    "outlet:Reuters",
    "2024",
]
WITH_DATES = [
    "published:2024",
    "ceasefire published:[2023 to 2024]",
    "published:20240105",
    "published:[20230101 to]",
]


def _reference() -> MultifieldParser:
    """The parser every query went through before: the date plugin, then reader's forms."""
    parser = MultifieldParser(list(SEARCH_FIELDS), make_schema())
    parser.add_plugin(DateParserPlugin())
    parser.add_plugin(OtherForms())
    return parser


@pytest.mark.parametrize("text", WITHOUT_DATES + WITH_DATES)
def test_a_query_parses_as_with_the_date_plugin(text: str) -> None:
    parser = QueryParser(SearchLimits())
    got = parser.parse(text)
    assert got == _reference().parse(text).normalize()
    assert (parser._dated_parser is not None) == (text in WITH_DATES)


def test_a_date_query_gives_a_date_range() -> None:
    parsed = QueryParser(SearchLimits()).parse("published:2024")
    assert any(isinstance(leaf, wq.DateRange) for leaf in [parsed, *parsed.leaves()])
