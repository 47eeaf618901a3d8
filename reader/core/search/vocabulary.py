"""The corpus vocabulary: every word as written (folded), with the index term it is stored
under. It answers prefix and wildcard queries without an unstemmed copy of every article in the
index: ``hiri*`` finds the words that begin with "hiri" (hiring), and the query searches their
index terms (hire), so a prefix never misses a word because of stemming.

Kept as ``vocabulary.json`` beside the index; words are only ever added (a word whose articles
are gone expands to a term with no postings, which costs nothing).
"""

from __future__ import annotations

import bisect
import fnmatch
import itertools
import json
import re
from collections.abc import Iterable
from pathlib import Path

from reader.core.files.safe_write import write_atomically
from reader.core.search.analysis import WORD, fold_term, index_term

FILE_NAME = "vocabulary.json"
VERSION = 1


class VocabularyDamaged(Exception):
    """``vocabulary.json`` is missing or not what :meth:`Vocabulary.save` writes; the message
    names the file and what is wrong (``problem``: the same without the folder). Rebuilding it
    from the index repairs it."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path, self.problem = path, f"{path.name} {problem}"
        super().__init__(f"{path} {problem}")


class Vocabulary:
    """Folded words -> index terms. Not thread-safe while being added to."""

    def __init__(self, words: dict[str, str] | None = None) -> None:
        self._words: dict[str, str] = dict(words or {})
        self._raw: set[str] = set()  # words seen but not yet folded (folding is batched)
        self._sorted: list[str] | None = None

    def __len__(self) -> int:
        self._settle()
        return len(self._words)

    def add_text(self, text: str) -> None:
        """Remember every word of ``text`` (cheap: folding waits until the words are used)."""
        self._raw.update(WORD.findall(text))

    def _settle(self) -> None:
        if not self._raw:
            return
        for raw in self._raw:
            folded = fold_term(raw)
            if folded not in self._words:
                term = index_term(raw)
                if term is not None:
                    self._words[folded] = term
        self._raw.clear()
        self._sorted = None

    def _keys(self) -> list[str]:
        self._settle()
        if self._sorted is None:
            self._sorted = sorted(self._words)
        return self._sorted

    def expand_prefix(self, prefix: str, limit: int = 2000) -> list[str]:
        """Index terms of the words that start with ``prefix`` (folded), in word order, no
        duplicates; at most ``limit`` of them (so ``limit`` found means there may be more)."""
        keys = self._keys()
        terms: dict[str, None] = {}
        for word in itertools.islice(keys, bisect.bisect_left(keys, prefix), None):
            if not word.startswith(prefix):
                break
            terms[self._words[word]] = None
            if len(terms) >= limit:
                break
        return list(terms)

    def expand_wildcard(self, pattern: str, limit: int = 2000) -> list[str]:
        """Index terms of the words matching a ``*``/``?`` pattern (folded), in word order, no
        duplicates; at most ``limit`` of them (so ``limit`` found means there may be more).
        A pattern that starts with a wildcard looks at every word (one regular expression
        match each)."""
        keys = self._keys()
        head = re.split(r"[*?]", pattern, maxsplit=1)[0]
        matcher = re.compile(fnmatch.translate(pattern))
        terms: dict[str, None] = {}
        for word in itertools.islice(keys, bisect.bisect_left(keys, head), None):
            if head and not word.startswith(head):
                break
            if matcher.match(word):
                terms[self._words[word]] = None
                if len(terms) >= limit:
                    break
        return list(terms)

    def save(self, folder: Path) -> None:
        """Write ``vocabulary.json`` atomically into ``folder``."""
        self._settle()
        data = {"version": VERSION, "words": self._words}
        write_atomically(
            folder / FILE_NAME, json.dumps(data, ensure_ascii=False, allow_nan=False).encode()
        )

    @classmethod
    def load(cls, folder: Path) -> Vocabulary:
        """The saved vocabulary of ``folder``. VocabularyDamaged when the file is missing,
        unreadable, or holds anything but a version and a table of word -> term strings."""
        path = folder / FILE_NAME
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
        except FileNotFoundError:
            raise VocabularyDamaged(path, "is missing") from None
        except (OSError, ValueError) as exc:
            raise VocabularyDamaged(path, f"cannot be read ({type(exc).__name__})") from None
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise VocabularyDamaged(path, f"has no version {VERSION}")
        words = data.get("words")
        if not isinstance(words, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in words.items()
        ):
            raise VocabularyDamaged(path, 'has "words" that are not a table of strings')
        return cls(words)

    def update(self, texts: Iterable[str]) -> None:
        """Add the words of several texts."""
        for text in texts:
            self.add_text(text)
