"""[outlets] hosts: a user table mapping hosts to outlet names, used when an article's outlet
is a host (a page without a site name) or when it has only a URL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.core.config import ConfigError, load_config
from reader.core.search.index_files import index_settings, settings_change
from reader.core.sources.corpus import Skipped, read_source, scan_corpus
from tests.conftest import write_config

OUTLETS = """
[outlets]
"Libya Observer" = { side = "GNA", hosts = ["libyaobserver.ly"] }
"Al Wasat" = { hosts = ["WWW.alwasat.ly"] }
"""


def outlets(config_path: Path) -> dict[str, str]:
    config = load_config(config_path)
    found = {}
    for item in scan_corpus(config):
        assert not isinstance(item, Skipped), item
        for article in read_source(item, config)[0]:
            found[article.id] = article.outlet
    return found


def test_hosts_name_the_outlet_of_articles_known_by_their_address(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Title A\n\nBody A.\n", encoding="utf-8")
    (corpus / "a.toml").write_text('url = "https://www.libyaobserver.ly/news/1"\n', "utf-8")
    (corpus / "b.txt").write_text("Title B\n\nBody B.\n", encoding="utf-8")
    (corpus / "b.toml").write_text('outlet = "Alwasat.ly"\n', encoding="utf-8")
    (corpus / "c.txt").write_text("Title C\n\nBody C.\n", encoding="utf-8")
    (corpus / "c.toml").write_text('outlet = "Own Name"\nurl = "https://alwasat.ly/x"\n', "utf-8")
    record = {"id": "d", "title": "T", "body": "B", "url": "https://other.example/x"}
    (corpus / "d.json").write_text(json.dumps(record), encoding="utf-8")
    config = write_config(tmp_path, extra=OUTLETS)
    assert outlets(config) == {
        "a": "Libya Observer",
        "b": "Al Wasat",
        "c": "Own Name",  # an outlet the article names itself is kept
        "d/d": "",
    }
    places = load_config(config).outlets
    assert [p.name for p in places.values()] == ["Libya Observer"]  # hosts alone place nothing


def test_an_index_built_by_an_older_reading_of_files_is_rebuilt(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    config = load_config(write_config(tmp_path))
    built = json.loads(json.dumps(index_settings(config)))
    assert settings_change(built, config) is None
    older = {k: v for k, v in built.items() if k != "reading"}  # before files had a version
    assert settings_change(older, config) == (
        "the way reader reads files changed since the index was built"
    )


def test_changing_the_hosts_rebuilds_the_index(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    before = index_settings(load_config(write_config(tmp_path)))
    after = load_config(write_config(tmp_path, extra=OUTLETS))
    assert settings_change(json.loads(json.dumps(before)), after) == (
        "[outlets] hosts changed since the index was built"
    )
    built = json.loads(json.dumps(index_settings(after)))
    assert settings_change(built, load_config(write_config(tmp_path))) is not None


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        ('"X" = { hosts = "x.ly" }', "hosts must be a list of host names"),
        ('"X" = { hosts = ["https://x.ly/"] }', "hosts must hold host names"),
        ('"X" = { hosts = ["x.ly"] }\n"Y" = { hosts = ["www.x.ly"] }', "is already 'X'"),
    ],
)
def test_bad_hosts_name_the_outlet_and_line(tmp_path: Path, entry: str, fragment: str) -> None:
    (tmp_path / "corpus").mkdir()
    path = write_config(tmp_path, extra=f"[outlets]\n{entry}\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).startswith(f"{path}:") and fragment in str(info.value)
    assert "[outlets]" in str(info.value)
