"""reader's own analysis as PostgreSQL text-search values: the ``tsvector`` of an article and
the quoting of ``tsquery`` lexemes.

Postgres never analyses reader's text: each field goes through
:class:`reader.core.search.analysis.ReaderAnalyzer` (the analyzer of the Whoosh index: Arabic
folding and light stemming, English stemming, stopwords removed without gaps), and the terms
it yields are written as lexemes with their positions, so a term or phrase matches the same
articles on both backends. Fields are told apart by weight: title ``A``, body ``B``, author
``C`` (a query on ``title:`` asks for ``:A``); each field starts past the previous one's last
position plus a gap, so no phrase runs from one field into the next.

PostgreSQL keeps positions up to 16,383 and 256 positions per lexeme: past those, a phrase
in a very long article may be missed (a word alone is still found).
"""

from __future__ import annotations

from collections import defaultdict

from reader.core.search.analysis import ReaderAnalyzer
from reader.core.sources.article import Article

MAX_POSITION = 16383
MAX_POSITIONS = 256  # per lexeme
FIELD_GAP = 2
WEIGHTS = {"title": "A", "body": "B", "author": "C"}

_ANALYZER = ReaderAnalyzer()


def quote(term: str) -> str:
    """A lexeme quoted for ``tsvector``/``tsquery`` input, taken literally."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def field_terms(text: str) -> list[str]:
    """The terms of ``text`` in order (stopwords dropped, positions renumbered), as indexed."""
    return [token.text for token in _ANALYZER(text, positions=True)]


def article_vector(article: Article) -> str:
    """The ``tsvector`` input text of an article's searchable fields."""
    positions: dict[str, list[str]] = defaultdict(list)
    start = 1
    for name in ("title", "body", "author"):
        weight = WEIGHTS[name]
        terms = field_terms(getattr(article, name))
        for offset, term in enumerate(terms):
            at = min(start + offset, MAX_POSITION)
            kept = positions[term]
            if len(kept) < MAX_POSITIONS:
                kept.append(f"{at}{weight}")
        start += len(terms) + FIELD_GAP
    return " ".join(f"{quote(term)}:{','.join(at)}" for term, at in positions.items())
