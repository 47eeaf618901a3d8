"""The notes store: round trips, hand edits that survive, merging, and files with errors."""

from __future__ import annotations

import os
import tempfile
import threading
import tomllib
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.config import Config
from reader.core.notes.anchoring import TextPositionSelector, TextQuoteSelector
from reader.core.notes.file import (
    article_id_from_file_name,
    file_name_for,
    is_rescue_file,
    parse_notes,
)
from reader.core.notes.merge import merge_notes
from reader.core.notes.note import Evidence, Note
from reader.core.notes.store import NotesFileError, NotesStore
from reader.core.notes.toml_format import apply_notes, new_document
from reader.core.sources.article import Article
from tests.conftest import SEEDS

FUZZ = settings(
    max_examples=int(os.environ.get("READER_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

BODY = (
    "The ceasefire held in Sirte on Monday.\n"
    "Officials said 40 people were killed in the fighting near the airbase.\n"
    "The UN envoy called for talks."
)


def make_config(folder: Path, author: str = "Tester") -> Config:
    return Config(
        corpus_paths=(SEEDS,), data_dir=folder / "data", notes_dir=folder / "notes", author=author
    )


def article(body: str = BODY, article_id: str = "story/one") -> Article:
    return Article(id=article_id, title="A story", body=body, lang="en")


def span(body: str, passage: str) -> tuple[int, int]:
    start = body.index(passage)
    return start, start + len(passage)


@pytest.fixture
def store(tmp_path: Path) -> NotesStore:
    return NotesStore(make_config(tmp_path))


# -- round trips ------------------------------------------------------------------------------

# Everything but lone surrogates, with the characters most likely to break a TOML writer.
TRICKY = st.sampled_from(
    [
        '"',
        '"""',
        "'''",
        "\\",
        "\\u0041",
        "\n",
        "\r",
        "\r\n",
        "\t",
        "\x00",
        "\x1b",
        "\x7f",
        "\x85",
        "\u202e",
        "\u2066",
        "\u200f",
        "\u2028",
        "\ufeff",
        "\u061c",
        "حفتر",
        "😀",
        "👩‍👩‍👧",
        "#",
        "=",
        "]",
    ]
)
CONTROLS = st.text(st.characters(max_codepoint=0x1F) | st.just("\x7f"), max_size=4)
TEXT = st.lists(
    st.one_of(st.text(st.characters(codec="utf-8"), max_size=8), CONTROLS, TRICKY), max_size=8
).map("".join)
OFFSETS = st.integers(min_value=-23 * 60, max_value=23 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
STAMPS = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=OFFSETS
)
EVIDENCE = st.builds(
    Evidence,
    url=st.one_of(st.just(""), TEXT.map(lambda t: "https://example.org/" + t)),
    article=st.one_of(st.just("003_cf72655655ca3791"), TEXT),
    quote=TEXT,
    comment=TEXT,
).filter(lambda e: bool(e.url or e.article))


@st.composite
def notes(draw: st.DrawFn) -> Note:
    start = draw(st.integers(0, 10_000))
    return Note(
        id=draw(TEXT.filter(bool)),
        article_id=draw(TEXT),
        quote=TextQuoteSelector(draw(TEXT), draw(TEXT), draw(TEXT)),
        position=TextPositionSelector(start, start + draw(st.integers(0, 500))),
        created=draw(STAMPS),
        updated=draw(STAMPS),
        claim=draw(TEXT),
        verdict=draw(TEXT.filter(bool)),
        evidence=tuple(draw(st.lists(EVIDENCE, max_size=3))),
        note=draw(TEXT),
        tags=tuple(draw(st.lists(TEXT, max_size=3))),
        author=draw(TEXT),
        conflict_of=draw(TEXT),
    )


@FUZZ
@given(st.lists(notes(), max_size=4, unique_by=lambda n: n.id))
def test_fuzz_notes_file_round_trip_is_identical(written: list[Note]) -> None:
    owner = written[0].article_id if written else "x"
    written = [replace(note, article_id=owner) for note in written]
    doc = new_document(owner, "title\x1b\u202e")
    apply_notes(doc, written)
    text = doc.as_string()
    tomllib.loads(text)  # valid TOML for any reader, not just ours
    read = parse_notes(text, Path("x.toml"), owner).notes
    assert len(read) == len(written)
    for mine, theirs in zip(read, written, strict=True):
        assert mine.identical(theirs), (mine, theirs)


@FUZZ
@given(
    body=TEXT.filter(lambda t: len(t) >= 1),
    claim=TEXT,
    note=TEXT,
    tags=st.lists(TEXT, max_size=3),
    evidence=st.lists(EVIDENCE, max_size=2),
    article_id=TEXT.filter(bool),
    data=st.data(),
)
def test_fuzz_store_saves_and_reads_back_identical_notes(
    body: str,
    claim: str,
    note: str,
    tags: list[str],
    evidence: list[Evidence],
    article_id: str,
    data: st.DataObject,
) -> None:
    start = data.draw(st.integers(0, len(body) - 1))
    end = data.draw(st.integers(start + 1, len(body)))
    with tempfile.TemporaryDirectory() as folder:
        config = make_config(Path(folder), author='Ḥasan "the checker" \\ 😀')
        saved = NotesStore(config).add(
            article(body, article_id),
            start,
            end,
            verdict="mixed",
            claim=claim,
            note=note,
            evidence=evidence,
            tags=tags,
        )
        (read,) = NotesStore(config).load(article_id)
        assert read.identical(saved)
        assert read.quote.exact == body[start:end]
        assert NotesStore(config).path_for(article_id).parent == config.notes_dir


@FUZZ
@given(claim=TEXT, note=TEXT, tags=st.lists(TEXT, max_size=3))
def test_fuzz_a_crlf_file_takes_any_note_unchanged(claim: str, note: str, tags: list[str]) -> None:
    # Writing a note into a CR LF file turns reader's LF line ends into CR LF: whatever the
    # note holds (line ends, quotes, escapes), it reads back as it was saved.
    with tempfile.TemporaryDirectory() as folder:
        config = make_config(Path(folder))
        story = article()
        NotesStore(config).add(story, *span(BODY, "ceasefire held"))
        path = NotesStore(config).path_for(story.id)
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
        saved = NotesStore(config).add(
            story, *span(BODY, "UN envoy"), claim=claim, note=note, tags=tags
        )
        read = {n.id: n for n in NotesStore(config).load(story.id)}
        assert read[saved.id].identical(saved)
        assert len(read) == 2


@FUZZ
@given(st.lists(TEXT.filter(bool), min_size=2, max_size=2, unique=True))
def test_fuzz_file_names_are_safe_and_distinct(ids: list[str]) -> None:
    names = [file_name_for(i) for i in ids]
    for article_id, name in zip(ids, names, strict=True):
        assert "/" not in name and "\\" not in name and "\x00" not in name
        assert not name.startswith(".") and name.endswith(".toml")
        assert not is_rescue_file(Path(name))
        assert len(name.encode()) <= 255
        decoded = article_id_from_file_name(name)
        assert decoded is None or decoded == article_id
    # Distinct even on a case-insensitive disk.
    assert names[0].lower() != names[1].lower()


def test_file_name_mapping_examples() -> None:
    assert file_name_for("000_7b206ec7414ebb17") == "000_7b206ec7414ebb17.toml"
    assert file_name_for("Reuters/a b") == "!reuters%2fa%20b.toml"
    assert file_name_for("../etc/passwd") == "%2e.%2fetc%2fpasswd.toml"
    assert article_id_from_file_name("!reuters%2fa%20b.toml") == "Reuters/a b"
    assert file_name_for("x.rescue") == "x%2erescue.toml"
    assert not is_rescue_file(Path(file_name_for("x.rescue-2")))
    assert is_rescue_file(Path("x.rescue.toml")) and is_rescue_file(Path("x.rescue-2.toml"))


# -- hand edits survive -----------------------------------------------------------------------


def test_comments_survive_a_hundred_saves(store: NotesStore) -> None:
    story = article()
    first = store.add(story, *span(BODY, "40 people were killed"), verdict="false")
    path = store.path_for(story.id)
    text = path.read_text(encoding="utf-8")
    text = text.replace("version = 1", "# my top comment\nversion = 1  # format")
    text = text.replace(f'id = "{first.id}"', f'id = "{first.id}"\n# why I doubt this one')
    text = text.replace('verdict = "false"', 'verdict   =   "false"   # checked with AFP')
    path.write_text(text, encoding="utf-8")
    other = NotesStore(store.config)  # a second window
    for round_number in range(100):
        if round_number % 3 == 0:
            extra = store.add(story, *span(BODY, "The UN envoy"), note=f"round {round_number}")
        elif round_number % 3 == 1:
            other.update(story.id, replace(extra, note=f"edited {round_number}"))
        else:
            assert other.delete(story.id, extra.id)
    final = path.read_text(encoding="utf-8")
    for comment in (
        "# my top comment",
        "version = 1  # format",
        "# why I doubt this one",
        'verdict   =   "false"   # checked with AFP',
    ):
        assert comment in final
    assert [n.id for n in NotesStore(store.config).load(story.id)] == [first.id, extra.id]


def test_an_untouched_note_keeps_its_bytes(store: NotesStore) -> None:
    story = article()
    store.add(story, *span(BODY, "ceasefire held"))
    path = store.path_for(story.id)
    custom = path.read_text(encoding="utf-8").replace("tags = []", "tags = [  ]  # none yet")
    path.write_text(custom, encoding="utf-8")
    store.add(story, *span(BODY, "UN envoy"))
    assert path.read_text(encoding="utf-8").startswith(custom.rstrip("\n"))


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_windows_file_keeps_its_line_ends_and_its_mark(store: NotesStore, bom: bytes) -> None:
    # A notes file saved by a Windows editor (CR LF, maybe a byte order mark): adding,
    # editing and deleting notes keep both, and a comment the person wrote stays put.
    story = article()
    first = store.add(story, *span(BODY, "ceasefire held"), verdict="false")
    path = store.path_for(story.id)
    text = path.read_text(encoding="utf-8").replace("version = 1", "version = 1  # by hand")
    path.write_bytes(bom + text.replace("\n", "\r\n").encode("utf-8"))
    other = NotesStore(store.config)  # a window that never read the file before
    added = other.add(story, *span(BODY, "40 people were killed"), note="two\nlines")
    other.update(story.id, replace(first, note="edited"))
    store.add(story, *span(BODY, "UN envoy"))
    assert store.delete(story.id, added.id)
    data = path.read_bytes()
    assert data.startswith(bom + b"#") or data.startswith(bom + b"version")
    assert data.count(b"\xef\xbb\xbf") == len(bom) // 3
    assert data.count(b"\n") == data.count(b"\r\n") > 10
    assert b"version = 1  # by hand\r\n" in data
    notes = NotesStore(store.config).load(story.id)
    assert [n.note for n in notes] == ["edited", ""]
    kept = other.add(story, *span(BODY, "40 people were killed"), note="a\r\nb\nc")
    again = {n.id: n for n in NotesStore(store.config).load(story.id)}
    assert again[kept.id].note == "a\r\nb\nc"  # a line end inside a value is the value's
    assert path.read_bytes().count(b"\xef\xbb\xbf") == len(bom) // 3


def test_deleting_a_note_keeps_the_comment_above_the_next_one(store: NotesStore) -> None:
    story = article()
    first = store.add(story, *span(BODY, "ceasefire held"))
    middle = store.add(story, *span(BODY, "40 people"))
    last = store.add(story, *span(BODY, "UN envoy"))
    path = store.path_for(story.id)
    text = path.read_text(encoding="utf-8")
    header = f'[[notes]]\nid = "{last.id}"'
    path.write_text(text.replace(header, "# about the envoy\n" + header), encoding="utf-8")
    assert store.delete(story.id, middle.id)
    final = path.read_text(encoding="utf-8")
    assert "# about the envoy\n" + header in final
    assert [n.id for n in NotesStore(store.config).load(story.id)] == [first.id, last.id]


def test_unknown_keys_a_person_added_are_kept(store: NotesStore) -> None:
    story = article()
    note = store.add(story, *span(BODY, "ceasefire held"))
    path = store.path_for(story.id)
    path.write_text(
        path.read_text(encoding="utf-8").replace("tags = []", 'tags = []\nreviewer = "Sam"'),
        encoding="utf-8",
    )
    store.update(story.id, replace(note, verdict="true"))
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    assert raw["notes"][0]["reviewer"] == "Sam"
    assert raw["notes"][0]["verdict"] == "true"


# -- merging ----------------------------------------------------------------------------------


def test_two_windows_adding_keep_both(tmp_path: Path) -> None:
    one, two = NotesStore(make_config(tmp_path)), NotesStore(make_config(tmp_path))
    story = article()
    a = one.add(story, *span(BODY, "ceasefire"))
    b = two.add(story, *span(BODY, "UN envoy"))
    c = one.add(story, *span(BODY, "airbase"))
    assert [n.id for n in NotesStore(make_config(tmp_path)).load(story.id)] == [a.id, b.id, c.id]


def test_the_same_note_edited_twice_keeps_both_as_a_conflict(tmp_path: Path) -> None:
    one, two = NotesStore(make_config(tmp_path)), NotesStore(make_config(tmp_path))
    story = article()
    note = one.add(story, *span(BODY, "40 people were killed"))
    two.load(story.id)
    one.update(story.id, replace(note, verdict="false", note="AFP says 12"))
    two.update(story.id, replace(note, verdict="true", note="UN says 40"))
    stored = NotesStore(make_config(tmp_path)).load(story.id)
    assert [(n.id, n.verdict, n.conflict_of) for n in stored] == [
        (note.id, "false", ""),
        (note.id + "-conflict", "true", note.id),
    ]
    # Saving again (another change elsewhere) does not make a second copy.
    two.add(story, *span(BODY, "UN envoy"))
    assert len(NotesStore(make_config(tmp_path)).load(story.id)) == 3


def test_a_deleted_note_is_not_resurrected_by_a_stale_window(tmp_path: Path) -> None:
    one, two = NotesStore(make_config(tmp_path)), NotesStore(make_config(tmp_path))
    story = article()
    note = one.add(story, *span(BODY, "ceasefire"))
    two.load(story.id)  # two's base still has the note
    assert one.delete(story.id, note.id)
    two.add(story, *span(BODY, "airbase"))
    assert note.id not in {n.id for n in NotesStore(make_config(tmp_path)).load(story.id)}


def test_a_deletion_does_not_drop_an_edit_made_elsewhere(tmp_path: Path) -> None:
    one, two = NotesStore(make_config(tmp_path)), NotesStore(make_config(tmp_path))
    story = article()
    note = one.add(story, *span(BODY, "ceasefire"))
    two.load(story.id)
    two.update(story.id, replace(note, note="still checking"))
    one.delete(story.id, note.id)
    (kept,) = NotesStore(make_config(tmp_path)).load(story.id)
    assert kept.note == "still checking"


def test_a_hand_edit_on_disk_is_merged_not_overwritten(store: NotesStore) -> None:
    story = article()
    note = store.add(story, *span(BODY, "ceasefire"))
    path = store.path_for(story.id)
    path.write_text(
        path.read_text(encoding="utf-8").replace('verdict = "unverified"', 'verdict = "true"'),
        encoding="utf-8",
    )
    other = store.add(story, *span(BODY, "airbase"))
    stored = {n.id: n for n in NotesStore(store.config).load(story.id)}
    assert stored[note.id].verdict == "true"
    assert other.id in stored


@pytest.mark.parametrize("keep_copy", [True, False])
def test_resolving_a_conflict_keeps_one_version(
    tmp_path: Path, keep_copy: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core.notes import store as notes_store

    one, two = NotesStore(make_config(tmp_path)), NotesStore(make_config(tmp_path))
    story = article()
    note = one.add(story, *span(BODY, "40 people were killed"))
    later = one.add(story, *span(BODY, "UN envoy"))
    two.load(story.id)
    one.update(story.id, replace(note, verdict="false"))
    two.update(story.id, replace(note, verdict="true"))
    keep = note.id + "-conflict" if keep_copy else note.id
    # Resolved in a later second than the notes were written (a CI run under load was): the
    # note returned must still be the one saved.
    later_now = notes_store.now() + timedelta(seconds=2)
    monkeypatch.setattr(notes_store, "now", lambda: later_now)
    settled = NotesStore(make_config(tmp_path)).resolve_conflict(story.id, keep)
    stored = NotesStore(make_config(tmp_path)).load(story.id)
    assert [(n.id, n.verdict, n.conflict_of) for n in stored] == [
        (note.id, "true" if keep_copy else "false", ""),
        (later.id, "unverified", ""),
    ]
    assert settled.identical(stored[0])
    assert "conflict_of" not in one.path_for(story.id).read_text(encoding="utf-8")
    with pytest.raises(KeyError):
        one.resolve_conflict(story.id, later.id)


def test_merge_is_idempotent() -> None:
    stamp = datetime(2024, 5, 1, tzinfo=UTC)
    base = Note("n", "a", TextQuoteSelector("x"), TextPositionSelector(0, 1), stamp, stamp)
    ours = [replace(base, verdict="true")]
    theirs = [replace(base, verdict="false")]
    once = merge_notes([base], ours, theirs)
    assert [(n.id, n.verdict) for n in once] == [("n", "false"), ("n-conflict", "true")]
    assert merge_notes([base], ours, once) == once


def test_many_threads_on_one_store_lose_nothing(store: NotesStore) -> None:
    story = article()
    made: list[str] = []

    def work() -> None:
        for _ in range(10):
            made.append(store.add(story, *span(BODY, "Sirte")).id)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(n.id for n in NotesStore(store.config).load(story.id)) == sorted(made)
    assert len(made) == 40


def test_bad_input_is_refused(store: NotesStore) -> None:
    story = article()
    with pytest.raises(ValueError, match="unknown verdict"):
        store.add(story, 0, 5, verdict="pants-on-fire")
    with pytest.raises(ValueError, match="empty or outside"):
        store.add(story, 5, 5)
    with pytest.raises(ValueError, match="outside"):
        store.add(story, 0, len(BODY) + 1)
    assert not store.path_for(story.id).exists()


# -- files with errors ------------------------------------------------------------------------


def written_note(store: NotesStore) -> tuple[Article, Note, Path]:
    story = article()
    note = store.add(story, *span(BODY, "40 people were killed"), verdict="false")
    return story, note, store.path_for(story.id)


@pytest.mark.parametrize(
    ("edit", "line", "column", "message"),
    [
        (lambda t: t.replace('verdict = "false"', 'verdict = "false'), 10, 17, "invalid TOML"),
        (lambda t: t.replace("start = ", "start = -"), 17, 1, "start must not be negative"),
        (lambda t: t.replace("end = ", 'end = "x" #'), 18, 1, "end must be a whole number"),
        (lambda t: t.replace("created = ", 'created = "x" #'), 20, 1, "created must be a date"),
        (lambda t: t.replace("tags = []", "tags = [1]"), 13, 1, "tags must be a list of strings"),
        (lambda t: t.replace("version = 1", "version = 7"), 5, 1, "newer reader"),
        (lambda t: t.replace("article = ", 'article = "other" #'), 6, 1, "not 'story/one'"),
        (lambda t: "\n".join(x for x in t.split("\n") if not x.startswith("id =")), 8, 1, "no id"),
        (lambda t: t + t[t.index("[[notes]]") :], 23, 1, "duplicate note id"),
        (lambda t: t.replace("updated = ", "updated = 2024-05-01T10:00:00 #"), 21, 1, "UTC offset"),
    ],
)
def test_a_broken_file_names_line_and_column_and_is_left_alone(
    store: NotesStore, edit: object, line: int, column: int, message: str
) -> None:
    story, _note, path = written_note(store)
    broken = edit(path.read_text(encoding="utf-8"))  # type: ignore[operator]
    path.write_bytes(broken.encode("utf-8"))
    with pytest.raises(NotesFileError) as caught:
        NotesStore(store.config).load(story.id)
    error = caught.value
    assert (error.path, error.line, error.column) == (path, line, column), broken
    assert message in str(error)
    assert str(error).startswith(f"{path}:{line}:{column}: ")
    with pytest.raises(NotesFileError) as caught:
        store.add(story, *span(BODY, "UN envoy"), note="rescue me")
    assert path.read_bytes() == broken.encode("utf-8")
    rescue = caught.value.rescue
    assert rescue is not None and rescue.name == "story%2fone.rescue.toml"
    assert "rescue me" in rescue.read_text(encoding="utf-8")
    assert [n.note for n in store.unsaved()[story.id]][-1] == "rescue me"


def test_rescued_notes_are_saved_once_the_file_is_fixed(store: NotesStore) -> None:
    story, note, path = written_note(store)
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("[[notes]]", "[[notes]"), encoding="utf-8")
    with pytest.raises(NotesFileError):
        store.add(story, *span(BODY, "UN envoy"), note="waiting")
    with pytest.raises(NotesFileError):
        store.delete(story.id, note.id)
    with pytest.raises(NotesFileError):
        store.flush()
    path.write_text(good, encoding="utf-8")  # a person fixes the file
    store.flush()
    assert [n.note for n in NotesStore(store.config).load(story.id)] == ["waiting"]
    assert store.unsaved() == {}
    assert list(path.parent.glob("*.rescue*")) == []


def test_another_process_merges_a_rescue_file_left_behind(tmp_path: Path) -> None:
    crashed = NotesStore(make_config(tmp_path))
    story, note, path = written_note(crashed)
    good = path.read_text(encoding="utf-8")
    path.write_text(good + "oops", encoding="utf-8")
    with pytest.raises(NotesFileError):
        crashed.update(story.id, replace(note, verdict="mixed"))
    del crashed  # the window closed without ever saving
    path.write_text(good, encoding="utf-8")
    later = NotesStore(make_config(tmp_path))
    added = later.add(story, *span(BODY, "Sirte"))
    stored = {n.id: n for n in NotesStore(make_config(tmp_path)).load(story.id)}
    assert stored[note.id].verdict == "mixed"
    assert added.id in stored
    assert list(path.parent.glob("*.rescue*")) == []


def test_a_file_that_is_not_utf8_is_an_error(store: NotesStore) -> None:
    story, _note, path = written_note(store)
    path.write_bytes(b'version = 1\narticle = "caf\xe9"\n')
    with pytest.raises(NotesFileError, match=r":2:15: not UTF-8"):
        NotesStore(store.config).load(story.id)


def test_all_notes_reports_broken_files_and_keeps_going(tmp_path: Path) -> None:
    store = NotesStore(make_config(tmp_path))
    _story, note, path = written_note(store)
    other = store.add(article(article_id="two"), *span(BODY, "Sirte"))
    path.write_text("[[notes]\n", encoding="utf-8")
    errors: list[NotesFileError] = []
    assert [n.id for n in store.all_notes(on_error=errors.append)] == [other.id]
    assert [e.path for e in errors] == [path]
    assert note.id not in {n.id for n in store.all_notes(on_error=errors.append)}
    with pytest.raises(NotesFileError):
        store.all_notes()


def test_notes_written_inline_are_an_error_not_a_rewrite(store: NotesStore) -> None:
    story = article()
    path = store.path_for(story.id)
    path.parent.mkdir(parents=True)
    inline = (
        'version = 1\nnotes = [{id = "a", exact = "Sirte", start = 27, end = 32, '
        "created = 2024-05-01T10:00:00Z, updated = 2024-05-01T10:00:00Z}]\n"
    )
    path.write_text(inline, encoding="utf-8")
    assert [n.id for n in store.load(story.id)] == ["a"]
    with pytest.raises(NotesFileError, match=r":2:1: reader edits notes only as \[\[notes\]\]"):
        store.add(story, *span(BODY, "UN envoy"))
    assert path.read_text(encoding="utf-8") == inline


def test_evidence_written_inline_is_updated(store: NotesStore) -> None:
    story = article()
    note = store.add(story, *span(BODY, "Sirte"), evidence=[Evidence(url="https://a.example")])
    path = store.path_for(story.id)
    text = path.read_text(encoding="utf-8")
    head, _evidence = text.split("[[notes.evidence]]")
    path.write_text(head.rstrip() + '\nevidence = [{url = "https://a.example"}]\n', "utf-8")
    more = (Evidence(url="https://a.example"), Evidence(article="two", comment="same story"))
    store.update(story.id, replace(note, evidence=more))
    (read,) = NotesStore(store.config).load(story.id)
    assert read.evidence == more


def test_a_disk_that_refuses_the_write_keeps_the_note(
    store: NotesStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = article()
    kept = store.add(story, *span(BODY, "Sirte"))

    def disk_full(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("reader.core.notes.store.write_atomically", disk_full)
    with pytest.raises(NotesFileError, match="cannot save: No space left on device") as caught:
        store.add(story, *span(BODY, "UN envoy"), note="not lost")
    assert caught.value.rescue is None  # the rescue file could not be written either
    assert [n.note for n in store.unsaved()[story.id]] == ["", "not lost"]
    monkeypatch.undo()
    store.flush()
    assert [n.note for n in NotesStore(store.config).load(story.id)] == ["", "not lost"]
    assert NotesStore(store.config).load(story.id)[0] == kept
