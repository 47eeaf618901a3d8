"""schema.org ClaimReview (JSON-LD) as Google's Fact Check Explorer reads it.

One review per rated note (a verdict whose rating is above 0, so never ``unverified``):

- ``url``: the page that publishes the fact check: the note's ``review_url``, else
  ``[notes] review_url`` with ``{article}`` and ``{note}`` filled in (percent-escaped); left
  out when neither is set (a warning says so). ``identifier`` is a stable ``urn:uuid:`` made
  from the article and note ids.
- ``reviewRating``: the rating on the configured scale (``bestRating``/``worstRating`` its
  highest and lowest rating above 0; config keeps both at least 1 and apart) with a readable
  label as ``alternateName`` and ``name`` (``[notes.labels]``, else ``Mostly true`` from
  ``mostly-true``).
- ``itemReviewed``: a ``Claim`` whose ``author`` is the claimant (the note's, else the one
  given for the export), its ``datePublished``, ``inLanguage`` and ``appearance`` from the
  article's metadata (URL, outlet, date, title); only what is known is written.
- ``author`` (the fact-checker), ``datePublished``, ``dateModified``, ``inLanguage`` (``[notes]
  language``) and the evidence as ``citation``.

:func:`claimreview_warnings` says, one line per problem, what a consumer will miss or show
badly: no URL, no author or claimant, article metadata missing, a claim over 75 characters or
with line breaks, a claim that is just the quoted passage.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from reader.core.config_notes import default_label
from reader.core.notes.article_notes import ArticleNotes, number, rating_bounds
from reader.core.notes.note import Evidence, Note
from reader.core.sources.article import Article
from reader.core.text.sanitize import json_text

#: Google shows claims up to this many characters without wrapping on a phone.
CLAIM_LIMIT = 75

# Outside strings JSON text has none of these, so escaping them everywhere keeps it valid.
_SCRIPT_UNSAFE = re.compile(r"[<>&\u2028\u2029]")


@dataclass(frozen=True, slots=True)
class ReviewSettings:
    """What a ClaimReview export needs besides the notes. ``author`` is the fact-checker for
    notes without one; ``claimant``/``claimant_url`` who made the claims of notes without a
    claimant; ``article`` looks up an article of the corpus by id (for evidence that is
    another article)."""

    verdicts: Mapping[str, float]
    labels: Mapping[str, str] = field(default_factory=dict)
    author: str = ""
    url_template: str = ""
    language: str = ""
    claimant: str = ""
    claimant_url: str = ""
    article: Callable[[str], Article | None] = lambda _article_id: None

    def label(self, verdict: str) -> str:
        """The verdict's readable label."""
        return self.labels.get(verdict) or default_label(verdict)


