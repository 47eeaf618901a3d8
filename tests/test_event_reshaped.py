"""An event the user's decisions reshape (an article taken out of an automatic event of three
or more, articles added) showed the cohesion of the automatic event it came from, worked out
over other articles (found by last session's attacker): it shows none, as a decided event of
articles that stood alone does; an event decided as the grouping made it keeps its own."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from reader.core.config import load_config
from reader.core.events.decisions import Decisions, EventDecision
from reader.core.events.event import Event, event_id
from reader.core.events.store import apply_decisions
from reader.core.library import Library
from tests.conftest import ROOT, CliRunner, write_config

FIVE = ("a", "b", "c", "d", "e")
GROUPED = Event(event_id(FIVE), "Tripoli · Sirte", FIVE, entities=("tripoli",), cohesion=0.61)
ALONE = Event(event_id(["f"]), "Title of f", ("f",))


def shown(decisions: Decisions) -> dict[str, Event]:
    return {e.id: e for e in apply_decisions([GROUPED, ALONE], decisions, {})}


def test_an_event_with_an_article_taken_out_has_no_cohesion_of_the_whole() -> None:
    taken_out = Decisions((EventDecision("mine", FIVE[:4], excluded=("e",)),))
    found = shown(taken_out)
    assert found["mine"].article_ids == FIVE[:4] and found["mine"].label == "Tripoli · Sirte"
    assert found["mine"].cohesion == 0.0  # was 0.61: the five's, not these four's


def test_an_event_with_an_article_added_has_no_cohesion_of_the_whole() -> None:
    found = shown(Decisions((EventDecision("mine", (*FIVE, "f")),)))
    assert found["mine"].article_ids == (*FIVE, "f") and found["mine"].cohesion == 0.0


def test_an_event_decided_as_it_was_grouped_keeps_its_cohesion() -> None:
    found = shown(Decisions((EventDecision("mine", FIVE, confirmed=True),)))
    assert found["mine"].article_ids == FIVE and found["mine"].cohesion == 0.61


def test_what_is_left_of_an_automatic_event_has_no_cohesion_of_the_whole() -> None:
    """Two of the five pinned elsewhere (fewer than half): the other three stay an automatic
    event, which is not the five."""
    found = shown(Decisions((EventDecision("mine", ("a", "b")),)))
    rest = next(e for e in found.values() if e.article_ids == ("c", "d", "e"))
    assert not rest.decided and rest.cohesion == 0.0


def test_reader_events_shows_no_cohesion_for_an_event_an_article_left(
    tmp_path: Path, run_cli: CliRunner
) -> None:
    shutil.copytree(ROOT / "tests" / "data" / "events" / "articles", tmp_path / "news")
    config_path = write_config(tmp_path, corpus="news")
    assert run_cli("index", config=config_path).returncode == 0
    with Library(load_config(config_path)) as library:
        event = next(e for e in library.events() if "en-cairo-reuters" in e.article_ids)
        assert len(event.article_ids) >= 3 and event.cohesion > 0
        library.move_article("en-cairo-reuters", event, None)  # what `x` does
    listed = run_cli("events", config=config_path).stdout
    (line,) = [row for row in listed.splitlines() if row.startswith(f"{event.id} ")]
    size = len(event.article_ids) - 1
    assert line.endswith(f"({size} articles) [decided]"), line
    records = json.loads(run_cli("events", "--json", config=config_path).stdout)["events"]
    (record,) = [r for r in records if r["id"] == event.id]
    assert record["size"] == size and record["cohesion"] == 0.0
