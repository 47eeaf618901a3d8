"""The spelling matcher on a labelled list of name pairs (tests/data/name_pairs.tsv): people,
places and organisations of several countries in Arabic, English and French spellings, and
pairs of different names that must not match. The targets hold on the pairs the built-in
gazetteer does not know (there, nothing but the matcher links the spellings)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from reader.core.names.gazetteer import gazetteer_for
from reader.core.names.spelling import spelled_alike

PAIRS = Path(__file__).parent / "data" / "name_pairs.tsv"
SPELLING_KINDS = ("ar-en", "ar-fr", "en-en", "ar-ar")
Row = tuple[bool, str, str, str]
Split = tuple[list[Row], list[Row]]


def _pairs() -> list[Row]:
    rows = []
    for number, line in enumerate(PAIRS.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        label, a, b, kind = line.split("\t")
        assert label in ("0", "1") and kind in (*SPELLING_KINDS, "exonym"), f"line {number}"
        rows.append((label == "1", a, b, kind))
    return rows


def _scores(rows: list[Row]) -> tuple[float, float, Counter[str]]:
    counts: Counter[str] = Counter()
    for same, a, b, _kind in rows:
        found = spelled_alike(a, b)
        counts[("t" if found == same else "f") + ("p" if found else "n")] += 1
    recall = counts["tp"] / max(1, counts["tp"] + counts["fn"])
    precision = counts["tp"] / max(1, counts["tp"] + counts["fp"])
    return recall, precision, counts


@pytest.fixture(scope="module")
def split() -> Split:
    gazetteer = gazetteer_for(None)
    known: list[Row] = []
    unknown: list[Row] = []
    for row in _pairs():
        in_gazetteer = bool(gazetteer.lookup(row[1]) or gazetteer.lookup(row[2]))
        (known if in_gazetteer else unknown).append(row)
    return known, unknown


def test_the_list_is_big_and_varied(split: Split) -> None:
    known, unknown = split
    rows = known + unknown
    kinds = Counter(kind for _same, _a, _b, kind in rows)
    assert len(rows) >= 300
    assert len(unknown) >= len(rows) / 2  # at least half are names the gazetteer does not know
    assert all(kinds[kind] >= 5 for kind in SPELLING_KINDS)
    assert sum(1 for same, *_ in rows if not same) >= 100  # pairs that must not match
    assert len({(a, b) for _s, a, b, _k in rows}) == len(rows)  # no pair counted twice


def test_precision_and_recall_on_names_the_gazetteer_does_not_know(
    split: Split,
) -> None:
    known, unknown = split
    spelling = [row for row in unknown if row[3] != "exonym"]
    recall, precision, counts = _scores(spelling)
    all_recall, all_precision, _ = _scores([r for r in known + unknown if r[3] != "exonym"])
    exonyms = [row for row in known + unknown if row[3] == "exonym"]
    exonym_recall, _p, _c = _scores(exonyms)
    print(
        f"\nname pairs not in the gazetteer: {len(spelling)} ({dict(counts)}): "
        f"recall {recall:.3f}, precision {precision:.3f}; all spelling pairs: recall "
        f"{all_recall:.3f}, precision {all_precision:.3f}; exonyms (the gazetteer's job): "
        f"{len(exonyms)}, recall {exonym_recall:.3f}"
    )
    assert recall >= 0.95
    assert precision >= 0.95


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kununu", "Gnunu"),
        ("Kununu", "Gnounou"),
        ("Gnounou", "Kanunu"),
        ("Syrte", "Sirte"),
        ("Jufra", "al-Jafrah"),
        ("Watiya", "Al-Watiyah"),
        ("سرت", "Syrte"),
        ("السبسي", "Essebsi"),
        ("بن كيران", "Benkirane"),
        ("حماة", "Hama"),
    ],
)
def test_spellings_of_one_name_match(a: str, b: str) -> None:
    assert spelled_alike(a, b)
    assert spelled_alike(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hassan", "Hussein"),
        ("Hamad", "Hamid"),
        ("Ahmed", "Hamed"),
        ("Kanun", "Kununu"),
        ("Tunis", "Tunisia"),
        ("Ali", "Alia"),
        ("سالم", "Salma"),
        ("Sousse", "Suez"),
    ],
)
def test_different_names_do_not_match(a: str, b: str) -> None:
    assert not spelled_alike(a, b)
    assert not spelled_alike(b, a)
