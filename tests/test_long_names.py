"""A name from a file (an outlet, an author) of thousands of characters takes a row or two of
the app, not the screen: every widget showing one shows at most ``NAME_CHARS`` of it, cut in
logical order and marked "…"; the files keep it whole, the index its first
``FIELD_CHARS`` characters (a name of megabytes is no name: see reader.core.sources.corpus)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.console import Console

from reader.app.app import ReaderApp
from reader.app.search_status import filters_text
from reader.app.widgets.bidi_text import name_text
from reader.app.widgets.header import ArticleHeader
from reader.app.widgets.results import HitRows
from reader.core.config import load_config
from reader.core.search.hits import Hit
from reader.core.search.index import update_index
from reader.core.sources.corpus import FIELD_CHARS
from reader.core.text.sanitize import NAME_CHARS, clipped
from tests.conftest import write_config

HUGE = ("Outlet " * 800).strip()  # 5,599 characters


def test_a_name_is_cut_in_logical_order_and_marked() -> None:
    assert clipped("Valley Post") == "Valley Post"
    assert clipped("x" * NAME_CHARS) == "x" * NAME_CHARS
    cut = clipped("قناة " * 50)
    assert len(cut) == NAME_CHARS and cut.endswith("…") and cut.startswith("قناة قناة")


def test_a_result_with_a_huge_outlet_keeps_its_rows() -> None:
    hit = Hit("a", "River floods", HUGE, "en", date(2020, 5, 1), 1.0, "The river rose.", (), ())
    rows = HitRows(hit, None).rows(Console(width=80), 80)
    assert len(rows) <= 5  # title, at most three rows of outlet · language · date, snippet
    assert any("…" in row.plain for row in rows)
    assert len(filters_text(None, HUGE)) < 2 * NAME_CHARS


async def test_the_header_shows_a_huge_outlet_and_author_in_a_few_rows(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "flood.txt").write_text("River floods\nThe river rose.\n", encoding="utf-8")
    (corpus / "flood.toml").write_text(f'outlet = "{HUGE}"\nauthor = "{HUGE}"\n')
    config = load_config(write_config(tmp_path))
    update_index(config)
    app = ReaderApp(config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = app.query_one(ArticleHeader)
        header.article = app.library.article("flood")
        assert header.article is not None  # the index keeps the start of each, marked
        assert header.article.outlet == HUGE[: FIELD_CHARS["outlet"] - 1].rstrip() + "…"
        assert header.article.author == HUGE[: FIELD_CHARS["author"] - 1].rstrip() + "…"
        options = app.console.options.update_width(80)
        rows = list(app.console.render_lines(header.render(), options))
        assert len(rows) <= 8  # title, meta, byline: each a few rows
        shown = "".join(s.text for row in rows for s in row)
        assert shown.count("…") == 2  # the outlet and the author, each cut
        assert name_text(HUGE).startswith("Outlet Outlet")
