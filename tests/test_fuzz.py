"""Fuzzing what reads untrusted input: file bytes (ingestion) and query text (the parser).

The layout engine and the notes round trip are fuzzed in test_layout_properties.py and
test_notes_store.py. Every test here is a hypothesis test with "fuzz" in its name: ~200
examples each in ``make test``; ``make fuzz`` sets READER_FUZZ_EXAMPLES=10000.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from reader.core.config import Config
from reader.core.search.hits import Results
from reader.core.search.index import update_index
from reader.core.search.searcher import QueryError, Searcher
from reader.core.sources.article import Article
from reader.core.sources.corpus import ARTICLE_SUFFIXES, Skipped, SourceFile, read_source
from reader.core.text.decode import NotText, decode_bytes
from reader.core.text.sanitize import one_line
from tests.conftest import SEEDS

FUZZ = settings(
    max_examples=int(os.environ.get("READER_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# -- ingestion: bytes in ------------------------------------------------------------------------

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةى"
NASTY = [
    "\x00",
    "\x1b[2J",
    "\x1b]0;x\x07",
    "\x9b",
    "\r",
    "\r\n",
    "\u2028",
    "\u202e",
    "\ufeff",
    "\ud800",
    "---\n",
    "---",
    '"',
    "{",
    "}",
    "[",
    "]",
    "title: x\n",
    "\n\n",
    " ",
    "\t",
    "e\u0301",
    "😀",
]
TEXTS = st.lists(
    st.one_of(
        st.text(max_size=20),
        st.text(ARABIC + " \n", max_size=20),
        st.sampled_from(NASTY),
    ),
    max_size=12,
).map("".join)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXTS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["title", "body", "text", "id", "lang", "date", "published", "url", "x"]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=12,
)
SIGNATURES = [b"\x89PNG", b"PK\x03\x04", b"%PDF-1.7", b"\x1f\x8b", b"\xef\xbb\xbf", b"\xff\xfe"]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1256"]


@st.composite
def file_bytes(draw: st.DrawFn) -> bytes:
    """Raw bytes, encoded text (any encoding the decoder tries), JSON, or a mix."""
    kind = draw(st.sampled_from(["bytes", "text", "json", "jsonl", "mixed"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind in ("json", "jsonl"):
        values = draw(st.lists(JSON_VALUES, min_size=1, max_size=4))
        if kind == "json":
            return json.dumps(values if len(values) > 1 else values[0]).encode()
        return "\n".join(json.dumps(v, ensure_ascii=draw(st.booleans())) for v in values).encode(
            "utf-8", "surrogatepass"
        )
    text = draw(TEXTS)
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors="replace" if encoding == "cp1256" else "surrogatepass")
    if kind == "mixed":
        data = draw(st.sampled_from([b"", *SIGNATURES])) + data + draw(st.binary(max_size=20))
    return data


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def check_article(article: Article) -> None:
    """What every reader of an Article relies on."""
    for text in (article.title, article.body, article.id, article.outlet, article.url):
        assert isinstance(text, str)
        text.encode("utf-8")  # no lone surrogates
        assert "\r" not in text
        assert unicodedata.is_normalized("NFC", text)
    assert article.title.strip() or article.body.strip()
    assert one_line(article.id) == article.id  # ids are printed as they are, on one line
    assert article.lang in ("ar", "en", "other")
    assert "" not in [p.strip() for p in article.paragraphs] or article.body == ""


@FUZZ
@given(data=file_bytes(), suffix=st.sampled_from(ARTICLE_SUFFIXES), over=st.booleans())
@example(data=b"\x00" * 10, suffix=".txt", over=False)
@example(data=b"---\ntitle: x\n---\n", suffix=".md", over=False)
@example(data=b'[{"title": 1}, 2, {"body": null}]', suffix=".json", over=False)
def test_fuzz_read_source_never_raises(folder: Path, data: bytes, suffix: str, over: bool) -> None:
    shutil.rmtree(folder / "corpus", ignore_errors=True)
    corpus = folder / "corpus"
    corpus.mkdir()
    path = corpus / f"story{suffix}"
    path.write_bytes(data)
    config = Config(
        corpus_paths=(corpus,),
        data_dir=folder / "data",
        notes_dir=folder / "notes",
        max_file_bytes=len(data) - over,  # exactly at the size limit, or one byte over
    )
    stat = path.stat()
    source = SourceFile(path, corpus, stat.st_size, stat.st_mtime_ns)
    articles, skipped = read_source(source, config)
    assert all(isinstance(s, Skipped) and s.path == path and s.reason for s in skipped)
    assert articles or skipped, "a file gives articles or says why not"
    ids = [article.id for article in articles]
    assert len(ids) == len(set(ids))
    for article in articles:
        assert article.id == "story" or article.id.startswith("story/")
        check_article(article)
    if suffix in (".txt", ".md"):
        assert len(articles) + len(skipped) == 1
    if over:
        assert not articles and skipped[0].reason.startswith("larger than the size limit")


@FUZZ
@given(data=st.one_of(st.binary(max_size=400), file_bytes()))
def test_fuzz_decode_bytes_returns_text_or_raises_not_text(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data)
    except NotText as exc:
        assert str(exc).startswith("binary file")
        return
    assert isinstance(text, str) and encoding
    text.encode("utf-8")  # decoded text never holds lone surrogates
    # Printable ASCII is read as itself. (ASCII bytes with 0x06 controls in them can be UTF-16
    # Arabic without a byte-order mark: every Arabic letter is 0x06 and one ASCII-range byte.)
    if data.isascii() and all(byte >= 0x20 or byte in b"\t\n\r" for byte in data):
        assert text == data.decode("ascii")


# -- the query parser: text in ------------------------------------------------------------------


@pytest.fixture(scope="module")
def searcher() -> Iterator[Searcher]:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        corpus = folder / "corpus"
        shutil.copytree(SEEDS, corpus)
        (corpus / "hostile.txt").write_text(
            "Sirte \x1b]0;x\x07 title\n\nBody [b]x[/] about حفتر and Sirte.\n", encoding="utf-8"
        )
        config = Config(corpus_paths=(corpus,), data_dir=folder / "data", notes_dir=folder / "n")
        update_index(config)
        with Searcher(config) as opened:
            yield opened


TOKENS = st.sampled_from(
    [
        "Sirte",
        "sirte",
        "Haftar",
        "حفتر",
        "المسماري",
        "الوطية",
        "the",
        "of",
        "ceasefire",
        "AND",
        "OR",
        "NOT",
        "ANDNOT",
        "ANDMAYBE",
        "TO",
        "and",
        '"',
        '"Sirte city"',
        "(",
        ")",
        "title:",
        "body:",
        "lang:",
        "outlet:",
        "published:",
        "id:",
        "url:",
        "source:",
        "x:",
        "*",
        "?",
        "Sir*",
        "S?rte",
        "*te",
        "~",
        "~2",
        "Sirte~",
        "^",
        "^2",
        "Sirte^3",
        "[",
        "]",
        "{",
        "}",
        "[a TO z]",
        "{2019 TO 2020}",
        "published:[2019 TO 2021]",
        "published:2020",
        "published:yesterday",
        "+",
        "-",
        "!",
        ":",
        "\\",
        "'",
        "\x00",
        "\x1b[2J",
        "\u202e",
        "\u200b",
        "ﺲﻠﺑﺍﺮﻃ",
        "١٤٠",
        "e\u0301",
        "😀",
        "中文",
    ]
)
QUERIES = st.one_of(
    st.lists(st.one_of(TOKENS, st.text(max_size=6)), max_size=8).map(lambda parts: " ".join(parts)),
    st.lists(TOKENS, max_size=8).map("".join),
    st.text(max_size=30),
)


@FUZZ
@given(
    query=QUERIES,
    lang=st.sampled_from([None, "ar", "en", "other"]),
    cross_script=st.sampled_from([None, True, False]),
)
@example(query='title:"', lang=None, cross_script=None)
@example(query="published:[2020 TO", lang=None, cross_script=None)
@example(query="*", lang=None, cross_script=None)
@example(query="(((", lang=None, cross_script=None)
def test_fuzz_query_gives_results_or_query_error(
    searcher: Searcher, query: str, lang: str | None, cross_script: bool | None
) -> None:
    try:
        results = searcher.search(query, limit=5, lang=lang, cross_script=cross_script)
    except QueryError as exc:
        assert str(exc)
        return
    assert isinstance(results, Results)
    assert results.total >= len(results.hits)
    for hit in results.hits:
        if lang is not None:
            assert hit.lang == lang
        for start, end in hit.snippet_marks:
            assert 0 <= start < end <= len(hit.snippet)
        for start, end in hit.title_marks:
            assert 0 <= start < end <= len(hit.title)


@FUZZ
@given(query=QUERIES, body=st.text(max_size=60))
def test_fuzz_matcher_gives_spans_or_query_error(searcher: Searcher, query: str, body: str) -> None:
    assume(query.strip())
    try:
        matcher = searcher.matcher(query)
    except QueryError:
        return
    spans = matcher.spans(body)
    assert spans == sorted(spans)
    for start, end in spans:
        assert 0 <= start < end <= len(body)
