"""Side by side: which passages of several articles tell the same part of a story, and where
the articles agree, differ or contradict each other on facts a machine can compare.

:func:`align` pairs each paragraph of the first (pivot) article with the most similar paragraph
of every other article, across languages through entity keys and numbers (and shared words
within one language). The facts they agree and disagree on are
:mod:`reader.core.events.divergences`.
Every passage carries offsets into its article's ``body`` for scrolling and highlights.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from reader.core.events.facts import Fact, find_facts
from reader.core.events.metadata import content_facts, metadata_spans
from reader.core.events.predicates import find_predicates
from reader.core.names.content_terms import content_terms
from reader.core.names.entities import EntityMention, Gazetteer, find_entities
from reader.core.sources.article import Article

ALIGN_THRESHOLD = 0.15
SENTENCE_END = re.compile(r"[.!?؟؛\n]+(?=\s|$)|\n")


@dataclass(frozen=True, slots=True)
class Passage:
    """One paragraph: ``article.body[start:end]`` is its text; ``index`` its paragraph number."""

    article_id: str
    index: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class PassageMatch:
    """The passage of another article most like a pivot passage, and what links them."""

    passage: Passage
    score: float
    shared: tuple[str, ...]  # entity keys and fact labels both passages hold


@dataclass(frozen=True, slots=True)
class AlignedRow:
    """A pivot paragraph and, per other article (in order), its match or None."""

    pivot: Passage
    matches: tuple[PassageMatch | None, ...]


@dataclass(frozen=True, slots=True)
class Alignment:
    """The articles (pivot first) and one row per pivot paragraph, in order."""

    articles: tuple[Article, ...]
    rows: tuple[AlignedRow, ...]

    def text(self, passage: Passage) -> str:
        """The text of a passage of one of these articles."""
        article = next(a for a in self.articles if a.id == passage.article_id)
        return article.body[passage.start : passage.end]


def paragraph_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of a body (paragraphs are separated by one "\\n")."""
    spans, start = [], 0
    for paragraph in body.split("\n"):
        spans.append((start, start + len(paragraph)))
        start += len(paragraph) + 1
    return spans


@dataclass(frozen=True, slots=True)
class ArticleRead:
    """An article as the comparison sees it: its paragraphs' spans, entity mentions and
    facts (offsets into ``article.body``)."""

    article: Article
    spans: list[tuple[int, int]]
    mentions: list[EntityMention]
    facts: list[Fact]

    def paragraph_of(self, offset: int) -> int:
        return max(0, bisect_right([s for s, _e in self.spans], offset) - 1)


def read_article(article: Article, gazetteer: Gazetteer) -> ArticleRead:
    """Read ``article`` once for :func:`align` and the divergences."""
    body = article.body
    # Datelines, bylines and timestamps are not facts, and the places and outlets they name
    # are not the story's; relative dates resolve.
    meta = metadata_spans(body)
    mentions = [
        m
        for m in find_entities(body, gazetteer)
        if not any(s.start <= m.start < s.end for s in meta)
    ]
    facts = content_facts(body, find_facts(body), article.published, spans=meta)
    facts = sorted([*facts, *find_predicates(body)], key=lambda f: (f.start, f.end))
    return ArticleRead(article, paragraph_spans(body), mentions, facts)


def _features(read: ArticleRead, index: int) -> tuple[Counter[str], Counter[str]]:
    """(entity and fact features, word features) of one paragraph."""
    start, end = read.spans[index]
    facts: Counter[str] = Counter()
    for mention in read.mentions:
        if start <= mention.start < end:
            facts["e:" + mention.key] += 1
    for fact in read.facts:
        if start <= fact.start < end:
            facts["f:" + fact.key] += 1
            facts["k:" + fact.kind] += 1  # same kind of number: maybe the same, disputed, fact
    words = Counter(content_terms(read.article.body[start:end], read.article.lang))
    return facts, words


def _weighted(counts: Counter[str], df: Counter[str], n: int) -> dict[str, float]:
    vec = {}
    for key, count in counts.items():
        weight = math.log((n + 1) / (df[key] + 1)) + 1
        vec[key] = (0.5 if key.startswith("k:") else 1.0) * weight * (1 + math.log(count))
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {k: v / norm for k, v in vec.items()}


