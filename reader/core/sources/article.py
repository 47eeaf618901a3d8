"""The article: what reader knows about one news story, in logical, unshaped Unicode."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from reader.core.text.arabic import count_arabic_letters

_SURROGATE = re.compile("[\ud800-\udfff]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_EN_WORDS = frozenset(
    {
        "the",
        "and",
        "of",
        "to",
        "in",
        "is",
        "that",
        "for",
        "on",
        "with",
        "was",
        "as",
        "by",
        "at",
        "from",
        "his",
        "her",
        "said",
        "it",
        "be",
        "are",
        "this",
    }
)


@dataclass(frozen=True, slots=True)
class Article:
    """One article. ``body`` holds paragraphs separated by a single ``"\\n"``.

    All text is logical-order, NFC-normalised Unicode exactly as the source gave it (after
    boilerplate removal); nothing here is ever shaped or reordered for display. Offsets into
    ``body`` (code points) are what notes and highlights refer to.
    """

    id: str
    title: str
    body: str
    lang: str  # "ar", "en" or "other"
    outlet: str = ""
    url: str = ""
    published: date | None = None
    author: str = ""  # one line; several authors joined with ", "
    source: str = ""  # path of the file it came from
    content_hash: str = ""

    @property
    def paragraphs(self) -> list[str]:
        """The body's paragraphs, in order."""
        return self.body.split("\n")


def detect_language(text: str) -> str:
    """Guess "ar", "en" or "other" from the script of the letters and common English words."""
    sample = text[:4000]
    arabic = count_arabic_letters(sample)
    latin = len(_LATIN.findall(sample))
    if arabic == 0 and latin == 0:
        return "other"
    if arabic >= latin:
        return "ar"
    words = re.findall(r"[a-z]+", sample.lower())
    if words and sum(w in _EN_WORDS for w in words) / len(words) >= 0.05:
        return "en"
    return "en" if latin > 50 and not words else "other"


def normalize_text(text: str) -> str:
    """NFC-normalise, unify line ends and replace lone surrogates (which a JSON ``\\udXXX``
    escape can produce and no file or index can store) by U+FFFD; every other character is
    kept (display sanitises)."""
    text = _SURROGATE.sub("\ufffd", text)
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
