"""The first two letters of every word, indexed: what a two-letter word being typed searches.

A word being typed is searched as a prefix too (``Beng`` finds Benghazi). From three letters
the prefix goes through the vocabulary (:mod:`reader.core.search.vocabulary`): it stands for
the index terms of the words it starts. Two letters start thousands of words (``ال`` starts
most Arabic nouns, ``co`` over a thousand English ones), whose posting lists a search would
read and add up: hundreds of milliseconds at 10,000 articles. So each text is also indexed
under its words' first two letters, in the fields :data:`STARTS_FIELDS` names
(``title_starts``, ``body_starts``, the title's weighed twice as the title is): for every word
the text is indexed under (a stopword is not), its first two letters folded as a prefix is
(:func:`reader.core.search.analysis.fold_term`), counted as a term is. The two letters are then
one term: one posting list, scored by the same BM25F as any term, as if every word they start
were one word (the way Xapian's ``OP_SYNONYM`` and SQLite FTS5's prefix index score a
prefix). A two-letter word being typed finds every article with a word it starts.

Callers may rely on: :func:`word_starts` gives exactly the terms :class:`StartsAnalyzer`
yields (the index writer's fast path uses one, Whoosh's own writer the other); a starts
term is only ever made by :func:`starts_query`, for a word being typed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from whoosh import query as wq
from whoosh.analysis import Analyzer, Token
from whoosh.qparser import syntax

from reader.core.search.analysis import fold_term, index_term, split_words, term_positions

START_LETTERS = 2
# The searched field each starts field stands beside (the title's boost is the title's).
STARTS_FIELDS = {"title": "title_starts", "body": "body_starts"}
_STARTS = frozenset(STARTS_FIELDS.values())


_ENOUGH = 8  # characters of a word folded for its first two letters (marks may come between)
_fold = fold_term.__wrapped__  # not remembered: see _start_of


def _start_of(raw: str) -> str:
    """The first two letters of a word that is indexed, folded as :func:`fold_term` folds the
    whole word, or "". Remembering them (an lru_cache) would hold every distinct word of a
    writer process: 20-40 MB at 10,000 articles. So: an ASCII word's fold is its lower case;
    another word's first characters are folded (folding is character by character: NFKC,
    lower case, Arabic letters and marks), and the whole word only when its first
    :data:`_ENOUGH` characters fold to fewer than three (so no composition across the cut can
    change the two kept)."""
    if raw.isascii():  # an initialism (U.S.) without its dots, as fold_term folds it
        start = (raw.replace(".", "") if "." in raw else raw)[:START_LETTERS].lower()
    else:
        start = _fold(raw[:_ENOUGH])
        if len(start) <= START_LETTERS and len(raw) > _ENOUGH:
            start = _fold(raw)
        start = start[:START_LETTERS]
    return start if len(start) == START_LETTERS else ""


def word_start(raw: str) -> str:
    """The term a word of a text gives in a starts field: its first two letters folded, or
    "" when it gives none (a stopword, a one-letter word)."""
    return "" if index_term(raw) is None else _start_of(raw)


def word_starts(text: str) -> dict[str, int]:
    """Each starts term of ``text`` with how many of its words give it."""
    counts: dict[str, int] = {}
    for raw, n in Counter(split_words(text)).items():
        start = word_start(raw)
        if start:
            counts[start] = counts.get(start, 0) + n
    return counts


def terms_and_starts(text: str) -> tuple[dict[str, list[int]], dict[str, int]]:
    """:func:`reader.core.search.analysis.term_positions` of ``text`` (stemmed) and its
    :func:`word_starts`, in one pass over its words: what the index writer needs of a title
    or a body (the words are found once, not once for each; each distinct word's start made
    once)."""
    seen: dict[str, int] = {}
    positions = term_positions(text, words=seen)
    starts: dict[str, int] = {}
    for raw, n in seen.items():
        # (_start_of, its ASCII case inline: most words of most corpora)
        start = raw[:START_LETTERS].lower() if raw.isascii() else _start_of(raw)
        if len(start) == START_LETTERS:
            starts[start] = starts.get(start, 0) + n
    return positions, starts


class StartsAnalyzer(Analyzer):  # type: ignore[misc]
    """Whoosh analyzer of a starts field: one token a word, its :func:`word_start` (words
    that give none yield nothing). Indexing only: a starts term is never parsed from text."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StartsAnalyzer)

    def __hash__(self) -> int:
        return hash("StartsAnalyzer")

    def __call__(self, value: str, **kwargs: Any) -> Iterator[Token]:
        token = Token(**{k: v for k, v in kwargs.items() if k in ("positions", "chars")})
        token.boost = 1.0
        token.stopped = False
        for raw in split_words(value):
            start = word_start(raw)
            if start:
                token.text = start
                yield token


def is_starts_term(node: wq.Query) -> bool:
    """Whether ``node`` is a term of a starts field."""
    return type(node) is wq.Term and node.fieldname in _STARTS


def typed_start(word: str) -> str | None:
    """The starts term a word being typed searches, or None when it has not exactly two
    letters once folded (one is too few to mean anything; from three, see the module)."""
    folded = fold_term(word)
    return folded if len(folded) == START_LETTERS and folded.isalnum() else None


class StartsNode(syntax.SyntaxNode):  # type: ignore[misc]
    """A word being typed as its starts term in every starts field: the Whoosh syntax node
    :mod:`reader.core.search.query_forms` puts beside the word. It has no field of its own,
    so the multifield filter leaves it alone."""

    has_fieldname = False
    has_text = True
    has_boost = False

    def __init__(self, text: str) -> None:
        self.text = text
        self.fieldname = None
        self.boost = 1.0

    def r(self) -> str:
        return f"Starts({self.text!r})"

    def query(self, parser: Any) -> wq.Query:
        return starts_query(self.text)


def starts_query(start: str) -> wq.Query:
    """The query for a starts term: the term in every starts field, ORed."""
    return wq.Or([wq.Term(field, start) for field in STARTS_FIELDS.values()])


def as_prefixes(q: wq.Query) -> tuple[wq.Query, tuple[str, ...]]:
    """``q`` with each starts term made the prefix of its searched field (``title_starts:co``
    becomes ``title:co*``), and those prefixes: for a backend without the starts fields
    (the PostgreSQL library), which expands them as the prefix of a word being typed."""
    found: list[str] = []

    def swap(node: wq.Query) -> wq.Query:
        if is_starts_term(node):
            found.append(node.text)
            searched = next(k for k, v in STARTS_FIELDS.items() if v == node.fieldname)
            return wq.Prefix(searched, node.text)
        return node if node.is_leaf() else node.apply(swap)

    swapped = swap(q)
    return swapped, tuple(dict.fromkeys(found))
