"""Reference engines measured beside reader on the same files: SQLite FTS5, tantivy and Xapian.

This module uses the standard library only (tantivy and Xapian are imported when asked for),
so it runs as a plain script under any Python 3.11, including Debian's system python, where
``python3-xapian`` lives::

    python references.py ENGINE build CORPUS INDEX         -> one JSON line
    python references.py ENGINE reindex CORPUS INDEX
    python references.py ENGINE search INDEX QUERIES.json PASSES SNIPPETS(0|1)

ENGINE is ``fts5``, ``tantivy`` or ``xapian``. Each prints one JSON object on its last line of
stdout with the seconds the work took (measured inside the process, start-up excluded) and
the peak RSS of the process (``ru_maxrss``, KiB). :func:`cold_command` gives the tiny "new
process, one query, print the hits" command for each engine.

Both read the corpus as the benchmark writes it: ``NAME.txt`` (title on the first line, one
paragraph a line) with a ``NAME.toml`` sidecar (outlet, published, lang). They do none of
reader's cleaning (boilerplate, encodings, language guessing), which favours them slightly.
Each is configured as its users would: FTS5 with the porter stemmer over ``unicode61
remove_diacritics 2`` and a prefix index of 1 to 3 letters (so typed prefixes are index
lookups); tantivy with its English stemmer (``en_stem``), a 128 MB writer heap on both cores;
Xapian stemming each document with its language's Snowball stemmer (English or Arabic), as
Recoll does, with a flush threshold of 1,000 documents (``XAPIAN_FLUSH_THRESHOLD``; its
default of 10,000 makes a build several times slower). Every search returns the top
:data:`LIMIT` with a snippet of the body, as reader's app does.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import sqlite3
import sys
import time
import tomllib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from reader.core.text.arabic import has_arabic

SNIPPET_CHARS = 180
ENGINES = ("fts5", "tantivy", "xapian")
LIMIT = 25  # hits per search: what reader's app fetches while typing
XAPIAN_FLUSH_THRESHOLD = "1000"


class Doc:
    """One article as the references see it."""

    __slots__ = ("body", "id", "lang", "outlet", "path", "published", "title")

    def __init__(self, path: Path, root: Path) -> None:
        self.path = str(path)
        self.id = path.relative_to(root).with_suffix("").as_posix()
        lines = [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
        self.title = lines[0] if lines else ""
        self.body = "\n".join(lines[1:])
        meta: dict[str, Any] = {}
        sidecar = path.with_suffix(".toml")
        if sidecar.is_file():
            meta = tomllib.loads(sidecar.read_text(encoding="utf-8"))
        self.lang = str(meta.get("lang", "en"))
        self.outlet = str(meta.get("outlet", ""))
        self.published = str(meta.get("published", ""))


def _as_prefix(spec: dict[str, Any]) -> bool:
    """Whether a spec is searched as a prefix: an explicit one, or a word being typed once
    it has as many letters as reader's app searches as a prefix (shorter, the app searches
    the word alone, and so do the references: the same work on both sides)."""
    from reader.core.config import TYPED_PREFIX_FROM  # no Whoosh: Xapian's Python runs this

    kind = spec["kind"]
    return kind == "prefix" or (kind == "typing" and len(spec["words"][0]) >= TYPED_PREFIX_FROM)


def scan(root: Path) -> Iterator[tuple[Path, int, int]]:
    """(path, size, mtime_ns) of every article file, in a stable order."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".txt") and not name.startswith("."):
                path = Path(folder, name)
                stat = path.stat()
                yield path, stat.st_size, stat.st_mtime_ns


def peak_rss_kib() -> dict[str, int]:
    """Peak RSS of this process and of its largest finished child (0 when none), KiB.

    The process's own peak is VmHWM from /proc: on Linux ``ru_maxrss`` survives exec, so a
    child started by a big parent would report the parent's size. A child's ``ru_maxrss``
    counts the pages it shared with this process after the fork again; the benchmark samples
    the whole process tree's PSS when there are children.
    """
    own = 0
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    own = int(line.split()[1])
                    break
    except OSError:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"peak_rss_kib": int(own), "children_peak_rss_kib": int(children)}


