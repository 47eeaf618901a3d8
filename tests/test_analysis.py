"""Arabic and English analysis: each normalization, prefix and suffix rule, and tokenization."""

from __future__ import annotations

import pytest

from reader.core.search import arabic
from reader.core.search.analysis import ReaderAnalyzer, fold_term, index_term, query_to_logical


def terms(text: str) -> list[str]:
    return [t.text for t in ReaderAnalyzer()(text)]


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("آمن", "امن"),  # alef madda
        ("أحمد", "احمد"),  # hamza above
        ("إيمان", "ايمان"),  # hamza below
        ("مستشفى", "مستشفي"),  # alef maksura -> yeh
        ("مدرسة", "مدرسه"),  # teh marbuta -> heh
        ("جـــميل", "جميل"),  # tatweel
        ("مُحَمَّدٌ", "محمد"),  # harakat: damma, fatha, shadda, dammatan
        ("كِتَابً", "كتاب"),  # kasra, fathatan
        ("مِنْ", "من"),  # sukun
        ("١٤٠", "140"),  # Arabic-Indic digits
    ],
)
def test_normalization_rules(raw: str, normalized: str) -> None:
    assert arabic.normalize(raw) == normalized


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("الكتاب", "كتاب"),  # ال
        ("والكتاب", "كتاب"),  # وال
        ("بالكتاب", "كتاب"),  # بال
        ("كالكتاب", "كتاب"),  # كال
        ("فالكتاب", "كتاب"),  # فال
        ("للكتاب", "كتاب"),  # لل
        ("وكتاب", "كتاب"),  # و (word of 4+ letters)
        ("ولد", "ولد"),  # و not removed from a 3-letter word
        ("ال", "ال"),  # prefix needs two letters left
    ],
)
def test_prefix_rules(word: str, stem: str) -> None:
    assert arabic.strip_prefix(word) == stem


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("كتابها", "كتاب"),  # ها
        ("مسلمان", "مسلم"),  # ان
        ("مسلمات", "مسلم"),  # ات
        ("مسلمون", "مسلم"),  # ون
        ("مسلمين", "مسلم"),  # ين
        ("عربيه", "عرب"),  # يه
        ("عربية", "عرب"),  # ية (unnormalized input)
        ("كتابه", "كتاب"),  # ه
        ("مدرسة", "مدرس"),  # ة
        ("عربي", "عرب"),  # ي
        ("به", "به"),  # too short to strip
    ],
)
def test_suffix_rules(word: str, stem: str) -> None:
    assert arabic.strip_suffixes(word) == stem


def test_tokenizer_keeps_harakat_inside_words() -> None:
    # Whoosh's default tokenizer would split عمّان at the shadda into two words.
    assert terms("عمّان") == terms("عمان")
    assert len(terms("زار عمّان أمس")) == 3


def test_final_yeh_variants_meet() -> None:
    assert index_term("المسمارى") == index_term("مسماري") == index_term("المسماري")


def test_teh_marbuta_variants_meet() -> None:
    assert index_term("الوطيه") == index_term("الوطية")


def test_light_stemmer_not_root_stemmer() -> None:
    # ISRI maps الأسبوع (the week) to سبع (seven); light10 must not.
    assert index_term("الأسبوع") != index_term("سبعة")
    assert index_term("القاهرة") == "قاهر"


def test_arabic_stopwords_removed() -> None:
    assert terms("في من على") == []
    assert index_term("إلى") is None and index_term("الى") is None


def test_presentation_forms_fold_with_nfkc() -> None:
    assert index_term("ﺍﻟﻤﺴﻤﺎﺭﻱ") == index_term("المسماري")
    assert fold_term("ﻻ") == "لا"


def test_visual_copy_of_a_query_is_reversed_back() -> None:
    visual = "ﻱﺭﺎﻤﺴﻤﻟﺍ"  # what a terminal shows, copied: shaped and reversed
    assert index_term(query_to_logical(visual)) == index_term("المسماري")
    assert query_to_logical("Haftar") == "Haftar"


@pytest.mark.parametrize(
    ("screen", "logical"),
    [
        ("ﺮﺘﻔﺣ ﺔﻔﻴﻠﺧ", "خليفة حفتر"),  # two words: their order too
        ("ﺔﻴﻃﻮﻟﺍ ﺓﺪﻋﺎﻗ", "قاعدة الوطية"),
        ("ﺮﺋﺍﺰﺠﻟﺍ ﻻﻭ", "ولا الجزائر"),  # a lam-alef ligature: lam then alef, after the flip
        ("ﻞﻴﺘﻗ 5,300", "5,300 قتيل"),  # a number keeps its own order
        ("٢٠٢٠ ﺱﺭﺎﻣ", "مارس ٢٠٢٠"),
        ("Haftar ﺮﺘﻔﺣ", "Haftar ﺮﺘﻔﺣ"),  # Latin letters: not a screen's copy, left alone
        ("حفتر", "حفتر"),  # typed letters: left alone
        ("ＨＡＦＴＡＲ", "ＨＡＦＴＡＲ"),  # full-width Latin: no Arabic glyph, left alone
        ("ＬＮＡ ２０２０", "ＬＮＡ ２０２０"),
        ("ﺮﺘﻔﺣ ＬＮＡ", "ﺮﺘﻔﺣ ＬＮＡ"),  # full-width Latin letters are Latin letters
    ],
)
def test_a_screen_copy_is_made_logical_text_of_plain_letters(screen: str, logical: str) -> None:
    assert query_to_logical(screen) == logical
    assert query_to_logical(logical) == logical  # and nothing more is done to it


def test_a_full_width_latin_query_is_searched_as_the_word() -> None:
    """Full-width forms share the block of half-width Arabic-free glyphs a screen copy may
    hold; a full-width Latin query was taken for a screen copy and reversed (RATFAH)."""
    assert index_term(query_to_logical("ＨＡＦＴＡＲ")) == index_term("Haftar")


def test_english_stemming_and_stopwords() -> None:
    assert terms("The running fighters") == ["run", "fighter"]
    assert index_term("hopping") == "hop"  # Snowball, not Whoosh's buggy Porter
    assert index_term("Haftar") == index_term("haftar")


def test_positions_and_chars_follow_the_text() -> None:
    tokens = [
        (t.text, t.startchar, t.endchar, t.pos)
        for t in ReaderAnalyzer()("قال المسماري إن", positions=True, chars=True)
    ]
    assert tokens[0] == ("قال", 0, 3, 0)
    assert tokens[1] == ("مسمار", 4, 12, 1)
    assert len(tokens) == 2  # إن is a stopword


def test_unstemmed_analyzer_for_prefixes() -> None:
    assert [t.text for t in ReaderAnalyzer(stem=False)("Hiring الوطية")] == ["hiring", "الوطيه"]
