"""ClaimReview as schema.org defines it and Google's Fact Check Explorer reads it: checked against
the terms shipped in tests/data/schemaorg (with a known-good and a known-bad control), the
config keys it needs, the warnings, one review per file."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from reader.core.config import DEFAULT_VERDICTS, ConfigError, load_config
from reader.core.notes.anchoring import selectors_for
from reader.core.notes.claimreview import (
    ReviewSettings,
    claimreview,
    claimreview_json,
    claimreview_warnings,
)
from reader.core.notes.export import ArticleNotes
from reader.core.notes.note import Evidence, Note
from reader.core.notes.store import NotesStore
from reader.core.sources.article import Article
from tests.conftest import ARABIC_SEED, CliRunner, write_config
from tests.vocabulary import google_errors, google_recommended, schemaorg_errors

STAMP = datetime(2024, 5, 1, 10, 30, tzinfo=timezone(timedelta(hours=2)))
BODY = "The army said 40 fighters were killed.\nOfficials denied it."
ARTICLE = Article(
    "wire/7",
    "Fighting near Sirte",
    BODY,
    "en",
    outlet="Example Wire",
    url="https://news.example/sirte",
    published=date(2024, 4, 30),
    author="Dana Reporter",
)
FULL = ReviewSettings(
    DEFAULT_VERDICTS,
    author="Desk",
    url_template="https://fc.example/checks/{article}#{note}",
    language="en",
    claimant="A. Spokesman",
    claimant_url="https://people.example/a",
)

# Google's own example, as its page shows it: the known-good control.
GOOD = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://example.com/news/science/worldisflat.html",
    "claimReviewed": "The world is flat",
    "itemReviewed": {
        "@type": "Claim",
        "author": {
            "@type": "Organization",
            "name": "Square World Society",
            "sameAs": "https://x.example",
        },
        "datePublished": "2016-06-20",
        "appearance": {"@type": "CreativeWork", "url": "https://example.com/flat"},
    },
    "author": {"@type": "Organization", "name": "Example.com science watch"},
    "reviewRating": {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "False",
    },
    "datePublished": "2016-06-22",
}


def note(passage: str, verdict: str = "false", **extra: Any) -> Note:
    start = BODY.index(passage)
    quote, position = selectors_for(BODY, start, start + len(passage))
    fields: dict[str, Any] = {"id": f"n-{verdict}", "claim": "The army killed 40 fighters"}
    return Note(
        article_id=ARTICLE.id,
        quote=quote,
        position=position,
        created=STAMP,
        updated=STAMP,
        verdict=verdict,
        **(fields | extra),
    )


def test_the_controls_show_the_checker_works() -> None:
    assert schemaorg_errors(GOOD) == []
    assert google_errors(GOOD) == []
    bad = json.loads(json.dumps(GOOD))
    bad["url"] = "urn:uuid:7d0f4c1e-0000-5000-8000-000000000000"  # not a page
    bad["reviewRating"]["worstRating"] = 0.5  # below 1
    bad["reviewRating"]["alternateName"] = ""
    bad["reviewRating"]["ratingValue"] = 6
    bad["reviewRating"]["claimReviewed"] = "x"  # a ClaimReview property on a Rating
    bad["itemReviewed"]["author"] = {"@type": "Rating"}  # not a Person or Organization
    bad["itemReviewed"]["datePublished"] = "last June"
    bad["verdict"] = "false"  # no such property
    errors = schemaorg_errors(bad)
    assert any("reviewRating.claimReviewed: not a property of Rating" in e for e in errors)
    assert any("itemReviewed.author: a Rating is not one of" in e for e in errors)
    assert any("datePublished: 'last June'" in e for e in errors)
    assert any("$.verdict: not a schema.org property" in e for e in errors)
    assert set(google_errors(bad)) == {
        "Rating.alternateName missing",
        f"url {bad['url']!r} is not the address of a web page",
        "worstRating 0.5 is below 1",
        "ratingValue 6 is outside 0.5..5",
    }


def test_exported_reviews_use_schemaorg_terms_and_meet_googles_rules() -> None:
    notes = (
        note(
            "40 fighters were killed",
            evidence=(
                Evidence(url="https://afp.example/x", quote="12 dead", comment="wire"),
                Evidence(article="other/1"),
            ),
        ),
        note("Officials denied it", "mostly-true", claimant="An Official"),
    )
    other = Article("other/1", "Other", "b", "ar", outlet="O", url="https://o.example/1")
    settings = replace(FULL, article={"other/1": other}.get)
    reviews = json.loads(claimreview_json([ArticleNotes(ARTICLE.id, ARTICLE, notes)], settings))
    assert len(reviews) == 2
    assert schemaorg_errors(reviews) == []
    assert [google_errors(r) for r in reviews] == [[], []]
    assert google_recommended(reviews[0]) == {
        "ClaimReview": ["author", "datePublished", "itemReviewed"],
        "Claim": ["appearance", "author", "datePublished"],
        "Rating": ["bestRating", "name", "ratingValue", "worstRating"],
    }
    assert reviews[0]["citation"][1]["url"] == "https://o.example/1"
    assert reviews[1]["itemReviewed"]["author"] == {"@type": "Person", "name": "An Official"}
    # The appearance is the article as published: its byline is its author.
    appearance = reviews[0]["itemReviewed"]["appearance"][0]
    assert appearance["author"] == {"@type": "Person", "name": "Dana Reporter"}
    assert "author" not in reviews[0]["citation"][1]  # the other article has no byline


def test_without_settings_the_export_is_still_schemaorg_but_google_misses_the_url() -> None:
    (review,) = claimreview(
        [ArticleNotes(ARTICLE.id, ARTICLE, (note("Officials denied it"),))],
        ReviewSettings(DEFAULT_VERDICTS),
    )
    assert schemaorg_errors(review) == []
    assert google_errors(review) == ["ClaimReview.url missing"]


def test_warnings_say_what_a_consumer_misses_one_line_each() -> None:
    long_claim = "x" * 76
    notes = (
        note("Officials denied it", claim=long_claim, review_url="https://fc.example/1"),
        note("40 fighters were killed", "mixed", claim="two\nlines"),
        note("Officials denied it", "true", claim="Officials denied it", id="n3"),
    )
    bare = Article("bare", "T", BODY, "en")
    groups = [
        ArticleNotes(ARTICLE.id, ARTICLE, notes),
        ArticleNotes("bare", bare, (replace(notes[0], article_id="bare"),)),
    ]
    lines = claimreview_warnings(groups, ReviewSettings(DEFAULT_VERDICTS))
    assert all("\n" not in line for line in lines)
    joined = "\n".join(lines)
    assert "note n-false on wire/7: the claim has 76 characters; Google shows 75" in joined
    assert "note n-mixed on wire/7: the claim has line breaks" in joined
    assert "note n3 on wire/7: the claim is the quoted passage" in joined
    assert "note n-mixed on wire/7: no url" in joined
    assert "note n-false on wire/7: no url" not in joined  # the note names its page
    assert joined.count("no author (the fact-checker)") == 4
    assert joined.count("no claimant (who made the claim)") == 4
    assert "article bare has no url, no outlet, no date" in joined
    assert "article wire/7 has" not in joined
    # With url, author and claimant set, only what is wrong with the claims is left.
    assert claimreview_warnings(groups[:1], FULL) == [
        "note n-false on wire/7: the claim has 76 characters; Google shows 75",
        "note n-mixed on wire/7: the claim has line breaks; write it on one line",
        "note n3 on wire/7: the claim is the quoted passage (none was written); write the "
        "checkable claim in the note's claim",
    ]


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (
            "[notes.verdicts]\nunverified = 0\nhalf = 0.5\ntrue = 1\n",
            ":9: [notes.verdicts] half: rating 0.5 is between 0 and 1; ClaimReview",
        ),
        ("[notes.verdicts]\nfalse = 3\ntrue = 3\n", ":7: [notes] verdicts: the rated verdicts"),
        ("[notes.verdicts]\nunverified = 0\n", ":7: [notes] verdicts: the rated verdicts"),
        ('[notes.labels]\nbogus = "B"\n', ":8: [notes.labels] bogus: not a verdict"),
        ('[notes.labels]\nfalse = "a\\nb"\n', ":8: [notes.labels] false: a label must be"),
        ('[notes]\nreview_url = "https://x/{id}"\n', ":8: [notes] review_url: unknown placeholder"),
        ('[notes]\nreview_url = "https://x/{"\n', ":8: [notes] review_url: bad placeholder"),
        ('[notes]\nreview_url = "ftp://x/{note}"\n', ":8: [notes] review_url: must start"),
        ('[notes]\nlanguage = "english!"\n', ":8: [notes] language: must be a language tag"),
    ],
)
def test_config_refuses_what_claimreview_cannot_carry(
    tmp_path: Path, toml: str, expected: str
) -> None:
    (tmp_path / "corpus").mkdir()
    path = write_config(tmp_path, extra=toml)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}{expected}"), str(caught.value)


def test_config_labels_in_any_language_reach_the_export(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    extra = (
        '[notes]\nreview_url = "https://fc.example/{article}/{note}"\nlanguage = "ar"\n'
        '[notes.labels]\nfalse = "زائف"\nmostly-true = "صحيح في معظمه"\n'
    )
    config = load_config(write_config(tmp_path, extra=extra))
    assert config.verdict_labels == {"false": "زائف", "mostly-true": "صحيح في معظمه"}
    settings = ReviewSettings(
        config.verdicts,
        labels=config.verdict_labels,
        url_template=config.review_url,
        language=config.notes_language,
    )
    (review,) = claimreview(
        [ArticleNotes(ARTICLE.id, ARTICLE, (note("Officials denied it"),))], settings
    )
    assert review["reviewRating"]["alternateName"] == "زائف"
    assert review["url"] == "https://fc.example/wire%2F7/n-false"
    assert review["inLanguage"] == "ar"


def test_claimant_and_review_url_are_kept_in_the_notes_file(config_path: Path) -> None:
    config = load_config(config_path)
    store = NotesStore(config)
    saved = store.add(
        ARTICLE, 14, 37, claimant="Ahmed al-Mismari", claimant_url="https://x.example/m"
    )
    store.update(ARTICLE.id, replace(saved, review_url="https://fc.example/1"))
    text = store.path_for(ARTICLE.id).read_text(encoding="utf-8")
    assert 'claimant = "Ahmed al-Mismari"' in text and 'review_url = "https://fc.example/1"' in text
    (again,) = NotesStore(config).load(ARTICLE.id)
    assert (again.claimant, again.claimant_url, again.review_url) == (
        "Ahmed al-Mismari",
        "https://x.example/m",
        "https://fc.example/1",
    )


def test_cli_claimant_and_one_review_per_file(
    tmp_path: Path, corpus_dir: Path, run_cli: CliRunner
) -> None:
    write_config(
        tmp_path, extra='[notes]\nauthor = "Desk"\nreview_url = "https://fc.example/{note}"\n'
    )
    added = run_cli(
        "notes",
        "add",
        ARABIC_SEED,
        "--quote",
        "المسماري",
        "--occurrence",
        "1",
        "--verdict",
        "false",
        "--claim",
        "Claim one",
        "--claimant",
        "أحمد المسماري",
    )
    assert added.returncode == 0, added.stderr
    second = run_cli(
        "notes",
        "add",
        ARABIC_SEED,
        "--quote",
        "قاعدة الوطية",
        "--occurrence",
        "1",
        "--verdict",
        "mixed",
        "--claim",
        "Claim two",
    )
    assert second.returncode == 0, second.stderr
    result = run_cli("notes", "export", "--format", "claimreview", "--claimant", "Someone")
    reviews = json.loads(result.stdout)
    assert [r["itemReviewed"]["author"]["name"] for r in reviews] == ["أحمد المسماري", "Someone"]
    assert "no claimant" not in result.stderr
    folder = tmp_path / "reviews"
    refused = run_cli(
        "notes", "export", "--format", "claimreview", "--one-per-file", "--out", str(folder)
    )
    assert refused.returncode == 2 and not folder.exists()
    assert f"folder {folder} does not exist; give --force" in refused.stderr
    folder.mkdir()
    done = run_cli(
        "notes", "export", "--format", "claimreview", "--one-per-file", "--out", str(folder)
    )
    assert done.returncode == 0, done.stderr
    files = sorted(folder.iterdir())
    ids = sorted([added.stdout.strip().lower(), second.stdout.strip().lower()])
    assert [p.name for p in files] == [f"{ARABIC_SEED}@{i}.jsonld" for i in ids]
    assert sorted(json.loads(p.read_text("utf-8"))["claimReviewed"] for p in files) == [
        "Claim one",
        "Claim two",
    ]
    files[0].write_text("mine", encoding="utf-8")
    again = run_cli(
        "notes", "export", "--format", "claimreview", "--one-per-file", "--out", str(folder)
    )
    assert again.returncode == 2 and "exists" in again.stderr
    assert files[0].read_text("utf-8") == "mine"
    forced = run_cli(
        "notes",
        "export",
        "--format",
        "claimreview",
        "--one-per-file",
        "--force",
        "--out",
        str(folder),
    )
    assert forced.returncode == 0 and files[0].read_text("utf-8") != "mine"


def test_one_review_per_file_never_gives_two_reviews_one_name(tmp_path: Path) -> None:
    from reader.cli.notes_export import _one_per_file

    pairs = [("a.b", "c"), ("a", "b.c"), ("A", "x"), ("a", "x"), ("a/b", "x"), ("a%2fb", "x")]
    groups = [
        ArticleNotes(
            article, None, (replace(note("Officials denied it"), id=n, article_id=article),)
        )
        for article, n in pairs
    ]
    files = _one_per_file(tmp_path, groups, ReviewSettings(DEFAULT_VERDICTS))
    names = [str(path.name).casefold() for path, _text in files if path]
    assert len(names) == len(pairs) == len(set(names))
    assert all("/" not in name and not name.startswith(".") for name in names)


def test_warnings_cannot_reorder_the_terminal_line(
    tmp_path: Path, corpus_dir: Path, run_cli: CliRunner, config_path: Path
) -> None:
    store = NotesStore(load_config(config_path))
    store.merge_in(
        ARABIC_SEED,
        [replace(note("Officials denied it"), id="n\u202eevil", article_id=ARABIC_SEED)],
    )
    result = run_cli("notes", "export", "--format", "claimreview")
    assert result.returncode == 0, result.stderr
    assert "note n\ufffdevil on" in result.stderr
    assert not set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") & set(result.stderr)
