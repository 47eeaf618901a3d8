"""What a cold ``reader search`` imports: only what answering a query needs.

Runs ``python -X importtime -m reader search ...`` against a built index and checks the set of
modules it imported (not the time: the machine's load would make that flaky). Writing the
index (multiprocessing, Whoosh's writers), reading the corpus (every source format), the app,
the Postgres backend and numpy (for a plain word) have no business on that path; when a change
pulls one in, this names the chain that imported it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, cli_in_process

# Modules (and their submodules) a cold search must not import, and why.
NEVER = {
    "textual": "the app",
    "rich": "the app",
    "reader.app": "the app",
    "psycopg": "the Postgres backend",
    "reader.core.search.postgres": "the Postgres backend",
    "trafilatura": "reading web pages",
    "multiprocessing": "the parallel index writer",
    "reader.core.files.processes": "the parallel index writer",
    "reader.core.search.index_writer": "the parallel index writer",
    "reader.core.search.index_pool": "the index writer",
    "whoosh.writing": "the index writer",
    "whoosh.multiproc": "the index writer",
    "whoosh.externalsort": "the index writer",
    "reader.core.sources.corpus": "reading the corpus",
    "reader.core.sources.html": "reading the corpus",
    "reader.core.sources.feeds": "reading the corpus",
    "reader.core.sources.warc": "reading the corpus",
    "reader.core.sources.page": "reading the corpus",
    "ctypes.util": "finding libc by running ldconfig",
    "reader.core.records": "JSON records (only for --json)",
}
NOT_FOR_A_WORD = {"numpy": "vectorised prefix matching, not needed for a plain word"}


def _imports(config: Path, *args: str) -> dict[str, str]:
    """Each module the command imported -> the chain of modules that imported it."""
    env = {k: v for k, v in os.environ.items() if k not in ("READER_CONFIG", "READER_CORPUS")}
    env["PYTHONIOENCODING"] = "utf-8"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "reader", "--config", str(config), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip(), "the search found nothing: the probe would prove nothing"
    entries: list[tuple[int, str]] = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        name = line.rsplit("|", 1)[1]
        if name.strip() == "imported package":
            continue
        entries.append(((len(name) - len(name.lstrip()) - 1) // 2, name.strip()))
    chains: dict[str, str] = {}
    # -X importtime lists a module after the modules it imports, one level deeper.
    for i, (depth, name) in enumerate(entries):
        chain = [name]
        for later_depth, later in entries[i + 1 :]:
            if later_depth < depth:
                depth = later_depth
                chain.append(later)
        chains.setdefault(name, " <- ".join(chain))
    assert "reader.core.search.query" in chains  # the probe saw the search's own imports
    return chains


def _offending(chains: dict[str, str], never: dict[str, str]) -> list[str]:
    return [
        f"{chain} ({never[root]})"
        for name, chain in sorted(chains.items())
        for root in never
        if name == root or name.startswith(root + ".")
    ]


@pytest.fixture
def indexed(config_path: Path) -> Path:
    done = cli_in_process(["--config", str(config_path), "index", "-q"])
    assert done.returncode == 0, done.stderr
    return config_path


def test_a_cold_word_search_imports_no_writer_reader_app_or_numpy(indexed: Path) -> None:
    chains = _imports(indexed, "search", "ceasefire")
    assert _offending(chains, NEVER | NOT_FOR_A_WORD) == []


def test_a_cold_prefix_search_imports_no_writer_reader_or_app(indexed: Path) -> None:
    chains = _imports(indexed, "search", "cea*")
    assert _offending(chains, NEVER) == []


def test_json_records_are_imported_for_json_only(indexed: Path) -> None:
    chains = _imports(indexed, "search", "ceasefire", "--json")
    assert "reader.core.records" in chains
