"""Cross-script query expansion: each plain word of a query ORed with its other spellings
(Haftar OR حفتر OR Hifter), as the name tables give them. Pure text in, text out: the search
module parses the result like any query."""

from __future__ import annotations

import re
from collections.abc import Callable

_TOKEN = re.compile(r'"[^"]*"|\S+')
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})


def _aliases(word: str, lookup: Callable[[str], list[str]]) -> list[str]:
    """Other spellings of ``word`` worth searching. A many-word alias (al-Mismari, Khalifa
    Haftar) that contains a one-word spelling already searched adds nothing to an OR (and its
    "al" would light up every al-) so it is left out."""
    found = [a.strip() for a in lookup(word) if a.strip()]
    parts = {a: re.findall(r"\w+", a.casefold()) for a in found}
    singles = {p[0] for p in parts.values() if len(p) == 1} | set(
        re.findall(r"\w+", word.casefold())
    )
    return [a for a in found if len(parts[a]) == 1 or not singles & set(parts[a])]


def expand_cross_script(text: str, lookup: Callable[[str], list[str]]) -> str | None:
    """The query with each plain word (or quoted phrase) ORed with its other spellings.

    Words with a field, a wildcard or that are operators are left alone. Returns None when no
    word has another spelling.
    """
    out: list[str] = []
    changed = False
    for match in _TOKEN.finditer(text):
        token = match.group()
        lead = len(token) - len(token.lstrip("(+-"))
        trail = len(token) - len(token.rstrip(")"))
        core = token[lead : len(token) - trail if trail else None]
        if (
            not core
            or core in _OPERATORS
            or ":" in core
            or "*" in core
            or "?" in core
            or core.startswith("^")
        ):
            out.append(token)
            continue
        bare = core.strip('"')
        found = _aliases(bare, lookup)
        if not found:
            out.append(token)
            continue
        changed = True
        spelled = " OR ".join(a if re.fullmatch(r"\w+", a) else f'"{a}"' for a in found)
        out.append(
            f"{token[:lead]}({core} OR {spelled}){token[len(token) - trail :] if trail else ''}"
        )
    return " ".join(out) if changed else None
