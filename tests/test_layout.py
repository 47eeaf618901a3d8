"""Unit tests of the layout engine: modes, harakat, ligatures, controls, mirroring, caching."""

from __future__ import annotations

import pytest
from rich.console import Console

from reader.core.text import bidi, layout, layout_blocks, shaping
from reader.core.text.layout import Layout, Span, layout_text
from reader.core.text.sanitize import TextWarnings, sanitize, scan_text
from reader.rich_rows import rich_text

CONSOLE = Console(width=200, color_system="truecolor")


def plains(result: Layout) -> list[str]:
    return [result.line_text(i).plain for i in range(len(result))]


def styled_cells(result: Layout, line: int) -> list[bool]:
    """For each cell of a row: is it bold?"""
    text = rich_text(result.line_text(line))  # as the app draws it
    flags: list[bool] = []
    for index, char in enumerate(text.plain):
        if char.isspace() or not text.plain[index:].strip() or _is_mark(char):
            flags.extend([False] * (0 if _is_mark(char) else 1))
            continue
        flags.append(bool(text.get_style_at_offset(CONSOLE, index).bold))
    return flags


def _is_mark(char: str) -> bool:
    import unicodedata

    return unicodedata.combining(char) != 0


# --- direction, alignment, mirroring ----------------------------------------------------


def test_rtl_paragraph_is_reordered_and_right_aligned() -> None:
    result = layout_text("قال الرئيس", 20)
    row = result.lines[0]
    assert row.rtl
    assert row.plain == "ﺲﻴﺋﺮﻟﺍ ﻝﺎﻗ"
    assert row.indent == 20 - 10
    assert result.line_text(0).plain == " " * 10 + "ﺲﻴﺋﺮﻟﺍ ﻝﺎﻗ"
    assert result.visual_to_logical(0, 19) == 0
    assert result.visual_to_logical(0, 0) is None  # padding


def test_ltr_paragraph_is_left_aligned() -> None:
    result = layout_text("hello world", 20)
    assert result.line_text(0).plain == "hello world"
    assert not result.lines[0].rtl
    assert result.lines[0].indent == 0


def test_numbers_and_latin_keep_their_order_inside_arabic() -> None:
    assert layout_text("العدد 140 اليوم", 40).lines[0].plain == "ﻡﻮﻴﻟﺍ 140 ﺩﺪﻌﻟﺍ"
    assert layout_text("قالت GNA اليوم", 40).lines[0].plain == "ﻡﻮﻴﻟﺍ GNA ﺖﻟﺎﻗ"


def test_brackets_are_mirrored_at_odd_levels_only() -> None:
    assert layout_text("قال (نعم) لا", 40).lines[0].plain == "ﻻ (ﻢﻌﻧ) ﻝﺎﻗ"
    assert layout_text("say (yes) now", 40).lines[0].plain == "say (yes) now"
    assert layout_text("say [نعم] now", 40).lines[0].plain == "say [ﻢﻌﻧ] now"


def test_direction_without_strong_characters_comes_from_the_language() -> None:
    assert layout_text("18/05/2020 - 140", 30, lang="ar").lines[0].rtl
    assert not layout_text("18/05/2020 - 140", 30, lang="en").lines[0].rtl
    assert not layout_text("18/05/2020 - 140", 30).lines[0].rtl
    assert not layout_text("hello مرحبا", 30, lang="ar").lines[0].rtl  # first strong wins


def test_trailing_spaces_go_to_the_visual_end_of_an_rtl_row() -> None:
    result = layout_text("نعم  ", 10)
    assert result.lines[0].plain == "  ﻢﻌﻧ"


# --- shaping and harakat ------------------------------------------------------------------


def test_harakat_kept_after_their_base_letter() -> None:
    result = layout_text("بِسْمِ", 10)
    assert result.lines[0].plain == "ﻢِﺴْﺑِ"
    assert result.lines[0].width == 3
    assert result.cell_offsets(0, 9) == (0, 1)
    assert result.logical_to_visual(1) == (0, 9)


def test_harakat_dropped() -> None:
    result = layout_text("بِسْمِ", 10, harakat="drop")
    assert result.lines[0].plain == "ﻢﺴﺑ"
    assert result.cell_offsets(0, 9) == (0,)
    assert result.logical_to_visual(1) is None
    assert result.logical_to_visual(2) == (0, 8)


def test_a_mark_without_a_base_is_drawn_on_a_dotted_circle() -> None:
    result = layout_text("َب", 10)
    assert result.lines[0].plain == "ﺏ\u25cc\u064e"
    assert result.logical_to_visual(0) == (0, 9)


