"""Kept only so older imports keep working: everything lives in :mod:`reader.core.sanitize`.

``printable`` is :func:`reader.core.sanitize.sanitize`; new code imports from
``reader.core.sanitize`` (:func:`~reader.core.sanitize.sanitize`,
:func:`~reader.core.sanitize.one_line`, :func:`~reader.core.sanitize.json_line`,
:func:`~reader.core.sanitize.json_text`).
"""

from __future__ import annotations

from reader.core.sanitize import json_line, json_text
from reader.core.sanitize import sanitize as printable

__all__ = ["json_line", "json_text", "printable"]
