"""HTML pages in the corpus: main text, title, author, date, site name and canonical URL through
trafilatura, in English and Arabic, with the page's chrome (masthead, navigation, related
stories, comments, footer) left out of the body; sidecars still override; hostile and huge
pages end in an article or one clear line, never an exception."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from reader.core.config import load_config
from reader.core.search.index import update_index
from reader.core.search.searcher import Searcher
from reader.core.sources.article import Article
from reader.core.sources.corpus import SkipKind, Skipped, SourceFile, read_source
from tests.conftest import cli_in_process, write_config

WEB = Path(__file__).parent / "data" / "web"
EN_PAGE = "harbour-city-flood.html"
AR_PAGE = "gaza-aid-convoy-ar.html"


def read(path: Path, tmp_path: Path) -> tuple[list[Article], list[Skipped]]:
    """``read_source`` on ``path`` with a config whose corpus is ``path``'s folder."""
    config = load_config(write_config(tmp_path, corpus=str(path.parent)))
    info = path.stat()
    return read_source(SourceFile(path, path.parent, info.st_size, info.st_mtime_ns), config)


def one_article(path: Path, tmp_path: Path) -> Article:
    articles, skipped = read(path, tmp_path)
    assert skipped == []
    assert len(articles) == 1
    return articles[0]


def test_english_page_gives_its_metadata_and_only_the_story(tmp_path: Path) -> None:
    article = one_article(WEB / EN_PAGE, tmp_path)
    assert article.title == "Floodwaters cut off Harbour City as river bursts its banks"
    assert article.outlet == "The Coastal Herald"
    assert article.author == "Maria Lindqvist"
    assert article.published == date(2024, 3, 14)
    assert article.url == "https://www.coastalherald.example/news/2024/03/14/harbour-city-flood"
    assert article.lang == "en"
    assert article.id == "harbour-city-flood"
    paragraphs = article.paragraphs
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith("Floodwaters cut off Harbour City on Thursday")
    assert paragraphs[-1].startswith("Mayor Ingrid Sand said three temporary shelters")
    assert article.title not in paragraphs  # the headline is not repeated as paragraph 1
    for chrome in (
        "Subscribe",  # masthead
        "Politics",  # navigation
        "Related stories",
        "Council delays vote",  # a related story's headline
        "riverwatcher",  # a commenter
        "nobody does anything",  # a comment
        "All rights reserved",  # footer
        "Privacy Policy",
    ):
        assert chrome not in article.body, chrome


def test_arabic_page_gives_its_metadata_and_only_the_story(tmp_path: Path) -> None:
    article = one_article(WEB / AR_PAGE, tmp_path)
    assert article.title == "وصول قافلة مساعدات إلى مدينة الخليل بعد تأخير دام أسبوعا"
    assert article.outlet == "صحيفة الوادي"
    assert article.author == "سلمى الحسيني"
    assert article.published == date(2024, 5, 2)
    assert article.url == "https://alwadi.example/ar/news/2024/05/02/aid-convoy"
    assert article.lang == "ar"
    paragraphs = article.paragraphs
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("وصلت قافلة مساعدات إنسانية تضم أربعين شاحنة")
    for chrome in (
        "مواقيت الصلاة",  # the prayer-time widget of the masthead
        "الرئيسية",  # navigation
        "أخبار ذات صلة",  # related stories
        "إغلاق المعبر لليوم الثالث",  # a related story's headline
        "أبو أحمد",  # a commenter
        "أين القافلة الثانية",  # a comment
        "جميع الحقوق محفوظة",  # footer
    ):
        assert chrome not in article.body, chrome


def test_a_sidecar_overrides_what_the_page_says(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(WEB / EN_PAGE, corpus / "flood.html")
    (corpus / "flood.toml").write_text(
        'outlet = "Herald Weekly"\npublished = 2024-03-15\n', encoding="utf-8"
    )
    article = one_article(corpus / "flood.html", tmp_path)
    assert (article.outlet, article.published) == ("Herald Weekly", date(2024, 3, 15))
    assert article.url.startswith("https://www.coastalherald.example/")  # not overridden


def test_a_page_without_a_site_name_takes_the_canonical_host_as_outlet(tmp_path: Path) -> None:
    page = (WEB / EN_PAGE).read_text(encoding="utf-8")
    page = page.replace('<meta property="og:site_name" content="The Coastal Herald">', "")
    page = page.replace("The Coastal Herald", "")  # nor in the title, logo or footer
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "page.html").write_text(page, encoding="utf-8")
    article = one_article(tmp_path / "p" / "page.html", tmp_path)
    assert article.outlet == "coastalherald.example"


