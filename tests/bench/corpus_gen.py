"""A deterministic, seeded corpus of synthetic news articles in English and Arabic.

What a caller may rely on: the same seed, size and vocabulary give byte-identical files, and
article ``n`` is the same whatever the corpus size (the 1,000 corpus is the first 1,000
articles of the 10,000 one). 70% of the articles are English and 30% Arabic; each has 300 to
1,500 words in paragraphs, drawn with replacement from real word frequencies (a Zipf
distribution), with a few "topic" words per article repeated more often (news is bursty),
names and places from the gazetteer, numbers and dates. Files are ``.txt`` (title on the first
line) with a ``NAME.toml`` sidecar giving outlet, published and lang, sharded 1,000 a folder.

Vocabulary: the ``wordfreq`` package's English and Arabic lists (top 30,000 words each, weighted
by their measured frequency) when it is installed; otherwise a built-in list of the most common
English and Arabic words plus every word of the repository's seed articles, ranked by count and
weighted 1/rank (Zipf's law). :attr:`Vocabulary.source` says which was used.
"""

from __future__ import annotations

import functools
import importlib
import itertools
import json
import random
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from reader.core.text.arabic import has_arabic, is_arabic_letter

GENERATOR_VERSION = 1
ENGLISH_SHARE = 0.7
MARKER = ".bench-corpus.json"

_REPO = Path(__file__).resolve().parent.parent.parent
_GAZETTEER = _REPO / "reader" / "core" / "names" / "gazetteer.toml"
_SEEDS = _REPO / "seeds"

# Used when reader/core/names/gazetteer.toml is absent: (English, Arabic) pairs.
BUILTIN_NAMES: tuple[tuple[str, str], ...] = (
    ("Haftar", "حفتر"),
    ("Khalifa Haftar", "خليفة حفتر"),
    ("Tripoli", "طرابلس"),
    ("Sirte", "سرت"),
    ("Benghazi", "بنغازي"),
    ("Misrata", "مصراتة"),
    ("Mismari", "المسماري"),
    ("Ahmed al-Mismari", "أحمد المسماري"),
    ("GNA", "الوفاق"),
    ("Fayez al-Sarraj", "فايز السراج"),
    ("Al-Watiya", "الوطية"),
    ("Tarhuna", "ترهونة"),
    ("Jufra", "الجفرة"),
    ("Libyan National Army", "الجيش الوطني الليبي"),
    ("Ankara", "أنقرة"),
    ("Cairo", "القاهرة"),
    ("Moscow", "موسكو"),
    ("United Nations", "الأمم المتحدة"),
    ("Stephanie Williams", "ستيفاني ويليامز"),
    ("Aguila Saleh", "عقيلة صالح"),
)

OUTLETS = {
    "en": ("Libya Observer", "Libya Herald", "Middle East Eye", "The National", "Reuters"),
    "ar": ("بوابة الوسط", "الجزيرة", "العربية", "ليبيا المستقبل", "عين ليبيا"),
}
_MONTHS_EN = "January February March April May June July August September October November December"
_MONTHS_AR = "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر"
MONTHS = {"en": _MONTHS_EN.split(), "ar": _MONTHS_AR.split()}

