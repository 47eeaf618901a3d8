"""Index build speed as ratios to SQLite FTS5 built in the same run, interleaved.

    python -m tests.bench.build_profile CORPUS [--rounds N] [--also CHECKOUT ...]

Each round builds the corpus folder's search index with reader (``update_index(config,
rebuild=True)`` in a new process, into a fresh data folder: the index alone, without the
events ``reader index`` groups afterwards), with FTS5 (``tests/bench/references.py fts5
build``) and with the reader of each ``--also`` checkout (e.g. the main branch, for
before/after), one after the other. For each build: wall seconds, CPU seconds of the whole
process tree (user + system, from the rusage of waited-for children) and the peak memory of
the tree (sampled PSS, see :func:`tests.bench.measure.tree_memory_kib`). Prints one line per
build, the load average before each round, and the medians with their ratio to FTS5's.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.measure import child_env, tree_memory_kib

PROJECT = Path(__file__).resolve().parents[2]


def _run(cmd: list[str], cwd: Path) -> tuple[float, float, int]:
    """(wall s, tree CPU s, peak tree PSS KiB) of a command that must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = child_env()
    env["PYTHONPATH"] = str(cwd)
    started = time.perf_counter()
    process = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_memory_kib(process.pid))
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(0.05)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        err = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
        raise SystemExit(f"{' '.join(cmd)} exited {process.returncode}: {err[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, peak


_BUILD = """
import sys
from pathlib import Path
from reader.core.config import load_config
from reader.core.search.index import update_index
if __name__ == "__main__":
    report = update_index(load_config(Path(sys.argv[1])), rebuild=True)
    assert report.total > 0, report.summary()
"""


def _reader_build(checkout: Path, corpus: Path, work: Path) -> tuple[float, float, int]:
    data = work / "data"
    shutil.rmtree(data, ignore_errors=True)
    config = work / "config.toml"
    config.write_text(
        f'[corpus]\npaths = ["{corpus}"]\n\n[storage]\ndata_dir = "{data}"\n'
        f'notes_dir = "{work / "notes"}"\n',
        encoding="utf-8",
    )
    python = checkout / ".venv" / "bin" / "python"
    return _run([str(python), "-c", _BUILD, str(config)], checkout)


def _fts5_build(corpus: Path, work: Path) -> tuple[float, float, int]:
    index = work / "fts5.db"
    index.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "tests.bench.references", "fts5", "build", str(corpus), str(index)]
    return _run(cmd, PROJECT)


def main(argv: list[str]) -> int:
    """Script entry point (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.build_profile")
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--also", type=Path, action="append", default=[])
    args = parser.parse_args(argv)
    corpus = args.corpus.resolve()
    builders = {"reader": PROJECT, **{f"reader@{p}": p.resolve() for p in args.also}}
    results: dict[str, list[tuple[float, float, int]]] = {"fts5": []}
    with tempfile.TemporaryDirectory(prefix="build-profile-") as tmp:
        for n in range(args.rounds):
            print(f"round {n + 1}: load average {Path('/proc/loadavg').read_text().strip()}")
            for name, checkout in builders.items():
                work = Path(tmp) / name.replace("/", "_")
                work.mkdir(exist_ok=True)
                result = _reader_build(checkout, corpus, work)
                results.setdefault(name, []).append(result)
                print(
                    f"  {name}: {result[0]:.1f} s wall, {result[1]:.1f} s CPU, "
                    f"{result[2] / 1024:.0f} MB peak",
                    flush=True,
                )
            result = _fts5_build(corpus, Path(tmp))
            results["fts5"].append(result)
            print(
                f"  fts5: {result[0]:.1f} s wall, {result[1]:.1f} s CPU, "
                f"{result[2] / 1024:.0f} MB peak",
                flush=True,
            )
    base_wall = statistics.median(r[0] for r in results["fts5"])
    base_cpu = statistics.median(r[1] for r in results["fts5"])
    print(f"medians over {args.rounds} round(s), corpus {corpus}, {os.cpu_count()} CPUs:")
    for name, runs in results.items():
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        peak = max(r[2] for r in runs) / 1024
        print(
            f"  {name}: wall {wall:.1f} s ({wall / base_wall:.1f}x FTS5), "
            f"CPU {cpu:.1f} s ({cpu / base_cpu:.1f}x FTS5), peak {peak:.0f} MB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
