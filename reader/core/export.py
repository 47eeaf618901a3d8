"""Exporting verification notes: schema.org ClaimReview (JSON-LD), a Markdown report, CSV.

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
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from reader.core.anchoring import Anchor, anchor
from reader.core.article import Article
from reader.core.note import Note
from reader.core.safe_text import json_text, printable

FORMATS = ("claimreview", "markdown", "csv")

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
)


@dataclass(frozen=True, slots=True)
class ArticleNotes:
    """The notes of one article, with the article (None when it left the corpus)."""

    article_id: str
    article: Article | None
    notes: tuple[Note, ...]

    def anchor(self, note: Note) -> Anchor:
        """Where the note's passage is in the article now (orphaned without the article)."""
        if self.article is None:
            return Anchor("orphaned")
        return anchor(note.quote, note.position, self.article.body)


def rating_bounds(verdicts: Mapping[str, float]) -> tuple[float, float]:
    """(best, worst) rating of the scale, counting only ratings above 0 (0 = not rated)."""
    rated = [value for value in verdicts.values() if value > 0]
    if not rated:
        return (0, 0)
    return (max(rated), min(rated))


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def review_url(note: Note, template: str | None = None) -> str:
    """The ClaimReview's ``url``: ``template`` with ``{article}`` and ``{note}`` filled in, or
    else a stable ``urn:uuid:`` name derived from the article and note ids."""
    if template:
        return template.format(article=note.article_id, note=note.id)
    name = f"reader:note:{note.article_id}:{note.id}"
    return uuid.uuid5(uuid.NAMESPACE_URL, name).urn


def claimreview(
    groups: Sequence[ArticleNotes],
    verdicts: Mapping[str, float],
    *,
    author: str = "",
    url_template: str | None = None,
) -> list[dict[str, Any]]:
    """One ClaimReview object per rated note. ``author`` stands in for notes without one;
    properties whose value is unknown (an article without url or outlet) are left out."""
    best, worst = rating_bounds(verdicts)
    reviews: list[dict[str, Any]] = []
    for group in groups:
        for note in group.notes:
            rating = verdicts.get(note.verdict, 0)
            if rating <= 0:
                continue
            review: dict[str, Any] = {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": review_url(note, url_template),
                "identifier": note.id,
                "claimReviewed": note.claim,
                "reviewRating": {
                    "@type": "Rating",
                    "alternateName": note.verdict,
                    "ratingValue": _number(rating),
                    "bestRating": _number(best),
                    "worstRating": _number(worst),
                },
                "itemReviewed": _claim(group.article, note),
                "datePublished": note.created.date().isoformat(),
                "dateModified": note.updated.date().isoformat(),
            }
            name = note.author or author
            if name:
                review["author"] = {"@type": "Person", "name": name}
            reviews.append(review)
    return reviews


def _claim(article: Article | None, note: Note) -> dict[str, Any]:
    claim: dict[str, Any] = {"@type": "Claim"}
    if article is None:
        return claim
    outlet = {"@type": "Organization", "name": article.outlet} if article.outlet else None
    appearance: dict[str, Any] = {"@type": "CreativeWork", "headline": article.title}
    if article.url:
        appearance["url"] = article.url
    if outlet:
        appearance["publisher"] = outlet
        claim["author"] = outlet
    if article.published:
        appearance["datePublished"] = article.published.isoformat()
        claim["datePublished"] = article.published.isoformat()
    claim["appearance"] = [appearance]
    return claim


def claimreview_json(
    groups: Sequence[ArticleNotes],
    verdicts: Mapping[str, float],
    *,
    author: str = "",
    url_template: str | None = None,
) -> str:
    """The ClaimReview objects as a JSON-LD array (UTF-8 text, indented; characters a terminal
    would act on are \\u escapes)."""
    reviews = claimreview(groups, verdicts, author=author, url_template=url_template)
    return json_text(reviews, indent=2) + "\n"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def markdown_text(text: str) -> str:
    """Untrusted text made inert in Markdown: characters that would format, link or open HTML
    are backslash-escaped; everything else is left as written."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


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
        facts = [f"`{group.article_id.replace('`', '')}`"]
        if article and article.outlet:
            facts.append(markdown_text(article.outlet))
        if article and article.published:
            facts.append(article.published.isoformat())
        if article and article.url:
            facts.append(f"<{article.url.replace('>', '%3E')}>")
        lines += [" · ".join(facts), ""]
        for note in group.notes:
            lines += _markdown_note(note, group.anchor(note), verdicts, best)
    return printable("\n".join(lines).rstrip("\n") + "\n")


def _markdown_note(
    note: Note, where: Anchor, verdicts: Mapping[str, float], best: float
) -> list[str]:
    claim = " ".join(note.claim.split())
    lines = [f"### {markdown_text(note.verdict)}: {markdown_text(claim)}", ""]
    lines += [f"> {markdown_text(line)}".rstrip() for line in note.quote.exact.split("\n")]
    lines.append("")
    rating = verdicts.get(note.verdict, 0)
    verdict = f"**{markdown_text(note.verdict)}**"
    if rating > 0:
        verdict += f" ({_number(rating)} of {_number(best)})"
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
        lines += [markdown_text(line) for line in note.note.strip("\n").split("\n")]
        lines.append("")
    if note.evidence:
        lines += ["Evidence:", ""]
        for entry in note.evidence:
            item = f"- {markdown_text(entry.source)}"
            if entry.quote:
                item += f": “{markdown_text(' '.join(entry.quote.split()))}”"
            if entry.comment:
                item += f" ({markdown_text(' '.join(entry.comment.split()))})"
            lines.append(item)
        lines.append("")
    return lines


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """A CSV cell; text a spreadsheet would run as a formula gets a leading apostrophe, and
    control characters are drawn as visible symbols."""
    text = printable(str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_report(groups: Sequence[ArticleNotes], verdicts: Mapping[str, float]) -> str:
    """Every note as one CSV row (columns :data:`CSV_COLUMNS`, header first)."""
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
                _number(verdicts.get(note.verdict, 0)),
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
            ]
            writer.writerow([_cell(value) for value in row])
    return out.getvalue()
