"""A wrapped row never starts with punctuation that belongs to the word before it (as typed
with a space before it, "حفتر ،", or after a word folded at the row's end), when it can be
kept with that word; no character is lost or moved out of logical order."""

from __future__ import annotations

import pytest

from reader.core.text.layout import layout_text

CLOSING = ",.;:!?)]}»›”’،؛؟…%٪۔"


def _rows(text: str, width: int) -> list[tuple[str, str]]:
    """(logical text, visual plain) of each row."""
    layout = layout_text(text, width, paragraph_gap=0)
    return [
        (text[slice(*layout.line_range(row))], layout.lines[row].plain)
        for row in range(len(layout))
    ]


@pytest.mark.parametrize(
    "text",
    [
        "قال حفتر ، إن الجيش وصل .",  # Arabic comma and stop typed after a space
        "قال حفتر ؟ نعم",
        "He said no . Then he left !",
        "Troops ( 300 ) left Sirte » today",
    ],
)
def test_no_row_starts_with_punctuation_typed_after_a_space(text: str) -> None:
    # every width where a word and its punctuation fit on a row together
    for width in range(8, len(text) + 1):
        rows = _rows(text, width)
        for logical, _ in rows[1:]:
            assert logical.lstrip()[:1] not in CLOSING, (width, rows)
        assert "".join(logical for logical, _ in rows) == text  # nothing lost, in order


def test_the_rows_of_an_arabic_paragraph_keep_its_comma_with_its_word() -> None:
    # at 9 cells "قال حفتر" fills the row and the comma used to start the next one
    rows = _rows("قال حفتر ، إن الجيش وصل .", 9)
    assert [visual for _, visual in rows] == ["ﻝﺎﻗ", "ﻥﺇ ، ﺮﺘﻔﺣ", "ﺶﻴﺠﻟﺍ", ". ﻞﺻﻭ"]


def test_a_folded_word_takes_a_letter_to_the_next_row_with_its_punctuation() -> None:
    assert [visual for _, visual in _rows("see abcdefghij, then", 10)] == [
        "see",
        "abcdefghi",
        "j, then",
    ]


def test_punctuation_that_cannot_stay_with_its_word_still_wraps() -> None:
    # "حفتر" fills the row: the comma can only go on the next one
    rows = _rows("حفتر ،", 4)
    assert [logical.strip() for logical, _ in rows] == ["حفتر", "،"]
    # a comma glued to the next word is that word's: the row may start with it
    assert [logical.strip() for logical, _ in _rows("one two ,three", 8)] == ["one two", ",three"]
