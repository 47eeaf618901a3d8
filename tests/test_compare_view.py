"""Pilot tests of the compare view, on a private copy of the seeds: columns, synchronised scroll,
counterparts, divergences, notes, the Arabic column, and picking articles for a lone one."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import SelectionList, Static

from reader.app.app import ReaderApp
from reader.app.screens.article_picker import ArticlePicker
from reader.app.screens.compare import CompareScreen
from reader.app.widgets.column_view import ColumnView
from reader.app.widgets.compare_column import CompareColumn
from reader.app.widgets.divergences import DivergenceList
from reader.core.config import load_config
from reader.core.events.alignment import paragraph_spans
from reader.core.events.decisions import decisions_path
from reader.core.notes.store import NotesStore
from reader.core.search.index import update_index
from tests.conftest import ARABIC_SEED, write_config
from tests.test_app import FIRST_WORD, search_and_open, settle

S000, S001, S002, S003, S004 = (
    "000_7b206ec7414ebb17",
    "001_629cc8aa1a0900a3",
    "002_21aad2d8e00821f2",
    "003_cf72655655ca3791",
    "004_9e772252006eaafa",
)


@pytest.fixture
def indexed_config(config_path: Path) -> Path:
    update_index(load_config(config_path))
    return config_path


async def open_compare(pilot: object, app: ReaderApp, query: str, article_id: str) -> CompareScreen:
    """Open ``article_id`` in the main window, press c, wait for the columns."""
    await search_and_open(pilot, app, query, article_id)
    await pilot.press("c")  # type: ignore[attr-defined]
    await settle(pilot, app)
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, CompareScreen)
    return screen


def views(screen: CompareScreen) -> list[ColumnView]:
    return [column.view for column in screen.query(CompareColumn)]


def column_ids(screen: CompareScreen) -> list[str]:
    return [v.article.id for v in views(screen) if v.article is not None]


async def test_columns_open_for_the_event_of_the_article(indexed_config: Path) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Turkish", S004)
        assert column_ids(screen) == [S004, S003]  # 004 and the Arabic 003: one event, 004 first
        for view in views(screen):
            assert view.text_layout is not None and len(view.text_layout.lines) > 10
            assert view.virtual_size.width == view.scrollable_content_region.width
        summary = screen.query_one(DivergenceList)
        assert summary.option_count == len(summary.divergences) > 0
        statuses = {d.status for d in summary.divergences}
        assert statuses <= {"conflict", "only", "shared"} and "shared" in statuses
        # Facts are marked in the columns they appear in.
        first = views(screen)[0]
        assert first._facts and all(s < e for s, e, _status in first._facts)
        await pilot.press("escape")
        assert not isinstance(app.screen, CompareScreen)


def aligned_pair(screen: CompareScreen, minimum: int) -> tuple[int, int]:
    """A pivot paragraph and its partner in column 2 whose top is at least ``minimum`` rows down
    and that column 2 can scroll to."""
    pivot, other = views(screen)
    assert screen.map is not None
    for row in screen.map.rows:
        match = row.matches[0]
        if match is None:
            continue
        top = other.paragraph_extent(match.passage.index)[0]
        pivot_top = pivot.paragraph_extent(row.pivot.index)[0]
        if minimum <= top <= other.max_scroll_y and 0 < pivot_top <= pivot.max_scroll_y:
            return row.pivot.index, match.passage.index
    raise AssertionError("no aligned paragraph far enough down")


async def test_synchronised_scroll_keeps_aligned_passages_level(indexed_config: Path) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Turkish", S004)
        pivot, other = views(screen)
        assert pivot.scroll_y == other.scroll_y == 0
        p, q = aligned_pair(screen, minimum=5)
        pivot.scroll_to(y=pivot.paragraph_extent(p)[0], animate=False)
        await pilot.pause()
        # The passage aligned to the pivot's top passage is now at the top of column 2 too.
        assert other.scroll_y == other.paragraph_extent(q)[0] > 0
        assert pivot.scroll_y - pivot.paragraph_extent(p)[0] == 0

        # Scrolling column 2 moves the pivot back to a passage aligned to column 2's top one.
        other.scroll_to(y=0, animate=False)
        await pilot.pause()
        top_partners = screen.map.partners(1, 0) if screen.map else {}
        if top_partners:  # the pivot's top passage is one aligned to it, at its own top
            shown = pivot.paragraph_at_row(round(pivot.scroll_y))
            assert shown in top_partners[0]
            assert pivot.scroll_y == pivot.paragraph_extent(shown)[0]
        else:
            assert pivot.scroll_y == pivot.paragraph_extent(p)[0]  # nothing aligned: it stays

        # With sync off, the other column stays where it is.
        pivot.focus()
        await pilot.press("s")
        assert screen.sync is False
        before = other.scroll_y
        pivot.scroll_to(y=pivot.paragraph_extent(p)[0] + 3, animate=False)
        await pilot.pause()
        assert other.scroll_y == before
        await pilot.press("s")
        assert screen.sync is True


async def test_cursor_tints_the_aligned_passages(indexed_config: Path) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Turkish", S004)
        pivot, other = views(screen)
        pivot.focus()
        assert screen.map is not None
        paragraph: int | None = None
        for _ in range(len(pivot._sentences)):
            await pilot.press("right_square_bracket")
            await pilot.pause()
            paragraph = pivot.selected_paragraph()
            assert paragraph is not None
            if screen.map.rows[paragraph].matches[0] is not None:
                break
        assert paragraph is not None
        match = screen.map.rows[paragraph].matches[0]
        assert match is not None
        assert other.article is not None
        expected = paragraph_spans(other.article.body)[match.passage.index]
        assert other._counterparts == [expected]
        assert pivot._counterparts == []
        # The counterpart is on screen, level with the cursor's paragraph.
        top = other.paragraph_extent(match.passage.index)[0]
        assert other.scroll_y <= top < other.scroll_y + other.scrollable_content_region.height


def one_event_of_000_and_001(config_path: Path) -> None:
    """Make 000 and 001 one event through the user's events.toml (grouping alone keeps them
    apart: they are two stories of the same week, linked only by names past 000's lead)."""
    path = decisions_path(load_config(config_path))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[events.sirte]\nmembers = ["{S000}", "{S001}"]\n', encoding="utf-8")


