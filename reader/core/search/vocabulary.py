"""The corpus vocabulary: every word as written (folded), with the index term it is stored
under. It answers prefix and wildcard queries without an unstemmed copy of every article in the
index: ``hiri*`` finds the words that begin with "hiri" (hiring), and the query searches their
index terms (hire), so a prefix never misses a word because of stemming.

It also remembers which Latin words the corpus writes as names: how often each is written
capitalised inside a sentence (in bodies, not in title-case headlines) and how often in lower
case. :meth:`Vocabulary.name_like` says whether a word is a name by that count; the name layer
(:mod:`reader.core.search.name_layer`) expands a query's names only to such words (and to
Arabic words, which have no capitals), so common words never light up.

The name layer's tables (every name form filed by skeleton) are kept with the words, so a
search never reads every word again to find the spellings of a name.

Kept as ``vocabulary.json`` beside the index. Version 3 keeps the words as one text of sorted
lines (:mod:`reader.core.search.word_table`), read without building a dictionary of them, so a
new process answers its first query without parsing every word; version 4 keeps the name
tables as lines too, made into dictionaries only when a query word may be a name (a search
for a common word never reads them). Versions 2 (a table of words) and 3 are still read (an
update writes them again as version 4), and each is written when a word, or a name form,
cannot be kept as a line; version 1 had no names, and is rebuilt from the stored articles like
a damaged file. Words are only ever added (a word whose
articles are gone expands to a term with no postings, which costs nothing). Lower-case counts
start when a word is first seen capitalised, so after incremental updates they may be low.
"""

from __future__ import annotations

import bisect
import fnmatch
import itertools
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from reader.core.files.safe_write import write_atomically
from reader.core.search.analysis import fold_term, index_term, split_words
from reader.core.search.name_layer import NameLayer, NameTables
from reader.core.search.word_table import WordTable, table_text
from reader.core.text.arabic import has_arabic

FILE_NAME = "vocabulary.json"
VERSION = 4  # what save writes (words and name tables as lines); VERSIONS: what load reads
VERSIONS = (2, 3, 4)
_SHORTEST_NAME = 3  # letters: shorter capitalised words (Al, Mr) are not names
# A capitalised word after a lower-case letter, digit or , ; ) and one space, after a hyphen
# (al-Watiya) or an elided article (d'Ouargla): inside a sentence, so its capital says it is
# a name. The capital comes first and what stands before it is looked at behind it (``.``
# is the capital): the regex engine then skips in C to the capitals, rather than trying the
# three look-behinds at every character (4x faster over a corpus; the same matches:
# tests/test_build_cpu.py).
_MID_CAPITAL = re.compile(
    r"[A-Z\u00c0-\u00de](?:(?<=[a-z0-9,;)\u00df-\u00ff] .)|(?<=-.)|(?<=[a-z]['’].))[^\W_]*"
)


