"""What a searcher's first keystrokes would load, loaded before typing starts.

In the app the first letters typed paid once for what every later search reuses: the corpus
word list and its name tables (the first letter: 30-60 ms), the gazetteer (about 50 ms), and
on the first search that reads many postings the import of numpy with the vectorised path and
each segment's field lengths (100-170 ms): a first three-letter prefix took 150-250 ms under
load, the same prefix again 10-20 ms. :func:`warm_steps` lists that work as small steps, so
the app can run them in the background once per index generation (after the index opens or is
refreshed), taking its search lock for one step at a time: a keystroke waits at most for one
step, never for all.

What it holds afterwards: numpy's modules (about 15-20 MB of the process), two arrays of 8
bytes a document per segment (the title and body lengths: 160 KB at 10,000 articles), and the
word list the first keystroke would have loaded anyway. ``reader search`` (one query per
process) does not warm: it keeps its cold path (no numpy for a modest query).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from reader.core.search.query import SEARCH_FIELDS

if TYPE_CHECKING:
    from reader.core.search.searcher import Searcher


def warm_steps(searcher: Searcher) -> list[Callable[[], None]]:
    """The steps that load what the first searches of ``searcher``'s open index need. Each
    is to be called with the searcher's lock held (the searcher is not thread-safe); one made
    for an index generation the searcher has since left (:meth:`Searcher.refresh`) does
    nothing. Errors are not raised (a damaged word list is met, and said, by the search that
    needs it)."""
    generation = searcher._searcher

    def current() -> bool:
        return searcher._searcher is generation

    def words() -> None:
        if current():
            vocabulary = searcher._load_vocabulary()
            if searcher.config.cross_script:
                vocabulary.name_layer()

    def gazetteer() -> None:
        if current() and searcher.config.cross_script:
            searcher._parser().spellings("")

    def vectorised() -> None:
        if not current():
            return
        vector = searcher._vector_index()
        if vector is not None:
            vector.warm(SEARCH_FIELDS)

    steps = [words, gazetteer, vectorised]
    return [_quiet(step) for step in steps]


def _quiet(step: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            step()
        except Exception:  # the search that needs it meets the error and says it
            return

    return run
