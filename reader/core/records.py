"""Records: the one schema for what reader hands out as data (an article, a search hit, an
event, a note, a comparison with its divergences).

Every ``--json`` output of the CLI is made of these records, and the app and the exports may use
them too. Each is a frozen dataclass built from the core's own objects (``from_...``), with
:meth:`as_dict` (plain JSON types, keys in a fixed order) and :meth:`to_json` (one line, real
Unicode, the characters a terminal may act on escaped: see
:func:`reader.core.text.sanitize.json_line`). Field names are those the CLI has always printed;
callers may rely on them staying. Dates are ISO strings (``YYYY-MM-DD``) or None; scores are
rounded to 4 places.

Part of the library layer: it may import every core package.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from reader.core.text.sanitize import json_line

if TYPE_CHECKING:  # only read, never built here: importing records stays cheap
    from reader.core.config_checks import OutletPlace
    from reader.core.events.alignment import Alignment, Passage
    from reader.core.events.coverage import Coverage
    from reader.core.events.divergences import Divergence
    from reader.core.events.grouping import Event
    from reader.core.notes.anchoring import Anchor
    from reader.core.notes.note import Note
    from reader.core.search.hits import Hit
    from reader.core.sources.article import Article


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


class _Record:
    """What every record does: as a dict, and as one JSON line."""

    __slots__ = ()

    def as_dict(self) -> dict[str, Any]:
        raise NotImplementedError

    def to_json(self) -> str:
        """The record as one line of JSON, safe to print."""
        return json_line(self.as_dict())


@dataclass(frozen=True, slots=True)
class ArticleRecord(_Record):
    """An article's metadata, with its body only when asked for (``reader show``)."""

    id: str
    title: str
    outlet: str
    lang: str
    published: str | None
    url: str
    source: str
    author: str = ""
    body: str | None = None

    @classmethod
    def from_article(cls, article: Article, *, body: bool = False) -> ArticleRecord:
        """The record of ``article``; ``body`` includes its text."""
        return cls(
            id=article.id,
            title=article.title,
            outlet=article.outlet,
            lang=article.lang,
            published=_day(article.published),
            url=article.url,
            source=article.source,
            author=article.author,
            body=article.body if body else None,
        )

    def as_dict(self) -> dict[str, Any]:
        """id, title, outlet, author, lang, published, url, source (and body when included)."""
        record: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "author": self.author,
            "lang": self.lang,
            "published": self.published,
            "url": self.url,
            "source": self.source,
        }
        if self.body is not None:
            record["body"] = self.body
        return record


@dataclass(frozen=True, slots=True)
class HitRecord(_Record):
    """A search result: the article's metadata, its score and a snippet with the matched
    words' (start, end) offsets (``marks`` in the snippet, ``title_marks`` in the title)."""

    id: str
    title: str
    outlet: str
    lang: str
    published: str | None
    score: float
    snippet: str
    marks: tuple[tuple[int, int], ...]
    title_marks: tuple[tuple[int, int], ...]

    @classmethod
    def from_hit(cls, hit: Hit) -> HitRecord:
        """The record of one search hit."""
        return cls(
            id=hit.id,
            title=hit.title,
            outlet=hit.outlet,
            lang=hit.lang,
            published=_day(hit.published),
            score=round(hit.score, 4),
            snippet=hit.snippet,
            marks=hit.snippet_marks,
            title_marks=hit.title_marks,
        )

    def as_dict(self) -> dict[str, Any]:
        """id, title, outlet, lang, published, score, snippet, marks, title_marks."""
        return {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "lang": self.lang,
            "published": self.published,
            "score": self.score,
            "snippet": self.snippet,
            "marks": [list(m) for m in self.marks],
            "title_marks": [list(m) for m in self.title_marks],
        }


@dataclass(frozen=True, slots=True)
class EventRecord(_Record):
    """An event with its articles (their metadata, without bodies) and who reported it
    (:mod:`reader.core.events.coverage`)."""

    id: str
    label: str
    start: str | None
    end: str | None
    entities: tuple[str, ...]
    cohesion: float
    confirmed: bool
    decided: bool
    articles: tuple[ArticleRecord, ...]
    coverage: Coverage

    @classmethod
    def from_event(
        cls,
        event: Event,
        by_id: Mapping[str, Article],
        outlets: Mapping[str, OutletPlace] | None = None,
    ) -> EventRecord:
        """The record of ``event``; ``by_id`` holds (at least) its articles; ``outlets`` is
        the config's ``[outlets]`` (sides), none by default."""
        from reader.core.events.coverage import coverage_of

        members = [by_id[i] for i in event.article_ids]
        return cls(
            id=event.id,
            label=event.label,
            start=_day(event.start),
            end=_day(event.end),
            entities=event.entities,
            cohesion=round(event.cohesion, 4),
            confirmed=event.confirmed,
            decided=event.decided,
            articles=tuple(ArticleRecord.from_article(a) for a in members),
            coverage=coverage_of(members, outlets or {}),
        )

    def as_dict(self) -> dict[str, Any]:
        """id, label, size, start, end, entities, cohesion, confirmed, decided, articles,
        coverage (outlets, no_outlet, languages, sides, countries, no_side: name -> articles
        and counts of articles; one_sided: the one side or None; blind: the other sides)."""
        return {
            "id": self.id,
            "label": self.label,
            "size": len(self.articles),
            "start": self.start,
            "end": self.end,
            "entities": list(self.entities),
            "cohesion": self.cohesion,
            "confirmed": self.confirmed,
            "decided": self.decided,
            "articles": [a.as_dict() for a in self.articles],
            "coverage": _coverage(self.coverage),
        }


