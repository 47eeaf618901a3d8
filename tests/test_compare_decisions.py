"""Pilot tests of the user's decisions from the compare view: take an article out, add, merge,
split, rename and confirm; each is saved to events.toml, holds after the app is closed and
reopened (and after a re-index), and an unreadable events.toml is reported and left as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, SelectionList, Static

from reader.app.app import ReaderApp
from reader.app.screens.article_picker import ArticlePicker
from reader.app.screens.event_picker import EventPicker
from reader.app.screens.label_dialog import LabelDialog
from reader.core.config import Config, load_config
from reader.core.events.decisions import decisions_path, load_decisions
from reader.core.events.event import Event
from reader.core.events.grouping import load_events
from reader.core.library import Library
from reader.core.search.index import update_index
from tests.conftest import CliRunner
from tests.test_app import settle
from tests.test_compare_view import (
    S000,
    S001,
    S002,
    S003,
    S004,
    column_ids,
    open_compare,
    views,
)

LABEL = "Mismari's claims: the west المسماري"


@pytest.fixture
def indexed_config(config_path: Path) -> Path:
    update_index(load_config(config_path))
    return config_path


def event_of(config: Config, article_id: str) -> Event:
    with Library(config) as library:
        return next(e for e in library.events() if article_id in e.article_ids)


def write_events_file(config: Config, text: str) -> Path:
    """``events.toml`` (the user's decisions) of ``config`` holding ``text``; its path."""
    path = decisions_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def labelled(members: tuple[str, str], label: str) -> str:
    """An events.toml grouping ``members`` under ``label`` (a TOML basic string's text)."""
    return f'[events.mine]\nmembers = ["{members[0]}", "{members[1]}"]\nlabel = "{label}"\n'


async def rename_in_view(pilot: Pilot[None], app: ReaderApp, label: str) -> None:
    """Press r in the compare view, type ``label`` in the dialog, press Enter."""
    await pilot.press("r")
    await settle(pilot, app)
    dialog = app.screen
    assert isinstance(dialog, LabelDialog)
    dialog.query_one(Input).value = label
    await pilot.press("enter")
    await settle(pilot, app)


async def test_rename_and_take_out_hold_after_reopening_and_reindexing(
    indexed_config: Path,
) -> None:
    config = load_config(indexed_config)
    app = ReaderApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Turkish", S004)
        assert column_ids(screen) == [S004, S003]  # English and Arabic: one event
        await rename_in_view(pilot, app, LABEL)
        assert app.screen is screen and "Mismari's claims: the west" in screen.label
        views(screen)[1].focus()  # the column of 003
        await pilot.press("x")
        await settle(pilot, app)
        assert isinstance(app.screen, ArticlePicker)  # 004 now stands alone: pick to compare
        await pilot.press("escape")
        await settle(pilot, app)
    text = decisions_path(config).read_text(encoding="utf-8")
    assert text.startswith("# Events you have confirmed")  # a file a person can read
    decided = {d.members: d for d in load_decisions(decisions_path(config)).events}
    assert decided[(S004,)].label == LABEL and decided[(S004,)].excluded == (S003,)
    assert (S003,) in decided  # taken out: an event of its own
    update_index(config)  # a re-index changes nothing the user decided
    event = event_of(config, S004)
    assert event.label == LABEL and event.decided and S003 not in event.article_ids
    app = ReaderApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        await open_compare_alone(pilot, app)


async def open_compare_alone(pilot: object, app: ReaderApp) -> None:
    from tests.test_app import search_and_open

    await search_and_open(pilot, app, "Turkish", S004)
    await pilot.press("c")  # type: ignore[attr-defined]
    await settle(pilot, app)
    assert isinstance(app.screen, ArticlePicker)  # the decision holds: 004 stands alone
    assert S003 in [c.article_id for c in app.screen.choices]  # 003 offered, not grouped


async def test_confirm_add_and_split_from_the_compare_view(indexed_config: Path) -> None:
    config = load_config(indexed_config)
    app = ReaderApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Turkish", S004)
        await pilot.press("C")
        await settle(pilot, app)
        (decided,) = load_decisions(decisions_path(config)).events
        assert decided.confirmed and set(decided.members) == {S003, S004}
        await pilot.press("plus")
        await settle(pilot, app)
        picker = app.screen
        assert isinstance(picker, ArticlePicker)
        assert S003 not in [c.article_id for c in picker.choices]  # already in the event
        listing = picker.query_one(SelectionList)
        listing.deselect_all()
        listing.select(S002)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        await pilot.pause()
        assert app.screen is screen and column_ids(screen) == [S004, S002, S003]
        assert set(event_of(config, S004).article_ids) == {S002, S003, S004}
        await pilot.press("S")
        await settle(pilot, app)
        picker = app.screen
        assert isinstance(picker, ArticlePicker)
        assert {c.article_id for c in picker.choices} == {S002, S003}
        assert picker.chosen == []  # nothing ticked for the user
        picker.query_one(SelectionList).select(S002)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        await pilot.pause()
        assert column_ids(screen) == [S004, S003]
    assert set(event_of(config, S002).article_ids) == {S002}
    assert set(event_of(config, S004).article_ids) == {S003, S004}


async def test_merge_with_an_event_picked_from_the_list(indexed_config: Path) -> None:
    config = load_config(indexed_config)
    app = ReaderApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Turkish", S004)
        await pilot.press("m")
        await settle(pilot, app)
        picker = app.screen
        assert isinstance(picker, EventPicker)
        assert all(S004 not in e.article_ids for e in picker.events)
        listing = picker.query_one(OptionList)
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(len(picker.events))]
        assert any(p.startswith("  1 article  ") for p in prompts), prompts  # not "1 articles"
        target = next(i for i, e in enumerate(picker.events) if S002 in e.article_ids)
        picker.query_one(OptionList).highlighted = target
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.pause()
        assert app.screen is screen and S002 in column_ids(screen)
    assert {S002, S003, S004} <= set(event_of(config, S004).article_ids)


