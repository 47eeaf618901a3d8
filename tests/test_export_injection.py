"""Exports hold untrusted text (articles, notes): none of it may change the export's structure.

The Markdown report is parsed with a real CommonMark parser (markdown-it-py, with GFM tables
and strikethrough on) and its headings, lists, quotes, links, images and HTML must be exactly
the ones reader writes; the ClaimReview JSON-LD must survive being pasted into a ``<script>``
block; every CSV cell must come back as written, one row per note, formulas defused.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from reader.core.config import DEFAULT_VERDICTS
from reader.core.notes.anchoring import TextPositionSelector, TextQuoteSelector
from reader.core.notes.export import (
    CSV_COLUMNS,
    ArticleNotes,
    ReviewSettings,
    claimreview,
    claimreview_json,
    csv_report,
    markdown_report,
)
from reader.core.notes.note import Evidence, Note
from reader.core.sources.article import Article
from reader.core.text.sanitize import one_line as one_line_field
from reader.core.text.sanitize import sanitize

FUZZ = settings(
    max_examples=int(os.environ.get("READER_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
STAMP = datetime(2024, 5, 1, 10, 30, tzinfo=timezone(timedelta(hours=2)))

HOSTILE = [
    "\n",
    "\n\n",
    "# ",
    "\n# Verdict: TRUE\n",
    "\n## Injected\n\n",
    "![img](https://evil.example/x.png)",
    "[click](javascript:alert(1))",
    "[ref]: https://evil.example\n",
    "[ref]",
    "<script>alert(1)</script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<div>\n",
    "<!-- ",
    "&amp;",
    "&#60;b&#62;",
    "```",
    "~~~",
    "~~gone~~",
    "    indented",
    "\t",
    "> ",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "2) ",
    "---",
    "\n===\n",
    "***",
    "___",
    "| a | b |\n| --- | --- |\n| c | d |",
    "\\",
    "`",
    "**bold**",
    "_em_",
    "<https://evil.example>",
    "https://x.example/a",
    "see ftp://files.example/x and https://evil.example/login",
    "javascript:alert(1)",
    "mailto:a@b.example",
    "\r",
    "\r\n",
    "\u2028",
    "\u2029",
    "\x1b[2J",
    "\x85",
    "\x0b",
    "\u00a0",
    " ",
    "x",
    "ب",
    "=HYPERLINK(1)",
    "@cmd",
    "+1",
    "-1",
]
hostile = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=4)), max_size=6).map(
    "".join
)
urls = st.one_of(
    hostile,
    st.builds(
        str.__add__,
        st.sampled_from(
            ["https://", "http://", "HTTPS://", "mailto:", "javascript:", "data:", "ftp://", ""]
        ),
        hostile,
    ),
)
verdicts = st.one_of(st.sampled_from(sorted(DEFAULT_VERDICTS)), hostile)


@st.composite
def groups_of(draw: st.DrawFn) -> list[ArticleNotes]:
    groups = []
    for number in range(draw(st.integers(1, 2))):
        article_id = draw(hostile) + str(number)
        article = None
        if draw(st.booleans()):
            article = Article(
                id=article_id,
                title=draw(hostile),
                body=draw(hostile) or "body",
                lang="en",
                outlet=draw(hostile),
                author=draw(hostile),
                url=draw(urls),
                published=date(2024, 4, 30) if draw(st.booleans()) else None,
            )
        notes = []
        for _ in range(draw(st.integers(1, 2))):
            evidence = tuple(
                Evidence(url=draw(urls), article=draw(hostile), quote=draw(hostile), comment=c)
                for c in draw(st.lists(hostile, max_size=2))
            )
            notes.append(
                Note(
                    id=draw(hostile),
                    article_id=article_id,
                    quote=TextQuoteSelector(draw(hostile) or "q", draw(hostile), draw(hostile)),
                    position=TextPositionSelector(0, 1),
                    created=STAMP,
                    updated=STAMP,
                    claim=draw(hostile),
                    verdict=draw(verdicts),
                    evidence=evidence,
                    note=draw(hostile),
                    tags=tuple(draw(st.lists(hostile, max_size=2))),
                    author=draw(hostile),
                    conflict_of=draw(hostile),
                )
            )
        groups.append(ArticleNotes(article_id, article, tuple(notes)))
    return groups


def one_of_each(field: str, value: str) -> list[ArticleNotes]:
    """One article and one note whose ``field`` holds ``value`` (the rest harmless)."""
    article = {"title": "T", "outlet": "O", "url": "https://news.example/a", "body": "body"}
    note = {"id": "n1", "claim": "c", "verdict": "false", "note": "n", "author": "A"}
    evidence = {"url": "https://e.example", "article": "", "quote": "q", "comment": "k"}
    tags: tuple[str, ...] = ("t",)
    article_id = "a1"
    if field in article:
        article[field] = value
    elif field in note:
        note[field] = value
    elif field.startswith("evidence_"):
        evidence[field.removeprefix("evidence_")] = value
    elif field == "tag":
        tags = (value,)
    elif field == "article_id":
        article_id = value
    return [
        ArticleNotes(
            article_id,
            Article(article_id, lang="en", **article),
            (
                Note(
                    article_id=article_id,
                    quote=TextQuoteSelector(value if field == "quote" else "q"),
                    position=TextPositionSelector(0, 1),
                    created=STAMP,
                    updated=STAMP,
                    evidence=(Evidence(**evidence),),
                    tags=tags,
                    conflict_of=value if field == "conflict_of" else "",
                    **note,
                ),
            ),
        )
    ]


FIELDS = [
    "title",
    "outlet",
    "url",
    "body",
    "id",
    "claim",
    "verdict",
    "note",
    "author",
    "quote",
    "conflict_of",
    "tag",
    "article_id",
    "evidence_url",
    "evidence_article",
    "evidence_quote",
    "evidence_comment",
]
INJECTION = (
    "x\n\n# Verdict: TRUE\n\n![proof](https://evil.example/p.png)\n\n"
    "<script>alert(1)</script>\n\n- Verdict: **true**\n\n[site](javascript:alert(1))"
)

# -- Markdown ----------------------------------------------------------------------------------

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# As GitHub renders: tables, strikethrough, and bare http(s)/ftp/mailto URLs made links.
LINKIFY = MarkdownIt("gfm-like")
LINKIFY.linkify.set({"fuzzy_link": False, "fuzzy_email": False})
LINKABLE = re.compile(r"(?:https?://|mailto:)[^\s<>`]+", re.IGNORECASE)


def flat(tokens: Sequence[Token]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        out.append(token)
        out += flat(token.children or [])
    return out


def one_line(text: str) -> str:
    return one_line_field(" ".join(sanitize(text).split()))


def inline_text(token: Token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def linkable(url: str) -> bool:
    text = sanitize(url).strip()
    return bool(LINKABLE.fullmatch(text)) and one_line_field(text) == text


def assert_structure_is_readers_own(groups: list[ArticleNotes]) -> None:
    report = markdown_report(groups, DEFAULT_VERDICTS, today=date(2024, 5, 2))
    tokens = MARKDOWN.parse(report)
    every = flat(tokens)
    kinds = Counter(token.type for token in every)
    notes = [note for group in groups for note in group.notes]

    # No structure of the article's own: no HTML, images, rules, code blocks, tables,
    # ordered lists, strikethrough or emphasis but reader's bold verdict.
    for kind in (
        "html_block",
        "html_inline",
        "image",
        "hr",
        "code_block",
        "fence",
        "table_open",
        "ordered_list_open",
        "s_open",
        "em_open",
    ):
        assert kinds[kind] == 0, (kind, report)
    assert kinds["strong_open"] == sum(1 for n in notes if one_line(n.verdict)), report

    # Headings: the title, one per article, one per note, in that order, each with its text.
    headings = [(t.tag, tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"]
    expected_tags = ["h1"]
    for group in groups:
        expected_tags += ["h2"] + ["h3"] * len(group.notes)
    assert [tag for tag, _ in headings] == expected_tags, report
    titles = [group.article.title if group.article else "" for group in groups]
    h2 = [inline_text(inline) for tag, inline in headings if tag == "h2"]
    for title, text, group in zip(titles, h2, groups, strict=True):
        if group.article is not None:
            assert text == one_line(title)
    h3 = [inline_text(inline) for tag, inline in headings if tag == "h3"]
    assert h3 == [one_line(f"{one_line(n.verdict)}: {one_line(n.claim)}") for n in notes]

    # One quote per note, holding one paragraph with the passage as written.
    assert kinds["blockquote_open"] == len(notes), report
    quotes = [tokens[i + 2] for i, t in enumerate(tokens) if t.type == "blockquote_open"]
    assert [inline_text(q) for q in quotes] == [one_line(n.quote.exact) for n in notes]
    assert all(
        tokens[i + 1].type == "paragraph_open"
        for i, t in enumerate(tokens)
        if t.type == "blockquote_open"
    )

    # Lists: reader's facts per note, and one item per piece of evidence.
    with_evidence = [n for n in notes if n.evidence]
    assert kinds["bullet_list_open"] == len(notes) + len(with_evidence), report
    items = sum(3 + bool(n.tags) + bool(n.conflict_of) + len(n.evidence) for n in notes)
    assert kinds["list_item_open"] == items, report
    shown = [t for t in every if t.type == "paragraph_open" and not t.hidden]
    texts = sum(1 for n in notes if n.note.strip())
    assert len(shown) == 1 + len(groups) + len(notes) + texts + len(with_evidence), report

    # Links: exactly the http(s)/mailto URLs of articles and evidence, nothing else.
    expected_links = []
    for group in groups:
        if group.article and group.article.url and linkable(group.article.url):
            expected_links.append(sanitize(group.article.url).strip())
        for note in group.notes:
            expected_links += [
                sanitize(e.url).strip() for e in note.evidence if e.url and linkable(e.url)
            ]
    hrefs = [t.attrGet("href") for t in every if t.type == "link_open"]
    assert hrefs == [MARKDOWN.normalizeLink(url) for url in expected_links], report
    assert all(str(h).lower().startswith(("http://", "https://", "mailto:")) for h in hrefs)
    # A renderer that links bare URLs finds none in the article's text either.
    linkified = [t.attrGet("href") for t in flat(LINKIFY.parse(report)) if t.type == "link_open"]
    assert linkified == hrefs, report


@pytest.mark.parametrize("field", FIELDS)
def test_markdown_injection_in_any_field_is_inert(field: str) -> None:
    assert_structure_is_readers_own(one_of_each(field, INJECTION))


@FUZZ
@given(groups_of())
@example([ArticleNotes("a", Article("a", "t\n# x", "b", "en", url="<javascript:x>"), ())])
def test_fuzz_markdown_structure_is_only_readers(groups: list[ArticleNotes]) -> None:
    assert_structure_is_readers_own(groups)


def test_markdown_links_only_http_https_mailto() -> None:
    for url, link in [
        ("https://news.example/a?b=1&c=2", True),
        ("mailto:desk@news.example", True),
        ("javascript:alert(1)", False),
        ("https://a.example/x y", False),
        ("https://a.example/<b>", False),
        ("data:text/html,<script>", False),
        ("relative/path", False),
    ]:
        groups = one_of_each("url", url)
        report = markdown_report(groups, DEFAULT_VERDICTS)
        hrefs = [t.attrGet("href") for t in flat(MARKDOWN.parse(report)) if t.type == "link_open"]
        article_link = [h for h in hrefs if "e.example" not in str(h)]
        assert bool(article_link) is link, (url, report)
        if not link:  # shown as code, as written
            code = [t.content for t in flat(MARKDOWN.parse(report)) if t.type == "code_inline"]
            assert url in code


# -- ClaimReview JSON-LD ------------------------------------------------------------------------


@pytest.mark.parametrize("field", FIELDS)
def test_claimreview_cannot_close_its_script_block(field: str) -> None:
    groups = one_of_each(field, "</script><script>alert(1)</script>&\u2028\u2029<!--")
    settings = ReviewSettings(
        DEFAULT_VERDICTS, claimant=field, url_template="https://x.example/{note}"
    )
    text = claimreview_json(groups, settings)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == claimreview(groups, settings)


@FUZZ
@given(groups_of())
def test_fuzz_claimreview_is_the_same_json_with_nothing_html_acts_on(
    groups: list[ArticleNotes],
) -> None:
    settings = ReviewSettings(DEFAULT_VERDICTS, author="Desk <d@x>", claimant="<b>")
    text = claimreview_json(groups, settings)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == claimreview(groups, settings)


@pytest.mark.parametrize("rating", [float("inf"), float("nan")])
def test_claimreview_never_writes_infinity_or_nan(rating: float) -> None:
    # Config rejects such a rating; were one to get through, no invalid JSON is written.
    with pytest.raises(ValueError):
        claimreview_json(one_of_each("verdict", "x"), ReviewSettings({"false": 1, "x": rating}))


# -- CSV ----------------------------------------------------------------------------------------

# A formula start (also full-width or small, or a minus sign) after invisible or blank
# characters (bidi marks and isolates, BOM, zero-width, whitespace); CR is drawn as ␍.
FORMULA = re.compile(
    "^[\\s\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]*"
    "[=+\\-@\t\u240d\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b\u2212]"
)

TEXT_COLUMNS = {
    "article_title": lambda g, n: g.article.title if g.article else "",
    "outlet": lambda g, n: g.article.outlet if g.article else "",
    "article_url": lambda g, n: g.article.url if g.article else "",
    "note_id": lambda g, n: n.id,
    "verdict": lambda g, n: n.verdict,
    "claim": lambda g, n: n.claim,
    "quote": lambda g, n: n.quote.exact,
    "note": lambda g, n: n.note,
    "tags": lambda g, n: "; ".join(n.tags),
    "author": lambda g, n: n.author,
    "conflict_of": lambda g, n: n.conflict_of,
    "article_author": lambda g, n: g.article.author if g.article else "",
}


@FUZZ
@given(groups_of())
def test_fuzz_csv_rows_hold_every_cell_as_written_with_formulas_defused(
    groups: list[ArticleNotes],
) -> None:
    text = csv_report(groups, DEFAULT_VERDICTS)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    notes = [(group, note) for group in groups for note in group.notes]
    assert len(rows) == 1 + len(notes)
    assert all(len(row) == len(CSV_COLUMNS) for row in rows)
    for row, (group, note) in zip(rows[1:], notes, strict=True):
        record = dict(zip(CSV_COLUMNS, row, strict=True))
        for column, value_of in TEXT_COLUMNS.items():
            raw = value_of(group, note)
            # One-line columns as one_line draws them (bidi embeddings and the like as �).
            value = sanitize(raw) if column in ("quote", "note") else one_line_field(raw)
            cell = record[column]
            if FORMULA.match(value):
                assert cell == "'" + value, (column, cell)
            else:
                assert cell == value, (column, cell)
        for cell in row:
            assert not FORMULA.match(cell)
            assert "\r" not in cell and "\x1b" not in cell
