"""The similarity of one stored article (the pivot) to every other, read from the table
:mod:`reader.core.events.store_scores` writes with the events (``event-scores.sqlite``),
without building a :class:`reader.core.events.similarity.Similarity` over every stored
profile: what the compare view ranks its choices by.

:func:`scores_from_table` reads the posting lists of the pivot's features and one short row
an article (its number, id, language, flags and dates; not its vector), scores the articles
that share something with the pivot, and gives exactly (to the last bit) what
``Similarity(all profiles).score(pivot, other).score`` gives (see
:mod:`reader.core.events.store_scores` for why); every other article scores 0. On a library
of one beat most articles share a word or a name with any pivot: at 10,000 articles of the
bench corpus, 3,675 to 8,301 for five pivots sampled, so the cost grows with the library. It
returns None, and the caller computes the scores as before, when the table cannot serve.
Split from :mod:`reader.core.events.store_scores` for size.
"""

from __future__ import annotations

import json
import sqlite3
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

from reader.core.events.scoring import entity_evidence
from reader.core.events.similarity import (
    Profile,
    combine,
    cosine_of,
    date_factor,
    days_apart,
    fact_rarity,
    facts_part,
    names_count,
    same_language,
    with_names,
)
from reader.core.events.store_scores import SCORES_FORMAT, connect


def scores_from_table(
    path: Path, article_id: str, digest: str, settings: Mapping[str, Any], token: str
) -> dict[str, float] | None:
    """The similarity of the article ``article_id`` (whose content digest is now ``digest``)
    to every other article of the table at ``path``, as a Similarity over all the stored
    profiles gives it; None when the table cannot serve: the file is missing, damaged, of
    another format or ``settings``, not the one written with the events (``token``), or the
    pivot is not stored as it is now (its stored digest is not ``digest``)."""
    if not path.is_file():
        return None
    try:
        with closing(connect(path, readonly=True)) as db:
            return _scores(db, article_id, digest, settings, token)
    except (sqlite3.Error, ValueError, TypeError, KeyError, IndexError, OverflowError):
        return None


def _scores(
    db: sqlite3.Connection,
    article_id: str,
    digest: str,
    settings: Mapping[str, Any],
    token: str,
) -> dict[str, float] | None:
    meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    if (
        meta.get("format") != str(SCORES_FORMAT)
        or meta.get("token") != token
        or meta.get("settings") != json.dumps(dict(settings), sort_keys=True)
    ):
        return None
    row = db.execute(
        "SELECT n, digest, vectors FROM article WHERE id = ?", (article_id,)
    ).fetchone()
    if row is None or row[1] != digest:
        return None  # the pivot is not stored as it is now: scored over all profiles instead
    own, _digest, vectors = row
    ent_keys, term_keys, facts = json.loads(vectors)
    wanted = {("e", k) for k in ent_keys} | {("t", k) for k in term_keys}
    wanted |= {("f", k) for k in facts}
    found = _postings(db, wanted)
    if len(found) != len(wanted):
        return None  # not a table this module wrote
    articles = db.execute("SELECT n, id, lang, has_facts, named, dates FROM article").fetchall()
    if len(articles) != int(meta["n"]):
        return None
    by_number = {row[0]: row for row in articles}
    _n, _id, own_lang, _f, own_named, own_dates = by_number[own]

    # The products of the weights the pivot and each other article share (summed exactly
    # rounded, as Similarity sums them: the same float whatever the order).
    hits: dict[str, dict[int, list[float]]] = {"e": {}, "t": {}}
    n_articles = int(meta["n"])
    named_with: dict[int, list[float]] = {}  # the rarity of each entity shared with the pivot
    for kind, keys in (("e", ent_keys), ("t", term_keys)):
        collect = hits[kind].setdefault
        for key in keys:
            held, weights = found[kind, key]
            weight = weights[bisect_left(held, own)]
            for other, theirs in zip(held, weights, strict=True):
                collect(other, []).append(weight * theirs)
            if kind == "e":  # every article naming it is listed: its document frequency
                rarity = fact_rarity(len(held), n_articles)
                for other in held:
                    named_with.setdefault(other, []).append(rarity)
    shared: dict[int, list[float]] = {}
    for fact in facts:
        held = found["f", fact][0]
        rarity = fact_rarity(len(held), n_articles)
        for other in held:
            shared.setdefault(other, []).append(rarity)
    own_profile = _when(article_id, own_lang, own_dates)
    linked_by_names = dict(db.execute("SELECT b, score FROM names WHERE a = ?", (own,)).fetchall())
    factors: dict[str, float] = {}  # by the other's dates: few distinct ones
    scores: dict[str, float] = {}
    ent_hits, term_hits = hits["e"], hits["t"]
    for number, other_id, lang, has_facts, named, dates in articles:
        if number == own:
            continue
        ent = ent_hits.get(number)
        same = same_language(own_lang, lang)
        terms = term_hits.get(number) if same else None
        rarities = shared.get(number, [])
        linked = linked_by_names.get(number, 0.0)
        if ent is None and terms is None and not rarities and not linked:
            scores[other_id] = 0.0  # shares nothing with the pivot (as Similarity: 0 * factor)
            continue
        e = cosine_of(ent) if ent is not None else 0.0
        if e:
            e *= entity_evidence(named_with[number])
        if names_count(own_lang, lang):
            e = with_names(e, linked)
        t = cosine_of(terms) if terms is not None else 0.0
        f = facts_part(rarities) if facts and has_facts else 0.0
        raw = combine(same, e, t, f, bool(own_named and named))
        factor = factors.get(dates)
        if factor is None:
            them = _when(other_id, lang, dates)
            factor = factors[dates] = date_factor(days_apart(own_profile, them))
        scores[other_id] = raw * factor
    return scores


def _when(article_id: str, lang: str, dates: str) -> Profile:
    """A profile holding only what :func:`days_apart` looks at (the stored ``dates``)."""
    when, no_year = json.loads(dates)
    empty: Counter[str] = Counter()
    return Profile(
        article_id,
        lang,
        None,
        empty,
        empty,
        frozenset(),
        frozenset(),
        frozenset(date.fromordinal(d) for d in when),
        frozenset((m, d) for m, d in no_year),
    )


def _postings(
    db: sqlite3.Connection, wanted: set[tuple[str, str]]
) -> dict[tuple[str, str], tuple[array[int], array[float]]]:
    found = {}
    keys = sorted(wanted)
    for start in range(0, len(keys), 400):
        chunk = keys[start : start + 400]
        clause = " OR ".join("(kind = ? AND key = ?)" for _ in chunk)
        params = [v for pair in chunk for v in pair]
        query = f"SELECT kind, key, articles, weights FROM feature WHERE {clause}"
        for kind, key, held, weights in db.execute(query, params):
            found[kind, key] = (_ints(held), _floats(weights))
    return found


def _ints(data: bytes) -> array[int]:
    found = array("i")
    found.frombytes(data)
    return found


def _floats(data: bytes) -> array[float]:
    found = array("d")
    found.frombytes(data)
    return found