async def test_choosing_a_divergence_scrolls_every_column_to_it(indexed_config: Path) -> None:
    """On 000 and 001, made one event by the user's decision: they share facts far down both
    articles, which 003 and 004 do not (their shared names all come early in one of them)."""
    one_event_of_000_and_001(indexed_config)
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Sirte", S000)
        assert column_ids(screen) == [S000, S001]
        summary = screen.query_one(DivergenceList)
        by_id = {v.article.id: v for v in views(screen) if v.article is not None}
        # A fact far down both articles (a shared one, stated in the two columns).
        index, divergence = next(
            (i, d)
            for i, d in enumerate(summary.divergences)
            if len(d.refs) == 2
            and all(
                (row := by_id[r.article_id].row_of(r.start)) is not None
                and row > by_id[r.article_id].scrollable_content_region.height
                for r in d.refs
            )
        )
        summary.focus()
        summary.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        rows = []
        for ref in divergence.refs:
            view = by_id[ref.article_id]
            row = view.row_of(ref.start)
            assert row is not None
            height = view.scrollable_content_region.height
            assert view.scroll_y > 0 and view.scroll_y <= row < view.scroll_y + height
            assert view._focus == [(ref.start, ref.end)]
            rows.append(row - view.scroll_y)
        assert rows[0] == rows[1]  # level, in the bodies and on the screen
        assert len({view.region.y for view in views(screen)}) == 1


