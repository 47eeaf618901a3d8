"""Import Whoosh's reading module without loading asyncio: import this before Whoosh.

``whoosh.reading`` takes its one ``@cached_property`` (``SegmentReader.deleted_docs_set``)
from the ``cached_property`` package, which imports asyncio at module level to support
coroutine properties; asyncio and what it pulls in (concurrent.futures, logging, ssl's
neighbours) are about 15% of a cold ``reader search``'s imports. Whoosh never decorates a
coroutine, and for a plain method the package's descriptor does what
:func:`functools.cached_property` does (computes once, then stores the value in the instance's
``__dict__`` under the method's name, where later reads find it without the descriptor).

So, when neither module is imported yet, ``whoosh.reading`` is imported once with a stand-in
``cached_property`` module (holding :func:`functools.cached_property`) in ``sys.modules``,
which is removed right after: nothing stays registered, and a later ``import
cached_property`` anywhere gets the real package. Nothing of the standard library is changed.
If Whoosh or the package is already imported (or the stand-in is refused), Whoosh is simply
imported as it is. ``tests/test_cold_imports.py`` checks that a search loads no asyncio and
that ``deleted_docs_set`` behaves as the package's property does.
"""

from __future__ import annotations

import functools
import sys
import types


def _import_reading() -> None:
    if "whoosh.reading" in sys.modules or "cached_property" in sys.modules:
        return
    stand_in = types.ModuleType("cached_property", "functools.cached_property, for Whoosh")
    stand_in.cached_property = functools.cached_property  # type: ignore[attr-defined]
    sys.modules["cached_property"] = stand_in
    try:
        import whoosh.reading  # noqa: F401
    finally:
        if sys.modules.get("cached_property") is stand_in:
            del sys.modules["cached_property"]


_import_reading()
