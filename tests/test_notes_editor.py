"""The note editor loses nothing: a note opened and saved unchanged gives the same file data,
and a note whose verdict is not in the config opens, shows it and keeps it."""

from __future__ import annotations

import tempfile
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

import tomlkit
from hypothesis import given
from hypothesis import strategies as st

from reader.app.app import ReaderApp
from reader.app.screens.note_editor import (
    EditorFields,
    NoteEditor,
    draft_from_fields,
    fields_of,
)
from reader.core.config import load_config
from reader.core.notes.draft import NoteDraft, draft_of, note_from_draft
from reader.core.notes.note import Evidence, Note
from reader.core.notes.store import NotesStore
from reader.core.notes.toml_format import apply_notes, new_document
from tests.test_app import indexed_config, search_and_open, settle  # noqa: F401
from tests.test_notes_store import EVIDENCE, FUZZ, TEXT, make_config, notes

# Keys a person added by hand, with values of every TOML kind.
EXTRA_VALUES = st.one_of(
    TEXT,
    st.integers(-(2**63), 2**63 - 1),
    st.booleans(),
    st.lists(st.integers(0, 9), max_size=3),
    st.dictionaries(st.sampled_from(["a", "b c", "ü"]), TEXT, max_size=2),
)
EXTRA_KEYS = st.dictionaries(st.sampled_from(["x_rating", "my key", "review-by"]), EXTRA_VALUES)
# Evidence with both a URL and an article id, and with neither quote nor comment.
BOTH = st.builds(Evidence, url=TEXT.filter(bool), article=TEXT.filter(bool), quote=TEXT)


