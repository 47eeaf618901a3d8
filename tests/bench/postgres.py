"""Both search backends side by side: the embedded Whoosh index and a PostgreSQL server.

Run it with ``python -m tests.bench.postgres [--sizes 10000,50000] [--huge]`` (``--huge`` adds
200,000 articles). It starts a throwaway PostgreSQL cluster (:mod:`tests.pg_cluster`: initdb
in a temporary folder, unix socket, fsync and synchronous commit off), and at each size:

1. takes the synthetic corpus of :mod:`tests.bench.corpus_gen` (seed 7, as ``make bench``),
   reused read-only from ``--corpora DIR`` (``DIR/<n/1000>k/corpus``) when one there was made
   with the same generator, seed and vocabulary, else generated under ``--work``;
2. builds each backend's index from nothing (``Backend.update``: the index only, not the
   events), each in a fresh child process: seconds and peak memory. With ``--keep DIR`` the
   cluster, both indexes and their build figures stay in DIR, and a later run with the same
   ``--keep`` reuses them instead of building again (the figures are those of the build);
3. checks that both find the same articles for every query of the fair mix
   (:func:`tests.bench.make_queries`: terms, AND, phrases, prefixes, typed words searched as
   the app's box searches them, language filters, 70% English), every hit of each (no
   limit), as sets (the rankings differ); each query that differs is listed with the
   articles each side found that the other did not;
4. measures warm search latency (the library's search: top 25 with snippets, as the app
   asks) with 1, 4 and 16 concurrent searchers, each a process with its own index (a
   connection on the server), Whoosh and the server taking turns at each count: p50/p95 per
   query and the queries per second of all searchers together.

Figures are wall-clock on a shared machine: compare the two backends of one run (they are
measured interleaved), not runs of different days. The load average is reported with them.
This module is a tool, not a test: nothing imports it.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from tests.bench import LIMIT, make_queries, reader_query, reader_typing
from tests.bench.corpus_gen import MARKER, Vocabulary, _marker, ensure_corpus, load_vocabulary
from tests.bench.measure import percentile

SEED = 7
SIZES = (10_000, 50_000)
HUGE = 200_000
SEARCHERS = (1, 4, 16)
BACKENDS = ("whoosh", "postgresql")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.postgres", description=__doc__)
    parser.add_argument(
        "--sizes",
        type=lambda s: [int(x) for x in s.split(",") if x.strip()],
        default=list(SIZES),
        help="corpus sizes, comma-separated (default 10000,50000)",
    )
    parser.add_argument("--huge", action="store_true", help=f"also {HUGE:,} articles")
    parser.add_argument("--queries", type=int, default=200, help="queries in the mix")
    parser.add_argument("--passes", type=int, default=2, help="passes over the queries")
    parser.add_argument(
        "--searchers",
        type=lambda s: [int(x) for x in s.split(",") if x.strip()],
        default=list(SEARCHERS),
        help="concurrent searcher counts (default 1,4,16)",
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/reader-bench-postgres"))
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="keep the cluster and both indexes in this folder, and reuse them when built",
    )
    parser.add_argument(
        "--corpora",
        type=Path,
        default=None,
        help="a folder of corpora made before (<n/1000>k/corpus), used read-only when they match",
    )
    parser.add_argument(
        "--no-check", action="store_true", help="skip the comparison of the result sets"
    )
    parser.add_argument(
        "--only",
        type=lambda s: [q for q in s.split("\n") if q.strip()],
        default=None,
        help="compare only these queries of the mix (one a line), e.g. those that differed",
    )
    parser.add_argument("--out", type=Path, default=None, help="JSON results (default: in work)")
    return parser.parse_args(argv)


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def load() -> str:
    """The load averages (1, 5, 15 minutes)."""
    try:
        return " ".join(Path("/proc/loadavg").read_text(encoding="ascii").split()[:3])
    except OSError:
        return "?"


# ----- corpus and configs -----


def corpus_for(size: int, vocab: Vocabulary, args: argparse.Namespace) -> Path:
    """A clean corpus of ``size`` articles: a shared one, read only, when it is the one the
    generator would write; else one generated (or reused) under ``--work``."""
    shared = Path(args.corpora or "/nonexistent") / f"{size // 1000}k" / "corpus"
    try:
        marker = json.loads((shared / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        marker = None
    wanted = _marker(vocab, SEED, size)
    clean = isinstance(marker, dict) and marker.get("state") == "clean"
    if clean and {k: marker.get(k) for k in wanted} == wanted:
        return shared
    made: Path = ensure_corpus(args.work / f"corpus-{size}", vocab, SEED, size).folder
    return made


def write_config(place: Path, corpus: Path, conninfo: str | None) -> Path:
    place.mkdir(parents=True, exist_ok=True)
    server = "" if conninfo is None else f'backend = "postgresql"\npostgresql = "{conninfo}"\n'
    path = place / "config.toml"
    path.write_text(
        f"[corpus]\npaths = [{json.dumps(str(corpus))}]\n\n[storage]\n"
        f"data_dir = {json.dumps(str(place / 'data'))}\n"
        f"notes_dir = {json.dumps(str(place / 'notes'))}\n" + server,
        encoding="utf-8",
    )
    return path


def new_database(cluster: Any, name: str, *, keep: bool = False) -> str:
    """An empty database ``name`` (with ``keep``, the one there is, when there is one)."""
    import psycopg

    with psycopg.connect(cluster.conninfo(), autocommit=True) as conn:
        there = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not (keep and there):
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
    return str(cluster.conninfo(name))


# ----- children -----


def _build(config_path: str, out: Any) -> None:
    """A child: the index built from nothing (the backend's update, no events)."""
    from reader.core.config import load_config
    from reader.core.search.backend import backend_for

    config = load_config(Path(config_path))
    started = time.perf_counter()
    report = backend_for(config).update(wait=0)
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out.put({"seconds": seconds, "articles": report.total, "peak_rss_mb": rss / 1024})


Query = tuple[str, bool]  # (text, typed in the search box)


def _search(
    config_path: str, texts: list[Query], passes: int, seed: int, start: Any, out: Any
) -> None:
    """A child: one searcher. Warms up on a pass of its own, waits for the others, then runs
    the queries (in its own order) ``passes`` times; puts the seconds of each search."""
    from reader.core.config import load_config
    from reader.core.search.backend import backend_for
    from reader.core.search.query_limits import QueryError

    config = load_config(Path(config_path))
    index = backend_for(config).open()
    order = list(texts)
    random.Random(seed).shuffle(order)

    def once(query: Query) -> bool:
        text, typing = query
        try:
            index.search(text, limit=LIMIT, typing=typing)
        except QueryError:
            return False
        return True

    for text in order:
        once(text)
    start.wait()
    began = time.perf_counter()
    times: list[float] = []
    errors = 0
    for _ in range(passes):
        for text in order:
            started = time.perf_counter()
            errors += not once(text)
            times.append(time.perf_counter() - started)
    out.put({"times": times, "seconds": time.perf_counter() - began, "errors": errors})
    index.close()


def _no_snippet(body: str, matcher: Any) -> tuple[str, list[tuple[int, int]]]:
    return "", []


def _check(configs: dict[str, str], texts: list[Query], out: Any) -> None:
    """A child: every hit of every query on both backends (no limit), compared as sets.
    Snippets are left out here (both backends make them with reader's highlighter, which the
    tests compare): only which articles match is checked, with an hour's time limit (a search cut
    off by ``[search] time_limit`` holds only some of its hits, on the server none: not a
    set to compare). Each query that differs is put with how many each found and (up to 10
    of) the articles only one side found; a search that still came back partial is listed
    as such."""
    from reader.core.config import load_config
    from reader.core.search import searcher
    from reader.core.search.backend import backend_for
    from reader.core.search.postgres import server
    from reader.core.search.query_limits import QueryError

    for module in (searcher, server):
        setattr(module, "snippet", _no_snippet)  # noqa: B010 (not re-exported)
    from dataclasses import replace

    indexes = {}
    for name, path in configs.items():
        config = load_config(Path(path))
        untimed = replace(config, search_limits=replace(config.search_limits, time_limit=3600))
        indexes[name] = backend_for(untimed).open()
    every = max(index.count() for index in indexes.values()) + 1
    same = 0
    differ: list[dict[str, Any]] = []
    for text, typing in texts:
        found: dict[str, set[str] | str] = {}
        for name, index in indexes.items():
            try:
                results = index.search(text, limit=every, typing=typing)
                found[name] = {h.id for h in results.hits}
                if results.partial:
                    found[name] = f"partial: {len(results.hits)} hits"
            except QueryError as exc:
                found[name] = f"refused: {exc}"
        if found["whoosh"] == found["postgresql"]:
            same += 1
            continue
        entry: dict[str, Any] = {"query": text, "typing": typing}
        for name, other in (("whoosh", "postgresql"), ("postgresql", "whoosh")):
            mine, theirs = found[name], found[other]
            if isinstance(mine, str):
                entry[name] = mine
                continue
            entry[name] = len(mine)
            if not isinstance(theirs, str):
                entry[f"only_{name}"] = sorted(mine - theirs)[:10]
                entry[f"only_{name}_count"] = len(mine - theirs)
        differ.append(entry)
    out.put({"same_set": same, "differ": differ})


def _child(target: Any, *args: Any) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    process = context.Process(target=target, args=(*args, out))
    process.start()
    result: dict[str, Any] = _gather(out, [process])[0]
    process.join()
    return result


def _gather(out: Any, processes: list[Any]) -> list[dict[str, Any]]:
    """One result from each of ``processes``; a child that dies without giving its result
    (its traceback is on stderr) stops the bench with one line, never a wait forever."""
    import queue

    results: list[dict[str, Any]] = []
    while len(results) < len(processes):
        try:
            results.append(out.get(timeout=2))
        except queue.Empty:
            dead = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
            if dead:
                for process in processes:
                    process.terminate()
                raise SystemExit(f"a bench process died (exit code {dead[0]}); see above") from None
    return results


def searchers(config_path: str, texts: list[Query], count: int, passes: int) -> dict[str, Any]:
    """``count`` searchers at once on one index; latency percentiles and throughput."""
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(count)
    out = context.Queue()
    processes = [
        context.Process(target=_search, args=(config_path, texts, passes, n, start, out))
        for n in range(count)
    ]
    for process in processes:
        process.start()
    results = _gather(out, processes)
    for process in processes:
        process.join()
    times = [t for r in results for t in r["times"]]
    return {
        "p50_ms": round(percentile(times, 50) * 1000, 2),
        "p95_ms": round(percentile(times, 95) * 1000, 2),
        "queries_per_s": round(len(times) / max(r["seconds"] for r in results), 1),
        "searches": len(times),
        "refused": sum(r["errors"] for r in results) // max(1, passes),
    }


# ----- one size -----


def measure_size(size: int, vocab: Vocabulary, cluster: Any, args: argparse.Namespace) -> Any:
    say(f"== {size:,} articles (load {load()})")
    corpus = corpus_for(size, vocab, args)
    say(f"   corpus {corpus}")
    keep = args.keep is not None
    place = (args.keep or args.work) / f"size-{size}"
    database = new_database(cluster, f"bench_{size}", keep=keep)
    configs = {
        "whoosh": str(write_config(place / "whoosh", corpus, None)),
        "postgresql": str(write_config(place / "postgresql", corpus, database)),
    }
    specs = [s.as_dict() for s in make_queries(vocab, SEED, size, args.queries)]
    texts = [(reader_query(spec), reader_typing(spec)) for spec in specs]
    out: dict[str, Any] = {"articles": size, "corpus": str(corpus), "build": {}, "search": {}}
    for name in BACKENDS:
        figures = place / name / "build.json"
        if keep and figures.exists():  # built by an earlier run with --keep
            out["build"][name] = json.loads(figures.read_text(encoding="utf-8"))
            say(f"   build {name}: reused, built before {out['build'][name]}")
            continue
        data = place / name / "data"
        if data.exists():  # from nothing
            shutil.rmtree(data)
        say(f"   build {name} (load {load()})")
        out["build"][name] = _child(_build, configs[name])
        out["build"][name]["load"] = load()
        figures.write_text(json.dumps(out["build"][name]), encoding="utf-8")
        say(f"     {out['build'][name]}")
    checked = [t for t in texts if args.only is None or t[0] in args.only]
    out["check"] = {"same_set": 0, "differ": [], "skipped": True}
    if not args.no_check:
        say(f"   same hits? ({len(checked)} queries)")
        out["check"] = _child(_check, configs, checked)
    check = out["check"]
    if not check.get("skipped"):
        say(f"     {check['same_set']} queries find the same articles, "
            f"{len(check['differ'])} differ")  # fmt: skip
    for entry in check["differ"]:
        say(f"       {json.dumps(entry, ensure_ascii=False)}")
    for count in args.searchers:
        for name in BACKENDS:
            say(f"   search {name}, {count} searcher(s) (load {load()})")
            result = searchers(configs[name], texts, count, args.passes)
            result["load"] = load()
            out["search"].setdefault(str(count), {})[name] = result
            say(f"     {result}")
    return out


def table(results: dict[str, Any]) -> str:
    lines = [
        "| articles | backend | build s | search p50 / p95 ms (1 searcher) | 4 searchers "
        "| 16 searchers | q/s at 1 / 4 / 16 |",
        "|---|---|---|---|---|---|---|",
    ]
    for size, data in results["sizes"].items():
        for name in BACKENDS:
            build = data["build"][name]
            cells = []
            rates = []
            for count in ("1", "4", "16"):
                found = data["search"].get(count, {}).get(name)
                cells.append(f"{found['p50_ms']} / {found['p95_ms']}" if found else "-")
                rates.append(str(found["queries_per_s"]) if found else "-")
            lines.append(
                f"| {int(size):,} | {name} | {build['seconds']:.1f} | {cells[0]} | {cells[1]} "
                f"| {cells[2]} | {' / '.join(rates)} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from tests.pg_cluster import start_cluster

    sizes = sorted(set(args.sizes) | ({HUGE} if args.huge else set()))
    args.work.mkdir(parents=True, exist_ok=True)
    vocab = load_vocabulary()
    cluster, why = start_cluster(None if args.keep is None else args.keep / "cluster")
    if cluster is None:
        say(f"no PostgreSQL server can be started here: {why}")
        return 1
    results: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "cpus": os.cpu_count(),
        "load_before": load(),
        "vocabulary": vocab.source,
        "queries": args.queries,
        "passes": args.passes,
        "sizes": {},
    }
    try:
        for size in sizes:
            results["sizes"][str(size)] = measure_size(size, vocab, cluster, args)
            out = args.out or args.work / "postgres-bench.json"
            out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    finally:
        cluster.stop()
    results["load_after"] = load()
    print(table(results))
    print(f"load average before {results['load_before']}, after {results['load_after']}")
    for size, data in results["sizes"].items():
        print(f"{int(size):,}: same hits {data['check']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
