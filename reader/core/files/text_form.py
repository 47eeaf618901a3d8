"""How a text file the user owns is written, kept when reader writes it again.

A notes file or ``events.toml`` edited on Windows may start with a byte order mark and end
its lines with CR LF. reader reads them as text without either (``utf-8-sig``; TOML takes
both line ends) and renders what it changes with LF; written back as rendered, the file
would lose its mark and mix line ends (the lines reader wrote with LF, the user's with CR LF:
every line a diff in git for some editors, a noisy merge for the others). :class:`TextForm`
says how the file on disk was written, and :meth:`TextForm.applied` gives a new text that
form, so the file keeps it.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass

_BOM = codecs.BOM_UTF8


@dataclass(frozen=True, slots=True)
class TextForm:
    """How a file's bytes are laid out: a UTF-8 byte order mark first (``bom``), and every
    line ended by CR LF (``crlf``). The default, a file with neither, is what reader writes
    for a new file."""

    bom: bool = False
    crlf: bool = False

    @classmethod
    def of(cls, data: bytes | None) -> TextForm:
        """The form of a file's ``data`` (None: no file yet, the default form). ``crlf`` only
        when the file has line ends and every one is CR LF: a file that already mixes them
        is written as reader renders it (LF), not made to look consistent by guess."""
        if not data:
            return cls()
        lines = data.count(b"\n")
        return cls(data.startswith(_BOM), lines > 0 and data.count(b"\r\n") == lines)

    def applied(self, text: str) -> str:
        """``text`` (as reader renders it: LF line ends, maybe some CR LF kept from the file)
        with this form's line ends; the mark is not in it (see :meth:`encoded`)."""
        if not self.crlf:
            return text
        return text.replace("\r\n", "\n").replace("\n", "\r\n")

    def kept(self, text: str, reads_the_same: Callable[[str], bool]) -> str:
        """:meth:`applied` of ``text`` when ``reads_the_same`` says the file then holds what
        ``text`` holds (a line end inside a value could read otherwise), else ``text``
        itself (the same object: ``is`` tells which)."""
        shaped = self.applied(text)
        return shaped if shaped != text and reads_the_same(shaped) else text

    def encoded(self, text: str) -> bytes:
        """The bytes to write for ``text`` once :meth:`applied`: UTF-8, after the mark when
        the file had one."""
        data = text.encode("utf-8")
        return _BOM + data if self.bom else data
