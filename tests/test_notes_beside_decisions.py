"""The notes folder holds one file that is not an article's notes: ``events.toml``, the user's
decisions over events. An article whose id is ``events`` (a corpus file ``events.txt``) must not
write its notes into it, and reading the notes must not read it as notes."""

from __future__ import annotations

from pathlib import Path

from reader.core.config import Config
from reader.core.events.decisions import decisions_path, load_decisions
from reader.core.notes.file import DECISIONS_FILE, article_id_from_file_name, file_name_for
from reader.core.notes.store import NotesStore
from reader.core.sources.article import Article
from tests.conftest import SEEDS

BODY = "The ceasefire held in Sirte on Monday.\nOfficials said 40 people were killed."
DECIDED = '# mine\n[events.sirte]\nmembers = ["a", "b"]\nlabel = "Sirte week"\n'


def make_config(folder: Path) -> Config:
    return Config(corpus_paths=(SEEDS,), data_dir=folder / "data", notes_dir=folder / "notes")


def test_no_article_id_is_given_the_decisions_file(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    assert decisions_path(config) == config.notes_dir / DECISIONS_FILE
    for article_id in ("events", "Events", "EVENTS", "events.toml"):
        name = file_name_for(article_id)
        assert name.casefold() != DECISIONS_FILE, article_id
        assert article_id_from_file_name(name) == article_id
    assert article_id_from_file_name(DECISIONS_FILE) is None


def test_a_note_on_an_article_called_events_leaves_the_decisions_alone(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    decisions = decisions_path(config)
    decisions.parent.mkdir(parents=True)
    decisions.write_text(DECIDED, encoding="utf-8")
    store = NotesStore(config)
    story = Article(id="events", title="A story", body=BODY, lang="en")
    start = BODY.index("40 people")
    note = store.add(story, start, start + len("40 people"), verdict="false")
    assert decisions.read_text(encoding="utf-8") == DECIDED
    assert [e.label for e in load_decisions(decisions).events] == ["Sirte week"]
    assert [n.id for n in NotesStore(config).load("events")] == [note.id]
    assert [n.id for n in NotesStore(config).all_notes()] == [note.id]


def test_reading_the_notes_skips_the_decisions_file_even_when_it_is_broken(
    tmp_path: Path,
) -> None:
    config = make_config(tmp_path)
    store = NotesStore(config)
    story = Article(id="wire/1", title="A story", body=BODY, lang="en")
    note = store.add(story, 4, 13)
    decisions_path(config).write_text("[events.x\nmembers = 1\n", encoding="utf-8")
    errors: list[Exception] = []
    assert [n.id for n in store.all_notes(on_error=errors.append)] == [note.id]
    assert errors == []