def _arabic(text: str) -> bool:
    return has_arabic(text)


# ----------------------------------------------------------------------------- query syntax


def fts5_query(spec: dict[str, Any]) -> tuple[str, str | None]:
    """An engine-neutral query spec in FTS5 syntax, and the language to filter on (or None)."""
    words = [w.replace('"', '""') for w in spec["words"]]
    kind = spec["kind"]
    if kind == "and":
        return f'"{words[0]}" AND "{words[1]}"', None
    if kind == "phrase":
        return '"' + " ".join(words) + '"', None
    if _as_prefix(spec):
        return f'"{words[0]}"*', None
    return f'"{words[0]}"', spec.get("lang_filter")


def xapian_query(spec: dict[str, Any]) -> str:
    """An engine-neutral query spec in Xapian's QueryParser syntax."""
    words, kind = spec["words"], spec["kind"]
    if kind == "and":
        return f"{words[0]} AND {words[1]}"
    if kind == "phrase":
        return '"' + " ".join(words) + '"'
    if _as_prefix(spec):
        return str(words[0]) + "*"
    if spec.get("lang_filter"):
        return f"{words[0]} lang:{spec['lang_filter']}"
    return str(words[0])


# ----------------------------------------------------------------------------- SQLite FTS5

_FTS5_SCHEMA = """
CREATE VIRTUAL TABLE docs USING fts5(
    id UNINDEXED, title, body, lang UNINDEXED, outlet UNINDEXED, published UNINDEXED,
    tokenize = "porter unicode61 remove_diacritics 2", prefix = '1 2 3'
);
CREATE TABLE files(path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, doc INTEGER);
"""
FTS5_SQL_SNIPPETS = (
    "SELECT id, title, snippet(docs, 2, '[', ']', '…', 24) FROM docs "
    "WHERE docs MATCH ?{filter} ORDER BY rank LIMIT ?"
)
FTS5_SQL_PLAIN = "SELECT id, title FROM docs WHERE docs MATCH ?{filter} ORDER BY rank LIMIT ?"


def _fts5_add(db: sqlite3.Connection, path: Path, size: int, mtime: int, root: Path) -> None:
    doc = Doc(path, root)
    cursor = db.execute(
        "INSERT INTO docs(id, title, body, lang, outlet, published) VALUES (?, ?, ?, ?, ?, ?)",
        (doc.id, doc.title, doc.body, doc.lang, doc.outlet, doc.published),
    )
    db.execute(
        "INSERT OR REPLACE INTO files(path, size, mtime_ns, doc) VALUES (?, ?, ?, ?)",
        (str(path), size, mtime, cursor.lastrowid),
    )


def fts5_build(root: Path, index: Path) -> dict[str, Any]:
    """A fresh FTS5 database of the corpus, in one transaction."""
    started = time.perf_counter()
    for stale in (index, Path(f"{index}-journal"), Path(f"{index}-wal")):
        stale.unlink(missing_ok=True)
    db = sqlite3.connect(index)
    db.executescript(_FTS5_SCHEMA)
    count = 0
    with db:
        for path, size, mtime in scan(root):
            _fts5_add(db, path, size, mtime, root)
            count += 1
    db.close()
    return {"seconds": time.perf_counter() - started, "articles": count}


def fts5_reindex(root: Path, index: Path) -> dict[str, Any]:
    """Re-read files whose size or mtime changed, drop deleted ones; one transaction."""
    started = time.perf_counter()
    db = sqlite3.connect(index)
    known = {
        p: (s, m, d) for p, s, m, d in db.execute("SELECT path, size, mtime_ns, doc FROM files")
    }
    changed = 0
    with db:
        seen = set()
        for path, size, mtime in scan(root):
            seen.add(str(path))
            entry = known.get(str(path))
            if entry is not None and entry[:2] == (size, mtime):
                continue
            if entry is not None:
                db.execute("DELETE FROM docs WHERE rowid = ?", (entry[2],))
            _fts5_add(db, path, size, mtime, root)
            changed += 1
        for gone in set(known) - seen:
            db.execute("DELETE FROM docs WHERE rowid = ?", (known[gone][2],))
            db.execute("DELETE FROM files WHERE path = ?", (gone,))
            changed += 1
    db.close()
    return {"seconds": time.perf_counter() - started, "changed": changed}


