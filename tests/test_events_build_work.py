"""The work the parent does for events when the index is built (issue 13): grouping and the
similarity table, counted; what a shortcut skips never changes a stored byte."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from reader.core.events import names_part
from reader.core.events import similarity as similarity_module
from reader.core.events.features import Profile, profile
from reader.core.events.grouping import group_profiles
from reader.core.events.similarity import ALL_PAIRS_UP_TO, Similarity
from reader.core.events.store_files import write_files
from reader.core.events.store_header import store_settings
from reader.core.names import unknown as unknown_module
from reader.core.names.gazetteer import load_gazetteer
from reader.core.sources.article import Article

# Names the gazetteer does not know, in both scripts (tests/data/name_pairs.tsv).
_NAMES = (
    ("Kununu", "قنونو"),
    ("Hashemi", "الهاشمي"),
    ("Watiya", "الوطية"),
    ("Mismari", "المسماري"),
    ("Kadhimi", "الكاظمي"),
    ("Tebboun", "تبون"),
    ("Halbousi", "الحلبوسي"),
    ("Talabani", "الطالباني"),
    ("Barzani", "البرزاني"),
    ("Sudani", "السوداني"),
    ("Dbeibah", "الدبيبة"),
    ("Zarif", "ظريف"),
    ("Qamishli", "القامشلي"),
    ("Marrakesh", "مراكش"),
    ("Hodeidah", "الحديدة"),
    ("Fallujah", "الفلوجة"),
    ("Karbala", "كربلاء"),
    ("Nasrallah", "نصر الله"),
    ("Soleimani", "سليماني"),
    ("Rouhani", "روحاني"),
)
_EN = "{a} and {b} met near {c} on Tuesday; officials in Tripoli said {n} were killed, {m} hurt."
_AR = "التقى {a} و{b} قرب {c} يوم الثلاثاء، وقال مسؤولون في طرابلس إن {n} قتلوا و{m} جرحوا."


def _articles(count: int) -> list[Article]:
    """``count`` short articles in English and Arabic, in groups naming the same unknown
    names and figures a few days apart."""
    rng = random.Random(13)
    articles = []
    for i in range(count):
        group = i // 6
        names = [_NAMES[(group * 7 + k) % len(_NAMES)] for k in range(3)]
        lang = "ar" if i % 3 == 0 else "en"
        script = 1 if lang == "ar" else 0
        text = (_AR if lang == "ar" else _EN).format(
            a=names[0][script],
            b=names[1][script],
            c=names[2][script],
            n=group + 3,
            m=rng.randint(2, 9),
        )
        day = date(2020, 5, 1) + timedelta(days=group % 40)
        articles.append(Article(f"a{i:04d}", text[:40], text, lang, published=day))
    return articles


@pytest.fixture(scope="module")
def profiles() -> list[Profile]:
    gazetteer = load_gazetteer()
    found = [profile(a, gazetteer) for a in _articles(ALL_PAIRS_UP_TO + 60)]
    assert sum(bool(p.names) for p in found if p.lang == "ar") > 50
    return found


def _build(folder: Path, profiles: list[Profile]) -> None:
    """What the events store's build does in the parent once the profiles are made."""
    gazetteer = load_gazetteer()
    similarity = Similarity(profiles)
    titles = {p.article_id: p.article_id for p in profiles}
    events = group_profiles(profiles, titles, gazetteer, threshold=0.3, similarity=similarity)
    digests = {p.article_id: f"d{p.article_id}" for p in profiles}
    by_id = {p.article_id: p for p in profiles}
    settings = store_settings(0.3, "test")
    write_files(folder, "stamp", settings, by_id, digests, events, similarity=similarity)


def test_the_names_pairs_are_found_once_per_build(
    profiles: list[Profile], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: the grouping's candidate search and the similarity table each linked the
    # English and Arabic articles by names (a second of CPU at 10,000 articles).
    calls = []
    real = unknown_module.linked_by_names

    def counted(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(names_part, "linked_by_names", counted)
    _build(tmp_path, profiles)
    assert len(calls) == 1
    assert similarity_module.Similarity(profiles).name_pairs(50)  # pairs are found at all


def test_the_similarity_table_does_not_depend_on_the_order_articles_come_in(
    profiles: list[Profile], tmp_path: Path
) -> None:
    # Before: its keyed rows went in as sets and counters iterate (the order of the articles,
    # and of each article's facts, which changes with the hash seed), each a B-tree insert
    # in the middle; now in key order: the same file bytes for the same rows, and appends.
    from reader.core.events.store_scores import write_scores

    digests = {p.article_id: f"d{p.article_id}" for p in profiles}
    by_id = {p.article_id: p for p in profiles}
    events = [(f"e{p.article_id}", [p.article_id], "{}") for p in profiles]
    written: list[bytes] = []
    for order, listed in ((profiles, events), (profiles[::-1], events[::-1])):
        path = tmp_path / f"{len(written)}.sqlite"
        write_scores(path, by_id, digests, {"t": 1}, "token", listed, Similarity(order))
        written.append(path.read_bytes())
    assert written[0] == written[1]


def test_an_arabic_name_in_many_articles_is_spelt_out_once(
    profiles: list[Profile], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: its skeleton keys, the English names sharing one and the transliteration
    # check of each were worked out again for every Arabic article naming it.
    looked_up: Counter[str] = Counter()
    real = unknown_module.name_keys

    def counted(form: str) -> tuple[str, ...]:
        looked_up[form] += 1
        return real(form)

    monkeypatch.setattr(unknown_module, "name_keys", counted)
    assert Similarity(profiles).name_pairs(50)
    arabic = Counter(n for p in profiles if p.lang == "ar" for n in p.names)
    assert max(arabic.values()) > 5  # names shared by several Arabic articles
    assert all(looked_up[form] <= 1 for form in arabic)
