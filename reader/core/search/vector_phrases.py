"""Phrases for the vectorised path (:mod:`reader.core.search.vector`): the documents in which
a phrase's words follow each other, scored as Whoosh scores a phrase, in numpy.

A phrase is read in two steps: the documents all its words share, intersected from the words'
scored lists (which the caller reads and caches: ``term``), then the positions of those
documents only (the blocks of a word's postings that hold none of them are not decoded),
checked as Whoosh's ``Phrase`` checks them (each word 1 to ``slop`` positions after the one
before, in one segment's postings: :func:`reader.core.search.postings.in_order`). Its score
in a document is the sum of its words' term scores there, as Whoosh's.

:func:`phrase` takes what it reads explicitly (the open searcher, its segments, their direct
term reader, the caller's scored lists and its work counter) and keeps nothing: the caller
caches what it returns under :func:`phrase_key`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from reader.core.search.guard import GuardedMatcher
from reader.core.search.postings import EMPTY_DOCS as _EMPTY_DOCS
from reader.core.search.postings import EMPTY_SCORES as _EMPTY_SCORES
from reader.core.search.postings import BadPostings, DirectTerms, in_order, matcher_values
from reader.core.search.vector_gate import Unsupported

if TYPE_CHECKING:
    from reader.core.search.vector import Docs, Scores


def phrase_key(q: Any) -> tuple[str, str]:
    """The key a phrase's (documents, scores) are cached under beside its words' scored
    lists (a key no term has: a field name holds no space): its field, slop and words."""
    return (f"{q.fieldname} phrase~{q.slop}", "\x00".join(map(str, q.words)))


def phrase(
    q: Any,
    *,
    searcher: Any,
    leaves: Sequence[tuple[Any, int]],
    direct: DirectTerms,
    term: Callable[[str, Any], tuple[Docs, Scores]],
    tick: Callable[[int], None],
) -> tuple[Docs, Scores]:
    """(sorted unique documents, scores) of the Whoosh ``Phrase`` ``q`` over the open
    ``searcher``: the documents Whoosh's ``Phrase`` matches (each word ``1..slop`` positions
    after the one before, in order, in one segment's postings), each scored the sum of its
    words' term scores (no boost).

    ``leaves``: the searcher's (segment searcher, first document number) pairs; ``direct``:
    their terms read with one look-up a segment (positions read in place when it is usable);
    ``term(fieldname, word)``: a word's (documents, BM25F scores), as the caller reads and
    caches them; ``tick(n)``: called with the work about to be done (the caller's guard).
    Raises :class:`~reader.core.search.vector_gate.Unsupported` when the field keeps no
    positions or a posting list cannot be read here (Whoosh's matchers then answer)."""
    fieldname, slop = q.fieldname, q.slop
    schema = searcher.schema
    if fieldname not in schema or not q.words:
        return _EMPTY_DOCS, _EMPTY_SCORES
    field = schema[fieldname]
    if not field.format or not field.format.supports("positions"):
        raise Unsupported(f"phrase over {fieldname}, which has no positions")
    try:
        bwords = [field.to_bytes(word) for word in q.words]
    except ValueError:
        return _EMPTY_DOCS, _EMPTY_SCORES
    lists = [term(fieldname, word) for word in q.words]
    common = lists[0][0]
    for term_docs, _scores in lists[1:]:
        common = np.intersect1d(common, term_docs, assume_unique=True)
    if not len(common):
        return _EMPTY_DOCS, _EMPTY_SCORES
    in_place = direct.usable and field.format.fixed_value_size() is None
    matched: list[Any] = []
    bounds = [offset for _sub, offset in leaves] + [searcher.doc_count_all()]
    for leaf, (sub, offset) in enumerate(leaves):
        low, high = np.searchsorted(common, [offset, bounds[leaf + 1]])
        if low == high:
            continue
        local = (common[low:high] - offset).tolist()
        tick(len(local) * len(bwords))
        positions = None
        if in_place:  # the documents' places in each word's list as written: its blocks
            here = common[low:high]
            try:
                positions = [
                    direct.values_at(
                        leaf,
                        fieldname,
                        w,
                        _places(direct, leaf, fieldname, w, term_docs, here, offset),
                    )
                    for w, (term_docs, _s) in zip(bwords, lists, strict=True)
                ]
            except BadPostings:  # Whoosh's matcher says what is wrong, if anything is
                positions = None
        if positions is None:
            positions = [_positions(sub, fieldname, w, local) for w in bwords]
        hits = in_order(field.format.decode_positions, positions, slop)
        matched.append(common[low:high][hits])
    docs = np.concatenate(matched) if matched else _EMPTY_DOCS
    if not len(docs):
        return _EMPTY_DOCS, _EMPTY_SCORES
    scores = np.zeros(len(docs), dtype=np.float64)
    for term_docs, term_scores in lists:
        scores += term_scores[np.searchsorted(term_docs, docs)]
    return docs, scores


def _places(
    direct: DirectTerms,
    leaf: int,
    fieldname: str,
    btext: bytes,
    term_docs: Docs,
    docs: Docs,
    offset: int,
) -> list[int]:
    """The places of ``docs`` (global document numbers in segment ``leaf``, which starts at
    ``offset``) in a word's list in that segment as written: from ``term_docs``, the word's
    documents as read (every segment's), when the segment has no deleted documents; else from
    the list as written (:meth:`DirectTerms.written_ranks`)."""
    if not direct.whole(leaf):
        return direct.written_ranks(leaf, fieldname, btext, docs - offset)
    ranks: Any = np.searchsorted(term_docs, docs) - np.searchsorted(term_docs, offset)
    return list(ranks.tolist())


def _positions(sub: Any, fieldname: str, btext: bytes, docnums: list[int]) -> list[Any]:
    """The encoded positions of a term in each of ``docnums`` (segment document numbers,
    sorted, each holding the term) through Whoosh's matcher (:func:`matcher_values`)."""
    matcher = sub.postings(fieldname, btext)
    if isinstance(matcher, GuardedMatcher):
        matcher = matcher.child
    try:
        return matcher_values(matcher, docnums)
    except BadPostings as exc:
        raise Unsupported(str(exc)) from None