class VocabularyDamaged(Exception):
    """``vocabulary.json`` is missing or not what :meth:`Vocabulary.save` writes; the message
    names the file and what is wrong (``problem``: the same without the folder). Rebuilding it
    from the index repairs it."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path, self.problem = path, f"{path.name} {problem}"
        super().__init__(f"{path} {problem}")


class Vocabulary:
    """Folded words -> index terms. Not thread-safe while being added to."""

    def __init__(
        self,
        words: Mapping[str, str] | None = None,
        names: dict[str, list[int]] | None = None,
        tables: NameTables | None = None,
    ) -> None:
        """A vocabulary of ``words`` (folded word -> index term: a :class:`WordTable` is
        kept as it is until words are added), the counts of the Latin ``names`` and their
        :class:`NameTables` (as :meth:`load` reads them; made from the words and names when
        not given)."""
        self.version = VERSION  # of the file it was read from (load), else what save writes
        self._table = words if isinstance(words, WordTable) else None
        self._words: dict[str, str] = {} if self._table is not None else dict(words or {})
        # folded Latin word -> [times capitalised inside a sentence, times in lower case]
        self._names: dict[str, list[int]] = {k: list(v) for k, v in (names or {}).items()}
        self._raw: Counter[str] = Counter()  # words seen but not yet folded (batched)
        self._capitals: Counter[str] = Counter()  # capitalised inside a sentence, as written
        self._sorted: list[str] | None = None
        self._layer: NameLayer | None = None
        if tables is None:
            tables = NameTables()
            for word in self._table if self._table is not None else self._words:
                if has_arabic(word) or word in self._names:
                    tables.add(word)
        self._tables = tables

    def __len__(self) -> int:
        return len(self.words())

    def add_text(self, text: str, *, names: bool = True) -> None:
        """Remember every word of ``text`` (cheap: folding waits until the words are used) and,
        with ``names`` (not for titles, whose words are all capitalised), which of its Latin
        words it writes capitalised inside a sentence."""
        self._raw.update(split_words(text))
        if names:
            self._capitals.update(_MID_CAPITAL.findall(text))

    def _settle(self) -> None:
        if not self._raw and not self._capitals:
            return
        if self._table is not None:  # words to add: the table becomes a dictionary
            self._words = dict(self._table.items_from(""))
            self._table = None
        names, tables = self._names, self._tables
        for raw, count in self._capitals.items():
            if len(raw) >= _SHORTEST_NAME and not raw.isupper():  # not an acronym
                folded = fold_term(raw)
                if folded not in names:
                    names[folded] = [0, 0]
                    tables.add(folded)
                names[folded][0] += count
        for raw, count in self._raw.items():
            folded = fold_term(raw)
            if folded not in self._words:
                term = index_term(raw)
                if term is not None:
                    self._words[folded] = term
                    if has_arabic(folded):
                        tables.add(folded)
            if folded in names and raw.islower():
                names[folded][1] += count
        self._raw.clear()
        self._capitals.clear()
        self._sorted = None
        self._layer = None

    def words(self) -> Mapping[str, str]:
        """Every folded word -> its index term (read-only)."""
        self._settle()
        return self._table if self._table is not None else self._words

    def name_counts(self) -> dict[str, tuple[int, int]]:
        """Each Latin word written capitalised inside a sentence -> (times so, times in lower
        case): what makes a word name-like (a copy)."""
        self._settle()
        return {word: (counts[0], counts[1]) for word, counts in self._names.items()}

    def name_layer(self) -> NameLayer:
        """The name layer over these words (built on first use, again after words are added):
        the other spellings of a name that the corpus writes."""
        self._settle()
        if self._layer is None:
            self._layer = NameLayer(self, self._tables)
        return self._layer

    def name_like(self, word: str) -> bool:
        """Whether the corpus writes the (folded, Latin) word as a name: capitalised inside a
        sentence at least as often as in lower case."""
        self._settle()
        counts = self._names.get(word)
        return counts is not None and counts[0] >= max(1, counts[1])

    def _items_from(self, head: str) -> Iterator[tuple[str, str]]:
        """(word, term) of the words from ``head`` on (the first at or after it), in order."""
        self._settle()
        if self._table is not None:
            return self._table.items_from(head)
        if self._sorted is None:
            self._sorted = sorted(self._words)
        keys, words = self._sorted, self._words
        rest = itertools.islice(keys, bisect.bisect_left(keys, head), None)
        return ((word, words[word]) for word in rest)

    def expand_prefix(self, prefix: str, limit: int = 2000) -> list[str]:
        """Index terms of the words that start with ``prefix`` (folded), in word order, no
        duplicates; at most ``limit`` of them (so ``limit`` found means there may be more)."""
        terms: dict[str, None] = {}
        for word, term in self._items_from(prefix):
            if not word.startswith(prefix):
                break
            terms[term] = None
            if len(terms) >= limit:
                break
        return list(terms)

    def expand_wildcard(self, pattern: str, limit: int = 2000) -> list[str]:
        """Index terms of the words matching a ``*``/``?`` pattern (folded), in word order, no
        duplicates; at most ``limit`` of them (so ``limit`` found means there may be more).
        A pattern that starts with a wildcard looks at every word (one regular expression
        match each)."""
        head = re.split(r"[*?]", pattern, maxsplit=1)[0]
        matcher = re.compile(fnmatch.translate(pattern))
        terms: dict[str, None] = {}
        for word, term in self._items_from(head):
            if head and not word.startswith(head):
                break
            if matcher.match(word):
                terms[term] = None
                if len(terms) >= limit:
                    break
        return list(terms)

    def save(self, folder: Path) -> None:
        """Write ``vocabulary.json`` atomically into ``folder``: version 4 (the words and the
        name tables as lines), version 3 (the name tables as JSON lists) when a name form
        holds a separator, version 2 when a word or term does."""
        self._settle()
        lines = self._table.text if self._table is not None else table_text(self._words)
        layer = None if lines is None else self._tables.to_texts()
        data = {
            "version": 2 if lines is None else 3 if layer is None else VERSION,
            "words": lines if lines is not None else self._words,
            "names": self._names,
            "layer": layer if layer is not None else self._tables.to_json(),
        }
        write_atomically(
            folder / FILE_NAME, json.dumps(data, ensure_ascii=False, allow_nan=False).encode()
        )

    @classmethod
    def load(cls, folder: Path) -> Vocabulary:
        """The saved vocabulary of ``folder`` (version 2, 3 or 4). VocabularyDamaged when the
        file is missing, unreadable, of another version, or its words (versions 3 and 4:
        lines of a word and a term; version 2: a table of word -> term strings), names or
        name tables (texts of lines, or tables of word lists) are not what :meth:`save`
        writes. Name tables kept as lines are made into dictionaries only when first used."""
        path = folder / FILE_NAME
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
        except FileNotFoundError:
            raise VocabularyDamaged(path, "is missing") from None
        except (OSError, ValueError) as exc:
            raise VocabularyDamaged(path, f"cannot be read ({type(exc).__name__})") from None
        version = data.get("version") if isinstance(data, dict) else None
        if version not in VERSIONS or type(version) is not int:
            raise VocabularyDamaged(path, f"has no version {VERSION}")
        words: Mapping[str, str] | None = data.get("words")
        if version >= 3:
            words = WordTable.from_text(words)
            if words is None:
                raise VocabularyDamaged(path, 'has "words" that are not lines of word and term')
        elif not isinstance(words, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in words.items()
        ):
            raise VocabularyDamaged(path, 'has "words" that are not a table of strings')
        names = data.get("names")
        if not isinstance(names, dict) or not all(
            isinstance(k, str)
            and isinstance(v, list)
            and len(v) == 2
            and all(type(n) is int and n >= 0 for n in v)
            for k, v in names.items()
        ):
            raise VocabularyDamaged(path, 'has "names" that are not a table of two counts')
        tables = NameTables.from_json(data.get("layer"))
        if tables is None:
            raise VocabularyDamaged(path, 'has a "layer" that is not three tables of word lists')
        vocabulary = cls(words, names, tables)
        vocabulary.version = version
        return vocabulary

    def update(self, texts: Iterable[str]) -> None:
        """Add the words of several texts."""
        for text in texts:
            self.add_text(text)