# Fallback vocabulary: the most common words, most frequent first (not stopword-filtered:
# running text has them).
_BUILTIN_EN_TEXT = """
the of and to a in is that for it on was with he as be by at from his are this have not
but had they an were which or has been their one said who we all there would more will
after when about government two new people also first over into than its forces city
military president country against last year years other could between where while
security minister only under some state three since may our can after before support
national officials told killed army week political attack war control including between
area international talks agreement ceasefire power oil local public during several capital
groups group region militia fighting statement according report news leader members council
spokesman troops south east west north foreign united general time back most police
"""
_BUILTIN_AR_TEXT = """
في من على أن إلى عن مع التي الذي هذا هذه بعد كان قال وقال بين خلال حيث ذلك كما قبل أو
ليبيا الليبية الليبي الحكومة القوات الجيش الوطني المدينة العاصمة الرئيس المجلس الأمم
وزير الدولة الأمن السياسي السياسية المتحدة الاتفاق وقف إطلاق النار المنطقة الشرق الغرب
الجنوب النفط الحرب المعارك قوات مليشيات الميليشيات الوفاق بيان المتحدث العسكرية العسكري
اليوم أمس الأسبوع العام مصادر محلية دولية حكومة رئيس مجلس أعلن أكد أشار وأضاف الدعم التركي
"""
_BUILTIN_EN = _BUILTIN_EN_TEXT.split()
_BUILTIN_AR = _BUILTIN_AR_TEXT.split()


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Words of each language by falling frequency, their cumulative weights, and names."""

    source: str
    words: dict[str, tuple[str, ...]]
    cum_weights: dict[str, tuple[float, ...]]
    names: dict[str, tuple[str, ...]]


@functools.cache
def load_vocabulary(top: int = 30_000, use_wordfreq: bool = True) -> Vocabulary:
    """The vocabulary from ``wordfreq`` when installed (and wanted), else the built-in
    fallback. Cached: the same arguments give the same object."""
    names = _names()
    try:
        # Imported by name: wordfreq is an optional extra, absent from a plain install.
        wordfreq: Any = importlib.import_module("wordfreq") if use_wordfreq else None
    except ImportError:
        wordfreq = None
    if wordfreq is None:
        return _fallback_vocabulary(names)
    words: dict[str, tuple[str, ...]] = {}
    weights: dict[str, tuple[float, ...]] = {}
    for lang in ("en", "ar"):
        # Numbers and symbols are added by the generator itself; keep words only.
        ranked = [w for w in wordfreq.top_n_list(lang, top) if w.replace("'", "").isalpha()]
        words[lang] = tuple(ranked)
        weights[lang] = tuple(
            itertools.accumulate(wordfreq.word_frequency(w, lang) for w in ranked)
        )
    from importlib.metadata import version

    return Vocabulary(f"wordfreq {version('wordfreq')} (top {top})", words, weights, names)


def _fallback_vocabulary(names: dict[str, tuple[str, ...]]) -> Vocabulary:
    counts = {"en": Counter[str](), "ar": Counter[str]()}
    for lang, builtin in (("en", _BUILTIN_EN), ("ar", _BUILTIN_AR)):
        # Built-in words first, so they keep the top ranks whatever the seeds hold.
        counts[lang].update({w: 1_000_000 - i for i, w in enumerate(builtin)})
    if _SEEDS.is_dir():
        for path in sorted(_SEEDS.glob("*.txt")):
            for word in re.findall(r"[^\W\d_]+", path.read_text(encoding="utf-8")):
                lang = "ar" if is_arabic_letter(word[0]) else "en"
                counts[lang][word if lang == "ar" else word.lower()] += 1
    words: dict[str, tuple[str, ...]] = {}
    weights: dict[str, tuple[float, ...]] = {}
    for lang, counter in counts.items():
        ranked = [w for w, _ in counter.most_common()]
        words[lang] = tuple(ranked)
        weights[lang] = tuple(
            itertools.accumulate(1.0 / rank for rank in range(1, len(ranked) + 1))
        )
    return Vocabulary("built-in list + seed articles, Zipf 1/rank", words, weights, names)


def _names() -> dict[str, tuple[str, ...]]:
    """Names of the gazetteer by script, or the built-in list when there is none."""
    found: dict[str, set[str]] = {"en": set(), "ar": set()}
    if _GAZETTEER.is_file():
        try:
            data = tomllib.loads(_GAZETTEER.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            data = {}
        # The gazetteer's layout is not the benchmark's business: take every short string.
        for text in _strings(data):
            if 2 <= len(text) <= 40 and not re.search(r"[=*\\\[\]{}()<>|]", text):
                lang = "ar" if has_arabic(text) else "en"
                if lang == "ar" or text[:1].isupper():
                    found[lang].add(text)
    if len(found["en"]) < 5 or len(found["ar"]) < 5:
        return {
            "en": tuple(en for en, _ in BUILTIN_NAMES),
            "ar": tuple(ar for _, ar in BUILTIN_NAMES),
        }
    return {lang: tuple(sorted(names)) for lang, names in found.items()}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@dataclass(frozen=True, slots=True)
class GeneratedArticle:
    """One synthetic article; ``name`` is its path below the corpus folder, without suffix."""

    number: int
    name: str
    lang: str
    title: str
    paragraphs: tuple[str, ...]
    outlet: str
    published: date

    def text(self) -> str:
        """The .txt file's content: title, blank line, one paragraph a line."""
        return self.title + "\n\n" + "\n".join(self.paragraphs) + "\n"

    def sidecar(self) -> str:
        """The NAME.toml sidecar's content."""
        return (
            f"outlet = {json.dumps(self.outlet, ensure_ascii=False)}\n"
            f"published = {self.published.isoformat()}\n"
            f'lang = "{self.lang}"\n'
        )


