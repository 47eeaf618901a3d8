"""What a cold ``reader search`` imports: only what answering a query needs.

Runs ``python -X importtime -m reader search ...`` against a built index and checks the set of
modules it imported (not the time: the machine's load would make that flaky). Writing the
index (multiprocessing, Whoosh's writers), reading the corpus (every source format), the app,
the Postgres backend and numpy (for a plain word) have no business on that path; when a change
pulls one in, this names the chain that imported it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, cli_in_process, python_in_new_process

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
    "numpy": "the vectorised path: a new process scores in plain Python (scalar_path)",
    "asyncio": "the cached_property package's, for Whoosh (see reader.core.search.whoosh_first)",
    "cached_property": "Whoosh's one cached property is functools' (whoosh_first)",
    "filelock": "taking a lock: only to write",
    "logging": "filelock's",
    "reader.core.events": "the facts lexicon and the events: not read by a search",
    "ctypes": "malloc's threshold for large articles: not for one batch of hits",
    "whoosh.lang.morph_en": "Whoosh's Variations query, never built (whoosh_first)",
    "whoosh.qparser.dateparse": "dates in a query: only for one naming published",
    "urllib.request": "whoosh.compat's urlretrieve, never called (whoosh_first)",
    "http": "urllib.request's (whoosh_first)",
    "email": "urllib.request's (whoosh_first)",
    "ssl": "urllib.request's (whoosh_first)",
    "socket": "urllib.request's (whoosh_first)",
    "html": "whoosh.compat's escape, never called (whoosh_first)",
    "importlib.resources": "the built-in gazetteer is read beside its module",
    "reader.core.search.freshness": "comparing the corpus with the index: only to update",
    "reader.core.search.index_build": "the index writer (the schema is reader.core.search.schema)",
    "reader.core.sources.scan": "walking the corpus folders: only to update",
    "glob": "cleaning up temporary files: only to write",
}
# How many modules a cold `reader search` imports, at most: 270 for a prefix, 274 for a word
# and 275 for a name when this was written (Python 3.11; it was 420 and more with numpy,
# asyncio and filelock, then 298, 310 and 311 with urllib.request's http, email, ssl and
# socket, and importlib.resources, then 272, 276 and 277 with html and html.entities), and a
# few more. A change that adds modules to the path makes this fail: import them where they
# are needed, or raise the budget with the reason in the commit. 280: the library's
# decision editors and its check of events.toml's ids (reader.core.library_decisions, a
# base of Library split from library_events for size) and how entity matching reads words
# (reader.core.names.entity_words, split from entities for size): 279 here for a name, and
# one more where Python loads apport's hook (Ubuntu's python3). 286: the stored fields read
# through LZ4 (reader.core.search.stored_codec, and lz4, lz4.block, lz4.block._block, lz4.version
# and lz4._version: some 2 ms), 284 here for a word. 287: the index of words' first two
# letters (reader.core.search.word_starts: its analyzer is in the schema Whoosh keeps pickled
# in the index, so opening the index imports it; the Whoosh modules it imports were imported
# by the query parser already), 287 in CI for a name, where pip's editable install adds its
# finder module. 285: the schema in a module of its own, so that the index writer
# (reader.core.search.index_build), the corpus walk (reader.core.sources.scan) and glob are not
# imported: 283 here for a name (the rest of what a search imports is mostly Whoosh's own:
# tempfile, shutil, bz2, lzma, hashlib, decimal, pickle).
MODULE_BUDGET = 285


def _imports(config: Path, *args: str) -> dict[str, str]:
    """Each module the command imported -> the chain of modules that imported it."""
    done = python_in_new_process(
        ["-X", "importtime", "-m", "reader", "--config", str(config), *args], cwd=ROOT
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
    assert _offending(chains, NEVER) == []


def test_a_cold_prefix_search_imports_no_writer_reader_app_or_numpy(indexed: Path) -> None:
    chains = _imports(indexed, "search", "cea*")
    assert _offending(chains, NEVER) == []


@pytest.mark.parametrize("query", ["ceasefire", "cea*", "Haftar"])
def test_a_cold_search_stays_within_its_module_budget(indexed: Path, query: str) -> None:
    chains = _imports(indexed, "search", query)
    listing = "\n".join(chains[name] for name in sorted(chains))
    assert len(chains) <= MODULE_BUDGET, f"{len(chains)} modules:\n{listing}"


def test_whoosh_is_imported_with_its_stand_ins_gone() -> None:
    """The stand-in is gone once Whoosh is imported, and the property it gave Whoosh computes
    once and then reads the instance's value, as the package's did."""
    script = (
        "import functools, sys\n"
        "import reader.core.search.whoosh_first\n"
        "from whoosh.reading import SegmentReader\n"
        "prop = SegmentReader.__dict__['deleted_docs_set']\n"
        "print(type(prop) is functools.cached_property, 'cached_property' in sys.modules,\n"
        "      'asyncio' in sys.modules)\n"
        "class Fake:\n"
        "    calls = 0\n"
        "    class _perdoc:\n"
        "        @staticmethod\n"
        "        def deleted_docs():\n"
        "            Fake.calls += 1\n"
        "            return [3, 1]\n"
        "    deleted_docs_set = prop\n"
        "fake = Fake()\n"
        "print(fake.deleted_docs_set == frozenset({1, 3}), fake.deleted_docs_set is\n"
        "      fake.__dict__['deleted_docs_set'], Fake.calls)\n"
        "import urllib\n"
        "print('urllib.request' in sys.modules, hasattr(urllib, 'request'))\n"
        "import cached_property\n"
        "print(hasattr(cached_property, 'threaded_cached_property'))\n"
        "from whoosh.query.terms import variations\n"
        "print('whoosh.lang.morph_en' in sys.modules)\n"
        "got = sorted(variations('ceasefires'))\n"
        "from whoosh.lang import morph_en\n"
        "print(got == sorted(morph_en.variations('ceasefires')), len(got) > 1)\n"
        "import urllib.request, whoosh.compat\n"
        "urllib.request.urlretrieve = lambda *a, **k: ('real', a, k)\n"
        "got = whoosh.compat.urlretrieve('u', filename='f')\n"
        "print(got == ('real', ('u',), {'filename': 'f'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.split() == [
        *("True", "False", "False"),  # functools' property; no stand-in left; no asyncio
        *("True", "True", "1"),  # computed once, then the instance's value
        *("False", "False"),  # no urllib.request left, in sys.modules or on urllib
        "True",  # the real package for anyone who imports it
        "False",  # Whoosh's variations: the real module not loaded until called,
        *("True", "True"),  # then its very answers
        "True",  # Whoosh's urlretrieve: the real one's, once urllib.request is imported
    ]


def test_whoosh_s_html_escape_is_the_real_one_when_called() -> None:
    script = (
        "import sys\n"
        "import reader.core.search.whoosh_first\n"
        "from whoosh.compat import htmlescape\n"
        "print('html' in sys.modules)\n"
        "got = [htmlescape('<a & \"b\" \\'c\\'>'), htmlescape('<\\'>', quote=False)]\n"
        "print('html' in sys.modules)\n"
        "import html\n"
        "print(got == [html.escape('<a & \"b\" \\'c\\'>'), html.escape('<\\'>', quote=False)])\n"
        "print(hasattr(html, 'unescape'), html.unescape('&amp;') == '&')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.split() == ["False", "True", "True", "True", "True"]


def test_json_records_are_imported_for_json_only(indexed: Path) -> None:
    chains = _imports(indexed, "search", "ceasefire", "--json")
    assert "reader.core.records" in chains


# Dataclasses a cold `reader search` makes, at most: making one costs about as much as
# importing a small module (its methods are compiled from text when the class is made), so
# the search's own records (PreparedQuery, ExpandedQuery, Matcher) are named tuples. 16 when
# this was written (19 before); config, the sources and the entities keep theirs.
DATACLASS_BUDGET = 16

_COUNT_DATACLASSES = """
import dataclasses, sys
made = []
process = dataclasses._process_class
def counted(cls, *args, **kwargs):
    made.append(f"{cls.__module__}.{cls.__qualname__}")
    return process(cls, *args, **kwargs)
dataclasses._process_class = counted
from reader.cli import main
code = main(sys.argv[1:])
print("DATACLASSES", len(made), " ".join(made), file=sys.stderr)
"""


def test_a_cold_search_makes_few_dataclasses(indexed: Path) -> None:
    done = python_in_new_process(
        ["-c", _COUNT_DATACLASSES, "--config", str(indexed), "search", "ceasefire"], cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-2000:]
    line = next(x for x in done.stderr.splitlines() if x.startswith("DATACLASSES"))
    count, *names = line.split()[1:]
    own = ("reader.core.search.query.", "reader.core.search.highlight.")
    assert not [name for name in names if name.startswith(own)], names
    assert int(count) <= DATACLASS_BUDGET, names
