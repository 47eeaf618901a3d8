"""From one logical paragraph to display clusters (shaping, marks, widths, levels) and rows.

Internal to :mod:`reader.core.text.layout` (use that module's API). What it guarantees:

- A paragraph becomes a list of *clusters* in logical order. Each cluster is what one piece of
  the screen shows: a base character (Arabic in its presentation form, or a lam-alef
  ligature standing for two letters) followed by the combining marks that logically follow it
  in its word (kept harakat included). Clusters partition the paragraph: cluster ``i`` covers
  the characters ``starts[i]..starts[i+1]``, including characters next to it that are not
  drawn (bidi controls, zero-width characters, dropped harakat); ``drawn`` says which are.
- A mark with no base before it in its word is drawn on a dotted circle (U+25CC). A zero-width
  joiner is not drawn and does not join. Each whitespace character is one cluster of its
  width (a tab is one cell).
- Arabic is shaped with arabic-reshaper (lam-alef ligatures on, the ALLAH ligature off, tatweel
  kept), one call for all new words. Marks and ZWJ are taken out before the reshaper sees a
  word and put back after their base: the reshaper treats harakat as transparent, so the
  shapes are its own (``delete_harakat`` is thus always on there; the engine drops or keeps).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import add

from arabic_reshaper import ArabicReshaper
from arabic_reshaper.arabic_reshaper import HARAKAT_RE
from arabic_reshaper.letters import FINAL, INITIAL, ISOLATED, MEDIAL
from arabic_reshaper.ligatures import LIGATURES

from reader.core.text import bidi
from reader.core.text.cells import cell_len, char_width
from reader.core.text.charkinds import CLASS, KIND, STRIP, ZWJ, char_codes, char_kinds

__all__ = ["Paragraph", "clear_caches", "prepare_paragraphs"]

_LIGATURES_ON = (
    "ARABIC LIGATURE LAM WITH ALEF",
    "ARABIC LIGATURE LAM WITH ALEF WITH HAMZA ABOVE",
    "ARABIC LIGATURE LAM WITH ALEF WITH HAMZA BELOW",
    "ARABIC LIGATURE LAM WITH ALEF WITH MADDA ABOVE",
)
RESHAPER = ArabicReshaper(
    configuration={
        "delete_harakat": True,
        "delete_tatweel": False,
        "support_ligatures": True,
        "ARABIC LIGATURE ALLAH": False,
        **dict.fromkeys(_LIGATURES_ON, True),
    }
)
_LETTERS: dict[str, tuple[str, str, str, str]] = RESHAPER.letters
_JOINS_BEFORE = frozenset(c for c, f in _LETTERS.items() if f[FINAL] or f[MEDIAL])
_JOINS_BOTH = frozenset(c for c, f in _LETTERS.items() if f[MEDIAL])
# The ligatures RESHAPER is configured for (reading its pattern builds the table of forms).
_LIGATURE_WORD_RE: re.Pattern[str] = RESHAPER._ligatures_re
_LIGATURE_FORMS: dict[int, tuple[str, str, str, str]] = RESHAPER._re_group_index_to_ligature_forms
# For reshape_words: each letter as a byte saying how it joins (1 on both sides, 2 only the
# letter before it), then those bytes as 1 where a letter joins on both sides (_BOTH) and 1
# where it joins the letter before (_BEFORE); a letter with its form's code (0 isolated, 1
# initial: joins the letter after alone, 2 final: the one before alone, 3 medial) -> glyph.
_JOINING = str.maketrans(
    {"\x01": "?", "\x02": "?"}
    | dict.fromkeys(_JOINS_BEFORE, "\x02")
    | dict.fromkeys(_JOINS_BOTH, "\x01")
)
_BOTH = bytes(int(b == 1) for b in range(256))
_BEFORE = bytes(int(b in (1, 2)) for b in range(256))
_CODES = bytes(48 + b if b < 4 else 48 for b in range(256))  # 0..3 -> "0".."3"
_BY_CODE = (ISOLATED, INITIAL, FINAL, MEDIAL)
_FORMS = {
    f"{char}{code}": forms[form]
    for char, forms in _LETTERS.items()
    for code, form in enumerate(_BY_CODE)
}
_HARD = re.compile(f"{HARAKAT_RE.pattern}|\u200d")  # words left to the reshaper itself
_LAM = "\u0644"
_LAM_ALEF = frozenset(
    form for name, (_, forms) in LIGATURES if name in _LIGATURES_ON for form in forms if form
)
_LIGATURE_RE = re.compile("[" + "".join(sorted(_LAM_ALEF)) + "]")
_MIRROR_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(bidi.MIRRORED)) + "]")
_CIRCLE = "\u25cc"
_SPECIAL_RE = re.compile("[hmbzWvt]")  # characters the bulk path cannot do
_BREAK_RE = re.compile("[wvt]")
_STRIPPED_KINDS = re.compile("[hmz]")  # the kinds of the characters STRIP takes out
Clusters = tuple[
    tuple[str, ...], tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[int, ...]
]
_WORDS: dict[tuple[str, bool, bool], Clusters] = {}
_SHAPED: dict[str, str] = {}  # word -> reshaper output for it (marks and ZWJ taken out)
_CACHE_LIMIT = 50_000  # words kept per cache: a word with marks costs about 1 KB (clusters)


def _clusters(word: str, kinds: str, shaped: str | None, keep: bool) -> Clusters:
    """Clusters of one word: (texts, widths, lengths, base positions, mirrorable indices).

    Should the reshaper's output ever not line up with the word, the word is left unshaped.
    """
    try:
        return _align(word, kinds, shaped, keep)
    except IndexError:  # pragma: no cover - the reshaper keeps one glyph per letter
        return _align(word, kinds, None, keep)


def _align(word: str, kinds: str, shaped: str | None, keep: bool) -> Clusters:
    texts: list[str] = []
    lengths: list[int] = []
    bases: list[int] = []
    lead = 0  # undrawn characters before the first cluster
    j = 0  # position in ``shaped``
    ligature = False
    for char, kind in zip(word, kinds, strict=True):
        if kind in "bz" or (kind == "h" and not keep):
            if shaped is not None and char != ZWJ and kind != "h":
                j += 1  # the reshaper saw it (it breaks joining) but it is not drawn
            if texts:
                lengths[-1] += 1
            else:
                lead += 1
        elif kind in "hm":
            if texts:
                texts[-1] += char
                lengths[-1] += 1
            else:
                texts.append(_CIRCLE + char)
                lengths.append(lead + 1)
                bases.append(lead)
                lead = 0
        elif ligature:  # the alef of a lam-alef: part of the lam's cluster
            lengths[-1] += 1
            ligature = False
        else:
            out = char
            if shaped is not None:
                out = shaped[j]
                j += 1
                ligature = out in _LAM_ALEF and char == _LAM
            texts.append(out)
            lengths.append(lead + 1)
            bases.append(lead)
            lead = 0
    if shaped is not None and j != len(shaped):
        raise IndexError("the reshaper's output does not line up with the word")
    widths = tuple(map(cell_len, texts))
    mirror = tuple(i for i, text in enumerate(texts) if text in bidi.MIRRORED)
    return tuple(texts), widths, tuple(lengths), tuple(bases), mirror


def reshape_word(word: str) -> str:
    """``RESHAPER.reshape(word)``, the same string (see :func:`reshape_words`)."""
    return reshape_words([word])[0]


def reshape_words(words: Sequence[str]) -> list[str]:
    """``RESHAPER.reshape(w)`` for each of ``words`` (none holding U+0020), the same strings,
    with the reshaper's per-letter work done by a few passes in C over all the words at once
    (its loop matches a regex and reads its configuration for each letter). A word with a
    haraka or a zero-width joiner goes to the reshaper itself.

    Two letters next to each other join when the first joins on both sides and the second
    joins the letter before it; a letter's form follows from whether it joins the letter
    before and the one after (:func:`_form_codes`). That is the reshaper's rule because every
    letter it knows that joins the letter after it also joins the one before
    (``test_shaping_words`` checks it)."""
    out = list(words)
    easy = [i for i, word in enumerate(words) if not _HARD.search(word)]
    for i in set(range(len(words))).difference(easy):
        out[i] = str(RESHAPER.reshape(words[i]))
    if not easy:
        return out
    text = " ".join([words[i] for i in easy])
    forms = _form_codes(text)
    glyphs = list(map(_FORMS.get, map(add, text, forms), text))
    for match in _LIGATURE_WORD_RE.finditer(text):
        ligature = _LIGATURE_FORMS[(match.lastindex or 1) - 1]
        a, b = match.span()
        # Whether the first letter joins the one before, the last the one after.
        form = _BY_CODE[(forms[a] in "23") * 2 + (forms[b - 1] in "13")]
        if ligature[form]:
            glyphs[a:b] = [ligature[form], *repeat("", b - a - 1)]
    for i, shaped in zip(easy, "".join(glyphs).split(" "), strict=True):
        out[i] = shaped
    return out


def _form_codes(text: str) -> str:
    """The code of each character's form in ``text`` ("0".."3", see :data:`_FORMS`; "0" for a
    character that is not a letter): bit 1 when it joins the character after it, bit 2 when
    the one before, worked out for all of them at once as bits of two integers."""
    joining = text.translate(_JOINING).encode("latin-1", "replace")  # other letters: "?"
    both = int.from_bytes(joining.translate(_BOTH), "big")
    before = int.from_bytes(joining.translate(_BEFORE), "big")
    # Big-endian: byte i of ``x << 8`` is byte i + 1 of ``x`` (the next character's).
    joins_after = both & (before << 8)
    joins_before = (both >> 8) & before
    codes = (joins_after | joins_before << 1).to_bytes(len(joining), "big")
    return codes.translate(_CODES).decode("ascii")


def _shape_new(paragraphs: list[str]) -> None:
    """Reshape every word not seen before (each once, whatever article it came from)."""
    new = list(set().union(*[text.split(" ") for text in paragraphs]).difference(_SHAPED))
    if not new:
        return
    kinds = char_kinds(" ".join(new))
    split = kinds.split("w")  # U+0020 alone is of kind "w"
    arabic = [word for word, kind in zip(new, split, strict=True) if "a" in kind]
    _SHAPED.update(zip(new, new, strict=True))
    if not arabic:
        return
    joined = " ".join(arabic)
    if _STRIPPED_KINDS.search(kinds):  # marks or a joiner (STRIP keeps U+0020)
        joined = joined.translate(STRIP)
    _SHAPED.update(zip(arabic, reshape_words(joined.split(" ")), strict=True))


@dataclass(slots=True)
class Paragraph:
    """One paragraph prepared for any width."""

    text: str  # sanitized paragraph text (logical)
    level: int  # paragraph embedding level (0 LTR, 1 RTL)
    drawn: str  # per character: "1" drawn, "0" not drawn
    texts: list[str]  # per cluster: what to print (mirrored when at an odd level)
    widths: list[int]  # per cluster: cells
    starts: list[int]  # cluster i covers text[starts[i]:starts[i + 1]] (len = clusters + 1)
    levels: Sequence[int]  # per cluster: resolved level of its base character (before L1)
    kinds: str  # per cluster: 'w' space, 's' tab, '.' other
    breaks: str  # per cluster: 'w' where a row may break (leading spaces are not)
    cum: Sequence[int]  # cum[i] = cells of clusters 0..i-1
    cuts: list[int]  # clusters where the level changes (see bidi.level_cuts)


_DRAWN_KEEP = str.maketrans({**dict.fromkeys("wvtamW.h", "1"), "b": "0", "z": "0"})
_DRAWN_DROP = str.maketrans({**dict.fromkeys("wvtamW.", "1"), "b": "0", "z": "0", "h": "0"})
_CLUSTER_KINDS = str.maketrans({"a": ".", "v": "w", "t": "s"})


class _Builder:
    """Collects the clusters of one paragraph."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.widths: list[int] = []
        self.lengths: list[int] = []
        self.bases: list[int] = []
        self.kinds: list[str] = []
        self.mirror: list[int] = []
        self.simple = True  # every cluster is one character, its own base
        self.narrow = True  # every cluster is one cell wide
        self.carry = 0  # undrawn characters before the first cluster

    def bulk(self, text: str, kinds: str, shape: bool) -> None:
        """Clusters of a stretch with only letters, one-cell characters and U+0020."""
        if shape:
            words = text.split(" ")
            shaped = " ".join(map(_SHAPED.get, words, words))
        else:
            shaped = text
        count = len(shaped)
        first = len(self.texts)
        self.texts.extend(shaped)
        self.widths.extend(repeat(1, count))
        self.bases.extend(repeat(0, count))
        if count == len(text):
            self.lengths.extend(repeat(1, count))
        else:  # lam-alef ligatures: the alef joins the lam's cluster
            self.simple = False
            lengths = [1] * count
            pieces = []
            previous = 0
            for number, match in enumerate(_LIGATURE_RE.finditer(shaped)):
                lengths[match.start()] = 2
                alef = match.start() + number + 1
                pieces.append(kinds[previous:alef])
                previous = alef + 1
            pieces.append(kinds[previous:])
            if sum(lengths) != len(text):  # pragma: no cover - only lam-alef changes length
                del self.texts[first:], self.widths[first:], self.bases[first:]
                self.bulk(text, kinds, False)
                return
            self.lengths.extend(lengths)
            kinds = "".join(pieces)
        self.kinds.append(kinds)
        if shape:
            self.mirror.extend(first + match.start() for match in _MIRROR_RE.finditer(shaped))

    def word(self, word: str, kinds: str, shape: bool, keep: bool) -> None:
        """Clusters of one word (or a space other than U+0020)."""
        if kinds in ("v", "t"):
            width = 1 if kinds == "t" else char_width(word)
            self.texts.append(" " * width)
            self.widths.append(width)
            self.lengths.append(1)
            self.bases.append(0)
            self.kinds.append(kinds)
            self.narrow = self.narrow and width == 1
            return
        self.simple = False
        key = (word, shape, keep)
        clusters = _WORDS.get(key)
        if clusters is None:
            shaped = None
            if shape and "a" in kinds:
                shaped = _SHAPED.get(word)
                if shaped is None:  # a word next to a tab or an unusual space
                    shaped = _SHAPED[word] = reshape_word(word.translate(STRIP))
            clusters = _WORDS[key] = _clusters(word, kinds, shaped, keep)
        texts, widths, lengths, bases, mirror = clusters
        if not texts:  # nothing drawn: the characters join the cluster before
            if self.lengths:
                self.lengths[-1] += len(word)
            else:
                self.carry += len(word)
            return
        if shape:
            self.mirror.extend(i + len(self.texts) for i in mirror)
        self.texts.extend(texts)
        self.widths.extend(widths)
        self.narrow = self.narrow and widths.count(1) == len(widths)
        self.lengths.extend(lengths)
        self.bases.extend(bases)
        self.kinds.append("." * len(texts))


