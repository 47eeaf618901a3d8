"""No style of the app draws bold black text. On a 16-colour terminal (xterm and mlterm as
installed: TERM=xterm) bold makes black the bright black, grey: seen in xterm and mlterm under
Xvfb, the current search hit was grey on red (in mlterm nearly gone), a match grey on yellow.
Every string literal of reader/app that parses as a Rich style is checked."""

from __future__ import annotations

import ast
from pathlib import Path

from rich.color import Color
from rich.errors import StyleSyntaxError
from rich.style import Style

APP = Path(__file__).resolve().parent.parent / "reader" / "app"
BLACK = Color.parse("black")


def _styles() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(APP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value.strip()
                if not text or len(text) > 60 or "\n" in text:
                    continue
                found.append((path.name, node.lineno, text))
    return found


def _bold_black(text: str) -> bool:
    try:
        style = Style.parse(text)
    except StyleSyntaxError:
        return False
    colour = style.color
    black = colour is not None and (colour == BLACK or colour.get_truecolor() == (0, 0, 0))
    return bool(style.bold) and black


def test_the_check_finds_bold_black() -> None:
    assert _bold_black("bold black on #e5c07b") and _bold_black("black bold")
    assert not _bold_black("black on #e5c07b") and not _bold_black("bold white on red")
    assert not _bold_black("Search bar: go to the results")


def test_no_style_of_the_app_is_bold_black() -> None:
    found = [(name, line, text) for name, line, text in _styles() if _bold_black(text)]
    assert not found, found
