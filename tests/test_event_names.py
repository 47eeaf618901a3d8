"""Names the gazetteer does not know link English and Arabic coverage of one story.

The articles here are written for these tests: invented people and places (Tayseer Barghal of
Beit Zahran; Nabil al-Khattabi of Wadi Hamdun) that no gazetteer knows, in both scripts.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from reader.core.events import similarity as similarity_module
from reader.core.events.grouping import group_events
from reader.core.events.similarity import ALL_PAIRS_UP_TO, Similarity, profile
from reader.core.events.store_files import read_profiles, store_settings, write_files
from reader.core.names.gazetteer import load_gazetteer
from reader.core.names.transliterate import names_match
from reader.core.names.unknown import bridged, name_keys, unknown_names
from reader.core.sources.article import Article

DAY = date(2025, 3, 4)
GAZETTEER = load_gazetteer()

BARGHAL_EN = (
    "Mayor wounded as shell hits town hall",
    "Residents of Beit Zahran said the mayor, Tayseer Barghal, was wounded when a shell "
    "struck the town hall. Doctors said Barghal was in a stable condition. Neighbours in "
    "Beit Zahran cleared the rubble from the square in front of the building.",
)
BARGHAL_AR = (
    "إصابة رئيس بلدية بقذيفة",
    "قال سكان في بيت زهران إن رئيس البلدية تيسير برغل أصيب عندما سقطت قذيفة على مبنى "
    "البلدية. وقال أطباء إن حالة برغل مستقرة، فيما أزال الأهالي الركام من الساحة.",
)
KHATTABI_EN = (
    "Farmers protest water cuts",
    "Farmers in Wadi Hamdun blocked the main road to protest against water cuts, their "
    "leader Nabil al-Khattabi said. Khattabi said the wells of Wadi Hamdun had run dry.",
)
KHATTABI_AR = (
    "مزارعون يحتجون على انقطاع المياه",
    "أغلق مزارعون في وادي حمدون الطريق الرئيسي احتجاجا على انقطاع المياه، بحسب زعيمهم "
    "نبيل الخطابي. وقال الخطابي إن آبار وادي حمدون جفت.",
)


def _article(article_id: str, text: tuple[str, str], lang: str, day: date = DAY) -> Article:
    return Article(article_id, text[0], text[1], lang, published=day)


def _pairs() -> list[Article]:
    return [
        _article("barghal-en", BARGHAL_EN, "en"),
        _article("barghal-ar", BARGHAL_AR, "ar"),
        _article("khattabi-en", KHATTABI_EN, "en"),
        _article("khattabi-ar", KHATTABI_AR, "ar"),
    ]


def _together(events: list[object], a: str, b: str) -> bool:
    return any(a in e.article_ids and b in e.article_ids for e in events)  # type: ignore[attr-defined]


def test_english_and_arabic_reports_of_unknown_names_group_together() -> None:
    """The gazetteer knows none of these names: before, the two languages shared only the
    date, and each article stood alone."""
    events = group_events(_pairs(), GAZETTEER)
    assert _together(events, "barghal-en", "barghal-ar")
    assert _together(events, "khattabi-en", "khattabi-ar")
    assert not _together(events, "barghal-en", "khattabi-ar")
    assert not _together(events, "barghal-en", "khattabi-en")
    profiles = [profile(a, GAZETTEER) for a in _pairs()]
    sim = Similarity(profiles)
    matched = {(x, y) for x, y, _r in sim.matched_names("barghal-en", "barghal-ar")}
    assert {("barghal", "برغل"), ("tayseer", "تيسير"), ("zahran", "زهران")} <= matched
    assert sim.names_score("barghal-en", "khattabi-ar") == 0.0
    assert sim.score("barghal-en", "khattabi-ar").score < 0.3


def test_english_names_are_capitalised_words_inside_sentences() -> None:
    text = (
        "The council met on Monday in Zahran. On Tuesday, officials said the Government "
        "Media Office would share figures in Oct. and the ministry's office was closed. "
        "Share prices fell. Reporters asked Barghal's aides; NATO and WCK said nothing. "
        "Kitchen staff and the kitchen were safe."
    )
    names = unknown_names(text, "en")
    assert set(names) == {"zahran", "barghal"}
    # Words opening a sentence count when written capitalised mid-sentence elsewhere.
    assert unknown_names("Barghal was hurt. Doctors saw Barghal.", "en") == {"barghal": 2}
    assert unknown_names("Barghal was hurt.", "en") == {}


def test_common_words_are_never_bridged_to_arabic_words() -> None:
    """Transliteration alone reads these English words in Arabic words of the same letters
    (oct / وقت "time", office / وفق "according to", share / شارع "street"): only names,
    which these are not, are matched."""
    assert names_match("وقت", "Oct") and names_match("وفق", "Office")
    assert names_match("شارع", "share")
    english = Article(
        "en",
        "Figures",
        "The Government Media Office said on Oct. 7 that Monday's figures would share the "
        "street names. Share prices fell, the Office added.",
        "en",
        published=DAY,
    )
    arabic = Article(
        "ar", "أرقام", "وفق بيان صدر في وقت لاحق، أغلق شارع رئيسي في المدينة.", "ar", published=DAY
    )
    profiles = [profile(english, GAZETTEER), profile(arabic, GAZETTEER)]
    assert {"وقت", "وفق", "شارع"} <= set(profiles[1].names)  # Arabic: every content word
    assert not profiles[0].names
    sim = Similarity(profiles)
    assert sim.matched_names("en", "ar") == []
    assert sim.names_score("en", "ar") == 0.0


def test_names_the_gazetteer_knows_stay_entities_and_are_not_counted_again() -> None:
    english = Article("en", "t", "Forces loyal to Khalifa Haftar left Tarhuna, Barghal said.", "en")
    arabic = Article("ar", "t", "انسحبت قوات خليفة حفتر من ترهونة بحسب برغل.", "ar")
    for article in (english, arabic):
        found = profile(article, GAZETTEER)
        assert {"haftar", "tarhuna"} <= set(found.entities)
        assert (
            set(found.names) & {"khalifa", "haftar", "tarhuna", "خليفه", "حفتر", "ترهونه"} == set()
        )
        assert set(found.names) & {"barghal", "برغل"}


def test_skeleton_keys_link_names_that_differ_by_one_letter_class() -> None:
    # Tehran is TRN, طهران THRN; Rafah RF, رفح RFH: one class apart, one shared key.
    for arabic, latin in (("طهران", "tehran"), ("رفح", "rafah"), ("هنيه", "haniyeh")):
        assert set(name_keys(arabic)) & set(name_keys(latin)), (arabic, latin)
        assert bridged(arabic, latin)
    assert not bridged("حمدون", "barghal")


def test_a_profile_with_names_round_trips_the_store(tmp_path: Path) -> None:
    profiles = {a.id: profile(a, GAZETTEER) for a in _pairs()}
    assert profiles["barghal-en"].names["barghal"] == 2
    assert profiles["barghal-ar"].names["برغل"] == 2
    settings = store_settings(0.3, "test")
    events = group_events(_pairs(), GAZETTEER)
    write_files(tmp_path, "stamp", settings, profiles, dict.fromkeys(profiles, "d"), events)
    stored = read_profiles(tmp_path, 0.3, "test")
    assert stored is not None
    assert stored[0] == profiles


def test_large_sets_find_english_arabic_pairs_through_their_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Above ALL_PAIRS_UP_TO articles only pairs sharing distinctive features are scored:
    the two reports share a date with a dozen others and the names no one else has."""
    others = [
        Article(
            f"other-{n}",
            f"Note {n}",
            f"Officials reported word{n}a and word{n}b and word{n}c in the region.",
            "en",
            published=DAY + timedelta(days=0 if n < 10 else 3 * (n % 60) + 5),
        )
        for n in range(ALL_PAIRS_UP_TO + 20)
    ]
    articles = [*others, _article("barghal-en", BARGHAL_EN, "en")]
    articles.append(_article("barghal-ar", BARGHAL_AR, "ar"))
    sim = Similarity([profile(a, GAZETTEER) for a in articles])
    assert ("barghal-ar", "barghal-en") in sim.candidate_pairs()
    events = group_events(articles, GAZETTEER)
    assert _together(events, "barghal-en", "barghal-ar")
    # The names did it: without them the pair is not even looked at.
    monkeypatch.setattr(similarity_module.Similarity, "name_pairs", lambda self, cap: {})
    assert ("barghal-ar", "barghal-en") not in sim.candidate_pairs()


