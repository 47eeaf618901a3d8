"""json_text: what json.dumps leaves raw that a terminal may act on (DEL, C1, U+2028/9) comes
out as \\u escapes, in ASCII text and in any other, and the text decodes to the record."""

from __future__ import annotations

import json

import pytest

from reader.core.text.sanitize import json_line, json_text

# DEL, C1, the line and paragraph separators, and the bidi embeddings, overrides and isolates
# (raw, "invoice<RLO>fdp.exe" in a title turned the rest of a printed line around).
RISKY = [
    "\x7f",
    "\x85",
    "\x9b",
    "\u2028",
    "\u2029",
    *"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
]


@pytest.mark.parametrize("risky", RISKY)
@pytest.mark.parametrize("around", ["plain ascii ", "عربي ", "ascii with é "])
def test_risky_characters_are_escaped_whatever_else_the_text_holds(risky: str, around: str) -> None:
    record = {"title": f"{around}{risky}end", "n": 1}
    for text in (json_line(record), json_text(record, indent=1)):
        assert risky not in text
        assert f"\\u{ord(risky):04x}" in text
        assert json.loads(text) == record


def test_text_with_nothing_risky_is_what_json_dumps_writes() -> None:
    # (the marks LRM, RLM and ALM are text, and kept)
    record = {"title": "Sirte ceasefire", "ar": "وقف إطلاق النار\u200f", "tab": "a\tb\u061c"}
    assert json_line(record) == json.dumps(record, ensure_ascii=False)
