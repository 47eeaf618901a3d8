"""Who a figure of people counts, for :mod:`reader.core.events.facts`: the one person named on
top of a group ("six aid workers and their driver"), the long English subject before "were
killed" ("Ten members of the Haniyeh family, including his sister, were killed"), and a list of
groups that adds up ("three sons and four grandchildren", "3 من أبنائه و4 من أحفاده").

Offsets are into the shadow :func:`reader.core.events.facts.find_facts` reads (Arabic marks
removed); every function is pure and bounded (its regular expressions have bounded
repetitions).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from reader.core.events.lexicon import PERSON_NOUNS, Compiled
from reader.core.events.numbers import Number, numbers

Classify = Callable[[str, Number, Compiled], tuple[str, str, float, int, int] | None]
"""What :mod:`facts` reads a figure as: (kind, unit, factor, start, end), or None."""


# A figure after one of these is not a subject: "in addition to three soldiers, civilians
# were killed" says nothing of how many civilians.
_NOT_SUBJECT = re.compile(r"(?:\b(?:to|of|in|from|with|at|by|on|than|for|among)|من|في)\s*$")


# A part of a group named before it: "five people, including two children, were killed",
# "seven aid workers, three of them foreigners, were killed".
_PART_BEFORE = re.compile(r"\b(?:including|among\s+them|among\s+whom)\s*$")
_PART_AFTER = re.compile(r"\s+of\s+(?:them|whom)\b")


_MORE_PEOPLE = re.compile(r"\b(?:(?:along|together)\s+with|plus|as\s+well\s+as)\b")


def part(shadow: str, start: int, end: int) -> bool:
    """Whether the figure at ``start:end`` counts a part of a group named before it."""
    return bool(
        _PART_BEFORE.search(shadow, max(0, start - 16), start) or _PART_AFTER.match(shadow, end)
    )


def far_role(shadow: str, n: Number, words: Compiled) -> tuple[str, int] | None:
    """The role of a figure that starts a long subject ("Seven members of the aid group World
    Central Kitchen were killed"): the figure follows no preposition and counts no part of a
    group, and the subject holds no other figure but exact parts ("including two children")."""
    if _NOT_SUBJECT.search(shadow, max(0, n.start - 12), n.start) or part(shadow, n.start, n.end):
        return None
    match = words.role_after_far.match(shadow, n.end)
    if match is None:
        return None
    # "Three sons ..., along with several of his grandchildren, were killed": more than
    # three, by how many the text does not say.
    if _MORE_PEOPLE.search(shadow, n.end, match.end()):
        return None
    for other in numbers(shadow[n.end : match.end()]):
        if other.low != other.high or not part(shadow, n.end + other.start, n.end + other.end):
            return None
    return match.lastgroup or "", match.end()


# Where the words that may name a figure's companion stop: the end of the sentence or
# clause, or another figure.
_COMPANION_STOP = re.compile(r"[.!?؟؛;:\n]|\d")


def companion_end(shadow: str, n: Number, end: int, words: Compiled) -> int | None:
    """Where the one person counted on top of the figure ``n`` of people ends ("six aid
    workers and their driver", "ستة من عمال الإغاثة وسائق فلسطيني", "قتلوا مع سائقهم"),
    searched from the figure to the end of its clause (at most a few words past the fact's
    ``end``); None when there is none."""
    limit = min(len(shadow), max(end, n.end) + 80)
    stop = _COMPANION_STOP.search(shadow, n.end, limit)
    match = words.companion.search(shadow, n.end, stop.start() if stop else limit)
    return match.end() if match else None


# What joins a figure of people to the next one in a list: and, و (the clause goes on).
_AND_BEFORE = re.compile(r"[^.!?؟؛;:\n\d]{0,120}?(?:,?\s+and|(?:\s|،)\s*و)\s*")


def addends(
    shadow: str, figures: list[Number], index: int, end: int, words: Compiled, classify: Classify
) -> list[tuple[float, int]]:
    """The figures of people joined by "and"/و to ``figures[index]``, whose fact ends at
    ``end`` (offsets in ``shadow``), each with where it ends: "killed three sons and four
    grandchildren", "استشهاد 3 من أبنائه و4 من أحفاده". A figure with a role or a unit of its
    own ("and 11 were wounded", "and 2 days later"), a part ("and two of them"), or one that
    counts no people ("and 3 vehicles") ends the list."""
    found: list[tuple[float, int]] = []
    for other in figures[index + 1 :]:
        if other.start < end:
            continue  # inside the fact already (a compound, the companion's words)
        if other.low != other.high or not _AND_BEFORE.fullmatch(shadow, end, other.start):
            break
        if part(shadow, other.start, other.end):
            break
        classified = classify(shadow, other, words)
        if classified is None:
            person = words.person_after.match(shadow, other.end)
            if person is None:
                break
            other_end = person.end()
        elif classified[0] == "count" and classified[1] in PERSON_NOUNS:
            other_end = classified[4]
        else:
            break
        found.append((other.value, max(other_end, other.end)))
        end = found[-1][1]
    return found


# What stands between a figure of people and the next figure in a subject: "and", و.
_AND_ONLY = re.compile(r"[ \t]*[,،]?[ \t]*(?:and[ \t]+|و[ \t]*)")


def earlier_addends(
    shadow: str, figures: list[Number], index: int, start: int, words: Compiled
) -> list[Number]:
    """The figures of people joined by "and"/و right before ``figures[index]``, whose fact
    starts at ``start`` (in ``shadow``), nearest first: "Three sons and four grandsons were
    killed", "3 أطفال و4 نساء قتلوا". Each is exact, counts people, is no part and follows no
    preposition."""
    found: list[Number] = []
    for other in reversed(figures[:index]):
        if other.end > start or other.low != other.high:
            break
        person = words.person_after.match(shadow, other.end)
        if person is None or not _AND_ONLY.fullmatch(shadow, person.end(), start):
            break
        if part(shadow, other.start, other.end) or _NOT_SUBJECT.search(
            shadow, max(0, other.start - 12), other.start
        ):
            break
        found.append(other)
        start = other.start
    return found
