"""``python -m tests.bench.names_cost CORPUS_FOLDER``: what the name layer costs.

Builds a fresh index of the folder (in a temporary data folder, the checkout's own code),
times the word list on its own (the part of a build the name layer changes), then runs a
fixed set of warm searches: name-like words of the corpus (capitalised Latin words, Arabic
words), common words, and their first four letters as a typed prefix. Prints one JSON line:
build seconds, word list seconds, index and vocabulary.json sizes, the layer's size, and
p50/p95 search latency. Run it in two checkouts (with and without the layer) to compare; the
same ``--seed`` gives the same queries. A measurement, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from reader.core.config import load_config
from reader.core.search.index import live_folder, update_index
from reader.core.search.searcher import Searcher


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _queries(words: list[str], seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    names = [
        w
        for w in words
        if re.fullmatch(r"[A-Z][a-z]{3,}", w) or re.fullmatch(r"[\u0621-\u064a]{4,}", w)
    ]
    common = [w for w in words if re.fullmatch(r"[a-z]{4,}", w)]
    picked = rng.sample(names, min(len(names), count // 2)) + rng.sample(
        common, min(len(common), count // 2)
    )
    return picked


def _vocabulary_seconds(texts: list[str]) -> float:
    """What building the word list (and, where the checkout has it, the name layer) of the
    texts costs on its own: the part of an index build the name layer changes. Best of two."""
    from reader.core.search.vocabulary import Vocabulary

    best = float("inf")
    for _ in range(2):
        vocabulary = Vocabulary()
        started = time.perf_counter()
        for text in texts:
            title, _, body = text.partition("\n")
            vocabulary.add_text(title)
            vocabulary.add_text(body)
        len(vocabulary)
        with tempfile.TemporaryDirectory() as tmp:
            vocabulary.save(Path(tmp))
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config_path = folder / "config.toml"
        config_path.write_text(
            f'[corpus]\npaths = ["{args.corpus.resolve()}"]\n[storage]\n'
            f'data_dir = "{folder / "data"}"\nnotes_dir = "{folder / "notes"}"\n',
            encoding="utf-8",
        )
        config = load_config(config_path)
        started = time.perf_counter()
        update_index(config, rebuild=True)
        build = time.perf_counter() - started
        live = live_folder(config)
        texts = [
            path.read_text(encoding="utf-8", errors="replace")
            for path in sorted(args.corpus.rglob("*.txt"))
        ]
        result: dict[str, object] = {
            "build_s": round(build, 1),
            "vocabulary_s": round(_vocabulary_seconds(texts), 2),
            "index_mb": round(_size(live) / 1e6, 1),
            "vocabulary_kb": round((live / "vocabulary.json").stat().st_size / 1e3, 1),
        }
        raw: set[str] = set()
        for text in texts[:2000]:
            raw.update(re.findall(r"\w+", text))
        queries = _queries(sorted(raw), args.seed, args.queries)
        with Searcher(config) as searcher:
            vocabulary = searcher._load_vocabulary()
            if hasattr(vocabulary, "name_layer"):
                started = time.perf_counter()
                layer = vocabulary.name_layer()
                result["layer_build_s"] = round(time.perf_counter() - started, 2)
                result["layer_forms"] = len(layer)
            times: list[float] = []
            typed: list[float] = []
            for query in queries:
                searcher.search(query)  # warm: parse, expand, layer
                started = time.perf_counter()
                searcher.search(query, limit=20)
                times.append(time.perf_counter() - started)
                try:
                    started = time.perf_counter()
                    search: Any = searcher.search  # older checkouts have no typing
                    search(query[:4], limit=20, typing=True)
                    typed.append(time.perf_counter() - started)
                except TypeError:
                    pass
        for name, values in (("search", times), ("typing", typed)):
            if values:
                values.sort()
                result[f"{name}_p50_ms"] = round(1000 * values[len(values) // 2], 1)
                result[f"{name}_p95_ms"] = round(1000 * values[int(len(values) * 0.95)], 1)
        result["queries"] = len(times)
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
