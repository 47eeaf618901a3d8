"""W3C Web Annotations: the export checked against the model's terms shipped in
tests/data/webannotation (with a known-good and a known-bad control), read back into the same
notes, and imported through the notes store's merge rules."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.config import load_config
from reader.core.notes.anchoring import TextPositionSelector, TextQuoteSelector, selectors_for
from reader.core.notes.export import ArticleNotes
from reader.core.notes.note import Evidence, Note
from reader.core.notes.store import NotesStore
from reader.core.notes.webannotation import (
    AnnotationError,
    annotations_json,
    read_annotations,
    web_annotations,
)
from reader.core.sources.article import Article
from tests.conftest import ARABIC_SEED, CliRunner, write_config
from tests.vocabulary import annotation_errors

STAMP = datetime(2024, 5, 1, 10, 30, tzinfo=timezone(timedelta(hours=2)))
BODY = "The army said 40 fighters were killed.\nOfficials denied it."
ARTICLE = Article(
    "wire/7",
    "Fighting",
    BODY,
    "en",
    outlet="W",
    url="https://news.example/a",
    published=date(2024, 4, 30),
)

# The model's own example of a TextQuoteSelector (section 4.2.4), made a full annotation.
GOOD = {
    "@context": "http://www.w3.org/ns/anno.jsonld",
    "id": "http://example.org/anno23",
    "type": "Annotation",
    "motivation": "commenting",
    "created": "2015-10-13T13:00:00Z",
    "body": {"type": "TextualBody", "value": "Comment", "purpose": "commenting"},
    "target": {
        "source": "http://example.org/page1",
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": "anotation",
                "prefix": "this is an ",
                "suffix": " that has",
            },
            {"type": "TextPositionSelector", "start": 412, "end": 795},
        ],
    },
}


def note(passage: str, **extra: object) -> Note:
    start = BODY.index(passage)
    quote, position = selectors_for(BODY, start, start + len(passage))
    fields: dict[str, object] = {
        "id": "n1",
        "claim": "c",
        "verdict": "false",
        "created": STAMP,
        "updated": STAMP,
    } | extra
    return Note(
        article_id=ARTICLE.id,
        quote=quote,
        position=position,
        **fields,  # type: ignore[arg-type]
    )


def full_note() -> Note:
    return note(
        "40 fighters were killed",
        note="AFP counted 12.\nSecond line.",
        tags=("casualties", "الوطية"),
        author="Jane",
        claimant="A. Spokesman",
        claimant_url="https://people.example/a",
        review_url="https://fc.example/1",
        evidence=(
            Evidence(url="https://afp.example/x", quote="12 dead", comment="wire"),
            Evidence(article="other/1", comment="same day"),
            Evidence(url="https://u.example", article="other/2"),
        ),
        updated=STAMP + timedelta(days=1),
    )


def test_the_controls_show_the_checker_works() -> None:
    assert annotation_errors(GOOD) == []
    bad = json.loads(json.dumps(GOOD))
    bad["motivation"] = "judging"
    bad["verdict"] = "false"
    bad["target"]["selector"][1]["start"] = -1
    bad["target"]["selector"][0]["exact"] = 5
    bad["body"]["purpose"] = "grading"
    bad["https://schema.org/notAProperty"] = 1
    del bad["id"]
    errors = annotation_errors(bad)
    assert "$: Annotation needs id" in errors
    assert "$.motivation: 'judging' is not a motivation of the model" in errors
    assert "$.verdict: not a property of Annotation in the model" in errors
    assert "$.target[0].selector[1]: start and end must be non-negative integers" in errors
    assert "$.target[0].selector[0].exact: not a string" in errors
    assert "$.body[0].purpose: 'grading' is not a motivation" in errors
    assert "$.https://schema.org/notAProperty: not a schema.org property" in errors


def test_export_follows_the_model_with_quote_and_position_selectors() -> None:
    gone = Note("n2", "gone/1", TextQuoteSelector("x"), TextPositionSelector(0, 1), STAMP, STAMP)
    groups = [
        ArticleNotes(ARTICLE.id, ARTICLE, (full_note(),)),
        ArticleNotes("gone/1", None, (gone,)),
    ]
    exported = json.loads(annotations_json(groups))
    assert annotation_errors(exported) == []
    first, second = exported
    assert first["motivation"] == "assessing"
    assert first["target"]["source"] == "https://news.example/a"
    assert first["target"]["selector"] == [
        {
            "type": "TextQuoteSelector",
            "exact": "40 fighters were killed",
            "prefix": "The army said ",
            "suffix": ".\nOfficials denied it.",
        },
        {"type": "TextPositionSelector", "start": 14, "end": 37},
    ]
    purposes = [(b.get("purpose"), b.get("value")) for b in first["body"]]
    assert purposes[:5] == [
        ("assessing", "false"),
        ("describing", "c"),
        ("commenting", "AFP counted 12.\nSecond line."),
        ("tagging", "casualties"),
        ("tagging", "الوطية"),
    ]
    assert first["body"][5]["selector"] == {"type": "TextQuoteSelector", "exact": "12 dead"}
    assert first["creator"] == {"type": "Person", "name": "Jane"}
    assert first["modified"] == "2024-05-02T10:30:00+02:00"
    # An article with no URL (or gone from the corpus) is named by a URN of its id.
    assert second["target"]["source"] == "urn:x-reader:article:gone%2F1"


def test_reading_back_gives_the_same_notes() -> None:
    notes = (
        full_note(),
        note("Officials denied it", id="n2", verdict="unverified", claim="", conflict_of="n1"),
    )
    (back_one, back_two) = read_annotations(
        annotations_json([ArticleNotes(ARTICLE.id, ARTICLE, notes)])
    )
    assert back_one.identical(notes[0]) and back_two.identical(notes[1])


texts = st.text(
    st.one_of(st.characters(exclude_categories=["Cs"]), st.sampled_from("<>&\u2028\x1b\r\n")),
    max_size=12,
)


@settings(
    max_examples=int(os.environ.get("READER_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    ids=st.lists(texts.filter(bool), min_size=1, max_size=3, unique=True),
    article_id=texts,
    text=texts,
    tags=st.lists(texts, max_size=2),
    url=st.sampled_from(["", "https://news.example/a b", "urn:x-reader:article:zz"]),
    offset=st.sampled_from([0, 3600, -34200]),
)
def test_fuzz_any_note_text_survives_the_round_trip(
    ids: list[str], article_id: str, text: str, tags: list[str], url: str, offset: int
) -> None:
    stamp = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(seconds=offset)))
    notes = tuple(
        Note(
            id=note_id,
            article_id=article_id,
            quote=TextQuoteSelector(text or "q", text, text),
            position=TextPositionSelector(1, 2),
            created=stamp,
            updated=stamp,
            claim=text,
            verdict=text or "x",
            evidence=(Evidence(url=text, article=text or "a", quote=text, comment=text),),
            note=text,
            tags=tuple(tags),
            author=text,
            conflict_of=text,
            claimant=text,
            claimant_url=text,
            review_url=text,
        )
        for note_id in ids
    )
    article = Article(article_id, "t", "b", "en", url=url)
    text = annotations_json([ArticleNotes(article_id, article, notes)])
    # Nothing a terminal acts on, nothing that could close an HTML script block.
    assert not set("<>&\u2028\u2029\x1b\x9b\r") & set(text)
    back = read_annotations(text)
    assert len(back) == len(notes)
    assert all(a.identical(b) for a, b in zip(back, notes, strict=True)), (back, notes)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not JSON"),
        ('[{"type": "Note"}]', "annotation 1: not an Annotation"),
        ('{"type": "AnnotationCollection"}', "an AnnotationCollection without first.items"),
    ],
)
def test_unreadable_documents_say_why(text: str, message: str) -> None:
    with pytest.raises(AnnotationError, match=message):
        read_annotations(text)


def test_a_note_without_selectors_or_with_a_naive_time_is_refused() -> None:
    (good,) = web_annotations([ArticleNotes(ARTICLE.id, ARTICLE, (note("Officials denied it"),))])
    no_position = json.loads(json.dumps(good))
    no_position["target"]["selector"] = no_position["target"]["selector"][:1]
    naive = dict(good, created="2024-05-01T10:30:00")
    twice = [good, good]
    for document, message in [
        (no_position, "annotation 1: target needs a TextQuoteSelector and a TextPositionSelector"),
        (naive, "annotation 1: created needs a UTC offset"),
        (twice, "annotation 2: note 'n1' appears twice"),
    ]:
        with pytest.raises(AnnotationError) as caught:
            read_annotations(json.dumps(document))
        assert str(caught.value) == message


def test_import_merges_by_the_stores_rules(config_path: Path) -> None:
    config = load_config(config_path)
    mine = note("Officials denied it", id="n1", note="mine")
    theirs_same = note("40 fighters were killed", id="n2")
    store = NotesStore(config)
    store.merge_in(ARTICLE.id, [mine, theirs_same])
    imported = [replace(mine, note="theirs"), theirs_same, note("Officials denied it", id="n3")]
    saved = NotesStore(config).merge_in(ARTICLE.id, imported)
    assert [(n.id, n.note, n.conflict_of) for n in saved] == [
        ("n1", "mine", ""),
        ("n2", "", ""),
        ("n3", "", ""),
        ("n1-conflict", "theirs", "n1"),
    ]
    # Importing the same file again changes nothing.
    again = NotesStore(config).merge_in(ARTICLE.id, imported)
    assert [n.id for n in again] == ["n1", "n2", "n3", "n1-conflict"]


def test_cli_export_then_import_into_an_empty_folder_gives_the_same_notes(
    tmp_path: Path, corpus_dir: Path, run_cli: CliRunner
) -> None:
    write_config(tmp_path, extra='[notes]\nauthor = "Desk"\n')
    for args in (
        (
            "--quote",
            "المسماري",
            "--occurrence",
            "1",
            "--verdict",
            "false",
            "--claimant",
            "أحمد المسماري",
        ),
        (
            "--quote",
            "قاعدة الوطية",
            "--occurrence",
            "2",
            "--note",
            "two\nlines",
            "--tag",
            "airbase",
        ),
    ):
        assert run_cli("notes", "add", ARABIC_SEED, *args).returncode == 0
    out = tmp_path / "annotations.jsonld"
    exported = run_cli("notes", "export", "--format", "webannotation", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    original = NotesStore(load_config(tmp_path / "config.toml")).load(ARABIC_SEED)

    other = tmp_path / "other"
    other.mkdir()
    (other / "corpus").symlink_to(corpus_dir)
    second = write_config(other)
    imported = run_cli("notes", "import", str(out), config=second)
    assert imported.returncode == 0, imported.stderr
    assert "2 notes read, 2 added, 0 kept as conflict copies" in imported.stderr
    back = NotesStore(load_config(other / "config.toml")).load(ARABIC_SEED)
    assert len(back) == 2 and all(a.identical(b) for a, b in zip(back, original, strict=True))
    # A second import finds every note already there.
    assert "0 added, 0 kept" in run_cli("notes", "import", str(out), config=second).stderr

    broken = tmp_path / "broken.jsonld"
    broken.write_text('[{"type": "Annotation"}]', encoding="utf-8")
    before = sorted(p.name for p in (other / "notes").iterdir())
    refused = run_cli("notes", "import", str(broken), config=second)
    assert refused.returncode == 2
    assert (
        refused.stderr
        == f"reader: {broken}: annotation 1: needs exactly one target with selectors\n"
    )
    assert sorted(p.name for p in (other / "notes").iterdir()) == before


def test_import_of_notes_on_unknown_articles_keeps_them_and_warns_on_one_line_each(
    tmp_path: Path, corpus_dir: Path, run_cli: CliRunner, config_path: Path
) -> None:
    stray = replace(note("Officials denied it"), article_id="gone\u202e/1", verdict="pants\u2067")
    path = tmp_path / "in.jsonld"
    path.write_text(annotations_json([ArticleNotes(stray.article_id, None, (stray,))]), "utf-8")
    result = run_cli("notes", "import", str(path))
    assert result.returncode == 0, result.stderr
    assert "article gone\ufffd/1 is not in the corpus; its notes are kept" in result.stderr
    assert "verdict 'pants\\u2067' is not in [notes.verdicts]" in result.stderr
    assert not set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") & set(result.stderr)
    (kept,) = NotesStore(load_config(config_path)).load(stray.article_id)
    assert kept.identical(stray)
