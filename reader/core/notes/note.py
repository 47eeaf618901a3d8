"""The verification note: a fact-checker's verdict on one passage of one article.

Notes are immutable values; change one with :func:`dataclasses.replace` and hand it to
:meth:`reader.core.notes.store.NotesStore.update`. Text fields hold exactly what was written (no
normalisation here), so a note read back from its file equals the note that was saved.
"""

from __future__ import annotations

import secrets
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime

from reader.core.notes.anchoring import TextPositionSelector, TextQuoteSelector

UNVERIFIED = "unverified"

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@dataclass(frozen=True, slots=True)
class Evidence:
    """One piece of evidence: a web page (``url``) or another article of the corpus
    (``article``, its id), with an optional quote from it and a comment. At least one of
    ``url`` and ``article`` is set."""

    url: str = ""
    article: str = ""
    quote: str = ""
    comment: str = ""

    @property
    def source(self) -> str:
        """The URL, or the article id when there is no URL."""
        return self.url or self.article


@dataclass(frozen=True, slots=True)
class Note:
    """A verification note on the passage ``quote.exact`` of article ``article_id``.

    ``claim`` is the checkable statement (a new note's claim is its passage). ``verdict`` is a
    name from the configured scale (``config.verdicts``). ``conflict_of`` is set on the copy
    kept when the same note was edited in two places at once: it names the note it conflicts
    with, and the two wait for a person to keep one. ``created``/``updated`` carry a UTC offset.
    ``claimant`` (and ``claimant_url``) name who made the claim, which may not be the outlet
    that reported it; ``review_url`` is the page that publishes this fact check. All three are
    optional ("" when unknown) and left out of the file when empty.
    """

    id: str
    article_id: str
    quote: TextQuoteSelector
    position: TextPositionSelector
    created: datetime
    updated: datetime
    claim: str = ""
    verdict: str = UNVERIFIED
    evidence: tuple[Evidence, ...] = ()
    note: str = ""
    tags: tuple[str, ...] = ()
    author: str = ""
    conflict_of: str = ""
    claimant: str = ""
    claimant_url: str = ""
    review_url: str = ""

    @property
    def exact(self) -> str:
        """The quoted passage."""
        return self.quote.exact

    def same_content(self, other: Note) -> bool:
        """True when the two differ at most in ``updated`` (and in nothing a person wrote)."""
        if self is other:
            return True
        return all(
            _same(getattr(self, f.name), getattr(other, f.name))
            for f in fields(self)
            if f.name != "updated"
        )

    def identical(self, other: Note) -> bool:
        """True when every field is equal, time offsets included."""
        if self is other:
            return True
        return self.same_content(other) and _same(self.updated, other.updated)

    def same_text(self, other: Note) -> bool:
        """True when the two say the same thing, whatever their ids: how a conflict copy is
        recognised so that merging twice never makes two copies."""
        skip = {"id", "updated", "conflict_of"}
        return all(
            _same(getattr(self, f.name), getattr(other, f.name))
            for f in fields(self)
            if f.name not in skip
        )


def _same(mine: object, theirs: object) -> bool:
    # Aware datetimes compare equal across offsets; a note should keep the offset it was
    # written with, so a changed offset counts as a change.
    if isinstance(mine, datetime) and isinstance(theirs, datetime):
        return mine == theirs and mine.utcoffset() == theirs.utcoffset()
    return mine == theirs


def now() -> datetime:
    """The current local time with its UTC offset, to the second (as notes record it)."""
    return datetime.now().astimezone().replace(microsecond=0)


def new_note_id() -> str:
    """A new note id: a ULID (26 characters of Crockford base32, sortable by creation time,
    80 random bits), so ids made by two processes at once do not collide."""
    value = (int(time.time() * 1000) << 80) | secrets.randbits(80)
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def off_the_scale(notes: Iterable[Note], verdicts: Mapping[str, float]) -> str:
    """ "" when every note's verdict is on the scale ``verdicts``; else one line for people
    naming the verdicts that are not, with their counts, most frequent first (``'bogus' (2),
    'rated-x' (1)``): such notes are kept and shown as they are, but never rated."""
    counts = Counter(note.verdict for note in notes if note.verdict not in verdicts)
    if not counts:
        return ""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    total = sum(counts.values())
    names = ", ".join(f"{verdict!r} ({n})" for verdict, n in ranked[:10])
    more = f" and {len(ranked) - 10} more" if len(ranked) > 10 else ""
    noun = "note has" if total == 1 else "notes have"
    return f"{total} {noun} a verdict not in [notes.verdicts]: {names}{more}"
