"""Site chrome removal: the rules from config's [boilerplate] applied to titles and bodies."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reader.core.config import Boilerplate
from reader.core.config_checks import regex_alternation


@dataclass(frozen=True, slots=True)
class _Compiled:
    drop_line: re.Pattern[str] | None
    drop_block: re.Pattern[str] | None
    block_lines: int
    breadcrumb: re.Pattern[str] | None
    title_suffix: re.Pattern[str] | None


def _alternation(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile(regex_alternation(patterns))


@lru_cache(maxsize=8)
def _compile(rules: Boilerplate) -> _Compiled:
    return _Compiled(
        drop_line=_alternation(rules.drop_lines),
        drop_block=_alternation(rules.drop_blocks),
        block_lines=rules.block_lines,
        breadcrumb=re.compile(rules.breadcrumb) if rules.breadcrumb else None,
        title_suffix=re.compile(rules.title_suffix) if rules.title_suffix else None,
    )


def clean_title(title: str, rules: Boilerplate) -> str:
    """The title without a breadcrumb in front ("Home / Politics / ") or a site name behind.

    Runs of whitespace in the title become one space first: a title is one line, and a long
    run would make a pattern like the default ``\\s+\\|...$`` take time quadratic in its
    length (a crafted file could hold the whole index build for hours)."""
    compiled = _compile(rules)
    title = " ".join(title.split())
    if compiled.breadcrumb is not None:
        stripped = compiled.breadcrumb.sub("", title, count=1).strip()
        title = stripped or title
    if compiled.title_suffix is not None:
        stripped = compiled.title_suffix.sub("", title, count=1).strip()
        title = stripped or title
    return title


def clean_paragraphs(paragraphs: list[str], rules: Boilerplate) -> list[str]:
    """Drop chrome lines and chrome blocks; keeps every other paragraph, in order.

    The rules see each paragraph as one line with its whitespace runs made one space (as a
    title is), so a pattern never depends on how a page spaced its chrome, and a long run of
    spaces cannot make a pattern with several ``\\s*`` backtrack for long."""
    compiled = _compile(rules)
    kept: list[str] = []
    skip = 0
    for paragraph in paragraphs:
        line = " ".join(paragraph.split())
        if not line:
            continue
        if skip:
            skip -= 1
            continue
        if compiled.drop_block is not None and compiled.drop_block.fullmatch(line):
            skip = compiled.block_lines
            continue
        if compiled.drop_line is not None and compiled.drop_line.fullmatch(line):
            continue
        kept.append(paragraph)
    return kept
