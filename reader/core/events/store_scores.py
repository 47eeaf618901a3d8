"""The similarity table stored with the events, written here (:func:`write_scores`), so the
similarity of one article to every other is read from it without building a
:class:`reader.core.events.similarity.Similarity` over every stored profile (what the compare
view ranks its choices by: :mod:`reader.core.events.pivot_scores`), and the events of a few
articles are read alone (:func:`events_from_table`).

``event-scores.sqlite`` in the live index generation holds, computed from the stored profiles
when they are written (:func:`write_scores`), what a Similarity over all of them would compute
for any pair: each feature's document frequency, and for each entity key and word the
articles whose weighted vector keeps it (their number, its weight),
for each fact the articles that state it; and for each article its id, content digest,
language, whether it names a known entity and the dates that say when it happened.

:func:`reader.core.events.pivot_scores.scores_from_table` then scores a stored, unchanged
pivot against the articles that share something with it: exactly (to the last bit) what
``Similarity(all profiles).score(pivot, other).score`` gives, since every product is the
same, the sums are exactly rounded (:func:`reader.core.events.similarity.cosine_of`) and the
parts are put together by the same function (:func:`reader.core.events.similarity.combine`);
the names part of the English–Arabic pairs
:meth:`~reader.core.events.similarity.Similarity.named_pairs` gives is stored; every other
article scores 0. It returns None, and the caller computes the scores as before, when the
file is missing, damaged, of another format or settings, not the one written with the events
(``token``), or when the pivot is not stored as it is now.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core.events.feature_lists import Entries, feature_lists

if TYPE_CHECKING:  # imported when writing: a reader of the table does not load profiling
    from reader.core.events.similarity import Profile, Similarity

SCORES_FILE = "event-scores.sqlite"
# 3: a known entity named; 4: the names part; 5: prior, facts by rarity; 6: facts; 7: the lead
SCORES_FORMAT = 7
_KINDS = ("e", "t", "f")
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE article (
    n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, digest TEXT NOT NULL, lang TEXT NOT NULL,
    has_facts INTEGER NOT NULL,
    named INTEGER NOT NULL,
    dates TEXT NOT NULL, vectors TEXT NOT NULL, event TEXT, published TEXT
);
CREATE TABLE event (id TEXT PRIMARY KEY, record TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX article_event ON article (event);
CREATE TABLE names (a INTEGER NOT NULL, b INTEGER NOT NULL, score REAL NOT NULL,
    PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE TABLE feature (
    kind TEXT NOT NULL, key TEXT NOT NULL, df INTEGER NOT NULL,
    articles BLOB NOT NULL, weights BLOB NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
"""


def _dates(p: Profile) -> str:
    return json.dumps(
        [sorted(d.toordinal() for d in p.when), sorted(list(md) for md in p.when_no_year)]
    )


