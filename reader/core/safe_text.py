"""Making untrusted article text safe to print on a terminal or in a JSON line.

Both functions map each dangerous character to exactly one safe character (or escape), so
offsets computed on the logical text stay valid on the printed text.
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 controls except tab and newline, DEL, and C1 controls (0x9B is an 8-bit CSI).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")
# Characters json.dumps(ensure_ascii=False) leaves raw that a terminal may act on.
_JSON_RISKY = re.compile(r"[\x7f\x80-\x9f\u2028\u2029]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ ... ␟ (ESC is ␛)
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def printable(text: str) -> str:
    """``text`` with every control character (C0 but tab/newline, DEL, C1) drawn as a symbol.

    ESC becomes ␛, so an escape sequence prints as harmless visible text.
    """
    return _CONTROLS.sub(_picture, text)


def json_line(record: Any) -> str:
    """One JSON object as a line: real Unicode, with risky characters as \\u escapes."""
    return json_text(record)


def json_text(record: Any, indent: int | None = None) -> str:
    """``record`` as JSON (``indent`` as for json.dumps): real Unicode, but the characters
    json.dumps leaves raw that a terminal may act on (DEL, C1, U+2028/9) as \\u escapes, so
    the text is safe to print and decodes to exactly ``record``. Raises ValueError for a float
    that is not finite (``NaN`` and ``Infinity`` are not JSON)."""
    text = json.dumps(record, ensure_ascii=False, indent=indent, allow_nan=False)
    return _JSON_RISKY.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