def review_identifier(note: Note) -> str:
    """A stable ``urn:uuid:`` name for the review of ``note``, from its article and note ids."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"reader:note:{note.article_id}:{note.id}").urn


def review_url(note: Note, template: str = "") -> str:
    """The page that publishes the check of ``note``: its own ``review_url``, else
    ``template`` with ``{article}`` and ``{note}`` filled in (percent-escaped, so an id with
    ``/``, ``#`` or a space stays one path piece), else ""."""
    if note.review_url:
        return note.review_url
    if not template:
        return ""
    return template.format(article=quote(note.article_id, safe=""), note=quote(note.id, safe=""))


def rated_notes(
    groups: Sequence[ArticleNotes], verdicts: Mapping[str, float]
) -> Iterator[tuple[ArticleNotes, Note, float]]:
    """(group, note, rating) for each note whose verdict is rated (above 0), in order."""
    for group in groups:
        for note in group.notes:
            rating = verdicts.get(note.verdict, 0)
            if rating > 0:
                yield group, note, rating


def claimreview(groups: Sequence[ArticleNotes], settings: ReviewSettings) -> list[dict[str, Any]]:
    """One ClaimReview object per rated note (see the module docstring); properties whose value
    is unknown are left out, never written empty. Raises ValueError for a rating that is not
    a finite number (which config never lets through)."""
    if not all(math.isfinite(rating) for rating in settings.verdicts.values()):
        raise ValueError("every rating of the scale must be a finite number")
    best, worst = rating_bounds(settings.verdicts)
    reviews: list[dict[str, Any]] = []
    for group, note, rating in rated_notes(groups, settings.verdicts):
        label = settings.label(note.verdict)
        review: dict[str, Any] = {"@context": "https://schema.org", "@type": "ClaimReview"}
        url = review_url(note, settings.url_template)
        if url:
            review["url"] = url
        review["identifier"] = review_identifier(note)
        review["claimReviewed"] = note.claim or note.quote.exact
        review["reviewRating"] = {
            "@type": "Rating",
            "ratingValue": number(rating),
            "bestRating": number(best),
            "worstRating": number(worst),
            "alternateName": label,
            "name": label,
        }
        review["itemReviewed"] = _claim(group.article, note, settings)
        author = note.author or settings.author
        if author:
            review["author"] = {"@type": "Person", "name": author}
        review["datePublished"] = note.created.date().isoformat()
        review["dateModified"] = note.updated.date().isoformat()
        if settings.language:
            review["inLanguage"] = settings.language
        citations = [_citation(entry, settings) for entry in note.evidence]
        if citations:
            review["citation"] = citations
        reviews.append(review)
    return reviews


def _claim(article: Article | None, note: Note, settings: ReviewSettings) -> dict[str, Any]:
    claim: dict[str, Any] = {"@type": "Claim"}
    claimant = note.claimant or settings.claimant
    if claimant:
        person: dict[str, Any] = {"@type": "Person", "name": claimant}
        link = note.claimant_url if note.claimant else settings.claimant_url
        if link:
            person["sameAs"] = link
        claim["author"] = person
    if article is None:
        return claim
    if article.published:
        claim["datePublished"] = article.published.isoformat()
    if article.lang in ("ar", "en"):
        claim["inLanguage"] = article.lang
    claim["appearance"] = [_work(article)]
    return claim


def _work(article: Article) -> dict[str, Any]:
    """The article as a schema.org CreativeWork: headline, url, publisher, author, date,
    language (each only when known)."""
    work: dict[str, Any] = {"@type": "CreativeWork", "headline": article.title}
    if article.url:
        work["url"] = article.url
    if article.outlet:
        work["publisher"] = {"@type": "Organization", "name": article.outlet}
    if article.author:
        work["author"] = {"@type": "Person", "name": article.author}
    if article.published:
        work["datePublished"] = article.published.isoformat()
    if article.lang in ("ar", "en"):
        work["inLanguage"] = article.lang
    return work


def _citation(entry: Evidence, settings: ReviewSettings) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if entry.url:
        work["url"] = entry.url
    elif entry.article:
        article = settings.article(entry.article)
        if article is not None:
            work = _work(article)
        work["identifier"] = entry.article
    said = " ".join(
        part for part in (f"“{entry.quote}”" if entry.quote else "", entry.comment) if part
    )
    if said:
        work["description"] = said
    return work


def claimreview_json(groups: Sequence[ArticleNotes], settings: ReviewSettings) -> str:
    """The ClaimReview objects as a JSON-LD array (UTF-8 text, indented; characters a terminal
    would act on are \\u escapes). Safe to paste into a ``<script type="application/ld+json">``
    block of a web page: ``<``, ``>``, ``&``, U+2028 and U+2029 are \\u escapes too, so the
    text holds none of them and no article text can close the script. Raises ValueError for a
    rating that is not a finite number (which config never lets through)."""
    return script_safe_json(claimreview(groups, settings))


def script_safe_json(value: Any) -> str:
    """``value`` as indented JSON text safe in a terminal and inside an HTML script block (see
    :func:`claimreview_json`), ending in a newline."""
    text = json_text(value, indent=2)
    return _SCRIPT_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def claimreview_warnings(groups: Sequence[ArticleNotes], settings: ReviewSettings) -> list[str]:
    """What the reviews lack or show badly, one line each (ids and names as given; the caller
    prints them through a sanitiser): per review, no URL, no author, no claimant, a claim over
    :data:`CLAIM_LIMIT` characters or with line breaks, a claim that is the quoted passage;
    per article, metadata missing for ``appearance``."""
    lines: list[str] = []
    seen: set[str] = set()
    for group, note, _rating in rated_notes(groups, settings.verdicts):
        where = f"note {note.id} on {group.article_id}"
        if not review_url(note, settings.url_template):
            lines.append(
                f"{where}: no url (the page publishing the check); set [notes] review_url "
                'such as "https://example.org/checks/{article}#{note}" or the note\'s review_url'
            )
        if not (note.author or settings.author):
            lines.append(f"{where}: no author (the fact-checker); set [notes] author")
        if not (note.claimant or settings.claimant):
            lines.append(
                f"{where}: no claimant (who made the claim); give --claimant NAME or set the "
                "note's claimant"
            )
        claim = note.claim or note.quote.exact
        if len(claim) > CLAIM_LIMIT:
            lines.append(
                f"{where}: the claim has {len(claim)} characters; Google shows {CLAIM_LIMIT}"
            )
        if "\n" in claim or "\r" in claim or "\u2028" in claim or "\u2029" in claim:
            lines.append(f"{where}: the claim has line breaks; write it on one line")
        if claim == note.quote.exact:
            lines.append(
                f"{where}: the claim is the quoted passage (none was written); write the "
                "checkable claim in the note's claim"
            )
        if group.article_id in seen:
            continue
        seen.add(group.article_id)
        article = group.article
        if article is None:
            lines.append(
                f"article {group.article_id} is no longer in the corpus: its reviews have no "
                "appearance, outlet or date"
            )
            continue
        missing = [
            name
            for name, value in (
                ("url", article.url),
                ("outlet", article.outlet),
                ("date", article.published),
            )
            if not value
        ]
        if missing:
            lines.append(
                f"article {group.article_id} has no {', no '.join(missing)}: the claim's "
                "appearance lacks it (add it to the article's metadata)"
            )
    return lines
