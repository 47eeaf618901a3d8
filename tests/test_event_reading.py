"""Reading the stored events fast, with the same results: `reader events --json` from the
listing kept beside them (no update, no index opened, nor Whoosh's query machinery imported,
when the corpus on disk is what the index holds; stale never), the compare view's event and
choices from the table stored with them (exactly the scores of a Similarity over every stored
profile), and the check of the corpus against the index."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from reader.app.screens.compare import CompareScreen
from reader.core.config import Config, load_config
from reader.core.events import store as event_store
from reader.core.events import store_files
from reader.core.events.decision_edits import move_article, rename_event
from reader.core.events.decisions import decisions_path
from reader.core.events.grouping import ALL_PAIRS_UP_TO, Profile, Similarity
from reader.core.events.listing import LISTING_FILE, decisions_file, listing_key, read_listing
from reader.core.events.pivot_scores import scores_from_table
from reader.core.events.store_header import PROFILE_FIELDS, header_line, store_settings
from reader.core.events.store_scores import SCORES_FILE
from reader.core.library import Library
from reader.core.names.entities import Entity, Gazetteer
from reader.core.records import EventRecord
from reader.core.search.freshness import _plain_files, index_matches_corpus
from reader.core.search.index import live_folder
from reader.core.sources.article import Article
from reader.core.sources.corpus import Skipped, scan_corpus
from reader.core.text.sanitize import json_line
from tests.conftest import cli_in_new_process, write_config
from tests.test_event_store import generated_corpus, write_lone_article
from tests.test_events_timeline_cli import OUTLETS, write_corpus

# ----- the similarity table: the very scores of a Similarity over every stored profile -----


def _code(number: int) -> str:
    return "".join(chr(ord("a") + int(digit)) for digit in f"{number:03d}")


def _synthetic(count: int) -> tuple[list[Article], Gazetteer]:
    """Articles in groups sharing places, words, numbers and dates, in two languages and
    none, some dated (a few with only a month and day in a dateline), some not."""
    rng = random.Random(count)
    groups = max(2, count // 5)
    entities = [
        Entity(f"e{g}-{k}", f"Zed{_code(g)}{_code(k)}", "place", (f"Zed{_code(g)}{_code(k)}",))
        for g in range(groups)
        for k in range(3)
    ]
    common = [f"common{_code(k)}" for k in range(40)]
    articles = []
    for n in range(count):
        g = n % groups
        names = " and ".join(f"Zed{_code(g)}{_code(k)}" for k in range(3) if rng.random() < 0.7)
        words = " ".join(rng.choice(common) for _ in range(30))
        lang = rng.choice(("en", "en", "ar", "other"))
        day = date(2020, 5, 1) + timedelta(days=rng.randrange(60))
        dateline = f"TRIPOLI, May {rng.randrange(1, 28)} - " if rng.random() < 0.2 else ""
        body = (
            f"{dateline}{names} met. Word{_code(g)} said{_code(g)} {words}. "
            f"{rng.randrange(5, 40)} people were killed on {day:%d %B %Y}."
        )
        published = day if rng.random() < 0.8 else None
        articles.append(Article(f"{g:03d}-{n:04d}", f"Title {g}", body, lang, published=published))
    return articles, Gazetteer(entities)


@pytest.mark.parametrize("count", [40, ALL_PAIRS_UP_TO + 60])
def test_the_table_scores_every_pair_exactly_as_a_similarity_over_every_profile(
    tmp_path: Path, count: int
) -> None:
    articles, gazetteer = _synthetic(count)
    event_store.refresh(tmp_path, articles, gazetteer, "test", threshold=0.3)
    stored = store_files.read_profiles(tmp_path, 0.3, "test")
    assert stored is not None
    profiles, digests, _groups = stored
    similarity = Similarity(list(profiles.values()))
    header = header_line(tmp_path)
    assert header is not None
    settings = store_settings(0.3, "test")
    for pivot in sorted(profiles)[:: max(1, count // 25)]:
        scores = scores_from_table(
            tmp_path / SCORES_FILE, pivot, digests[pivot], settings, header["scores"]
        )
        expected = {i: similarity.score(pivot, i).score for i in profiles if i != pivot}
        assert scores == expected  # to the last bit, zeros included
        assert sum(1 for v in expected.values() if v) > 1  # pairs that share something


def test_the_table_does_not_serve_a_changed_pivot_or_other_events(tmp_path: Path) -> None:
    articles, gazetteer = _synthetic(30)
    event_store.refresh(tmp_path, articles, gazetteer, "test", threshold=0.3)
    header = header_line(tmp_path)
    assert header is not None
    settings = store_settings(0.3, "test")
    table = tmp_path / SCORES_FILE
    pivot = articles[0]
    digest = store_files.article_digest(pivot)
    assert scores_from_table(table, pivot.id, digest, settings, header["scores"]) is not None
    changed = store_files.article_digest(dataclasses.replace(pivot, body=pivot.body + " More."))
    assert scores_from_table(table, pivot.id, changed, settings, header["scores"]) is None
    assert scores_from_table(table, pivot.id, digest, settings, "another") is None
    other = store_settings(0.3, "another gazetteer")
    assert scores_from_table(table, pivot.id, digest, other, header["scores"]) is None
    table.write_bytes(b"not a database")
    assert scores_from_table(table, pivot.id, digest, settings, header["scores"]) is None


def test_the_profile_fields_named_in_the_format_are_those_of_profile() -> None:
    assert tuple(f.name for f in dataclasses.fields(Profile)) == PROFILE_FIELDS


# ----- the library and the compare view -----


@pytest.fixture
def generated(tmp_path: Path) -> Config:
    generated_corpus(tmp_path / "corpus")
    return load_config(write_config(tmp_path))


def _forbid(monkeypatch: pytest.MonkeyPatch, *where: tuple[Any, str]) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("read every stored profile or event")

    for owner, name in where:
        monkeypatch.setattr(owner, name, refuse)


def test_similarities_read_neither_every_profile_nor_any_article(
    generated: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library(generated) as library:
        library.update()
        pivots = library.articles()
        folder = live_folder(generated)
        gazetteer = library._gazetteer()
        name = library.gazetteer_name()
        expected = {
            p.id: event_store.scores_with(folder, p, gazetteer, name, generated.event_threshold)
            for p in pivots
        }
        _forbid(
            monkeypatch,
            (event_store, "read_profiles"),
            (store_files, "read_profiles"),
            (event_store, "profile"),
            (Library, "articles"),
        )
        for pivot in pivots:
            assert library.similarities(pivot) == expected[pivot.id]
        assert [a.id for a in library.article_fields()] == sorted(p.id for p in pivots)


def test_the_fields_of_every_article_are_read_once_while_the_index_stays_as_it_is(
    generated: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The compare view lists every article each time it opens: at 50,000 articles reading
    # their stored fields again took some 280 ms of it, every time.
    from reader.core.events import store_fields

    reads: list[int] = []
    read_fields = store_fields.read_fields

    def reading(*args: Any) -> Any:
        reads.append(1)
        return read_fields(*args)

    monkeypatch.setattr(store_fields, "read_fields", reading)
    with Library(generated) as library:
        library.update()
        reads.clear()  # (an update reads them for the listing)
        first = library.article_fields()
        assert len(reads) == 1
        first[0] = first[-1]  # the caller's list: what is kept is not changed
        again = library.article_fields()
        assert len(reads) == 1
        assert [a.id for a in again] == sorted(library.ids())
        # A new article: a new index state, read again, the new article listed.
        write_lone_article(generated.corpus_paths[0], 9)
        library.update()
        reads.clear()
        after = library.article_fields()
        assert len(reads) == 1
        assert len(after) == len(again) + 1


def test_the_event_of_an_article_is_the_one_events_lists_under_decisions(
    generated: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library(generated) as library:
        library.update()
        ids = library.ids()
        events = library.events()
        by_name = {Path(a.source).name: a.id for a in library.articles()}
        path = decisions_path(generated)
        first = next(e for e in events if by_name["g1-00.txt"] in e.article_ids)
        rename_event(path, first, "the Tarhuna fighting")
        source = next(e for e in events if by_name["g2-00.txt"] in e.article_ids)
        target = next(e for e in events if by_name["g3-00.txt"] in e.article_ids)
        move_article(path, by_name["g2-00.txt"], source, target)
        expected = library.events()
        plain = library.events(decided=False)
        _forbid(monkeypatch, (Library, "events"), (store_files, "read_events_file"))
        for article_id in ids:
            want = next(e for e in expected if article_id in e.article_ids)
            assert library.event_of(article_id) == want
            want = next(e for e in plain if article_id in e.article_ids)
            assert library.event_of(article_id, decided=False) == want
        assert library.event_of(by_name["g1-01.txt"]).label == "the Tarhuna fighting"  # type: ignore[union-attr]
        moved = library.event_of(by_name["g2-00.txt"])
        assert moved is not None and by_name["g3-00.txt"] in moved.article_ids


def test_the_compare_view_opens_on_the_pivots_event_alone(
    generated: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library(generated) as library:
        library.update()
        pivot = library.articles()[0]
        want = next(e for e in library.events() if pivot.id in e.article_ids)
        _forbid(monkeypatch, (Library, "events"), (Library, "articles"))
        screen: Any = SimpleNamespace(library=library, article=pivot, config=generated)
        screen.Gathered = CompareScreen.Gathered
        screen._event_scores = lambda members: CompareScreen._event_scores(screen, members)
        gathered = CompareScreen._coverage(screen)
        assert gathered.event == want
        choices = CompareScreen._rank_choices(screen)
        assert sorted(c.article_id for c in choices) == sorted(
            i for i in library.ids() if i != pivot.id
        )
        # Most similar first, ties (the many articles sharing nothing: 0) in id order.
        ranked = sorted(choices, key=lambda c: (-c.score, c.article_id))
        assert [c.article_id for c in choices] == [c.article_id for c in ranked]
        assert choices[-1].score == 0.0 and choices[-2].score == 0.0


# ----- `reader events --json` -----


@pytest.fixture
def sided(tmp_path: Path) -> Path:
    write_corpus(tmp_path)
    return write_config(tmp_path, corpus="news", extra=OUTLETS)


def _slow_json(config_path: Path, *args: str) -> str:
    """What `reader events --json` printed before the listing: the records built from every
    article read from the index and the events the library lists."""
    from reader.cli.events_cmd import _range
    from reader.core.events.timeline import in_date_order, overlaps

    config = load_config(config_path)
    parsed = SimpleNamespace(
        since=args[args.index("--since") + 1] if "--since" in args else None,
        until=args[args.index("--until") + 1] if "--until" in args else None,
    )
    span = _range(parsed)  # type: ignore[arg-type]
    assert not isinstance(span, str)
    since, until = span
    with Library(config) as library:
        library.update()
        library.open()
        by_id = {a.id: a for a in library.articles()}
        events = library.events()
    records = {e.id: EventRecord.from_event(e, by_id, config.outlets) for e in events}
    events = [e for e in in_date_order(events) if overlaps(e, since, until)]
    if "--one-sided" in args:
        events = [e for e in events if records[e.id].coverage.one_sided]
    record = {
        "threshold": config.event_threshold,
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "one_sided": "--one-sided" in args,
        "events": [records[e.id].as_dict() for e in events],
    }
    return json_line(record) + "\n"


PROBE = (
    "import json, sys\n"
    "from reader.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "top = ('whoosh', 'textual', 'reader')\n"
    "loaded = sorted(m for m in sys.modules if m.split('.')[0] in top)\n"
    "print(json.dumps([code, loaded]), file=sys.stderr)\n"
)


def _run(config_path: Path, *args: str) -> tuple[str, list[str]]:
    """`reader events --json ARGS` in a new process: its output and the modules it loaded."""
    env = {k: v for k, v in os.environ.items() if k != "READER_CONFIG"}
    env["PYTHONIOENCODING"] = "utf-8"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--config", str(config_path), "events", "--json", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )
    code, loaded = json.loads(done.stderr.strip().splitlines()[-1])
    assert code == 0, done.stderr
    return done.stdout, loaded


ARGS = [(), ("--since", "2020-06"), ("--until", "2020-06-11"), ("--one-sided",)]


def test_events_json_from_the_store_is_what_the_records_give_and_loads_no_index(
    sided: Path,
) -> None:
    _run(sided)  # builds the index, the events and the listing
    for args in ARGS:
        expected = _slow_json(sided, *args)
        printed, loaded = _run(sided, *args)
        assert printed == expected
        # Neither the update nor the index nor Whoosh's query machinery, nor the app.
        assert not [m for m in loaded if m.startswith(("whoosh.", "textual"))], loaded
        assert "reader.core.search.index" not in loaded
        assert "reader.core.search.searcher" not in loaded
    listing = live_folder(load_config(sided)) / LISTING_FILE
    assert listing.is_file()


def test_an_update_keeps_the_listing_so_the_first_events_json_reads_it(
    sided: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before, the first `reader events --json` after `reader index` built every event's
    # record (11.7 s at 50,000 articles); now the update leaves the listing it reads.
    config = load_config(sided)
    with Library(config) as library:
        library.update()
        name = library.gazetteer_name()
    folder = live_folder(config)
    key = listing_key(config, folder, name)
    assert key is not None and read_listing(folder, key) is not None
    expected = _slow_json(sided)

    def no_records(*_args: Any) -> Any:
        raise AssertionError("the records were built again")

    monkeypatch.setattr("reader.core.library_listing.listing_rows", no_records)
    from reader.cli import main

    capsys.readouterr()
    assert main(["--config", str(sided), "events", "--json"]) == 0
    assert capsys.readouterr().out == expected


def test_events_json_is_never_stale(sided: Path) -> None:
    config = load_config(sided)
    _run(sided)
    feed = config.corpus_paths[0] / "feed.jsonl"
    # An article added: read by an update, listed.
    extra = {
        "id": "z1",
        "title": "Zebra parade",
        "body": "A zebra parade in Misrata.",
        "lang": "en",
    }
    with feed.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(extra) + "\n")
    printed, loaded = _run(sided)
    assert "feed/z1" in printed
    assert "reader.core.search.index" in loaded  # the index was updated first
    assert printed == _slow_json(sided)
    # The file touched only: the same events, the update notes it, then the fast path again.
    os.utime(feed, ns=(feed.stat().st_atime_ns, feed.stat().st_mtime_ns + 10_000_000))
    assert not index_matches_corpus(config)
    assert _run(sided)[0] == printed
    assert index_matches_corpus(config)
    assert _run(sided)[0] == printed
    # A decision taken: listed with it.
    with Library(config) as library:
        event = next(e for e in library.events() if "feed/a1" in e.article_ids)
        library.rename_event(event, "the airbase")
    printed, loaded = _run(sided)
    assert '"label": "the airbase"' in printed
    assert printed == _slow_json(sided)
    # Another [outlets]: the coverage follows it.
    sided.write_text(sided.read_text(encoding="utf-8").replace('"LNA"', '"HoR"'), "utf-8")
    printed, _loaded = _run(sided)
    assert "HoR" in printed and printed == _slow_json(sided)


def test_an_unusable_decisions_file_is_reported_on_the_fast_path_too(sided: Path) -> None:
    _run(sided)
    path = decisions_file(load_config(sided))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[[event\n", encoding="utf-8")
    done = cli_in_new_process(["--config", str(sided), "events", "--json"])
    assert done.returncode == 2
    assert "events.toml" in done.stderr and "Traceback" not in done.stderr


def test_the_decisions_file_the_listing_keys_on_is_the_decisions_one(generated: Config) -> None:
    assert decisions_file(generated) == decisions_path(generated)


# ----- the corpus on disk against the index -----


def test_the_quick_walk_finds_what_the_full_walk_does(generated: Config, tmp_path: Path) -> None:
    corpus = generated.corpus_paths[0]
    (corpus / "sub" / "deeper").mkdir(parents=True)
    write_lone_article(corpus / "sub" / "deeper", 7)
    (corpus / ".hidden.txt").write_text("Hidden\n\nNot read.\n", encoding="utf-8")
    (corpus / "notes.toml").write_text("", encoding="utf-8")
    (corpus / "report.pdf").write_bytes(b"%PDF-1.4")
    (corpus / "sub" / "README").write_text("not an article\n", encoding="utf-8")
    items = list(scan_corpus(generated))
    full = {str(i.path): (i.size, i.mtime_ns) for i in items if not isinstance(i, Skipped)}
    passed_over = sorted((str(i.path), i.reason, i.kind) for i in items if isinstance(i, Skipped))
    assert len(passed_over) == 3  # the two above and notes.toml (not a sidecar)
    quick = _plain_files(generated)
    assert quick is not None
    assert quick[0] == full
    assert sorted((str(i.path), i.reason, i.kind) for i in quick[1]) == passed_over
    (corpus / "link.txt").symlink_to(corpus / "sub" / "deeper" / "lone-07.txt")
    assert _plain_files(generated) is None  # links: the full walk decides


def test_the_index_matches_the_corpus_only_until_a_file_changes(generated: Config) -> None:
    corpus = generated.corpus_paths[0]
    with Library(generated) as library:
        library.update()
        assert index_matches_corpus(generated)
        path = sorted(corpus.glob("*.txt"))[0]
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
        assert not index_matches_corpus(generated)
        library.update()
        assert index_matches_corpus(generated)
        write_lone_article(corpus, 9)
        assert not index_matches_corpus(generated)
        library.update()
        assert index_matches_corpus(generated)
        (corpus / "lone-09.txt").unlink()
        assert not index_matches_corpus(generated)
        library.update()
        note = live_folder(generated) / "corpus-files.json"
        note.unlink()  # without the note: the manifest itself
        assert index_matches_corpus(generated)
        path.write_text(path.read_text(encoding="utf-8") + "More.\n", encoding="utf-8")
        assert not index_matches_corpus(generated)


def test_articles_added_to_the_library_folder_leave_the_index_matching(
    generated: Config,
) -> None:
    # The library folder (reader add) is read like a corpus folder: the quick walk that tells
    # whether events must be updated looks there too, or every reading updated them again.
    library_dir = generated.library_dir
    assert library_dir is not None and library_dir not in generated.corpus_paths
    library_dir.mkdir(parents=True, exist_ok=True)
    write_lone_article(library_dir, 11)
    with Library(generated) as library:
        library.update()
        assert index_matches_corpus(generated)
        write_lone_article(library_dir, 12)
        assert not index_matches_corpus(generated)
