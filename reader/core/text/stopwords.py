"""Stopwords: the one list of the function words reader skips, in English and Arabic.

Two uses want different sets, built here from one base of function words per language:

- :data:`SEARCH_ENGLISH`, :data:`SEARCH_ARABIC`: words that are not indexed or searched for (the
  base: Whoosh's English list and Lucene's Arabic list). :data:`SEARCH_ARABIC` holds each word as
  written and folded by :func:`reader.core.text.arabic.fold_search`, because the analyzer checks
  a word both before and after folding.
- :data:`NOT_NAMES_ENGLISH`: capitalised English words that are not names (months, titles,
  institutions: "October", "Minister", "Office"), for
  :func:`reader.core.names.unknown.unknown_names`.
- :data:`CONTENT_ENGLISH`, :data:`CONTENT_ARABIC`: words that say nothing about what a story is
  about, skipped when texts are compared
  (:func:`reader.core.names.content_terms.content_terms`): the English base plus news words
  (said, told, weekdays...); the Arabic words the two uses share plus news words (قال,
  أمس, اليوم...), folded by :func:`reader.core.text.arabic.fold_name`.
  Lucene's Arabic list is not used whole there: comparing texts counts words such as جميع, هناك
  and عندما, which search skips.

May import: :mod:`reader.core.text.arabic`.
"""

from __future__ import annotations

from reader.core.text.arabic import fold_name, fold_search

__all__ = [
    "CONTENT_ARABIC",
    "CONTENT_ENGLISH",
    "NOT_NAMES_ENGLISH",
    "SEARCH_ARABIC",
    "SEARCH_ENGLISH",
]

# Whoosh's English stopwords: the base every English set holds.
_ENGLISH_BASE = """a an and are as at be but by for from has have he her his i if in into is it
its no not of on or our s she such t that the their them then there these they this to us was we
were which who will with you your"""
_ENGLISH_CONTENT_MORE = """about above after again against all also although among any because
been before being between both can could did do does done during each either even ever every few
further had having here hers him how however itself just last least less let like made make many
may me more most much must my near never new nor now off once one only other out over own per
said same say says should since so some still than those though through thus too under until up
upon very via what when where whether while whom whose why within without would yet told
according added already another around back two three four five first second week year years
day days time people including monday tuesday wednesday thursday friday saturday sunday"""

# Lucene's Arabic stopwords (the most frequent function words) are the Arabic base: the words both
# uses skip, then those only search skips.
_ARABIC_SHARED = """من ومن منها منه في وفي فيها فيه ثم او أو بها به اي أي لا لكن ما كما عن مع اذا
إذا ان أن إن انها أنها انه أنه إنه التى التي الذي الذين الى إلى على عليها عليه كل لم هي هو وهي وهو
لها له هذه هذا تلك ذلك كانت كان وكان غير بعض قد نحو بين منذ حيث خلال بعد قبل حتى عند لدى"""
_ARABIC_SEARCH_MORE = """و ف ب ا أ اى أى ولا الا ألا إلا وما فما إنها بان بأن فان فأن وان وأن وإن
الذى الي إلي اما أما إما ايضا أيضا وكل ولم لن ولن هى وهى فهى فهي فهو انت أنت لك هناك يكون تكون
وكانت بينما ضمن الان الآن عندما جميع"""
_ARABIC_CONTENT_MORE = """وقد حول ضد هم هن نحن بل لقد لهم اليوم أمس امس يوم وقال قال وأضاف واضاف
أضاف"""

SEARCH_ENGLISH = frozenset(_ENGLISH_BASE.split())
"""English words the search neither indexes nor looks for (compared lower-cased)."""
CONTENT_ENGLISH = SEARCH_ENGLISH | frozenset(_ENGLISH_CONTENT_MORE.split())
"""English words that are not content words (compared lower-cased, before stemming)."""

_ARABIC_SEARCH_WORDS = (_ARABIC_SHARED + " " + _ARABIC_SEARCH_MORE).split()
SEARCH_ARABIC = frozenset(_ARABIC_SEARCH_WORDS) | frozenset(map(fold_search, _ARABIC_SEARCH_WORDS))
"""Arabic words the search neither indexes nor looks for, as written and search-folded."""
CONTENT_ARABIC = frozenset(
    fold_name(word) for word in (_ARABIC_SHARED + " " + _ARABIC_CONTENT_MORE).split()
)
"""Arabic words that are not content words, name-folded."""

_ENGLISH_NOT_NAMES_MORE = """january february march april may june july august september october
november december jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur
thurs fri sat sun mr mrs ms dr prof sir madam sheikh president minister prime ministry government
army forces force police officials official spokesman spokeswoman spokesperson leader chief head
director secretary general foreign defence defense interior health state states united national
international council committee office agency news press media group party movement north south
east west northern southern eastern western central city province district region street square
road camp hospital university"""
NOT_NAMES_ENGLISH = CONTENT_ENGLISH | frozenset(_ENGLISH_NOT_NAMES_MORE.split())
"""Capitalised English words that are not names: the content stop words, month and day names
and their abbreviations, titles and the words of institutions (compared lower-cased)."""
