"""Two users at once: an index update in one process while another searches, and two app
windows plus ``reader notes add`` writing notes on the same article at the same time.

Loops are bounded by counts, never by the clock; nothing here asserts how long anything took.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from reader.core.config import load_config
from reader.core.notes.store import NotesStore
from reader.core.search.index import IndexDamaged, update_index
from reader.core.search.searcher import Searcher
from tests.conftest import ROOT

SEED = "000_7b206ec7414ebb17"

# Changes the corpus and runs `reader index` (the real command, in this process) ROUNDS times:
# each round adds an article, deletes the one added two rounds before, rewrites another, and
# every third round rebuilds the index from scratch (a new generation, the old ones dropped).
INDEXER = r"""
import sys
from pathlib import Path
from reader.cli import main

config, corpus, rounds = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
for n in range(rounds):
    (corpus / f"extra-{n}.txt").write_text(
        f"Extra report {n}\n\nFighting near Sirte, report number {n}, quokka{n}.\n", "utf-8"
    )
    if n >= 2:
        (corpus / f"extra-{n - 2}.txt").unlink()
    (corpus / "rewritten.txt").write_text(
        f"Rewritten {n}\n\nThe ceasefire in Sirte, version {n}.\n" + "More words. " * n, "utf-8"
    )
    code = main(["--config", config, "index", "--quiet"] + (["--rebuild"] if n % 3 == 2 else []))
    if code:
        sys.exit(code)
    print(n, flush=True)
