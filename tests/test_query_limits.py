"""Queries that would stop everything: limits refused with a clear message, long searches
stopped by their time limit with partial results, and searches cancelled by a newer one."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from reader.core.config import SearchLimits, load_config
from reader.core.search import guard as search_guard
from reader.core.search.index import update_index
from reader.core.search.query_limits import QueryTooBig
from reader.core.search.searcher import SearchCancelled, Searcher
from tests.conftest import CliRunner, write_config

COMMON = [
    "government",
    "forces",
    "city",
    "military",
    "president",
    "country",
    "security",
    "minister",
    "support",
    "state",
    "people",
    "year",
    "council",
    "army",
    "police",
    "attack",
    "report",
    "meeting",
    "week",
    "office",
    "group",
    "talks",
    "power",
    "water",
    "health",
    "school",
    "market",
    "price",
    "court",
    "party",
    "leader",
    "border",
    "region",
    "area",
    "force",
    "world",
    "house",
    "family",
    "child",
    "night",
    "morning",
    "road",
    "field",
    "officer",
    "crowd",
    "voice",
    "plan",
    "deal",
    "vote",
    "rule",
]
ARABIC = [
    "الحكومة",
    "القوات",
    "المدينة",
    "الجيش",
    "الرئيس",
    "البلاد",
    "الأمن",
    "الوزير",
    "الدعم",
    "الدولة",
]


def _article(rng: random.Random, number: int) -> str:
    arabic = number % 4 == 0
    words = ARABIC if arabic else COMMON
    name = ("حفتر" if arabic else "Haftar") if number % 3 == 0 else ""
    title = " ".join(rng.choice(words) for _ in range(6))
    body = [" ".join([name, *(rng.choice(words) for _ in range(60))]) for _ in range(4)]
    return title + "\n\n" + "\n\n".join(body) + "\n"


@pytest.fixture(scope="module")
def big_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An indexed corpus of 300 generated articles of common words (a quarter Arabic)."""
    folder = tmp_path_factory.mktemp("common")
    corpus = folder / "corpus"
    corpus.mkdir()
    rng = random.Random(11)
    for number in range(300):
        (corpus / f"a{number:04d}.txt").write_text(_article(rng, number), encoding="utf-8")
    path = write_config(folder)
    update_index(load_config(path))
    return path


@pytest.fixture
def searcher(big_config: Path) -> Iterator[Searcher]:
    with Searcher(load_config(big_config)) as opened:
        yield opened


HEAVY = " OR ".join(COMMON[:40])  # accepted, and touches every posting of 40 common words


# ----- limits: refused before running, with the limit named -----

LIMIT_CASES = [
    ("max_query_chars", "2,000", "x " * 1500),
    ("max_nesting", "16", "(" * 40 + "sirte" + ")" * 40),
    ("max_terms", "64", " ".join(f"w{n}x" for n in range(100))),
    ("max_phrase_words", "16", '"' + " ".join(f"w{n}x" for n in range(20)) + '"'),
]


@pytest.mark.parametrize(("key", "value", "query"), LIMIT_CASES, ids=[c[0] for c in LIMIT_CASES])
def test_cli_refuses_a_query_over_a_limit_naming_it(
    run_cli: CliRunner, key: str, value: str, query: str
) -> None:
    assert run_cli("index").returncode == 0
    result = run_cli("search", query)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert f"the limit is {value} ([search] {key})" in lines[0]
    assert len(lines[0]) < 300  # the query itself is not echoed whole
    assert result.stdout == ""


def test_cli_refuses_a_prefix_that_stands_for_too_many_words(
    tmp_path: Path, corpus_dir: Path, run_cli: CliRunner
) -> None:
    config = write_config(tmp_path, extra="[search]\nmax_expansion = 3\n")
    assert run_cli("index", config=config).returncode == 0
    result = run_cli("search", "a*", config=config)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "a*: 4" in result.stderr and "the limit is 3 ([search] max_expansion)" in result.stderr
    # Names' other spellings count too: Haftar has many.
    result = run_cli("search", "Haftar", config=config)
    assert result.returncode == 2
    assert "other spellings of names" in result.stderr and "max_expansion" in result.stderr
    assert run_cli("search", "Haftar", config=write_config(tmp_path)).returncode == 0


def test_cli_search_within_the_limits_still_works(run_cli: CliRunner) -> None:
    assert run_cli("index").returncode == 0
    result = run_cli("search", '"operations room"', "--json")
    assert result.returncode == 0 and result.stdout.count("\n") == 1