def article_name(number: int) -> str:
    """Where article ``number`` lives below the corpus folder (no suffix)."""
    return f"{number // 1000:03d}/{number:06d}"


def _rng(seed: int, number: int, salt: int = 0) -> random.Random:
    return random.Random(seed * 1_000_003 + number * 7 + salt)


def generate_article(
    vocab: Vocabulary,
    seed: int,
    number: int,
    *,
    lang: str | None = None,
    words: int | None = None,
    salt: int = 0,
) -> GeneratedArticle:
    """Article ``number`` of the corpus with this seed (``salt`` > 0 gives an edited version)."""
    rng = _rng(seed, number, salt)
    if lang is None:
        lang = "en" if rng.random() < ENGLISH_SHARE else "ar"
    else:
        rng.random()  # keep the stream aligned with the default path
    count = words if words is not None else rng.randint(300, 1500)
    population, cum = vocab.words[lang], vocab.cum_weights[lang]
    drawn = rng.choices(population, cum_weights=cum, k=count)
    # A handful of mid-frequency topic words, repeated through the article like a story's
    # keywords; they make two-word AND queries find something.
    mid = population[100 : min(len(population), 8000)] or population
    topic = rng.sample(mid, k=min(8, len(mid)))
    names = vocab.names[lang]
    out: list[str] = []
    for word in drawn:
        roll = rng.random()
        if roll < 0.015:
            word = rng.choice(names)
        elif roll < 0.025:
            word = _number(rng)
        elif roll < 0.029:
            word = _date_text(rng, lang)
        elif roll < 0.07:
            word = rng.choice(topic)
        out.append(word)
    paragraphs = tuple(_paragraphs(rng, out, lang))
    title_words = [*rng.sample(topic, k=3), rng.choice(names), *rng.choices(population[:2000], k=4)]
    rng.shuffle(title_words)
    title = " ".join(title_words)
    if lang == "en":
        title = title[:1].upper() + title[1:]
    start = date(2019, 1, 1)
    return GeneratedArticle(
        number=number,
        name=article_name(number),
        lang=lang,
        title=title,
        paragraphs=paragraphs,
        outlet=rng.choice(OUTLETS[lang]),
        published=start + timedelta(days=rng.randrange(3 * 365)),
    )


