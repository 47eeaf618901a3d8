"""``reader events`` and ``reader compare`` through ``reader.cli.main``, in this process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SEEDS, CliRunner, write_config

S000, S001, S002, S003, S004 = (
    "000_7b206ec7414ebb17",
    "001_629cc8aa1a0900a3",
    "002_21aad2d8e00821f2",
    "003_cf72655655ca3791",
    "004_9e772252006eaafa",
)


@pytest.fixture
def seeds_config(tmp_path: Path) -> Path:
    """A config whose corpus is the repository's seeds; index and notes in tmp_path."""
    return write_config(tmp_path, corpus=str(SEEDS))


def test_events_groups_003_with_004_and_leaves_000_001_002_alone(
    run_cli: CliRunner, seeds_config: Path
) -> None:
    result = run_cli("events", "--json", config=seeds_config)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    groups = [[a["id"] for a in e["articles"]] for e in record["events"]]
    assert [S003, S004] in groups
    assert [S000] in groups and [S001] in groups and [S002] in groups
    assert sorted(a for g in groups for a in g) == [S000, S001, S002, S003, S004]
    first = next(e for e in record["events"] if e["articles"][0]["id"] == S003)
    assert first["articles"][0] == {
        "id": S003,
        "title": "المسماري يعلن رسميا السيطرة على مناطق جديدة غرب ليبيا",
        "outlet": "",
        "author": "",
        "lang": "ar",
        "published": None,
        "url": "",
        "source": str(SEEDS / f"{S003}.txt"),
    }
    # One article schema: events list what show prints, without the body.
    show = json.loads(run_cli("show", S003, "--json", config=seeds_config).stdout)
    assert {k: v for k, v in show.items() if k != "body"} == first["articles"][0]


def test_events_text_lists_events_and_lone_articles(run_cli: CliRunner, seeds_config: Path) -> None:
    result = run_cli("events", "--scores", config=seeds_config)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("1 event, 3 articles alone, threshold 0.30")
    lone = out.split("Standing alone:")[1].split("Closest pairs")[0]
    assert all(i in lone for i in (S000, S001, S002))
    assert S003 not in lone and S004 not in lone
    assert f"  {S003}  {S004}  0." in out  # the pair's score is shown


def test_events_honour_decisions_in_the_notes_folder(
    run_cli: CliRunner, seeds_config: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "events.toml").write_text(
        '# mine\n[events.ev-mine]\nlabel = "Everything Haftar"\nconfirmed = true\n'
        f'members = ["{S000}", "{S002}"]\n',
        encoding="utf-8",
    )
    record = json.loads(run_cli("events", "--json", config=seeds_config).stdout)
    mine = next(e for e in record["events"] if e["id"] == "ev-mine")
    assert mine["label"] == "Everything Haftar" and mine["confirmed"]
    assert [a["id"] for a in mine["articles"]][:2] == [S000, S002]


def test_events_report_a_broken_decisions_file(
    run_cli: CliRunner, seeds_config: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "events.toml").write_text("[events.x\n", encoding="utf-8")
    result = run_cli("events", config=seeds_config)
    assert result.returncode == 2
    assert "events.toml" in result.stderr and "invalid TOML" in result.stderr
    assert run_cli("events", "--threshold", "0", config=seeds_config).returncode == 2


def test_compare_prints_passages_and_divergences(run_cli: CliRunner, seeds_config: Path) -> None:
    result = run_cli("compare", S001, S000, config=seeds_config)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"[1] {S001}" in out and f"[2] {S000}" in out
    assert "Passages" in out and "Divergences:" in out
    assert "¶1" in out and "…" in out  # truncated passages
    assert "SHARED   Sirte: in" in out


def test_compare_json_has_offsets_into_the_bodies(run_cli: CliRunner, seeds_config: Path) -> None:
    result = run_cli("compare", "001", "003", "--json", config=seeds_config)  # id prefixes
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert [a["id"] for a in record["articles"]] == [S001, S003]
    assert len(record["alignment"]) == 39  # one row per paragraph of 001
    show = json.loads(run_cli("show", S003, "--json", config=seeds_config).stdout)
    for row in record["alignment"]:
        match = row["matches"][0]
        if match is not None:
            assert show["body"][match["start"] : match["end"]] == match["text"]
    assert {d["status"] for d in record["divergences"]} <= {"shared", "only", "conflict"}


def test_compare_finds_the_conflict_between_an_arabic_and_an_english_article(
    run_cli: CliRunner, tmp_path: Path
) -> None:
    corpus = tmp_path / "mine"
    corpus.mkdir()
    (corpus / "en.txt").write_text(
        "Forces advance\n\nGovernment forces reached Abu Grein, 140 km (87 miles) west of "
        "Sirte, on Monday.\n",
        encoding="utf-8",
    )
    (corpus / "ar.txt").write_text(
        "القوات تتقدم\n\nوصلت القوات إلى أبو قرين، على بعد ١٢٠ كيلومترا غرب سرت، يوم الاثنين.\n",
        encoding="utf-8",
    )
    config = write_config(tmp_path, corpus="mine")
    result = run_cli("compare", "en", "ar", config=config)
    assert result.returncode == 0, result.stderr
    assert "Divergences: 1 conflicts" in result.stdout
    assert (
        "CONFLICT distance (Abu Grein, west of Sirte) contradicts: 140 km in en; 120 km in ar"
        in (result.stdout)
    )
    assert "'١٢٠ كيلومترا'" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([S000], "needs at least two article ids"),
        ([], "needs at least two article ids"),
        ([S000, "nope"], "no article with id 'nope'"),
        ([S000, "00"], "is ambiguous"),
        ([S000, S000], "given twice"),
    ],
)
def test_compare_rejects_bad_ids(
    run_cli: CliRunner, seeds_config: Path, args: list[str], message: str
) -> None:
    result = run_cli("compare", *args, config=seeds_config)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""
