"""``reader events`` as a story over time, with who reported each event: date order,
--since/--until (overlap), --one-sided, the coverage in text and --json, a hostile outlet name;
and the compare view's header showing the coverage of the event."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Static

from reader.app.app import ReaderApp
from reader.app.screens.compare import CompareScreen
from reader.core.config import load_config
from reader.core.search.index import update_index
from tests.conftest import CliRunner, write_config
from tests.test_app import search_and_open, settle

HOSTILE = "Evil \x1b]2;OWNED\x07 \x9b2J\nFORGED-outlet"

AIRBASE = "Government forces captured the Watiya airbase from Haftar's forces on 18 May 2020."
AIRBASE_AR = "سيطرت قوات الوفاق على قاعدة الوطية الجوية من قوات حفتر يوم 18 مايو 2020."
CEASEFIRE = "Aguila Saleh and Sisi announced a ceasefire in Cairo on 21 August 2020, about Sirte."
TARHUNA = "Mass graves were found in Tarhuna after the Kaniyat militia left the town in June 2020."
RECORDS = [
    # The August event comes first in the feed: the listing must still be by date.
    ("b1", "Ceasefire announced in Cairo", CEASEFIRE, "Al Marsad", "en", "2020-08-21"),
    (
        "b2",
        "Ceasefire in Cairo for Sirte",
        CEASEFIRE + " Officials said.",
        "al  marsad",
        "en",
        "2020-08-22",
    ),
    ("a1", "Airbase captured", AIRBASE, "Libya Observer", "en", "2020-05-18"),
    ("a2", "الوطية", AIRBASE_AR, "Al Jazeera", "ar", "2020-05-20"),
    ("t1", "Tarhuna graves found", TARHUNA, HOSTILE, "en", "2020-06-11"),
    ("t2", "Graves in Tarhuna", TARHUNA + " Families wait.", "Al Marsad", "en", "2020-06-12"),
    ("q1", "Quokka festival", "A quokka festival took place.", "", "en", None),
]
OUTLETS = (
    '\n[outlets]\n"Libya Observer" = { side = "GNA", country = "LY" }\n'
    '"Al Jazeera" = { country = "QA" }\n"Al Marsad" = "LNA"\n'
)


def write_corpus(root: Path) -> None:
    corpus = root / "news"  # not "corpus": the run_cli fixture makes that one
    corpus.mkdir()
    lines = [
        json.dumps(
            {"id": i, "title": t, "body": b, "source": o, "lang": lang, "published": day},
            ensure_ascii=False,
        )
        for i, t, b, o, lang, day in RECORDS
    ]
    (corpus / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def sided(tmp_path: Path) -> Path:
    """A config with outlets given sides, over a corpus of three dated events and a lone one."""
    write_corpus(tmp_path)
    return write_config(tmp_path, corpus="news", extra=OUTLETS)


def events_json(run_cli: CliRunner, config: Path, *args: str) -> list[dict[str, object]]:
    result = run_cli("events", "--json", *args, config=config)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    events: list[dict[str, object]] = json.loads(result.stdout)["events"]
    return events


def members(event: dict[str, object]) -> list[str]:
    articles = event["articles"]
    assert isinstance(articles, list)
    return [str(a["id"]).removeprefix("feed/") for a in articles]


def test_events_are_listed_by_date_with_undated_ones_last(run_cli: CliRunner, sided: Path) -> None:
    events = events_json(run_cli, sided)
    assert [members(e) for e in events] == [["a1", "a2"], ["t1", "t2"], ["b1", "b2"], ["q1"]]
    assert [(e["start"], e["end"]) for e in events] == [
        ("2020-05-18", "2020-05-20"),
        ("2020-06-11", "2020-06-12"),
        ("2020-08-21", "2020-08-22"),
        (None, None),
    ]
    text = run_cli("events", config=sided).stdout
    assert (
        text.index("2020-05-18 – 2020-05-20") < text.index("2020-06-11") < text.index("2020-08-21")
    )


@pytest.mark.parametrize(
    ("args", "kept"),
    [
        (("--since", "2020-06"), [["t1", "t2"], ["b1", "b2"]]),
        (("--until", "2020-06"), [["a1", "a2"], ["t1", "t2"]]),  # to 30 June
        (("--since", "2020-05-20", "--until", "2020-06-11"), [["a1", "a2"], ["t1", "t2"]]),
        (("--since", "2020-05-21", "--until", "2020-06-10"), []),  # between the events
        (("--since", "2020-08-22"), [["b1", "b2"]]),  # the event's last day overlaps
        (("--until", "2019"), []),
    ],
)
def test_since_and_until_keep_events_whose_span_overlaps(
    run_cli: CliRunner, sided: Path, args: tuple[str, ...], kept: list[list[str]]
) -> None:
    assert [members(e) for e in events_json(run_cli, sided, *args)] == kept


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "May 2020"), "reader: --since: not a date: 'May 2020'"),
        (("--until", "2020-02-30"), "reader: --until: not a date: '2020-02-30'"),
        (
            ("--since", "2020-07", "--until", "2020-06"),
            "reader: --since 2020-07-01 is after --until",
        ),
        (("--since", "\x1b[2J2020"), "reader: --since: not a date: '\\x1b[2J2020'"),
    ],
)
def test_a_bad_date_is_refused_in_one_line(
    run_cli: CliRunner, sided: Path, args: tuple[str, ...], message: str
) -> None:
    result = run_cli("events", *args, config=sided)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1, result.stderr
    assert "\x1b" not in result.stderr


def test_json_gives_each_event_its_coverage(run_cli: CliRunner, sided: Path) -> None:
    by_first = {members(e)[0]: e for e in events_json(run_cli, sided)}
    airbase = by_first["a1"]
    # The fields events always had are still there.
    assert {"id", "label", "size", "start", "end", "entities", "cohesion"} <= set(airbase)
    assert {"confirmed", "decided", "articles"} <= set(airbase)
    assert airbase["coverage"] == {
        "outlets": {"Al Jazeera": 1, "Libya Observer": 1},
        "no_outlet": 0,
        "languages": {"ar": 1, "en": 1},
        "sides": {"GNA": 1, "QA": 1},
        "countries": {"LY": 1, "QA": 1},
        "no_side": 0,
        "one_sided": None,
        "blind": [],
    }
    ceasefire = by_first["b1"]["coverage"]
    assert isinstance(ceasefire, dict)
    assert ceasefire["outlets"] == {"Al Marsad": 2}  # two spellings, one outlet
    assert ceasefire["one_sided"] == "LNA" and ceasefire["blind"] == ["GNA", "QA"]
    tarhuna = by_first["t1"]["coverage"]
    assert isinstance(tarhuna, dict)
    assert tarhuna["outlets"] == {"Al Marsad": 1, HOSTILE.strip(): 1}  # exact, JSON-escaped
    assert tarhuna["one_sided"] == "LNA" and tarhuna["no_side"] == 1
    lone = by_first["q1"]["coverage"]
    assert isinstance(lone, dict)
    assert lone["no_outlet"] == 1 and lone["one_sided"] is None


def test_one_sided_lists_only_the_blind_spots(run_cli: CliRunner, sided: Path) -> None:
    assert [members(e) for e in events_json(run_cli, sided, "--one-sided")] == [
        ["t1", "t2"],
        ["b1", "b2"],
    ]
    only_june = events_json(run_cli, sided, "--one-sided", "--until", "2020-06")
    assert [members(e) for e in only_june] == [["t1", "t2"]]
    result = run_cli("events", "--one-sided", config=sided)
    assert result.returncode == 0, result.stderr
    head = result.stdout.splitlines()[0]
    assert head.startswith("2 events, 0 articles alone, threshold 0.30 (one-sided: 2 of")
    events = sum(1 for e in events_json(run_cli, sided) if len(members(e)) > 1)
    lone = sum(1 for e in events_json(run_cli, sided) if len(members(e)) == 1)
    assert (events, lone) == (3, 1)
    assert head.endswith("2 of 3 events, 0 of 1 article alone)")  # the two never mixed
    assert "one-sided: LNA (a blind spot of GNA, QA)" in result.stdout
    assert "feed/a1" not in result.stdout


def test_without_sides_no_event_is_one_sided(run_cli: CliRunner, tmp_path: Path) -> None:
    write_corpus(tmp_path)
    config = write_config(tmp_path, corpus="news")
    events = events_json(run_cli, config)
    assert len(events) == 4
    for event in events:
        coverage = event["coverage"]
        assert isinstance(coverage, dict)
        assert coverage["sides"] == {} and coverage["one_sided"] is None
    assert events_json(run_cli, config, "--one-sided") == []
    listed = run_cli("events", "--one-sided", config=config)
    assert "--one-sided needs outlets on at least two sides in [outlets] of " in listed.stderr
    assert f"{config} (it places 0)" in listed.stderr


def test_one_sided_with_sides_gives_no_hint(run_cli: CliRunner, sided: Path) -> None:
    assert "needs outlets" not in run_cli("events", "--one-sided", config=sided).stderr


def test_text_shows_who_reported_each_event_and_no_raw_outlet_name(
    run_cli: CliRunner, sided: Path
) -> None:
    result = run_cli("events", config=sided)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "  reported by: AR 1 · EN 1 · Al Jazeera 1, Libya Observer 1 · GNA 1, QA 1\n" in out
    assert "  reported by: EN 2 · Al Marsad 2 · one-sided: LNA (a blind spot of GNA, QA)\n" in out
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out
    assert "\nFORGED" not in out  # the outlet's newline never starts a line
    assert "Evil ␛]2;OWNED" in out  # shown, as symbols


async def test_the_compare_header_shows_who_reported_the_event(sided: Path) -> None:
    config = load_config(sided)
    update_index(config)
    app = ReaderApp(config)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, app)
        await search_and_open(pilot, app, "Cairo", "feed/b1")
        await pilot.press("c")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        status = str(screen.query_one("#compare-status", Static).render())
        assert status.startswith("2 articles · event: "), status
        assert "· EN 2 · 1 outlet · one-sided: LNA · sync on (s)" in status, status
        await pilot.press("escape")
        await search_and_open(pilot, app, "Tarhuna", "feed/t1")  # the hostile outlet's
        await pilot.press("c")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        status = str(screen.query_one("#compare-status", Static).render())
        assert "· EN 2 · 2 outlets · one-sided: LNA ·" in status, status
        assert status.isprintable(), repr(status)
