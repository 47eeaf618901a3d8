"""The fields of the search index, for writing it and for parsing queries against it.

Its own module so that a search, which needs the schema to parse a query, does not import the
index writer (:mod:`reader.core.search.index_build`) and the corpus readers it brings.
"""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema

from reader.core.search.analysis import ReaderAnalyzer
from reader.core.search.word_starts import StartsAnalyzer


def make_schema() -> Schema:
    """The fields of the index. Prefix and wildcard queries go through the vocabulary
    (:mod:`reader.core.search.vocabulary`) rather than an unstemmed copy of every text."""
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        title=TEXT(analyzer=ReaderAnalyzer(), stored=True, field_boost=2.0),
        body=TEXT(analyzer=ReaderAnalyzer(), stored=True),
        lang=ID(stored=True),
        outlet=ID(stored=True),
        outlet_key=ID,
        published=DATETIME(stored=True, sortable=True),
        dated=ID,  # "yes"/"no": lets the article list put dated articles first
        author=TEXT(analyzer=ReaderAnalyzer(), stored=True),
        # The first two letters of every word, for a two-letter word being typed (word_starts).
        title_starts=TEXT(analyzer=StartsAnalyzer(), phrase=False, field_boost=2.0),
        body_starts=TEXT(analyzer=StartsAnalyzer(), phrase=False),
        url=STORED,
        source=STORED,
        content_hash=STORED,
    )
