"""Passages of an article: sentences and paragraphs as logical (start, end) offsets.

A sentence ends at . ! ? ؟ … (and the closing quotes or brackets right after), or at the end
of a paragraph. Offsets are code points into the text given; whitespace between sentences
belongs to none, so a sentence span never starts or ends with a space.
"""

from __future__ import annotations

import re

_SENTENCE = re.compile(
    r"[^\s].*?(?:[.!?؟…]+[\"'”’»)\]]*(?=\s|$)|$)",
    re.S | re.M,
)


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans, in order, covering every non-blank stretch of ``text``."""
    spans: list[tuple[int, int]] = []
    position = 0
    for paragraph in text.split("\n"):
        for match in _SENTENCE.finditer(paragraph):
            start, end = match.span()
            while end > start and paragraph[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append((position + start, position + end))
        position += len(paragraph) + 1
    return spans


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans (one a line of the body), skipping blank ones."""
    spans: list[tuple[int, int]] = []
    position = 0
    for paragraph in text.split("\n"):
        if paragraph.strip():
            spans.append((position, position + len(paragraph)))
        position += len(paragraph) + 1
    return spans


def sentence_at(spans: list[tuple[int, int]], offset: int) -> int:
    """Index of the sentence holding ``offset`` (or the next one after it); -1 if none."""
    for index, (start, end) in enumerate(spans):
        if offset < end or offset <= start:
            return index
    return len(spans) - 1
