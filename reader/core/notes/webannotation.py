"""W3C Web Annotations (JSON-LD, the Web Annotation Data Model) out of notes and back.

Each note is one ``Annotation`` (``@context`` ``http://www.w3.org/ns/anno.jsonld``) with
motivation ``assessing``:

- ``target``: a ``SpecificResource`` whose ``source`` is the article's URL (else
  ``urn:x-reader:article:`` and the percent-escaped article id), with two selectors for the same
  passage: ``TextQuoteSelector`` (exact, prefix, suffix) and ``TextPositionSelector`` (start,
  end, in code points of the article's text as reader reads it);
- ``body``: ``TextualBody`` items by ``purpose``: ``assessing`` (the verdict), ``describing``
  (the claim), ``commenting`` (the note text, when there is one), ``tagging`` (each tag), and a
  ``SpecificResource`` with purpose ``linking`` per piece of evidence (its quote as a
  ``TextQuoteSelector`` on the evidence's page);
- ``creator`` (the note's author), ``created``, ``modified`` (with the offset the note has).

What the model has no term for travels as schema.org properties written as full IRIs (which a
JSON-LD processor keeps without any extra context): the note id and article id
(``https://schema.org/identifier`` on the annotation and on its target), the claimant (``author``
and ``sameAs`` on the claim's body), the published check (``url`` on the verdict's body), an
evidence comment (``description``), the note a conflict copy belongs to (``isBasedOn``).

:func:`read_annotations` reads such a document back into notes (the inverse of
:func:`web_annotations`: ``read_annotations(web_annotations(notes)) == notes``); anything else is an
:class:`AnnotationError` naming the annotation and what is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote, unquote

from reader.core.notes.anchoring import TextPositionSelector, TextQuoteSelector
from reader.core.notes.article_notes import ArticleNotes
from reader.core.notes.claimreview import script_safe_json
from reader.core.notes.note import UNVERIFIED, Evidence, Note

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ARTICLE_URN = "urn:x-reader:article:"
ANNOTATION_URN = "urn:x-reader:note:"
SCHEMA = "https://schema.org/"
_ID = SCHEMA + "identifier"


def article_source(article_id: str, url: str = "") -> str:
    """The IRI an annotation targets for an article: its URL, else a URN made of its id."""
    return url or ARTICLE_URN + quote(article_id, safe="")


def annotation(note: Note, url: str = "") -> dict[str, Any]:
    """The Annotation for ``note`` on an article published at ``url`` ("" when unknown)."""
    quote_selector: dict[str, Any] = {"type": "TextQuoteSelector", "exact": note.quote.exact}
    if note.quote.prefix:
        quote_selector["prefix"] = note.quote.prefix
    if note.quote.suffix:
        quote_selector["suffix"] = note.quote.suffix
    target = {
        "type": "SpecificResource",
        "source": article_source(note.article_id, url),
        _ID: note.article_id,
        "selector": [
            quote_selector,
            {
                "type": "TextPositionSelector",
                "start": note.position.start,
                "end": note.position.end,
            },
        ],
    }
    verdict: dict[str, Any] = {"type": "TextualBody", "purpose": "assessing", "value": note.verdict}
    if note.review_url:
        verdict[SCHEMA + "url"] = note.review_url
    claim: dict[str, Any] = {"type": "TextualBody", "purpose": "describing", "value": note.claim}
    if note.claimant:
        claim[SCHEMA + "author"] = note.claimant
    if note.claimant_url:
        claim[SCHEMA + "sameAs"] = note.claimant_url
    body: list[dict[str, Any]] = [verdict, claim]
    if note.note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": note.note})
    body += [{"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in note.tags]
    body += [_evidence(entry) for entry in note.evidence]
    result: dict[str, Any] = {
        "@context": CONTEXT,
        "id": ANNOTATION_URN + quote(note.article_id, safe="") + ":" + quote(note.id, safe=""),
        "type": "Annotation",
        "motivation": "assessing",
        _ID: note.id,
        "created": note.created.isoformat(),
        "modified": note.updated.isoformat(),
        "body": body,
        "target": target,
    }
    if note.author:
        result["creator"] = {"type": "Person", "name": note.author}
    if note.conflict_of:
        result[SCHEMA + "isBasedOn"] = note.conflict_of
    return result


def _evidence(entry: Evidence) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "SpecificResource",
        "purpose": "linking",
        "source": entry.url or article_source(entry.article),
    }
    if entry.article:
        body[_ID] = entry.article
    if entry.quote:
        body["selector"] = {"type": "TextQuoteSelector", "exact": entry.quote}
    if entry.comment:
        body[SCHEMA + "description"] = entry.comment
    return body


def web_annotations(groups: Sequence[ArticleNotes]) -> list[dict[str, Any]]:
    """One Annotation per note, every note (unrated and orphaned ones too), in order."""
    return [
        annotation(note, group.article.url if group.article else "")
        for group in groups
        for note in group.notes
    ]


def annotations_json(groups: Sequence[ArticleNotes]) -> str:
    """The annotations as a JSON-LD array, safe in a terminal and in an HTML script block
    (as :func:`reader.core.notes.claimreview.claimreview_json` is)."""
    return script_safe_json(web_annotations(groups))


# -- reading back ------------------------------------------------------------------------------


class AnnotationError(ValueError):
    """An annotation that cannot become a note; the message says which one and why."""


def read_annotations(text: str) -> list[Note]:
    """The notes in a Web Annotation JSON-LD document as :func:`annotations_json` writes it
    (a list of annotations, one annotation, or an ``AnnotationCollection`` whose ``first``
    page holds ``items``). Raises AnnotationError (with the annotation's number, 1-based)
    for invalid JSON or an annotation reader cannot read: not an Annotation, no note id,
    no article id, no quote or position selector, a time without a UTC offset, the same note
    twice."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise AnnotationError(f"not JSON: {exc}") from exc
    if isinstance(data, dict) and data.get("type") == "AnnotationCollection":
        first = data.get("first")
        data = first.get("items") if isinstance(first, dict) else None
        if not isinstance(data, list):
            raise AnnotationError("an AnnotationCollection without first.items")
    items = data if isinstance(data, list) else [data]
    notes: list[Note] = []
    seen: set[tuple[str, str]] = set()
    for number, item in enumerate(items, start=1):
        try:
            note = _note(item)
        except AnnotationError as exc:
            raise AnnotationError(f"annotation {number}: {exc}") from None
        if (note.article_id, note.id) in seen:
            raise AnnotationError(f"annotation {number}: note {note.id!r} appears twice")
        seen.add((note.article_id, note.id))
        notes.append(note)
    return notes


def _text(node: dict[str, Any], key: str, default: str | None = None) -> str:
    value = node.get(key, default)
    if not isinstance(value, str):
        raise AnnotationError(f"{key} must be a string" if key in node else f"no {key}")
    return value


def _offset(selector: dict[str, Any], key: str) -> int:
    value = selector.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise AnnotationError(f"TextPositionSelector {key} must be a whole number, 0 or more")
    return value


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _time(node: dict[str, Any], key: str) -> datetime:
    try:
        stamp = datetime.fromisoformat(_text(node, key))
    except ValueError as exc:
        raise AnnotationError(f"{key} is not a date-time: {exc}") from exc
    if stamp.tzinfo is None:
        raise AnnotationError(f"{key} needs a UTC offset")
    return stamp


def _note(item: Any) -> Note:
    if not isinstance(item, dict) or "Annotation" not in _listed(item.get("type")):
        raise AnnotationError("not an Annotation (type Annotation)")
    targets = [t for t in _listed(item.get("target")) if isinstance(t, dict)]
    if len(targets) != 1:
        raise AnnotationError("needs exactly one target with selectors")
    target = targets[0]
    article_id = target.get(_ID)
    if not isinstance(article_id, str):
        source = _text(target, "source")
        if not source.startswith(ARTICLE_URN):
            raise AnnotationError(f"target has no {_ID} (the article id)")
        article_id = unquote(source.removeprefix(ARTICLE_URN))
    selectors = {s.get("type"): s for s in _listed(target.get("selector")) if isinstance(s, dict)}
    found = selectors.get("TextQuoteSelector")
    position = selectors.get("TextPositionSelector")
    if found is None or position is None:
        raise AnnotationError("target needs a TextQuoteSelector and a TextPositionSelector")
    start, end = _offset(position, "start"), _offset(position, "end")
    if end < start:
        raise AnnotationError("TextPositionSelector end is before start")
    bodies = [b for b in _listed(item.get("body")) if isinstance(b, dict)]
    by_purpose: dict[str, list[dict[str, Any]]] = {}
    for body in bodies:
        by_purpose.setdefault(str(body.get("purpose", "")), []).append(body)
    verdict = (by_purpose.get("assessing") or [{}])[0]
    claim = (by_purpose.get("describing") or [{}])[0]
    comment = (by_purpose.get("commenting") or [{}])[0]
    exact = _text(found, "exact")
    creator = item.get("creator")
    note_id = _text(item, _ID)
    if not note_id:
        raise AnnotationError("the note id is empty")
    return Note(
        id=note_id,
        article_id=article_id,
        quote=TextQuoteSelector(exact, _text(found, "prefix", ""), _text(found, "suffix", "")),
        position=TextPositionSelector(start, end),
        created=_time(item, "created"),
        updated=_time(item, "modified") if "modified" in item else _time(item, "created"),
        claim=_text(claim, "value", exact),
        verdict=_text(verdict, "value", UNVERIFIED) or UNVERIFIED,
        evidence=tuple(_read_evidence(b) for b in by_purpose.get("linking", [])),
        note=_text(comment, "value", ""),
        tags=tuple(_text(b, "value") for b in by_purpose.get("tagging", [])),
        author=_text(creator, "name", "") if isinstance(creator, dict) else "",
        conflict_of=_text(item, SCHEMA + "isBasedOn", ""),
        claimant=_text(claim, SCHEMA + "author", ""),
        claimant_url=_text(claim, SCHEMA + "sameAs", ""),
        review_url=_text(verdict, SCHEMA + "url", ""),
    )


def _read_evidence(body: dict[str, Any]) -> Evidence:
    source = _text(body, "source")
    article = _text(body, _ID, "")
    url = "" if source.startswith(ARTICLE_URN) else source
    if not url and not article:
        article = unquote(source.removeprefix(ARTICLE_URN))
    selector = body.get("selector")
    said = _text(selector, "exact", "") if isinstance(selector, dict) else ""
    return Evidence(
        url=url, article=article, quote=said, comment=_text(body, SCHEMA + "description", "")
    )