def _coverage(coverage: Coverage) -> dict[str, Any]:
    return {
        "outlets": dict(coverage.outlets),
        "no_outlet": coverage.no_outlet,
        "languages": dict(coverage.languages),
        "sides": dict(coverage.sides),
        "countries": dict(coverage.countries),
        "no_side": coverage.no_side,
        "one_sided": coverage.one_sided or None,
        "blind": list(coverage.blind),
    }


@dataclass(frozen=True, slots=True)
class NoteRecord(_Record):
    """A note, its verdict's rating on the configured scale and where its passage is now
    (``anchor``). ``article`` is the article's id (as in the notes files)."""

    note: Note
    anchor: Anchor
    rating: float

    @classmethod
    def from_note(cls, note: Note, anchor: Anchor, verdicts: Mapping[str, float]) -> NoteRecord:
        """The record of ``note`` found at ``anchor``, rated on the scale ``verdicts``."""
        return cls(note, anchor, verdicts.get(note.verdict, 0))

    def as_dict(self) -> dict[str, Any]:
        """article, id, verdict, rating, claim, quote, prefix, suffix, start, end, anchor
        (status, start, end, score), note, tags, evidence, author, created, updated,
        conflict_of, claimant, claimant_url, review_url."""
        note, where = self.note, self.anchor
        return {
            "article": note.article_id,
            "id": note.id,
            "verdict": note.verdict,
            "rating": self.rating,
            "claim": note.claim,
            "quote": note.quote.exact,
            "prefix": note.quote.prefix,
            "suffix": note.quote.suffix,
            "start": note.position.start,
            "end": note.position.end,
            "anchor": {
                "status": where.status,
                "start": where.start,
                "end": where.end,
                "score": round(where.score, 1),
            },
            "note": note.note,
            "tags": list(note.tags),
            "evidence": [
                {"url": e.url, "article": e.article, "quote": e.quote, "comment": e.comment}
                for e in note.evidence
            ],
            "author": note.author,
            "created": note.created.isoformat(),
            "updated": note.updated.isoformat(),
            "conflict_of": note.conflict_of,
            "claimant": note.claimant,
            "claimant_url": note.claimant_url,
            "review_url": note.review_url,
        }


def _passage(alignment: Alignment, passage: Passage) -> dict[str, Any]:
    return {
        "article_id": passage.article_id,
        "paragraph": passage.index,
        "start": passage.start,
        "end": passage.end,
        "text": alignment.text(passage),
    }


@dataclass(frozen=True, slots=True)
class DivergenceRecord(_Record):
    """One fact across the compared articles: its kind, status (shared, only, conflict), a
    description, and where each article states it (offsets into its body)."""

    divergence: Divergence

    def as_dict(self) -> dict[str, Any]:
        """kind, status, description, facts (article_id, paragraph, start, end, text, value)."""
        d = self.divergence
        return {
            "kind": d.kind,
            "status": d.status,
            "description": d.description,
            "facts": [
                {
                    "article_id": r.article_id,
                    "paragraph": r.paragraph,
                    "start": r.start,
                    "end": r.end,
                    "text": r.text,
                    "value": r.value,
                }
                for r in d.refs
            ],
        }


@dataclass(frozen=True, slots=True)
class ComparisonRecord(_Record):
    """Articles compared passage by passage: each pivot passage with its best match in every
    other article (or None), and the divergences."""

    alignment: Alignment
    divergences: tuple[Divergence, ...]

    @classmethod
    def of(cls, alignment: Alignment, divergences: Sequence[Divergence]) -> ComparisonRecord:
        """The record of one comparison."""
        return cls(alignment, tuple(divergences))

    def as_dict(self) -> dict[str, Any]:
        """articles (article records), alignment (pivot and matches, each a passage with
        article_id, paragraph, start, end, text; matches add score and shared), divergences."""
        alignment = self.alignment
        rows = []
        for row in alignment.rows:
            matches: list[dict[str, Any] | None] = []
            for match in row.matches:
                if match is None:
                    matches.append(None)
                    continue
                record = _passage(alignment, match.passage)
                record.update(score=round(match.score, 4), shared=list(match.shared))
                matches.append(record)
            rows.append({"pivot": _passage(alignment, row.pivot), "matches": matches})
        return {
            "articles": [ArticleRecord.from_article(a).as_dict() for a in alignment.articles],
            "alignment": rows,
            "divergences": [DivergenceRecord(d).as_dict() for d in self.divergences],
        }
