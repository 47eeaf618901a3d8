"""Exporting verification notes: schema.org ClaimReview (JSON-LD, :mod:`.claimreview`), W3C
Web Annotations (:mod:`.webannotation`), a Markdown report, CSV.

Each exporter takes the notes grouped by article (:class:`ArticleNotes`) and returns text; the
caller decides where it goes. ClaimReview holds only rated notes (a verdict whose rating in
``config.verdicts`` is above 0, so never ``unverified``); the report and the CSV hold every note,
orphaned ones (passage no longer found) included and marked.

Article text is untrusted: no exporter ever writes a character a terminal acts on. The JSON
escapes them (``\\u001b``: nothing is lost); the report and the CSV, which people read and
spreadsheets open, draw control characters as visible symbols (ESC as ``␛``), as the app does.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from datetime import date

from reader.core.notes.anchoring import Anchor
from reader.core.notes.article_notes import ArticleNotes, number, rating_bounds
from reader.core.notes.claimreview import (
    ReviewSettings,
    claimreview,
    claimreview_json,
    claimreview_warnings,
)
from reader.core.notes.note import Note
from reader.core.text.sanitize import one_line, sanitize

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "ArticleNotes",
    "ReviewSettings",
    "claimreview",
    "claimreview_json",
    "claimreview_warnings",
    "csv_report",
    "markdown_report",
    "rating_bounds",
]

FORMATS = ("claimreview", "webannotation", "markdown", "csv")

CSV_COLUMNS = (
    "article_id",
    "article_title",
    "outlet",
    "article_url",
    "note_id",
    "verdict",
    "rating",
    "claim",
    "quote",
    "start",
    "end",
    "anchor",
    "note",
    "tags",
    "evidence",
    "author",
    "created",
    "updated",
    "conflict_of",
    "article_author",  # last: columns are only ever added at the end, so sheets keep working
)


# Characters that format, link, open HTML or an entity, or start a table or fence anywhere;
# ":" so that a URL in the text is not made a link by renderers that link bare URLs (GFM).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!&~:])")
# What starts a block only at the start of a line: list items, setext underlines, ordered lists.
_BLOCK_START = re.compile(r"^(?:([-+=])|(\d{1,9})([.)]))")
# An article or evidence URL that may become a link: http(s) or mailto, nothing that ends it.
_LINKABLE = re.compile(r"(?:https?://|mailto:)[^\s<>`]+", re.IGNORECASE)


def markdown_text(text: str) -> str:
    """Untrusted text made inert inline in Markdown, on one line: control characters drawn as
    symbols, every run of whitespace (line breaks included) one space, and each character that
    could format, link, embed an image, open HTML or an entity, or start a block (a heading,
    list, quote, table, fence or rule) backslash-escaped, so it renders as written. The colon
    is escaped too, so a renderer that links bare URLs (GitHub's) leaves ``https://…`` in the
    text alone."""
    line = one_line(" ".join(sanitize(text).split()))  # bidi embeddings etc. drawn as �
    return _escape(line)


def _escape(line: str) -> str:
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", line)
    return _BLOCK_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", escaped)


def markdown_lines(text: str) -> list[str]:
    """Untrusted multi-line text as the lines of one Markdown paragraph that renders each line
    as written: every line made inert as :func:`markdown_text` does (but keeping its inner
    spacing), leading blanks turned into no-break spaces (never an indented code block), an
    empty line into a lone hard line break (never the end of the paragraph), and a hard line
    break (a trailing backslash) after every line but the last. Empty lines at either end are
    left out; text with nothing but whitespace is one no-break space. Prefix each line with
    ``"> "`` to quote it; the result can never leave its paragraph or quote."""
    lines = []
    for raw in sanitize(text).split("\n"):
        body = raw.strip()
        indent = "\u00a0" * (len(raw.rstrip()) - len(body))
        lines.append(indent + _escape(body))
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    if not lines:
        return ["&#160;"]
    return [line + "\\" for line in lines[:-1]] + lines[-1:]


def markdown_code(text: str) -> str:
    """Untrusted text as one inline code span (whitespace collapsed as in
    :func:`markdown_text`): fenced with more backticks than any run inside it, so nothing in it
    can close it early."""
    line = one_line(" ".join(sanitize(text).split())) or " "
    fence = "`" * (max((len(run) for run in re.findall(r"`+", line)), default=0) + 1)
    pad = " " if line.startswith("`") or line.endswith("`") else ""
    return f"{fence}{pad}{line}{pad}{fence}"


def markdown_link(url: str) -> str:
    """An untrusted URL as an autolink when it is http, https or mailto and holds nothing that
    could end the link early (whitespace, ``<``, ``>``, a backtick, a control character) or
    turn its text around (a bidi embedding, override or isolate); anything else
    (``javascript:``, a relative path, an article id) as inline code, never a link."""
    text = sanitize(url).strip()
    if _LINKABLE.fullmatch(text) and one_line(text) == text:
        return f"<{text}>"
    return markdown_code(url)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def markdown_report(
    groups: Sequence[ArticleNotes], verdicts: Mapping[str, float], *, today: date | None = None
) -> str:
    """A report for people: per article, each note's verdict, claim, passage (as a quote),
    note, tags and evidence. Control characters are drawn as visible symbols."""
    best, _worst = rating_bounds(verdicts)
    count = sum(len(group.notes) for group in groups)
    lines = ["# Verification notes", ""]
    stamp = f" on {today.isoformat()}" if today else ""
    summary = f"{_plural(count, 'note')} on {_plural(len(groups), 'article')}"
    lines += [f"{summary}, exported by reader{stamp}.", ""]
    for group in groups:
        article = group.article
        title = article.title if article else "(article no longer in the corpus)"
        lines += [f"## {markdown_text(title)}", ""]
        facts = [markdown_code(group.article_id)]
        if article and article.outlet:
            facts.append(markdown_text(article.outlet))
        if article and article.author:
            facts.append(f"by {markdown_text(article.author)}")
        if article and article.published:
            facts.append(article.published.isoformat())
        if article and article.url:
            facts.append(markdown_link(article.url))
        lines += [" · ".join(facts), ""]
        for note in group.notes:
            lines += _markdown_note(note, group.anchor(note), verdicts, best)
    return sanitize("\n".join(lines).rstrip("\n") + "\n")


def _markdown_note(
    note: Note, where: Anchor, verdicts: Mapping[str, float], best: float
) -> list[str]:
    lines = [f"### {markdown_text(note.verdict)}: {markdown_text(note.claim)}", ""]
    lines += [f"> {line}" for line in markdown_lines(note.quote.exact)]
    lines.append("")
    rating = verdicts.get(note.verdict, 0)
    label = markdown_text(note.verdict)
    verdict = f"**{label}**" if label else "(none)"
    if rating > 0:
        verdict += f" ({number(rating)} of {number(best)})"
    lines.append(f"- Verdict: {verdict}")
    passage = {
        "exact": "where it was",
        "moved": "moved in the article",
        "fuzzy": f"changed in the article (similarity {where.score:.0f})",
        "orphaned": "no longer found in the article (orphaned)",
    }[where.status]
    lines.append(f"- Passage: {passage}")
    if note.tags:
        lines.append(f"- Tags: {', '.join(markdown_text(tag) for tag in note.tags)}")
    by = f"{markdown_text(note.author)}, " if note.author else ""
    lines.append(f"- Note {markdown_text(note.id)}: {by}{note.created:%Y-%m-%d %H:%M %z}")
    if note.conflict_of:
        lines.append(
            f"- Conflict: edited in two places at once; see {markdown_text(note.conflict_of)}"
        )
    lines.append("")
    if note.note.strip():
        lines += markdown_lines(note.note)
        lines.append("")
    if note.evidence:
        lines += ["Evidence:", ""]
        for entry in note.evidence:
            source = markdown_link(entry.url) if entry.url else markdown_code(entry.article)
            item = f"- {source}"
            if entry.quote:
                item += f": “{markdown_text(entry.quote)}”"
            if entry.comment:
                item += f" ({markdown_text(entry.comment)})"
            lines.append(item)
        lines.append("")
    return lines


# What a spreadsheet may take as the start of a formula: = + - @ (also as full-width and small
# forms, which some spreadsheets and input methods fold to them, and the minus sign), tab and
# CR; looked for after anything invisible or blank in front of them: bidi marks, embeddings
# and isolates, a BOM, zero-width characters, whitespace.
_FORMULA = re.compile(
    "^[\\s\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]*"
    "[=+\\-@\t\r\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b\u2212\u240d]"
)


def formula_risk(text: str) -> bool:
    """True when a spreadsheet might run ``text`` as a formula (see :data:`_FORMULA`)."""
    return _FORMULA.match(text) is not None


def _cell(value: object, *, single: bool = False) -> str:
    """A CSV cell; text a spreadsheet might run as a formula (:func:`formula_risk`) gets a
    leading apostrophe, and control characters are drawn as visible symbols; a ``single``
    line field (a title, an outlet, an id...) as :func:`one_line` draws it (a bidi override
    in a title would turn the rest of the printed row around)."""
    text = one_line(str(value)) if single else sanitize(str(value))
    return "'" + text if formula_risk(text) else text


# The CSV columns that hold text of several lines (drawn by sanitize: a quote's own bidi
# controls are its text); every other column is one line.
_MULTI_LINE = frozenset({"quote", "note", "evidence"})


def csv_report(groups: Sequence[ArticleNotes], verdicts: Mapping[str, float]) -> str:
    """Every note as one CSV row (columns :data:`CSV_COLUMNS`, header first). No cell starts
    a formula, whatever invisible or blank characters come first (:func:`formula_risk`).
    Write it with a leading BOM (``--bom``) for spreadsheet programs that guess the encoding,
    or Arabic may be garbled."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for group in groups:
        article = group.article
        for note in group.notes:
            evidence = "\n".join(
                " | ".join(part for part in (e.source, e.quote, e.comment) if part)
                for e in note.evidence
            )
            row = [
                group.article_id,
                article.title if article else "",
                article.outlet if article else "",
                article.url if article else "",
                note.id,
                note.verdict,
                number(verdicts.get(note.verdict, 0)),
                note.claim,
                note.quote.exact,
                note.position.start,
                note.position.end,
                group.anchor(note).status,
                note.note,
                "; ".join(note.tags),
                evidence,
                note.author,
                note.created.isoformat(),
                note.updated.isoformat(),
                note.conflict_of,
                article.author if article else "",
            ]
            cells = zip(CSV_COLUMNS, row, strict=True)
            writer.writerow([_cell(v, single=c not in _MULTI_LINE) for c, v in cells])
    return out.getvalue()
