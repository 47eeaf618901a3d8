"""Styles shared by more than one widget: how a note's verdict marks its passage."""

from __future__ import annotations

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
