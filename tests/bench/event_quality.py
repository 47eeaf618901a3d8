"""How well reader groups a labelled corpus into events: pairwise precision and recall, the
English–Arabic pairs of one event put together, a confusion table, and a threshold sweep.

Run ``python -m tests.bench.event_quality CONFIG LABELS [--sweep] [--background]`` from the
project root: CONFIG is a reader config.toml whose corpus holds the articles, LABELS a TOML file
with a ``[labels]`` table (article id -> event name; every article of the corpus must be
labelled, unless ``--background``: then the others are a library's other coverage, that no
labelled event holds, and what joins them is counted: :func:`background`).
It builds (or updates) the index of CONFIG, asks the library for its events as the CLI and the
app do, and prints the figures; ``--sweep`` also regroups at thresholds 0.20..0.45. The corpus
stays wherever CONFIG says: this module holds no article text.

:func:`measure` and :func:`confusion` are also what tests/test_event_grouping_quality.py checks
on the project's own labelled set, so both report the same figures the same way.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

SWEEP = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45)


def pairs(groups: Mapping[str, str]) -> set[tuple[str, str]]:
    """The unordered pairs of ids (each in id order) that ``groups`` (id -> group) puts in one
    group."""
    members: dict[str, list[str]] = {}
    for article_id, group in groups.items():
        members.setdefault(group, []).append(article_id)
    return {p for ids in members.values() for p in combinations(sorted(ids), 2)}


@dataclass(frozen=True, slots=True)
class Quality:
    """The pair counts of one grouping against the labels: ``right`` pairs grouped together
    that the labels put together, of ``grouped`` pairs grouped together and ``labelled`` pairs
    the labels put together; ``cross`` the labelled pairs of two languages, ``cross_together``
    how many of them were grouped together; ``cross_missed`` those that were not."""

    right: int
    grouped: int
    labelled: int
    cross: int
    cross_together: int
    cross_missed: tuple[tuple[str, str], ...]
    events: int

    @property
    def precision(self) -> float:
        return self.right / self.grouped if self.grouped else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.labelled if self.labelled else 1.0

    def lines(self) -> list[str]:
        """The figures as printed lines."""
        return [
            f"precision {self.precision:.3f} ({self.right}/{self.grouped} pairs grouped together"
            " are right)",
            f"recall    {self.recall:.3f} ({self.right}/{self.labelled} labelled pairs grouped"
            " together)",
            f"English-Arabic pairs of one event together: {self.cross_together}/{self.cross}",
        ]


def measure(
    labels: Mapping[str, str], found: Mapping[str, str], lang: Mapping[str, str]
) -> Quality:
    """The quality of ``found`` (article id -> event id) against ``labels`` (article id ->
    event name); ``lang``: each article's language. Only labelled articles count."""
    truth = pairs(labels)
    got = pairs({a: g for a, g in found.items() if a in labels})
    cross = {(a, b) for a, b in truth if lang[a] != lang[b]}
    right = truth & got
    return Quality(
        right=len(right),
        grouped=len(got),
        labelled=len(truth),
        cross=len(cross),
        cross_together=len(cross & got),
        cross_missed=tuple(sorted(cross - got)),
        events=len({found[a] for a in labels}),
    )


def confusion(labels: Mapping[str, str], found: Mapping[str, str]) -> str:
    """Label x found event: how many articles of each label went to each event found (events
    found named G1, G2... by size)."""
    cells = Counter((labels[a], found[a]) for a in labels)
    names_of = sorted(set(labels.values()))
    groups = sorted(
        {found[a] for a in labels}, key=lambda g: (-sum(cells[lb, g] for lb in names_of), g)
    )
    names = {g: f"G{n}" for n, g in enumerate(groups, start=1)}
    width = max(len(lb) for lb in names_of)
    lines = [" " * width + " " + " ".join(f"{names[g]:>4}" for g in groups)]
    for label in names_of:
        row = " ".join(f"{cells[label, g] or '.':>4}" for g in groups)
        lines.append(f"{label:>{width}} {row}")
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Background:
    """What a grouping did with the articles no label names (a library's other coverage, of
    none of the labelled events): ``joined`` labelled articles put in an event with one of
    them or more, of ``labelled``; ``grouped`` of the ``others`` in an event of several, and
    ``among_themselves`` events of several made of them alone."""

    labelled: int
    joined: int
    others: int
    grouped: int
    among_themselves: int

    def lines(self) -> list[str]:
        """The figures as printed lines."""
        return [
            f"labelled articles grouped with unlabelled ones: {self.joined}/{self.labelled}",
            f"unlabelled articles in an event of several: {self.grouped}/{self.others}"
            f" ({self.among_themselves} events of unlabelled articles alone)",
        ]