def test_a_page_with_no_text_is_one_clear_line_and_the_rest_is_indexed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(WEB / EN_PAGE, corpus / "flood.html")
    (corpus / "blank.html").write_text(
        "<html><head><title></title></head><body><script>var x = 1;</script></body></html>",
        encoding="utf-8",
    )
    config = load_config(write_config(tmp_path))
    report = update_index(config)
    assert [(s.path.name, s.kind) for s in report.skipped] == [("blank.html", SkipKind.NO_TEXT)]
    line = str(report.skipped[0])
    assert line == f"{corpus / 'blank.html'}: skipped: no article text found in the page"
    with Searcher(config) as searcher:
        assert set(searcher.ids()) == {"flood"}
        assert searcher.outlets() == ["The Coastal Herald"]


HOSTILE = (
    "<html><head>"
    "<title>Quake\n  hits\tcoast &#27;[2J &lt;b&gt;now&lt;/b&gt; [bold]B[/]</title>"
    '<meta property="og:site_name" '
    'content="Evil&#10;FORGED-outlet [@click=app.quit]Q[/] &#x1b;]2;X&#7;">'
    '<meta name="author" content="Mallory&#10;FORGED-author &#x9b;2J">'
    "</head><body><article>"
    + "<p>A strong earthquake struck the coast on Monday, officials said, and rescue teams"
    " searched collapsed buildings through the night in the old town.</p>"
    * 4
    + "</article></body></html>"
)


def test_hostile_title_site_and_author_arrive_as_one_line_of_text(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil.html").write_text(HOSTILE, encoding="utf-8")
    article = one_article(corpus / "evil.html", tmp_path)
    for field in (article.title, article.outlet, article.author):
        assert field == " ".join(field.split())  # one line, no runs of whitespace
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in field)
    assert article.title.startswith("Quake hits coast")
    assert "FORGED-outlet" in article.outlet  # kept as text, on the same line
    assert article.author.startswith("Mallory FORGED-author")
    # Through the CLI: on a pipe no ESC at all reaches stdout, and markup is shown as text.
    config = write_config(tmp_path)
    assert cli_in_process(["--config", str(config), "index"]).returncode == 0
    shown = cli_in_process(["--config", str(config), "show", "evil"])
    assert shown.returncode == 0
    assert "\x1b" not in shown.stdout and "\x9b" not in shown.stdout
    assert not any(line.startswith("FORGED") for line in shown.stdout.splitlines())


@pytest.mark.slow
def test_a_five_megabyte_page_is_read_whole(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    paragraph = "<p>Paragraph {} of a very long report on the flood in the harbour city.</p>"
    page = (
        "<html><head><title>The long report</title></head><body><article>"
        + "".join(paragraph.format(n) for n in range(70_000))
        + "</article></body></html>"
    )
    assert len(page) > 5_000_000
    (corpus / "long.html").write_text(page, encoding="utf-8")
    article = one_article(corpus / "long.html", tmp_path)
    assert article.title == "The long report"
    assert len(article.paragraphs) == 70_000
    assert article.paragraphs[-1].startswith("Paragraph 69999 ")


def test_ten_thousand_nested_divs_end_in_an_article_or_one_clear_line(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "<p>" + "Deep in the page, the story of the harbour city flood goes on. " * 10 + "</p>"
    page = "<html><body>" + "<div>" * 10_000 + text + "</div>" * 10_000 + "</body></html>"
    (corpus / "deep.html").write_text(page, encoding="utf-8")
    articles, skipped = read(corpus / "deep.html", tmp_path)
    if articles:
        assert skipped == []
        assert "harbour city flood" in articles[0].body
    else:  # lxml stops at its nesting limit: the text is beyond it
        assert [(s.kind, s.reason) for s in skipped] == [
            (SkipKind.NO_TEXT, "no article text found in the page")
        ]
