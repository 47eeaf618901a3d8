"""RSS and Atom feeds in the corpus: each entry an article with its title, link, date, outlet
and text (HTML made plain); ids stable per entry; a file that is no feed is one clear line."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from reader.core.config import load_config
from reader.core.search.index import update_index
from reader.core.search.searcher import Searcher
from reader.core.sources.article import Article
from reader.core.sources.corpus import SkipKind, Skipped, SourceFile, read_source
from tests.conftest import write_config

WEB = Path(__file__).parent / "data" / "web"


def read(path: Path, tmp_path: Path) -> tuple[list[Article], list[Skipped]]:
    config = load_config(write_config(tmp_path, corpus=str(path.parent)))
    info = path.stat()
    return read_source(SourceFile(path, path.parent, info.st_size, info.st_mtime_ns), config)


def copy(name: str, tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    return Path(shutil.copy(WEB / name, corpus / name))


def test_rss_entries_become_articles(tmp_path: Path) -> None:
    articles, skipped = read(copy("coastal-herald.rss", tmp_path), tmp_path)
    assert skipped == []
    assert [a.title for a in articles] == [
        "Esk river falls after week of floods",
        "Council approves & funds new flood defences",
    ]
    first, second = articles
    assert first.url == "https://www.coastalherald.example/news/2024/03/21/esk-falls"
    assert (first.outlet, first.published, first.lang) == (
        "The Coastal Herald",
        date(2024, 3, 21),
        "en",
    )
    assert first.paragraphs == [
        "The Esk river fell below its warning level on Thursday, a week after it burst its banks.",
        "Residents of Eastbank began returning home.",
    ]
    assert first.author == "Maria Lindqvist"  # <dc:creator>
    assert second.author == ""  # none given: nothing invented
    assert second.published == date(2024, 3, 28)
    assert second.body == "The council voted 31 to 4 to fund a new flood wall along the Esk."
    assert len({a.id for a in articles}) == 2
    assert all(a.id.startswith("coastal-herald/") for a in articles)


def test_atom_entries_become_articles_in_arabic(tmp_path: Path) -> None:
    articles, skipped = read(copy("alwadi.atom", tmp_path), tmp_path)
    assert skipped == []
    first, second = articles
    assert first.title == "توزيع المساعدات يبدأ في الخليل"  # type="html": the <b> is gone
    assert first.outlet == "صحيفة الوادي"
    assert first.author == "سلمى الحسيني"  # <author><name>
    assert first.url == "https://alwadi.example/ar/news/2024/05/04/distribution"
    assert first.published == date(2024, 5, 4)  # <published>, not <updated>
    assert first.lang == "ar"
    assert first.paragraphs == [
        "بدأ الهلال الأحمر صباح السبت توزيع المساعدات التي وصلت إلى مدينة الخليل.",
        "وقال متحدث إن التوزيع سيستمر أسبوعا.",
    ]
    assert second.published == date(2024, 5, 6)  # only <updated>
    assert second.body.startswith("عبرت القافلة الثانية")


def test_an_entry_keeps_its_id_when_the_feed_gains_entries(tmp_path: Path) -> None:
    path = copy("coastal-herald.rss", tmp_path)
    before = {a.title: a.id for a in read(path, tmp_path)[0]}
    newer = (
        "<item><title>Bridge reopens</title>"
        "<link>https://www.coastalherald.example/news/2024/04/02/bridge</link>"
        "<description>The Esk bridge reopened on Tuesday.</description></item>"
    )
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("<item>", newer + "<item>", 1), encoding="utf-8")
    after = {a.title: a.id for a in read(path, tmp_path)[0]}
    assert len(after) == 3
    assert {t: after[t] for t in before} == before


def test_a_feed_that_is_not_xml_is_one_clear_line_and_the_rest_goes_on(tmp_path: Path) -> None:
    copy("coastal-herald.rss", tmp_path)
    corpus = tmp_path / "corpus"
    (corpus / "broken.rss").write_text("this is { not xml at all", encoding="utf-8")
    (corpus / "layout.xml").write_text('<?xml version="1.0"?><layout><a/></layout>', "utf-8")
    config = load_config(write_config(tmp_path))
    report = update_index(config)
    by_name = {s.path.name: s for s in report.skipped}
    assert set(by_name) == {"broken.rss", "layout.xml"}
    assert by_name["broken.rss"].kind is SkipKind.BROKEN
    assert str(by_name["broken.rss"]).startswith(
        f"{corpus / 'broken.rss'}: skipped: not an RSS or Atom feed (not well-formed XML"
    )
    assert str(by_name["layout.xml"]) == (
        f"{corpus / 'layout.xml'}: skipped: not an RSS or Atom feed "
        "(XML without a feed's <rss>, <feed> or <rdf>)"
    )
    with Searcher(config) as searcher:
        assert len(searcher.ids()) == 2


def test_hostile_feed_fields_arrive_as_one_line_of_plain_text(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel>'
        "<title>Evil\nFORGED-outlet &lt;i&gt;Desk&lt;/i&gt; [bold]X[/]</title>"
        "<item><title>Quake &lt;script&gt;alert(1)&lt;/script&gt;\n  FORGED-title</title>"
        "<link>https://evil.example/q</link>"
        "<description>&lt;p&gt;Body &lt;b&gt;text&lt;/b&gt;&lt;/p&gt;</description>"
        "</item></channel></rss>"
    )
    (corpus / "evil.rss").write_text(feed, encoding="utf-8")
    (article,), skipped = read(corpus / "evil.rss", tmp_path)
    assert skipped == []
    assert article.title == "Quake FORGED-title"  # the script element is markup, not text
    assert article.outlet == "Evil FORGED-outlet Desk [bold]X[/]"  # Rich markup stays text
    assert article.body == "Body text"


def test_an_entry_with_neither_title_nor_text_is_reported(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    feed = (
        '<rss version="2.0"><channel><title>T</title>'
        "<item><title>Kept</title><description>Some text.</description></item>"
        "<item><guid>empty-1</guid></item></channel></rss>"
    )
    (corpus / "f.rss").write_text(feed, encoding="utf-8")
    articles, skipped = read(corpus / "f.rss", tmp_path)
    assert [a.title for a in articles] == ["Kept"]
    assert [(s.kind, s.reason) for s in skipped] == [
        (SkipKind.NO_TEXT, "empty-1: no title or text")
    ]


def test_feed_text_is_normalised_like_any_file(tmp_path: Path) -> None:
    """A feed is read from its bytes (its XML declares the encoding), so its text has not been
    through the loader's normalisation: decomposed accents, CR and lone-surrogate escapes
    must come out as the other formats' do (NFC, no CR, no surrogate)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    feed = (
        '<rss version="2.0"><channel><title>Cafe\u0301 Press</title>'
        "<item><title>Re\u0301sume\u0301 of the day</title>"
        "<description>Line one&#13;line two, cafe\u0301.</description></item>"
        "</channel></rss>"
    )
    (corpus / "nfc.rss").write_text(feed, encoding="utf-8")
    (article,), _ = read(corpus / "nfc.rss", tmp_path)
    assert article.title == "Résumé of the day"
    assert article.outlet == "Café Press"
    assert "café" in article.body and "\u0301" not in article.body
    assert "\r" not in article.body
