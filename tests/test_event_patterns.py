"""The fast-search forms of the date and figure patterns (issue 13: the CPU of events at build
time) find exactly what their plain forms (a look-behind first, alternatives longest first)
found: same spans, same groups, on generated text that puts words, digits, separators and
Arabic prefixes side by side."""

from __future__ import annotations

import random
import re

import pytest

from reader.core.events import claim_words, dates, lexicon, numbers
from reader.core.events.patterns import at_word_starts, words_at_word_start, words_longest_first

_WORD_START = r"(?<![\w])"

# The patterns as they were written before they were made to start with a literal.
_PLAIN_MONTH = "|".join(sorted(dates._MONTHS, key=len, reverse=True))
_PLAIN = {
    "month": re.compile(
        _WORD_START + rf"((?:{_PLAIN_MONTH}))(?:\s*/\s*(?:{_PLAIN_MONTH}))?" + r"(?![\w])"
    ),
    "iso": re.compile(r"(?=[12])(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)"),
    "digits": re.compile(
        r"(?=\d)(?:(?<![\w.,/])|(?<=[وفبل])(?<![\w][وفبل]))(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"
    ),
    "en_num": re.compile(
        r"(?=[adefhnostz])"
        + _WORD_START
        + rf"((?:a|{numbers._alt(numbers._EN_UNITS[1:10])})\s+hundred"
        + rf"(?:\s+(?:and\s+)?(?:{numbers._EN_SMALL}){numbers._E})?"
        + rf"|{numbers._EN_SMALL}|a dozen|a hundred|a thousand|dozens|scores|hundreds|thousands)"
        + numbers._E
    ),
}
_PLAIN["passive"] = re.compile(r"\b(?:were|been)\s")
_FAST = {
    "passive": lexicon._PASSIVE_NEAR,
    "month": dates._MONTH_WORD,
    "iso": dates._ISO_DATE,
    "digits": numbers._DIGITS,
    "en_num": numbers._EN_NUM,
}


def _found(pattern: re.Pattern[str], texts: list[str]) -> list[list[tuple[object, ...]]]:
    return [[(m.span(), m.groups()) for m in pattern.finditer(t)] for t in texts]


def _texts(pieces: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 14))) for _ in range(count)]


_PIECES = [
    *"0123456789١٢,./-–_ \n\tx",
    *("و", "ب", "ل", "ف", "ال", "ً", "19", "20", "2020-05-18", "1,500", "3.5", "of", "May"),
    *sorted(dates._MONTHS),
    *(" a", " and", "-", " hundred", " dozen", " thousand", "seventy", "twenty-", "dozens"),
    *("were ", "been\n", "werebeen ", "_were ", "ere "),
    *(" a hundred and ", "nine", "nineteen", "scores", "thousands", "one", "a  hundred"),
]


@pytest.mark.parametrize("name", sorted(_PLAIN))
def test_fast_patterns_find_what_the_plain_ones_found(name: str) -> None:
    texts = _texts(_PIECES, 6000, 13)
    found = _found(_PLAIN[name], texts)
    assert sum(map(len, found)) > 200
    assert _found(_FAST[name], texts) == found


def test_words_at_a_word_start_match_as_longest_first_alternatives() -> None:
    rng = random.Random(2)
    for _ in range(200):
        words = {"".join(rng.choice("abو ") for _ in range(rng.randint(1, 4))) for _ in range(6)}
        plain = "|".join(sorted(words, key=len, reverse=True))
        before = re.compile(rf"{_WORD_START}({plain})(b|\s|$)")
        after = re.compile(rf"({words_at_word_start(words)})(b|\s|$)")
        longest = re.compile(rf"({words_longest_first(words)})(b|\s|$)")
        texts = _texts([*"abو .", *words], 30, rng.randint(0, 10**6))
        assert _found(after, texts) == _found(before, texts)
        assert _found(longest, texts) == _found(re.compile(rf"({plain})(b|\s|$)"), texts)
    with pytest.raises(ValueError):
        words_at_word_start(["a", ""])


