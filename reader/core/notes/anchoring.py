"""Where a note points in an article: W3C Web Annotation selectors, and finding the passage again.

A note targets a passage of ``article.body`` by two selectors (W3C Web Annotation Data Model):

- :class:`TextQuoteSelector`: the passage itself (``exact``) with up to :data:`CONTEXT_CHARS`
  characters before (``prefix``) and after (``suffix``) it;
- :class:`TextPositionSelector`: ``start`` and ``end`` in code points of the logical body.

When the article text changes (a corrected story, a re-scrape, different boilerplate rules),
:func:`anchor` finds the passage again, trying in this order and reporting which one worked:

1. ``exact``: the stored position still holds the quote;
2. ``moved``: the quote occurs elsewhere; of several occurrences, the one whose surrounding
   text agrees best with prefix and suffix wins, then the one nearest the old position;
3. ``fuzzy``: an approximate match (rapidfuzz) of the quote, located with the help of prefix
   and suffix, whose similarity to the quote is at least :data:`FUZZY_THRESHOLD` (0-100, the
   normalised Indel similarity of ``fuzz.ratio``);
4. ``orphaned``: none of these; the note keeps its selectors and is never dropped.

Callers may rely on a resolved span always being a valid slice of the body they passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

CONTEXT_CHARS = 32
"""How many characters of prefix and suffix a new note records."""

FUZZY_THRESHOLD = 85.0
"""Lowest similarity (0-100, ``rapidfuzz.fuzz.ratio`` of the quote and the found span) at which a
changed passage still counts as the note's passage. At 85 a 100-character sentence survives a
changed word or two; a 20-character quote with one of three words replaced does not."""

AnchorStatus = Literal["exact", "moved", "fuzzy", "orphaned"]


@dataclass(frozen=True, slots=True)
class TextQuoteSelector:
    """The passage's text (``exact``) with some text before and after it, as stored."""

    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True, slots=True)
class TextPositionSelector:
    """The passage's span in code points of the logical body: ``body[start:end]``."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a note's passage is in the current article text, and how it was found.

    ``start``/``end`` are None exactly when ``status`` is ``"orphaned"``. ``score`` is 100 for
    exact and moved passages, the similarity for fuzzy ones, and 0 for orphans.
    """

    status: AnchorStatus
    start: int | None = None
    end: int | None = None
    score: float = 0.0

    @property
    def span(self) -> tuple[int, int] | None:
        """``(start, end)``, or None for an orphaned note."""
        if self.start is None or self.end is None:
            return None
        return (self.start, self.end)


ORPHANED = Anchor("orphaned")


def selectors_for(
    body: str, start: int, end: int, *, context: int = CONTEXT_CHARS
) -> tuple[TextQuoteSelector, TextPositionSelector]:
    """The two selectors for ``body[start:end]``. Raises ValueError for an empty or
    out-of-range span."""
    if not 0 <= start < end <= len(body):
        raise ValueError(f"span {start}-{end} is empty or outside the text (length {len(body)})")
    quote = TextQuoteSelector(
        exact=body[start:end],
        prefix=body[max(0, start - context) : start],
        suffix=body[end : end + context],
    )
    return quote, TextPositionSelector(start, end)


def occurrences(body: str, exact: str) -> list[int]:
    """Start offsets of every occurrence of ``exact`` in ``body``, overlapping ones included."""
    found: list[int] = []
    if not exact:
        return found
    at = body.find(exact)
    while at != -1:
        found.append(at)
        at = body.find(exact, at + 1)
    return found


def _context_agreement(body: str, at: int, length: int, quote: TextQuoteSelector) -> int:
    """How many characters of prefix (read backwards) and suffix agree around ``at``."""
    agree = 0
    before = body[max(0, at - len(quote.prefix)) : at]
    for mine, theirs in zip(reversed(quote.prefix), reversed(before), strict=False):
        if mine != theirs:
            break
        agree += 1
    after = body[at + length : at + length + len(quote.suffix)]
    for mine, theirs in zip(quote.suffix, after, strict=False):
        if mine != theirs:
            break
        agree += 1
    return agree


def anchor(
    quote: TextQuoteSelector,
    position: TextPositionSelector,
    body: str,
    *,
    threshold: float = FUZZY_THRESHOLD,
) -> Anchor:
    """Find the passage of a note in ``body``; see the module docstring for the order."""
    exact = quote.exact
    if not exact or not body:
        return ORPHANED
    start = position.start
    if start >= 0 and body[start : start + len(exact)] == exact:
        return Anchor("exact", start, start + len(exact), 100.0)
    found = occurrences(body, exact)
    if found:
        best = min(
            found,
            key=lambda at: (-_context_agreement(body, at, len(exact), quote), abs(at - start), at),
        )
        return Anchor("moved", best, best + len(exact), 100.0)
    return _fuzzy(quote, body, threshold)


def _fuzzy(quote: TextQuoteSelector, body: str, threshold: float) -> Anchor:
    """Approximate match: locate the region with the context, then fit the span to the quote."""
    from rapidfuzz import fuzz

    exact = quote.exact
    candidates: list[tuple[int, int]] = []
    # The quote with its context pins down the region even when the quote alone is short or
    # common; the quote alone still finds it when the surrounding text changed too.
    for needle, offset in ((quote.prefix + exact + quote.suffix, len(quote.prefix)), (exact, 0)):
        found = fuzz.partial_ratio_alignment(needle, body)
        if found is None:
            continue
        # Map the quote's place in the needle onto the body, ignoring insertions/deletions
        # (the refinement below absorbs them).
        shift = found.dest_start - found.src_start
        candidates.append((shift + offset, shift + offset + len(exact)))
    best = ORPHANED
    for start, end in candidates:
        span_start, span_end, score = _refine(exact, body, start, end)
        if score > best.score:
            best = Anchor("fuzzy", span_start, span_end, score)
    if best.score < threshold or best.start is None or best.start == best.end:
        return ORPHANED
    return best


def _refine(exact: str, body: str, start: int, end: int) -> tuple[int, int, float]:
    """Move the span's ends (coordinate ascent) to maximise its similarity to the quote."""
    from rapidfuzz import fuzz

    size = len(body)
    start = min(max(start, 0), size)
    end = min(max(end, start), size)
    slack = min(64, max(8, len(exact) // 4))
    score = fuzz.ratio(exact, body[start:end])
    for _round in range(3):
        improved = False
        for lo in range(max(0, start - slack), min(end, start + slack + 1)):
            trial = fuzz.ratio(exact, body[lo:end])
            if trial > score:
                start, score, improved = lo, trial, True
        for hi in range(max(start, end - slack), min(size, end + slack) + 1):
            trial = fuzz.ratio(exact, body[start:hi])
            if trial > score:
                end, score, improved = hi, trial, True
        if not improved:
            break
    return start, end, float(score)
