"""The facts several articles state, compared: where they agree, differ or contradict each other.

:func:`find_divergences` groups the facts of the articles (read by
:func:`reader.core.events.alignment.read_article`) that speak of the same thing, at most one
per article in a group, and gives each group a status:

- ``shared``: they agree. The same figure with an equivalent qualifier ("about 140 km" / نحو
  140 كلم), units converted (87 miles / 140 km), a date given more or less precisely (May 2020 /
  18 May 2020).
- ``differ``: different, but both can be true: "at least 12" / "at least 14", "about 130" /
  140 km, 12 / "at least 12", dozens / 40.
- ``conflict``: they cannot both be true: two exact figures that differ (12 / 15 killed), bounds
  that exclude each other ("up to 20" / 25; 30 / "more than 30"; "nearly 100" / "more than
  100"), two different days or times for one action.
- ``only``: one article states it.

Two different figures are never ``shared``
(:func:`reader.core.events.fact_relation.relation` decides, from each fact's range and
qualifier). Which facts speak of the same thing: the same kind and unit; for distances and ages
the same subject or anchor ("Abu Grein, 140 km west of Sirte"); for the rest a place or person
both sentences name, or, when each article states that kind of fact once, the two of them
(articles on one event that each give one death toll give the same toll or contradict each
other), unless their sentences name different places or people.

Every fact carries offsets into its article's ``body`` for scrolling and highlights.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from reader.core.events.alignment import (
    ALIGN_THRESHOLD,
    SENTENCE_END,
    ArticleRead,
    ParagraphSimilarity,
    read_article,
)
from reader.core.events.claims import WHOLE, Scope, scope_of
from reader.core.events.dates import human_date
from reader.core.events.fact_relation import COMPATIBLE, EXCLUSIVE, SAME, relation
from reader.core.events.facts import Fact
from reader.core.names.entities import Gazetteer
from reader.core.names.unknown import bridged, unknown_names
from reader.core.sources.article import Article

STATUSES = ("conflict", "differ", "only", "shared")  # in the order they are listed


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
    """One comparable fact across the articles, with its status (one of :data:`STATUSES`, see
    the module docs). ``refs`` holds one statement per article that reports it, in the order of
    the articles given."""

    kind: str  # a fact kind ("distance", "killed", ...) or "entity"
    status: str
    refs: tuple[FactRef, ...]
    description: str


_STATUS_ORDER = {status: i for i, status in enumerate(STATUSES)}
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
            "predicate",
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
    # English names the gazetteer does not know in the sentence ("Bani Walid"): two sentences
    # naming different ones speak of different things (Arabic has no capitals to tell names).
    names: frozenset[str] = frozenset()
    # Arabic: the words of the sentence that may be such names (every content word); they
    # count only when one spells an English sentence's name (هنية / Haniyeh).
    words: frozenset[str] = frozenset()
    # A running total, a part of a group, a main claim (reader.core.events.claims).
    scope: Scope = WHOLE


def _place(position: int, read: ArticleRead) -> list[_Placed]:
    body = read.article.body
    bounds = [0] + [m.end() for m in SENTENCE_END.finditer(body)] + [len(body)]
    sentences = []
    for fact in read.facts:
        i = bisect_right(bounds, fact.start) - 1
        sentences.append((bounds[max(i, 0)], bounds[min(i + 1, len(bounds) - 1)]))
    scopes = scope_of(body, read.facts, sentences, read.spans)
    placed: list[_Placed] = []
    names_of: dict[int, frozenset[str]] = {}  # per sentence start
    for fact, (lo, hi), scope in zip(read.facts, sentences, scopes, strict=True):
        inside = [m for m in read.mentions if lo <= m.start < hi]
        before = [m for m in inside if m.end <= fact.start and fact.start - m.end <= 80]
        after = [m for m in inside if m.start >= fact.end and m.start - fact.end <= 60]
        subject = before[-1].key if before else ""
        anchor = after[0].key if after and fact.kind == "distance" else ""
        context = frozenset(m.key for m in inside)
        if lo not in names_of:
            surfaces = (m.surface for m in inside)
            found = unknown_names(body[lo:hi], read.article.lang, surfaces)
            names_of[lo] = frozenset(found)
        names = names_of[lo] if read.article.lang == "en" else frozenset()
        words = names_of[lo] if read.article.lang == "ar" else frozenset()
        placed.append(_Placed(position, fact, subject, anchor, context, names, words, scope))
    return placed


_PAIRING = {SAME: 1.0, COMPATIBLE: 0.5, EXCLUSIVE: 0.0}  # prefer pairing what agrees


_MAIN_RATIO = 4.0  # two main claims further apart than this are not one incident's toll
_PART_PENALTY = 1.0  # a part paired with a whole only when nothing like it is there
# Two leads' tolls are paired before anything else: they are what each report claims (a
# related story's headline further down, "Five workers killed", is not).
_MAIN_FIRST = 5.0


def _comparable(a: _Placed, b: _Placed, lone: bool) -> float:
    """How surely two facts of different articles speak of the same thing (0 = not at all);
    ``lone``: each is the only fact of its kind and unit in its article. A running total is
    comparable only with a running total; two main claims (:func:`_main_pair`) are compared
    as lone facts are, before anything else."""
    fa, fb = a.fact, b.fact
    if a.article == b.article or fa.kind != fb.kind or fa.unit != fb.unit:
        return 0.0
    if a.scope.cumulative != b.scope.cumulative:
        return 0.0
    main = _main_pair(a, b)
    lone = lone or main  # each article's toll: the same toll unless they name other places
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
    shared = len(a.context & b.context) + _names_shared(a, b)
    if not shared and not same_subject:
        # The sentences name different things.
        elsewhere = bool(a.context or a.names) and bool(b.context or b.names)
        elsewhere = elsewhere and not (a.names & b.names)
        # Tolls in sentences that name no known place are compared, unless both name other
        # places the gazetteer does not know ("In Gansu, 113 killed" / "14 died in Haidong").
        totals = fa.kind in ("killed", "wounded") and not a.context and not b.context
        totals = totals and not (a.names and b.names and elsewhere)
        if not (totals or (lone and not elsewhere)):
            return 0.0
    score = 1.0 + 2.0 * same_subject + 2.0 * bool(a.anchor and a.anchor == b.anchor)
    score += _MAIN_FIRST * main
    score += float(bool(fa.direction) and fa.direction == fb.direction) + 0.5 * shared
    penalty = _PART_PENALTY if a.scope.part != b.scope.part else 0.0
    return max(score + _PAIRING[relation(fa, fb)] - penalty, 0.25)


def _main_pair(a: _Placed, b: _Placed) -> bool:
    """Both are their article's main claim of one role, count the same part (or both the
    whole; reader.core.events.claims) and neither is over :data:`_MAIN_RATIO` times the
    other."""
    if not (a.scope.main and b.scope.main) or a.scope.part != b.scope.part:
        return False
    low, high = sorted((abs(a.fact.value), abs(b.fact.value)))
    return a.fact.kind == b.fact.kind and high <= _MAIN_RATIO * max(low, 1.0)


def _names_shared(a: _Placed, b: _Placed) -> int:
    """How many names the gazetteer does not know both sentences give: the same English name,
    or an English name an Arabic word spells (Haniyeh / هنية)."""
    if a.names and b.names:
        return len(a.names & b.names)
    english, arabic = (a, b) if a.names else (b, a)
    if not english.names or not arabic.words:
        return 0
    return sum(any(bridged(word, name) for word in arabic.words) for name in english.names)


def _ref(read: ArticleRead, fact: Fact) -> FactRef:
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
    reads = [read_article(a, gazetteer) for a in articles]
    placed: list[_Placed] = []
    for position, read in enumerate(reads):
        seen: set[str] = set()
        for item in _place(position, read):
            if item.fact.key + item.subject + item.anchor not in seen:  # repeated statement
                seen.add(item.fact.key + item.subject + item.anchor)
                placed.append(item)
    # Pair facts across articles, most surely-comparable first; one fact per article a group.
    kinds = Counter((p.article, p.fact.kind, p.fact.unit) for p in placed)
    paragraphs = ParagraphSimilarity(reads)

    def comparable(a: _Placed, b: _Placed) -> float:
        # In the same part of the story: a date in a paragraph of background is not the
        # date of the event another article's lead gives. (Two articles of one paragraph
        # each are one part.)
        ra, rb = reads[a.article], reads[b.article]
        if (len(ra.spans) > 1 or len(rb.spans) > 1) and not _main_pair(a, b):
            pa, pb = ra.paragraph_of(a.fact.start), rb.paragraph_of(b.fact.start)
            if paragraphs.score(a.article, pa, b.article, pb) < ALIGN_THRESHOLD:
                return 0.0
        lone = (
            kinds[a.article, a.fact.kind, a.fact.unit]
            == kinds[b.article, b.fact.kind, b.fact.unit]
            == 1
        )
        return _comparable(a, b, lone)

    pairs = []
    for i, a in enumerate(placed):
        for j in range(i + 1, len(placed)):
            score = comparable(a, placed[j])
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
        if not all(comparable(placed[x], placed[y]) for x in members[gi] for y in members[gj]):
            continue
        for k in members[gj]:
            group_of[k] = gi
        members[gi].extend(members.pop(gj))
    groups = [[placed[k] for k in group] for group in members.values()]
    divergences = [_fact_divergence(g, reads, gazetteer) for g in groups if _worth_showing(g)]
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


def _worth_showing(group: list[_Placed]) -> bool:
    """A yes-or-no statement is shown only against another article's (a denial alone says
    nothing comparable), and fighting only when one of them says there was none (fierce
    fighting reported twice is not a finding)."""
    first = group[0].fact
    if first.kind != "predicate":
        return True
    if len(group) < 2:
        return False
    return first.unit != "fighting" or any(p.fact.value < 0 for p in group)


def _fact_divergence(
    group: list[_Placed], reads: list[ArticleRead], gazetteer: Gazetteer
) -> Divergence:
    group.sort(key=lambda p: p.article)
    refs = tuple(_ref(reads[p.article], p.fact) for p in group)
    kind = group[0].fact.kind
    where = next((w for p in group if (w := _where(p, gazetteer))), "")
    where_text = f" ({where})" if where else ""
    values = "; ".join(f"{r.value} in {r.article_id}" for r in refs)
    if len(group) == 1:
        status = "only"
        description = f"{kind}{where_text}: {refs[0].value}, only in {refs[0].article_id}"
    else:
        relations = {relation(a.fact, b.fact) for a in group for b in group if a is not b}
        if len({p.scope.part for p in group}) > 1:  # a part and a whole: both may be true
            status, verb = "differ", " differs"
        elif EXCLUSIVE in relations:
            status, verb = "conflict", " contradicts"
        elif relations == {SAME}:
            status, verb = "shared", ""
        else:
            status, verb = "differ", " differs"
        description = f"{kind}{where_text}{verb}: {values}"
    return Divergence(kind, status, refs, description)


def _entity_divergences(reads: list[ArticleRead], gazetteer: Gazetteer) -> list[Divergence]:
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
