"""The article's author (byline): read from every source that gives one (sidecar, JSON records,
Markdown front matter; web pages and feeds are checked in their own test files), kept in the
index, searchable as ``author:``, shown by ``reader show`` and in the app's header, and carried
into ``--json`` records and the exports."""

from __future__ import annotations

import json
from pathlib import Path

from reader.app.app import ReaderApp
from reader.app.widgets.header import ArticleHeader
from reader.core.config import DEFAULT_VERDICTS, load_config
from reader.core.notes.export import ArticleNotes, csv_report, markdown_report
from reader.core.search.index import update_index
from reader.core.sources.article import Article
from tests.conftest import cli_in_process, write_config


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "flood.txt").write_text(
        "River floods the old town\nThe river burst its banks on Monday night.\n",
        encoding="utf-8",
    )
    (corpus / "flood.toml").write_text('author = "Ana Ríos"\noutlet = "Valley Post"\n')
    records = [
        {
            "id": "wire-1",
            "title": "Dam holds",
            "body": "The dam held overnight.",
            "authors": ["Sam Lee", {"name": "Noor Haddad"}, 7, None, True],
        },
        {
            "id": "wire-2",
            "title": "Bridge shut",
            "body": "The bridge was shut.",
            "byline": "  Omar\nFarouk\t ",
        },
        {"id": "wire-3", "title": "Rain ends", "body": "The rain ended.", "author": {"x": 1}},
    ]
    (corpus / "wire.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8"
    )
    (corpus / "blog.md").write_text(
        "---\ntitle: Levels fall\nauthor: سلمى الحسيني\n---\n\nThe levels fell on **Tuesday**.\n",
        encoding="utf-8",
    )
    return corpus


def test_every_source_gives_its_author_as_one_line(tmp_path: Path) -> None:
    _corpus(tmp_path)
    config_file = write_config(tmp_path)
    assert cli_in_process(["--config", str(config_file), "index"]).returncode == 0
    shown = {}
    for article_id in ("flood", "wire/wire-1", "wire/wire-2", "wire/wire-3", "blog"):
        result = cli_in_process(["--config", str(config_file), "show", article_id, "--json"])
        assert result.returncode == 0, (article_id, result.stderr)
        shown[article_id] = json.loads(result.stdout)["author"]
    assert shown == {
        "flood": "Ana Ríos",  # the sidecar's
        "wire/wire-1": "Sam Lee, Noor Haddad, 7",  # a list, with JSON-LD's {"name": ...}
        "wire/wire-2": "Omar Farouk",  # one line
        "wire/wire-3": "",  # a record without a name: nothing invented
        "blog": "سلمى الحسيني",
    }
    plain = cli_in_process(["--config", str(config_file), "show", "flood"]).stdout
    assert "author: Ana Ríos" in plain.splitlines()


def test_author_is_a_search_field(tmp_path: Path) -> None:
    _corpus(tmp_path)
    config_file = write_config(tmp_path)
    assert cli_in_process(["--config", str(config_file), "index"]).returncode == 0
    found = cli_in_process(["--config", str(config_file), "search", "author:haddad", "--json"])
    assert found.returncode == 0, found.stderr
    assert [json.loads(line)["id"] for line in found.stdout.splitlines()] == ["wire/wire-1"]
    arabic = cli_in_process(["--config", str(config_file), "search", "author:الحسيني", "--json"])
    assert [json.loads(line)["id"] for line in arabic.stdout.splitlines()] == ["blog"]


async def test_the_header_shows_author_and_url(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    (corpus / "flood.toml").write_text(
        'author = "Ana Ríos\\u001b[2J"\nurl = "https://valley.example/flood"\n'
    )
    config = load_config(write_config(tmp_path))
    update_index(config)
    app = ReaderApp(config)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        header = app.query_one(ArticleHeader)
        header.article = app.library.article("flood")
        options = app.console.options.update_width(100)
        rows = [
            "".join(s.text for s in line)
            for line in app.console.render_lines(header.render(), options)
        ]
        assert any("by Ana Ríos" in row and "https://valley.example/flood" in row for row in rows)
        assert not any("\x1b" in row for row in rows)
        # An Arabic byline is laid out as every one-line field is (shaped, in reading order).
        from reader.app.widgets.bidi_text import field_text

        header.article = app.library.article("blog")
        rows = [
            "".join(s.text for s in line)
            for line in app.console.render_lines(header.render(), options)
        ]
        shown = field_text("سلمى الحسيني", config)
        assert shown != "سلمى الحسيني"  # shaped: what a terminal shows right
        assert any(f"by {shown}" in row for row in rows)


def test_exports_carry_the_byline() -> None:
    article = Article("a", "T", "body", "en", outlet="O", author="Dana Reporter")
    group = ArticleNotes("a", article, ())
    assert "by Dana Reporter" in markdown_report([group], DEFAULT_VERDICTS)
    header = csv_report([group], DEFAULT_VERDICTS).splitlines()[0].split(",")
    assert header[-1] == "article_author"