def write_note(folder: Path, note: Note, extra: dict[str, Any], evidence_extra: list[Any]) -> Path:
    store = NotesStore(make_config(folder))
    doc = new_document(note.article_id)
    apply_notes(doc, [note])
    table = doc["notes"][0]  # type: ignore[index]
    for key, value in extra.items():
        table[key] = value
    for entry, keys in zip(table.get("evidence", []), evidence_extra, strict=False):
        for key, value in keys.items():
            entry[key] = value
    path = store.path_for(note.article_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(doc.as_string(), encoding="utf-8")
    return path


@FUZZ
@given(
    note=notes(),
    more_evidence=st.lists(st.one_of(EVIDENCE, BOTH), max_size=2),
    extra=EXTRA_KEYS,
    evidence_extra=st.lists(EXTRA_KEYS, max_size=4),
)
def test_fuzz_a_note_opened_and_saved_unchanged_keeps_its_data(
    note: Note,
    more_evidence: list[Evidence],
    extra: dict[str, Any],
    evidence_extra: list[dict[str, Any]],
) -> None:
    note = replace(note, evidence=note.evidence + tuple(more_evidence))
    with tempfile.TemporaryDirectory() as folder:
        path = write_note(Path(folder), note, extra, evidence_extra)
        before = tomllib.loads(path.read_text(encoding="utf-8"))
        store = NotesStore(make_config(Path(folder)))
        (loaded,) = store.load(note.article_id)
        draft = draft_of(loaded)
        # What the editor shows, read back untouched, is the draft it was given ...
        assert draft_from_fields(draft, fields_of(draft), loaded.exact) == draft
        edited = note_from_draft(loaded, draft_from_fields(draft, fields_of(draft), "p"))
        assert edited.identical(loaded)
        # ... and saving it leaves the file's data as it was, a person's own keys included.
        store.update(note.article_id, edited)
        assert tomllib.loads(path.read_text(encoding="utf-8")) == before


@FUZZ
@given(note=notes(), extra=EXTRA_KEYS, evidence_extra=st.lists(EXTRA_KEYS, max_size=4))
def test_fuzz_changing_the_verdict_in_the_editor_changes_only_the_verdict(
    note: Note, extra: dict[str, Any], evidence_extra: list[dict[str, Any]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write_note(Path(folder), note, extra, evidence_extra)
        before = tomllib.loads(path.read_text(encoding="utf-8"))
        store = NotesStore(make_config(Path(folder)))
        (loaded,) = store.load(note.article_id)
        draft = draft_of(loaded)
        chosen = "false" if loaded.verdict != "false" else "true"
        fields = replace(fields_of(draft), verdict=chosen)
        store.update(note.article_id, note_from_draft(loaded, draft_from_fields(draft, fields, "")))
        after = tomllib.loads(path.read_text(encoding="utf-8"))
        assert after["notes"][0].pop("verdict") == chosen
        before["notes"][0].pop("verdict", None)
        after["notes"][0].pop("updated")
        before["notes"][0].pop("updated")
        assert after == before


def test_changed_fields_are_read_as_typed() -> None:
    draft = NoteDraft("claim", "false", "", (Evidence(url="https://a.example"),), ("x",))
    fields = EditorFields(
        claim="  a new claim ",
        verdict="true",
        note="line\nline",
        tags="civil war,  casualties , ,",
        evidence=(
            ("", "", "", ""),
            ("https://b.example ", "", "said␤so", "c"),
            ("", "art", "", ""),
        ),
    )
    assert draft_from_fields(draft, fields, "passage") == NoteDraft(
        "a new claim",
        "true",
        "line\nline",
        (Evidence(url="https://b.example", quote="said\nso", comment="c"), Evidence(article="art")),
        ("civil war", "casualties"),
    )
    emptied = replace(fields_of(draft), claim="")
    assert draft_from_fields(draft, emptied, "the passage").claim == "the passage"


HAND_WRITTEN = """\
# my notes
version = 1
article = "001_629cc8aa1a0900a3"
reviewed = true  # a key of my own

[[notes]]
id = "01J0ZK3V7P2M9Q4R5S6T7U8V9W"
verdict = "{verdict}"
claim = "  spaced claim\\u001b "
note = \"\"\"
first line
second\\tline\"\"\"
tags = ["civil war", "casualties", "civil war"]
exact = "x"
start = 0
end = 20
created = 2024-05-01T10:02:00+02:00
updated = 2024-05-01T10:15:30+02:00
priority = 2  # mine too

[[notes.evidence]]
url = "https://example.org/statement"
article = "003_cf72655655ca3791"
quote = "we will regroup"
comment = "full statement"
rating = "solid"

[[notes.evidence]]
article = " 002_x"
quote = "two\\nlines"
"""


ARTICLE_ID = "001_629cc8aa1a0900a3"


def hand_written_note_app(config_path: Path, verdict: str = "mixed") -> tuple[ReaderApp, Path]:
    """The app on ``config_path``, with the hand-written notes file (of that ``verdict``) for
    :data:`ARTICLE_ID`; and that file."""
    config = load_config(config_path)
    path = NotesStore(config).path_for(ARTICLE_ID)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HAND_WRITTEN.format(verdict=verdict), encoding="utf-8")
    return ReaderApp(config), path


async def open_the_note(pilot: Any, app: ReaderApp) -> None:
    """Open :data:`ARTICLE_ID` in ``app`` and its first note in the editor (Enter in the
    notes panel)."""
    await settle(pilot, app)
    await search_and_open(pilot, app, "Sirte", ARTICLE_ID)
    await settle(pilot, app)
    app.query_one("#notes-list").focus()
    await pilot.press("enter")
    await pilot.pause()


async def open_editor_and_save(config_path: Path, verdict: str) -> tuple[Path, str]:
    """Write a hand-made notes file, open its note in the app's editor, save it unchanged;
    returns the file and its text before."""
    app, path = hand_written_note_app(config_path, verdict)
    text = path.read_text(encoding="utf-8")
    async with app.run_test(size=(150, 50)) as pilot:
        await open_the_note(pilot, app)
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert not isinstance(app.screen, NoteEditor)
    return path, text


async def test_the_app_editor_saves_an_unchanged_note_byte_for_byte(
    indexed_config: Path,  # noqa: F811
) -> None:
    path, text = await open_editor_and_save(indexed_config, "misleading")
    assert path.read_text(encoding="utf-8") == text


async def test_a_verdict_not_in_the_config_opens_and_is_kept(
    indexed_config: Path,  # noqa: F811
) -> None:
    path, text = await open_editor_and_save(indexed_config, "colleague's scale: 4/5")
    assert path.read_text(encoding="utf-8") == text
    (note,) = NotesStore(load_config(indexed_config)).load("001_629cc8aa1a0900a3")
    assert note.verdict == "colleague's scale: 4/5"


def test_editing_another_field_keeps_an_unknown_verdict(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    store = NotesStore(config)
    path = store.path_for("001_629cc8aa1a0900a3")
    path.parent.mkdir(parents=True)
    path.write_text(HAND_WRITTEN.format(verdict="gone-from-config"), encoding="utf-8")
    (loaded,) = store.load("001_629cc8aa1a0900a3")
    saved = store.update("001_629cc8aa1a0900a3", replace(loaded, note="new reasoning"))
    assert saved.verdict == "gone-from-config"
    data = tomlkit.parse(path.read_text(encoding="utf-8"))
    assert data["notes"][0]["note"] == "new reasoning"  # type: ignore[index]
    assert data["notes"][0]["priority"] == 2  # type: ignore[index]


@FUZZ
@given(
    note=notes(),
    evidence=st.lists(EVIDENCE, min_size=1, max_size=4, unique=True),
    data=st.data(),
)
def test_fuzz_evidence_keeps_its_own_keys_when_others_are_removed_or_moved(
    note: Note, evidence: list[Evidence], data: st.DataObject
) -> None:
    note = replace(note, evidence=tuple(evidence))
    marks = [{"mark": index} for index in range(len(evidence))]
    order = data.draw(st.permutations(range(len(evidence))))
    kept = order[: data.draw(st.integers(0, len(evidence)))]
    added = data.draw(st.lists(EVIDENCE.filter(lambda e: e not in evidence), max_size=1))
    with tempfile.TemporaryDirectory() as folder:
        path = write_note(Path(folder), note, {}, marks)
        store = NotesStore(make_config(Path(folder)))
        (loaded,) = store.load(note.article_id)
        wanted = tuple(evidence[i] for i in kept) + tuple(added)
        store.update(note.article_id, replace(loaded, evidence=wanted))
        (read,) = NotesStore(make_config(Path(folder))).load(note.article_id)
        assert read.evidence == wanted
        entries = tomllib.loads(path.read_text(encoding="utf-8"))["notes"][0].get("evidence", [])
        found = [e.get("mark") for e in entries]
        assert found[: len(kept)] == kept
        # A new entry in the place of a removed one counts as that entry edited.
        assert not set(found[len(kept) :]) & set(kept)


async def test_tags_and_new_evidence_typed_in_the_app_editor_are_saved(
    indexed_config: Path,  # noqa: F811
) -> None:
    from textual.widgets import Input

    from reader.app.widgets.evidence_row import EvidenceRow

    app, path = hand_written_note_app(indexed_config)
    async with app.run_test(size=(150, 50)) as pilot:
        await open_the_note(pilot, app)
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.query_one("#tags", Input).value == "civil war, casualties, civil war"
        editor.query_one("#tags", Input).value = "civil war,  front line"
        await pilot.click("#add-evidence")
        await pilot.pause()
        rows = list(editor.query(EvidenceRow))
        assert len(rows) == 3
        rows[2].query_one(".ev-url", Input).value = "https://new.example/report"
        rows[2].query_one(".ev-quote", Input).value = "a quote"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    (note,) = data["notes"]
    assert note["tags"] == ["civil war", "front line"]
    assert note["priority"] == 2 and data["reviewed"] is True
    assert [e.get("url") for e in note["evidence"]] == [
        "https://example.org/statement",
        None,
        "https://new.example/report",
    ]
    assert note["evidence"][0]["rating"] == "solid"
    assert note["evidence"][2]["quote"] == "a quote"


async def test_escape_after_typing_asks_before_the_note_is_thrown_away(
    indexed_config: Path,  # noqa: F811
) -> None:
    """Escape in the editor closed it at once, and the claim typed was gone (found by trying
    the app in tmux). Unchanged, it still closes at once; changed, it asks, and "no" keeps
    the editor with what was typed."""
    from textual.widgets import Input

    from reader.app.screens.confirm import Confirm

    app, path = hand_written_note_app(indexed_config)
    async with app.run_test(size=(150, 50)) as pilot:
        await open_the_note(pilot, app)
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("escape")  # nothing changed: closes
        await pilot.pause()
        assert not isinstance(app.screen, NoteEditor)
        app.query_one("#notes-list").focus()
        await pilot.press("enter")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        editor.query_one("#claim", Input).value = "ادعاء كتبه المستخدم"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is editor
        assert editor.query_one("#claim", Input).value == "ادعاء كتبه المستخدم"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot, app)
        assert not isinstance(app.screen, (NoteEditor, Confirm))
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN.format(verdict="mixed")
