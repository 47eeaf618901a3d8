"""One home for the Arabic text concepts: the folding table, "is this Arabic", the stopwords.

The structural tests read every module of ``reader/`` and would catch a sixth copy; the
behaviour tests check that every user of a concept gives the answer of the one definition.
"""

from __future__ import annotations

import ast
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core.events.numbers import same_length_shadow
from reader.core.names import content_terms, transliterate
from reader.core.search import analysis
from reader.core.search import arabic as search_arabic
from reader.core.sources.article import detect_language
from reader.core.text import arabic, stopwords
from tests.conftest import ROOT

READER = ROOT / "reader"
ALEF, ALEF_HAMZA_BELOW = "\u0627", "\u0625"  # ا إ
# The Arabic blocks (letters, marks, digits, presentation forms).
_ARABIC_BLOCKS = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)


def _range_of_letters(lo: str, hi: str) -> bool:
    """A range over Arabic code points that is not just digits (٠-٩ in prose is fine)."""
    digits = unicodedata.category(lo) == unicodedata.category(hi) == "Nd"
    return _in_blocks(lo) and _in_blocks(hi) and not digits


def _in_blocks(char: str) -> bool:
    return len(char) == 1 and any(lo <= ord(char) <= hi for lo, hi in _ARABIC_BLOCKS)


def _modules() -> list[Path]:
    return sorted(READER.rglob("*.py"))


def _str(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _folds_alef(tree: ast.AST) -> bool:
    """Does the module map إ to ا: a dict entry, or ``str.maketrans("..إ..", "..ا..")``?"""
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if _str(key) != ALEF_HAMZA_BELOW:
                    continue
                target = _str(value.elts[0]) if isinstance(value, ast.Tuple) else _str(value)
                if ALEF in (target or ""):
                    return True
        if isinstance(node, ast.Call) and len(node.args) >= 2:
            source, target = _str(node.args[0]) or "", _str(node.args[1]) or ""
            where = source.find(ALEF_HAMZA_BELOW)
            if 0 <= where < len(target) and target[where] == ALEF:
                return True
    return False


def test_one_module_holds_the_folding_table() -> None:
    folding = [
        p.relative_to(ROOT).as_posix() for p in _modules() if _folds_alef(ast.parse(p.read_text()))
    ]
    assert folding == ["reader/core/text/arabic.py"]


def _arabic_ranges(tree: ast.AST) -> list[str]:
    """Character ranges or comparisons over Arabic code points written in the module."""
    found: list[str] = []
    for node in ast.walk(tree):
        text = _str(node)
        if text is not None:
            found += [
                m.group()
                for m in re.finditer("(.)-(.)", text, re.S)
                if _range_of_letters(m[1], m[2])
            ]
        if (
            isinstance(node, ast.Compare)
            and any(_in_blocks(_str(c) or "") for c in (node.left, *node.comparators))
            and not all(isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn)) for op in node.ops)
        ):
            found.append(ast.unparse(node))
    return found


def test_one_module_says_what_arabic_is() -> None:
    """No module but text/arabic.py writes a range of Arabic code points (a 'is it Arabic' test
    of its own): the six ranges there were are gone."""
    ranges = {
        p.relative_to(ROOT).as_posix(): found
        for p in _modules()
        if p.name != "arabic.py" or p.parent.name != "text"
        if (found := _arabic_ranges(ast.parse(p.read_text())))
    }
    assert ranges == {}


# Letters of each Arabic block, a mark, a digit and a punctuation sign.
_SAMPLES = [
    "\u0628",  # ب
    "\u0620",  # ؠ kashmiri yeh
    "\u067e",  # پ
    "\u06d5",  # ە ae
    "\u0763",  # ݣ (Arabic Supplement: Moroccan g)
    "\u08a1",  # ࢡ (Extended-A)
    "\ufe8d",  # ﺍ (presentation form)
    "\u064e",  # fatha: not a letter
    "\u0663",  # ٣: not a letter
    "\u061f",  # ؟: not a letter
    "\u06fd",  # ۽ sign: not a letter
    "a",
]


@pytest.mark.parametrize("char", _SAMPLES)
def test_every_user_agrees_on_what_is_arabic(char: str) -> None:
    expected = unicodedata.category(char).startswith("L") and _in_blocks(char)
    assert arabic.is_arabic_letter(char) is expected
    assert arabic.has_arabic(f"x{char}y") is expected
    assert search_arabic.has_arabic(char) is expected
    assert transliterate.is_arabic(char) is expected
    assert arabic.count_arabic_letters(char * 3) == (3 if expected else 0)
    assert detect_language(char * 5) == ("ar" if expected else "other")
    # an entity word is made of Arabic letters (and marks): a letter never splits one
    assert (content_terms._AR_WORD.fullmatch("\u0628" + char + "\u0628") is not None) is (
        expected or char in arabic.HARAKAT
    )


