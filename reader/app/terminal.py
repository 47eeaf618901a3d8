"""Which terminal the app runs in, as far as its environment tells, and what it must be sent so
that it shows the rows reader lays out (visual order, shaped) as they are.

What callers may rely on:

- :func:`detect` names the terminal from the variables each sets: ``MLTERM`` (mlterm),
  ``KONSOLE_VERSION`` (Konsole), ``VTE_VERSION`` (GNOME Terminal, Tilix, Terminator... every
  VTE terminal), ``KITTY_WINDOW_ID`` (kitty), ``WT_SESSION`` (Windows Terminal),
  ``TERM_PROGRAM=mintty`` (mintty); "other" when none is set. The first match in that order
  wins (a VTE terminal started from Konsole keeps no KONSOLE_VERSION of its own, so the inner
  one is named; a terminal multiplexer passes the outer terminal's variables through).
- :func:`bidi_sequences` gives the escape sequences to write when the app starts and when it
  ends, for ``[display] rtl``: in mode "app" (reader reorders), the terminal's own reordering
  is turned off: ``ESC ] 5379 ; use_ctl=false BEL`` for mlterm (which ignores the bidi mode
  sequence), the explicit bidi mode ``CSI 8 l`` for the others (VTE and mintty honour it, the
  rest ignore it); the end sequence turns it back on. In modes "terminal" and "off" nothing
  is sent.
- :func:`terminal_hint` is one line to show the user when the terminal cannot be set from
  here (Konsole's own bidi rendering is a profile setting, on by default): None otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["bidi_sequences", "detect", "terminal_hint"]

EXPLICIT_BIDI_ON = "\x1b[8l"  # BDSM reset: the terminal shows characters in the order given
EXPLICIT_BIDI_OFF = "\x1b[8h"
MLTERM_BIDI_OFF = "\x1b]5379;use_ctl=false\x07"
MLTERM_BIDI_ON = "\x1b]5379;use_ctl=true\x07"

_BY_VARIABLE = (
    ("MLTERM", "mlterm"),
    ("KONSOLE_VERSION", "konsole"),
    ("VTE_VERSION", "vte"),
    ("KITTY_WINDOW_ID", "kitty"),
    ("WT_SESSION", "windows-terminal"),
)


def detect(env: Mapping[str, str]) -> str:
    """The terminal's name (see the module docstring)."""
    for variable, name in _BY_VARIABLE:
        if env.get(variable):
            return name
    if env.get("TERM_PROGRAM", "").lower() == "mintty":
        return "mintty"
    return "other"


def bidi_sequences(env: Mapping[str, str], mode: str) -> tuple[str, str]:
    """What to write at the start and at the end of the app (see the module docstring)."""
    if mode != "app":
        return "", ""
    if detect(env) == "mlterm":
        return MLTERM_BIDI_OFF, MLTERM_BIDI_ON
    return EXPLICIT_BIDI_ON, EXPLICIT_BIDI_OFF


def terminal_hint(env: Mapping[str, str], mode: str) -> str | None:
    """One line for the user when the terminal needs a setting reader cannot make, else None."""
    if mode == "app" and detect(env) == "konsole":
        return (
            "Konsole reorders Arabic itself, so reader's rows may read backwards: turn off "
            "'Bi-Directional text rendering' (Settings > Edit Current Profile > Advanced), "
            'or set [display] rtl = "terminal" in config.toml'
        )
    return None
