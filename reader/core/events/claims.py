"""What a figure of people stands for in its article: a running total or one incident's, a part
of a group or the whole, and whether it is one of the article's main claims.

Reports of one incident give its toll in their title and lead, whatever else they go on to say;
their paragraphs often do not align (an English and an Arabic report tell the story in other
orders), so the comparison (:mod:`reader.core.events.divergences`) compares main claims with
each other wherever they stand. Two guards keep that honest:

- a *running total* ("44,382 killed in Gaza since October 7", "منذ بدء الحرب": a cue word of
  the lexicon's ``cumulative`` list in the figure's sentence) is compared only with running
  totals, never with one incident's toll;
- a *part* ("including four aid workers", "three of Haniyeh's sons", "4 من أحفاده": a part
  marker right before the figure or "of them" right after it, or a group of the lexicon's
  ``[parts]`` among the words after it) is compared as such only with the same part; against
  anything else it is at most a difference. A figure that adds others up ("three sons and four
  grandchildren", "four aid workers and their driver") is a whole.

A *main claim* is a toll of the article's lead sentence: the first sentence of its lead
(:data:`LEAD_CHARS`) that gives a figure of people with a role (killed, wounded ...) that is
not a running total; the first such figure of each role in that sentence, whole or part (two
main claims are compared only when they count the same part, or both the whole). A later
sentence's figures are often those of one place or group: "In Qinghai, 182 injured".

Callers may rely on: :func:`scope_of` gives one :class:`Scope` per fact given, in order;
facts other than figures of people are whole, not cumulative and never main claims.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reader.core.events.claim_words import ClaimWords, claim_words
from reader.core.events.facts import Fact
from reader.core.events.lexicon import ROLE_NAMES, Lexicon, active_lexicon
from reader.core.events.numbers import numbers
from reader.core.names.lexicon_file import fold_words

LEAD_CHARS = 1000
"""The lead: the body's paragraphs up to the one that reaches this many characters."""
_WINDOW = 40  # characters before a figure searched for a part marker
_PART_WORDS = 5  # words after a figure searched for a part of a group
_CLAUSE_END = re.compile(r"[,;:.()،؛\n]")  # the words after a figure, up to its clause's end
_FIGURE = re.compile(r"\d")
PART = "part"
"""The part a figure counts when a marker says it is one but not of what ("including 4")."""


@dataclass(frozen=True, slots=True)
class Scope:
    """What one fact stands for: ``part`` is "" for a whole (or a fact not of people), else
    the part's name from the lexicon (``"son"``) or :data:`PART`."""

    cumulative: bool = False
    part: str = ""
    main: bool = False


WHOLE = Scope()
"""One incident's figure of a whole group, not a main claim (and any fact not of people)."""


def lead_end(spans: Sequence[tuple[int, int]], limit: int = LEAD_CHARS) -> int:
    """Where the lead ends: the end of the first paragraph (``spans``: (start, end) of each)
    that reaches ``limit`` characters, or of the last."""
    for _start, end in spans:
        if end >= limit:
            return end
    return spans[-1][1] if spans else 0


def scope_of(
    body: str,
    facts: Sequence[Fact],
    sentences: Sequence[tuple[int, int]],
    spans: Sequence[tuple[int, int]],
    lexicon: Lexicon | None = None,
) -> list[Scope]:
    """The :class:`Scope` of each of ``facts`` (of ``body``), given the (start, end) of each
    fact's sentence (``sentences``, in order) and the body's paragraph ``spans``."""
    words = claim_words(lexicon or active_lexicon())
    end_of_lead = lead_end(spans)
    scopes: list[Scope] = []
    firsts: set[str] = set()
    lead_sentence: tuple[int, int] | None = None  # the first sentence that gives a toll
    for fact, sentence in zip(facts, sentences, strict=True):
        if fact.unit != "people":
            scopes.append(WHOLE)
            continue
        lo, hi = sentence
        cumulative = words.cumulative.search(fold_words(body[lo:hi])) is not None
        part = _part(body, fact, lo, hi, words)
        main = (
            fact.kind in ROLE_NAMES
            and fact.start < end_of_lead
            and not cumulative
            and sentence == (lead_sentence or sentence)
            and fact.kind not in firsts
        )
        if main:
            lead_sentence = sentence
            firsts.add(fact.kind)
        scopes.append(Scope(cumulative, part, main))
    return scopes


def _part(body: str, fact: Fact, lo: int, hi: int, words: ClaimWords) -> str:
    """The part of a group a figure of people counts, or "" for a whole."""
    text = fold_words(fact.text)
    figures = numbers(text)
    if not figures or len(figures) > 1 or abs(figures[0].value - fact.value) > 1e-9:
        return ""  # a sum, or a figure with a companion on top: a whole
    before = fold_words(body[max(lo, fact.start - _WINDOW) : fact.start])
    after = fold_words(body[fact.start : min(hi, fact.end + 60)])
    figure = numbers(after)
    tail = _CLAUSE_END.split(after[figure[0].end :] if figure else "", maxsplit=1)[0]
    marked = words.part_before.search(before) or words.part_after.match(tail)
    # The figure's own words end where another figure or a part of it begins ("five people,
    # among them 3 of its staff": the five are not staff).
    cut = words.part_after.search(tail, 1)
    tail = _FIGURE.split(tail[: cut.start()] if cut else tail, maxsplit=1)[0]
    named = _part_noun(tail, words)
    return named or PART if marked else named


def _part_noun(tail: str, words: ClaimWords) -> str:
    """The part of a group named among the first words of ``tail`` (after a figure)."""
    head = " ".join(tail.split()[:_PART_WORDS])
    match = words.part_noun.search(head)
    if match is None or not match.lastgroup:
        return ""
    return words.part_names[int(match.lastgroup[1:])]
