"""Import Whoosh's query machinery without what a search never uses: import this before Whoosh.

Four of Whoosh's module-level imports cost a cold ``reader search`` much and give it nothing:

- ``whoosh.reading`` takes its one ``@cached_property`` (``SegmentReader.deleted_docs_set``)
  from the ``cached_property`` package, which imports asyncio at module level (to support
  coroutine properties); asyncio and what it pulls in were about 15% of a search's imports.
  Whoosh never decorates a coroutine, and for a plain method the package's descriptor does
  what :func:`functools.cached_property` does (computes once, then stores the value in the
  instance's ``__dict__`` under the method's name, where later reads find it).
- ``whoosh.query.terms`` imports ``variations`` from ``whoosh.lang.morph_en``, whose import
  compiles a few very large regular expressions, for the ``Variations`` query reader never
  builds. It gets a function that imports the real module and calls its ``variations`` when
  first called.
- ``whoosh.compat`` imports ``urlretrieve`` from ``urllib.request`` (for nothing reader
  calls), and with it ``http.client``, ``email``, ``ssl`` and ``socket``: about a tenth of a
  cold search's imports. It gets a ``urlretrieve`` that imports the real one when called.
- ``whoosh.compat`` imports ``escape`` from ``html`` (for the highlighter's HTML output,
  which reader never asks for), and with it ``html.entities``, a table of every named
  character. It gets an ``escape`` that imports the real one when called.

So, when none of these modules is imported yet, ``whoosh.query`` (and with it
``whoosh.reading`` and ``whoosh.compat``) is imported once with stand-ins for
``cached_property``, ``whoosh.lang.morph_en``, ``urllib.request`` and ``html`` in
``sys.modules``, removed right after: nothing stays registered, and a later import of any of
them gets the real module (``urllib.request`` and ``html`` are only stood in for when they
are not imported yet, and no attribute of the ``urllib`` package is set). If Whoosh's modules
or the stand-ins' are already imported, Whoosh is simply imported as it is. (Another thread
importing one of these modules while Whoosh is being imported would get the stand-in: reader
imports Whoosh before it starts threads that could.) ``tests/test_cold_imports.py`` checks
that a search loads none of them, and that the property and the functions behave as the
originals.
"""

from __future__ import annotations

import functools
import sys
import types
from typing import Any

_STANDS_IN_FOR = ("cached_property", "whoosh.lang.morph_en", "urllib.request", "html")


def _variations(word: str) -> Any:
    """``whoosh.lang.morph_en.variations(word)``, the real module imported on first call."""
    from whoosh.lang.morph_en import variations

    return variations(word)


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    """``urllib.request.urlretrieve(...)``, the real module imported on first call."""
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


def _escape(*args: Any, **kwargs: Any) -> Any:
    """``html.escape(...)``, the real module imported on first call."""
    from html import escape

    return escape(*args, **kwargs)


def _import_whoosh() -> None:
    if any(name in sys.modules for name in ("whoosh.reading", "whoosh.query", *_STANDS_IN_FOR[:2])):
        return
    import urllib

    import whoosh.lang

    cached = types.ModuleType("cached_property", "functools.cached_property, for Whoosh")
    cached.cached_property = functools.cached_property  # type: ignore[attr-defined]
    morph = types.ModuleType("whoosh.lang.morph_en", "variations, imported when first called")
    morph.variations = _variations  # type: ignore[attr-defined]
    stand_ins = {"cached_property": cached, "whoosh.lang.morph_en": morph}
    if "urllib.request" not in sys.modules:
        request = types.ModuleType("urllib.request", "urlretrieve, imported when first called")
        request.urlretrieve = _urlretrieve  # type: ignore[attr-defined]
        stand_ins["urllib.request"] = request
    if "html" not in sys.modules:
        html = types.ModuleType("html", "escape, imported when first called")
        html.escape = _escape  # type: ignore[attr-defined]
        stand_ins["html"] = html
    sys.modules.update(stand_ins)
    try:
        import whoosh.query
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        for package, name in ((whoosh.lang, "morph_en"), (urllib, "request")):
            stand_in = stand_ins.get(f"{package.__name__}.{name}")
            if stand_in is not None and getattr(package, name, None) is stand_in:
                delattr(package, name)


_import_whoosh()
