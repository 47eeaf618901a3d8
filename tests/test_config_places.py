"""Where reader keeps its files without a config file (the user's cache and data folders, never
the current folder), naming corpus folders with --corpus and $READER_CORPUS, --config after
the command name, and ``reader init``."""

from __future__ import annotations

import os
import shutil
import tomllib
from pathlib import Path

import pytest

from reader.core.config import load_config
from tests.conftest import SEEDS, cli_in_process


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user whose home, data, cache and config folders are under tmp_path, standing in an
    empty folder ``work`` with no config file anywhere."""
    for name, folder in (
        ("HOME", "home"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_CONFIG_HOME", "xdgconfig"),
    ):
        monkeypatch.setenv(name, str(tmp_path / folder))
    monkeypatch.delenv("READER_CORPUS", raising=False)
    monkeypatch.delenv("READER_CONFIG", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return tmp_path


def seeds_copy(folder: Path) -> Path:
    shutil.copytree(SEEDS, folder)
    return folder


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def test_without_config_the_index_notes_and_library_live_in_the_user_folders(home: Path) -> None:
    config = load_config()
    assert config.source is None
    assert config.corpus_paths == ()
    assert config.index_dir.is_relative_to(home / "cache")
    assert config.notes_dir.is_relative_to(home / "data")
    assert config.library_dir is not None and config.library_dir.is_relative_to(home / "data")


def test_a_command_without_a_corpus_says_how_to_name_one_and_writes_nothing(home: Path) -> None:
    (home / "work" / "seeds").mkdir()  # no longer read implicitly
    (home / "work" / "seeds" / "a.txt").write_text("Title\n\nBody.\n", encoding="utf-8")
    for command in (["index"], ["search", "x"], ["events"]):
        result = cli_in_process(command)
        assert result.returncode == 2, result.stderr
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and "reader init" in lines[0] and "--corpus" in lines[0]
    assert files_under(home / "work") == ["seeds", "seeds/a.txt"]
    assert not (home / "cache").exists() and not (home / "data").exists()


def test_corpus_option_indexes_into_the_cache_folder_not_the_current_one(home: Path) -> None:
    seeds_copy(home / "arts")
    result = cli_in_process(["index", "--corpus", str(home / "arts")])
    assert result.returncode == 0, result.stderr
    assert "5 articles indexed" in result.stderr
    assert files_under(home / "work") == []
    assert (home / "cache" / "reader" / "index" / "CURRENT").is_file()
    found = cli_in_process(["--corpus", "../arts", "search", "Sirte", "--json"])  # before, too
    assert found.returncode == 0 and len(found.stdout.splitlines()) == 2


def test_reader_corpus_names_several_folders(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seeds_copy(home / "one")
    (home / "two").mkdir()
    (home / "two" / "extra.txt").write_text("Extra title\n\nAn extra body.\n", encoding="utf-8")
    env = {"READER_CORPUS": os.pathsep.join([str(home / "one"), "", "../two"])}
    result = cli_in_process(["index"], env=env)
    assert result.returncode == 0, result.stderr
    assert "6 articles indexed" in result.stderr
    # --corpus wins over $READER_CORPUS
    result = cli_in_process(["index", "--corpus", str(home / "two")], env=env)
    assert result.returncode == 0 and "1 article indexed" in result.stderr


def test_corpus_option_replaces_the_config_paths_and_config_goes_after_the_command(
    home: Path,
) -> None:
    seeds_copy(home / "work" / "arts")
    (home / "other").mkdir()
    (home / "other" / "x.txt").write_text("Other title\n\nOther body.\n", encoding="utf-8")
    config = home / "work" / "my.toml"
    config.write_text('[corpus]\npaths = ["arts"]\n', encoding="utf-8")
    result = cli_in_process(["index", "--config", str(config)])
    assert result.returncode == 0, result.stderr
    assert "5 articles indexed" in result.stderr
    assert (home / "work" / ".reader" / "index").is_dir()  # the config's own data_dir
    result = cli_in_process(["index", "--config", str(config), "--corpus", str(home / "other")])
    assert result.returncode == 0 and "1 article indexed" in result.stderr
    nested = cli_in_process(["notes", "list", "--config", str(config), "--corpus", "arts"])
    assert nested.returncode == 0 and "no notes" in nested.stderr, nested.stderr
    result = cli_in_process(["--config", str(config), "index", "--config", str(home / "no.toml")])
    assert result.returncode == 2 and "--config is given twice" in result.stderr


def test_a_missing_corpus_folder_is_one_line_naming_it_and_how_it_was_named(home: Path) -> None:
    result = cli_in_process(["index", "--corpus", "nowhere"])
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"reader: {home / 'work' / 'nowhere'}: corpus folder does not exist (given with --corpus)"
    ]
    result = cli_in_process(["index"], env={"READER_CORPUS": str(home / "gone")})
    assert result.returncode == 2 and "named by $READER_CORPUS" in result.stderr
    assert files_under(home / "work") == []


def test_init_writes_a_config_naming_the_folder_and_refuses_to_overwrite(home: Path) -> None:
    arts = seeds_copy(home / "arts")
    result = cli_in_process(["init", str(arts)])
    assert result.returncode == 0, result.stderr
    written = arts / "config.toml"
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# ")  # commented
    assert tomllib.loads(text)["corpus"]["paths"] == ["."]
    config = load_config(written)
    assert config.corpus_paths == (arts,)
    assert config.data_dir == arts / ".reader" and config.notes_dir == arts / "notes"
    # not again without --force: one line, exit 2, the file as it was
    written.write_text(text + "# mine\n", encoding="utf-8")
    again = cli_in_process(["init", str(arts)])
    assert again.returncode == 2 and len(again.stderr.splitlines()) == 1
    assert "--force" in again.stderr
    assert written.read_text(encoding="utf-8") == text + "# mine\n"
    assert [p.name for p in arts.iterdir() if p.name.startswith(".")] == []  # no temp file
    forced = cli_in_process(["init", str(arts), "--force"])
    assert forced.returncode == 0 and written.read_text(encoding="utf-8") == text


def test_init_names_a_corpus_given_with_corpus_and_defaults_to_the_current_folder(
    home: Path,
) -> None:
    arts = seeds_copy(home / "work" / "arts")
    elsewhere = seeds_copy(home / 'odd "name"')
    result = cli_in_process(["init", "--corpus", "arts", "--corpus", str(elsewhere)])
    assert result.returncode == 0, result.stderr
    config = load_config(home / "work" / "config.toml")
    assert config.corpus_paths == (arts, elsewhere)
    raw = tomllib.loads((home / "work" / "config.toml").read_text(encoding="utf-8"))
    assert raw["corpus"]["paths"] == ["arts", str(elsewhere)]
    missing = cli_in_process(["init", str(home / "new"), "--corpus", "nowhere"])
    assert missing.returncode == 2 and not (home / "new").exists()


def test_init_makes_a_new_library_folder(home: Path) -> None:
    result = cli_in_process(["init", str(home / "desk" / "libya")])
    assert result.returncode == 0, result.stderr
    config = load_config(home / "desk" / "libya" / "config.toml")
    assert config.corpus_paths == (home / "desk" / "libya",)
    page = home / "saved.txt"
    page.write_text("A saved story\n\nSirte was calm on Tuesday.\n", encoding="utf-8")
    config_arg = ["--config", str(home / "desk" / "libya" / "config.toml")]
    added = cli_in_process(["add", str(page), *config_arg])
    assert added.returncode == 0, added.stderr
    assert "1 article indexed" in added.stderr


def test_the_config_file_and_notes_in_the_corpus_folder_are_not_articles(home: Path) -> None:
    arts = seeds_copy(home / "arts")
    text = '[corpus]\npaths = ["."]\n[storage]\ndata_dir = ".reader"\nnotes_dir = "notes"\n'
    (arts / "config.toml").write_text(text, encoding="utf-8")  # as `reader init` writes it
    (arts / "notes").mkdir()
    (arts / "notes" / "000_7b206ec7414ebb17.toml").write_text("", encoding="utf-8")
    result = cli_in_process(["index", "--config", str(arts / "config.toml")])
    assert result.returncode == 0, result.stderr
    assert "5 articles indexed" in result.stderr and "0 skipped" in result.stderr
    assert "not an article format" not in result.stderr


def test_add_without_config_saves_into_the_user_data_folder(home: Path) -> None:
    page = home / "saved.txt"
    page.write_text("A saved story\n\nSirte was calm on Tuesday.\n", encoding="utf-8")
    result = cli_in_process(["add", str(page)])
    assert result.returncode == 0, result.stderr
    library = home / "data" / "reader" / "library"
    assert [p.name for p in library.iterdir()] == ["saved.txt"]
    assert files_under(home / "work") == []
    found = cli_in_process(["search", "Sirte", "--json"])  # the library alone is a corpus
    assert found.returncode == 0 and len(found.stdout.splitlines()) == 1