async def test_an_unreadable_events_file_is_reported_and_nothing_is_lost(
    indexed_config: Path,
) -> None:
    config = load_config(indexed_config)
    broken = '# mine\n[events.x]\nmembers = ["a"]\nconfirmed = "yes"\n'
    path = write_events_file(config, broken)
    app = ReaderApp(config)

    def errors() -> list[str]:
        return [n.message for n in app._notifications if n.severity == "error"]

    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Turkish", S004)
        # Said before a label is typed for a file that cannot take it: no dialog opens.
        await pilot.press("r")
        await settle(pilot, app)
        assert app.screen is screen
        assert any(f"{path}:4: [events.x]: confirmed must be true or false" in e for e in errors())
        # The file mended, the dialog opens; broken again while the label is typed, it is
        # reported, never overwritten, and what was typed is offered once it is mended.
        path.write_text("# mine\n", encoding="utf-8")
        await pilot.press("r")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, LabelDialog)
        path.write_text(broken, encoding="utf-8")
        dialog.query_one(Input).value = LABEL
        await pilot.press("enter")
        await settle(pilot, app)
        assert sum(f"{path}:4:" in e for e in errors()) == 2, errors()
        assert path.read_text(encoding="utf-8") == broken
        # Kept in a file beside it too, named in the message: leaving the app loses nothing.
        kept = list(path.parent.glob("unsaved-event-label-*.txt"))
        assert len(kept) == 1 and f"label typed: {LABEL}\n" in kept[0].read_text("utf-8")
        assert any(f"kept in {kept[0]}" in e for e in errors())
        path.write_text("# mine\n", encoding="utf-8")
        await pilot.press("r")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, LabelDialog)
        assert dialog.query_one(Input).value == LABEL
        await pilot.press("escape")
        assert app.screen is screen


async def test_a_hostile_event_label_is_shown_as_one_line_of_text(indexed_config: Path) -> None:
    config = load_config(indexed_config)
    label = r"[bold red]x[/] \u001b[31m evil \u202e rtl \n two"
    write_events_file(config, labelled((S000, S001), label))
    app = ReaderApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Sirte", S000)
        status = screen.query_one("#compare-status", Static).render()
        shown = str(status)
        assert "evil" in shown and "[bold red]x[/]" in shown  # shown, as text, not markup
        assert "\x1b" not in shown and "\n" not in shown and "\u202e" not in shown