def _plain_phrase(word: str) -> str:
    """lexicon._phrase as it was: the word-start look-behind first."""
    from reader.core.text.arabic import is_arabic_letter

    parts: list[str] = []
    for token in word.split():
        if token == "...":
            parts.append(rf"(?:\s+{lexicon._WORD}){{0,8}}?")
        else:
            parts.append((r"\s+" if parts else "") + re.escape(token))
    first = word.split()[0]
    arabic = is_arabic_letter(first[0]) and len(first) > 2
    return _WORD_START + (lexicon._AR_PREFIX if arabic else "") + "".join(parts) + r"(?![\w])"


def test_lexicon_patterns_find_what_the_plain_ones_found(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    words = lexicon.active_lexicon()
    fast = lexicon.compiled.__wrapped__(words)
    fast_claims = claim_words.claim_words.__wrapped__(words)
    monkeypatch.setattr(lexicon, "_phrase", _plain_phrase)
    plain = lexicon.compiled.__wrapped__(words)
    plain_claims = claim_words.claim_words.__wrapped__(words)
    monkeypatch.undo()
    phrases = sorted(
        {
            w
            for table in (words.qualifiers, words.roles, words.nouns, words.parts)
            for _key, ws in table
            for w in ws
        }
        | {*words.linking, *words.companions, *words.cumulative, *words.part_markers}
    )
    extra = ("12", "5", "و", "ال", "بال", "لل", "x", "and their", "members of the group", "مع")
    pieces = [p.replace("...", "a b") for p in (*phrases, *extra)]
    rng = random.Random(5)
    texts = [
        "".join(rng.choice(pieces) + rng.choice((" ", " ", "  ", ", ", "", "\n")) for _ in range(n))
        for n in (rng.randint(1, 16) for _ in range(1500))
    ]
    checked = found = 0
    fields: list[tuple[object, object, dataclasses.Field[object]]]
    fields = [(fast, plain, f) for f in dataclasses.fields(lexicon.Compiled)]
    fields += [(fast_claims, plain_claims, f) for f in dataclasses.fields(claim_words.ClaimWords)]
    for fast_words, plain_words, field in fields:
        fast_value, plain_value = getattr(fast_words, field.name), getattr(plain_words, field.name)
        pairs = [(fast_value, plain_value)]
        if field.name == "role_before":
            pairs = [(f, p) for (_r, f), (_s, p) in zip(fast_value, plain_value, strict=True)]
        for fast_pattern, plain_pattern in pairs:
            if not isinstance(fast_pattern, re.Pattern):
                assert fast_pattern == plain_pattern, field.name
                continue
            assert _found(fast_pattern, texts) == _found(plain_pattern, texts), field.name
            for text in texts[:300]:  # matched where a figure ends, at any place
                for at in range(len(text) + 1):
                    one, other = fast_pattern.match(text, at), plain_pattern.match(text, at)
                    assert (one and (one.span(), one.groupdict(), one.groups())) == (
                        other and (other.span(), other.groupdict(), other.groups())
                    ), field.name
            checked += 1
            found += sum(map(len, _found(plain_pattern, texts)))
    assert checked > 10 and found > 3000


@pytest.mark.parametrize(
    ("name", "after"), [("month", dates._MONTH_AFTER), ("en_num", numbers._EN_NUM_AFTER)]
)
def test_matches_after_a_non_word_character_are_the_plain_ones(
    name: str, after: re.Pattern[str]
) -> None:
    texts = _texts(_PIECES, 6000, 17)
    found = [[(m.start(1), m.end(), m.groups()) for m in _PLAIN[name].finditer(t)] for t in texts]
    assert sum(map(len, found)) > 300
    assert sum(1 for f in found if f and f[0][0] == 0) > 10  # at the very start too
    assert [
        [(m.start(1), m.end(), m.groups()) for m in at_word_starts(_FAST[name], after, t)]
        for t in texts
    ] == found