"""
ROUNDS = 12


def env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "READER_CONFIG"}


def test_searching_while_another_process_updates_the_index(config_path: Path) -> None:
    config = load_config(config_path)
    update_index(config)
    corpus = config.corpus_paths[0]
    indexer = subprocess.Popen(
        [sys.executable, "-c", INDEXER, str(config_path), str(corpus), str(ROUNDS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env(),
    )
    seen_generations: set[str] = set()
    seen_totals: set[int] = set()
    searches = 0
    searcher = Searcher(config)
    try:
        for turn in range(100_000):  # ends when the indexer has finished (long before this)
            finished = indexer.poll() is not None
            for query in ("Sirte", "ceasefire OR quokka*", 'title:"Extra report"', "سرت"):
                results = searcher.search(query, limit=50)
                searches += 1
                if query == "Sirte":
                    assert results.hits, "the seeds mention Sirte in every index"
                for hit in results.hits:
                    assert hit.title  # stored fields of a document that was there
            if turn % 3 == 0:
                searcher.refresh()
                seen_generations.add(Path(searcher.index.storage.folder).name)
                seen_totals.add(searcher.index.doc_count())
            if finished:
                break
    finally:
        searcher.close()
        out, err = indexer.communicate(timeout=300)
    assert indexer.returncode == 0, err
    assert out.split() == [str(n) for n in range(ROUNDS)]
    # The searches really ran across updates and rebuilds.
    assert len(seen_generations) >= 2 and len(seen_totals) >= 2, (seen_generations, seen_totals)
    assert searches > 4
    with Searcher(config) as fresh:  # the end state: the last two extras, the last rewrite
        found = {hit.id for hit in fresh.search("quokka*", limit=50).hits}
        assert found == {f"extra-{ROUNDS - 2}", f"extra-{ROUNDS - 1}"}
        assert fresh.search(f'"version {ROUNDS - 1}"').hits


def test_a_searcher_left_open_across_many_updates_keeps_answering(config_path: Path) -> None:
    """A window that never refreshes still answers from the index it opened."""
    config = load_config(config_path)
    update_index(config)
    corpus = config.corpus_paths[0]
    with Searcher(config) as stale:
        before = {hit.id for hit in stale.search("Sirte", limit=50).hits}
        for n in range(6):
            (corpus / f"more-{n}.txt").write_text(f"More {n}\n\nSirte {n}\n", encoding="utf-8")
            update_index(config, rebuild=n % 2 == 1)
            assert {hit.id for hit in stale.search("Sirte", limit=50).hits} == before
            assert stale.article(SEED) is not None
        stale.refresh()
        assert {f"more-{n}" for n in range(6)} <= {
            h.id for h in stale.search("Sirte", limit=50).hits
        }


def _cli_adds(
    config_path: Path, quotes: list[str], done: list[subprocess.CompletedProcess[str]]
) -> None:
    for number, quote in enumerate(quotes):
        done.append(
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "reader",
                    "--config",
                    str(config_path),
                    *("notes", "add", SEED, "--quote", quote, "--occurrence", "1"),
                    *("--note", f"cli-{number}"),
                ],
                capture_output=True,
                text=True,
                cwd=ROOT,
                env=env(),
                timeout=120,
                check=False,
            )
        )


async def test_two_windows_and_the_cli_keep_every_note(config_path: Path) -> None:
    from reader.app.app import ReaderApp
    from reader.app.screens.note_editor import NoteEditor
    from reader.app.widgets.article_view import ArticleView
    from reader.app.widgets.bidi_text_area import BidiTextArea
    from reader.app.widgets.notes_panel import NotesPanel
    from tests.test_app import search_and_open, settle, wait_until

    config = load_config(config_path)
    update_index(config)
    quotes = ["Al-Mismari", "operations room", "desert"]
    cli_runs: list[subprocess.CompletedProcess[str]] = []
    cli = threading.Thread(target=_cli_adds, args=(config_path, quotes, cli_runs))

    one, two = ReaderApp(config), ReaderApp(load_config(config_path))
    async with one.run_test(size=(140, 40)) as left, two.run_test(size=(140, 40)) as right:
        windows = [(one, left), (two, right)]
        for app, pilot in windows:
            await settle(pilot, app)
            await search_and_open(pilot, app, "Mesmari", SEED)
            app.query_one(ArticleView).focus()
        cli.start()
        for round_number in range(3):
            for number, (app, pilot) in enumerate(windows):
                await pilot.press("right_square_bracket")  # the next sentence
                await pilot.press("a")
                await wait_until(
                    pilot,
                    lambda window=app: isinstance(window.screen, NoteEditor),  # type: ignore[misc]
                    "the note editor",
                )
                assert isinstance(app.screen, NoteEditor)
                app.screen.query_one("#note", BidiTextArea).text = f"window{number}-{round_number}"
                await pilot.press("ctrl+s")  # saved by a worker: do not wait for it
                await pilot.pause(0.01)
        for app, pilot in windows:
            await settle(pilot, app)
        cli.join(timeout=300)
        # Reopening the article in a window shows everyone's notes.
        await search_and_open(left, one, "Mesmari", SEED)
        await settle(left, one)
        shown = {note.note for note in one.query_one(NotesPanel).notes}
    assert [run.returncode for run in cli_runs] == [0, 0, 0], [r.stderr for r in cli_runs]
    expected = {f"window{w}-{r}" for w in range(2) for r in range(3)}
    expected |= {f"cli-{n}" for n in range(3)}
    stored = NotesStore(load_config(config_path)).load(SEED)
    assert sorted(note.note for note in stored) == sorted(expected)
    assert not [note for note in stored if note.conflict_of]
    assert shown == expected


async def test_saves_started_in_one_tick_keep_every_note(config_path: Path) -> None:
    """Keys that arrive together (a paste, a fast typist) start several saves before any of
    their threads runs: none of them may cancel another."""
    from reader.app.app import ReaderApp
    from reader.app.widgets.article_view import ArticleView
    from reader.app.widgets.notes_panel import NotesPanel
    from reader.core.notes.draft import NoteDraft
    from tests.test_app import search_and_open, settle

    config = load_config(config_path)
    update_index(config)
    app = ReaderApp(config)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "Mesmari", SEED)
        article = app.query_one(ArticleView).article
        assert article is not None
        panel = app.query_one(NotesPanel)
        for number in range(6):  # what the editor's save does, six times without yielding
            draft = NoteDraft("claim", "unverified", f"burst-{number}", (), ())
            panel.add_note(article, number * 10, number * 10 + 5, draft)
        await settle(pilot, app)
        assert sorted(note.note for note in panel.notes) == [f"burst-{n}" for n in range(6)]
    stored = NotesStore(load_config(config_path)).load(SEED)
    assert sorted(note.note for note in stored) == [f"burst-{n}" for n in range(6)]


def test_an_index_committed_to_while_it_is_opened_is_opened_again(
    config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another process's commit between reading the fingerprint and reading the TOC made the
    # two disagree ("_MAIN_1.toc is missing") and a refresh failed on a healthy index.
    import reader.core.search.index as index_module

    config = load_config(config_path)
    update_index(config)
    real_fingerprint, real_verify = index_module.read_fingerprint, index_module.verify
    calls: list[Path] = []

    def racing(folder: Path) -> dict[str, Any]:
        recorded = real_fingerprint(folder)
        calls.append(folder)
        if len(calls) == 1:  # the fingerprint of a commit whose TOC this attempt does not see
            recorded = {**recorded, "toc": recorded["toc"] + 1}
        return recorded

    def committing(*args: Any, **kwargs: Any) -> None:
        if len(calls) == 1:  # the other process's commit lands meanwhile
            late = config.corpus_paths[0] / "late.txt"
            late.write_text("Late report\n\nA zanzibarquokka in Sirte.\n", encoding="utf-8")
            update_index(config)
        real_verify(*args, **kwargs)

    monkeypatch.setattr(index_module, "read_fingerprint", racing)
    monkeypatch.setattr(index_module, "verify", committing)
    with Searcher(config) as searcher:
        assert [hit.id for hit in searcher.search("zanzibarquokka").hits] == ["late"]


def test_an_index_that_stays_damaged_is_not_opened_again(
    config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.core.search.index as index_module

    config = load_config(config_path)
    update_index(config)
    real = index_module.read_fingerprint
    calls: list[Path] = []

    def ahead(folder: Path) -> dict[str, Any]:
        calls.append(folder)
        recorded = real(folder)
        return {**recorded, "toc": recorded["toc"] + 1}

    monkeypatch.setattr(index_module, "read_fingerprint", ahead)
    with pytest.raises(IndexDamaged, match="toc is missing"):
        index_module.open_index(config)
    assert len(calls) == 1  # nothing changed: no second try


def test_a_refresh_that_fails_leaves_the_searcher_answering(
    config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.core.search.searcher as searcher_module

    config = load_config(config_path)
    update_index(config)
    with Searcher(config) as searcher:
        before = [hit.id for hit in searcher.search("Sirte").hits]

        def broken(config: object, **_: object) -> None:
            raise IndexDamaged(config_path, "a part is damaged")

        monkeypatch.setattr(searcher_module, "open_index", broken)
        with pytest.raises(IndexDamaged):
            searcher.refresh()
        assert [hit.id for hit in searcher.search("Sirte").hits] == before