async def test_an_unreadable_events_file_is_reported_when_the_event_is_large_too(
    config_path: Path,
) -> None:
    """With five articles in one event (more than the view shows), the note about the columns
    replaced the warning that the decisions were not applied (found by trying the app)."""
    text = config_path.read_text(encoding="utf-8") + "\n[events]\nthreshold = 0.15\n"
    config_path.write_text(text, encoding="utf-8")
    config = load_config(config_path)
    update_index(config)
    assert len(event_of(config, S004).article_ids) == 5
    write_events_file(config, '[events.x]\nmembers = ["a"\n')
    app = ReaderApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        await open_compare(pilot, app, "Turkish", S004)
        await settle(pilot, app)
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert any("your event decisions are not applied" in w for w in warnings), warnings
        assert any("showing the 4 closest" in w for w in warnings), warnings


async def test_the_header_counts_the_whole_event_when_it_shows_part_of_it(
    config_path: Path,
) -> None:
    """The header said "4 articles · ... EN 3 · AR 2" for an event of five shown in four
    columns: two counts on two bases (found by trying the app)."""
    text = config_path.read_text(encoding="utf-8") + "\n[events]\nthreshold = 0.15\n"
    config_path.write_text(text, encoding="utf-8")
    config = load_config(config_path)
    update_index(config)
    assert len(event_of(config, S004).article_ids) == 5
    app = ReaderApp(config)
    async with app.run_test(size=(200, 45)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Turkish", S004)
        await settle(pilot, app)
        shown = str(screen.query_one("#compare-status", Static).render())
        assert len(column_ids(screen)) == 4
        assert shown.startswith("4 of 5 articles · "), shown
        assert "EN 4 · AR 1" in shown, shown


def test_an_article_taken_out_stands_alone_with_no_label_of_the_event(
    config_path: Path, run_cli: CliRunner
) -> None:
    """`x` in the compare view pins the article apart; `reader events` listed it as a
    one-article event of its own carrying the old event's label and cohesion, while the
    compare view said it stands alone (found by trying the app)."""
    text = config_path.read_text(encoding="utf-8") + "\n[events]\nthreshold = 0.15\n"
    config_path.write_text(text, encoding="utf-8")
    config = load_config(config_path)
    update_index(config)
    event = event_of(config, S004)
    assert len(event.article_ids) == 5 and event.label
    with Library(config) as library:
        library.move_article(S001, event, None)  # what `x` does
        rest = event_of(config, S004)
        library.rename_event(rest, LABEL)
        taken = next(e for e in library.events() if S001 in e.article_ids)
    assert taken.stands_alone and taken.label == "" and taken.entities == ()
    assert taken.cohesion == 0.0
    listed = run_cli("events").stdout
    assert listed.startswith("1 event, 1 article alone"), listed
    # The old label (its central report's title, listed as that report's title) heads no
    # event: the renamed one has the user's, and the article taken out none.
    headers = [line for line in listed.splitlines() if line.startswith("ev-")]
    assert LABEL in listed and not any(event.label in line for line in headers), headers
    alone = listed.split("Standing alone:")[1]
    assert S001 in alone
    renamed = event_of(config, S004)
    assert renamed.label == LABEL and len(renamed.article_ids) == 4


def test_an_article_added_then_taken_out_stands_alone_again(
    config_path: Path, run_cli: CliRunner
) -> None:
    """`+` then `x` on an article that stood alone: `reader events` listed it as a one-article
    event "[decided]" labelled with its own title, not among the articles alone (found in
    tmux on the 10,000-article corpus)."""
    config = load_config(config_path)
    update_index(config)
    event = event_of(config, S004)
    assert set(event.article_ids) == {S003, S004}
    with Library(config) as library:
        library.move_article(S000, event_of(config, S000), event)  # what `+` does
        grown = event_of(config, S004)
        assert S000 in grown.article_ids
        library.move_article(S000, grown, None)  # what `x` does
        taken = next(e for e in library.events() if S000 in e.article_ids)
        assert load_events(config, library.articles()) == library.events()  # both ways agree
    assert taken.stands_alone and taken.label == "" and taken.entities == ()
    listed = run_cli("events").stdout
    assert listed.startswith("1 event, 3 articles alone"), listed
    assert S000 in listed.split("Standing alone:")[1]
    records = json.loads(run_cli("events", "--json").stdout)["events"]
    alone = next(r for r in records if [a["id"] for a in r["articles"]] == [S000])
    assert alone["label"] == "" and alone["entities"] == [] and alone["decided"]


async def test_an_arabic_label_reads_right_to_left_as_in_the_rename_field(
    indexed_config: Path,
) -> None:
    """The label is laid out as a paragraph of its own: an Arabic label that names a place in
    Latin letters keeps its right-to-left order. As the tail of the English "event: " line it
    read left to right, unlike the same label in the rename field (found by trying the app)."""
    config = load_config(indexed_config)
    label = "هجوم Sirte 2020"
    write_events_file(config, labelled((S000, S001), label))
    app = ReaderApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Sirte", S000)
        shown = str(screen.query_one("#compare-status", Static).render())
        assert "event: Sirte 2020 " in shown, shown  # the Latin run left of the Arabic word
        assert "هجوم" not in shown  # shaped for the terminal, never the logical text


async def test_every_key_of_the_compare_footer_fits_80_columns(indexed_config: Path) -> None:
    """At 80 columns the footer was cut at "r Renam" (found by trying the app)."""
    from textual.widgets import Footer

    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Turkish", S004)
        keys = list(screen.query_one(Footer).query("FooterKey"))
        assert len(keys) >= 8
        shown = {str(key.description) for key in keys}
        assert {"Close", "Rename", "Help"} <= shown
        for key in keys:
            assert key.region.right <= 80, (key.description, key.region)


async def test_renaming_a_one_article_event_keeps_the_articles_picked(
    indexed_config: Path,
) -> None:
    """An article standing alone, compared with articles the user picked, then renamed: the
    picker opened again after the rename (found by trying the app). The picked columns stay."""
    config = load_config(indexed_config)
    app = ReaderApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Turkish", S004)
        views(screen)[1].focus()
        await pilot.press("x")  # 004 now stands alone: the picker opens
        await settle(pilot, app)
        picker = app.screen
        assert isinstance(picker, ArticlePicker)
        picker.query_one(SelectionList).deselect_all()
        picker.query_one(SelectionList).select(S002)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        await pilot.pause()
        assert app.screen is screen and column_ids(screen) == [S004, S002]
        await rename_in_view(pilot, app, LABEL)
        await pilot.pause()
        assert app.screen is screen, app.screen  # no picker again
        assert column_ids(screen) == [S004, S002]
    named = event_of(config, S004)
    assert named.label == LABEL
    assert set(named.article_ids) == {S004, S002}  # the name is that of what was shown


async def test_an_arabic_title_in_the_picker_keeps_its_start_at_80_columns(
    indexed_config: Path,
) -> None:
    """A title was laid out 70 columns wide whatever the screen: at 80 columns the list cut
    it at its right end, which is where an Arabic title starts (found by trying the app)."""
    from rich.cells import cell_len

    from reader.core.text.layout import layout_text

    app = ReaderApp(load_config(indexed_config))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Turkish", S004)
        views(screen)[1].focus()
        await pilot.press("x")  # 004 stands alone: the picker opens with 003 to choose
        await settle(pilot, app)
        picker = app.screen
        assert isinstance(picker, ArticlePicker)
        listing = picker.query_one(SelectionList)
        options = [listing.get_option_at_index(i) for i in range(listing.option_count)]
        prompt = next(str(o.prompt) for o in options if getattr(o, "value", None) == S003)
        first_word = layout_text("المسماري", 40).line_text(0).plain.strip()
        assert first_word in prompt  # the title's first word, shaped, is in the row ...
        title_end = prompt.index(first_word) + len(first_word)
        room = listing.content_region.width - 4  # ... and within what the row shows
        assert cell_len(prompt[:title_end]) <= room, (prompt, room)
        assert prompt.split("ar")[1].lstrip().startswith("…")  # more of it to the left


async def test_a_long_arabic_label_keeps_its_start_in_the_status_line_of_a_narrow_screen(
    indexed_config: Path,
) -> None:
    """The label was laid out 60 columns wide after "N articles · event: " whatever the
    screen: on a narrow one the status line cut it at its right end, where an Arabic label
    starts."""
    from rich.cells import cell_len

    from reader.core.text.layout import layout_text

    config = load_config(indexed_config)
    label = "المسماري يعلن رسميا السيطرة على مناطق جديدة غرب ليبيا بعد معارك طويلة حول قاعدة"
    write_events_file(config, labelled((S003, S004), label))
    app = ReaderApp(config)
    async with app.run_test(size=(70, 24)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Turkish", S004)
        shown = str(screen.query_one("#compare-status", Static).render())
        first_word = layout_text("المسماري", 40).line_text(0).plain.strip()
        assert first_word in shown, shown
        end = shown.index(first_word) + len(first_word)
        assert cell_len(shown[:end]) <= 70 - 2, shown  # inside the line, its padding aside


def test_articles_that_stood_alone_put_together_by_hand_list_under_their_id_alone(
    config_path: Path, run_cli: CliRunner
) -> None:
    """The README's own example (`[events.sirte-week]` over 000 and 001, which stand alone):
    `reader events` labelled it with 000's title and a cohesion of 0.00 never worked out."""
    config = load_config(config_path)
    update_index(config)
    assert event_of(config, S000).stands_alone and event_of(config, S001).stands_alone
    path = decisions_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[events.sirte-week]\nmembers = ["{S000}", "{S001}"]\n', encoding="utf-8")
    listed = run_cli("events").stdout
    line = next(row for row in listed.splitlines() if row.startswith("sirte-week"))
    assert line == "sirte-week  (2 articles) [decided]", line
    records = json.loads(run_cli("events", "--json").stdout)["events"]
    record = next(r for r in records if r["id"] == "sirte-week")
    assert record["label"] == "" and record["entities"] == []


async def test_taking_out_the_article_the_view_was_opened_on_keeps_its_event_shown(
    indexed_config: Path,
) -> None:
    """`x` on the first column (the article the compare view was opened on) of an event of
    three: the view showed that article alone, the picker popped up after every later
    decision, and `r` named that article alone (found by trying the app)."""
    config = load_config(indexed_config)
    with Library(config) as library:  # an event of three: 000 added to 003 + 004 (`+`)
        library.move_article(S000, event_of(config, S000), event_of(config, S004))
    app = ReaderApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Turkish", S004)
        assert set(column_ids(screen)) == {S000, S003, S004} and column_ids(screen)[0] == S004
        views(screen)[0].focus()
        await pilot.press("x")
        await settle(pilot, app)
        await pilot.pause()
        assert app.screen is screen, app.screen  # no picker
        assert set(column_ids(screen)) == {S000, S003}  # the event, without 004
        await rename_in_view(pilot, app, LABEL)
        await pilot.pause()
        assert app.screen is screen, app.screen
    named = event_of(config, S003)
    assert named.label == LABEL and set(named.article_ids) == {S000, S003}
    assert event_of(config, S004).stands_alone


async def test_the_picker_closed_once_is_not_offered_again_after_each_decision(
    indexed_config: Path,
) -> None:
    config = load_config(indexed_config)
    app = ReaderApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        screen = await open_compare(pilot, app, "Turkish", S004)
        views(screen)[1].focus()
        await pilot.press("x")  # 004 now stands alone: the picker is offered
        await settle(pilot, app)
        assert isinstance(app.screen, ArticlePicker)
        await pilot.press("escape")  # not now
        await settle(pilot, app)
        assert app.screen is screen
        await pilot.press("C")  # a decision: the view finds the event again
        await settle(pilot, app)
        await pilot.pause()
        assert app.screen is screen, app.screen  # no picker again