def test_lam_alef_is_one_cell_for_both_letters() -> None:
    result = layout_text("لا", 5)
    assert result.lines[0].plain == "ﻻ"
    assert result.cell_offsets(0, 4) == (0, 1)
    assert result.logical_to_visual(0) == result.logical_to_visual(1) == (0, 4)
    assert layout_text("سلام", 5).lines[0].plain == "ﻡﻼﺳ"


@pytest.mark.parametrize(
    ("span", "expected"), [(Span(0, 1, "bold"), True), (Span(1, 2, "bold"), True)]
)
def test_lam_alef_is_styled_if_either_letter_is(span: Span, expected: bool) -> None:
    result = layout_text("لا نعم", 10, [span])
    cells = styled_cells(result, 0)
    assert cells[9] is expected
    assert not any(cells[:8])


def test_allah_ligature_is_off() -> None:
    result = layout_text("الله", 10)
    assert "\ufdf2" not in result.lines[0].plain
    assert result.lines[0].plain == "ﻪﻠﻟﺍ"


def test_tatweel_is_kept() -> None:
    assert layout_text("جـميل", 10).lines[0].plain == "ﻞﻴﻤـﺟ"


# --- styles ---------------------------------------------------------------------------------


def test_span_styles_exactly_its_characters_after_reordering() -> None:
    text = "قال GNA اليوم"
    result = layout_text(text, 20, [Span(4, 7, "bold"), Span(0, 1, "bold")])
    row = result.lines[0]
    bold = styled_cells(result, 0)
    for col in range(20):
        offsets = result.cell_offsets(0, col)
        assert bold[col] == any(o in (0, 4, 5, 6) for o in offsets), col
    assert row.plain.index("GNA") >= 0


def test_with_spans_reuses_the_layout() -> None:
    first = layout_text("قال GNA اليوم", 20)
    styled = first.with_spans([Span(0, 3, "reverse")])
    assert styled.lines is first.lines
    assert not first.line_text(0).spans
    assert styled.line_text(0).spans


def test_text_cannot_inject_markup() -> None:
    result = layout_text("[bold red]x[/bold red] :smile:", 40)
    assert result.line_text(0).plain == "[bold red]x[/bold red] :smile:"
    assert not result.line_text(0).spans


# --- controls and security -----------------------------------------------------------------


def test_escape_sequences_are_drawn_visibly() -> None:
    result = layout_text("a\x1b[31mb\x9b2Jc\x07\x00\x7f", 40)
    assert result.line_text(0).plain == "a\u241b[31mb\ufffd2Jc\u2407\u2400\u2421"
    assert result.control_chars == 5
    assert result.warnings.escape_sequences == 2


@pytest.mark.parametrize("mode", ["app", "terminal", "off"])
def test_every_mode_sanitizes(mode: str) -> None:
    result = layout_text("x\x1b]0;owned\x07y\u202e", 40, mode=mode)  # type: ignore[arg-type]
    plain = result.line_text(0).plain
    assert "\x1b" not in plain and "\x07" not in plain and "\u202e" not in plain
    assert plain.startswith("x\u241b]0;owned\u2407y")


def test_bidi_controls_are_applied_counted_and_not_drawn() -> None:
    result = layout_text("\u202eabc\u202c def", 20)
    assert result.lines[0].plain == "cba def"
    assert result.bidi_controls == 2
    assert result.logical_to_visual(0) is None
    assert result.logical_to_visual(1) == (0, 2)


def test_zero_width_characters_are_not_drawn_but_counted() -> None:
    result = layout_text("ab\u200bcd\u2060", 20)
    assert result.lines[0].plain == "abcd"
    assert result.warnings.zero_width == 2
    assert result.logical_to_visual(2) is None


def test_crlf_line_ends_draw_nothing() -> None:
    result = layout_text("abc\r\ndef", 20, paragraph_gap=0)
    assert plains(result) == ["abc", "def"]
    assert result.control_chars == 0
    assert result.logical_to_visual(3) is None
    assert layout_text("a\rb", 20).lines[0].plain == "a\u240db"


def test_tab_is_one_space() -> None:
    assert layout_text("a\tb", 20).lines[0].plain == "a b"


def test_scan_text_counts() -> None:
    assert scan_text("plain text") == TextWarnings()
    assert not scan_text("plain text")
    found = scan_text("\u202ex\u2066y\u2069\u200f z\u200d\x1b[1m\x1b]8;;u\x07\x9f\r\n")
    assert found == TextWarnings(bidi_controls=4, control_chars=4, escape_sequences=3, zero_width=1)
    assert found.total == 9


def test_sanitize_keeps_the_length() -> None:
    text = "a\x00\x1b\x7f\x85\u2028\u2029\t\nb"
    assert len(sanitize(text)) == len(text)
    assert sanitize(text) == "a\u2400\u241b\u2421\ufffd\u2424\u00b6\t\nb"


