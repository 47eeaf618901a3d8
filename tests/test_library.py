"""The library service: articles by id or unique prefix from the index (never by parsing the
corpus), in the core, in every CLI command and in the app; one record schema for --json."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from reader.cli import main
from reader.core.config import Config, load_config
from reader.core.library import AmbiguousId, ArticleNotFound, Library, SearchCancelled
from reader.core.search.index import IndexUnavailable, update_index
from reader.core.sources import corpus as corpus_module
from tests.conftest import ARABIC_SEED, SEEDS, write_config

SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))
S000, S001, S003, S004 = SEED_IDS[0], SEED_IDS[1], SEED_IDS[3], SEED_IDS[4]
QUOTE = "the spokesman for these militias officially announced their defeat"


@pytest.fixture
def config(config_path: Path) -> Config:
    """The seeds' config, with its index built."""
    loaded = load_config(config_path)
    update_index(loaded)
    return loaded


@pytest.fixture
def no_parsing(config: Config, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, reading a corpus file fails the test (every reader of the corpus goes
    through ``_read_source``); returns the list of the files it was asked for."""
    asked: list[str] = []

    def refuse(source: Any, _config: Config) -> Any:
        asked.append(str(source.path))
        raise AssertionError(f"a corpus file was parsed for a lookup: {source.path}")

    monkeypatch.setattr(corpus_module, "_read_source", refuse)
    return asked


def cli(capsys: pytest.CaptureFixture[str], config_path: Path, *args: str) -> tuple[int, str, str]:
    """Run the CLI in this process: (exit code, stdout, stderr)."""
    code = main(["--config", str(config_path), *args])
    out, err = capsys.readouterr()
    return code, out, err


# ----- the core -----


def test_an_article_by_id_or_unique_prefix(config: Config, no_parsing: list[str]) -> None:
    with Library(config) as library:
        assert library.ids() == SEED_IDS
        assert library.article(ARABIC_SEED).id == ARABIC_SEED
        assert library.article("003").id == ARABIC_SEED
        assert library.article("003_cf7").body == library.article(ARABIC_SEED).body
        assert library.resolve("004") == SEED_IDS[4]
        assert library.get("003") is None  # get() takes whole ids only
    assert no_parsing == []


def test_an_ambiguous_prefix_lists_its_candidates(config: Config) -> None:
    with Library(config) as library, pytest.raises(AmbiguousId) as caught:
        library.article("00")
    assert caught.value.candidates == tuple(SEED_IDS)
    message = str(caught.value)
    assert message.startswith("id '00' is ambiguous: 5 articles start with it: ")
    assert all(i in message for i in SEED_IDS)
    assert "\n" not in message


@pytest.mark.parametrize("given", ["nope", "", "0030", "003_cf72655655ca3791x"])
def test_an_unknown_id_is_a_clear_error(config: Config, given: str) -> None:
    with Library(config) as library, pytest.raises(ArticleNotFound) as caught:
        library.article(given)
    assert str(caught.value) == f"no article with id {given!r} (see `reader search`)"


def test_a_whole_id_wins_over_the_longer_ids_it_begins(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a", "ab", "abc"):
        (corpus / f"{name}.txt").write_text(f"Title {name}\n\nBody of {name}.\n", encoding="utf-8")
    config = load_config(write_config(tmp_path))
    update_index(config)
    with Library(config) as library:
        assert [library.article(i).id for i in ("a", "ab", "abc")] == ["a", "ab", "abc"]
        with pytest.raises(ArticleNotFound):
            library.article("ab_")


def test_articles_and_events_come_from_the_index(config: Config, no_parsing: list[str]) -> None:
    with Library(config) as library:
        articles = library.articles()
        assert [a.id for a in articles] == SEED_IDS
        events = library.events()
        assert sorted(i for e in events for i in e.article_ids) == SEED_IDS
        assert any(set(e.article_ids) == {S003, S004} for e in events)  # Arabic and English
        assert library.notes.folder == config.notes_dir
    assert no_parsing == []


def test_without_an_index_the_library_says_what_to_do(config_path: Path) -> None:
    with Library(load_config(config_path)) as library, pytest.raises(IndexUnavailable) as caught:
        library.article("003")
    assert "reader index" in str(caught.value)


def test_the_lock_is_the_librarys_and_a_cancelled_search_frees_it(config: Config) -> None:
    with Library(config) as library:
        cancel = threading.Event()
        cancel.set()
        with pytest.raises(SearchCancelled):
            library.search("Sirte", cancel=cancel)
        assert not library.busy
        results: list[list[str]] = []

        def search() -> None:
            results.append(sorted(h.id for h in library.search("Sirte").hits))

        threads = [threading.Thread(target=search) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(results) == 4 and all(r == results[0] and r for r in results)


# ----- the CLI: every command takes a unique prefix -----


def test_show_takes_a_prefix(
    config: Config, config_path: Path, capsys: pytest.CaptureFixture[str], no_parsing: list[str]
) -> None:
    code, out, err = cli(capsys, config_path, "show", "003", "--json")
    assert code == 0, err
    assert json.loads(out)["id"] == ARABIC_SEED
    code, out, _ = cli(capsys, config_path, "show", "003")
    assert code == 0 and f"id: {ARABIC_SEED}" in out
    assert no_parsing == []


@pytest.mark.parametrize(
    "command",
    [
        ["show", "{}"],
        ["compare", "{}", S001],
        ["notes", "add", "{}", "--quote", QUOTE],
        ["notes", "list", "{}"],
    ],
)
@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("00", "id '00' is ambiguous: 5 articles start with it: " + ", ".join(SEED_IDS)),
        ("zz", "no article with id 'zz'"),
    ],
)
def test_every_command_rejects_an_ambiguous_or_unknown_id(
    config: Config,
    config_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    given: str,
    message: str,
) -> None:
    code, out, err = cli(capsys, config_path, *[a.replace("{}", given) for a in command])
    assert code == 2
    assert message in err
    assert out == ""
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("00", "--evidence: id '00' is ambiguous: 5 articles start with it: "),
        ("zz", "--evidence 'zz' is neither a URL (https://...) nor an article id"),
    ],
)
def test_evidence_rejects_an_ambiguous_or_unknown_id(
    config: Config, config_path: Path, capsys: pytest.CaptureFixture[str], given: str, message: str
) -> None:
    args = ("notes", "add", S000, "--quote", QUOTE, "--evidence", given)
    code, out, err = cli(capsys, config_path, *args)
    assert (code, out) == (2, "")
    assert message in err and len(err.splitlines()) == 1


def test_notes_and_compare_take_prefixes(
    config: Config, config_path: Path, capsys: pytest.CaptureFixture[str], no_parsing: list[str]
) -> None:
    code, out, err = cli(
        capsys, config_path, "notes", "add", "000", "--quote", QUOTE, "--evidence", "001"
    )
    assert code == 0, err
    note_id = out.strip()
    code, out, err = cli(capsys, config_path, "notes", "list", "000", "--json")
    assert code == 0, err
    [record] = [json.loads(line) for line in out.splitlines()]
    assert (record["id"], record["article"]) == (note_id, S000)
    assert record["evidence"][0]["article"] == S001  # stored as the whole id
    code, out, err = cli(capsys, config_path, "compare", "001", "000", "--json")
    assert code == 0, err
    assert [a["id"] for a in json.loads(out)["articles"]] == [S001, S000]
    assert no_parsing == []


def test_events_read_the_index(
    config: Config, config_path: Path, capsys: pytest.CaptureFixture[str], no_parsing: list[str]
) -> None:
    code, out, err = cli(capsys, config_path, "events", "--json")
    assert code == 0, err
    assert sorted(a["id"] for e in json.loads(out)["events"] for a in e["articles"]) == SEED_IDS
    assert no_parsing == []


def test_commands_see_a_changed_article(
    config: Config, config_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The index is brought up to date first: an edited file is shown as it is now."""
    path = config.corpus_paths[0] / f"{ARABIC_SEED}.txt"
    path.write_text("New title\n\nA new body.\n", encoding="utf-8")
    code, out, err = cli(capsys, config_path, "show", "003", "--json")
    assert code == 0, err
    assert json.loads(out)["title"] == "New title"


def test_one_schema_for_articles_and_hits(
    config: Config, config_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _code, out, _err = cli(capsys, config_path, "show", S000, "--json")
    article = json.loads(out)
    _code, out, _err = cli(capsys, config_path, "search", "Mesmari", "--json")
    hit = next(json.loads(line) for line in out.splitlines() if json.loads(line)["id"] == S000)
    shared = ("id", "title", "outlet", "lang", "published")
    assert {k: hit[k] for k in shared} == {k: article[k] for k in shared}
    assert set(hit) == {*shared, "score", "snippet", "marks", "title_marks"}
    _code, out, _err = cli(capsys, config_path, "compare", S000, S001, "--json")
    compared = json.loads(out)["articles"][0]
    assert compared == {k: v for k, v in article.items() if k != "body"}


def test_a_missing_index_is_built_by_show(
    config_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, config_path, "show", "003", "--json")
    assert code == 0, err
    assert json.loads(out)["id"] == ARABIC_SEED


def test_an_index_that_cannot_be_updated_is_read_as_it_is(
    config: Config,
    config_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    busy = f"another reader is updating the index in {config.index_dir}; try again later"

    def refuse(self: Library, **_kwargs: Any) -> Any:
        raise IndexUnavailable(busy)

    monkeypatch.setattr(Library, "update", refuse)
    code, out, err = cli(capsys, config_path, "show", "003", "--json")
    assert code == 0 and json.loads(out)["id"] == ARABIC_SEED
    assert err == f"reader: {busy} (using the index as it is)\n"


def test_no_index_and_none_can_be_built_is_one_line(
    config_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: Library, **_kwargs: Any) -> Any:
        raise IndexUnavailable("cannot write the index in DIR: Permission denied")

    monkeypatch.setattr(Library, "update", refuse)
    for command in (["show", "003"], ["compare", "000", "001"], ["events"], ["notes", "list"]):
        code, out, err = cli(capsys, config_path, *command)
        assert (code, out) == (1, "")
        assert err == "reader: cannot write the index in DIR: Permission denied\n"


# ----- the app -----


async def test_the_app_opens_and_compares_without_parsing_the_corpus(
    config: Config, no_parsing: list[str]
) -> None:
    from reader.app.app import ReaderApp
    from reader.app.screens.compare import CompareScreen
    from reader.app.widgets.compare_column import CompareColumn
    from tests.test_app import search_and_open, settle

    app = ReaderApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "Turkish", S004)
        await pilot.press("c")
        await settle(pilot, app)
        await pilot.pause(0.1)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        shown = [c.article.id for c in screen.query(CompareColumn)]
        assert shown == [S004, S003]  # the event of 004, with the Arabic 003
    assert no_parsing == []


def test_the_app_holds_a_typed_library() -> None:
    """mypy checks the app's use of the library: nothing in the app hides it from mypy."""
    import inspect

    from reader.app import app as app_module
    from reader.app import workers
    from reader.app.screens import compare

    for module in (app_module, workers, compare):
        source = inspect.getsource(module)
        assert "type: ignore" not in source
        assert "getattr(self.app" not in source and "_search_lock" not in source
    assert "self.library = Library(config)" in inspect.getsource(app_module.ReaderApp.__init__)
    assert "library: Library" in inspect.getsource(compare.CompareScreen.__init__)