def write_scores(
    path: Path,
    profiles: Mapping[str, Profile],
    digests: Mapping[str, str],
    settings: Mapping[str, Any],
    token: str,
    events: Sequence[tuple[str, Sequence[str], str]] = (),
    similarity: Similarity | None = None,
) -> None:
    """Write the table of ``profiles`` (every stored profile, with its article's digest) to
    ``path``, replacing it atomically, with ``events`` (id, articles, the record stored for
    it, as JSON) so the event of one article can be read alone; ``settings`` and ``token``
    are what a reader must find there; ``similarity``: one over exactly ``profiles``, when the
    caller has it. Raises OSError (sqlite3.Error as OSError) when it
    cannot be written."""
    event_of = {member: event_id for event_id, members, _record in events for member in members}
    if similarity is None:
        from reader.core.events.similarity import Similarity

        similarity = Similarity(list(profiles.values()))
    ids = sorted(profiles)
    number = {i: n for n, i in enumerate(ids)}

    def rows() -> Iterator[tuple[Any, ...]]:  # made as they are written, not all held
        for i in ids:
            p = profiles[i]
            ent = similarity.entity_weights(i)
            terms = list(similarity.packed_terms(i)[0])
            vectors = json.dumps([list(ent), terms, sorted(p.facts)])
            published = p.published.isoformat() if p.published is not None else None
            yield (
                number[i],
                i,
                digests[i],
                p.lang,
                int(bool(p.facts)),
                int(bool(p.entities)),
                _dates(p),
                vectors,
                event_of.get(i),
                published,
            )

    df = similarity._df

    def entries(kind: str) -> Iterator[Entries]:
        """Each article's keys of ``kind`` and their weights, in number order."""
        for i in ids:
            if kind == "f":
                yield profiles[i].facts, None
            elif kind == "e":
                vector = similarity.entity_weights(i)
                yield vector.keys(), vector.values()
            else:
                yield similarity.packed_terms(i)

    def features() -> Iterator[tuple[str, str, int, bytes, bytes]]:
        """The feature rows in key order (kind, key): each key's articles (by number) and
        their weights (:func:`reader.core.events.feature_lists.feature_lists`); a fact's
        only when at least two articles state it."""
        empty = b""
        for kind in sorted(_KINDS):  # in key order (kind, key): see the inserts below
            counts = df[kind]
            for key, numbers, weights in feature_lists(sorted(counts), entries(kind)):
                count = counts[key]
                if kind == "f" and count < 2:
                    yield (kind, key, count, empty, empty)
                else:
                    yield (kind, key, count, numbers, weights)

    meta = {
        "format": str(SCORES_FORMAT),
        "settings": json.dumps(dict(settings), sort_keys=True),
        "token": token,
        "n": str(len(ids)),
    }
    part = path.with_name(path.name + ".part")
    try:
        part.unlink(missing_ok=True)
        with closing(connect(part)) as db, db:
            db.executescript(_SCHEMA)
            db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            db.executemany("INSERT INTO article VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
            # Every keyed table in key order: appended, not inserted in the middle of its
            # B-tree (less work), and the same file whatever order sets iterate in.
            by_id = sorted((i, r) for i, _m, r in events)
            db.executemany("INSERT INTO event VALUES (?, ?)", by_id)
            db.executemany("INSERT INTO feature VALUES (?, ?, ?, ?, ?)", features())
            # Worked out last, once the features' lists are let go (the names indexes and
            # the rows of 50,000 articles take some 20 MB).
            names = _names_rows(similarity, number)
            names.sort()
            db.executemany("INSERT INTO names VALUES (?, ?, ?)", names)
            del names
        part.replace(path)
    except sqlite3.Error as exc:
        part.unlink(missing_ok=True)
        raise OSError(f"cannot write {path}: {exc}") from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def _names_rows(similarity: Similarity, number: Mapping[str, int]) -> list[tuple[int, int, float]]:
    """The names part of the English–Arabic pairs :meth:`Similarity.named_pairs` gives (by
    the articles' numbers), both ways, where it is not 0. Each article's names index is let
    go after its last pair (and those made before are let go first), so only the indexes of
    the articles still to come are held, not every article's."""
    pairs = similarity.named_pairs()
    last: dict[str, int] = {}
    for n, (a, b) in enumerate(pairs):
        last[a] = last[b] = n
    similarity.forget_names()
    names: list[tuple[int, int, float]] = []
    for n, (a, b) in enumerate(pairs):
        value = similarity.names_score(a, b)
        if value:
            names.extend(((number[a], number[b], value), (number[b], number[a], value)))
        similarity.forget_names(i for i in (a, b) if last[i] == n)
    return names


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection to the table at ``path`` (read-only with ``readonly``; sqlite3.Error when
    it cannot be opened); the caller closes it."""
    if readonly:
        return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    return sqlite3.connect(path)


def scores_token(path: Path) -> str | None:
    """The token the table at ``path`` was written with, or None when it cannot be read or
    is of another layout."""
    if not path.is_file():
        return None
    try:
        with closing(connect(path, readonly=True)) as db:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error:
        return None
    token = meta.get("token")
    if meta.get("format") != str(SCORES_FORMAT) or not isinstance(token, str):
        return None  # another layout: written anew
    return token


def events_from_table(
    path: Path, token: str, article_ids: Collection[str]
) -> tuple[list[Any], dict[str, str]] | None:
    """(the stored records of the events holding any of ``article_ids``, as decoded JSON;
    the publication date, ISO, of each of their articles that has one) from the table at
    ``path`` written with ``token``; None when it cannot serve."""
    if not path.is_file():
        return None
    try:
        with closing(connect(path, readonly=True)) as db:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("format") != str(SCORES_FORMAT) or meta.get("token") != token:
                return None
            wanted = sorted(set(article_ids))
            events: set[str] = set()
            for start in range(0, len(wanted), 900):
                chunk = wanted[start : start + 900]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT event FROM article WHERE id IN ({marks}) AND event IS NOT NULL"
                events.update(row[0] for row in db.execute(query, chunk))
            records: list[Any] = []
            for event_id in sorted(events):
                row = db.execute("SELECT record FROM event WHERE id = ?", (event_id,)).fetchone()
                if row is None:
                    return None
                records.append(json.loads(row[0]))
            published: dict[str, str] = {}
            for event_id in sorted(events):
                query = "SELECT id, published FROM article WHERE event = ?"
                for article_id, day in db.execute(query, (event_id,)):
                    if day is not None:
                        published[article_id] = day
    except (sqlite3.Error, ValueError, TypeError, RecursionError):
        return None
    return records, published


def stored_ids(path: Path, token: str, article_ids: Collection[str]) -> set[str] | None:
    """Those of ``article_ids`` that are articles of the table at ``path`` written with
    ``token`` (every article the events were computed over); None when it cannot serve."""
    if not path.is_file():
        return None
    wanted = sorted(set(article_ids))
    found: set[str] = set()
    try:
        with closing(connect(path, readonly=True)) as db:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("format") != str(SCORES_FORMAT) or meta.get("token") != token:
                return None
            for start in range(0, len(wanted), 900):
                chunk = wanted[start : start + 900]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT id FROM article WHERE id IN ({marks})"
                found.update(row[0] for row in db.execute(query, chunk))
    except sqlite3.Error:
        return None
    return found
