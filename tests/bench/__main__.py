"""``python -m tests.bench``: generate the corpora, measure reader and the references, report.

For each corpus size: full build (median of runs, articles/s, peak RSS), re-index with nothing
changed and with 1% of the files changed, warm search latency over the query set (with and
without snippets), and a cold search in a new process; the same for SQLite FTS5 and, when
importable, Xapian. Then the layout of a long Arabic article and the app probes, when those
exist. Prints a table per size and writes ``OUT/bench-<time>.json`` and ``OUT/latest.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.bench import (
    LIMIT,
    QUERY_KINDS,
    QuerySpec,
    corpus_gen,
    make_queries,
    measure,
    reader_query,
    references,
    worker_main,
)

DEFAULT_SIZES = (1_000, 10_000)
LARGE_SIZE = 50_000
SYSTEM_PYTHON = "/usr/bin/python3"
UPDATE_ROUND = 100  # the files the events' update changes: none of the re-index rounds'


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line (see ``--help``)."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench",
        description="Benchmark reader's index, search, layout and app against SQLite FTS5 and "
        "Xapian on a synthetic English/Arabic corpus. Not part of the test suite.",
        epilog="Example: python -m tests.bench --sizes 200 --quick --out /tmp/bench",
    )
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(part) for part in text.split(",")],
        default=list(DEFAULT_SIZES),
        help="corpus sizes, comma-separated (default 1000,10000)",
    )
    parser.add_argument("--large", action="store_true", help=f"also {LARGE_SIZE:,} articles")
    parser.add_argument("--out", type=Path, default=Path("bench-results"), help="results folder")
    parser.add_argument(
        "--work", type=Path, help="corpora and indexes (default OUT/work; corpora are reused)"
    )
    parser.add_argument("--seed", type=int, default=7, help="corpus and query seed (default 7)")
    parser.add_argument("--queries", type=int, default=200, help="queries per size (default 200)")
    parser.add_argument(
        "--engines",
        default="reader,fts5,tantivy,xapian",
        help="which engines (default all four)",
    )
    parser.add_argument("--quick", action="store_true", help="one repetition of everything")
    options = parser.parse_args(argv)
    if options.queries < len(QUERY_KINDS):
        parser.error(f"--queries must be at least {len(QUERY_KINDS)} (one of each kind)")
    if any(size < 10 for size in options.sizes):
        parser.error("--sizes must be at least 10 articles each")
    return options


def xapian_python() -> str | None:
    """An interpreter that can import xapian: ours, else Debian's system python3."""
    for python in (sys.executable, SYSTEM_PYTHON):
        if not Path(python).exists():
            continue
        probe = subprocess.run([python, "-c", "import xapian"], capture_output=True, check=False)
        if probe.returncode == 0:
            return python
    return None


def tantivy_importable() -> bool:
    """Whether this interpreter has tantivy (the ``bench`` extra)."""
    import importlib.util

    return importlib.util.find_spec("tantivy") is not None


def worker_cmd(task: str, *args: str) -> list[str]:
    """A child process that runs one of reader's measured tasks (see tests.bench.TASKS)."""
    return [sys.executable, "-m", "tests.bench", "worker", task, *args]


def reader_command() -> list[str]:
    """How a user starts reader: the venv's console script, else ``python -m reader``."""
    script = Path(sys.executable).parent / "reader"
    return [str(script)] if script.exists() else [sys.executable, "-m", "reader"]


@dataclass(frozen=True, slots=True)
class Site:
    """Where one corpus size lives: its files, its indexes, reader's config and the queries."""

    size: int
    corpus: Path
    place: Path
    config: Path
    queries: Path
    specs: list[QuerySpec]

    def index(self, engine: str) -> str:
        """What the engine's workers are given as the index: reader's config, else a path."""
        if engine == "reader":
            return str(self.config)
        return str(self.place / ("fts5.sqlite" if engine == "fts5" else engine))

    def target(self, engine: str) -> list[str]:
        """Arguments of a build or re-index worker."""
        return [str(self.config)] if engine == "reader" else [str(self.corpus), self.index(engine)]

    def index_folder(self, engine: str) -> Path:
        """The files of the engine's live index, for its size on disk."""
        if engine != "reader":
            return Path(self.index(engine))
        index_dir = self.place / "reader" / "index"
        return index_dir / (index_dir / "CURRENT").read_text(encoding="utf-8").strip()


