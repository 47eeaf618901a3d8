"""Grouping reads an article's title and lead (:data:`reader.core.events.features.LEAD_CHARS`):
the background further down names the people and places of other events, and reading it costs
as much as the rest of event work."""

from __future__ import annotations

from datetime import date

from reader.core.events.features import LEAD_CHARS, lead
from reader.core.events.grouping import group_events, profile
from reader.core.names.gazetteer import load_gazetteer
from reader.core.sources.article import Article

GAZETTEER = load_gazetteer()

STRIKE = (
    "Drones struck al-Watiya air base on Sunday, destroying two air defence systems, a "
    "spokesman for Haftar's forces said.\n"
)
BACKGROUND = (
    "In January, Aguila Saleh met Abdel Fattah el-Sisi in Cairo, and 14 people were killed "
    "in Sirte on 3 March 2020 when the GNA and Misrata brigades fought over the port.\n"
)


def padded(text: str, to: int) -> str:
    """``text`` followed by paragraphs that name nothing, up to ``to`` characters."""
    filler = "The statement gave no further detail on the matter.\n"
    return text + filler * (max(0, to - len(text)) // len(filler) + 1)


def test_the_background_after_the_lead_is_not_read() -> None:
    body = padded(STRIKE, LEAD_CHARS + 200) + BACKGROUND
    features = profile(Article("a", "Strike on Watiya", body, "en"), GAZETTEER)
    assert features.entities["haftar"] == 1 and features.entities["watiya"] == 3
    assert not {"sisi", "saleh", "sirte", "cairo"} & set(features.entities)
    assert not {"date:2020-03-03", "killed:people:14"} & features.facts
    assert date(2020, 3, 3) not in features.dates
    # The same background in the lead is read.
    early = profile(Article("b", "Strike on Watiya", STRIKE + BACKGROUND, "en"), GAZETTEER)
    assert {"sisi", "saleh", "sirte", "cairo"} <= set(early.entities)
    assert date(2020, 3, 3) in early.dates


def test_background_shared_with_another_event_does_not_merge_them() -> None:
    other = (
        "Egypt's parliament approved sending troops to Libya on Monday, after Abdel Fattah "
        "el-Sisi met Aguila Saleh in Cairo.\n"
    )
    strike = [
        Article(f"s{n}", "Watiya struck", padded(STRIKE, LEAD_CHARS + 50) + BACKGROUND * 3, "en")
        for n in range(3)
    ]
    vote = [
        Article(f"v{n}", "Egypt votes", padded(other, LEAD_CHARS + 50) + BACKGROUND * 3, "en")
        for n in range(3)
    ]
    events = group_events([*strike, *vote], GAZETTEER)
    assert sorted(e.article_ids for e in events) == [("s0", "s1", "s2"), ("v0", "v1", "v2")]


def test_the_lead_is_whole_paragraphs_and_a_single_line_is_cut_at_a_space() -> None:
    short = "One paragraph.\nAnother."
    assert lead(short) is short
    paragraphs = ("word " * 150).strip() + "\n"  # 749 characters and a newline
    body = paragraphs * 4
    cut = lead(body)
    assert cut == (paragraphs * 2).rstrip("\n") and len(cut) > LEAD_CHARS  # reaching the limit
    one_line = "كلمة " * 2000
    cut = lead(one_line)
    assert LEAD_CHARS < len(cut) <= 2 * LEAD_CHARS
    assert one_line.startswith(cut + " ")  # never inside a word


def test_the_lead_of_a_lead_is_itself() -> None:
    """Workers are sent each article's lead (reader.core.events.profiling): profiling it
    must read what profiling the whole article reads."""
    paragraph = ("word " * 90).strip()
    bodies = [
        "\n".join([paragraph] * n) + tail
        for n in range(1, 8)
        for tail in ("", "\n", " end", "\n" + "x " * 900)
    ]
    bodies += ["كلمة " * n for n in (150, 199, 200, 201, 399, 400, 401, 2000)]
    for body in bodies:
        assert lead(lead(body)) == lead(body)
        assert body.startswith(lead(body))
