"""The ``[notes]`` keys that exports rely on, checked when config is read.

:func:`check_verdicts` holds the verdict scale to what schema.org ClaimReview consumers accept
(Google's Fact Check Explorer: ``worstRating`` at least 1, ``bestRating`` above it), so no
export can carry a rating they refuse. :func:`check_labels` and :func:`check_review_url` check
the readable verdict labels and the URL template of published fact checks. Each raises
:class:`NotesProblem` naming the key; config turns it into a ConfigError with file and line.
Nothing here reads or writes a file.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any

# A BCP 47 language tag, loosely: a language and optional subtags ("en", "ar", "ar-LY").
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")

#: The placeholders a ``review_url`` template may hold.
REVIEW_URL_FIELDS = ("article", "note")


class NotesProblem(Exception):
    """A ``[notes]`` value that cannot be used; ``table`` and ``key`` say where it is."""

    def __init__(self, table: str, key: str, message: str) -> None:
        super().__init__(message)
        self.table = table
        self.key = key


def default_label(verdict: str) -> str:
    """The readable label of a verdict with no configured one: ``mostly-true`` gives
    ``Mostly true``, ``pants_on_fire`` gives ``Pants on fire``."""
    words = verdict.replace("-", " ").replace("_", " ").split()
    text = " ".join(words)
    return text[:1].upper() + text[1:] if text else verdict


def check_verdicts(verdicts: Mapping[str, float]) -> None:
    """Raise NotesProblem unless every rating is 0 (not rated) or at least 1 and the rated
    verdicts use at least two different ratings (a ClaimReview scale needs a best and a
    worst)."""
    for name, rating in verdicts.items():
        if 0 < rating < 1:
            raise NotesProblem(
                "notes.verdicts",
                name,
                f"rating {rating!r} is between 0 and 1; ClaimReview (Google's Fact Check "
                "Explorer) needs every rating to be at least 1 (0 means not rated): use a "
                "scale such as 1 (worst) to 5 (best)",
            )
    rated = {rating for rating in verdicts.values() if rating > 0}
    if len(rated) < 2:
        raise NotesProblem(
            "notes",
            "verdicts",
            "the rated verdicts (rating 1 or more) must use at least two different ratings, "
            "a worst and a best, e.g. false = 1 and true = 5",
        )


def check_labels(labels: Any, verdicts: Mapping[str, float]) -> dict[str, str]:
    """The ``[notes.labels]`` table (verdict = readable label, in any language) checked: each
    key a verdict of the scale, each label printable text on one line. Raises NotesProblem."""
    if not isinstance(labels, dict):
        raise NotesProblem("notes", "labels", "must be a table of verdict = label")
    checked: dict[str, str] = {}
    for verdict, label in labels.items():
        if verdict not in verdicts:
            known = ", ".join(verdicts)
            raise NotesProblem(
                "notes.labels", verdict, f"not a verdict of [notes.verdicts] (known: {known})"
            )
        if not isinstance(label, str) or not label.strip() or not label.isprintable():
            raise NotesProblem(
                "notes.labels", verdict, "a label must be printable text on one line"
            )
        checked[verdict] = label.strip()
    return checked


def check_language(tag: str) -> str:
    """``[notes] language`` checked: "" (none) or a language tag such as ``en``, ``ar`` or
    ``ar-LY``. Raises NotesProblem."""
    if tag and not _LANGUAGE_TAG.fullmatch(tag):
        raise NotesProblem(
            "notes", "language", f"must be a language tag such as en or ar, not {tag[:40]!r}"
        )
    return tag


def check_review_url(template: str) -> str:
    """The ``review_url`` template checked: "" (none), or an http(s) URL on one line whose
    only placeholders are ``{article}`` and ``{note}`` (``{{``/``}}`` for a brace). Raises
    NotesProblem."""
    if not template:
        return ""

    def fail(message: str) -> NotesProblem:
        return NotesProblem("notes", "review_url", message)

    if not template.isprintable() or any(char.isspace() for char in template):
        raise fail("must be a URL on one line, without spaces")
    if not template.lower().startswith(("https://", "http://")):
        raise fail('must start with https:// (e.g. "https://example.org/checks/{article}#{note}")')
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise fail(f"bad placeholder ({exc}); write {{{{ or }}}} for a brace") from exc
    for _text, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in REVIEW_URL_FIELDS or spec or conversion:
            raise fail(f"unknown placeholder {{{field}}}: only {{article}} and {{note}}")
    return template
