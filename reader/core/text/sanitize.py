"""Control characters, escape sequences and invisible characters in untrusted text: the one
place where text from a file (article, sidecar, notes, events, gazetteer, config, file names)
is made safe to show. Every CLI printer and every app widget shows such text only through
:func:`sanitize` (multi-line text) or :func:`one_line` (a single-line field), and prints JSON
only through :func:`json_line` / :func:`json_text`. App widgets hand the result to Rich/Textual
as ``Text`` (never as markup), so ``[bold]`` or ``[@click=...]`` is shown, never interpreted.

What callers may rely on:

- :func:`sanitize` maps every character to exactly ONE character (``len`` is kept), so logical
  offsets computed on the original text stay valid. It replaces C0 controls except tab and
  newline with the Control Pictures (U+2400 + code: ESC -> ``␛``, NUL -> ``␀``), DEL with
  ``␡``, C1 controls (U+0080-U+009F), lone surrogates and the line/paragraph separators
  U+2028/U+2029 with visible symbols. An escape sequence therefore prints as harmless visible
  text (``␛[31m``): every character of the whole sequence is shown, none is acted on.
  Tab and newline are left alone (the layout handles them); bidi controls are left alone (the
  bidi algorithm applies them and the layout does not draw them).
- :func:`one_line` is :func:`sanitize` for a field shown on one line (title, outlet, author,
  url, id, verdict, tag, event label, path): it also draws a newline as ``␤``, a tab as a
  space and a bidi embedding, override or isolate (U+202A-U+202E, U+2066-U+2069) as U+FFFD,
  so a field can never break or reorder the line it is printed on (one character each:
  offsets such as search marks stay valid). The marks LRM, RLM and ALM are kept.
- :func:`json_line` / :func:`json_text` write JSON with real Unicode but every character a
  terminal may act on as a ``\\u`` escape; the JSON decodes to exactly the record given.
- :func:`scan_text` counts what a warning badge needs (:class:`TextWarnings`).
- ``BIDI_CONTROLS`` and :func:`is_zero_width` define the two invisible classes the layout
  never draws.

A carriage return directly before a newline (CRLF line ends) is not counted as a control
character and is not drawn by the layout; any other CR is shown as ``␍``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BIDI_CONTROLS",
    "TextWarnings",
    "is_zero_width",
    "json_line",
    "json_text",
    "one_line",
    "sanitize",
    "scan_text",
]

#: The explicit bidi formatting characters: LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM ALM.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)

_PICTURES: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x20) if c not in (0x09, 0x0A)}
_PICTURES[0x7F] = "\u2421"  # ␡
_PICTURES.update({c: "\ufffd" for c in range(0x80, 0xA0)})  # C1: replacement character
_PICTURES.update({c: "\ufffd" for c in range(0xD800, 0xE000)})  # lone surrogates
_PICTURES[0x2028] = "\u2424"  # LINE SEPARATOR -> ␤
_PICTURES[0x2029] = "\u00b6"  # PARAGRAPH SEPARATOR -> ¶

_REPLACED_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_CRLF_RE = re.compile("\r\n")
_BIDI_RE = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")

# ECMA-48 sequences: CSI (7- and 8-bit), the string controls OSC DCS SOS PM APC (ended by BEL,
# ST or the end of the text), two-character escapes, and a lone ESC.
_ESCAPE_RE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[\s\S]*?(?:\x07|\x1b\\|\x9c|$)"
    r"|\x1b[ -/]*[0-~]?"
)

# Zero-width characters that are not bidi controls: the zero-width format characters of
# category Cf (soft hyphen, ZWSP ZWNJ ZWJ, WJ and the invisible operators, deprecated format
# characters, BOM, interlinear annotation, Egyptian/shorthand/musical format controls, tags),
# plus the combining grapheme joiner, variation selectors and the Hangul fillers often used to
# hide text. Cf characters drawn with a width (Arabic number signs U+0600..) are not included.
_ZERO_WIDTH_RE = re.compile(
    "[\u00ad\u034f\u115f\u1160\u180e\u200b-\u200d\u2060-\u2064\u206a-\u206f\u3164"
    "\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\U00013430-\U00013438\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\U000e0100-\U000e01ef]"
)


def is_zero_width(char: str) -> bool:
    """True for a zero-width character that can hide text (never for bidi controls)."""
    return _ZERO_WIDTH_RE.match(char) is not None


@dataclass(frozen=True, slots=True)
class TextWarnings:
    """Counts of suspicious characters in a text, for a warning badge.

    ``bidi_controls``: explicit bidi formatting characters (see ``BIDI_CONTROLS``).
    ``control_chars``: characters :func:`sanitize` replaces (C0 but tab/newline and the CR of
    a CRLF, DEL, C1, U+2028/U+2029, lone surrogates); ESC counts here too.
    ``escape_sequences``: ECMA-48 escape/control sequences (CSI, OSC, DCS, ..., lone ESC).
    ``zero_width``: zero-width characters that hide text (:func:`is_zero_width`).
    """

    bidi_controls: int = 0
    control_chars: int = 0
    escape_sequences: int = 0
    zero_width: int = 0

    @property
    def total(self) -> int:
        """The sum of all counts (escape sequences are also counted as control characters)."""
        return self.bidi_controls + self.control_chars + self.zero_width

    def __bool__(self) -> bool:
        return self.total > 0


_TRANSLATION = str.maketrans(_PICTURES)
_ANY_RE = re.compile(
    "[" + "".join(p.pattern[1:-1] for p in (_REPLACED_RE, _BIDI_RE, _ZERO_WIDTH_RE)) + "]"
)


# The bidi controls that act beyond themselves (embeddings, overrides, isolates and their
# ends): in a one-line field they would reorder the rest of the line a message puts around the
# field (a file name "report\u202etxt.exe" shown as "reportexe.txt"). The marks LRM, RLM and
# ALM act only as one strong letter would, and real Arabic titles hold them: they are kept.
_RUN_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_ONE_LINE_TRANSLATION = str.maketrans(
    {**_PICTURES, 0x0A: "\u2424", 0x09: " ", **dict.fromkeys(map(ord, _RUN_BIDI), "\ufffd")}
)  # newline: ␤
_ONE_LINE_RE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff{_RUN_BIDI}]")
# Characters json.dumps(ensure_ascii=False) leaves raw that a terminal may act on.
# Raw in json.dumps's output, a terminal may act on them: DEL, C1, the line and paragraph
# separators, and the bidi embeddings, overrides and isolates (which turn the rest of a printed
# line around: a title "invoice<RLO>fdp.exe").
_JSON_RISKY_RE = re.compile(f"[\x7f-\x9f\u2028\u2029{_RUN_BIDI}]")


def sanitize(text: str) -> str:
    """``text`` with every control character replaced by one visible character (same length).

    Tab and newline are kept: use it for text shown over several lines (article body, note)."""
    if _REPLACED_RE.search(text) is None:
        return text
    return text.translate(_TRANSLATION)


def one_line(text: str) -> str:
    """:func:`sanitize` for a single-line field: newline shown as ``␤``, tab as a space, and
    the bidi embeddings, overrides and isolates as U+FFFD, so nothing in the field can reorder
    the line it is printed on (same length; the result holds no control character at all)."""
    if _ONE_LINE_RE.search(text) is None:
        return text
    return text.translate(_ONE_LINE_TRANSLATION)


NAME_CHARS = 160  # the most of a name (an outlet, an author) a field shows: 2 rows at 80 columns


def clipped(text: str, limit: int = NAME_CHARS) -> str:
    """``text`` when it has at most ``limit`` characters, else its first ``limit - 1`` and
    "…": a name from an untrusted sidecar (an outlet of 5,000 characters) takes a row or two,
    not the screen. Cut in logical order, so laid out right to left the mark ends the
    name."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