async def test_a_note_taken_in_a_column_is_saved(indexed_config: Path) -> None:
    config = load_config(indexed_config)
    app = ReaderApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Turkish", S004)
        other = views(screen)[1]
        other.focus()
        await pilot.press("right_square_bracket")
        passage = other.selected_passage()
        assert passage is not None and other.article is not None
        sentence = other.article.body[passage[0] : passage[1]]
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, CompareScreen)
        assert other._notes and other._notes[0][:2] == passage  # marked in the column
    notes = NotesStore(config).load(S003)  # the Arabic column's article
    assert [n.exact for n in notes] == [sentence]
    assert NotesStore(config).load(S004) == []


async def test_coming_to_the_summary_highlights_and_shows_its_first_divergence(
    indexed_config: Path,
) -> None:
    """Tab into the list of divergences: its first row is highlighted and shown in the
    columns, so Enter acts on it (before, nothing was highlighted and Enter did nothing)."""
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Turkish", S004)
        summary = screen.query_one(DivergenceList)
        assert summary.divergences and summary.highlighted is None
        for _ in range(8):
            if summary.has_focus:
                break
            await pilot.press("tab")
            await pilot.pause()
        assert summary.has_focus
        assert summary.highlighted == 0
        first = summary.divergences[0]
        by_id = {v.article.id: v for v in views(screen) if v.article is not None}
        for ref in first.refs:
            assert by_id[ref.article_id]._focus == [(ref.start, ref.end)]


async def test_arabic_column_beside_an_english_one(indexed_config: Path) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "الوطيه", ARABIC_SEED)
        assert column_ids(screen) == [ARABIC_SEED, S004]  # 003 and 004 form an event
        arabic = views(screen)[0]
        width = arabic.scrollable_content_region.width
        assert width < 50  # a narrow column
        assert arabic.text_layout is not None and arabic.text_layout.width == width
        first = arabic.render_line(0).text
        assert first.rstrip().endswith(FIRST_WORD)  # the first word at the right edge
        assert cell_len(first.rstrip()) == width
        gap = next(i for i, line in enumerate(arabic.text_layout.lines) if line.paragraph is None)
        last = arabic.render_line(gap - 1).text  # the paragraph's short last row: flush right
        assert last.startswith("  ") and cell_len(last.rstrip()) == width
        english = views(screen)[1]
        assert english.render_line(0).text.startswith("Military")


async def test_a_lone_article_asks_which_articles_to_compare(indexed_config: Path) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "mobilization", S002)
        await pilot.press("c")
        await settle(pilot, app)
        picker = app.screen
        assert isinstance(picker, ArticlePicker)  # 002 stands alone
        assert picker.choices[0].score >= picker.choices[-1].score
        assert 1 <= len(picker.chosen) <= 3  # the closest ones are ticked
        listing = picker.query_one(SelectionList)
        assert set(listing.selected) == set(picker.chosen)
        listing.deselect_all()
        listing.select(S004)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert column_ids(screen) == [S002, S004]


async def test_the_pickers_hint_wraps_on_a_narrow_screen(indexed_config: Path) -> None:
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "mobilization", S002)
        await pilot.press("c")
        await settle(pilot, app)
        assert isinstance(app.screen, ArticlePicker)
        hint = app.screen.query_one("#picker-hint", Static)
        room = app.screen.query_one("#picker").content_region.width
        assert hint.region.width <= room  # inside the dialog's border, not cut by it
        shown = " ".join(hint.render_line(y).text.strip() for y in range(hint.size.height))
        assert shown.endswith("type to filter")  # so every word of it is shown