def test_an_arabic_report_added_to_a_large_set_joins_the_english_one_by_name(
    tmp_path: Path,
) -> None:
    """The incremental refresh scores an added article against the pairs the full pass
    would: those found through names too."""
    from reader.core.events import store as event_store

    others = [
        Article(
            f"other-{n}",
            f"Note {n}",
            f"Officials reported word{n}a and word{n}b and word{n}c in the region.",
            "en",
            published=DAY + timedelta(days=0 if n < 10 else 3 * (n % 60) + 5),
        )
        for n in range(ALL_PAIRS_UP_TO + 20)
    ]
    first = [*others, _article("barghal-en", BARGHAL_EN, "en")]
    everything = [*first, _article("barghal-ar", BARGHAL_AR, "ar")]
    event_store.refresh(tmp_path, first, GAZETTEER, "test", threshold=0.3)
    incremental = event_store.refresh(tmp_path, everything, GAZETTEER, "test", threshold=0.3)
    assert _together(incremental, "barghal-en", "barghal-ar")
    full = group_events(everything, GAZETTEER)
    assert {e.article_ids for e in incremental} == {e.article_ids for e in full}


def test_one_short_name_read_in_a_common_arabic_word_does_not_make_a_story() -> None:
    """ "Hague" reads as حقق ("verified"): one such chance match in a small set must not link
    two stories, while the several names of one story still do."""
    assert bridged("حقق", "hague")
    english = Article(
        "en",
        "Court hearing",
        "Lawyers met judges in The Hague on Tuesday, an analyst at the Clingendael "
        "institute in The Hague said.",
        "en",
        published=DAY,
    )
    arabic = Article(
        "ar", "أمطار", "حقق المزارعون محصولا وفيرا بعد أمطار غزيرة هطلت على السهول.", "ar"
    )
    articles = [english, arabic, *_pairs()]
    sim = Similarity([profile(a, GAZETTEER) for a in articles])
    assert [x for x, _y, _r in sim.matched_names("en", "ar")] == ["hague"]
    assert sim.names_score("en", "ar") < 0.2
    assert sim.score("en", "ar").score < 0.3
    assert sim.names_score("barghal-en", "barghal-ar") > 2 * sim.names_score("en", "ar")
    events = group_events(articles, GAZETTEER)
    assert not _together(events, "en", "ar")
    assert _together(events, "barghal-en", "barghal-ar")


