"""Saving into a big notes file costs work in proportion to the notes that change, and gives
the same data, comments and layout as editing the whole document would."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from hypothesis import given
from hypothesis import strategies as st
from tomlkit.toml_document import TOMLDocument

from reader.core.notes.note import Evidence, Note
from reader.core.notes.splice import NotesText
from reader.core.notes.store import NotesStore
from reader.core.notes.toml_format import apply_notes, new_document
from reader.core.sources.article import Article
from tests.test_notes_store import FUZZ, TEXT, make_config, notes

BODY = "The ceasefire held in Sirte on Monday.\nOfficials said 40 people were killed."
STORY = Article(id="wire/1", title="A story", body=BODY, lang="en")


# -- work per save ----------------------------------------------------------------------------


@contextmanager
def counting(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """Count the characters every TOML parser reads and tomlkit writes."""
    work = {"parsed": 0, "rendered": 0}
    real_loads, real_parse, real_render = tomllib.loads, tomlkit.parse, TOMLDocument.as_string

    def loads(text: str, **kwargs: Any) -> dict[str, Any]:
        work["parsed"] += len(text)
        return real_loads(text, **kwargs)

    def parse(text: str | bytes) -> TOMLDocument:
        work["parsed"] += len(text)
        return real_parse(text)

    def render(doc: TOMLDocument) -> str:
        text = real_render(doc)
        work["rendered"] += len(text)
        return text

    with monkeypatch.context() as patch:
        patch.setattr(tomllib, "loads", loads)
        patch.setattr(tomlkit, "parse", parse)
        patch.setattr(TOMLDocument, "as_string", render)
        yield work


def filled_store(folder: Path, count: int) -> tuple[NotesStore, list[Note]]:
    """A store whose article has ``count`` notes (written with reader, then a comment added
    by hand to each), loaded."""
    store = NotesStore(make_config(folder))
    first = store.add(STORY, 0, 12, note="two\nlines", tags=("civil war",))
    stamp = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    many = [
        replace(first, id=f"N{i:05d}", created=stamp, updated=stamp, note=f"note {i}\nmore")
        for i in range(count)
    ]
    doc = new_document(STORY.id, STORY.title)
    apply_notes(doc, many)
    text = doc.as_string().replace("[[notes]]\n", "# by hand\n[[notes]]\n")
    store.path_for(STORY.id).write_text(text, encoding="utf-8")
    store = NotesStore(make_config(folder))
    return store, store.load(STORY.id)


OPERATIONS: dict[str, Callable[[NotesStore, list[Note]], object]] = {
    "edit": lambda store, loaded: store.update(STORY.id, replace(loaded[7], verdict="false")),
    "add": lambda store, loaded: store.add(STORY, 13, 20, note="new"),
    "delete": lambda store, loaded: store.delete(STORY.id, loaded[7].id),
    "edit the first": lambda store, loaded: store.update(
        STORY.id, replace(loaded[0], evidence=(Evidence(url="https://e.example"),))
    ),
}


@pytest.mark.parametrize("operation", OPERATIONS, ids=list(OPERATIONS))
def test_a_save_parses_and_renders_only_the_note_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, operation: str
) -> None:
    work: dict[int, dict[str, int]] = {}
    for count in (20, 1000):
        store, loaded = filled_store(tmp_path / str(count), count)
        path = store.path_for(STORY.id)
        note_size = len(path.read_text(encoding="utf-8")) // count
        with counting(monkeypatch) as work[count]:
            OPERATIONS[operation](store, loaded)
            again = store.load(STORY.id)  # what the app does after a save
        assert len(again) == count + {"add": 1, "delete": -1}.get(operation, 0)
        assert work[count]["parsed"] <= 8 * note_size, work[count]
        assert work[count]["rendered"] <= 4 * note_size, work[count]
        # ... and the file says what the store says.
        assert NotesStore(make_config(tmp_path / str(count))).load(STORY.id) == again
        assert path.read_text(encoding="utf-8").count("# by hand") == count
    assert work[1000] == work[20]


def test_a_file_changed_by_someone_else_is_read_again_before_saving(tmp_path: Path) -> None:
    store, loaded = filled_store(tmp_path, 5)
    path = store.path_for(STORY.id)
    other = NotesStore(make_config(tmp_path))
    other.load(STORY.id)
    other.update(STORY.id, replace(loaded[1], note="theirs"))
    store.update(STORY.id, replace(loaded[2], note="mine"))
    assert [n.note for n in store.load(STORY.id)][1:3] == ["theirs", "mine"]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"theirs"', '"by hand"'), encoding="utf-8")
    store.update(STORY.id, replace(loaded[3], note="mine too"))
    assert [n.note for n in NotesStore(make_config(tmp_path)).load(STORY.id)][1:4] == [
        "by hand",
        "mine",
        "mine too",
    ]


# -- same result as editing the whole document ------------------------------------------------

TRAPS = st.sampled_from(
    ["\n[[notes]]\nid = 'fake'\n", '"""', "'''", "\n# not a comment\n", "[", "]]", "{", "\\"]
)
NOTE_TEXT = st.lists(st.one_of(TEXT, TRAPS), max_size=4).map("".join)


