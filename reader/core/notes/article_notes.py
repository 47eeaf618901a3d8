"""What every export starts from: the notes of one article, with the article, and the
verdict scale's bounds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from reader.core.notes.anchoring import Anchor, anchor
from reader.core.notes.note import Note
from reader.core.sources.article import Article


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


def number(value: float) -> int | float:
    """A rating as JSON shows it best: 4 rather than 4.0."""
    return int(value) if float(value).is_integer() else value
