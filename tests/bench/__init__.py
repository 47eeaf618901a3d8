"""reader's benchmark suite: reader beside SQLite FTS5 and Xapian on a synthetic corpus.

Run it with ``python -m tests.bench`` (``make bench``); ``--help`` lists the options. This
package is a tool, not part of reader: it lives under ``tests/``, outside the installed package,
and neither the app nor the CLI imports it.

This module holds the query set (engine-neutral :class:`QuerySpec`, written in each engine's
syntax by :func:`reader_query` here and by the functions of :mod:`tests.bench.references`) and
reader's side of the measurements, each run in a child process started by
:mod:`tests.bench.__main__` as ``python -m tests.bench worker TASK ARGS...``; each prints one
JSON object. The app probe is pluggable: it is measured when ``reader.app.app.ReaderApp(config)``
exists, and its keystroke measurement needs an ``Input`` with id ``search`` and a ``SearchDone``
message with a ``query`` attribute posted when results arrive; anything missing gives a
"skipped" entry with the reason instead of a number.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.core.text.stopwords import SEARCH_ARABIC, SEARCH_ENGLISH  # kept out of queries
from tests.bench.corpus_gen import ENGLISH_SHARE, Vocabulary, generate_article
from tests.bench.measure import TreePeak
from tests.bench.references import peak_rss_kib

APP_FACTORY = ("reader.app.app", "ReaderApp")
APP_SEARCH_INPUT = "#search"
APP_RESULTS_MESSAGE = "SearchDone"


# As the app produces them: a word being typed (1 to 3 letters, searched with ``typing``: the
# word as written, or as a prefix from three letters), whole words, two words (AND), a phrase,
# an explicit prefix (``word*``), a name with spellings in the other script, a word in one
# language only.
QUERY_KINDS = ("typing", "term", "and", "phrase", "prefix", "name", "filter")
LIMIT = 25  # hits per search, with snippets: what the app fetches while typing


@dataclass(frozen=True, slots=True)
class QuerySpec:
    """An engine-neutral query: each engine writes it in its own syntax.

    ``kind`` is one of :data:`QUERY_KINDS`; ``words`` are one word (term, name, filter), two
    words (and, phrase) or a prefix without its ``*`` (prefix, typing); ``lang_filter`` is set
    for "filter". "typing" is searched by reader as the app searches a box being typed in
    (``typing=True``: the letters as a word, and from
    :data:`reader.core.config.TYPED_PREFIX_FROM` letters as a prefix too), by the
    references the same way (a prefix from that many letters, else the word)."""

    kind: str
    lang: str
    words: tuple[str, ...]
    lang_filter: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON form, read back by the reference engines' workers."""
        return {
            "kind": self.kind,
            "lang": self.lang,
            "words": list(self.words),
            "lang_filter": self.lang_filter,
        }


def _content_word(word: str, lang: str) -> bool:
    if lang == "en":
        return word.isascii() and word.isalpha() and len(word) >= 4 and word not in SEARCH_ENGLISH
    return word.isalpha() and len(word) >= 3 and word not in SEARCH_ARABIC