def json_line(record: Any) -> str:
    """One JSON object as a line: real Unicode, with risky characters as \\u escapes."""
    return json_text(record)


def json_text(record: Any, indent: int | None = None) -> str:
    """``record`` as JSON (``indent`` as for json.dumps): real Unicode, but the characters
    json.dumps leaves raw that a terminal may act on (DEL, C1, U+2028/9, the bidi embeddings,
    overrides and isolates) as \\u escapes, so the text is safe to print and decodes to
    exactly ``record``. Raises ValueError for a float
    that is not finite (``NaN`` and ``Infinity`` are not JSON)."""
    text = json.dumps(record, ensure_ascii=False, indent=indent, allow_nan=False)
    if text.isascii() and "\x7f" not in text:  # the common case, found without the regex
        return text
    return _JSON_RISKY_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def scan_text(text: str) -> TextWarnings:
    """Count bidi controls, control characters, escape sequences and zero-width characters."""
    if _ANY_RE.search(text) is None:
        return TextWarnings()
    controls = len(_REPLACED_RE.findall(text)) - len(_CRLF_RE.findall(text))
    zero_width = len(_ZERO_WIDTH_RE.findall(text))
    return TextWarnings(
        bidi_controls=len(_BIDI_RE.findall(text)),
        control_chars=controls,
        escape_sequences=len(_ESCAPE_RE.findall(text)),
        zero_width=zero_width,
    )
