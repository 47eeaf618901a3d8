"""Side by side: which passages of several articles tell the same part of a story, and where
the articles agree, differ or contradict each other on facts a machine can compare.

:func:`align` pairs each paragraph of the first (pivot) article with the most similar paragraph
of every other article, across languages through entity keys and numbers (and shared words
within one language). :func:`find_divergences` lists the comparable facts (numbers with units,
dates, named entities) as ``shared``, ``only`` (one article) or ``conflict`` (same kind of
quantity about the same place or person, different number: "140 km" vs "120 km west of Sirte").
Every passage and fact carries offsets into its article's ``body`` for scrolling and highlights.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from reader.core.events.dates import human_date
from reader.core.events.facts import Fact, find_facts
from reader.core.names.entities import EntityMention, Gazetteer, content_terms, find_entities
from reader.core.sources.article import Article

ALIGN_THRESHOLD = 0.15
_SENTENCE_END = re.compile(r"[.!?؟؛\n]+(?=\s|$)|\n")


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
class _Read:
    """An article as the comparison sees it."""

    article: Article
    spans: list[tuple[int, int]]
    mentions: list[EntityMention]
    facts: list[Fact]

    def paragraph_of(self, offset: int) -> int:
        return max(0, bisect_right([s for s, _e in self.spans], offset) - 1)


def _read(article: Article, gazetteer: Gazetteer) -> _Read:
    body = article.body
    return _Read(article, paragraph_spans(body), find_entities(body, gazetteer), find_facts(body))


def _features(read: _Read, index: int) -> tuple[Counter[str], Counter[str]]:
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


def align(
    articles: Sequence[Article], gazetteer: Gazetteer, *, threshold: float = ALIGN_THRESHOLD
) -> Alignment:
    """Pair every paragraph of ``articles[0]`` with the most similar paragraph of each other
    article (None when nothing reaches ``threshold``). Scores are 0..1: cosine similarity of
    entity and number features (weighted by rarity among these paragraphs), averaged with word
    similarity when both articles are in the same language."""
    reads = [_read(a, gazetteer) for a in articles]
    feats = [[_features(r, i) for i in range(len(r.spans))] for r in reads]
    df: Counter[str] = Counter()
    n = 0
    for per_article in feats:
        for numbers, words in per_article:
            df.update(numbers.keys())
            df.update("w:" + w for w in words)
            n += 1
    vectors = [
        [
            (_weighted(f, df, n), _weighted(Counter({"w:" + k: v for k, v in w.items()}), df, n))
            for f, w in per_article
        ]
        for per_article in feats
    ]
    fact_labels = {f.key: f.label for r in reads for f in r.facts}
    rows: list[AlignedRow] = []
    pivot = reads[0]
    for index, (start, end) in enumerate(pivot.spans):
        pf, pw = vectors[0][index]
        matches: list[PassageMatch | None] = []
        for other_index, other in enumerate(reads[1:], start=1):
            same = other.article.lang == pivot.article.lang
            best: PassageMatch | None = None
            for j, (of, ow) in enumerate(vectors[other_index]):
                linking = (k for k in pf if k in of and not k.startswith("k:"))
                shared = sorted(linking, key=lambda k: (-pf[k] * of[k], k))
                score = linked = sum(v * of[k] for k, v in pf.items() if k in of)
                if same:
                    worded = sum(v * ow[k] for k, v in pw.items() if k in ow)
                    score = (linked + worded) / 2 if pf or of else worded
                if score >= threshold and (best is None or score > best.score):
                    s, e = other.spans[j]
                    labels = tuple(_feature_label(k, gazetteer, fact_labels) for k in shared)
                    best = PassageMatch(Passage(other.article.id, j, s, e), score, labels)
            matches.append(best)
        rows.append(AlignedRow(Passage(pivot.article.id, index, start, end), tuple(matches)))
    return Alignment(tuple(articles), tuple(rows))


def _feature_label(key: str, gazetteer: Gazetteer, fact_labels: dict[str, str]) -> str:
    kind, _, rest = key.partition(":")
    if kind == "e":
        entity = gazetteer.get(rest)
        return entity.name if entity else rest
    return fact_labels.get(rest, rest)


# --- divergences ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FactRef:
    """Where one article states a fact (or names an entity): offsets into its body."""

    article_id: str
    paragraph: int
    start: int
    end: int
    text: str
    value: str  # "140 km", "at least 8 killed", "2020-05-29", an entity's name
    fact: Fact | None = None  # None for an entity


@dataclass(frozen=True, slots=True)
class Divergence:
    """One comparable fact across the articles: ``shared`` (two or more report it and agree),
    ``only`` (one article reports it) or ``conflict`` (two or more disagree). ``refs`` holds
    one statement per article that reports it, in the order of the articles given."""

    kind: str  # a fact kind ("distance", "killed", ...) or "entity"
    status: str
    refs: tuple[FactRef, ...]
    description: str


_STATUS_ORDER = {"conflict": 0, "only": 1, "shared": 2}
_KIND_ORDER = {
    k: i
    for i, k in enumerate(
        (
            "killed",
            "wounded",
            "distance",
            "money",
            "percent",
            "count",
            "date",
            "time",
            "duration",
            "age",
            "entity",
        )
    )
}


@dataclass(frozen=True, slots=True)
class _Placed:
    """A fact with the entities around it in its sentence."""

    article: int
    fact: Fact
    subject: str  # the nearest entity before it in the sentence ("Abu Grein, 140 km ...")
    anchor: str  # the nearest entity after it ("... west of Sirte")
    context: frozenset[str]


def _place(position: int, read: _Read) -> list[_Placed]:
    body = read.article.body
    bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(body)] + [len(body)]
    placed: list[_Placed] = []
    for fact in read.facts:
        i = bisect_right(bounds, fact.start) - 1
        lo, hi = bounds[max(i, 0)], bounds[min(i + 1, len(bounds) - 1)]
        inside = [m for m in read.mentions if lo <= m.start < hi]
        before = [m for m in inside if m.end <= fact.start and fact.start - m.end <= 80]
        after = [m for m in inside if m.start >= fact.end and m.start - fact.end <= 60]
        subject = before[-1].key if before else ""
        anchor = after[0].key if after and fact.kind == "distance" else ""
        context = frozenset(m.key for m in inside)
        placed.append(_Placed(position, fact, subject, anchor, context))
    return placed


def _dates_agree(a: str, b: str) -> bool:
    """ "2020-05-29" agrees with "--05-29", "2020-05" and "2020"."""
    if a.startswith("--") or b.startswith("--"):
        return a[-5:] == b[-5:] and len(a) >= 7 and len(b) >= 7 and a[-6:-5] == b[-6:-5] == "-"
    return a.startswith(b) or b.startswith(a)


def _comparable(a: _Placed, b: _Placed) -> float:
    """How surely two facts of different articles speak of the same thing (0 = not at all)."""
    fa, fb = a.fact, b.fact
    if a.article == b.article or fa.kind != fb.kind or fa.unit != fb.unit:
        return 0.0
    if fa.kind == "date":
        return 1.0 if _dates_agree(fa.label, fb.label) else 0.0
    same_subject = bool(a.subject) and a.subject == b.subject
    if a.subject and b.subject and not same_subject and fa.kind in ("distance", "age"):
        return 0.0
    if fa.kind == "distance":
        if a.anchor and b.anchor and a.anchor != b.anchor:
            return 0.0
        if fa.direction and fb.direction and fa.direction != fb.direction:
            return 0.0
        if not (same_subject or (a.anchor and a.anchor == b.anchor)):
            return 0.0
    elif fa.kind == "age" and not same_subject:
        return 0.0
    shared = len(a.context & b.context)
    totals = fa.kind in ("killed", "wounded") and not a.context and not b.context
    if not shared and not totals and not same_subject:
        return 0.0  # casualty totals compare without context; other numbers need some
    score = 1.0 + 2.0 * same_subject + 2.0 * bool(a.anchor and a.anchor == b.anchor)
    score += float(bool(fa.direction) and fa.direction == fb.direction) + 0.5 * shared
    return score + (1.0 if _agree(fa, fb) else 0.0)


def _agree(a: Fact, b: Fact) -> bool:
    if a.kind == "date":
        return _dates_agree(a.label, b.label)
    slack = 0.02 * max(abs(a.value), abs(b.value))
    return a.low - slack <= b.high and b.low - slack <= a.high


def _ref(read: _Read, fact: Fact) -> FactRef:
    value = human_date(fact.label) if fact.kind == "date" else fact.label
    start, end = fact.start, fact.end
    return FactRef(read.article.id, read.paragraph_of(start), start, end, fact.text, value, fact)


def _where(placed: _Placed, gazetteer: Gazetteer) -> str:
    def name(key: str) -> str:
        entity = gazetteer.get(key)
        return entity.name if entity else key

    if placed.fact.kind not in ("distance", "age"):
        return ", ".join(sorted(name(k) for k in placed.context)[:3])
    parts = []
    if placed.subject:
        parts.append(name(placed.subject))
    if placed.anchor:
        direction = placed.fact.direction
        parts.append(
            f"{direction} of {name(placed.anchor)}"
            if direction and direction != "from"
            else f"from {name(placed.anchor)}"
        )
    return ", ".join(parts)


def find_divergences(articles: Sequence[Article], gazetteer: Gazetteer) -> list[Divergence]:
    """The comparable facts of the articles, conflicts first, then facts only one article
    reports, then shared ones; within that by kind (casualties, distances, money ...) and by
    where they first appear."""
    reads = [_read(a, gazetteer) for a in articles]
    placed: list[_Placed] = []
    for position, read in enumerate(reads):
        seen: set[str] = set()
        for item in _place(position, read):
            if item.fact.key + item.subject + item.anchor not in seen:  # repeated statement
                seen.add(item.fact.key + item.subject + item.anchor)
                placed.append(item)
    # Pair facts across articles, most surely-comparable first; one fact per article a group.
    pairs = []
    for i, a in enumerate(placed):
        for j in range(i + 1, len(placed)):
            score = _comparable(a, placed[j])
            if score > 0:
                pairs.append((-score, abs(a.fact.value - placed[j].fact.value), i, j))
    pairs.sort()
    group_of = list(range(len(placed)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(placed))}
    for _score, _gap, i, j in pairs:
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        if {placed[k].article for k in members[gi]} & {placed[k].article for k in members[gj]}:
            continue
        if not all(_comparable(placed[x], placed[y]) for x in members[gi] for y in members[gj]):
            continue
        for k in members[gj]:
            group_of[k] = gi
        members[gi].extend(members.pop(gj))
    divergences = [
        _fact_divergence([placed[k] for k in group], reads, gazetteer) for group in members.values()
    ]
    divergences.extend(_entity_divergences(reads, gazetteer))
    order = {a.id: i for i, a in enumerate(articles)}

    def sort_key(d: Divergence) -> tuple[int, int, int, int]:
        first = min(d.refs, key=lambda r: (order[r.article_id], r.start))
        return (
            _STATUS_ORDER[d.status],
            _KIND_ORDER.get(d.kind, 99),
            order[first.article_id],
            first.start,
        )

    divergences.sort(key=sort_key)
    return divergences


def _fact_divergence(group: list[_Placed], reads: list[_Read], gazetteer: Gazetteer) -> Divergence:
    group.sort(key=lambda p: p.article)
    refs = tuple(_ref(reads[p.article], p.fact) for p in group)
    kind = group[0].fact.kind
    where = next((w for p in group if (w := _where(p, gazetteer))), "")
    where_text = f" ({where})" if where else ""
    values = "; ".join(f"{r.value} in {r.article_id}" for r in refs)
    if len(group) == 1:
        status = "only"
        description = f"{kind}{where_text}: {refs[0].value}, only in {refs[0].article_id}"
    elif all(_agree(a.fact, b.fact) for a in group for b in group):
        status = "shared"
        description = f"{kind}{where_text}: {values}"
    else:
        status = "conflict"
        description = f"{kind}{where_text} differs: {values}"
    return Divergence(kind, status, refs, description)


def _entity_divergences(reads: list[_Read], gazetteer: Gazetteer) -> list[Divergence]:
    firsts: dict[str, list[FactRef]] = {}
    for read in reads:
        seen: set[str] = set()
        for mention in read.mentions:
            if mention.key in seen:
                continue
            seen.add(mention.key)
            entity = gazetteer.get(mention.key)
            firsts.setdefault(mention.key, []).append(
                FactRef(
                    read.article.id,
                    read.paragraph_of(mention.start),
                    mention.start,
                    mention.end,
                    mention.surface,
                    entity.name if entity else mention.key,
                )
            )
    result = []
    for key, refs in firsts.items():
        name = refs[0].value
        ids = ", ".join(r.article_id for r in refs)
        if len(refs) == 1:
            result.append(Divergence("entity", "only", tuple(refs), f"{name}: only in {ids}"))
        else:
            result.append(Divergence("entity", "shared", tuple(refs), f"{name}: in {ids}"))
        del key
    return result
