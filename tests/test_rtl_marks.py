"""Marks that underline (the sentence cursor, the compare view's fact marks) never underline
Arabic: an underline runs through the dots below ب ت ي ج ن. Over Arabic they are a
background (a tint, or the mark's colour reversed)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.color import Color
from textual.app import App, ComposeResult

from reader.app.styles import arabic_runs, underline_free, verdict_style
from reader.app.widgets.article_view import ArticleView
from reader.app.widgets.column_view import FACT_STYLES
from reader.core.config import Config, load_config
from reader.core.search.analysis import index_term
from reader.core.search.highlight import Matcher
from reader.core.sources.article import Article
from reader.core.text.layout import Span

TEXT = "قال حفتر، في Sirte 2024 إن بيان"


def test_arabic_runs_cover_arabic_words_and_what_is_between_them() -> None:
    assert arabic_runs(TEXT, 0, len(TEXT)) == [(0, 12), (24, 31)]
    assert arabic_runs("Sirte 2024", 0, 10) == []
    assert arabic_runs("بَيان", 0, 5) == [(0, 5)]  # the haraka stays with its letter


def test_underline_free_keeps_underlines_off_arabic_only() -> None:
    spans = underline_free(TEXT, [Span(0, len(TEXT), FACT_STYLES["conflict"])])
    over = {(s.start, s.end): s.style for s in spans}
    assert "underline" not in over[(0, 12)] and "reverse" in over[(0, 12)]
    assert "underline" not in over[(24, 31)]
    assert over[(12, 24)] == FACT_STYLES["conflict"]  # " Sirte 2024 " keeps its underline
    cursor = underline_free(TEXT, [Span(0, 8, "underline")])
    assert cursor == [Span(0, 8, "on #3e4451")]
    other = [Span(0, 8, "bold black on #e5c07b")]
    assert underline_free(TEXT, other) == other


class _ViewApp(App[None]):
    def __init__(self, config: Config) -> None:
        super().__init__()
        self.config = config

    def compose(self) -> ComposeResult:
        yield ArticleView(self.config)


def test_the_sentence_cursor_does_not_underline_arabic(config_path: Path) -> None:
    async def run() -> None:
        app = _ViewApp(load_config(config_path))
        async with app.run_test(size=(60, 10)) as pilot:
            view = app.query_one(ArticleView)
            view.show(Article("a", "t", "بيان الجيش في Sirte. جملة ثانية.", "ar"))
            view.move_sentence(1)
            await pilot.pause()
            strip = view.render_line(0)
            arabic = [seg for seg in strip if any("\ufe70" <= c <= "\ufeff" for c in seg.text)]
            assert arabic
            marked = [seg for seg in arabic if seg.style is not None and seg.style.bgcolor]
            assert marked, "the cursor's sentence is marked over its Arabic"
            assert not any(seg.style is not None and seg.style.underline for seg in arabic)
            latin = [seg for seg in strip if "Sirte" in seg.text]
            assert latin and all(seg.style is not None and seg.style.underline for seg in latin)

    asyncio.run(run())


def test_a_tint_that_replaces_an_underline_lies_under_every_other_mark() -> None:
    """Seen in xterm: the current search hit inside the sentence under the cursor lost its
    colour to the cursor's tint over Arabic (black on the dark tint, unreadable; in 16 colours,
    bold black on grey, gone). The tint is the lowest mark; other backgrounds stay on top."""
    match = Span(4, 8, "black on #ff9e64")  # حفتر
    spans = underline_free(TEXT, [match, Span(0, 12, "underline")])
    assert spans[0] == Span(0, 12, "on #3e4451")  # first: under everything else
    assert match in spans[1:]
    coloured = underline_free(TEXT, [match, Span(0, 12, FACT_STYLES["differ"])])
    assert coloured[0] == match  # a fact's colour reversed stays where its mark was


def test_the_current_hit_stays_coloured_inside_the_cursor_sentence(config_path: Path) -> None:
    async def run() -> None:
        app = _ViewApp(load_config(config_path))
        async with app.run_test(size=(60, 10)) as pilot:
            view = app.query_one(ArticleView)
            matcher = Matcher(frozenset({index_term("حفتر") or ""}), ())
            view.show(Article("a", "t", "قال حفتر في بيان. جملة ثانية.", "ar"), matcher)
            await pilot.pause()
            view.move_sentence(1)
            await pilot.pause()
            strip = view.render_line(0)
            hit = [seg for seg in strip if "ﺮﺘﻔﺣ" in seg.text]  # حفتر shaped, visual order
            assert hit and hit[0].style is not None and hit[0].style.bgcolor is not None
            assert hit[0].style.bgcolor.triplet == Color.parse("#ff9e64").triplet
            said = [seg for seg in strip if "ﻝﺎﻗ" in seg.text]  # قال: the cursor's tint
            assert said and said[0].style is not None and said[0].style.bgcolor is not None
            assert said[0].style.bgcolor.triplet == Color.parse("#3e4451").triplet

    asyncio.run(run())


def test_a_selection_looks_the_same_over_a_noted_passage_as_over_plain_text(
    config_path: Path,
) -> None:
    """Seen in xterm: words selected over a noted passage looked unmarked (a bare reverse
    swapped the note's background into the text colour: light text on the dark background,
    like any other word). Every selected cell shows the same colours, whatever lies under it."""

    async def run() -> None:
        app = _ViewApp(load_config(config_path))
        async with app.run_test(size=(60, 10)) as pilot:
            view = app.query_one(ArticleView)
            body = "قال حفتر في بيان رسمي. جملة ثانية."
            view.show(Article("a", "t", body, "ar"))
            view.set_note_spans([(4, 15, verdict_style("unverified"))])  # حفتر في بيان
            view.move_sentence(1)
            view.word_step(-1)  # قال
            view.word_step(-1, True)  # قال حفتر
            view.word_step(-1, True)  # قال حفتر في: plain, then noted text
            await pilot.pause()
            passage = view.selected_passage()
            assert passage is not None and body[slice(*passage)] == "قال حفتر في"
            selected = [
                seg
                for seg in view.render_line(0)
                if seg.style is not None and seg.style.reverse and seg.text.strip()
            ]
            shown = {(seg.style.color, seg.style.bgcolor) for seg in selected if seg.style}
            assert "".join(seg.text for seg in selected).replace(" ", "") == "ﻲﻓﺮﺘﻔﺣﻝﺎﻗ"
            assert len(shown) == 1, shown  # قال (plain) and حفتر في (noted) alike

    asyncio.run(run())