def make_queries(vocab: Vocabulary, seed: int, size: int, count: int = 200) -> list[QuerySpec]:
    """``count`` queries (at least 200 for a p95 that means something), the kinds in equal
    shares, 70% English; words are drawn from articles of the corpus, so most queries match.

    Prefixes are 4 or 5 letters of a word, typed words 1 to 3 letters of one (a third each);
    phrases are two adjacent content words of an article; names are names of the gazetteer
    that the generator writes into articles, in either script.
    """
    rng = random.Random(seed * 31 + 17)
    specs: list[QuerySpec] = []
    for i in range(count):
        kind = QUERY_KINDS[i % len(QUERY_KINDS)]
        lang = "en" if rng.random() < ENGLISH_SHARE else "ar"
        number = rng.randrange(size)
        source = generate_article(vocab, seed, number)
        if source.lang != lang:  # find the next article in the wanted language
            for step in range(1, 50):
                candidate = generate_article(vocab, seed, (number + step) % size)
                if candidate.lang == lang:
                    source = candidate
                    break
        lang = source.lang
        tokens = [t.strip(".,،") for p in source.paragraphs for t in p.split()]
        content = [t for t in tokens if _content_word(t.lower() if lang == "en" else t, lang)]
        content = [t.lower() if lang == "en" else t for t in content] or ["news"]
        if kind == "term":
            specs.append(QuerySpec(kind, lang, (rng.choice(content),)))
        elif kind == "typing":
            word = rng.choice(content)
            specs.append(QuerySpec(kind, lang, (word[: 1 + i // len(QUERY_KINDS) % 3],)))
        elif kind == "name":
            names = [n for n in vocab.names.get(lang, ()) if " " not in n] or ["news"]
            specs.append(QuerySpec(kind, lang, (rng.choice(names),)))
        elif kind == "filter":
            specs.append(QuerySpec(kind, lang, (rng.choice(content),), lang_filter=lang))
        elif kind == "and":
            first, second = rng.sample(content, k=2) if len(content) > 1 else (content * 2)[:2]
            specs.append(QuerySpec(kind, lang, (first, second)))
        elif kind == "phrase":
            specs.append(QuerySpec(kind, lang, _bigram(rng, tokens, lang) or (content[0],)))
        else:
            long_words = [w for w in content if len(w) >= 6] or content
            word = rng.choice(long_words)
            specs.append(QuerySpec(kind, lang, (word[: rng.choice((4, 5))],)))
    return specs


def _bigram(rng: random.Random, tokens: list[str], lang: str) -> tuple[str, str] | None:
    starts = list(range(len(tokens) - 1))
    rng.shuffle(starts)
    for start in starts[:200]:
        first, second = tokens[start], tokens[start + 1]
        if lang == "en":
            first, second = first.lower(), second.lower()
        if _content_word(first, lang) and _content_word(second, lang):
            return first, second
    return None


def reader_query(spec: dict[str, Any]) -> str:
    """An engine-neutral query spec in reader's (Whoosh's) query language."""
    words, kind = spec["words"], spec["kind"]
    if kind == "and":
        return f"{words[0]} AND {words[1]}"
    if kind == "phrase":
        return '"' + " ".join(words) + '"'
    if kind == "prefix":
        return str(words[0]) + "*"
    if spec.get("lang_filter"):
        return f"{words[0]} lang:{spec['lang_filter']}"
    return str(words[0])


def reader_typing(spec: dict[str, Any]) -> bool:
    """Whether reader searches the spec as a query being typed (the app's search box)."""
    return bool(spec["kind"] == "typing")


def _config(path: str) -> Any:
    from reader.core.config import load_config

    return load_config(Path(path))


def task_build(config_path: str) -> dict[str, Any]:
    """A full rebuild of reader's index."""
    from reader.core.search.index import update_index

    config = _config(config_path)
    started, cpu = time.perf_counter(), tree_cpu()
    report = update_index(config, rebuild=True)
    return {
        "seconds": time.perf_counter() - started,
        "cpu_s": tree_cpu() - cpu,
        "articles": report.total,
        "skipped": len(report.skipped),
    }


def tree_cpu() -> float:
    """CPU seconds used so far by this process and its children that have ended (the
    workers of a build or of profiling): under load, a steadier measure of work than the
    wall clock."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def task_reindex(config_path: str) -> dict[str, Any]:
    """An incremental update of reader's index."""
    from reader.core.search.index import update_index

    config = _config(config_path)
    started = time.perf_counter()
    report = update_index(config)
    return {
        "seconds": time.perf_counter() - started,
        "changed": report.added + report.updated + report.removed,
        "rebuilt": report.rebuilt,
    }


def task_search(config_path: str, queries: str, passes: str, snippets: str) -> dict[str, Any]:
    """Every query ``passes`` times after a warm-up pass, top :data:`LIMIT`.

    With snippets, each query is searched as the app searches it (:meth:`Searcher.search`:
    cross-script spellings, the language sort, snippets and marks; "typing" queries with
    ``typing``). Without, the query is prepared and expanded the same way and only its plain
    form is run (:meth:`Searcher._top`: the vectorised path or Whoosh's, as search chooses),
    the ids of the hits read as a list of titles would.

    The warm-up pass's times are given too (``first``: each query the first time, its term
    lists not yet kept; the exhaustive ranking of a query is computed after its search is
    timed). It records each query's hit ids (the references' overlap is computed from
    them) and, with snippets, whether the hits are the exhaustive ranking of the same scoring
    (:mod:`tests.bench.exhaustive`): ``exact`` (one bool per query) and ``inexact`` (the
    queries that were not, with both rankings' first ids).
    """
    from reader.core.search.guard import Guard
    from reader.core.search.query import expand
    from reader.core.search.searcher import QueryError, Searcher
    from tests.bench.exhaustive import exhaustive_ranking, same_ranking

    specs = json.loads(Path(queries).read_text(encoding="utf-8"))
    items = [(reader_query(spec), reader_typing(spec)) for spec in specs]
    searcher = Searcher(_config(config_path))
    limits = searcher.config.search_limits

    def with_snippets(item: tuple[str, bool]) -> list[tuple[str, float]]:
        text, typing = item
        return [(h.id, h.score) for h in searcher.search(text, limit=LIMIT, typing=typing).hits]

    def plain(item: tuple[str, bool]) -> list[tuple[str, float]]:
        text, typing = item
        prepared = searcher.prepare(text, typing=typing)
        if prepared.empty:
            return []
        reader = searcher._searcher.reader()
        expanded = expand(prepared, searcher._load_vocabulary, reader, limits)
        found, _total, _exact, _partial = searcher._top(expanded.plain, LIMIT, None, Guard())
        stored = searcher._searcher.stored_fields
        return [(stored(docnum)["id"], score) for score, docnum in found]

    run: Callable[[tuple[str, bool]], list[tuple[str, float]]] = (
        with_snippets if snippets == "1" else plain
    )
    hits: list[int] = []
    ids: list[list[str]] = []
    exact: list[bool] = []
    inexact: list[dict[str, Any]] = []
    errors: list[str] = []
    times: list[list[float]] = []
    first: list[float] = []  # the warm-up pass: each query searched the first time
    for number in range(int(passes) + 1):
        row: list[float] = []
        for item in items:
            started = time.perf_counter()
            try:
                found = run(item)
            except QueryError as exc:
                found = []
                if number == 0:
                    errors.append(f"{item[0]}: {exc}")
            row.append(time.perf_counter() - started)
            if number == 0:
                hits.append(len(found))
                ids.append([doc for doc, _ in found])
                if snippets == "1":
                    try:
                        want = exhaustive_ranking(searcher, item[0], limit=LIMIT, typing=item[1])
                    except QueryError:
                        want = []
                    exact.append(same_ranking(found, want))
                    if not exact[-1]:
                        inexact.append({"query": item[0], "got": ids[-1][:5], "want": want[:5]})
        if number:
            times.append(row)
        else:
            first = row
    searcher.close()
    out: dict[str, Any] = {
        "times": times,
        "first": first,
        "hits": hits,
        "ids": ids,
        "errors": errors,
    }
    if snippets == "1":
        out["exact"], out["inexact"] = exact, inexact[:20]
    return out


def task_browse(config_path: str, repeats: str) -> dict[str, Any]:
    """The empty search box: :meth:`Searcher.browse` (the newest :data:`LIMIT`), the first
    call in a new searcher, then ``repeats`` warm calls."""
    from reader.core.search.searcher import Searcher

    searcher = Searcher(_config(config_path))
    started = time.perf_counter()
    first = searcher.browse(limit=LIMIT)
    first_ms = (time.perf_counter() - started) * 1000
    runs: list[float] = []
    for _ in range(int(repeats)):
        started = time.perf_counter()
        again = searcher.browse(limit=LIMIT)
        runs.append((time.perf_counter() - started) * 1000)
        assert [h.id for h in again] == [h.id for h in first]
    searcher.close()
    runs.sort()
    return {
        "first_ms": first_ms,
        "p50_ms": statistics.median(runs),
        "p95_ms": runs[min(len(runs) - 1, int(len(runs) * 0.95))],
        "hits": len(first),
    }


def task_layout(seed: str, reps: str) -> dict[str, Any]:
    """Layout of a 5,000-word Arabic article at width 80, then again at width 120; a fresh
    article of the same words (shaped already, as after reading a few articles); every row
    styled with highlight spans."""
    try:
        from reader.core.text import layout
    except ImportError as exc:
        return {"skipped": f"reader.core.text.layout is not importable yet ({exc})"}
    from tests.bench.corpus_gen import load_vocabulary
    from tests.bench.measure import median

    article = generate_article(load_vocabulary(), int(seed), 10**6, lang="ar", words=5000)
    text = "\n".join(article.paragraphs)
    rng = random.Random(int(seed))
    spans = [layout.Span(i, i + 5, "reverse") for i in range(0, len(text), 97)]
    first, again, screen, warm, styled = [], [], [], [], []
    lines = 0
    for _ in range(int(reps)):
        layout.clear_caches()  # a fresh article each time: nothing laid out or shaped yet
        started = time.perf_counter()
        laid = layout.layout_text(text, 80, lang="ar")
        first.append(time.perf_counter() - started)
        started = time.perf_counter()
        for line in range(min(40, len(laid.lines))):
            laid.line_text(line)
        screen.append(time.perf_counter() - started)
        started = time.perf_counter()
        wide = layout.layout_text(text, 120, lang="ar")
        again.append(time.perf_counter() - started)
        lines = len(laid.lines)
        assert len(wide.lines) > 0
        # The same words in a new order: every word is shaped already, no paragraph laid out.
        fresh = "\n".join(
            " ".join(rng.sample(p.split(), len(p.split()))) for p in article.paragraphs
        )
        started = time.perf_counter()
        layout.layout_text(fresh, 80, lang="ar")
        warm.append(time.perf_counter() - started)
        started = time.perf_counter()
        spanned = laid.with_spans(spans)
        for line in range(len(spanned)):
            spanned.line_text(line)
        styled.append(time.perf_counter() - started)
    return {
        "words": sum(len(p.split()) for p in article.paragraphs),
        "chars": len(text),
        "lines_at_80": lines,
        "layout_80_ms": median(first) * 1000,
        "first_screen_rows_ms": median(screen) * 1000,
        "relayout_120_ms": median(again) * 1000,
        "warm_words_80_ms": median(warm) * 1000,
        "all_rows_with_spans_ms": median(styled) * 1000,
        "runs": len(first),
    }


def task_app(config_path: str, origin: str, query: str) -> dict[str, Any]:
    """Process start to the app's first screen, and keystroke to results shown (``run_test``):
    for each of the first three letters of ``query`` typed one at a time, and for its last.
    ``..._to_results_ms`` runs until the pilot's wait after the results ends (it includes the
    pilot's idle polling); ``..._painted_ms`` until the first screen drawn after the results
    arrived (from the key's arrival: what a person sees).

    ``origin`` is the parent's ``time.monotonic()`` just before it started this process
    (CLOCK_MONOTONIC is system-wide on Linux, so it compares across processes).

    Each run starts with a state folder of its own: no session of an earlier run (a query, an
    open article) is restored, so every run types into the same fresh window.
    """
    import atexit
    import importlib
    import os
    import shutil
    import tempfile

    state = tempfile.mkdtemp(prefix="reader-bench-state-")
    atexit.register(shutil.rmtree, state, True)
    os.environ["XDG_STATE_HOME"] = state
    try:
        module = importlib.import_module(APP_FACTORY[0])
        factory = getattr(module, APP_FACTORY[1])
    except (ImportError, AttributeError) as exc:
        return {"skipped": f"no app yet: {APP_FACTORY[0]}.{APP_FACTORY[1]} ({exc})"}
    return asyncio.run(_app_probe(factory, _config(config_path), float(origin), query))


async def _app_probe(factory: Any, config: Any, origin: float, query: str) -> dict[str, Any]:
    seen: list[tuple[str, float, str | None]] = []

    def hook(message: Any) -> None:
        seen.append((type(message).__name__, time.monotonic(), getattr(message, "query", None)))

    def first(name: str, text: str | None = None) -> float | None:
        for seen_name, when, seen_query in seen:
            if seen_name == name and (text is None or seen_query == text):
                return when
        return None

    # When the screen was last drawn: "painted" figures run from the key's arrival to the
    # first drawing after the results message, without the pilot's own waits (each
    # ``pilot.press``/``pause`` waits in 20 ms steps until the process looks idle).
    painted: list[float] = []
    try:
        from textual.screen import Screen

        drawn = Screen._compositor_refresh

        def drawing(screen: Any) -> None:
            drawn(screen)
            painted.append(time.monotonic())

        setattr(Screen, "_compositor_refresh", drawing)  # noqa: B010 (a method, patched)
    except (ImportError, AttributeError):
        pass

    def painted_ms(text: str) -> float | None:
        """Key seen to the first screen drawn after ``text``'s results arrived."""
        key, done = first("Key"), first(APP_RESULTS_MESSAGE, text)
        drawn_at = next((t for t in painted if done is not None and t > done), None)
        if key is None or drawn_at is None:
            return None
        return (drawn_at - key) * 1000

    app = factory(config)
    result: dict[str, Any] = {}
    async with app.run_test(size=(120, 36), message_hook=hook) as pilot:
        result["first_screen_ms"] = (time.monotonic() - origin) * 1000
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and (
            first("IndexUpdated") is None or first(APP_RESULTS_MESSAGE) is None
        ):
            await pilot.pause(0.005)
        ready = first(APP_RESULTS_MESSAGE)
        if ready is not None:
            result["first_results_ms"] = (ready - origin) * 1000
        checked = first("IndexUpdated")
        if checked is not None:
            result["index_checked_ms"] = (checked - origin) * 1000
        try:
            from textual.widgets import Input

            box = app.query_one(APP_SEARCH_INPUT, Input)
        except Exception as exc:  # any lookup failure means "this app has no search bar"
            result["keystroke"] = f"skipped: no Input {APP_SEARCH_INPUT} ({exc})"
            return result
        box.focus()
        box.value = ""
        await pilot.pause()
        keys = ["space" if c == " " else c for c in query]
        # The first letters one at a time, each measured once its results are shown (the
        # one-, two- and three-letter prefixes typing produces), then the rest at once.
        for typed, key in enumerate(keys[: min(3, len(keys) - 1)], start=1):
            prefix = query[:typed]
            seen.clear()
            painted.clear()
            started = time.monotonic()
            await pilot.press(key)
            if " " in prefix:
                continue
            while time.monotonic() < started + 10 and first(APP_RESULTS_MESSAGE, prefix) is None:
                await pilot.pause(0.001)
            if first(APP_RESULTS_MESSAGE, prefix) is not None:
                await pilot.pause()
                result[f"keystroke_{typed}_to_results_ms"] = (time.monotonic() - started) * 1000
                drawn_ms = painted_ms(prefix)
                if drawn_ms is not None:
                    result[f"keystroke_{typed}_painted_ms"] = drawn_ms
        await pilot.press(*keys[min(3, len(keys) - 1) : -1])
        seen.clear()
        painted.clear()
        started = time.monotonic()
        await pilot.press(keys[-1])
        while time.monotonic() < started + 30 and first(APP_RESULTS_MESSAGE, query) is None:
            await pilot.pause(0.001)
        if first(APP_RESULTS_MESSAGE, query) is None:
            result["keystroke"] = f"skipped: no {APP_RESULTS_MESSAGE} for {query!r} within 30 s"
            return result
        await pilot.pause()  # let the handler fill the list and the screen refresh
        result["keystroke_to_results_ms"] = (time.monotonic() - started) * 1000
        drawn_ms = painted_ms(query)
        if drawn_ms is not None:
            result["keystroke_painted_ms"] = drawn_ms
        seen.clear()
        started = time.monotonic()
        await pilot.press("enter")
        while time.monotonic() < started + 30 and first(APP_RESULTS_MESSAGE, query) is None:
            await pilot.pause(0.001)
        if first(APP_RESULTS_MESSAGE, query) is not None:
            await pilot.pause()
            result["enter_to_results_ms"] = (time.monotonic() - started) * 1000
    return result


def task_events(config_path: str, repeats: str, build: str = "1") -> dict[str, Any]:
    """The events layer on an index already built: a full build through the library without
    the events, then with them (both skipped with ``build`` "0", to measure an index built
    before), the events computed from scratch alone, then reading them as the library serves
    them and as the compare view does when it opens (the pivot's event and who reported it,
    for the largest event's first article and for an article standing alone) and when it
    ranks the choices (median of ``repeats`` runs, of fewer for the ranking). Checked against
    the slow paths: the event the view opens on is the one :meth:`Library.events` lists (for
    a sample of articles), the top 20 choices are those of a Similarity over every stored
    profile, and the digest of what `reader events --json` must print (the records built
    from every article, as the command did before it read a listing) for the caller to
    compare."""
    import hashlib
    from types import SimpleNamespace

    from reader.app.screens.compare import CompareScreen
    from reader.core.events.store import scores_with
    from reader.core.library import Library
    from reader.core.library_events import _live_folder
    from reader.core.records import EventRecord
    from reader.core.text.sanitize import json_line

    config = _config(config_path)
    out: dict[str, Any] = {}
    with Library(config) as library:
        if build != "0":
            # The A/B the events' cost is judged by: the same full build in the same process,
            # without the events, then with them (what `reader index` does).
            started, cpu = time.perf_counter(), tree_cpu()
            library.update(rebuild=True, events=False)
            out["index_alone_s"] = time.perf_counter() - started
            out["index_alone_cpu_s"] = tree_cpu() - cpu
            started, cpu = time.perf_counter(), tree_cpu()
            with TreePeak() as peak:
                library.update(rebuild=True)
            out["build_with_events_s"] = time.perf_counter() - started
            out["build_with_events_cpu_s"] = tree_cpu() - cpu
            out["build_with_events_peak_mb"] = peak.kib / 1024
            started, cpu = time.perf_counter(), tree_cpu()
            with TreePeak() as peak:
                library.refresh_events(rebuild=True)
            out["events_s"] = time.perf_counter() - started
            out["events_cpu_s"] = tree_cpu() - cpu
            out["events_peak_mb"] = peak.kib / 1024
        library.update()  # and the notes the fast paths read
        library.open()
        reads = []
        for _ in range(int(repeats)):
            started = time.perf_counter()
            events = library.events()
            reads.append((time.perf_counter() - started) * 1000)
        out["library_events_ms"] = statistics.median(reads)
        out["library_events_first_ms"] = reads[0]  # the others read what it decoded
        out["events"] = len(events)
        out["events_of_several"] = sum(len(e.article_ids) > 1 for e in events)
        pivot_event = max(events, key=lambda e: (len(e.article_ids), e.id))
        alone = next((e for e in events if len(e.article_ids) == 1), pivot_event)
        screen = SimpleNamespace(library=library, config=config)
        screen.Gathered = CompareScreen.Gathered
        screen._event_scores = lambda members: CompareScreen._event_scores(screen, members)  # type: ignore[arg-type]
        for key, event in (("coverage_ms", pivot_event), ("coverage_alone_ms", alone)):
            screen.article = library.article(event.article_ids[0])
            steps = []
            for _ in range(int(repeats)):
                started = time.perf_counter()
                gathered = CompareScreen._coverage(screen)  # type: ignore[arg-type]
                steps.append((time.perf_counter() - started) * 1000)
            out[key] = statistics.median(steps)
            out[key.replace("_ms", "_right")] = gathered.event == event
        out["coverage_event_size"] = len(pivot_event.article_ids)
        rng = random.Random(7)
        sample = rng.sample(library.ids(), min(200, len(library.ids())))
        out["event_of_same"] = all(
            library.event_of(i) == next(e for e in events if i in e.article_ids) for i in sample
        )
        screen.article = pivot = library.article(alone.article_ids[0])
        ranks = []
        for _ in range(max(1, int(repeats) // 3)):
            started = time.perf_counter()
            choices = CompareScreen._rank_choices(screen)  # type: ignore[arg-type]
            ranks.append((time.perf_counter() - started) * 1000)
        out["choices_ms"] = statistics.median(ranks)
        gazetteer = library._gazetteer()
        slow = scores_with(
            _live_folder(config),
            pivot,
            gazetteer,
            library.gazetteer_name(),
            config.event_threshold,
        )
        if slow is not None:
            top = sorted(slow, key=lambda i: (-slow[i], i))[:20]
            out["choices_same"] = [c.article_id for c in choices[:20]] == top
        by_id = {a.id: a for a in library.articles()}
    records = [EventRecord.from_event(e, by_id, config.outlets) for e in _date_order(events)]
    text = json_line(
        {
            "threshold": config.event_threshold,
            "since": None,
            "until": None,
            "one_sided": False,
            "events": [r.as_dict() for r in records],
        }
    )
    out["events_json_digest"] = hashlib.blake2b((text + "\n").encode("utf-8")).hexdigest()
    return out


def _date_order(events: Any) -> Any:
    from reader.core.events.timeline import in_date_order

    return in_date_order(events)


TASKS: dict[str, Callable[..., dict[str, Any]]] = {
    "build": task_build,
    "events": task_events,
    "reindex": task_reindex,
    "search": task_search,
    "browse": task_browse,
    "layout": task_layout,
    "app": task_app,
}


def worker_main(argv: list[str]) -> int:
    """``python -m tests.bench worker TASK ARGS...``: run one task, print its JSON."""
    task, *args = argv
    result = TASKS[task](*args)
    result.update(peak_rss_kib())
    sys.stdout.write(json.dumps(result, allow_nan=False) + "\n")
    return 0