class ParagraphSimilarity:
    """How alike any two paragraphs of the articles read are (0..1): cosine similarity of
    entity and number features (weighted by rarity among all their paragraphs), averaged with
    word similarity when both articles are in the same language."""

    def __init__(self, reads: Sequence[ArticleRead]) -> None:
        self.reads = reads
        feats = [[_features(r, i) for i in range(len(r.spans))] for r in reads]
        df: Counter[str] = Counter()
        n = 0
        for per_article in feats:
            for numbers, words in per_article:
                df.update(numbers.keys())
                df.update("w:" + w for w in words)
                n += 1
        self._vectors = [
            [
                (
                    _weighted(f, df, n),
                    _weighted(Counter({"w:" + k: v for k, v in w.items()}), df, n),
                )
                for f, w in per_article
            ]
            for per_article in feats
        ]

    def score(self, a: int, i: int, b: int, j: int) -> float:
        """How alike paragraph ``i`` of article ``a`` and paragraph ``j`` of article ``b`` are
        (articles by their position in the reads)."""
        pf, pw = self._vectors[a][i]
        of, ow = self._vectors[b][j]
        linked = sum(v * of[k] for k, v in pf.items() if k in of)
        if self.reads[a].article.lang != self.reads[b].article.lang:
            return linked
        worded = sum(v * ow[k] for k, v in pw.items() if k in ow)
        return (linked + worded) / 2 if pf or of else worded

    def shared(self, a: int, i: int, b: int, j: int) -> list[str]:
        """The entity and fact features both paragraphs hold, the weightiest first."""
        pf, of = self._vectors[a][i][0], self._vectors[b][j][0]
        linking = (k for k in pf if k in of and not k.startswith("k:"))
        return sorted(linking, key=lambda k: (-pf[k] * of[k], k))


def align(
    articles: Sequence[Article],
    gazetteer: Gazetteer,
    *,
    threshold: float = ALIGN_THRESHOLD,
    many_to_one: bool = False,
) -> Alignment:
    """Pair paragraphs of ``articles[0]`` with the most similar paragraph of each other article
    (:class:`ParagraphSimilarity`; None when nothing reaches ``threshold``). A paragraph of
    another article is the counterpart of at most one pivot paragraph, the most similar pairs
    first, unless ``many_to_one`` (then each pivot paragraph takes its best match)."""
    reads = [read_article(a, gazetteer) for a in articles]
    similarity = ParagraphSimilarity(reads)
    fact_labels = {f.key: f.label for r in reads for f in r.facts}
    pivot = reads[0]
    chosen: list[dict[int, tuple[int, float]]] = []  # per other article: pivot index -> (j, score)
    for b in range(1, len(reads)):
        scored = [
            (score, i, j)
            for i in range(len(pivot.spans))
            for j in range(len(reads[b].spans))
            if (score := similarity.score(0, i, b, j)) >= threshold
        ]
        scored.sort(key=lambda t: (-t[0], t[1], t[2]))
        best: dict[int, tuple[int, float]] = {}
        taken: set[int] = set()
        for score, i, j in scored:
            if i in best or (j in taken and not many_to_one):
                continue
            best[i] = (j, score)
            taken.add(j)
        chosen.append(best)
    rows: list[AlignedRow] = []
    for index, (start, end) in enumerate(pivot.spans):
        matches: list[PassageMatch | None] = []
        for b, best in enumerate(chosen, start=1):
            if index not in best:
                matches.append(None)
                continue
            j, score = best[index]
            s, e = reads[b].spans[j]
            shared = similarity.shared(0, index, b, j)
            labels = tuple(_feature_label(k, gazetteer, fact_labels) for k in shared)
            matches.append(PassageMatch(Passage(reads[b].article.id, j, s, e), score, labels))
        rows.append(AlignedRow(Passage(pivot.article.id, index, start, end), tuple(matches)))
    return Alignment(tuple(articles), tuple(rows))


def _feature_label(key: str, gazetteer: Gazetteer, fact_labels: dict[str, str]) -> str:
    kind, _, rest = key.partition(":")
    if kind == "e":
        entity = gazetteer.get(rest)
        return entity.name if entity else rest
    return fact_labels.get(rest, rest)