@st.composite
def hand_edited(draw: st.DrawFn) -> tuple[str, list[Note]]:
    """A notes file written by reader and then edited by a person: comments above, inside and
    after notes, keys of their own (nested arrays, sub-tables), another table."""
    written = draw(st.lists(notes(), min_size=1, max_size=5, unique_by=lambda n: n.id))
    written = [replace(n, article_id="a", note=draw(NOTE_TEXT)) for n in written]
    doc = new_document("a")
    if draw(st.booleans()):
        doc.add("meta", tomlkit.table())
        doc["meta"]["x"] = 1  # type: ignore[index]
    apply_notes(doc, written)
    for index, table in enumerate(doc["notes"]):  # type: ignore[union-attr]
        table.add(tomlkit.comment(f"inside {index}"))
        if draw(st.booleans()):
            table["mine"] = [[1, 2], {"a": "[[notes]]"}]
        if draw(st.booleans()):
            table.add(tomlkit.comment(f"after {index}"))
    if draw(st.booleans()):
        doc.add("tail", tomlkit.table())
        doc["tail"]["y"] = "z"  # type: ignore[index]
    return doc.as_string(), written


@FUZZ
@given(file=hand_edited(), data=st.data())
def test_fuzz_pieces_give_what_editing_the_whole_document_gives(
    file: tuple[str, list[Note]], data: st.DataObject
) -> None:
    text, on_file = file
    ids = [n.id for n in on_file]
    gone = set(data.draw(st.lists(st.sampled_from(ids), unique=True)))
    edited = set(data.draw(st.lists(st.sampled_from(ids), unique=True))) - gone
    new = data.draw(st.lists(notes(), max_size=2, unique_by=lambda n: n.id))
    wanted = [
        replace(n, note=n.note + "!", tags=(*n.tags, "x")) if n.id in edited else n
        for n in on_file
        if n.id not in gone
    ] + [replace(n, article_id="a") for n in new if n.id not in ids]
    on_disk = {n.id: n for n in on_file}
    unchanged = {n.id for n in wanted if n.id in on_disk and on_disk[n.id].identical(n)}
    pieces = NotesText.cut(text, on_file)
    assert pieces is not None and pieces.text() == text
    result = pieces.edited(Path("a.toml"), wanted, on_disk, unchanged)
    assert result is not None
    doc = tomlkit.parse(text)
    apply_notes(doc, wanted, unchanged)
    assert tomllib.loads(result.text()) == tomllib.loads(doc.as_string())
    # Comments a person wrote in or after a note stay unless the note was deleted.
    for index, note in enumerate(on_file):
        if note.id not in gone:
            assert f"# inside {index}" in result.text()
        if f"# after {index}" in text:
            assert f"# after {index}" in result.text()
    # The pieces of the result cut the same way again.
    again = NotesText.cut(result.text(), wanted)
    assert again is not None
    assert [i for i in again.ids if i] == [i for i in result.ids if i] == [n.id for n in wanted]


def test_deleting_the_first_note_keeps_the_comments_above_the_second(tmp_path: Path) -> None:
    store = NotesStore(make_config(tmp_path))
    first = store.add(STORY, 0, 12)
    store.add(STORY, 13, 20)
    path = store.path_for(STORY.id)
    text = path.read_text(encoding="utf-8")
    at = text.index("[[notes]]", text.index("[[notes]]") + 1)
    path.write_text(text[:at] + "# about the second note\n" + text[at:], encoding="utf-8")
    NotesStore(make_config(tmp_path)).delete(STORY.id, first.id)
    after = path.read_text(encoding="utf-8")
    assert "# about the second note\n[[notes]]" in after
    assert after.count("[[notes]]") == 1 and "\n\n\n" not in after
