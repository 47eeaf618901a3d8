"""Passage alignment across languages and the divergence summary."""

from __future__ import annotations

from reader.core.events.alignment import align, paragraph_spans
from reader.core.events.divergences import find_divergences
from reader.core.names.gazetteer import load_gazetteer
from reader.core.sources.article import Article

GAZETTEER = load_gazetteer()

# Two short reports of one advance, written for this test: they disagree on the distance.
ENGLISH = Article(
    id="en-report",
    title="Government forces advance on Sirte",
    body=(
        "Government forces reached Abu Grein, 140 km (87 miles) west of Sirte, on Monday.\n"
        "At least eight civilians were killed in the shelling, residents said.\n"
        "The GNA said it would take the Jufra air base next.\n"
        "Oil prices rose on the news."
    ),
    lang="en",
)
ARABIC = Article(
    id="ar-report",
    title="قوات الوفاق تتقدم نحو سرت",
    body=(
        "وصلت قوات حكومة الوفاق إلى أبو قرين، على بعد ١٢٠ كيلومترا غرب سرت، يوم الاثنين.\n"
        "وقال سكان إن القصف أدى إلى مقتل ثمانية مدنيين.\n"
        "وأكدت الحكومة أنها ستسيطر على قاعدة الجفرة الجوية."
    ),
    lang="ar",
)


def test_the_same_place_at_different_distances_is_a_conflict() -> None:
    divergences = find_divergences([ENGLISH, ARABIC], GAZETTEER)
    conflicts = [d for d in divergences if d.status == "conflict"]
    assert len(conflicts) == 1
    conflict = conflicts[0]
    assert conflict.kind == "distance"
    assert [r.article_id for r in conflict.refs] == ["en-report", "ar-report"]
    assert [r.fact.value for r in conflict.refs if r.fact] == [140, 120]
    assert "Abu Grein" in conflict.description and "west of Sirte" in conflict.description
    english, arabic = conflict.refs
    assert ENGLISH.body[english.start : english.end] == "140 km (87 miles)"
    assert ARABIC.body[arabic.start : arabic.end] == "١٢٠ كيلومترا"
    assert (english.paragraph, arabic.paragraph) == (0, 0)
    assert divergences[0] == conflict  # conflicts first


def test_numbers_that_can_both_be_true_differ_across_languages() -> None:
    divergences = find_divergences([ENGLISH, ARABIC], GAZETTEER)
    killed = [d for d in divergences if d.kind == "killed"]
    assert [d.status for d in killed] == ["differ"]  # "at least eight" and "ثمانية"
    entities = {d.refs[0].value: d.status for d in divergences if d.kind == "entity"}
    assert entities["Sirte"] == entities["Jufra"] == entities["Abu Grein"] == "shared"


def test_a_conversion_in_brackets_is_not_a_conflict() -> None:
    miles = Article("a", "t", "Troops were at Abu Grein, 87 miles west of Sirte.", "en")
    km = Article("b", "t", "Troops were at Abu Grein, 140 km (87 miles) west of Sirte.", "en")
    arabic = Article("c", "t", "القوات في أبو قرين على بعد 140 كلم غرب سرت", "ar")
    statuses = [d.status for d in find_divergences([miles, km, arabic], GAZETTEER)]
    assert "conflict" not in statuses
    distance = [d for d in find_divergences([miles, km, arabic], GAZETTEER) if d.kind == "distance"]
    assert len(distance) == 1 and len(distance[0].refs) == 3


def test_at_least_differs_from_more_and_conflicts_with_fewer() -> None:
    base = Article("a", "t", "Shelling in Sirte killed at least 8 civilians.", "en")
    more = Article("b", "t", "قصف على سرت أدى إلى مقتل 10 مدنيين", "ar")
    fewer = Article("c", "t", "Shelling in Sirte killed 5 civilians.", "en")
    assert [d.status for d in find_divergences([base, more], GAZETTEER) if d.kind == "killed"] == [
        "differ"
    ]
    assert [d.status for d in find_divergences([base, fewer], GAZETTEER) if d.kind == "killed"] == [
        "conflict"
    ]


def test_numbers_about_different_places_are_not_compared() -> None:
    a = Article("a", "t", "The town is 30 km west of Sirte.", "en")
    b = Article("b", "t", "The town is 50 km west of Misrata.", "en")
    statuses = {d.status for d in find_divergences([a, b], GAZETTEER) if d.kind == "distance"}
    assert statuses == {"only"}


def test_only_facts_name_their_article() -> None:
    divergences = find_divergences([ENGLISH, ARABIC], GAZETTEER)
    only = [d for d in divergences if d.status == "only" and d.kind != "entity"]
    assert only == []  # every number of the pair is compared
    lone = Article("x", "t", "Shelling near Tobruk wounded 3 people on 4 June 2020.", "en")
    only = [d for d in find_divergences([lone, ARABIC], GAZETTEER) if d.status == "only"]
    assert {d.kind for d in only} >= {"wounded", "date", "entity"}
    assert all(len(d.refs) == 1 for d in only)


def test_passages_align_across_languages() -> None:
    alignment = align([ENGLISH, ARABIC], GAZETTEER)
    assert len(alignment.rows) == len(ENGLISH.paragraphs)
    matched = [row.matches[0].passage.index if row.matches[0] else None for row in alignment.rows]
    assert matched == [0, 1, 2, None]  # the oil paragraph has no counterpart
    first = alignment.rows[0].matches[0]
    assert first is not None
    assert {"Abu Grein", "Sirte"} <= set(first.shared)
    assert 0 < first.score <= 1
    assert alignment.text(first.passage) == ARABIC.paragraphs[0]
    pivot = alignment.rows[1].pivot
    assert ENGLISH.body[pivot.start : pivot.end] == ENGLISH.paragraphs[1]


def test_alignment_keeps_one_column_per_other_article() -> None:
    third = Article("z", "t", "Residents said eight civilians were killed.\nNothing else.", "en")
    alignment = align([ENGLISH, ARABIC, third], GAZETTEER)
    assert all(len(row.matches) == 2 for row in alignment.rows)
    second = alignment.rows[1].matches[1]
    assert second is not None and second.passage.article_id == "z" and second.passage.index == 0


def test_paragraph_spans_cover_the_body() -> None:
    body = "one\n\ntwo words\nthree"
    spans = paragraph_spans(body)
    assert [body[s:e] for s, e in spans] == body.split("\n")


def test_a_paragraph_is_the_counterpart_of_one_pivot_paragraph_unless_asked() -> None:
    pivot = Article(
        "p",
        "t",
        "Shelling hit Sirte on Sunday, killing 12 people.\n"
        "The shelling of Sirte on Sunday also wounded 30 people.\n"
        "Oil prices rose on the news.",
        "en",
    )
    other = Article("o", "t", "Shelling hit Sirte on Sunday, killing 12 and wounding 30.", "en")
    one = align([pivot, other], GAZETTEER)
    matched = [row.pivot.index for row in one.rows if row.matches[0] is not None]
    assert len(matched) == 1
    many = align([pivot, other], GAZETTEER, many_to_one=True)
    assert sum(row.matches[0] is not None for row in many.rows) == 2
