"""Events as a story over time and who reported them: the date order and range filter
(reader.core.events.timeline), coverage by outlet, language and side with one-sided events
(reader.core.events.coverage), and config.toml's [outlets] table that gives outlets a side."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reader.core.config import ConfigError, load_config
from reader.core.config_checks import OutletPlace, outlet_key
from reader.core.events.coverage import coverage_of, summary
from reader.core.events.event import Event
from reader.core.events.timeline import DateError, in_date_order, overlaps, parse_day
from reader.core.sources.article import Article

SIDES = {
    outlet_key(p.name): p
    for p in (
        OutletPlace("Libya Observer", side="GNA", country="LY"),
        OutletPlace("Al Marsad", side="LNA"),
        OutletPlace("Al Jazeera", country="QA"),
    )
}


def article(article_id: str, outlet: str, lang: str = "en") -> Article:
    return Article(id=article_id, title=article_id, body="text", lang=lang, outlet=outlet)


def event(event_id: str, start: date | None, end: date | None = None) -> Event:
    return Event(id=event_id, label=event_id, article_ids=(event_id,), start=start, end=end)


# ----- date order and ranges -----


def test_events_are_in_date_order_with_undated_ones_last() -> None:
    events = [
        event("undated", None),
        event("august", date(2020, 8, 21), date(2020, 8, 22)),
        event("may-long", date(2020, 5, 18), date(2020, 6, 30)),
        event("may-short", date(2020, 5, 18), date(2020, 5, 19)),
        event("undated-2", None),
        event("june", date(2020, 6, 5)),
    ]
    assert [e.id for e in in_date_order(events)] == [
        "may-short",  # same start: the shorter span first
        "may-long",
        "june",
        "august",
        "undated",  # undated last, in the order given
        "undated-2",
    ]


@pytest.mark.parametrize(
    ("since", "until", "kept"),
    [
        (None, None, {"may", "june", "august", "undated"}),
        (date(2020, 6, 1), None, {"may", "june", "august"}),  # may runs to 2 June: overlaps
        (date(2020, 6, 3), None, {"june", "august"}),
        (None, date(2020, 5, 31), {"may"}),
        (date(2020, 6, 5), date(2020, 6, 5), {"june"}),  # both ends included
        (date(2020, 6, 6), date(2020, 8, 20), set()),  # between events: none
        (date(2020, 8, 22), date(2021, 1, 1), {"august"}),  # its last day
    ],
)
def test_an_event_is_kept_when_its_span_overlaps_the_range(
    since: date | None, until: date | None, kept: set[str]
) -> None:
    events = [
        event("may", date(2020, 5, 30), date(2020, 6, 2)),
        event("june", date(2020, 6, 5), date(2020, 6, 5)),
        event("august", date(2020, 8, 21), date(2020, 8, 22)),
        event("undated", None),
    ]
    assert {e.id for e in events if overlaps(e, since, until)} == kept


def test_dates_are_read_as_days_months_or_years() -> None:
    assert parse_day("2020-05-18") == date(2020, 5, 18)
    assert parse_day("2020-06") == date(2020, 6, 1)
    assert parse_day("2020-06", last=True) == date(2020, 6, 30)
    assert parse_day("2020-02", last=True) == date(2020, 2, 29)
    assert parse_day("2020") == date(2020, 1, 1)
    assert parse_day("2020", last=True) == date(2020, 12, 31)
    for bad in ("18/05/2020", "2020-13", "2020-02-30", "yesterday", "", "2020-5-1", "20200518"):
        with pytest.raises(DateError, match="not a date"):
            parse_day(bad)


# ----- coverage -----


def test_coverage_counts_outlets_languages_and_sides() -> None:
    articles = [
        article("1", "Libya Observer"),
        article("2", "Al Jazeera", "ar"),
        article("3", "al  jazeera", "ar"),  # the same outlet, spelled otherwise
        article("4", "Al Marsad"),
        article("5", "Unplaced Daily"),
        article("6", ""),
    ]
    cover = coverage_of(articles, SIDES)
    assert cover.size == 6
    assert cover.outlets == (
        ("Al Jazeera", 2),  # named as the config names it
        ("Al Marsad", 1),
        ("Libya Observer", 1),
        ("Unplaced Daily", 1),
    )
    assert cover.no_outlet == 1
    assert cover.languages == (("en", 4), ("ar", 2))
    assert cover.sides == (("QA", 2), ("GNA", 1), ("LNA", 1))  # a country when no side
    assert cover.countries == (("QA", 2), ("LY", 1))
    assert cover.no_side == 2
    assert cover.one_sided == "" and cover.blind == ()
    assert summary(cover) == "EN 4 · AR 2 · 4 outlets · QA 2, GNA 1, LNA 1"


def test_an_event_reported_by_one_side_only_is_one_sided() -> None:
    cover = coverage_of(
        [article("1", "Al Marsad"), article("2", "AL MARSAD"), article("3", "Unplaced")], SIDES
    )
    assert cover.one_sided == "LNA"
    assert cover.blind == ("GNA", "QA")  # the sides that did not report it
    assert summary(cover) == "EN 3 · 2 outlets · one-sided: LNA"
    # Two sides: not one-sided.
    both = coverage_of([article("1", "Al Marsad"), article("2", "Libya Observer")], SIDES)
    assert both.one_sided == "" and both.blind == ()


def test_no_side_no_one_sided_event() -> None:
    """Without sides in the config (or with no placed outlet in the event), or with only one
    side known (nobody else to be blind), no event is one-sided."""
    articles = [article("1", "Al Marsad"), article("2", "Al Marsad")]
    assert coverage_of(articles, {}).one_sided == ""
    assert coverage_of(articles, {}).sides == ()
    assert coverage_of([article("1", "Unplaced")], SIDES).one_sided == ""
    only_one = {outlet_key("Al Marsad"): OutletPlace("Al Marsad", side="LNA")}
    assert coverage_of(articles, only_one).one_sided == ""


def test_the_summary_never_shows_a_control_character() -> None:
    hostile = "Evil \x1b]2;OWNED\x07 \x9b2J\nFORGED"
    sides = {outlet_key("x"): OutletPlace("x", side="LNA"), outlet_key("y"): OutletPlace("y", "Y")}
    cover = coverage_of([article("1", hostile, "en\x1b[2J"), article("2", "x")], sides)
    assert cover.outlets[0][0] == hostile.strip()  # the record keeps the name as it is ...
    for text in (summary(cover), summary(cover, outlets=True)):
        assert text.isprintable(), repr(text)  # ... what is shown has no control character
    assert "Evil" in summary(cover, outlets=True)


# ----- config [outlets] -----


def config_with(tmp_path: Path, outlets: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        '[corpus]\npaths = ["corpus"]\n\n[events]\nthreshold = 0.3\n\n' + outlets, encoding="utf-8"
    )
    return path


def test_the_outlets_table_gives_outlets_a_side_and_a_country(tmp_path: Path) -> None:
    path = config_with(
        tmp_path,
        '[outlets]\n"Libya Observer" = { side = "GNA", country = "LY" }\n'
        '"Al Marsad" = "LNA"\n\n[outlets."Al Jazeera"]\ncountry = "QA"\n',
    )
    outlets = load_config(path, check_corpus=False).outlets
    assert outlets == {
        "libya observer": OutletPlace("Libya Observer", "GNA", "LY"),
        "al marsad": OutletPlace("Al Marsad", "LNA", ""),
        "al jazeera": OutletPlace("Al Jazeera", "", "QA"),
    }
    assert load_config(config_with(tmp_path, ""), check_corpus=False).outlets == {}


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('"Al Marsad" = 3\n', ':8: [outlets] Al Marsad: must be a side ("GNA") or {'),
        ('"Al Marsad" = { colour = "red" }\n', ":8: [outlets] Al Marsad: unknown key 'colour'"),
        ('"Al Marsad" = {}\n', ":8: [outlets] Al Marsad: give a side, a country or both"),
        ('"Al Marsad" = { side = "" }\n', ":8: [outlets] Al Marsad: side must be text on one"),
        ('"Al Marsad" = { country = 7 }\n', ":8: [outlets] Al Marsad: country must be text"),
        ('"Al Marsad" = "LNA\\nFORGED"\n', ":8: [outlets] Al Marsad: side must be text on one"),
        ('"" = "LNA"\n', "[outlets] '': an outlet's name must be printable text"),
        ('"Evil\\u001b[2J" = "LNA"\n', "[outlets] 'Evil\\x1b[2J': an outlet's name must be"),
        (
            '"Al Marsad" = "LNA"\n"al  MARSAD" = "GNA"\n',
            ":9: [outlets] al  MARSAD: the same outlet as 'Al Marsad'",
        ),
    ],
)
def test_a_bad_outlets_table_is_refused_naming_the_key(
    tmp_path: Path, table: str, message: str
) -> None:
    path = config_with(tmp_path, "[outlets]\n" + table)
    with pytest.raises(ConfigError) as caught:
        load_config(path, check_corpus=False)
    text = str(caught.value)
    assert text.startswith(str(path)) and message in text, text
    assert text.isprintable()


def test_outlets_must_be_a_table(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('outlets = "LNA"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[outlets\] must be a table"):
        load_config(path, check_corpus=False)


def test_an_outlet_given_as_its_own_table_is_named_at_its_line(tmp_path: Path) -> None:
    path = config_with(
        tmp_path, '[outlets]\n"Al Marsad" = "LNA"\n\n[outlets."Al Jazeera"]\nside = 3\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path, check_corpus=False)
    assert f"{path}:10: [outlets] Al Jazeera: side must be text on one line" in str(caught.value)


def test_articles_without_outlets_are_not_counted_as_zero_outlets() -> None:
    cover = coverage_of([article("1", ""), article("2", "", "ar")], SIDES)
    assert summary(cover) == "AR 1 · EN 1 · no outlet named"  # ties in name order
    assert summary(coverage_of([article("1", "Al Marsad")], {})) == "EN 1 · 1 outlet"