class Run:
    """One benchmark run: options, interpreters, and the results collected so far."""

    def __init__(self, options: argparse.Namespace) -> None:
        self.options = options
        quick = options.quick
        self.build_runs = 1 if quick else 3
        self.reindex_runs = 1 if quick else 5
        self.passes = 1 if quick else 5
        self.cold_runs = 3 if quick else 5
        self.app_runs = 1 if quick else 3
        self.work: Path = options.work or options.out / "work"
        measure.PYCACHE_PREFIX = (self.work / "pycache").resolve()
        self.engines = [e.strip() for e in options.engines.split(",") if e.strip()]
        self.skipped: dict[str, str] = {}
        self.xapian = xapian_python() if "xapian" in self.engines else None
        if "xapian" in self.engines and self.xapian is None:
            self.skipped["xapian"] = "python3-xapian is not importable (apt-get install it)"
        if "tantivy" in self.engines and not tantivy_importable():
            self.skipped["tantivy"] = "tantivy is not importable (pip install -e '.[bench]')"
        self.vocab = corpus_gen.load_vocabulary()
        self.script = str(Path(references.__file__))
        self.results: dict[str, Any] = {
            "schema": 1,
            "started": datetime.now().isoformat(timespec="seconds"),
            "options": {
                "sizes": self.sizes(),
                "seed": options.seed,
                "queries": options.queries,
                "quick": quick,
                "bytecode_cache": str(measure.PYCACHE_PREFIX),
                "repetitions": {
                    "build": self.build_runs,
                    "reindex": self.reindex_runs,
                    "search_passes": self.passes,
                    "cold": self.cold_runs,
                },
            },
            "vocabulary": self.vocab.source,
            "machine": measure.machine_info(self._versions()),
            "sizes": {},
            "layout": {},
        }

    def sizes(self) -> list[int]:
        """The corpus sizes of this run, smallest first."""
        sizes = set(self.options.sizes) | ({LARGE_SIZE} if self.options.large else set())
        return sorted(sizes)

    def _versions(self) -> dict[str, Any]:
        import sqlite3
        from importlib.metadata import version

        versions: dict[str, Any] = {
            "whoosh": version("whoosh-reloaded"),
            "sqlite": sqlite3.sqlite_version,
        }
        if self.xapian is not None:
            probe = subprocess.run(
                [self.xapian, "-c", "import xapian; print(xapian.version_string())"],
                capture_output=True,
                text=True,
                check=False,
            )
            versions["xapian"] = probe.stdout.strip()
            versions["xapian_python"] = self.xapian
        return versions

    # ------------------------------------------------------------------ engine commands

    def engine_cmd(self, engine: str, task: str, *args: str) -> list[str]:
        if engine == "reader":
            return worker_cmd(task, *args)
        python = self.xapian if engine == "xapian" else sys.executable
        assert python is not None
        return [python, self.script, engine, task, *args]

    def active(self) -> list[str]:
        return [e for e in self.engines if e not in self.skipped]

    # ------------------------------------------------------------------ one size

    def measure_size(self, size: int) -> dict[str, Any]:
        """Every measurement at one corpus size (the numbers in the order of the issue)."""
        say(f"== {size:,} articles")
        seed = self.options.seed
        started = time.perf_counter()
        corpus = corpus_gen.ensure_corpus(self.work / f"corpus-{size}", self.vocab, seed, size)
        how = "reused" if corpus.reused else f"generated in {time.perf_counter() - started:.1f}s"
        say(f"   corpus: {corpus.words:,} words, {corpus.bytes / 1e6:.1f} MB ({how})")
        place = self.work / f"indexes-{size}"
        place.mkdir(parents=True, exist_ok=True)
        config = place / "config.toml"
        config.write_text(
            f"[corpus]\npaths = [{json.dumps(str(corpus.folder.resolve()))}]\n\n[storage]\n"
            f"data_dir = {json.dumps(str((place / 'reader').resolve()))}\n"
            f"notes_dir = {json.dumps(str((place / 'notes').resolve()))}\n",
            encoding="utf-8",
        )
        specs = make_queries(self.vocab, seed, size, self.options.queries)
        queries = place / "queries.json"
        queries.write_text(json.dumps([s.as_dict() for s in specs], ensure_ascii=False), "utf-8")
        at = Site(size, corpus.folder, place, config, queries, specs)
        engines: dict[str, dict[str, Any]] = {e: {} for e in self.engines}
        for name, reason in self.skipped.items():
            if name in engines:
                engines[name] = {"skipped": reason}
        self._build(at, engines)
        self._search(at, engines)
        self._cold(at, engines)
        self._reindex(at, engines)
        out: dict[str, Any] = {
            "corpus": {"articles": size, "words": corpus.words, "mb": corpus.bytes / 1e6},
            "engines": engines,
        }
        if "reader" in self.active():
            # The events first: the app then opens the library as `reader index` leaves it
            # (events stored), not one whose events it must compute before its first update
            # is done.
            out["events"] = self.measure_events(at, engines["reader"])
            out["app"] = self.measure_app(config, specs)
        return out

    def _update_with_events(self, at: Site, listing: list[str], before: bytes) -> dict[str, Any]:
        """What a user waits for when a day's articles come in: `reader index` in a new
        process with 1% of the files changed (the index and the events brought up to date:
        the events incrementally), its time and CPU; checked to list every article in one
        event, as before it. The corpus is restored afterwards and the library brought back
        in line with it, unmeasured."""
        update = [*reader_command(), "--config", str(at.config), "index"]
        seed = self.options.seed
        paths = corpus_gen.edit_articles(at.corpus, self.vocab, seed, at.size, UPDATE_ROUND)
        try:
            say(f"   `reader index`, {len(paths)} files changed")
            ran = measure.run_sampled(update, timeout=3600)
            after = subprocess.run(
                listing, capture_output=True, env=measure.child_env(), timeout=600, check=True
            ).stdout
        finally:
            corpus_gen.restore_articles(at.corpus, self.vocab, seed, paths)
        measure.run_sampled(update, timeout=3600)

        def listed(printed: bytes) -> list[str]:
            return [a["id"] for e in json.loads(printed)["events"] for a in e["articles"]]

        ids, was = listed(after), listed(before)
        return {
            "update_command_s": ran["seconds"],
            "update_command_cpu_s": ran["cpu_s"],
            "update_files": len(paths),
            "update_listed_all": len(ids) == len(set(ids)) and set(ids) == set(was),
        }

    def measure_events(self, at: Site, reader: dict[str, Any]) -> dict[str, Any]:
        """6. Events: their share of a full build, the whole `reader index --rebuild` in a
        new process (its time, and its process tree's CPU and peak memory: what a user's
        command takes), reading them as the library and the compare view do, and `reader
        events --json` in a new process (the first run after the build, which lists the
        events, then the median of the others), checked to print what the records built
        from every article give."""
        say("   events")
        repeats = "3" if self.options.quick else "7"
        try:
            result = measure.run_json(worker_cmd("events", str(at.config), repeats), timeout=3600)
            # The whole `reader index --rebuild` as a user runs it: a new process.
            rebuild = [*reader_command(), "--config", str(at.config), "index", "--rebuild"]
            ran = measure.run_sampled(rebuild, timeout=3600)
            result["index_command_s"] = ran["seconds"]
            result["index_command_cpu_s"] = ran["cpu_s"]
            result["index_command_peak_mb"] = ran["peak_mb"]
            command = [*reader_command(), "--config", str(at.config), "events", "--json"]
            first = measure.run_timed(command, timeout=600) * 1000
            runs = [measure.run_timed(command, timeout=600) * 1000 for _ in range(int(repeats))]
            printed = subprocess.run(
                command, capture_output=True, env=measure.child_env(), timeout=600, check=True
            ).stdout
            result.update(self._update_with_events(at, command, printed))
        except (measure.BenchError, subprocess.SubprocessError) as exc:
            return {"skipped": f"the events probe failed: {exc}"[:600]}
        result["events_json_first_ms"] = first
        result["events_json_ms"] = measure.median(runs)
        digest = hashlib.blake2b(printed).hexdigest()
        result["events_json_same"] = digest == result.pop("events_json_digest", None)
        # The events' share: against the index built alone in the same process just before
        # (same conditions), else against the build step's figure.
        build = result.get("index_alone_s", reader.get("build", {}).get("seconds"))
        if isinstance(build, int | float) and build > 0 and "events_s" in result:
            result["events_share_of_build"] = result["events_s"] / build
            if "build_with_events_s" in result:
                result["events_added_to_build"] = result["build_with_events_s"] / build - 1
        # The same in CPU time of the process trees (the workers' too): steadier under load.
        build_cpu = result.get("index_alone_cpu_s", reader.get("build", {}).get("cpu_s"))
        if isinstance(build_cpu, int | float) and build_cpu > 0 and "events_cpu_s" in result:
            result["events_cpu_share_of_build"] = result["events_cpu_s"] / build_cpu
            if "build_with_events_cpu_s" in result:
                added = result["build_with_events_cpu_s"] / build_cpu - 1
                result["events_cpu_added_to_build"] = added
        return result

    def _build(self, at: Site, engines: dict[str, dict[str, Any]]) -> None:
        """1. Full builds, interleaved between engines so that drift hits them alike."""
        builds: dict[str, list[dict[str, Any]]] = {e: [] for e in self.active()}
        for run in range(self.build_runs):
            for engine in self.active():
                say(f"   build {engine} ({run + 1}/{self.build_runs})")
                command = self.engine_cmd(engine, "build", *at.target(engine))
                builds[engine].append(measure.run_json(command, sample_memory=True))
        for engine, runs in builds.items():
            seconds = measure.median([r["seconds"] for r in runs])
            engines[engine]["build"] = {
                "seconds": seconds,
                "cpu_s": measure.median([r.get("cpu_s", 0.0) for r in runs]),
                "articles": runs[-1]["articles"],
                "articles_per_s": runs[-1]["articles"] / seconds if seconds else None,
                "peak_rss_mb": measure.median([measure.peak_memory_kib(r) for r in runs]) / 1024,
                "index_mb": measure.folder_mb(at.index_folder(engine)),
                "runs": runs,
            }

    def _search(self, at: Site, engines: dict[str, dict[str, Any]]) -> None:
        """3. Warm search latency over the query set, with and without snippets, top
        :data:`LIMIT`, the peak memory of the searching process; reader's hits checked against
        the exhaustive ranking, and the overlap of each engine's top 10 with reader's."""
        kinds = [s.kind for s in at.specs]
        top: dict[str, list[list[str]]] = {}
        for engine in self.active():
            section: dict[str, Any] = {}
            for label, flag in (("snippets", "1"), ("plain", "0")):
                say(f"   search {engine} ({label})")
                args = (at.index(engine), str(at.queries), str(self.passes), flag)
                command = self.engine_cmd(engine, "search", *args)
                data = measure.run_json(command, sample_memory=True)
                summary = measure.latency_summary(data["times"], kinds, data.get("first", ()))
                summary["with_hits"] = sum(1 for h in data["hits"] if h)
                summary["errors"] = data.get("errors", [])
                summary["peak_rss_mb"] = measure.peak_memory_kib(data) / 1024
                if "exact" in data:
                    summary["exact_share"] = sum(data["exact"]) / max(1, len(data["exact"]))
                    summary["inexact"] = data.get("inexact", [])
                section[label] = summary
                if label == "snippets":
                    top[engine] = data.get("ids", [])
            engines[engine]["search"] = section
        mine = top.get("reader")
        if mine is not None:
            for engine, theirs in top.items():
                if engine != "reader":
                    engines[engine]["search"]["overlap_at_10"] = measure.mean_overlap(
                        mine, theirs, kinds
                    )
            say("   browse reader")
            repeats = "5" if self.options.quick else "50"
            command = worker_cmd("browse", at.index("reader"), repeats)
            engines["reader"]["browse"] = measure.run_json(command)

    def _search_updated(self, at: Site, engines: dict[str, dict[str, Any]]) -> None:
        """2b. The search with snippets again, on each index as the 1% update left it (reader's
        with segments that hold deleted documents): an updated index must search as fast, and
        reader's as exactly, as a new one. Until 2026-12-02 reader read every term of such a
        segment a posting at a time: the first time a query was searched (``first_p95_ms``;
        the timed passes reuse the lists kept), and only the app's rows, measured after the
        update, showed it."""
        kinds = [s.kind for s in at.specs]
        for engine in self.active():
            say(f"   search {engine} after the update (snippets)")
            args = (at.index(engine), str(at.queries), str(self.passes), "1")
            data = measure.run_json(self.engine_cmd(engine, "search", *args))
            summary = measure.latency_summary(data["times"], kinds, data.get("first", ()))
            if "exact" in data:
                summary["exact_share"] = sum(data["exact"]) / max(1, len(data["exact"]))
                summary["inexact"] = data.get("inexact", [])
            engines[engine]["search_updated"] = summary

    def _cold(self, at: Site, engines: dict[str, dict[str, Any]]) -> None:
        """4. A new process to results printed: one query of each kind, several times (for
        typing, a three-letter prefix: the shell has no box being typed in, and a one-letter
        ``w*`` may stand for more words than ``[search] max_expansion`` allows)."""
        cold = [
            next(
                (
                    s
                    for s in at.specs
                    if s.kind == kind and (kind != "typing" or len(s.words[0]) == 3)
                ),
                next(s for s in at.specs if s.kind == kind),
            )
            for kind in QUERY_KINDS
        ]
        for engine in self.active():
            say(f"   cold search {engine}")
            runs_ms = []
            by_kind: dict[str, list[float]] = {}
            for spec in cold:
                # Unmeasured, even with --quick: compiles and caches the bytecode and warms the
                # disk cache (else the first kind measured pays for compiling every module).
                measure.run_timed(self._cold_cmd(engine, spec, at))
            for _ in range(self.cold_runs):
                for spec in cold:
                    ms = measure.run_timed(self._cold_cmd(engine, spec, at)) * 1000
                    runs_ms.append(ms)
                    by_kind.setdefault(spec.kind, []).append(ms)
            engines[engine]["cold_search"] = {
                "median_ms": measure.median(runs_ms),
                "min_ms": min(runs_ms),
                "runs_ms": runs_ms,
                "by_kind": {kind: measure.median(ms) for kind, ms in by_kind.items()},
                "queries": [reader_query(s.as_dict()) for s in cold],
            }

    def _reindex(self, at: Site, engines: dict[str, dict[str, Any]]) -> None:
        """2. Re-index with nothing changed, then with 1% of the files changed (the same files
        for every engine); the corpus is restored afterwards."""
        unchanged: dict[str, list[dict[str, Any]]] = {e: [] for e in self.active()}
        for _ in range(self.reindex_runs):
            for engine in self.active():
                command = self.engine_cmd(engine, "reindex", *at.target(engine))
                unchanged[engine].append(measure.run_json(command))
        changed: dict[str, list[dict[str, Any]]] = {e: [] for e in self.active()}
        edited: set[Path] = set()
        seed = self.options.seed
        try:
            for round_ in range(self.reindex_runs):
                paths = corpus_gen.edit_articles(at.corpus, self.vocab, seed, at.size, round_)
                edited.update(paths)
                for engine in self.active():
                    say(f"   re-index {engine}: {len(paths)} changed ({round_ + 1})")
                    command = self.engine_cmd(engine, "reindex", *at.target(engine))
                    result = measure.run_json(command)
                    result["files"] = len(paths)
                    changed[engine].append(result)
            self._search_updated(at, engines)
        finally:
            corpus_gen.restore_articles(at.corpus, self.vocab, seed, sorted(edited))
        for engine in self.active():
            for key, runs in (
                ("reindex_unchanged", unchanged[engine]),
                ("reindex_changed", changed[engine]),
            ):
                engines[engine][key] = {
                    "seconds": measure.median([r["seconds"] for r in runs]),
                    "runs": runs,
                }
        # Bring every index back in line with the restored files, unmeasured.
        for engine in self.active():
            measure.run_json(self.engine_cmd(engine, "reindex", *at.target(engine)))

    def _cold_cmd(self, engine: str, spec: QuerySpec, at: Site) -> list[str]:
        if engine == "reader":
            text = reader_query(spec.as_dict())
            if spec.kind == "typing":  # the CLI has no box being typed in: the prefix itself
                text += "*"
            limit = str(LIMIT)
            return [*reader_command(), "--config", str(at.config), "search", text, "--limit", limit]
        if engine == "fts5":
            text, _lang = references.fts5_query(spec.as_dict())
            return references.cold_command("fts5", sys.executable, Path(at.index("fts5")), text)
        if engine == "tantivy":
            text = references.tantivy_cold_query(spec.as_dict())
            index = Path(at.index("tantivy"))
            return references.cold_command("tantivy", sys.executable, index, text)
        assert self.xapian is not None
        text = references.xapian_query(spec.as_dict())
        return references.cold_command("xapian", self.xapian, Path(at.index("xapian")), text)

    def measure_app(self, config: Path, specs: list[QuerySpec]) -> dict[str, Any]:
        """7. The app from process start to first screen, and a query typed into it."""
        # An English one-word query: typed key by key into the search bar.
        query = next((s.words[0] for s in specs if s.kind == "term" and s.lang == "en"), "news")
        runs: list[dict[str, Any]] = []
        for _ in range(self.app_runs):
            say("   app")
            origin = time.monotonic()
            try:
                command = worker_cmd("app", str(config), str(origin), query)
                result = measure.run_json(command, timeout=300)
            except measure.BenchError as exc:
                return {"skipped": f"the app probe failed: {exc}"[:600]}
            if "skipped" in result:
                return {"skipped": result["skipped"]}
            runs.append(result)
        summary: dict[str, Any] = {"query": query, "runs": runs}
        for key in (
            "first_screen_ms",
            "first_results_ms",
            "index_checked_ms",
            "keystroke_1_to_results_ms",
            "keystroke_2_to_results_ms",
            "keystroke_3_to_results_ms",
            "keystroke_to_results_ms",
            "keystroke_1_painted_ms",
            "keystroke_2_painted_ms",
            "keystroke_3_painted_ms",
            "keystroke_painted_ms",
            "enter_to_results_ms",
        ):
            values = [r[key] for r in runs if isinstance(r.get(key), int | float)]
            if values:
                summary[key] = measure.median(values)
        notes = [r["keystroke"] for r in runs if isinstance(r.get("keystroke"), str)]
        if notes:
            summary["keystroke"] = notes[0]
        return summary

    def measure_layout(self) -> dict[str, Any]:
        """5. Layout of a 5,000-word Arabic article at width 80, then at 120."""
        say("== layout")
        reps = "1" if self.options.quick else "15"
        try:
            return measure.run_json(worker_cmd("layout", str(self.options.seed), reps))
        except measure.BenchError as exc:
            return {"skipped": f"the layout probe failed: {exc}"[:600]}


def say(text: str) -> None:
    """Progress on stderr (results go to stdout)."""
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point; ``worker`` as the first argument runs one measured task instead."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["worker"]:
        return worker_main(args[1:])
    options = parse_args(args)
    run = Run(options)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out_file = options.out / f"bench-{stamp}.json"

    def save() -> None:
        measure.write_json_atomic(out_file, run.results)
        measure.write_json_atomic(options.out / "latest.json", run.results)

    for size in run.sizes():
        try:
            run.results["sizes"][str(size)] = run.measure_size(size)
        except measure.BenchError as exc:
            say(f"bench: {exc}")
            run.results["sizes"][str(size)] = {"error": str(exc)}
            save()
            return 1
        save()
    run.results["layout"] = run.measure_layout()
    run.results["finished"] = datetime.now().isoformat(timespec="seconds")
    save()
    text = measure.report(run.results)
    (options.out / "latest.txt").write_text(text + "\n", encoding="utf-8")
    print(text)
    say(f"results: {out_file}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