def _number(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.5:
        return str(rng.randint(2, 99))
    if kind < 0.8:
        return f"{rng.randint(100, 99_999):,}"
    return f"{rng.randint(1, 99)}.{rng.randint(0, 9)}%"


def _date_text(rng: random.Random, lang: str) -> str:
    day, month, year = rng.randint(1, 28), rng.randrange(12), rng.randint(2011, 2021)
    if lang == "en" and rng.random() < 0.3:
        return f"{year}-{month + 1:02d}-{day:02d}"
    return f"{day} {MONTHS[lang][month]} {year}"


def _paragraphs(rng: random.Random, tokens: list[str], lang: str) -> Iterator[str]:
    comma = "," if lang == "en" else "،"
    position = 0
    while position < len(tokens):
        sentences: list[str] = []
        for _ in range(rng.randint(2, 6)):
            if position >= len(tokens):
                break
            length = rng.randint(8, 28)
            chunk = tokens[position : position + length]
            position += length
            if len(chunk) > 6 and rng.random() < 0.5:
                cut = rng.randint(3, len(chunk) - 3)
                chunk[cut - 1] += comma
            sentence = " ".join(chunk)
            if lang == "en":
                sentence = sentence[:1].upper() + sentence[1:]
            sentences.append(sentence + ".")
        yield " ".join(sentences)


def write_article(folder: Path, article: GeneratedArticle) -> Path:
    """Write the article's .txt and .toml below ``folder``; return the .txt path."""
    path = folder / f"{article.name}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.with_suffix(".toml").write_text(article.sidecar(), encoding="utf-8")
    path.write_text(article.text(), encoding="utf-8")
    return path


@dataclass(frozen=True, slots=True)
class CorpusInfo:
    """What :func:`ensure_corpus` found or wrote."""

    folder: Path
    articles: int
    words: int
    bytes: int
    reused: bool


def _marker(vocab: Vocabulary, seed: int, size: int) -> dict[str, Any]:
    return {
        "generator": GENERATOR_VERSION,
        "seed": seed,
        "size": size,
        "vocabulary": vocab.source,
    }


def ensure_corpus(folder: Path, vocab: Vocabulary, seed: int, size: int) -> CorpusInfo:
    """Make ``folder`` hold exactly the corpus (seed, size); reuse it when it already does.

    A marker file records what was generated and whether it is clean; a run interrupted while
    files were edited leaves it marked dirty, and the next call regenerates everything.
    """
    marker_path = folder / MARKER
    wanted = _marker(vocab, seed, size)
    try:
        marker = json.loads(marker_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        marker = None
    if isinstance(marker, dict) and marker.get("state") == "clean":
        stats = marker.get("stats", {})
        if {k: marker.get(k) for k in wanted} == wanted and isinstance(stats, dict):
            return CorpusInfo(
                folder, size, int(stats.get("words", 0)), int(stats.get("bytes", 0)), True
            )
    if folder.exists():
        for old in folder.rglob("*"):
            if old.is_file() and old.suffix in (".txt", ".toml"):
                old.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    words = size_bytes = 0
    for number in range(size):
        article = generate_article(vocab, seed, number)
        path = write_article(folder, article)
        words += sum(len(p.split()) for p in article.paragraphs)
        size_bytes += path.stat().st_size
    stats = {"words": words, "bytes": size_bytes}
    marker_path.write_text(json.dumps({**wanted, "state": "clean", "stats": stats}), "utf-8")
    return CorpusInfo(folder, size, words, size_bytes, False)


def edit_articles(
    folder: Path, vocab: Vocabulary, seed: int, size: int, round_: int, share: float = 0.01
) -> list[Path]:
    """Rewrite ``share`` of the corpus's articles with new text (a different set each round).

    Marks the corpus dirty until :func:`restore_articles` puts the originals back.
    """
    marker_path = folder / MARKER
    marker = json.loads(marker_path.read_text(encoding="utf-8"))
    marker["state"] = "dirty"
    marker_path.write_text(json.dumps(marker), "utf-8")
    count = max(1, round(size * share))
    numbers = _rng(seed, size, 1000 + round_).sample(range(size), k=count)
    paths = []
    for number in sorted(numbers):
        original = generate_article(vocab, seed, number)
        edited = generate_article(vocab, seed, number, lang=original.lang, salt=1 + round_)
        paths.append(write_article(folder, edited))
    return paths


def restore_articles(folder: Path, vocab: Vocabulary, seed: int, paths: Iterable[Path]) -> None:
    """Write the original text of edited articles back and mark the corpus clean."""
    for path in paths:
        number = int(path.stem)
        write_article(folder, generate_article(vocab, seed, number))
    marker_path = folder / MARKER
    marker = json.loads(marker_path.read_text(encoding="utf-8"))
    marker["state"] = "clean"
    marker_path.write_text(json.dumps(marker), "utf-8")
