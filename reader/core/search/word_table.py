"""A read-only table of folded words -> index terms, kept as one text of sorted entries
(``word FIELD term LINE``) and looked up by binary search in that text: loading the
vocabulary of a corpus then costs one string, not a dictionary of every word (at 58,000
words, a third of the instructions, and no sort before the first prefix is expanded).

The separators are U+2029 (paragraph separator) between a word and its term and U+2028 (line
separator) after each entry: no word of the index holds them (they are not word characters),
and JSON writes them as they are, where a tab and a newline would each be an escape that
reading the string back handles one by one (twice the instructions at 58,000 words).

Callers may rely on: the order of :meth:`WordTable.items_from` and iteration is the words'
(code point) order, as ``sorted()`` gives it; a word or term never holds a separator
(:func:`table_text` refuses such tables); lookups never raise on any text given to
:meth:`WordTable.from_text`, and a text that :func:`table_text` did not write (entries not
sorted) may answer wrongly but always ends.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

FIELD = "\u2029"  # between a word and its term
LINE = "\u2028"  # after each entry


def table_text(words: Mapping[str, str]) -> str | None:
    """The text of a table of ``words`` (folded word -> index term), sorted by word; None
    when a word or term holds a separator (the table cannot be written so)."""
    text = "".join([f"{word}{FIELD}{words[word]}{LINE}" for word in sorted(words)])
    if text.count(FIELD) != len(words) or text.count(LINE) != len(words):
        return None
    return text


class WordTable(Mapping[str, str]):
    """Folded word -> index term over the text :func:`table_text` writes. Immutable."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._count: int | None = None

    @classmethod
    def from_text(cls, text: object) -> WordTable | None:
        """The table of ``text``, or None when it is not entries of a word and a term (checked
        by counting the separators, not entry by entry: see the module's notes)."""
        if not isinstance(text, str) or (text and not text.endswith(LINE)):
            return None
        if text.count(FIELD) != text.count(LINE):
            return None
        return cls(text)

    def _line(self, start: int) -> tuple[str, str, int]:
        """(word, term, where the next entry starts) of the entry starting at ``start``."""
        text = self.text
        newline = text.find(LINE, start)
        end = len(text) if newline < 0 else newline
        word, _, term = text[start:end].partition(FIELD)
        return word, term, end + 1

    def _first_at_least(self, key: str) -> int:
        """Where the first entry whose word is ``key`` or after it starts (the text's length
        when there is none)."""
        text = self.text
        low, high = 0, len(text)  # both at the start of an entry (or the end)
        while low < high:
            middle = (low + high) // 2
            newline = text.rfind(LINE, low, middle)
            start = low if newline < 0 else newline + 1  # the entry that holds ``middle``
            word, _, after = self._line(start)
            if word < key:
                low = after
            else:
                high = start
        return low

    def items_from(self, key: str) -> Iterator[tuple[str, str]]:
        """(word, term) of every word from ``key`` on (the first at or after it), in order."""
        at, size = self._first_at_least(key), len(self.text)
        while at < size:
            word, term, at = self._line(at)
            yield word, term

    def __getitem__(self, word: str) -> str:
        at = self._first_at_least(word)
        if at < len(self.text):
            found, term, _ = self._line(at)
            if found == word:
                return term
        raise KeyError(word)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __iter__(self) -> Iterator[str]:
        return (word for word, _ in self.items_from(""))

    def __len__(self) -> int:
        if self._count is None:
            self._count = self.text.count(LINE)
        return self._count
