"""A note whose verdict is not on the configured scale (a colleague's scale, a typo made by
hand in the notes file) is listed with a warning naming it, and an export says it was left
out for that reason: before, it was listed without a word and counted as "unverified or
unrated" (found by trying the app)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reader.core.notes.anchoring import TextPositionSelector, TextQuoteSelector
from reader.core.notes.note import Note, now, off_the_scale
from tests.conftest import ARABIC_SEED, CliRunner


def test_listing_and_exporting_name_the_verdicts_off_the_scale(
    run_cli: CliRunner, tmp_path: Path
) -> None:
    for occurrence, verdict in (("1", "false"), ("2", "mixed")):
        added = run_cli(
            "notes", "add", ARABIC_SEED, "--quote", "قاعدة الوطية", "--occurrence", occurrence,
            "--verdict", verdict,
        )  # fmt: skip
        assert added.returncode == 0, added.stderr
    [notes_file] = (tmp_path / "notes").glob("*.toml")
    text = notes_file.read_text(encoding="utf-8")
    assert text.count('verdict = "mixed"') == 1
    notes_file.write_text(text.replace('verdict = "mixed"', 'verdict = "half-true"'), "utf-8")
    listed = run_cli("notes", "list")
    assert listed.returncode == 0, listed.stderr
    assert "half-true" in listed.stdout
    assert (
        "1 note has a verdict not in [notes.verdicts]: 'half-true' (1); "
        "they are kept as they are and never rated in exports"
    ) in listed.stderr
    exported = run_cli("notes", "export", "--format", "claimreview", "--claimant", "Someone")
    assert exported.returncode == 0, exported.stderr
    assert "1 of 2 notes left out" in exported.stderr
    assert "'half-true' (1): left out" in exported.stderr
    assert "half-true" in (tmp_path / "notes" / notes_file.name).read_text("utf-8")  # kept


def test_off_the_scale_counts_and_orders_the_names() -> None:
    scale = {"unverified": 0.0, "false": 1.0, "true": 5.0}
    note = Note(
        "n", "a", TextQuoteSelector("q"), TextPositionSelector(0, 1), created=now(), updated=now()
    )
    notes = [replace(note, verdict=verdict) for verdict in "xyyz"]
    assert off_the_scale(notes[:0], scale) == ""
    assert off_the_scale(notes, scale) == (
        "4 notes have a verdict not in [notes.verdicts]: 'y' (2), 'x' (1), 'z' (1)"
    )