async def test_article_text_is_never_markup_in_the_compare_view(config_path: Path) -> None:
    corpus = config_path.parent / "corpus"
    (corpus / "zz_markup.txt").write_text(
        "[bold red]FAKE[/] Haftar [@click=app.quit]x[/]\n\nHaftar in Sirte [link=file:///x]y[/] "
        "\x1b]0;pwned\x07 and \x1b[2J clear, 140 km west of Sirte.\n",
        encoding="utf-8",
    )
    update_index(load_config(config_path))
    app = ReaderApp(load_config(config_path))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "FAKE", "zz_markup")
        await pilot.press("c")
        await settle(pilot, app)
        if isinstance(app.screen, ArticlePicker):  # it stands alone: compare it with 001
            listing = app.screen.query_one(SelectionList)
            listing.deselect_all()
            listing.select(S001)
            await pilot.press("ctrl+s")
            await settle(pilot, app)
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert column_ids(app.screen)[0] == "zz_markup"
        screen = app.export_screenshot().replace("&#160;", " ")
        assert "[bold red]FAKE[/]" in screen and "[link=file:///x]y[/]" in screen
        assert "\x1b" not in screen
        assert app.is_running  # the [@click=app.quit] did nothing


async def test_an_unusable_gazetteer_is_reported_and_the_app_keeps_running(
    tmp_path: Path, corpus_dir: Path
) -> None:
    names = tmp_path / "names.toml"
    names.write_text("[haftar]\ntype = 'person'\n", encoding="utf-8")
    extra = '\n[search]\ncross_script = false\n\n[entities]\ngazetteer = "names.toml"\n'
    config = load_config(write_config(tmp_path, extra=extra))
    # Config checks the gazetteer when it is read; this one breaks while the app runs.
    names.write_text("[haftar\ntype = 'person'\n", encoding="utf-8")
    update_index(config)
    app = ReaderApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "Sirte", S000)
        await pilot.press("c")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, CompareScreen) and app.is_running
        status = str(screen.query_one("#compare-status", Static).render())
        assert "names.toml" in status and "invalid TOML" in status
        await pilot.press("escape")
        assert not isinstance(app.screen, CompareScreen)


async def test_a_chosen_divergence_is_noted_with_one_key(indexed_config: Path) -> None:
    config = load_config(indexed_config)
    app = ReaderApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Turkish", S004)
        summary = screen.query_one(DivergenceList)
        index, divergence = next(
            (i, d) for i, d in enumerate(summary.divergences) if d.kind != "entity"
        )
        summary.focus()
        summary.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        ref = divergence.refs[0]
        view = next(v for v in views(screen) if v.article and v.article.id == ref.article_id)
        passage = view.selected_passage()
        assert passage is not None and passage[0] <= ref.start < ref.end <= passage[1]
        await pilot.press("a")  # the focus stays on the list of divergences
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, CompareScreen)
    assert view.article is not None
    notes = NotesStore(config).load(ref.article_id)
    assert [n.exact for n in notes] == [view.article.body[passage[0] : passage[1]]]


async def test_at_80_columns_the_header_shows_who_reported_the_event_whole(
    indexed_config: Path,
) -> None:
    # Found in tmux at 80x24: the event's label took the header's room and "EN 1 · no outlet
    # named" (who reported it, what the header is for) was cut off the right edge.
    from rich.cells import cell_len

    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Turkish", S004)
        status = str(screen.query_one("#compare-status", Static).render())
        # The label (its central report's Arabic title) is longer than the room left for it.
        assert cell_len(screen.label) > 40
        shown = status.split("\n")[0]
        assert cell_len(shown) <= 80
        assert "AR 1 · EN 1 · no outlet named" in shown, shown
        assert "event: " in shown and "…" in shown  # the label's start, cut


async def test_the_header_is_laid_out_again_when_the_terminal_is_resized(
    indexed_config: Path,
) -> None:
    # Found in tmux: opened at 80 columns and widened to 200, the header kept the label cut
    # to the room it had at 80.
    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Turkish", S004)
        status = screen.query_one("#compare-status", Static)
        assert "…" in str(status.render())  # the label cut
        await pilot.resize_terminal(200, 50)
        await settle(pilot, app)
        assert "…" not in str(status.render())  # whole
