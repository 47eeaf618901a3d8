"""What a searcher's first keystrokes would load, loaded before typing starts.

In the app the first letters typed paid once for what every later search reuses: the corpus
word list and its name tables, and the gazetteer (the first letter: 35-60 ms of CPU), and which
articles are in Arabic (to put the query's script first: 13 ms at 10,000 articles); the
order of the empty box's list (23 ms at 10,000 articles, 120 ms at 50,000: a query cleared
would wait for it, and the next key typed after it); the
import of numpy with the vectorised path and each segment's field lengths (the first search
that reads many postings: 100-170 ms); and the postings of the common words a prefix stands
for (``lib``: 35-50 ms at 10,000 articles, the same prefix again 7 ms). :class:`Warming` does
that work in small steps (:meth:`Searcher.warm_step`), so the app can run it in the background
once per index generation, taking its search lock for one step at a time: a keystroke waits
for one step at most (a step reads about :data:`READ_STEP` postings or looks at
:data:`SCAN_STEP` entries of the terms table, a few ms; the first steps, loading the word
list, the gazetteer and numpy, are longer), never for all, and none once the app says a
search wants the lock (``wanted`` in :func:`run_warming`).

The common words: the title and body terms in at least
:data:`reader.core.search.vector_gate.COMMON` articles, most frequent first, until
:data:`WARM_POSTINGS` postings are read; their scored lists go to the vectorised path's cache
(:data:`reader.core.search.vector.CACHE_BYTES`), the very lists a search would compute.

What it holds afterwards: numpy's modules (about 15-20 MB of the process), four arrays of 8
bytes a document per segment (the lengths of the title and body and of their starts fields,
:mod:`reader.core.search.word_starts`: 320 KB at 10,000 articles), at most
16 bytes a posting read ahead (16 MB for :data:`WARM_POSTINGS`), and the word list the first
keystroke would have loaded anyway. ``reader search`` (one query per process) does not warm:
it keeps its cold path (no numpy for a modest query).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3TermInfo

from reader.core.search.query import SEARCH_FIELDS
from reader.core.search.vector_gate import COMMON
from reader.core.search.word_starts import STARTS_FIELDS

if TYPE_CHECKING:
    from reader.core.search.searcher import Searcher

WARM_POSTINGS = 1_000_000  # postings of the most common terms read ahead (16 MB at most)
READ_STEP = 2_000  # postings read in one step (2-4 ms at 50,000 articles)
SCAN_STEP = 2_000  # terms table entries looked at in one step (3-4 ms at 50,000 articles)
QUIET = 0.5  # seconds without a search before warming goes on (typing goes first)
BREATHE = 0.002  # seconds between two steps: the app's other threads take their turn


def run_warming(
    lock: threading.Lock,
    current: Callable[[], Any],
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    cancelled: Callable[[], bool] = lambda: False,
    wanted: Callable[[], bool] = lambda: False,
) -> int:
    """Warm the open searcher (``current()``, read with ``lock`` held) to the end, one step
    per taking of ``lock``, for a background thread: between two steps the lock is free
    and the thread sleeps :data:`BREATHE` (Python runs one thread at a time: a warming that
    never paused would slow the searches and the screen by as many times as threads run),
    and while searches are being made (one less than :data:`QUIET` seconds ago) it waits,
    so typing never competes with it. While ``wanted()`` says the lock is wanted (the
    caller's search or read asked for and not yet answered: it may be waiting for the
    lock, which is not first come first served) no step is taken: the lock goes to it.
    Returns the steps done. Stops when the searcher has nothing left to warm or is not a
    Whoosh searcher (``warm_step``), or as soon as ``cancelled()`` says so (the app
    quitting)."""
    steps = 0
    while not cancelled():
        if wanted():
            sleep(BREATHE)
            continue
        with lock:
            searcher = current()
            step = getattr(searcher, "warm_step", None)
            if step is None:
                return steps
            wait = QUIET - (clock() - getattr(searcher, "searched_at", float("-inf")))
            if wait <= 0:
                if not step():
                    return steps
                steps += 1
        sleep(wait if wait > 0 else BREATHE)
    return steps


class Warming:
    """The warm-up of one searcher's open index generation, a step at a time."""

    def __init__(self, searcher: Searcher) -> None:
        self.generation = searcher._searcher
        self._work = _steps(searcher)
        self.done = False

    def step(self) -> bool:
        """Do the next step; False when nothing is left (then and after, nothing is done).
        An error ends the warm-up quietly: the search that needs what failed meets it and
        says it."""
        if self.done:
            return False
        try:
            next(self._work)
        except Exception:  # StopIteration, or a damaged file: a search will say it
            self.done = True
            return False
        return True


def _steps(searcher: Searcher) -> Iterator[None]:
    vocabulary = searcher._load_vocabulary()
    if searcher.config.cross_script:
        vocabulary.name_layer().load()
    yield
    if searcher.config.cross_script:
        searcher._parser().gazetteer()
        yield
    if searcher.config.same_language_first:  # which articles are Arabic: the hits' order
        searcher._filtered(wq.Term("lang", "ar"))
        yield
    searcher._browse_order()  # the empty box's order: a query cleared lists it at once
    yield
    vector = searcher._vector_index()
    if vector is None:  # no numpy, or a weighting it cannot compute: nothing more to read
        return
    vector.warm((*SEARCH_FIELDS, *STARTS_FIELDS.values()))  # two letters typed: the starts
    yield
    counts: dict[tuple[str, bytes], int] = {}
    leaves = list(searcher._searcher.leaf_searchers())
    least = max(1, COMMON // len(leaves))  # a common term is that common in some segment
    for sub, _offset in leaves:
        for fieldname in SEARCH_FIELDS:
            yield from _scan(sub.reader(), fieldname, least, counts)
    chosen = sorted(
        (item for item in counts.items() if item[1] >= COMMON), key=lambda item: -item[1]
    )
    read = total = 0
    for (fieldname, btext), frequency in chosen:
        if total + frequency > WARM_POSTINGS:
            break
        vector.read_ahead(fieldname, btext.decode("utf-8"))
        total += frequency
        read += frequency
        if read >= READ_STEP:
            read = 0
            yield


def _scan(
    reader: Any, fieldname: str, least: int, counts: dict[tuple[str, bytes], int]
) -> Iterator[None]:
    """Add to ``counts`` each term of ``fieldname`` in at least ``least`` of the segment's
    documents, with that count; one yield every :data:`SCAN_STEP` entries. Whoosh 3's terms
    table is ordered by field number then term, so a field's terms are one run of it."""
    terms = getattr(reader, "_terms", None)
    tindex = getattr(terms, "_tindex", None)
    keycoder = getattr(terms, "_keycoder", None)
    if tindex is None or keycoder is None or not hasattr(tindex, "closest_key_pos"):
        return
    head = keycoder(fieldname, b"")
    dbfile = tindex.dbfile
    position = tindex.closest_key_pos(head)
    if position is None:
        return
    for seen, (keypos, keylen, datapos, _datalen) in enumerate(tindex._ranges(pos=position), 1):
        key = dbfile.get(keypos, keylen)
        if not key.startswith(head):
            return
        frequency = W3TermInfo.read_doc_freq(dbfile, datapos)
        if frequency >= least:
            term = (fieldname, key[len(head) :])
            counts[term] = counts.get(term, 0) + frequency
        if seen % SCAN_STEP == 0:
            yield
