"""The work profiling an article costs (issue 13): the quick tests that skip the expensive
regular expressions, counted; what they skip never changes a result."""

from __future__ import annotations

import dataclasses
import pickle
import random
import re
from collections import Counter
from datetime import date
from typing import Any

import pytest

from reader.core.events import facts as facts_module
from reader.core.events import features as features_module
from reader.core.events import profiling as profiling_module
from reader.core.events.facts import find_facts
from reader.core.events.features import lead, profile
from reader.core.events.lexicon import Compiled, active_lexicon, compiled
from reader.core.names import content_terms as content_terms_module
from reader.core.names import entities as entities_module
from reader.core.names import entity_words
from reader.core.names import unknown as unknown_module
from reader.core.names.content_terms import content_term_counts, content_terms
from reader.core.names.entities import find_entities
from reader.core.names.gazetteer import load_gazetteer
from reader.core.names.unknown import unknown_names
from reader.core.sources.article import Article


class _Counted:
    """A compiled pattern whose calls are counted."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.calls = 0

    def match(self, *args: Any) -> re.Match[str] | None:
        self.calls += 1
        return self.pattern.match(*args)

    def search(self, *args: Any) -> re.Match[str] | None:
        self.calls += 1
        return self.pattern.search(*args)


def _counting(words: Compiled, *names: str) -> tuple[Compiled, dict[str, _Counted]]:
    counted = {name: _Counted(getattr(words, name)) for name in names}
    return dataclasses.replace(words, **counted), counted  # type: ignore[arg-type]


# Figures followed by words some role starts with ("were", "in", "في") but by no role.
_NO_ROLE = (
    "In 2019, 15 were there and 20 were in the square. Some 30 are in Tripoli, 40 were "
    "being watched, 12 in the old town, 1,500 of them. وكان 25 في المدينة و30 في الميناء."
)


def test_a_role_word_alone_does_not_run_the_role_patterns(monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: "were", "in", "في" start roles ("were held", "in custody", "في عداد المفقودين"),
    # so every figure they follow ran role_after and role_after_companion (about half the
    # figures of real news); now the other words of such a role must be in the text too.
    words, counted = _counting(compiled(active_lexicon()), "role_after", "role_after_companion")
    monkeypatch.setattr(facts_module, "compiled", lambda _lexicon: words)
    assert not [f for f in find_facts(_NO_ROLE) if f.unit == "people"]
    assert counted["role_after"].calls == 0
    assert counted["role_after_companion"].calls == 0


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Officials said 12 were held overnight.", "detained"),
        ("At least 40 people remain in custody.", "detained"),
        ("Some 300 families were forced from their homes.", "displaced"),
        ("أصبح 12 شخصا في عداد المفقودين.", "missing"),
        ("وأفاد أن 7 قتلى سقطوا.", "killed"),
        ("About 20 migrants were in custody and 30 were killed.", "killed"),
    ],
)
def test_roles_of_several_words_are_still_found(text: str, kind: str) -> None:
    assert kind in {f.kind for f in find_facts(text)}


def test_the_quick_test_passes_where_every_word_of_a_role_is_after_the_figure() -> None:
    words = compiled(active_lexicon())
    assert words.may_have_role_after("x 12 were then held", 4)
    assert not words.may_have_role_after("held: 12 were there", 8)  # "held" is before it
    assert not words.may_have_role_after("x 12 were there", 4)


_ENTITY_TEXT = (
    "The head of the office said in a statement to the press that the Government of National "
    "Accord and the House of Representatives met in Tripoli, as al-Mismari of the LNA and "
    "the High Council of State said on Monday. Marsa al-Brega is in the east of the country. "
    "وقال رئيس المكتب في بيان إن حكومة الوفاق الوطني في طرابلس ومجلس النواب في الشرق."
)


def test_words_no_name_can_reach_are_not_made(monkeypatch: pytest.MonkeyPatch) -> None:
    # "of", "in", "to", "في" are words of aliases ("House of Representatives"), so every one
    # of them was made into a word to match; one no name can reach (the word before it is
    # no alias's) is now left out: fewer words made, the same mentions.
    gazetteer = load_gazetteer()
    find_entities("", gazetteer)
    expected = [(m.key, m.start, m.end, m.surface) for m in find_entities(_ENTITY_TEXT, gazetteer)]
    made = []
    real = entity_words._Word

    def counted(*args: Any) -> Any:
        made.append(args[2])
        return real(*args)

    monkeypatch.setattr(entity_words, "_Word", counted)
    found = find_entities(_ENTITY_TEXT, gazetteer)
    assert [(m.key, m.start, m.end, m.surface) for m in found] == expected
    assert {m.key for m in found} >= {"gna", "hor", "mismari", "tripoli", "brega"}
    # Before, "of" after "head", "in" after "said", "a", "to", "on", "في" after "المكتب"...
    # were made too: only the words of a run that starts with a name's first word are now.
    assert made == [
        *("Government", "of", "National", "Accord", "House", "of", "Representatives"),
        *("Tripoli", "as", "Mismari", "of", "LNA", "High", "Council", "of", "State"),
        *("Marsa", "Brega", "حكومة", "الوفاق", "الوطني", "في", "طرابلس", "ومجلس", "النواب", "في"),
    ]


def test_profile_works_out_each_distinct_word_of_its_terms_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Before, every word of the title and lead was stemmed (content_terms, one by one); the
    # words are now looked up in C, and a word's term is worked out the first time it comes.
    monkeypatch.setattr(content_terms_module, "_TERMS", {"en": {}, "ar": {}})
    worked: list[str] = []
    real = content_terms_module._term

    def counted(word: str, arabic: bool) -> str:
        worked.append(word)
        return real(word, arabic)

    monkeypatch.setattr(content_terms_module, "_term", counted)
    body = "The army said the army moved. " * 50 + "\n\nالجيش قال إن الجيش تحرك. " * 20
    found = profile(Article("a", "Army moves", body, "en"), load_gazetteer())
    assert sorted(worked) == sorted({"army", "moves", "the", "said", "moved"})
    assert found.terms == Counter(content_terms(f"Army moves\n{lead(body)}", "en"))
    assert found.terms["army"] > 20


def test_term_counts_are_the_counted_terms_in_the_same_order() -> None:
    for text, lang in [
        ("The armies moved; the army's move, armies, moving, Erdoğan’s men.", "en"),
        ("والجيش الليبي قال إن الجيش والقوات الليبية تحركت، القوات.", "ar"),
        ("", "en"),
        ("mixed الجيش army الجيش Army", "ar"),
    ]:
        counted = content_term_counts(text, lang)
        assert list(counted.items()) == list(Counter(content_terms(text, lang)).items())


def _plain_lower_case_words(text: str) -> set[str]:
    """The words ``text`` writes in lower case, folded: every token folded (as before)."""
    return {
        unknown_module._latin_form(t) for t in unknown_module._EN_TOKEN.findall(text) if t.islower()
    }


_NAME_PIECES = [
    *("Ali", "ali", "Ali's", "ali's", "ali’s", "Salamé", "salamé", "salame", "Erdoğan"),
    *("erdoğan", "Office", "office", "James's", "james's", "james’s", "O'Brien", "o'brien"),
    *("ÉCOLE", "école", "Mismari", "mismari", "X's's", "x's's", "x's", "share", "Share"),
]


def test_only_the_forms_asked_about_are_looked_for_in_lower_case() -> None:
    rng = random.Random(13)
    for _ in range(300):
        text = " ".join(rng.choice(_NAME_PIECES) for _ in range(rng.randint(0, 12)))
        forms = {unknown_module._latin_form(rng.choice(_NAME_PIECES)) for _ in range(4)}
        plain = _plain_lower_case_words(text)
        assert unknown_module._lower_case_words(text, forms) == forms & plain, (text, forms)


def test_unknown_names_fold_only_the_words_they_need(monkeypatch: pytest.MonkeyPatch) -> None:
    # Before, every distinct lower-case word of an English text was folded to learn which
    # capitalised words are also written in lower case; now only the candidates' spellings
    # are looked up (and the words with marks or ’ folded).
    words = " ".join(f"word{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(200))
    text = f"Officials said {words}. The envoy Kadri met the office of Salamé in Tripoli."
    folded: list[str] = []
    real = unknown_module._latin_form

    def counted(token: str) -> str:
        folded.append(token)
        return real(token)

    monkeypatch.setattr(unknown_module, "_latin_form", counted)
    names = unknown_names(text, "en")
    assert set(names) == {"kadri", "salame", "tripoli"}
    assert len(folded) < 20, folded


def test_a_figure_with_no_currency_sign_before_it_is_not_searched_for_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counted = _Counted(facts_module._MONEY_BEFORE)
    monkeypatch.setattr(facts_module, "_MONEY_BEFORE", counted)
    text = "Officials said 12 boats, 40 trucks and 300 homes were seen near 7 towns."
    assert not [f for f in find_facts(text) if f.kind == "money"]
    assert counted.calls == 0  # before: one search a figure
    money = find_facts("It cost $20 million, US$ 5 billion, usd 3, € 40 and £ 7 more.")
    assert [f.unit for f in money if f.kind == "money"] == ["USD", "USD", "USD", "EUR", "GBP"]
    assert counted.calls > 0


def test_a_worker_keeps_what_its_gazetteer_learnt_from_one_chunk_to_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each chunk reaches a worker with its own (unpickled) copy of the gazetteer, which
    # forgot the spellings it had worked out: the same words were worked out again each chunk.
    gazetteer = load_gazetteer()
    sent = [
        (f"a{i}", "Haftar in Sirte", "Officials in Tripoli met Haftar.", "en", None)
        for i in range(3)
    ]
    made: list[str] = []
    real = entity_words._lexeme

    def counted(surface: str, *args: Any) -> Any:
        made.append(surface)
        return real(surface, *args)

    monkeypatch.setattr(entity_words, "_lexeme", counted)
    first = profiling_module._profile_chunk((pickle.loads(pickle.dumps(gazetteer)), sent))
    learnt = len(made)
    again = profiling_module._profile_chunk((pickle.loads(pickle.dumps(gazetteer)), sent))
    assert again == first
    assert learnt > 0 and len(made) == learnt
    other = load_gazetteer(builtin=False)  # other entities: its own memory
    profiling_module._profile_chunk((other, sent))
    assert len(made) > learnt


_SENTENCES = (
    *("Officials in Tripoli said 12 people were killed on May 18, 2020.", "At least 40 were held"),
    *(" in custody near Sirte.", "Some 300 families were forced from their homes in Tarhuna.", ""),
    *("The Government of National Accord paid $20 million, US$ 5 billion and € 40 to them.", ""),
    *("Haftar's forces and al-Mismari of the LNA met 7 envoys in Cairo on 3 June.", "Kadri"),
    *(" and Salamé met the office of the House of Representatives at 10:30 p.m.", "14 were"),
    *(" in the square as 2019 ended; 1,500 of them were displaced.", "Ten members of the "),
    *("They paid € 15 in fees.", "It cost £ 7 each.", "A usd 9 levy.", "In 2020, 15 were there."),
    *("family, including his sister, were killed.", "Officials said three soldiers and four "),
    *("civilians were wounded.", "وقال المسماري إن 12 شخصا قتلوا في طرابلس يوم 18 مايو 2020.", ""),
    *("أصبح 25 في عداد المفقودين و30 في الميناء، وحكومة الوفاق الوطني دفعت 20 مليون دولار.", ""),
    *("ونزح عشرات الآلاف من ترهونة، واعتقلت الشرطة خمسة أشخاص في بنغازي الساعة الخامسة مساءً.", ""),
)


def _generated(rng: random.Random) -> list[Article]:
    articles = []
    for i in range(150):
        lang = rng.choice(("en", "ar"))
        pieces = [s for s in _SENTENCES if s and (lang == "ar") == ("ا" in s)]
        body = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        title = rng.choice(pieces)[:60]
        day = rng.choice((None, date(2020, 5, 19), date(2020, 6, 2)))
        articles.append(Article(f"g{i}", title, body, lang, published=day))
    return articles


def test_profiles_are_those_of_the_slow_paths_on_a_varied_generated_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every quick test and shortcut of issue 13 switched off gives the same profiles.
    gazetteer = load_gazetteer()
    articles = _generated(random.Random(2026))
    fast = [profile(a, gazetteer) for a in articles]
    assert sum(len(p.facts) for p in fast) > 600
    assert sum(len(p.entities) for p in fast) > 300
    assert sum(len(p.names) for p in fast) > 30

    real_words = entities_module._words
    monkeypatch.setattr(
        entities_module,
        "_words",
        lambda text, live=None, memory=None, first=None: real_words(text, live),
    )
    monkeypatch.setattr(Compiled, "may_have_role_after", lambda self, text, at: True)
    monkeypatch.setattr(facts_module, "_may_be_money", lambda before: True)
    monkeypatch.setattr(
        unknown_module, "_lower_case_words", lambda text, forms: _plain_lower_case_words(text)
    )
    monkeypatch.setattr(
        features_module,
        "content_term_counts_of",
        lambda texts, lang: Counter(content_terms("\n".join(texts), lang)),
    )
    slow = [profile(a, load_gazetteer()) for a in articles]
    assert slow == fast
