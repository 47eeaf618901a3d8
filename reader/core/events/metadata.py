"""Publication metadata in news text, English and Arabic: what an outlet writes about the story
(where and when it was filed, by whom, when the page was updated, whose photo, whose copyright),
as opposed to what the story says. Its dates and numbers are not facts of the event.

:func:`metadata_spans` finds them; :func:`content_facts` is the one call the comparison makes
to keep only the facts of the content (and to turn "six years ago" into a date).

Kinds of span:

``dateline``   only at the start of the text or of a paragraph, ending within 160 characters
               of it: "TRIPOLI, May 18 (Reuters) -", "CAIRO (AP) —", "LONDON -", "BENGHAZI,
               Libya, May 18, 2020 /PRNewswire/ --", "Alwasat - Cairo Mon 18 May 2020, 04:27
               PM", "الوسط - القاهرة الإثنين 18 مايو 2020، 04:27 مساء", "طرابلس - 18 مايو 2020
               (رويترز) -", "لندن: «الشرق الأوسط» -", a paragraph "طرابلس - بوابة الوسط"
``timestamp``  "(3:00 P.M.)" at the head of a paragraph, a paragraph that is only a date and a
               time, "Published on Monday, 18 May 2020", "نُشر في 18 مايو 2020"
``updated``    "Updated: 18 May 2020 14:02 GMT", "Last updated ...", "آخر تحديث: ..."
``byline``     "By Jane Doe and Ahmed Elumami", "Reporting by ...; Editing by ...", "كتب: ..."
``copyright``  "© 2020 Reuters", "Copyright 2020 The Associated Press. All rights reserved.",
               "جميع الحقوق محفوظة 2020"
``credit``     "Photo: ... / AFP", "Photo: Reuters", "(AFP Photo)", "REUTERS/Ismail Zitouny",
               "(صورة: أ ف ب)" - a caption only with its credit
``caption``    a line that ends with its photo credit in brackets: "Yahya Sinwar waves to
               supporters ... on Dec. 14, 2022. (Photo by Rizek Abdeljawad/Xinhua)"; the day a
               photo was taken is not the day of the event

Callers may rely on: offsets are code points into the text given (``text[start:end]`` is the
metadata, starting at its first visible character; a separator dash that closes it is part of
it, the space after is not); spans are sorted and do not overlap; ``timestamp``, ``updated``,
``byline``, ``copyright`` and ``credit`` are found anywhere but only as a whole line or sentence
(after the start of a line, a sentence end, a separator dash or "(") and only holding what such
a line holds (a date, a time, names) and ending as a line does - "The ministry updated its toll
on May 18", "Published on May 18, the report said" and "Shelling on Sirte on May 18 killed 12"
give none; a dateline never covers the sentence after its dash. Time is linear in the text
(bounded repetitions only). Known limit: an Arabic paragraph that opens "الجيش - 18 مايو 2020 -"
(a subject, a date between dashes) reads as a dateline: no gazetteer tells a place from a noun.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from reader.core.events.facts import Fact
from reader.core.events.metatext import (
    AR_WORD,
    DATE,
    GAP,
    SEP,
    TIME,
    WEEKDAY,
    B,
    E,
    arabic,
    shadow,
)
from reader.core.events.relative_dates import RelativeDate, relative_dates

__all__ = ["KINDS", "MetaSpan", "RelativeDate", "content_facts", "metadata_spans", "relative_dates"]

KINDS = ("dateline", "byline", "timestamp", "updated", "copyright", "credit", "caption")


@dataclass(frozen=True, slots=True)
class MetaSpan:
    """``text[start:end]`` is publication metadata of ``kind`` (one of :data:`KINDS`)."""

    start: int
    end: int
    kind: str


# --- datelines (the start of a paragraph) ------------------------------------------------------

_LINE = r"(?m:^)[ \t]*"
_HEAD_TIME = rf"(?P<ts>\([ \t]*{TIME}[ \t]*\)(?:{SEP})?)?[ \t]*"
_CAPS = r"(?:[A-Z](?:[A-Z'’.]|[-/](?=[A-Z]))+)"  # TRIPOLI, N'DJAMENA, AL-BAYDA, TRIPOLI/CAIRO
_TITLE = r"(?:(?:al|el|ad|as|ash|at|az|ar|an)-)?[A-Z][\w'’.&-]*"
# A word of a place or an outlet: not a particle that opens a clause ("- في بيان يوم ...");
# على is left out: folded it is علي, the name Ali
_PARTICLE = arabic(
    r"(?:في|من|الي|عن|ان|قد|لا|ما|لم|لن|بعد|قبل|منذ|حتي|خلال|اثناء|بين|الذي|التي|هذا|هذه"
    r"|وفي|ومن|وقد|كما|حيث|اذ|اذا)"
)
_AR_ANY_WORD = AR_WORD
_AR_WORD = rf"(?!{_PARTICLE}{E}){_AR_ANY_WORD}"
_AR_NAME = rf"{_AR_WORD}(?:\.{_AR_WORD}|\d{{1,3}})?"  # العربية.نت, عربي21
_AR_HEAD = rf"(?:{_AR_NAME}(?:[ \t]+{_AR_NAME}){{0,2}})"
_AR_END = rf"(?P<sep>{SEP}|[ \t]*:(?=\s))?"
_QUOTED = r"(?:«[^»\n]{1,30}»|\"[^\"\n]{1,30}\")"
_AGENCY = (
    r"(?:\([ \t]*[^()\n\d:]{1,30}?[ \t]*\)"
    r"|/[ \t]*(?i:prnewswire|globe ?newswire|business ?wire|marketwired|accesswire)[^/\n]{0,20}/)"
)
_DATE_PART = rf"(?:{WEEKDAY}{GAP})?(?P<date>{DATE})(?:{GAP}(?:(?i:at)[ \t]+)?{TIME})?"
# "CAIRO (Reuters) -Hamas leader ...": after an agency's bracket a dash may touch the next word
_END = rf"(?P<sep>{SEP}|(?<=[)/])[ \t]*(?:--|[-–—])(?=\w))?"
_PLACE = rf"{_CAPS}(?:[ \t]+{_CAPS}){{0,3}}(?:,[ \t]*{_TITLE}(?:[ \t]+{_TITLE}){{0,2}})?"
_AR_DAY = arabic("(?:يوم[ \t]+)?")
_DATELINES = tuple(
    (re.compile(_LINE + _HEAD_TIME + pattern), needs)
    for pattern, needs in (
        # TRIPOLI, Libya, May 18, 2020 (Reuters) -   KHARTOUM, Jan 14 -
        (rf"{_PLACE},?[ \t]*{_DATE_PART}[ \t]*(?P<agency>{_AGENCY})?{_END}", "closed"),
        # CAIRO (AP) —
        (rf"{_PLACE}[ \t]*(?P<agency>{_AGENCY}){_END}", ""),
        # CAIRO —   ABU DHABI -  (five capitals or two words: not "UN -", "GNA -")
        (
            rf"(?=[A-Z][A-Z'’./-]{{4}}|[A-Z]{{2,}}[ \t]+[A-Z]{{2}})"
            rf"{_CAPS}(?:[ \t]+{_CAPS}){{0,3}}(?P<sep>{SEP})(?=\s)",
            "",
        ),
        # Alwasat - Cairo Mon 18 May 2020, 04:27 PM
        (
            rf"{_TITLE}(?:[ \t]+{_TITLE}){{0,2}}{SEP}[ \t]*"
            rf"(?:{_TITLE}(?:[ \t]+{_TITLE}){{0,2}}{GAP})??{_DATE_PART}[ \t]*"
            rf"(?P<agency>{_AGENCY})?{_END}",
            "closed",
        ),
        # الوسط - القاهرة الإثنين 18 مايو 2020، 04:27 مساء   طرابلس - 18 مايو 2020 (رويترز) -
        # طرابلس - بوابة الوسط | الإثنين 18 مايو 2020 -   أوباري - العربية.نت - 18 يونيو 2020 -
        (
            rf"{_AR_HEAD}{SEP}[ \t]*(?:{_AR_HEAD}(?:{SEP}[ \t]*|{GAP}))??{_AR_DAY}{_DATE_PART}"
            rf"[ \t]*(?P<agency>{_AGENCY})?{_AR_END}",
            "closed",
        ),
        # طرابلس، 18 مايو 2020 (رويترز) -
        (rf"{_AR_HEAD}{GAP}{_AR_DAY}{_DATE_PART}[ \t]*(?P<agency>{_AGENCY})(?P<sep>{SEP})", ""),
        # a paragraph of its own: طرابلس - بوابة الوسط   سكاي نيوز عربية - أبوظبي
        (rf"{_AR_HEAD}{SEP}[ \t]*{_AR_HEAD}(?P<sep>)(?=[ \t]*(?:\n|$))", ""),
        # طرابلس (رويترز) -   لندن: «الشرق الأوسط» -
        (rf"{_AR_HEAD}[ \t]*(?P<agency>{_AGENCY}|:[ \t]*{_QUOTED})(?P<sep>{SEP})", ""),
    )
)
_HEAD_STAMP = re.compile(_LINE + rf"\([ \t]*{TIME}[ \t]*\)(?:{SEP})?")
_REACH = 160  # a dateline ends within this many characters of its paragraph's start


def _datelines(folded: str) -> Iterable[MetaSpan]:
    yield from _whole(_HEAD_STAMP, folded, "timestamp")
    for pattern, needs in _DATELINES:
        for match in pattern.finditer(folded):
            groups = match.groupdict()
            closed = groups.get("agency") or groups.get("sep")
            if needs == "closed" and not closed and not _line_ends(folded, match.end()):
                continue  # "Police said May 18 ..." is not a dateline: nothing closes it
            start = match.end("ts") if groups["ts"] else match.start()
            while folded[start] in " \t":
                start += 1
            if match.end() - _line_start(folded, start) <= _REACH:
                yield MetaSpan(start, match.end(), "dateline")


def _line_start(folded: str, offset: int) -> int:
    return folded.rfind("\n", 0, offset) + 1


def _line_ends(folded: str, offset: int) -> bool:
    rest = folded[offset : offset + 200].lstrip(" \t")
    return not rest or rest[0] == "\n"


# --- lines found anywhere ----------------------------------------------------------------------


def _first(letters: str) -> str:
    """A look-ahead at the letters a pattern may start with, so most offsets fail at once."""
    return rf"(?=[ \t]*[{re.escape(letters)}])"


# Where a metadata line may start: a line start, after a sentence end, a separator or "(".
_START = r"(?:(?m:^)|(?<=[.!?؟;:|]\s)|(?<=\s[-–—|]\s)|(?<=[-–—]\s)|(?<=\())[ \t]*"
# How a metadata line ends: a separator dash (kept) or, next, the end of the line or of a
# sentence or a ")".
_STOP = rf"(?:{SEP}(?=\s|$)|(?=[ \t]*(?:$|\n|[.;|)](?:\s|$))))"
_AT = r"(?:(?i:at|on)" + arabic("|الساعه|يوم|في") + ")" + E
_STAMP = (
    rf"(?:(?:{WEEKDAY}|{DATE}|{TIME}|{_AT}){GAP}){{0,4}}(?:{DATE}|{TIME})"
    rf"(?:(?:{GAP}(?:{_AT})?|{SEP}){GAP}{TIME})?"
)
_ON = r"(?:[ \t]+(?:(?i:on|at)" + arabic("|في|بتاريخ|يوم") + ")" + E + ")?"
_UPDATED = re.compile(
    _first("LlMmUuاتم")
    + _START
    + r"(?P<kw>(?i:(?:last[ \t]+)?updated|last[ \t]+modified|modified)"
    + arabic(r"|اخر[ \t]+تحديث|تاريخ[ \t]+التحديث|تم[ \t]+التحديث|محدث)")
    + rf"{_ON}[ \t]*:?[ \t]*{_STAMP}{_STOP}"
)
_PUBLISHED = re.compile(
    _first("FfPpتن")
    + _START
    + r"(?P<kw>(?i:(?:first[ \t]+)?published|posted)"
    + arabic(r"|تاريخ[ \t]+النشر|تم[ \t]+النشر|نشرت|نشر)")
    + rf"{_ON}[ \t]*:?[ \t]*{_STAMP}{_STOP}"
)
_ALONE = re.compile(
    rf"{_LINE}(?:{WEEKDAY}{GAP})?{DATE}(?:{GAP}(?:(?i:at)[ \t]+)?{TIME})?"
    rf"[ \t]*(?=\n|$)",
    re.M,
)
_NOT_NAMES = (
    r"(?!(?:The|This|That|Then|Now|Noon|Midnight|Late|Early|Far|Contrast|Comparison|Mid"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May"
    r"|June|July|August|September|October|November|December|Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b)"
)
_NAME = rf"(?:{_NOT_NAMES}{_TITLE}(?:[ \t]+(?:bin|ibn|de|van|von|al|el)?[ \t]*{_TITLE}){{0,3}})"
_NAMES = rf"{_NAME}(?:(?:[ \t]*,[ \t]*|[ \t]+and[ \t]+|[ \t]*&[ \t]*){_NAME}){{0,5}}"
_IN_PLACE = rf"(?:[ \t]+in[ \t]+{_TITLE}(?:[ \t]+{_TITLE}){{0,2}})?"
_NAME_SEP = r"(?:[ \t]*,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+|[ \t]*&[ \t]*)"
_CREDIT_SEGMENT = (
    r"(?:(?i:additional[ \t]+)?(?:Reporting|Writing|Editing|Edited|Compiled|Translated|Produced"
    r"|Graphics|Research|Additional reporting)[ \t]+by[ \t]+"
    # Parisa Hafezi in Dubai, Nidal al-Mughrabi, Enas Alashray and Ahmed Tolba in Cairo
    + rf"{_NAME}{_IN_PLACE}(?:{_NAME_SEP}{_NAME}{_IN_PLACE}){{0,9}})"
)
_CREDIT_SEGMENTS = rf"{_CREDIT_SEGMENT}(?:[ \t]*[;,][ \t]*{_CREDIT_SEGMENT}){{0,4}}"
_AR_BY = arabic(r"(?:كتب|كتبت|كتبه|بقلم|اعداد|تحرير|متابعه|ترجمه|تقرير|مراسل|مراسله)")
_BYLINES = re.compile(
    _START
    + rf"(?:(?:By|BY)[ \t]+{_NAMES}(?:[ \t]*,[ \t]*{_TITLE}(?:[ \t]+{_TITLE}){{0,3}})?"
    + rf"|\({_CREDIT_SEGMENTS}\)|{_CREDIT_SEGMENTS}"
    + rf"|{_AR_BY}[ \t]*:[ \t]*{_AR_WORD}(?:[ \t]+{_AR_WORD}){{0,4}}"
    + rf"|{arabic('بقلم')}[ \t]+{_AR_WORD}(?:[ \t]+{_AR_WORD}){{0,3}}){_STOP}"
)
_COPYRIGHT = re.compile(
    r"(?:©|\([cC]\)(?=[ \t]*(?:[A-Z][\w.&'-]*,?[ \t]+){0,4}(?:19|20)\d\d(?!\d))"
    r"|(?<!\w)(?i:copyright)(?=[ \t]*(?:©|\([cC]\)|(?:19|20)\d\d(?!\d))))"
    r"[^\n©]{0,120}?(?:\.(?=\s|$)|(?=\n|$)|(?=[ \t]*(?i:all rights reserved)))"
    r"(?:[ \t]*(?i:all rights reserved)\.?)?"
    + r"|"
    + _START
    + r"(?i:all rights reserved)\.?"
    + r"|"
    + arabic(
        r"(?:(?:جميع|كافه)[ \t]+)?(?:ال)?حقوق(?:[ \t]+(?:الطبع|النشر|الملكيه))?"
        r"(?:[ \t]+و[ \t]*(?:النشر|التوزيع))?[ \t]+محفوظه"
    )
    + r"(?:[^\n.]{0,60}?(?=[.\n]|$))?"
)
_AGENCY_NAMES = (
    r"(?:AFP|Reuters|REUTERS|AP|EPA|EPA-EFE|Getty(?: Images)?|Anadolu(?: Agency)?|Xinhua|ANSA"
    r"|DPA|dpa|AA|SANA|WAM|SPA|MENA|LANA|Libya Observer|Libya Herald)"
)
_AGENCY_PHOTO = (
    rf"{_AGENCY_NAMES}[ \t]+(?i:photos?|pictures?|images?|video){E}(?:[ \t]*/[ \t]*{_NAME})?"
)
# A line that is only a source in brackets and a time stamp: "(Xinhua) 08:11, August 07, 2024",
# "(رويترز) 08:11، 7 أغسطس 2024" (the opening bracket may be lost when the page was copied).
_AGENCY_STAMP = re.compile(
    rf"{_LINE}\(?[^()\n\d:]{{1,30}}?\)[ \t]*(?:{SEP}[ \t]*)?{_STAMP}[ \t]*(?=\n|$)", re.M
)
_CREDIT_NAMES = rf"{_NAME}(?:[ \t]*[,/][ \t]*{_NAME}){{0,2}}"
_CREDITS = re.compile(
    _first("(AaCcDEeFfGgIiLMPpRrSVvWX[اتصم") + rf"(?:{_START}|(?<=\())(?:"
    r"(?i:(?:(?:file[ \t]+)?(?:photo|picture|image|photograph|video|graphic)s?"
    r"(?:[ \t]+(?:by|credit|courtesy(?:[ \t]+of)?))?|credit)[ \t]*:?)"
    r"(?<=[:y])"  # "Photo:", "Photo by", "Credit:"
    # a caption that ends with its credit ("... / AFP"), or only the credit ("Photo: Reuters")
    + rf"[ \t]*(?:[^\n:]{{1,150}}?/[ \t]*{_CREDIT_NAMES}|{_CREDIT_NAMES})(?=[ \t]*(?:[.)]|$))"
    + r"|"
    + arabic(r"(?:ال)?(?:صوره|تصوير|مصدر[ \t]+الصوره)(?:[ \t]+(?:ارشيفيه|من|ل))?[ \t]*:")
    + rf"[ \t]*{_AR_ANY_WORD}(?:[ \t]*[ /.][ \t]*{_AR_ANY_WORD}){{0,5}}"
    + r"(?=[ \t]*(?:\)|$|\n|\.\s))"
    + r")"
    + rf"|\({_AGENCY_PHOTO}\)|{_AGENCY_PHOTO}"
    + rf"|\({_NAME}[ \t]*/[ \t]*{_AGENCY_NAMES}\)"  # (Ahmad Hasaballah/Getty Images)
    + rf"|{B}(?:REUTERS|AFP|AP|EPA|EPA-EFE|AA)/[ \t]*{_NAME}"
    + rf"|\[{_AGENCY_NAMES}(?:[ \t]*[/,][ \t]*{_NAME})?\]"  # "... refugee camp [Getty]"
    + r"|"
    + arabic(r"\((?:ال)?صوره[ \t]+ارشيفيه[^()\n]{0,60}\)"),
    re.M,
)


def _whole(pattern: re.Pattern[str], folded: str, kind: str) -> Iterable[MetaSpan]:
    for match in pattern.finditer(folded):
        start = match.start() + len(match.group()) - len(match.group().lstrip())
        if match.end() > start:
            yield MetaSpan(start, match.end(), kind)


_CLOSES_LINE = re.compile(r"[ \t]*\)?[ \t]*\.?[ \t]*(?=\n|$)")


def _captions(folded: str, credits: Iterable[MetaSpan]) -> Iterable[MetaSpan]:
    """The captions: the text of a line before a photo credit in brackets that ends it."""
    for credit in credits:
        opened = folded.rfind("(", max(0, credit.start - 1), credit.start + 1)
        if opened < 0 or not _CLOSES_LINE.match(folded, credit.end):
            continue
        start = _line_start(folded, opened)
        while start < opened and folded[start] in " \t":
            start += 1
        end = opened
        while end > start and folded[end - 1] in " \t":
            end -= 1
        if start < end:
            yield MetaSpan(start, end, "caption")


def metadata_spans(text: str) -> list[MetaSpan]:
    """The spans of ``text`` (either language, or mixed) that are publication metadata, sorted
    by start; where two would overlap the earlier (then the longer) one is kept."""
    folded = shadow(text)
    found: list[MetaSpan] = [*_datelines(folded)]
    found += _whole(_UPDATED, folded, "updated")
    found += _whole(_PUBLISHED, folded, "timestamp")
    found += _whole(_ALONE, folded, "timestamp")
    found += _whole(_BYLINES, folded, "byline")
    found += _whole(_COPYRIGHT, folded, "copyright")
    found += _whole(_AGENCY_STAMP, folded, "timestamp")
    credits = list(_whole(_CREDITS, folded, "credit"))
    found += credits
    found += _captions(folded, credits)
    found.sort(key=lambda s: (s.start, -s.end))
    kept: list[MetaSpan] = []
    for span in found:
        if span.end > span.start and (not kept or span.start >= kept[-1].end):
            kept.append(span)
    return kept


# --- the facts of the content --------------------------------------------------------------------


_SPEECH_AFTER = re.compile(
    r"(?:[ \t]+(?:in|from|of)[ \t]+[A-Z][\w'-]*)?[ \t]*,?[ \t]*(?i:said|say|says|told|reported"
    r"|confirmed|described|recounted|quoted)" + E
)
_SPEECH_BEFORE = re.compile(
    arabic(r"(?:قال|قالت|افاد|افادت|ذكر|ذكرت|اكد|اكدت|روي|ابلغ|اخبر|بحسب|وفق|حسب)")
    + r"[ \t]+(?:"
    + arabic("ل")
    + r")?$"
)


def _a_count_of_sources(folded: str, fact: Fact) -> bool:
    """ "Two Sirte residents told Reuters", "قال ثلاثة شهود": how many people the story quotes,
    not a figure of the event."""
    if fact.kind != "count":
        return False
    return bool(
        _SPEECH_AFTER.match(folded, fact.end)
        or _SPEECH_BEFORE.search(folded, max(0, fact.start - 12), fact.start)
    )


def content_facts(
    text: str,
    facts: Iterable[Fact],
    published: date | None,
    *,
    add_relative: bool = True,
    spans: Sequence[MetaSpan] | None = None,
) -> list[Fact]:
    """``facts`` (found in ``text``, e.g. by :func:`reader.core.events.facts.find_facts`) as
    the comparison should see them:

    - a fact that overlaps a metadata span (:func:`metadata_spans`) is dropped;
    - a count of the people a story quotes ("two residents said", "told Reuters", قال ثلاثة
      شهود) is dropped: the number of sources is not a figure of the event;
    - a fact that overlaps a relative date (:func:`relative_dates`: the "six years" of "six years
      ago", the "6" of "قبل 6 سنوات") is replaced by one date fact for the whole expression,
      labelled with the date it resolves to against ``published`` - or dropped when it does not
      resolve (no publication date, "more than six years ago");
    - with ``add_relative`` (the default), every other relative date that resolves ("yesterday",
      "on Sunday", أمس) becomes a date fact of its own too.

    A date fact made here has ``text`` = the expression and ``label`` = the resolved date
    ("2020-05-17", "2020-05", "2014"), as a written-out date would. Sorted by start; facts do not
    overlap (as :func:`reader.core.events.facts.find_facts` promises). ``spans``: the text's
    :func:`metadata_spans` when the caller has them already.
    """
    folded = shadow(text)
    found = metadata_spans(text) if spans is None else spans
    meta = _Spans([(s.start, s.end) for s in found])
    relatives = relative_dates(text, published)
    relative_spans = _Spans([(r.start, r.end) for r in relatives])
    kept: list[Fact] = []
    replaced: set[int] = set()
    for fact in facts:
        if meta.hit(fact.start, fact.end) is not None:
            continue
        inside = relative_spans.hit(fact.start, fact.end)
        if inside is not None:
            replaced.add(inside)  # by the expression's own date below, if it resolves
        elif not _a_count_of_sources(folded, fact):
            kept.append(fact)
    for index, relative in enumerate(relatives):
        if relative.label is None or not (add_relative or index in replaced):
            continue
        if meta.hit(relative.start, relative.end) is None:
            kept.append(_date_fact(text, relative))
    kept.sort(key=lambda f: (f.start, f.end))
    return kept


class _Spans:
    """Sorted spans that do not overlap, asked which one a range overlaps (in log time)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self._spans = spans
        self._starts = [start for start, _end in spans]

    def hit(self, start: int, end: int) -> int | None:
        """The index of the span that overlaps ``start..end`` (the last such), or None."""
        index = bisect_left(self._starts, end) - 1
        if index >= 0 and self._spans[index][1] > start:
            return index
        return None


def _date_fact(text: str, relative: RelativeDate) -> Fact:
    start, end, label = relative.start, relative.end, relative.label or ""
    return Fact("date", 0.0, "date", 0.0, 0.0, start, end, text[start:end], label)
