"""Import Whoosh's query machinery without what a search never uses: import this before Whoosh.

Two of Whoosh's module-level imports cost a cold ``reader search`` much and give it nothing:

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

So, when none of these modules is imported yet, ``whoosh.query`` (and with it
``whoosh.reading``) is imported once with stand-ins for ``cached_property`` and
``whoosh.lang.morph_en`` in ``sys.modules``, removed right after: nothing stays registered,
and a later import of either gets the real module. Nothing of the standard library is
touched. If any of them is already imported, Whoosh is simply imported as it is.
``tests/test_cold_imports.py`` checks that a search loads neither, and that the property and
the function behave as the originals.
"""

from __future__ import annotations

import functools
import sys
import types
from typing import Any

_STANDS_IN_FOR = ("cached_property", "whoosh.lang.morph_en")


def _variations(word: str) -> Any:
    """``whoosh.lang.morph_en.variations(word)``, the real module imported on first call."""
    from whoosh.lang.morph_en import variations

    return variations(word)


def _import_whoosh() -> None:
    if any(name in sys.modules for name in ("whoosh.reading", "whoosh.query", *_STANDS_IN_FOR)):
        return
    import whoosh.lang

    cached = types.ModuleType("cached_property", "functools.cached_property, for Whoosh")
    cached.cached_property = functools.cached_property  # type: ignore[attr-defined]
    morph = types.ModuleType("whoosh.lang.morph_en", "variations, imported when first called")
    morph.variations = _variations  # type: ignore[attr-defined]
    stand_ins = {"cached_property": cached, "whoosh.lang.morph_en": morph}
    sys.modules.update(stand_ins)
    try:
        import whoosh.query
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        if getattr(whoosh.lang, "morph_en", None) is morph:
            del whoosh.lang.morph_en


_import_whoosh()
