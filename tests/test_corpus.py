"""Ingestion: formats, titles, chrome removal, encodings, metadata and bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.core.config import Config
from reader.core.sources.corpus import Skipped, SourceFile, read_source, scan_corpus
from tests.conftest import ARABIC_SEED, SEEDS


def make_config(root: Path, **kw: object) -> Config:
    return Config(corpus_paths=(root,), data_dir=root / ".data", notes_dir=root / ".notes", **kw)  # type: ignore[arg-type]


def read_all(root: Path, **kw: object) -> tuple[dict[str, object], list[Skipped]]:
    config = make_config(root, **kw)
    found: dict[str, object] = {}
    skipped: list[Skipped] = []
    for item in scan_corpus(config):
        if isinstance(item, Skipped):
            skipped.append(item)
            continue
        articles, skips = read_source(item, config)
        skipped.extend(skips)
        for article in articles:
            found[article.id] = article
    return found, skipped


def test_seed_ids_titles_and_languages() -> None:
    found, skipped = read_all(SEEDS)
    assert skipped == []
    assert sorted(found) == [
        "000_7b206ec7414ebb17",
        "001_629cc8aa1a0900a3",
        "002_21aad2d8e00821f2",
        "003_cf72655655ca3791",
        "004_9e772252006eaafa",
    ]
    first = found["000_7b206ec7414ebb17"]
    assert first.title == (  # type: ignore[attr-defined]
        "Al-Mesmari admits defeat and announces the re-formation of their operations room "
        "and continued fighting in the middle of the desert."
    )
    assert found[ARABIC_SEED].lang == "ar"  # type: ignore[attr-defined]
    assert {a.lang for k, a in found.items() if k != ARABIC_SEED} == {"en"}  # type: ignore[attr-defined]


def test_chrome_removed_from_body_but_file_untouched() -> None:
    raw = (SEEDS / "000_7b206ec7414ebb17.txt").read_text(encoding="utf-8")
    found, _ = read_all(SEEDS)
    body = found["000_7b206ec7414ebb17"].body  # type: ignore[attr-defined]
    for chrome in ("Forgot password?", "Leave your vote", "Log In", "Privacy Policy", "Check Also"):
        assert chrome in raw
        assert chrome not in body
    # The "Check Also" teaser block goes with its heading.
    assert "Al-Jazawi" not in body
    # The headline repeated as the first paragraph is not body text.
    assert not body.startswith("Al-Mesmari admits defeat")
    assert "operations room" in body


def test_body_paragraphs_are_single_lines(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title\n\nFirst para.\n\n\nSecond para.\n", encoding="utf-8")
    found, _ = read_all(tmp_path)
    assert found["a"].body == "First para.\nSecond para."  # type: ignore[attr-defined]


def test_hard_wrapped_text_is_joined(tmp_path: Path) -> None:
    text = "Title\n\nline one of a\nwrapped paragraph\n\nanother wrapped\nparagraph here\n"
    (tmp_path / "w.txt").write_text(text, encoding="utf-8")
    found, _ = read_all(tmp_path)
    assert found["w"].paragraphs == [  # type: ignore[attr-defined]
        "line one of a wrapped paragraph",
        "another wrapped paragraph here",
    ]


def test_sidecar_metadata_wins(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Home / World / A title\n\nText here.\n", encoding="utf-8")
    (tmp_path / "a.toml").write_text(
        'outlet = "Wire"\nurl = "https://example.org/a"\npublished = 2020-06-08\nlang = "ar"\n',
        encoding="utf-8",
    )
    found, _ = read_all(tmp_path)
    article = found["a"]
    assert article.title == "A title"  # type: ignore[attr-defined]
    assert article.outlet == "Wire"  # type: ignore[attr-defined]
    assert article.published.isoformat() == "2020-06-08"  # type: ignore[attr-defined]
    assert article.lang == "ar"  # type: ignore[attr-defined]


def test_a_sidecar_title_never_leaves_the_files_title_line_in_the_body(tmp_path: Path) -> None:
    # The issue saw the file's own first line kept as paragraph 1 beside a sidecar's title.
    (tmp_path / "a.txt").write_text(
        "My title line\n\nFirst paragraph.\n\nSecond paragraph.\n", encoding="utf-8"
    )
    (tmp_path / "a.toml").write_text('title = "The sidecar title"\n', encoding="utf-8")
    found, _ = read_all(tmp_path)
    article = found["a"]
    assert article.title == "The sidecar title"  # type: ignore[attr-defined]
    assert article.body == "First paragraph.\nSecond paragraph."  # type: ignore[attr-defined]


def test_a_file_of_one_line_beside_a_sidecar_title_keeps_it_as_its_text(tmp_path: Path) -> None:
    # The line was taken as the title, the sidecar's title replaced it, and the article had
    # no text at all: `reader search tripoli` found nothing in a file that says Tripoli.
    (tmp_path / "a.txt").write_text("Fighting resumed south of Tripoli.\n", encoding="utf-8")
    (tmp_path / "a.toml").write_text('title = "Clashes near the capital"\n', encoding="utf-8")
    (tmp_path / "b.txt").write_text("Clashes near the capital\n", encoding="utf-8")
    (tmp_path / "b.toml").write_text('title = "Clashes near the capital"\n', encoding="utf-8")
    found, _ = read_all(tmp_path)
    assert found["a"].title == "Clashes near the capital"  # type: ignore[attr-defined]
    assert found["a"].body == "Fighting resumed south of Tripoli."  # type: ignore[attr-defined]
    assert found["b"].body == ""  # type: ignore[attr-defined]  # the title itself, once


def test_a_first_line_longer_than_a_headline_is_body(tmp_path: Path) -> None:
    # Seen on real coverage saved as text: an Arabic report pasted without its headline, one
    # line; its first line was taken as the title and the article had no body (and no facts).
    lead = (
        "أعلنت الحركة فجر اليوم مقتل خمسة أشخاص في غارة على مبنى سكني في المدينة. "
        "وقال مسؤولون إن فرق الإنقاذ ما زالت تبحث عن ناجين تحت الأنقاض منذ ساعات الصباح، "
        "فيما نقل الجرحى إلى المستشفى الرئيسي في المدينة المجاورة لتلقي العلاج اللازم، "
        "وأعلنت السلطات الحداد ثلاثة أيام."
    )
    assert len(lead) > 250
    (tmp_path / "one.txt").write_text(lead + "\n", encoding="utf-8")
    (tmp_path / "two.txt").write_text(lead + "\n\nSecond paragraph.\n", encoding="utf-8")
    (tmp_path / "two.toml").write_text('title = "From the sidecar"\n', encoding="utf-8")
    long_title = "x " * 200
    (tmp_path / "three.txt").write_text(long_title + "\n", encoding="utf-8")
    found, skips = read_all(tmp_path)
    assert skips == []
    one = found["one"]
    assert one.body == lead  # type: ignore[attr-defined]
    assert one.title == lead[: lead.index(".") + 1]  # type: ignore[attr-defined]
    two = found["two"]
    assert two.title == "From the sidecar"  # type: ignore[attr-defined]
    assert two.body == lead + "\nSecond paragraph."  # type: ignore[attr-defined]
    # No sentence end in reach: the first words and an ellipsis; the text stays body.
    three = found["three"]
    assert three.title.endswith("…") and len(three.title) <= 121  # type: ignore[attr-defined]
    assert three.body == long_title.strip()  # type: ignore[attr-defined]
    # A headline-length first line is still the title.
    (tmp_path / "four.txt").write_text("A headline\n\n" + lead + "\n", encoding="utf-8")
    found, _ = read_all(tmp_path)
    assert found["four"].title == "A headline"  # type: ignore[attr-defined]
    assert found["four"].body == lead  # type: ignore[attr-defined]


def test_markdown_with_front_matter(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "m.md").write_text(
        "---\ntitle: Front title\noutlet: Blog\npublished: 2021-01-02\n---\n"
        "# Heading\n\nBody text.\n",
        encoding="utf-8",
    )
    found, _ = read_all(tmp_path)
    article = found["sub/m"]
    assert article.title == "Front title"  # type: ignore[attr-defined]
    assert article.body == "Heading\nBody text."  # type: ignore[attr-defined]
    assert article.outlet == "Blog"  # type: ignore[attr-defined]


def test_json_and_jsonl(tmp_path: Path) -> None:
    records = [
        {"id": "x1", "title": "One", "body": "Sirte news", "source": "Agency", "lang": "en"},
        {"title": "Two", "text": "نص عربي هنا", "published": "2020-06-09T10:00:00Z"},
    ]
    (tmp_path / "feed.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n{broken\n",
        encoding="utf-8",
    )
    (tmp_path / "list.json").write_text(json.dumps(records), encoding="utf-8")
    found, skipped = read_all(tmp_path)
    assert found["feed/x1"].outlet == "Agency"  # type: ignore[attr-defined]
    assert found["feed/2"].lang == "ar"  # type: ignore[attr-defined]
    assert found["feed/2"].published.isoformat() == "2020-06-09"  # type: ignore[attr-defined]
    assert "list/x1" in found and "list/2" in found
    assert [s.reason for s in skipped] == [
        "line 3: broken JSON: Expecting property name enclosed in double quotes"
    ]


def test_a_json_record_with_only_a_title_is_skipped_with_one_line(tmp_path: Path) -> None:
    records = [
        {"id": "t", "title": "Headline only"},
        {"id": "b", "title": "Blank body", "body": "  \n ", "outlet": "Agency"},
        {"id": "ok", "title": "Whole", "content": "A body at last."},
    ]
    (tmp_path / "recs.jsonl").write_text(
        "\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8"
    )
    (tmp_path / "one.json").write_text(json.dumps(records[0]), encoding="utf-8")
    found, skipped = read_all(tmp_path)
    assert sorted(found) == ["recs/ok"]
    assert sorted(f"{s.path.name}: {s.reason}" for s in skipped) == [
        "one.json: record 1: no text (no body, text or content)",
        "recs.jsonl: record 1: no text (no body, text or content)",
        "recs.jsonl: record 2: no text (no body, text or content)",
    ]


@pytest.mark.parametrize("encoding", ["cp1256", "iso-8859-6", "utf-16", "utf-8-sig"])
def test_arabic_encodings_decode_to_the_same_text(tmp_path: Path, encoding: str) -> None:
    original = (SEEDS / f"{ARABIC_SEED}.txt").read_text(encoding="utf-8")
    # ISO-8859-6 lacks a few characters of the seed (e.g. the Latin quotes); keep what it can.
    text = original.encode(encoding, errors="ignore").decode(encoding)
    (tmp_path / "copy.txt").write_bytes(text.encode(encoding))
    found, skipped = read_all(tmp_path)
    assert skipped == []
    article = found["copy"]
    assert article.lang == "ar"  # type: ignore[attr-defined]
    assert article.title == "المسماري يعلن رسميا السيطرة على مناطق جديدة غرب ليبيا"  # type: ignore[attr-defined]
    assert "الوطية" in article.body  # type: ignore[attr-defined]


def test_undecodable_bytes_do_not_crash(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"Title \xff\xfe\xfa here\n\nbody \x81\x8d text\n")
    found, skipped = read_all(tmp_path)
    assert skipped == []
    assert found["bad"].body.startswith("body")  # type: ignore[attr-defined]


def test_bad_files_are_skipped_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "blank.txt").write_text("  \n\n \t\n", encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "zip.json").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    (tmp_path / "nul.md").write_bytes(b"abc\x00def\x00" * 30)
    (tmp_path / "big.txt").write_text("Title\n\n" + "word " * 400, encoding="utf-8")
    (tmp_path / "ok.txt").write_text("Fine\n\nText.\n", encoding="utf-8")
    found, skipped = read_all(tmp_path, max_file_bytes=1000)
    assert list(found) == ["ok"]
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["blank.txt"] == "empty file"
    assert reasons["image.txt"].startswith("binary file")
    assert reasons["zip.json"].startswith("binary file")
    assert reasons["nul.md"].startswith("binary file")
    assert reasons["big.txt"].startswith("larger than the size limit")
    assert len(skipped) == 6


def test_unreadable_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("T\n\nx\n", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("T\n\nx y\n", encoding="utf-8")
    real = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self.name == "secret.txt":  # root can read anything, so simulate chmod 0
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    found, skipped = read_all(tmp_path)
    assert list(found) == ["ok"]
    assert skipped[0].reason == "cannot read: Permission denied"


def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "d" / "a.txt").write_text("T\n\nbody\n", encoding="utf-8")
    found, _ = read_all(tmp_path)
    assert list(found) == ["d/a"]


def test_source_file_id_is_relative_path_without_extension(tmp_path: Path) -> None:
    source = SourceFile(tmp_path / "a" / "b.txt", tmp_path, 1, 1)
    assert source.file_id == "a/b"


ARABIC_PAGE = """صحيفة الوادي | الرئيسية
الرئيسية
مواقيت الصلاة في الخليل
الفجر 04:12 ص | الظهر 12:01 م | العصر 3:35 م | المغرب 6:58 م | العشاء ٨:٢٠ م
وصول قافلة مساعدات إلى مدينة الخليل
وصلت قافلة مساعدات إنسانية تضم أربعين شاحنة إلى مدينة الخليل صباح الأحد بعد تأخير دام أسبوعا.
اقرأ أيضاً: إغلاق المعبر لليوم الثالث على التوالي
وقال متحدث باسم الهلال الأحمر إن التوزيع سيبدأ غدا، وتابعنا في الميدان عمل المتطوعين طوال الليل.
شارك الخبر
أخبار ذات صلة
انقطاع الكهرباء عن أحياء المدينة
ارتفاع أسعار الوقود في الأسواق
وأصدر الجيش إعلان يقضي بفتح الطريق أمام الشاحنات.
تابعونا على فيسبوك وتويتر
جميع الحقوق محفوظة © 2024 صحيفة الوادي
"""


def test_arabic_site_chrome_goes_and_the_story_stays(tmp_path: Path) -> None:
    # Pasted from a browser: one blank line between the page's blocks.
    (tmp_path / "convoy.txt").write_text(ARABIC_PAGE.replace("\n", "\n\n"), encoding="utf-8")
    found, _ = read_all(tmp_path)
    article = found["convoy"]
    assert article.paragraphs == [  # type: ignore[attr-defined]
        "وصول قافلة مساعدات إلى مدينة الخليل",
        "وصلت قافلة مساعدات إنسانية تضم أربعين شاحنة إلى مدينة الخليل صباح الأحد بعد تأخير دام"
        " أسبوعا.",
        "وقال متحدث باسم الهلال الأحمر إن التوزيع سيبدأ غدا، وتابعنا في الميدان عمل المتطوعين"
        " طوال الليل.",  # "تابعنا" inside a sentence of the story is not the "follow us" line
        "وأصدر الجيش إعلان يقضي بفتح الطريق أمام الشاحنات.",  # nor is "إعلان" within one
    ]


def test_chrome_rules_see_one_line_whatever_the_spacing(tmp_path: Path) -> None:
    text = "Title\nStory line one.\n   Related\t stories  \nTeaser one\nTeaser two\n"
    text += "مواقيت   الصلاة\nStory line two.\n"
    (tmp_path / "s.txt").write_text(text.replace("\n", "\n\n"), encoding="utf-8")
    found, _ = read_all(tmp_path)
    assert found["s"].paragraphs == ["Story line one.", "Story line two."]  # type: ignore[attr-defined]


def test_a_txt_of_short_lines_keeps_its_first_line_as_the_title(tmp_path: Path) -> None:
    """Short lines and no blank line are not a hard-wrapped paragraph that swallows the
    headline: the first line is the title and each other line a paragraph (before, the whole
    file was the title and the body was empty)."""
    text = "A short headline\nFirst short paragraph.\nSecond short paragraph.\n"
    (tmp_path / "s.txt").write_text(text, encoding="utf-8")
    (tmp_path / "w.txt").write_text("Title\nline one of a\nwrapped one\n\nand more\nof it\n")
    found, _ = read_all(tmp_path)
    assert found["s"].title == "A short headline"  # type: ignore[attr-defined]
    assert found["s"].body == "First short paragraph.\nSecond short paragraph."  # type: ignore[attr-defined]
    assert found["w"].title == "Title"  # type: ignore[attr-defined]
    assert found["w"].paragraphs == ["line one of a wrapped one", "and more of it"]  # type: ignore[attr-defined]


def test_one_line_fields_from_a_file_are_cut_and_a_huge_address_dropped(tmp_path: Path) -> None:
    """A 5 MB title in a sidecar froze the app for 40 s while its header laid it out (found
    by attacking the app): a one-line field keeps its first characters and ends in "…"."""
    from reader.core.sources.corpus import FIELD_CHARS

    (tmp_path / "big.txt").write_text("Big\n\nbody bigsidecar\n", encoding="utf-8")
    (tmp_path / "big.toml").write_text(f'title = "{"T" * 5_000_000}"\n', encoding="utf-8")
    record = {
        "id": "r",
        "title": "ok",
        "body": "record body",
        "outlet": "O" * 1_000_000,
        "author": "حفتر " * 200_000,
        "url": "https://example.com/" + "x" * 1_000_000,
    }
    (tmp_path / "many.json").write_text(json.dumps([record]), encoding="utf-8")
    articles, _ = read_all(tmp_path)
    big, many = articles["big"], articles["many/r"]
    assert big.title == "T" * (FIELD_CHARS["title"] - 1) + "…"  # type: ignore[attr-defined]
    assert big.body == "body bigsidecar"  # type: ignore[attr-defined]
    assert len(many.outlet) == FIELD_CHARS["outlet"] and many.outlet.endswith("…")  # type: ignore[attr-defined]
    assert many.author.startswith("حفتر حفتر") and many.author.endswith("…")  # type: ignore[attr-defined]
    assert len(many.author) <= FIELD_CHARS["author"]  # type: ignore[attr-defined]
    assert many.url == ""  # type: ignore[attr-defined]
