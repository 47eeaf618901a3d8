"""Which queries the vectorised path (:mod:`reader.core.search.vector`) takes: decided without
importing numpy, so a search that does not need it never loads it."""

from __future__ import annotations

import sys
from typing import Any

from whoosh import query as wq


def supported(q: wq.Query) -> bool:
    """Whether the vectorised path computes every node of ``q``: terms, ORs (without Whoosh's
    ``scale`` or ``minmatch``), ANDs (with at least one part that is not a ``Not``), AND NOTs,
    AND MAYBEs and any other leaf; not ``Not`` elsewhere, nor ``Every``, nor another
    compound."""
    if isinstance(q, wq.Or):
        return not q.scale and not q.minmatch and all(map(supported, q.subqueries))
    if type(q) is wq.And:  # not Ordered, Sequence: positions matter
        # A Not under an And excludes its documents (and, in Whoosh, adds 1 to the score).
        positive = [c for c in q.subqueries if not isinstance(c, wq.Not)]
        negative = [c.query for c in q.subqueries if isinstance(c, wq.Not)]
        return bool(positive) and all(map(supported, positive + negative))
    if type(q) in (wq.AndNot, wq.AndMaybe):
        return all(map(supported, q.children()))
    if q is wq.NullQuery:
        return True
    if isinstance(q, wq.Not | wq.Every):
        return False
    return bool(q.is_leaf())


COMMON = 200  # postings from which one word's terms are scored faster in numpy


def worth_it(q: wq.Query, reader: Any) -> bool:
    """Whether ``q`` should take this path: it can (only the nodes above), its leaves are all
    terms and phrases, and it holds a phrase (positions are checked only for the documents
    all its words share, without Whoosh's span machinery), or ORs or ANDs more than two
    terms, or its terms have at least :data:`COMMON` postings in all (for a rarer single
    word, its title and body terms, Whoosh's matchers answer as fast, without loading
    numpy). ``reader``: the index reader, for the terms' document frequencies."""
    leaves = [leaf for leaf in q.leaves() if leaf is not wq.NullQuery]
    if not leaves or not all(type(leaf) in (wq.Term, wq.Phrase) for leaf in leaves):
        return False
    if not supported(q):
        return False
    if any(type(leaf) is wq.Phrase for leaf in leaves):
        return True
    if len(leaves) > 2:
        return True
    postings = 0
    for leaf in leaves:
        try:
            postings += reader.doc_frequency(leaf.fieldname, leaf.text)
        except Exception:  # a term the field cannot hold: no postings
            continue
    return postings >= COMMON


# Postings up to which a process without numpy scores in plain Python
# (:mod:`reader.core.search.scalar_path`, about 0.5 us a posting) rather than import numpy
# (70-120 ms) for the vectorised path.
SCALAR_POSTINGS = 60_000


def postings_read(q: wq.Query, reader: Any) -> int:
    """How many postings the terms of ``q`` hold in all (phrases count their words)."""
    total = 0
    for leaf in q.leaves():
        if leaf is wq.NullQuery:
            continue
        terms = (
            [(leaf.fieldname, word) for word in leaf.words]
            if type(leaf) is wq.Phrase
            else [(getattr(leaf, "fieldname", None), getattr(leaf, "text", None))]
        )
        for fieldname, text in terms:
            try:
                total += reader.doc_frequency(fieldname, text)
            except Exception:  # a term the field cannot hold: no postings
                continue
    return total


def scalar_first(q: wq.Query, reader: Any) -> bool:
    """Whether a query :func:`worth_it` sends off Whoosh's matchers should be scored in plain
    Python: numpy is not loaded yet (a new process: ``reader search``, the app's first query)
    and ``q`` reads at most :data:`SCALAR_POSTINGS` postings. Once numpy is loaded the
    vectorised path (with its posting-list cache) answers."""
    return "numpy" not in sys.modules and postings_read(q, reader) <= SCALAR_POSTINGS


class Unsupported(Exception):
    """Raised by the vectorised path (:mod:`reader.core.search.vector`) for an index it cannot
    score (a weighting other than BM25F) or a query it finds it cannot compute after all (a
    phrase over a field without positions, a posting list it cannot read): the caller runs
    the query through Whoosh."""
