"""Publication metadata (datelines, bylines, timestamps, updated lines, copyright, credits) is
told apart from the content of a story, English and Arabic, with exact offsets."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from reader.core.events.metadata import KINDS, MetaSpan, metadata_spans


def spans(text: str) -> list[tuple[str, str]]:
    return [(s.kind, text[s.start : s.end]) for s in metadata_spans(text)]


# (text, the metadata phrase it holds, its kind)
EXAMPLES = [
    # datelines
    (
        "TRIPOLI, May 18 (Reuters) - Shelling on Sirte killed 12",
        "TRIPOLI, May 18 (Reuters) -",
        "dateline",
    ),
    ("CAIRO (AP) — Egypt's parliament voted on Monday.", "CAIRO (AP) —", "dateline"),
    ("CAIRO — Egypt's parliament voted on Monday.", "CAIRO —", "dateline"),
    ("N'DJAMENA (AFP) - Chad sent 1,200 soldiers.", "N'DJAMENA (AFP) -", "dateline"),
    ("CAIRO (Reuters) -Hamas leader Ismail Haniyeh was killed", "CAIRO (Reuters) -", "dateline"),
    ("LONDON - The fall of al-Watiya on Monday", "LONDON -", "dateline"),
    (
        "TRIPOLI/CAIRO, Aug 21 (Reuters) - Libya's rival governments",
        "TRIPOLI/CAIRO, Aug 21 (Reuters) -",
        "dateline",
    ),
    ("Title\n\nطرابلس - بوابة الوسط\n\nقال الناطق", "طرابلس - بوابة الوسط", "dateline"),
    ("سكاي نيوز عربية - أبوظبي\nرحبت الأمم المتحدة", "سكاي نيوز عربية - أبوظبي", "dateline"),
    ("طرابلس - عربي21 - 8 يونيو 2020\nاندلعت معارك", "طرابلس - عربي21 - 8 يونيو 2020", "dateline"),
    (
        "KHARTOUM, Jan 14 (Reuters) - More than 200 people",
        "KHARTOUM, Jan 14 (Reuters) -",
        "dateline",
    ),
    (
        "BENGHAZI, Libya, May 18, 2020 /PRNewswire/ -- The company said",
        "BENGHAZI, Libya, May 18, 2020 /PRNewswire/ --",
        "dateline",
    ),
    ("BENGHAZI, Libya, June 6 (AP) - Forces said", "BENGHAZI, Libya, June 6 (AP) -", "dateline"),
    (
        "Alwasat - Cairo Mon 18 May 2020, 04:27 PM",
        "Alwasat - Cairo Mon 18 May 2020, 04:27 PM",
        "dateline",
    ),
    (
        "الوسط - القاهرة الإثنين 18 مايو 2020، 04:27 مساء",
        "الوسط - القاهرة الإثنين 18 مايو 2020، 04:27 مساء",
        "dateline",
    ),
    (
        "الوسط - القاهرة الإثنين 18 مايو 2020, 04:27 مساء - قُتل مدنيان في عين زارة.",
        "الوسط - القاهرة الإثنين 18 مايو 2020, 04:27 مساء -",
        "dateline",
    ),
    (
        "طرابلس - 18 مايو 2020 (رويترز) - قتل 12 شخصا",
        "طرابلس - 18 مايو 2020 (رويترز) -",
        "dateline",
    ),
    ("طرابلس 18 مايو/أيار (رويترز) - قتل 12", "طرابلس 18 مايو/أيار (رويترز) -", "dateline"),
    ("سرت (رويترز) - قتل 12 شخصا", "سرت (رويترز) -", "dateline"),
    ("لندن: «الشرق الأوسط» - قُتل ثلاثة مقاتلين", "لندن: «الشرق الأوسط» -", "dateline"),
    ("بنغازي - 6 يونيو 2020: قالت القوات", "بنغازي - 6 يونيو 2020:", "dateline"),
    (
        "طرابلس - بوابة الوسط | الإثنين 18 مايو 2020 - أعلن المجلس",
        "طرابلس - بوابة الوسط | الإثنين 18 مايو 2020 -",
        "dateline",
    ),
    (
        "أوباري - العربية.نت - 18 يونيو 2020 - التقى",
        "أوباري - العربية.نت - 18 يونيو 2020 -",
        "dateline",
    ),
    # timestamps
    ("(3:00 P.M.) - Rockets struck Mitiga airport.", "(3:00 P.M.) -", "timestamp"),
    ("Published on Monday, 18 May 2020", "Published on Monday, 18 May 2020", "timestamp"),
    ("Published: 05/18/2020 - 16:27. Leaders met.", "Published: 05/18/2020 - 16:27", "timestamp"),
    ("نُشر في 18 مايو 2020", "نُشر في 18 مايو 2020", "timestamp"),
    (
        "نشر في 17 مايو 2020 الساعة 10:05. استؤنفت المحادثات",
        "نشر في 17 مايو 2020 الساعة 10:05",
        "timestamp",
    ),
    ("Talks resumed.\n18 May 2020 14:02\nMore talks.", "18 May 2020 14:02", "timestamp"),
    # updated lines
    ("Updated: 18 May 2020 14:02 GMT", "Updated: 18 May 2020 14:02 GMT", "updated"),
    ("Last updated 18 May 2020. Rockets hit the port.", "Last updated 18 May 2020", "updated"),
    ("Updated 3:00 P.M. ET - Militias clashed in Zawiya", "Updated 3:00 P.M. ET -", "updated"),
    ("آخر تحديث: 15:00 - سقطت قذائف على المطار", "آخر تحديث: 15:00 -", "updated"),
    ("آخر تحديث: 18 مايو 2020 14:10", "آخر تحديث: 18 مايو 2020 14:10", "updated"),
    # bylines
    ("By Jane Doe and Ahmed Elumami", "By Jane Doe and Ahmed Elumami", "byline"),
    ("Rockets hit the port. By Ahmed Elumami. More later.", "By Ahmed Elumami", "byline"),
    (
        "(Reporting by Ayman al-Warfalli in Benghazi; Editing by Jane Doe)",
        "(Reporting by Ayman al-Warfalli in Benghazi; Editing by Jane Doe)",
        "byline",
    ),
    ("كتب: محمد علي - اجتمع أعيان القبائل", "كتب: محمد علي -", "byline"),
    ("بقلم محمد علي", "بقلم محمد علي", "byline"),
    # copyright
    ("© 2020 Reuters", "© 2020 Reuters", "copyright"),
    ("Copyright 2020", "Copyright 2020", "copyright"),
    (
        "Copyright 2020 The Associated Press. All rights reserved.",
        "Copyright 2020 The Associated Press. All rights reserved.",
        "copyright",
    ),
    (
        "(c) Reuters 2020. All rights reserved.",
        "(c) Reuters 2020. All rights reserved.",
        "copyright",
    ),
    ("جميع الحقوق محفوظة 2020", "جميع الحقوق محفوظة 2020", "copyright"),
    ("حقوق النشر محفوظة لبوابة الوسط", "حقوق النشر محفوظة لبوابة الوسط", "copyright"),
    # credits
    ("Photo: Smoke rises over Tripoli / AFP", "Photo: Smoke rises over Tripoli / AFP", "credit"),
    ("Smoke rises over Tripoli. (AFP Photo)", "(AFP Photo)", "credit"),
    ("A fighter in Ain Zara. REUTERS/Ismail Zitouny", "REUTERS/Ismail Zitouny", "credit"),
    ("(صورة: أرشيفية من طرابلس)", "صورة: أرشيفية من طرابلس", "credit"),
    ("Rockets over Tripoli. (Photo: Mahmud Turkia/AFP)", "Photo: Mahmud Turkia/AFP", "credit"),
    ("Photo by Jane Doe, Reuters", "Photo by Jane Doe, Reuters", "credit"),
    ("صاروخ فوق طرابلس (الصورة: أ ف ب)", "الصورة: أ ف ب", "credit"),
    ("in Gaza City in 2022. Credit: AP\nNews of", "Credit: AP", "credit"),
    ("struck in Al-Shati camp [Getty]\n", "[Getty]", "credit"),
    (
        "unloaded aid.(Photo by Ahmad Hasaballah/Getty Images) (Ahmad Hasaballah/Getty Images)",
        "(Ahmad Hasaballah/Getty Images)",
        "credit",
    ),
    # captions: a line that ends with its photo credit in brackets (seen on real coverage)
    (
        "Sinwar waves to supporters in Gaza, on Dec. 14, 2022. (Photo by R. Abdeljawad/Xinhua)",
        "Sinwar waves to supporters in Gaza, on Dec. 14, 2022.",
        "caption",
    ),
    (
        "صاروخ فوق طرابلس في 14 ديسمبر 2022 (الصورة: أ ف ب)",
        "صاروخ فوق طرابلس في 14 ديسمبر 2022",
        "caption",
    ),
    # an agency and a time stamp, the bracket lost in copying
    (
        "Xinhua) 08:11, August 07, 2024\n\nGAZA, Aug. 6",
        "Xinhua) 08:11, August 07, 2024",
        "timestamp",
    ),
    ("(رويترز) 08:11، 7 أغسطس 2024\n", "(رويترز) 08:11، 7 أغسطس 2024", "timestamp"),
]


@pytest.mark.parametrize(("text", "phrase", "kind"), EXAMPLES)
def test_metadata_is_found_with_exact_offsets(text: str, phrase: str, kind: str) -> None:
    assert (kind, phrase) in spans(text)
    span = next(s for s in metadata_spans(text) if text[s.start : s.end] == phrase)
    assert text.index(phrase) == span.start and span.kind in KINDS


def test_every_kind_is_covered_in_both_languages() -> None:
    arabic = {k for t, _p, k in EXAMPLES if any("\u0600" <= c <= "\u06ff" for c in t)}
    english = {k for t, _p, k in EXAMPLES if not any("\u0600" <= c <= "\u06ff" for c in t)}
    assert arabic == english == set(KINDS)


@pytest.mark.parametrize(
    "text",
    [  # the credit does not end the line, or there is no credit: no caption
        "(Photo: Mahmud Turkia/AFP) Fighting resumed in Sirte on May 18, 2020.",
        "Fighting resumed in Sirte on May 18, 2020, the army said (in a statement).",
        "Xinhua reported 08:11 casualties on August 07, 2024",
    ],
)
def test_no_caption_without_a_credit_that_ends_its_line(text: str) -> None:
    assert all(s.kind not in ("caption", "timestamp") for s in metadata_spans(text))


def test_a_dateline_ends_at_its_dash_and_leaves_the_sentence() -> None:
    text = "TRIPOLI, May 18 (Reuters) - Shelling on Sirte killed 12"
    assert metadata_spans(text) == [MetaSpan(0, text.index(" Shelling"), "dateline")]


def test_a_dateline_counts_only_at_the_start_of_a_paragraph() -> None:
    inside = "The agency wrote: TRIPOLI, May 18 (Reuters) - Shelling killed 12."
    assert spans(inside) == []
    second = "First paragraph.\n  TRIPOLI, May 18 (Reuters) - Shelling killed 12."
    assert spans(second) == [("dateline", "TRIPOLI, May 18 (Reuters) -")]
    assert spans("\n\nطرابلس - 18 مايو 2020 (رويترز) - قتل 12") == [
        ("dateline", "طرابلس - 18 مايو 2020 (رويترز) -")
    ]


def test_a_wire_credit_line_of_many_reporters_is_one_byline() -> None:
    text = (
        "The cause is under investigation.\n\n(Reporting by Parisa Hafezi in Dubai, Nidal"
        " al-Mughrabi, Enas Alashray and Ahmed Tolba in Cairo; Editing by Himani Sarkar and"
        " Stephen Coates)\n"
    )
    assert spans(text) == [("byline", text[text.index("(") : text.index(")") + 1])]


def test_a_head_timestamp_and_the_dateline_after_it_are_two_spans() -> None:
    text = "(3:00 P.M.) TRIPOLI (Reuters) - Rockets hit the port."
    assert spans(text) == [("timestamp", "(3:00 P.M.)"), ("dateline", "TRIPOLI (Reuters) -")]


def test_one_line_of_several_kinds() -> None:
    text = "كتب: محمد علي - نشر في 17 يونيو 2020 الساعة 09:12 - اجتمع أعيان القبائل في أوباري."
    assert spans(text) == [
        ("byline", "كتب: محمد علي -"),
        ("timestamp", "نشر في 17 يونيو 2020 الساعة 09:12 -"),
    ]
    text = "الجزيرة نت - 18/5/2020 - آخر تحديث: 14:10 - سقطت صواريخ على ميناء طرابلس."
    assert spans(text) == [
        ("dateline", "الجزيرة نت - 18/5/2020 -"),
        ("updated", "آخر تحديث: 14:10 -"),
    ]
    text = "Published 18 May 2020 12:30 GMT. By Ahmed Elumami. Rockets hit Tripoli's port."
    assert spans(text) == [
        ("timestamp", "Published 18 May 2020 12:30 GMT"),
        ("byline", "By Ahmed Elumami"),
    ]


def test_arabic_spelling_variants_keep_offsets() -> None:
    """Harakat, tatweel, hamza forms and Arabic-Indic digits: the same metadata, the offsets
    of the text as written."""
    for text, phrase in (
        ("نُشِرَ في ١٨ مايو ٢٠٢٠", "نُشِرَ في ١٨ مايو ٢٠٢٠"),
        ("اخر تحديـــث: 15:00 - سقطت قذائف", "اخر تحديـــث: 15:00 -"),
        ("أخر تحديث: 15:00 - سقطت قذائف", "أخر تحديث: 15:00 -"),
        ("جميع الحقوق محفوظه ٢٠٢٠", "جميع الحقوق محفوظه ٢٠٢٠"),
    ):
        found = metadata_spans(text)
        assert [text[s.start : s.end] for s in found] == [phrase]


def test_mixed_text_paragraphs_in_both_languages() -> None:
    text = (
        "TRIPOLI, May 18 (Reuters) - Shelling killed 12.\n"
        "طرابلس - 18 مايو 2020 (رويترز) - قتل 15 شخصا.\n"
        "(Reporting by Ahmed Elumami; Editing by Jane Doe)\n"
        "© 2020 Reuters"
    )
    kinds = [k for k, _p in spans(text)]
    assert kinds == ["dateline", "dateline", "byline", "copyright"]
    for span in metadata_spans(text):
        assert "\n" not in text[span.start : span.end]


# Ordinary news sentences with dates, times and numbers: content, never metadata.
CONTENT = [
    "Shelling on Sirte on May 18 killed 12 people, a hospital official said.",
    "The ceasefire took effect on August 21, 2020, both sides said.",
    "Police said May 18 - the day of the attack - was calm.",
    "By Monday, 12 people had died in the clashes.",
    "By Sunday evening the toll had risen to 14.",
    "By contrast, 30 people were wounded in Misrata.",
    "The ministry updated its toll on May 18 to 14 dead.",
    "Updated figures show 12 killed and 30 wounded.",
    "Published reports said 40 protesters were detained on Saturday.",
    "The report was published on 18 May 2020 by the UN mission.",
    "Copyright law was amended in 2019, officials said.",
    "The clauses (a), (b) and (c) of the 2019 agreement were suspended.",
    "Reporters saw 15 tanks west of Sirte at 10:30 a.m.",
    "Two Sirte residents told Reuters the city was quiet on Saturday.",
    "The UN mission (UNSMIL) said on May 18 that 12 people died.",
    "NATO said 3,000 troops would be sent by June 2020.",
    "NATO - the alliance - said 3,000 troops would be sent.",
    "GNA - backed forces took 3 towns.",
    "UN - led talks resumed on May 18.",
    "وقالت الوزارة - في بيان - إن 12 شخصا قتلوا.",
    "وقالت الوزارة - في بيان يوم 18 مايو 2020 - إن 12 شخصا قتلوا.",
    "Issued on May 18, the decree bans 3 militias.",
    "Published on May 18, the report said 12 people died.",
    "Posted on May 18, 2020, the video showed 12 bodies.",
    "Updated on May 18, the toll stood at 14.",
    "Photo: 12 killed in shelling on Sirte",
    "الصورة: 12 قتيلا في قصف سرت",
    "The attack on the market in Sebha took place on 3 March, the UN mission said.",
    "Photos of the attack spread on social media on May 18.",
    "The LNA launched its offensive on Tripoli in April 2019.",
    "Rockets struck Mitiga airport at 10:30 a.m., halting flights.",
    "قُتل 15 شخصاً في قصف استهدف حياً سكنياً في مدينة سرت يوم الأحد.",
    "وقع الهجوم على سوق سبها في 4 مارس/آذار 2020، بحسب بعثة الأمم المتحدة.",
    "دخل وقف إطلاق النار حيز التنفيذ في 21 أغسطس/آب 2020، بحسب الطرفين.",
    "نشرت تشاد زهاء 500 جندي على الحدود مع ليبيا في 18 مايو 2020.",
    "وافق البرلمان المصري على نشر القوات بموافقة 510 نواب.",
    "كتب المتحدث رسالة إلى البعثة في 18 مايو 2020.",
    "بدأ قصف عين زارة عند الساعة 6:20 صباحا، بحسب السكان.",
    "أكد أن حقوق الإنسان محفوظة في الدستور منذ 2011.",
    "يبدأ حظر التجول في طرابلس عند الساعة 20:00 بالتوقيت المحلي.",
    "سيطرت الميليشيا على ترهونة عام 2014، بحسب السكان.",
    "تم تحديث الحصيلة إلى 14 قتيلا.",
    "الصورة التي نشرت في 18 مايو أظهرت 12 جثة.",
]


@pytest.mark.parametrize("text", CONTENT)
def test_content_is_never_metadata(text: str) -> None:
    assert spans(text) == []


def test_the_content_set_still_holds_no_metadata_as_paragraphs_of_one_text() -> None:
    assert spans("\n".join(CONTENT)) == []


@pytest.mark.parametrize(
    "text",
    [
        # one line of 1 MB
        "a" * 1_000_000,
        "TRIPOLI " * 125_000,
        "18 May 2020, " * 80_000,
        "الوسط " * 170_000,
        # repeated heads of every kind, many newlines, control characters (200 kB)
        "(" * 200_000,
        "- " * 100_000,
        "Updated 18 May " * 14_000,
        "By Jane Doe and " * 13_000,
        "(Reporting by " + "Jane Doe in Cairo, " * 10_000,
        "كتب: " + "محمد " * 40_000,
        "\n" * 200_000,
        "© " * 100_000,
        "Photo: " * 30_000,
        "ـ" * 200_000,
        "".join(map(chr, range(32))) * 6_000,
    ],
    ids=lambda t: f"{t[:8]!r}x{len(t)}",
)
def test_hostile_input_gives_valid_spans(text: str) -> None:
    found = metadata_spans(text)
    assert all(0 <= s.start < s.end <= len(text) for s in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    assert len(found) <= 1  # none of these is metadata, save one stray head at most


def test_many_short_paragraphs_each_keep_their_dateline() -> None:
    text = "CAIRO (AP) - x\n" * 50_000 + "\x00\x1b[31mTRIPOLI, May 18 (Reuters) - y"
    found = metadata_spans(text)
    assert len(found) == 50_000
    assert {text[s.start : s.end] for s in found} == {"CAIRO (AP) -"}


def test_the_datelines_of_the_sample_articles_and_nothing_else() -> None:
    """The articles of tests/data/events (title, blank line, dateline paragraph or none, body)
    in the layouts of Reuters, AP, AFP, The National, MEE, Libya Observer, Al Jazeera,
    Alwasat, Al Arabiya, Asharq Al-Awsat, Sky News Arabia, Arabi21, Youm7."""
    folder = Path(__file__).parent / "data" / "events" / "articles"
    paths = sorted(folder.glob("*.txt"))
    assert len(paths) >= 60
    for path in paths:
        text = path.read_text(encoding="utf-8")
        found = metadata_spans(text)
        if "-aje" in path.name:  # Al Jazeera English writes no dateline
            assert found == [], path.name
            continue
        assert [s.kind for s in found] == ["dateline"], path.name
        paragraphs = text.split("\n")
        line = text.count("\n", 0, found[0].start)
        assert line > 0 and paragraphs[line].startswith(text[found[0].start : found[0].end])
