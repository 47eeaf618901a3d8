"""A result's strips are made from its laid-out rows directly (no Rich wrapping again): they
must be, cell for cell and style for style, what Textual's own ``RichVisual`` draws for the
same rows, in every style the list draws an entry in, at every width, for Arabic, English,
marked and hostile text."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from rich.style import Style as RichStyle
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, RichVisual

from reader.app.widgets.results import HitRows, HitVisual, ResultsList
from reader.core.search.hits import Hit

HITS = [
    Hit(
        id="ar-1",
        title="قوات حفتر تتقدم نحو سرت بعد معارك عنيفة في محيط المدينة",
        outlet="الجزيرة",
        lang="ar",
        published=datetime.date(2020, 6, 6),
        score=1.0,
        snippet="قالت مصادر إن قوات حفتر انسحبت من ترهونة 2020 بعد هجوم of GNA forces",
        title_marks=((5, 9),),
        snippet_marks=((15, 19), (61, 64)),
    ),
    Hit(
        id="en-1",
        title="Haftar's forces pull back towards Sirte as the GNA advances on Tarhuna",
        outlet="Reuters",
        lang="en",
        published=None,
        score=1.0,
        snippet="The forces of Khalifa Haftar (حفتر) withdrew, a spokesman said on Friday.",
        title_marks=((0, 6),),
        snippet_marks=((29, 35), (37, 41)),
    ),
    Hit(
        id="x\x1b[31m\n<b>[bold]",
        title="\x1b]8;;http://evil\x07click\x1b]8;;\x07 [red]markup[/red] \u202etxet\u202c " * 9,
        outlet="\x1b[2J[link=x]outlet",
        lang="en",
        published=datetime.date(2021, 1, 2),
        score=1.0,
        snippet="line one\nline two\ttabbed\r\x00 \u200f" + "و" * 300,
        title_marks=(),
        snippet_marks=((0, 4),),
    ),
]

# Styles as the list draws entries in (never empty: with an empty base style Textual's own
# rendering drops the rows' line ends and draws one row, a case the list never meets).
STYLES = [
    Style(foreground=None, background=None, dim=True),
    Style(background=None, bold=True),
    Style.from_rich_style(RichStyle(color="black", bgcolor="yellow", italic=True)),
]


def cells(strips: list[Strip]) -> list[list[tuple[str, RichStyle | None]]]:
    """Each strip as (character, style) per character, however it is cut into segments."""
    return [
        [(char, segment.style) for segment in strip for char in segment.text] for strip in strips
    ]


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ResultsList(None)


@pytest.mark.parametrize("width", [1, 7, 24, 40, 80, 157])
async def test_strips_are_what_rich_draws(width: int, tmp_path: Path) -> None:
    app = ListApp()
    async with app.run_test(size=(160, 40)):
        results = app.query_one(ResultsList)
        options = RenderOptions(results._get_style, results.styles)
        for hit in HITS:
            for style in STYLES:
                ours = HitVisual(results, hit).render_strips(width, None, style, options)
                theirs = RichVisual(results, HitRows(hit, None)).render_strips(
                    width, None, style, options
                )
                assert len(ours) == len(theirs) == len(results.rows(hit, width))
                assert cells(ours) == cells(theirs), (hit.id, width, style)
                assert all(strip.cell_length <= width for strip in ours)
                cut = HitVisual(results, hit).render_strips(width, 2, style, options)
                assert cells(cut) == cells(theirs[:2])