def _timed_passes(run: Callable[[Any], Sequence[Any]], items: list[Any], passes: int) -> Any:
    """Run ``run`` on every item, one warm-up pass then ``passes`` timed ones: seconds per item
    per pass, those of the warm-up (``first``: each query searched the first time), and the
    hit count and the ids (the first element of each hit) of each item (from the warm-up)."""
    hits: list[int] = []
    ids: list[list[str]] = []
    times: list[list[float]] = []
    first: list[float] = []
    for number in range(passes + 1):
        row: list[float] = []
        for item in items:
            started = time.perf_counter()
            found = run(item)
            row.append(time.perf_counter() - started)
            if number == 0:
                hits.append(len(found))
                ids.append([str(hit[0]) for hit in found])
        if number:
            times.append(row)
        else:
            first = row
    return {"times": times, "first": first, "hits": hits, "ids": ids}


def fts5_search(index: Path, specs: list[dict[str, Any]], passes: int, snippets: bool) -> Any:
    """Run every query ``passes`` times after one warm-up pass; seconds per query per pass."""
    db = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    template = FTS5_SQL_SNIPPETS if snippets else FTS5_SQL_PLAIN
    prepared = []
    for spec in specs:
        text, lang = fts5_query(spec)
        sql = template.format(filter=" AND lang = ?" if lang else "")
        prepared.append((sql, (text, lang, LIMIT) if lang else (text, LIMIT)))
    return _timed_passes(lambda item: db.execute(*item).fetchall(), prepared, passes)


FTS5_COLD = """
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
for row in db.execute("SELECT id, title, snippet(docs, 2, '[', ']', '…', 24) FROM docs "
                      "WHERE docs MATCH ? ORDER BY rank LIMIT 25", (sys.argv[2],)):
    print(*row, sep="  ")
"""

# ----------------------------------------------------------------------------- tantivy

TANTIVY_HEAP = 128_000_000  # bytes of the writer's buffer (tantivy-py's default)


def _tantivy_schema(tantivy: Any) -> Any:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("lang", stored=True, tokenizer_name="raw")
    return builder.build()


def _tantivy_doc(tantivy: Any, doc: Doc) -> Any:
    return tantivy.Document(id=doc.id, title=doc.title, body=doc.body, lang=doc.lang)


