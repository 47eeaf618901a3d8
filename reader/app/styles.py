"""Styles shared by more than one widget: how a note's verdict marks its passage, and marks
that must not underline Arabic (:func:`underline_free`)."""

from __future__ import annotations

from collections.abc import Iterable

from reader.core.text.arabic import WORD_MARK_CHARS, is_arabic_letter
from reader.core.text.layout import Span

# Readable on dark and light themes: dark text on light tints (white on the dark red).
VERDICT_STYLES = {
    "true": "black on #a3d9a5",
    "mostly-true": "black on #c8e6a0",
    "mixed": "black on #ffd479",
    "misleading": "black on #f4a261",
    "mostly-false": "black on #f08a5d",
    "false": "white on #b03a2e",
    "unsupported": "black on #c3b1e1",
    "unverified": "black on #aec6cf",
}


def verdict_style(verdict: str) -> str:
    """The style that marks a passage with this verdict."""
    return VERDICT_STYLES.get(verdict, "black on #d0d0d0")


# An underline runs through the dots below Arabic letters (ب ت ي ج ن): over Arabic, a style
# that underlines marks the text with a background instead.
UNDERLINE_TINT_DARK = "on #3e4451"
UNDERLINE_TINT_LIGHT = "on #d5dbe5"


def arabic_runs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The stretches of ``text[start:end]`` that are Arabic words: runs of Arabic letters and
    the marks on them (:func:`reader.core.text.arabic.is_arabic_letter`, ``WORD_MARK_CHARS``),
    the spaces and punctuation between two Arabic words included. Ascending, disjoint."""
    runs: list[tuple[int, int]] = []
    run_start = last = -1
    for index in range(max(0, start), min(end, len(text))):
        char = text[index]
        if is_arabic_letter(char) or (char in WORD_MARK_CHARS and last == index - 1):
            if run_start < 0:
                run_start = index
            last = index
        elif char.isalnum() and run_start >= 0:  # a Latin letter or a digit ends the run
            runs.append((run_start, last + 1))
            run_start = -1
    if run_start >= 0:
        runs.append((run_start, last + 1))
    return runs


def underline_free(text: str, spans: Iterable[Span], *, dark: bool = True) -> list[Span]:
    """``spans`` with every underlining one split: its parts over Arabic words
    (:func:`arabic_runs`) get the style without the underline, reversed when it has a colour
    of its own (a fact's status colour becomes a background), else a tint of the theme.

    A tint goes first in the result, under every other span: it only marks what no other span
    colours (the search hit inside the sentence under the cursor keeps its background; over
    the tint it was black on a dark grey, and in 16 colours bold black on grey, unreadable).
    Every other span keeps its place in the order."""
    tint = UNDERLINE_TINT_DARK if dark else UNDERLINE_TINT_LIGHT
    tints: list[Span] = []
    out: list[Span] = []
    for span in spans:
        words = span.style.split()
        if "underline" not in words:
            out.append(span)
            continue
        runs = arabic_runs(text, span.start, span.end)
        if not runs:
            out.append(span)
            continue
        rest = [w for w in words if w != "underline"]
        coloured = any(not w.startswith(("bold", "italic", "dim", "on")) for w in rest)
        marked = " ".join([*rest, "reverse"] if coloured else [*rest, tint])
        at = span.start
        for lo, hi in runs:
            if lo > at:
                out.append(Span(at, lo, span.style))
            (out if coloured else tints).append(Span(lo, hi, marked))
            at = hi
        if at < span.end:
            out.append(Span(at, span.end, span.style))
    return tints + out