def test_limits_live_in_config_and_are_validated(tmp_path: Path, corpus_dir: Path) -> None:
    config = write_config(tmp_path, extra="[search]\nmax_terms = 3\ntime_limit = 0.5\n")
    limits = load_config(config).search_limits
    assert (limits.max_terms, limits.time_limit) == (3, 0.5)
    assert limits.max_phrase_words == SearchLimits().max_phrase_words
    from reader.core.config import ConfigError

    for bad, message in (
        ("max_terms = 0", "[search] max_terms: must be more than 0"),
        ("max_nesting = 5000", "[search] max_nesting: must be more than 0 and at most 100"),
        ('time_limit = "soon"', "[search] time_limit: must be a number of seconds"),
        ("max_expansion = 2.5", "[search] max_expansion: must be a whole number"),
    ):
        path = write_config(tmp_path, extra=f"[search]\n{bad}\n")
        with pytest.raises(ConfigError, match=r"config\.toml:8: " + message.replace("[", r"\[")):
            load_config(path)


def test_a_query_over_a_limit_is_refused_not_cut_down(searcher: Searcher) -> None:
    small = replace(searcher.config, search_limits=SearchLimits(max_terms=3, max_expansion=2))
    searcher.config = small
    with pytest.raises(QueryTooBig) as caught:
        searcher.search("army police attack report")
    assert (caught.value.key, caught.value.limit, caught.value.found) == ("max_terms", 3, 4)
    with pytest.raises(QueryTooBig) as caught:
        searcher.search("p*")  # people, police, power, price...: more than 2 words
    assert caught.value.key == "max_expansion"
    assert len(searcher.search("army police attack").hits) > 0


# ----- cost: a long search stops at its time limit with what it found -----


def test_time_limit_stops_a_search_with_partial_results(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = searcher.search(HEAVY, limit=5)
    assert searcher.last_guard is not None
    full_steps = searcher.last_guard.steps
    matched = len(set(searcher._searcher.docs_for_query(searcher._expand(searcher.parse(HEAVY)))))
    assert not full.partial and (full.total, full.exact) == (matched, True)

    clock = iter(range(0, 10**9, 1))  # a clock that moves one second per look
    monkeypatch.setattr(search_guard, "monotonic", lambda: float(next(clock)))
    partial = searcher.search(HEAVY, limit=5)  # time_limit 3 s: a few looks and it stops
    assert partial.partial and not partial.exact
    assert searcher.last_guard.steps < full_steps / 4
    assert partial.total <= full.total


def test_time_running_out_after_the_matching_never_escapes_the_search(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The deadline passing once the hits are found, while they are put in order (the
    articles in the query's script first reads the language field) or read, gives the hits
    found: never the guard's TimeUp out of ``search`` (seen at 50,000 articles with 16
    searchers on two cores)."""
    assert searcher.config.same_language_first
    found = searcher._top

    def found_then_late(
        q: object, limit: int, filter_q: object, guard: search_guard.Guard
    ) -> tuple[list[tuple[float, int]], int, bool, bool]:
        top = found(q, limit, filter_q, guard)  # type: ignore[arg-type]
        guard.deadline, guard._next = -1.0, 0  # out of time: the next posting read says so
        return top

    monkeypatch.setattr(searcher, "_top", found_then_late)
    searcher._filters.clear()  # the order must read the language field now
    results = searcher.search(HEAVY, limit=5)
    assert len(results.hits) == 5


def test_cli_says_when_results_are_partial(tmp_path: Path, big_config: Path) -> None:
    import subprocess
    import sys

    config = big_config.parent / "tiny_time.toml"
    config.write_text(
        big_config.read_text(encoding="utf-8") + "[search]\ntime_limit = 0.000001\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "reader", "--config", str(config), "search", HEAVY],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert result.returncode == 0
    assert "results are partial" in result.stderr and "[search] time_limit" in result.stderr


# ----- cancellation: a newer search stops this one inside matching -----


class CancelAfter(threading.Event):
    """An event that reads as set from its ``looks``-th look on."""

    def __init__(self, looks: int) -> None:
        super().__init__()
        self.looks, self.seen = looks, 0

    def is_set(self) -> bool:
        self.seen += 1
        return self.seen >= self.looks or super().is_set()


def test_cancel_stops_a_search_inside_matching(searcher: Searcher) -> None:
    searcher.search(HEAVY, limit=5)
    assert searcher.last_guard is not None
    full_steps = searcher.last_guard.steps

    with pytest.raises(SearchCancelled):
        searcher.search(HEAVY, limit=5, cancel=CancelAfter(4))
    stopped = searcher.last_guard
    assert stopped.checks == 3  # the third look inside matching found the cancel
    assert stopped.steps <= 3 * search_guard.CHECK_EVERY < full_steps / 4
    # The searcher is left usable, and no longer guarded by the cancelled search.
    again = searcher.search("army", limit=3)
    assert len(again.hits) == 3 and searcher.last_guard is not stopped


def test_a_cancelled_event_stops_before_any_work(searcher: Searcher) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(SearchCancelled):
        searcher.search(HEAVY, cancel=cancel)
    assert searcher.last_guard is not None and searcher.last_guard.steps == 0