def tantivy_build(root: Path, index: Path) -> dict[str, Any]:
    """A fresh tantivy index of the corpus (positions kept, bodies stored for snippets)."""
    started = time.perf_counter()
    tantivy = importlib.import_module("tantivy")
    if index.exists():
        for old in index.iterdir():
            old.unlink()
    index.mkdir(parents=True, exist_ok=True)
    ix = tantivy.Index(_tantivy_schema(tantivy), path=str(index))
    writer = ix.writer(heap_size=TANTIVY_HEAP, num_threads=2)
    manifest: dict[str, list[int]] = {}
    count = 0
    for path, size, mtime in scan(root):
        writer.add_document(_tantivy_doc(tantivy, Doc(path, root)))
        manifest[str(path)] = [size, mtime]
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    (index / "bench-manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return {"seconds": time.perf_counter() - started, "articles": count}


def tantivy_reindex(root: Path, index: Path) -> dict[str, Any]:
    """Replace the documents of files whose size or mtime changed; delete those gone."""
    started = time.perf_counter()
    tantivy = importlib.import_module("tantivy")
    manifest_path = index / "bench-manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    ix = tantivy.Index.open(str(index))
    writer = ix.writer(heap_size=TANTIVY_HEAP, num_threads=2)
    changed = 0
    seen = set()
    for path, size, mtime in scan(root):
        seen.add(str(path))
        if manifest.get(str(path)) == [size, mtime]:
            continue
        doc = Doc(path, root)
        writer.delete_documents("id", doc.id)
        writer.add_document(_tantivy_doc(tantivy, doc))
        manifest[str(path)] = [size, mtime]
        changed += 1
    for gone in set(manifest) - seen:
        writer.delete_documents("id", Path(gone).relative_to(root).with_suffix("").as_posix())
        del manifest[gone]
        changed += 1
    if changed:
        writer.commit()
        writer.wait_merging_threads()
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    return {"seconds": time.perf_counter() - started, "changed": changed}


def tantivy_query(tantivy: Any, ix: Any, schema: Any, spec: dict[str, Any]) -> Any:
    """An engine-neutral query spec as a tantivy query over title and body."""
    words, kind = [str(w) for w in spec["words"]], spec["kind"]
    fields = ["title", "body"]
    should = tantivy.Occur.Should
    if _as_prefix(spec):
        word = words[0].lower()
        parts = [(should, tantivy.Query.phrase_prefix_query(schema, f, [word])) for f in fields]
        return tantivy.Query.boolean_query(parts)
    quoted = ['"' + w.replace('"', " ") + '"' for w in words]
    if kind == "and":
        text = f"{quoted[0]} AND {quoted[1]}"
    elif kind == "phrase":
        text = '"' + " ".join(w.replace('"', " ") for w in words) + '"'
    else:
        text = quoted[0]
    q = ix.parse_query(text, fields)
    if spec.get("lang_filter"):
        lang = tantivy.Query.term_query(schema, "lang", spec["lang_filter"])
        must = tantivy.Occur.Must
        q = tantivy.Query.boolean_query([(must, q), (must, lang)])
    return q


def tantivy_search(index: Path, specs: list[dict[str, Any]], passes: int, snippets: bool) -> Any:
    """Run every query ``passes`` times after one warm-up pass; seconds per query per pass."""
    tantivy = importlib.import_module("tantivy")
    ix = tantivy.Index.open(str(index))
    schema = ix.schema
    searcher = ix.searcher()

    def run(spec: dict[str, Any]) -> list[tuple[str, str, str]]:
        q = tantivy_query(tantivy, ix, schema, spec)
        found = searcher.search(q, LIMIT, count=False).hits
        generator = (
            tantivy.SnippetGenerator.create(searcher, q, schema, "body") if snippets else None
        )
        out = []
        for _score, address in found:
            doc = searcher.doc(address)
            text = ""
            if generator is not None:
                text = generator.snippet_from_doc(doc).to_html()
            out.append((doc["id"][0], doc["title"][0], text))
        return out

    return _timed_passes(run, specs, passes)


TANTIVY_COLD = """
import sys, tantivy
ix = tantivy.Index.open(sys.argv[1])
searcher = ix.searcher()
text = sys.argv[2]
if text.endswith("*"):  # a prefix: tantivy's parser takes only phrases of 2+ words as prefixes
    Q, should = tantivy.Query, tantivy.Occur.Should
    q = Q.boolean_query([(should, Q.phrase_prefix_query(ix.schema, f, [text[:-1].lower()]))
                         for f in ("title", "body")])
else:
    q = ix.parse_query(text, ["title", "body"])
generator = tantivy.SnippetGenerator.create(searcher, q, ix.schema, "body")
for _score, address in searcher.search(q, 25).hits:
    doc = searcher.doc(address)
    print(doc["id"][0], doc["title"][0], generator.snippet_from_doc(doc).to_html(), sep="  ")
"""


def tantivy_cold_query(spec: dict[str, Any]) -> str:
    """An engine-neutral query spec in tantivy's query language for the new-process search
    (a prefix as ``word*``, which the cold script turns into tantivy's prefix query)."""
    words, kind = [str(w) for w in spec["words"]], spec["kind"]
    if _as_prefix(spec):
        return f"{words[0]}*"
    if kind == "and":
        return f'"{words[0]}" AND "{words[1]}"'
    if kind == "phrase":
        return '"' + " ".join(words) + '"'
    if spec.get("lang_filter"):
        return f'"{words[0]}" AND lang:{spec["lang_filter"]}'
    return f'"{words[0]}"'


# ----------------------------------------------------------------------------- Xapian

_XAPIAN_LANGS = {"en": "english", "ar": "arabic"}
_SNIPPET_FLAGS = 3  # xapian.MSet.SNIPPET_BACKGROUND_MODEL | SNIPPET_EXHAUSTIVE, the default


def _xapian_document(xapian: Any, generator: Any, stemmers: dict[str, Any], doc: Doc) -> Any:
    document = xapian.Document()
    generator.set_document(document)
    generator.set_stemmer(stemmers.get(doc.lang, stemmers["en"]))
    generator.index_text(doc.title, 1, "S")
    generator.index_text(doc.title)
    generator.increase_termpos()
    generator.index_text(doc.body)
    document.add_boolean_term("Q" + doc.id)
    document.add_boolean_term("XL" + doc.lang)
    document.set_data("\x1f".join((doc.id, doc.title, doc.body)))
    return document


def _xapian_parts() -> tuple[Any, Any, dict[str, Any]]:
    os.environ.setdefault("XAPIAN_FLUSH_THRESHOLD", XAPIAN_FLUSH_THRESHOLD)
    xapian = importlib.import_module("xapian")

    stemmers = {lang: xapian.Stem(name) for lang, name in _XAPIAN_LANGS.items()}
    return xapian, xapian.TermGenerator(), stemmers


def xapian_build(root: Path, index: Path) -> dict[str, Any]:
    """A fresh Xapian database of the corpus (positions kept, for phrases and snippets)."""
    started = time.perf_counter()
    xapian, generator, stemmers = _xapian_parts()
    db = xapian.WritableDatabase(str(index), xapian.DB_CREATE_OR_OVERWRITE)
    manifest: dict[str, list[int]] = {}
    count = 0
    for path, size, mtime in scan(root):
        doc = Doc(path, root)
        db.add_document(_xapian_document(xapian, generator, stemmers, doc))
        manifest[str(path)] = [size, mtime]
        count += 1
    db.commit()
    db.close()
    (index / "bench-manifest.json").write_text(
        json.dumps(manifest, allow_nan=False), encoding="utf-8"
    )
    return {"seconds": time.perf_counter() - started, "articles": count}


def xapian_reindex(root: Path, index: Path) -> dict[str, Any]:
    """Replace the documents of files whose size or mtime changed; delete those gone."""
    started = time.perf_counter()
    xapian, generator, stemmers = _xapian_parts()
    manifest_path = index / "bench-manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    db = xapian.WritableDatabase(str(index), xapian.DB_OPEN)
    changed = 0
    seen = set()
    for path, size, mtime in scan(root):
        seen.add(str(path))
        if manifest.get(str(path)) == [size, mtime]:
            continue
        doc = Doc(path, root)
        db.replace_document("Q" + doc.id, _xapian_document(xapian, generator, stemmers, doc))
        manifest[str(path)] = [size, mtime]
        changed += 1
    for gone in set(manifest) - seen:
        db.delete_document("Q" + Path(gone).relative_to(root).with_suffix("").as_posix())
        del manifest[gone]
        changed += 1
    if changed:
        db.commit()
        manifest_path.write_text(json.dumps(manifest, allow_nan=False), encoding="utf-8")
    db.close()
    return {"seconds": time.perf_counter() - started, "changed": changed}


def _xapian_searcher(index: Path) -> tuple[Any, Any, Any, dict[str, Any]]:
    xapian = importlib.import_module("xapian")

    db = xapian.Database(str(index))
    parser = xapian.QueryParser()
    parser.set_database(db)
    parser.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    parser.add_boolean_prefix("lang", "XL")
    parser.set_default_op(xapian.Query.OP_AND)
    stemmers = {lang: xapian.Stem(name) for lang, name in _XAPIAN_LANGS.items()}
    return xapian, db, parser, stemmers


def xapian_run(
    xapian: Any,
    db: Any,
    parser: Any,
    stemmers: dict[str, Any],
    text: str,
    snippets: bool,
) -> list[tuple[str, str, str]]:
    """The top :data:`LIMIT` for one query: (id, title, snippet or "")."""
    stemmer = stemmers["ar" if _arabic(text) else "en"]
    parser.set_stemmer(stemmer)
    flags = (
        xapian.QueryParser.FLAG_DEFAULT
        | xapian.QueryParser.FLAG_WILDCARD
        | xapian.QueryParser.FLAG_BOOLEAN
        | xapian.QueryParser.FLAG_PHRASE
    )
    enquire = xapian.Enquire(db)
    enquire.set_query(parser.parse_query(text, flags))
    mset = enquire.get_mset(0, LIMIT)
    out = []
    for match in mset:
        doc_id, title, body = match.document.get_data().decode("utf-8").split("\x1f", 2)
        snippet = (
            mset.snippet(body, SNIPPET_CHARS, stemmer, _SNIPPET_FLAGS, "[", "]", "…")
            if snippets
            else ""
        )
        out.append((doc_id, title, snippet))
    return out


def xapian_search(index: Path, specs: list[dict[str, Any]], passes: int, snippets: bool) -> Any:
    """Run every query ``passes`` times after one warm-up pass; seconds per query per pass."""
    xapian, db, parser, stemmers = _xapian_searcher(index)
    texts = [xapian_query(spec) for spec in specs]
    return _timed_passes(
        lambda text: xapian_run(xapian, db, parser, stemmers, text, snippets), texts, passes
    )


XAPIAN_COLD = """
import sys, xapian
db = xapian.Database(sys.argv[1])
text = sys.argv[2]
stemmer = xapian.Stem("arabic" if any("\\u0600" <= c <= "\\u06ff" for c in text) else "english")
parser = xapian.QueryParser()
parser.set_database(db)
parser.set_stemmer(stemmer)
parser.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
parser.add_boolean_prefix("lang", "XL")
parser.set_default_op(xapian.Query.OP_AND)
enquire = xapian.Enquire(db)
enquire.set_query(parser.parse_query(text, parser.FLAG_DEFAULT | parser.FLAG_WILDCARD))
mset = enquire.get_mset(0, 25)
for match in mset:
    doc_id, title, body = match.document.get_data().decode("utf-8").split("\\x1f", 2)
    print(doc_id, title, mset.snippet(body, 180, stemmer, 3, "[", "]", "…"), sep="  ")
"""


def cold_command(engine: str, python: str, index: Path, text: str) -> list[str]:
    """argv of a new process that opens the index, runs one query with snippets and prints it."""
    script = {"fts5": FTS5_COLD, "tantivy": TANTIVY_COLD, "xapian": XAPIAN_COLD}[engine]
    return [python, "-c", script, str(index), text]


def main(argv: list[str]) -> int:
    """Script entry point (see the module docstring)."""
    engine, task, *rest = argv
    if engine not in ENGINES:
        raise SystemExit(f"unknown engine {engine!r}")
    result: Any
    if task == "build":
        build = {"fts5": fts5_build, "tantivy": tantivy_build, "xapian": xapian_build}[engine]
        result = build(Path(rest[0]), Path(rest[1]))
    elif task == "reindex":
        reindex = {"fts5": fts5_reindex, "tantivy": tantivy_reindex, "xapian": xapian_reindex}
        result = reindex[engine](Path(rest[0]), Path(rest[1]))
    elif task == "search":
        search = {"fts5": fts5_search, "tantivy": tantivy_search, "xapian": xapian_search}[engine]
        specs = json.loads(Path(rest[1]).read_text(encoding="utf-8"))
        result = search(Path(rest[0]), specs, int(rest[2]), rest[3] == "1")
    else:
        raise SystemExit(f"unknown task {task!r}")
    result.update(peak_rss_kib())
    print(json.dumps(result, allow_nan=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
