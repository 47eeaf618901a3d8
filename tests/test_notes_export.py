"""Exports: ClaimReview JSON-LD, the Markdown report and CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta, timezone

import pytest

from reader.core.config import DEFAULT_VERDICTS
from reader.core.notes.anchoring import selectors_for
from reader.core.notes.export import (
    CSV_COLUMNS,
    ArticleNotes,
    ReviewSettings,
    claimreview,
    claimreview_json,
    csv_report,
    markdown_report,
    markdown_text,
)
from reader.core.notes.note import Evidence, Note
from reader.core.sources.article import Article

BODY = "The army said 40 fighters were killed.\nOfficials denied it.\nTalks resume on Monday."
STAMP = datetime(2024, 5, 1, 10, 30, tzinfo=timezone(timedelta(hours=2)))
ARTICLE = Article(
    id="wire/7",
    title="Fighting near Sirte",
    body=BODY,
    lang="en",
    outlet="Example Wire",
    url="https://news.example/sirte",
    published=date(2024, 4, 30),
)


def note(passage: str, verdict: str, **extra: object) -> Note:
    start = BODY.index(passage)
    quote, position = selectors_for(BODY, start, start + len(passage))
    fields: dict[str, object] = {"claim": passage, "author": "Jane Checker"} | extra
    return Note(
        id=f"n-{verdict}",
        article_id=ARTICLE.id,
        quote=quote,
        position=position,
        created=STAMP,
        updated=STAMP,
        verdict=verdict,
        **fields,  # type: ignore[arg-type]
    )


@pytest.fixture
def groups() -> list[ArticleNotes]:
    notes = (
        note(
            "40 fighters were killed",
            "false",
            note="AFP counted 12.",
            evidence=(Evidence(url="https://afp.example/x", quote="12 dead", comment="wire"),),
            tags=("casualties",),
        ),
        note("Officials denied it", "unverified"),
        note("Talks resume on Monday", "mostly-true", author=""),
    )
    gone = Article("gone/1", "Old story", "Nothing here now.", "en")
    orphan = Note(
        id="n-orphan",
        article_id=gone.id,
        quote=note("Officials denied it", "x").quote,
        position=note("Officials denied it", "x").position,
        created=STAMP,
        updated=STAMP,
        verdict="misleading",
        claim='=HYPERLINK("http://evil")',
    )
    return [ArticleNotes(ARTICLE.id, ARTICLE, notes), ArticleNotes(gone.id, gone, (orphan,))]


def test_claimreview_is_json_ld_with_the_required_fields(groups: list[ArticleNotes]) -> None:
    settings = ReviewSettings(
        DEFAULT_VERDICTS,
        author="Desk",
        url_template="https://fc.example/{article}#{note}",
        claimant="A. Spokesman",
        claimant_url="https://people.example/spokesman",
        language="en",
    )
    reviews = json.loads(claimreview_json(groups, settings))
    assert [r["url"] for r in reviews] == [
        "https://fc.example/wire%2F7#n-false",
        "https://fc.example/wire%2F7#n-mostly-true",
        "https://fc.example/gone%2F1#n-orphan",
    ]
    first = reviews[0]
    assert first["@context"] == "https://schema.org"
    assert first["@type"] == "ClaimReview"
    assert first["identifier"].startswith("urn:uuid:")
    assert first["claimReviewed"] == "40 fighters were killed"
    assert first["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "False",
        "name": "False",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
    }
    claim = first["itemReviewed"]
    assert claim["@type"] == "Claim"
    # The claimant made the claim; the outlet only published it.
    assert claim["author"] == {
        "@type": "Person",
        "name": "A. Spokesman",
        "sameAs": "https://people.example/spokesman",
    }
    assert claim["datePublished"] == "2024-04-30"
    (appearance,) = claim["appearance"]
    assert appearance["@type"] == "CreativeWork"
    assert appearance["url"] == "https://news.example/sirte"
    assert appearance["publisher"] == {"@type": "Organization", "name": "Example Wire"}
    assert first["author"] == {"@type": "Person", "name": "Jane Checker"}
    assert first["datePublished"] == "2024-05-01"
    assert first["inLanguage"] == "en"
    assert first["citation"] == [
        {"@type": "CreativeWork", "url": "https://afp.example/x", "description": "“12 dead” wire"}
    ]
    # A note without an author is credited to the configured author.
    assert reviews[1]["author"]["name"] == "Desk"
    assert reviews[1]["reviewRating"]["ratingValue"] == 4
    assert reviews[1]["reviewRating"]["alternateName"] == "Mostly true"


def test_claimreview_identifier_is_stable_and_url_templated(groups: list[ArticleNotes]) -> None:
    plain = ReviewSettings(DEFAULT_VERDICTS)
    again = claimreview(groups, plain)
    assert [r["identifier"] for r in again] == [r["identifier"] for r in claimreview(groups, plain)]
    assert len({r["identifier"] for r in again}) == 3
    assert all("url" not in r for r in again)  # no page named: no url, never a urn
    templated = claimreview(
        groups, ReviewSettings(DEFAULT_VERDICTS, url_template="https://fc.example/{note}")
    )
    assert templated[0]["url"] == "https://fc.example/n-false"


def test_markdown_groups_by_article_with_quote_and_verdict(groups: list[ArticleNotes]) -> None:
    report = markdown_report(groups, DEFAULT_VERDICTS, today=date(2024, 5, 2))
    assert report.startswith("# Verification notes\n\n4 notes on 2 articles")
    assert "## Fighting near Sirte" in report
    assert "> 40 fighters were killed\n" in report
    assert "- Verdict: **false** (1 of 5)" in report
    assert "AFP counted 12." in report
    assert "- <https://afp.example/x>: “12 dead” (wire)" in report
    assert report.index("## Fighting near Sirte") < report.index("## Old story")
    assert "no longer found in the article (orphaned)" in report
    assert report.count("### ") == 4


def test_markdown_makes_untrusted_text_inert() -> None:
    assert markdown_text("<script>*x*[a](b)") == "\\<script\\>\\*x\\*\\[a\\](b)"
    article = Article("a", "T", "Line one\nline two", "en")
    quote, position = selectors_for(article.body, 0, len(article.body))
    spanning = Note("n", "a", quote, position, STAMP, STAMP, verdict="false", claim="c")
    report = markdown_report([ArticleNotes("a", article, (spanning,))], DEFAULT_VERDICTS)
    assert "> Line one\\\n> line two\n" in report


def test_csv_opens_with_csv_reader(groups: list[ArticleNotes]) -> None:
    rows = list(csv.reader(io.StringIO(csv_report(groups, DEFAULT_VERDICTS), newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    records = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]]
    assert [r["note_id"] for r in records] == [
        "n-false",
        "n-unverified",
        "n-mostly-true",
        "n-orphan",
    ]
    first = records[0]
    assert first["quote"] == "40 fighters were killed"
    assert first["anchor"] == "exact"
    assert first["rating"] == "1"
    assert first["evidence"] == "https://afp.example/x | 12 dead | wire"
    assert first["created"] == "2024-05-01T10:30:00+02:00"
    assert records[3]["anchor"] == "orphaned"
    # A cell a spreadsheet would run as a formula is defused.
    assert records[3]["claim"] == '\'=HYPERLINK("http://evil")'
