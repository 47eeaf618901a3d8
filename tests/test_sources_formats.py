"""Markdown rendered to plain paragraphs, and files of formats reader does not read counted in
one line per run by kind, never passed over in silence."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from reader.core.config import load_config
from reader.core.search.index import update_index
from reader.core.search.searcher import Searcher
from reader.core.sources.corpus import SkipKind, SourceFile, read_source
from reader.core.sources.markdown import markdown_paragraphs
from tests.conftest import cli_in_process, write_config

WEB = Path(__file__).parent / "data" / "web"


def test_markdown_is_read_as_plain_paragraphs(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(WEB / "river-levels.md", corpus)
    config = load_config(write_config(tmp_path))
    path = corpus / "river-levels.md"
    info = path.stat()
    source = SourceFile(path, corpus, info.st_size, info.st_mtime_ns)
    articles, skipped = read_source(source, config)
    assert skipped == []
    (article,) = articles
    assert article.title == "River levels: what the gauges said"
    assert (article.outlet, article.published) == ("Example Blog", date(2024, 3, 16))
    assert article.paragraphs == [
        "Posted on Example Blog by the data desk.",
        "The Esk gauge at Quay Street peaked at 4.2 m on Thursday night, above the 2012 record"
        " of 3.9 m.",
        "How we checked",
        "readings from the quay station, every 15 minutes",
        "rainfall totals from the national weather office",
        '"The river rose faster than any model predicted," said a hydrologist at the office.',
    ]
    for markup in ("**", "_the", "](", "https://", "`", "# ", "> "):
        assert markup not in article.body, markup


def test_markdown_code_html_and_deep_nesting_stay_text() -> None:
    text = "Intro *one*\n\n```\nx = 1\n```\n\n<div>raw <b>html</b> &amp; more</div>\n"
    assert markdown_paragraphs(text) == ["Intro one", "x = 1", "raw html & more"]
    deep = ">" * 5000 + " the quote"  # beyond the parser's nesting limit: kept as text
    assert markdown_paragraphs(deep)[0].endswith("the quote")


def make_mixed_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("A good article\n\nSirte is on the coast.\n", "utf-8")
    (corpus / "story.txt").write_text("A story\n\nWith a sidecar.\n", "utf-8")
    (corpus / "story.toml").write_text('outlet = "Herald"\n', "utf-8")  # a sidecar: not counted
    (corpus / "a.docx").write_bytes(b"PK\x03\x04 not read")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "b.DOCX").write_bytes(b"PK\x03\x04 not read")
    (corpus / "sub" / "scan.pdf").write_bytes(b"%PDF-1.4")
    (corpus / "photo.jpeg").write_bytes(b"\xff\xd8\xff")
    return write_config(tmp_path)


def test_unsupported_files_are_counted_in_one_line_by_kind(tmp_path: Path) -> None:
    config_path = make_mixed_corpus(tmp_path)
    report = update_index(load_config(config_path))
    assert sorted(s.path.name for s in report.skipped if s.kind is SkipKind.UNSUPPORTED) == [
        "a.docx",
        "b.DOCX",
        "photo.jpeg",
        "scan.pdf",
    ]
    expected = "4 files skipped (not an article format): .docx (2), .jpeg (1), .pdf (1)"
    assert report.problems() == [expected]
    assert report.total == 2


def test_reader_index_prints_the_one_line(tmp_path: Path) -> None:
    config_path = make_mixed_corpus(tmp_path)
    result = cli_in_process(["--config", str(config_path), "index"])
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert "reader: 4 files skipped (not an article format): .docx (2), .jpeg (1), .pdf (1)" in (
        lines
    )
    assert not any("a.docx" in line or "scan.pdf" in line for line in lines)
    assert "4 skipped" in lines[-1]


def test_two_files_with_one_id_keep_the_first_and_report_the_second(tmp_path: Path) -> None:
    """flood.html and flood.txt are both article 'flood': an update used to replace one by
    the other (and a rebuild kept both under one id)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(WEB / "harbour-city-flood.html", corpus / "flood.html")
    (corpus / "flood.txt").write_text("Sirte talks\n\nThe talks in Sirte went on.\n", "utf-8")
    config = load_config(write_config(tmp_path))
    report = update_index(config)
    assert [(s.path.name, s.kind) for s in report.skipped] == [("flood.txt", SkipKind.ID_TAKEN)]
    assert str(report.skipped[0]) == (
        f"{corpus / 'flood.txt'}: skipped: its id 'flood' is the id of {corpus / 'flood.html'}; "
        "rename one of them"
    )
    with Searcher(config) as searcher:
        (article,) = searcher.articles()
    assert article.outlet == "The Coastal Herald"