# --- modes ----------------------------------------------------------------------------------


def test_terminal_mode_is_logical_unshaped_and_left_aligned() -> None:
    result = layout_text("قال (GNA)", 20, mode="terminal")
    assert result.line_text(0).plain == "قال (GNA)"
    assert result.lines[0].rtl
    assert result.lines[0].indent == 0


def test_terminal_mode_drops_harakat_when_asked_off_mode_keeps_the_text() -> None:
    assert layout_text("بِسْمِ", 10, mode="terminal", harakat="drop").lines[0].plain == "بسم"
    assert layout_text("بِسْمِ", 10, mode="off", harakat="drop").lines[0].plain == "بِسْمِ"


def test_bad_options_are_refused() -> None:
    with pytest.raises(ValueError):
        layout_text("x", 10, mode="bidi")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        layout_text("x", 10, harakat="some")  # type: ignore[arg-type]


# --- wrapping, paragraphs, maps --------------------------------------------------------------


def test_rows_never_exceed_the_width_and_long_words_fold() -> None:
    result = layout_text("supercalifragilistic is long", 8)
    assert plains(result) == ["supercal", "ifragili", "stic is", "long"]
    assert all(result.line_text(i).cell_len <= 8 for i in range(len(result)))


def test_a_wide_character_in_a_one_cell_row_is_an_ellipsis() -> None:
    result = layout_text("中文", 1)
    assert plains(result) == ["\u2026", "\u2026"]
    assert layout_text("中文", 4).lines[0].plain == "中文"
    assert layout_text("中文", 4).cell_offsets(0, 1) == (0,)


def test_swallowed_spaces_map_to_nothing_and_belong_to_the_row_above() -> None:
    result = layout_text("one two", 3)
    assert plains(result) == ["one", "two"]
    assert result.line_range(0) == (0, 4)
    assert result.line_range(1) == (4, 7)
    assert result.logical_to_visual(3) is None


def test_paragraph_gap_rows() -> None:
    result = layout_text("one\ntwo\n\nthree", 10)
    assert plains(result) == ["one", "", "two", "", "", "", "three"]
    assert [result.paragraph_of(i) for i in range(len(result))] == [0, None, 1, None, 2, None, 3]
    assert layout_text("one\ntwo", 10, paragraph_gap=0).lines[1].plain == "two"
    assert result.line_range(1) == (3, 3)


def test_empty_text_has_one_empty_row() -> None:
    result = layout_text("", 10)
    assert plains(result) == [""]
    assert result.line_range(0) == (0, 0)
    assert result.logical_to_visual(0) is None


def test_out_of_range_queries_return_nothing() -> None:
    result = layout_text("abc", 10)
    assert result.visual_to_logical(0, 5) is None
    assert result.visual_to_logical(3, 0) is None
    assert result.cell_offsets(0, -1) == ()
    assert result.logical_to_visual(99) is None
    assert result.logical_to_visual(-1) is None


# --- caching ----------------------------------------------------------------------------------


def test_same_arguments_give_the_cached_layout() -> None:
    text = "مرة أخرى " * 30
    assert layout_text(text, 40)._geo is layout_text(text, 40)._geo
    assert layout_text(text, 40)._geo is not layout_text(text, 41)._geo


def test_a_new_width_reuses_levels_and_shaping(monkeypatch: pytest.MonkeyPatch) -> None:
    layout.clear_caches()
    calls = {"prepare": 0, "bidi": 0, "word": 0, "reshape": 0}

    def counting(name: str, function):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(
        layout_blocks, "prepare_paragraphs", counting("prepare", layout_blocks.prepare_paragraphs)
    )
    monkeypatch.setattr(bidi, "resolve_runs", counting("bidi", bidi.resolve_runs))
    reshape_words = shaping.reshape_words

    def words_counted(words: list[str]) -> list[str]:
        calls["word"] += len(words)
        return reshape_words(words)

    monkeypatch.setattr(shaping, "reshape_words", words_counted)
    monkeypatch.setattr(shaping.RESHAPER, "reshape", counting("reshape", shaping.RESHAPER.reshape))
    text = "قال الرئيس (GNA) إن 140 كلم\nوأعلن الناطق باسم الجيش"
    layout_text(text, 30)
    # Each of the 8 Arabic words shaped once, by table (no haraka: the reshaper is not called).
    assert calls == {"prepare": 1, "bidi": 2, "word": 8, "reshape": 0}
    for width in (10, 20, 50, 80):
        layout_text(text, width)
    assert calls == {"prepare": 1, "bidi": 2, "word": 8, "reshape": 0}
    layout_text(text + "\nجديد", 30)  # only the new paragraph is prepared
    assert calls == {"prepare": 2, "bidi": 3, "word": 9, "reshape": 0}
