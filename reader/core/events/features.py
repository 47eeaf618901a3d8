"""The features of one article that event grouping compares (:class:`Profile`, made by
:func:`profile`): entity keys, content words, language-free facts, the names the gazetteer does
not know, and the dates that say when it happened.

Time: each article gets *when* dates (:attr:`Profile.when`): its publication date (from the
metadata) and the date of its dateline ("TRIPOLI, May 18 (Reuters) -", "طرابلس - 18 مايو
2020"), or, for an article with neither, the date its text names most often. A date written
without a year ("May 18", "18 مايو") takes the year that puts it nearest the publication
date, but never more than :data:`AHEAD_DAYS` after it (news looks back: "since October 7"
in April is last October), or the year the text gives elsewhere. Of the dates written in the
first lines, the latest dates the story (a caption may first name an older day).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from reader.core.events.facts import Fact, find_facts
from reader.core.names.content_terms import content_term_counts_of
from reader.core.names.entities import Gazetteer, all_mentions, in_context, named_keys
from reader.core.names.unknown import unknown_names
from reader.core.sources.article import Article

_FACT_KINDS = frozenset(
    (
        *("killed", "wounded", "displaced", "detained", "missing"),
        *("distance", "money", "percent", "count", "date"),
    )
)
# Grouping reads the title and the lead: the whole paragraphs up to the one that reaches this
# many characters. News says what happened, where, when and to whom first; what follows is
# detail and background, which names the same people and places as other events. On real
# English and Arabic coverage of six events (excerpts of up to 2,000 characters), pairwise
# precision/recall were 0.787/0.752 reading everything and 0.819/0.779 reading 1,000
# characters (0.876/0.752 at 700, 0.795/0.602 at 400); profiling costs in proportion to the
# text read, about a third of the whole on articles of 5,000 characters.
LEAD_CHARS = 1000
_DATELINE_CHARS = 200  # the latest date this early in the body is the dateline's or the lead's
SAME_DAYS = 2  # *when* dates this many days apart or fewer: no penalty
AHEAD_DAYS = 45  # a date without a year is read at most this far after the publication date


@dataclass(frozen=True, slots=True)
class Profile:
    """What the similarity looks at in one article: entity keys and terms with counts, the
    language-free facts (numbers, resolved dates), the publication date, the dates written in
    the text resolved to days (``dates``) and the dates that say when it happened (``when``:
    publication and dateline; empty when nothing dates the article; then ``when_no_year``
    may hold the (month, day) of a dateline or written date that gives no year); ``names``:
    the words that may be names the gazetteer does not know, with counts
    (:func:`reader.core.names.unknown.unknown_names`), matched across scripts by
    transliteration."""

    article_id: str
    lang: str
    published: date | None
    entities: Counter[str]
    terms: Counter[str]
    facts: frozenset[str]
    dates: frozenset[date] = frozenset()
    when: frozenset[date] = frozenset()
    when_no_year: frozenset[tuple[int, int]] = frozenset()  # (month, day) when nothing gives a year
    names: Counter[str] = field(default_factory=Counter)  # see reader.core.names.unknown


def _day(label: str, around: date | None, year: int | None) -> date | None:
    """The day a date label names ("2020-05-18"; "--05-18" with the year nearest ``around``,
    else ``year``); None for months, years and impossible dates."""
    parts = label.split("-")
    try:
        if label.startswith("--") and len(parts) == 4:
            month, day = int(parts[2]), int(parts[3])
            if around is not None:
                options = []
                for y in (around.year - 1, around.year, around.year + 1):
                    try:
                        options.append(date(y, month, day))
                    except ValueError:
                        continue
                # News looks back: a day named months ahead is last year's ("since October 7").
                options = [d for d in options if (d - around).days <= AHEAD_DAYS] or options
                return min(options, key=lambda d: abs((d - around).days), default=None)
            return date(year, month, day) if year is not None else None
        if len(parts) == 3:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None
    return None


def _dates(
    article: Article, found: Sequence[Fact]
) -> tuple[dict[Fact, date], date | None, tuple[int, int] | None]:
    """The day of each date fact of the body, the dateline's day (None without one) and, when
    no year can be found for the dates, the (month, day) of the dateline or most named date."""
    labelled = [f for f in found if f.kind == "date"]
    years = Counter(int(f.label[:4]) for f in labelled if f.label[:4].isdigit())
    year = years.most_common(1)[0][0] if years else None
    days: dict[Fact, date] = {}
    for fact in labelled:
        day = _day(fact.label, article.published, year)
        if day is not None:
            days[fact] = day
    limit = _DATELINE_CHARS
    # The latest: a lead or a photo caption may first name an older day ("a meeting on
    # Sept 3, 2020 ... killed on July 31, 2024"); a story is dated by its newest.
    latest = article.published + timedelta(days=SAME_DAYS) if article.published else date.max
    early = [d for f, d in days.items() if f.start < limit and d <= latest]
    no_year = [
        (f.start, f.label)
        for f in labelled
        if f.label.startswith("--") and f not in days and f.start < limit
    ]
    undated = None
    if no_year:
        month_text, day_text = min(no_year)[1].split("-")[2:]
        undated = (int(month_text), int(day_text))
    return days, max(early) if early else None, undated


def lead(body: str, chars: int = LEAD_CHARS) -> str:
    """The start of ``body`` that grouping reads: the whole paragraphs up to the one that
    reaches ``chars`` characters; a paragraph that runs past twice that (an article saved as
    one line) is cut at the last space before it. ``body`` itself when it is that short;
    ``lead(lead(body)) == lead(body)``."""
    if len(body) <= chars:
        return body
    end = body.find("\n", chars)
    if end < 0:
        end = len(body)
    if end > 2 * chars:
        end = body.rfind(" ", chars, 2 * chars)
        if end < 0:
            end = 2 * chars
    return body[:end]


def profile(article: Article, gazetteer: Gazetteer) -> Profile:
    """The features of one article, from its title and :func:`lead`; entities in the title
    count twice."""
    body = lead(article.body)
    in_body, in_title = all_mentions(body, gazetteer), all_mentions(article.title, gazetteer)
    # A spelling that names an entity only in context ("General Command") counts when the
    # title or the lead gives it.
    named = named_keys(in_body) | named_keys(in_title)
    mentions = in_context(in_body, gazetteer, named)
    entities: Counter[str] = Counter(m.key for m in mentions)
    for mention in in_context(in_title, gazetteer, named):
        entities[mention.key] += 2
    # The terms of f"{title}\n{body}", from the words find_entities split them into.
    terms = content_term_counts_of((article.title, body), article.lang)
    found = [
        f
        for f in find_facts(body)
        if f.kind in _FACT_KINDS
        and (f.kind != "date" or len(f.label) > 4)  # a bare year says little
        and (f.kind != "count" or f.value >= 5)
    ]
    days, dateline, undated = _dates(article, found)
    # A date is compared as the day it names, so "May 18" matches "18 مايو 2020".
    facts = frozenset(f"date:{days[f].isoformat()}" if f in days else f.key for f in found)
    when: set[date] = set()
    if article.published is not None:
        when.add(article.published)
    if dateline is not None:
        when.add(dateline)
    # The day it happened is content any language states the same way.
    facts |= {f"date:{d.isoformat()}" for d in when}
    return Profile(
        article.id,
        article.lang,
        article.published,
        entities,
        terms,
        facts,
        frozenset(days.values()),
        frozenset(when),
        frozenset({undated} if undated is not None and not when else ()),
        # The body's only: English titles capitalise every word. A spelling that names an
        # entity only in context is no other name out of it either ("Salame", الكرامة).
        unknown_names(body, article.lang, (m.surface for m in in_body)),
    )
