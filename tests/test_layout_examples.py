"""The layout on real text: the Arabic seed article, and short mixed paragraphs.

The expected rows of the mixed paragraphs were produced once, by hand, with GNU FriBidi
(``fribidi --nobreak --nopad``, which also shapes Arabic), and written here; the test does
not call fribidi. FriBidi keeps the string length by putting U+FEFF where a lam-alef
ligature swallowed its alef; that placeholder is left out of the strings below. For wrapped
rows, FriBidi's visual order of the whole paragraph (``--vtol``) was restricted to the
characters each row shows: levels are resolved over the paragraph, so that is what a row
must look like.
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from rich.cells import cell_len

from reader.core.text.layout import Layout, layout_text
from reader.core.text.shaping import RESHAPER
from tests.conftest import ARABIC_SEED, SEEDS


def seed_body() -> tuple[str, list[str]]:
    """The seed article without its title: paragraphs joined by newlines, and the list."""
    lines = (SEEDS / f"{ARABIC_SEED}.txt").read_text(encoding="utf-8").split("\n")
    paragraphs = [line for line in lines[1:] if line.strip()]
    return "\n".join(paragraphs), paragraphs


def cells(text: str) -> list[str]:
    """What each terminal cell of ``text`` shows: a character and the zero-width ones after it.

    A two-cell character fills two entries (the second is empty).
    """
    result: list[str] = []
    for char in text:
        width = cell_len(char)
        if width == 0 and result:
            result[-1 - (result[-1] == "")] += char
        else:
            result.extend([char] + [""] * (width - 1))
    return result


def column_of(layout: Layout, offset: int) -> tuple[int, int]:
    where = layout.logical_to_visual(offset)
    assert where is not None, offset
    return where


@pytest.mark.parametrize("width", [20, 40, 80])
def test_first_row_starts_with_the_first_words_at_the_right_edge(width: int) -> None:
    body, paragraphs = seed_body()
    layout = layout_text(body, width, lang="ar")
    first_word = paragraphs[0].split()[0]  # طرابلس
    shaped = RESHAPER.reshape(first_word)
    row = layout.line_text(0)
    assert row.cell_len <= width
    assert row.plain.endswith(shaped[::-1])  # read right to left from the right edge
    for offset in range(len(first_word)):
        assert layout.logical_to_visual(offset) == (0, width - 1 - offset)
        assert layout.visual_to_logical(0, width - 1 - offset) == offset
    assert layout.paragraph_of(0) == 0


@pytest.mark.parametrize("width", [20, 40, 80])
def test_rows_follow_the_text_top_to_bottom(width: int) -> None:
    body, paragraphs = seed_body()
    layout = layout_text(body, width, lang="ar")
    ranges = [layout.line_range(i) for i in range(len(layout))]
    assert ranges[0][0] == 0
    assert ranges[-1][1] == len(body)
    for (_, end), (start, _) in pairwise(ranges):
        assert start >= end - 1  # contiguous; a gap row sits on the newline
    for line in range(len(layout)):
        text = layout.line_text(line)
        assert text.cell_len <= width
        if layout.paragraph_of(line) is not None and text.plain.strip():
            assert text.plain.startswith(" ") or text.cell_len == width  # right-aligned
            assert not text.plain.endswith(" ")
    assert max(p for i in range(len(layout)) if (p := layout.paragraph_of(i)) is not None) == (
        len(paragraphs) - 1
    )


@pytest.mark.parametrize("width", [20, 40, 80])
def test_arabic_commas_and_quotes_sit_where_expected(width: int) -> None:
    body, paragraphs = seed_body()
    layout = layout_text(body, width, lang="ar")
    start = [sum(len(p) + 1 for p in paragraphs[:i]) for i in range(len(paragraphs))]

    # "وبذلك، حقّق": the Arabic comma follows the word, so it is drawn on its left.
    comma = start[3] + paragraphs[3].index("،")
    row, col = column_of(layout, comma)
    assert column_of(layout, comma - 1) == (row, col + 1)
    assert cells(layout.line_text(row).plain)[col] == "،"

    # الجمعة "نبشركم ... الباسلة". : quotes keep their shape and hug the words they enclose.
    opening = start[1] + paragraphs[1].index('"')
    row, col = column_of(layout, opening)
    assert cells(layout.line_text(row).plain)[col] == '"'
    assert column_of(layout, opening + 1) == (row, col - 1)  # نبشركم starts left of it
    closing = start[1] + paragraphs[1].rindex('"')
    row, col = column_of(layout, closing)
    assert column_of(layout, closing - 1) == (row, col + 1)
    assert column_of(layout, closing + 1) == (row, col - 1)  # the full stop after it

    # المسماري"إن: a quote between two Arabic words with no space.
    glued = start[5] + paragraphs[5].index('"')
    row, col = column_of(layout, glued)
    assert column_of(layout, glued - 1) == (row, col + 1)
    assert column_of(layout, glued + 1) == (row, col - 1)


# (paragraph, width, expected rows without padding) -- from fribidi, see the module docstring.
FRIBIDI_ROWS = [
    (
        "قال الرئيس (GNA) إن 140 كلم في 18/05/2020.",
        200,
        [".18/05/2020 ﻲﻓ ﻢﻠﻛ 140 ﻥﺇ (GNA) ﺲﻴﺋﺮﻟﺍ ﻝﺎﻗ"],
    ),
    (
        "أعلنت حكومة الوفاق (GNA) أن قواتها تقدمت 140 كلم نحو سرت",
        200,
        ["ﺕﺮﺳ ﻮﺤﻧ ﻢﻠﻛ 140 ﺖﻣﺪﻘﺗ ﺎﻬﺗﺍﻮﻗ ﻥﺃ (GNA) ﻕﺎﻓﻮﻟﺍ ﺔﻣﻮﻜﺣ ﺖﻨﻠﻋﺃ"],
    ),
    (
        "Haftar's forces [LNA] said: «تقدمنا 20 كلم» on 18/05/2020.",
        200,
        ["Haftar's forces [LNA] said: «ﻢﻠﻛ 20 ﺎﻨﻣﺪﻘﺗ» on 18/05/2020."],
    ),
    (
        'قال المسماري: "نبشركم" إن الجيش (الوطني) سيطر على 3 مناطق.',
        200,
        ['.ﻖﻃﺎﻨﻣ 3 ﻰﻠﻋ ﺮﻄﻴﺳ (ﻲﻨﻃﻮﻟﺍ) ﺶﻴﺠﻟﺍ ﻥﺇ "ﻢﻛﺮﺸﺒﻧ" :ﻱﺭﺎﻤﺴﻤﻟﺍ ﻝﺎﻗ'],
    ),
    (
        "The GNA (حكومة الوفاق الوطني) controls Tripoli.",
        200,
        ["The GNA (ﻲﻨﻃﻮﻟﺍ ﻕﺎﻓﻮﻟﺍ ﺔﻣﻮﻜﺣ) controls Tripoli."],
    ),
    (
        "بلغت الخسائر 1,500 دولار (أي 12%) في عام 2020.",
        200,
        [".2020 ﻡﺎﻋ ﻲﻓ (%12 ﻱﺃ) ﺭﻻﻭﺩ 1,500 ﺮﺋﺎﺴﺨﻟﺍ ﺖﻐﻠﺑ"],
    ),
    ("قتل ١٤٠ شخصا في ٣ أيام", 200, ["ﻡﺎﻳﺃ ٣ ﻲﻓ ﺎﺼﺨﺷ ١٤٠ ﻞﺘﻗ"]),
    ("لا سلام بلا عدالة", 200, ["ﺔﻟﺍﺪﻋ ﻼﺑ ﻡﻼﺳ ﻻ"]),
    (
        "وقال: إن 'GNA-2' تبعد 140 كلم (نحو 87 ميلا) عن طرابلس!",
        200,
        ["!ﺲﻠﺑﺍﺮﻃ ﻦﻋ (ﻼﻴﻣ 87 ﻮﺤﻧ) ﻢﻠﻛ 140 ﺪﻌﺒﺗ 'GNA-2' ﻥﺇ :ﻝﺎﻗﻭ"],
    ),
    (
        "قال الرئيس (GNA) إن 140 كلم في 18/05/2020.",
        12,
        ["ﺲﻴﺋﺮﻟﺍ ﻝﺎﻗ", "140 ﻥﺇ (GNA)", "ﻲﻓ ﻢﻠﻛ", ".18/05/2020"],
    ),
    (
        "قال الرئيس (GNA) إن 140 كلم في 18/05/2020.",
        20,
        ["ﻥﺇ (GNA) ﺲﻴﺋﺮﻟﺍ ﻝﺎﻗ", "ﻲﻓ ﻢﻠﻛ 140", ".18/05/2020"],
    ),
    (
        "وقال: إن 'GNA-2' تبعد 140 كلم (نحو 87 ميلا) عن طرابلس!",
        12,
        ["ﻥﺇ :ﻝﺎﻗﻭ", "ﺪﻌﺒﺗ 'GNA-2'", "ﻮﺤﻧ) ﻢﻠﻛ 140", "ﻦﻋ (ﻼﻴﻣ 87", "!ﺲﻠﺑﺍﺮﻃ"],
    ),
    (
        "وقال: إن 'GNA-2' تبعد 140 كلم (نحو 87 ميلا) عن طرابلس!",
        20,
        ["'GNA-2' ﻥﺇ :ﻝﺎﻗﻭ", "87 ﻮﺤﻧ) ﻢﻠﻛ 140 ﺪﻌﺒﺗ", "!ﺲﻠﺑﺍﺮﻃ ﻦﻋ (ﻼﻴﻣ"],
    ),
    (
        "The GNA (حكومة الوفاق الوطني) controls 140 كلم of the coast.",
        12,
        ["The GNA", "(ﺔﻣﻮﻜﺣ", "ﻕﺎﻓﻮﻟﺍ", "ﻲﻨﻃﻮﻟﺍ)", "controls 140", "ﻢﻠﻛ of the", "coast."],
    ),
    (
        "The GNA (حكومة الوفاق الوطني) controls 140 كلم of the coast.",
        20,
        ["The GNA (ﺔﻣﻮﻜﺣ", "ﻲﻨﻃﻮﻟﺍ ﻕﺎﻓﻮﻟﺍ)", "controls 140 ﻢﻠﻛ of", "the coast."],
    ),
]


@pytest.mark.parametrize(("paragraph", "width", "rows"), FRIBIDI_ROWS)
def test_rows_match_fribidi(paragraph: str, width: int, rows: list[str]) -> None:
    layout = layout_text(paragraph, width)
    assert [line.plain for line in layout.lines] == rows
    rtl = paragraph[0] not in "TH"
    for number, row in enumerate(rows):
        text = layout.line_text(number)
        assert text.plain == (" " * (width - len(row)) + row if rtl else row)