def background(labels: Mapping[str, str], found: Mapping[str, str]) -> Background:
    """:class:`Background` of ``found`` (every article id -> event id) against ``labels``."""
    members: dict[str, list[str]] = {}
    for article_id, group in found.items():
        members.setdefault(group, []).append(article_id)
    several = [ids for ids in members.values() if len(ids) > 1]
    others = [a for a in found if a not in labels]
    return Background(
        labelled=sum(a in found for a in labels),
        joined=sum(1 for ids in several for a in ids if a in labels)
        - sum(len(ids) for ids in several if all(a in labels for a in ids)),
        others=len(others),
        grouped=sum(1 for ids in several for a in ids if a not in labels),
        among_themselves=sum(1 for ids in several if not any(a in labels for a in ids)),
    )


def read_labels(path: Path) -> dict[str, str]:
    """The ``[labels]`` table of a TOML file (article id -> event name)."""
    table = tomllib.loads(path.read_text("utf-8")).get("labels")
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise ValueError(f"{path}: needs a [labels] table of article id = event name")
    return {str(k): v for k, v in table.items()}


def main(argv: list[str] | None = None) -> int:
    from reader.core.config import load_config
    from reader.core.library import Library

    parser = argparse.ArgumentParser(prog="python -m tests.bench.event_quality")
    parser.add_argument("config", type=Path)
    parser.add_argument("labels", type=Path)
    parser.add_argument("--sweep", action="store_true", help="also regroup at 0.20..0.45")
    parser.add_argument(
        "--background",
        action="store_true",
        help="articles without a label are other coverage (count what joins them)",
    )
    args = parser.parse_args(argv)
    labels = read_labels(args.labels)
    config = load_config(args.config)
    with Library(config) as library:
        library.update()
        articles = library.articles()
        unlabelled = sorted(a.id for a in articles if a.id not in labels)
        missing = sorted(set(labels) - {a.id for a in articles})
        if missing or (unlabelled and not args.background):
            print(f"unlabelled articles: {unlabelled}; labels with no article: {missing}")
            return 2
        lang = {a.id: a.lang for a in articles}
        counts = Counter((labels[a.id], a.lang) for a in articles if a.id in labels)
        print(f"{len(articles)} articles, {sum(v == 'ar' for v in lang.values())} in Arabic")
        if unlabelled:
            print(f"  of which {len(unlabelled)} unlabelled (other coverage)")
        for name in sorted(set(labels.values())):
            print(f"  {name}: en {counts[name, 'en']}, ar {counts[name, 'ar']}")
        events = library.events()
        found = {a: e.id for e in events for a in e.article_ids}
        quality = measure(labels, found, lang)
        print(
            f"\nthreshold {config.event_threshold} (config): {quality.events} events found, "
            f"{len(set(labels.values()))} labelled"
        )
        print("\n".join(quality.lines()))
        if args.background:
            print("\n".join(background(labels, found).lines()))
        for a, b in quality.cross_missed:
            print(f"  apart: {a} / {b}")
        print(confusion(labels, found))
        for event in events:
            if len(event.article_ids) > 1 and any(a in labels for a in event.article_ids):
                print(f"  {event.id}: {event.label} ({len(event.article_ids)})")
        if args.sweep:
            print("\nthreshold  events  precision            recall               EN-AR  joined")
            for threshold in SWEEP:
                grouped = library.events(threshold=threshold)
                q = measure(labels, {a: e.id for e in grouped for a in e.article_ids}, lang)
                precision = f"{q.precision:.3f} ({q.right}/{q.grouped})"
                recall = f"{q.recall:.3f} ({q.right}/{q.labelled})"
                joined = background(labels, {a: e.id for e in grouped for a in e.article_ids})
                print(
                    f"{threshold:9.2f}  {q.events:6d}  {precision:<20} {recall:<20} "
                    f"{q.cross_together}/{q.cross}  {joined.joined}/{joined.labelled}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