def test_fold_options_are_groups_of_one_table() -> None:
    word = "إِسْلامِيَّة مسؤول ئ یک ھ ١٢"
    assert arabic.fold_search(word) == "اسلاميه مسؤول ئ یک ھ 12"
    assert arabic.fold_name(word) == "اسلاميه مسوول ي يك ه ١٢"
    assert arabic.fold_same_length(word) == "اِسْلامِيَّه مسؤول ئ يك ه 12"
    assert arabic.strip_marks(word) == "إسلامية مسؤول ئ یک ھ ١٢"
    assert arabic.variants_of(ALEF) == ALEF + "\u0622\u0623\u0625\u0671"
    assert arabic.variants_of("\u0628") == "\u0628"
    # the users take it from there
    assert search_arabic.normalize("ٱلإمام") == "الامام"
    assert transliterate.fold_arabic("ٱلإمام") == "الامام"
    assert analysis.fold_term("ٱلإمام") == "الامام"


@given(
    st.text(
        alphabet=st.characters(min_codepoint=0x600, max_codepoint=0x6FF) | st.sampled_from("aZ1 ’٫")
    )
)
def test_same_length_folding_keeps_every_offset(text: str) -> None:
    assert len(arabic.fold_same_length(text)) == len(text)
    assert len(same_length_shadow(text)) == len(text)


def test_stopword_sets_come_from_one_module() -> None:
    assert analysis.ENGLISH_STOPWORDS is stopwords.SEARCH_ENGLISH
    assert search_arabic.STOPWORDS is stopwords.SEARCH_ARABIC
    assert content_terms._EN_STOP is stopwords.CONTENT_ENGLISH
    assert content_terms._AR_STOP is stopwords.CONTENT_ARABIC
    assert stopwords.SEARCH_ENGLISH < stopwords.CONTENT_ENGLISH
    # search skips a word both as written and folded; content words are compared folded
    assert {"أيضا", "ايضا", "إلى", "الى"} <= stopwords.SEARCH_ARABIC
    assert "إلى" not in stopwords.CONTENT_ARABIC and "الي" in stopwords.CONTENT_ARABIC
    assert "قال" in stopwords.CONTENT_ARABIC and "قال" not in stopwords.SEARCH_ARABIC
    assert "جميع" in stopwords.SEARCH_ARABIC and "جميع" not in stopwords.CONTENT_ARABIC


_ENGLISH_MARKERS = {"which", "these", "their", "such", "into", "hers"}
_ARABIC_MARKERS = {"الذين", "التي", "منذ", "لدى"}


def _word_lists(tree: ast.AST) -> list[set[str]]:
    """The words of each string constant and of each set/list/tuple of string constants,
    docstrings apart (prose, whose function words are no list of them)."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    found: list[set[str]] = []
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue
        if (text := _str(node)) is not None:
            found.append(set(text.split()))
        elif isinstance(node, (ast.Set, ast.List, ast.Tuple)):
            found.append({s for e in node.elts if (s := _str(e)) is not None})
    return found


def test_no_other_module_lists_stopwords() -> None:
    """The function words live in text/stopwords.py alone (there were four lists in three
    modules): no other module holds a string or collection with most of the markers."""
    owners = [
        path.relative_to(ROOT).as_posix()
        for path in _modules()
        if any(
            len(words & _ENGLISH_MARKERS) >= 4 or len(words & _ARABIC_MARKERS) >= 3
            for words in _word_lists(ast.parse(path.read_text()))
        )
    ]
    assert owners == ["reader/core/text/stopwords.py"]


@given(st.text(alphabet=st.sampled_from("أإآاىيةهـًٌٍَُِّْٰ٠١٩۰۹ کیھؤئ٫٬’abc .\n"), max_size=400))
def test_the_fast_folds_equal_translate(text: str) -> None:
    from reader.core.names.lexicon_file import SEPARATORS
    from reader.core.text.arabic import _MARKS_ONLY, _NAME, _SAME_LENGTH

    for fold in (_NAME, _SAME_LENGTH, _MARKS_ONLY, SEPARATORS):
        assert fold(text) == text.translate(fold.table)
        assert fold(text * 3) == (text * 3).translate(fold.table)  # past the short cut


def test_a_fold_that_would_chain_is_refused() -> None:
    from reader.core.text.arabic import Fold

    with pytest.raises(ValueError):
        Fold({ord("a"): "b", ord("b"): "c"})