def _cluster_runs(
    ends: list[int], values: list[int], starts: list[int], bases: list[int]
) -> tuple[list[int], bidi.RunLevels]:
    """Character level runs -> cluster level runs (a cluster has its base's level)."""
    count = len(bases)

    def level(cluster: int) -> int:
        return values[bisect_right(ends, starts[cluster] + bases[cluster])]

    candidates: set[int] = set()
    for end in ends[:-1]:  # the level changes at character ``end``
        cluster = bisect_right(starts, end) - 1
        candidates.update((cluster, cluster + 1))
    cuts = sorted(c for c in candidates if 0 < c < count and level(c) != level(c - 1))
    return cuts, bidi.RunLevels(cuts, [level(0), *map(level, cuts)] if count else [0], count)


def _prepare(
    text: str, codes: str, mode: str, keep: bool, fallback: int, base: int | None
) -> Paragraph:
    kinds = codes.translate(KIND)
    shape = mode == "app"
    out = _Builder()
    pos = 0
    while match := _SPECIAL_RE.search(kinds, pos):
        start = end = match.start()  # the word (or the one space) around a special character
        if kinds[start] in "vt":
            end += 1
        else:
            start = max(pos, kinds.rfind("w", pos, start) + 1)
            following = _BREAK_RE.search(kinds, end)
            end = following.start() if following else len(kinds)
        if start > pos:
            out.bulk(text[pos:start], kinds[pos:start], shape)
        out.word(text[start:end], kinds[start:end], shape, keep)
        pos = end
    if pos < len(text):
        out.bulk(text[pos:], kinds[pos:], shape)
    if out.carry and out.lengths:
        out.lengths[0] += out.carry
        out.bases[0] += out.carry
    starts = [0, *accumulate(out.lengths)]
    texts = out.texts
    count = len(texts)
    if shape:
        letters = codes.translate(CLASS)
        level, ends, values = bidi.resolve_runs(text, base, fallback, letters=letters)
        if out.simple and not out.carry:  # clusters are characters
            cuts, levels = ends[:-1], bidi.RunLevels(ends[:-1], values, count)
        else:
            cuts, levels = _cluster_runs(ends, values, starts, out.bases)
        for i in out.mirror:
            if levels[i] & 1:
                texts[i] = bidi.MIRRORED[texts[i]]
    else:
        strong = base if base is not None else bidi.first_strong(text, codes.translate(CLASS))
        level = fallback if strong is None else strong
        cuts, levels = [], bidi.RunLevels([], [0], count)
    ckinds = "".join(out.kinds).translate(_CLUSTER_KINDS)
    breaks = ckinds.replace("s", "w")
    lead = len(breaks) - len(breaks.lstrip("w"))
    breaks = "." * lead + breaks[lead:]
    drawn = kinds.translate(_DRAWN_KEEP if keep else _DRAWN_DROP)
    cum: Sequence[int] = range(count + 1) if out.narrow else [0, *accumulate(out.widths)]
    return Paragraph(
        text, level, drawn, texts, out.widths, starts, levels, ckinds, breaks, cum, cuts
    )


def prepare_paragraphs(
    paragraphs: list[str], mode: str, keep: bool, fallback: int, base: int | None = None
) -> list[Paragraph]:
    """Prepare sanitized paragraphs (no newline inside) for layout in ``mode``.

    The direction of each comes from its first strong character (else ``fallback``), or is
    ``base`` (0 LTR, 1 RTL) when given: a chunk of a long paragraph takes the paragraph's.
    """
    if len(_WORDS) > _CACHE_LIMIT or len(_SHAPED) > _CACHE_LIMIT:
        clear_caches()
    all_codes = [char_codes(text) for text in paragraphs]
    if mode == "app":
        _shape_new(paragraphs)
    keep = keep or mode == "off"
    return [
        _prepare(text, codes, mode, keep, fallback, base)
        for text, codes in zip(paragraphs, all_codes, strict=True)
    ]


def clear_caches() -> None:
    """Forget shaped words (for benchmarks and tests)."""
    _WORDS.clear()
    _SHAPED.clear()
