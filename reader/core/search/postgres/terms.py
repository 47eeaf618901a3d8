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
in a very long article may be missed (a word alone is still found); :attr:`Vector.positions_kept`
is False then, and ``reader index`` says so for that article. A lexeme holds at most
2,047 bytes (a longer "word", a pasted blob, is left out) and a whole ``tsvector`` 1 MB: an
article with more distinct words than that holds is searchable up to the word where the
budget ends (:attr:`Vector.words_kept` says where), never refused.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from reader.core.search.analysis import ReaderAnalyzer
from reader.core.sources.article import Article

MAX_POSITION = 16383
MAX_POSITIONS = 256  # per lexeme
MAX_LEXEME_BYTES = 2046  # PostgreSQL's limit is 2047
VECTOR_BUDGET = 1_000_000  # bytes; PostgreSQL's limit for one tsvector is 1,048,575
FIELD_GAP = 2
WEIGHTS = {"title": "A", "body": "B", "author": "C"}

_ANALYZER = ReaderAnalyzer()


def quote(term: str) -> str:
    """A lexeme quoted for ``tsvector``/``tsquery`` input, taken literally."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def field_terms(text: str) -> list[str]:
    """The terms of ``text`` in order (stopwords dropped, positions renumbered), as indexed."""
    return [token.text for token in _ANALYZER(text, positions=True)]


@dataclass(frozen=True, slots=True)
class Vector:
    """An article's ``tsvector`` input text; ``words_kept`` < ``words`` when the vector's
    size budget ended before the last word (the words after it are not searchable);
    ``positions_kept`` False when some positions could not be stored (past 16,383, or past
    256 of one word): phrases there may be missed."""

    text: str
    words: int
    words_kept: int
    positions_kept: bool = True


def _cost(term: str) -> int:
    """Bytes a lexeme takes in a tsvector before its positions (entry, text, alignment)."""
    return 4 + len(term.encode("utf-8")) + 4


def article_vector(article: Article) -> Vector:
    """The ``tsvector`` of an article's searchable fields (see the module's docstring)."""
    positions: dict[str, list[str]] = defaultdict(list)
    start, size, words, kept = 1, 0, 0, 0
    full = False
    every_position = True
    for name in ("title", "body", "author"):
        weight = WEIGHTS[name]
        terms = field_terms(getattr(article, name))
        words += len(terms)
        for offset, term in enumerate(terms):
            if full:
                break
            if term not in positions:
                if len(term.encode("utf-8")) > MAX_LEXEME_BYTES:
                    kept += 1
                    continue
                if size + _cost(term) + 2 > VECTOR_BUDGET:
                    full = True
                    break
                size += _cost(term)
            at = min(start + offset, MAX_POSITION)
            every_position = every_position and at == start + offset
            spots = positions[term]
            if len(spots) < MAX_POSITIONS and size + 2 <= VECTOR_BUDGET:
                spots.append(f"{at}{weight}")
                size += 2
            else:
                every_position = False
            kept += 1
        start += len(terms) + FIELD_GAP
    text = " ".join(
        f"{quote(term)}:{','.join(spots)}" if spots else quote(term)
        for term, spots in positions.items()
    )
    return Vector(text, words, kept, every_position)