def test_the_stored_table_scores_names_as_the_similarity_does(tmp_path: Path) -> None:
    """The compare view's table (event-scores.sqlite) gives English–Arabic pairs linked only by
    names the gazetteer does not know the very score a Similarity gives them."""
    from reader.core.events import store as event_store
    from reader.core.events import store_files
    from reader.core.events.pivot_scores import scores_from_table
    from reader.core.events.store_header import header_line, store_settings
    from reader.core.events.store_scores import SCORES_FILE

    articles = _pairs()
    event_store.refresh(tmp_path, articles, GAZETTEER, "test", threshold=0.3)
    stored = store_files.read_profiles(tmp_path, 0.3, "test")
    assert stored is not None
    profiles, digests, _groups = stored
    similarity = Similarity(list(profiles.values()))
    header = header_line(tmp_path)
    assert header is not None
    linked = 0
    for pivot in sorted(profiles):
        scores = scores_from_table(
            tmp_path / SCORES_FILE,
            pivot,
            digests[pivot],
            store_settings(0.3, "test"),
            header["scores"],
        )
        assert scores is not None
        for other in profiles:
            if other != pivot:
                assert scores[other] == similarity.score(pivot, other).score
                linked += similarity.names_score(pivot, other) > 0
    assert linked >= 4  # the English and Arabic reports of each story, both ways


def test_a_huge_word_is_no_name_and_costs_no_quadratic_work() -> None:
    """A hostile article's one-word line of 100,000 letters (either script) is not taken for a
    name, gets no skeleton keys (their one-deletion neighbours would be quadratic), and a long
    run of spaces before a capitalised word is looked back over only so far."""
    from reader.core.names import unknown

    latin = "Q" + "u" * 100_000
    arabic = "ق" * 100_000
    text = f"He met {latin} and Barghal. {' ' * 200_000}Barghal spoke."
    assert unknown.name_keys(latin.lower()) == ()
    assert unknown.name_keys(arabic) == ()
    names = unknown.unknown_names(text, "en")
    assert "barghal" in names and all(len(n) <= 40 for n in names)
    assert unknown.unknown_names(f"قال {arabic} و برغل", "ar").keys() <= {"برغل", "قال"}
