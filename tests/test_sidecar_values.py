"""A sidecar value reader reads but cannot use (an outlet that is a list, a date that is no
date, a language that is neither English nor Arabic) is named with its line, and the rest of
the sidecar is used: before, such values were dropped without a word (found by trying the app).
"""

from __future__ import annotations

from pathlib import Path

from reader.core.config import load_config
from reader.core.library import Library
from reader.core.sources.metadata import unusable_values
from reader.core.sources.scan import SkipKind
from tests.conftest import cli_in_process, write_config

SIDECAR = """# a hand-written sidecar
title = "Port reopens"
outlet = ["Alpha", "Beta"]
"published" = "last Monday"
lang = "xx"
author = { x = 1 }
url = true
date = 2020-05-18
"""


def test_each_unusable_value_is_named_with_its_line_and_the_rest_is_used(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "news"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Strike\n\nA strike hit the port of Misrata.\n", "utf-8")
    (corpus / "a.toml").write_text(SIDECAR, encoding="utf-8")
    config = load_config(write_config(tmp_path, corpus="news"))
    with Library(config) as library:
        report = library.update()
        article = library.article("a")
    assert article is not None
    assert article.title == "Port reopens"  # the usable values are read
    assert str(article.published) == "2020-05-18"
    [problem] = report.skipped
    assert problem.kind is SkipKind.UNUSED_VALUES
    assert report.files_skipped == 0 and report.sidecars_ignored == 0
    assert report.values_ignored == 1 and report.summary().endswith(" · 1 with values ignored")
    text = str(problem)
    for phrase in (
        "a.toml: values ignored: outlet (line 3): expected text, found an array",
        "published (line 4): 'last Monday' is not a date",
        "lang (line 5): 'xx' is not en or ar",
        "author (line 6): expected a name or a list of names, found a table",
        "url (line 7): expected text, found true/false",
        "a.txt is indexed without them",
    ):
        assert phrase in text, text
    assert "title" not in text and "date (line 8)" not in text
    done = cli_in_process(["--config", str(tmp_path / "config.toml"), "index"])
    assert "outlet (line 3): expected text, found an array" in done.stderr, done.stderr
    assert "0 skipped, 1 with values ignored)" in done.stderr


def test_usable_values_and_keys_reader_does_not_read_give_nothing() -> None:
    meta = {
        "title": "T",
        "outlet": "O",
        "published": "2020-05-18T10:00:00Z",
        "lang": "Arabic",
        "author": ["A", {"name": "B"}],
        "tags": [1, 2],
        "extra": {"deep": True},
    }
    assert unusable_values(meta, "") == []
    assert unusable_values({"title": ""}, "") == []  # empty text: as if not given
    assert unusable_values({"outlet": [1]}, "outlet = [1]\n") == [
        "outlet (line 1): expected text, found an array"
    ]


def test_a_json_record_names_its_unusable_values_and_reads_a_source_record(
    tmp_path: Path,
) -> None:
    """The same for a JSON record; a news API's ``source: {"name": ...}`` is read as the
    outlet, and JSON's null is a value not given (no warning)."""
    import json

    corpus = tmp_path / "news"
    corpus.mkdir()
    records = [
        {"id": "a", "title": "Port reopens", "body": "The port of Misrata reopened.",
         "source": {"id": None, "name": "Alpha News"}, "author": None, "published": None},
        {"id": "b", "title": "Strike", "body": "A strike hit the port.", "outlet": ["x"],
         "published": "soon"},
    ]  # fmt: skip
    (corpus / "feed.json").write_text(json.dumps(records), encoding="utf-8")
    config = load_config(write_config(tmp_path, corpus="news"))
    with Library(config) as library:
        report = library.update()
        first = library.article("feed/a")
    assert report.total == 2 and report.files_skipped == 0 and report.values_ignored == 1
    assert first is not None and first.outlet == "Alpha News"
    [problem] = report.skipped
    assert str(problem).endswith(
        "feed.json: values ignored: record 2: outlet: expected text, found an array; "
        "published: 'soon' is not a date (expected 2020-05-18); indexed without them"
    ), str(problem)
